"""The link proxy over real gRPC: pass-through of every kind of call, and each fault (down, one-way, loss,
latency, bandwidth) with its counters. The upstream is a real Clock server, so no node is needed."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from grpc_health.v1 import health_pb2, health_pb2_grpc

from emulator import rpc
from emulator.clock import Clock
from emulator.errors import InvalidArgument
from emulator.link import LinkFault, LinkProxy
from emulator.servicers.clock import ClockServicer
from emulator.v1 import clock_pb2, clock_pb2_grpc
from tests.emulator.waiting import until


@pytest.fixture
def upstreams():
    """Two real servers (one per end) serving a Clock each."""
    clocks = [Clock(), Clock()]
    servers = []
    for c in clocks:
        server = rpc.Server()
        server.add(clock_pb2_grpc.add_ClockServicer_to_server, ClockServicer(c), "emulator.v1.Clock")
        servers.append(server.start())
    yield clocks, servers
    for s in servers:
        s.stop(None)
    for c in clocks:
        c.close()


@pytest.fixture
def link(upstreams):
    _, servers = upstreams
    proxy = LinkProxy("EXPAND", "\\INSIDX", "\\ETINIUM", servers[0].address, servers[1].address, seed=7).start()
    yield proxy
    proxy.stop()


def _clock_via(address: str) -> clock_pb2_grpc.ClockStub:
    return clock_pb2_grpc.ClockStub(rpc.channel(address))


def test_unary_call_passes_through_when_link_is_healthy(link, upstreams):
    clocks, _ = upstreams
    clocks[1].advance(by=timedelta(hours=3))
    resp = _clock_via(link.to_b.address).GetTime(clock_pb2.GetTimeRequest(), timeout=5)
    assert resp.utc.ToDatetime().replace(tzinfo=None) == clocks[1].now().replace(tzinfo=None)
    assert link.counters.calls == 1
    assert link.counters.bytes_b_to_a > 0


def test_health_and_reflection_reach_the_far_node_when_link_is_healthy(link):
    stub = health_pb2_grpc.HealthStub(rpc.channel(link.to_b.address))
    assert stub.Check(health_pb2.HealthCheckRequest(service="emulator.v1.Clock"), timeout=5).status == \
        health_pb2.HealthCheckResponse.SERVING
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc  # noqa: PLC0415

    refl = reflection_pb2_grpc.ServerReflectionStub(rpc.channel(link.to_b.address))
    answers = list(refl.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]),
                                             timeout=5))
    names = {s.name for s in answers[0].list_services_response.service}
    assert "emulator.v1.Clock" in names


def test_call_fails_with_unavailable_and_error_250_when_link_is_down(link):
    link.set_fault(LinkFault(down=True))
    with pytest.raises(grpc.RpcError) as info:
        _clock_via(link.to_b.address).GetTime(clock_pb2.GetTimeRequest(), timeout=5)
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE
    assert rpc.guardian_error(info.value) == 250
    assert rpc.is_indefinite(info.value)
    assert link.counters.failures == 1


def test_call_succeeds_again_when_link_is_healed(link):
    link.set_fault(LinkFault(down=True))
    with pytest.raises(grpc.RpcError) as info:
        _clock_via(link.to_b.address).GetTime(clock_pb2.GetTimeRequest(), timeout=5)
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE
    link.heal()
    assert _clock_via(link.to_b.address).GetTime(clock_pb2.GetTimeRequest(), timeout=5).mode == \
        clock_pb2.CLOCK_MODE_VIRTUAL


def test_configured_guardian_error_is_returned_when_link_is_down(link):
    link.set_fault(LinkFault(down=True, guardian_error=201))
    with pytest.raises(grpc.RpcError) as info:
        _clock_via(link.to_a.address).GetTime(clock_pb2.GetTimeRequest(), timeout=5)
    assert rpc.guardian_error(info.value) == 201


def test_one_way_link_refuses_calls_from_the_cut_side_only(link, upstreams):
    link.set_fault(LinkFault(one_way_from="\\INSIDX"))
    with pytest.raises(grpc.RpcError) as info:
        _clock_via(link.to_b.address).GetTime(clock_pb2.GetTimeRequest(), timeout=5)
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE


def test_one_way_link_runs_the_call_but_loses_its_answer_when_called_from_the_other_side(link, upstreams):
    clocks, _ = upstreams
    link.set_fault(LinkFault(one_way_from="\\INSIDX"))
    # \ETINIUM calls \INSIDX: the request arrives and runs, the answer toward \INSIDX... is toward \ETINIUM.
    # The cut direction is \INSIDX -> \ETINIUM, so the answer from \INSIDX is lost: indefinite outcome.
    with pytest.raises(grpc.RpcError) as info:
        _clock_via(link.to_a.address).SetNodeOffset(
            clock_pb2.SetNodeOffsetRequest(node="\\INSIDX", offset_seconds=3600), timeout=5)
    assert rpc.is_indefinite(info.value)
    assert clocks[0].offset("\\INSIDX") == 3600  # it happened all the same


def _forty_calls(stub: clock_pb2_grpc.ClockStub) -> list[bool]:
    """Which of 40 calls got through."""
    outcomes = []
    for _ in range(40):
        try:
            stub.GetTime(clock_pb2.GetTimeRequest(), timeout=5)
            outcomes.append(True)
        except grpc.RpcError:
            outcomes.append(False)
    return outcomes


def test_loss_drops_a_seeded_share_of_calls_when_loss_probability_is_set(link):
    stub = _clock_via(link.to_b.address)
    link.set_fault(LinkFault(loss_probability=0.5), seed=42)
    outcomes = _forty_calls(stub)
    assert 5 < outcomes.count(False) < 35
    assert link.counters.dropped == outcomes.count(False)
    link.set_fault(LinkFault(loss_probability=0.5), seed=42)
    assert _forty_calls(stub) == outcomes  # the same seed gives the same drops


def test_latency_delays_each_call_when_latency_is_set(link):
    stub = _clock_via(link.to_b.address)
    stub.GetTime(clock_pb2.GetTimeRequest(), timeout=5)
    link.set_fault(LinkFault(latency_ms=150))
    began = time.monotonic()
    stub.GetTime(clock_pb2.GetTimeRequest(), timeout=5)
    assert time.monotonic() - began >= 0.29  # request and answer each wait 150 ms


def test_bandwidth_limit_slows_large_messages_when_set(link):
    link.set_fault(LinkFault(bandwidth_bytes_per_second=20_000))
    stub = _clock_via(link.to_b.address)
    timer = clock_pb2.Timer(owner="T", name="big", payload=b"x" * 10_000)
    began = time.monotonic()
    stub.RegisterTimer(clock_pb2.RegisterTimerRequest(timer=timer, delay=Duration(seconds=60)), timeout=10)
    assert time.monotonic() - began >= 0.9  # 10 KB out and 10 KB back at 20 KB/s


def test_streaming_call_passes_through_when_link_is_healthy(link, upstreams):
    """A bidirectional stream (WatchTimers) through the proxy: the far clock delivers a firing and gets an ack."""
    clocks, _ = upstreams
    stub = _clock_via(link.to_b.address)
    clocks[1].register("\\INSIDX/TEST", "tick", delay=timedelta(minutes=1))
    acks: list = [clock_pb2.WatchTimersRequest(owner="\\INSIDX/TEST")]
    cond = threading.Condition()

    def requests():
        sent = 0
        while True:
            with cond:
                cond.wait_for(lambda: len(acks) > sent, timeout=10)
                if len(acks) <= sent:
                    return
                item = acks[sent]
            sent += 1
            if item is None:
                return
            yield item

    responses = stub.WatchTimers(requests(), timeout=20)
    fired: list = []
    advancer = threading.Thread(target=lambda: fired.extend(clocks[1].advance(by=timedelta(minutes=2))))
    until(lambda: "\\INSIDX/TEST" in clocks[1]._deliveries)  # the stream has registered its owner
    advancer.start()
    first = next(responses)
    assert first.firing.timer.name == "tick"
    with cond:
        acks.append(clock_pb2.WatchTimersRequest(ack_timer_id=first.firing.timer.id))
        cond.notify_all()
    advancer.join(10)
    assert [f.name for f in fired] == ["tick"] and fired[0].error == ""
    with cond:
        acks.append(None)
        cond.notify_all()
    responses.cancel()


def test_fault_on_a_node_outside_the_link_is_rejected_when_set(link):
    with pytest.raises(InvalidArgument, match="not an end"):
        link.set_fault(LinkFault(one_way_from="\\OTHER"))
    with pytest.raises(InvalidArgument, match="between 0 and 1"):
        link.set_fault(LinkFault(loss_probability=1.5))
    assert link.fault.healthy


def test_open_stream_is_cut_when_the_link_goes_down_during_it(link, upstreams):
    """A link failure cuts calls in progress too, not only new ones."""
    clocks, _ = upstreams
    stub = _clock_via(link.to_b.address)
    stop = threading.Event()

    def requests():
        yield clock_pb2.WatchTimersRequest(owner="\\INSIDX/CUT")
        stop.wait(15)

    responses = stub.WatchTimers(requests(), timeout=20)
    until(lambda: "\\INSIDX/CUT" in clocks[1]._deliveries)
    link.set_fault(LinkFault(down=True))
    clocks[1].register("\\INSIDX/CUT", "after the cut", delay=timedelta(seconds=1))
    advancer = threading.Thread(target=lambda: clocks[1].advance(by=timedelta(seconds=2)))
    advancer.start()
    try:
        with pytest.raises(grpc.RpcError) as info:
            next(responses)
        assert info.value.code() == grpc.StatusCode.UNAVAILABLE
        assert rpc.guardian_error(info.value) == 250
    finally:
        stop.set()
        responses.cancel()
        advancer.join(70)
