"""A storage folder of BackBox volume images (domain-facts §4) and its replication to one peer storage (DESIGN §2,
domain-facts §7): the Storage service's domain object.

Images are real files `<directory>/objects/LB<label>.IND|.DAT` (`NL` for unlabeled volumes), written to temp files
and renamed into place before the metadata commits in `<directory>/storage.sqlite`. Replication is CONTINUOUS (every
put / delete ships after `lag` of virtual time, like DataDomain / QoreStor replication) or AUTOCOPY (VTS AutoCopy:
a read/write dismount copies the image, retried every 5 minutes up to 12 times). Catalog Sync never copies images:
this store does (R2). Shipping goes through a `Peer` (the gRPC client in emulator.servicers.storage by default), so
this module never sees wire types.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

import sqlite_utils

from emulator.clock import Clock, Firing
from emulator.errors import Conflict, DiskFull, EmulatorError, InvalidArgument, NotFound

IND, DAT = "IND", "DAT"
CONTINUOUS, AUTOCOPY = "CONTINUOUS", "AUTOCOPY"
SOURCE, REPLICA = "SOURCE", "REPLICA"
READ_WRITE, READ_ONLY = "READ_WRITE", "READ_ONLY"
DROP_OBJECT, CORRUPT_OBJECT, STOP_REPLICA, DISK_FULL = "DROP_OBJECT", "CORRUPT_OBJECT", "STOP_REPLICA", "DISK_FULL"
FAULT_KINDS = (DROP_OBJECT, CORRUPT_OBJECT, STOP_REPLICA, DISK_FULL)
(REPLICATED, DELETE_REPLICATED, ATTEMPT_FAILED, GAVE_UP, SKIPPED_READ_ONLY, PAUSED, RESUMED, REVERSED,
 RECEIVED) = ("REPLICATED", "DELETE_REPLICATED", "ATTEMPT_FAILED", "GAVE_UP", "SKIPPED_READ_ONLY", "PAUSED",
              "RESUMED", "REVERSED", "RECEIVED")
DEFAULT_CHUNK = 64 * 1024
MAX_CHUNK = 4 * 1024 * 1024
DEFAULT_RETRY = timedelta(minutes=5)   # VTS AutoCopy: retry every 5 minutes (domain-facts §7)
DEFAULT_MAX_ATTEMPTS = 12              # … 12 attempts, then a failure message in the event log
_LABEL = re.compile(r"^[A-Z0-9]{1,6}$")
_PATTERN = re.compile(r"^[A-Z0-9*?]{1,12}$")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class DataLoss(EmulatorError):
    """An image's bytes do not match its checksum (a CORRUPT_OBJECT fault or a damaged copy)."""

    status = "DATA_LOSS"


class Unavailable(EmulatorError):
    """The storage or its peer does not answer (a STOP_REPLICA fault, a peer that is down)."""

    status = "UNAVAILABLE"


@dataclass(frozen=True)
class VolumeImage:
    """Metadata of one image (`LB<label>` / `NL<label>`), as stored here."""

    label: str
    labeled: bool = True
    object_name: str = ""
    path: str = ""
    index_bytes: int = 0
    data_bytes: int = 0
    checksum: str = ""
    modified_time: datetime | None = None
    encrypted: bool = False
    key_manager_id: str = ""
    media_key_name: str = ""
    change_sequence: int = 0
    replica: bool = False
    source_storage_id: str = ""
    source_sequence: int = 0        # replicas: the source's change sequence of this copy


@dataclass(frozen=True)
class Chunk:
    """A piece of an image's IND or DAT content."""

    part: str
    offset: int
    data: bytes


@dataclass(frozen=True)
class ReplicationConfig:
    """Replication to one peer; on a replica the peer is its source."""

    enabled: bool = False
    peer_storage_id: str = ""
    peer_address: str = ""
    peer_node: str = ""
    peer_path: str = ""
    mode: str = CONTINUOUS
    lag: timedelta = timedelta(0)
    retry_interval: timedelta = timedelta(0)   # 0 = 5 minutes
    max_attempts: int = 0                      # 0 = 12 (AUTOCOPY); CONTINUOUS retries until it succeeds
    keep_deleted_on_replica: bool = False

    @property
    def retry(self) -> timedelta:
        return self.retry_interval or DEFAULT_RETRY

    @property
    def attempts(self) -> int:
        return self.max_attempts or DEFAULT_MAX_ATTEMPTS


@dataclass(frozen=True)
class StorageFault:
    """An injected fault; `remaining` operations still affected, 0 = until cleared."""

    id: str
    kind: str
    label: str = ""
    labeled: bool = True
    remaining: int = 0
    injected_time: datetime | None = None


