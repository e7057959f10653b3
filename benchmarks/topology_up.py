"""Topology up time per launcher: `start_topology` until it returns (every node serving, catalogs and BackBox
configured, the `initial` snapshot taken), then `close`, for the built-in two-node topology and the E5.01 sample
(tests/catsync/sample_e501.py). In-process and subprocess are measured in the same run, alternately, so the
ratio compares like with like on a shared machine. Prints the best and median seconds of each and the ratio of
subprocess to in-process (best against best).

    python benchmarks/topology_up.py [--runs 5]
"""

from __future__ import annotations

import os

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # tests.catsync.sample_e501

from harness.launcher import start_topology  # noqa: E402
from tests.catsync.sample_e501 import sample_topology_dict  # noqa: E402

LAUNCHERS = ("inprocess", "subprocess")


def measure(source, launcher: str) -> tuple[float, float]:
    """(seconds to start, seconds to close)."""
    t0 = time.perf_counter()
    topo = start_topology(source, launcher=launcher)
    t1 = time.perf_counter()
    topo.close()
    return t1 - t0, time.perf_counter() - t1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="starts per topology and launcher (default 5)")
    args = ap.parse_args(argv)
    topologies = {"two-node": lambda: "two-node", "E5.01 sample": sample_topology_dict}
    print(f"{'topology':<14} {'launcher':<11} {'up best s':>9} {'up median s':>11} {'close s':>8} {'ratio':>6}")
    for title, source in topologies.items():
        measure(source(), "inprocess")   # warm the imports and the OS caches once
        ups: dict[str, list[float]] = {name: [] for name in LAUNCHERS}
        closes: dict[str, list[float]] = {name: [] for name in LAUNCHERS}
        for _ in range(args.runs):
            for launcher in LAUNCHERS:
                up, down = measure(source(), launcher)
                ups[launcher].append(up)
                closes[launcher].append(down)
        base = min(ups["inprocess"])
        for launcher in LAUNCHERS:
            best = min(ups[launcher])
            print(f"{title:<14} {launcher:<11} {best:>9.3f} {statistics.median(ups[launcher]):>11.3f}"
                  f" {statistics.median(closes[launcher]):>8.3f} {best / base:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
