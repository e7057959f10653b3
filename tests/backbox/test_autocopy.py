"""Storage AutoCopy driven by the VTC's dismounts (domain-facts §7): a read/write dismount is copied to the target
storage at the next clock step, a read-only ("no ring") dismount is not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from google.protobuf.duration_pb2 import Duration

from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, storage_pb2 as st, tape_controller_pb2 as tc
from tests.backbox.conftest import topology_dict

PRI, NODE = "E501NEW", "\\INSIDX"
T = 30


@pytest.fixture
def autocopy(make_sites):
    return make_sites(topology_dict(replication={
        "storage": [{"from": "STO_PRI", "to": "STO_SEC", "mode": "AUTOCOPY"}],
        "keys": [{"from": "ESKM-PRI", "to": "ESKM-SEC", "lag": "1m"}]}))


def advance(sites, **delta) -> None:
    sites.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=int(timedelta(**delta)
                                                                                   .total_seconds()))), timeout=T)


def stat(sites, storage: str, label: str) -> st.StatImageResponse:
    return sites.storage(storage).StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T)


def replication_events(sites, label: str) -> list[int]:
    return [e.kind for e in sites.storage("STO_PRI").ListReplicationEvents(st.ListReplicationEventsRequest(),
                                                                           timeout=T).events if e.label == label]


def test_read_write_dismount_is_copied_at_the_next_clock_step(autocopy):
    status = autocopy.storage("STO_PRI").GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status
    assert status.config.mode == st.REPLICATION_MODE_AUTOCOPY and status.role == st.REPLICATION_ROLE_SOURCE
    r = autocopy.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id="VG_WIN1_DES",
                                                           file_id="AUTOCOPY-1", data_bytes=150_000), timeout=T)
    label = r.volumes[0].label
    assert not stat(autocopy, "STO_SEC", label).found, "copied on dismount, when the clock moves"
    advance(autocopy, seconds=1)
    source, copy = stat(autocopy, "STO_PRI", label), stat(autocopy, "STO_SEC", label)
    assert copy.found and copy.image.replica and copy.image.source_storage_id == "STO_PRI"
    assert copy.image.checksum == source.image.checksum
    assert replication_events(autocopy, label) == [st.REPLICATION_EVENT_KIND_REPLICATED]


def test_untouched_images_are_not_copied_without_a_dismount(autocopy):
    stub = autocopy.storage("STO_PRI")
    stub.PutImage(iter([st.PutImageRequest(image=st.VolumeImage(label="EW1005", labeled=True)),
                        st.PutImageRequest(chunk=st.ImageChunk(part=st.IMAGE_PART_INDEX, data=b"{}")),
                        st.PutImageRequest(chunk=st.ImageChunk(part=st.IMAGE_PART_DATA, data=b"x" * 100))]),
                  timeout=T)
    advance(autocopy, minutes=10)
    assert not stat(autocopy, "STO_SEC", "EW1005").found, "AutoCopy ships on dismount only, not on every put"


def test_read_only_dismount_is_not_copied(autocopy):
    r = autocopy.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id="VG_WIN1_DES",
                                                           file_id="AUTOCOPY-2", data_bytes=150_000), timeout=T)
    label = r.volumes[0].label
    advance(autocopy, seconds=1)
    copied = stat(autocopy, "STO_SEC", label).image
    restored = autocopy.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="AUTOCOPY-2"), timeout=T)
    assert restored.checksum == r.checksum
    vtc = autocopy.vtc("VTC1")
    mounted = vtc.Mount(tc.MountRequest(label=label, mode=bb.MOUNT_MODE_INPUT, node=NODE), timeout=T)
    assert not vtc.Unload(tc.UnloadRequest(drive_id=mounted.drive.id), timeout=T).written
    advance(autocopy, minutes=10)
    assert replication_events(autocopy, label) == [
        st.REPLICATION_EVENT_KIND_REPLICATED, st.REPLICATION_EVENT_KIND_SKIPPED_READ_ONLY,
        st.REPLICATION_EVENT_KIND_SKIPPED_READ_ONLY]
    assert stat(autocopy, "STO_SEC", label).image == copied, "the copy was not shipped again"
    status = autocopy.storage("STO_PRI").GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status
    assert status.replicated_objects == 1 and status.backlog_objects == 0


def test_a_rewritten_volume_is_copied_again(autocopy):
    d = autocopy.domain(PRI)
    first = d.RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id="VG_WIN1_DES_NC", file_id="NC-1",
                                            data_bytes=10_000, content_seed=1), timeout=T)
    label = first.volumes[0].label
    advance(autocopy, seconds=1)
    before = stat(autocopy, "STO_SEC", label).image.checksum
    second = d.RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id="VG_WIN1_DES_NC", file_id="NC-2",
                                             label=label, data_bytes=10_000, content_seed=2), timeout=T)
    assert second.volumes[0].label == label
    assert stat(autocopy, "STO_SEC", label).image.checksum == before, "not before the clock moves"
    advance(autocopy, seconds=1)
    after = stat(autocopy, "STO_SEC", label).image
    assert after.checksum != before and after.checksum == stat(autocopy, "STO_PRI", label).image.checksum
