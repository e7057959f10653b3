r"""The checkers: pure functions of a run's history and its state dumps, each returning valid / invalid / unknown
with typed evidence. They read only `history.jsonl` and `dumps/*.json`, so a stored run can be re-checked
offline (`catsync-sim check RUN_DIR`), and they never import the product: they are an independent oracle of the
rules (harness.checkers.expected says what the secondary should hold).

    results = run_checkers(events, dumps, rpo_limit_seconds=3600)
    overall(results)            # "invalid" | "unknown" | "valid"

| checker | module | question |
|---|---|---|
| consistency | consistency.py | does each secondary store hold what its primary exported (typed diff)? |
| recoverability | recoverability.py | can the secondary restore what the primary could (catalog, image, key)? |
| rpo | rpo.py | how much newer is the primary's newest restorable backup than the secondary's? |
| label-uniqueness | labels.py | is every label cataloged once per SSL search space and per domain (R3, R13)? |
| fileid-collisions | labels.py | does a FILECAT fed by imports clash with local backups (R42)? |
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from harness.checkers.consistency import check_consistency
from harness.checkers.dumps import Dump
from harness.checkers.labels import check_fileid_collisions, check_label_uniqueness
from harness.checkers.recoverability import check_recoverability
from harness.checkers.result import INVALID, UNKNOWN, VALID, CheckResult, combine, result
from harness.checkers.rpo import check_rpo
from harness.checkers.syncs import FINAL
from harness.errors import HarnessError, RunDirError
from harness.history import Event, read_history

Checker = Callable[..., CheckResult]

CHECKERS: dict[str, Checker] = {
    "consistency": check_consistency,
    "recoverability": check_recoverability,
    "rpo": check_rpo,
    "label-uniqueness": check_label_uniqueness,
    "fileid-collisions": check_fileid_collisions,
}

__all__ = ["CHECKERS", "INVALID", "UNKNOWN", "VALID", "CheckResult", "check_run_dir", "overall", "run_checkers"]


def run_checkers(events: list[Event], dumps: dict[str, dict], *, rpo_limit_seconds: int | None = None,
                 only: list[str] | None = None) -> list[CheckResult]:
    """Run the checkers (all, or the ones named in `only`, in registry order) on a history and its dumps (name ->
    Control.DumpState JSON as a dict; "final" is the state to judge). A checker that fails on a malformed dump
    returns `unknown` naming the problem rather than hiding the other checkers' answers."""
    names = list(CHECKERS) if not only else list(only)
    unknown_names = [n for n in names if n not in CHECKERS]
    if unknown_names:
        raise HarnessError(f"unknown checker {', '.join(unknown_names)}: choose from {', '.join(CHECKERS)}")
    views: dict[str, Dump] = {}
    bad: dict[str, str] = {}
    for name, data in dumps.items():
        try:
            views[name] = Dump(name, data)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            bad[name] = str(exc)
    out = []
    for name in (n for n in CHECKERS if n in names):
        if FINAL in bad:
            out.append(result(name, UNKNOWN, f"the final dump is malformed: {bad[FINAL]}"))
            continue
        try:
            out.append(CHECKERS[name](list(events), views, rpo_limit_seconds=rpo_limit_seconds))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # a dump of another shape than the checker knows: say so, do not take the other checkers down
            out.append(result(name, UNKNOWN, f"cannot read the state dumps ({type(exc).__name__}: {exc})"))
    return out


def overall(results: list[CheckResult] | list[dict]) -> str:
    """invalid if any result is invalid, else unknown if any is unknown, else valid."""
    return combine(r["verdict"] if isinstance(r, dict) else r.verdict for r in results)


def check_run_dir(run_dir: Path | str, **kw: Any) -> list[CheckResult]:
    """Re-check a stored run: its `history.jsonl` and `dumps/*.json` (keyword arguments as for run_checkers)."""
    run_dir = Path(run_dir)
    history = run_dir / "history.jsonl"
    if not run_dir.is_dir():
        raise RunDirError(f"{run_dir} is not a directory: give the run directory `catsync-sim run` wrote")
    if not history.is_file():
        raise RunDirError(f"{history} is missing: a run directory holds history.jsonl and dumps/final.json")
    try:
        events = read_history(history)
    except ValueError as exc:
        raise RunDirError(f"{exc}: re-run the scenario to get a complete history") from None
    dumps_dir = run_dir / "dumps"
    if not (dumps_dir / f"{FINAL}.json").is_file():
        raise RunDirError(f"{dumps_dir / 'final.json'} is missing: the run ended before its final dump; re-run it"
                          " (the dump is taken after heal and settle)")
    dumps: dict[str, dict] = {}
    for path in sorted(dumps_dir.glob("*.json")):
        try:
            dumps[path.stem] = json.loads(path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RunDirError(f"{path} is not JSON ({exc}): the file is damaged; re-run the scenario") from None
        if not isinstance(dumps[path.stem], dict) or "nodes" not in dumps[path.stem]:
            raise RunDirError(f"{path} is not a state dump (no 'nodes'): dumps/ holds Control.DumpState JSON only")
    return run_checkers(events, dumps, **kw)
