"""MediaCatalog servicer: DSM/TC of one node over gRPC (proto emulator/v1/media_catalog).

A thin adapter: parse the request into domain entries, call the node's `MediaCatalogStore` (or the MEDIACOM
console), build the response. The one thing done here rather than in the domain is asking the other nodes of
the SSL where a label exists (R3, R13): each is called through the link with `local_only`, and a node that does
not answer goes to `unreachable_nodes` (its uniqueness is not proven; an ADD goes on without it).
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Iterable, Iterator

import grpc

from emulator import rpc
from emulator.servicers import enum_number, timestamp_pb, when
from emulator.dsmtc_batch import Chunk
from emulator.dsmtc_entries import (
    DeleteDiskFiles, DeleteDiskFileSelection, DeleteFile, DeleteVolume, UpsertDiskFiles, UpsertFile, UpsertVolume,
    field_error, parse_volser,
)
from emulator.errors import EmulatorError, InvalidArgument, TransactionAborted, UnknownSystem
from emulator.media_catalog import (
    FILECAT, VOLCAT, BatchOp, BatchOptions, Catalog, DiskFile, LabelLocation, MediaCatalogStore, MediaDefs,
    OpCounts, Pool, TapeFile, TapeFileKey, TapeFileVolume, TapeVolume,
)
from emulator.mediacom import Mediacom
from emulator.node import Node
from emulator.v1 import common_pb2, media_catalog_pb2 as pb, media_catalog_pb2_grpc

HALF_CLOSE_GRACE = 0.010  # seconds a stream's end waits for a cancel to show before it counts as a half-close
_UNREACHABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
_KINDS = {pb.CATALOG_KIND_VOLCAT: VOLCAT, pb.CATALOG_KIND_FILECAT: FILECAT}
_DISK_STATUS = {0: "VALID", pb.DISK_FILE_STATUS_VALID: "VALID", pb.DISK_FILE_STATUS_INVALID: "INVALID"}
_DISK_STATUS_PB = {"VALID": pb.DISK_FILE_STATUS_VALID, "INVALID": pb.DISK_FILE_STATUS_INVALID}


# -- enums and times --------------------------------------------------------------------------------------------
def _name(enum: Any, value: int, prefix: str) -> str:
    """Proto enum number -> the domain word ('' for *_UNSPECIFIED)."""
    if value == 0:
        return ""
    try:
        return enum.Name(value)[len(prefix):]
    except ValueError:
        raise InvalidArgument(f"{prefix.rstrip('_').lower()} {value} is not a known value: see the proto enum") \
            from None


_number = enum_number
_ts = timestamp_pb


_when = when


def _page(page: common_pb2.PageRequest) -> tuple[int, int]:
    try:
        offset = int(page.page_token or 0)
    except ValueError:
        raise InvalidArgument(f"page token {page.page_token!r} is not one this server gave: start again with an"
                              " empty token") from None
    size = page.page_size or 1000
    if not 0 < size <= 100_000 or offset < 0:
        raise InvalidArgument(f"page size {page.page_size} must be 1..100000 (0 = 1,000)")
    return offset, size


def _page_pb(offset: int, count: int, total: int) -> common_pb2.PageResponse:
    after = offset + count
    return common_pb2.PageResponse(next_page_token=str(after) if after < total else "", total=total)


# -- wire <-> domain --------------------------------------------------------------------------------------------
def catalog_pb(c: Catalog) -> pb.Catalog:
    return pb.Catalog(name=c.name, kind=pb.CatalogKind.Value(f"CATALOG_KIND_{c.kind}"), node=c.node,
                      subvolume=c.subvolume)


def pool_of(m: pb.Pool) -> Pool:
    return Pool(m.volcat, m.name, _name(pb.LabelType, m.label, "LABEL_TYPE_"), m.density, m.media_type,
                m.autoscratch, m.searchspace_in, m.append, m.last_scratch_volume)


def pool_pb(p: Pool) -> pb.Pool:
    return pb.Pool(volcat=p.volcat, name=p.name, label=_number(pb.LabelType, p.label, "LABEL_TYPE_"),
                   density=p.density, media_type=p.media_type, autoscratch=p.autoscratch,
                   searchspace_in=p.searchspace_in, append=p.append, last_scratch_volume=p.last_scratch_volume)


def media_defs_pb(d: MediaDefs) -> pb.MediaDefs:
    return pb.MediaDefs(node=d.node, default_volcat=d.default_volcat, default_filecat=d.default_filecat,
                        default_pool=d.default_pool, level=_number(pb.MediaLevel, d.level, "MEDIA_LEVEL_"),
                        retention_days=d.retention_days, retention_permanent=d.retention_permanent,
                        abend_retention_days=d.abend_retention_days, automated=d.automated,
                        compression=d.compression, ssl=list(d.ssl))


def _media_defs_value(m: pb.MediaDefs, field: str) -> Any:
    if field == "level":
        return _name(pb.MediaLevel, m.level, "MEDIA_LEVEL_")
    if field == "ssl":
        return tuple(m.ssl)
    return getattr(m, field)


def volume_of(m: pb.TapeVolume) -> TapeVolume:
    return TapeVolume(m.volser, m.volcat, m.pool, _name(pb.LabelType, m.label, "LABEL_TYPE_"), m.media_type,
                      m.density, _name(pb.VolumeStatus, m.status, "VOLUME_STATUS_"), m.volset_id, m.vol_index,
                      m.owner_id, m.end_of_data_lba, m.tape_format, _when(m, "last_changed"))


def volume_pb(v: TapeVolume) -> pb.TapeVolume:
    return pb.TapeVolume(volser=v.volser, volcat=v.volcat, pool=v.pool,
                         label=_number(pb.LabelType, v.label, "LABEL_TYPE_"), media_type=v.media_type,
                         density=v.density, status=_number(pb.VolumeStatus, v.status, "VOLUME_STATUS_"),
                         volset_id=v.volset_id, vol_index=v.vol_index, owner_id=v.owner_id,
                         end_of_data_lba=v.end_of_data_lba, tape_format=v.tape_format,
                         last_changed=_ts(v.last_changed))


def file_of(m: pb.TapeFile) -> TapeFile:
    return TapeFile(
        m.filecat, m.file_id, m.generation, m.version, m.physical_copy, m.logical_copy, _when(m, "creation_time"),
        _when(m, "expiration_time"), m.permanent, m.record_format, m.record_length, m.block_length,
        _name(pb.TapeFileMode, m.mode, "TAPE_FILE_MODE_"), m.catalog_files,
        _name(pb.TapeFileStatus, m.status, "TAPE_FILE_STATUS_"), m.volcat, m.pool, m.volset_id, m.comment,
        tuple(TapeFileVolume(t.volser, t.vol_index, t.file_section, t.file_sequence, t.file_seq_label_lba)
              for t in m.volumes))


def file_pb(f: TapeFile) -> pb.TapeFile:
    return pb.TapeFile(
        filecat=f.filecat, file_id=f.file_id, generation=f.generation, version=f.version,
        physical_copy=f.physical_copy, logical_copy=f.logical_copy, creation_time=_ts(f.creation_time),
        expiration_time=_ts(f.expiration_time), permanent=f.permanent, record_format=f.record_format,
        record_length=f.record_length, block_length=f.block_length,
        mode=_number(pb.TapeFileMode, f.mode, "TAPE_FILE_MODE_"), catalog_files=f.catalog_files,
        status=_number(pb.TapeFileStatus, f.status, "TAPE_FILE_STATUS_"), volcat=f.volcat, pool=f.pool,
        volset_id=f.volset_id, comment=f.comment,
        volumes=[pb.TapeFileVolume(volser=t.volser, vol_index=t.vol_index, file_section=t.file_section,
                                   file_sequence=t.file_sequence, file_seq_label_lba=t.file_seq_label_lba)
                 for t in f.volumes])


def key_pb(k: TapeFileKey) -> pb.TapeFileKey:
    return pb.TapeFileKey(filecat=k.filecat, file_id=k.file_id, generation=k.generation, version=k.version)


def disk_file_pb(d: DiskFile) -> pb.DiskFile:
    return pb.DiskFile(filecat=d.filecat, disk_file_name=d.disk_file_name, time_dumped=_ts(d.time_dumped),
                       physical_copy=d.physical_copy, logical_copy=d.logical_copy, file_id=d.file_id,
                       generation=d.generation, version=d.version, status=_DISK_STATUS_PB[d.status],
                       opened=d.opened, broken=d.broken, rfneeded=d.rfneeded, corrupt=d.corrupt, audited=d.audited,
                       file_code=d.file_code, volset_id=d.volset_id, vol_index=d.vol_index)


def counts_pb(c: OpCounts) -> pb.OpCounts:
    return pb.OpCounts(added=c.added, updated=c.updated, unchanged=c.unchanged, deleted=c.deleted)


def batch_ops(request: pb.ApplyBatchRequest) -> list[BatchOp]:
    """One chunk's ops; runs of DISKFILE upserts / deletes become one row list (the hot path: plain tuples)."""
    ops: list[BatchOp] = []
    rows: list | None = None
    keys: list | None = None
    status = _DISK_STATUS
    for op in request.ops:
        kind = op.WhichOneof("op")
        if kind == "upsert_disk_file":
            if rows is None:
                rows = []
                ops.append(UpsertDiskFiles(rows))
            d = op.upsert_disk_file
            t = d.time_dumped
            dumped = t.seconds * 1_000_000 + t.nanos // 1000 if d.HasField("time_dumped") else None
            try:
                st = status[d.status]
            except KeyError:
                raise InvalidArgument(f"DISKFILE {d.disk_file_name} status {d.status} is not a known value") from None
            rows.append((d.filecat, d.disk_file_name, d.file_id, d.generation, d.version, dumped, d.physical_copy,
                         d.logical_copy, st, d.opened, d.broken, d.rfneeded, d.corrupt, d.audited, d.file_code,
                         d.volset_id, d.vol_index))
            keys = None
            continue
        rows = None
        if kind == "delete_disk_file":
            if keys is None:
                keys = []
                ops.append(DeleteDiskFiles(keys))
            d = op.delete_disk_file
            keys.append((d.filecat, d.disk_file_name, d.file_id, d.generation, d.version))
            continue
        keys = None
        if kind == "upsert_tape_volume":
            ops.append(UpsertVolume(volume_of(op.upsert_tape_volume)))
        elif kind == "delete_tape_volume":
            ops.append(DeleteVolume(op.delete_tape_volume.volser, op.delete_tape_volume.volcat))
        elif kind == "upsert_tape_file":
            ops.append(UpsertFile(file_of(op.upsert_tape_file)))
        elif kind == "delete_tape_file":
            k = op.delete_tape_file
            ops.append(DeleteFile(TapeFileKey(k.filecat, k.file_id, k.generation, k.version)))
        elif kind == "delete_disk_files":
            s = op.delete_disk_files
            ops.append(DeleteDiskFileSelection(s.filecat, s.file_id, s.generation, s.volset_id))
        else:
            raise InvalidArgument("a CatalogOp sets no operation: set one field of its `op` oneof")
    return ops


