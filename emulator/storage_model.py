"""Values of the Storage service's domain (emulator.storage): constants, errors, the frozen dataclasses a store
and its peer exchange, the `Peer` protocol, volume image names, the temp file an incoming image is written to, the
checksum and chunking of stored image files, and the conversions between these values and the rows of
`storage.sqlite` (times as microseconds: emulator.dsmtc_entries.to_us / from_us). Shared by emulator.storage
(images, faults, views) and emulator.storage_replication (shipping to and receiving from the peer); import them
from emulator.storage, which re-exports every public name.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Protocol

from emulator.dsmtc_entries import from_us, to_us
from emulator.errors import DiskFull, EmulatorError, InvalidArgument

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
    peer_path: str = ""                        # R57: the primary QoreStor's Copy Pool (replica) path
    mode: str = CONTINUOUS
    lag: timedelta = timedelta(0)
    retry_interval: timedelta = timedelta(0)   # 0 = 5 minutes (domain-facts §7)
    max_attempts: int = 0                      # 0 = 12 (AUTOCOPY, §7); CONTINUOUS retries until it succeeds
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


def _digest(files: dict[str, BinaryIO]) -> str:
    """The checksum of stored IND / DAT files (sha256 over IND then DAT); the files are rewound for the read after."""
    digest = hashlib.sha256()
    for part in (IND, DAT):
        while block := files[part].read(MAX_CHUNK):
            digest.update(block)
        files[part].seek(0)
    return digest.hexdigest()


def _close(files: dict[str, BinaryIO]) -> None:
    for f in files.values():
        f.close()


def _read_chunks(files: dict[str, BinaryIO], parts: Iterable[str], size: int) -> Iterator[Chunk]:
    """The content of open IND / DAT files as chunks of `size` bytes, part by part."""
    for part in parts:
        offset = 0
        while block := files[part].read(size):
            yield Chunk(part, offset, block)
            offset += len(block)


class _TempImage:
    """An image being received: IND then DAT chunks into temp files (or nowhere, `sink`), hashed as they come;
    `limit` is the bytes it may take (None = unlimited)."""

    def __init__(self, folder: Path, what: str, limit: int | None = None, sink: bool = False):
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
        if self.limit is not None and self.total + len(chunk.data) > self.limit:
            raise DiskFull(f"{self.what} does not fit: only {self.limit} bytes are free; delete images or"
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


# -- row conversions ----------------------------------------------------------------------------------------
def _us_delta(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _image_row(image: VolumeImage) -> dict[str, Any]:
    row = {k: v for k, v in asdict(image).items() if k not in ("path", "modified_time")}
    row["modified_us"] = to_us(image.modified_time)
    return {k: int(v) if isinstance(v, bool) else v for k, v in row.items()}


def _image_of(row: dict[str, Any]) -> VolumeImage:
    return VolumeImage(row["label"], bool(row["labeled"]), row["object_name"], "", row["index_bytes"],
                       row["data_bytes"], row["checksum"], from_us(row["modified_us"]), bool(row["encrypted"]),
                       row["key_manager_id"], row["media_key_name"], row["change_sequence"], bool(row["replica"]),
                       row["source_storage_id"] or "", row["source_sequence"] or 0)


def _cfg_json(cfg: ReplicationConfig) -> dict[str, Any]:
    return {**asdict(cfg), "lag": _us_delta(cfg.lag), "retry_interval": _us_delta(cfg.retry_interval)}


def _cfg_from(data: dict[str, Any]) -> ReplicationConfig:
    return ReplicationConfig(**{**data, "lag": timedelta(microseconds=data["lag"]),
                                "retry_interval": timedelta(microseconds=data["retry_interval"])})


def _fault_json(fault: StorageFault) -> dict[str, Any]:
    return {**asdict(fault), "injected_time": to_us(fault.injected_time)}


def _fault_of(data: dict[str, Any]) -> StorageFault:
    return StorageFault(**{**data, "injected_time": from_us(data["injected_time"])})
