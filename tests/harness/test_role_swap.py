"""The planned role switch (R55) as a scenario step on the `minimal` DR pair: all 11 steps checked, both sites
consistent afterwards, the test backup written on \\B restored on \\A; a fault at any step stops it there and the
step's event carries what the operator sees."""

from __future__ import annotations

import json

import pytest

from harness.checkers.dumps import Dump
from harness.history import read_history
from harness.runner import run_scenario
from harness.scenario import parse_scenario
from tests.harness.conftest import assert_step_rejected

SWAP = """\
name: swap
topology: minimal
seed: 3
{final}steps:
  - backup: 3
  - advance: 1h
  - import: UPDATE
  - backup: 2
  - role_swap: {args}
{after}"""
AFTER = """\
  - backup: 2
  - advance: 1h
  - import: UPDATE
  - restore_check: {}
"""


def _run(tmp_path, args: str = "{}", after: str = AFTER, final: str = "", seed: int = 3):
    text = SWAP.format(args=args, after=after, final=final)
    result = run_scenario(parse_scenario(text, "swap.yaml"), seed=seed, out=tmp_path / "run")
    events = read_history(tmp_path / "run" / "history.jsonl")
    return result, events


@pytest.mark.rule("R55")
@pytest.mark.rule("R59")
def test_the_role_swap_runs_its_11_steps_and_both_sites_stay_consistent(tmp_path):
    result, events = _run(tmp_path)
    assert result.verdict == "valid", (result.replay, [c for c in result.checks if c["verdict"] != "valid"])
    swap = next(e for e in events if e.f == "role_swap" and e.type != "invoke")
    assert swap.type == "ok", swap.error
    steps = swap.value["steps"]
    assert [s["step"] for s in steps] == [str(n) for n in range(1, 12)] and all(s["ok"] for s in steps)
    assert swap.value["rpo_seconds"] == 0, "a planned switch loses nothing"
    assert swap.value["rto_seconds"] == 0, "nothing in this swap waits: the promotion comes at the same instant"
    done = {e.f: e for e in events if e.f.startswith("role_swap.") and e.type == "ok"}
    assert done["role_swap.2"].value["jobs_removed"] == [] and done["role_swap.3"].value["backups_refused"]
    assert done["role_swap.4"].value["reversed"] and done["role_swap.5"].value["reversed"]
    assert done["role_swap.6"].value["staging"] == "\\INSIDX.$DATA15.E5CATSYN"
    # the test backup of step 11 was written on \ETINIUM and restored on \INSIDX
    restores = [e for e in events if e.f == "restore_check" and e.type == "ok"]
    assert any(e.node == "\\INSIDX" for e in restores), [e.node for e in restores]
    # after the swap the scenario's own steps use the new roles: backups on \ETINIUM, imports on \INSIDX
    tail = [e for e in events[swap.index:] if e.process == "harness" and e.type == "invoke"]
    assert next(e for e in tail if e.f == "import").value["data_store"] == "DS_WIN1_DES"
    checked = {c["checker"]: c for c in result.checks}
    assert "DS_WIN1_DES matches E501_WIN1_SND" in checked["consistency"]["summary"]


@pytest.mark.rule("R55")
def test_the_new_roles_are_in_the_domains(tmp_path):
    result, _ = _run(tmp_path, after="", final="final: none\n")
    assert result.verdict == "valid", result.checks
    final = Dump("final", json.loads((tmp_path / "run" / "dumps" / "final.json").read_text()))
    assert final.domain("E501NEW").store("DS_WIN1_DES")["domain_access"] == "DOMAIN_ACCESS_SECONDARY"
    assert final.domain("YINE500").store("E501_WIN1_SND")["domain_access"] == "DOMAIN_ACCESS_PRIMARY"


