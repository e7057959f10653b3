"""The domain manager's configuration and volume catalog over gRPC: refused changes name the field and the fix and
change nothing, the configuration survives a node crash, deletes are refused while something depends on the
object, ListVolumes filters / orders / pages, and the import's record upserts (R22, R3, R23)."""

from __future__ import annotations

import grpc
import pytest

from emulator.v1 import backbox_domain_pb2 as bb, common_pb2, control_pb2

T = 30
PRI, SEC = "E501NEW", "YINE500"


def _refused(call, request, code=grpc.StatusCode.INVALID_ARGUMENT) -> str:
    with pytest.raises(grpc.RpcError) as err:
        call(request, timeout=T)
    assert err.value.code() == code, err.value.details()
    return err.value.details()


@pytest.mark.rule("R38")
def test_refused_group_change_names_the_field_and_leaves_the_group_as_it_was(sites):
    d = sites.domain(SEC)
    before = d.GetVolumeGroup(bb.GetVolumeGroupRequest(id="VG_WIN1_DES2"), timeout=T).volume_group
    text = _refused(d.UpdateVolumeGroup, bb.UpdateVolumeGroupRequest(
        volume_group=bb.VolumeGroup(id="VG_WIN1_DES2", filecat=""), field_mask=["filecat"]))
    assert "filecat" in text and "Fix" in text
    assert d.GetVolumeGroup(bb.GetVolumeGroupRequest(id="VG_WIN1_DES2"), timeout=T).volume_group == before


def test_store_without_disk_pool_is_accepted_with_the_w3077_banner(sites):
    d = sites.domain(PRI)
    created = d.CreateDataStore(bb.CreateDataStoreRequest(data_store=bb.DataStore(
        id="DS_TST", type=bb.DATA_STORE_TYPE_WINDISK, domain_access=bb.DOMAIN_ACCESS_PRIMARY)), timeout=T)
    assert [w.code for w in created.warnings] == ["W3077"]
    banners = d.GetStorageAdminStatus(bb.GetStorageAdminStatusRequest(), timeout=T).banners
    assert [b.message for b in banners] == ["The disk pool is missing in the configuration of DataStore DS_TST."]
    check = d.ValidateConfiguration(bb.ValidateConfigurationRequest(data_store_id="DS_TST"), timeout=T)
    assert check.valid and [p.code for p in check.problems] == ["W3077"]


def test_configuration_and_volumes_survive_a_crash_of_the_domain_manager_node(sites):
    d = sites.domain(PRI)
    d.UpdateDomainConfig(bb.UpdateDomainConfigRequest(config=bb.DomainConfig(description="after crash"),
                                                      field_mask=["description"]), timeout=T)
    control = sites.control_service()
    control.CrashNode(control_pb2.CrashNodeRequest(node="\\INSIDX"), timeout=T)
    _refused(d.GetDomainConfig, bb.GetDomainConfigRequest(), grpc.StatusCode.UNAVAILABLE)
    control.RestartNode(control_pb2.RestartNodeRequest(node="\\INSIDX"), timeout=T)
    assert d.GetDomainConfig(bb.GetDomainConfigRequest(), timeout=T).config.description == "after crash"
    assert d.ListVolumes(bb.ListVolumesRequest(data_store_id="DS_WIN1_DES"), timeout=T).page.total == 17


@pytest.mark.parametrize("call, request_", [
    ("DeleteDataStore", bb.DeleteDataStoreRequest(id="DS_WIN1_DES")),            # still has groups
    ("DeleteVolumeGroup", bb.DeleteVolumeGroupRequest(id="VG_WIN1_DES")),        # still holds volumes
    ("DeleteKeyManager", bb.DeleteKeyManagerRequest(id="KM1")),                  # named by VG_WIN1_ENC (R50)
])
def test_delete_is_refused_while_something_depends_on_the_object(sites, call, request_):
    d = sites.domain(PRI)
    text = _refused(getattr(d, call), request_, grpc.StatusCode.FAILED_PRECONDITION)
    assert "first" in text  # the fix: what to remove before
    assert d.ListVolumeGroups(bb.ListVolumeGroupsRequest(data_store_id="DS_WIN1_DES"), timeout=T).volume_groups
    assert [k.id for k in d.ListKeyManagers(bb.ListKeyManagersRequest(), timeout=T).key_managers] == ["KM1"]


