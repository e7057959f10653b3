"""The unplanned failover and the failback (harness.procedures.failover) on the `minimal` DR pair — the built-in
topology whose pair has an encrypted group, so that a key can be missing at the new primary (e501-sample has no
encrypted group, two-node no BackBox).

The story: backups exported and imported, one encrypted while the key replication is paused, one exported but not
imported, one written while the storage replication is paused, one not exported (the Expand link is down); the
primary site is lost. The test knows which volumes the new primary cannot restore and why, and the RPO, from what
it did; it reads the sites through gRPC, not from the procedures' values."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import grpc
import pytest

from emulator.v1 import backbox_domain_pb2 as bb, key_manager_pb2 as km, media_catalog_pb2 as mc, storage_pb2 as st
from harness.errors import ScenarioError
from harness.history import read_history
from harness.runner import run_scenario
from harness.scenario import Scenario, parse_scenario
from tests.harness.conftest import assert_step_rejected, settled_backup

T = 30
PLAIN = {"group": "VG_WIN1_DES", "multi_volume_rate": 0}
A, B = ("E501NEW", "DS_WIN1_DES", "\\INSIDX"), ("YINE500", "E501_WIN1_SND", "\\ETINIUM")


def _store(sim: Any, site: tuple[str, str, str]) -> bb.DataStore:
    return sim.topo.domain(site[0]).GetDataStore(bb.GetDataStoreRequest(id=site[1]), timeout=T).data_store


def _image(sim: Any, storage: str, label: str) -> bool:
    return sim.topo.storage(storage).StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T).found


def _key(sim: Any, server: str, name: str) -> bool:
    try:
        sim.topo.key_manager(server).GetKey(km.GetKeyRequest(name=name, requester="test"), timeout=T)
    except grpc.RpcError as exc:
        assert exc.code() == grpc.StatusCode.NOT_FOUND, exc
        return False
    return True


def _tape_files(sim: Any, node: str) -> list[tuple[str, int]]:
    files = sim.topo.media_catalog(node).ListTapeFiles(mc.ListTapeFilesRequest(filecat=f"{node}.QCFILCAT"),
                                                       timeout=T).files
    return [(f.file_id, f.generation) for f in files]


def _story(seen: dict[str, Any]) -> Any:
    """The scenario as Python: it keeps what it did and what it read in `seen`."""

    def scenario(sim: Any) -> None:
        def backup(**kw: Any) -> dict[str, Any]:
            assert sim.backup(1, **kw), sim.history.events[-1]
            return sim.backups[-1]
        seen["synced"] = [backup(**PLAIN), backup(**PLAIN)]
        sim.advance("10m")
        sim.fail("key-replication-pause", id="KEYS")
        sim.advance("20m")
        seen["keyless"] = backup(group="VG_WIN1_ENC", multi_volume_rate=0)
        sim.advance("10m")                                   # its image replicates (5 minutes of lag)
        sim.import_("UPDATE")
        seen["staged"] = backup(**PLAIN)                     # exported; only the failover's import takes it
        sim.advance("10m")
        sim.fail("storage-replication-pause", id="IMAGES")
        seen["imageless"] = backup(**PLAIN)
        sim.advance("5m")
        sim.fail("link-down", id="CUT")
        seen["unexported"] = backup(**PLAIN)
        sim.procedure("unplanned_failover", {})
        test_backup = sim.backups[-1]
        seen["promoted"] = _store(sim, B)
        seen["test_backup"] = test_backup
        seen["test_backup_record"] = sim.topo.domain(B[0]).GetVolume(bb.GetVolumeRequest(
            label=test_backup["labels"][0]), timeout=T).volume
        seen["test_backup_image"] = _image(sim, "STO_SEC", test_backup["labels"][0])
        try:
            _store(sim, A)
        except grpc.RpcError as exc:
            seen["old_primary"] = exc.code()
        sim.procedure("failback", {})
        seen["back"], seen["secondary"] = _store(sim, A), _store(sim, B)
        seen["image_now"] = _image(sim, "STO_SEC", seen["imageless"]["labels"][0])
        keyless = sim.topo.domain(B[0]).GetVolume(bb.GetVolumeRequest(label=seen["keyless"]["labels"][0]),
                                                   timeout=T).volume
        seen["key_now"] = _key(sim, "ESKM-SEC", keyless.media_key_name)
        seen["tape_files"] = _tape_files(sim, A[2])
        # the ordinary life of the pair again: a backup on \INSIDX, the nightly import, a restore on \ETINIUM
        seen["after"] = backup(**PLAIN)
        sim.advance("1h")
        sim.import_("UPDATE")
        sim.restore_check(file_id=seen["after"]["file_id"], generation=seen["after"]["generation"])
    return scenario


def _run(tmp_path, seen: dict[str, Any]):
    scenario = Scenario("failover-story", "minimal", 3, python=_story(seen))
    result = run_scenario(scenario, out=tmp_path / "run")
    return result, read_history(tmp_path / "run" / "history.jsonl")


def _at(backup: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(backup["time"])


@pytest.mark.rule("R2")
@pytest.mark.rule("R17")
@pytest.mark.rule("R50")
@pytest.mark.rule("R19")
@pytest.mark.rule("R23")
@pytest.mark.rule("R24")
@pytest.mark.rule("R55")
def test_the_failover_lists_what_is_lost_and_the_failback_brings_back_the_original_roles(tmp_path):
    seen: dict[str, Any] = {}
    result, events = _run(tmp_path, seen)
    assert result.verdict == "valid", (result.error, [c for c in result.checks if c["verdict"] != "valid"])

    # the unplanned failover: exactly the volumes the test made unrestorable, each with its reason
    failover = next(e for e in events if e.f == "unplanned_failover" and e.type != "invoke")
    assert failover.type == "ok", failover.error
    expected = [(seen["keyless"], ["key-missing"]), (seen["imageless"], ["image-missing"]),
                (seen["unexported"], ["not-cataloged", "image-missing"])]
    assert [(x["label"], x["file_id"], x["generation"], x["reasons"]) for x in failover.value["unrestorable"]] == \
        [(b["labels"][0], b["file_id"], b["generation"], reasons) for b, reasons in expected]
    assert failover.value["cannot_restore"] == {b["labels"][0]: "+".join(r) for b, r in expected}
    # RPO: the newest backup written minus the newest one the new primary can restore (the staged one)
    assert failover.value["rpo_seconds"] == (_at(seen["unexported"]) - _at(seen["staged"])).total_seconds() == 900
    assert failover.value["rto_seconds"] == 0, "no virtual time passes between the loss and the promotion"
    assert failover.value["faults"]["found"] == ["CUT link-down", "IMAGES storage-replication-pause",
                                                 "KEYS key-replication-pause"]
    assert [f.split()[1] for f in failover.value["faults"]["injected"]] == ["node-crash"]
    # read from the sites: the old primary is gone, the new one PRIMARY exporting nowhere, and it took a backup
    assert seen["old_primary"] == grpc.StatusCode.UNAVAILABLE
    assert seen["promoted"].domain_access == bb.DOMAIN_ACCESS_PRIMARY
    assert seen["promoted"].export_config.export_destination == ""
    assert seen["test_backup"]["domain"] == "YINE500"
    written = seen["test_backup_record"].last_written_time.ToDatetime(timezone.utc)
    assert written == _at(seen["test_backup"]) and seen["test_backup_image"]
    restored = [e for e in events if e.f == "restore_check" and e.type == "ok" and e.index < failover.index]
    assert [e.node for e in restored] == ["\\ETINIUM"], "the test backup was restored on the new primary"

    # the failback: the original roles, the lagging image and key brought over, the old primary's stale entries gone
    failback = next(e for e in events if e.f == "failback" and e.type != "invoke")
    assert failback.type == "ok", failback.error
    assert [s["step"] for s in failback.value["steps"]] == [str(n) for n in range(1, 20)]
    assert seen["back"].domain_access == bb.DOMAIN_ACCESS_PRIMARY
    assert seen["secondary"].domain_access == bb.DOMAIN_ACCESS_SECONDARY
    assert seen["secondary"].primary_data_store_id == "DS_WIN1_DES"
    assert seen["image_now"] and seen["key_now"]
    lost, kept = seen["unexported"], seen["staged"]
    assert (kept["file_id"], kept["generation"]) in seen["tape_files"], seen["tape_files"]
    assert (lost["file_id"], lost["generation"]) not in seen["tape_files"], "the stale tape file was removed (R24)"
    assert lost["labels"][0] in failback.value["discarded"]
    assert failback.value["rpo_seconds"] == 0
    after = [e for e in events if e.index > failback.index]
    restored_after = [e for e in after if e.f == "restore_check" and e.type != "invoke"]
    assert [(e.type, e.node) for e in restored_after][-1] == ("ok", "\\ETINIUM"), \
        "a backup written on \\INSIDX restores on \\ETINIUM"
    checked = {c["checker"]: c for c in result.checks}
    assert "E501_WIN1_SND matches DS_WIN1_DES" in checked["consistency"]["summary"]
    assert checked["recoverability"]["verdict"] == checked["rpo"]["verdict"] == "valid"


@pytest.mark.rule("R21")
def test_without_the_final_import_the_staged_volumes_are_lost_too(tmp_path):
    text = """\
