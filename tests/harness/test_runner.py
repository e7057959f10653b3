"""The scenario runner end to end on real topologies: the run directory, verdicts and exit codes, the end
sequence (heal → settle → final export / import → check), determinism, and shrinking."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from harness.cli import main
from harness.errors import ScenarioError
from harness.history import read_history
from harness.runner import Progress, check_determinism, run_scenario
from harness.scenario import parse_scenario
from harness.shrink import ddmin, shrink

RUN_FILES = ("history.jsonl", "seed", "topology.yaml", "scenario.yaml", "results.json", "junit.xml",
             "timeline.html", "dumps/final.json")


def _scenario(steps: str, **head: str) -> str:
    lines = {"name": "t", "topology": "minimal", "seed": "3", **head}
    return "".join(f"{k}: {v}\n" for k, v in lines.items()) + "steps:\n" + steps


def test_a_run_writes_its_directory_and_is_valid_when_the_secondary_can_restore(tmp_path, capsys):
    out = tmp_path / "run"
    result = run_scenario("smoke", out=out, progress=Progress(live=False))
    assert result.verdict == "valid", (result.error, result.checks)
    assert result.exit_code == 0
    for name in RUN_FILES:
        assert (out / name).is_file(), name
    assert (out / "seed").read_text().strip() == str(result.seed)
    results = json.loads((out / "results.json").read_text())
    assert results["verdict"] == "valid" and results["replay"] == "catsync-sim run smoke --seed 1"
    assert {c["checker"] for c in results["checks"]} >= {"consistency", "recoverability", "rpo"}
    events = read_history(out / "history.jsonl")
    assert [e.f for e in events if e.process == "harness" and e.type == "invoke"][:1] == ["backup"]
    # the end sequence: a settle advance, the final export and import, then nothing else of the harness
    tail = [(e.f, e.type) for e in events if e.process == "harness"][-4:]
    assert tail == [("export", "invoke"), ("export", "ok"), ("import", "invoke"), ("import", "ok")]
    assert any(e.f == "auto-export" for e in events), "automatic exports are observed and recorded"
    assert list((out / "reports").glob("*/*.txt")) and list((out / "ems").glob("*.log"))
    suite = ET.parse(out / "junit.xml").getroot()
    assert suite.iter("testcase")
    progress = capsys.readouterr().err
    assert "VALID: smoke seed 1" in progress


def test_a_failed_expectation_makes_the_run_invalid_and_prints_the_replay(tmp_path, capsys):
    text = _scenario("  - backup: 1\n  - expect: {last: backup, type: fail}\n")
    result = run_scenario(parse_scenario(text, str(tmp_path / "t.yaml")), out=tmp_path / "run",
                          progress=Progress(live=False))
    assert result.verdict == "invalid" and result.exit_code == 1
    expectations = next(c for c in result.checks if c["checker"] == "expectations")
    assert expectations["verdict"] == "invalid" and "ended ok, expected fail" in expectations["summary"]
    err = capsys.readouterr().err
    # the scenario came as text: the replay runs the copy the run directory keeps
    assert f"replay: catsync-sim run {(tmp_path / 'run' / 'scenario.yaml').resolve()} --seed 3" in err


def test_a_step_that_cannot_run_makes_the_run_unknown_but_it_still_heals_and_checks(tmp_path):
    text = _scenario("  - fail: {fault: link-down, id: CUT}\n  - restore_check: {}\n")
    result = run_scenario(parse_scenario(text, "t.yaml"), out=tmp_path / "run")
    assert result.verdict == "unknown" and result.exit_code == 2
    assert "t.yaml:6" in result.error and "no matching DSM/TC backup" in result.error
    events = read_history(tmp_path / "run" / "history.jsonl")
    heals = [e for e in events if e.f == "heal" and e.type == "ok"]
    assert heals and heals[0].value["id"] == "CUT", "the run's end heals what is still broken"


def test_the_end_of_a_run_heals_faults_and_the_final_import_catches_up(tmp_path):
    text = _scenario("  - fail: {fault: link-down, id: CUT}\n  - backup: 3\n  - fail: ems-extractor-stopped\n",
                     final="{export: UPDATE, import: UPDATE}")
    result = run_scenario(parse_scenario(text), out=tmp_path / "run")
    assert result.verdict == "valid", result.checks
    assert {f["fault"] for f in result.faults} == {"link-down", "ems-extractor-stopped"}
    assert all(f["stop"] for f in result.faults), "every fault has its stop time"


def test_two_runs_with_one_seed_give_byte_identical_histories(tmp_path):
    first, second, diff = check_determinism("link-cut", out=tmp_path)
    assert diff == ""
    assert first.history_digest == second.history_digest
    a = [e.to_json(canonical=True) for e in read_history(first.run_dir / "history.jsonl")]
    b = [e.to_json(canonical=True) for e in read_history(second.run_dir / "history.jsonl")]
    assert a == b and len(a) > 20


def test_another_seed_gives_another_history(tmp_path):
    a = run_scenario("smoke", seed=1, out=tmp_path / "a")
    b = run_scenario("smoke", seed=2, out=tmp_path / "b")
    assert a.history_digest != b.history_digest


def test_ddmin_finds_the_one_unit_that_matters():
    units = [[i] for i in range(10)]
    budget = [100]
    assert ddmin(units, lambda kept: [7] in kept, budget) == [[7]]
    assert ddmin(units, lambda kept: [2] in kept and [8] in kept, [100]) == [[2], [8]]


def test_shrinking_keeps_only_the_fault_that_breaks_recoverability(tmp_path):
    # the replica loses one image (a real loss); the other faults are harmless noise the shrinker must drop
    text = _scenario(
        "  - fail: {fault: link-latency, ms: 1, id: N1}\n"
        "  - backup: 2\n"
        "  - fail: {fault: clock-skew, node: \\ETINIUM, seconds: 60, id: N2}\n"
        "  - fail: {fault: storage-drop-object, storage: STO_SEC, id: LOSS}\n"
        "  - fail: {fault: ems-extractor-stopped, id: N3}\n"
        "  - heal: N1\n  - heal: N3\n  - advance: 1h\n  - heal: LOSS\n  - heal: N2\n",
        check="{checkers: [recoverability]}")
    scenario = parse_scenario(text, str(tmp_path / "t.yaml"))
    result = run_scenario(scenario, out=tmp_path / "run")
    assert result.verdict == "invalid", result.checks
    path = shrink(scenario, result, max_runs=12)
    assert path is not None and path.name == "shrunk.yaml"
    shrunk = parse_scenario(path.read_text(), str(path))
    faults = [s.args["id"] for s in shrunk.steps if s.verb == "fail"]
    assert faults == ["LOSS"]
    again = run_scenario(shrunk, seed=result.seed, out=tmp_path / "again")
    assert again.verdict == "invalid"


def test_cli_run_and_check_agree_and_exit_with_the_verdict(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "smoke", "--out", str(out), "--quiet"]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["verdict"] == "valid" and printed["replay"] == "catsync-sim run smoke --seed 1"
    assert main(["check", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("VALID")


def test_cli_check_of_a_damaged_run_directory_says_what_is_missing(tmp_path, capsys):
    (tmp_path / "history.jsonl").write_text('{"index": 0, "type": "invoke"}\n')
    assert main(["check", str(tmp_path)]) == 2
    assert "history" in capsys.readouterr().err


def test_cli_run_of_an_unknown_scenario_is_a_usage_error(capsys):
    assert main(["run", "no-such-drill"]) == 2
    assert "catsync-sim scenarios" in capsys.readouterr().err


def test_cli_run_refuses_a_non_empty_out_directory(tmp_path, capsys):
    (tmp_path / "x").write_text("keep me")
    assert main(["run", "smoke", "--out", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "x").read_text() == "keep me"


@pytest.mark.parametrize("seed", [1, 2])
def test_a_swarm_run_is_valid_and_replays_identically(tmp_path, seed):
    text = ("name: sw\ntopology: minimal\nswarm: {days: 2, backups_per_day: [1, 2], fault_rate: 0.6}\n")
    result = run_scenario(parse_scenario(text, "sw.yaml"), seed=seed, out=tmp_path / "run")
    assert result.verdict == "valid", (result.error, [c for c in result.checks if c["verdict"] != "valid"])
    again = run_scenario(parse_scenario(text, "sw.yaml"), seed=seed, out=tmp_path / "again")
    assert again.history_digest == result.history_digest
    assert any(e.process == "nemesis" for e in read_history(result.run_dir / "history.jsonl")) or seed != 1


def test_a_python_scenario_runs_with_the_same_verbs(tmp_path):
    path = tmp_path / "drill.py"
    path.write_text(
        '"""Two backups, a cut link, a retry after the heal."""\n'
        'TOPOLOGY = "minimal"\nSEED = 4\n\n'
        'def scenario(sim):\n'
        '    sim.backup(2)\n'
        '    cut = sim.fail("link-down")\n'
        '    sim.backup(1)\n'
        '    assert sim.expect(last="backup", type="ok")\n'
        '    sim.heal(cut.id)\n'
        '    sim.advance("1h")\n'
        '    sim.import_("UPDATE")\n'
        '    sim.restore_check()\n')
    result = run_scenario(str(path), out=tmp_path / "run")
    assert result.verdict == "valid", (result.error, result.checks)
    assert result.replay == f"catsync-sim run {path} --seed 4"
    verbs = [e.f for e in read_history(result.run_dir / "history.jsonl") if e.type == "invoke"]
    assert verbs[:4] == ["backup", "backup", "fail", "backup"] and "restore_check" in verbs


def test_the_progress_view_rewrites_one_line_on_a_terminal():
    import io

    from harness.history import History
    from harness.scenario import Step

    out = io.StringIO()
    progress = Progress(out, live=True)
    history = History(now=lambda: "2025-09-23T20:00:00+00:00")
    history.listeners.append(progress.event)
    progress.total = 2
    progress.step(Step("fail", {"fault": "link-down"}))
    history.add("ok", "fail", process="nemesis", value={"fault": "link-down", "id": "F1"})
    progress.step(Step("export", "FULL"))
    history.add("fail", "export", error="UNAVAILABLE: Expand error 250")
    text = out.getvalue()
    assert "\r\x1b[2K[  2/2] export FULL" in text and "faults: F1 link-down" in text
    assert "! export fail: UNAVAILABLE: Expand error 250\n" in text


# -- the same scenarios under the subprocess launcher (one OS process per node) --------------------------------------

@pytest.mark.slow
def test_link_cut_gives_the_in_process_history_under_the_subprocess_launcher(tmp_path):
    inprocess = run_scenario("link-cut", out=tmp_path / "in")
    separate = run_scenario("link-cut", launcher="subprocess", out=tmp_path / "sub")
    assert separate.verdict == inprocess.verdict == "valid", (separate.error, separate.checks)
    assert separate.history_digest == inprocess.history_digest, "the launcher does not change the history"
    results = json.loads((tmp_path / "sub" / "results.json").read_text())
    assert results["replay"].endswith("--launcher subprocess"), results["replay"]


@pytest.mark.slow
def test_a_swarm_run_with_real_node_crashes_is_valid_under_the_subprocess_launcher(tmp_path):
    text = ("name: sw\ntopology: minimal\nswarm: {days: 2, backups_per_day: [1, 2], fault_rate: 0.8,"
            " faults: [node-crash, link-down, staging-corrupt]}\n")
    result = run_scenario(parse_scenario(text, "sw.yaml"), seed=5, launcher="subprocess", out=tmp_path / "run")
    assert result.verdict == "valid", (result.error, [c for c in result.checks if c["verdict"] != "valid"])
    kinds = {f["fault"] for f in result.faults}
    assert "node-crash" in kinds, kinds


@pytest.mark.rule("R27")
def test_on_the_real_clock_each_step_waits_for_the_exports_its_backups_started(tmp_path):
    """On the real clock nothing is advanced by hand: the step after a backup must still see its automatic export
    finished (Sim.settle waits for the processes), and the end of the run settles in short steps, not hours."""
    text = ("name: rt\ntopology: minimal\nsteps:\n  - backup: {count: 2, multi_volume_rate: 0}\n"
            "  - expect: {export_status: DS_WIN1_DES, contains: 'Pending Volumes to Export: 0'}\n")
    result = run_scenario(parse_scenario(text, "rt.yaml"), seed=2, out=tmp_path / "run", real_time=60.0)
    assert result.verdict == "valid", [c for c in result.checks if c["verdict"] != "valid"]
    events = read_history(tmp_path / "run" / "history.jsonl")
    exports = [e for e in events if e.f == "auto-export" and e.type == "ok"]
    expect = next(e for e in events if e.f == "expect" and e.type != "invoke")
    assert exports and all(e.index < expect.index for e in exports), "the expect ran before the exports ended"
    assert result.wall_seconds < 60, f"settling on the real clock took {result.wall_seconds:.0f} s"


@pytest.mark.rule("R55")
def test_a_swarm_with_role_swaps_switches_after_the_nights_and_stays_valid(tmp_path):
    """`role_swap_every_days`: after every N-th night's import (the day's faults healed) a planned switch; the
    schedule has them at the right places, and the run with them is valid (the switch completes every time)."""
    from harness.swarm import swarm_steps, validate_swarm  # noqa: PLC0415
    from harness.topology import load_topology  # noqa: PLC0415

    steps = swarm_steps(4, load_topology("minimal"), {"days": 5, "role_swap_every_days": 2, "fault_rate": 0.5})
    swaps = [n for n, s in enumerate(steps) if s.verb == "role_swap"]
    assert len(swaps) == 2, "after nights 2 and 4 (not after the last night)"
    assert all(steps[n - 1].verb == "import" for n in swaps)
    with pytest.raises(ScenarioError, match="role_swap_every_days"):
        validate_swarm({"role_swap_every_days": -1})
    text = ("name: sw\ntopology: minimal\nswarm: {days: 5, backups_per_day: [1, 2], fault_rate: 0.5,"
            " role_swap_every_days: 2}\n")
    result = run_scenario(parse_scenario(text, "sw.yaml"), seed=4, out=tmp_path / "run")
    assert result.verdict == "valid", (result.replay, [c for c in result.checks if c["verdict"] != "valid"])
    done = [e for e in read_history(tmp_path / "run" / "history.jsonl") if e.f == "role_swap" and e.type != "invoke"]
    assert [e.type for e in done] == ["ok", "ok"]
