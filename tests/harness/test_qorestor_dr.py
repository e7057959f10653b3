r"""The QoreStor DR setup of R57 (Appendix B) as a scenario step on the built-in `qorestor-dr`: the procedure checks
the two stores, backs up on \INSIDX with DISKFILEs, waits for the QoreStor copy pool, exports, imports, compares the
reports and restores on \ETINIUM. Read back through gRPC: \ETINIUM catalogs the DISKFILEs under its own node and
restores the newest backup from the copy pool. A configuration that differs from the appendix stops the procedure
at its check with the fix and nothing changed; a fault at a step stops it there; malformed options are refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from google.protobuf import json_format

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, media_catalog_pb2 as mc, storage_pb2 as st
from harness.history import read_history
from harness.runner import run_scenario
from harness.scenario import parse_scenario
from tests.harness.conftest import assert_step_rejected, started_sim

T = 120
A_DOMAIN, A_STORE, A_NODE = "UPE411I", "QS-CATSYNC-PRI", "\\INSIDX"
B_DOMAIN, B_STORE, B_NODE = "YINE500", "QS-CATSYNC-SEC", "\\ETINIUM"
COPY = "QS_COPY"


@pytest.fixture
def qorestor(tmp_path: Path) -> Iterator[Any]:
    """`qorestor-dr` started with a seed-57 Sim."""
    with started_sim("qorestor-dr", tmp_path / "state", 57) as sim:
        yield sim


def _entries(sim: Any, node: str, volcat: str, filecat: str, labels: list[str]) -> tuple[list, list[str]]:
    """The TAPEFILEs and DISKFILE names a node's DSM/TC catalogs hold for these volumes."""
    files, disks = [], []
    for msg in sim.topo.media_catalog(node).ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
            volcat=f"{node}.{volcat}", filecat=f"{node}.{filecat}", volsers=labels, include_disk_files=True),
            timeout=T):
        if not msg.continued:
            files += list(msg.files)
        disks += [d.disk_file_name for d in msg.disk_files]
    return files, sorted(disks)


def _procedure_event(sim: Any, f: str = "qorestor_dr") -> Any:
    return next(e for e in reversed(sim.history.events) if e.f == f and e.type != "invoke")


@pytest.mark.rule("R57")
@pytest.mark.rule("R15")
@pytest.mark.rule("R59")
def test_etinium_catalogs_the_diskfiles_under_its_own_node_and_restores_from_the_copy_pool(qorestor):
    sim = qorestor
    value = sim.procedure("qorestor_dr", {"backups": 3})
    assert value is not None, _procedure_event(sim).error
    assert [s["step"] for s in value["steps"]] == [str(n) for n in range(1, 8)] and all(s["ok"] for s in value["steps"])
    made = sim.backups
    assert len(made) == 3 and all(b["disk_files"] > 0 and len(b["labels"]) == 1 for b in made)
    labels = [b["labels"][0] for b in made]
    # \INSIDX wrote its own node into the DISKFILE names; \ETINIUM holds the same files under \ETINIUM (R15)
    a_files, a_disks = _entries(sim, A_NODE, "YINGTEST_VOLCAT", "YINGTEST_FILECAT", labels)
    b_files, b_disks = _entries(sim, B_NODE, "QSSYNCVC", "QSSYNCFC", labels)
    assert len(a_disks) == sum(b["disk_files"] for b in made) and all(n.startswith("\\INSIDX.") for n in a_disks)
    assert b_disks == sorted(n.replace("\\INSIDX.", "\\ETINIUM.", 1) for n in a_disks)
    assert sorted((f.file_id, f.generation) for f in b_files) == sorted((f.file_id, f.generation) for f in a_files)
    # the newest backup comes back on \ETINIUM from its own catalogs and the image QoreStor put in the copy pool
    newest = made[-1]
    assert sim.topo.storage(COPY).StatImage(st.StatImageRequest(label=newest["labels"][0], labeled=True),
                                            timeout=T).found
    restored = sim.topo.domain(B_DOMAIN).RunRestore(bb.RunRestoreRequest(
        node=B_NODE, filecat=f"{B_NODE}.QSSYNCFC", file_id=newest["file_id"], generation=newest["generation"],
        user="SUPER.SUPER"), timeout=T)
    assert list(restored.labels) == newest["labels"] and restored.checksum == newest["checksum"]
    restores = [e for e in sim.history.events if e.f == "restore_check" and e.type == "ok"]
    assert [e.node for e in restores] == [B_NODE]
    # the reports the procedure compared: 9 volumes each way, the DISKFILEs counted on both sides
    exp = sim.topo.catalog_sync(A_DOMAIN).GetReport(cs.GetReportRequest(
        data_store_id=A_STORE, kind=cs.PROCESS_KIND_EXPORT), timeout=T).export_report
    imp = sim.topo.catalog_sync(B_DOMAIN).GetReport(cs.GetReportRequest(
        data_store_id=B_STORE, kind=cs.PROCESS_KIND_IMPORT), timeout=T).import_report
    assert exp.volumes_processed == imp.volumes_processed == 9
    assert sum(g.disk_file_count for g in exp.groups) == sum(a.disk_files_added for a in imp.activity) == len(b_disks)
    # RPO: every backup was written at one instant and is restorable at \ETINIUM; RTO: the copy pool needed the
    # topology's replication lag, and the export and import take no virtual time
    assert len({b["time"] for b in made}) == 1 and value["rpo_seconds"] == 0
    lag = sim.topo.storage("QS_PRI").GetReplicationStatus(st.GetReplicationStatusRequest(),
                                                         timeout=T).status.config.lag.seconds
    assert lag == 300 and value["replication_wait_seconds"] == lag and value["rto_seconds"] == lag
    started = datetime.fromisoformat(next(e.time for e in sim.history.events if e.f == "qorestor_dr"))
    imported = datetime.fromisoformat(_procedure_event(sim, "qorestor_dr.5").time)
    assert value["rto_seconds"] == (imported - started).total_seconds()