name: no-import
topology: minimal
seed: 5
final: none
steps:
  - backup: {count: 1, group: VG_WIN1_DES, multi_volume_rate: 0}
  - advance: 10m
  - import: UPDATE
  - advance: 20m
  - backup: {count: 1, group: VG_WIN1_DES, multi_volume_rate: 0}
  - advance: 10m
  - unplanned_failover: {final_import: false}
"""
    run_scenario(parse_scenario(text, "t.yaml"), out=tmp_path / "run")
    events = read_history(tmp_path / "run" / "history.jsonl")
    backups = [e.value for e in events if e.f == "backup" and e.type == "ok"]
    failover = next(e for e in events if e.f == "unplanned_failover" and e.type != "invoke")
    assert failover.type == "ok", failover.error
    assert failover.value["cannot_restore"] == {backups[1]["labels"][0]: "not-cataloged"}
    assert failover.value["rpo_seconds"] == 1800
    step3 = next(e for e in events if e.f == "unplanned_failover.3" and e.type == "ok")
    assert "skipped" in step3.value["import"]


@pytest.mark.rule("R39")
@pytest.mark.rule("R23")
def test_a_group_the_secondary_never_had_is_lost_at_failover_and_dropped_at_failback(tmp_path):
    """e501-sample: \\ETINIUM has no group for VG_WIN1_BRCOM (W3332), so its volumes never reach the new primary,
    and the failback's FULL import removes them from \\INSIDX too."""
    text = """\
name: brcom
topology: e501-sample
seed: 501
steps:
  - backup: {count: 1, group: VG_WIN1_DES, multi_volume_rate: 0}
  - advance: 10m
  - backup: {count: 1, group: VG_WIN1_BRCOM, multi_volume_rate: 0}
  - advance: 30m
  - import: UPDATE
  - unplanned_failover: {}
  - failback: {}
"""
    result = run_scenario(parse_scenario(text, "brcom.yaml"), out=tmp_path / "run")
    events = read_history(tmp_path / "run" / "history.jsonl")
    brcom = [e.value for e in events if e.f == "backup" and e.type == "ok"][1]
    failover = next(e for e in events if e.f == "unplanned_failover" and e.type != "invoke")
    assert failover.value["cannot_restore"] == {brcom["labels"][0]: "not-cataloged"}
    assert "VG_WIN1_BRCOM has no group at \\ETINIUM" in failover.value["unrestorable"][0]["why"]
    assert failover.value["rpo_seconds"] == 600
    failback = next(e for e in events if e.f == "failback" and e.type != "invoke")
    assert failback.type == "ok" and failback.value["discarded"] == brcom["labels"], failback.value
    step3 = next(e for e in events if e.f == "failback.3" and e.type == "ok")
    assert step3.value["not_replicated"] == ["VG_WIN1_BRCOM", "VG_WIN1_UL", "VG_WIN_TMF"]
    assert result.verdict == "valid", [c for c in result.checks if c["verdict"] != "valid"]


