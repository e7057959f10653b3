"""Storage servicer: one `StorageStore` over gRPC (proto emulator/v1/storage), its `serve_storage`, and the
`PeerClient` a store uses to reach its peer storage (ReplicateIn, ConfigureReplication, ReverseReplication).

A thin adapter: requests become domain values, the store does the work, responses are built from its values.
Wire types stop here; the peer client turns every gRPC failure into an `EmulatorError` carrying the status, so
the domain records it (last_error, a retry) without knowing about gRPC.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterable, Iterator

import grpc

from emulator import rpc
from emulator.errors import EmulatorError, InvalidArgument
from emulator.servicers import duration_pb, enum_number, timestamp_pb, when
from emulator.storage import (
    DAT, IND, Chunk, ReplicateResult, ReplicatedObject, ReplicationConfig, ReplicationEvent, ReplicationStatus,
    SourceInfo, StorageFault, StorageStore, Unavailable, VolumeImage,
)
from emulator.v1 import common_pb2, storage_pb2 as pb, storage_pb2_grpc

SERVICE = "emulator.v1.Storage"
_PARTS = {IND: pb.IMAGE_PART_INDEX, DAT: pb.IMAGE_PART_DATA}
_PART_WORDS = {v: k for k, v in _PARTS.items()}


# -- conversions ------------------------------------------------------------------------------------------------
def _word(enum: Any, value: int, prefix: str) -> str:
    """Proto enum number -> domain word ('' for *_UNSPECIFIED)."""
    if value == 0:
        return ""
    try:
        return enum.Name(value)[len(prefix):]
    except ValueError:
        raise InvalidArgument(f"{prefix.rstrip('_').lower()} {value} is not a known value: see storage.proto") \
            from None


_number, _duration, _when = enum_number, duration_pb, when


def image_pb(image: VolumeImage) -> pb.VolumeImage:
    return pb.VolumeImage(
        label=image.label, labeled=image.labeled, object_name=image.object_name, path=image.path,
        index_bytes=image.index_bytes, data_bytes=image.data_bytes, checksum=image.checksum,
        modified_time=timestamp_pb(image.modified_time), encrypted=image.encrypted,
        key_manager_id=image.key_manager_id, media_key_name=image.media_key_name,
        change_sequence=image.change_sequence, replica=image.replica, source_storage_id=image.source_storage_id)


def image_of(msg: pb.VolumeImage) -> VolumeImage:
    return VolumeImage(msg.label, msg.labeled, msg.object_name, msg.path, msg.index_bytes, msg.data_bytes,
                       msg.checksum, _when(msg, "modified_time"), msg.encrypted,
                       msg.key_manager_id, msg.media_key_name, msg.change_sequence, msg.replica,
                       msg.source_storage_id)


def chunk_pb(chunk: Chunk) -> pb.ImageChunk:
    return pb.ImageChunk(part=_PARTS[chunk.part], offset=chunk.offset, data=chunk.data)


def chunk_of(msg: pb.ImageChunk) -> Chunk:
    if msg.part not in _PART_WORDS:
        raise InvalidArgument(f"image part {msg.part} is not valid: send IMAGE_PART_INDEX or IMAGE_PART_DATA")
    return Chunk(_PART_WORDS[msg.part], msg.offset, msg.data)


def config_pb(cfg: ReplicationConfig) -> pb.ReplicationConfig:
    return pb.ReplicationConfig(
        enabled=cfg.enabled, peer_storage_id=cfg.peer_storage_id,
        peer=common_pb2.Endpoint(service=SERVICE, node=cfg.peer_node, address=cfg.peer_address),
        peer_path=cfg.peer_path, mode=_number(pb.ReplicationMode, cfg.mode, "REPLICATION_MODE_"),
        lag=_duration(cfg.lag), retry_interval=_duration(cfg.retry_interval), max_attempts=cfg.max_attempts,
        keep_deleted_on_replica=cfg.keep_deleted_on_replica)


def config_of(msg: pb.ReplicationConfig) -> ReplicationConfig:
    return ReplicationConfig(
        enabled=msg.enabled, peer_storage_id=msg.peer_storage_id, peer_address=msg.peer.address,
        peer_node=msg.peer.node, peer_path=msg.peer_path,
        mode=_word(pb.ReplicationMode, msg.mode, "REPLICATION_MODE_"), lag=msg.lag.ToTimedelta(),
        retry_interval=msg.retry_interval.ToTimedelta(), max_attempts=msg.max_attempts,
        keep_deleted_on_replica=msg.keep_deleted_on_replica)


def fault_pb(fault: StorageFault) -> pb.StorageFault:
    return pb.StorageFault(id=fault.id, kind=_number(pb.StorageFaultKind, fault.kind, "STORAGE_FAULT_KIND_"),
                           label=fault.label, labeled=fault.labeled, remaining=fault.remaining,
                           injected_time=timestamp_pb(fault.injected_time))


def status_pb(st: ReplicationStatus) -> pb.ReplicationStatus:
    return pb.ReplicationStatus(
        storage_id=st.storage_id, role=_number(pb.ReplicationRole, st.role, "REPLICATION_ROLE_"),
        config=config_pb(st.config), paused=st.paused, lag=_duration(st.lag), backlog_objects=st.backlog_objects,
        backlog_bytes=st.backlog_bytes, last_replicated_time=timestamp_pb(st.last_replicated_time),
        last_replicated_label=st.last_replicated_label, last_replicated_sequence=st.last_replicated_sequence,
        replicated_objects=st.replicated_objects, failures=st.failures, last_error=st.last_error,
        autocopy_pending=st.autocopy_pending, active_faults=[fault_pb(f) for f in st.active_faults],
        image_count=st.image_count, used_bytes=st.used_bytes, capacity_bytes=st.capacity_bytes)


def event_pb(ev: ReplicationEvent) -> pb.ReplicationEvent:
    return pb.ReplicationEvent(
        sequence=ev.sequence, kind=_number(pb.ReplicationEventKind, ev.kind, "REPLICATION_EVENT_KIND_"),
        time=timestamp_pb(ev.time), label=ev.label, labeled=ev.labeled, attempt=ev.attempt, message=ev.message)


# -- the peer client ----------------------------------------------------------------------------------------------
def _peer_error(address: str, exc: grpc.RpcError) -> EmulatorError:
    """A failed peer call as an EmulatorError with the peer's status (and Guardian error, if any); a call that
    may not have reached the peer (rpc.is_indefinite) is `Unavailable`, so the store knows the peer is gone."""
    kind = Unavailable if rpc.is_indefinite(exc) else EmulatorError
    error = kind(f"peer storage at {address} answered {exc.code().name}: {exc.details()}",
                 guardian_error=rpc.guardian_error(exc))
    error.status = exc.code().name  # the instance carries the peer's status through to our own callers
    return error


class PeerClient:
    """The calls a storage makes on its peer, each on a fresh channel with a deadline."""

    def __init__(self, address: str, deadline: float = rpc.DEFAULT_DEADLINE):
        self.address = address
        self.deadline = deadline

    def _call(self, method: str, request: Any) -> Any:
        with rpc.channel(self.address) as channel:
            try:
                return getattr(storage_pb2_grpc.StorageStub(channel), method)(request, timeout=self.deadline)
            except grpc.RpcError as exc:
                raise _peer_error(self.address, exc) from None

    def replicate(self, source: SourceInfo, items: Iterable[ReplicatedObject | Chunk]) -> ReplicateResult:
        def requests() -> Iterator[pb.ReplicateInRequest]:
            yield pb.ReplicateInRequest(source_storage_id=source.storage_id, source_path=source.path,
                                        source=common_pb2.Endpoint(service=SERVICE, address=source.address))
            for item in items:
                if isinstance(item, Chunk):
                    yield pb.ReplicateInRequest(chunk=chunk_pb(item))
                else:
                    yield pb.ReplicateInRequest(object=pb.ReplicatedObject(
                        image=image_pb(item.image), deleted=item.deleted, source_sequence=item.source_sequence))
        resp = self._call("ReplicateIn", requests())
        return ReplicateResult(resp.objects_applied, resp.objects_ignored, resp.bytes, resp.last_source_sequence)

    def configure(self, config: ReplicationConfig) -> None:
        self._call("ConfigureReplication", pb.ConfigureReplicationRequest(config=config_pb(config)))

    def reverse(self, force: bool) -> list[str]:
        return list(self._call("ReverseReplication", pb.ReverseReplicationRequest(force=force)).dropped_labels)


# -- the servicer -------------------------------------------------------------------------------------------------
class StorageServicer(storage_pb2_grpc.StorageServicer):
    def __init__(self, store: StorageStore):
        self._store = store

    def PutImage(self, request_iterator, context):  # noqa: N802
        requests = iter(request_iterator)
        first = next(requests, None)
        if first is None or not first.HasField("image"):
            raise InvalidArgument("PutImage needs the image (label, labeled, encryption fields) in its first"
                                  " message, then the chunks")
        chunks = (chunk_of(m.chunk) for m in itertools.chain([first], requests) if m.HasField("chunk"))
        return pb.PutImageResponse(image=image_pb(self._store.put_stream(image_of(first.image), chunks)))

    def GetImage(self, request, context):  # noqa: N802
        parts = [_PART_WORDS.get(p) or str(p) for p in request.parts]  # an unknown number: the store refuses it
        image, chunks = self._store.open_image(request.label, request.labeled, parts=parts,
                                               chunk_size=request.chunk_size, verify_checksum=request.verify_checksum)
        yield pb.GetImageResponse(image=image_pb(image))
        for chunk in chunks:
            yield pb.GetImageResponse(chunk=chunk_pb(chunk))

    def StatImage(self, request, context):  # noqa: N802
        image = self._store.stat(request.label, request.labeled)
        return pb.StatImageResponse(found=image is not None, image=image_pb(image) if image else None)

    def ListImages(self, request, context):  # noqa: N802
        images, token, total = self._store.list_images(request.pattern, page_size=request.page.page_size,
                                                       page_token=request.page.page_token)
        return pb.ListImagesResponse(images=[image_pb(i) for i in images],
                                     page=common_pb2.PageResponse(next_page_token=token, total=total))

    def DeleteImage(self, request, context):  # noqa: N802
        return pb.DeleteImageResponse(deleted=self._store.delete(request.label, request.labeled))

    def ConfigureReplication(self, request, context):  # noqa: N802
        status = self._store.configure(config_of(request.config), replicate_existing=request.replicate_existing)
        return pb.ConfigureReplicationResponse(status=status_pb(status))

    def PauseReplication(self, request, context):  # noqa: N802
        return pb.PauseReplicationResponse(status=status_pb(self._store.pause()))

    def ResumeReplication(self, request, context):  # noqa: N802
        return pb.ResumeReplicationResponse(status=status_pb(self._store.resume()))

    def ReverseReplication(self, request, context):  # noqa: N802
        status, dropped = self._store.reverse(force=request.force)
        return pb.ReverseReplicationResponse(status=status_pb(status), dropped_labels=dropped)

    def Sync(self, request, context):  # noqa: N802
        caught_up, status = self._store.sync(timeout=request.timeout.ToTimedelta(), ignore_lag=request.ignore_lag,
                                             labels=list(request.labels))
        return pb.SyncResponse(caught_up=caught_up, status=status_pb(status))

    def GetReplicationStatus(self, request, context):  # noqa: N802
        return pb.GetReplicationStatusResponse(status=status_pb(self._store.status()))

    def ListReplicationEvents(self, request, context):  # noqa: N802
        events, last = self._store.events(request.after_sequence, request.limit)
        return pb.ListReplicationEventsResponse(events=[event_pb(e) for e in events], last_sequence=last)

    def ReplicateIn(self, request_iterator, context):  # noqa: N802
        requests = iter(request_iterator)
        first = next(requests, None)
        if first is None:
            return pb.ReplicateInResponse()
        if not first.source_storage_id:
            raise InvalidArgument("ReplicateIn needs source_storage_id in its first message")
        source = SourceInfo(first.source_storage_id, first.source.address, first.source_path)

        def items() -> Iterator[ReplicatedObject | Chunk]:
            for msg in itertools.chain([first], requests):
                if msg.HasField("object"):
                    yield ReplicatedObject(image_of(msg.object.image), msg.object.deleted,
                                           msg.object.source_sequence)
                if msg.HasField("chunk"):
                    yield chunk_of(msg.chunk)
        result = self._store.replicate_in(source, items())
        return pb.ReplicateInResponse(objects_applied=result.objects_applied, objects_ignored=result.objects_ignored,
                                      bytes=result.bytes, last_source_sequence=result.last_source_sequence)

    def NotifyDismount(self, request, context):  # noqa: N802
        access = _word(pb.DismountAccess, request.access, "DISMOUNT_ACCESS_")
        scheduled, reason = self._store.notify_dismount(request.label, request.labeled, access)
        return pb.NotifyDismountResponse(copy_scheduled=scheduled, reason=reason)

    def InjectStorageFault(self, request, context):  # noqa: N802
        kind = _word(pb.StorageFaultKind, request.kind, "STORAGE_FAULT_KIND_")
        fault = self._store.inject_fault(kind, request.label, request.labeled, request.count)
        return pb.InjectStorageFaultResponse(fault=fault_pb(fault))

    def ClearStorageFault(self, request, context):  # noqa: N802
        return pb.ClearStorageFaultResponse(cleared=self._store.clear_fault(request.fault_id))


def serve_storage(store: StorageStore, address: str = "127.0.0.1:0") -> rpc.Server:
    """Start a server for the store (health, reflection, error mapping); the store learns its own address.

    In a topology whose peers reach each other through a WAN link, set `store.self_endpoint` afterwards to the
    link address the peer should call back on (a reverse tells the peer that address)."""
    server = rpc.Server(address)
    server.add(storage_pb2_grpc.add_StorageServicer_to_server, StorageServicer(store), SERVICE)
    server.start()
    store.self_endpoint = server.address
    return server
