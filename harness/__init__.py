"""The harness: topologies, launchers, scenarios (verbs, workload, nemesis), history, checkers, the run
directory, the CLI and the pytest plugin.

The public names load lazily, so `import harness` (and the pytest plugin that imports it) stays cheap until a
topology or a run is actually used.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

# gRPC core logs closed connections at INFO on stderr; people reading harness output want errors only.
# Set before grpc loads (the launcher imports it); an explicit GRPC_VERBOSITY still wins.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

_DOORS = {
    "Topology": "harness.launcher", "start_topology": "harness.launcher",
    "TopologyError": "harness.topology", "TopologySpec": "harness.topology",
    "builtin_topologies": "harness.topology", "load_topology": "harness.topology",
    "HarnessError": "harness.errors", "ScenarioError": "harness.errors",
    "Scenario": "harness.scenario", "load_scenario": "harness.scenario",
    "RunResult": "harness.runner", "run_scenario": "harness.runner",
    "Sim": "harness.sim",
}
__all__ = sorted(_DOORS)


def __getattr__(name: str) -> Any:
    if name in _DOORS:
        value = getattr(importlib.import_module(_DOORS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'harness' has no attribute {name!r}")
