"""Replication of a storage folder to one peer storage (DESIGN §2, domain-facts §7): the half of
emulator.storage.StorageStore that configures, pauses, resumes and reverses replication, ships the backlog on the
virtual clock (CONTINUOUS after `lag`, AUTOCOPY on a read/write dismount, retried every 5 minutes up to 12 times),
applies a source's ReplicateIn stream, and lists the replication events and backlog.

`StorageReplication` is a mixin: it holds no state of its own and runs only as a base of `StorageStore`, whose
database, lock and image helpers it uses (declared below for readers and type checkers).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from emulator.dsmtc_entries import from_us, to_us
from emulator.errors import Conflict, DiskFull, EmulatorError, InvalidArgument
from emulator.storage_model import (
    ATTEMPT_FAILED, AUTOCOPY, CONTINUOUS, CORRUPT_OBJECT, DAT, DEFAULT_CHUNK, DELETE_REPLICATED, DISK_FULL,
    DROP_OBJECT, GAVE_UP, IND, PAUSED, READ_ONLY, READ_WRITE, RECEIVED, REPLICA, REPLICATED, RESUMED, REVERSED,
    SKIPPED_READ_ONLY, SOURCE, STOP_REPLICA, Chunk, DataLoss, Peer, ReplicateResult, ReplicatedObject,
    ReplicationConfig, ReplicationEvent, ReplicationStatus, SourceInfo, StorageFault, Unavailable, VolumeImage,
    _cfg_from, _cfg_json, _close, _digest, _image_row, _read_chunks, _TempImage, _us_delta, object_name,
)

if TYPE_CHECKING:
    import threading
    from contextlib import AbstractContextManager
    from pathlib import Path
    from typing import BinaryIO

    import sqlite_utils

    from emulator.clock import Clock, Firing


class StorageReplication:
    """Replication of one storage to its peer (a mixin of StorageStore: source and replica sides)."""

    # set by StorageStore.__init__
    storage_id: str
    path: str
    objects_dir: Path
    clock: Clock
    self_endpoint: str
    connect_peer: Callable[[str], Peer]
    owner: str
    _lock: threading.RLock
    _changed: threading.Condition
    _ship_lock: threading.Lock
    _timer_id: int | None
    _closed: bool
    _db: sqlite_utils.Database
    _state: dict[str, Any]

    if TYPE_CHECKING:  # provided by StorageStore
        def _txn(self) -> AbstractContextManager[sqlite_utils.Database]: ...
        def _next_seq(self) -> int: ...
        def _stat(self, name: str) -> VolumeImage | None: ...
        def _open_files(self, name: str) -> tuple[VolumeImage, dict[str, BinaryIO]] | None: ...
        def _remove(self, name: str) -> None: ...
        def _free_for(self, name: str) -> int | None: ...
        def _check_capacity(self, name: str, size: int) -> None: ...
        def _fault_hit(self, kind: str, name: str | None = None) -> StorageFault | None: ...
        def _corrupt(self, name: str) -> None: ...
        def status(self) -> ReplicationStatus: ...

    # -- replication: state ---------------------------------------------------------------------------------
    @property
    def role(self) -> str:
        return self._state["role"]

    @property
    def config(self) -> ReplicationConfig:
        return _cfg_from(self._state["config"])

    def _now_us(self) -> int:
        return to_us(self.clock.now())  # type: ignore[return-value]

    def _event(self, kind: str, label: str = "", labeled: bool = True, attempt: int = 0, message: str = "") -> None:
        self._db.execute("INSERT INTO events (kind, time_us, label, labeled, attempt, message) VALUES (?,?,?,?,?,?)",
                         [kind, self._now_us(), label, int(labeled), attempt, message])

    # -- replication: configuration -------------------------------------------------------------------------
    def configure(self, config: ReplicationConfig, *, replicate_existing: bool = False) -> ReplicationStatus:
        """Make this storage the source replicating to `config.peer` (enabled = False stops replicating)."""
        if not config.enabled:
            with self._txn() as db:
                db.execute("DELETE FROM backlog")
                self._state.update(role="", config=_cfg_json(ReplicationConfig()), paused=False)
                self._rearm()
            return self.status()
        _check_config(config, self.storage_id, self.self_endpoint)
        with self._txn() as db:
            old_role, old = self.role, self.config
            if old_role == REPLICA or old.peer_storage_id != config.peer_storage_id:
                db.execute("DELETE FROM backlog")  # changes meant for another peer do not go to this one
                self._state["paused"] = False
            if old_role == REPLICA:  # R55 step 5: the replica takes over as source
                self._event(REVERSED, message=f"now the source, replicating to {config.peer_storage_id}"
                                              f" (was a replica of {old.peer_storage_id})")
            self._state.update(role=SOURCE, config=_cfg_json(config), replicated_objects=0, failures=0,
                               last_error="")
            if replicate_existing:  # initial seeding: every current image, in change order
                now = self._now_us()
                due = now if config.mode == AUTOCOPY else now + _us_delta(config.lag)
                db.execute("INSERT OR REPLACE INTO backlog SELECT object_name, label, labeled, change_sequence, 0,"
                           " index_bytes + data_bytes, ?, ?, ?, 0 FROM images", [now, now, due])
            self._rearm()
        try:  # an empty stream introduces us: the peer knows its source (and can reverse) before any change
            self.connect_peer(config.peer_address).replicate(self._source(), [])
        except EmulatorError as exc:  # not fatal: the first ship introduces us again; the status shows why
            with self._txn():
                self._state["last_error"] = f"{exc.status}: peer not told at configure: {exc.message}"
        return self.status()

    def _source(self) -> SourceInfo:
        return SourceInfo(self.storage_id, self.self_endpoint, self.path)

    def pause(self) -> ReplicationStatus:
        """Stop shipping; changes keep entering the backlog."""
        return self._set_paused(True)

    def resume(self) -> ReplicationStatus:
        """Ship again: changes already past their lag go at the next clock step."""
        return self._set_paused(False)

    def _set_paused(self, paused: bool) -> ReplicationStatus:
        with self._txn():
            self._require_source("pause or resume")
            if self._state["paused"] != paused:
                self._state["paused"] = paused
                self._event(PAUSED if paused else RESUMED)
            self._rearm()
        return self.status()

    def _require_source(self, what: str) -> ReplicationConfig:
        if self.role != SOURCE:
            peer = self.config.peer_storage_id
            hint = f"{what} on its source {peer}" if self.role == REPLICA else "configure replication first"
            raise Conflict(f"storage {self.storage_id} is not a replication source (role {self.role or 'none'}):"
                           f" {hint}")
        return self.config

    def reverse(self, force: bool = False) -> tuple[ReplicationStatus, list[str]]:
        """Swap source and replica (R55 step 5); on the replica the call goes to the source."""
        if self.role == REPLICA:
            return self._reverse_from_replica(force)
        with self._ship_lock:  # no ship in between; the lock is free during the call so the peer can reach us
            with self._txn() as db:
                cfg = self._require_source("reverse replication")
                rows = list(db.query("SELECT * FROM backlog ORDER BY seq"))
                dropped = [r["label"] for r in rows]
                if rows and not force:
                    raise Conflict(
                        f"reverse refused: {len(rows)} change(s) of storage {self.storage_id} are not on"
                        f" {cfg.peer_storage_id} yet ({', '.join(r['object_name'] for r in rows[:10])}): Sync with"
                        " ignore_lag to ship them first, or reverse with force to drop them")
                if not self.self_endpoint:
                    raise Conflict(f"storage {self.storage_id} does not know its own address: serve it with"
                                   " serve_storage (or set self_endpoint) before reversing")
                paused = self._state["paused"]
                db.execute("DELETE FROM backlog")
                self._state.update(role=REPLICA, paused=False)
                self._rearm()
            try:  # the peer becomes the source and ships back here
                self.connect_peer(cfg.peer_address).configure(replace(
                    cfg, peer_storage_id=self.storage_id, peer_address=self.self_endpoint, peer_node="",
                    peer_path=self.path))
            except EmulatorError as exc:
                with self._txn() as db:  # the peer did not switch: stay the source, backlog as it was
                    self._state.update(role=SOURCE, paused=paused)
                    for row in rows:
                        db["backlog"].insert(row, replace=True)
                    self._rearm()
                exc.message = f"reverse failed, {self.storage_id} stays the source: {exc.message}"
                exc.args = (exc.message,)
                raise
            with self._txn():
                note = f"; dropped unsent: {', '.join(dropped)}" if dropped else ""
                self._event(REVERSED, message=f"now a replica of {cfg.peer_storage_id}{note}")
        return self.status(), dropped

    def _reverse_from_replica(self, force: bool) -> tuple[ReplicationStatus, list[str]]:
        cfg = self.config
        try:
            dropped = self.connect_peer(cfg.peer_address).reverse(force)
        except EmulatorError as exc:
            unreachable = isinstance(exc, Unavailable)  # the peer client's class for an indefinite failure
            if unreachable and not force:
                exc.message = (f"{exc.message}; source {cfg.peer_storage_id} is unreachable: reverse with force to"
                               f" make {self.storage_id} the source on its own")
                exc.args = (exc.message,)
            if not (force and unreachable):
                raise
            # the source is gone: force lets the replica take over alone (its unsent changes are lost there)
            with self._txn():
                self._state.update(role=SOURCE, paused=False,
                                   config=_cfg_json(replace(cfg, enabled=True, mode=cfg.mode or CONTINUOUS)))
                self._event(REVERSED, message=f"took over as source: {cfg.peer_storage_id} is unreachable"
                                              f" ({exc.message})")
                self._rearm()
            dropped = []
        return self.status(), dropped

    # -- replication: shipping ------------------------------------------------------------------------------
    def _enqueue(self, image: VolumeImage, *, deleted: bool) -> None:
        """Record a put / delete for the replica (CONTINUOUS); AUTOCOPY ships only on dismount."""
        if self.role != SOURCE:
            return
        cfg, name, db = self.config, image.object_name, self._db
        if cfg.mode == AUTOCOPY or (deleted and cfg.keep_deleted_on_replica):
            if deleted:
                db.execute("DELETE FROM backlog WHERE object_name = ?", [name])
            return
        row, now = _backlog_row(image, deleted), self._now_us()
        # a change already waiting keeps its queue time and due time: the lag counts from the oldest unsent change
        if db.execute("UPDATE backlog SET seq = ?, deleted = ?, bytes = ?, changed_us = ? WHERE object_name = ?",
                      [row["seq"], row["deleted"], row["bytes"], now, name]).rowcount == 0:
            db["backlog"].insert({**row, "queued_us": now, "changed_us": now, "due_us": now + _us_delta(cfg.lag)})
        self._rearm()

    def _rearm(self) -> None:
        """One timer at the earliest due change (a past due fires at the next clock step)."""
        if self._timer_id is not None:
            self.clock.cancel(self._timer_id)
            self._timer_id = None
        if self._closed or self.role != SOURCE or self._state["paused"]:
            return
        due = self._db.execute("SELECT MIN(due_us) FROM backlog").fetchone()[0]
        if due is not None:
            name = "autocopy" if self.config.mode == AUTOCOPY else "replicate"
            self._timer_id = self.clock.register(self.owner, name, due=from_us(due), callback=self._on_timer).id

    def _on_timer(self, firing: Firing) -> None:
        with self._lock:
            if self._closed or firing.timer_id != self._timer_id:
                return  # a timer re-armed or cancelled in the meantime
            self._timer_id = None
        self._ship()

    def _ship(self, *, ignore_lag: bool = False, labels: set[str] | None = None) -> None:
        """Ship the due changes (all with `ignore_lag`) in one ReplicateIn stream.

        R2: volume images reach the other site by storage replication, never by Catalog Sync."""
        with self._ship_lock:
            with self._lock:
                if self._closed or self.role != SOURCE or self._state["paused"]:
                    return
                cfg = self.config
                rows = [r for r in self._db.query("SELECT * FROM backlog WHERE ? OR due_us <= ? ORDER BY seq",
                                                  [int(ignore_lag), self._now_us()])
                        if labels is None or r["label"] in labels]
                if not rows:
                    self._rearm()
                    return
            damaged: set[str] = set()
            try:
                self.connect_peer(cfg.peer_address).replicate(self._source(), self._outgoing(rows, damaged))
            except EmulatorError as exc:
                self._ship_failed(rows, cfg, exc)
                return
            self._ship_done(rows, cfg, damaged)

    def _outgoing(self, rows: list[dict], damaged: set[str]) -> Iterator[ReplicatedObject | Chunk]:
        """The stream for `rows`; an image whose bytes no longer match its checksum is not sent (`damaged`)."""
        for row in rows:
            if row["deleted"]:
                gone = VolumeImage(row["label"], bool(row["labeled"]), object_name=row["object_name"])
                yield ReplicatedObject(gone, deleted=True, source_sequence=row["seq"])
                continue
            opened = self._open_files(row["object_name"])
            if opened is None:  # lost here (DROP_OBJECT): nothing to send
                continue
            image, files = opened
            try:
                # checked before sending: a damaged copy must neither spread nor block the objects behind it
                if _digest(files) != image.checksum:
                    damaged.add(image.object_name)
                    continue
                yield ReplicatedObject(image, source_sequence=image.change_sequence)
                yield from _read_chunks(files, (IND, DAT), DEFAULT_CHUNK)
            finally:
                _close(files)

    def _ship_done(self, rows: list[dict], cfg: ReplicationConfig, damaged: set[str]) -> None:
        with self._txn() as db:
            for row in rows:
                if row["object_name"] in damaged:  # waits for a rewrite, which queues it again
                    db.execute("DELETE FROM backlog WHERE object_name = ? AND seq = ?",
                               [row["object_name"], row["seq"]])
                    self._state["last_error"] = (f"DATA_LOSS: {row['object_name']} is damaged on {self.storage_id}"
                                                 f" (checksum mismatch): not shipped to {cfg.peer_storage_id};"
                                                 " rewrite the volume or restore it from the replica")
                    self._event(ATTEMPT_FAILED, row["label"], bool(row["labeled"]), row["attempts"] + 1,
                                self._state["last_error"])
                    continue
                if not db.execute("DELETE FROM backlog WHERE object_name = ? AND seq = ?",
                                  [row["object_name"], row["seq"]]).rowcount:
                    # changed again while shipping (if still queued): that newer change waits for its own lag
                    db.execute("UPDATE backlog SET queued_us = changed_us, due_us = changed_us + ?, attempts = 0"
                               " WHERE object_name = ?", [_us_delta(cfg.lag), row["object_name"]])
                self._event(DELETE_REPLICATED if row["deleted"] else REPLICATED, row["label"],
                            bool(row["labeled"]), row["attempts"] + 1, f"to {cfg.peer_storage_id}")
            shipped = [r for r in rows if r["object_name"] not in damaged]
            if shipped:
                self._state["replicated_objects"] += len(shipped)
                self._state.update(last_replicated_us=self._now_us(), last_replicated_label=shipped[-1]["label"],
                                   last_replicated_sequence=max(r["seq"] for r in shipped))
            self._rearm()

    def _ship_failed(self, rows: list[dict], cfg: ReplicationConfig, exc: EmulatorError) -> None:
        with self._txn() as db:
            retry_at = self._now_us() + _us_delta(cfg.retry)
            self._state["failures"] += 1
            self._state["last_error"] = f"{exc.status}: {exc.message}"
            for row in rows:
                attempt = row["attempts"] + 1
                if cfg.mode == AUTOCOPY and attempt >= cfg.attempts:  # §7: 12 attempts, then the event log
                    db.execute("DELETE FROM backlog WHERE object_name = ?", [row["object_name"]])
                    self._event(GAVE_UP, row["label"], bool(row["labeled"]), attempt,
                                f"AutoCopy of {row['object_name']} to {cfg.peer_storage_id} failed after {attempt}"
                                f" attempts: {exc.message}; dismount it read/write again to copy it once the"
                                " target is back")
                    continue
                db.execute("UPDATE backlog SET attempts = ?, due_us = ? WHERE object_name = ?",
                           [attempt, retry_at, row["object_name"]])
                if cfg.mode == AUTOCOPY:
                    self._event(ATTEMPT_FAILED, row["label"], bool(row["labeled"]), attempt, exc.message)
            if cfg.mode == CONTINUOUS:  # one event per failed ship, not per object: an outage lasts days
                self._event(ATTEMPT_FAILED, rows[0]["label"], bool(rows[0]["labeled"]), rows[0]["attempts"] + 1,
                            f"{len(rows)} change(s) not shipped to {cfg.peer_storage_id}: {exc.message};"
                            f" next attempt at {from_us(retry_at).isoformat()}")  # type: ignore[union-attr]
            self._rearm()

    def sync(self, *, timeout: timedelta = timedelta(0), ignore_lag: bool = False,
             labels: Iterable[str] = ()) -> tuple[bool, ReplicationStatus]:
        """Ship now (`ignore_lag`, R55 step 5: finish data replication before reversing it) and/or wait up to
        `timeout` of wall time for the backlog to empty."""
        wanted = {label.strip().upper() for label in labels} or None
        with self._lock:
            if self.role == "":
                raise Conflict(f"storage {self.storage_id} does not replicate: configure replication first")
            if self.role == REPLICA:
                return True, self.status()
        if ignore_lag:
            self._ship(ignore_lag=True, labels=wanted)
        deadline = time.monotonic() + timeout.total_seconds()
        with self._changed:
            while self._pending(wanted) and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            caught_up = not self._pending(wanted)
        return caught_up, self.status()

    def _pending(self, labels: set[str] | None) -> bool:
        rows = self._db.execute("SELECT label FROM backlog").fetchall()
        return any(labels is None or r[0] in labels for r in rows)

    def notify_dismount(self, label: str, labeled: bool = True, access: str = READ_WRITE) -> tuple[bool, str]:
        """AutoCopy: a read/write dismount schedules a copy now; a read-only one is not copied (domain-facts §7)."""
        name = object_name(label, labeled)
        if access not in (READ_WRITE, READ_ONLY):
            raise InvalidArgument(f"dismount access {access!r} is not valid: say READ_WRITE or READ_ONLY")
        with self._txn() as db:
            cfg = self.config
            if self.role != SOURCE or cfg.mode != AUTOCOPY:
                return False, (f"storage {self.storage_id} does not AutoCopy (role {self.role or 'none'}, mode"
                               f" {cfg.mode if self.role else 'none'}): no copy on dismount")
            if access == READ_ONLY:
                self._event(SKIPPED_READ_ONLY, name[2:], labeled, message=f"{name} dismounted read-only: not copied")
                return False, f"{name} was mounted read-only (no ring): not modified, not copied"
            image = self._stat(name)
            if image is None:
                return False, f"no image {name} on storage {self.storage_id}: nothing to copy"
            now = self._now_us()
            db["backlog"].insert({**_backlog_row(image), "queued_us": now, "changed_us": now, "due_us": now},
                                 replace=True)
            self._rearm()
        return True, f"copy of {name} to {cfg.peer_storage_id} scheduled"

    # -- replication: receiving -----------------------------------------------------------------------------
    def replicate_in(self, source: SourceInfo, items: Iterable[ReplicatedObject | Chunk]) -> ReplicateResult:
        """Apply a source's stream: each object is verified against its checksum and committed on its own."""
        if (fault := self._fault_hit(STOP_REPLICA)) is not None:
            raise Unavailable(f"storage {self.storage_id} is stopped as a replica (fault {fault.id}): clear the"
                              " fault and the source's backlog will drain")
        if (fault := self._fault_hit(DISK_FULL)) is not None:
            raise DiskFull(f"replica {self.storage_id} ({self.path}) is full (fault {fault.id}): clear the fault"
                           " or free space; the source retries")
        with self._txn():
            cfg = self.config
            if self.role == SOURCE:
                raise Conflict(f"storage {self.storage_id} is itself a replication source (to {cfg.peer_storage_id})"
                               f": it does not take objects from {source.storage_id}; reverse or reconfigure one")
            if self.role == REPLICA and cfg.peer_storage_id not in ("", source.storage_id):
                raise Conflict(f"storage {self.storage_id} is a replica of {cfg.peer_storage_id}, not of"
                               f" {source.storage_id}: stop that replication (configure enabled = false) first")
            if self.role != REPLICA:  # the mode is the source's business: unknown here
                cfg = ReplicationConfig(mode="")
            self._state.update(role=REPLICA, config=_cfg_json(replace(
                cfg, enabled=True, peer_storage_id=source.storage_id, peer_address=source.address or cfg.peer_address,
                peer_path=source.path or cfg.peer_path)))
        applied = ignored = nbytes = last = 0
        current: tuple[ReplicatedObject, _TempImage] | None = None
        try:
            for item in items:
                if isinstance(item, Chunk):
                    if current is None:
                        raise InvalidArgument("a chunk came before its object header: send the object first")
                    current[1].write(item)
                    continue
                if current is not None:
                    done = self._apply(source, *current)
                    applied, ignored, nbytes = applied + done, ignored + (not done), nbytes + current[1].total
                    current = None
                last = max(last, item.source_sequence)
                name = object_name(item.image.label, item.image.labeled)
                if item.deleted:
                    done = self._apply_delete(source, item, name)
                    applied, ignored = applied + done, ignored + (not done)
                    continue
                drop = bool(self._stale(source, name, item.source_sequence) or self._fault_hit(DROP_OBJECT, name))
                current = (item, _TempImage(self.objects_dir, f"{name} on replica {self.storage_id}",
                                            None if drop else self._free_for(name), sink=drop))
            if current is not None:
                done = self._apply(source, *current)
                applied, ignored, nbytes = applied + done, ignored + (not done), nbytes + current[1].total
        finally:
            if current is not None:
                current[1].discard()
        return ReplicateResult(applied, ignored, nbytes, last)

    def _stale(self, source: SourceInfo, name: str, sequence: int) -> bool:
        """An object no newer than the copy from the same source (other copies: the new source wins)."""
        old = self._stat(name)
        return bool(old and old.replica and old.source_storage_id == source.storage_id
                    and sequence <= old.source_sequence)

    def _apply(self, source: SourceInfo, obj: ReplicatedObject, tmp: _TempImage) -> bool:
        name = object_name(obj.image.label, obj.image.labeled)
        checksum = tmp.finish()
        if not tmp.files:  # stale or dropped by a fault: read and discarded
            return False
        if checksum != obj.image.checksum:
            raise DataLoss(f"object {name} from {source.storage_id} arrived damaged (hash {checksum[:16]}…, header"
                           f" {obj.image.checksum[:16]}…): the source copy is corrupt; rewrite or delete it there")
        with self._txn() as db:
            if self._stale(source, name, obj.source_sequence):
                return False
            self._check_capacity(name, tmp.total)
            image = replace(obj.image, label=name[2:], object_name=name, path=self.path, index_bytes=tmp.sizes[IND],
                            data_bytes=tmp.sizes[DAT], change_sequence=self._next_seq(), replica=True,
                            source_storage_id=source.storage_id, source_sequence=obj.source_sequence,
                            modified_time=obj.image.modified_time or self.clock.now())
            tmp.commit(self.objects_dir, name)
            db["images"].upsert(_image_row(image), pk="object_name")
            self._event(RECEIVED, image.label, image.labeled, message=f"from {source.storage_id}")
        if self._fault_hit(CORRUPT_OBJECT, name) is not None:  # bytes rot after the check: found on read
            self._corrupt(name)
        return True

    def _apply_delete(self, source: SourceInfo, obj: ReplicatedObject, name: str) -> bool:
        with self._txn():
            if self._stale(source, name, obj.source_sequence) or self._stat(name) is None:
                return False
            self._remove(name)
            self._next_seq()
            self._event(RECEIVED, name[2:], obj.image.labeled, message=f"deleted, from {source.storage_id}")
        return True

    # -- replication: views ---------------------------------------------------------------------------------
    def events(self, after_sequence: int = 0, limit: int = 0) -> tuple[list[ReplicationEvent], int]:
        """Replication events after `after_sequence` (at most `limit`, 0 = 1,000) and the last one's sequence."""
        if limit < 0:
            raise InvalidArgument(f"limit {limit} is negative: use 0 for the default (1,000)")
        with self._lock:
            rows = list(self._db.query("SELECT * FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?",
                                       [after_sequence, limit or 1000]))
        events = [ReplicationEvent(r["sequence"], r["kind"], from_us(r["time_us"]), r["label"], bool(r["labeled"]),
                                   r["attempt"], r["message"]) for r in rows]  # type: ignore[arg-type]
        return events, (events[-1].sequence if events else after_sequence)

    def backlog(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{"object_name": r["object_name"], "sequence": r["seq"], "deleted": bool(r["deleted"]),
                     "bytes": r["bytes"], "attempts": r["attempts"],
                     "due": from_us(r["due_us"]).isoformat()}  # type: ignore[union-attr]
                    for r in self._db.query("SELECT * FROM backlog ORDER BY seq")]


