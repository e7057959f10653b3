"""The harness: topologies, the launcher, the CLI and (later) scenarios, nemesis, history and checkers."""

from harness.launcher import Topology, start_topology
from harness.topology import TopologyError, TopologySpec, builtin_topologies, load_topology

__all__ = ["Topology", "TopologyError", "TopologySpec", "builtin_topologies", "load_topology", "start_topology"]