class MediaCatalogServicer(media_catalog_pb2_grpc.MediaCatalogServicer):
    """The MediaCatalog service of one node."""

    def __init__(self, node: Node):
        self._node = node

    @property
    def _store(self) -> MediaCatalogStore:
        return self._node.catalog

    def _caller(self, context: grpc.ServicerContext) -> str:
        process = dict(context.invocation_metadata()).get(rpc.PROCESS_KEY, "")
        if process:
            self._node.processes.check_alive(process)
        return process

    # -- the SSL (R3, R13) ----------------------------------------------------------------------------------
    def _remote_locations(self, volser: str) -> tuple[list[LabelLocation], list[str]]:
        """Ask every other SSL node where `volser` is; (locations, nodes that did not answer)."""
        found: list[LabelLocation] = []
        unreachable: list[str] = []
        for node, volcats in sorted(self._store.ssl_targets().items()):
            try:
                stub = media_catalog_pb2_grpc.MediaCatalogStub(self._node.remote(node))
                reply = stub.CheckLabel(pb.CheckLabelRequest(volser=volser, local_only=True),
                                        timeout=rpc.DEFAULT_DEADLINE)
            except UnknownSystem:
                unreachable.append(node)
                continue
            except grpc.RpcError as exc:
                if exc.code() in _UNREACHABLE:
                    unreachable.append(node)
                    continue
                raise EmulatorError(f"CheckLabel {volser} on SSL node {node} failed ({exc.code().name}):"
                                    f" {exc.details()}") from None
            found.extend(LabelLocation(loc.node, loc.volcat, loc.pool, loc.in_search_space)
                         for loc in reply.locations
                         if volcats is None or loc.volcat.rsplit(".", 1)[-1] in volcats)
        return found, unreachable

    def _label_checker(self, volser: str) -> list[LabelLocation]:
        return self._remote_locations(volser)[0]

    # -- catalogs, pools, MEDIADEFS ---------------------------------------------------------------------------
    def CreateCatalog(self, request: pb.CreateCatalogRequest, context: grpc.ServicerContext) -> Any:
        c = request.catalog
        if c.kind not in _KINDS:
            raise InvalidArgument("catalog kind is not set: use CATALOG_KIND_VOLCAT or CATALOG_KIND_FILECAT")
        name = f"{c.node}.{c.name}" if c.node and not c.name.startswith("\\") else c.name
        return pb.CreateCatalogResponse(catalog=catalog_pb(self._store.create_catalog(name, _KINDS[c.kind],
                                                                                      c.subvolume)))

    def ListCatalogs(self, request: pb.ListCatalogsRequest, context: grpc.ServicerContext) -> Any:
        kind = _KINDS.get(request.kind, "")
        return pb.ListCatalogsResponse(catalogs=[catalog_pb(c) for c in self._store.list_catalogs(kind)])

    def AddPool(self, request: pb.AddPoolRequest, context: grpc.ServicerContext) -> Any:
        return pb.AddPoolResponse(pool=pool_pb(self._store.add_pool(pool_of(request.pool))))

    def AlterPool(self, request: pb.AlterPoolRequest, context: grpc.ServicerContext) -> Any:
        if not request.field_mask:
            raise InvalidArgument("AlterPool changes nothing: name the fields to change in field_mask")
        pool = pool_of(request.pool)
        changes = {f: getattr(pool, f, None) for f in request.field_mask}
        return pb.AlterPoolResponse(pool=pool_pb(self._store.alter_pool(pool.volcat, pool.name, changes)))

    def DeletePool(self, request: pb.DeletePoolRequest, context: grpc.ServicerContext) -> Any:
        self._store.delete_pool(request.volcat, request.name)
        return pb.DeletePoolResponse()

    def ListPools(self, request: pb.ListPoolsRequest, context: grpc.ServicerContext) -> Any:
        return pb.ListPoolsResponse(pools=[pool_pb(p) for p in self._store.list_pools(request.volcat)])

    def GetMediaDefs(self, request: pb.GetMediaDefsRequest, context: grpc.ServicerContext) -> Any:
        return pb.GetMediaDefsResponse(media_defs=media_defs_pb(self._store.media_defs()))

    def AlterMediaDefs(self, request: pb.AlterMediaDefsRequest, context: grpc.ServicerContext) -> Any:
        if not request.field_mask:
            raise InvalidArgument("AlterMediaDefs changes nothing: name the fields to change in field_mask")
        fields = set(pb.MediaDefs.DESCRIPTOR.fields_by_name) - {"node"}
        unknown = sorted(set(request.field_mask) - fields)
        if unknown:
            raise InvalidArgument(f"MEDIADEFS has no field {', '.join(unknown)}: use {', '.join(sorted(fields))}")
        changes = {f: _media_defs_value(request.media_defs, f) for f in request.field_mask}
        defs = self._store.alter_media_defs(changes, request.user)
        return pb.AlterMediaDefsResponse(media_defs=media_defs_pb(defs))

    # -- TAPEVOLUME -------------------------------------------------------------------------------------------
    def AddTapeVolume(self, request: pb.AddTapeVolumeRequest, context: grpc.ServicerContext) -> Any:
        self._caller(context)
        volume = volume_of(request.volume)
        remote, unreachable = self._remote_locations(parse_volser(volume.volser))  # R3, R13
        added = self._store.add_volume(volume, request.user, remote)
        return pb.AddTapeVolumeResponse(volume=volume_pb(added), unreachable_nodes=unreachable)

    def AlterTapeVolume(self, request: pb.AlterTapeVolumeRequest, context: grpc.ServicerContext) -> Any:
        self._caller(context)
        status = _name(pb.VolumeStatus, request.status, "VOLUME_STATUS_")
        if not status:
            raise InvalidArgument("AlterTapeVolume needs a status: BAD, RELEASED, SCRATCH, FULL or ASSIGNED")
        volumes = self._store.alter_volumes(list(request.volsers), status, request.volcat, request.user)
        return pb.AlterTapeVolumeResponse(volumes=[volume_pb(v) for v in volumes])

    def DeleteTapeVolume(self, request: pb.DeleteTapeVolumeRequest, context: grpc.ServicerContext) -> Any:
        self._caller(context)
        self._store.delete_volume(request.volser, request.volcat, request.user)
        return pb.DeleteTapeVolumeResponse()

    def GetTapeVolume(self, request: pb.GetTapeVolumeRequest, context: grpc.ServicerContext) -> Any:
        volume, files = self._store.get_volume(request.volser, request.volcat)
        return pb.GetTapeVolumeResponse(volume=volume_pb(volume), files=[file_pb(f) for f in files])

    def ListTapeVolumes(self, request: pb.ListTapeVolumesRequest, context: grpc.ServicerContext) -> Any:
        offset, size = _page(request.page)
        volumes, total = self._store.list_volumes(request.volcat, request.pool,
                                                  _name(pb.VolumeStatus, request.status, "VOLUME_STATUS_"),
                                                  request.pattern, offset, size)
        return pb.ListTapeVolumesResponse(volumes=[volume_pb(v) for v in volumes],
                                          page=_page_pb(offset, len(volumes), total))

    def CheckLabel(self, request: pb.CheckLabelRequest, context: grpc.ServicerContext) -> Any:
        locations = list(self._store.check_label(request.volser))
        unreachable: list[str] = []
        if not request.local_only:
            remote, unreachable = self._remote_locations(parse_volser(request.volser))
            locations += remote
        return pb.CheckLabelResponse(
            locations=[pb.LabelLocation(node=loc.node, volcat=loc.volcat, pool=loc.pool,
                                        in_search_space=loc.in_search_space) for loc in locations],
            unreachable_nodes=unreachable)

    # -- TAPEFILE ---------------------------------------------------------------------------------------------
    def AddTapeFile(self, request: pb.AddTapeFileRequest, context: grpc.ServicerContext) -> Any:
        self._caller(context)
        return pb.AddTapeFileResponse(file=file_pb(self._store.add_file(file_of(request.file), request.user)))

    def AlterTapeFile(self, request: pb.AlterTapeFileRequest, context: grpc.ServicerContext) -> Any:
        self._caller(context)
        k = request.key
        status = _name(pb.TapeFileStatus, request.status, "TAPE_FILE_STATUS_")
        files = self._store.alter_file(
            k.filecat, k.file_id, k.generation, k.version if status == "VALID" else None,
            expiration=_when(request, "expiration_time"), retention_days=request.retention_days,
            permanent=request.permanent, status=status, volume_set=request.volume_set, user=request.user)
        return pb.AlterTapeFileResponse(files=[file_pb(f) for f in files])

    def DeleteTapeFile(self, request: pb.DeleteTapeFileRequest, context: grpc.ServicerContext) -> Any:
        self._caller(context)
        k = request.key
        result = self._store.delete_file(k.filecat, k.file_id, k.generation, request.all_generations, request.user)
        return pb.DeleteTapeFileResponse(files=[file_pb(f) for f in result.files],
                                         volumes=[volume_pb(v) for v in result.volumes])

    def GetTapeFile(self, request: pb.GetTapeFileRequest, context: grpc.ServicerContext) -> Any:
        k = request.key
        return pb.GetTapeFileResponse(file=file_pb(self._store.get_file(k.filecat, k.file_id, k.generation,
                                                                        k.version)))

    def ListTapeFiles(self, request: pb.ListTapeFilesRequest, context: grpc.ServicerContext) -> Any:
        offset, size = _page(request.page)
        files, total = self._store.list_files(request.filecat, request.file_id_pattern, request.volser,
                                              _name(pb.TapeFileStatus, request.status, "TAPE_FILE_STATUS_"),
                                              offset, size)
        return pb.ListTapeFilesResponse(files=[file_pb(f) for f in files], page=_page_pb(offset, len(files), total))

    def NextGeneration(self, request: pb.NextGenerationRequest, context: grpc.ServicerContext) -> Any:
        self._caller(context)
        return pb.NextGenerationResponse(generation=self._store.next_generation(request.filecat, request.file_id))

    # -- streams ----------------------------------------------------------------------------------------------
    def ListDiskFiles(self, request: pb.ListDiskFilesRequest, context: grpc.ServicerContext) -> Iterator[Any]:
        chunks = self._store.disk_files(request.filecat, request.pattern, request.file_id, request.generation,
                                        request.all_statuses, request.chunk_size)
        for chunk in chunks:
            yield pb.ListDiskFilesResponse(files=[disk_file_pb(d) for d in chunk])

    def ReadVolumeEntries(self, request: pb.ReadVolumeEntriesRequest,
                          context: grpc.ServicerContext) -> Iterator[Any]:
        entries = self._store.volume_entries(request.volcat, request.filecat, list(request.volsers), request.pool,
                                             request.include_disk_files, request.disk_file_chunk)
        for e in entries:
            yield pb.ReadVolumeEntriesResponse(
                volser=e.volser, found=e.volume is not None, volume=volume_pb(e.volume) if e.volume else None,
                files=[file_pb(f) for f in e.files], disk_files=[disk_file_pb(d) for d in e.disk_files],
                continued=e.continued)

    def ApplyBatch(self, request_iterator: Iterable[pb.ApplyBatchRequest], context: grpc.ServicerContext) -> Any:
        caller = self._caller(context)
        ended = threading.Event()
        if not context.add_callback(ended.set):
            ended.set()
        requests = _StreamReader(request_iterator, lambda: self._node.store.alive)
        try:
            first = _next_request(requests, context, ended)
            o = first.options if first is not None else pb.BatchOptions()
            options = BatchOptions(o.label, o.check_search_space, o.create_catalogs, o.process or caller,
                                   o.reject_units)
            result = self._store.apply_batch(_chunks(first, requests, context, ended), options, self._label_checker)
        finally:
            requests.close()
        return pb.ApplyBatchResponse(ops=result.ops, tape_volumes=counts_pb(result.tape_volumes),
                                     tape_files=counts_pb(result.tape_files), disk_files=counts_pb(result.disk_files),
                                     transaction_id=result.transaction_id, commits=result.commits,
                                     rejections=[pb.UnitRejection(unit=r.unit, unit_group=r.group, reason=r.reason,
                                                                  mediacom_error=r.mediacom_error)
                                                 for r in result.rejections],
                                     skipped_units=result.skipped_units)

    # -- cleanup, console -------------------------------------------------------------------------------------
    def ExpireTapeFiles(self, request: pb.ExpireTapeFilesRequest, context: grpc.ServicerContext) -> Any:
        result = self._store.expire(request.filecat)
        return pb.ExpireTapeFilesResponse(invalidated=[key_pb(k) for k in result.invalidated],
                                          removed=[key_pb(k) for k in result.removed],
                                          volumes_changed=[volume_pb(v) for v in result.volumes_changed])

    def Mediacom(self, request: pb.MediacomRequest, context: grpc.ServicerContext) -> Any:
        result = Mediacom(self._store, label_checker=self._label_checker).run(request.text,
                                                                                request.user or "SUPER.SUPER")
        return pb.MediacomResponse(output=result.output, ok=result.ok, error_code=result.error_code)


