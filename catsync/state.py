"""The option's own files: export history per PRIMARY store, import history per SECONDARY store, NetBatch jobs,
EMS extractor state (state.proto).

They live in the BackBox install subvolume of a node (`$SYSTEM.BBOX`), written with the staging framing through
the node's Guardian service, so they survive restarts, follow snapshots, and a damaged one is reported instead of
being half-read.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any, TypeVar

import grpc
from google.protobuf.message import Message

from catsync import staging
from catsync.platform import failure
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2

DEFAULT_INSTALL = "$SYSTEM.BBOX"
JOBS_FILE = "CSJOBS"
EXTRACTOR_FILE = "BBEXTST"
RECENT_RUNS = 20

M = TypeVar("M", bound=Message)


def export_state_file(install: str, data_store_id: str) -> str:
    """`$SYSTEM.BBOX.CX<6>`: data store ids are longer than a Guardian file id allows, so the name is a hash."""
    return f"{install}.CX{_digest(data_store_id)}"


def import_state_file(install: str, data_store_id: str) -> str:
    """`$SYSTEM.BBOX.CI<6>`: the import history of a SECONDARY store."""
    return f"{install}.CI{_digest(data_store_id)}"


def _digest(data_store_id: str) -> str:
    return base64.b32encode(hashlib.sha1(data_store_id.encode()).digest()).decode()[:6]


def install_of(node: bb.NskNode) -> str:
    """The node's BackBox install subvolume (default `$SYSTEM.BBOX`)."""
    return (node.install_subvolume or DEFAULT_INSTALL).upper()


def install_subvolume(domain: Any, node: str) -> str:
    """The install subvolume of `node` in its domain's configuration."""
    nodes = domain.ListNskNodes(bb.ListNskNodesRequest()).nodes
    return next((install_of(n) for n in nodes if n.name.upper() == node.upper()), DEFAULT_INSTALL)


def read(guardian: Any, name: str, kind: int, cls: type[M]) -> M | None:
    """The message in file `name`, None when the file does not exist; StagingError when it is damaged."""
    try:
        data = b"".join(r.data for r in guardian.ReadFile(guardian_pb2.ReadFileRequest(name=name)))
    except grpc.RpcError as exc:
        if exc.code() == grpc.StatusCode.NOT_FOUND:
            return None
        raise failure(exc, f"reading {name}") from None
    return staging.decode_as(data, kind, cls, name)


def write(guardian: Any, name: str, message: Message, kind: int) -> None:
    """Replace file `name` with `message` (the node lands the whole file or nothing)."""
    data = staging.encode(message, kind)
    try:
        guardian.WriteFile(iter([guardian_pb2.WriteFileRequest(name=name, mode=guardian_pb2.WRITE_MODE_REPLACE,
                                                               data=data)]))
    except grpc.RpcError as exc:
        raise failure(exc, f"writing {name}") from None


def read_or_new(guardian: Any, name: str, kind: int, cls: type[M]) -> M:
    """As `read`, but a missing or damaged file starts afresh (its damage is not worth stopping an export for)."""
    try:
        found = read(guardian, name, kind, cls)
    except staging.StagingError:
        found = None
    return found if found is not None else cls()


def remember(runs: Any, run: Message) -> None:
    """Put `run` (without its report) last in a state's `recent_runs`, replacing its own earlier entry (same
    process and start), keeping the newest RECENT_RUNS."""
    entry = type(run)()
    entry.CopyFrom(run)
    entry.ClearField("report")
    kept = [r for r in runs if r.process != run.process or r.start_time != run.start_time]  # type: ignore[attr-defined]
    kept.append(entry)
    del runs[:]
    runs.extend(kept[-RECENT_RUNS:])
