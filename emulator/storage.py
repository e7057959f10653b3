"""A storage folder of BackBox volume images (domain-facts §4) and its replication to one peer storage (DESIGN §2,
domain-facts §7): the Storage service's domain object.

Images are real files `<directory>/objects/LB<label>.IND|.DAT` (`NL` for unlabeled volumes), written to temp files
and renamed into place before the metadata commits in `<directory>/storage.sqlite`. Replication is CONTINUOUS (every
put / delete ships after `lag` of virtual time, like DataDomain / QoreStor replication) or AUTOCOPY (VTS AutoCopy:
a read/write dismount copies the image, retried every 5 minutes up to 12 times). Catalog Sync never copies images:
this store does (R2). Shipping goes through a `Peer` (the gRPC client in emulator.servicers.storage by default), so
this module never sees wire types. The replication half of `StorageStore` lives in emulator.storage_replication
(a mixin) and the shared values in emulator.storage_model; every public name is re-exported here.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

import sqlite_utils

from emulator.clock import Clock
from emulator.dsmtc_entries import from_us
from emulator.errors import Conflict, DiskFull, InvalidArgument, NotFound
from emulator.storage_model import (
    ATTEMPT_FAILED, AUTOCOPY, CONTINUOUS, CORRUPT_OBJECT, DAT, DEFAULT_CHUNK, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY,
    DELETE_REPLICATED, DISK_FULL, DROP_OBJECT, FAULT_KINDS, GAVE_UP, IND, MAX_CHUNK, PAUSED, READ_ONLY, READ_WRITE,
    RECEIVED, REPLICA, REPLICATED, RESUMED, REVERSED, SKIPPED_READ_ONLY, SOURCE, STOP_REPLICA, Chunk, DataLoss,
    Peer, ReplicateResult, ReplicatedObject, ReplicationConfig, ReplicationEvent, ReplicationStatus, SourceInfo,
    StorageFault, Unavailable, VolumeImage, object_name,
)
from emulator.storage_model import (
    _PATTERN, _cfg_json, _close, _digest, _fault_json, _fault_of, _image_of, _image_row, _read_chunks, _TempImage,
)
from emulator.storage_replication import StorageReplication

# the storage service's public names; `from emulator.storage import X` is the API (the values live in storage_model)
__all__ = [
    "ATTEMPT_FAILED", "AUTOCOPY", "CONTINUOUS", "CORRUPT_OBJECT", "DAT", "DEFAULT_CHUNK", "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_RETRY", "DELETE_REPLICATED", "DISK_FULL", "DROP_OBJECT", "FAULT_KINDS", "GAVE_UP", "IND", "MAX_CHUNK",
    "PAUSED", "READ_ONLY", "READ_WRITE", "RECEIVED", "REPLICA", "REPLICATED", "RESUMED", "REVERSED",
    "SKIPPED_READ_ONLY", "SOURCE", "STOP_REPLICA", "Chunk", "DataLoss", "Peer", "ReplicateResult", "ReplicatedObject",
    "ReplicationConfig", "ReplicationEvent", "ReplicationStatus", "SourceInfo", "StorageFault", "StorageStore",
    "Unavailable", "VolumeImage", "object_name",
]


def _grpc_peer(address: str) -> Peer:
    from emulator.servicers.storage import PeerClient  # noqa: PLC0415 - the adapter imports this module
    return PeerClient(address)


class StorageStore(StorageReplication):
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

    def _next_seq(self) -> int:
        self._state["change_seq"] += 1
        return self._state["change_seq"]

    # -- images ---------------------------------------------------------------------------------------------
    def put(self, label: str, index: bytes = b"", data: bytes = b"", *, labeled: bool = True,
            key_manager_id: str = "", media_key_name: str = "", encrypted: bool = False) -> VolumeImage:
        """Write a whole image at once (see `put_stream`)."""
        header = VolumeImage(label, labeled, encrypted=encrypted, key_manager_id=key_manager_id,
                             media_key_name=media_key_name)
        return self.put_stream(header, [Chunk(IND, 0, index), Chunk(DAT, 0, data)])

    def put_stream(self, header: VolumeImage, chunks: Iterable[Chunk]) -> VolumeImage:
        """Write an image from IND then DAT chunks; it becomes visible only when the stream ends cleanly.
        An image naming a key manager is encrypted (R50: the key needed to read it)."""
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
                image = replace(header, label=name[2:], object_name=name, path=self.path,
                                encrypted=header.encrypted or bool(header.key_manager_id),
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
        opened = self._open_files(name)
        if opened is None:
            raise NotFound(f"no image {name} on storage {self.storage_id} ({self.path}): list the images to see"
                           " which labels are there")
        image, files = opened
        if verify_checksum and (digest := _digest(files)) != image.checksum:
            _close(files)
            raise DataLoss(f"image {name} on storage {self.storage_id} is damaged: its bytes hash to {digest[:16]}…,"
                           f" not {image.checksum[:16]}…; restore it from the replica or rewrite the volume")

        def chunks() -> Iterator[Chunk]:
            try:
                yield from _read_chunks(files, wanted, size)
            finally:
                _close(files)
        return image, chunks()

    def _open_files(self, name: str) -> tuple[VolumeImage, dict[str, BinaryIO]] | None:
        """The image's metadata and its IND / DAT files (None when there is no image); the caller closes them."""
        with self._lock:  # both files opened together: a concurrent put cannot pair new IND with old DAT
            image = self._stat(name)
            if image is None:
                return None
            return image, {p: open(self.objects_dir / f"{name}.{p}", "rb") for p in (IND, DAT)}

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

    def _free_for(self, name: str) -> int | None:
        """Bytes an image of this name may take (None = unlimited): capacity minus the other images."""
        if not self.capacity_bytes:
            return None
        with self._lock:  # a rewrite needs only its own room: the old copy of `name` is not counted
            others = self._db.execute("SELECT COALESCE(SUM(index_bytes + data_bytes), 0) FROM images"
                                      " WHERE object_name != ?", [name]).fetchone()[0]
        return max(self.capacity_bytes - others, 0)

    def _check_capacity(self, name: str, size: int) -> None:
        free = self._free_for(name)
        if free is not None and size > free:
            raise DiskFull(f"storage {self.storage_id} ({self.path}) is full: {name} needs {size} bytes, "
                           f"{free} are free of {self.capacity_bytes}; delete images or raise the capacity")

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

    def _corrupt(self, name: str) -> None:
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
                return

    # -- views ----------------------------------------------------------------------------------------------
    def status(self) -> ReplicationStatus:
        with self._lock:
            st, cfg = self._state, self.config
            count, size, oldest = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(bytes), 0), MIN(queued_us) FROM backlog").fetchone()
            images, used = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(index_bytes + data_bytes), 0) FROM images").fetchone()
            lag = self.clock.now() - from_us(oldest) if oldest is not None else timedelta(0)  # type: ignore[operator]
            return ReplicationStatus(
                self.storage_id, st["role"], cfg, st["paused"], max(lag, timedelta(0)), count, size,
                from_us(st["last_replicated_us"]), st["last_replicated_label"],
                st["last_replicated_sequence"], st["replicated_objects"], st["failures"], st["last_error"],
                count if st["role"] == SOURCE and cfg.mode == AUTOCOPY else 0, self.faults(), images, used,
                self.capacity_bytes)

    def dump(self) -> dict[str, Any]:
        """A JSON-able view for checkers: images, replication status and backlog, faults."""
        images, _, _ = self.list_images(page_size=10**9)
        status = self.status()
        return {
            "storage_id": self.storage_id, "path": self.path,
            "images": [{**asdict(i), "modified_time": i.modified_time.isoformat() if i.modified_time else None,
                        "damaged": self._damaged(i)} for i in images],
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

    def _damaged(self, image: VolumeImage) -> bool:
        """Its bytes no longer hash to the checksum written with it (bit rot, storage-corrupt-object): a restore
        from it fails with DATA_LOSS. Read for the checkers' dumps, not on every listing."""
        opened = self._open_files(image.object_name)
        if opened is None:
            return False
        _, files = opened
        try:
            return _digest(files) != image.checksum
        finally:
            _close(files)

    def close(self) -> None:
        """Cancel the timers and close the database; a new StorageStore on the directory picks up from here."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self.clock.cancel_owner(self.owner)
            self._timer_id = None
            self._db.conn.close()