@pytest.mark.rule("R57")
def test_the_rto_grows_with_the_qorestor_replication_lag(qorestor):
    sim = qorestor
    sim.fail("storage-replication-lag", lag="20m")
    value = sim.procedure("qorestor_dr", {"backups": 1})
    assert value is not None, _procedure_event(sim).error
    assert value["rto_seconds"] == value["replication_wait_seconds"] == 20 * 60 and value["rpo_seconds"] == 0


def _pools_moved(sim: Any) -> None:
    store = sim.topo.domain(B_DOMAIN).GetDataStore(bb.GetDataStoreRequest(id=B_STORE), timeout=T).data_store
    pools = list(store.pools)
    pools[0].path = "\\\\BBQS47.ETINET.LOCAL\\CRV9REPLJCATE\\UPE411\\QS-CATSYNC-SEC\\"
    sim.topo.domain(B_DOMAIN).UpdateDataStore(bb.UpdateDataStoreRequest(
        data_store=bb.DataStore(id=B_STORE, pools=pools), field_mask=["pools"]), timeout=T)


def _update(domain: str, **fields: Any) -> Callable[[Any], None]:
    def change(sim: Any) -> None:
        sim.topo.domain(domain).UpdateDataStore(bb.UpdateDataStoreRequest(
            data_store=bb.DataStore(**fields), field_mask=[k for k in fields if k != "id"]), timeout=T)
    return change


def _default_filecat(sim: Any) -> None:
    sim.topo.media_catalog(B_NODE).AlterMediaDefs(mc.AlterMediaDefsRequest(
        media_defs=mc.MediaDefs(default_filecat=f"{B_NODE}.QSSYNCFC"), field_mask=["default_filecat"],
        user="SUPER.SUPER"), timeout=T)


def _state(sim: Any) -> dict[str, Any]:
    """Both stores, their volumes and status pages, as JSON (what a stopped check must leave as it was)."""
    out: dict[str, Any] = {}
    for domain, store in ((A_DOMAIN, A_STORE), (B_DOMAIN, B_STORE)):
        stub = sim.topo.domain(domain)
        out[store] = json_format.MessageToDict(stub.GetDataStore(bb.GetDataStoreRequest(id=store), timeout=T))
        out[f"{store} volumes"] = json_format.MessageToDict(stub.ListVolumes(
            bb.ListVolumesRequest(data_store_id=store), timeout=T))
    pages = (sim.topo.catalog_sync(A_DOMAIN).GetExportStatus(cs.GetExportStatusRequest(data_store_id=A_STORE),
                                                             timeout=T),
             sim.topo.catalog_sync(B_DOMAIN).GetImportStatus(cs.GetImportStatusRequest(data_store_id=B_STORE),
                                                             timeout=T))
    out["pages"] = [json_format.MessageToDict(p) for p in pages]
    return out