def _next_request(requests: Iterator[pb.ApplyBatchRequest], context: grpc.ServicerContext,
                  ended: threading.Event) -> pb.ApplyBatchRequest | None:
    """The next chunk of the client stream; a broken stream (cancel, deadline, lost client) aborts the batch.

    gRPC ends the request iterator the same way for a half-close and for a cancel; the cancel shows only in the
    call's termination, a few hundred microseconds later. So the end of the stream counts as a half-close only
    if the call is still alive HALF_CLOSE_GRACE seconds after it (a normal call cannot end before we answer)."""
    try:
        request = next(requests, None)
    except grpc.RpcError:
        request, broken = None, True
    else:
        broken = request is None and (ended.wait(HALF_CLOSE_GRACE) or not context.is_active())
    if broken:
        raise TransactionAborted("the ApplyBatch stream broke before the client half-closed it: the batch was"
                                 " rolled back; send it again")
    return request


class _StreamReader:
    """Reads the client's stream on its own thread, so a batch waiting for the next chunk still notices a node
    crash at once (and rolls back) instead of holding the node's write lock until the client speaks again."""

    _END = object()

    def __init__(self, requests: Iterable[pb.ApplyBatchRequest], alive: Any):
        self._queue: queue.Queue = queue.Queue(maxsize=8)
        self._alive = alive
        self._closed = threading.Event()
        threading.Thread(target=self._pump, args=(requests,), daemon=True, name="apply-batch-reader").start()

    def _put(self, item: object) -> None:
        while not self._closed.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _pump(self, requests: Iterable[pb.ApplyBatchRequest]) -> None:
        try:
            for request in requests:
                self._put(request)
            self._put(self._END)
        except grpc.RpcError as exc:  # the stream broke: handed to the batch, which rolls back
            self._put(exc)

    def __iter__(self) -> "_StreamReader":
        return self

    def __next__(self) -> pb.ApplyBatchRequest:
        while True:
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                if not self._alive():
                    self._closed.set()
                    raise TransactionAborted("the node crashed while the batch was open: nothing of it was applied")
                continue
            if item is self._END:
                self._closed.set()
                raise StopIteration
            if isinstance(item, grpc.RpcError):
                self._closed.set()
                raise item
            return item  # type: ignore[return-value]

    def close(self) -> None:
        self._closed.set()


def _chunks(first: pb.ApplyBatchRequest | None, requests: Iterator[pb.ApplyBatchRequest],
            context: grpc.ServicerContext, ended: threading.Event) -> Iterator[list[BatchOp]]:
    request = first
    while request is not None:
        try:
            yield Chunk(batch_ops(request), request.commit, request.unit, request.unit_group)
        except EmulatorError as exc:  # a value the tables cannot hold: refused as an entry of its unit
            error = exc if exc.mediacom_error is not None else field_error(exc.message)
            yield Chunk([], request.commit, request.unit, request.unit_group, error)
        request = _next_request(requests, context, ended)
