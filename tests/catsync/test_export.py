"""The Catalog Sync export (BBCSEXP) on the two-site topology: what FULL and UPDATE exports write to the staging
area, what starts them, what refuses them, and the traces they leave (R1, R7, R17-R20, R22, R27, R30-R33, R51)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import grpc
import pytest

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2, media_catalog_pb2 as mc
from tests.backbox.conftest import topology_dict
from tests.emulator.waiting import until
from tests.catsync.conftest import (NODE, PRI, SEC, STAGING, STORE, T, advance, backup, export, pending,
                                    primary_store, primary_volumes, processes, settle, staging_mismatches,
                                    staging_names, status, summary, volume_file, ems_texts)

ALL_LABELS = [f"EW{n}" for n in range(1001, 1011)] + ["ENCS01", "ENCS02", "ENCS03"] + \
    [f"EK{n}" for n in range(1001, 1005)]


def with_export_config(**config) -> dict:
    data = topology_dict()
    primary_store(data)["export_config"].update(config)
    return data


# -- FULL and UPDATE ------------------------------------------------------------------------------------------------

@pytest.mark.rule("R19")
def test_full_export_writes_every_volume_and_the_summary(sites):
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    assert run.status == cs.PROCESS_STATUS_FINISHED and run.type == cs.SYNC_TYPE_FULL
    assert run.volumes_processed == 17 and not run.volume_errors
    assert staging_names(sites) == sorted(["CSSUMARY", *[f"V{label}" for label in ALL_LABELS]])
    s = summary(sites)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d", s.export_id) and s.export_id == run.export_id
    assert s.export_id == "2025-09-23_20:00:00", "the Export Id is the exporting node's UTC time"
    assert (s.type, s.data_store_id, s.domain_id, s.exporting_node) == (cs.SYNC_TYPE_FULL, STORE, PRI, NODE)
    assert [g.id for g in s.volume_groups] == ["VG_WIN1_DES", "VG_WIN1_DES_NC", "VG_WIN1_ENC"]
    assert sorted(s.labels) == sorted(ALL_LABELS) and s.volume_count == 17
    assert s.last_full_export_id == s.export_id and sorted(s.last_full_labels) == sorted(ALL_LABELS)
    assert s.data_store.export_config.export_destination == STAGING
    assert staging_mismatches(sites) == []
    assert pending(sites) == [], "a FULL export clears every pending volume"


@pytest.mark.rule("R22")
def test_volume_file_holds_backbox_record_and_dsmtc_entries(sites):
    b = backup(sites, catalog_files=True, disk_file_count=5, disk_file_prefix="\\INSIDX.$DATA01.SALES.")
    settle(sites)
    label = b.volumes[0].label
    v = volume_file(sites, label)
    assert v.volume.label == label and v.volume_group_id == "VG_WIN1_DES" and v.data_store_id == STORE
    assert v.has_tape_volume and v.tape_volume.volcat == "\\INSIDX.QCVOLCAT"
    assert v.tape_volume.status == mc.VOLUME_STATUS_ASSIGNED
    assert [f.file_id for f in v.tape_files] == ["E501NEW-OBK11-WIN1"]
    assert [(t.volser, t.vol_index) for t in v.tape_files[0].volumes] == [(label, 1)], "TFTOV rows travel too"
    assert v.catalog_files and len(v.disk_files) == 5
    assert all(d.disk_file_name.startswith("\\INSIDX.$DATA01.SALES.") for d in v.disk_files)
    assert v.volume_sequence == v.volume.change_sequence > 0
    assert v.exporting_process.startswith("\\INSIDX.$X")


@pytest.mark.rule("R22")
def test_none_group_volumes_carry_only_their_backbox_record(sites):
    backup(sites, file_id="NC-FILE", group="VG_WIN1_DES_NC")
    settle(sites)  # the backup's automatic export ends first (R25: one export per store at a time)
    export(sites, type_=cs.SYNC_TYPE_FULL)
    v = volume_file(sites, "ENCS01")
    assert v.volume.label == "ENCS01" and v.volume_group_id == "VG_WIN1_DES_NC"
    assert not v.has_tape_volume and not v.tape_files and not v.disk_files


@pytest.mark.rule("R20")
def test_update_export_writes_only_pending_volumes(sites):
    export(sites, type_=cs.SYNC_TYPE_FULL)
    before = {f: sites.guardian("\\ETINIUM").GetFileInfo(guardian_pb2.GetFileInfoRequest(
        name=f"{STAGING}.{f}"), timeout=T).info.modified.ToDatetime() for f in staging_names(sites)}
    advance(sites, hours=1)
    b = backup(sites)
    settle(sites)
    label = b.volumes[0].label
    latest = status(sites).latest_export
    assert latest.type == cs.SYNC_TYPE_UPDATE and latest.volumes_processed == 1
    assert latest.trigger == cs.TRIGGER_AUTOMATIC
    after = {f: sites.guardian("\\ETINIUM").GetFileInfo(guardian_pb2.GetFileInfoRequest(
        name=f"{STAGING}.{f}"), timeout=T).info.modified.ToDatetime() for f in staging_names(sites)}
    changed = sorted(f for f in after if after[f] != before[f])
    assert changed == sorted(["CSSUMARY", f"V{label}"])
    s = summary(sites)
    assert s.type == cs.SYNC_TYPE_UPDATE and list(s.labels) == [label]
    assert sorted(s.last_full_labels) == sorted(ALL_LABELS), "an UPDATE summary still names the latest FULL's set"
    assert staging_mismatches(sites) == [] and pending(sites) == []


@pytest.mark.rule("R20")
def test_update_with_nothing_pending_processes_no_volume(sites):
    export(sites, type_=cs.SYNC_TYPE_FULL)
    run = export(sites)
    assert run.status == cs.PROCESS_STATUS_FINISHED and run.volumes_processed == 0
    assert summary(sites).export_id == run.export_id and not summary(sites).labels


# -- automatic triggers ---------------------------------------------------------------------------------------------

@pytest.mark.rule("R27")
def test_unload_after_backup_starts_an_update_export_process(sites):
    export(sites, type_=cs.SYNC_TYPE_FULL)
    b = backup(sites)
    settle(sites)
    auto = [p for p in processes(sites) if "TRIGGER AUTOMATIC" in p.param]
    assert len(auto) == 1 and auto[0].state == guardian_pb2.PROCESS_STATE_STOPPED
    assert re.fullmatch(r"\\INSIDX\.\$X[A-Z0-9]{3}", auto[0].name), "its own $Xnnn Guardian name"
    assert volume_file(sites, b.volumes[0].label).volume.unload_time == b.volumes[0].unload_time


@pytest.mark.rule("R27")
def test_volume_creation_and_interactive_status_change_trigger_exports(sites):
    export(sites, type_=cs.SYNC_TYPE_FULL)
    sites.domain(PRI).CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_WIN1_DES_NC", labels=["ENCS09"],
                                                            user="SUPER.SUPER", origin=bb.OPERATION_ORIGIN_UI),
                                    timeout=T)
    settle(sites)
    assert "VENCS09" in staging_names(sites) and pending(sites) == []
    b = backup(sites)
    settle(sites)
    label = b.volumes[0].label
    changed = sites.domain(PRI).AlterVolumeStatus(bb.AlterVolumeStatusRequest(
        labels=[label], status=mc.VOLUME_STATUS_FULL, user="SUPER.SUPER"), timeout=T)
    assert not changed.rejected
    settle(sites)
    assert volume_file(sites, label).tape_volume.status == mc.VOLUME_STATUS_FULL
    assert pending(sites) == []


@pytest.mark.rule("R31")
def test_blank_destination_means_no_exports(make_sites):
    sites = make_sites(with_export_config(export_destination=""))
    backup(sites)
    settle(sites)
    assert staging_names(sites) == []
    assert len(pending(sites)) == 17 + 0, "volumes stay pending: created ones and the one written"
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    assert run.status == cs.PROCESS_STATUS_REJECTED and run.rule == "R31" and not run.process
    assert "Export Destination" in run.reason
    st = status(sites)
    assert not st.exports_enabled and st.pending_count == 17


# -- refusals -------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R17")
def test_export_of_a_secondary_store_is_refused(sites):
    run = export(sites, "E501_WIN1_SND", cs.SYNC_TYPE_FULL, domain=SEC)
    assert run.status == cs.PROCESS_STATUS_REJECTED and run.rule == "R17" and "SECONDARY" in run.reason


@pytest.mark.rule("R17")
def test_export_of_a_restricted_store_is_refused(sites):
    sites.domain(PRI).SetDomainAccess(bb.SetDomainAccessRequest(id=STORE, domain_access=bb.DOMAIN_ACCESS_RESTRICTED),
                                      timeout=T)
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    assert run.status == cs.PROCESS_STATUS_REJECTED and run.rule == "R17"
    assert staging_names(sites) == []


@pytest.mark.rule("R1")
def test_export_needs_the_catalog_sync_license_option(sites):
    sites.domain(PRI).SetLicense(bb.SetLicenseRequest(license=bb.License(key="E501-NOCS", options=["ENCRYPTION"],
                                                                         expiry_date="2027-12-31")), timeout=T)
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    assert run.status == cs.PROCESS_STATUS_REJECTED and run.rule == "R1" and "CATALOG_SYNC" in run.reason
    backup(sites)
    settle(sites)
    assert staging_names(sites) == [], "no automatic export either"


def test_unknown_store_is_not_found_and_names_the_stores(sites):
    with pytest.raises(grpc.RpcError) as err:
        export(sites, "NO_SUCH_STORE")
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    assert "NO_SUCH_STORE" in err.value.details() and STORE in err.value.details()


@pytest.mark.rule("R18")
def test_inactive_store_exports_only_from_the_ui(sites):
    sites.domain(PRI).SetDataStoreStatus(bb.SetDataStoreStatusRequest(id=STORE, status=bb.DATA_STORE_STATUS_INACTIVE),
                                         timeout=T)
    macro = export(sites, type_=cs.SYNC_TYPE_FULL, trigger=cs.TRIGGER_MACRO)
    assert macro.status == cs.PROCESS_STATUS_REJECTED and macro.rule == "R18"
    ui = export(sites, type_=cs.SYNC_TYPE_FULL, trigger=cs.TRIGGER_UI)
    assert ui.status == cs.PROCESS_STATUS_FINISHED and ui.volumes_processed == 17


# -- type and CATALOGFILES ------------------------------------------------------------------------------------------

@pytest.mark.rule("R30")
def test_full_export_frequency_turns_an_update_into_a_full(make_sites):
    sites = make_sites(with_export_config(full_export_frequency_days=30))
    first = export(sites, type_=cs.SYNC_TYPE_FULL)
    assert first.type == cs.SYNC_TYPE_FULL and not first.converted_to_full
    advance(sites, days=29)
    early = export(sites)
    assert early.type == cs.SYNC_TYPE_UPDATE and not early.converted_to_full
    advance(sites, days=1)
    due = export(sites)
    assert due.requested_type == cs.SYNC_TYPE_UPDATE and due.type == cs.SYNC_TYPE_FULL and due.converted_to_full
    assert due.volumes_processed == 17
    assert any("converted to FULL" in line and "30 days" in line for line in due.report.lines)
    assert status(sites).latest_full_export.export_id == due.export_id


@pytest.mark.rule("R30")
def test_frequency_zero_never_converts(sites):
    assert export(sites).type == cs.SYNC_TYPE_UPDATE


@pytest.mark.rule("R7")
def test_update_to_a_new_destination_becomes_full(sites):
    export(sites, type_=cs.SYNC_TYPE_FULL)
    sites.domain(PRI).UpdateExportConfig(bb.UpdateExportConfigRequest(
        data_store_id=STORE, export_config=bb.ExportConfig(export_destination="\\ETINIUM.$DATA15.NEWSTAGE"),
        field_mask=["export_destination"]), timeout=T)
    b = backup(sites)
    settle(sites)
    latest = status(sites).latest_export
    assert latest.type == cs.SYNC_TYPE_FULL and latest.destination == "\\ETINIUM.$DATA15.NEWSTAGE"
    assert len(staging_names(sites, "\\ETINIUM.$DATA15.NEWSTAGE")) == 18, "the new area holds every volume"
    assert b.volumes[0].label in summary(sites, "\\ETINIUM.$DATA15.NEWSTAGE").labels


@pytest.mark.rule("R33")
@pytest.mark.parametrize("allowed, trigger, option, expected", [
    (True, cs.TRIGGER_AUTOMATIC, 0, True),
    (True, cs.TRIGGER_UI, cs.CATALOG_FILES_OPTION_YES, True),
    (True, cs.TRIGGER_UI, cs.CATALOG_FILES_OPTION_NO, False),
    (True, cs.TRIGGER_MACRO, 0, True),
    (False, cs.TRIGGER_AUTOMATIC, 0, False),
    (False, cs.TRIGGER_UI, cs.CATALOG_FILES_OPTION_YES, False),
])
def test_disk_files_follow_the_store_and_the_request(make_sites, allowed, trigger, option, expected):
    sites = make_sites(with_export_config(include_disk_files=allowed))
    export(sites, type_=cs.SYNC_TYPE_FULL, catalog_files=cs.CATALOG_FILES_OPTION_NO)
    b = backup(sites, catalog_files=True, disk_file_count=3, disk_file_prefix="\\INSIDX.$DATA01.SALES.")
    settle(sites)
    label = b.volumes[0].label
    if trigger != cs.TRIGGER_AUTOMATIC:
        run = export(sites, type_=cs.SYNC_TYPE_FULL, trigger=trigger, catalog_files=option)
        assert run.catalog_files is expected
    v = volume_file(sites, label)
    assert len(v.disk_files) == (3 if expected else 0) and v.catalog_files is expected
    assert status(sites).disk_files_allowed is allowed


# -- traces ---------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R51")
def test_ems_start_and_end_messages_when_verbose(sites):
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    texts = ems_texts(sites)
    start = [t for t in texts if t.startswith("E501NEW-I3273")]
    end = [t for t in texts if t.startswith("E501NEW-I3279")]
    assert start == [f"E501NEW-I3273 CATALOG FULL process {run.process} started to export the catalogs of data"
                     f" store {STORE}. Output report sent to $S.#CSEXP."]
    assert end == [f"E501NEW-I3279 {run.process} exported FULL catalogs for data store {STORE} (17 volumes"
                   " processed). Report in $S.#CSEXP"]


@pytest.mark.rule("R51")
def test_no_start_end_messages_without_ems_verbose(make_sites):
    data = topology_dict()
    data["domains"][0]["ems_verbose"] = False
    sites = make_sites(data)
    export(sites, type_=cs.SYNC_TYPE_FULL)
    assert not [t for t in ems_texts(sites) if "-I3273" in t or "-I3279" in t]


@pytest.mark.rule("R51")
def test_report_is_written_to_the_report_location_and_returned(make_sites):
    sites = make_sites(with_export_config(report_location="$S.#BPAK.E5EXP"))
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    lines = list(run.report.lines)
    assert lines[0] == f"E501NEW-BB051 - CatSync Export/Import process {run.process} 2025-09-23 15:00"
    assert "Process type      : EXPORT FULL catalogs" in lines
    assert f"Export id         : {run.export_id}" in lines
    assert f"Export destination: {STAGING}" in lines
    assert lines[-1] == f"E501NEW-BB051 Process {run.process} ended on 2025-09-23 15:00"
    spooled = sites.guardian(NODE).ReadReport(guardian_pb2.ReadReportRequest(location="$S.#BPAK.E5EXP"),
                                              timeout=T).report
    assert list(spooled.lines) == lines and spooled.process == run.process
    rows = [r for r in run.report.volumes]
    assert [r.label for r in rows] == ALL_LABELS, "by group in configuration order, then label"
    assert [g.volume_group_id for g in run.report.groups] == ["VG_WIN1_DES", "VG_WIN1_DES_NC", "VG_WIN1_ENC"]
    assert sum(g.volume_count for g in run.report.groups) == run.report.volumes_processed == 17


@pytest.mark.rule("R51")
def test_report_shows_first_tape_file_and_most_recent_volume(sites):
    b = backup(sites, data_bytes=2_500_000)   # > 1 MB per volume: a three-volume set
    settle(sites)
    labels = [v.label for v in b.volumes]
    assert len(labels) == 3
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    text = {r.label: r.catalog_text for r in run.report.volumes}
    assert re.fullmatch(r"ASSIGNED +E501NEW-OBK11-WIN1, gen=1", text[labels[0]])
    assert re.fullmatch(r"ASSIGNED +E501NEW-OBK11-WIN1, gen=1, vol=2", text[labels[1]])
    assert re.fullmatch(r"ASSIGNED +E501NEW-OBK11-WIN1, gen=1, vol=3", text[labels[2]])
    group = run.report.groups[0]
    assert group.most_recent_label == labels[-1]
    assert any(line.startswith("VG_WIN1_DES ") and f"{labels[-1]} unloaded on" in line for line in run.report.lines)


# -- processes and status -------------------------------------------------------------------------------------------

@pytest.mark.rule("R32")
def test_process_priority_from_the_export_configuration(make_sites):
    sites = make_sites(with_export_config(priority=150))
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    proc = sites.guardian(NODE).GetProcess(guardian_pb2.GetProcessRequest(name=run.process), timeout=T).process
    assert proc.program == "BBCSEXP" and proc.priority == 150
    default = make_sites()
    run = export(default, type_=cs.SYNC_TYPE_FULL)
    assert default.guardian(NODE).GetProcess(guardian_pb2.GetProcessRequest(name=run.process),
                                             timeout=T).process.priority == 120, "0 = inherit BBSV's priority"


def test_export_status_page(sites):
    initial = status(sites)
    assert initial.pending_count == 17 and len(initial.oldest_pending) == 3
    assert not initial.HasField("latest_export") and initial.exports_enabled
    full = export(sites, type_=cs.SYNC_TYPE_FULL)
    advance(sites, hours=2)
    b = backup(sites)
    settle(sites)
    st = status(sites)
    assert st.pending_count == 0
    assert st.most_recent_exported.label == b.volumes[0].label
    assert st.latest_full_export.export_id == full.export_id and st.latest_full_export.volumes_processed == 17
    assert st.latest_export.type == cs.SYNC_TYPE_UPDATE and st.latest_export.status == cs.PROCESS_STATUS_FINISHED
    assert st.latest_export.export_id == "2025-09-23_22:00:00"
    assert "  Start Time: 2025-09-23 17:00:00" in st.lines, "times in \\INSIDX local time (UTC-5)"
    assert "  Export Id: 2025-09-23_22:00:00" in st.lines


def test_export_run_times_are_the_nodes_clock(sites):
    advance(sites, hours=3)
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    assert run.start_time.ToDatetime() == datetime(2025, 9, 23, 23, 0)
    assert run.export_id == "2025-09-23_23:00:00"
    assert run.end_time.ToDatetime() - run.start_time.ToDatetime() <= timedelta(0)


def test_records_match_the_primary_after_many_changes(sites):
    export(sites, type_=cs.SYNC_TYPE_FULL)
    for n in range(4):
        backup(sites, file_id=f"E501NEW-APP{n}", catalog_files=True, disk_file_count=2,
               disk_file_prefix="\\INSIDX.$DATA01.APP.")
        advance(sites, minutes=30)
    assigned = [v.label for v in primary_volumes(sites) if v.catalog_status == mc.VOLUME_STATUS_ASSIGNED]
    changed = sites.domain(PRI).AlterVolumeStatus(bb.AlterVolumeStatusRequest(
        labels=assigned[:2], status=mc.VOLUME_STATUS_FULL, user="SUPER.SUPER"), timeout=T)
    assert len(assigned) >= 2 and not changed.rejected
    settle(sites)
    assert staging_mismatches(sites) == [] and pending(sites) == []


@pytest.mark.rule("R22")
def test_tmf_group_volumes_carry_only_their_backbox_record(make_sites):
    data = topology_dict()
    primary_store(data)["volume_groups"].append({"id": "VG_WIN_TMF", "tape_catalog": "TMF", "tmf_node": "\\INSIDX",
                                                 "max_volume_size_mb": 1, "volumes": "TMF001-TMF002"})
    sites = make_sites(data)
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    assert run.volumes_processed == 19
    v = volume_file(sites, "TMF001")
    assert v.volume_group_id == "VG_WIN_TMF" and v.volume.label == "TMF001"
    assert not v.has_tape_volume and not v.tape_files and not v.disk_files
    tmf = next(g for g in run.report.groups if g.volume_group_id == "VG_WIN_TMF")
    assert tmf.catalog.text == "TMF catalog: \\INSIDX" and tmf.volume_count == 2
    assert [r.catalog_text for r in run.report.volumes if r.volume_group_id == "VG_WIN_TMF"] == ["", ""]


@pytest.mark.rule("R25")
def test_a_second_export_process_of_the_store_defers_to_the_running_one(make_sites):
    """Real time (processes run side by side): the domain's automatic start while an export runs ends quietly and
    leaves its volumes pending; a start by hand says why it refused."""
    from emulator.v1 import control_pb2  # noqa: PLC0415

    data = topology_dict()
    data["clock"] = {"mode": "real", "start": "2025-09-23T20:00:00Z"}
    sites = make_sites(data)
    guardian = sites.guardian(NODE)
    until(lambda: not guardian.ListProcesses(guardian_pb2.ListProcessesRequest(running_only=True),
                                             timeout=T).processes)   # the volume creations' own export first
    sites.control_service().ArmFaultPoint(control_pb2.ArmFaultPointRequest(point=control_pb2.FaultPoint(
        name="export.after_volume_file", action=control_pb2.FAULT_ACTION_DELAY, delay_ms=100, repeat=True)),
        timeout=T)
    full = export(sites, type_=cs.SYNC_TYPE_FULL, wait=False)
    assert full.status == cs.PROCESS_STATUS_RUNNING
    results = {}
    for trigger in ("AUTOMATIC", "UI"):
        started = guardian.StartProcess(guardian_pb2.StartProcessRequest(
            program="BBCSEXP", param=f"STOREID {STORE}, TRIGGER {trigger}"), timeout=T).process
        results[trigger] = guardian.WaitProcess(guardian_pb2.WaitProcessRequest(name=started.name,
                                                                               timeout_seconds=20), timeout=30).process
    assert guardian.GetProcess(guardian_pb2.GetProcessRequest(name=full.process), timeout=T).process.state in (
        guardian_pb2.PROCESS_STATE_RUNNING, guardian_pb2.PROCESS_STATE_WAITING), "the FULL was still running"
    assert (results["AUTOMATIC"].state, results["AUTOMATIC"].completion_code) == (guardian_pb2.PROCESS_STATE_STOPPED,
                                                                                  0)
    assert (results["UI"].state, results["UI"].completion_code) == (guardian_pb2.PROCESS_STATE_STOPPED, 2)
    rejected = [t for t in ems_texts(sites) if "E3280" in t and results["UI"].name in t]
    assert rejected and "R25" in rejected[0] and full.process in rejected[0]
    assert not [t for t in ems_texts(sites) if results["AUTOMATIC"].name in t], "the automatic one is quiet"
    guardian.WaitProcess(guardian_pb2.WaitProcessRequest(name=full.process, timeout_seconds=30), timeout=40)
    assert status(sites).latest_export.process == full.process
