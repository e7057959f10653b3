"""Backups and restores as a NonStop BACKUP / RESTORE with a TAPECATALOG DEFINE would run them on a BackBox
domain: mount a scratch (or named) volume through a VTC, catalog the TAPEFILE in DSM/TC when the tape file is
opened (its volumes become ASSIGNED), write the data, and at end of tape unload and continue on the next scratch
volume of the group, extending the TAPEFILE's volume set (TFTOV rows). With CATALOGFILES, DISKFILE entries are
written for each volume before it is unloaded, committed every N files (default 20,000). Every unload after a
write is an export trigger (R27). A restore finds the tape file through DSM/TC and reads its volumes in set order.

Only gRPC is used: MediaCatalog of the VOLCAT's node, the VTC, the data store's Storage.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Iterator

import grpc

from emulator import rpc, tape_image
from emulator.errors import Conflict, EmulatorError, InvalidArgument, NotFound
from emulator.v1 import (backbox_domain_pb2 as bb, media_catalog_pb2 as mc, storage_pb2 as st,
                         storage_pb2_grpc, tape_controller_pb2 as tc, tape_controller_pb2_grpc)

if TYPE_CHECKING:
    from emulator.backbox_domain import BackBoxDomain

MiB = 1024 * 1024
DISK_FILES_PER_COMMIT = 20_000     # BACKUP writes DISKFILE entries every N files (domain-facts §2)
ROWS_PER_MESSAGE = 1000
MAX_DISK_FILES = 10_000_000


class BackupRunner:
    """RunBackup / RunRestore of one domain, and image deletion for delete / cleanup."""

    def __init__(self, domain: BackBoxDomain):
        self.domain = domain
        self.node = domain.node

    # -- helpers -----------------------------------------------------------------------------------------------
    def _vtcs(self, vtc_id: str) -> list[bb.Vtc]:
        vtcs = self.domain.vtcs()
        if vtc_id:
            vtcs = [v for v in vtcs if v.id == vtc_id.strip().upper()]
            if not vtcs:
                raise NotFound(f"VTC {vtc_id} is not configured in domain {self.domain.domain_id}")
        if not vtcs:
            raise Conflict(f"domain {self.domain.domain_id} has no VTC: add one (AddVtc) before running backups")
        return vtcs

    def _tape(self, vtc: bb.Vtc) -> tape_controller_pb2_grpc.TapeControllerStub:
        return tape_controller_pb2_grpc.TapeControllerStub(self.domain.channel(vtc.address.address))

    def _mount(self, vtcs: list[bb.Vtc], req: tc.MountRequest) -> tuple[bb.Vtc, tc.MountResponse]:
        last: grpc.RpcError | None = None
        for vtc in vtcs:
            try:
                return vtc, self._tape(vtc).Mount(req, timeout=rpc.DEFAULT_DEADLINE)
            except grpc.RpcError as exc:
                if exc.code() != grpc.StatusCode.RESOURCE_EXHAUSTED or "drive" not in (exc.details() or ""):
                    raise
                last = exc
        assert last is not None
        raise last

    def storage(self, ds: bb.DataStore) -> storage_pb2_grpc.StorageStub | None:
        pool = next((p for p in ds.pools if p.kind == bb.STORAGE_POOL_KIND_STORAGE and p.storage.address), None)
        return storage_pb2_grpc.StorageStub(self.domain.channel(pool.storage.address)) if pool else None

    def delete_image(self, vol: bb.BackBoxVolume) -> bool:
        stub = self.storage(self.domain.data_store(vol.data_store_id))
        if stub is None:
            return False
        return stub.DeleteImage(st.DeleteImageRequest(label=vol.label, labeled=vol.labeled),
                                timeout=rpc.DEFAULT_DEADLINE).deleted

    def _group(self, req: bb.RunBackupRequest) -> bb.VolumeGroup:
        if req.volume_group_id:
            return self.domain.volume_group(req.volume_group_id)
        if req.label:
            return self.domain.volume_group(self.domain.volumes.get(req.label).volume_group_id)
        groups = self.domain.volume_groups(req.data_store_id)
        if not groups:
            raise NotFound(f"data store {req.data_store_id or '(none given)'} has no volume group: name a store with"
                           " groups, or the volume group")
        return next((g for g in groups if g.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC), groups[0])

    @staticmethod
    def disk_file_names(req: bb.RunBackupRequest) -> list[str]:
        if req.disk_file_names:
            return [n.strip().upper() for n in req.disk_file_names]
        if not req.disk_file_count:
            return []
        if req.disk_file_count > MAX_DISK_FILES:
            raise InvalidArgument(f"{req.disk_file_count:,} disk files: at most {MAX_DISK_FILES:,} per backup")
        prefix = (req.disk_file_prefix or (req.node or "\\NODE") + ".$DATA01.BACKUP.").upper()
        if not prefix.endswith("."):
            prefix += "."
        return [f"{prefix}F{i:07d}" for i in range(1, req.disk_file_count + 1)]

    # -- backup ------------------------------------------------------------------------------------------------
    def run_backup(self, req: bb.RunBackupRequest) -> bb.RunBackupResponse:
        """BACKUP; a refusal of the VTC, DSM/TC or storage keeps its status for the caller (not UNKNOWN)."""
        try:
            return self._backup(req)
        except grpc.RpcError as exc:
            raise rpc.Relayed(exc, f"BACKUP {req.file_id.strip().upper()}") from None

    def _backup(self, req: bb.RunBackupRequest) -> bb.RunBackupResponse:
        if not req.file_id.strip():
            raise InvalidArgument("a backup needs a FILEID (1..60 chars), e.g. E501NEW-OBK11-WIN1")
        if req.data_bytes < 0:
            raise InvalidArgument("data_bytes must be 0 or more")
        vg = self._group(req)
        if req.label and req.volume_group_id:
            owner = self.domain.volumes.get(req.label).volume_group_id
            if owner != vg.id:
                raise InvalidArgument(f"volume {req.label.strip().upper()} belongs to volume group {owner}, not"
                                      f" {vg.id}: name its own group, or leave volume_group_id empty")
        if req.HasField("encrypt") and req.encrypt != bool(vg.encryption_algorithm):
            # The VTC encrypts by the group's setting (BTE): a request that asks otherwise would be ignored.
            raise InvalidArgument(f"encrypt={req.encrypt} but volume group {vg.id} is"
                                  f" {'encrypted' if vg.encryption_algorithm else 'not encrypted'}: leave encrypt"
                                  " unset, or back up to a group with the wanted encryption setting")
        vtcs = self._vtcs(req.vtc_id)
        node = (req.node or self.node.name).upper()
        process = req.process or f"{node}.$BK01"
        started = self.node.utc_now()
        dsmtc = vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC
        catalog = self.domain.media_catalog(vg.volcat) if dsmtc else None
        filecat = ""
        if catalog is not None:
            filecat = req.filecat.strip().upper()
            if not filecat:
                filecat = catalog.GetMediaDefs(mc.GetMediaDefsRequest(), timeout=rpc.DEFAULT_DEADLINE
                                               ).media_defs.default_filecat
            generation = req.generation or catalog.NextGeneration(mc.NextGenerationRequest(
                filecat=filecat, file_id=req.file_id), timeout=rpc.DEFAULT_DEADLINE).generation
        else:
            generation = req.generation or 1
        expiration = self._expiration(req, started)
        data = tape_image.content(req.content_seed, req.data_bytes)
        size = (vg.max_volume_size_mb or 0) * MiB or max(len(data), 1)
        sections = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
        names = self.disk_file_names(req) if req.catalog_files else []
        per_section = _split(names, len(sections))
        tape_file = mc.TapeFile(filecat=filecat, file_id=req.file_id.strip().upper(), generation=generation,
                                version=req.version, volcat=vg.volcat, pool=vg.pool, permanent=req.permanent,
                                mode=req.mode or mc.TAPE_FILE_MODE_BKFI, catalog_files=req.catalog_files,
                                comment=req.comment, record_format="FI", status=mc.TAPE_FILE_STATUS_VALID)
        tape_file.creation_time.FromDatetime(started)
        if expiration is not None:
            tape_file.expiration_time.FromDatetime(expiration)
        resp = bb.RunBackupResponse(disk_file_count=len(names), bytes_written=len(data),
                                    checksum=hashlib.sha256(data).hexdigest())
        resp.started.FromDatetime(started)
        labels: list[str] = []
        try:
            self._write_sections(req, vg, vtcs, catalog, tape_file, sections, per_section, labels, node, process,
                                 started, resp)
        except (EmulatorError, grpc.RpcError) as exc:
            if catalog is not None and tape_file.volset_id:  # the TAPEFILE is cataloged: the file is incomplete
                self._abend(catalog, tape_file, exc)
            raise
        if catalog is not None:
            resp.tape_file.CopyFrom(catalog.GetTapeFile(mc.GetTapeFileRequest(key=mc.TapeFileKey(
                filecat=filecat, file_id=tape_file.file_id, generation=generation, version=req.version)),
                timeout=rpc.DEFAULT_DEADLINE).file)
        else:
            resp.tape_file.CopyFrom(tape_file)
            for k, label in enumerate(labels, start=1):
                resp.tape_file.volumes.add(volser=label, vol_index=k, file_section=k, file_sequence=1)
        resp.volumes.extend(self.domain.volumes.get(label) for label in labels)
        resp.finished.FromDatetime(self.node.utc_now())
        return resp

    def _write_sections(self, req: bb.RunBackupRequest, vg: bb.VolumeGroup, vtcs: list[bb.Vtc], catalog,
                        tape_file: mc.TapeFile, sections: list[bytes], per_section: list[list[str]],
                        labels: list[str], node: str, process: str, started: datetime,
                        resp: bb.RunBackupResponse) -> None:
        """Mount, catalog, write and unload each volume of the set in turn; `labels` grows as volumes are used."""
        generation = tape_file.generation
        for k, section in enumerate(sections, start=1):
            mount_req = tc.MountRequest(mode=bb.MOUNT_MODE_OUTPUT, node=node, process=process, user=req.user,
                                        origin=bb.OPERATION_ORIGIN_TAPE_APPLICATION)
            if k == 1 and req.label:
                mount_req.label = req.label
            else:
                mount_req.scratch_volume_group_id = vg.id
            vtc, mounted = self._mount(vtcs, mount_req)
            label = mounted.volume.label
            labels.append(label)
            tape = self._tape(vtc)
            written = False
            try:
                if catalog is not None:
                    self._catalog_section(catalog, tape_file, labels, k, process)
                header = tc.TapeFileHeader(drive_id=mounted.drive.id, file_id=tape_file.file_id, generation=generation,
                                           version=req.version, file_sequence=1, file_section=k, vol_index=k,
                                           volset_id=labels[0], permanent=tape_file.permanent, owner=req.user[:14],
                                           mode=tape_file.mode, label_type=mc.LABEL_TYPE_ANSI, node=node,
                                           process=process)
                header.creation_time.CopyFrom(tape_file.creation_time)
                if tape_file.HasField("expiration_time"):  # also a MEDIADEFS RETENTION applied by DSM/TC: HDR1
                    header.expiration_time.CopyFrom(tape_file.expiration_time)
                tape.WriteTapeFile(_write_stream(header, section), timeout=rpc.DEFAULT_DEADLINE)
                written = True
                if catalog is not None and per_section[k - 1]:
                    self._catalog_disk_files(catalog, tape_file, per_section[k - 1], labels[0], k,
                                             req.disk_files_per_commit or DISK_FILES_PER_COMMIT, process, started)
            finally:
                unloaded = tape.Unload(tc.UnloadRequest(drive_id=mounted.drive.id, label=label, node=node,
                                                        process=process), timeout=rpc.DEFAULT_DEADLINE)
            if written and unloaded.event_sequence:
                resp.event_sequences.append(unloaded.event_sequence)

    def _abend(self, catalog, tape_file: mc.TapeFile, exc: Exception) -> None:
        """BACKUP ended before the whole file was written: the incomplete TAPEFILE expires after the MEDIADEFS
        ABENDRETENTION (default 1 day) instead of its RETENTION (domain-facts §2); the error says so."""
        try:
            days = catalog.GetMediaDefs(mc.GetMediaDefsRequest(), timeout=rpc.DEFAULT_DEADLINE
                                        ).media_defs.abend_retention_days
            alter = mc.AlterTapeFileRequest(key=mc.TapeFileKey(
                filecat=tape_file.filecat, file_id=tape_file.file_id, generation=tape_file.generation,
                version=tape_file.version), user="SUPER.SUPER")
            if days:
                alter.retention_days = days
            else:
                alter.expiration_time.CopyFrom(tape_file.creation_time)
            catalog.AlterTapeFile(alter, timeout=rpc.DEFAULT_DEADLINE)
            note = (f"the incomplete tape file {tape_file.file_id} gen {tape_file.generation} expires after the"
                    f" ABENDRETENTION of {days} day(s)")
        except grpc.RpcError as failed:
            note = (f"the incomplete tape file {tape_file.file_id} gen {tape_file.generation} keeps its expiration:"
                    f" ABENDRETENTION could not be applied ({failed.details()}); DELETE TAPEFILE it by hand")
        if isinstance(exc, EmulatorError):
            exc.message = f"{exc.message}; {note}"
            exc.args = (exc.message,)
        else:
            exc.add_note(note)

    def _expiration(self, req: bb.RunBackupRequest, now: datetime) -> datetime | None:
        if req.permanent:
            return None
        if req.HasField("expiration_time"):
            return req.expiration_time.ToDatetime().replace(tzinfo=now.tzinfo)
        if req.retention_days:
            if not 1 <= req.retention_days <= 9999:
                raise InvalidArgument(f"RETENTION {req.retention_days} must be 1..9999 days (or PERMANENT)")
            return now + timedelta(days=req.retention_days)
        return None  # DSM/TC applies MEDIADEFS RETENTION

    def _catalog_section(self, catalog, tape_file: mc.TapeFile, labels: list[str], k: int, process: str) -> None:
        """The TAPEFILE when the file opens on its first volume; each further volume joins its set."""
        del tape_file.volumes[:]
        for i, label in enumerate(labels, start=1):
            tape_file.volumes.add(volser=label, vol_index=i, file_section=i, file_sequence=1)
        if k == 1:
            added = catalog.AddTapeFile(mc.AddTapeFileRequest(file=tape_file, user="SUPER.SUPER"),
                                        timeout=rpc.DEFAULT_DEADLINE).file
            tape_file.generation, tape_file.volset_id = added.generation, added.volset_id
            if not tape_file.HasField("expiration_time") and added.HasField("expiration_time"):
                tape_file.expiration_time.CopyFrom(added.expiration_time)
            tape_file.permanent = added.permanent
            return
        tv = catalog.GetTapeVolume(mc.GetTapeVolumeRequest(volser=labels[-1], volcat=tape_file.volcat),
                                   timeout=rpc.DEFAULT_DEADLINE).volume
        tv.status, tv.volset_id, tv.vol_index = mc.VOLUME_STATUS_ASSIGNED, labels[0], k
        ops = [mc.CatalogOp(upsert_tape_volume=tv), mc.CatalogOp(upsert_tape_file=tape_file)]
        catalog.ApplyBatch(iter([mc.ApplyBatchRequest(options=mc.BatchOptions(
            label=f"BACKUP {tape_file.file_id} volume {k}"), ops=ops)]), timeout=rpc.DEFAULT_DEADLINE)

    def _catalog_disk_files(self, catalog, tape_file: mc.TapeFile, names: list[str], volset: str, index: int,
                            per_commit: int, process: str, dumped: datetime) -> None:
        for start in range(0, len(names), per_commit):
            part = names[start:start + per_commit]
            catalog.ApplyBatch(_disk_file_batches(tape_file, part, volset, index, dumped),
                               timeout=rpc.DEFAULT_DEADLINE * 10)

    # -- restore -----------------------------------------------------------------------------------------------
    def run_restore(self, req: bb.RunRestoreRequest) -> bb.RunRestoreResponse:
        """RESTORE; as for BACKUP, a downstream refusal keeps its status."""
        try:
            return self._restore(req)
        except grpc.RpcError as exc:
            raise rpc.Relayed(exc, f"RESTORE {req.file_id.strip().upper()}") from None

    def _restore(self, req: bb.RunRestoreRequest) -> bb.RunRestoreResponse:
        node = (req.node or self.node.name).upper()
        catalog = self.domain.media_catalog(node)
        key = mc.TapeFileKey(filecat=req.filecat, file_id=req.file_id, generation=req.generation,
                             version=req.version or -1)
        try:
            tape_file = catalog.GetTapeFile(mc.GetTapeFileRequest(key=key), timeout=rpc.DEFAULT_DEADLINE).file
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound(f"RESTORE: tape file {req.file_id} is not in the DSM/TC catalog of {node}"
                               f" ({exc.details()}): nothing to restore from") from None
            raise
        rows = sorted(tape_file.volumes, key=lambda t: t.vol_index)
        vtcs = self._vtcs(req.vtc_id)
        digest = hashlib.sha256()
        resp = bb.RunRestoreResponse(tape_file=tape_file)
        process = f"{node}.$RS01"
        for row in rows:
            vtc, mounted = self._mount(vtcs, tc.MountRequest(label=row.volser, mode=bb.MOUNT_MODE_INPUT, node=node,
                                                             process=process, user=req.user,
                                                             origin=bb.OPERATION_ORIGIN_TAPE_APPLICATION))
            tape = self._tape(vtc)
            try:
                for msg in tape.ReadTapeFile(tc.ReadTapeFileRequest(
                        drive_id=mounted.drive.id, file_id=tape_file.file_id, generation=tape_file.generation,
                        labels_only=req.list_only, node=node, process=process), timeout=rpc.DEFAULT_DEADLINE):
                    if msg.data:
                        digest.update(msg.data)
                        resp.bytes_read += len(msg.data)
            finally:
                tape.Unload(tc.UnloadRequest(drive_id=mounted.drive.id, node=node, process=process),
                            timeout=rpc.DEFAULT_DEADLINE)
            resp.labels.append(row.volser)
        if not req.list_only:
            resp.checksum = digest.hexdigest()
        if tape_file.catalog_files:
            resp.disk_file_count = sum(len(m.files) for m in catalog.ListDiskFiles(mc.ListDiskFilesRequest(
                filecat=tape_file.filecat, file_id=tape_file.file_id, generation=tape_file.generation),
                timeout=rpc.DEFAULT_DEADLINE))
        return resp


def _split(names: list[str], parts: int) -> list[list[str]]:
    """Disk files over the volumes of the set, in order, as evenly as the data."""
    out: list[list[str]] = [[] for _ in range(parts)]
    for i, name in enumerate(names):
        out[i * parts // max(len(names), 1)].append(name)
    return out


def _write_stream(header: tc.TapeFileHeader, data: bytes) -> Iterator[tc.WriteTapeFileRequest]:
    yield tc.WriteTapeFileRequest(header=header)
    for i in range(0, len(data), 256 * 1024):
        yield tc.WriteTapeFileRequest(data=data[i:i + 256 * 1024])


def _disk_file_batches(tape_file: mc.TapeFile, names: list[str], volset: str, index: int, dumped: datetime
                       ) -> Iterator[mc.ApplyBatchRequest]:
    first = True
    for start in range(0, len(names), ROWS_PER_MESSAGE):
        ops = []
        for name in names[start:start + ROWS_PER_MESSAGE]:
            df = mc.DiskFile(filecat=tape_file.filecat, disk_file_name=name, physical_copy=1, logical_copy=1,
                             file_id=tape_file.file_id, generation=tape_file.generation, version=tape_file.version,
                             status=mc.DISK_FILE_STATUS_VALID, volset_id=volset, vol_index=index)
            df.time_dumped.FromDatetime(dumped)
            ops.append(mc.CatalogOp(upsert_disk_file=df))
        msg = mc.ApplyBatchRequest(ops=ops)
        if first:
            msg.options.CopyFrom(mc.BatchOptions(label=f"BACKUP {tape_file.file_id} DISKFILEs"))
            first = False
        yield msg

