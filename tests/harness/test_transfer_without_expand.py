"""Catalog Sync without Expand (R56, Appendix A) as a scenario step on the built-in `no-expand` sites: the export
files travel on the uncataloged transfer volume of Data Store-2 by storage replication; the secondary ends up
cataloging the primary's backups (read through its gRPC services), imported FULL then UPDATE by a NetBatch job;
a fault at a step stops the procedure there with what the operator sees."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import grpc
import pytest

from catsync import staging
from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2 as gd, media_catalog_pb2 as mc
from harness.history import History, read_history
from harness.runner import run_scenario
from harness.scenario import parse_scenario
from harness.topology import load_topology
from tests.harness.conftest import assert_step_rejected, last_op

if TYPE_CHECKING:   # loaded by the fixture, as in conftest.dr_pair
    from harness.sim import Sim

PRI, SEC = "E501NEW", "YINE500"
PRI_NODE, SEC_NODE = "\\INSIDX", "\\ETINIUM"
STAGING = "\\ETINIUM.$DATA15.E5CATSYN"
MAPPED = {"VG_WIN1_DES": "VG_WIN1_DES2", "VG_WIN1_ENC": "VG_WIN1_ENC2"}
T = 30
SCENARIO = """\
name: no-expand
topology: no-expand
seed: 3
final: none
steps:
  - backup: 2
  - advance: 1h
  - backup: 1
  - transfer_without_expand: {args}
{after}"""
STOPPED = "  - expect: {last: transfer_without_expand, type: fail}\n"


@pytest.fixture
def sim(tmp_path: Path) -> Iterator["Sim"]:
    from harness.launcher import start_topology  # noqa: PLC0415
    from harness.sim import Sim  # noqa: PLC0415
    from harness.workload import Workload  # noqa: PLC0415

    with start_topology("no-expand", state_dir=tmp_path / "state") as topo:
        sim = Sim(topo, History(), seed=3, workload=Workload(3, topo.spec))
        try:
            yield sim
        finally:
            sim.heal("all")


def volume(sim, domain: str, label: str) -> bb.BackBoxVolume:
    return sim.topo.domain(domain).GetVolume(bb.GetVolumeRequest(label=label), timeout=T).volume


def at_secondary(sim, label: str) -> bool:
    """The secondary's record of the volume carries the primary's latest write of it."""
    try:
        secondary = volume(sim, SEC, label)
    except grpc.RpcError as exc:
        assert exc.code() == grpc.StatusCode.NOT_FOUND
        return False
    return secondary.HasField("last_written_time") and \
        secondary.last_written_time == volume(sim, PRI, label).last_written_time


def event(sim, f: str):
    return next(e for e in sim.history.events if e.f == f and e.type != "invoke")


def seconds(later: str, earlier: str) -> int:
    return int((datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds())


# -- the whole procedure -------------------------------------------------------------------------------------

@pytest.mark.rule("R56")
@pytest.mark.rule("R29")
def test_the_transfer_brings_every_backup_to_the_secondary_imported_full_then_update_by_a_job(sim):
    sim.backup(2)
    sim.advance("1h")
    sim.backup(1)
    before = len(sim.backups)
    value = sim.procedure("transfer_without_expand", {})
    assert value is not None, last_op(sim, "transfer_without_expand").error
    steps = value["steps"]
    assert [s["step"] for s in steps] == [str(n) for n in range(1, 13)] and all(s["ok"] for s in steps)
    assert len(sim.backups) == before + 1, "the backup window of step 8 wrote one backup after the FULL cycle"

    # the secondary's BackBox and DSM/TC catalogs hold every backup, the window's too, in the mapped groups
    for b in sim.backups:
        label = b["labels"][0]
        assert at_secondary(sim, label), f"{label} ({b['file_id']}) did not reach {SEC}"
        assert volume(sim, SEC, label).volume_group_id == MAPPED[b["group"]]
        tape_file = sim.topo.media_catalog(SEC_NODE).GetTapeFile(mc.GetTapeFileRequest(key=mc.TapeFileKey(
            filecat="\\ETINIUM.SHCH409FC", file_id=b["file_id"], generation=b["generation"], version=-1)),
            timeout=T).file
        assert [v.volser for v in tape_file.volumes] == b["labels"]
    sim.restore_check()                 # the window's backup, read at the secondary from the replicated image
    assert last_op(sim, "restore_check").type == "ok", last_op(sim, "restore_check").error

    # FULL from the UI, then UPDATE from the NetBatch job
    page = sim.topo.catalog_sync(SEC).GetImportStatus(cs.GetImportStatusRequest(data_store_id="E501_WIN1_SND"),
                                                      timeout=T)
    full, latest = page.latest_full_import, page.latest_import
    assert (full.type, full.trigger) == (cs.SYNC_TYPE_FULL, cs.TRIGGER_UI)
    assert (latest.type, latest.trigger, latest.status) == (cs.SYNC_TYPE_UPDATE, cs.TRIGGER_NETBATCH,
                                                           cs.PROCESS_STATUS_FINISHED)
    assert latest.start_time.ToDatetime() >= full.end_time.ToDatetime() and latest.volumes_processed >= 1
    imports = [(e.f, (e.value or {}).get("type") or (e.value or {}).get("param", "")) for e in sim.history.events
               if e.f in ("import", "auto-import") and e.type == "ok"]
    assert imports == [("import", "FULL"),
                       ("auto-import", "STOREID E501_WIN1_SND, TYPE UPDATE, TRIGGER NETBATCH, USER SUPER.SUPER")]
    (job,) = sim.topo.catalog_sync(SEC).ListJobs(cs.ListJobsRequest(node=SEC_NODE), timeout=T).jobs
    assert "BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE" in job.macro_text
    assert job.every.seconds == 86400 and job.run_count == 1

    # the transfer volume: in Data Store-2 on both sides, uncataloged, never part of the exported store
    transfer = volume(sim, PRI, "CSX001")
    assert (transfer.data_store_id, transfer.catalog_type) == ("DATA STORE-2", bb.TAPE_CATALOG_TYPE_NONE)
    with pytest.raises(grpc.RpcError) as err:
        sim.topo.media_catalog(PRI_NODE).GetTapeVolume(mc.GetTapeVolumeRequest(
            volser="CSX001", volcat="\\INSIDX.QCVOLCAT"), timeout=T)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    replica = volume(sim, SEC, "CSX001")
    assert (replica.data_store_id, replica.volume_group_id) == ("DATA STORE-2", "VG_CSXFER2") and replica.materialized
    restricted = sim.topo.domain(SEC).GetDataStore(bb.GetDataStoreRequest(id="DATA STORE-2"), timeout=T).data_store
    assert restricted.domain_access == bb.DOMAIN_ACCESS_RESTRICTED
    assert "CSX001" not in {v.label for v in sim.topo.domain(SEC).ListVolumes(
        bb.ListVolumesRequest(data_store_id="E501_WIN1_SND"), timeout=T).volumes}

    # the secondary's staging holds the primary's latest export, restored from the partial backup
    raw = b"".join(m.data for m in sim.topo.guardian(SEC_NODE).ReadFile(
        gd.ReadFileRequest(name=staging.summary_file(STAGING)), timeout=T))
    exported = sim.topo.catalog_sync(PRI).GetExportStatus(cs.GetExportStatusRequest(data_store_id="DS_WIN1_DES"),
                                                          timeout=T).latest_export
    assert staging.decode(raw, staging.KIND_SUMMARY).export_id == exported.export_id


@pytest.mark.rule("R56")
def test_rpo_is_the_backup_window_the_cycle_carries_and_rto_ends_with_the_full_import(sim):
    sim.backup(2)
    sim.advance("1h")
    sim.backup(1)
    value = sim.procedure("transfer_without_expand", {"window": "2h"})
    assert value is not None, last_op(sim, "transfer_without_expand").error
    *_, last_before, window = sim.backups
    # before the cycle the secondary had every backup up to the FULL export, not the window's
    assert value["rpo_seconds"] == seconds(window["time"], last_before["time"])
    assert value["rpo_seconds"] >= 2 * 3600, "the window lasts 2 hours"
    assert value["rpo_after_cycle_seconds"] == 0
    started = next(e for e in sim.history.events if e.f == "transfer_without_expand" and e.type == "invoke").time
    assert value["rto_seconds"] == seconds(event(sim, "transfer_without_expand.7").time, started)
    assert value["rto_seconds"] >= 300, "the transfer volume waits for the 5 minutes of storage replication lag"
    assert value["catalog_lag_seconds"] == seconds(event(sim, "transfer_without_expand.12").time,
                                                   event(sim, "transfer_without_expand.8").time)


@pytest.mark.rule("R56")
def test_a_second_cycle_replaces_the_import_job_and_carries_the_newer_backups(sim):
    sim.backup(1)
    first = sim.procedure("transfer_without_expand", {"window_backups": 0})
    assert first is not None and first["rpo_after_cycle_seconds"] == 0
    (job,) = sim.topo.catalog_sync(SEC).ListJobs(cs.ListJobsRequest(node=SEC_NODE), timeout=T).jobs
    sim.backup(2)
    newer = [b["labels"][0] for b in sim.backups[-2:]]
    assert not any(at_secondary(sim, label) for label in newer), "nothing reaches the secondary by itself"
    second = sim.procedure("transfer_without_expand", {"window_backups": 1})
    assert second is not None, last_op(sim, "transfer_without_expand").error
    assert all(at_secondary(sim, b["labels"][0]) for b in sim.backups)
    jobs = sim.topo.catalog_sync(SEC).ListJobs(cs.ListJobsRequest(node=SEC_NODE), timeout=T).jobs
    assert len(jobs) == 1 and jobs[0].job_name != job.job_name
    step12 = [e for e in sim.history.events if e.f == "transfer_without_expand.12" and e.type == "ok"][-1]
    assert step12.value["jobs_replaced"] == [job.job_name]


# -- faults --------------------------------------------------------------------------------------------------

@pytest.mark.rule("R56")
def test_replication_paused_before_the_partial_restore_stops_the_cycle_and_the_window_stays_at_the_primary(sim):
    sim.backup(2)
    assert sim.procedure("transfer_without_expand", {"fail_at": 10}) is None
    stopped = event(sim, "transfer_without_expand")
    assert stopped.type == "fail" and stopped.value["stopped_at"] == "10"
    assert "has not reached STO_SEC after 2 hours (storage replication STO_PRI → STO_SEC paused)" in stopped.error
    assert "resume it, then restore the transfer volume" in stopped.error
    window = sim.backups[-1]["labels"][0]
    assert not at_secondary(sim, window), "without Expand the window's backup waits for the transfer"
    assert all(at_secondary(sim, b["labels"][0]) for b in sim.backups[:-1]), "the FULL cycle had completed"
    assert stopped.value["rpo_seconds"] == seconds(sim.backups[-1]["time"], sim.backups[-2]["time"])
    assert "rto_seconds" in stopped.value, "the secondary was usable after step 7"
    failed = event(sim, "transfer_without_expand.10")
    assert failed.value["operator_sees"]["import_status"], failed.value
    assert not [e for e in sim.history.events if e.f in ("transfer_without_expand.11", "transfer_without_expand.12")]


@pytest.mark.rule("R56")
@pytest.mark.parametrize("args, step, words", [
    ("{fail_at: 1}", "1", "staging disk \\INSIDX.$DATA15 is full"),
    ("{fail_at: 3}", "3", "storage replication STO_PRI → STO_SEC paused"),
    ("{fail_at: 5, fault: {fault: storage-corrupt-object, storage: STO_SEC, label: CSX001}}", "5", "DATA_LOSS"),
    ("{fail_at: 6, fault: {fault: staging-delete, subvolume: '\\ETINIUM.$DATA15.E5CATSYN', file: CSSUMARY}}", "6",
     "\\ETINIUM.$DATA15.E5CATSYN.CSSUMARY cannot be read"),
])
def test_a_fault_at_a_step_stops_the_transfer_there_and_shows_the_operator_the_pages(tmp_path, args, step, words):
    text = SCENARIO.format(args=args, after=STOPPED)
    result = run_scenario(parse_scenario(text, "t.yaml"), out=tmp_path / "run")
    events = read_history(tmp_path / "run" / "history.jsonl")
    done = next(e for e in events if e.f == "transfer_without_expand" and e.type != "invoke")
    assert done.type == "fail" and done.value["stopped_at"] == step, done.error
    assert words in done.error, done.error
    failed = next(e for e in events if e.f == f"transfer_without_expand.{step}" and e.type != "invoke")
    assert failed.value["operator_sees"]["export_status"]
    assert not [e for e in events if e.f.startswith("transfer_without_expand.") and e.type == "invoke"
                and int(e.f.split(".")[1]) > int(step)], "no step after the failed one runs"
    assert "rpo_seconds" in done.value
    assert next(c for c in result.checks if c["checker"] == "procedures")["verdict"] == "valid"


def test_a_label_of_the_exported_store_is_refused_as_the_transfer_volume(sim):
    sim.backup(1)
    assert sim.procedure("transfer_without_expand", {"label": "EW1001"}) is None
    stopped = event(sim, "transfer_without_expand")
    assert stopped.value["stopped_at"] == "2"
    assert "EW1001 is a volume of DS_WIN1_DES / VG_WIN1_DES, not of a group of DATA STORE-2 with no catalog" in \
        stopped.error


# -- the run and the step -------------------------------------------------------------------------------------

@pytest.mark.rule("R56")
def test_the_run_under_catsync_sim_run_is_valid(tmp_path):
    from harness.cli import main  # noqa: PLC0415

    path = tmp_path / "no-expand.yaml"
    path.write_text(SCENARIO.format(args="{}", after=""))
    assert main(["run", str(path), "--out", str(tmp_path / "run"), "--quiet"]) == 0
    events = read_history(tmp_path / "run" / "history.jsonl")
    assert next(e for e in events if e.f == "transfer_without_expand" and e.type != "invoke").type == "ok"


def test_no_expand_has_a_pair_without_a_link_and_data_store_2_with_its_restricted_partner():
    from harness.sim import Roles  # noqa: PLC0415

    spec = load_topology("no-expand")
    assert spec.links == ()
    roles = Roles.of(spec)
    assert roles.pairs == [(PRI, "DS_WIN1_DES", SEC, "E501_WIN1_SND")], "the harness takes a pair without a link"
    assert roles.staging_subvolume == "\\INSIDX.$DATA15.CSXFER", "the export writes on the primary node"
    stores = {(d.id, s.store.id): s for d in spec.backbox.domains for s in d.data_stores}
    assert stores[(SEC, "E501_WIN1_SND")].store.import_config.import_source == STAGING
    partner = stores[(SEC, "DATA STORE-2")].store
    assert partner.domain_access == bb.DOMAIN_ACCESS_RESTRICTED and partner.primary_data_store_id == "DATA STORE-2"
    assert all(g.group.tape_catalog == bb.TAPE_CATALOG_TYPE_NONE for key in ((PRI, "DATA STORE-2"),
                                                                              (SEC, "DATA STORE-2"))
               for g in stores[key].groups)
    assert [(r.source, r.target) for r in spec.backbox.replications if r.kind == "storage"] == [("STO_PRI", "STO_SEC")]
    assert stores[(PRI, "DATA STORE-2")].storage == "STO_PRI" and stores[(SEC, "DATA STORE-2")].storage == "STO_SEC"


@pytest.mark.parametrize("args, message", [
    ("{fail_at: 13}", "fail_at 13 is not a step of transfer_without_expand"),
    ("{fail_at: 2}", "step 2 (full backup of the staging subvolume"),
    ("{window: soon}", "window: duration 'soon' must be a whole number"),
    ("{window: 0}", "window must be longer than 0"),
    ("{every: 3x}", "every: duration '3x'"),
    ("{window_backups: -1}", "window_backups -1 must be a whole number from 0 to 100"),
    ("{window_backups: two}", "window_backups 'two'"),
    ("{label: 5}", "label is an id as text"),
    ("{staging: x}", "unknown key 'staging'"),
    ("soon", "transfer_without_expand takes a mapping"),
])
def test_malformed_transfer_steps_name_the_line_and_the_fix(args, message):
    assert_step_rejected(f"transfer_without_expand: {args}", message)
