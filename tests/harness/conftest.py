"""Shared fixtures of the harness tests: the built-in `minimal` DR pair, started for one test and driven by
`harness.sim.Sim`, and a reader of the nemesis's events in a history."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pytest

from harness.history import INVOKE, NEMESIS, OK, Event, History, pairs

if TYPE_CHECKING:   # loaded by the fixture: a broken launcher fails its tests, not every harness test's collection
    from harness.sim import Sim


@contextmanager
def started_sim(topology: str, state_dir: Path, seed: int) -> Iterator["Sim"]:
    """A built-in topology started with a Sim of `seed` and its workload; faults still active at the end are
    healed before the topology stops (STYLE habit 7)."""
    from harness.launcher import start_topology  # noqa: PLC0415
    from harness.sim import Sim  # noqa: PLC0415
    from harness.workload import Workload  # noqa: PLC0415

    topo = start_topology(topology, state_dir=state_dir)
    try:
        sim = Sim(topo, History(), seed=seed, workload=Workload(seed, topo.spec))
        try:
            yield sim
        finally:
            sim.heal("all")
    finally:
        topo.close()


@pytest.fixture
def dr_pair(tmp_path: Path) -> Iterator["Sim"]:
    """`minimal` (DS_WIN1_DES on \\INSIDX exporting to E501_WIN1_SND on \\ETINIUM) with a seed-1 Sim."""
    with started_sim("minimal", tmp_path / "state", 1) as sim:
        yield sim


def nemesis_ops(history: History, f: str, fault_id: str) -> list[tuple[Event, Event | None]]:
    """The nemesis's `f` ("fail" / "heal") operations of one fault id: (invoke, completion) pairs."""
    return [(a, b) for a, b in pairs(history) if a.process == NEMESIS and a.f == f and a.type == INVOKE
            and (a.value or {}).get("id") == fault_id]


def assert_fault_recorded(history: History, fault_id: str, kind: str, target: dict[str, Any]) -> None:
    """The history holds exactly one `fail` invoke / ok pair and then one `heal` invoke / ok pair of the fault,
    each naming its id and kind, the completions its target (rundir.md: a fault's span is fail ok .. heal ok)."""
    spans = []
    for f in ("fail", "heal"):
        ops = nemesis_ops(history, f, fault_id)
        assert len(ops) == 1, f"expected one {f} operation of {fault_id}, got {ops}"
        invoked, done = ops[0]
        assert done is not None and done.type == OK, f"{f} {fault_id} did not complete ok: {done}"
        assert invoked.value["fault"] == kind and done.value["fault"] == kind
        assert done.value["id"] == fault_id
        for key, value in target.items():
            assert done.value["target"].get(key) == value, (f, key, done.value["target"])
        spans.append(done.index)
    assert spans[0] < spans[1], "the heal must come after the fault started"


# -- Sim helpers ---------------------------------------------------------------------------------------------------

def settled_backup(sim: Sim, count: int = 1, **options: Any) -> list[str]:
    """`count` seeded backups (workload options as in a backup step), then a zero advance so their automatic
    exports (R27) end; the first label of each."""
    done = sim.backup(count=count, **options)
    assert len(done) == count, sim.history.events[-1]
    sim.advance(0)
    return [b["labels"][0] for b in done]


def last_op(sim: Sim, f: str) -> Event:
    """The completion of the latest harness or observed operation `f` (not the nemesis's)."""
    return next(e for e in reversed(sim.history.events) if e.f == f and e.type != INVOKE and e.process != NEMESIS)


def expect(sim: Sim, **spec: Any) -> bool:
    """The `expect` verb, judged by its completion event: Sim.expect itself returns True even when the expectation
    failed (Sim._op pops the value's "error" before expect looks for it)."""
    sim.expect(**spec)
    return last_op(sim, "expect").type == OK


def on_secondary(sim: Sim, label: str, present: bool = True) -> bool:
    """Whether the volume is (present=True) or is not in the secondary domain's BackBox catalog, as expected."""
    return expect(sim, volume=label, present=present)


def assert_step_rejected(step: str, message: str) -> None:
    """A one-step scenario with `step` is refused at parse time, naming its line (4) and `message`."""
    from harness.errors import ScenarioError  # noqa: PLC0415
    from harness.scenario import parse_scenario  # noqa: PLC0415

    with pytest.raises(ScenarioError) as bad:
        parse_scenario(f"name: t\ntopology: minimal\nsteps:\n  - {step}\n", "t.yaml")
    assert "t.yaml:4" in str(bad.value) and message in str(bad.value), str(bad.value)
