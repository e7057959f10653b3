"""Expand and WAN links: a byte-level gRPC proxy between two nodes, one listening port per direction.

Every cross-site call goes through a link, so a fault cuts real calls: the proxy handles every method with a
generic stream-stream handler and passes the serialized messages through untouched (a unary call is a stream of
one message on the wire, so one handler serves all four kinds of RPC, health checks and reflection included).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

import grpc

from emulator import rpc
from emulator.errors import InvalidArgument
from emulator.names import parse_node

EXPAND = "EXPAND"
WAN = "WAN"
KINDS = (EXPAND, WAN)
_DROP_METADATA = ("user-agent", "grpc-")


@dataclass(frozen=True)
class LinkFault:
    """The faults in force on a link; the default is a healthy link."""

    down: bool = False
    one_way_from: str = ""           # calls from this node are lost; answers to it are lost too
    latency_ms: int = 0
    loss_probability: float = 0.0
    bandwidth_bytes_per_second: int = 0
    guardian_error: int = 250        # Expand loss => 250, 201 configurable (domain-facts §1, open question 13)

    def validate(self, link: "LinkProxy") -> "LinkFault":
        if self.one_way_from and parse_node(self.one_way_from) not in (link.node_a, link.node_b):
            raise InvalidArgument(f"one_way_from {self.one_way_from} is not an end of {link.id}: use "
                                  f"{link.node_a} or {link.node_b}")
        if not 0.0 <= self.loss_probability <= 1.0:
            raise InvalidArgument(f"loss probability {self.loss_probability} must be between 0 and 1")
        if self.latency_ms < 0 or self.bandwidth_bytes_per_second < 0:
            raise InvalidArgument("latency and bandwidth must be zero or positive")
        if self.guardian_error and not 1 <= self.guardian_error <= 255:
            raise InvalidArgument(f"Guardian error {self.guardian_error} must be 1..255 (250 or 201 for Expand)")
        one_way = parse_node(self.one_way_from) if self.one_way_from else ""
        return replace(self, one_way_from=one_way, guardian_error=self.guardian_error or 250)

    @property
    def healthy(self) -> bool:
        return self == LinkFault()


@dataclass
class LinkCounters:
    calls: int = 0
    bytes_a_to_b: int = 0
    bytes_b_to_a: int = 0
    failures: int = 0
    dropped: int = 0


@dataclass
class _Direction:
    """One direction of a link: calls from `source` to `dest`, listening on `server`."""

    source: str
    dest: str
    upstream: str
    server: grpc.Server | None = None
    address: str = ""
    channel: grpc.Channel | None = field(default=None, repr=False)


class LinkProxy:
    """A link between two nodes with its faults and counters; `start()` opens its two listening ports."""

    def __init__(self, kind: str, node_a: str, node_b: str, upstream_a: str, upstream_b: str, *, seed: int = 0,
                 host: str = "127.0.0.1"):
        if kind not in KINDS:
            raise InvalidArgument(f"link kind {kind!r} must be EXPAND or WAN")
        self.kind = kind
        self.node_a, self.node_b = parse_node(node_a), parse_node(node_b)
        if self.node_a == self.node_b:
            raise InvalidArgument(f"a link joins two different nodes, not {self.node_a} with itself")
        self.id = f"{kind}:{self.node_a}-{self.node_b}"
        self.fault = LinkFault()
        self.counters = LinkCounters()
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._host = host
        self.to_b = _Direction(self.node_a, self.node_b, upstream_b)
        self.to_a = _Direction(self.node_b, self.node_a, upstream_a)

    # -- lifecycle ------------------------------------------------------------------------------------------
    def start(self) -> "LinkProxy":
        for direction in (self.to_b, self.to_a):
            direction.channel = rpc.channel(direction.upstream)
            server = grpc.server(_executor(), options=[*rpc.CHANNEL_OPTIONS, ("grpc.so_reuseport", 0)])
            server.add_generic_rpc_handlers((_Forwarder(self, direction),))
            port = server.add_insecure_port(f"{self._host}:0")
            server.start()
            direction.server, direction.address = server, f"{self._host}:{port}"
        return self

    def stop(self) -> None:
        for direction in (self.to_b, self.to_a):
            if direction.server is not None:
                direction.server.stop(None).wait(5)
            if direction.channel is not None:
                direction.channel.close()

    def address_from(self, node: str) -> str:
        """Where `node` sends calls meant for the other end."""
        return self.to_b.address if parse_node(node) == self.node_a else self.to_a.address

    # -- faults ---------------------------------------------------------------------------------------------
    def set_fault(self, fault: LinkFault, seed: int | None = None) -> LinkFault:
        checked = fault.validate(self)
        with self._lock:
            self.fault = checked
            if seed is not None:
                self._rng = random.Random(seed)
        return checked

    def heal(self) -> None:
        with self._lock:
            self.fault = LinkFault()

    def reset_counters(self) -> None:
        with self._lock:
            self.counters = LinkCounters()

    # -- data plane -----------------------------------------------------------------------------------------
    def _count(self, direction: _Direction, size: int) -> None:
        with self._lock:
            if direction is self.to_b:
                self.counters.bytes_a_to_b += size
            else:
                self.counters.bytes_b_to_a += size

    def _fail(self, dropped: bool = False) -> None:
        with self._lock:
            self.counters.failures += 1
            self.counters.dropped += int(dropped)

    def _admit(self, direction: _Direction) -> tuple[LinkFault, str | None, bool]:
        """Decide a call's fate at its start: (fault, refusal text or None, answer lost)."""
        with self._lock:
            self.counters.calls += 1
            fault = self.fault
            if fault.down:
                return fault, f"all paths to {direction.dest} are down: Expand link {self.id} is cut", False
            if fault.one_way_from == direction.source:
                return fault, f"link {self.id} loses traffic from {direction.source} to {direction.dest}", False
            if fault.loss_probability and self._rng.random() < fault.loss_probability:
                return fault, f"call lost on link {self.id} (loss probability {fault.loss_probability})", False
            return fault, None, fault.one_way_from == direction.dest


