"""The `subprocess` launcher (DESIGN §6): one OS process per node, so a node crash is a real SIGKILL and a restart
is a new process reopening the node's folder.

Where things run:
- each **node process** (`harness.node_process`) serves the node's Guardian, MediaCatalog and (on a domain
  manager) BackBoxDomain services, and the domain's CatalogSync service when the domain has the option; it
  follows the topology's clock (`emulator.remote_clock.RemoteClock`) and runs the node's Guardian processes;
- the **control process** (the one that called `start_topology`) runs the Clock, Control and Link services, the
  link proxies, and the storages, key managers and VTCs of every site (they read the clock directly; they are
  not nodes and never crash with one).

The control process is the single authority for time and for fault-point counts; it reaches a node's state
(dumps, snapshots, disk full) through the node process's own Control server. Node processes start one after the
other in topology order (their imports run in parallel), so timers register in the same order in every run and
one seed gives one history, as in-process.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from emulator import rpc
from emulator.clock import Clock
from emulator.control import ControlPlane, _json_default
from emulator.errors import EmulatorError
from emulator.faults import FaultPoint, FaultPoints
from emulator.link import LinkProxy
from emulator.node import Endpoint
from emulator.servicers.control import fault_point_pb
from emulator.v1 import common_pb2, control_pb2
from harness.launcher import CLOCK, CONTROL, LINK, TopologyBase, derive_seed
from harness.node_handle import STOP_GRACE, NodeHandle, NodeProcessError
from harness.topology import TopologySpec

log = logging.getLogger(__name__)
T = rpc.DEFAULT_DEADLINE


class BroadcastFaultPoints(FaultPoints):
    """The topology's fault points (every hit is counted here); arming and disarming reach every node process
    that is up, and a node process starting later reads them (`ListFaultPoints`)."""

    def __init__(self, topo: SubprocessTopology):
        super().__init__()
        self._topo = topo

    def arm(self, point: FaultPoint) -> FaultPoint:
        with self._topo.lock:
            armed = super().arm(point)
            for handle in self._topo.up_handles():
                handle.agent().ArmFaultPoint(control_pb2.ArmFaultPointRequest(point=fault_point_pb(armed)),
                                             timeout=T)
            return armed

    def disarm(self, name: str = "") -> list[FaultPoint]:
        with self._topo.lock:
            gone = super().disarm(name)
            for handle in self._topo.up_handles():
                handle.agent().DisarmFaultPoint(control_pb2.DisarmFaultPointRequest(name=name), timeout=T)
            return gone


class SubprocessControl(ControlPlane):
    """The Control service's view of a topology whose nodes run in their own OS processes."""

    def __init__(self, topo: SubprocessTopology):
        handles: Any = topo.handles   # NodeHandles stand in for Nodes (what ControlServicer reads of them)
        super().__init__(handles, topo.clock, topo.faults, topo.links, topo.state_dir / "snapshots",
                         name=topo.spec.name, seed=topo.seed, topology_yaml=topo.spec.source)
        self._topo = topo

    def _handles(self) -> list[NodeHandle]:
        return [self._topo.handles[k] for k in sorted(self._topo.handles)]

    def crash_node(self, name: str) -> tuple[Any, list[str], int]:
        handle = self.node(name)
        with self._topo.lock:
            killed, rolled_back = handle.crash()  # type: ignore[attr-defined]
        return handle, killed, rolled_back

    def restart_node(self, name: str) -> Any:
        handle = self.node(name)
        with self._topo.lock:
            try:
                handle.restart(self._topo.startup_timeout)  # type: ignore[attr-defined]
            except NodeProcessError as exc:   # the caller of RestartNode sees why, with the node's stderr tail
                raise EmulatorError(str(exc)) from None
        return handle

    def _running(self) -> list[str]:
        return [p for h in self._handles() for p in h.running()]

    def _snapshot_node(self, handle: Any, folder: Path) -> int:
        if handle.up:
            return handle.agent().Snapshot(control_pb2.SnapshotRequest(name=folder.parent.name), timeout=T).bytes
        if folder.exists():   # its process is dead: the folder holds exactly what it committed
            shutil.rmtree(folder)
        shutil.copytree(handle.store.directory, folder)
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

    def _restore_node(self, handle: Any, name: str, folder: Path) -> None:
        handle.agent().RestoreSnapshot(control_pb2.RestoreSnapshotRequest(name=name), timeout=T)

    def reset(self) -> None:
        for link in self.links.values():
            link.heal()
            link.reset_counters()
        self.faults.disarm()
        for handle in self._handles():
            if not handle.up:
                self.restart_node(handle.name)
        for handle in self._handles():   # disk full cleared, the `initial` snapshot restored, in each process
            handle.agent().Reset(control_pb2.ResetRequest(), timeout=T)

    def dump_state(self, nodes: list[str] | None = None, *, include_files: bool = False,
                   include_ems: bool = False) -> dict[str, Any]:
        chosen = [self.node(n) for n in nodes] if nodes else self._handles()
        out: dict[str, Any] = {"topology": self.name, "seed": self.seed, "utc": self.clock.now().isoformat(),
                               "nodes": {}}
        for handle in chosen:
            if handle.up:
                dumped = json.loads(handle.agent().DumpState(control_pb2.DumpStateRequest(
                    nodes=[handle.name], include_files=include_files, include_ems=include_ems), timeout=T).json)
                out["nodes"][handle.name] = dumped["nodes"][handle.name]
            else:
                out["nodes"][handle.name] = {"up": False, "epoch": handle.epoch, "number": handle.config.number,
                                             "utc_offset_seconds": handle.config.utc_offset_seconds}
        for name in sorted(self.extra_dumps):
            out.setdefault("services", {})[name] = self.extra_dumps[name]()
        return out

    def dump_state_json(self, nodes: list[str] | None = None, **kwargs: bool) -> str:
        return json.dumps(self.dump_state(nodes, **kwargs), sort_keys=True, default=_json_default)

    def set_disk_full(self, node: str, volume: str, full: bool) -> None:
        self.node(node).agent().SetDiskFull(control_pb2.SetDiskFullRequest(  # type: ignore[attr-defined]
            node=self.node(node).name, volume=volume, full=full), timeout=T)


