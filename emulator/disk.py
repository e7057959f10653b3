"""Guardian disk files of one node: `\\NODE.$VOL.SUBVOL.FILE` stored as `disk/<VOL>/<SUBVOL>/<FILE>` (DESIGN §4).

Writes are atomic (a temp file beside the target, `os.replace`): a reader sees the old or the new content, never a
mix. A node crash here is a crash of the emulator (in-process, or a SIGKILL of its OS process), which the host's
page cache survives, so the writes are not fsync'ed — as node.sqlite runs WAL with synchronous=NORMAL. Set
CATSYNC_SIM_FSYNC=1 to fsync every file and directory anyway (a host that may lose power); it costs ~20 ms a
write on these machines. A file's Guardian attributes (modification time from the node's clock, file code, owner) live in the
`guardian_files` table, not in the host file system. Only names of this node are handled here: a name on another
node raises `RemoteName`, which the Guardian servicer turns into a call over the Expand link.
"""

from __future__ import annotations

import enum
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import sqlite_utils

from emulator.errors import (DiskFull, EmulatorError, FileExists, FileNotFound, InvalidArgument, InvalidName,
                             NotFound, TransactionAborted)
from emulator.names import (FileName, SubvolumeName, matches, parse_file_name, parse_file_pattern,
                            parse_subvolume)

if TYPE_CHECKING:
    from emulator.node import Node

DURABLE = os.environ.get("CATSYNC_SIM_FSYNC", "") == "1"

DEFAULT_OWNER = "SUPER.SUPER"
DEFAULT_CHUNK = 64 * 1024
MAX_CHUNK = 4 * 1024 * 1024
_TEMP_PREFIX = "."  # Guardian names never start with a dot: temp files can never be listed as files


class RemoteName(EmulatorError):
    """The name belongs to another node: route the call over the Expand link to `node`."""

    status = "FAILED_PRECONDITION"

    def __init__(self, node: str, name: str):
        super().__init__(f"{name} is on {node}, not on this node: send the call to {node} (over the Expand link)")
        self.node = node
        self.name = name


class UnknownVolume(NotFound):
    """The disk volume is not configured on this node (Guardian error 14, device does not exist)."""

    guardian_error = 14


class WriteMode(enum.Enum):
    """How a write treats an existing file."""

    REPLACE = "REPLACE"   # create or replace
    CREATE = "CREATE"     # fail with error 10 if the file exists
    APPEND = "APPEND"     # add to the end (creates the file when missing)


@dataclass(frozen=True)
class FileInfo:
    """A disk file as FILEINFO shows it."""

    name: str            # `\INSIDX.$DATA15.E5CATSYN.VEW1008`
    size: int            # EOF in bytes
    modified: datetime   # node clock (UTC) at the last write
    file_code: int
    owner: str


@dataclass(frozen=True)
class DiskVolume:
    """A configured disk volume and its use."""

    name: str
    capacity_bytes: int  # 0 = unlimited
    used_bytes: int
    full: bool           # forced full by a fault: writes fail with error 43


def _schema(db: sqlite_utils.Database) -> None:
    if "guardian_files" not in db.table_names():
        db["guardian_files"].create({"name": str, "volume": str, "subvolume": str, "file": str, "size": int,
                                     "modified": str, "file_code": int, "owner": str}, pk="name")
        db["guardian_files"].create_index(["volume", "subvolume"])


_TICK = timedelta(microseconds=1)


