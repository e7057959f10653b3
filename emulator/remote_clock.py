"""The topology's clock as seen from another OS process: a node's services started on their own (the
`subprocess` launcher) read time, offsets and timers through the Clock service and keep the same rules as in one
process (DESIGN §3).

`RemoteClock` follows the Clock service on one `WatchTimers` stream (`follow`): the clock sends it every change of
time, mode and node offsets *before* anything happens at the new time, so `now()` is a local read that is always
current; it receives the firings of its owners (`\\INSIDX/*`) and runs their callbacks; and after each firing and
at each `Advance` it gets a settle request, which it acknowledges only once its own settle hooks (the node's
processes) have returned. Timers are registered in the topology's clock, so they fire in one (due, sequence)
order across every process.

REAL mode is read from the host's monotonic clock with the base the clock sent: the follower must run on the
clock's host (the subprocess launcher's case).
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable

import grpc
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from emulator import rpc
from emulator.clock import REAL, VIRTUAL, Firing, TimeKeeper, Timer, parse_time_of_day
from emulator.errors import EmulatorError, InvalidArgument
from emulator.v1 import clock_pb2, clock_pb2_grpc

log = logging.getLogger(__name__)

_MODES = {clock_pb2.CLOCK_MODE_VIRTUAL: VIRTUAL, clock_pb2.CLOCK_MODE_REAL: REAL}


class ClockUnavailable(EmulatorError):
    """The topology's Clock service cannot be followed."""

    status = "UNAVAILABLE"


def _utc(stamp: Timestamp) -> datetime:
    return stamp.ToDatetime().replace(tzinfo=timezone.utc)


