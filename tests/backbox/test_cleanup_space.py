"""OBB017 BB023_DEL_BACKEDUP (group day and size thresholds) and BB022_CHECK_SPACE (store warning threshold)."""

from __future__ import annotations

import pytest
from google.protobuf.duration_pb2 import Duration

from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, storage_pb2 as st
from tests.backbox.conftest import topology_dict

T = 30


def _backup(domain, group: str, file_id: str) -> bb.RunBackupResponse:
    return domain.RunBackup(bb.RunBackupRequest(node="\\INSIDX", volume_group_id=group, file_id=file_id,
                                                data_bytes=200_000, content_seed=1), timeout=T)


@pytest.mark.rule("R17")
def test_del_backedup_deletes_images_only_past_the_group_thresholds(sites):
    domain = sites.domain("E501NEW")
    domain.UpdateVolumeGroup(bb.UpdateVolumeGroupRequest(
        volume_group=bb.VolumeGroup(id="VG_WIN1_DES_NC", delete_backedup_files=True, days_past_last_update=2,
                                    days_past_last_access=2),
        field_mask=["delete_backedup_files", "days_past_last_update", "days_past_last_access"]), timeout=T)
    label = _backup(domain, "VG_WIN1_DES_NC", "NC-OBK1").volumes[0].label
    steps = [bb.CLEANUP_STEP_DEL_BACKEDUP]
    early = domain.RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=["DS_WIN1_DES"], steps=steps), timeout=T)
    assert early.results[0].executed and early.results[0].deleted_files == 0
    sites.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=3 * 86400)), timeout=T)
    late = domain.RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=["DS_WIN1_DES"], steps=steps), timeout=T)
    assert late.results[0].deleted_files == 2  # .IND and .DAT
    assert not sites.storage("STO_PRI").StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T).found
    vol = domain.GetVolume(bb.GetVolumeRequest(label=label), timeout=T).volume
    assert not vol.materialized and vol.data_bytes == 0


def test_check_space_warns_above_the_store_threshold(make_sites):
    data = topology_dict()
    data["sites"][0]["storage"][0]["capacity"] = 400_000
    sites = make_sites(data)
    domain = sites.domain("E501NEW")
    domain.UpdateDataStore(bb.UpdateDataStoreRequest(
        data_store=bb.DataStore(id="DS_WIN1_DES", disk_space_warning_threshold_percent=5),
        field_mask=["disk_space_warning_threshold_percent"]), timeout=T)
    steps = [bb.CLEANUP_STEP_CHECK_SPACE]
    before = domain.RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=["DS_WIN1_DES"], steps=steps), timeout=T)
    assert before.results[0].used_percent == 0 and not before.results[0].space_warning
    _backup(domain, "VG_WIN1_DES", "SPACE-OBK1")
    after = domain.RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=["DS_WIN1_DES"], steps=steps), timeout=T)
    assert after.results[0].used_percent >= 5 and after.results[0].space_warning