class GuardianDisk:
    """The disk volumes of one node."""

    def __init__(self, node: Node):
        self._node = node
        self._full: set[str] = set()
        self._last_modified: datetime | None = None   # the newest modification time written (lazily read back)
        self._last_modified_of = -1                   # the store opening it was read from
        self._lock = threading.Lock()
        node.store.add_schema(_schema)
        self._sweep_temp_files()

    # -- names ----------------------------------------------------------------------------------------------
    def parse(self, text: str, default_volume: str | None = None) -> FileName:
        """A file name of this node on a configured volume; RemoteName for another node's name."""
        name = parse_file_name(text, default_node=self._node.name, default_volume=default_volume)
        if name.node != self._node.name:
            raise RemoteName(name.node, str(name))
        self._check_volume(name.volume, str(name))
        return name

    def parse_subvolume(self, text: str) -> SubvolumeName:
        sub = parse_subvolume(text, default_node=self._node.name)
        if sub.node != self._node.name:
            raise RemoteName(sub.node, str(sub))
        self._check_volume(sub.volume, str(sub))
        return sub

    def _check_volume(self, volume: str, what: str) -> None:
        if volume not in self._node.config.volumes:
            known = ", ".join(sorted(self._node.config.volumes)) or "none"
            raise UnknownVolume(f"{what}: volume {volume} does not exist on {self._node.name} (configured volumes:"
                                f" {known}); use one of them or add the volume to the node in the topology")

    def _path(self, name: FileName) -> Path:
        return self._node.store.disk_dir / name.volume / name.subvolume / name.file

    # -- volumes --------------------------------------------------------------------------------------------
    def volumes(self) -> list[DiskVolume]:
        """Every configured volume with its capacity, use and fault state."""
        used = self._used_by_volume()
        return [DiskVolume(v, cap, used.get(v, 0), v in self._full)
                for v, cap in sorted(self._node.config.volumes.items())]

    def set_full(self, volume: str, full: bool) -> None:
        """Force a volume full (every write fails with error 43) or heal it."""
        self._check_volume(volume, volume)
        with self._lock:
            (self._full.add if full else self._full.discard)(volume)

    def _used_by_volume(self) -> dict[str, int]:
        with self._node.store.read() as db:
            return {r["volume"]: r["used"] for r in
                    db.query("SELECT volume, SUM(size) AS used FROM guardian_files GROUP BY volume")}

    def _check_room(self, name: FileName, new_size: int, replaced_size: int) -> None:
        if name.volume in self._full:
            raise DiskFull(f"volume {name.volume} is full (error 43): free space on it or heal the disk-full"
                           f" fault, then write {name} again")
        capacity = self._node.config.volumes[name.volume]
        if capacity:
            used = self._used_by_volume().get(name.volume, 0) - replaced_size
            if used + new_size > capacity:
                raise DiskFull(f"no room for {name} on {name.volume} (error 43): {new_size} bytes needed,"
                               f" {max(capacity - used, 0)} of {capacity} free; purge files or enlarge the volume")

    # -- writes ---------------------------------------------------------------------------------------------
    def open_write(self, text: str, mode: WriteMode = WriteMode.REPLACE, *, file_code: int = 0,
                   owner: str = DEFAULT_OWNER, process: str = "") -> FileWriter:
        """A writer for `text`: feed it chunks, then `commit()` (or `abort()`); nothing shows before commit."""
        self._node.check_up()
        name = self.parse(text)
        if file_code < 0:
            raise InvalidArgument(f"file code {file_code} must be 0 or more (0 = unstructured)")
        path = self._path(name)
        if mode is WriteMode.CREATE and path.exists():
            raise FileExists(f"{name} exists already (error 10): purge it first or write with mode REPLACE")
        self._check_room(name, 0, self._size_of(path))
        return FileWriter(self, name, mode, file_code, owner or DEFAULT_OWNER, process)

    def write(self, text: str, data: bytes, mode: WriteMode = WriteMode.REPLACE, *, file_code: int = 0,
              owner: str = DEFAULT_OWNER, process: str = "") -> FileInfo:
        """Write a whole file at once (atomic)."""
        with self.open_write(text, mode, file_code=file_code, owner=owner, process=process) as writer:
            writer.write(data)
            return writer.commit()

    @staticmethod
    def _size_of(path: Path) -> int:
        try:
            return path.stat().st_size
        except FileNotFoundError:
            return 0

    def _commit(self, writer: FileWriter) -> FileInfo:
        name, path = writer.name, self._path(writer.name)
        node = self._node
        if node.epoch != writer.epoch:
            raise TransactionAborted(f"the write of {name} began before the node restarted and was lost: write it"
                                     " again")
        # the fault point where a nemesis cuts a writer between its data and its commit
        node.hit("guardian.write_file", writer.process, node.processes.program_of(writer.process))
        with node.store.transaction(f"write {name}") as txn:
            exists = path.exists()
            if writer.mode is WriteMode.CREATE and exists:
                raise FileExists(f"{name} was created by another writer meanwhile (error 10): purge it or use"
                                 " mode REPLACE")
            size = writer.size
            self._check_room(name, size, self._size_of(path))
            modified = self._next_modified(txn.db, node.clock.now())
            old = self._row(txn.db, name) if exists else None
            txn.db["guardian_files"].upsert({
                "name": name.local, "volume": name.volume, "subvolume": name.subvolume, "file": name.file,
                "size": size, "modified": modified.isoformat(timespec="microseconds"),
                "file_code": writer.file_code or (old or {}).get("file_code", 0), "owner": writer.owner}, pk="name")
            txn.check()
            os.replace(writer.temp_path, path)
            _fsync_dir(path.parent)
        return self.info(str(name))

    def _next_modified(self, db: sqlite_utils.Database, now: datetime) -> datetime:
        """The modification time of a write: the node's clock, but always after the previous write's, so each
        write of a node has its own time (the virtual clock stands still between its steps; a reader comparing
        modification times, like an UPDATE import, must still tell two writes apart)."""
        if self._last_modified is None or self._last_modified_of != self._node.store.opened:
            self._last_modified_of = self._node.store.opened
            newest = db.execute("SELECT max(modified) FROM guardian_files").fetchone()[0]
            self._last_modified = datetime.fromisoformat(newest) if newest else now - _TICK
        modified = max(now, self._last_modified + _TICK)
        self._last_modified = modified
        return modified

    # -- reads ----------------------------------------------------------------------------------------------
    def info(self, text: str) -> FileInfo:
        """FILEINFO of one file; FileNotFound (error 11) when it does not exist."""
        name = self.parse(text)
        path = self._path(name)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise self._not_found(name) from None
        with self._node.store.read() as db:
            return self._info(name, size, self._row(db, name))

    def read(self, text: str, offset: int = 0, length: int = 0,
             chunk_size: int = DEFAULT_CHUNK) -> tuple[FileInfo, Iterator[bytes]]:
        """The file's info and its bytes from `offset` (`length` 0 = to EOF) in chunks of `chunk_size`."""
        self._node.check_up()
        name = self.parse(text)
        if offset < 0 or length < 0:
            raise InvalidArgument(f"offset {offset} and length {length} must be 0 or more (length 0 = to EOF)")
        chunk_size = chunk_size or DEFAULT_CHUNK
        if not 0 < chunk_size <= MAX_CHUNK:
            raise InvalidArgument(f"chunk size {chunk_size} must be 1..{MAX_CHUNK} bytes (0 = 64 KiB)")
        try:
            handle = open(self._path(name), "rb")  # the open handle keeps this version even if replaced meanwhile
        except FileNotFoundError:
            raise self._not_found(name) from None
        try:
            size = os.fstat(handle.fileno()).st_size
            with self._node.store.read() as db:
                info = self._info(name, size, self._row(db, name))
        except BaseException:
            handle.close()
            raise
        end = size if length == 0 else min(size, offset + length)
        return info, _chunks(handle, offset, end, chunk_size)

    def read_bytes(self, text: str) -> bytes:
        """The whole file."""
        _info, chunks = self.read(text)
        return b"".join(chunks)

    def exists(self, text: str) -> bool:
        return self._path(self.parse(text)).is_file()

    def list(self, subvolume: str, pattern: str = "*") -> list[FileInfo]:
        """The files of a subvolume whose file id matches `pattern` (`*`, `?`), sorted by name."""
        sub = self.parse_subvolume(subvolume)
        pat = parse_file_pattern(pattern)
        return [info for _name, info in self._matching(sub, pat)]

    def _matching(self, sub: SubvolumeName, pattern: str) -> list[tuple[FileName, FileInfo]]:
        folder = self._node.store.disk_dir / sub.volume / sub.subvolume
        if not folder.is_dir():
            return []
        with self._node.store.read() as db:
            rows = {r["name"]: r for r in db["guardian_files"].rows_where(
                "volume = ? AND subvolume = ?", [sub.volume, sub.subvolume])}
            found = []
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.startswith(_TEMP_PREFIX) or not entry.is_file() or not matches(pattern, entry.name):
                    continue
                try:
                    name = sub.file(entry.name)
                except InvalidName:
                    continue  # a host file that is no Guardian name: not part of the emulated disk
                found.append((name, self._info(name, entry.stat().st_size, rows.get(name.local))))
        return found

    @staticmethod
    def _row(db: sqlite_utils.Database, name: FileName) -> dict | None:
        rows = list(db["guardian_files"].rows_where("name = ?", [name.local]))
        return rows[0] if rows else None

    def _info(self, name: FileName, size: int, row: dict | None) -> FileInfo:
        if row is None:  # a file put there by hand (or a snapshot from outside): give it the disk's time
            mtime = self._path(name).stat().st_mtime
            modified = datetime.fromtimestamp(mtime, tz=self._node.clock.now().tzinfo)
            return FileInfo(str(name), size, modified, 0, DEFAULT_OWNER)
        return FileInfo(str(name), size, datetime.fromisoformat(row["modified"]), row["file_code"], row["owner"])

    def _not_found(self, name: FileName) -> FileNotFound:
        return FileNotFound(f"{name} does not exist (error 11): check the name, or list {name.subvol} to see"
                            " its files")

    # -- rename / purge -------------------------------------------------------------------------------------
    def rename(self, text: str, new_text: str, replace: bool = False) -> FileInfo:
        """Rename a file within its volume (its Guardian attributes move with it)."""
        self._node.check_up()
        old = self.parse(text)
        new = parse_file_name(new_text, default_node=old.node, default_volume=old.volume)
        if (new.node, new.volume) != (old.node, old.volume):
            raise InvalidArgument(f"cannot rename {old} to {new}: a rename stays on {old.node}.{old.volume}; copy"
                                  " the file to the other volume and purge the original instead")
        src, dst = self._path(old), self._path(new)
        with self._node.store.transaction(f"rename {old}") as txn:
            if not src.is_file():
                raise self._not_found(old)
            if new == old:
                return self.info(str(old))
            if dst.exists() and not replace:
                raise FileExists(f"{new} exists already (error 10): purge it or rename with replace")
            row = self._row(txn.db, old)
            table = txn.db["guardian_files"]
            table.delete_where("name IN (?, ?)", [old.local, new.local])
            if row is not None:
                table.insert({**row, "name": new.local, "subvolume": new.subvolume, "file": new.file})
            txn.check()
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            _fsync_dir(dst.parent)
        return self.info(str(new))

    def purge(self, text: str, missing_ok: bool = False) -> list[str]:
        """Purge one file or every file matching a pattern in the file-id part (`$DATA15.E5CATSYN.*`)."""
        self._node.check_up()
        head, _, last = text.strip().rpartition(".")
        if head and any(c in last for c in "*?"):
            sub = self.parse_subvolume(head)
            pattern = parse_file_pattern(last)
            targets = [name for name, _info in self._matching(sub, pattern)]
            if not targets and not missing_ok:
                raise FileNotFound(f"no file of {sub} matches {pattern} (error 11): check the pattern, or purge"
                                   " with missing_ok")
        else:
            name = self.parse(text)
            if not self._path(name).is_file():
                if missing_ok:
                    return []
                raise self._not_found(name)
            targets = [name]
        with self._node.store.transaction(f"purge {text.strip()}") as txn:
            for name in targets:
                txn.db["guardian_files"].delete_where("name = ?", [name.local])
            txn.check()
            for name in targets:
                self._path(name).unlink(missing_ok=True)
        return [str(n) for n in targets]

    # -- housekeeping ---------------------------------------------------------------------------------------
    def _sweep_temp_files(self) -> None:
        """Temp files of writes cut by a crash of the emulator process are garbage."""
        for temp in self._node.store.disk_dir.glob(f"*/*/{_TEMP_PREFIX}*.tmp"):
            temp.unlink(missing_ok=True)


