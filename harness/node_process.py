"""The OS process of one node under the `subprocess` launcher: `python -m harness.node_process`.

It serves what the node serves in-process — Guardian, MediaCatalog, BackBoxDomain on a domain manager, and the
domain's CatalogSync service when the launcher asks — with health checking and reflection, plus a private
`Control` server (its own node only: state dumps, snapshots, disk full, fault points) that the control process
calls. Time comes from the topology's Clock service through `emulator.remote_clock.RemoteClock`; fault points are
counted by the control process (one count across the topology) and applied here.

The launcher drives it with JSON lines on stdin and reads JSON lines from the process's original stdout (fd 1
goes to stderr once the process starts, so nothing a program prints can break the protocol):

    {"cmd": "start", "config": {...}}  -> {"event": "built"}      clock followed, node opened (not yet serving)
    {"cmd": "serve"}                   -> {"event": "ready", ...}  servers bound (the node's port is free now)
    {"cmd": "routes", "routes": {...}} -> {"event": "ok"}
    {"cmd": "catalog_sync", ...}       -> {"event": "ok", "address": ...}
    {"cmd": "status"}                  -> {"event": "status", "running": [...], "in_flight": n}
    end of stdin                       -> clean shutdown, exit 0

A node crash at a fault point is a real one: the process says {"event": "crash"} and SIGKILLs itself.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import grpc

from emulator import rpc
from emulator.control import ControlPlane
from emulator.errors import EmulatorError
from emulator.faults import ACTIONS, FaultPoint, FaultPoints
from emulator.node import Endpoint, Node, NodeConfig
from emulator.remote_clock import RemoteClock
from emulator.serve import serve_node
from emulator.servicers.control import ControlServicer
from emulator.v1 import control_pb2, control_pb2_grpc

log = logging.getLogger("harness.node_process")
CLOCK, CONTROL, LINK = "emulator.v1.Clock", "emulator.v1.Control", "emulator.v1.Link"
BIND_PATIENCE = 10.0      # wall seconds to wait for a fixed port its previous process (or tombstone) just freed
_ACTION = {getattr(control_pb2, f"FAULT_ACTION_{name}"): name for name in ACTIONS}


class RemoteFaultPoints(FaultPoints):
    """The armed points as a node process knows them (the control process pushes arm / disarm here); a hit of an
    armed name is counted by the control process, so `on_hit: 3` means the 3rd hit in the whole topology."""

    def __init__(self, control: control_pb2_grpc.ControlStub):
        super().__init__()
        self._control = control

    def hit(self, name: str, node: str = "", program: str = "") -> FaultPoint | None:
        with self._lock:
            point = self._points.get(name)
        if point is None or (point.node and point.node != node.upper()):
            return None  # not armed for this node: no call at all (most hits)
        resp = self._control.HitFaultPoint(control_pb2.HitFaultPointRequest(
            name=name, node=node, program=program, count_only=True), timeout=rpc.DEFAULT_DEADLINE)
        if resp.action not in _ACTION:
            return None
        return replace(point, action=_ACTION[resp.action], guardian_error=resp.guardian_error)


class NodeProcess:
    """What runs in this OS process: one node, its servers and (on a domain manager) the CatalogSync service."""

    def __init__(self, out: TextIO):
        self._out = out
        self._out_lock = threading.Lock()
        self.config: dict[str, Any] = {}
        self.clock: RemoteClock | None = None
        self.node: Node | None = None
        self.server: rpc.Server | None = None
        self.agent: rpc.Server | None = None
        self.catalog_sync: Any = None
        self._control_channel: grpc.Channel | None = None

    def send(self, message: dict[str, Any]) -> None:
        with self._out_lock:
            self._out.write(json.dumps(message) + "\n")
            self._out.flush()

    # -- commands -------------------------------------------------------------------------------------------
    def start(self, config: dict[str, Any]) -> dict[str, Any]:
        self.config = config
        name = config["name"]
        self.clock = RemoteClock(config["control_address"], f"{name}/")
        self._control_channel = rpc.channel(config["control_address"])
        control = control_pb2_grpc.ControlStub(self._control_channel)
        faults = RemoteFaultPoints(control)
        for p in control.ListFaultPoints(control_pb2.ListFaultPointsRequest(), timeout=rpc.DEFAULT_DEADLINE).points:
            faults.arm(FaultPoint(name=p.name, action=_ACTION[p.action], node=p.node, program=p.program,
                                  on_hit=p.on_hit or 1, repeat=p.repeat, guardian_error=p.guardian_error,
                                  delay_ms=p.delay_ms))
        node_config = NodeConfig(name=name, number=config["number"], site=config["site"],
                                 utc_offset_seconds=config["utc_offset_seconds"], volumes=config["volumes"],
                                 autoexpire_time=config["autoexpire_time"])
        node = Node(node_config, config["state_dir"], self.clock, faults, seed=config["seed"])
        node.epoch = config["epoch"]
        if node.epoch:
            node.processes.recover_after_restart()  # what ran when the previous process was killed ABENDED
        self.node = node
        self.set_routes(config.get("routes", {}))
        return {"event": "built"}

    def serve(self) -> dict[str, Any]:
        node, config = self.node, self.config
        assert node is not None
        self.server = _bind(lambda: serve_node(node, config["address"], domain_id=config["domain_id"]),
                            config["address"])
        shared = [Endpoint(s, "", config["control_address"]) for s in (CLOCK, CONTROL, LINK)]
        node.endpoints = [*node.endpoints, *shared]
        node.on_crash.append(self._crashed)
        plane = ControlPlane({node.name: node}, node.clock, node.faults, {}, Path(config["snapshot_dir"]),
                             name=config["topology"], seed=config["topology_seed"])
        self.agent = rpc.Server(config.get("agent_address") or "127.0.0.1:0")
        self.agent.add(control_pb2_grpc.add_ControlServicer_to_server, ControlServicer(plane, []), CONTROL)
        self.agent.start()
        return {"event": "ready", "address": self.server.address, "agent": self.agent.address, "pid": os.getpid(),
                "endpoints": [[e.service, e.node, e.address] for e in node.endpoints if e.node]}

    def set_routes(self, routes: dict[str, str]) -> dict[str, Any]:
        assert self.node is not None
        for other, address in sorted(routes.items()):
            self.node.set_route(other, address)
        return {"event": "ok"}

    def start_catalog_sync(self, command: dict[str, Any]) -> dict[str, Any]:
        from catsync.server import serve_catalog_sync  # noqa: PLC0415 - the product under test
        from emulator.v1 import common_pb2             # noqa: PLC0415

        endpoints = [common_pb2.Endpoint(service=s, node=n, address=a) for s, n, a in command["endpoints"]]
        self.catalog_sync = _bind(lambda: serve_catalog_sync(command["domain"], command["manager"], endpoints,
                                                             command["address"]), command["address"])
        return {"event": "ok", "address": self.catalog_sync.address}

    def status(self) -> dict[str, Any]:
        assert self.node is not None
        return {"event": "status", "running": self.node.processes.running(),
                "in_flight": len(self.node.store.in_flight())}

    def _crashed(self, node: Node) -> None:
        """A CRASH_NODE fault point fired here: the node dies the way a real one does, all at once."""
        self.send({"event": "crash", "reason": f"node {node.name} crashed at a fault point"})
        os.kill(os.getpid(), signal.SIGKILL)

    def close(self) -> None:
        if self.catalog_sync is not None:
            self.catalog_sync.stop()
        for server in (self.agent, self.server):
            if server is not None:
                server.stop(None)
        if self.node is not None:
            self.node.close()
        if self.clock is not None:
            self.clock.close()
        if self._control_channel is not None:
            self._control_channel.close()


def _bind(make: Any, address: str) -> Any:
    """Start a server on `address`; a fixed port the previous process held may take a moment to be free."""
    deadline = time.monotonic() + BIND_PATIENCE
    while True:
        try:
            return make()
        except Exception as exc:  # noqa: BLE001 - "could not bind" (ours) / "Failed to bind" (grpc's RuntimeError)
            if "bind" not in str(exc) or address.endswith(":0") or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main() -> int:
    out = os.fdopen(os.dup(1), "w", buffering=1)   # the protocol's stream; fd 1 (print) goes to stderr
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # import what serving needs now, while the launcher is still busy with the nodes started before this one
    for module in ("catsync.server", "emulator.servicers.backbox_domain", "emulator.servicers.guardian",
                   "emulator.servicers.media_catalog"):
        importlib.import_module(module)
    proc = NodeProcess(out)
    handlers = {"start": lambda c: proc.start(c["config"]), "serve": lambda c: proc.serve(),
                "routes": lambda c: proc.set_routes(c["routes"]), "catalog_sync": proc.start_catalog_sync,
                "status": lambda c: proc.status()}
    try:
        for line in sys.stdin:
            command = json.loads(line)
            handler = handlers.get(command.get("cmd"))
            try:
                if handler is None:
                    raise EmulatorError(f"unknown command {command.get('cmd')!r}")
                proc.send(handler(command))
            except Exception as exc:  # noqa: BLE001 - the launcher shows it, with this process's stderr
                log.exception("command %s failed", command.get("cmd"))
                proc.send({"event": "error", "message": f"{type(exc).__name__}: {exc}"})
    finally:
        # end of stdin: the launcher closed us (or died); a shutdown that hangs must not leave an orphan
        watchdog = threading.Timer(10.0, lambda: os._exit(3))
        watchdog.daemon = True
        watchdog.start()
        proc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
