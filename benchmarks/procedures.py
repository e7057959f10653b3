"""RPO and RTO of every DR procedure, as the harness measures them: each procedure runs once in a scenario on its
topology (backups first, some of them replicated and some not, as the procedure's situation needs), and the
procedure's own completion event gives its RPO (the newest backup of the site that wrote them minus the newest one
the other site can restore) and RTO (from the procedure's start to the end of the step after which the new
primary can take backups, or to the end of the change for the configuration procedures), in virtual time. The
wall time of each run is printed next to a baseline run of the same scenario without the procedure.

    python benchmarks/procedures.py [--only NAME ...] [--seed N]
"""

from __future__ import annotations

import os

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import argparse
import sys
import tempfile
import time
from pathlib import Path

from harness.history import read_history
from harness.procedures import PROCEDURES
from harness.procedures.samples import SAMPLES, sample_scenario
from harness.runner import run_scenario

def _duration(seconds: object) -> str:
    if not isinstance(seconds, int):
        return "-"
    if seconds % 3600 == 0 and seconds:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=sorted(SAMPLES), help="measure only these procedures")
    parser.add_argument("--seed", type=int, default=3)
    opts = parser.parse_args(argv)
    names = [n for n in SAMPLES if n in PROCEDURES and (not opts.only or n in opts.only)]
    out = Path(tempfile.mkdtemp(prefix="catsync-procedures-"))
    rows, failed = [], []
    print(f"{'procedure':<24} {'topology':<12} {'verdict':<8} {'RPO':>8} {'RTO':>8} {'wall s':>7} {'baseline s':>10}"
          f" {'ratio':>6}")
    for n, name in enumerate(names, 1):
        topology = SAMPLES[name][0]
        began = time.monotonic()
        run_scenario(sample_scenario(name, opts.seed, baseline=True), seed=opts.seed,
                            out=out / f"{name}-baseline")
        base_wall = time.monotonic() - began
        began = time.monotonic()
        result = run_scenario(sample_scenario(name, opts.seed), seed=opts.seed, out=out / name)
        wall = time.monotonic() - began
        events = read_history(out / name / "history.jsonl")
        done = next((e for e in reversed(events) if e.f == name and e.type != "invoke"), None)
        value = done.value if done is not None and isinstance(done.value, dict) else {}
        rpo, rto = value.get("rpo_seconds"), value.get("rto_seconds")
        verdict = result.verdict if done is not None and done.type == "ok" else f"{done.type if done else 'none'}"
        if verdict != "valid":
            failed.append(f"{name}: {result.error or (done.error if done else 'no completion')} ({result.replay})")
        rows.append((name, topology, verdict, rpo, rto))
        print(f"{name:<24} {topology:<12} {verdict:<8} {_duration(rpo):>8} {_duration(rto):>8} {wall:7.1f}"
              f" {base_wall:10.1f} {wall / max(base_wall, 1e-9):6.2f}   [{n}/{len(names)}]", flush=True)
    print("\n| procedure | topology | RPO | RTO |\n|---|---|---|---|")
    for name, topology, verdict, rpo, rto in rows:
        print(f"| `{name}` | {topology} | {_duration(rpo)} | {_duration(rto)} |")
    for line in failed:
        print(f"not valid: {line}", file=sys.stderr)
    print(f"run directories: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
