"""The BackBox volume catalog of a domain (the VOLUME file of a real domain): virtual volumes with the fields of
the BackBox Volume Detail page (domain-facts §4), labels unique in the domain (R3), creation (with DSM/TC ADD
TAPEVOLUME for DSM/TC groups), the current-operation lock that VTCs take around a load, status changes, delete,
Catalog Detach, and the record upserts of a Catalog Sync import. Every change records a volume event
(`domain_events`), in the same transaction.

Records are stored whole (a `BackBoxVolume` message) beside the columns the queries filter on. DSM/TC is the
source of truth for a DSM/TC group's catalog status: the domain reads it through MediaCatalog before it opens
its own transaction, never while holding it.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

import grpc

from emulator import rpc
from emulator.clock import VIRTUAL
from emulator.domain_access import PRIMARY, RESTRICTED, SECONDARY, decide
from emulator.domain_events import NOT_A_CHANGE, NewEvent, select_in
from emulator.dsmtc_entries import EmulatorError, parse_volser, to_us
from emulator.errors import Conflict, InvalidArgument, NotFound
from emulator.v1 import backbox_domain_pb2 as bb, common_pb2, media_catalog_pb2 as mc

if TYPE_CHECKING:
    import sqlite_utils

    from emulator.backbox_domain import BackBoxDomain

MAX_LABELS = 10_000
PREVIOUS_RUN_WAIT = 60.0   # wall seconds a new subscription run waits for the previous one, in virtual time
MAX_ALTER = 100          # as ALTER TAPEVOLUME
DSMTC_TYPES = {"3480": "CART3480"}   # a VTC media type -> the DSM/TC TAPEVOLUME TYPE word
_DIGITS = re.compile(r"^(.*?)(\d+)$")
_COMPARE_IGNORED = ("imported_time", "imported_export_id", "change_sequence", "pending_export")
_EDITABLE = ("comment", "owner_node", "owner_user", "read_access", "write_access", "control_access",
             "automatic_mount", "max_size_mb")
_ACCESS_CODES = set("AGO?.")
VOLUME_LOCKED_STATUSES = {mc.VOLUME_STATUS_ASSIGNED, mc.VOLUME_STATUS_FULL}


def create_schema(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS bb_volume (label TEXT PRIMARY KEY, data_store_id TEXT NOT NULL,"
               " volume_group_id TEXT NOT NULL, catalog_status INTEGER NOT NULL, operation INTEGER NOT NULL,"
               " change_sequence INTEGER NOT NULL, last_written_us INTEGER, record BLOB NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS bb_volume_group ON bb_volume (volume_group_id, label)")
    db.execute("CREATE INDEX IF NOT EXISTS bb_volume_store ON bb_volume (data_store_id, label)")
    db.execute("CREATE TABLE IF NOT EXISTS bb_operation (operation_id TEXT PRIMARY KEY, label TEXT NOT NULL,"
               " mode INTEGER NOT NULL, ended INTEGER NOT NULL, event_sequence INTEGER NOT NULL)")


def expand_labels(labels: Sequence[str], first: str = "", last: str = "") -> list[str]:
    """Explicit labels, or a range `EW1001`..`EW1010` (same prefix, the numeric suffix counts up)."""
    out = [parse_volser(label) for label in labels]
    if first or last:
        a, b = _DIGITS.match(parse_volser(first or last)), _DIGITS.match(parse_volser(last or first))
        if not a or not b or a.group(1) != b.group(1) or len(a.group(2)) != len(b.group(2)):
            raise InvalidArgument(f"label range {first}..{last} is not valid: both ends need the same prefix and"
                                  " the same number of digits, e.g. EW1001..EW1010")
        lo, hi = int(a.group(2)), int(b.group(2))
        if hi < lo:
            raise InvalidArgument(f"label range {first}..{last} runs backwards: give the lower label first")
        width = len(a.group(2))
        out.extend(f"{a.group(1)}{n:0{width}d}" for n in range(lo, hi + 1))
    if not out:
        raise InvalidArgument("no label given: name the labels or a range (first..last)")
    if len(out) > MAX_LABELS:
        raise InvalidArgument(f"{len(out)} labels in one request: create at most {MAX_LABELS:,} at a time")
    if len(set(out)) != len(out):
        raise InvalidArgument("a label is given twice: each label once")
    return out


class VolumeCatalog:
    """The volumes of one domain; changes go through the domain node's transactions."""

    def __init__(self, domain: BackBoxDomain):
        self.domain = domain
        self.node = domain.node
        self.node.store.add_schema(create_schema)
        self._jobs: dict[str, list[str]] = {}
        self._jobs_lock = threading.Lock()

    # -- records ---------------------------------------------------------------------------------------------
    def _load(self, db: sqlite_utils.Database, label: str) -> bb.BackBoxVolume | None:
        rows = list(db.query("SELECT record FROM bb_volume WHERE label = ?", [label.strip().upper()]))
        return bb.BackBoxVolume.FromString(rows[0]["record"]) if rows else None

    def _must(self, db: sqlite_utils.Database, label: str) -> bb.BackBoxVolume:
        vol = self._load(db, label)
        if vol is None:
            raise NotFound(f"volume {label.strip().upper()} is not in the catalog of domain"
                           f" {self.domain.domain_id}: check the label (ListVolumes)")
        return vol

    def _save(self, db: sqlite_utils.Database, vol: bb.BackBoxVolume, insert: bool = False) -> None:
        vol.pending_export = False  # derived from bb_pending when read
        written = to_us(vol.last_written_time.ToDatetime()) if vol.HasField("last_written_time") else None
        values = [vol.data_store_id, vol.volume_group_id, vol.catalog_status, vol.current_operation,
                  vol.change_sequence, written, vol.SerializeToString()]
        if insert:
            db.execute("INSERT INTO bb_volume VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [vol.label, *values])
        else:
            db.execute("UPDATE bb_volume SET data_store_id = ?, volume_group_id = ?, catalog_status = ?,"
                       " operation = ?, change_sequence = ?, last_written_us = ?, record = ? WHERE label = ?",
                       [*values, vol.label])

    def _event(self, db: sqlite_utils.Database, vol: bb.BackBoxVolume, kind: int, source: int, access: int,
               **kw) -> bb.VolumeEvent:
        ev = self.domain.events.record(db, NewEvent(kind, source, vol.label, vol.data_store_id, vol.volume_group_id,
                                                    **kw), access)
        if kind not in NOT_A_CHANGE:
            vol.change_sequence = ev.sequence
        return ev

    def _with_pending(self, db: sqlite_utils.Database, vols: list[bb.BackBoxVolume]) -> list[bb.BackBoxVolume]:
        pending = self.domain.events.pending_labels(db, [v.label for v in vols])
        for v in vols:
            v.pending_export = v.label in pending
        return vols

    def after_commit(self, events: list[bb.VolumeEvent]) -> None:
        """Wake watchers and start the subscribed programs for the committed events."""
        if not events:
            return
        self.domain.events.published(events)
        inactive = {d.id for d in self.domain.data_stores() if d.status == bb.DATA_STORE_STATUS_INACTIVE}
        for sub, event in self.domain.events.matching(events, inactive):
            self._start_program(sub, event)

    def _start_program(self, sub: bb.EventSubscription, event: bb.VolumeEvent) -> None:
        from emulator.domain_events import startup_text  # noqa: PLC0415
        from emulator.ems import EmsEvent               # noqa: PLC0415
        from emulator.v1 import guardian_pb2, guardian_pb2_grpc  # noqa: PLC0415

        if sub.single_per_data_store:
            previous = self.domain.events.last_run(sub.id, event.data_store_id)
            if previous and self._running(sub.node, previous) and not self._ends_now(previous):
                return  # R25: the running one (or the next) takes the volume, which stays pending
        param = startup_text(sub, event)
        try:
            if sub.node.upper() == self.node.name:
                name = self.node.processes.start(sub.program, param=param).name
            else:
                stub = guardian_pb2_grpc.GuardianStub(self.node.remote(sub.node))
                name = stub.StartProcess(guardian_pb2.StartProcessRequest(program=sub.program, param=param),
                                         timeout=rpc.DEFAULT_DEADLINE).process.name
            self.domain.events.note_run(sub.id, event.data_store_id, name)
        except (EmulatorError, grpc.RpcError) as exc:
            text = exc.message if isinstance(exc, EmulatorError) else exc.details()
            self.node.ems.append(EmsEvent(ssid="ETINET.100.100", event_number=3001, process="$BBSV",
                                          text=f"{self.domain.domain_id}-W3001 Event subscription {sub.id} could not"
                                               f" start {sub.program} on {sub.node}: {text}"))

    def _ends_now(self, process: str) -> bool:
        """Virtual time: a process takes no virtual time, so the previous run started by this subscription ends at
        this very instant; wait for it (wall time, bounded) instead of racing its thread, so that one seed gives
        one history. On the real clock it is still running: the new trigger waits for the next check (R25)."""
        if self.node.clock.mode != VIRTUAL or self.node.processes.in_process():
            return False
        _, ended = self.node.processes.wait(process, timeout=PREVIOUS_RUN_WAIT)
        return ended

    def _running(self, node: str, process: str) -> bool:
        if node.upper() != self.node.name:
            return False
        try:
            state = self.node.processes.get(process).state
        except EmulatorError:
            return False
        return getattr(state, "value", state) in ("WAITING", "RUNNING")

    # -- reads -----------------------------------------------------------------------------------------------
    def get(self, label: str) -> bb.BackBoxVolume:
        with self.node.store.read() as db:
            return self._with_pending(db, [self._must(db, label)])[0]

    def list(self, req: bb.ListVolumesRequest) -> tuple[list[bb.BackBoxVolume], str, int]:
        where, args = [], []
        for column, value in (("data_store_id", req.data_store_id), ("volume_group_id", req.volume_group_id)):
            if value:
                where.append(f"{column} = ?")
                args.append(value.strip().upper() if column == "volume_group_id" else value.strip())
        if req.catalog_status:
            where.append("catalog_status = ?")
            args.append(req.catalog_status)
        if req.changed_after_sequence:
            where.append("change_sequence > ?")
            args.append(req.changed_after_sequence)
        if req.pattern:
            where.append("label GLOB ?")
            args.append(req.pattern.strip().upper())
        if req.labels:
            where.append(f"label IN ({', '.join('?' * len(req.labels))})")
            args.extend(label.strip().upper() for label in req.labels)
        order = {g.id: i for i, g in enumerate(self.domain.volume_groups())}
        with self.node.store.read() as db:
            sql = "SELECT label, volume_group_id FROM bb_volume" + (f" WHERE {' AND '.join(where)}" if where else "")
            keys = sorted(((order.get(r["volume_group_id"], len(order)), r["label"]) for r in db.query(sql, args)))
            if req.pending_export_only:
                pending = self.domain.events.pending_labels(db, [k[1] for k in keys])
                keys = [k for k in keys if k[1] in pending]
            size = req.page.page_size or 1000
            start = _page_start(req.page.page_token)
            page = keys[start:start + size]
            vols = [self._must(db, label) for _, label in page]
            self._with_pending(db, vols)
        token = str(start + size) if start + size < len(keys) else ""
        return vols, token, len(keys)

    def running_jobs(self, ds_id: str) -> list[str]:
        with self._jobs_lock:
            return list(self._jobs.get(ds_id, []))

    # -- DSM/TC reads ----------------------------------------------------------------------------------------
    def dsmtc_volume(self, vol: bb.BackBoxVolume) -> tuple[mc.TapeVolume | None, list[mc.TapeFile]]:
        """The volume's TAPEVOLUME and tape files in its group's VOLCAT (None when DSM/TC does not know it)."""
        stub = self.domain.media_catalog(vol.volcat)
        try:
            resp = stub.GetTapeVolume(mc.GetTapeVolumeRequest(volser=vol.label, volcat=vol.volcat),
                                      timeout=rpc.DEFAULT_DEADLINE)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return None, []
            raise
        return resp.volume, list(resp.files)

    @staticmethod
    def first_valid(label: str, files: Iterable[mc.TapeFile]) -> bb.TapeFileRef | None:
        for f in files:
            if f.status == mc.TAPE_FILE_STATUS_VALID:
                index = next((t.vol_index for t in f.volumes if t.volser == label), 1)
                return bb.TapeFileRef(file_id=f.file_id, generation=f.generation, version=f.version,
                                      vol_index=index)
        return None

    @staticmethod
    def apply_dsmtc(vol: bb.BackBoxVolume, tv: mc.TapeVolume | None, files: list[mc.TapeFile]) -> None:
        if tv is None:
            return
        vol.catalog_status = tv.status
        ref = VolumeCatalog.first_valid(vol.label, files)
        vol.ClearField("first_non_expired_tape_file")
        if ref is not None:
            vol.first_non_expired_tape_file.CopyFrom(ref)
            vol.filecat = next(f.filecat for f in files if f.status == mc.TAPE_FILE_STATUS_VALID)
        vol.expired = tv.status in (mc.VOLUME_STATUS_SCRATCH, mc.VOLUME_STATUS_RELEASED) and vol.materialized

    # -- creation --------------------------------------------------------------------------------------------
    def create(self, req: bb.CreateVolumesRequest) -> bb.CreateVolumesResponse:
        vg = self.domain.volume_group(req.volume_group_id)
        ds = self.domain.data_store(vg.data_store_id)
        decision = decide(ds, bb.DATA_STORE_OPERATION_VOLUME_CREATION, req.origin or bb.OPERATION_ORIGIN_UI)
        if not decision.allowed:
            raise Conflict(decision.reason)
        labels = expand_labels(list(req.labels), req.range.first, req.range.last)
        resp = bb.CreateVolumesResponse()
        with self.node.store.read() as db:
            taken = {r["label"]: r["data_store_id"] for r in select_in(
                db, "SELECT label, data_store_id FROM bb_volume WHERE label IN ({})", labels)}
        accepted = []
        for label in labels:
            if label in taken:  # R3: one label namespace per domain
                resp.rejected.add(label=label, reason=f"label {label} exists already in domain"
                                  f" {self.domain.domain_id} (data store {taken[label]}): labels are unique in a"
                                  " domain (R3); choose another label")
            else:
                accepted.append(label)
        dsmtc = vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC and not decision.catalog_only
        if dsmtc and accepted:
            accepted = self._add_tape_volumes(vg, accepted, req.user or "SUPER.SUPER", resp)
        now = self.node.utc_now()
        access = ds.domain_access
        events = []
        with self.node.store.transaction(f"create volumes in {vg.id}") as txn:
            for label in accepted:
                if self._load(txn.db, label) is not None:
                    resp.rejected.add(label=label, reason=f"label {label} was created meanwhile: labels are unique"
                                      " in a domain (R3)")
                    continue
                vol = self._new_record(label, req, vg, ds, dsmtc, now)
                events.append(self._event(txn.db, vol, bb.VOLUME_EVENT_KIND_CREATED,
                                          bb.VOLUME_EVENT_SOURCE_INTERACTIVE, access, user=req.user))
                self._save(txn.db, vol, insert=True)
                resp.volumes.append(vol)
        resp.event_sequences.extend(e.sequence for e in events)
        self.after_commit(events)
        return resp

    def _add_tape_volumes(self, vg: bb.VolumeGroup, labels: list[str], user: str,
                          resp: bb.CreateVolumesResponse) -> list[str]:
        """MEDIACOM ADD TAPEVOLUME in the group's VOLCAT / POOL; refused labels go to `rejected` (R3, R13)."""
        stub = self.domain.media_catalog(vg.volcat)
        ok = []
        for label in labels:
            try:
                stub.AddTapeVolume(mc.AddTapeVolumeRequest(volume=mc.TapeVolume(
                    volser=label, volcat=vg.volcat, pool=vg.pool, media_type=DSMTC_TYPES.get(vg.media_type, vg.media_type),
                    label=mc.LABEL_TYPE_ANSI, status=mc.VOLUME_STATUS_SCRATCH), user=user),
                    timeout=rpc.DEFAULT_DEADLINE)
                ok.append(label)
            except grpc.RpcError as exc:
                if rpc.is_indefinite(exc):
                    raise
                code = rpc.mediacom_error(exc) or 0
                resp.rejected.add(label=label, reason=f"DSM/TC refused ADD TAPEVOLUME {label} in {vg.volcat} pool"
                                  f" {vg.pool}: {exc.details()}", error_code=code)
        return ok

    def _new_record(self, label: str, req: bb.CreateVolumesRequest, vg: bb.VolumeGroup, ds: bb.DataStore,
                    dsmtc: bool, now: datetime) -> bb.BackBoxVolume:
        read_only = ds.domain_access in (SECONDARY, RESTRICTED)
        vol = bb.BackBoxVolume(
            label=label, labeled=not req.unlabeled, volume_group_id=vg.id, data_store_id=ds.id,
            automatic_mount=req.automatic_mount, owner_node=(req.owner_node or self.node.name).upper(),
            owner_user=(req.owner_user or req.user or "SUPER.SUPER").upper(),
            read_access=("?" if ds.domain_access == RESTRICTED else (req.read_access or "A")).upper(),
            write_access="." if read_only else (req.write_access or "A").upper(),
            control_access=(req.control_access or "G").upper(), comment=req.comment, max_size_mb=vg.max_volume_size_mb,
            catalog_type=vg.tape_catalog, tmf_node=vg.tmf_node, media_type=vg.media_type,
            encryption_algorithm=vg.encryption_algorithm)
        for code in (vol.read_access, vol.write_access, vol.control_access):
            if len(code) != 1 or code not in _ACCESS_CODES:
                raise InvalidArgument(f"access code {code!r} is not valid: one of A (any user on the node), G (same"
                                      " group), O (same user), ? (as at backup time), . (disabled)")
        if dsmtc or vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC:
            vol.volcat, vol.pool, vol.filecat = vg.volcat, vg.pool, vg.filecat
        if dsmtc:
            vol.catalog_status = mc.VOLUME_STATUS_SCRATCH
        vol.created_time.FromDatetime(now)
        return vol

    # -- attribute and status changes ------------------------------------------------------------------------
    def update(self, upd: bb.BackBoxVolume, mask: Sequence[str], user: str) -> bb.BackBoxVolume:
        bad = [m for m in mask if m not in _EDITABLE]
        if not mask or bad:
            raise InvalidArgument(f"field_mask {', '.join(bad) or '(empty)'} is not editable: give some of"
                                  f" {', '.join(_EDITABLE)}")
        with self.node.store.transaction(f"update volume {upd.label}") as txn:
            vol = self._must(txn.db, upd.label)
            ds = self.domain.data_store(vol.data_store_id, txn.db)
            for name in mask:
                setattr(vol, name, getattr(upd, name).upper() if name.endswith("_access") else getattr(upd, name))
            for code in (vol.read_access, vol.write_access, vol.control_access):
                if len(code) != 1 or code not in _ACCESS_CODES:
                    raise InvalidArgument(f"access code {code!r} is not valid: one of A, G, O, ? or .")
            if ds.domain_access != PRIMARY and vol.write_access != ".":
                raise InvalidArgument(f"volume {vol.label} is in {ds.domain_access and ds.id} which is not PRIMARY:"
                                      " its write access stays '.' (disabled)")
            ev = self._event(txn.db, vol, bb.VOLUME_EVENT_KIND_UPDATED, bb.VOLUME_EVENT_SOURCE_INTERACTIVE,
                             ds.domain_access, user=user, detail=",".join(mask))
            self._save(txn.db, vol)
        self.after_commit([ev])
        return self.get(vol.label)

    def force_write_access_disabled(self, ds_id: str) -> None:
        """SECONDARY / RESTRICTED stores: WRITE access always '.' (domain-facts §4)."""
        with self.node.store.transaction(f"write access of {ds_id}") as txn:
            for row in list(txn.db.query("SELECT record FROM bb_volume WHERE data_store_id = ?", [ds_id])):
                vol = bb.BackBoxVolume.FromString(row["record"])
                if vol.write_access != ".":
                    vol.write_access = "."
                    self._save(txn.db, vol)

    def alter_status(self, labels: Sequence[str], status: int, user: str) -> bb.AlterVolumeStatusResponse:
        """An interactive BackBox function changing the DSM/TC status (R27 trigger, source INTERACTIVE)."""
        if not labels or len(labels) > MAX_ALTER:
            raise InvalidArgument(f"give 1 to {MAX_ALTER} labels, as ALTER TAPEVOLUME takes")
        resp = bb.AlterVolumeStatusResponse()
        by_volcat: dict[str, list[bb.BackBoxVolume]] = {}
        with self.node.store.read() as db:
            for label in labels:
                vol = self._load(db, label)
                if vol is None:
                    resp.rejected.add(label=label.upper(), reason=f"volume {label.upper()} is not in the catalog")
                elif vol.catalog_type != bb.TAPE_CATALOG_TYPE_DSMTC or not vol.volcat:
                    resp.rejected.add(label=vol.label, reason=f"volume {vol.label} has no DSM/TC catalog: its status"
                                      " cannot be altered")
                else:
                    by_volcat.setdefault(vol.volcat, []).append(vol)
        altered: dict[str, mc.TapeVolume] = {}
        for volcat, vols in by_volcat.items():
            try:
                out = self.domain.media_catalog(volcat).AlterTapeVolume(mc.AlterTapeVolumeRequest(
                    volsers=[v.label for v in vols], volcat=volcat, status=status, user=user or "SUPER.SUPER"),
                    timeout=rpc.DEFAULT_DEADLINE)
                altered.update({t.volser: t for t in out.volumes})
            except grpc.RpcError as exc:
                if rpc.is_indefinite(exc):
                    raise
                code = rpc.mediacom_error(exc) or 0
                for v in vols:
                    resp.rejected.add(label=v.label, reason=exc.details(), error_code=code)
        events = []
        with self.node.store.transaction("alter volume status") as txn:
            for label, tv in altered.items():
                vol = self._must(txn.db, label)
                old = vol.catalog_status
                vol.catalog_status = tv.status
                if old != tv.status:
                    ds = self.domain.data_store(vol.data_store_id, txn.db)
                    events.append(self._event(txn.db, vol, bb.VOLUME_EVENT_KIND_CATALOG_STATUS_CHANGED,
                                              bb.VOLUME_EVENT_SOURCE_INTERACTIVE, ds.domain_access, old_status=old,
                                              new_status=tv.status, user=user))
                    resp.changes.add(label=label, old_status=old, new_status=tv.status)
                self._save(txn.db, vol)
        resp.event_sequences.extend(e.sequence for e in events)
        self.after_commit(events)
        return resp

    def record_status_changes(self, changes: list[tuple[str, mc.TapeVolume, list[mc.TapeFile]]], source: int
                              ) -> list[tuple[bb.VolumeStatusChange, bb.VolumeEvent]]:
        """Bring BackBox records in line with DSM/TC (OBB017); each status change is an event (R27)."""
        out, events = [], []
        with self.node.store.transaction("catalog status refresh") as txn:
            for label, tv, files in changes:
                vol = self._load(txn.db, label)
                if vol is None:
                    continue
                old = vol.catalog_status
                self.apply_dsmtc(vol, tv, files)
                if old != vol.catalog_status:
                    ds = self.domain.data_store(vol.data_store_id, txn.db)
                    ev = self._event(txn.db, vol, bb.VOLUME_EVENT_KIND_CATALOG_STATUS_CHANGED, source,
                                     ds.domain_access, old_status=old, new_status=vol.catalog_status,
                                     process="$OBB017" if source == bb.VOLUME_EVENT_SOURCE_OBB017 else "")
                    events.append(ev)
                    out.append((bb.VolumeStatusChange(label=label, old_status=old, new_status=vol.catalog_status), ev))
                self._save(txn.db, vol)
        self.after_commit(events)
        return out

    def set_freed(self, labels: Iterable[str]) -> None:
        """FREE_EXPIRED / DEL_BACKEDUP removed the images: the volumes are no longer materialized."""
        with self.node.store.transaction("free volumes") as txn:
            for label in labels:
                vol = self._must(txn.db, label)
                vol.materialized = False
                vol.data_bytes = vol.index_bytes = 0
                self._save(txn.db, vol)

    # -- delete, detach, reset -------------------------------------------------------------------------------
    def delete(self, label: str, user: str, keep_image: bool) -> bb.DeleteVolumeResponse:
        """UI delete (R54): refused while the volume holds unexpired data or is in use; removes the DSM/TC
        TAPEVOLUME, the storage images and the BackBox record."""
        vol = self.get(label)
        self._check_free(vol, "deleted")
        resp = bb.DeleteVolumeResponse()
        if vol.catalog_type == bb.TAPE_CATALOG_TYPE_DSMTC and vol.volcat:
            tv, files = self.dsmtc_volume(vol)
            if tv is not None:
                if tv.status in VOLUME_LOCKED_STATUSES or any(f.status == mc.TAPE_FILE_STATUS_VALID for f in files):
                    ref = self.first_valid(vol.label, files)
                    what = f" ({ref.file_id} gen {ref.generation})" if ref else ""
                    raise Conflict(f"volume {vol.label} holds unexpired data{what}: MEDIACOM DELETE TAPEFILE first"
                                   " (the volume then becomes SCRATCH), then delete the volume (R54)")
                self.domain.media_catalog(vol.volcat).DeleteTapeVolume(mc.DeleteTapeVolumeRequest(
                    volser=vol.label, volcat=vol.volcat, user=user or "SUPER.SUPER"), timeout=rpc.DEFAULT_DEADLINE)
                resp.tape_catalog_entry_deleted = True
        if not keep_image and vol.materialized:
            resp.image_deleted = self.domain.backups.delete_image(vol)
        with self.node.store.transaction(f"delete volume {vol.label}") as txn:
            current = self._must(txn.db, vol.label)
            ds = self.domain.data_store(current.data_store_id, txn.db)
            ev = self._event(txn.db, current, bb.VOLUME_EVENT_KIND_DELETED, bb.VOLUME_EVENT_SOURCE_INTERACTIVE,
                             ds.domain_access, user=user)
            txn.db.execute("DELETE FROM bb_volume WHERE label = ?", [vol.label])
            self.domain.events.drop_pending(txn.db, current.data_store_id, [vol.label])
        self.after_commit([ev])
        resp.volume.CopyFrom(vol)
        resp.event_sequence = ev.sequence
        return resp

    @staticmethod
    def _check_free(vol: bb.BackBoxVolume, what: str) -> None:
        if vol.current_operation:
            op = bb.VolumeOperation.Name(vol.current_operation).removeprefix("VOLUME_OPERATION_")
            raise Conflict(f"volume {vol.label} cannot be {what}: {op} in progress on {vol.operation_vtc_id}"
                           f" {vol.operation_drive_id}; wait for it to end, or Reset the volume's operation")

    def catalog_detach(self, req: bb.CatalogDetachRequest) -> bb.CatalogDetachResponse:
        """Remove BackBox records of a store without touching images or DSM/TC entries (R53)."""
        ds = self.domain.data_store(req.data_store_id)
        vols, _, _ = self.list(bb.ListVolumesRequest(data_store_id=ds.id, volume_group_id=req.volume_group_id,
                                                     labels=req.labels, page=common_pb2.PageRequest(page_size=10**9)))
        resp = bb.CatalogDetachResponse()
        with self.node.store.transaction("catalog detach") as txn:
            job = f"CD{self.domain.next_counter(txn.db, 'catalog_detach'):04d}"
        resp.job_id = job
        with self._jobs_lock:
            self._jobs.setdefault(ds.id, []).append(f"Catalog Detach {job}")
        events = []
        try:
            with self.node.store.transaction(f"catalog detach {job}") as txn:
                for vol in vols:
                    current = self._must(txn.db, vol.label)
                    if current.current_operation:
                        resp.rejected.add(label=vol.label, reason=f"volume {vol.label} is in use: wait for the"
                                          " operation to end, or Reset it, then detach again")
                        continue
                    events.append(self._event(txn.db, current, bb.VOLUME_EVENT_KIND_DETACHED,
                                              bb.VOLUME_EVENT_SOURCE_INTERACTIVE, ds.domain_access, user=req.user))
                    txn.db.execute("DELETE FROM bb_volume WHERE label = ?", [vol.label])
                    resp.detached.append(vol.label)
                self.domain.events.drop_pending(txn.db, ds.id, resp.detached)
        finally:
            with self._jobs_lock:
                self._jobs[ds.id].remove(f"Catalog Detach {job}")
        self.after_commit(events)
        return resp

    def reset_operation(self, label: str, user: str) -> tuple[bb.BackBoxVolume, int]:
        with self.node.store.transaction(f"reset {label}") as txn:
            vol = self._must(txn.db, label)
            previous = vol.current_operation
            if previous:
                txn.db.execute("UPDATE bb_operation SET ended = 1 WHERE operation_id = ?", [vol.operation_id])
            self._unlock(vol)
            ds = self.domain.data_store(vol.data_store_id, txn.db)
            ev = self._event(txn.db, vol, bb.VOLUME_EVENT_KIND_OPERATION_RESET, bb.VOLUME_EVENT_SOURCE_INTERACTIVE,
                             ds.domain_access, user=user)
            self._save(txn.db, vol)
        self.after_commit([ev])
        return self.get(label), previous

    @staticmethod
    def _unlock(vol: bb.BackBoxVolume) -> None:
        for name in ("current_operation", "operation_id", "operation_started", "operation_vtc_id",
                     "operation_drive_id"):
            vol.ClearField(name)

    # -- Catalog Sync import ---------------------------------------------------------------------------------
    def upsert(self, options: bb.UpsertVolumesOptions, records: Iterator[bb.BackBoxVolume]
               ) -> bb.UpsertVolumesResponse:
        """Records of an import: gathered from the stream, then applied in ONE transaction at its end (R22), so
        the stream never holds the node's writer while the import also talks to DSM/TC."""
        ds = self.domain.data_store(options.data_store_id)
        decision = decide(ds, bb.DATA_STORE_OPERATION_IMPORT, bb.OPERATION_ORIGIN_UI,
                          catalog_sync_licensed=self.domain.catalog_sync_licensed())
        if not decision.allowed:
            raise Conflict(decision.reason)
        batch = list(records)
        groups = {g.id: g for g in self.domain.volume_groups(ds.id)}
        resp = bb.UpsertVolumesResponse()
        now = self.node.utc_now()
        events: list[bb.VolumeEvent] = []
        try:
            with self.node.store.transaction(f"UpsertVolumes {options.label or ds.id}") as txn:
                resp.transaction_id = txn.id
                for rec in batch:
                    result, reason, ev = self._upsert_one(txn.db, rec, ds, groups, options, now)
                    resp.outcomes.add(label=rec.label, result=result, reason=reason)
                    if ev is not None:
                        events.append(ev)
                if options.process:
                    self._check_process(options.process)
                txn.check()
                if options.dry_run:
                    raise _DryRun()
        except _DryRun:
            events = []  # rolled back: nothing happened, nobody to wake
        counts = {r: sum(1 for o in resp.outcomes if o.result == r) for r in range(1, 5)}
        resp.added, resp.updated = counts[bb.UPSERT_RESULT_ADDED], counts[bb.UPSERT_RESULT_UPDATED]
        resp.unchanged, resp.rejected = counts[bb.UPSERT_RESULT_UNCHANGED], counts[bb.UPSERT_RESULT_REJECTED]
        self.after_commit(events)
        return resp

    def _upsert_one(self, db: sqlite_utils.Database, rec: bb.BackBoxVolume, ds: bb.DataStore,
                    groups: dict[str, bb.VolumeGroup], options: bb.UpsertVolumesOptions, now: datetime
                    ) -> tuple[int, str, bb.VolumeEvent | None]:
        try:
            label = parse_volser(rec.label)
        except EmulatorError as exc:
            return bb.UPSERT_RESULT_REJECTED, exc.message, None
        if rec.data_store_id != ds.id:
            return bb.UPSERT_RESULT_REJECTED, (f"record names data store {rec.data_store_id!r}, the stream imports"
                                               f" into {ds.id}: map it before sending (R10)"), None
        if rec.volume_group_id not in groups:
            return bb.UPSERT_RESULT_REJECTED, (f"volume group {rec.volume_group_id} is not a group of {ds.id}"
                                               " (W3332 territory, R39)"), None
        current = self._load(db, label)
        if current is not None and current.data_store_id != ds.id:  # R3
            return bb.UPSERT_RESULT_REJECTED, (f"label {label} belongs to data store {current.data_store_id} of"
                                               f" this domain: labels are unique in a domain (R3)"), None
        if current is not None and current.current_operation:
            return bb.UPSERT_RESULT_REJECTED, f"volume {label} is in use here: retry the import after it ends", None
        new = bb.BackBoxVolume()
        new.CopyFrom(rec)
        new.label = label
        new.write_access = "."  # SECONDARY: WRITE always disabled (domain-facts §4)
        self._unlock(new)
        new.pending_export = False
        new.imported_export_id = options.export_id
        new.imported_time.FromDatetime(now)
        if current is not None and _same(current, new):
            return bb.UPSERT_RESULT_UNCHANGED, "", None
        ev = self._event(db, new, bb.VOLUME_EVENT_KIND_IMPORTED, bb.VOLUME_EVENT_SOURCE_IMPORT, ds.domain_access,
                         process=options.process)
        self._save(db, new, insert=current is None)
        return (bb.UPSERT_RESULT_ADDED if current is None else bb.UPSERT_RESULT_UPDATED), "", ev

    def _check_process(self, process: str) -> None:
        node, _, short = process.rpartition(".") if process.startswith("\\") else ("", "", process)
        if not node or node.upper() == self.node.name:
            self.node.processes.check_alive(short)

    def delete_records(self, ds_id: str, labels: Sequence[str], process: str) -> bb.DeleteVolumesResponse:
        """FULL import: BackBox records of volumes absent from staging go (R23); images and DSM/TC stay."""
        ds = self.domain.data_store(ds_id)
        decision = decide(ds, bb.DATA_STORE_OPERATION_IMPORT, bb.OPERATION_ORIGIN_UI,
                          catalog_sync_licensed=self.domain.catalog_sync_licensed())
        if not decision.allowed:
            raise Conflict(decision.reason)
        resp = bb.DeleteVolumesResponse()
        events = []
        with self.node.store.transaction(f"DeleteVolumes {ds.id}") as txn:
            resp.transaction_id = txn.id
            for label in labels:
                vol = self._load(txn.db, label)
                if vol is None or vol.data_store_id != ds.id:
                    resp.not_found.append(label.upper())
                    continue
                events.append(self._event(txn.db, vol, bb.VOLUME_EVENT_KIND_DELETED, bb.VOLUME_EVENT_SOURCE_IMPORT,
                                          ds.domain_access, process=process))
                txn.db.execute("DELETE FROM bb_volume WHERE label = ?", [vol.label])
                resp.deleted.append(vol)
            if process:
                self._check_process(process)
        self.after_commit(events)
        return resp


class _DryRun(Exception):
    """Raised inside a dry-run transaction to roll it back."""


def _same(a: bb.BackBoxVolume, b: bb.BackBoxVolume) -> bool:
    x, y = bb.BackBoxVolume(), bb.BackBoxVolume()
    x.CopyFrom(a)
    y.CopyFrom(b)
    for msg in (x, y):
        for name in _COMPARE_IGNORED:
            msg.ClearField(name)
    return x.SerializeToString(deterministic=True) == y.SerializeToString(deterministic=True)


def _page_start(token: str) -> int:
    """The offset a ListVolumes page token stands for; a token this server did not give is the caller's error."""
    try:
        start = int(token or 0)
    except ValueError:
        start = -1
    if start < 0:
        raise InvalidArgument(f"page token {token!r} is not one this server gave: start again with an empty token")
    return start
