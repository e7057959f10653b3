"""How the Catalog Sync programs reach the platform: gRPC stubs of the node's services found in the endpoints a
process gets at startup (or a service gets at launch), every call carrying a deadline and, from a process, its
Guardian name (so the node refuses the calls of a killed process, as Guardian would).

The programs know the platform only through these stubs (DESIGN §1); nothing here imports `emulator` beyond
its generated `emulator.v1` stubs.
"""

from __future__ import annotations

import threading
from typing import Any, Iterable

import grpc

from catsync import CatsyncError
from emulator.v1 import (backbox_domain_pb2_grpc, clock_pb2_grpc, common_pb2, control_pb2, control_pb2_grpc,
                         guardian_pb2_grpc, media_catalog_pb2_grpc)

DEADLINE = 30.0
PROCESS_KEY = "guardian-process"
GUARDIAN_ERROR_KEY = "guardian-error"
GUARDIAN = "emulator.v1.Guardian"
MEDIA_CATALOG = "emulator.v1.MediaCatalog"
BACKBOX_DOMAIN = "emulator.v1.BackBoxDomain"
CLOCK = "emulator.v1.Clock"
CONTROL = "emulator.v1.Control"
CHANNEL_OPTIONS = [("grpc.max_send_message_length", 64 * 1024 * 1024),
                   ("grpc.max_receive_message_length", 64 * 1024 * 1024), ("grpc.enable_retries", 0)]
PATH_DOWN, NODE_DOWN = 250, 201       # Guardian errors: Expand path lost, remote node down (domain-facts §1)
DISK_FULL = (43, 45)                  # unable to obtain disk space, file full


class PlatformError(CatsyncError):
    """A platform call failed: its status, message and Guardian error number, in words an operator can act on."""

    def __init__(self, what: str, code: grpc.StatusCode, details: str, guardian_error: int | None):
        self.what, self.code, self.details, self.guardian_error = what, code, details, guardian_error
        number = f" (error {guardian_error})" if guardian_error is not None else ""
        super().__init__(f"{what}: {details or code.name}{number}")

    @property
    def indefinite(self) -> bool:
        """UNAVAILABLE / DEADLINE_EXCEEDED: the call may or may not have happened."""
        return self.code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)

    @property
    def killed(self) -> bool:
        """The node refused the call because the calling process was killed."""
        return self.code == grpc.StatusCode.ABORTED and "has ended" in self.details


def failure(exc: grpc.RpcError, what: str) -> PlatformError:
    trailers = exc.trailing_metadata() if hasattr(exc, "trailing_metadata") else None
    number = next((int(v) for k, v in trailers or () if k == GUARDIAN_ERROR_KEY), None)
    return PlatformError(what, exc.code(), exc.details() or "", number)


class _Stub:
    """A stub whose calls carry the caller's metadata and a deadline unless told otherwise."""

    def __init__(self, stub: Any, metadata: list[tuple[str, str]]):
        self._stub, self._metadata = stub, metadata

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._stub, name)

        def call(request: Any, **kw: Any) -> Any:
            kw.setdefault("timeout", DEADLINE)
            kw.setdefault("metadata", self._metadata)
            return method(request, **kw)
        return call


class Platform:
    """Stubs for the services of `node` and of the topology, from a list of endpoints."""

    def __init__(self, endpoints: Iterable[common_pb2.Endpoint], node: str, process: str = ""):
        self.node = node.upper()
        self.process = process
        self._endpoints = [common_pb2.Endpoint(service=e.service, node=e.node.upper(), address=e.address)
                           for e in endpoints]
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.Lock()
        self.metadata = [(PROCESS_KEY, process)] if process else []

    # -- endpoints --------------------------------------------------------------------------------------------
    def address(self, service: str, node: str = "") -> str:
        node = (node or "").upper()
        for e in self._endpoints:
            if e.service == service and e.node == node:
                return e.address
        if node:  # another node's service: ask the topology (Control lists every endpoint)
            topo = self.control().GetTopology(control_pb2.GetTopologyRequest())
            for e in topo.endpoints:
                if e.service == service and e.node.upper() == node:
                    self._endpoints.append(common_pb2.Endpoint(service=e.service, node=node, address=e.address))
                    return e.address
        where = f" of {node}" if node else ""
        raise CatsyncError(f"no {service} endpoint{where} is known: the process was started without it; check"
                           " the topology")

    def channel(self, address: str) -> grpc.Channel:
        with self._lock:
            if address not in self._channels:
                self._channels[address] = grpc.insecure_channel(address, options=CHANNEL_OPTIONS)
            return self._channels[address]

    def close(self) -> None:
        with self._lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()

    # -- stubs ------------------------------------------------------------------------------------------------
    def _stub(self, factory: Any, service: str, node: str = "") -> Any:
        return _Stub(factory(self.channel(self.address(service, node))), self.metadata)

    def guardian(self, node: str = "") -> Any:
        return self._stub(guardian_pb2_grpc.GuardianStub, GUARDIAN, node or self.node)

    def media_catalog(self, node: str = "") -> Any:
        return self._stub(media_catalog_pb2_grpc.MediaCatalogStub, MEDIA_CATALOG, node or self.node)

    def domain(self, node: str = "") -> Any:
        return self._stub(backbox_domain_pb2_grpc.BackBoxDomainStub, BACKBOX_DOMAIN, node or self.node)

    def clock(self) -> Any:
        return self._stub(clock_pb2_grpc.ClockStub, CLOCK)

    def control(self) -> Any:
        return _Stub(control_pb2_grpc.ControlStub(self.channel(self.address(CONTROL))), self.metadata)


def node_of(qualified: str) -> str:
    """`\\INSIDX.QCVOLCAT` -> `\\INSIDX`; '' when the name is not qualified."""
    return qualified.split(".", 1)[0].upper() if qualified.startswith("\\") else ""


def utc_offset(info: Any) -> int:
    """A node's UTC offset in seconds from its GetNodeInfo answer (local_now is its wall clock written as UTC)."""
    return int(round((info.local_now.ToDatetime() - info.utc_now.ToDatetime()).total_seconds()))
