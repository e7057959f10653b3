"""`catsync-sim coverage`: the fault × phase matrix comes from real runs' histories (a fault counts for a phase only
while it is active during an operation of it), every fault kind has a row, and the outputs have fixed shapes; and
the `catsync-sim scenarios` listing keeps its columns and whole words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main, scenario_listing
from harness.coverage import PHASES, Coverage, can_hit_transfer, exercised, fault_spans, measure, on_transfer_path
from harness.history import History
from harness.nemesis import FAULTS
from harness.scenario import builtin_scenarios, load_scenario

# a fault started after the backup (and its automatic export) and healed after the import: only the import saw it
PAUSE_DURING_IMPORT = """\
name: pause-during-import
description: storage replication paused while the nightly import runs
topology: minimal
seed: 3
steps:
  - backup: 1
  - advance: 1h
  - fail: {fault: storage-replication-pause, id: P}
  - import: UPDATE
  - heal: P
"""

# a fault that is over before the import and the restore start: it exercises nothing
HEALED_BEFORE_IMPORT = """\
name: healed-before-import
description: key replication paused and resumed between the backup and the import
topology: minimal
seed: 4
steps:
  - backup: {count: 1, group: VG_WIN1_DES, multi_volume_rate: 0}
  - fail: {fault: key-replication-pause, id: K}
  - advance: 1h
  - heal: K
  - import: UPDATE
  - restore_check: {}