def test_list_volumes_orders_by_group_then_label_and_pages(sites):
    d = sites.domain(PRI)
    first = d.ListVolumes(bb.ListVolumesRequest(data_store_id="DS_WIN1_DES",
                                                page=common_pb2.PageRequest(page_size=12)), timeout=T)
    rest = d.ListVolumes(bb.ListVolumesRequest(data_store_id="DS_WIN1_DES", page=common_pb2.PageRequest(
        page_size=12, page_token=first.page.next_page_token)), timeout=T)
    labels = [v.label for v in [*first.volumes, *rest.volumes]]
    assert first.page.total == 17 and not rest.page.next_page_token
    assert labels == [f"EW{n}" for n in range(1001, 1011)] + ["ENCS01", "ENCS02", "ENCS03"] + \
        [f"EK{n}" for n in range(1001, 1005)]  # configuration order of the groups, then label
    assert [v.label for v in d.ListVolumes(bb.ListVolumesRequest(pattern="EK*"), timeout=T).volumes] == \
        ["EK1001", "EK1002", "EK1003", "EK1004"]


def _upsert(sites, records, **options) -> bb.UpsertVolumesResponse:
    opts = bb.UpsertVolumesOptions(data_store_id="E501_WIN1_SND", export_id="2025-09-24_01:00:00", **options)
    return sites.domain(SEC).UpsertVolumes(iter([bb.UpsertVolumesRequest(options=opts, volumes=records)]), timeout=T)


def _record(label: str, **fields) -> bb.BackBoxVolume:
    base = {"data_store_id": "E501_WIN1_SND", "volume_group_id": "VG_WIN1_DES2",
            "catalog_type": bb.TAPE_CATALOG_TYPE_DSMTC, "write_access": "A"}
    return bb.BackBoxVolume(label=label, **{**base, **fields})


@pytest.mark.rule("R22")
def test_upsert_reports_added_updated_unchanged_and_rejected_per_record(sites):
    added = _upsert(sites, [_record("EW1001"), _record("EW1002")])
    assert (added.added, added.updated, added.unchanged, added.rejected) == (2, 0, 0, 0)
    again = _upsert(sites, [_record("EW1001"), _record("EW1002", comment="new"),
                            _record("EW1003", volume_group_id="VG_MISSING")])
    assert [o.result for o in again.outcomes] == [bb.UPSERT_RESULT_UNCHANGED, bb.UPSERT_RESULT_UPDATED,
                                                 bb.UPSERT_RESULT_REJECTED]
    assert "VG_MISSING" in again.outcomes[2].reason
    vol = sites.domain(SEC).GetVolume(bb.GetVolumeRequest(label="EW1002"), timeout=T).volume
    assert vol.comment == "new" and vol.write_access == "." and vol.imported_export_id == "2025-09-24_01:00:00"


@pytest.mark.rule("R3")
def test_upsert_rejects_a_label_owned_by_another_store_of_the_domain(sites):
    d = sites.domain(SEC)
    d.CreateDataStore(bb.CreateDataStoreRequest(data_store=bb.DataStore(
        id="DS_LOCAL", type=bb.DATA_STORE_TYPE_WINDISK, domain_access=bb.DOMAIN_ACCESS_RESTRICTED)), timeout=T)
    d.CreateVolumeGroup(bb.CreateVolumeGroupRequest(volume_group=bb.VolumeGroup(
        id="VG_LOCAL", data_store_id="DS_LOCAL", tape_catalog=bb.TAPE_CATALOG_TYPE_NONE, max_volume_size_mb=1)),
        timeout=T)
    d.CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_LOCAL", labels=["EW1005"]), timeout=T)
    out = _upsert(sites, [_record("EW1005")])
    assert out.rejected == 1 and "DS_LOCAL" in out.outcomes[0].reason and "R3" in out.outcomes[0].reason
    assert d.GetVolume(bb.GetVolumeRequest(label="EW1005"), timeout=T).volume.data_store_id == "DS_LOCAL"


