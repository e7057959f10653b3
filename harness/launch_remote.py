"""The `remote` launcher (DESIGN §6, §8): a topology whose services already run elsewhere — other hosts, or a
`subprocess` topology started by another process. Nothing is started and nothing is stopped: the object connects,
checks the health of every endpoint, and serves the same surface as the other launchers.

The topology YAML gives each node its `address` and the control server's address in a top-level key
`control: HOST:PORT` (read here; the topology parser does not know the key, so it is taken out before parsing),
or `start_topology(..., launcher="remote", control_address=...)` gives it. Every other endpoint (CatalogSync,
storages, key managers, VTCs, links) comes from the running topology's Control service (GetTopology).
"""

from __future__ import annotations

import copy
import time
from concurrent import futures
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from emulator.serve import GUARDIAN
from emulator.v1 import control_pb2, control_pb2_grpc
from harness.launcher import CLOCK, CONTROL, TopologyBase
from harness.topology import TopologyError, TopologySpec, builtin_topologies, load_topology

CONTROL_KEY = "control"


def read_remote_source(source: str | Path | TopologySpec | dict) -> tuple[TopologySpec, str]:
    """(spec, control address from the `control:` key or '') from any topology source."""
    if isinstance(source, TopologySpec):
        return source, ""
    if isinstance(source, dict):
        data = copy.deepcopy(source)
    else:
        text = str(source)
        if text in builtin_topologies():
            return load_topology(text), ""
        path = Path(text)
        if "\n" not in text and path.suffix in (".yaml", ".yml"):
            if not path.is_file():
                raise TopologyError(f"topology file {text} does not exist")
            text = path.read_text()
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise TopologyError(f"the remote topology is not valid YAML: {exc}") from None
        if not isinstance(data, dict) or CONTROL_KEY not in data:
            return load_topology(source), ""   # the parser's own messages, with line numbers
    control = data.pop(CONTROL_KEY, "")
    if control and (not isinstance(control, str) or ":" not in control):
        raise TopologyError(f"control: {control!r} must be HOST:PORT, the address of the topology's control server")
    return load_topology(data), control or ""


class RemoteTopology(TopologyBase):
    """A running topology reached through its addresses (`state_dir` is None: its state lives where it runs)."""

    launcher = "remote"

    def __init__(self, spec: TopologySpec, control_address: str):
        super().__init__(spec, None)
        self._control_address = control_address

    @property
    def control_address(self) -> str:
        return self._control_address

    def connect(self, timeout: float) -> "RemoteTopology":
        try:
            self._connect(timeout)
        except BaseException:
            self.close()
            raise
        return self

    def _connect(self, timeout: float) -> None:
        problem = _health(self.channel(self.control_address), timeout)
        if problem:
            raise TopologyError(f"the control server of topology {self.spec.name} at {self.control_address} is not"
                                f" reachable ({problem}): is the topology running, and is `control:` its address?")
        resp = control_pb2_grpc.ControlStub(self.channel(self.control_address)).GetTopology(
            control_pb2.GetTopologyRequest(), timeout=timeout)
        if resp.name != self.spec.name:
            raise TopologyError(f"the control server at {self.control_address} runs topology {resp.name!r}, not"
                                f" {self.spec.name!r}: check the `control:` address")
        self.spec = replace(self.spec, seed=resp.seed)
        self.seed = resp.seed
        served = {e.node: e.address for e in resp.endpoints if e.service == GUARDIAN}
        wrong = [f"{n.name}: the topology says {n.address}, the running topology serves it at "
                 f"{served.get(n.name, 'no address')}" for n in self.spec.nodes if served.get(n.name) != n.address]
        if wrong:
            raise TopologyError("node addresses do not match the running topology: " + "; ".join(wrong))
        self.endpoints.extend(resp.endpoints)
        # every distinct server once (links forward to the nodes behind them: not checked here)
        targets: dict[str, str] = {}
        for e in self.endpoints:
            if not e.service.startswith("link:") and e.service not in (CLOCK, CONTROL):
                targets.setdefault(e.address, f"{e.service}{' of ' + e.node if e.node else ''}")
        with futures.ThreadPoolExecutor(max_workers=8) as pool:
            checks = {address: pool.submit(_health, self.channel(address), timeout) for address in targets}
        down = [f"{targets[a]} at {a} ({f.result()})" for a, f in sorted(checks.items()) if f.result()]
        if down:
            raise TopologyError(f"{len(down)} endpoint(s) of topology {self.spec.name} are not reachable: "
                                + "; ".join(down))

    def close(self) -> None:
        """Close the connections; the topology itself keeps running (whoever started it stops it)."""
        self._close_channels()

    def __enter__(self) -> "RemoteTopology":
        return self


def _health(channel: grpc.Channel, timeout: float) -> str:
    """'' when the server says SERVING within `timeout` seconds, else what is wrong (the last answer)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            resp = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=max(0.2, min(2.0, deadline - time.monotonic())))
            if resp.status == health_pb2.HealthCheckResponse.SERVING:
                return ""
            problem = health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status)
        except grpc.RpcError as exc:
            problem = f"{exc.code().name}: {exc.details()}"
        if time.monotonic() >= deadline:
            return problem
        time.sleep(0.2)


def attach_topology(source: Any, *, control_address: str | None = None, timeout: float = 10.0) -> RemoteTopology:
    """Connect to a running topology: every node needs its `address`, the control server its `control:`;
    `timeout` is how long each endpoint may take to answer its health check."""
    spec, control = read_remote_source(source)
    control = control_address or control
    if not control:
        raise TopologyError(f"a remote topology needs its control server's address: add `control: HOST:PORT` at"
                            f" the top of topology {spec.name}, or pass control_address")
    missing = [n.name for n in spec.nodes if not n.address]
    if missing:
        raise TopologyError(f"a remote topology gives every node its address: add `address: HOST:PORT` to "
                            f"{', '.join(missing)}")
    return RemoteTopology(spec, control).connect(timeout)



CONTROL_ENV = "CATSYNC_SIM_CONTROL"


def attach_for_run(spec: TopologySpec, control_address: str | None, *, timeout: float = 10.0) -> RemoteTopology:
    """Attach a scenario's topology to the one running at `control_address` (or $CATSYNC_SIM_CONTROL, which
    `catsync-sim serve` prints): the scenario names the topology, the running one gives its node addresses. The
    names must agree: a scenario written for `minimal` does not run against `e501-sample`."""
    import os  # noqa: PLC0415

    control = control_address or os.environ.get(CONTROL_ENV, "")
    if not control:
        raise TopologyError(f"--launcher remote attaches to a running topology: start one with `catsync-sim serve"
                            f" {spec.name}` and pass the control address it prints (--control ADDR, or set"
                            f" {CONTROL_ENV})")
    problem = _health(grpc.insecure_channel(control), timeout)
    if problem:
        raise TopologyError(f"no topology answers at {control} ({problem}): is `catsync-sim serve` still running?")
    with grpc.insecure_channel(control) as ch:
        resp = control_pb2_grpc.ControlStub(ch).GetTopology(control_pb2.GetTopologyRequest(), timeout=timeout)
    if resp.name != spec.name:
        raise TopologyError(f"the topology running at {control} is {resp.name!r}; this scenario needs"
                            f" {spec.name!r}: serve {spec.name} and attach to it")
    served = {e.node: e.address for e in resp.endpoints if e.service == GUARDIAN}
    nodes = [replace(n, address=n.address or served.get(n.name, "")) for n in spec.nodes]
    return attach_topology(replace(spec, nodes=nodes), control_address=control, timeout=timeout)
