"""Loads and unloads as the domain manager sees them: a VTC asks `begin` before it loads a volume and calls `end`
when it unloads. `begin` applies the Domain Access matrix (R17) and de-activation (R18), picks a scratch volume
for a scratch mount, and takes the volume's current-operation lock; `end` releases it and, after a write, records
the unload that makes the volume pending export (R27). `end` is idempotent per operation: a VTC re-sends it
until it is acknowledged.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from emulator.domain_access import decide
from emulator.domain_config import effective_auto_scratch
from emulator.errors import Conflict, EmulatorError, InvalidArgument, NotFound
from emulator.v1 import backbox_domain_pb2 as bb, common_pb2, media_catalog_pb2 as mc

if TYPE_CHECKING:
    from emulator.backbox_domain import BackBoxDomain


class NoScratchVolume(EmulatorError):
    """No scratch volume is free in the group (mount status NO RESOURCE)."""

    status = "RESOURCE_EXHAUSTED"


class UnexpiredVolume(Conflict):
    """Output on a volume holding unexpired data (Guardian error 49)."""

    guardian_error = 49


class VolumeOperations:
    """Begin / end of VTC operations on the volumes of one domain."""

    def __init__(self, domain: BackBoxDomain):
        self.domain = domain
        self.node = domain.node
        self.volumes = domain.volumes

    # -- begin -----------------------------------------------------------------------------------------------
    def begin(self, req: bb.BeginVolumeOperationRequest) -> bb.BeginVolumeOperationResponse:
        if req.mode not in (bb.MOUNT_MODE_INPUT, bb.MOUNT_MODE_OUTPUT):
            raise InvalidArgument("mount mode must be INPUT or OUTPUT")
        if bool(req.label) == bool(req.scratch_volume_group_id):
            raise InvalidArgument("name either a label or a scratch volume group, not both or neither")
        if req.scratch_volume_group_id and req.mode != bb.MOUNT_MODE_OUTPUT:
            raise InvalidArgument("a scratch mount is for OUTPUT: name the label to read")
        origin = req.origin or bb.OPERATION_ORIGIN_TAPE_APPLICATION
        operation = req.operation or bb.VOLUME_OPERATION_LOAD
        if req.scratch_volume_group_id:
            vg = self.domain.volume_group(req.scratch_volume_group_id)
            ds = self.domain.data_store(vg.data_store_id)
            self._check(ds, req.mode, origin)
            candidates = self._scratch_candidates(vg)
        else:
            vol = self.volumes.get(req.label)
            vg = self.domain.volume_group(vol.volume_group_id)
            ds = self.domain.data_store(vol.data_store_id)
            self._check(ds, req.mode, origin)
            candidates = [vol.label]
        dsmtc = {}
        if req.mode == bb.MOUNT_MODE_OUTPUT and vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC:
            dsmtc = self._dsmtc_states(vg, candidates)
        now = self.node.utc_now()
        with self.node.store.transaction(f"begin operation on {req.label or vg.id}") as txn:
            # Again under the writer: a SetDomainAccess / SetDataStoreStatus committed since the first check must
            # not let this load through (the switch itself refuses while a volume is locked, R55 step 1).
            ds = self.domain.data_store(ds.id, txn.db)
            self._check(ds, req.mode, origin)
            vol = self._pick(txn.db, candidates, req, vg, dsmtc)
            tv, files = dsmtc.get(vol.label, (None, []))
            scratched = False
            if req.mode == bb.MOUNT_MODE_OUTPUT:
                scratched = self._scratch_on_output(vol, vg, ds, tv, files)
            op_id = f"OP{self.domain.next_counter(txn.db, 'operation'):08d}"
            vol.current_operation = operation
            vol.operation_id = op_id
            vol.operation_started.FromDatetime(now)
            vol.operation_vtc_id, vol.operation_drive_id = req.vtc_id, req.drive_id
            if req.mode == bb.MOUNT_MODE_OUTPUT:
                vol.volume_timestamp.FromDatetime(now)  # last load for output
            txn.db.execute("INSERT INTO bb_operation VALUES (?, ?, ?, 0, 0)", [op_id, vol.label, req.mode])
            self.volumes._save(txn.db, vol)
        resp = bb.BeginVolumeOperationResponse(operation_id=op_id, volume=vol, data_store=ds, volume_group=vg,
                                               scratched=scratched,
                                               decision=decide(ds, self._op(req.mode), origin))
        km_id = vg.key_manager_id if req.mode == bb.MOUNT_MODE_OUTPUT else vol.key_manager_id
        if km_id and (req.mode == bb.MOUNT_MODE_INPUT and vol.encrypted or vg.encryption_algorithm):
            try:
                resp.key_manager.CopyFrom(self.domain.key_manager(km_id))
            except NotFound:
                if req.mode == bb.MOUNT_MODE_OUTPUT:
                    raise
                resp.key_manager.id = km_id  # unknown here: the read will fail naming it (R50)
        resp.new_key_required = (req.mode == bb.MOUNT_MODE_OUTPUT and bool(vg.encryption_algorithm)
                                 and vg.key_policy != bb.KEY_POLICY_PER_DRIVE)
        return resp

    @staticmethod
    def _op(mode: int) -> int:
        return bb.DATA_STORE_OPERATION_LOAD_OUTPUT if mode == bb.MOUNT_MODE_OUTPUT else \
            bb.DATA_STORE_OPERATION_LOAD_INPUT

    def _check(self, ds: bb.DataStore, mode: int, origin: int) -> None:
        decision = decide(ds, self._op(mode), origin)
        if not decision.allowed:
            raise Conflict(decision.reason)

    def _scratch_candidates(self, vg: bb.VolumeGroup) -> list[str]:
        """Free volumes of the group, least recently written first (then label): DSM/TC picks among the
        SCRATCH ones, a group without a tape catalog among those never written."""
        vols, _, _ = self.volumes.list(bb.ListVolumesRequest(volume_group_id=vg.id,
                                                             page=common_pb2.PageRequest(page_size=10**9)))
        free = [v for v in vols if not v.current_operation]

        def age(v: bb.BackBoxVolume) -> tuple:
            written = v.last_written_time.ToDatetime() if v.HasField("last_written_time") else datetime.min
            return (written, v.label)
        if vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC:
            return [v.label for v in sorted(free, key=age)]
        return [v.label for v in sorted(free, key=age) if not v.materialized]

    def _dsmtc_states(self, vg: bb.VolumeGroup, labels: list[str]) -> dict[str, tuple]:
        stub = self.domain.media_catalog(vg.volcat)
        from emulator import rpc  # noqa: PLC0415

        if len(labels) == 1:
            vol = self.volumes.get(labels[0])
            return {labels[0]: self.volumes.dsmtc_volume(vol)}
        resp = stub.ListTapeVolumes(mc.ListTapeVolumesRequest(volcat=vg.volcat, pool=vg.pool,
                                                              status=mc.VOLUME_STATUS_SCRATCH,
                                                              page=common_pb2.PageRequest(page_size=100_000)),
                                    timeout=rpc.DEFAULT_DEADLINE)
        scratch = {t.volser: (t, []) for t in resp.volumes}
        return {label: scratch[label] for label in labels if label in scratch}

    def _pick(self, db, candidates: list[str], req: bb.BeginVolumeOperationRequest, vg: bb.VolumeGroup,
              dsmtc: dict) -> bb.BackBoxVolume:
        scratch = bool(req.scratch_volume_group_id)
        for label in candidates:
            vol = self.volumes._load(db, label)
            if vol is None:
                continue
            if vol.current_operation:
                if scratch:
                    continue
                op = bb.VolumeOperation.Name(vol.current_operation).removeprefix("VOLUME_OPERATION_")
                raise Conflict(f"volume {vol.label} is busy: {op} by {vol.operation_vtc_id} {vol.operation_drive_id}"
                               " in progress; wait for the unload, or Reset the volume's operation")
            if scratch and vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC and label not in dsmtc:
                continue
            return vol
        if scratch:
            raise NoScratchVolume(f"no scratch volume free in volume group {vg.id}: create volumes, or let the"
                                  " daily expiration free some (mount status NO RESOURCE)")
        raise NotFound(f"volume {req.label} is not in the catalog")

    @staticmethod
    def _scratch_on_output(vol: bb.BackBoxVolume, vg: bb.VolumeGroup, ds: bb.DataStore, tv: mc.TapeVolume | None,
                           files: list[mc.TapeFile]) -> bool:
        """Output on a named volume: refused while it holds unexpired data; expired content is discarded when
        the group scratches at load (R46)."""
        if vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC:
            if tv is None:
                raise Conflict(f"volume {vol.label} is not in DSM/TC {vg.volcat}: the BackBox and DSM/TC catalogs"
                               " disagree; re-create the TAPEVOLUME (ADD TAPEVOLUME) or delete the volume")
            if tv.status not in (mc.VOLUME_STATUS_SCRATCH,):
                raise UnexpiredVolume(
                    f"volume {vol.label} is {mc.VolumeStatus.Name(tv.status).removeprefix('VOLUME_STATUS_')} in"
                    f" {vg.volcat}: it holds unexpired data and cannot be written (error 49); write on a SCRATCH"
                    " volume, or DELETE TAPEFILE / ALTER TAPEVOLUME to SCRATCH first")
            return vol.materialized
        return vol.materialized and effective_auto_scratch(vg, ds)  # WORM stores always scratch (R46)

    # -- end -------------------------------------------------------------------------------------------------
    def end(self, req: bb.EndVolumeOperationRequest) -> bb.EndVolumeOperationResponse:
        with self.node.store.read() as db:
            rows = list(db.query("SELECT * FROM bb_operation WHERE operation_id = ?", [req.operation_id]))
        if not rows:
            raise NotFound(f"operation {req.operation_id!r} is unknown to domain {self.domain.domain_id}: give the"
                           " operation id BeginVolumeOperation returned")
        op = rows[0]
        if req.label and req.label.upper() != op["label"]:
            raise InvalidArgument(f"operation {req.operation_id} is on volume {op['label']}, not {req.label}")
        if op["ended"]:
            return bb.EndVolumeOperationResponse(volume=self.volumes.get(op["label"]), duplicate=True)
        vol = self.volumes.get(op["label"])
        tv, files = (None, [])
        if req.written and not req.error and vol.catalog_type == bb.TAPE_CATALOG_TYPE_DSMTC and vol.volcat:
            tv, files = self.volumes.dsmtc_volume(vol)
        end_time = req.end_time.ToDatetime() if req.HasField("end_time") else self.node.utc_now()
        from datetime import timezone  # noqa: PLC0415
        end_time = end_time.replace(tzinfo=timezone.utc) if end_time.tzinfo is None else end_time
        ev = None
        with self.node.store.transaction(f"end operation {req.operation_id}") as txn:
            current = self.volumes._must(txn.db, op["label"])
            if current.operation_id == req.operation_id:
                self.volumes._unlock(current)
            if not req.error:
                current.unload_time.FromDatetime(end_time)
                if req.written:
                    self._record_write(current, req, end_time)
                    self.volumes.apply_dsmtc(current, tv, files)
                ds = self.domain.data_store(current.data_store_id, txn.db)
                kind = bb.VOLUME_EVENT_KIND_UNLOADED_AFTER_WRITE if req.written else bb.VOLUME_EVENT_KIND_UNLOADED
                ev = self.volumes._event(txn.db, current, kind, bb.VOLUME_EVENT_SOURCE_VTC, ds.domain_access,
                                         unload_time=end_time, detail=req.operation_id)
            txn.db.execute("UPDATE bb_operation SET ended = 1, event_sequence = ? WHERE operation_id = ?",
                           [ev.sequence if ev else 0, req.operation_id])
            self.volumes._save(txn.db, current)
        if ev is not None:
            self.volumes.after_commit([ev])
        return bb.EndVolumeOperationResponse(volume=self.volumes.get(op["label"]),
                                             event_sequence=ev.sequence if ev else 0)

    @staticmethod
    def _record_write(vol: bb.BackBoxVolume, req: bb.EndVolumeOperationRequest, when: datetime) -> None:
        vol.last_written_time.FromDatetime(when)
        vol.materialized = True
        vol.expired = False
        vol.data_bytes, vol.index_bytes = req.data_bytes, req.index_bytes
        vol.last_index_path, vol.last_data_path = req.index_path, req.data_path
        vol.encrypted = bool(req.media_key_name)
        vol.key_manager_id = req.key_manager_id if req.media_key_name else ""
        vol.media_key_name = req.media_key_name
        if not vol.encrypted:
            vol.encryption_algorithm = ""
