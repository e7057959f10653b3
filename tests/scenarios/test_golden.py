"""The golden library: every built-in scenario (`catsync-sim scenarios`) must end `valid` under each launcher, and
every one must say in its file what it is for. A scenario that stops being valid names its seed, the command that
replays it and the checks that failed, so the failure can be reproduced with one command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.runner import RunResult, run_scenario
from harness.scenario import builtin_scenarios, load_scenario

RULE = re.compile(r"\bR([1-9]|[1-5][0-9])\b")          # domain-facts rules R1..R59
LAUNCHERS = ("inprocess", "subprocess")


def _leading_comment(path: Path) -> str:
    """The comment block a scenario file opens with (YAML `#` lines, or a Python file's `#` lines / docstring)."""
    text = path.read_text()
    if path.suffix == ".py":
        found = re.match(r'\s*(?:#[^\n]*\n)*\s*(?:"""(.*?)"""|\'\'\'(.*?)\'\'\')?', text, re.S)
        comments = "".join(line for line in text.splitlines(True) if line.startswith("#"))
        return comments + (next((g for g in found.groups() if g), "") if found else "")
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def _rules(path: Path) -> list[str]:
    return sorted({f"R{m}" for m in RULE.findall(_leading_comment(path))}, key=lambda r: int(r[1:]))


def _params() -> list:
    params = []
    for name, path in builtin_scenarios().items():
        rules = [pytest.mark.rule(r) for r in _rules(path)]
        for launcher in LAUNCHERS:
            marks = [*rules, *([pytest.mark.slow] if launcher != "inprocess" else [])]
            params.append(pytest.param(name, launcher, marks=marks, id=f"{name}-{launcher}"))
    return params


def _failed_check_steps(result: RunResult) -> list[str]:
    """`check` steps in the middle of the run that found something invalid and that no following
    `expect: {last: check, type: fail}` claims as intended. The verdict counts only the final checkers and the
    expectations, so a golden scenario's own checks are held to account here."""
    history = result.run_dir / "history.jsonl"
    if not history.is_file():
        return []
    failed, pending = [], None
    for line in history.read_text().splitlines():
        event = json.loads(line)
        spec = event.get("value") if isinstance(event.get("value"), dict) else {}
        if event.get("f") == "check" and event.get("type") == "invoke":
            failed += [pending] if pending else []
            pending = None
        elif event.get("f") == "check" and event.get("type") == "fail":
            pending = f"event #{event.get('index')} at {event.get('time')}: {event.get('error', '')}"
        elif event.get("f") == "expect" and event.get("type") == "invoke" and spec.get("last") == "check":
            if pending and spec.get("type") == "fail":
                pending = None
    return failed + ([pending] if pending else [])


def _explain(result: RunResult) -> str:
    lines = [f"scenario {result.scenario} ended {result.verdict} (seed {result.seed}, launcher {result.launcher},"
             f" {result.wall_seconds:.1f} s)", f"replay: {result.replay}", f"run directory: {result.run_dir}"]
    if result.error:
        lines.append(f"error: {result.error}")
    for check in result.checks:
        if check["verdict"] != "valid":
            lines.append(f"  {check['verdict']} {check['checker']}: {check['summary']}")
            for item in (check.get("evidence") or [])[:5]:
                lines.append(f"      {json.dumps(item, sort_keys=True, default=str)[:300]}")
    for step in _failed_check_steps(result):
        lines.append(f"  check step failed, {step[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "launcher"), _params())
def test_builtin_scenario_is_valid(name: str, launcher: str, tmp_path: Path, record_property) -> None:
    result = run_scenario(name, launcher=launcher, out=tmp_path / f"{name}-{launcher}")
    record_property("wall_seconds", result.wall_seconds)
    assert result.verdict == "valid" and not _failed_check_steps(result), _explain(result)
    assert result.seed == load_scenario(name).seed, "a golden scenario runs with the seed its file names"
    assert result.replay.startswith(f"catsync-sim run {name} --seed {result.seed}")
    # a loopback address in the history (a port chosen at start) would make one seed give several histories
    ports = re.findall(r"127\.0\.0\.1:\d+", (result.run_dir / "history.jsonl").read_text())
    assert not ports, f"the history names loopback addresses {sorted(set(ports))[:3]}: name services instead"


@pytest.mark.parametrize("name", list(builtin_scenarios()))
def test_builtin_scenario_says_what_it_is_for(name: str) -> None:
    """`catsync-sim scenarios` lists each scenario by a one-line description, and the file opens with a comment
    naming the rules it exercises."""
    path = builtin_scenarios()[name]
    description = load_scenario(name).description
    assert description, f"{path}: give the scenario a description: (the line `catsync-sim scenarios` prints)"
    assert "\n" not in description, f"{path}: the description is one line, not {description!r}"
    assert _leading_comment(path).strip(), f"{path}: open the file with a comment saying what it exercises"
    assert _rules(path), (f"{path}: the opening comment names no rule of domain-facts.md (R1..R59): say which"
                          " rules the scenario exercises, e.g. '# R28: ...'")


def test_the_library_holds_the_golden_scenarios() -> None:
    """The scenarios this library was built with stay built in (a renamed or lost file would silently drop out
    of the parametrised runs above)."""
    golden = {"smoke", "link-cut", "swarm", "backup-during-link-loss", "export-killed-mid-run",
              "import-crash-at-every-commit-point", "ems-extractor-down-weekend", "staging-disk-full",
              "corrupted-staging-file", "swarm-30-days"}
    assert golden <= set(builtin_scenarios()), sorted(golden - set(builtin_scenarios()))
