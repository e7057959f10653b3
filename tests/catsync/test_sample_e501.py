"""The E5.01 sample data store fixture (tests/catsync/sample_e501.py) holds what the manual's Sample Catalog Export
Report shows, read back through the platform's own RPCs: the BackBox volume catalog of DS_WIN1_DES, DSM/TC on
\\INSIDX, and the configuration of both domains."""

from __future__ import annotations

from typing import Iterator

import pytest

from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2 as gp, media_catalog_pb2 as mc
from harness.launcher import Topology, start_topology
from tests.catsync.sample_e501 import (BRCOM_FILE, DATA_STORE, FILECAT, NODE, PRIMARY_DOMAIN, SAMPLE_GROUPS,
                                       SAMPLE_ROWS, SECONDARY_DOMAIN, VOLCAT, WIN1_FILE, build_sample,
                                       sample_topology_dict)

T = 30


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Iterator[Topology]:
    """One built sample for the module: the tests only read it."""
    topo = start_topology(sample_topology_dict(), state_dir=tmp_path_factory.mktemp("e501"))
    try:
        build_sample(topo)
        yield topo
    finally:
        topo.close()


def _volumes(topo: Topology) -> list[bb.BackBoxVolume]:
    return list(topo.domain(PRIMARY_DOMAIN).ListVolumes(bb.ListVolumesRequest(data_store_id=DATA_STORE),
                                                        timeout=T).volumes)


def _status(status: int) -> str:
    return "" if status == mc.VOLUME_STATUS_UNSPECIFIED else mc.VolumeStatus.Name(status).removeprefix(
        "VOLUME_STATUS_")


def _first_file(vol: bb.BackBoxVolume) -> str:
    if not vol.HasField("first_non_expired_tape_file"):
        return ""
    ref = vol.first_non_expired_tape_file
    return f"{ref.file_id}, gen={ref.generation}" + (f", vol={ref.vol_index}" if ref.vol_index >= 2 else "")


def _catalog_text(vg: bb.VolumeGroup) -> str:
    if vg.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC:
        return f"DSM/TC volcat {vg.volcat}, pool {vg.pool}"
    if vg.tape_catalog == bb.TAPE_CATALOG_TYPE_TMF:
        return f"TMF catalog: {vg.tmf_node}"
    return "no tape catalog"


def test_volume_rows_match_the_sample_export_report(sample):
    rows = [(v.label, v.volume_group_id, _status(v.catalog_status), _first_file(v)) for v in _volumes(sample)]
    assert rows == list(SAMPLE_ROWS)
    assert len(rows) == 35


def test_groups_counts_and_most_recent_volume_match_the_summary(sample):
    groups = sample.domain(PRIMARY_DOMAIN).ListVolumeGroups(bb.ListVolumeGroupsRequest(data_store_id=DATA_STORE),
                                                            timeout=T).volume_groups
    assert [(g.id, _catalog_text(g)) for g in groups] == [(s.group, s.catalog) for s in SAMPLE_GROUPS]
    vols = _volumes(sample)
    for expected in SAMPLE_GROUPS:
        members = [v for v in vols if v.volume_group_id == expected.group]
        assert len(members) == expected.volumes, expected.group
        unloaded = sorted((v.unload_time.ToDatetime(), v.label) for v in members if v.HasField("unload_time"))
        if not expected.most_recent:
            assert unloaded == [], expected.group
            continue
        assert unloaded[-1][1] == expected.most_recent, expected.group
        assert len(unloaded) < 2 or unloaded[-2][0] < unloaded[-1][0], f"{expected.group}: a tie for most recent"
    ew1008 = next(v for v in vols if v.label == "EW1008")
    assert ew1008.unload_time.ToJsonString() == "2025-09-24T02:16:42Z", "21:16:42 on \\INSIDX, as in the report"
    disk_files = [f for m in sample.media_catalog(NODE).ListDiskFiles(
        mc.ListDiskFilesRequest(filecat=FILECAT, all_statuses=True), timeout=T) for f in m.files]
    assert disk_files == [] and all(s.disk_files == 0 for s in SAMPLE_GROUPS), "no DSM/TC disk file"


