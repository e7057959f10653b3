"""The 30-simulated-day scenario (issue 6): daily backups of 20 volumes, automatic exports, nightly imports and a
monthly FULL, run by the scenario runner with its checkers; against a baseline measured in the same run: the same
backups and days with no import and no final export / import (what the platform alone costs).

    python benchmarks/thirty_days.py [--days N] [--launcher inprocess|subprocess]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from harness.runner import Progress, run_scenario
from harness.scenario import Step, load_scenario

HERE = Path(__file__).resolve().parent / "scenarios"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--launcher", default="inprocess")
    opts = parser.parse_args()
    full = load_scenario(str(HERE / "thirty-days.yaml"))
    day = full.steps[0].args["steps"]
    full = replace(full, steps=(Step("repeat", {"times": opts.days, "steps": day}), *full.steps[1:]))
    baseline = replace(full, name="thirty-days-baseline", final={"export": None, "import": None},
                       steps=(Step("repeat", {"times": opts.days, "steps": tuple(s for s in day if s.verb != "import")}),))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in (baseline, full):
            started = time.monotonic()
            result = run_scenario(scenario, launcher=opts.launcher, out=Path(tmp) / scenario.name,
                                  progress=Progress(live=False))
            wall = time.monotonic() - started
            backups = sum(1 for line in (result.run_dir / "history.jsonl").read_text().splitlines()
                          if '"f":"backup"' in line and '"type":"ok"' in line)
            rows.append((scenario.name, wall, result.events, backups, result.verdict))
    base = rows[0][1]
    print(f"\n{'run':<22} {'wall s':>8} {'events':>7} {'backups':>8} {'sim days/s':>10} {'vs baseline':>11} verdict")
    for name, wall, events, backups, verdict in rows:
        print(f"{name:<22} {wall:>8.1f} {events:>7} {backups:>8} {opts.days / wall:>10.2f} {wall / base:>10.2f}x"
              f" {verdict}")


if __name__ == "__main__":
    main()