"""


def _write(tmp_path: Path, text: str) -> Path:
    name = text.split("\n", 1)[0].removeprefix("name: ")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path


def _filled(coverage: Coverage) -> dict[tuple[str, str], list[str]]:
    return {(f, p): coverage.cell(f, p) for f in coverage.faults for p in coverage.phases if coverage.cell(f, p)}


# -- the matrix of real runs ------------------------------------------------------------------------------------------

def test_matrix_has_exactly_the_cell_when_a_fault_is_active_during_one_phase(tmp_path):
    coverage = measure([str(_write(tmp_path, PAUSE_DURING_IMPORT))], out=tmp_path / "runs")
    assert _filled(coverage) == {("storage-replication-pause", "import"): ["pause-during-import"]}
    run = coverage.runs[0]
    assert run.verdict == "valid", run.error
    assert run.pairs == {("storage-replication-pause", "import"): ["P"]}
    assert (tmp_path / "runs" / "pause-during-import" / "history.jsonl").is_file()
    # every kind keeps its row; the uncovered pairs are all the others
    assert coverage.faults == tuple(FAULTS)
    not_applicable = [(k, "transfer") for k in FAULTS if not can_hit_transfer(k)]
    assert ("storage-replication-pause", "transfer") in not_applicable and ("link-down", "transfer") \
        not in not_applicable
    assert len(coverage.uncovered()) == len(FAULTS) * len(PHASES) - len(not_applicable) - 1
    assert not set(not_applicable) & set(coverage.uncovered())
    assert ("storage-replication-pause", "import") not in coverage.uncovered()


def test_fault_healed_before_the_phase_starts_does_not_count(tmp_path):
    coverage = measure([str(_write(tmp_path, HEALED_BEFORE_IMPORT))], out=tmp_path / "runs")
    run = coverage.runs[0]
    assert run.verdict == "valid", run.error
    assert run.faults == ["key-replication-pause"]        # it was active ...
    assert run.pairs == {}                                 # ... but no backup, export, import or restore saw it
    assert _filled(coverage) == {}
    assert ("key-replication-pause", "import") in coverage.uncovered()
    assert ("key-replication-pause", "restore") in coverage.uncovered()


def test_two_builtins_give_their_link_cut_and_kill_cells_in_json(tmp_path, capsys):
    out = tmp_path / "runs"
    code = main(["coverage", "--scenario", "link-cut", "--scenario", "export-killed-mid-run", "--json",
                 "--out", str(out), "--quiet"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"phases", "faults", "matrix", "uncovered", "not_applicable", "scenarios"}
    assert {"fault": "clock-skew", "phase": "transfer"} in data["not_applicable"]
    assert data["phases"] == list(PHASES) and data["faults"] == list(FAULTS)
    matrix = data["matrix"]
    assert set(matrix) == set(FAULTS) and all(set(row) == set(PHASES) for row in matrix.values())
    both = ["link-cut", "export-killed-mid-run"]           # in the order asked
    assert {p: matrix["link-down"][p] for p in PHASES} == {
        "backup": both, "export": both, "transfer": both, "import": [], "restore": [], "role swap": []}
    # the kill is armed for the export process: an export saw it, but it is no fault of the way to the staging area
    assert matrix["process-kill"]["export"] == ["export-killed-mid-run"]
    assert matrix["process-kill"]["transfer"] == [] and matrix["process-kill"]["backup"] == []
    assert all(not cells for kind, row in matrix.items() if kind not in ("link-down", "process-kill")
               for cells in row.values())
    assert {"fault": "node-crash", "phase": "backup"} in data["uncovered"]
    assert {"fault": "link-down", "phase": "backup"} not in data["uncovered"]
    runs = {r["scenario"]: r for r in data["scenarios"]}
    assert runs["link-cut"]["seed"] == 2 and runs["link-cut"]["verdict"] == "valid"
    assert {(e["fault"], e["phase"]) for e in runs["link-cut"]["exercised"]} == {
        ("link-down", "backup"), ("link-down", "export"), ("link-down", "transfer")}
    assert runs["link-cut"]["exercised"][0]["ids"] == ["CUT"]
    assert (out / "link-cut" / "results.json").is_file() and (out / "export-killed-mid-run" / "seed").is_file()


def test_markdown_is_a_github_table_with_a_row_per_fault_kind(tmp_path, capsys):
    assert main(["coverage", "--scenario", str(_write(tmp_path, PAUSE_DURING_IMPORT)), "--markdown", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| fault | " + " | ".join(PHASES) + " |"
    assert lines[1] == "|---|" + "---:|" * len(PHASES)
    rows = lines[2:2 + len(FAULTS)]
    assert [r.split("|")[1].strip().strip("`") for r in rows] == list(FAULTS)
    assert all(r.count("|") == len(PHASES) + 2 for r in rows)
    pause = next(r for r in rows if "`storage-replication-pause`" in r)
    assert [c.strip() for c in pause.split("|")[2:-1]] == ["·", "·", "–", "1", "·", "·"]
    link = next(r for r in rows if "`link-down`" in r)
    assert [c.strip() for c in link.split("|")[2:-1]] == ["·"] * len(PHASES)
    assert lines[2 + len(FAULTS)] == "" and "pause-during-import" in lines[-1]


def test_terminal_view_has_every_row_the_legend_who_and_the_uncovered_pairs(tmp_path, capsys):
    assert main(["coverage", "--scenario", str(_write(tmp_path, PAUSE_DURING_IMPORT))]) == 0
    captured = capsys.readouterr()
    out = captured.out
    table = out.split("\n\n")[1].splitlines()
    assert table[0].split()[0] == "fault" and "role swap" in table[0]
    assert [line.split()[0] for line in table[1:]] == list(FAULTS)
    pause = next(line for line in table if line.startswith("storage-replication-pause"))
    assert pause.split()[1:] == ["·", "·", "–", "1", "·", "·"]
    assert "A cell counts the scenarios" in out
    assert "storage-replication-pause × import: pause-during-import" in out
    assert "  link-down: every phase" in out
    assert "  storage-replication-pause: backup, export, restore, role swap" in out
    assert "  staging-delete: every phase" in out and "  clock-skew: every phase" in out
    # the progress went to stderr: the scenario's line and the total
    assert "[1/1] pause-during-import seed 3: valid" in captured.err
    assert "1 scenario in" in captured.err


def test_the_same_seed_gives_the_same_json(tmp_path, capsys):
    path = str(_write(tmp_path, HEALED_BEFORE_IMPORT))
    outputs = []
    for _ in range(2):
        assert main(["coverage", "--scenario", path, "--json", "--quiet"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["scenarios"][0]["history_digest"]


def test_seed_option_overrides_each_scenarios_own(tmp_path, capsys):
    assert main(["coverage", "--scenario", str(_write(tmp_path, PAUSE_DURING_IMPORT)), "--seed", "11", "--json",
                 "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["scenarios"][0]["seed"] == 11


# -- the command line -----------------------------------------------------------------------------------------------

def test_unknown_scenario_name_exits_2_naming_it_and_runs_nothing(tmp_path, capsys):
    out = tmp_path / "runs"
    assert main(["coverage", "--scenario", "link-cut", "--scenario", "no-such-drill", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no scenario named 'no-such-drill'" in err and "link-cut" in err and "catsync-sim scenarios" in err
    assert not out.exists()


def test_markdown_and_json_together_exit_2(capsys):
    assert main(["coverage", "--markdown", "--json"]) == 2
    assert "choose one" in capsys.readouterr().err


def test_a_run_that_is_not_valid_exits_1_with_the_matrix_and_a_note(tmp_path, capsys):
    text = PAUSE_DURING_IMPORT.replace("pause-during-import", "wrong-expectation") + \
        "  - expect: {last: import, outcome: FAILED}\n"
    assert main(["coverage", "--scenario", str(_write(tmp_path, text)), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "storage-replication-pause × import: wrong-expectation" in out
    assert "note: wrong-expectation (seed 3) ended invalid" in out


# -- the definitions on hand-made histories (what a run cannot easily stage) --------------------------------------

def _history(clock: dict[str, str] | None = None) -> History:
    clock = clock if clock is not None else {"t": "2025-09-23T20:00:00+00:00"}
    return History(now=lambda: clock["t"])


def _fault(history: History, kind: str, fid: str, target: dict) -> None:
    invoked = history.invoke("fail", {"fault": kind, "id": fid}, process="nemesis")
    history.complete(invoked, "ok", {"fault": kind, "id": fid, "target": target})


def _heal(history: History, kind: str, fid: str) -> None:
    invoked = history.invoke("heal", {"fault": kind, "id": fid}, process="nemesis")
    history.complete(invoked, "ok", {"fault": kind, "id": fid})


def _op(history: History, f: str, node: str = "\\INSIDX", value: dict | None = None) -> None:
    history.complete(history.invoke(f, value or {}, node=node), "ok", {})


def _auto_export(history: History, started: str) -> None:
    history.add("ok", "auto-export", process="\\INSIDX.$X1", node="\\INSIDX",
                value={"started": started, "ended": started}, time_=started)


def _fault_then_two_hours(kind: str, fid: str, target: dict) -> History:
    """A history: the fault starts at 20:00, then an `advance` of two hours (the clock at 22:00 when it ends)."""
    clock = {"t": "2025-09-23T20:00:00+00:00"}
    h = _history(clock)
    _fault(h, kind, fid, target)
    invoked = h.invoke("advance", {"by_seconds": 7200})
    clock["t"] = "2025-09-23T22:00:00+00:00"
    h.complete(invoked, "ok", {})
    return h


def test_an_extractor_retry_during_an_advance_sees_the_fault_active_then():
    h = _fault_then_two_hours("link-down", "CUT", {"link": "EXPAND:\\INSIDX-\\ETINIUM"})
    _auto_export(h, "2025-09-23T20:15:00+00:00")     # recorded after the advance, started during it
    _heal(h, "link-down", "CUT")
    found = exercised(list(h), spec=None)
    assert found == {("link-down", "export"): ["CUT"], ("link-down", "transfer"): ["CUT"]}


def test_a_process_started_at_the_instant_of_the_heal_but_after_it_does_not_count():
    h = _fault_then_two_hours("link-down", "CUT", {"link": "EXPAND:\\INSIDX-\\ETINIUM"})
    _heal(h, "link-down", "CUT")
    _op(h, "backup")
    _auto_export(h, "2025-09-23T22:00:00+00:00")     # the backup's automatic export, after the heal
    assert exercised(list(h)) == {}


def test_a_process_recorded_after_the_heal_counts_when_it_started_while_the_fault_was_active():
    h = _fault_then_two_hours("clock-skew", "SKEW", {"node": "\\ETINIUM"})
    _heal(h, "clock-skew", "SKEW")
    _op(h, "mediacom")
    h.add("ok", "auto-import", process="\\ETINIUM.$Y1", node="\\ETINIUM", time_="2025-09-23T22:30:00+00:00",
          value={"started": "2025-09-23T20:30:00+00:00", "ended": "2025-09-23T22:30:00+00:00"})
    assert exercised(list(h)) == {("clock-skew", "import"): ["SKEW"]}


def test_a_fault_started_inside_a_procedure_step_counts_for_the_step_and_its_operations():
    h = _history()
    step = h.invoke("role_swap.7", {"step": "7", "title": "final UPDATE import, LISTONLY restore"})
    _fault(h, "staging-delete", "F1", {"file": "\\ETINIUM.$DATA15.E5CATSYN.VEW1001"})
    _op(h, "import", node="\\ETINIUM")
    h.complete(step, "fail", {}, error="stopped")
    _heal(h, "staging-delete", "F1")
    _op(h, "restore_check", node="\\ETINIUM")
    assert exercised(list(h)) == {("staging-delete", "role swap"): ["F1"], ("staging-delete", "import"): ["F1"],
                                  ("staging-delete", "restore"): ["F1"]}   # the step says it restores, no op did


def test_transfer_counts_only_faults_on_the_way_to_the_staging_area():
    staging = frozenset({"\\ETINIUM"})
    span = fault_spans
    h = _history()
    _fault(h, "link-latency", "A", {"link": "EXPAND:\\INSIDX-\\ETINIUM"})
    _fault(h, "link-down", "B", {"link": "WAN:\\INSIDX-\\ETINIUM"})
    _fault(h, "node-crash", "C", {"node": "\\INSIDX"})
    _fault(h, "node-crash", "D", {"node": "\\ETINIUM"})
    _fault(h, "staging-disk-full", "E", {"node": "\\ETINIUM", "volume": "$DATA15"})
    _fault(h, "clock-skew", "F", {"node": "\\ETINIUM"})
    on_path = {s.id for s in span(list(h)) if on_transfer_path(s, "\\INSIDX", staging)}
    assert on_path == {"A", "D", "E"}
    # with the staging area on the exporting node itself no link or crash lies on the way
    assert {s.id for s in span(list(h)) if on_transfer_path(s, "\\ETINIUM", staging)} == {"E"}


def test_a_refused_fault_start_is_never_active():
    h = _history()
    invoked = h.invoke("fail", {"fault": "staging-delete", "id": "F1"}, process="nemesis")
    h.complete(invoked, "fail", {"fault": "staging-delete", "id": "F1"}, error="no volume was exported yet")
    _op(h, "backup")
    assert fault_spans(list(h)) == [] and exercised(list(h)) == {}


# -- catsync-sim scenarios ------------------------------------------------------------------------------------------

ROWS = [("a-very-long-scenario-name-that-sets-the-column", "minimal",
         "backups while the Expand link drops calls and then goes down; the exports stay pending (error 250) and"
         " the extractor-retried exports finish them"),
        ("short", "topologies/a-rather-long-topology-path-of-a-variant.yaml", "one line"),
        ("mid", "e501-sample", "words " * 30)]


@pytest.mark.parametrize("width, narrow", [(60, True), (100, False), (160, False)])
def test_scenario_listing_aligns_columns_and_wraps_descriptions_at_words(width, narrow):
    lines = scenario_listing([(n, t, " ".join(d.split())) for n, t, d in ROWS], width).splitlines()
    header = lines[0]
    assert header.split() == ["SCENARIO", "TOPOLOGY", "DESCRIPTION"]
    column = header.index("DESCRIPTION")
    blocks: dict[str, list[str]] = {}
    for line in lines[1:]:
        if line.startswith(" "):
            blocks[list(blocks)[-1]].append(line)
        else:
            blocks[line.split()[0]] = [line]
    assert list(blocks) == [r[0] for r in ROWS]
    for name, topology, description in ROWS:
        first, *more = blocks[name]
        words = first.split()
        assert words[:2] == [name, topology]
        assert first.index(topology, len(name)) == header.index("TOPOLOGY")   # the topology column is aligned
        assert words[2:] + [w for line in more for w in line.split()] == description.split(), \
            "the description lost or cut a word"
        if len(words) > 2:
            assert first.index(words[2], first.index(topology) + len(topology)) == column
            assert len(first) <= width
        for line in more:
            assert len(line) <= width
            assert len(line) - len(line.lstrip()) == (4 if narrow else column)
    assert any(len(blocks[name]) > 1 for name, *_ in ROWS), "a long description wraps"


def test_scenarios_command_lists_every_builtin_with_its_whole_description(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "90")
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("SCENARIO")
    assert all(len(line) <= 90 for line in out.splitlines() if line.startswith(" "))
    words = out.split()
    for name, path in builtin_scenarios().items():
        scenario = load_scenario(path)
        assert name in words
        assert " ".join(scenario.description.split()) in " ".join(words)


def test_macros_count_for_the_phase_their_tacl_text_calls():
    h = _history()
    _fault(h, "ems-extractor-stopped", "X", {"node": "\\INSIDX"})
    _op(h, "macro", value={"node": "\\ETINIUM", "text": "BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE"})
    _heal(h, "ems-extractor-stopped", "X")
    _fault(h, "link-loss", "L", {"link": "EXPAND:\\INSIDX-\\ETINIUM"})
    _op(h, "macro", value={"node": "\\INSIDX", "text": "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, TYPE FULL"})
    _op(h, "mediacom", value={"command": "INFO TAPEVOLUME EW1001"})
    assert exercised(list(h)) == {("ems-extractor-stopped", "import"): ["X"], ("link-loss", "export"): ["L"],
                                  ("link-loss", "transfer"): ["L"]}


def test_an_out_folder_holding_a_run_already_is_refused_before_anything_runs(tmp_path, capsys):
    out = tmp_path / "runs"
    (out / "link-cut").mkdir(parents=True)
    (out / "link-cut" / "history.jsonl").write_text("")
    assert main(["coverage", "--scenario", "smoke", "--scenario", "link-cut", "--out", str(out), "--quiet"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert not (out / "smoke").exists()
