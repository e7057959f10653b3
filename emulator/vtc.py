"""A BackBox VT controller (VTC): the Windows server whose virtual tape drives the NonStop nodes see.

A mount asks the domain manager (BeginVolumeOperation), which decides access (R17, R18), picks the scratch
volume and locks it; the VTC then writes or reads the volume's image in the data store's Storage service,
encrypting with a key from the group's key manager (a new key per tape, or one per drive); an unload tells the
domain (EndVolumeOperation, re-sent every minute for up to 7 days while the domain does not answer) and, for
AutoCopy storages, the storage (NotifyDismount). A VTC holds one volume per drive and never spans volumes: at end
of tape the host mounts the next one, as BACKUP does. A volume image holds one tape file section (file sequence 1).

Drives and mounts live in memory: a VTC restart forgets its mounts, and the domain's locks stay until the UI
"Reset" clears them, as on a real domain.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Iterator

import grpc

from emulator import rpc, tape_image
from emulator.clock import Clock
from emulator.errors import Conflict, EmulatorError, InvalidArgument, NotFound
from emulator.v1 import (backbox_domain_pb2 as bb, backbox_domain_pb2_grpc, key_manager_pb2 as km,
                         key_manager_pb2_grpc, storage_pb2 as st, storage_pb2_grpc, tape_controller_pb2 as tc)

MiB = 1024 * 1024
CHUNK = 256 * 1024
END_RETRY = timedelta(minutes=1)
END_RETRY_FOR = timedelta(days=7)


class EndOfTape(EmulatorError):
    """The section does not fit on the volume: the host must continue on the next volume."""

    status = "RESOURCE_EXHAUSTED"


class NoFreeDrive(EmulatorError):
    """Every drive of the VTC is in use or down."""

    status = "RESOURCE_EXHAUSTED"


class KeyUnavailable(Conflict):
    """The key of an encrypted volume cannot be fetched (R50)."""


@dataclass
class Mount:
    """A mount on a drive, as long as the volume is loaded."""

    pb: bb.TapeMount
    begin: bb.BeginVolumeOperationResponse | None = None
    written: bool = False
    index_bytes: int = 0
    data_bytes: int = 0
    index_path: str = ""
    data_path: str = ""
    key_manager_id: str = ""
    media_key_name: str = ""


@dataclass
class DriveState:
    pb: tc.Drive
    mount: Mount | None = None


class VirtualTapeController:
    """One VTC: its drives, the mounts on them, and the calls to the domain, storages and key managers."""

    def __init__(self, vtc_id: str, clock: Clock, domain_address: str, drives: Iterable[tuple[str, str]],
                 media_type: str = "LTO3", domain_id: str = ""):
        self.id = vtc_id.upper()
        self.clock = clock
        self.domain_address = domain_address
        self.domain_id = domain_id
        self._lock = threading.RLock()
        self._drives: dict[str, DriveState] = {}
        for drive_id, node in drives:
            self._drives[drive_id.upper()] = DriveState(tc.Drive(id=drive_id.upper(), vtc_id=self.id, node=node.upper(),
                                                                 status=tc.DRIVE_STATUS_FREE, media_type=media_type))
        if not self._drives:
            raise InvalidArgument(f"VTC {self.id} needs at least one drive")
        self._mounts: list[bb.TapeMount] = []
        self._ids = itertools.count(1)
        self._channels: dict[str, grpc.Channel] = {}
        self._key_counter = itertools.count(1)

    # -- clients -----------------------------------------------------------------------------------------------
    def _channel(self, address: str) -> grpc.Channel:
        with self._lock:
            if address not in self._channels:
                self._channels[address] = rpc.channel(address)
            return self._channels[address]

    def _domain(self) -> backbox_domain_pb2_grpc.BackBoxDomainStub:
        return backbox_domain_pb2_grpc.BackBoxDomainStub(self._channel(self.domain_address))

    def _storage(self, ds: bb.DataStore) -> tuple[storage_pb2_grpc.StorageStub, str]:
        pool = next((p for p in ds.pools if p.kind == bb.STORAGE_POOL_KIND_STORAGE and p.storage.address), None)
        if pool is None:
            raise Conflict(f"data store {ds.id} has no storage pool with a Storage service: add one to its"
                           f" configuration (W3077 The disk pool is missing in the configuration of DataStore {ds.id}.)")
        return storage_pb2_grpc.StorageStub(self._channel(pool.storage.address)), pool.path

    def _key_manager(self, ref: bb.KeyManagerRef) -> key_manager_pb2_grpc.KeyManagerStub:
        if not ref.address.address:
            raise KeyUnavailable(f"key manager {ref.id or '(none)'} is not configured in domain {self.domain_id}: add"
                                 " the same Key Manager ID pointing at this site's key manager (R50)")
        return key_manager_pb2_grpc.KeyManagerStub(self._channel(ref.address.address))

    # -- drives ------------------------------------------------------------------------------------------------
    def drives(self, status: int = 0, node: str = "") -> list[tc.Drive]:
        with self._lock:
            return [_copy(d.pb) for d in self._drives.values()
                    if (not status or d.pb.status == status) and (not node or d.pb.node == node.upper())]

    def _drive(self, drive_id: str) -> DriveState:
        state = self._drives.get(drive_id.strip().upper())
        if state is None:
            raise NotFound(f"drive {drive_id} is not a drive of VTC {self.id} (drives: {', '.join(self._drives)})")
        return state

    def set_drive_status(self, drive_id: str, status: int, force: bool = False) -> tc.Drive:
        if status not in (tc.DRIVE_STATUS_FREE, tc.DRIVE_STATUS_DOWN):
            raise InvalidArgument("a drive can be set FREE (UP) or DOWN")
        state = self._drive(drive_id)
        with self._lock:
            if state.pb.status == tc.DRIVE_STATUS_INUSE and not force:
                raise Conflict(f"drive {state.pb.id} holds volume {state.pb.mounted_label}: unload it first, or force")
            state.pb.status = status
            return state.pb

    # -- mount -------------------------------------------------------------------------------------------------
    def mount(self, req: tc.MountRequest) -> tc.MountResponse:
        mount = bb.TapeMount(id=f"M{next(self._ids):06d}", label=req.label.upper(),
                             scratch_volume_group_id=req.scratch_volume_group_id.upper(), mode=req.mode,
                             status=bb.TAPE_MOUNT_STATUS_PENDING, type=req.type or bb.TAPE_MOUNT_TYPE_ZSVR,
                             node=req.node.upper(), process=req.process, vtc_id=self.id)
        mount.requested_time.FromDatetime(self.clock.now())
        with self._lock:
            self._mounts.append(mount)
            state = self._free_drive(req.drive_id, req.node, mount)
            state.pb.status = tc.DRIVE_STATUS_INUSE  # reserved while the domain decides
        mount.drive_id = state.pb.id
        mount.attempts = 1
        try:
            begin = self._domain().BeginVolumeOperation(bb.BeginVolumeOperationRequest(
                operation=bb.VOLUME_OPERATION_LOAD, label=req.label, scratch_volume_group_id=req.scratch_volume_group_id,
                mode=req.mode, vtc_id=self.id, drive_id=state.pb.id, node=req.node, process=req.process,
                user=req.user, origin=req.origin or bb.OPERATION_ORIGIN_TAPE_APPLICATION), timeout=rpc.DEFAULT_DEADLINE)
        except grpc.RpcError as exc:
            with self._lock:
                state.pb.status = tc.DRIVE_STATUS_FREE
                mount.status = (bb.TAPE_MOUNT_STATUS_NO_RESOURCE if exc.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
                                else bb.TAPE_MOUNT_STATUS_FAILED)
                mount.message = exc.details() or ""
            raise rpc.Relayed(exc, f"mount on {self.id} {state.pb.id}") from None
        now = self.clock.now()
        with self._lock:
            mount.label = begin.volume.label
            mount.status = bb.TAPE_MOUNT_STATUS_LOADED
            mount.operation_id = begin.operation_id
            mount.loaded_time.FromDatetime(now)
            state.mount = Mount(mount, begin)
            d = state.pb
            d.mounted_label, d.mode, d.process, d.operation_id, d.mount_id = (
                begin.volume.label, req.mode, req.process, begin.operation_id, mount.id)
            d.mounted_time.FromDatetime(now)
        return tc.MountResponse(drive=d, mount=mount, volume=begin.volume, scratched=begin.scratched)

    def _free_drive(self, drive_id: str, node: str, mount: bb.TapeMount) -> DriveState:
        if drive_id:
            state = self._drive(drive_id)
            if state.pb.status != tc.DRIVE_STATUS_FREE:
                mount.status, mount.message = bb.TAPE_MOUNT_STATUS_NO_RESOURCE, f"drive {state.pb.id} is not FREE"
                raise NoFreeDrive(f"drive {state.pb.id} of VTC {self.id} is"
                                  f" {tc.DriveStatus.Name(state.pb.status).removeprefix('DRIVE_STATUS_')}: use another"
                                  " drive or leave the drive empty")
            return state
        for state in self._drives.values():
            if state.pb.status == tc.DRIVE_STATUS_FREE and (not node or state.pb.node == node.upper()):
                return state
        mount.status, mount.message = bb.TAPE_MOUNT_STATUS_NO_RESOURCE, "no free drive"
        raise NoFreeDrive(f"no free drive on VTC {self.id}{' for ' + node.upper() if node else ''}: wait for an"
                          " unload, or add drives")

    def _loaded(self, drive_id: str, mode: int) -> tuple[DriveState, Mount]:
        state = self._drive(drive_id)
        if state.mount is None:
            raise Conflict(f"drive {state.pb.id} has no volume loaded: mount one first")
        if state.mount.pb.mode != mode:
            word = "OUTPUT" if mode == bb.MOUNT_MODE_OUTPUT else "INPUT"
            raise Conflict(f"volume {state.pb.mounted_label} on {state.pb.id} is not mounted for {word}")
        return state, state.mount

    # -- write -------------------------------------------------------------------------------------------------
    def write(self, header: tc.TapeFileHeader, chunks: Iterator[bytes]) -> tc.WriteTapeFileResponse:
        state, mount = self._loaded(header.drive_id, bb.MOUNT_MODE_OUTPUT)
        begin = mount.begin
        assert begin is not None
        vol, vg, ds = begin.volume, begin.volume_group, begin.data_store
        if mount.written or (header.file_sequence or 1) != 1:
            # An image holds one tape file section: a second file would silently replace the first one.
            raise Conflict(f"volume {vol.label} on {state.pb.id} already holds a tape file from this mount (or file"
                           f" sequence {header.file_sequence} was asked): this VTC writes one tape file per volume;"
                           " unload it and write the next file on another volume")
        limit = (vg.max_volume_size_mb or vol.max_size_mb or 0) * MiB
        data = bytearray()
        for chunk in chunks:
            data += chunk
            if limit and len(data) > limit:
                raise EndOfTape(f"end of tape on volume {vol.label}: the section is larger than the group's max volume"
                                f" size of {limit // MiB} MB; write at most that much and continue on the next volume")
        try:
            key, key_name, km_id = self._key_for_write(begin, state.pb.id)
        except grpc.RpcError as exc:
            raise rpc.Relayed(exc, f"encryption key for volume {vol.label} from key manager {vg.key_manager_id}"
                          ) from None
        index = tape_image.ImageIndex(
            label=vol.label, file_id=header.file_id, generation=header.generation, version=header.version,
            file_sequence=header.file_sequence or 1, file_section=header.file_section or 1,
            vol_index=header.vol_index or 1, volset_id=header.volset_id or vol.label,
            creation=_iso(header.creation_time) or self.clock.now().isoformat(),
            expiration="" if header.permanent else _iso(header.expiration_time), owner=header.owner,
            mode=header.mode, written=self.clock.now().isoformat(), key_manager_id=km_id, media_key_name=key_name,
            algorithm=vg.encryption_algorithm if key else "")
        ind, dat = tape_image.encode(index, bytes(data), key)
        storage, path = self._storage(ds)
        image = st.VolumeImage(label=vol.label, labeled=vol.labeled, encrypted=key is not None,
                               key_manager_id=km_id, media_key_name=key_name)
        try:
            storage.PutImage(_put_stream(image, ind, dat), timeout=rpc.DEFAULT_DEADLINE)
        except grpc.RpcError as exc:
            raise rpc.Relayed(exc, f"writing the image of volume {vol.label} to data store {ds.id}") from None
        prefix = ("LB" if vol.labeled else "NL") + vol.label
        with self._lock:
            mount.written = True
            mount.index_bytes, mount.data_bytes = len(ind), len(dat)
            mount.index_path, mount.data_path = f"{path}\\{prefix}.IND", f"{path}\\{prefix}.DAT"
            mount.key_manager_id, mount.media_key_name = km_id, key_name
        written = tc.WrittenVolume(label=vol.label, bytes=len(data), blocks=len(index.blocks), encrypted=key is not None,
                                   key_manager_id=km_id, media_key_name=key_name, operation_id=begin.operation_id)
        written.tftov.volser = vol.label
        written.tftov.vol_index = index.vol_index
        written.tftov.file_section = index.file_section
        written.tftov.file_sequence = index.file_sequence
        return tc.WriteTapeFileResponse(bytes_written=len(data), blocks=len(index.blocks), volumes=[written],
                                        checksum=index.checksum)

    def _key_for_write(self, begin: bb.BeginVolumeOperationResponse, drive_id: str) -> tuple[bytes | None, str, str]:
        vg = begin.volume_group
        if not vg.encryption_algorithm:
            return None, "", ""
        ref = begin.key_manager
        stub = self._key_manager(ref)
        requester = f"{self.id} {begin.volume.label}"
        if begin.new_key_required:  # KeyPerTape: a new key at each rewrite (BTE)
            stamp = self.clock.now().strftime("%Y%m%d%H%M%S")
            name = f"{self.domain_id or 'BB'}-{begin.volume.label}-{stamp}-{next(self._key_counter)}"
            created = stub.CreateKey(km.CreateKeyRequest(name=name, algorithm="AES256", requester=requester),
                                     timeout=rpc.DEFAULT_DEADLINE)
            name = created.key.name
        else:  # KeyPerDrive
            name = f"{self.domain_id or 'BB'}-{self.id}-{drive_id.lstrip('$')}"
            try:
                stub.GetKey(km.GetKeyRequest(name=name, requester=requester), timeout=rpc.DEFAULT_DEADLINE)
            except grpc.RpcError as exc:
                if exc.code() != grpc.StatusCode.NOT_FOUND:
                    raise
                stub.CreateKey(km.CreateKeyRequest(name=name, algorithm="AES256", requester=requester),
                               timeout=rpc.DEFAULT_DEADLINE)
        got = stub.GetKey(km.GetKeyRequest(name=name, requester=requester), timeout=rpc.DEFAULT_DEADLINE)
        return bytes(got.material), name, ref.id

    # -- read --------------------------------------------------------------------------------------------------
    def read(self, req: tc.ReadTapeFileRequest) -> Iterator[tc.ReadTapeFileResponse]:
        state, mount = self._loaded(req.drive_id, bb.MOUNT_MODE_INPUT)
        begin = mount.begin
        assert begin is not None
        vol = begin.volume
        if not vol.materialized:
            raise Conflict(f"volume {vol.label} holds no data (never written, or its storage was freed): nothing to"
                           " read")
        storage, _ = self._storage(begin.data_store)
        parts: dict[int, bytearray] = {st.IMAGE_PART_INDEX: bytearray(), st.IMAGE_PART_DATA: bytearray()}
        try:
            for msg in storage.GetImage(st.GetImageRequest(label=vol.label, labeled=vol.labeled, verify_checksum=True),
                                        timeout=rpc.DEFAULT_DEADLINE):
                if msg.HasField("chunk"):
                    parts[msg.chunk.part] += msg.chunk.data
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound(f"the image of volume {vol.label} is not in data store {begin.data_store.id}'s storage:"
                               " the volume cannot be restored here (replication lagging or object lost?)") from None
            raise rpc.Relayed(exc, f"reading the image of volume {vol.label} from data store {begin.data_store.id}"
                          ) from None
        index = tape_image.ImageIndex.from_bytes(bytes(parts[st.IMAGE_PART_INDEX]), vol.label)
        if req.file_id and req.file_id.upper() != index.file_id.upper():
            raise NotFound(f"tape file {req.file_id} is not on volume {vol.label} (it holds {index.file_id})")
        if req.generation and req.generation != index.generation:
            raise NotFound(f"generation {req.generation} of {index.file_id} is not on volume {vol.label} (it holds"
                           f" generation {index.generation})")
        header = tc.TapeFileHeader(drive_id=state.pb.id, file_id=index.file_id, generation=index.generation,
                                   version=index.version, file_sequence=index.file_sequence, owner=index.owner,
                                   mode=index.mode, file_section=index.file_section, vol_index=index.vol_index,
                                   volset_id=index.volset_id, permanent=not index.expiration)
        for name, text in (("creation_time", index.creation), ("expiration_time", index.expiration)):
            if text:  # the HDR1 dates
                getattr(header, name).FromDatetime(datetime.fromisoformat(text))
        yield tc.ReadTapeFileResponse(header=header, label=vol.label)
        if req.labels_only:
            yield tc.ReadTapeFileResponse(label=vol.label, end_of_file=True, checksum=index.checksum)
            return
        key = self._key_for_read(index, begin) if index.encrypted else None
        plain = tape_image.decode(index, bytes(parts[st.IMAGE_PART_DATA]), key)
        size = req.chunk_size or 64 * 1024
        for start in range(0, len(plain), size):
            yield tc.ReadTapeFileResponse(data=plain[start:start + size], label=vol.label)
        yield tc.ReadTapeFileResponse(label=vol.label, end_of_file=True, checksum=hashlib.sha256(plain).hexdigest())

    def _key_for_read(self, index: tape_image.ImageIndex, begin: bb.BeginVolumeOperationResponse) -> bytes:
        ref = begin.key_manager
        if not ref.id:
            ref = bb.KeyManagerRef(id=index.key_manager_id)
        stub = self._key_manager(ref)
        try:
            got = stub.GetKey(km.GetKeyRequest(name=index.media_key_name, requester=f"{self.id} {index.label}"),
                              timeout=rpc.DEFAULT_DEADLINE)
        except grpc.RpcError as exc:
            if exc.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION):
                raise KeyUnavailable(f"volume {index.label} cannot be read: key {index.media_key_name} is not available"
                                     f" on key manager {ref.id} ({exc.details()}); wait for key replication or check"
                                     " the key manager configuration (R50)") from None
            raise rpc.Relayed(exc, f"key {index.media_key_name} of volume {index.label} from key manager {ref.id}"
                          ) from None
        return bytes(got.material)

    # -- unload ------------------------------------------------------------------------------------------------
    def unload(self, req: tc.UnloadRequest) -> tc.UnloadResponse:
        state = self._drive(req.drive_id)
        with self._lock:
            mount = state.mount
            if mount is None:
                raise Conflict(f"drive {state.pb.id} has no volume loaded: nothing to unload")
            if req.label and req.label.upper() != state.pb.mounted_label:
                raise Conflict(f"drive {state.pb.id} holds {state.pb.mounted_label}, not {req.label.upper()}")
            state.mount = None
            label = state.pb.mounted_label
            for name in ("mounted_label", "mode", "process", "mounted_time", "operation_id", "mount_id"):
                state.pb.ClearField(name)
            state.pb.status = tc.DRIVE_STATUS_FREE
            mount.pb.status = bb.TAPE_MOUNT_STATUS_UNLOADED
        now = self.clock.now()
        end = bb.EndVolumeOperationRequest(
            operation_id=mount.pb.operation_id, label=label, written=mount.written, data_bytes=mount.data_bytes,
            index_bytes=mount.index_bytes, index_path=mount.index_path, data_path=mount.data_path,
            key_manager_id=mount.key_manager_id, media_key_name=mount.media_key_name)
        end.end_time.FromDatetime(now)
        resp = tc.UnloadResponse(label=label, written=mount.written, drive=state.pb)
        resp.unload_time.FromDatetime(now)
        try:
            ended = self._domain().EndVolumeOperation(end, timeout=rpc.DEFAULT_DEADLINE)
            resp.volume.CopyFrom(ended.volume)
            resp.event_sequence = ended.event_sequence
        except grpc.RpcError as exc:
            if not rpc.is_indefinite(exc):
                raise rpc.Relayed(exc, f"end of operation {end.operation_id} on volume {label}") from None
            self._retry_end(end, now)  # the domain is unreachable: re-send until it answers (up to 7 days)
        if mount.begin is not None:
            self._notify_dismount(mount, label, now)
        return resp

    def _retry_end(self, end: bb.EndVolumeOperationRequest, first: datetime) -> None:
        def again(_firing: object) -> None:
            try:
                self._domain().EndVolumeOperation(end, timeout=rpc.DEFAULT_DEADLINE)
            except grpc.RpcError as exc:
                if rpc.is_indefinite(exc) and self.clock.now() - first < END_RETRY_FOR:
                    self.clock.register(f"vtc:{self.id}", f"re-send end of {end.operation_id}", delay=END_RETRY,
                                        callback=again)
        self.clock.register(f"vtc:{self.id}", f"re-send end of {end.operation_id}", delay=END_RETRY, callback=again)

    def _notify_dismount(self, mount: Mount, label: str, now: datetime) -> None:
        """AutoCopy storages copy a volume after a read/write dismount (domain-facts §7)."""
        assert mount.begin is not None
        try:
            storage, _ = self._storage(mount.begin.data_store)
            req = st.NotifyDismountRequest(label=label, labeled=mount.begin.volume.labeled, vtc_id=self.id,
                                           drive_id=mount.pb.drive_id,
                                           access=st.DISMOUNT_ACCESS_READ_WRITE if mount.written
                                           else st.DISMOUNT_ACCESS_READ_ONLY)
            req.time.FromDatetime(now)
            storage.NotifyDismount(req, timeout=rpc.DEFAULT_DEADLINE)
        except (grpc.RpcError, EmulatorError):
            pass  # the storage's own monitor would notice later; AutoCopy failures are its events, not the unload's

    # -- mounts ------------------------------------------------------------------------------------------------
    def mount_status(self, drive_id: str = "", label: str = "", mount_id: str = "") -> tc.GetMountStatusResponse:
        with self._lock:
            for m in reversed(self._mounts):
                if (mount_id and m.id == mount_id) or (label and m.label == label.upper()) or \
                        (drive_id and m.drive_id == drive_id.upper()):
                    drive = self._drives[m.drive_id].pb if m.drive_id in self._drives else None
                    return tc.GetMountStatusResponse(drive=drive, mount=m)
        raise NotFound("no such mount on VTC " + self.id + ": give a drive, label or mount id it has seen")

    def mounts(self, status: int = 0, node: str = "", limit: int = 0) -> list[bb.TapeMount]:
        with self._lock:
            out = [m for m in reversed(self._mounts) if (not status or m.status == status)
                   and (not node or m.node == node.upper())]
        return out[: limit or 1000]

    def close(self) -> None:
        self.clock.cancel_owner(f"vtc:{self.id}")
        with self._lock:
            for ch in self._channels.values():
                ch.close()
            self._channels.clear()


def _copy(drive: tc.Drive) -> tc.Drive:
    out = tc.Drive()
    out.CopyFrom(drive)
    return out


def _iso(ts) -> str:
    return ts.ToDatetime().isoformat() if ts.seconds or ts.nanos else ""


def _put_stream(image: st.VolumeImage, ind: bytes, dat: bytes) -> Iterator[st.PutImageRequest]:
    yield st.PutImageRequest(image=image)
    for part, raw in ((st.IMAGE_PART_INDEX, ind), (st.IMAGE_PART_DATA, dat)):
        for offset in range(0, len(raw), CHUNK):
            yield st.PutImageRequest(chunk=st.ImageChunk(part=part, offset=offset, data=raw[offset:offset + CHUNK]))
        if not raw:
            yield st.PutImageRequest(chunk=st.ImageChunk(part=part, offset=0, data=b""))
