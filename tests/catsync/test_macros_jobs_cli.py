"""BB026 in TACL text (RunMacro), NetBatch jobs, reports, the Export Status page and the `catsync-sim tacl` /
`status` commands, run against the two-site topology (R17, R26, R28, R31, R33, R34, R36, domain-facts §9 q1)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from catsync import staging
from catsync.v1 import catalog_sync_pb2 as cs, state_pb2
from emulator.v1 import clock_pb2, guardian_pb2
from harness.cli import main
from harness.launcher import Topology
from tests.backbox.conftest import topology_dict
from tests.catsync.conftest import (NODE, PRI, REMOTE, SEC, STORE, T, advance, backup, export, link_down, link_heal,
                                    pending, primary_store, primary_volumes, processes, read_file, settle,
                                    staging_names, status, summary, volume_file)

FULL_TEXT = "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, TYPE FULL"
STAGING2 = "\\ETINIUM.$DATA15.E5CATSY2"
BATCH = "$S.#BATCH"
CSEXP = "$S.#CSEXP"
JOBS_FILE = "\\INSIDX.$SYSTEM.BBOX.CSJOBS"
DISK_PREFIX = "\\INSIDX.$DATA01.SALES."


# -- helpers -------------------------------------------------------------------------------------------------------

def _macro(topo: Topology, text: str, *, domain: str = PRI, node: str = NODE, wait: bool = True
           ) -> cs.RunMacroResponse:
    return topo.catalog_sync(domain).RunMacro(cs.RunMacroRequest(text=text, node=node, wait=wait), timeout=T)


def _now(topo: Topology) -> datetime:
    utc = topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T).utc
    return utc.ToDatetime().replace(tzinfo=timezone.utc)


def _ts(moment: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(moment)
    return out


def _utc(ts: Timestamp) -> datetime:
    return ts.ToDatetime().replace(tzinfo=timezone.utc)


def _jobs(topo: Topology, node: str = NODE) -> list[cs.Job]:
    return list(topo.catalog_sync(PRI).ListJobs(cs.ListJobsRequest(node=node), timeout=T).jobs)


def _reports(topo: Topology, location: str, node: str = NODE) -> list[guardian_pb2.Report]:
    return list(topo.guardian(node).ListReports(guardian_pb2.ListReportsRequest(location=location),
                                                timeout=T).reports)


def _read_report(topo: Topology, location: str, report_id: int = 0, node: str = NODE) -> guardian_pb2.Report:
    return topo.guardian(node).ReadReport(guardian_pb2.ReadReportRequest(location=location, report_id=report_id),
                                          timeout=T).report


def _rpc_error(call: Callable[..., Any], request: Any) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as err:
        call(request, timeout=T)
    return err.value


def _processes_on(topo: Topology, node: str, program: str = "BBCSEXP") -> list[guardian_pb2.ProcessInfo]:
    return list(topo.guardian(node).ListProcesses(guardian_pb2.ListProcessesRequest(program=program),
                                                  timeout=T).processes)


def _with_more_stores() -> dict[str, Any]:
    """The topology plus, in E501NEW: a second exporting PRIMARY store (own staging area), a PRIMARY store with a
    blank Export Destination (R31) and a SECONDARY store (R9: a domain may own both)."""
    data = topology_dict()
    stores = data["domains"][0]["data_stores"]
    stores.append({"id": "DS_WIN2_DES", "type": "WINDISK", "domain_access": "PRIMARY", "storage": "STO_PRI",
                   "export_config": {"export_destination": STAGING2},
                   "volume_groups": [{"id": "VG_WIN2_DES", "tape_catalog": "NONE", "max_volume_size_mb": 1,
                                      "volumes": "EX2001-EX2002"}]})
    stores.append({"id": "DS_WIN3_OFF", "type": "WINDISK", "domain_access": "PRIMARY", "storage": "STO_PRI",
                   "export_config": {"export_destination": ""},
                   "volume_groups": [{"id": "VG_WIN3_OFF", "tape_catalog": "NONE", "max_volume_size_mb": 1,
                                      "volumes": "EX3001-EX3001"}]})
    stores.append({"id": "DS_BACK_SND", "type": "WINDISK", "domain_access": "SECONDARY", "storage": "STO_PRI",
                   "primary_data_store_id": "DS_BACK", "import_config": {"import_source": "\\INSIDX.$DATA15.E5BACK"},
                   "volume_groups": [{"id": "VG_BACK_SND", "primary_volume_group_id": "VG_BACK",
                                      "tape_catalog": "NONE", "max_volume_size_mb": 1}]})
    return data


def _with_export_config(**changes: Any) -> dict[str, Any]:
    data = topology_dict()
    primary_store(data)["export_config"].update(copy.deepcopy(changes))
    return data


# -- 1. one BB026 call -----------------------------------------------------------------------------------------------

@pytest.mark.rule("R34")
@pytest.mark.rule("R19")
def test_bb026_full_runs_one_macro_export_of_every_volume_when_typed_at_tacl(sites):
    resp = _macro(sites, FULL_TEXT)

    assert resp.ok, resp.error_message
    assert resp.error_message == ""
    assert len(resp.calls) == 1
    call = resp.calls[0]
    assert (call.kind, call.store_id, call.resolved_store_id, call.type, call.catalog_files) == (
        cs.MACRO_KIND_EXPORT_CATALOG, STORE, STORE, cs.SYNC_TYPE_FULL, cs.CATALOG_FILES_OPTION_UNSPECIFIED)
    assert call.text == FULL_TEXT

    assert len(resp.export_runs) == 1
    run = resp.export_runs[0]
    labels = [v.label for v in primary_volumes(sites)]
    assert run.data_store_id == STORE
    assert run.status == cs.PROCESS_STATUS_FINISHED, run.reason
    assert (run.type, run.requested_type, run.converted_to_full) == (cs.SYNC_TYPE_FULL, cs.SYNC_TYPE_FULL, False)
    assert run.trigger == cs.TRIGGER_MACRO
    assert run.process.startswith("\\INSIDX.$")
    assert (run.volumes_processed, run.volume_errors) == (len(labels), 0)
    assert run.destination == "\\ETINIUM.$DATA15.E5CATSYN"

    # R19: one staging file per volume of the store, and the summary
    assert staging_names(sites) == sorted(["CSSUMARY", *(f"V{label}" for label in labels)])
    assert (summary(sites).export_id, summary(sites).type) == (run.export_id, cs.SYNC_TYPE_FULL)
    assert sorted(summary(sites).labels) == sorted(labels)

    # the TACL session names the process and how it ended
    run_lines = [line for line in resp.output if run.process in line]
    assert run_lines, resp.output
    assert "FINISHED" in run_lines[0] and STORE in run_lines[0] and "FULL" in run_lines[0]

    procs = processes(sites)
    assert [p.name for p in procs] == [run.process]
    assert "TRIGGER MACRO" in procs[0].param and "TYPE FULL" in procs[0].param


@pytest.mark.rule("R34")
def test_bb026_answers_with_the_running_process_when_not_waiting(sites):
    resp = _macro(sites, FULL_TEXT, wait=False)

    assert resp.ok, resp.error_message
    (run,) = resp.export_runs
    assert run.status == cs.PROCESS_STATUS_RUNNING and run.process
    assert not run.HasField("report")
    assert any(run.process in line and "started" in line for line in resp.output), resp.output
    settle(sites)
    page = status(sites)
    assert (page.latest_export.process, page.latest_export.status) == (run.process, cs.PROCESS_STATUS_FINISHED)


# -- 2. defaults (open question 1) and CATALOGFILES (R33) ------------------------------------------------------------

@pytest.mark.rule("R34")
@pytest.mark.rule("R20")
def test_bb026_runs_an_update_of_the_pending_volumes_when_type_is_omitted(sites):
    before = pending(sites)
    assert before, "the topology's new volumes are pending export"

    resp = _macro(sites, "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES")

    assert resp.ok, resp.error_message
    assert resp.calls[0].type == cs.SYNC_TYPE_UNSPECIFIED
    run = resp.export_runs[0]
    assert run.status == cs.PROCESS_STATUS_FINISHED, run.reason
    assert (run.type, run.requested_type, run.converted_to_full) == (cs.SYNC_TYPE_UPDATE, cs.SYNC_TYPE_UPDATE,
                                                                     False)
    assert run.volumes_processed == len(before)
    assert pending(sites) == []
    assert "TYPE UPDATE" in processes(sites)[0].param
    assert summary(sites).type == cs.SYNC_TYPE_UPDATE


@pytest.mark.rule("R33")
@pytest.mark.parametrize("include_disk_files, option, expected", [
    (True, "", True),                       # omitted: the store's Include DSM/TC Disk File Entries
    (True, ", CATALOGFILES YES", True),
    (True, ", CATALOGFILES NO", False),
    (False, ", CATALOGFILES YES", False),   # never without the store's permission
    (False, "", False),
])
def test_catalogfiles_follows_the_request_within_the_store_permission_when_bb026_runs(
        make_sites, include_disk_files, option, expected):
    sites = make_sites(_with_export_config(include_disk_files=include_disk_files))
    written = backup(sites, catalog_files=True, disk_file_count=5, disk_file_prefix=DISK_PREFIX)
    label = written.volumes[0].label
    assert written.disk_file_count == 5
    settle(sites)

    resp = _macro(sites, f"{FULL_TEXT}{option}")

    assert resp.ok, resp.error_message
    run = resp.export_runs[0]
    assert run.status == cs.PROCESS_STATUS_FINISHED, run.reason
    assert run.catalog_files is expected
    got = volume_file(sites, label)
    assert got.catalog_files is expected
    assert len(got.disk_files) == (5 if expected else 0)
    assert summary(sites).catalog_files is expected
    assert status(sites).disk_files_allowed is include_disk_files
    header = next(line for line in run.report.lines if line.startswith("DSM/TC disk files"))
    assert header.endswith("included") and ("not included" in header) is (not expected)


# -- 3. STOREID ALL (R34) --------------------------------------------------------------------------------------------

@pytest.mark.rule("R34")
@pytest.mark.rule("R31")
@pytest.mark.rule("R17")
def test_storeid_all_runs_every_primary_store_and_only_those_when_one_has_no_destination(make_sites):
    sites = make_sites(_with_more_stores())
    before_back = pending(sites, "DS_BACK_SND")

    resp = _macro(sites, "BB026_EXPORT_CATALOG STOREID ALL, TYPE FULL")

    runs = {r.data_store_id: r for r in resp.export_runs}
    assert sorted(runs) == ["DS_WIN1_DES", "DS_WIN2_DES", "DS_WIN3_OFF"]
    assert len(resp.export_runs) == 3
    for store_id, staging_area in (("DS_WIN1_DES", "\\ETINIUM.$DATA15.E5CATSYN"), ("DS_WIN2_DES", STAGING2)):
        run = runs[store_id]
        assert run.status == cs.PROCESS_STATUS_FINISHED, run.reason
        assert run.type == cs.SYNC_TYPE_FULL and run.trigger == cs.TRIGGER_MACRO
        labels = [v.label for v in primary_volumes(sites, store_id)]
        assert run.volumes_processed == len(labels)
        assert staging_names(sites, staging_area) == sorted(["CSSUMARY", *(f"V{label}" for label in labels)])
        assert summary(sites, staging_area).data_store_id == store_id

    off = runs["DS_WIN3_OFF"]
    assert (off.status, off.rule, off.process) == (cs.PROCESS_STATUS_REJECTED, "R31", "")
    assert "Export Destination" in off.reason
    assert pending(sites, "DS_WIN3_OFF") == ["EX3001"]       # nothing exported, still pending

    # the rejection makes the answer not ok, but the other stores ran
    assert not resp.ok
    assert "DS_WIN3_OFF" in resp.error_message
    assert any("DS_WIN3_OFF" in line and "R31" in line for line in resp.output)

    # neither this domain's SECONDARY store nor the secondary domain is touched
    assert "DS_BACK_SND" not in runs and "E501_WIN1_SND" not in runs
    assert pending(sites, "DS_BACK_SND") == before_back
    params = [p.param for p in processes(sites)]
    assert len(params) == 2 and not any("DS_BACK_SND" in p or "DS_WIN3_OFF" in p for p in params)
    assert _processes_on(sites, REMOTE) == []


@pytest.mark.rule("R34")
def test_storeid_all_says_there_is_nothing_to_export_when_the_domain_has_no_primary_store(sites):
    # YINE500 owns only the SECONDARY E501_WIN1_SND: the call exports nothing, and the session must say so
    # rather than print nothing (a NetBatch job would otherwise log a silent "ok" every night)
    resp = _macro(sites, "BB026_EXPORT_CATALOG STOREID ALL, TYPE FULL", domain=SEC, node=REMOTE)

    assert list(resp.export_runs) == []
    assert any("PRIMARY" in line and SEC in line for line in resp.output), list(resp.output)
    settle(sites)
    assert _processes_on(sites, REMOTE) == []


# -- 4. TACL text with LOAD, `&` and two calls ---------------------------------------------------------------------

@pytest.mark.rule("R34")
def test_two_calls_run_in_text_order_when_the_text_loads_the_macros_and_continues_a_line(sites):
    text = ("LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS\n"
            "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, &\n"
            "    TYPE FULL\n"
            "== then whatever changed since, without DISKFILEs\n"
            "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, CATALOGFILES NO\n")

    resp = _macro(sites, text)

    assert resp.ok, resp.error_message
    assert [c.text for c in resp.calls] == [FULL_TEXT, "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, CATALOGFILES NO"]
    first, second = resp.export_runs
    assert (first.type, second.type) == (cs.SYNC_TYPE_FULL, cs.SYNC_TYPE_UPDATE)
    assert (first.catalog_files, second.catalog_files) == (True, False)
    assert first.status == second.status == cs.PROCESS_STATUS_FINISHED
    assert first.process != second.process
    assert second.volumes_processed == 0                     # the FULL left nothing pending
    where = [next(i for i, line in enumerate(resp.output) if r.process in line) for r in (first, second)]
    assert where[0] < where[1]
    page = status(sites)
    assert page.latest_full_export.process == first.process
    assert page.latest_export.process == second.process


# -- 5. bad input ------------------------------------------------------------------------------------------------

@pytest.mark.rule("R34")
@pytest.mark.parametrize("text, words", [
    ("BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, FOO BAR", ["unknown option", "FOO", "STOREID, CATALOGFILES, TYPE"]),
    ("BB026_EXPORT_CATALOG TYPE FULL", ["needs STOREID"]),
    ("BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, TYPE BOGUS", ["TYPE", "BOGUS", "FULL or UPDATE"]),
    ("BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, &", ["`&`", "text ends"]),
])
def test_malformed_macro_text_is_refused_with_a_message_when_nothing_starts(sites, text, words):
    staging_before, pending_before = staging_names(sites), pending(sites)

    resp = _macro(sites, text)

    assert not resp.ok
    for word in words:
        assert word in resp.error_message, resp.error_message
    assert "Traceback" not in resp.error_message
    assert resp.output and resp.error_message in resp.output[-1]
    assert list(resp.calls) == [] and list(resp.export_runs) == []
    settle(sites)
    assert processes(sites) == []
    assert staging_names(sites) == staging_before
    assert pending(sites) == pending_before
    assert not status(sites).HasField("latest_export")


@pytest.mark.rule("R34")
def test_unknown_store_is_refused_naming_the_known_stores_when_bb026_names_it(sites):
    resp = _macro(sites, "BB026_EXPORT_CATALOG STOREID NOPE, TYPE FULL")

    assert not resp.ok
    assert "NOPE" in resp.error_message and "DS_WIN1_DES" in resp.error_message
    assert len(resp.calls) == 1 and list(resp.export_runs) == []
    settle(sites)
    assert processes(sites) == [] and staging_names(sites) == []


@pytest.mark.rule("R17")
def test_bb026_is_rejected_by_the_access_matrix_when_the_store_is_secondary(sites):
    resp = _macro(sites, "BB026_EXPORT_CATALOG STOREID E501_WIN1_SND, TYPE FULL", domain=SEC, node=REMOTE)

    assert not resp.ok
    (run,) = resp.export_runs
    assert (run.data_store_id, run.status, run.rule, run.process) == ("E501_WIN1_SND", cs.PROCESS_STATUS_REJECTED,
                                                                     "R17", "")
    assert "SECONDARY" in run.reason
    assert "E501_WIN1_SND" in resp.error_message and "SECONDARY" in resp.error_message
    assert any("R17" in line for line in resp.output)
    settle(sites)
    assert _processes_on(sites, REMOTE) == []
    assert staging_names(sites) == []


@pytest.mark.rule("R35")
@pytest.mark.rule("R35")
@pytest.mark.rule("R17")
def test_bb027_imports_on_the_secondary_and_is_refused_for_a_primary_store(sites):
    resp = _macro(sites, "BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE FULL", domain=SEC, node=REMOTE)

    assert resp.ok, resp.error_message
    assert [c.kind for c in resp.calls] == [cs.MACRO_KIND_IMPORT_CATALOG]
    (run,) = resp.import_runs
    assert (run.data_store_id, run.trigger, run.type) == ("E501_WIN1_SND", cs.TRIGGER_MACRO, cs.SYNC_TYPE_FULL)
    assert list(resp.export_runs) == []

    refused = _macro(sites, "BB027_IMPORT_CATALOG STOREID DS_WIN1_DES", domain=PRI, node=NODE)
    assert not refused.ok
    (rejected,) = refused.import_runs
    assert (rejected.status, rejected.rule, rejected.process) == (cs.PROCESS_STATUS_REJECTED, "R17", "")
    assert "DS_WIN1_DES" in refused.error_message and "BB027_IMPORT_CATALOG" in refused.error_message
    settle(sites)
    assert processes(sites) == []
    assert [p.state for p in _processes_on(sites, REMOTE, "BBCSIMP")] == [guardian_pb2.PROCESS_STATE_STOPPED]


def test_export_catalog_rpc_is_not_found_listing_the_stores_when_the_store_is_unknown(sites):
    err = _rpc_error(sites.catalog_sync(PRI).ExportCatalog, cs.ExportCatalogRequest(data_store_id="NOPE"))

    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert "NOPE" in err.details() and "DS_WIN1_DES" in err.details()
    assert processes(sites) == []


@pytest.mark.parametrize("store_id", ["", "   "])
def test_export_catalog_rpc_is_invalid_argument_when_no_store_is_given(sites, store_id):
    err = _rpc_error(sites.catalog_sync(PRI).ExportCatalog, cs.ExportCatalogRequest(data_store_id=store_id))

    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "ALL" in err.details()
    assert processes(sites) == []


# -- 6. NetBatch jobs (R26, R36) -------------------------------------------------------------------------------------

@pytest.mark.rule("R26")
@pytest.mark.rule("R36")
def test_netbatch_job_runs_the_macro_every_day_from_its_time_until_deleted(sites):
    service = sites.catalog_sync(PRI)
    at = _now(sites) + timedelta(hours=2)
    resp = service.ScheduleJob(cs.ScheduleJobRequest(node=NODE, macro_text=FULL_TEXT, at=_ts(at),
                                                     every=Duration(seconds=86400)), timeout=T)

    assert resp.message == "Job ZBAT-0001 Jobnumber 1 submitted"
    job = resp.job
    assert (job.job_number, job.job_name, job.node, job.macro_text) == (1, "ZBAT-0001", NODE, FULL_TEXT)
    assert (job.priority, job.out_location, job.run_count, job.hold) == (120, BATCH, 0, False)
    assert _utc(job.next_run) == at and _utc(job.at) == at

    # nothing before its time
    advance(sites, hours=1, minutes=59)
    settle(sites)
    assert processes(sites) == []
    assert _jobs(sites)[0].run_count == 0

    advance(sites, minutes=1)
    settle(sites)
    procs = processes(sites)
    assert len(procs) == 1
    assert "TRIGGER NETBATCH" in procs[0].param and "TYPE FULL" in procs[0].param
    page = status(sites)
    assert (page.latest_export.process, page.latest_export.trigger) == (procs[0].name, cs.TRIGGER_NETBATCH)
    assert page.latest_export.status == cs.PROCESS_STATUS_FINISHED
    (job,) = _jobs(sites)
    assert (job.run_count, job.last_outcome) == (1, "ok")
    assert _utc(job.last_run) == at
    assert _utc(job.next_run) == at + timedelta(days=1)

    advance(sites, days=1)
    settle(sites)
    (job,) = _jobs(sites)
    assert (job.run_count, job.last_outcome) == (2, "ok")
    assert _utc(job.next_run) == at + timedelta(days=2)
    procs = processes(sites)
    assert len(procs) == 2 and all("TRIGGER NETBATCH" in p.param for p in procs)

    # the job's output is in the spooler, one report per run
    outputs = [r for r in _reports(sites, BATCH) if r.job_name == "ZBAT-0001"]
    assert len(outputs) == 2
    lines = list(_read_report(sites, BATCH, outputs[-1].report_id).lines)
    assert f"TACL> {FULL_TEXT}" in lines
    newest = max(procs, key=lambda p: (p.started.ToDatetime(), p.name)).name
    assert any(newest in line and "BB026_EXPORT_CATALOG" in line for line in lines), lines

    deleted = service.DeleteJob(cs.DeleteJobRequest(node=NODE, job_number=1), timeout=T).job
    assert (deleted.job_number, deleted.run_count) == (1, 2)
    assert _jobs(sites) == []
    advance(sites, days=1)
    settle(sites)
    assert len(processes(sites)) == 2
    assert len([r for r in _reports(sites, BATCH) if r.job_name == "ZBAT-0001"]) == 2


@pytest.mark.rule("R26")
def test_netbatch_job_records_the_macro_error_when_its_store_is_unknown(sites):
    service = sites.catalog_sync(PRI)
    at = _now(sites) + timedelta(minutes=30)
    service.ScheduleJob(cs.ScheduleJobRequest(node=NODE, macro_text="BB026_EXPORT_CATALOG STOREID NOPE",
                                              at=_ts(at)), timeout=T)

    advance(sites, hours=1)
    settle(sites)

    (job,) = _jobs(sites)
    assert job.run_count == 1
    assert "NOPE" in job.last_outcome and "DS_WIN1_DES" in job.last_outcome
    assert not job.HasField("next_run")                    # run once
    assert processes(sites) == []
    lines = list(_read_report(sites, BATCH).lines)
    assert any(line.startswith("** ") and "NOPE" in line for line in lines), lines


@pytest.mark.rule("R26")
def test_held_job_does_not_run_when_its_time_comes(sites):
    service = sites.catalog_sync(PRI)
    at = _now(sites) + timedelta(hours=1)
    resp = service.ScheduleJob(cs.ScheduleJobRequest(node=NODE, macro_text=FULL_TEXT, at=_ts(at), hold=True),
                               timeout=T)
    assert resp.job.hold

    advance(sites, hours=2)
    settle(sites)

    (job,) = _jobs(sites)
    assert job.run_count == 0
    assert "held" in job.last_outcome
    assert processes(sites) == []
    assert _reports(sites, BATCH) == []


@pytest.mark.rule("R26")
@pytest.mark.parametrize("case, code, words", [
    ("malformed text", grpc.StatusCode.INVALID_ARGUMENT, ["STOREID"]),
    ("every 10 s", grpc.StatusCode.INVALID_ARGUMENT, ["EVERY", "1 minute"]),
    ("every 366 days", grpc.StatusCode.INVALID_ARGUMENT, ["EVERY", "365 days"]),
    ("unknown node", grpc.StatusCode.NOT_FOUND, ["\\NOWHERE", "\\INSIDX"]),
    ("node of the other domain", grpc.StatusCode.NOT_FOUND, ["\\ETINIUM", "\\INSIDX"]),
    ("priority 500", grpc.StatusCode.INVALID_ARGUMENT, ["priority 500", "1..199"]),
    ("at in the past", grpc.StatusCode.INVALID_ARGUMENT, ["past"]),
])
def test_bad_job_is_refused_with_a_status_naming_the_problem_when_scheduled(sites, case, code, words):
    request = cs.ScheduleJobRequest(node=NODE, macro_text=FULL_TEXT, every=Duration(seconds=86400))
    if case == "malformed text":
        request.macro_text = "BB026_EXPORT_CATALOG TYPE FULL"
    elif case == "every 10 s":
        request.every.seconds = 10
    elif case == "every 366 days":
        request.every.seconds = 366 * 86400
    elif case == "unknown node":
        request.node = "\\NOWHERE"
    elif case == "node of the other domain":
        request.node = REMOTE
    elif case == "priority 500":
        request.priority = 500
    else:
        request.at.CopyFrom(_ts(_now(sites) - timedelta(hours=1)))

    err = _rpc_error(sites.catalog_sync(PRI).ScheduleJob, request)

    assert err.code() == code, err.details()
    for word in words:
        assert word in err.details(), err.details()
    assert _jobs(sites) == []


def test_delete_job_is_not_found_when_the_number_is_unknown(sites):
    err = _rpc_error(sites.catalog_sync(PRI).DeleteJob, cs.DeleteJobRequest(node=NODE, job_number=77))

    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert "77" in err.details()


# -- 7. the job table lives on the node -----------------------------------------------------------------------------

@pytest.mark.rule("R26")
def test_job_table_file_on_the_node_holds_the_jobs_when_a_job_is_scheduled(sites):
    service = sites.catalog_sync(PRI)
    at = _ts(_now(sites) + timedelta(days=1))
    for text in (FULL_TEXT, "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, CATALOGFILES NO"):
        service.ScheduleJob(cs.ScheduleJobRequest(node=NODE, macro_text=text, at=at,
                                                  every=Duration(seconds=86400)), timeout=T)

    files = sites.guardian(NODE).ListFiles(guardian_pb2.ListFilesRequest(subvolume="$SYSTEM.BBOX"),
                                           timeout=T).files
    assert JOBS_FILE in [f.name for f in files]
    table = staging.decode_as(read_file(sites, JOBS_FILE), staging.KIND_JOB_TABLE, state_pb2.JobTable, JOBS_FILE)
    assert table.node == NODE
    assert list(table.jobs) == _jobs(sites)
    assert [j.job_number for j in table.jobs] == [1, 2]


# -- 8. reports -----------------------------------------------------------------------------------------------

@pytest.mark.rule("R51")
def test_get_report_returns_the_latest_export_report_when_asked_by_process_or_by_store(sites):
    run = _macro(sites, FULL_TEXT).export_runs[0]
    assert run.HasField("report")
    service = sites.catalog_sync(PRI)

    by_process = service.GetReport(cs.GetReportRequest(process=run.process), timeout=T)
    by_store = service.GetReport(cs.GetReportRequest(data_store_id=STORE), timeout=T)

    for got in (by_process, by_store):
        assert got.HasField("export_report")
        assert (got.process, got.report_location) == (run.process, CSEXP)
        assert list(got.lines) == list(run.report.lines)
        assert list(got.export_report.lines) == list(run.report.lines)
        assert got.lines[0] == run.report.header.banner_line
        assert got.lines[0].startswith(f"E501NEW-BB051 - CatSync Export/Import process {run.process} ")
        i3279 = [line for line in got.lines if line.startswith("E501NEW-I3279 ")]
        assert len(i3279) == 1 and run.process in i3279[0] and CSEXP in i3279[0]

    # the same report, in the spooler at the store's report location (blank: the default $S.#CSEXP)
    spooled = [r for r in _reports(sites, CSEXP) if r.process == run.process]
    assert len(spooled) == 1
    assert list(_read_report(sites, CSEXP, spooled[0].report_id).lines) == list(run.report.lines)


@pytest.mark.rule("R51")
def test_get_report_of_an_older_process_comes_from_the_spooler_when_a_newer_export_ran(sites):
    first = export(sites, type_=cs.SYNC_TYPE_FULL)
    advance(sites, hours=1)
    second = export(sites)
    service = sites.catalog_sync(PRI)

    older = service.GetReport(cs.GetReportRequest(process=first.process), timeout=T)
    latest = service.GetReport(cs.GetReportRequest(data_store_id=STORE), timeout=T)

    assert older.process == first.process and list(older.lines) == list(first.report.lines)
    assert latest.process == second.process and list(latest.lines) == list(second.report.lines)


@pytest.mark.rule("R51")
def test_report_goes_to_the_configured_location_when_the_store_names_one(make_sites):
    sites = make_sites(_with_export_config(report_location="$S.#BPAK.E5EXP"))
    run = export(sites, type_=cs.SYNC_TYPE_FULL)

    got = sites.catalog_sync(PRI).GetReport(cs.GetReportRequest(data_store_id=STORE), timeout=T)

    assert got.report_location == run.report_location == "$S.#BPAK.E5EXP"
    assert list(_read_report(sites, "$S.#BPAK.E5EXP").lines) == list(got.lines) == list(run.report.lines)
    assert _reports(sites, CSEXP) == []


@pytest.mark.parametrize("request_", [cs.GetReportRequest(process="\\INSIDX.$NOPE"),
                                      cs.GetReportRequest(data_store_id=STORE)])
def test_get_report_is_not_found_when_no_such_export_ran(sites, request_):
    err = _rpc_error(sites.catalog_sync(PRI).GetReport, request_)

    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert (request_.process or request_.data_store_id) in err.details()


# -- 9. the command line -------------------------------------------------------------------------------------------

def test_cli_tacl_runs_the_macro_and_prints_the_run_and_its_report_when_waiting(sites, capsys):
    code = main(["tacl", "--control", sites.control_address, "--node", "\\INSIDX", "--wait", FULL_TEXT])

    out = capsys.readouterr().out
    assert code == 0, out
    page = status(sites)
    process = page.latest_export.process
    assert page.latest_export.trigger == cs.TRIGGER_MACRO
    lines = out.splitlines()
    assert any(process in line and "FINISHED" in line for line in lines[:1]), out
    report = sites.catalog_sync(PRI).GetReport(cs.GetReportRequest(process=process), timeout=T)
    assert "\n".join(report.lines) in out


def test_cli_status_prints_the_export_status_page_when_the_store_exported(sites, capsys):
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    capsys.readouterr()

    code = main(["status", "--control", sites.control_address, "--store", STORE])

    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == list(status(sites).lines)
    assert "Latest Completed Full Export" in out
    assert f"Export Id: {run.export_id}" in out and run.process in out


@pytest.mark.parametrize("argv, code, stream, words", [
    (["status", "--store", "NOPE"], 2, "err", ["NOPE"]),
    (["tacl", "--node", "\\INSIDX", "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, TYPE BOGUS"], 1, "out",
     ["TYPE takes FULL or UPDATE", "BOGUS"]),
    (["tacl", "--node", "\\NOWHERE", FULL_TEXT], 2, "err", ["\\NOWHERE", "\\INSIDX"]),
])
def test_cli_fails_with_a_message_and_exit_code_when_the_input_is_wrong(sites, capsys, argv, code, stream, words):
    got = main([argv[0], "--control", sites.control_address, *argv[1:]])

    captured = capsys.readouterr()
    text = captured.err if stream == "err" else captured.out
    assert got == code, (captured.out, captured.err)
    for word in words:
        assert word in text, text
    assert "Traceback" not in captured.err
    settle(sites)
    assert processes(sites) == []


# -- 10. the Export Status page ------------------------------------------------------------------------------------

@pytest.mark.rule("R27")
@pytest.mark.rule("R20")
def test_export_status_shows_the_exported_volume_and_the_oldest_pending_when_backups_run(sites):
    full = export(sites, type_=cs.SYNC_TYPE_FULL)
    advance(sites, hours=1)
    first = backup(sites).volumes[0]
    settle(sites)                                          # the automatic UPDATE export (R27)

    page = status(sites)
    assert (page.most_recent_exported.label, page.most_recent_exported.time) == (first.label, first.unload_time)
    assert page.pending_count == 0 and list(page.oldest_pending) == []
    assert page.latest_full_export.export_id == full.export_id
    assert page.latest_export.type == cs.SYNC_TYPE_UPDATE
    assert page.latest_export.trigger == cs.TRIGGER_AUTOMATIC
    assert page.latest_export.volumes_processed == 1

    written = []
    link_down(sites)
    try:
        for n in range(4):
            advance(sites, hours=1)
            written.append(backup(sites, file_id=f"E501NEW-OBK2{n}-WIN1").volumes[0])
            settle(sites)
        page = status(sites)
    finally:
        link_heal(sites)

    assert page.pending_count == 4
    assert [(p.label, p.time) for p in page.oldest_pending] == [(v.label, v.unload_time) for v in written[:3]]
    assert [p.time.ToDatetime() for p in page.oldest_pending] == sorted(p.time.ToDatetime()
                                                                        for p in page.oldest_pending)
    assert page.most_recent_exported.label == first.label
    assert page.latest_export.status == cs.PROCESS_STATUS_FAILED
    assert "250" in page.latest_export.reason
    assert page.latest_full_export.export_id == full.export_id


@pytest.mark.rule("R19")
@pytest.mark.rule("R20")
def test_latest_full_export_stays_when_an_update_follows(sites):
    full = export(sites, type_=cs.SYNC_TYPE_FULL)
    advance(sites, hours=1)
    update = export(sites)

    page = status(sites)

    assert full.export_id != update.export_id
    assert (page.latest_full_export.export_id, page.latest_full_export.process) == (full.export_id, full.process)
    assert page.latest_full_export.type == cs.SYNC_TYPE_FULL
    assert page.latest_full_export.status == cs.PROCESS_STATUS_FINISHED
    assert page.latest_full_export.volumes_processed == full.volumes_processed
    assert (page.latest_export.export_id, page.latest_export.process) == (update.export_id, update.process)
    assert page.latest_export.type == cs.SYNC_TYPE_UPDATE
    assert page.latest_export.trigger == cs.TRIGGER_UI


@pytest.mark.rule("R31")
@pytest.mark.rule("R33")
def test_export_status_says_exports_are_off_when_the_destination_is_blank(make_sites):
    sites = make_sites(_with_more_stores())

    off, second, first = status(sites, "DS_WIN3_OFF"), status(sites, "DS_WIN2_DES"), status(sites, STORE)

    assert off.exports_enabled is False and any("Exports are off" in line for line in off.lines)
    assert second.exports_enabled is True and first.exports_enabled is True
    assert not any("Exports are off" in line for line in first.lines)
    # disk_files_allowed follows include_disk_files (set for DS_WIN1_DES only)
    assert (first.disk_files_allowed, second.disk_files_allowed, off.disk_files_allowed) == (True, False, False)


def test_export_status_lines_show_node_local_times_when_the_node_is_utc_minus_5(sites):
    run = export(sites, type_=cs.SYNC_TYPE_FULL)
    advance(sites, hours=1)
    vol = backup(sites).volumes[0]
    settle(sites)

    page = status(sites)

    exported = datetime.strptime(run.export_id, "%Y-%m-%d_%H:%M:%S")
    assert exported == run.start_time.ToDatetime()          # the export id is UTC
    lines = list(page.lines)
    full_at = lines.index("Latest Completed Full Export")
    assert lines[full_at + 1] == f"  Export Id: {run.export_id}"
    start = next(line for line in lines[full_at:] if line.startswith("  Start Time: "))
    assert start == f"  Start Time: {exported - timedelta(hours=5):%Y-%m-%d %H:%M:%S}"
    unloaded = vol.unload_time.ToDatetime() - timedelta(hours=5)
    assert f"  Volume {vol.label} (Unloaded on {unloaded:%Y-%m-%d %H:%M:%S})" in lines
    latest_at = lines.index("Latest Export Process")
    latest_start = next(line for line in lines[latest_at:] if line.startswith("  Start Time: "))
    latest_id = datetime.strptime(page.latest_export.export_id, "%Y-%m-%d_%H:%M:%S")
    assert latest_start == f"  Start Time: {latest_id - timedelta(hours=5):%Y-%m-%d %H:%M:%S}"


@pytest.mark.rule("R28")
@pytest.mark.rule("R52")
def test_next_retry_time_is_unset_when_the_store_has_no_export_check_delay(sites):
    # the topology's DS_WIN1_DES has no Export Check Delay: its pending volumes are never retried (R52)
    assert pending(sites)

    page = status(sites)
    advance(sites, hours=1)
    settle(sites)

    assert processes(sites) == [] and pending(sites)      # indeed no retry
    assert not page.HasField("next_retry_time"), page.next_retry_time
    assert not any("Next check by the EMS extractor" in line for line in page.lines)


@pytest.mark.rule("R28")
def test_next_retry_time_is_the_check_delay_away_when_the_store_has_one(make_sites):
    sites = make_sites(_with_export_config(export_check_delay_minutes=30))
    start = _now(sites)

    page = status(sites)

    assert page.pending_count > 0
    assert _utc(page.next_retry_time) == start + timedelta(minutes=30)
    advance(sites, minutes=30)
    settle(sites)
    procs = processes(sites)
    assert len(procs) == 1 and "TRIGGER EXTRACTOR_RETRY" in procs[0].param
    assert pending(sites) == []
