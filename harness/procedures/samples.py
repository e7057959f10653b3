"""One sample scenario per DR procedure: the situation it is measured in (benchmarks/procedures.py prints their
RPO and RTO for the README) and the run every launcher must pass (tests/scenarios/test_procedures.py)."""

from __future__ import annotations

from harness.scenario import Scenario, parse_scenario

SYNCED = """\
  - backup: 3
  - advance: 1h
  - import: UPDATE
  - backup: 2
"""
# name -> (topology, steps before the procedure, the procedure's arguments, steps after it)
SAMPLES: dict[str, tuple[str, str, str, str]] = {
    "role_swap": ("minimal", SYNCED, "{}", ""),
    "unplanned_failover": ("minimal", SYNCED + "  - fail: storage-replication-pause\n  - backup: 2\n", "{}", ""),
    "failback": ("minimal", SYNCED + "  - unplanned_failover: {}\n  - backup: 2\n", "{}", ""),
    "transfer_without_expand": ("no-expand", "  - backup: 3\n", "{}", ""),
    "qorestor_dr": ("qorestor-dr", "", "{}", ""),
    "stop_exports": ("minimal", SYNCED, "{}", ""),
    "stop_imports": ("minimal", SYNCED, "{}", ""),
    "abandon_secondary": ("minimal", SYNCED, "{delete_images: true}", ""),
    "abandon_primary": ("minimal", SYNCED, "{}", ""),
    "migrate_datastore": ("minimal", SYNCED, "{}", "  - backup: 1\n"),
}


def sample_scenario(name: str, seed: int = 3, *, baseline: bool = False) -> Scenario:
    """The sample of procedure `name`; `baseline`: the same scenario without the procedure (a clock advance of
    nothing in its place), for a wall-time ratio. Scenarios on no-expand end with the procedure (no final export
    can cross the sites there, R56)."""
    topology, before, args, after = SAMPLES[name]
    step = "  - advance: 0\n" if baseline else f"  - {name}: {args}\n"
    final = "final: none\n" if topology == "no-expand" else ""
    label = f"sample-{name}{'-baseline' if baseline else ''}"
    text = f"name: {label}\ntopology: {topology}\nseed: {seed}\n{final}steps:\n{before}{step}{after}"
    return parse_scenario(text, f"{label}.yaml")
