"""Clock servicer: virtual / real time, node offsets, timers (in-process callbacks or WatchTimers streams)."""

from __future__ import annotations

import queue
import threading
import time
from datetime import timedelta
from typing import Iterator

import grpc

from emulator.clock import REAL, VIRTUAL, Clock, Firing
from emulator.errors import InvalidArgument
from emulator.servicers import timestamp_pb
from emulator.v1 import clock_pb2, clock_pb2_grpc

_MODES = {clock_pb2.CLOCK_MODE_VIRTUAL: VIRTUAL, clock_pb2.CLOCK_MODE_REAL: REAL}
_MODE_PB = {v: k for k, v in _MODES.items()}


_ts = timestamp_pb


def firing_pb(f: Firing) -> clock_pb2.TimerFiring:
    return clock_pb2.TimerFiring(
        timer=clock_pb2.Timer(id=f.timer_id, owner=f.owner, name=f.name, node=f.node, due=_ts(f.due),
                              sequence=f.sequence, payload=f.payload),
        fired_at=_ts(f.due))


class ClockServicer(clock_pb2_grpc.ClockServicer):
    def __init__(self, clock: Clock):
        self._clock = clock

    def GetTime(self, request, context):  # noqa: N802
        resp = clock_pb2.GetTimeResponse(utc=_ts(self._clock.now()), mode=_MODE_PB[self._clock.mode],
                                         rate=self._clock.rate)
        if request.node:
            # a Timestamp has no zone: node_local carries the node's wall-clock reading written as if it were UTC
            # (as Guardian's GetNodeInfo.local_now does)
            resp.node_local.CopyFrom(_ts(self._clock.local_now(request.node).replace(tzinfo=None)))
            resp.node_offset_seconds = self._clock.offset(request.node)
        return resp

    def SetMode(self, request, context):  # noqa: N802
        if request.mode not in _MODES:
            raise InvalidArgument("mode must be CLOCK_MODE_VIRTUAL or CLOCK_MODE_REAL")
        self._clock.set_mode(_MODES[request.mode], request.rate or 1.0)
        return clock_pb2.SetModeResponse(mode=request.mode, rate=self._clock.rate)

    def Advance(self, request, context):  # noqa: N802
        which = request.WhichOneof("target")
        if which == "by":
            fired = self._clock.advance(by=request.by.ToTimedelta())
        elif which == "until":
            fired = self._clock.advance(until=request.until.ToDatetime().replace(tzinfo=self._clock.now().tzinfo))
        else:
            raise InvalidArgument("Advance needs 'by' (a duration) or 'until' (a timestamp)")
        return clock_pb2.AdvanceResponse(utc=_ts(self._clock.now()), fired=[firing_pb(f) for f in fired])

    def SetNodeOffset(self, request, context):  # noqa: N802
        self._clock.set_offset(request.node, request.offset_seconds)
        return clock_pb2.SetNodeOffsetResponse(offset_seconds=self._clock.offset(request.node))

    def RegisterTimer(self, request, context):  # noqa: N802
        t = request.timer
        if not t.owner or not t.name:
            raise InvalidArgument("a timer needs an owner and a name")
        period = t.period.ToTimedelta() if t.HasField("period") and t.period.ToTimedelta() else None
        if t.HasField("due"):
            timer = self._clock.register(t.owner, t.name, due=t.due.ToDatetime(), node=t.node, period=period,
                                         payload=t.payload)
        else:
            timer = self._clock.register(t.owner, t.name, delay=request.delay.ToTimedelta() or timedelta(0),
                                         node=t.node, period=period, payload=t.payload)
        return clock_pb2.RegisterTimerResponse(timer=clock_pb2.Timer(
            id=timer.id, owner=timer.owner, name=timer.name, node=timer.node, due=_ts(timer.due),
            sequence=timer.sequence, payload=timer.payload))

    def CancelTimer(self, request, context):  # noqa: N802
        return clock_pb2.CancelTimerResponse(cancelled=self._clock.cancel(request.id))

    def ListTimers(self, request, context):  # noqa: N802
        return clock_pb2.ListTimersResponse(timers=[
            clock_pb2.Timer(id=t.id, owner=t.owner, name=t.name, node=t.node, due=_ts(t.due), sequence=t.sequence,
                            payload=t.payload) for t in self._clock.timers(request.owner)])

    def WatchTimers(self, request_iterator: Iterator, context: grpc.ServicerContext):  # noqa: N802
        first = next(request_iterator, None)
        if first is None or not first.owner:
            raise InvalidArgument("the first WatchTimers message must name the owner")
        owner = first.owner
        outbox: queue.Queue = queue.Queue()
        acks: queue.Queue = queue.Queue()
        gone = threading.Event()  # the watcher left: firings for it fail at once instead of blocking Advance

        def deliver(firing: Firing) -> str:
            if gone.is_set():
                return f"the watcher of {owner} has gone"
            outbox.put(firing)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    ack = acks.get(timeout=0.1)
                except queue.Empty:
                    if gone.is_set():
                        return f"the watcher of {owner} went away before acknowledging timer {firing.timer_id}"
                    continue
                if ack.ack_timer_id and ack.ack_timer_id != firing.timer_id:
                    return f"owner {owner} acknowledged timer {ack.ack_timer_id}, not {firing.timer_id}"
                return ack.error
            return f"owner {owner} did not acknowledge timer {firing.timer_id} within 60 s"

        def read_acks() -> None:
            try:
                for message in request_iterator:
                    acks.put(message)
            except grpc.RpcError:
                pass  # the watcher went away (cancelled or disconnected): that ends the stream below
            finally:
                gone.set()
                outbox.put(None)

        self._clock.set_delivery(owner, deliver)
        threading.Thread(target=read_acks, daemon=True, name=f"timer-acks-{owner}").start()
        try:
            while context.is_active():
                try:
                    item = outbox.get(timeout=0.5)
                except queue.Empty:
                    continue
                if item is None:
                    return
                yield clock_pb2.WatchTimersResponse(firing=firing_pb(item))
        finally:
            gone.set()
            self._clock.set_delivery(owner, None)