@pytest.mark.rule("R55")
@pytest.mark.parametrize("step, words", [
    ("4", "key replication"),
    ("5", "storage replication"),
    ("7", "volume errors"),
    ("8", "the FULL export"),
    ("11", "test"),
])
def test_a_fault_at_a_step_stops_the_swap_there_and_shows_the_operator_the_pages(tmp_path, step, words):
    after = "  - expect: {last: role_swap, type: fail}\n"
    result, events = _run(tmp_path, args=f"{{fail_at: {step}}}", after=after, final="final: none\n")
    swap = next(e for e in events if e.f == "role_swap" and e.type != "invoke")
    assert swap.type == "fail" and swap.value["stopped_at"] == step, swap.error
    assert words in swap.error, swap.error
    failed = next(e for e in events if e.f == f"role_swap.{step}" and e.type != "invoke")
    view = failed.value["operator_sees"]
    assert view["export_status"] and any(key.startswith("ems ") and lines for key, lines in view.items())
    assert not [e for e in events if e.f.startswith("role_swap.") and e.type == "invoke"
                and int(e.f.split(".")[1]) > int(step)], "no step after the failed one runs"
    procedures = next(c for c in result.checks if c["checker"] == "procedures")
    assert procedures["verdict"] == "valid", "the scenario expected the stop"


@pytest.mark.rule("R28")
def test_volumes_pending_export_behind_a_cut_link_stop_the_swap_at_step_2(tmp_path):
    text = SWAP.format(args="{}", after="  - expect: {last: role_swap, type: fail}\n", final="final: none\n").replace(
        "  - backup: 2\n  - role_swap", "  - fail: {fault: link-down, id: CUT}\n  - backup: 2\n  - role_swap")
    result = run_scenario(parse_scenario(text, "swap.yaml"), out=tmp_path / "run")
    events = read_history(tmp_path / "run" / "history.jsonl")
    swap = next(e for e in events if e.f == "role_swap" and e.type != "invoke")
    assert swap.type == "fail" and swap.value["stopped_at"] == "2", swap.error
    assert "still pending export" in swap.error and "250" in swap.error
    manual = [e for e in events if e.f == "export" and e.type != "invoke"]
    assert manual and manual[-1].type == "fail", "the operator's final Export Catalog Updates was tried first"
    page = next(e for e in events if e.f == "role_swap.2" and e.type == "fail").value["operator_sees"]
    assert any("Pending" in line or "pending" in line for line in page["export_status"]), page["export_status"]
    assert next(c for c in result.checks if c["checker"] == "procedures")["verdict"] == "valid"


def test_an_unexpected_stop_makes_the_run_invalid(tmp_path):
    result, _ = _run(tmp_path, args="{fail_at: 5}", after="", final="final: none\n")
    procedures = next(c for c in result.checks if c["checker"] == "procedures")
    assert procedures["verdict"] == "invalid" and "stopped at step 5" in procedures["summary"]
    assert result.verdict == "invalid"


@pytest.mark.parametrize("args, message", [
    ("{fail_at: 12}", "fail_at 12 is not a step of role_swap"),
    ("{fail_at: 1}", "step 1 (wait until no backup runs"),
    ("{fault: link-down}", "fault goes with fail_at"),
    ("{fail_at: 3, fault: meteor}", "fault is a fault kind"),
    ("{when: now}", "unknown key 'when'"),
    ("now", "role_swap takes a mapping"),
])
def test_malformed_role_swap_steps_name_the_line_and_the_fix(args, message):
    assert_step_rejected(f"role_swap: {args}", message)


@pytest.mark.rule("R55")
def test_a_second_swap_reverses_the_replications_back_and_the_pair_stays_consistent(tmp_path):
    """The way back reads the replication peers from the services: after the first swap the storage and key
    replication run \\B → \\A, and the second swap must finish and reverse those, not the topology's direction."""
    after = "  - backup: 2\n  - advance: 1h\n  - import: UPDATE\n  - role_swap: {}\n" + AFTER
    result, events = _run(tmp_path, after=after)
    assert result.verdict == "valid", [c for c in result.checks if c["verdict"] != "valid"]
    steps = [e.value for e in events if e.f in ("role_swap.4", "role_swap.5") and e.type == "ok"]
    assert [(s["from"], s["to"]) for s in steps] == [("ESKM-PRI", "ESKM-SEC"), ("STO_PRI", "STO_SEC"),
                                                     ("ESKM-SEC", "ESKM-PRI"), ("STO_SEC", "STO_PRI")]
    assert all(s["reversed"] for s in steps)
    restores = [e for e in events if e.f == "restore_check" and e.type == "ok"]
    assert restores[-1].node == "\\ETINIUM", "after two swaps \\ETINIUM is the DR site again"


