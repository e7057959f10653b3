"""OBB017, the BackBox daily cleanup, in virtual time: for every PRIMARY data store (skipped for SECONDARY and
RESTRICTED ones, R17, and for INACTIVE ones, R18) it first reads the DSM/TC status of the store's volumes — a
status change it sees is an export trigger (R27) —, then

- BB017_FREE_EXPIRED frees the storage of volumes DSM/TC now holds as SCRATCH or RELEASED, for groups with
  "Delete Expired Volumes" (R47);
- BB023_DEL_BACKEDUP deletes the images of old volumes of groups with "Delete Backedup Files", by the group's
  day and size thresholds;
- BB022_CHECK_SPACE compares the storage's used space with the store's warning threshold.

It runs once a day at the domain's `daily_cleanup_time` (03:00 node local time by default, after the DSM/TC
expiration of 02:00 as the manual advises), and on request (RunDailyCleanup). Each run writes EMS lines.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Iterable, Iterator

import grpc

from emulator import rpc
from emulator.domain_access import decide
from emulator.ems import EmsEvent
from emulator.errors import EmulatorError
from emulator.v1 import backbox_domain_pb2 as bb, common_pb2, media_catalog_pb2 as mc, storage_pb2 as st

if TYPE_CHECKING:
    from emulator.backbox_domain import BackBoxDomain

DEFAULT_TIME = "03:00"
ALL_STEPS = (bb.CLEANUP_STEP_FREE_EXPIRED, bb.CLEANUP_STEP_DEL_BACKEDUP, bb.CLEANUP_STEP_CHECK_SPACE)
FREED = (mc.VOLUME_STATUS_SCRATCH, mc.VOLUME_STATUS_RELEASED)
PAGE = 10_000   # TAPEVOLUMEs per ListTapeVolumes page


class DailyCleanup:
    """The OBB017 job of one domain."""

    def __init__(self, domain: BackBoxDomain):
        self.domain = domain
        self.node = domain.node
        self.owner = f"{self.node.name}/OBB017"

    # -- schedule ----------------------------------------------------------------------------------------------
    def schedule(self) -> None:
        """(Re-)arm the daily timer from the domain configuration."""
        self.cancel()
        text = self.domain.domain_config().daily_cleanup_time.strip().upper() or DEFAULT_TIME
        if text == "OFF":
            return
        self.node.clock.register_daily(self.owner, "OBB017 daily cleanup", self.node.name, text,
                                       lambda _f: self._daily())

    def cancel(self) -> None:
        self.node.clock.cancel_owner(self.owner)

    def _daily(self) -> None:
        if self.node.up:
            self.run([], [], "SUPER.SUPER")

    # -- run ---------------------------------------------------------------------------------------------------
    def run(self, ds_ids: Iterable[str], steps: Iterable[int], user: str) -> list[bb.DataStoreCleanupResult]:
        wanted = [s.strip() for s in ds_ids]
        stores = [self.domain.data_store(i) for i in wanted] if wanted else self.domain.data_stores()
        steps = list(steps) or list(ALL_STEPS)
        results = []
        for ds in stores:
            decision = decide(ds, bb.DATA_STORE_OPERATION_OBB017, bb.OPERATION_ORIGIN_AUTOMATIC)
            result = bb.DataStoreCleanupResult(data_store_id=ds.id, executed=decision.allowed, decision=decision)
            if decision.allowed:
                self._run_store(ds, steps, result)
            results.append(result)
            self._ems(result)
        return results

    def _run_store(self, ds: bb.DataStore, steps: list[int], result: bb.DataStoreCleanupResult) -> None:
        groups = self.domain.volume_groups(ds.id)
        members = {vg.id: self._volumes(vg) for vg in groups}  # read once, used by every step
        dsmtc_state: dict[str, mc.TapeVolume] = {}
        changes = []
        for vg in groups:
            if vg.tape_catalog != bb.TAPE_CATALOG_TYPE_DSMTC:
                continue
            known = {v.label: v for v in members[vg.id]}
            changed = []
            for tv in self._tape_volumes(vg):
                if tv.volser in known:
                    dsmtc_state[tv.volser] = tv
                    if tv.status != known[tv.volser].catalog_status:
                        changed.append(tv)
            files = self._files_of(vg, [tv.volser for tv in changed])
            changes.extend((tv.volser, tv, files.get(tv.volser, [])) for tv in changed)
        if changes:  # R27: a DSM/TC status change seen by OBB017
            for change, event in self.domain.volumes.record_status_changes(changes, bb.VOLUME_EVENT_SOURCE_OBB017):
                result.status_changes.append(change)
                result.event_sequences.append(event.sequence)
        storage = self.domain.backups.storage(ds)
        if bb.CLEANUP_STEP_FREE_EXPIRED in steps:
            result.freed_labels.extend(self._free(storage, self._expired(groups, members, dsmtc_state)))
        if bb.CLEANUP_STEP_DEL_BACKEDUP in steps:
            old = [v for v in self._backed_up(groups, members) if v.label not in result.freed_labels]
            result.deleted_files = 2 * len(self._free(storage, old))  # .IND + .DAT
        if bb.CLEANUP_STEP_CHECK_SPACE in steps and storage is not None:
            status = storage.GetReplicationStatus(st.GetReplicationStatusRequest(),
                                                  timeout=rpc.DEFAULT_DEADLINE).status
            if status.capacity_bytes:
                result.used_percent = int(status.used_bytes * 100 // status.capacity_bytes)
                result.space_warning = result.used_percent >= (ds.disk_space_warning_threshold_percent or 90)

    def _volumes(self, vg: bb.VolumeGroup) -> list[bb.BackBoxVolume]:
        vols, _, _ = self.domain.volumes.list(bb.ListVolumesRequest(
            volume_group_id=vg.id, page=common_pb2.PageRequest(page_size=10**9)))
        return vols

    def _tape_volumes(self, vg: bb.VolumeGroup) -> Iterator[mc.TapeVolume]:
        """The TAPEVOLUMEs of the group's VOLCAT / POOL, page by page (MediaCatalog pages hold at most
        100,000 rows)."""
        stub = self.domain.media_catalog(vg.volcat)
        token = ""
        while True:
            listing = stub.ListTapeVolumes(mc.ListTapeVolumesRequest(
                volcat=vg.volcat, pool=vg.pool, page=common_pb2.PageRequest(page_size=PAGE, page_token=token)),
                timeout=rpc.DEFAULT_DEADLINE)
            yield from listing.volumes
            token = listing.page.next_page_token
            if not token:
                return

    def _files_of(self, vg: bb.VolumeGroup, volsers: list[str]) -> dict[str, list[mc.TapeFile]]:
        """The tape files of the changed volumes, in one ReadVolumeEntries stream (not one call per volume)."""
        if not volsers:
            return {}
        stream = self.domain.media_catalog(vg.volcat).ReadVolumeEntries(
            mc.ReadVolumeEntriesRequest(volcat=vg.volcat, volsers=volsers), timeout=rpc.DEFAULT_DEADLINE)
        return {m.volser: list(m.files) for m in stream if not m.continued}

    @staticmethod
    def _expired(groups: list[bb.VolumeGroup], members: dict, state: dict[str, mc.TapeVolume]
                 ) -> list[bb.BackBoxVolume]:
        """BB017_FREE_EXPIRED: stored volumes DSM/TC now holds as SCRATCH / RELEASED, only for groups with
        Delete Expired Volumes (R47)."""
        return [vol for vg in groups if vg.delete_expired_volumes and vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC
                for vol in members[vg.id]
                if vol.materialized and not vol.current_operation and vol.label in state
                and state[vol.label].status in FREED]

    def _backed_up(self, groups: list[bb.VolumeGroup], members: dict) -> list[bb.BackBoxVolume]:
        """BB023_DEL_BACKEDUP: stored volumes untouched for the group's day thresholds and large enough."""
        now = self.node.utc_now()
        out = []
        for vg in groups:
            if not vg.delete_backedup_files:
                continue
            for vol in members[vg.id]:
                if not vol.materialized or vol.current_operation or not vol.HasField("last_written_time"):
                    continue
                updated = vol.last_written_time.ToDatetime(tzinfo=now.tzinfo)
                accessed = vol.unload_time.ToDatetime(tzinfo=now.tzinfo) if vol.HasField("unload_time") else updated
                if (now - updated >= timedelta(days=vg.days_past_last_update)
                        and now - accessed >= timedelta(days=vg.days_past_last_access)
                        and vol.data_bytes >= vg.min_file_size_for_deletion_bytes):
                    out.append(vol)
        return out

    def _free(self, storage, vols: list[bb.BackBoxVolume]) -> list[str]:
        """Delete the volumes' images and mark them no longer materialized; return their labels."""
        for vol in vols:
            if storage is not None:
                storage.DeleteImage(st.DeleteImageRequest(label=vol.label, labeled=vol.labeled),
                                    timeout=rpc.DEFAULT_DEADLINE)
        labels = [v.label for v in vols]
        if labels:
            self.domain.volumes.set_freed(labels)
        return labels

    def _ems(self, result: bb.DataStoreCleanupResult) -> None:
        prefix = self.domain.domain_id
        if result.executed:
            text = (f"{prefix}-I3017 OBB017 data store {result.data_store_id}: {len(result.status_changes)} status"
                    f" change(s), {len(result.freed_labels)} volume(s) freed, {result.deleted_files} file(s) deleted")
            if result.space_warning:
                text += f"; WARNING disk space {result.used_percent}% used"
        else:
            text = f"{prefix}-I3018 OBB017 data store {result.data_store_id} skipped: {result.decision.reason}"
        try:
            self.node.ems.append(EmsEvent(ssid="ETINET.100.100", event_number=3017 if result.executed else 3018,
                                          process="$OBB17", text=text))
        except (EmulatorError, grpc.RpcError):
            pass  # the node went down under the cleanup: the run's result is still returned