@pytest.mark.parametrize("procedure, args, step, words", [
    ("unplanned_failover", "{fail_at: 3}", "3", "no summary file"),
    ("failback", "{fail_at: 7}", "7", "the FULL export"),
    ("failback", "{fail_at: 8}", "8", "volume errors"),
])
def test_a_fault_at_a_step_stops_the_procedure_there_with_the_operator_view(tmp_path, procedure, args, step, words):
    failover = "{}" if procedure == "failback" else args
    text = f"""\
name: stop
topology: minimal
seed: 3
final: none
steps:
  - backup: {{count: 2, group: VG_WIN1_DES, multi_volume_rate: 0}}
  - advance: 10m
  - import: UPDATE
  - unplanned_failover: {failover}
{"  - failback: " + args if procedure == "failback" else ""}
  - expect: {{last: {procedure}, type: fail}}
"""
    result = run_scenario(parse_scenario(text, "stop.yaml"), out=tmp_path / "run")
    events = read_history(tmp_path / "run" / "history.jsonl")
    done = next(e for e in events if e.f == procedure and e.type != "invoke")
    assert done.type == "fail" and done.value["stopped_at"] == step, done.error
    assert words in done.error, done.error
    failed = next(e for e in events if e.f == f"{procedure}.{step}" and e.type == "fail")
    assert any(key.startswith("ems ") and lines for key, lines in failed.value["operator_sees"].items())
    assert not [e for e in events if e.f.startswith(f"{procedure}.") and e.type == "invoke"
                and int(e.f.split(".")[1]) > int(step)], "no step after the failed one runs"
    assert next(c for c in result.checks if c["checker"] == "procedures")["verdict"] == "valid"


