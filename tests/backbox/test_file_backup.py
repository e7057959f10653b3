"""Backups of Guardian files and their restore into a subvolume (RunBackupRequest.source_files,
RunRestoreRequest.target_subvolume), and the restore by label of a volume DSM/TC does not catalog: the transfer
path of R56, first on the two-site topology with a link, then on the built-in `no-expand` sites where the image
reaches a RESTRICTED store by storage replication only."""

from __future__ import annotations

from typing import Iterator

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration

from emulator import tape_image
from emulator.v1 import (backbox_domain_pb2 as bb, clock_pb2, guardian_pb2 as gd, media_catalog_pb2 as mc,
                         storage_pb2 as st)
from harness.launcher import Topology, start_topology

PRI, SEC = "E501NEW", "YINE500"
NODE, SEC_NODE = "\\INSIDX", "\\ETINIUM"
SOURCE = "\\INSIDX.$DATA15.CSXFER"
T = 30


def write(topo: Topology, node: str, name: str, data: bytes, file_code: int = 0) -> None:
    topo.guardian(node).WriteFile(iter([gd.WriteFileRequest(name=name, mode=gd.WRITE_MODE_REPLACE,
                                                            file_code=file_code, data=data)]), timeout=T)


def read(topo: Topology, node: str, name: str) -> bytes:
    return b"".join(m.data for m in topo.guardian(node).ReadFile(gd.ReadFileRequest(name=name), timeout=T))


def info(topo: Topology, node: str, name: str) -> gd.FileInfo:
    return topo.guardian(node).GetFileInfo(gd.GetFileInfoRequest(name=name), timeout=T).info


def files_of(topo: Topology, node: str, subvolume: str) -> dict[str, bytes]:
    names = [f.name for f in topo.guardian(node).ListFiles(gd.ListFilesRequest(subvolume=subvolume),
                                                           timeout=T).files]
    return {n.rsplit(".", 1)[-1]: read(topo, node, n) for n in names}


def advance(topo: Topology, minutes: int) -> None:
    topo.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=minutes * 60)), timeout=T)


def backup_files(topo: Topology, sources: list[str], group: str = "VG_WIN1_DES_NC", **kw) -> bb.RunBackupResponse:
    kw.setdefault("file_id", "CSXFER")
    return topo.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id=group, source_files=sources,
                                                          user="SUPER.SUPER", **kw), timeout=T)


def seed_files(topo: Topology) -> dict[str, bytes]:
    content = {"CSSUMARY": b"summary " * 40, "VEW1001": tape_image.content(5, 70_000), "VEW1002": b"",
               "OTHER": b"not exported"}
    for name, data in content.items():
        write(topo, NODE, f"{SOURCE}.{name}", data, file_code=180 if name.startswith("V") else 0)
    return content


# -- backup of files, restore into a subvolume ---------------------------------------------------------------

@pytest.mark.rule("R56")
def test_a_file_backup_restores_the_same_files_and_file_codes_into_another_subvolume(sites):
    content = seed_files(sites)
    r = backup_files(sites, [f"{SOURCE}.*"])
    assert list(r.files) == sorted(f"{SOURCE}.{n}" for n in content), "every file of the subvolume, in name order"
    assert r.bytes_written == len(tape_image.pack_files(
        [tape_image.BackedUpFile(f"{SOURCE}.{n}", content[n], 180 if n.startswith("V") else 0)
         for n in sorted(content)]))
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, label=r.volumes[0].label,
                                                           target_subvolume="$DATA01.RESTORED"), timeout=T)
    assert rr.checksum == r.checksum and rr.files_replaced == 0
    assert list(rr.files) == [f"\\INSIDX.$DATA01.RESTORED.{n}" for n in sorted(content)]
    assert files_of(sites, NODE, "\\INSIDX.$DATA01.RESTORED") == content
    assert info(sites, NODE, "\\INSIDX.$DATA01.RESTORED.VEW1001").file_code == 180
    assert info(sites, NODE, "\\INSIDX.$DATA01.RESTORED.OTHER").file_code == 0


@pytest.mark.rule("R56")
def test_a_restore_replaces_the_files_of_the_same_name_and_keeps_the_others(sites):
    content = seed_files(sites)
    r = backup_files(sites, [SOURCE])                     # a subvolume alone: all its files
    assert len(r.files) == len(content)
    target = "\\INSIDX.$DATA15.STAGE2"
    write(sites, NODE, f"{target}.CSSUMARY", b"an older summary")
    write(sites, NODE, f"{target}.VEW1009", b"a file the backup does not hold")
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="CSXFER", label=r.volumes[0].label,
                                                           target_subvolume=target), timeout=T)
    assert rr.files_replaced == 1
    assert files_of(sites, NODE, target) == {**content, "VEW1009": b"a file the backup does not hold"}


