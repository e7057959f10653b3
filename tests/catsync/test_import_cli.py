"""The import at the command line and in NetBatch jobs: `catsync-sim tacl` with BB027_IMPORT_CATALOG, `status` on a SECONDARY store
(the Import Status page) and `check-primary` (Check Against Primary Configuration), against the two-site
topology (R35, R39, R51)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import guardian_pb2
from harness.cli import main
from tests.catsync.conftest import (REMOTE, SEC, SEC_STORE, T, advance, backup, export, import_, import_status,
                                    settle)


def _exported(sites) -> cs.ExportRun:
    backup(sites, label="EW1003")
    settle(sites)
    return export(sites, type_=cs.SYNC_TYPE_FULL)


@pytest.mark.rule("R35")
def test_cli_tacl_runs_bb027_and_prints_the_import_and_its_report_when_waiting(sites, capsys):
    run = _exported(sites)
    capsys.readouterr()

    code = main(["tacl", "--control", sites.control_address, "--node", REMOTE, "--wait",
                 f"BB027_IMPORT_CATALOG STOREID {SEC_STORE}, TYPE FULL, CATALOGFILES YES"])

    out = capsys.readouterr().out
    assert code == 0, out
    page = import_status(sites)
    process = page.latest_import.process
    assert page.latest_import.trigger == cs.TRIGGER_MACRO and page.latest_import.export_id == run.export_id
    first = out.splitlines()[0]
    assert process in first and "FULL import process" in first and "FINISHED" in first, out
    report = sites.catalog_sync(SEC).GetReport(cs.GetReportRequest(process=process), timeout=T)
    assert report.HasField("import_report")
    assert "\n".join(report.lines) in out
    assert f"{SEC}-I3342 {process} imported FULL catalogs for data store {SEC_STORE}" in out


@pytest.mark.rule("R21")
def test_cli_status_prints_the_import_status_page_of_a_secondary_store(sites, capsys):
    _exported(sites)
    done = import_(sites, type_=cs.SYNC_TYPE_FULL)
    capsys.readouterr()

    code = main(["status", "--control", sites.control_address, "--store", SEC_STORE])

    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == list(import_status(sites).lines)
    assert out.splitlines()[0].startswith(f"Import Status of data store {SEC_STORE}")
    assert f"Process Name: {done.process}" in out and "Latest Completed Full Import" in out
    assert "Volumes Received After Last Successful Import: 0" in out


@pytest.mark.rule("R39")
def test_cli_check_primary_prints_the_validation_table_with_w3332_for_unmapped_groups(sites, capsys):
    _exported(sites)
    capsys.readouterr()

    code = main(["check-primary", "--control", sites.control_address, "--store", SEC_STORE])

    out = capsys.readouterr().out
    assert code == 0, out
    assert "NSK tape catalog and pool for primary and secondary sites" in out
    assert "VG_WIN1_DES2" in out and "Primary volume group: VG_WIN1_DES" in out
    for group in ("VG_WIN1_DES_NC", "VG_WIN1_ENC"):   # not configured in YINE500
        assert (f"{SEC}-W3332 Primary volume group {group} is not configured in the local secondary domain {SEC}"
                in out), out


@pytest.mark.parametrize("argv, code, words", [
    (["check-primary", "--store", "DS_WIN1_DES"], 2, ["FAILED_PRECONDITION", "not a SECONDARY data store"]),
    (["check-primary", "--store", SEC_STORE], 2, ["no summary file yet", "first export"]),
    (["status", "--store", "NOPE"], 2, ["NOPE"]),
])
def test_cli_import_commands_fail_with_a_message_when_the_request_cannot_be_served(sites, capsys, argv, code, words):
    got = main([argv[0], "--control", sites.control_address, *argv[1:]])

    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert got == code, text
    for word in words:
        assert word in text, text


@pytest.mark.rule("R29")
@pytest.mark.rule("R36")
def test_netbatch_job_on_the_secondary_runs_bb027_at_its_time_and_every_day(sites):
    _exported(sites)
    service = sites.catalog_sync(SEC)
    now = sites.guardian(REMOTE).GetNodeInfo(guardian_pb2.GetNodeInfoRequest(), timeout=T).utc_now.ToDatetime()
    at = Timestamp()
    at.FromDatetime(now + timedelta(hours=1))
    job = service.ScheduleJob(cs.ScheduleJobRequest(
        node=REMOTE, macro_text=f"BB027_IMPORT_CATALOG STOREID {SEC_STORE}, TYPE UPDATE, CATALOGFILES YES", at=at,
        every=Duration(seconds=86400)), timeout=T).job

    advance(sites, minutes=59)
    settle(sites)
    assert not import_status(sites).HasField("latest_import")        # nothing before its time, nothing by itself

    advance(sites, minutes=2)
    settle(sites)
    first = import_status(sites).latest_import
    assert (first.trigger, first.status, first.type) == (cs.TRIGGER_NETBATCH, cs.PROCESS_STATUS_FINISHED,
                                                         cs.SYNC_TYPE_UPDATE)
    assert first.volumes_processed == 10       # the first UPDATE reads every file: EW1001-EW1010 of VG_WIN1_DES

    advance(sites, days=1)
    settle(sites)
    second = import_status(sites).latest_import
    assert second.process != first.process and second.volumes_processed == 0   # nothing received since
    (listed,) = service.ListJobs(cs.ListJobsRequest(node=REMOTE), timeout=T).jobs
    assert (listed.job_number, listed.run_count, listed.last_outcome) == (job.job_number, 2, "ok")