@dataclass(frozen=True)
class ReplicationEvent:
    sequence: int
    kind: str
    time: datetime
    label: str = ""
    labeled: bool = True
    attempt: int = 0
    message: str = ""


@dataclass(frozen=True)
class ReplicationStatus:
    storage_id: str
    role: str
    config: ReplicationConfig
    paused: bool
    lag: timedelta
    backlog_objects: int
    backlog_bytes: int
    last_replicated_time: datetime | None
    last_replicated_label: str
    last_replicated_sequence: int
    replicated_objects: int
    failures: int
    last_error: str
    autocopy_pending: int
    active_faults: list[StorageFault]
    image_count: int
    used_bytes: int
    capacity_bytes: int


@dataclass(frozen=True)
class ReplicatedObject:
    """Header of one object in a replication stream; its chunks follow unless `deleted`."""

    image: VolumeImage
    deleted: bool = False
    source_sequence: int = 0


@dataclass(frozen=True)
class SourceInfo:
    """Who ships: the source's id, the address where its peer reaches it, its folder."""

    storage_id: str
    address: str = ""
    path: str = ""


@dataclass(frozen=True)
class ReplicateResult:
    objects_applied: int = 0
    objects_ignored: int = 0
    bytes: int = 0
    last_source_sequence: int = 0


class Peer(Protocol):
    """The calls a storage makes on its peer (raising EmulatorError, never transport errors)."""

    def replicate(self, source: SourceInfo, items: Iterable[ReplicatedObject | Chunk]) -> ReplicateResult: ...
    def configure(self, config: ReplicationConfig) -> None: ...
    def reverse(self, force: bool) -> list[str]: ...


def object_name(label: str, labeled: bool = True) -> str:
    """`LBEW1008` / `NLEW1008`; the label is checked (1-6 letters or digits)."""
    text = label.strip().upper()
    if not _LABEL.match(text):
        raise InvalidArgument(f"volume label {label!r} is not valid: use 1 to 6 letters or digits (e.g. EW1008)")
    return ("LB" if labeled else "NL") + text


