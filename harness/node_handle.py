"""The control process's side of one node's OS process (the `subprocess` launcher): spawn it, drive its start
(`harness.node_process`), SIGKILL it for a crash, start a new one over the same folder and ports for a restart,
stop it. While the node is down a *tombstone* server holds its ports: health says NOT_SERVING and every call
answers UNAVAILABLE with Guardian error 201, as a crashed in-process node does, so clients see no difference.

A handle also looks enough like an `emulator.node.Node` for `ControlServicer` (name, config, up, epoch,
store.directory, endpoints, hit) so the topology's Control service can list and address it.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from catsync.v1 import catalog_sync_pb2_grpc
from emulator import rpc
from emulator.errors import EmulatorError, NodeDown
from emulator.node import Endpoint, NodeConfig
from emulator.serve import BACKBOX_DOMAIN, GUARDIAN, MEDIA_CATALOG
from emulator.v1 import (backbox_domain_pb2_grpc, common_pb2, control_pb2, control_pb2_grpc, guardian_pb2_grpc,
                         media_catalog_pb2_grpc)
from harness.topology import NodeSpec, TopologyError

if TYPE_CHECKING:
    from harness.launch_subprocess import SubprocessTopology

log = logging.getLogger(__name__)
CATALOG_SYNC = "catsync.v1.CatalogSync"
STOP_GRACE = 10.0        # wall seconds a node process gets to shut down cleanly before it is killed
TAIL_LINES = 25


class NodeProcessError(TopologyError):
    """A node's OS process failed to start or answer; the message carries the tail of its stderr."""


