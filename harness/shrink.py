"""Shrinking: when a run with a random fault schedule is invalid, search for a smaller schedule that still fails
the same way, and write it as a plain scenario file (`shrunk.yaml` in the run directory).

Delta debugging (ddmin) over removable units: first each fault episode (its `fail` step with the `heal` of the
same id), then each backup. Every trial is a full run with the same seed in `RUN_DIR/shrink/trial-N`; a trial
"still fails" when a checker that was invalid in the original run is invalid again.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import yaml

from harness.scenario import Scenario, Step, load_scenario

MAX_RUNS = 24


def fault_units(steps: list[Step]) -> list[list[int]]:
    """Indices of each fault episode: the `fail` step and the `heal` steps naming its id."""
    units = []
    for i, step in enumerate(steps):
        if step.verb == "fail" and isinstance(step.args, dict) and step.args.get("id"):
            fid = step.args["id"]
            heals = [j for j, s in enumerate(steps) if s.verb == "heal" and s.args == fid]
            units.append([i, *heals])
        elif step.verb == "fail":
            units.append([i])
    return units


def backup_units(steps: list[Step]) -> list[list[int]]:
    return [[i] for i, s in enumerate(steps) if s.verb == "backup"]


def ddmin(units: list[list[int]], fails: Callable[[list[list[int]]], bool], budget: list[int]) -> list[list[int]]:
    """The smallest list of units (by ddmin) for which `fails(kept_units)` still holds; `budget[0]` trials."""
    n = 2
    while len(units) >= 2 and budget[0] > 0:
        size = max(1, len(units) // n)
        chunks = [units[i:i + size] for i in range(0, len(units), size)]
        reduced = False
        for k in range(len(chunks)):
            if budget[0] <= 0:
                break
            complement = [u for j, c in enumerate(chunks) if j != k for u in c]
            budget[0] -= 1
            if fails(complement):
                units, n, reduced = complement, max(n - 1, 2), True
                break
        if not reduced:
            if n >= len(units):
                break
            n = min(len(units), n * 2)
    if len(units) == 1 and budget[0] > 0:
        budget[0] -= 1
        if fails([]):
            return []
    return units


def shrink(scenario: Scenario, result: Any, *, launcher: str = "inprocess", progress: Any = None,
           max_runs: int = MAX_RUNS) -> Path | None:
    """Write `shrunk.yaml` (a smaller scenario failing like `result`) into the run directory; None when the run
    was not invalid or nothing could be removed."""
    from harness.runner import run_scenario  # noqa: PLC0415

    if result.verdict != "invalid":
        return None
    bad = {c["checker"] for c in result.checks if c["verdict"] == "invalid"}
    expanded = load_scenario(result.run_dir / "scenario.yaml")
    steps = list(expanded.steps)
    trial_dir = result.run_dir / "shrink"
    count = [0]

    def run_with(kept: list[int]) -> bool:
        count[0] += 1
        candidate = replace(expanded, steps=tuple(steps[i] for i in sorted(kept)), swarm=None)
        trial = run_scenario(candidate, seed=result.seed, launcher=launcher, out=trial_dir / f"trial-{count[0]}")
        still = any(c["verdict"] == "invalid" and c["checker"] in bad for c in trial.checks)
        if progress is not None:
            progress.phase(f"shrink trial {count[0]}: {len(kept)} steps, {'fails' if still else 'passes'}")
        return still

    budget = [max_runs]
    removable_faults = fault_units(steps)
    fixed = set(range(len(steps))) - {i for u in removable_faults for i in u}

    def keep(units: list[list[int]], others: set[int]) -> list[int]:
        return sorted(others | {i for u in units for i in u})
    faults = ddmin(removable_faults, lambda units: run_with(keep(units, fixed)), budget)
    kept = set(keep(faults, fixed))
    backups = backup_units([steps[i] for i in sorted(kept)])
    index_of = sorted(kept)
    b_units = [[index_of[i] for i in u] for u in backups]
    rest = kept - {i for u in b_units for i in u}
    if budget[0] > 0 and b_units:
        b_units = ddmin(b_units, lambda units: run_with(keep(units, rest)), budget)
        kept = set(keep(b_units, rest))
    if len(kept) == len(steps):
        return None
    shrunk = replace(expanded, name=f"{scenario.name}-shrunk", steps=tuple(steps[i] for i in sorted(kept)),
                     swarm=None, description=f"shrunk from {len(steps)} to {len(kept)} steps (seed {result.seed}); "
                                             f"still invalid: {', '.join(sorted(bad))}")
    path = result.run_dir / "shrunk.yaml"
    text = shrunk.to_yaml()
    yaml.safe_load(text)   # what we write must load again
    path.write_text(f"# catsync-sim run {path} --seed {result.seed}\n{text}")
    return path
