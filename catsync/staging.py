"""The staging-area file format (DESIGN §5, proto/catsync/v1/staging.proto): a 24-byte header, then a protobuf
payload. The same framing holds the option's own state files (state.proto), so every file the option writes can
be checked the same way.

    offset size  field
    0      4     magic "BBCS"
    4      2     format version (big-endian), 1
    6      1     payload kind (StagingPayloadKind)
    7      1     reserved, 0
    8      8     payload length (big-endian)
    16     4     CRC-32 of the payload
    20     4     CRC-32 of header bytes 0..19

`decode` refuses a file that is short, torn, corrupted, of another kind or version, or whose payload does not
parse, with a `StagingError` saying which and what to do about it.
"""

from __future__ import annotations

import struct
import zlib
from typing import TypeVar

from google.protobuf.message import DecodeError, Message

from catsync import CatsyncError
from catsync.v1 import staging_pb2, state_pb2

MAGIC = b"BBCS"
FORMAT_VERSION = 1
HEADER = struct.Struct(">4sHBBQI")      # magic, version, kind, reserved, length, payload CRC (20 bytes)
HEADER_SIZE = HEADER.size + 4           # + header CRC
SUMMARY_FILE = "CSSUMARY"
VOLUME_PREFIX = "V"

KIND_VOLUME = staging_pb2.STAGING_PAYLOAD_KIND_VOLUME_EXPORT
KIND_SUMMARY = staging_pb2.STAGING_PAYLOAD_KIND_EXPORT_SUMMARY
KIND_EXPORT_STATE = staging_pb2.STAGING_PAYLOAD_KIND_EXPORT_STATE
KIND_JOB_TABLE = staging_pb2.STAGING_PAYLOAD_KIND_JOB_TABLE
KIND_EXTRACTOR_STATE = staging_pb2.STAGING_PAYLOAD_KIND_EXTRACTOR_STATE
KIND_IMPORT_STATE = staging_pb2.STAGING_PAYLOAD_KIND_IMPORT_STATE
MESSAGE_OF_KIND: dict[int, type[Message]] = {
    KIND_VOLUME: staging_pb2.VolumeExport,
    KIND_SUMMARY: staging_pb2.ExportSummary,
    KIND_EXPORT_STATE: state_pb2.ExportStoreState,
    KIND_JOB_TABLE: state_pb2.JobTable,
    KIND_EXTRACTOR_STATE: state_pb2.ExtractorState,
    KIND_IMPORT_STATE: state_pb2.ImportStoreState,
}

M = TypeVar("M", bound=Message)


class StagingError(CatsyncError):
    """A staging (or state) file that cannot be used; `reason` is a short keyword for reports and checkers."""

    def __init__(self, name: str, reason: str, detail: str):
        self.name, self.reason, self.detail = name, reason, detail
        super().__init__(f"{name}: {detail}")


def volume_file(subvolume: str, label: str) -> str:
    """`\\ETINIUM.$DATA15.E5CATSYN` + `EW1008` -> `\\ETINIUM.$DATA15.E5CATSYN.VEW1008`."""
    return f"{subvolume}.{VOLUME_PREFIX}{label}"


def summary_file(subvolume: str) -> str:
    return f"{subvolume}.{SUMMARY_FILE}"


def label_of(file_name: str) -> str:
    """The label of a per-volume file name (`...VEW1008` -> `EW1008`); '' for any other file."""
    last = file_name.rsplit(".", 1)[-1].upper()
    if last == SUMMARY_FILE or not last.startswith(VOLUME_PREFIX) or not 2 <= len(last) <= 7:
        return ""
    return last[1:]


def encode(message: Message, kind: int) -> bytes:
    payload = message.SerializeToString(deterministic=True)
    head = HEADER.pack(MAGIC, FORMAT_VERSION, kind, 0, len(payload), zlib.crc32(payload))
    return head + struct.pack(">I", zlib.crc32(head)) + payload


def decode(data: bytes, kind: int, name: str = "staging file") -> Message:
    """The payload message of `data`, checked; StagingError otherwise."""
    if len(data) < HEADER_SIZE:
        raise StagingError(name, "truncated", f"only {len(data)} bytes, shorter than the {HEADER_SIZE}-byte header:"
                           " the file was cut; export the volume again")
    head = data[:HEADER.size]
    magic, version, got_kind, _reserved, length, payload_crc = HEADER.unpack(head)
    (head_crc,) = struct.unpack(">I", data[HEADER.size:HEADER_SIZE])
    if magic != MAGIC:
        raise StagingError(name, "foreign", f"not a Catalog Sync file (magic {magic!r}, expected {MAGIC!r}): remove"
                           " it from the staging subvolume")
    if zlib.crc32(head) != head_crc:
        raise StagingError(name, "corrupt", "header checksum mismatch: the file is corrupted; export it again")
    if version != FORMAT_VERSION:
        raise StagingError(name, "version", f"format version {version} is not supported (this release reads"
                           f" {FORMAT_VERSION}): export again with this release")
    if got_kind != kind:
        want = staging_pb2.StagingPayloadKind.Name(kind) if kind in MESSAGE_OF_KIND else str(kind)
        have = staging_pb2.StagingPayloadKind.Name(got_kind) if got_kind in MESSAGE_OF_KIND else str(got_kind)
        raise StagingError(name, "kind", f"holds {have}, expected {want}: the file name does not match its content")
    if len(data) != HEADER_SIZE + length:
        raise StagingError(name, "truncated", f"{len(data) - HEADER_SIZE} payload bytes, the header announces"
                           f" {length}: the file is torn; export the volume again")
    payload = data[HEADER_SIZE:]
    if zlib.crc32(payload) != payload_crc:
        raise StagingError(name, "corrupt", "payload checksum (CRC-32) mismatch: the file is corrupted; export the"
                           " volume again")
    message = MESSAGE_OF_KIND[kind]()
    try:
        message.ParseFromString(payload)
    except DecodeError as exc:
        raise StagingError(name, "corrupt", f"payload does not parse ({exc}): export the volume again") from None
    return message


def payload_crc(data: bytes) -> int:
    """The payload CRC-32 a file's header announces (0 when the file is too short to have one): what an UPDATE
    import remembers of a file it imported."""
    if len(data) < HEADER_SIZE:
        return 0
    return HEADER.unpack(data[:HEADER.size])[5]


def decode_as(data: bytes, kind: int, cls: type[M], name: str = "staging file") -> M:
    message = decode(data, kind, name)
    assert isinstance(message, cls)
    return message