def _backlog_row(image: VolumeImage, deleted: bool = False) -> dict[str, Any]:
    """The backlog columns an image's change fills in; the times and its due are the caller's."""
    return {"object_name": image.object_name, "label": image.label, "labeled": int(image.labeled),
            "seq": image.change_sequence, "deleted": int(deleted),
            "bytes": 0 if deleted else image.index_bytes + image.data_bytes, "attempts": 0}


def _check_config(cfg: ReplicationConfig, storage_id: str, self_endpoint: str) -> None:
    if not cfg.peer_storage_id.strip() or not cfg.peer_address.strip():
        raise InvalidArgument("replication needs the peer's storage id and endpoint address: give both")
    if cfg.peer_storage_id == storage_id or (self_endpoint and cfg.peer_address == self_endpoint):
        raise InvalidArgument(f"storage {storage_id} cannot replicate to itself: name another storage as peer")
    if cfg.mode not in (CONTINUOUS, AUTOCOPY):
        raise InvalidArgument(f"replication mode {cfg.mode!r} is not valid: use CONTINUOUS or AUTOCOPY")
    if cfg.lag < timedelta(0) or cfg.retry_interval < timedelta(0) or cfg.max_attempts < 0:
        raise InvalidArgument("lag, retry interval and max attempts must not be negative (0 = default)")