def test_named_files_and_patterns_are_backed_up_once_each_in_the_order_named(sites):
    seed_files(sites)
    r = backup_files(sites, [f"{SOURCE}.VEW1002", "$DATA15.CSXFER.VEW*", f"{SOURCE}.CSSUMARY"])
    assert list(r.files) == [f"{SOURCE}.VEW1002", f"{SOURCE}.VEW1001", f"{SOURCE}.CSSUMARY"]


@pytest.mark.rule("R56")
def test_a_partial_backup_holds_only_the_files_changed_since_the_given_instant(sites):
    seed_files(sites)
    full = backup_files(sites, [f"{SOURCE}.*"])
    newest = max(info(sites, NODE, n).modified.ToDatetime() for n in full.files)
    assert full.files_modified_up_to.ToDatetime() == newest
    # the same virtual instant: a file rewritten now is still newer than what the full backup read
    write(sites, NODE, f"{SOURCE}.CSSUMARY", b"the summary of an UPDATE export")
    write(sites, NODE, f"{SOURCE}.VEW1003", b"a new volume file")
    partial = backup_files(sites, [f"{SOURCE}.*"], files_modified_after=full.files_modified_up_to)
    assert list(partial.files) == [f"{SOURCE}.CSSUMARY", f"{SOURCE}.VEW1003"]
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, label=partial.volumes[0].label),
                                      timeout=T)
    assert list(rr.files) == list(partial.files), "without a target the restore lists what the backup holds"
    assert rr.checksum == partial.checksum


def test_a_missing_source_file_fails_the_backup_before_dsmtc_hands_out_a_generation(sites):
    with pytest.raises(grpc.RpcError) as err:
        backup_files(sites, [f"{SOURCE}.NOFILE"], group="VG_WIN1_DES", file_id="E501NEW-FILES")
    assert err.value.code() == grpc.StatusCode.NOT_FOUND and "NOFILE" in err.value.details()
    assert sites.media_catalog(NODE).NextGeneration(mc.NextGenerationRequest(
        filecat="\\INSIDX.QCFILCAT", file_id="E501NEW-FILES"), timeout=T).generation == 1


def test_a_dsmtc_file_backup_restores_by_file_id_into_a_subvolume(sites):
    content = seed_files(sites)
    r = backup_files(sites, [SOURCE], group="VG_WIN1_DES", file_id="E501NEW-FILES")
    assert r.tape_file.filecat == "\\INSIDX.QCFILCAT", "a DSM/TC group catalogs the file backup as any other"
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="E501NEW-FILES",
                                                           target_subvolume="$DATA01.BYFILEID"), timeout=T)
    assert files_of(sites, NODE, "\\INSIDX.$DATA01.BYFILEID") == content
    assert list(rr.labels) == [v.label for v in r.volumes] and rr.checksum == r.checksum


def test_restoring_generated_data_into_a_subvolume_is_refused(sites):
    r = sites.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id="VG_WIN1_DES_NC",
                                                        file_id="PLAIN", data_bytes=5000, content_seed=2), timeout=T)
    with pytest.raises(grpc.RpcError) as err:
        sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, label=r.volumes[0].label,
                                                          target_subvolume="$DATA01.X"), timeout=T)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "not a backup of Guardian files" in err.value.details()


# -- restore by label ----------------------------------------------------------------------------------------

def test_a_label_restore_reads_the_tape_file_its_labels_describe(sites):
    seed_files(sites)
    r = backup_files(sites, [SOURCE], file_id="CSXFER-LBL")
    label = r.volumes[0].label
    rr = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, label=label), timeout=T)
    assert (rr.tape_file.file_id, rr.tape_file.generation) == ("CSXFER-LBL", 1)
    assert [(v.volser, v.vol_index) for v in rr.tape_file.volumes] == [(label, 1)] and rr.tape_file.volset_id == label
    listed = sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, label=label, list_only=True), timeout=T)
    assert listed.bytes_read == 0 and not listed.files and listed.tape_file.file_id == "CSXFER-LBL"
    with pytest.raises(grpc.RpcError) as err:
        sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, label=label, file_id="OTHER"), timeout=T)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND and "CSXFER-LBL" in err.value.details()


def test_a_label_restore_of_a_dsmtc_volume_is_refused_naming_the_file_id_way(sites):
    r = sites.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id="VG_WIN1_DES", file_id="CAT",
                                                        data_bytes=1000), timeout=T)
    with pytest.raises(grpc.RpcError) as err:
        sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, label=r.volumes[0].label), timeout=T)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "by file_id" in err.value.details()


# -- the R56 transfer volume across sites with no link -------------------------------------------------------

