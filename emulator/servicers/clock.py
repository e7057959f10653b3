"""Clock servicer: virtual / real time, node offsets, timers (in-process callbacks or WatchTimers streams)."""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from datetime import timedelta
from typing import Iterator

import grpc

from emulator.clock import REAL, VIRTUAL, Clock, ClockReading, Firing
from emulator.errors import InvalidArgument
from emulator.servicers import timestamp_pb
from emulator.v1 import clock_pb2, clock_pb2_grpc

_MODES = {clock_pb2.CLOCK_MODE_VIRTUAL: VIRTUAL, clock_pb2.CLOCK_MODE_REAL: REAL}
_MODE_PB = {v: k for k, v in _MODES.items()}
ACK_TIMEOUT = 60.0   # wall seconds the clock waits for a watcher to acknowledge a firing or a sync
SETTLE_ACK_TIMEOUT = 600.0   # a follower settles once its processes end (each node gives up after 120 s)
log = logging.getLogger(__name__)


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
        if request.time_of_day:   # a node's daily job: kept at its local time of day (clock-skew faults)
            timer = self._clock.register_daily(t.owner, t.name, t.node, request.time_of_day, None)
        elif t.HasField("due"):
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
        watcher = _Watcher(first.owner, request_iterator)
        clock = self._clock

        def deliver(firing: Firing) -> str:
            answer = watcher.ask(("timer", firing.timer_id),
                                 clock_pb2.WatchTimersResponse(firing=firing_pb(firing)), f"timer {firing.timer_id}")
            return answer if isinstance(answer, str) else answer.error

        def sync(settle: bool = False) -> None:
            with watcher.sync_lock:  # one at a time, so the follower never takes an older reading after a newer
                reading = clock.reading()
                if not settle and reading == watcher.synced:
                    return  # nothing changed for this follower (several timers due at one instant)
                watcher.synced = reading
                message = sync_pb(reading, next(watcher.ids), settle)
                answer = watcher.ask(("sync", message.id), clock_pb2.WatchTimersResponse(sync=message),
                                     "a settle request" if settle else "a clock change",
                                     SETTLE_ACK_TIMEOUT if settle else ACK_TIMEOUT)
            if isinstance(answer, str) and not watcher.gone.is_set():
                log.warning("clock follower %s: %s", first.owner, answer)

        def settle() -> None:
            sync(settle=True)

        clock.set_delivery(first.owner, deliver)
        threading.Thread(target=watcher.read_acks, daemon=True, name=f"timer-acks-{first.owner}").start()
        if first.follow:
            # the first message a follower gets is the time itself: it may serve calls only once it has it
            threading.Thread(target=sync, daemon=True, name=f"clock-sync-{first.owner}").start()
            clock.add_time_listener(sync)
            clock.add_settle_hook(settle)
        try:
            while context.is_active():
                try:
                    item = watcher.outbox.get(timeout=0.5)
                except queue.Empty:
                    continue
                if item is None:
                    return
                yield item
        finally:
            watcher.gone.set()
            clock.remove_delivery(first.owner, deliver)
            if first.follow:
                clock.remove_time_listener(sync)
                clock.remove_settle_hook(settle)


def sync_pb(reading: ClockReading, sync_id: int, settle: bool) -> clock_pb2.ClockSync:
    return clock_pb2.ClockSync(id=sync_id, utc=_ts(reading.base), mode=_MODE_PB[reading.mode], rate=reading.rate,
                               monotonic=reading.monotonic, node_offsets=reading.offsets, settle=settle)


class _Watcher:
    """One WatchTimers stream: messages go out through `outbox`; each `ask` waits for its own acknowledgement
    (firings and clock syncs may be outstanding at once: an offset change during a firing)."""

    def __init__(self, owner: str, request_iterator: Iterator):
        self.owner = owner
        self._requests = request_iterator
        self.outbox: queue.Queue = queue.Queue()
        self.gone = threading.Event()  # the watcher left: what it is asked fails at once instead of blocking
        self.ids = itertools.count(1)
        self.synced: ClockReading | None = None
        self.sync_lock = threading.Lock()
        self._lock = threading.Lock()
        self._waiting: dict[tuple[str, int], queue.Queue] = {}

    def ask(self, key: tuple[str, int], message: clock_pb2.WatchTimersResponse, what: str,
            timeout: float = 0.0) -> clock_pb2.WatchTimersRequest | str:
        """Send `message`; return its acknowledgement, or an error text when none comes."""
        if self.gone.is_set():
            return f"the watcher of {self.owner} has gone"
        answer: queue.Queue = queue.Queue()
        with self._lock:
            self._waiting[key] = answer
        try:
            self.outbox.put(message)
            timeout = timeout or ACK_TIMEOUT
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    return answer.get(timeout=0.1)
                except queue.Empty:
                    if self.gone.is_set():
                        return f"the watcher of {self.owner} went away before acknowledging {what}"
            return f"owner {self.owner} did not acknowledge {what} within {timeout:.0f} s"
        finally:
            with self._lock:
                self._waiting.pop(key, None)

    def read_acks(self) -> None:
        try:
            for message in self._requests:
                if message.ack_sync:
                    key = ("sync", message.ack_sync)
                else:
                    key = ("timer", message.ack_timer_id)
                with self._lock:
                    if not message.ack_sync and not message.ack_timer_id:
                        # an acknowledgement without an id answers the firing outstanding (one at a time)
                        key = next((k for k in self._waiting if k[0] == "timer"), key)
                    waiter = self._waiting.get(key)
                if waiter is not None:
                    waiter.put(message)
                else:
                    log.warning("owner %s acknowledged %s %s, which nothing waits for", self.owner, *key)
        except grpc.RpcError:
            pass  # the watcher went away (cancelled or disconnected): that ends the stream below
        finally:
            self.gone.set()
            self.outbox.put(None)