def _kill_children(children: list) -> None:
    """Last resort at garbage collection or interpreter exit: no node process outlives its topology."""
    for proc in children:
        if proc.poll() is None:
            proc.kill()


class SubprocessTopology(TopologyBase):
    """A topology whose nodes run in their own OS processes (see the module docstring)."""

    launcher = "subprocess"

    def __init__(self, spec: TopologySpec, state_dir: Path, *, owns_state_dir: bool, startup_timeout: float = 60.0):
        super().__init__(spec, state_dir, owns_state_dir=owns_state_dir)
        self.state_dir: Path = state_dir
        self.startup_timeout = startup_timeout
        self.lock = threading.RLock()       # crash / restart / fault points: one change at a time
        self.closing = False
        self.clock = Clock(mode=spec.clock_mode, start=spec.clock_start, rate=spec.clock_rate)
        self.faults = BroadcastFaultPoints(self)
        self.handles: dict[str, NodeHandle] = {}
        self.links: dict[str, LinkProxy] = {}
        self.children: list = []           # every Popen ever started (for the finalizer)
        self.control: SubprocessControl | None = None
        self.control_server: rpc.Server | None = None
        self.backbox = None
        self._finalizer = weakref.finalize(self, _kill_children, self.children)

    @property
    def control_address(self) -> str:
        assert self.control_server is not None
        return self.control_server.address

    def node_seed(self, name: str) -> int:
        return derive_seed(self.seed, name)

    def up_handles(self) -> list[NodeHandle]:
        return [self.handles[k] for k in sorted(self.handles) if self.handles[k].up]

    def pid(self, node: str) -> int:
        """The OS process id of a node's current process (0 while none was started)."""
        return self.control.node(node).pid if self.control else 0  # type: ignore[union-attr]

    # -- start ----------------------------------------------------------------------------------------------
    def start(self) -> "SubprocessTopology":
        try:
            for spec in self.spec.nodes:  # offsets live in the clock; a restarted node keeps a skew it was given
                self.clock.set_offset(spec.name, spec.utc_offset_seconds)
            self.control = SubprocessControl(self)
            self.control_server = self._serve_control(self.clock, self.control)
            handles = [NodeHandle(spec, self) for spec in self.spec.nodes]
            for handle in handles:     # all import at once ...
                self.handles[handle.name] = handle
                handle.spawn()
            with self.lock:
                for handle in handles:  # ... and open one after the other: timers register in topology order
                    handle.boot(self.startup_timeout)
            self._start_links()
            self._publish_endpoints({h.name: h.endpoints for h in handles}, self.links)
            shared = [e for e in self.endpoints if not e.node and e.service in (CLOCK, CONTROL, LINK)]
            for handle in handles:
                handle.endpoints = [*handle.endpoints, *(_endpoint(e) for e in shared)]
            self._finish_start()
        except BaseException:
            self.close()
            raise
        return self

    def _start_links(self) -> None:
        routes: dict[str, dict[str, str]] = {name: {} for name in self.handles}
        for link_spec in self.spec.links:
            a, b = self.handles[link_spec.node_a], self.handles[link_spec.node_b]
            link = LinkProxy(link_spec.kind, a.name, b.name, a.address, b.address,
                             seed=derive_seed(self.seed, link_spec.id)).start()
            self.links[link.id] = link
            routes[a.name][b.name] = link.to_b.address
            routes[b.name][a.name] = link.to_a.address
        for name, handle in self.handles.items():
            handle.set_routes(routes[name], self.startup_timeout)

    def serve_catalog_sync(self, domain_id: str, manager: str, endpoints: list[common_pb2.Endpoint]) -> str:
        return self.handles[manager].start_catalog_sync(domain_id, manager, endpoints, self.startup_timeout)

    # -- stop -----------------------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop every node process (cleanly, then by SIGKILL after a grace period), then the control process's
        services. Safe to call twice, and after a failed start."""
        with self.lock:
            self.closing = True
        # node processes first: they cancel their timers through the Clock service on the way out
        for handle in self.handles.values():
            handle.stop_begin()
        deadline = time.monotonic() + STOP_GRACE
        for handle in self.handles.values():
            handle.stop_end(deadline)
        _kill_children(self.children)
        self._close_channels()
        if self.control_server is not None:
            self.control_server.stop(None)
            self.control_server = None
        if self.backbox is not None:
            self.backbox.close()
            self.backbox = None
        for link in self.links.values():
            link.stop()
        self.links.clear()
        self.clock.close()
        if self._owns_state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> "SubprocessTopology":
        return self


def _endpoint(e: common_pb2.Endpoint) -> Endpoint:
    return Endpoint(e.service, e.node, e.address)