def _stamp(moment: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(moment)
    return out


class RemoteClock(TimeKeeper):
    """A `Clock` for the services of one node in their own OS process (same methods the node's code uses)."""

    def __init__(self, address: str, owner_prefix: str, *, set_offsets: bool = False,
                 connect_timeout: float = 30.0):
        """Follow the Clock service at `address`, receiving the firings of every owner starting `owner_prefix`
        (`\\INSIDX/`). `set_offsets=False`: a node's offset lives in the topology's clock (the launcher set it
        from the topology), so a restarted node does not undo a skew the harness gave it."""
        self.address = address
        self.owner_prefix = owner_prefix
        self._set_offsets = set_offsets
        self._channel = rpc.channel(address)
        self._stub = clock_pb2_grpc.ClockStub(self._channel)
        self._lock = threading.RLock()
        self._base = datetime.fromtimestamp(0, timezone.utc)
        self._monotonic = 0.0
        self._mode = VIRTUAL
        self._rate = 1.0
        self._offsets: dict[str, int] = {}
        self._callbacks: dict[int, tuple[Callable[[Firing], None], bool]] = {}   # id -> (callback, periodic)
        self._settle_hooks: list[Callable[[], None]] = []
        self._acks: queue.Queue = queue.Queue()
        self._synced = threading.Event()
        self._closed = threading.Event()
        self._call = None
        self._thread = threading.Thread(target=self._follow, name=f"clock-follower {owner_prefix}", daemon=True)
        self._thread.start()
        if not self._synced.wait(connect_timeout):
            self.close()
            raise ClockUnavailable(f"the Clock service at {address} sent no time within {connect_timeout:.0f} s:"
                                   " is the topology's control process running?")

    # -- time -----------------------------------------------------------------------------------------------
    def set_offset(self, node: str, seconds: int) -> None:
        """Ignored unless `set_offsets` (see __init__); otherwise set in the topology's clock."""
        if not self._set_offsets:
            return
        self._stub.SetNodeOffset(clock_pb2.SetNodeOffsetRequest(node=node, offset_seconds=int(seconds)),
                                 timeout=rpc.DEFAULT_DEADLINE)

    # -- timers ---------------------------------------------------------------------------------------------
    def register(self, owner: str, name: str, *, due: datetime | None = None, delay: timedelta | None = None,
                 callback: Callable[[Firing], None] | None = None, node: str = "",
                 period: timedelta | None = None, payload: bytes = b"") -> Timer:
        if (due is None) == (delay is None):
            raise InvalidArgument(f"timer {name!r}: give exactly one of due or delay")
        if not owner.startswith(self.owner_prefix):
            raise InvalidArgument(f"timer {name!r}: owner {owner!r} is not this process's (it receives the timers"
                                  f" of {self.owner_prefix}*)")
        when = due if due is not None else self.now() + delay  # type: ignore[operator]
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        request = clock_pb2.RegisterTimerRequest(timer=clock_pb2.Timer(
            owner=owner, name=name, node=node, payload=payload, due=_stamp(when)))
        if period is not None:
            request.timer.period.CopyFrom(Duration(seconds=int(period.total_seconds()),
                                                   nanos=period.microseconds * 1000))
        with self._lock:  # the callback is known before the timer can fire
            got = self._stub.RegisterTimer(request, timeout=rpc.DEFAULT_DEADLINE).timer
            if callback is not None:
                self._callbacks[got.id] = (callback, period is not None)
        return Timer(_utc(got.due), got.sequence, got.id, owner, name, node, period, payload, callback)

    def register_daily(self, owner: str, name: str, node: str, time_of_day: str,
                       callback: Callable[[Firing], None]) -> Timer:
        """Registered as a daily timer in the topology's clock, which keeps it at the node's local time of day
        when the node's offset changes."""
        parse_time_of_day(time_of_day, name)   # a bad time is refused here, with this node's words
        request = clock_pb2.RegisterTimerRequest(timer=clock_pb2.Timer(owner=owner, name=name, node=node),
                                                 time_of_day=time_of_day)
        with self._lock:
            got = self._stub.RegisterTimer(request, timeout=rpc.DEFAULT_DEADLINE).timer
            self._callbacks[got.id] = (callback, True)
        return Timer(_utc(got.due), got.sequence, got.id, owner, name, node, timedelta(days=1), b"", callback)

    def cancel(self, timer_id: int) -> bool:
        with self._lock:
            self._callbacks.pop(timer_id, None)
        return self._stub.CancelTimer(clock_pb2.CancelTimerRequest(id=timer_id),
                                      timeout=rpc.DEFAULT_DEADLINE).cancelled

    def cancel_owner(self, owner: str) -> int:
        return sum(self.cancel(t.id) for t in self.timers(owner))

    def timers(self, owner: str | None = None) -> list[Timer]:
        listed = self._stub.ListTimers(clock_pb2.ListTimersRequest(owner=owner or ""),
                                       timeout=rpc.DEFAULT_DEADLINE).timers
        return sorted(Timer(_utc(t.due), t.sequence, t.id, t.owner, t.name, t.node, None, t.payload)
                      for t in listed)

    def add_settle_hook(self, hook: Callable[[], None]) -> None:
        self._settle_hooks.append(hook)

    def remove_settle_hook(self, hook: Callable[[], None]) -> None:
        if hook in self._settle_hooks:
            self._settle_hooks.remove(hook)

    def advance(self, by: timedelta | None = None, until: datetime | None = None) -> list[Firing]:
        raise InvalidArgument("a node's services do not move the topology's clock: call Clock.Advance")

    def close(self) -> None:
        self._closed.set()
        self._acks.put(None)
        if self._call is not None:
            self._call.cancel()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._channel.close()

    # -- the follower stream --------------------------------------------------------------------------------
    def _requests(self):
        yield clock_pb2.WatchTimersRequest(owner=f"{self.owner_prefix}*", follow=True)
        while True:
            ack = self._acks.get()
            if ack is None:
                return
            yield ack

    def _follow(self) -> None:
        try:
            self._call = self._stub.WatchTimers(self._requests())
            for response in self._call:
                if response.HasField("sync"):
                    self._acks.put(self._on_sync(response.sync))
                elif response.HasField("firing"):
                    self._acks.put(self._on_firing(response.firing))
        except grpc.RpcError as exc:
            if not self._closed.is_set():
                log.error("clock follower %s: the Clock service stream ended: %s", self.owner_prefix,
                          exc.details())
        finally:
            self._synced.set()  # never leave the constructor waiting on a stream that has ended

    def _on_sync(self, sync: clock_pb2.ClockSync) -> clock_pb2.WatchTimersRequest:
        with self._lock:
            self._base = _utc(sync.utc)
            self._monotonic = sync.monotonic
            self._mode = _MODES.get(sync.mode, VIRTUAL)
            self._rate = sync.rate or 1.0
            self._offsets = {k.upper(): v for k, v in sync.node_offsets.items()}
        self._synced.set()
        if sync.settle:
            for hook in list(self._settle_hooks):
                try:
                    hook()
                except Exception:  # noqa: BLE001 - a hook's failure must not stop the clock of the topology
                    log.exception("clock follower %s: a settle hook failed", self.owner_prefix)
        return clock_pb2.WatchTimersRequest(ack_sync=sync.id)

    def _on_firing(self, firing_pb: clock_pb2.TimerFiring) -> clock_pb2.WatchTimersRequest:
        t = firing_pb.timer
        with self._lock:
            entry = self._callbacks.get(t.id)
            if entry is not None and not entry[1]:
                del self._callbacks[t.id]   # a one-shot timer fires once
        if entry is None:
            return clock_pb2.WatchTimersRequest(ack_timer_id=t.id, error=f"no handler for owner {t.owner!r}")
        firing = Firing(t.id, t.owner, t.name, t.node, _utc(t.due), t.sequence, t.payload)
        error = ""
        try:
            entry[0](firing)
        except Exception as exc:  # recorded by the clock, which goes on (the timer is the owner's)
            error = f"{type(exc).__name__}: {exc}"
        return clock_pb2.WatchTimersRequest(ack_timer_id=t.id, error=error)