def test_failback_needs_a_failover_and_a_failover_needs_a_pair(dr_pair):
    with pytest.raises(ScenarioError, match="run unplanned_failover first"):
        dr_pair.procedure("failback", {})
    settled_backup(dr_pair)
    dr_pair.import_("UPDATE")
    assert dr_pair.procedure("unplanned_failover", {}) is not None
    with pytest.raises(ScenarioError, match="run failback first"):
        dr_pair.procedure("unplanned_failover", {})


@pytest.mark.parametrize("step, message", [
    ("unplanned_failover: {fail_at: 7}", "fail_at 7 is not a step of unplanned_failover"),
    ("unplanned_failover: {fail_at: 1}", "step 1 (the primary site is lost"),
    ("unplanned_failover: {final_import: 'no'}", "final_import 'no' must be true or false"),
    ("unplanned_failover: {site: \\\\INSIDX}", "unknown key 'site'"),
    ("unplanned_failover: now", "unplanned_failover takes a mapping"),
    ("failback: {fail_at: 20}", "fail_at 20 is not a step of failback"),
    ("failback: {fail_at: 2}", "step 2 (the old primary fenced"),
    ("failback: {staging: E5CATSYN}", "staging 'E5CATSYN' is a subvolume"),
    ("failback: {full_export_frequency_days: -1}", "full_export_frequency_days -1 must be a whole number"),
    ("failback: {fault: link-down}", "fault goes with fail_at"),
])
def test_malformed_failover_steps_name_the_line_and_the_fix(step, message):
    assert_step_rejected(step, message)


@pytest.mark.rule("R59")
@pytest.mark.parametrize("limit, verdict", [("10m", "invalid"), ("2h", "valid")])
def test_a_run_that_ends_with_the_primary_lost_is_judged_by_the_failovers_rpo(tmp_path, limit, verdict):
    text = f"""\
name: lost
topology: minimal
seed: 3
check: {{rpo: {limit}}}
steps:
  - backup: 3
  - advance: 1h
  - import: UPDATE
  - fail: storage-replication-pause
  - advance: 30m
  - backup: 2
  - unplanned_failover: {{}}
"""
    result = run_scenario(parse_scenario(text, "lost.yaml"), seed=3, out=tmp_path / "run")
    rpo = next(c for c in result.checks if c["checker"] == "rpo")
    failover = next(e for e in read_history(tmp_path / "run" / "history.jsonl")
                    if e.f == "unplanned_failover" and e.type == "ok")
    assert failover.value["rpo_seconds"] == 5400, "the newest backup is 90 min newer than the newest restorable one"
    assert rpo["verdict"] == verdict and "RPO 5400 s" in rpo["summary"], rpo
    # the checker lists the volumes the new primary cannot restore, as the failover found them
    lost = sorted(e["label"] for e in rpo["evidence"] if e["kind"] == "cannot-restore")
    assert lost and lost == sorted(v["label"] for v in failover.value["unrestorable"])
    assert set(lost) == {b for e in read_history(tmp_path / "run" / "history.jsonl")
                         if e.f == "backup" and e.type == "ok" and e.time.startswith("2025-09-23T21:30")
                         and e.value["domain"] == "E501NEW"   # not the new primary's test backup
                         for b in e.value["labels"]}, "exactly the volumes written while replication was paused"
    assert result.verdict == verdict