@pytest.mark.rule("R57")
@pytest.mark.parametrize("change, step, fix", [
    pytest.param(lambda sim: sim.configure(data_store=B_STORE, import_config={"node_replacements": []}), "2",
                 "add the Nodes Replacement \\INSIDX -> \\ETINIUM to the import configuration of QS-CATSYNC-SEC",
                 marks=pytest.mark.rule("R15"), id="node-replacement-removed"),
    pytest.param(_pools_moved, "1", "set the Storage Pool path of QS-CATSYNC-SEC to the copy pool path of"
                 " QS-CATSYNC-PRI, \\\\BBQS47REPLJC.ETINET.LOCAL\\CRV9REPLJCATA_BBQS47", id="pool-path"),
    pytest.param(_update(A_DOMAIN, id=A_STORE, use_qorestor_replication=False), "1",
                 "check \"Use QoreStor Replication\" in the QoreStor details of QS-CATSYNC-PRI", id="no-replication"),
    pytest.param(_update(B_DOMAIN, id=B_STORE, storage_optimization=""), "1",
                 "set the Storage Optimization of QS-CATSYNC-SEC to RapidCIFS", id="storage-optimization"),
    pytest.param(_default_filecat, "2", "QSSYNCFC, the MEDIADEFS default FILECAT of \\ETINIUM",
                 marks=pytest.mark.rule("R16"), id="mediadefs-filecat"),
])
def test_a_configuration_unlike_appendix_b_stops_the_check_with_the_fix_and_changes_nothing(qorestor, change, step,
                                                                                              fix):
    sim = qorestor
    change(sim)
    before = _state(sim)
    start = len(sim.history.events)
    assert sim.procedure("qorestor_dr", {}) is None
    stopped = _procedure_event(sim)
    assert stopped.type == "fail" and stopped.value["stopped_at"] == step and fix in stopped.error, stopped.error
    failed = _procedure_event(sim, f"qorestor_dr.{step}")
    assert failed.type == "fail" and failed.value["operator_sees"]["export_status"]
    assert _state(sim) == before
    made = {e.f for e in sim.history.events[start:]} - {"qorestor_dr", "qorestor_dr.1", "qorestor_dr.2"}
    assert not made and not sim.backups, f"the check step did {made}"


SCENARIO = """\
name: qf
topology: qorestor-dr
seed: 57
final: none
steps:
  - qorestor_dr: {args}
{after}"""


def _run(tmp_path: Path, args: str, after: str = "  - expect: {last: qorestor_dr, type: fail}\n") -> tuple:
    result = run_scenario(parse_scenario(SCENARIO.format(args=args, after=after), "qf.yaml"), out=tmp_path / "run")
    return result, read_history(tmp_path / "run" / "history.jsonl")


@pytest.mark.rule("R57")
@pytest.mark.parametrize("args, step, words", [
    ("{fail_at: 3}", "3", "has not reached QS_COPY after 2 hours"),
    ("{fail_at: 4}", "4", "error 250"),
    ("{fail_at: 5}", "5", "1 volume errors"),
    ("{fail_at: 7}", "7", "the copy pool (QS_COPY) no longer holds"),
    ("{fail_at: 7, fault: {fault: storage-corrupt-object, storage: QS_COPY}}", "7", "DATA_LOSS"),
])
def test_a_fault_at_a_step_stops_the_procedure_there_and_shows_the_operator_the_pages(tmp_path, args, step, words):
    result, events = _run(tmp_path, args)
    proc = next(e for e in events if e.f == "qorestor_dr" and e.type != "invoke")
    assert proc.type == "fail" and proc.value["stopped_at"] == step and words in proc.error, proc.error
    view = next(e for e in events if e.f == f"qorestor_dr.{step}" and e.type == "fail").value["operator_sees"]
    assert view["import_status"] and any(key.startswith("ems ") and lines for key, lines in view.items())
    later = [e for e in events if e.f.startswith("qorestor_dr.") and int(e.f.split(".")[1]) > int(step)]
    assert not later, "no step after the failed one runs"
    assert next(c for c in result.checks if c["checker"] == "procedures")["verdict"] == "valid"


def test_an_unexpected_stop_makes_the_run_invalid(tmp_path):
    result, _ = _run(tmp_path, "{fail_at: 4}", after="")
    procedures = next(c for c in result.checks if c["checker"] == "procedures")
    assert procedures["verdict"] == "invalid" and "stopped at step 4" in procedures["summary"]


@pytest.mark.parametrize("args, message", [
    ("{backups: 0}", "backups is how many backups"),
    ("{backups: two}", "a whole number from 1 to 99, not 'two'"),
    ("{backups: true}", "not True"),
    ("{backups: 100}", "from 1 to 99"),
    ("{fail_at: 8}", "fail_at 8 is not a step of qorestor_dr"),
    ("{fail_at: 6}", "step 6 (the export and import reports agree"),
    ("{fault: link-down}", "fault goes with fail_at"),
    ("{fail_at: 4, fault: meteor}", "fault is a fault kind"),
    ("{copies: 2}", "unknown key 'copies'"),
    ("now", "qorestor_dr takes a mapping"),
])
def test_malformed_qorestor_dr_steps_name_the_line_and_the_fix(args, message):
    assert_step_rejected(f"qorestor_dr: {args}", message)
