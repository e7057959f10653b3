"""The emulated platform: NonStop nodes (Guardian files, processes, EMS, DSM/TC), links, the clock and the
control plane, served over gRPC. It never imports `catsync`: programs are run by name from a node's library."""

from emulator.clock import Clock
from emulator.errors import EmulatorError
from emulator.faults import FaultPoint, FaultPoints
from emulator.link import LinkFault, LinkProxy
from emulator.node import Node, NodeConfig

__all__ = ["Clock", "EmulatorError", "FaultPoint", "FaultPoints", "LinkFault", "LinkProxy", "Node", "NodeConfig"]