class FileWriter:
    """A streamed write: chunks go to a temp file; `commit()` puts it in place atomically, `abort()` drops it."""

    def __init__(self, disk: GuardianDisk, name: FileName, mode: WriteMode, file_code: int, owner: str,
                 process: str):
        self.disk, self.name, self.mode = disk, name, mode
        self.file_code, self.owner, self.process = file_code, owner, process
        self.epoch = disk._node.epoch
        target = disk._path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.temp_path = target.parent / f"{_TEMP_PREFIX}{name.file}.{uuid.uuid4().hex}.tmp"
        self._handle: BinaryIO | None = open(self.temp_path, "wb")
        self.size = 0
        self._done = False
        if mode is WriteMode.APPEND and target.is_file():
            try:
                with open(target, "rb") as old:
                    while block := old.read(1024 * 1024):
                        self._put(block)
            except BaseException:
                self.abort()
                raise

    def _put(self, data: bytes) -> None:
        assert self._handle is not None
        self._handle.write(data)
        self.size += len(data)

    def write(self, data: bytes) -> None:
        """Add a chunk; DiskFull as soon as the volume cannot hold what is written so far."""
        if self._done:
            raise InvalidArgument(f"the write of {self.name} is finished: open a new writer")
        if not data:
            return
        try:
            self.disk._check_room(self.name, self.size + len(data), self.disk._size_of(self.disk._path(self.name)))
            self._put(data)
        except BaseException:
            self.abort()
            raise

    def commit(self) -> FileInfo:
        """Put the new content in place; from now on every reader sees it."""
        if self._done:
            raise InvalidArgument(f"the write of {self.name} is finished: open a new writer")
        try:
            assert self._handle is not None
            self._handle.flush()
            if DURABLE:
                os.fsync(self._handle.fileno())
            self._handle.close()
            self._handle = None
            info = self.disk._commit(self)
        except BaseException:
            self.abort()
            raise
        self._done = True
        return info

    def abort(self) -> None:
        """Drop what was written; the file keeps its old content (or stays absent)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self.temp_path.unlink(missing_ok=True)
        self._done = True

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self._done:
            if exc_type is None:
                self.commit()
            else:
                self.abort()


def _chunks(handle: BinaryIO, offset: int, end: int, chunk_size: int) -> Iterator[bytes]:
    with handle:
        handle.seek(offset)
        position = offset
        while position < end:
            data = handle.read(min(chunk_size, end - position))
            if not data:
                return
            position += len(data)
            yield data


def _fsync_dir(folder: Path) -> None:
    if not DURABLE:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