def _us(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _dt(us: int | None) -> datetime | None:
    return None if us is None else _EPOCH + timedelta(microseconds=us)


def _grpc_peer(address: str) -> Peer:
    from emulator.servicers.storage import PeerClient  # noqa: PLC0415 - the adapter imports this module
    return PeerClient(address)


class _TempImage:
    """An image being received: IND then DAT chunks into temp files (or nowhere, `sink`), hashed as they come."""

    def __init__(self, folder: Path, what: str, limit: int = 0, sink: bool = False):
        self.what = what
        stem = folder / f".tmp-{uuid.uuid4().hex}"
        self.paths = {IND: stem.with_suffix(".IND"), DAT: stem.with_suffix(".DAT")}
        self.files = {} if sink else {p: open(path, "wb") for p, path in self.paths.items()}
        self.sizes = {IND: 0, DAT: 0}
        self.limit = limit
        self._hash = hashlib.sha256()
        self._part = IND

    @property
    def total(self) -> int:
        return self.sizes[IND] + self.sizes[DAT]

    def write(self, chunk: Chunk) -> None:
        if chunk.part not in (IND, DAT):
            raise InvalidArgument(f"chunk part {chunk.part!r} is not valid: send IND or DAT chunks")
        if chunk.part == IND and self._part == DAT:
            raise InvalidArgument("an IND chunk came after DAT chunks: send every IND chunk first, then DAT")
        if chunk.offset != self.sizes[chunk.part]:
            raise InvalidArgument(f"{chunk.part} chunk at offset {chunk.offset} does not follow the"
                                  f" {self.sizes[chunk.part]} bytes received: send chunks in order")
        if self.limit and self.total + len(chunk.data) > max(self.limit, 0):
            raise DiskFull(f"{self.what} does not fit: only {max(self.limit, 0)} bytes are free; delete images or"
                           " give the storage more capacity")
        self._part = chunk.part
        if self.files:
            self.files[chunk.part].write(chunk.data)
        self._hash.update(chunk.data)
        self.sizes[chunk.part] += len(chunk.data)

    def finish(self) -> str:
        for f in self.files.values():
            f.close()
        return self._hash.hexdigest()

    def commit(self, folder: Path, name: str) -> None:
        # DAT first: a reader never pairs a new IND with an old DAT that has no metadata yet
        os.replace(self.paths[DAT], folder / f"{name}.DAT")
        os.replace(self.paths[IND], folder / f"{name}.IND")

    def discard(self) -> None:
        for part, path in self.paths.items():
            if part in self.files:
                self.files[part].close()
            path.unlink(missing_ok=True)


class StorageStore:
    """One storage folder (a data store path or a replica / copy pool path) and its replication."""

    def __init__(self, storage_id: str, path: str, directory: Path, clock: Clock, *, capacity_bytes: int = 0,
                 seed: int = 0):
        if not storage_id.strip():
            raise InvalidArgument("storage id is empty: name the storage (e.g. QS1-PRI)")
        if capacity_bytes < 0:
            raise InvalidArgument(f"capacity {capacity_bytes} is negative: give bytes, or 0 for unlimited")
        self.storage_id, self.path = storage_id, path
        self.directory = Path(directory)
        self.objects_dir = self.directory / "objects"
        self.clock = clock
        self.capacity_bytes = capacity_bytes
        self.self_endpoint = ""  # set by serve_storage: the address the peer calls back on (reverse)
        self.connect_peer: Callable[[str], Peer] = _grpc_peer
        self.owner = f"storage:{storage_id}"
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._ship_lock = threading.Lock()  # one ship (or reverse) at a time keeps replication in order
        self._timer_id: int | None = None
        self._closed = False
        self.objects_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.objects_dir.glob(".tmp-*"):  # a write cut by a crash never committed
            stale.unlink()
        conn = sqlite3.connect(self.directory / "storage.sqlite", check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # as node.sqlite: WAL keeps every commit across a crash
        self._db = sqlite_utils.Database(conn)
        self._create_schema()
        self._state = self._load_state()
        with self._lock:
            self._rearm()

    # -- persistence ----------------------------------------------------------------------------------------
    def _create_schema(self) -> None:
        db = self._db
        db["images"].create({"object_name": str, "label": str, "labeled": int, "index_bytes": int,
                             "data_bytes": int, "checksum": str, "modified_us": int, "encrypted": int,
                             "key_manager_id": str, "media_key_name": str, "change_sequence": int, "replica": int,
                             "source_storage_id": str, "source_sequence": int},
                            pk="object_name", if_not_exists=True)
        db["backlog"].create({"object_name": str, "label": str, "labeled": int, "seq": int, "deleted": int,
                              "bytes": int, "queued_us": int, "changed_us": int, "due_us": int, "attempts": int},
                             pk="object_name", if_not_exists=True)
        db["events"].create({"sequence": int, "kind": str, "time_us": int, "label": str, "labeled": int,
                             "attempt": int, "message": str}, pk="sequence", if_not_exists=True)
        db["state"].create({"key": str, "value": str}, pk="key", if_not_exists=True)

    def _load_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"change_seq": 0, "role": "", "config": _cfg_json(ReplicationConfig()),
                                 "paused": False, "replicated_objects": 0, "failures": 0, "last_error": "",
                                 "last_replicated_us": None, "last_replicated_label": "",
                                 "last_replicated_sequence": 0, "fault_seq": 0, "faults": []}
        for row in self._db.query("SELECT value FROM state WHERE key = 'state'"):
            state.update(json.loads(row["value"]))
        return state

    @contextmanager
    def _txn(self) -> Iterator[sqlite_utils.Database]:
        """A transaction (joined when one is open in this thread); in-memory state follows a rollback."""
        with self._lock:
            if self._closed:
                raise Conflict(f"storage {self.storage_id} is closed: open a new StorageStore on its directory")
            conn = self._db.conn
            if conn.in_transaction:
                yield self._db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                conn.execute("INSERT OR REPLACE INTO state VALUES ('state', ?)", [json.dumps(self._state)])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                self._state = self._load_state()
                raise
            self._changed.notify_all()

    def _event(self, kind: str, label: str = "", labeled: bool = True, attempt: int = 0, message: str = "") -> None:
        self._db.execute("INSERT INTO events (kind, time_us, label, labeled, attempt, message) VALUES (?,?,?,?,?,?)",
                         [kind, _us(self.clock.now()), label, int(labeled), attempt, message])

    def _next_seq(self) -> int:
        self._state["change_seq"] += 1
        return self._state["change_seq"]

    @property
    def role(self) -> str:
        return self._state["role"]

    @property
    def config(self) -> ReplicationConfig:
        return _cfg_from(self._state["config"])

    # -- images ---------------------------------------------------------------------------------------------
    def put(self, label: str, index: bytes = b"", data: bytes = b"", *, labeled: bool = True,
            key_manager_id: str = "", media_key_name: str = "", encrypted: bool = False) -> VolumeImage:
        """Write a whole image at once (see `put_stream`)."""
        header = VolumeImage(label, labeled, encrypted=encrypted or bool(key_manager_id),
                             key_manager_id=key_manager_id, media_key_name=media_key_name)
        return self.put_stream(header, [Chunk(IND, 0, index), Chunk(DAT, 0, data)])

    def put_stream(self, header: VolumeImage, chunks: Iterable[Chunk]) -> VolumeImage:
        """Write an image from IND then DAT chunks; it becomes visible only when the stream ends cleanly."""
        name = object_name(header.label, header.labeled)
        if (fault := self._fault_hit(DISK_FULL)) is not None:
            raise DiskFull(f"storage {self.storage_id} ({self.path}) is full (fault {fault.id}): {name} was not"
                           " written; clear the fault or free space, then write it again")
        tmp = _TempImage(self.objects_dir, f"{name} on storage {self.storage_id}", self._free_for(name))
        try:
            for chunk in chunks:
                tmp.write(chunk)
            checksum = tmp.finish()
            with self._txn() as db:
                self._check_capacity(name, tmp.total)
                image = replace(header, label=header.label.strip().upper(), object_name=name, path=self.path,
                                index_bytes=tmp.sizes[IND], data_bytes=tmp.sizes[DAT], checksum=checksum,
                                modified_time=self.clock.now(), change_sequence=self._next_seq(), replica=False,
                                source_storage_id="", source_sequence=0)
                tmp.commit(self.objects_dir, name)
                db["images"].upsert(_image_row(image), pk="object_name")
                self._enqueue(image, deleted=False)
            return image
        finally:
            tmp.discard()

    def stat(self, label: str, labeled: bool = True) -> VolumeImage | None:
        return self._stat(object_name(label, labeled))

    def _stat(self, name: str) -> VolumeImage | None:
        with self._lock:
            rows = list(self._db.query("SELECT * FROM images WHERE object_name = ?", [name]))
        return replace(_image_of(rows[0]), path=self.path) if rows else None

    def open_image(self, label: str, labeled: bool = True, *, parts: Iterable[str] = (), chunk_size: int = 0,
                   verify_checksum: bool = False) -> tuple[VolumeImage, Iterator[Chunk]]:
        """The image's metadata and its chunks (IND first); `verify_checksum` fails DATA_LOSS on a damaged image."""
        name = object_name(label, labeled)
        wanted = list(parts) or [IND, DAT]
        if any(p not in (IND, DAT) for p in wanted):
            raise InvalidArgument(f"parts {wanted} are not valid: ask for IND and/or DAT")
        size = chunk_size or DEFAULT_CHUNK
        if not 0 < size <= MAX_CHUNK:
            raise InvalidArgument(f"chunk size {chunk_size} is out of range: use 1..{MAX_CHUNK} bytes, 0 = 64 KB")
        with self._lock:  # both files opened together: a concurrent put cannot pair new IND with old DAT
            image = self._stat(name)
            if image is None:
                raise NotFound(f"no image {name} on storage {self.storage_id} ({self.path}): list the images to"
                               " see which labels are there")
            handles = {p: open(self.objects_dir / f"{name}.{p}", "rb") for p in (IND, DAT)}
        if verify_checksum:
            digest = hashlib.sha256()
            for p in (IND, DAT):
                while block := handles[p].read(MAX_CHUNK):
                    digest.update(block)
                handles[p].seek(0)
            if digest.hexdigest() != image.checksum:
                for h in handles.values():
                    h.close()
                raise DataLoss(f"image {name} on storage {self.storage_id} is damaged: its bytes hash to"
                               f" {digest.hexdigest()[:16]}…, not {image.checksum[:16]}…; restore it from the"
                               " replica or rewrite the volume")

        def chunks() -> Iterator[Chunk]:
            try:
                for p in wanted:
                    offset = 0
                    while block := handles[p].read(size):
                        yield Chunk(p, offset, block)
                        offset += len(block)
            finally:
                for h in handles.values():
                    h.close()
        return image, chunks()

    def get(self, label: str, labeled: bool = True, *, verify_checksum: bool = False
            ) -> tuple[VolumeImage, bytes, bytes]:
        """The image's metadata, IND and DAT bytes."""
        image, chunks = self.open_image(label, labeled, verify_checksum=verify_checksum)
        content = {IND: bytearray(), DAT: bytearray()}
        for chunk in chunks:
            content[chunk.part] += chunk.data
        return image, bytes(content[IND]), bytes(content[DAT])

    def list_images(self, pattern: str = "", *, page_size: int = 0, page_token: str = ""
                    ) -> tuple[list[VolumeImage], str, int]:
        """Images whose label matches `pattern` (`EW*`, `?` = one character): (page, next token, total)."""
        glob = pattern.strip().upper() or "*"
        if not _PATTERN.match(glob):
            raise InvalidArgument(f"label pattern {pattern!r} is not valid: use letters, digits, * and ? (e.g. EW*)")
        if page_size < 0:
            raise InvalidArgument(f"page size {page_size} is negative: use 0 for the default (1,000)")
        size = page_size or 1000
        with self._lock:
            total = self._db.execute("SELECT COUNT(*) FROM images WHERE label GLOB ?", [glob]).fetchone()[0]
            rows = list(self._db.query("SELECT * FROM images WHERE label GLOB ? AND object_name > ?"
                                       " ORDER BY object_name LIMIT ?", [glob, page_token, size + 1]))
        images = [replace(_image_of(r), path=self.path) for r in rows[:size]]
        return images, (images[-1].object_name if len(rows) > size else ""), total

    def delete(self, label: str, labeled: bool = True) -> bool:
        """Delete an image; False when there was none."""
        name = object_name(label, labeled)
        with self._txn():
            image = self._stat(name)
            if image is None:
                return False
            self._remove(name)
            self._enqueue(replace(image, change_sequence=self._next_seq()), deleted=True)
        return True

    def _remove(self, name: str) -> None:
        self._db.execute("DELETE FROM images WHERE object_name = ?", [name])
        for p in (IND, DAT):
            (self.objects_dir / f"{name}.{p}").unlink(missing_ok=True)

    def used_bytes(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COALESCE(SUM(index_bytes + data_bytes), 0) FROM images").fetchone()[0]

    def _free_for(self, name: str) -> int:
        """Bytes an image of this name may take (0 = unlimited): capacity minus the other images."""
        if not self.capacity_bytes:
            return 0
        old = self._stat(name)
        taken = self.used_bytes() - (old.index_bytes + old.data_bytes if old else 0)
        return max(self.capacity_bytes - taken, 0) or -1  # -1: no room at all (0 would read as unlimited)

    def _check_capacity(self, name: str, size: int) -> None:
        free = self._free_for(name)
        if free and size > max(free, 0):
            raise DiskFull(f"storage {self.storage_id} ({self.path}) is full: {name} needs {size} bytes, "
                           f"{max(free, 0)} are free of {self.capacity_bytes}; delete images or raise the capacity")

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
                now = _us(self.clock.now())
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
            unreachable = exc.status in ("UNAVAILABLE", "DEADLINE_EXCEEDED")
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
        now, size = _us(self.clock.now()), image.index_bytes + image.data_bytes
        if db.execute("UPDATE backlog SET seq = ?, deleted = ?, bytes = ?, changed_us = ? WHERE object_name = ?",
                      [image.change_sequence, int(deleted), 0 if deleted else size, now, name]).rowcount == 0:
            db["backlog"].insert({"object_name": name, "label": image.label, "labeled": int(image.labeled),
                                  "seq": image.change_sequence, "deleted": int(deleted),
                                  "bytes": 0 if deleted else size, "queued_us": now, "changed_us": now,
                                  "due_us": now + _us_delta(cfg.lag), "attempts": 0})
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
            self._timer_id = self.clock.register(self.owner, name, due=_dt(due), callback=self._on_timer).id

    def _on_timer(self, firing: Firing) -> None:
        with self._lock:
            if self._closed or firing.timer_id != self._timer_id:
                return  # a timer re-armed or cancelled in the meantime
            self._timer_id = None
        self._ship()

    def _ship(self, *, ignore_lag: bool = False, labels: set[str] | None = None) -> bool:
        """Ship the due changes (all with `ignore_lag`) in one ReplicateIn stream; False if it failed."""
        with self._ship_lock:
            with self._lock:
                if self._closed or self.role != SOURCE or self._state["paused"]:
                    return False
                cfg, now = self.config, _us(self.clock.now())
                rows = [r for r in self._db.query("SELECT * FROM backlog WHERE ? OR due_us <= ? ORDER BY seq",
                                                  [int(ignore_lag), now])
                        if labels is None or r["label"] in labels]
                if not rows:
                    self._rearm()
                    return True
            damaged: set[str] = set()
            try:
                self.connect_peer(cfg.peer_address).replicate(self._source(), self._outgoing(rows, damaged))
            except EmulatorError as exc:
                self._ship_failed(rows, cfg, exc)
                return False
            self._ship_done(rows, cfg, damaged)
            return True

    def _outgoing(self, rows: list[dict], damaged: set[str]) -> Iterator[ReplicatedObject | Chunk]:
        """The stream for `rows`; an image whose bytes no longer match its checksum is not sent (`damaged`)."""
        for row in rows:
            if row["deleted"]:
                gone = VolumeImage(row["label"], bool(row["labeled"]), object_name=row["object_name"])
                yield ReplicatedObject(gone, deleted=True, source_sequence=row["seq"])
                continue
            with self._lock:
                image = self._stat(row["object_name"])
                if image is None:  # lost here (DROP_OBJECT): nothing to send
                    continue
                handles = [open(self.objects_dir / f"{image.object_name}.{p}", "rb") for p in (IND, DAT)]
            try:
                # checked before sending: a damaged copy must neither spread nor block the objects behind it
                digest = hashlib.sha256()
                for handle in handles:
                    while block := handle.read(MAX_CHUNK):
                        digest.update(block)
                    handle.seek(0)
                if digest.hexdigest() != image.checksum:
                    damaged.add(image.object_name)
                    continue
                yield ReplicatedObject(image, source_sequence=image.change_sequence)
                for part, handle in zip((IND, DAT), handles):
                    offset = 0
                    while block := handle.read(DEFAULT_CHUNK):
                        yield Chunk(part, offset, block)
                        offset += len(block)
            finally:
                for handle in handles:
                    handle.close()

    def _ship_done(self, rows: list[dict], cfg: ReplicationConfig, damaged: set[str]) -> None:
        with self._txn() as db:
            for row in rows:
                if row["object_name"] in damaged:  # waits for a rewrite, which queues it again
                    db.execute("DELETE FROM backlog WHERE object_name = ? AND seq = ?", [row["object_name"], row["seq"]])
                    self._state["last_error"] = (f"DATA_LOSS: {row['object_name']} is damaged on {self.storage_id}"
                                                 f" (checksum mismatch): not shipped to {cfg.peer_storage_id};"
                                                 " rewrite the volume or restore it from the replica")
                    self._event(ATTEMPT_FAILED, row["label"], bool(row["labeled"]), row["attempts"] + 1,
                                self._state["last_error"])
                    continue
                now_row = list(db.query("SELECT * FROM backlog WHERE object_name = ?", [row["object_name"]]))
                if now_row and now_row[0]["seq"] == row["seq"]:
                    db.execute("DELETE FROM backlog WHERE object_name = ?", [row["object_name"]])
                elif now_row:  # changed again while shipping: that newer change waits for its own lag
                    changed = now_row[0]["changed_us"]
                    db.execute("UPDATE backlog SET queued_us = ?, due_us = ?, attempts = 0 WHERE object_name = ?",
                               [changed, changed + _us_delta(cfg.lag), row["object_name"]])
                self._event(DELETE_REPLICATED if row["deleted"] else REPLICATED, row["label"],
                            bool(row["labeled"]), row["attempts"] + 1, f"to {cfg.peer_storage_id}")
            shipped = [r for r in rows if r["object_name"] not in damaged]
            if shipped:
                self._state["replicated_objects"] += len(shipped)
                self._state.update(last_replicated_us=_us(self.clock.now()), last_replicated_label=shipped[-1]["label"],
                                   last_replicated_sequence=max(r["seq"] for r in shipped))
            self._rearm()

    def _ship_failed(self, rows: list[dict], cfg: ReplicationConfig, exc: EmulatorError) -> None:
        with self._txn() as db:
            now = self.clock.now()
            retry_at = _us(now + cfg.retry)
            self._state["failures"] += 1
            self._state["last_error"] = f"{exc.status}: {exc.message}"
            for row in rows:
                attempt = row["attempts"] + 1
                if cfg.mode == AUTOCOPY and attempt >= cfg.attempts:  # VTS: 12 attempts, then the event log
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
                            f" next attempt at {_dt(retry_at).isoformat()}")  # type: ignore[union-attr]
            self._rearm()

    def sync(self, *, timeout: timedelta = timedelta(0), ignore_lag: bool = False,
             labels: Iterable[str] = ()) -> tuple[bool, ReplicationStatus]:
        """Ship now (`ignore_lag`) and/or wait up to `timeout` of wall time for the backlog to empty."""
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
            now = _us(self.clock.now())
            db["backlog"].insert({"object_name": name, "label": image.label, "labeled": int(labeled),
                                  "seq": image.change_sequence, "deleted": 0,
                                  "bytes": image.index_bytes + image.data_bytes, "queued_us": now, "changed_us": now,
                                  "due_us": now, "attempts": 0}, replace=True)
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
                drop = self._stale(source, name, item.source_sequence) or self._fault_hit(DROP_OBJECT, name)
                current = (item, _TempImage(self.objects_dir, f"{name} on replica {self.storage_id}",
                                            self._free_for(name), sink=bool(drop)))
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

    # -- faults ---------------------------------------------------------------------------------------------
    def inject_fault(self, kind: str, label: str = "", labeled: bool = True, count: int = 0) -> StorageFault:
        """Inject a fault (as injected is returned); DROP / CORRUPT act on matching images now, one op each."""
        if kind not in FAULT_KINDS:
            raise InvalidArgument(f"storage fault {kind!r} is not valid: use one of {', '.join(FAULT_KINDS)}")
        if count < 0:
            raise InvalidArgument(f"count {count} is negative: give the operations to affect, 0 = until cleared")
        target = object_name(label, labeled)[2:] if label.strip() and kind in (DROP_OBJECT, CORRUPT_OBJECT) else ""
        with self._txn() as db:
            self._state["fault_seq"] += 1
            fault = StorageFault(f"F{self._state['fault_seq']}", kind, target, labeled, count, self.clock.now())
            self._state["faults"] = [*self._state["faults"], _fault_json(fault)]
            if kind in (DROP_OBJECT, CORRUPT_OBJECT):
                glob = target or "*"
                rows = db.execute("SELECT object_name, index_bytes + data_bytes FROM images WHERE label GLOB ?"
                                  " AND (? = '' OR labeled = ?) ORDER BY object_name",
                                  [glob, target, int(labeled)]).fetchall()
                for name, size in rows:
                    if kind == CORRUPT_OBJECT and not size:
                        continue  # no byte to flip
                    if self._fault_hit(kind, name) is None:
                        break  # its count is used up
                    if kind == DROP_OBJECT:
                        self._remove(name)  # lost, not deleted: nothing goes to the replica
                    else:
                        self._corrupt(name)
        return fault

    def clear_fault(self, fault_id: str = "") -> int:
        """Clear one fault, or every fault when `fault_id` is empty; return how many."""
        with self._txn():
            faults = self._state["faults"]
            keep = [f for f in faults if fault_id and f["id"] != fault_id]
            if fault_id and len(keep) == len(faults):
                raise NotFound(f"no fault {fault_id} on storage {self.storage_id}: list the active faults in the"
                               " replication status")
            self._state["faults"] = keep
        return len(faults) - len(keep)

    def faults(self) -> list[StorageFault]:
        with self._lock:
            return [_fault_of(f) for f in self._state["faults"]]

    def _fault_hit(self, kind: str, name: str | None = None) -> StorageFault | None:
        """The active fault of `kind` matching `name`, counting one operation against it."""
        with self._lock:
            if not any(f["kind"] == kind for f in self._state["faults"]):
                return None  # the common case costs no transaction
        with self._txn():
            for i, f in enumerate(self._state["faults"]):
                if f["kind"] != kind or (name is not None and f["label"] and
                                         (f["label"] != name[2:] or f["labeled"] != name.startswith("LB"))):
                    continue
                faults = list(self._state["faults"])
                if f["remaining"] == 1:
                    del faults[i]
                elif f["remaining"] > 1:
                    faults[i] = {**f, "remaining": f["remaining"] - 1}
                self._state["faults"] = faults
                return _fault_of(f)
        return None

    def _corrupt(self, name: str) -> bool:
        """Flip one byte of the stored DAT (IND if DAT is empty), chosen by the seed."""
        for part in (DAT, IND):
            target = self.objects_dir / f"{name}.{part}"
            size = target.stat().st_size if target.exists() else 0
            if size:
                with open(target, "r+b") as f:
                    f.seek(self._rng.randrange(size))
                    byte = f.read(1)
                    f.seek(-1, os.SEEK_CUR)
                    f.write(bytes([byte[0] ^ 0xFF]))
                return True
        return False

    # -- views ----------------------------------------------------------------------------------------------
    def status(self) -> ReplicationStatus:
        with self._lock:
            st, cfg = self._state, self.config
            count, size, oldest = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(bytes), 0), MIN(queued_us) FROM backlog").fetchone()
            images = self._db.execute("SELECT COUNT(*) FROM images").fetchone()[0]
            now = self.clock.now()
            return ReplicationStatus(
                self.storage_id, st["role"], cfg, st["paused"],
                max(now - _dt(oldest), timedelta(0)) if oldest is not None else timedelta(0),  # type: ignore[operator]
                count, size, _dt(st["last_replicated_us"]), st["last_replicated_label"],
                st["last_replicated_sequence"], st["replicated_objects"], st["failures"], st["last_error"],
                count if st["role"] == SOURCE and cfg.mode == AUTOCOPY else 0, self.faults(), images,
                self.used_bytes(), self.capacity_bytes)

    def events(self, after_sequence: int = 0, limit: int = 0) -> tuple[list[ReplicationEvent], int]:
        """Replication events after `after_sequence` (at most `limit`, 0 = 1,000) and the last one's sequence."""
        if limit < 0:
            raise InvalidArgument(f"limit {limit} is negative: use 0 for the default (1,000)")
        with self._lock:
            rows = list(self._db.query("SELECT * FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?",
                                       [after_sequence, limit or 1000]))
        events = [ReplicationEvent(r["sequence"], r["kind"], _dt(r["time_us"]), r["label"], bool(r["labeled"]),
                                   r["attempt"], r["message"]) for r in rows]  # type: ignore[arg-type]
        return events, (events[-1].sequence if events else after_sequence)

    def backlog(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{"object_name": r["object_name"], "sequence": r["seq"], "deleted": bool(r["deleted"]),
                     "bytes": r["bytes"], "attempts": r["attempts"], "due": _dt(r["due_us"]).isoformat()}  # type: ignore[union-attr]
                    for r in self._db.query("SELECT * FROM backlog ORDER BY seq")]

    def dump(self) -> dict[str, Any]:
        """A JSON-able view for checkers: images, replication status and backlog, faults."""
        images, _, _ = self.list_images(page_size=10**9)
        status = self.status()
        return {
            "storage_id": self.storage_id, "path": self.path,
            "images": [{**asdict(i), "modified_time": i.modified_time.isoformat() if i.modified_time else None}
                       for i in images],
            "replication": {"role": status.role, "peer_storage_id": status.config.peer_storage_id,
                            "mode": status.config.mode if status.role else "", "paused": status.paused,
                            "lag_seconds": status.lag.total_seconds(), "backlog_objects": status.backlog_objects,
                            "backlog_bytes": status.backlog_bytes, "replicated_objects": status.replicated_objects,
                            "failures": status.failures, "last_error": status.last_error,
                            "last_replicated_sequence": status.last_replicated_sequence,
                            "backlog": self.backlog()},
            "faults": [{**asdict(f), "injected_time": f.injected_time.isoformat() if f.injected_time else None}
                       for f in status.active_faults],
            "used_bytes": status.used_bytes, "capacity_bytes": self.capacity_bytes,
        }

    def close(self) -> None:
        """Cancel the timers and close the database; a new StorageStore on the directory picks up from here."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self.clock.cancel_owner(self.owner)
            self._timer_id = None
            self._db.conn.close()


# -- row conversions ----------------------------------------------------------------------------------------
def _us_delta(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _image_row(image: VolumeImage) -> dict[str, Any]:
    row = {k: v for k, v in asdict(image).items() if k not in ("path", "modified_time")}
    row["modified_us"] = _us(image.modified_time) if image.modified_time else None
    return {k: int(v) if isinstance(v, bool) else v for k, v in row.items()}


def _image_of(row: dict[str, Any]) -> VolumeImage:
    return VolumeImage(row["label"], bool(row["labeled"]), row["object_name"], "", row["index_bytes"],
                       row["data_bytes"], row["checksum"], _dt(row["modified_us"]), bool(row["encrypted"]),
                       row["key_manager_id"], row["media_key_name"], row["change_sequence"], bool(row["replica"]),
                       row["source_storage_id"] or "", row["source_sequence"] or 0)


def _cfg_json(cfg: ReplicationConfig) -> dict[str, Any]:
    return {**asdict(cfg), "lag": _us_delta(cfg.lag), "retry_interval": _us_delta(cfg.retry_interval)}


def _cfg_from(data: dict[str, Any]) -> ReplicationConfig:
    return ReplicationConfig(**{**data, "lag": timedelta(microseconds=data["lag"]),
                                "retry_interval": timedelta(microseconds=data["retry_interval"])})


def _fault_json(fault: StorageFault) -> dict[str, Any]:
    return {**asdict(fault), "injected_time": _us(fault.injected_time) if fault.injected_time else None}


def _fault_of(data: dict[str, Any]) -> StorageFault:
    return StorageFault(**{**data, "injected_time": _dt(data["injected_time"])})


def _check_config(cfg: ReplicationConfig, storage_id: str, self_endpoint: str) -> None:
    if not cfg.peer_storage_id.strip() or not cfg.peer_address.strip():
        raise InvalidArgument("replication needs the peer's storage id and endpoint address: give both")
    if cfg.peer_storage_id == storage_id or (self_endpoint and cfg.peer_address == self_endpoint):
        raise InvalidArgument(f"storage {storage_id} cannot replicate to itself: name another storage as peer")
    if cfg.mode not in (CONTINUOUS, AUTOCOPY):
        raise InvalidArgument(f"replication mode {cfg.mode!r} is not valid: use CONTINUOUS or AUTOCOPY")
    if cfg.lag < timedelta(0) or cfg.retry_interval < timedelta(0) or cfg.max_attempts < 0:
        raise InvalidArgument("lag, retry interval and max attempts must not be negative (0 = default)")
