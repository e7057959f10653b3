"""The packages' public doors are small and pinned."""

from __future__ import annotations

import catsync
import emulator
import harness


def test_emulator_exports_are_pinned():
    assert sorted(emulator.__all__) == ["Clock", "EmulatorError", "FaultPoint", "FaultPoints", "LinkFault",
                                        "LinkProxy", "Node", "NodeConfig"]


def test_harness_exports_are_pinned():
    assert sorted(harness.__all__) == ["Topology", "TopologyError", "TopologySpec", "builtin_topologies",
                                       "load_topology", "start_topology"]


def test_catsync_exports_are_pinned():
    assert catsync.__all__ == ["CatsyncError"]


def test_every_export_exists():
    for module in (emulator, harness, catsync):
        for name in module.__all__:
            assert hasattr(module, name)
