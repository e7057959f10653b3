"""Fault points: fire at the Nth matching hit, optionally repeatedly, filtered by node and program."""

from __future__ import annotations

import pytest

from emulator.errors import InvalidArgument
from emulator.faults import KILL_PROCESS, FaultPoint, FaultPoints


def test_point_fires_at_the_nth_hit_only_when_not_repeating():
    points = FaultPoints()
    points.arm(FaultPoint("import.after_commit", KILL_PROCESS, on_hit=3))
    fired = [points.hit("import.after_commit") is not None for _ in range(5)]
    assert fired == [False, False, True, False, False]
    assert points.list()[0].hits == 5 and points.list()[0].fired == 1


def test_point_fires_from_the_nth_hit_on_when_repeating():
    points = FaultPoints()
    points.arm(FaultPoint("x", KILL_PROCESS, on_hit=2, repeat=True))
    assert [points.hit("x") is not None for _ in range(4)] == [False, True, True, True]


def test_point_ignores_hits_from_other_nodes_and_programs_when_filtered():
    points = FaultPoints()
    points.arm(FaultPoint("x", KILL_PROCESS, node="\\etinium", program="bbcsimp"))
    assert points.hit("x", "\\INSIDX", "BBCSIMP") is None
    assert points.hit("x", "\\ETINIUM", "BBCSEXP") is None
    assert points.hit("x", "\\ETINIUM", "BBCSIMP") is not None


def test_disarmed_point_never_fires():
    points = FaultPoints()
    points.arm(FaultPoint("x", KILL_PROCESS))
    points.disarm("x")
    assert points.hit("x") is None


@pytest.mark.parametrize("point,fragment", [
    (FaultPoint("", KILL_PROCESS), "needs a name"),
    (FaultPoint("x", "EXPLODE"), "not one of"),
    (FaultPoint("x", KILL_PROCESS, on_hit=0), "1 or more"),
])
def test_bad_fault_point_is_rejected_when_armed(point, fragment):
    with pytest.raises(InvalidArgument, match=fragment):
        FaultPoints().arm(point)