@pytest.fixture
def no_expand(tmp_path) -> Iterator[Topology]:
    with start_topology("no-expand", state_dir=tmp_path / "state") as topo:
        yield topo


@pytest.mark.rule("R56")
def test_the_transfer_volume_is_read_at_the_secondary_from_the_replica_only(no_expand):
    topo = no_expand
    content = seed_files(topo)
    topo.domain(PRI).CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_CSXFER", labels=["CSX001"]),
                                   timeout=T)
    r = topo.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, label="CSX001", file_id="CSXFER",
                                                       source_files=[SOURCE]), timeout=T)
    assert r.volumes[0].catalog_type == bb.TAPE_CATALOG_TYPE_NONE and not r.tape_file.filecat
    with pytest.raises(grpc.RpcError) as err:   # no DSM/TC entry anywhere: the volume is uncataloged
        topo.media_catalog(NODE).GetTapeVolume(mc.GetTapeVolumeRequest(volser="CSX001", volcat="\\INSIDX.QCVOLCAT"),
                                               timeout=T)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    created = topo.domain(SEC).CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_CSXFER2",
                                                                     labels=["CSX001"]), timeout=T).volumes[0]
    assert created.data_store_id == "DATA STORE-2" and not created.materialized
    stage = "\\ETINIUM.$DATA15.E5CATSYN"
    with pytest.raises(grpc.RpcError) as err:  # before the replication: nothing to read at the secondary
        topo.domain(SEC).RunRestore(bb.RunRestoreRequest(node=SEC_NODE, label="CSX001", target_subvolume=stage),
                                    timeout=T)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND and "wait for the storage replication" in err.value.details()
    advance(topo, 6)                              # past the 5 minutes of storage replication lag
    assert topo.storage("STO_SEC").StatImage(st.StatImageRequest(label="CSX001", labeled=True), timeout=T).found
    rr = topo.domain(SEC).RunRestore(bb.RunRestoreRequest(node=SEC_NODE, label="CSX001", target_subvolume=stage),
                                     timeout=T)
    assert rr.checksum == r.checksum and files_of(topo, SEC_NODE, stage) == content
    vol = topo.domain(SEC).GetVolume(bb.GetVolumeRequest(label="CSX001"), timeout=T).volume
    assert vol.materialized and vol.data_bytes > 0, "the first read found the replicated image"
    assert not vol.current_operation, "the restore unloaded the volume"


@pytest.mark.rule("R56")
def test_a_rewritten_transfer_volume_reaches_the_secondary_after_the_lag(no_expand):
    topo = no_expand
    seed_files(topo)
    topo.domain(PRI).CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_CSXFER", labels=["CSX001"]),
                                   timeout=T)
    full = topo.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, label="CSX001", file_id="CSXFER",
                                                          source_files=[SOURCE]), timeout=T)
    topo.domain(SEC).CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_CSXFER2", labels=["CSX001"]),
                                   timeout=T)
    advance(topo, 6)
    write(topo, NODE, f"{SOURCE}.CSSUMARY", b"next summary")
    partial = topo.domain(PRI).RunBackup(bb.RunBackupRequest(
        node=NODE, label="CSX001", file_id="CSXFER", source_files=[SOURCE],
        files_modified_after=full.files_modified_up_to), timeout=T)
    assert list(partial.files) == [f"{SOURCE}.CSSUMARY"]
    stage = "\\ETINIUM.$DATA15.E5CATSYN"
    read_now = topo.domain(SEC).RunRestore(bb.RunRestoreRequest(node=SEC_NODE, label="CSX001"), timeout=T)
    assert read_now.checksum == full.checksum, "the replica still holds the full backup"
    advance(topo, 6)
    rr = topo.domain(SEC).RunRestore(bb.RunRestoreRequest(node=SEC_NODE, label="CSX001", target_subvolume=stage),
                                     timeout=T)
    assert rr.checksum == partial.checksum and read(topo, SEC_NODE, f"{stage}.CSSUMARY") == b"next summary"


# -- the file set format -------------------------------------------------------------------------------------

def test_a_file_set_round_trips_and_a_cut_one_names_the_damage():
    files = [tape_image.BackedUpFile("\\A.$D.S.F1", b"one", 180), tape_image.BackedUpFile("\\A.$D.S.F2", b"")]
    data = tape_image.pack_files(files)
    assert tape_image.is_file_set(data) and tape_image.unpack_files(data) == files
    with pytest.raises(tape_image.ImageError, match="damaged after 1 file"):
        tape_image.unpack_files(data[:-20])          # the second file's header is cut
    with pytest.raises(tape_image.ImageError, match="holds no Guardian files"):
        tape_image.unpack_files(b"generated bytes")
