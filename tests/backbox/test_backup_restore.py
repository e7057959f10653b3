"""Backups and restores on the two-site BackBox topology: what DSM/TC and the BackBox catalog hold after a NonStop
BACKUP with a TAPECATALOG DEFINE (domain-facts §2, §4), multi-volume sets, generations, restore, and encrypted
volumes read at the secondary site once storage and keys have replicated (R50)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration

from emulator import tape_image
from emulator.v1 import (backbox_domain_pb2 as bb, clock_pb2, key_manager_pb2 as km, media_catalog_pb2 as mc,
                         storage_pb2 as st, tape_controller_pb2 as tc)

PRI, SEC = "E501NEW", "YINE500"
NODE = "\\INSIDX"
VOLCAT, FILECAT = "\\INSIDX.QCVOLCAT", "\\INSIDX.QCFILCAT"
START = datetime(2025, 9, 23, 20, 0, tzinfo=timezone.utc)  # the topology's virtual clock start
MiB = 1024 * 1024
T = 30


def backup(sites, file_id: str, group: str = "VG_WIN1_DES", **kw) -> bb.RunBackupResponse:
    kw.setdefault("data_bytes", 300_000)
    kw.setdefault("content_seed", 11)
    return sites.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id=group, file_id=file_id, **kw),
                                       timeout=T)


def tape_file(sites, file_id: str, generation: int = 0) -> mc.TapeFile:
    return sites.media_catalog(NODE).GetTapeFile(mc.GetTapeFileRequest(key=mc.TapeFileKey(
        filecat=FILECAT, file_id=file_id, generation=generation, version=-1)), timeout=T).file


def tape_volume(sites, label: str) -> mc.TapeVolume:
    return sites.media_catalog(NODE).GetTapeVolume(mc.GetTapeVolumeRequest(volser=label, volcat=VOLCAT),
                                                   timeout=T).volume


def disk_files(sites, file_id: str, generation: int = 0) -> list[mc.DiskFile]:
    return [f for m in sites.media_catalog(NODE).ListDiskFiles(mc.ListDiskFilesRequest(
        filecat=FILECAT, file_id=file_id, generation=generation), timeout=T) for f in m.files]


def advance(sites, **delta) -> None:
    sites.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=int(timedelta(**delta)
                                                                                   .total_seconds()))), timeout=T)


def when(ts) -> datetime:
    return ts.ToDatetime().replace(tzinfo=timezone.utc)


# -- DSM/TC entries ----------------------------------------------------------------------------------------------

@pytest.mark.rule("R22")
def test_backup_catalogs_tapefile_with_next_generation_and_retention(sites):
    r = backup(sites, "E501NEW-OBK11-WIN1", retention_days=10, version=3, comment="nightly")
    f = tape_file(sites, "E501NEW-OBK11-WIN1")
    assert (f.filecat, f.file_id, f.generation, f.version) == (FILECAT, "E501NEW-OBK11-WIN1", 1, 3)
    assert f.status == mc.TAPE_FILE_STATUS_VALID and f.mode == mc.TAPE_FILE_MODE_BKFI
    assert (f.volcat, f.pool, f.comment) == (VOLCAT, "E501_WIN1", "nightly")
    assert when(f.creation_time) == START
    assert not f.permanent and when(f.expiration_time) == START + timedelta(days=10)
    assert r.tape_file == f, "RunBackup answers the entry as DSM/TC holds it"
    label = r.volumes[0].label
    assert [(t.volser, t.vol_index, t.file_section, t.file_sequence) for t in f.volumes] == [(label, 1, 1, 1)]
    assert f.volset_id == label
    tv = tape_volume(sites, label)
    assert (tv.status, tv.volset_id, tv.vol_index) == (mc.VOLUME_STATUS_ASSIGNED, label, 1)
    next_gen = sites.media_catalog(NODE).NextGeneration(mc.NextGenerationRequest(
        filecat=FILECAT, file_id="E501NEW-OBK11-WIN1"), timeout=T).generation
    assert next_gen == 2, "the backup consumed generation 1 of the CONFIG table"


def test_expiration_comes_from_expiration_define(sites):
    expires = START + timedelta(days=3, hours=5)
    req = bb.RunBackupRequest()
    req.expiration_time.FromDatetime(expires)
    backup(sites, "EXP-DEFINE", expiration_time=req.expiration_time)
    f = tape_file(sites, "EXP-DEFINE")
    assert not f.permanent and when(f.expiration_time) == expires


def test_expiration_defaults_to_mediadefs_retention(sites):
    backup(sites, "EXP-MEDIADEFS")
    f = tape_file(sites, "EXP-MEDIADEFS")
    assert not f.permanent and when(f.expiration_time) == START + timedelta(days=30), "MEDIADEFS RETENTION 30"


def test_permanent_backup_has_no_expiration(sites):
    r = backup(sites, "EXP-PERMANENT", permanent=True)
    f = tape_file(sites, "EXP-PERMANENT")
    assert f.permanent and not f.HasField("expiration_time")
    assert r.tape_file.permanent


def test_retention_out_of_range_is_refused(sites):
    with pytest.raises(grpc.RpcError) as err:
        backup(sites, "EXP-BAD", retention_days=10_000)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "RETENTION" in err.value.details()


def test_multi_volume_backup_spans_volumes_of_one_volume_set(sites):
    data = int(2.5 * MiB)  # the group's max volume size is 1 MB
    r = backup(sites, "E501NEW-OBK11-WIN1", data_bytes=data, retention_days=10)
    labels = [v.label for v in r.volumes]
    assert len(labels) == 3 and len(set(labels)) == 3
    assert r.bytes_written == data and len(r.event_sequences) == 3
    f = tape_file(sites, "E501NEW-OBK11-WIN1")
    assert f.volset_id == labels[0]
    assert [(t.volser, t.vol_index, t.file_section, t.file_sequence) for t in f.volumes] == \
        [(labels[0], 1, 1, 1), (labels[1], 2, 2, 1), (labels[2], 3, 3, 1)]
    for k, label in enumerate(labels, start=1):
        tv = tape_volume(sites, label)
        assert (tv.status, tv.volset_id, tv.vol_index) == (mc.VOLUME_STATUS_ASSIGNED, labels[0], k)
        vol = r.volumes[k - 1]
        ref = vol.first_non_expired_tape_file
        assert (ref.file_id, ref.generation, ref.vol_index) == ("E501NEW-OBK11-WIN1", 1, k)
        assert vol.catalog_status == mc.VOLUME_STATUS_ASSIGNED and vol.materialized
    images = sites.storage("STO_PRI")
    plain = [images.StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T) for label in labels]
    assert all(p.found for p in plain)
    assert sites.storage("STO_PRI").ListImages(st.ListImagesRequest(pattern="EW*"), timeout=T).page.total == 3


@pytest.mark.rule("R33")
def test_catalogfiles_writes_diskfile_entries_split_over_the_volumes(sites):
    r = backup(sites, "E501NEW-OBK11-WIN1", data_bytes=int(2.5 * MiB), catalog_files=True, disk_file_count=50,
               disk_file_prefix="\\INSIDX.$DATA01.SALES.")
    labels = [v.label for v in r.volumes]
    assert r.disk_file_count == 50 and r.tape_file.catalog_files
    files = disk_files(sites, "E501NEW-OBK11-WIN1")
    assert sorted(f.disk_file_name for f in files) == [f"\\INSIDX.$DATA01.SALES.F{i:07d}" for i in range(1, 51)]
    assert {(f.file_id, f.generation, f.version, f.filecat) for f in files} == {("E501NEW-OBK11-WIN1", 1, 0,
                                                                                 FILECAT)}
    assert all(f.status == mc.DISK_FILE_STATUS_VALID and f.volset_id == labels[0] for f in files)
    assert all(when(f.time_dumped) == START for f in files), "TIMEDUMPED = backup start"
    by_name = sorted(files, key=lambda f: f.disk_file_name)
    indexes = [f.vol_index for f in by_name]
    assert indexes == sorted(indexes), "files in backup order follow the volumes of the set"
    counts = {k: indexes.count(k) for k in (1, 2, 3)}
    assert set(indexes) == {1, 2, 3} and all(15 <= n <= 18 for n in counts.values()), counts


def test_explicit_disk_file_names_are_cataloged(sites):
    names = ["\\INSIDX.$DATA01.SALES.ORDERS", "\\INSIDX.$DATA15.HR.PAYROLL"]
    r = backup(sites, "EXPLICIT-NAMES", catalog_files=True, disk_file_names=names)
    assert r.disk_file_count == 2
    assert sorted(f.disk_file_name for f in disk_files(sites, "EXPLICIT-NAMES")) == sorted(names)


def test_no_diskfile_entries_without_catalogfiles(sites):
    r = backup(sites, "NO-CATALOGFILES", catalog_files=False, disk_file_count=50,
               disk_file_prefix="\\INSIDX.$DATA01.SALES.")
    assert r.disk_file_count == 0 and not r.tape_file.catalog_files
    assert disk_files(sites, "NO-CATALOGFILES") == []


def test_second_backup_of_a_file_id_is_generation_2_on_other_scratch_volumes(sites):
    first = backup(sites, "E501NEW-OBK11-WIN1", data_bytes=int(1.5 * MiB), catalog_files=True, disk_file_count=4)
    second = backup(sites, "E501NEW-OBK11-WIN1", data_bytes=int(1.5 * MiB), catalog_files=True, disk_file_count=4)
    a, b = [v.label for v in first.volumes], [v.label for v in second.volumes]
    assert len(a) == len(b) == 2 and not set(a) & set(b), "ASSIGNED volumes are not scratch any more"
    assert (first.tape_file.generation, second.tape_file.generation) == (1, 2)
    assert tape_file(sites, "E501NEW-OBK11-WIN1").generation == 2, "generation 0 = the latest"
    g1 = tape_file(sites, "E501NEW-OBK11-WIN1", generation=1)
    assert [t.volser for t in g1.volumes] == a and g1.status == mc.TAPE_FILE_STATUS_VALID
    assert {f.generation for f in disk_files(sites, "E501NEW-OBK11-WIN1", 2)} == {2}
    assert {f.volset_id for f in disk_files(sites, "E501NEW-OBK11-WIN1", 2)} == {b[0]}
    assert all(tape_volume(sites, label).volset_id == b[0] for label in b)


# -- BackBox records ---------------------------------------------------------------------------------------------

def test_backbox_records_after_a_backup(sites):
    r = backup(sites, "E501NEW-OBK11-WIN1", data_bytes=int(1.5 * MiB), retention_days=10)
    storage = sites.storage("STO_PRI")
    for k, unloaded in enumerate(r.volumes, start=1):
        vol = sites.domain(PRI).GetVolume(bb.GetVolumeRequest(label=unloaded.label), timeout=T).volume
        assert vol == unloaded, "RunBackup answers the records as the catalog holds them"
        label = vol.label
        assert (vol.volume_group_id, vol.data_store_id) == ("VG_WIN1_DES", "DS_WIN1_DES")
        assert vol.catalog_status == mc.VOLUME_STATUS_ASSIGNED and vol.catalog_type == bb.TAPE_CATALOG_TYPE_DSMTC
        assert (vol.volcat, vol.pool, vol.filecat) == (VOLCAT, "E501_WIN1", FILECAT)
        ref = vol.first_non_expired_tape_file
        assert (ref.file_id, ref.generation, ref.version, ref.vol_index) == ("E501NEW-OBK11-WIN1", 1, 0, k)
        assert vol.materialized and not vol.expired and not vol.encrypted
        assert when(vol.unload_time) == START and when(vol.last_written_time) == START
        assert not vol.current_operation and not vol.operation_id, "the lock is released at unload"
        image = storage.StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T)
        assert image.found and (vol.data_bytes, vol.index_bytes) == (image.image.data_bytes,
                                                                     image.image.index_bytes)
        assert vol.data_bytes > 0 and vol.index_bytes > 0
        assert vol.last_data_path == f"\\\\bbvtc1\\e501\\pri\\LB{label}.DAT"
        assert vol.last_index_path == f"\\\\bbvtc1\\e501\\pri\\LB{label}.IND"
    # each unload after a write is an export trigger (R27); whether the volume is still pending depends on the
    # automatic export the trigger started (this topology runs Catalog Sync), so the events are asserted
    events = sites.domain(PRI).ListVolumeEvents(bb.ListVolumeEventsRequest(data_store_id="DS_WIN1_DES",
                                                                           export_triggers_only=True), timeout=T)
    unloads = [(e.label, e.sequence) for e in events.events if e.kind == bb.VOLUME_EVENT_KIND_UNLOADED_AFTER_WRITE]
    assert [label for label, _ in unloads] == [v.label for v in r.volumes]
    assert [seq for _, seq in unloads] == list(r.event_sequences)


def test_none_group_backup_writes_no_dsmtc_entries(sites):
    r = backup(sites, "E501NEW-NOCAT", group="VG_WIN1_DES_NC", data_bytes=int(1.5 * MiB))
    labels = [v.label for v in r.volumes]
    assert labels == ["ENCS01", "ENCS02"]
    assert [(t.volser, t.vol_index) for t in r.tape_file.volumes] == [("ENCS01", 1), ("ENCS02", 2)]
    assert r.tape_file.generation == 1 and not r.tape_file.filecat
    catalog = sites.media_catalog(NODE)
    assert catalog.ListTapeFiles(mc.ListTapeFilesRequest(file_id_pattern="E501NEW-NOCAT*"), timeout=T).files == []
    for label in labels:
        with pytest.raises(grpc.RpcError) as err:
            catalog.GetTapeVolume(mc.GetTapeVolumeRequest(volser=label, volcat=VOLCAT), timeout=T)
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
    for vol in r.volumes:
        assert vol.materialized and vol.catalog_status == mc.VOLUME_STATUS_UNSPECIFIED
        assert not vol.HasField("first_non_expired_tape_file")


# -- restore -----------------------------------------------------------------------------------------------------

def test_restore_reads_back_what_the_backup_wrote(sites):
    data = int(2.5 * MiB)
    r = backup(sites, "E501NEW-OBK11-WIN1", data_bytes=data, content_seed=3, catalog_files=True, disk_file_count=50)
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="E501NEW-OBK11-WIN1"), timeout=T)
    assert rr.checksum == r.checksum and rr.bytes_read == data
    assert list(rr.labels) == [v.label for v in r.volumes]
    assert rr.disk_file_count == 50 and rr.tape_file.generation == 1
    import hashlib  # noqa: PLC0415
    assert r.checksum == hashlib.sha256(tape_image.content(3, data)).hexdigest()


def test_restore_after_a_second_generation_reads_the_latest_unless_told(sites):
    one = backup(sites, "GENS", content_seed=1)
    two = backup(sites, "GENS", content_seed=2)
    assert one.checksum != two.checksum
    d = sites.domain(PRI)
    assert d.RunRestore(bb.RunRestoreRequest(node=NODE, file_id="GENS"), timeout=T).checksum == two.checksum
    assert d.RunRestore(bb.RunRestoreRequest(node=NODE, file_id="GENS", generation=1), timeout=T).checksum == \
        one.checksum


def test_restore_listonly_reads_labels_without_data(sites):
    r = backup(sites, "E501NEW-OBK11-WIN1", data_bytes=int(1.5 * MiB), catalog_files=True, disk_file_count=7)
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="E501NEW-OBK11-WIN1",
                                                           list_only=True), timeout=T)
    assert list(rr.labels) == [v.label for v in r.volumes]
    assert rr.bytes_read == 0 and rr.checksum == ""
    assert rr.disk_file_count == 7 and rr.tape_file.file_id == "E501NEW-OBK11-WIN1"


def test_restore_of_an_unknown_file_id_is_not_found(sites):
    with pytest.raises(grpc.RpcError) as err:
        sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="NO-SUCH-FILE"), timeout=T)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    assert "NO-SUCH-FILE" in err.value.details() and "DSM/TC" in err.value.details()


# -- encryption --------------------------------------------------------------------------------------------------

@pytest.mark.rule("R50")
def test_encrypted_backup_uses_a_new_key_per_tape_and_never_stores_the_material(sites):
    data = int(2.5 * MiB)
    r = backup(sites, "E501NEW-ENC", group="VG_WIN1_ENC", data_bytes=data, content_seed=5)
    assert [v.label for v in r.volumes] == ["EK1001", "EK1002", "EK1003"]
    keys = {k.name: k for k in sites.key_manager("ESKM-PRI").ListKeys(km.ListKeysRequest(), timeout=T).keys}
    names = [v.media_key_name for v in r.volumes]
    assert len(set(names)) == 3 and set(names) == set(keys), "one new key per tape (KeyPerTape)"
    for vol in r.volumes:
        assert vol.encrypted and vol.key_manager_id == "KM1" and vol.encryption_algorithm == "AES256-GCM"
        image = sites.storage("STO_PRI").StatImage(st.StatImageRequest(label=vol.label, labeled=True), timeout=T)
        assert image.image.encrypted and (image.image.key_manager_id, image.image.media_key_name) == (
            "KM1", vol.media_key_name)
    materials = [bytes(sites.key_manager("ESKM-PRI").GetKey(km.GetKeyRequest(name=n), timeout=T).material)
                 for n in names]
    objects = sites.state_dir / "storage" / "STO_PRI" / "objects"
    blobs = {p.name: p.read_bytes() for p in objects.iterdir() if p.name.startswith("LBEK")}
    assert len(blobs) == 6
    plain = tape_image.content(5, data)
    for name, blob in blobs.items():
        for m in materials:
            assert m not in blob and m.hex().encode() not in blob and m.hex().upper().encode() not in blob, name
        if name.endswith(".DAT"):
            assert plain[:4096] not in blob and plain[MiB:MiB + 4096] not in blob, f"{name} holds plain data"
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="E501NEW-ENC"), timeout=T)
    assert rr.checksum == r.checksum and rr.bytes_read == data


def _secondary_copy(sites, label: str) -> None:
    """The volume as a Catalog Sync import would register it in the secondary domain."""
    vol = sites.domain(PRI).GetVolume(bb.GetVolumeRequest(label=label), timeout=T).volume
    rec = bb.BackBoxVolume()
    rec.CopyFrom(vol)
    rec.data_store_id, rec.volume_group_id = "E501_WIN1_SND", "VG_WIN1_DES2"
    rec.pending_export = False
    resp = sites.domain(SEC).UpsertVolumes(iter([bb.UpsertVolumesRequest(
        options=bb.UpsertVolumesOptions(data_store_id="E501_WIN1_SND", label="test import"), volumes=[rec])]),
        timeout=T)
    assert resp.added == 1, resp


def _read_at_secondary(sites, label: str, file_id: str) -> tuple[str, bytes]:
    vtc = sites.vtc("VTC2")
    mounted = vtc.Mount(tc.MountRequest(label=label, mode=bb.MOUNT_MODE_INPUT, node="\\ETINIUM",
                                        process="\\ETINIUM.$RS01", user="SUPER.SUPER"), timeout=T)
    try:
        data, checksum = b"", ""
        for msg in vtc.ReadTapeFile(tc.ReadTapeFileRequest(drive_id=mounted.drive.id, file_id=file_id,
                                                           node="\\ETINIUM"), timeout=T):
            data += msg.data
            checksum = msg.checksum or checksum
        return checksum, data
    finally:
        vtc.Unload(tc.UnloadRequest(drive_id=mounted.drive.id, node="\\ETINIUM"), timeout=T)


@pytest.mark.rule("R50")
def test_secondary_reads_replicated_encrypted_image_with_the_alternate_key_manager(sites):
    r = backup(sites, "E501NEW-ENC", group="VG_WIN1_ENC", content_seed=8)
    label, key = r.volumes[0].label, r.volumes[0].media_key_name
    assert not sites.storage("STO_SEC").StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T).found
    advance(sites, minutes=6)  # past the 5 min storage lag and the 1 min key lag
    replica = sites.storage("STO_SEC").StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T)
    assert replica.found and replica.image.replica and replica.image.media_key_name == key
    alt = sites.key_manager("ESKM-SEC").ListKeys(km.ListKeysRequest(), timeout=T).keys
    assert [k.name for k in alt] == [key] and alt[0].replica
    _secondary_copy(sites, label)
    checksum, data = _read_at_secondary(sites, label, "E501NEW-ENC")
    assert checksum == r.checksum and data == tape_image.content(8, 300_000)


@pytest.mark.rule("R50")
def test_secondary_read_fails_naming_the_key_until_the_key_has_replicated(sites):
    r = backup(sites, "E501NEW-ENC", group="VG_WIN1_ENC", content_seed=9)
    label, key = r.volumes[0].label, r.volumes[0].media_key_name
    synced = sites.storage("STO_PRI").Sync(st.SyncRequest(ignore_lag=True, timeout=Duration(seconds=10)), timeout=T)
    assert synced.caught_up
    assert sites.storage("STO_SEC").StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T).found
    assert list(sites.key_manager("ESKM-SEC").ListKeys(km.ListKeysRequest(), timeout=T).keys) == []
    _secondary_copy(sites, label)
    with pytest.raises(grpc.RpcError) as err:
        _read_at_secondary(sites, label, "E501NEW-ENC")
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "KM1" in err.value.details() and key in err.value.details()
    drives = sites.vtc("VTC2").ListDrives(tc.ListDrivesRequest(), timeout=T).drives
    assert all(d.status == tc.DRIVE_STATUS_FREE for d in drives), "the failed read left the drive unloaded"
    keys = sites.key_manager("ESKM-PRI").SyncKeys(km.SyncKeysRequest(ignore_lag=True,
                                                                     timeout=Duration(seconds=10)), timeout=T)
    assert keys.caught_up
    checksum, _ = _read_at_secondary(sites, label, "E501NEW-ENC")
    assert checksum == r.checksum


# -- refusals and incomplete backups -----------------------------------------------------------------------------

@pytest.mark.rule("R17")
def test_backup_on_a_secondary_store_is_refused_with_the_access_reason(sites):
    with pytest.raises(grpc.RpcError) as err:
        sites.domain(SEC).RunBackup(bb.RunBackupRequest(node="\\ETINIUM", volume_group_id="VG_WIN1_DES2",
                                                        file_id="SEC-BACKUP"), timeout=T)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION, err.value.details()
    assert "SECONDARY" in err.value.details() and "PRIMARY" in err.value.details()
    mounts = sites.vtc("VTC2").ListMountRequests(tc.ListMountRequestsRequest(), timeout=T).mounts
    assert [(m.status, m.scratch_volume_group_id) for m in mounts] == [(bb.TAPE_MOUNT_STATUS_FAILED,
                                                                        "VG_WIN1_DES2")]


def test_encrypt_flag_that_contradicts_the_group_is_refused(sites):
    for group, encrypt in (("VG_WIN1_DES", True), ("VG_WIN1_ENC", False)):
        with pytest.raises(grpc.RpcError) as err:
            backup(sites, f"ENC-{encrypt}", group=group, encrypt=encrypt)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and group in err.value.details()
    assert sites.media_catalog(NODE).ListTapeFiles(mc.ListTapeFilesRequest(), timeout=T).files == [], \
        "refused before anything was cataloged"
    r = backup(sites, "ENC-OK", group="VG_WIN1_ENC", encrypt=True)
    assert r.volumes[0].encrypted


def test_backup_that_runs_out_of_scratch_volumes_gets_the_abend_retention(sites):
    busy = [f"EW10{n:02d}" for n in range(3, 11)]
    sites.domain(PRI).AlterVolumeStatus(bb.AlterVolumeStatusRequest(labels=busy, status=mc.VOLUME_STATUS_BAD),
                                        timeout=T)
    with pytest.raises(grpc.RpcError) as err:
        backup(sites, "E501NEW-OBK11-WIN1", data_bytes=int(2.5 * MiB), retention_days=10)
    assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, err.value.details()
    assert "scratch" in err.value.details() and "ABENDRETENTION" in err.value.details()
    f = tape_file(sites, "E501NEW-OBK11-WIN1")
    assert [t.volser for t in f.volumes] == ["EW1001", "EW1002"]
    assert when(f.expiration_time) == START + timedelta(days=1), "MEDIADEFS ABENDRETENTION (default 1 day)"
    drives = sites.vtc("VTC1").ListDrives(tc.ListDrivesRequest(), timeout=T).drives
    assert all(d.status == tc.DRIVE_STATUS_FREE for d in drives)


def _labels(sites, label: str) -> tc.TapeFileHeader:
    vtc = sites.vtc("VTC1")
    mounted = vtc.Mount(tc.MountRequest(label=label, mode=bb.MOUNT_MODE_INPUT, node=NODE), timeout=T)
    try:
        return next(iter(vtc.ReadTapeFile(tc.ReadTapeFileRequest(drive_id=mounted.drive.id, labels_only=True),
                                          timeout=T))).header
    finally:
        vtc.Unload(tc.UnloadRequest(drive_id=mounted.drive.id), timeout=T)


def test_tape_labels_carry_the_hdr1_dates_dsmtc_cataloged(sites):
    defaulted = backup(sites, "HDR-MEDIADEFS", data_bytes=int(1.5 * MiB)).volumes
    permanent = backup(sites, "HDR-PERMANENT", permanent=True).volumes[0].label
    for k, vol in enumerate(defaulted, start=1):
        h = _labels(sites, vol.label)
        assert (h.file_id, h.generation, h.vol_index, h.file_section, h.volset_id) == (
            "HDR-MEDIADEFS", 1, k, k, defaulted[0].label)
        assert not h.permanent and when(h.creation_time) == START
        assert when(h.expiration_time) == START + timedelta(days=30), "the expiration DSM/TC gave the file"
    h = _labels(sites, permanent)
    assert h.permanent and not h.HasField("expiration_time")


def test_vtc_writes_one_tape_file_per_volume(sites):
    vtc = sites.vtc("VTC1")
    mounted = vtc.Mount(tc.MountRequest(scratch_volume_group_id="VG_WIN1_DES", mode=bb.MOUNT_MODE_OUTPUT, node=NODE),
                        timeout=T)
    drive, label = mounted.drive.id, mounted.volume.label

    def write(file_id: str, data: bytes, sequence: int = 1):
        head = tc.TapeFileHeader(drive_id=drive, file_id=file_id, generation=1, file_sequence=sequence)
        return vtc.WriteTapeFile(iter([tc.WriteTapeFileRequest(header=head), tc.WriteTapeFileRequest(data=data)]),
                                 timeout=T)
    try:
        with pytest.raises(grpc.RpcError) as err:
            write("TOO-BIG", b"x" * (MiB + 1))
        assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "end of tape" in err.value.details()
        assert not sites.storage("STO_PRI").StatImage(st.StatImageRequest(label=label, labeled=True),
                                                      timeout=T).found, "nothing of the section is kept"
        assert write("FIRST", b"first file").volumes[0].label == label
        for file_id, sequence in (("SECOND", 1), ("THIRD", 2)):
            with pytest.raises(grpc.RpcError) as err:
                write(file_id, b"would replace the first", sequence)
            assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "one tape file" in err.value.details()
    finally:
        vtc.Unload(tc.UnloadRequest(drive_id=drive), timeout=T)
    assert _labels(sites, label).file_id == "FIRST"


@pytest.mark.rule("R50")
def test_rewriting_a_volume_with_a_per_drive_key_never_reuses_a_nonce(sites):
    import zlib  # noqa: PLC0415
    sites.domain(PRI).UpdateVolumeGroup(bb.UpdateVolumeGroupRequest(volume_group=bb.VolumeGroup(
        id="VG_WIN1_ENC", key_policy=bb.KEY_POLICY_PER_DRIVE), field_mask=["key_policy"]), timeout=T)
    dat = sites.state_dir / "storage" / "STO_PRI" / "objects" / "LBEK1001.DAT"
    one = backup(sites, "REWRITE", group="VG_WIN1_ENC", label="EK1001", content_seed=1, data_bytes=100_000)
    first = dat.read_bytes()
    sites.media_catalog(NODE).DeleteTapeFile(mc.DeleteTapeFileRequest(key=mc.TapeFileKey(
        filecat=FILECAT, file_id="REWRITE", generation=1), user="SUPER.SUPER"), timeout=T)
    two = backup(sites, "REWRITE", group="VG_WIN1_ENC", label="EK1001", content_seed=2, data_bytes=100_000)
    second = dat.read_bytes()
    assert one.volumes[0].media_key_name == two.volumes[0].media_key_name, "KeyPerDrive: the same key"
    p1, p2 = zlib.compress(tape_image.content(1, 100_000), 1), zlib.compress(tape_image.content(2, 100_000), 1)
    n = min(len(p1), len(p2)) - 16
    xor = lambda a, b: bytes(x ^ y for x, y in zip(a[:n], b[:n]))  # noqa: E731
    assert xor(first, second) != xor(p1, p2), "same key and nonce: the two ciphertexts share a keystream"
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="REWRITE"), timeout=T)
    assert rr.checksum == two.checksum


def test_named_volume_of_another_group_is_refused(sites):
    with pytest.raises(grpc.RpcError) as err:
        backup(sites, "WRONG-GROUP", group="VG_WIN1_DES", label="EK1001")
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "VG_WIN1_ENC" in err.value.details()
    r = backup(sites, "RIGHT-GROUP", group="VG_WIN1_ENC", label="EK1002")
    assert [v.label for v in r.volumes] == ["EK1002"] and r.volumes[0].encrypted
