"""`catsync-sim demo`: the platform's story so far, told step by step on the two-node topology.

Every step goes through the gRPC services, as any client would: a file written on \\ETINIUM from \\INSIDX over
the Expand link, the link cut (Guardian error 250) and healed, MEDIACOM on both nodes, a node crash and restart.
"""

from __future__ import annotations

import sys
import textwrap
from typing import Callable, TextIO

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from emulator import rpc
from emulator.v1 import control_pb2, guardian_pb2, link_pb2, media_catalog_pb2
from harness.launcher import Topology, start_topology

STAGING_FILE = "\\ETINIUM.$DATA15.E5CATSYN.DEMO1"


class Narrator:
    """Prints numbered steps and indented results, flushing as it goes (a person is watching)."""

    def __init__(self, out: TextIO):
        self.out = out
        self.step_no = 0
        self.failures: list[str] = []

    def step(self, title: str) -> None:
        self.step_no += 1
        self.out.write(f"\n[{self.step_no}] {title}\n")
        self.out.flush()

    def show(self, text: str, indent: str = "    ") -> None:
        self.out.write(textwrap.indent(text.rstrip("\n"), indent) + "\n")
        self.out.flush()

    def expect(self, ok: bool, what: str) -> None:
        self.show(f"{'ok ' if ok else 'UNEXPECTED'}: {what}")
        if not ok:
            self.failures.append(what)


def _write(topo: Topology, node: str, name: str, data: bytes) -> guardian_pb2.WriteFileResponse:
    chunks = iter([guardian_pb2.WriteFileRequest(name=name, mode=guardian_pb2.WRITE_MODE_REPLACE, data=data)])
    return topo.guardian(node).WriteFile(chunks, timeout=rpc.DEFAULT_DEADLINE)


def _read(topo: Topology, node: str, name: str) -> bytes:
    stream = topo.guardian(node).ReadFile(guardian_pb2.ReadFileRequest(name=name), timeout=rpc.DEFAULT_DEADLINE)
    return b"".join(chunk.data for chunk in stream)


def _health(topo: Topology, node: str) -> str:
    stub = health_pb2_grpc.HealthStub(topo.channel(topo.address(node)))
    status = stub.Check(health_pb2.HealthCheckRequest(service="emulator.v1.Guardian"), timeout=5).status
    return health_pb2.HealthCheckResponse.ServingStatus.Name(status)


def _mediacom(topo: Topology, n: Narrator, node: str, command: str) -> media_catalog_pb2.MediacomResponse:
    n.show(f"{node} MC> {command}")
    resp = topo.media_catalog(node).Mediacom(media_catalog_pb2.MediacomRequest(text=command, user="SUPER.SUPER"),
                                             timeout=rpc.DEFAULT_DEADLINE)
    n.show(resp.output, indent="      ")
    return resp


def _attempt(fn: Callable[[], object]) -> grpc.RpcError | None:
    try:
        fn()
    except grpc.RpcError as exc:
        return exc
    return None