class NodeHandle:
    """One node's OS process, seen from the control process."""

    def __init__(self, spec: NodeSpec, topo: SubprocessTopology):
        self.spec = spec
        self.name = spec.name
        self.topo = topo
        self.config = NodeConfig(name=spec.name, number=spec.number, site=spec.site,
                                 utc_offset_seconds=spec.utc_offset_seconds, volumes=spec.volumes,
                                 autoexpire_time=spec.autoexpire_time)
        self.store = SimpleNamespace(directory=topo.state_dir / "nodes" / spec.name.lstrip("\\"))
        self.log_path = topo.state_dir / "logs" / f"{spec.name.lstrip(chr(92))}.log"
        self.domain_id = topo.spec.backbox.domain_of_node(spec.name) if topo.spec.backbox is not None else ""
        self.epoch = 0
        self.up = False
        self.down_reason = ""
        self.address = spec.address or "127.0.0.1:0"
        self.agent_address = ""
        self.endpoints: list[Endpoint] = []
        self.routes: dict[str, str] = {}
        self.catalog_sync: dict[str, str] | None = None     # {"domain", "manager", "address"} once started
        self.pid = 0
        self.pids: list[int] = []                            # every process this node has had, oldest first
        self.proc: subprocess.Popen | None = None
        self._replies: queue.Queue = queue.Queue()
        self._crash_reason = ""
        self._expected_exit = False
        self._log_offset = 0
        self._command_lock = threading.Lock()
        self._tombstones: dict[str, rpc.Server] = {}
        self._agent: grpc.Channel | None = None
        self._reader: threading.Thread | None = None

    # -- the OS process -------------------------------------------------------------------------------------
    def spawn(self) -> None:
        """Start the OS process (it imports its modules, then waits for `start`)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        env = dict(os.environ)
        # the child imports what this process can (the project, and test programs deployed by module:function)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p and Path(p).is_dir())
        with open(self.log_path, "ab") as err:
            proc = subprocess.Popen([sys.executable, "-m", "harness.node_process"], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=err, env=env, text=True, bufsize=1)
        self.proc, self.pid = proc, proc.pid
        self.pids.append(proc.pid)
        self.topo.children.append(proc)
        self._replies = queue.Queue()
        self._crash_reason = ""
        self._expected_exit = False
        reader = threading.Thread(target=self._read, args=(proc, self._replies), daemon=True,
                                  name=f"{self.name}-stdout")
        reader.start()
        self._reader = reader
        threading.Thread(target=self._watch, args=(proc, reader), daemon=True, name=f"{self.name}-exit").start()

    def _read(self, proc: subprocess.Popen, replies: queue.Queue) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                log.warning("node %s wrote %r on its protocol stream", self.name, line)
                continue
            if message.get("event") == "crash":
                self._crash_reason = message.get("reason", "")
            else:
                replies.put(message)
        proc.stdout.close()
        replies.put(None)   # end of its stdout: the process has gone

    def _watch(self, proc: subprocess.Popen, reader: threading.Thread) -> None:
        code = proc.wait()
        reader.join(timeout=5)   # a "crash" event it wrote before dying is read before we judge its exit
        try:
            if proc.stdin is not None:
                proc.stdin.close()
        except OSError:
            pass  # nothing more can reach a dead process
        with self.topo.lock:
            if proc is not self.proc or self._expected_exit or self.topo.closing or not self.up:
                return
            if self._crash_reason:
                reason = self._crash_reason
            else:
                reason = (f"its process (pid {proc.pid}) exited unexpectedly ({_exit_text(code)}); last lines of"
                          f" {self.log_path}:\n{self.stderr_tail()}")
                log.error("node %s is down: %s", self.name, reason)
            self._went_down(reason)

    def command(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one command and wait for its answer; NodeProcessError (with the stderr tail) otherwise."""
        proc = self.proc
        if proc is None or proc.stdin is None:
            raise NodeProcessError(f"node {self.name} has no process")
        with self._command_lock:
            try:
                proc.stdin.write(json.dumps(message) + "\n")
                proc.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                raise self._failure(f"its process (pid {proc.pid}) is gone") from None
            try:
                reply = self._replies.get(timeout=timeout)
            except queue.Empty:
                raise self._failure(f"its process (pid {proc.pid}) did not answer {message['cmd']!r} within"
                                    f" {timeout:.0f} s") from None
        if reply is None:
            proc.wait(timeout=5)
            raise self._failure(f"its process (pid {proc.pid}) exited ({_exit_text(proc.returncode)}) during"
                                f" {message['cmd']!r}")
        if reply.get("event") == "error":
            raise self._failure(f"{message['cmd']!r} failed: {reply.get('message')}")
        return reply

    def _failure(self, what: str) -> NodeProcessError:
        return NodeProcessError(f"node {self.name}: {what}; last lines of {self.log_path}:\n{self.stderr_tail()}")

    def stderr_tail(self, lines: int = TAIL_LINES) -> str:
        """The last lines the current process wrote to stderr."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(self._log_offset)
                text = f.read().decode(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(nothing)"

    # -- start ----------------------------------------------------------------------------------------------
    def launch_config(self) -> dict[str, Any]:
        topo = self.topo
        return {"name": self.name, "number": self.spec.number, "site": self.spec.site,
                "utc_offset_seconds": self.spec.utc_offset_seconds, "volumes": self.spec.volumes,
                "autoexpire_time": self.spec.autoexpire_time, "state_dir": str(self.store.directory),
                "snapshot_dir": str(topo.state_dir / "snapshots"), "seed": topo.node_seed(self.name),
                "epoch": self.epoch, "domain_id": self.domain_id, "address": self.address,
                "agent_address": "127.0.0.1:0", "control_address": topo.control_address,
                "topology": topo.spec.name, "topology_seed": topo.seed, "routes": self.routes}

    def boot(self, timeout: float) -> None:
        """Drive a spawned process until it serves: node opened, then (its port free) servers bound."""
        self.command({"cmd": "start", "config": self.launch_config()}, timeout)
        self._stop_tombstone(self.address)
        ready = self.command({"cmd": "serve"}, timeout)
        self.address, self.agent_address = ready["address"], ready["agent"]
        self.endpoints = [Endpoint(s, n, a) for s, n, a in ready["endpoints"]]
        self._agent = None
        _wait_healthy(self.address, "", timeout, self)
        self.up, self.down_reason = True, ""

    def set_routes(self, routes: dict[str, str], timeout: float) -> None:
        self.routes = dict(routes)
        self.command({"cmd": "routes", "routes": self.routes}, timeout)

    def start_catalog_sync(self, domain_id: str, manager: str, endpoints: list[common_pb2.Endpoint],
                           timeout: float) -> str:
        address = self.catalog_sync["address"] if self.catalog_sync else "127.0.0.1:0"
        self._stop_tombstone(address)
        reply = self.command({"cmd": "catalog_sync", "domain": domain_id, "manager": manager, "address": address,
                              "endpoints": [[e.service, e.node, e.address] for e in endpoints]}, timeout)
        self.catalog_sync = {"domain": domain_id, "manager": manager, "address": reply["address"]}
        _wait_healthy(reply["address"], CATALOG_SYNC, timeout, self)
        return reply["address"]

    # -- crash / restart / stop -----------------------------------------------------------------------------
    def crash(self) -> tuple[list[str], int]:
        """SIGKILL the node's process (call with the topology's lock); return (live processes, transactions in
        flight) as the process last reported them."""
        if not self.up or self.proc is None:
            return [], 0
        try:
            status = self.command({"cmd": "status"}, 5.0)
        except NodeProcessError:
            status = {}
        self._expected_exit = True
        self.proc.kill()
        self.proc.wait(timeout=10)
        self._went_down("")
        return list(status.get("running", [])), int(status.get("in_flight", 0))

    def restart(self, timeout: float) -> None:
        """A new process over the node's folder and ports (call with the topology's lock)."""
        if self.up:
            return
        self.epoch += 1
        self.spawn()
        try:
            self.boot(timeout)
            if self.catalog_sync is not None:
                self.up = False   # not before its CatalogSync service is back too
                self.start_catalog_sync(self.catalog_sync["domain"], self.catalog_sync["manager"],
                                        list(self.topo.endpoints), timeout)
                self.up = True
        except BaseException:
            self._expected_exit = True
            if self.proc is not None:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self._went_down(f"its restart failed: see {self.log_path}")
            raise

    def stop_begin(self) -> None:
        """Ask the process to shut down (end of its stdin); `stop_end` waits for it."""
        self._expected_exit = True
        if self.proc is not None and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def stop_end(self, deadline: float) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("node %s: process %s did not stop within %.0f s: killed", self.name, self.pid,
                            STOP_GRACE)
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._reader is not None:
            self._reader.join(timeout=5)   # it has read the end of the process's stdout, and closed it
        for address in list(self._tombstones):
            self._stop_tombstone(address)
        if self._agent is not None:
            self._agent.close()
            self._agent = None
        self.up = False

    # -- down -----------------------------------------------------------------------------------------------
    def _went_down(self, reason: str) -> None:
        self.up = False
        self.down_reason = reason
        if self._agent is not None:
            self._agent.close()
            self._agent = None
        if self.topo.closing:
            return
        self._start_tombstone(self.address, self.down_error().message,
                              [(guardian_pb2_grpc.add_GuardianServicer_to_server,
                                guardian_pb2_grpc.GuardianServicer(), GUARDIAN),
                               (media_catalog_pb2_grpc.add_MediaCatalogServicer_to_server,
                                media_catalog_pb2_grpc.MediaCatalogServicer(), MEDIA_CATALOG)]
                              + ([(backbox_domain_pb2_grpc.add_BackBoxDomainServicer_to_server,
                                   backbox_domain_pb2_grpc.BackBoxDomainServicer(), BACKBOX_DOMAIN)]
                                 if self.domain_id else []))
        if self.catalog_sync is not None:
            self._start_tombstone(
                self.catalog_sync["address"],
                f"the CatalogSync service of domain {self.catalog_sync['domain']} runs on node {self.name}, which"
                " is down: restart it (Control.RestartNode)",
                [(catalog_sync_pb2_grpc.add_CatalogSyncServicer_to_server,
                  catalog_sync_pb2_grpc.CatalogSyncServicer(), CATALOG_SYNC)])

    def down_error(self) -> NodeDown:
        why = f" ({self.down_reason})" if self.down_reason else ""
        return NodeDown(f"node {self.name} is down{why}: restart it (Control.RestartNode)")

    def _start_tombstone(self, address: str, message: str, services: list) -> None:
        deadline = time.monotonic() + 10
        while True:  # the dead process's port is free once the kernel has closed its socket
            try:
                server = rpc.Server(address, gate=lambda: NodeDown(message))
                break
            except (EmulatorError, RuntimeError):   # grpc: "Failed to bind" while the old socket goes away
                if time.monotonic() > deadline:
                    log.error("node %s: could not hold %s while down; calls get connection errors", self.name,
                              address)
                    return
                time.sleep(0.05)
        for add, servicer, name in services:
            server.add(add, servicer, name)
        server.start()
        server.set_serving(False)
        self._tombstones[address] = server

    def _stop_tombstone(self, address: str) -> None:
        server = self._tombstones.pop(address, None)
        if server is not None:
            server.stop(None)

    # -- what the Control service asks of a node -------------------------------------------------------------
    def agent(self) -> control_pb2_grpc.ControlStub:
        """The node process's own Control service (this node only)."""
        if not self.up:
            raise self.down_error()
        if self._agent is None:
            self._agent = rpc.channel(self.agent_address)
        return control_pb2_grpc.ControlStub(self._agent)

    def running(self) -> list[str]:
        if not self.up:
            return []
        return list(self.command({"cmd": "status"}, rpc.DEFAULT_DEADLINE).get("running", []))

    def hit(self, point: str, process: str = "", program: str = "") -> None:
        """Pass a fault point in the node's process (a program of another process passed it)."""
        try:
            resp = self.agent().HitFaultPoint(control_pb2.HitFaultPointRequest(
                name=point, node=self.name, process=process, program=program), timeout=rpc.DEFAULT_DEADLINE)
        except grpc.RpcError as exc:   # a CRASH_NODE point took the process down with the call
            raise EmulatorError(f"fault point {point} on {self.name}: {exc.details()}") from None
        if resp.action != control_pb2.FAULT_ACTION_UNSPECIFIED:
            raise EmulatorError(f"fault point {point} fired on {self.name}",
                                guardian_error=resp.guardian_error or None)


def _exit_text(code: int | None) -> str:
    if code is None:
        return "still running"
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


def _wait_healthy(address: str, service: str, timeout: float, handle: NodeHandle) -> None:
    """Wait until the server at `address` says SERVING (health checking), or fail with the node's stderr."""
    deadline = time.monotonic() + timeout
    channel = rpc.channel(address)
    try:
        stub = health_pb2_grpc.HealthStub(channel)
        last = ""
        while time.monotonic() < deadline:
            try:
                resp = stub.Check(health_pb2.HealthCheckRequest(service=service), wait_for_ready=True,
                                  timeout=max(0.1, min(5.0, deadline - time.monotonic())))
                if resp.status == health_pb2.HealthCheckResponse.SERVING:
                    return
                last = health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status)
            except grpc.RpcError as exc:
                last = f"{exc.code().name}: {exc.details()}"
            time.sleep(0.05)
        raise handle._failure(f"{service or 'its server'} at {address} is not SERVING after {timeout:.0f} s"
                              f" ({last})")
    finally:
        channel.close()