@pytest.mark.rule("R55")
@pytest.mark.parametrize("step, fault", [("5", "storage-replication-pause"), ("8", "link-down")])
def test_a_swap_stopped_at_a_step_runs_again_to_the_end_once_the_fault_is_healed(tmp_path, step, fault):
    """The operator fixes the cause and runs the switch again: the steps an earlier attempt completed (a reversed
    replication, \\B promoted) are recognised, not repeated into an error."""
    after = (f"  - expect: {{last: role_swap, type: fail}}\n  - heal: {fault}\n  - role_swap: {{}}\n"
             "  - expect: {last: role_swap, type: ok}\n" + AFTER)
    result, events = _run(tmp_path, args=f"{{fail_at: {step}}}", after=after)
    assert result.verdict == "valid", [c for c in result.checks if c["verdict"] != "valid"]
    swaps = [e for e in events if e.f == "role_swap" and e.type != "invoke"]
    assert [e.type for e in swaps] == ["fail", "ok"] and swaps[0].value["stopped_at"] == step
    second = [e for e in events[swaps[0].index:] if e.f.startswith("role_swap.") and e.type == "ok"]
    assert len(second) == 11
    final = Dump("final", json.loads((tmp_path / "run" / "dumps" / "final.json").read_text()))
    assert final.domain("YINE500").store("E501_WIN1_SND")["domain_access"] == "DOMAIN_ACCESS_PRIMARY"
    assert final.domain("E501NEW").store("DS_WIN1_DES")["domain_access"] == "DOMAIN_ACCESS_SECONDARY"


@pytest.mark.rule("R55")
@pytest.mark.rule("R36")
@pytest.mark.rule("R52")
def test_after_the_swap_the_services_show_the_new_directions_and_schedules(dr_pair):
    """Read back through the services, not from the procedure's value: replication runs \\B → \\A, \\A exports
    nothing, \\B exports to the staging subvolume on \\A, the NetBatch jobs of R36 are on the right nodes."""
    from catsync.v1 import catalog_sync_pb2 as cs  # noqa: PLC0415
    from emulator.v1 import backbox_domain_pb2 as bb, key_manager_pb2 as km, storage_pb2 as st  # noqa: PLC0415

    sim = dr_pair
    sim.backup(2)
    sim.advance("1h")
    sim.import_("UPDATE")
    sim.job(node="\\ETINIUM", macro="BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE", at="02:00",
            every="1d")
    assert sim.role_swap() is not None, sim.history.events[-1].error
    storage = sim.topo.storage("STO_SEC").GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=10).status
    assert (storage.role, storage.config.peer_storage_id) == (st.REPLICATION_ROLE_SOURCE, "STO_PRI")
    keys = sim.topo.key_manager("ESKM-SEC").GetKeyReplicationStatus(km.GetKeyReplicationStatusRequest(),
                                                                     timeout=10).status
    assert keys.role == km.KEY_REPLICATION_ROLE_SOURCE
    a = sim.topo.domain("E501NEW").GetDataStore(bb.GetDataStoreRequest(id="DS_WIN1_DES"), timeout=10).data_store
    b = sim.topo.domain("YINE500").GetDataStore(bb.GetDataStoreRequest(id="E501_WIN1_SND"), timeout=10).data_store
    assert (a.domain_access, a.export_config.export_destination) == (bb.DOMAIN_ACCESS_SECONDARY, "")
    assert a.import_config.import_source == "\\INSIDX.$DATA15.E5CATSYN"
    assert (b.domain_access, b.export_config.export_destination) == (bb.DOMAIN_ACCESS_PRIMARY,
                                                                     "\\INSIDX.$DATA15.E5CATSYN")
    jobs_a = [j.macro_text for j in sim.topo.catalog_sync("E501NEW").ListJobs(cs.ListJobsRequest(node="\\INSIDX"),
                                                                              timeout=10).jobs]
    jobs_b = [j.macro_text for j in sim.topo.catalog_sync("YINE500").ListJobs(cs.ListJobsRequest(node="\\ETINIUM"),
                                                                              timeout=10).jobs]
    assert sorted(jobs_a) == ["BB027_IMPORT_CATALOG STOREID DS_WIN1_DES, CATALOGFILES YES, TYPE FULL",
                              "BB027_IMPORT_CATALOG STOREID DS_WIN1_DES, TYPE UPDATE"]
    assert jobs_b == ["BB026_EXPORT_CATALOG STOREID E501_WIN1_SND, CATALOGFILES YES, TYPE FULL"], \
        "\\B's old import job is gone (step 7), its monthly FULL export is scheduled (step 10)"