def run_demo(seed: int = 1, out: TextIO = sys.stdout) -> int:
    """Run the platform demo; return 0 when every step behaved as narrated."""
    n = Narrator(out)
    n.out.write(f"catsync-sim demo (seed {seed}); replay with: catsync-sim demo --seed {seed}\n")
    n.step("Bring up the two-node topology: \\INSIDX (primary site) and \\ETINIUM (secondary site)")
    with start_topology("two-node", seed=seed) as topo:
        for service, node, address in topo.describe():
            n.show(f"{service:<28} {node:<9} {address}")
        for node in ("\\INSIDX", "\\ETINIUM"):
            n.expect(_health(topo, node) == "SERVING", f"{node} health is SERVING")
        link_id = topo.link_id("\\INSIDX", "\\ETINIUM")

        n.step(f"From \\INSIDX, write the staging file {STAGING_FILE} across the Expand link")
        payload = b"E501NEW catalog export of volume DEMO1\n" * 100
        info = _write(topo, "\\INSIDX", STAGING_FILE, payload).info
        n.show(f"written: {info.name}, {info.size} bytes")
        n.expect(_read(topo, "\\ETINIUM", STAGING_FILE) == payload, "\\ETINIUM reads back the same bytes locally")
        counters = topo.link_service().GetLink(link_pb2.GetLinkRequest(id=link_id), timeout=5).link.counters
        n.show(f"link {link_id}: {counters.calls} calls, {counters.bytes_a_to_b} bytes \\INSIDX→\\ETINIUM")

        n.step("Cut the Expand link and write again")
        topo.link_service().SetLinkFault(link_pb2.SetLinkFaultRequest(id=link_id, fault=link_pb2.LinkFault(down=True)),
                                         timeout=5)
        err = _attempt(lambda: _write(topo, "\\INSIDX", STAGING_FILE, payload))
        n.expect(err is not None and rpc.guardian_error(err) == 250,
                 f"the write fails: {err.code().name if err else 'no error'}, Guardian error "
                 f"{rpc.guardian_error(err) if err else '-'}: {err.details() if err else ''}")

        n.step("Heal the link and retry")
        topo.link_service().HealLink(link_pb2.HealLinkRequest(id=link_id), timeout=5)
        err = _attempt(lambda: _write(topo, "\\INSIDX", STAGING_FILE, payload + b"retry\n"))
        n.expect(err is None, "the retried write succeeds once the link is back")

        n.step("MEDIACOM on \\INSIDX: catalog a tape volume in the primary pool")
        resp = _mediacom(topo, n, "\\INSIDX", "ADD TAPEVOLUME EW1008, POOL E501_WIN1, VOLCAT QCVOLCAT")
        n.expect(resp.ok, "EW1008 added to \\INSIDX.QCVOLCAT")
        _mediacom(topo, n, "\\INSIDX", "INFO TAPEVOLUME EW1008")
        _mediacom(topo, n, "\\INSIDX", "INFO MEDIADEFS")

        n.step("MEDIACOM on \\ETINIUM: its own SSL, and a DISKFILE pattern naming an unknown node")
        _mediacom(topo, n, "\\ETINIUM", "INFO MEDIADEFS")
        resp = _mediacom(topo, n, "\\ETINIUM", "INFO DISKFILE \\NODEP.$*.*.*")
        n.expect(resp.error_code == 5048, "ERROR-5048: \\NODEP is not a node this system knows (R15)")

        n.step("Crash \\ETINIUM, look at it, restart it")
        crash = topo.control_service().CrashNode(control_pb2.CrashNodeRequest(node="\\ETINIUM"), timeout=5)
        n.show(f"\\ETINIUM is {control_pb2.NodeStatus.Name(crash.node.status)}")
        n.expect(_health(topo, "\\ETINIUM") == "NOT_SERVING", "its health is NOT_SERVING")
        err = _attempt(lambda: _read(topo, "\\ETINIUM", STAGING_FILE))
        n.expect(err is not None and err.code() == grpc.StatusCode.UNAVAILABLE,
                 f"a read answers {err.code().name if err else 'nothing'}: {err.details() if err else ''}")
        topo.control_service().RestartNode(control_pb2.RestartNodeRequest(node="\\ETINIUM"), timeout=5)
        n.expect(_read(topo, "\\ETINIUM", STAGING_FILE) == payload + b"retry\n",
                 "after the restart the committed staging file is still there")

    n.step("Summary")
    if n.failures:
        n.show(f"{len(n.failures)} step(s) did not behave as expected:\n" + "\n".join(f"- {f}" for f in n.failures))
        n.show(f"replay with: catsync-sim demo --seed {seed}")
        return 1
    n.show("every step behaved as expected; the topology was stopped and its state removed")
    return 0