def test_dsmtc_holds_the_sample_volumes_and_only_the_kept_generations(sample):
    catalog = sample.media_catalog(NODE)
    pools = {"VG_WIN1_BRCOM": "E501_WIN1_BRCOM", "VG_WIN1_DES": "E501_WIN1"}
    for row in SAMPLE_ROWS:
        if row.group not in pools:
            continue
        got = catalog.GetTapeVolume(mc.GetTapeVolumeRequest(volser=row.label, volcat=VOLCAT), timeout=T)
        assert (_status(got.volume.status), got.volume.pool) == (row.status, pools[row.group]), row.label
        valid = [f for f in got.files if f.status == mc.TAPE_FILE_STATUS_VALID]
        if row.status == "SCRATCH":
            assert list(got.files) == [], f"{row.label}: expired / deleted entries are gone"
            continue
        first = valid[0]
        index = next(t.vol_index for t in first.volumes if t.volser == row.label)
        assert f"{first.file_id}, gen={first.generation}" + (f", vol={index}" if index >= 2 else "") == \
            row.first_file
    files = catalog.ListTapeFiles(mc.ListTapeFilesRequest(filecat=FILECAT), timeout=T).files
    assert sorted((f.file_id, f.generation, mc.TapeFileStatus.Name(f.status)) for f in files) == sorted(
        [(BRCOM_FILE, g, "TAPE_FILE_STATUS_VALID") for g in (1, 2)]
        + [(WIN1_FILE, g, "TAPE_FILE_STATUS_VALID") for g in (3, 6, 8, 9, 10)])
    gen2 = next(f for f in files if (f.file_id, f.generation) == (BRCOM_FILE, 2))
    assert [(t.volser, t.vol_index) for t in gen2.volumes] == [(f"VEBR0{k + 1}", k) for k in range(1, 5)]
    assert not any(f.catalog_files for f in files)


def test_configuration_of_both_domains(sample):
    primary, secondary = sample.domain(PRIMARY_DOMAIN), sample.domain(SECONDARY_DOMAIN)
    ds = primary.GetDataStore(bb.GetDataStoreRequest(id=DATA_STORE), timeout=T).data_store
    assert (ds.domain_access, ds.type) == (bb.DOMAIN_ACCESS_PRIMARY, bb.DATA_STORE_TYPE_WINDISK)
    assert (ds.export_config.export_destination, ds.export_config.include_disk_files,
            ds.export_config.report_location) == ("\\ETINIUM.$DATA15.E5CATSYN", True, "$S.#BPAK.E5EXP")
    assert {v.label: v.labeled for v in _volumes(sample) if v.volume_group_id == "VG_WIN1_UL"} == {
        "WUL001": False, "WUL002": False}, "VG_WIN1_UL holds unlabeled volumes"
    groups = secondary.ListVolumeGroups(bb.ListVolumeGroupsRequest(data_store_id="E501_WIN1_SND"),
                                        timeout=T).volume_groups
    assert [(g.id, g.primary_volume_group_id, g.tape_catalog) for g in groups] == [
        ("VG_WIN1_DES2", "VG_WIN1_DES", bb.TAPE_CATALOG_TYPE_DSMTC),
        ("VG_WIN1_DES_NC_2ND", "VG_WIN1_DES_NC", bb.TAPE_CATALOG_TYPE_NONE),
        ("VG_WIN1_DES_NC2_2ND", "VG_WIN1_DES_NC2", bb.TAPE_CATALOG_TYPE_NONE)]
    for stub in (primary, secondary):
        assert stub.GetDomainConfig(bb.GetDomainConfigRequest(), timeout=T).license_status.catalog_sync
        check = stub.ValidateConfiguration(bb.ValidateConfigurationRequest(), timeout=T)
        # Platform bug: ValidateConfiguration checks the license of the DOMAIN row, not the one SetLicense stored,
        # so it reports "no key" / "no CATALOG_SYNC option" although GetDomainConfig shows a valid license.
        errors = [p.message for p in check.problems if p.severity == bb.PROBLEM_SEVERITY_ERROR
                  and p.object_kind != "license"]
        assert errors == []


def test_build_leaves_no_process_running(sample):
    for node in (NODE, "\\ETINIUM"):
        running = sample.guardian(node).ListProcesses(gp.ListProcessesRequest(running_only=True), timeout=T)
        assert [p.name for p in running.processes] == [], node
