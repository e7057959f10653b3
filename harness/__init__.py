"""The harness: topologies, the launcher, the CLI and (later) scenarios, nemesis, history and checkers."""

import os

# gRPC core logs closed connections at INFO on stderr; people reading harness output want errors only.
# Set before grpc loads (the launcher imports it); an explicit GRPC_VERBOSITY still wins.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

from harness.launcher import Topology, start_topology
from harness.topology import TopologyError, TopologySpec, builtin_topologies, load_topology

__all__ = ["Topology", "TopologyError", "TopologySpec", "builtin_topologies", "load_topology", "start_topology"]