def test_dry_run_upsert_reports_outcomes_and_commits_nothing(sites):
    out = _upsert(sites, [_record("EW1007")], dry_run=True)
    assert out.added == 1
    assert not sites.domain(SEC).ListVolumes(bb.ListVolumesRequest(labels=["EW1007"]), timeout=T).volumes


@pytest.mark.rule("R23")
def test_delete_volumes_removes_records_of_the_store_and_reports_unknown_labels(sites):
    _upsert(sites, [_record("EW1008")])
    out = sites.domain(SEC).DeleteVolumes(bb.DeleteVolumesRequest(data_store_id="E501_WIN1_SND",
                                                                  labels=["EW1008", "EW1999"]), timeout=T)
    assert [v.label for v in out.deleted] == ["EW1008"] and list(out.not_found) == ["EW1999"]
    assert not sites.domain(SEC).ListVolumes(bb.ListVolumesRequest(labels=["EW1008"]), timeout=T).volumes


def test_3480_group_volumes_are_cataloged_with_the_dsmtc_type_cart3480(sites):
    from emulator.v1 import media_catalog_pb2 as mc

    sites.media_catalog("\\INSIDX").AddPool(mc.AddPoolRequest(pool=mc.Pool(
        volcat="\\INSIDX.QCVOLCAT", name="CART_POOL", label=mc.LABEL_TYPE_ANSI, density="ANY", media_type="CART3480",
        autoscratch=True, searchspace_in=True)), timeout=T)
    d = sites.domain(PRI)
    d.CreateVolumeGroup(bb.CreateVolumeGroupRequest(volume_group=bb.VolumeGroup(
        id="VG_3480", data_store_id="DS_WIN1_DES", tape_catalog=bb.TAPE_CATALOG_TYPE_DSMTC, volcat="QCVOLCAT",
        pool="CART_POOL", media_type="3480", max_volume_size_mb=1)), timeout=T)
    out = d.CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_3480", labels=["C34801"]), timeout=T)
    assert not out.rejected and out.volumes[0].media_type == "3480"
    tape = sites.media_catalog("\\INSIDX").GetTapeVolume(mc.GetTapeVolumeRequest(
        volser="C34801", volcat="\\INSIDX.QCVOLCAT"), timeout=T).volume
    assert tape.media_type == "CART3480"


@pytest.mark.rule("R46")
def test_worm_store_scratches_at_load_even_where_the_group_said_no(sites):
    from emulator.v1 import tape_controller_pb2 as tc

    d, vtc = sites.domain(PRI), sites.vtc("VTC1")
    d.UpdateVolumeGroup(bb.UpdateVolumeGroupRequest(volume_group=bb.VolumeGroup(
        id="VG_WIN1_DES_NC", auto_scratch_at_load=False), field_mask=["auto_scratch_at_load"]), timeout=T)
    d.RunBackup(bb.RunBackupRequest(node="\\INSIDX", label="ENCS01", volume_group_id="VG_WIN1_DES_NC",
                                    file_id="NC-OBK1", data_bytes=1000), timeout=T)

    def output_mount_scratches() -> bool:
        mounted = vtc.Mount(tc.MountRequest(label="ENCS01", mode=bb.MOUNT_MODE_OUTPUT, node="\\INSIDX"), timeout=T)
        vtc.Unload(tc.UnloadRequest(drive_id=mounted.drive.id), timeout=T)
        return mounted.scratched
    assert not output_mount_scratches()
    d.UpdateDataStore(bb.UpdateDataStoreRequest(data_store=bb.DataStore(
        id="DS_WIN1_DES", worm_compatibility=True, storage_optimization="RapidCIFS"),
        field_mask=["worm_compatibility", "storage_optimization"]), timeout=T)
    assert output_mount_scratches()


@pytest.mark.rule("R1")
def test_validate_configuration_sees_the_license_set_by_set_license(sites):
    stub = sites.domain("E501NEW")
    assert stub.GetDomainConfig(bb.GetDomainConfigRequest(), timeout=30).license_status.catalog_sync
    report = stub.ValidateConfiguration(bb.ValidateConfigurationRequest(), timeout=30)
    assert report.valid and not [p for p in report.problems if p.object_kind == "license"]
