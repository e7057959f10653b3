"""`catsync-sim demo`: the DR drill told as a story, run as a person runs it (a subprocess, its stdout a pipe), plus
the options a trainer uses: --list, --step, --real-time, a story that does not exist."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.demo import PROMPT, StoryView
from harness.history import Event
from harness.scenario import builtin_scenarios, load_scenario

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[")


def _demo(*args: str, cwd: Path, stdin: str | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "harness.cli", "demo", *args], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=timeout,
                          **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}))


@pytest.mark.rule("R28")
def test_demo_tells_the_dr_drill_and_writes_its_timeline_when_run_with_defaults(tmp_path):
    run_dir = tmp_path / "drill"
    started = time.monotonic()
    proc = _demo("--out", str(run_dir), cwd=tmp_path)
    wall = time.monotonic() - started
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:] + proc.stderr[-3000:]
    assert wall < 60, f"the README's first command must finish well under a minute; it took {wall:.1f} s"
    # every line of narration is told, in the story's order
    says = [" ".join(s.args.split()) for s in load_scenario("dr-drill").steps if s.verb == "say"]
    flowing = " ".join(out.split())
    positions = [flowing.find(text) for text in says]
    assert -1 not in positions, [t for t, p in zip(says, positions) if p == -1]
    assert positions == sorted(positions)
    # what the operator sees, indented: EMS lines, status pages, the import report, MEDIACOM output
    assert re.search(r"^ +\| E501NEW-E3280 .*error 250", out, re.MULTILINE)
    assert re.search(r"^ +\| E501NEW-I3279 .*\(2 volumes processed\)", out, re.MULTILINE)
    assert re.search(r"^ +\| Export Status of data store DS_WIN1_DES", out, re.MULTILINE)
    assert re.search(r"^ +\| Import Status of data store E501_WIN1_SND", out, re.MULTILINE)
    assert re.search(r"^ +\| YINE500-W3332 ", out, re.MULTILINE)
    assert re.search(r"^ +\| \S+ +\d+ +\d+ .* VALID .*\\ETINIUM\.SHCH409FC$", out, re.MULTILINE)   # INFO TAPEFILE
    # operations, faults and background processes in plain words; the time at both sites
    assert "FAULT CUT starts: link-down" in out and "FAULT CUT healed" in out
    assert re.search(r"the EMS extractor \\INSIDX\.\$BBEXT re-initiates the export \(R28\).* FAILED", out)
    assert re.search(r"the EMS extractor \\INSIDX\.\$BBEXT re-initiates the export \(R28\).* completed", out)
    assert re.search(r"NetBatch starts the import: BBCSIMP \\ETINIUM\.\$\w+ completed", out)
    assert re.search(r"test restore at \\ETINIUM of .*the data matches what the backup wrote", out)
    assert "(15:00 on \\INSIDX, 20:00 on \\ETINIUM)" in out
    # the role swap (R55): its heading, each of its 11 steps as it starts, its measures; then the restore the
    # other way round, at \INSIDX of a backup written on \ETINIUM
    assert re.search(r"^ROLE SWAP - .*\(11 steps\)$", out, re.MULTILINE)
    steps = re.findall(r"^  step (\d+) of 11: ", out, re.MULTILINE)
    assert steps == [str(n) for n in range(1, 12)], steps
    assert re.search(r"^  \* role swap completed: RPO 0s, RTO \d", out, re.MULTILINE)
    assert re.search(r"^ +\| Export Status of data store E501_WIN1_SND \(domain YINE500\)", out, re.MULTILINE)
    assert re.search(r"test restore at \\INSIDX of \S+ gen \d+: .*the data matches what the backup wrote", out)
    assert "UNEXPECTED" not in out
    # the verdicts, and timeline.html by its absolute path
    assert re.search(r"^  valid +expectations +\d+ of \d+ expectations held", out, re.MULTILINE)
    assert "\nVALID: dr-drill (seed 501)" in out
    timeline = Path(re.search(r"^timeline: (.+)$", out, re.MULTILINE).group(1))
    assert timeline.is_absolute() and timeline == (run_dir / "timeline.html").resolve() and timeline.is_file()
    assert json.loads((run_dir / "results.json").read_text())["verdict"] == "valid"
    assert not ANSI.search(out), "colour only on a terminal"


def test_list_names_the_drill_first_then_every_builtin_scenario(tmp_path):
    proc = _demo("--list", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = [line.split()[0] for line in proc.stdout.splitlines()[1:]]
    assert names[0] == "dr-drill"
    assert sorted(names) == sorted(builtin_scenarios()) and "smoke" in names
    smoke = next(line for line in proc.stdout.splitlines() if line.split()[:1] == ["smoke"])
    assert load_scenario("smoke").description.split()[0] in smoke


def test_step_waits_for_enter_after_each_step_when_asked(tmp_path):
    steps = len(load_scenario("smoke").steps)
    proc = _demo("smoke", "--step", "--out", str(tmp_path / "run"), cwd=tmp_path, stdin="\n" * (steps + 5))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count(f"-- {PROMPT} --") == steps


def test_step_goes_on_without_waiting_at_the_end_of_input_and_writes_under_the_current_directory(tmp_path):
    proc = _demo("smoke", "--step", cwd=tmp_path, timeout=120)    # stdin is /dev/null: EOF at once
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count(f"-- {PROMPT} --") == 1
    run_dir = tmp_path / "catsync-runs" / "demo-smoke-seed1"
    assert (run_dir / "timeline.html").is_file()
    assert f"run directory: {run_dir.resolve()} (a new folder under the current directory)" in proc.stdout


def test_real_time_waits_on_the_wall_clock_and_still_ends_with_the_final_sync(tmp_path):
    story = tmp_path / "tiny.yaml"
    story.write_text("name: tiny\ndescription: one backup, then half an hour on the real clock\ntopology: minimal\n"
                     "steps:\n  - backup: 1\n  - say: Half an hour passes.\n  - advance: 30m\n")
    rate = 900.0                                      # 30 virtual minutes = 2 wall seconds
    proc = _demo(str(story), "--real-time", f"{rate:g}", "--out", str(tmp_path / "run"), cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "real clock, 900 virtual seconds per wall second" in proc.stdout
    assert "waiting 30m of virtual time, 2.0 s on the wall clock" in proc.stdout
    events = [json.loads(line) for line in (tmp_path / "run" / "history.jsonl").read_text().splitlines()]
    invoke, done = [e for e in events if e["f"] == "advance" and e["value"].get("by_seconds") == 1800]
    assert done["wall"] - invoke["wall"] >= 1800 / rate - 0.05
    # the run's end on the real clock: the final export and import ran, and the checkers passed
    assert [e["f"] for e in events if e["type"] == "ok" and e["f"] in ("export", "import")][-2:] == ["export", "import"]
    assert "\nVALID: tiny (seed 1)" in proc.stdout


def test_an_unknown_story_exits_2_and_lists_the_stories(tmp_path):
    proc = _demo("no-such-drill", cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert "no scenario named 'no-such-drill'" in proc.stderr
    assert re.search(r"^  dr-drill ", proc.stderr, re.MULTILINE) and re.search(r"^  smoke ", proc.stderr, re.MULTILINE)
    assert not (tmp_path / "catsync-runs").exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stream, coloured", [(_Terminal, True), (io.StringIO, False)])
def test_the_story_is_coloured_only_on_a_terminal(stream, coloured, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = stream()
    view = StoryView(out)
    view.event(Event(0, "ok", "say", value={"text": "The Expand link goes down."}, time="2025-09-23T20:00:00+00:00"))
    view.event(Event(1, "invoke", "import", node="\\ETINIUM", time="2025-09-23T20:00:00+00:00",
                     value={"data_store": "E501_WIN1_SND", "type": "UPDATE", "trigger": "UI"}))
    view.event(Event(2, "fail", "import", node="\\ETINIUM", error="R17: E501_WIN1_SND is not SECONDARY",
                     time="2025-09-23T20:00:00+00:00"))
    text = out.getvalue()
    assert bool(ANSI.search(text)) is coloured
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "The Expand link goes down." in plain
    assert "import UPDATE of E501_WIN1_SND (UI) FAILED: R17: E501_WIN1_SND is not SECONDARY" in plain


def test_the_run_directory_is_a_temporary_folder_when_the_current_directory_is_not_writable(tmp_path, monkeypatch):
    from harness import demo

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(demo.os, "access", lambda path, mode: False)
    path, kind = demo._default_run_dir("dr-drill", 501)
    try:
        assert path.is_dir() and not any(path.iterdir()) and tmp_path not in path.parents
        assert "temporary folder" in kind
    finally:
        path.rmdir()