def _executor() -> Any:
    from concurrent import futures  # noqa: PLC0415

    return futures.ThreadPoolExecutor(max_workers=32, thread_name_prefix="link")


def _delay(fault: LinkFault, size: int) -> None:
    wait = fault.latency_ms / 1000
    if fault.bandwidth_bytes_per_second:
        wait += size / fault.bandwidth_bytes_per_second
    if wait:
        time.sleep(wait)  # the network itself takes time: wall time, as a real link would


class _Forwarder(grpc.GenericRpcHandler):
    def __init__(self, link: LinkProxy, direction: _Direction):
        self._link = link
        self._direction = direction

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler:
        method = handler_call_details.method
        return grpc.stream_stream_rpc_method_handler(
            lambda requests, context: self._forward(method, requests, context))

    def _forward(self, method: str, requests: Iterator[bytes], context: grpc.ServicerContext) -> Iterator[bytes]:
        link, direction = self._link, self._direction
        fault, refusal, answer_lost = link._admit(direction)
        if refusal is not None:
            link._fail(dropped="loss probability" in refusal)
            context.set_trailing_metadata(((rpc.GUARDIAN_ERROR_KEY, str(fault.guardian_error)),))
            context.abort(grpc.StatusCode.UNAVAILABLE, refusal)
        metadata = tuple((k, v) for k, v in context.invocation_metadata() if not k.startswith(_DROP_METADATA))
        remaining = context.time_remaining()
        timeout = rpc.DEFAULT_DEADLINE * 4 if remaining is None or remaining > 3600 else max(remaining, 0.001)

        holder: dict[str, grpc.Future] = {}

        def outbound() -> Iterator[bytes]:
            for message in requests:
                if _cut(link.fault, direction.source):
                    if "call" in holder:
                        holder["call"].cancel()  # the link went down under an open stream
                    return
                _delay(link.fault, len(message))
                link._count(direction, len(message))
                yield message

        call = direction.channel.stream_stream(  # type: ignore[union-attr]
            method, request_serializer=None, response_deserializer=None)(
            outbound(), metadata=metadata, timeout=timeout)
        holder["call"] = call
        try:
            for message in call:
                if _cut(link.fault, direction.dest):
                    call.cancel()
                    link._fail()
                    context.set_trailing_metadata(((rpc.GUARDIAN_ERROR_KEY, str(link.fault.guardian_error)),))
                    context.abort(grpc.StatusCode.UNAVAILABLE,
                                  f"all paths to {direction.dest} went down during the call: link {link.id} is cut")
                if answer_lost:
                    continue  # the call runs on the far node; its answer never comes back
                _delay(link.fault, len(message))
                link._count(_reverse(link, direction), len(message))
                yield message
            trailers = call.trailing_metadata()
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.CANCELLED and _cut(link.fault, direction.source):
                link._fail()
                context.set_trailing_metadata(((rpc.GUARDIAN_ERROR_KEY, str(link.fault.guardian_error)),))
                context.abort(grpc.StatusCode.UNAVAILABLE,
                              f"all paths to {direction.dest} went down during the call: link {link.id} is cut")
            if rpc.is_indefinite(exc):  # the far node's own answers (NOT_FOUND ...) are not link failures
                link._fail()
            if exc.trailing_metadata():
                context.set_trailing_metadata(tuple(exc.trailing_metadata()))
            context.abort(exc.code(), exc.details() or "")
        if answer_lost:
            link._fail()
            context.set_trailing_metadata(((rpc.GUARDIAN_ERROR_KEY, str(fault.guardian_error)),))
            context.abort(grpc.StatusCode.UNAVAILABLE,
                          f"answer lost on link {link.id}: the call may have run on {direction.dest}")
        if trailers:
            context.set_trailing_metadata(tuple(trailers))


def _cut(fault: LinkFault, sender: str) -> bool:
    """Whether messages sent by `sender` are lost under `fault` (checked per message: a cut stops open streams)."""
    return fault.down or fault.one_way_from == sender


def _reverse(link: LinkProxy, direction: _Direction) -> _Direction:
    return link.to_a if direction is link.to_b else link.to_b
