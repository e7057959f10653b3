"""The topology's clock: virtual or real time, per-node offsets, and timers fired in (due, sequence) order.

Every service reads time here, never from `time.time()` (DESIGN §3). In virtual mode time moves only through
`advance`; each due timer fires at its own instant, and the settle hooks (the process runners) get to finish
the work that firing started before the next timer fires, so one seed gives one history.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from emulator.errors import InvalidArgument

VIRTUAL = "virtual"
REAL = "real"
DEFAULT_START = datetime(2025, 9, 23, 20, 0, 0, tzinfo=timezone.utc)


@dataclass(order=True)
class Timer:
    """A registered timer; `callback(firing)` runs when it is due (or the owner's delivery function does)."""

    due: datetime
    sequence: int
    id: int = field(compare=False)
    owner: str = field(compare=False)
    name: str = field(compare=False)
    node: str = field(compare=False, default="")
    period: timedelta | None = field(compare=False, default=None)
    payload: bytes = field(compare=False, default=b"")
    callback: Callable[["Firing"], None] | None = field(compare=False, default=None, repr=False)
    cancelled: bool = field(compare=False, default=False)
    daily: tuple[int, int] | None = field(compare=False, default=None)   # (hh, mm) of the node's local clock


@dataclass(frozen=True)
class Firing:
    """One firing of a timer, as `advance` reports it."""

    timer_id: int
    owner: str
    name: str
    node: str
    due: datetime
    sequence: int
    payload: bytes = b""
    error: str = ""


@dataclass(frozen=True)
class ClockReading:
    """Everything another OS process needs to tell the time as this clock does: in REAL mode the time is
    `base + (time.monotonic() - monotonic) * rate` (the same host's monotonic clock)."""

    base: datetime
    monotonic: float
    mode: str
    rate: float
    offsets: dict[str, int]


class TimeKeeper:
    """Telling the time from a base instant and, in REAL mode, the host's monotonic clock at that instant; node
    offsets. Shared by the topology's clock and a node process's follower of it (emulator.remote_clock)."""

    _lock: threading.RLock
    _mode: str
    _rate: float
    _base: datetime
    _monotonic: float
    _offsets: dict[str, int]

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def rate(self) -> float:
        return self._rate

    def now(self) -> datetime:
        """UTC now (timezone-aware)."""
        with self._lock:
            if self._mode == REAL:
                return self._base + timedelta(seconds=(time.monotonic() - self._monotonic) * self._rate)
            return self._base

    def offset(self, node: str) -> int:
        """The node's local time minus UTC, in seconds."""
        with self._lock:
            return self._offsets.get(node.upper(), 0)

    def local_now(self, node: str) -> datetime:
        """What the node's clock shows: UTC plus its offset, as a timezone-aware datetime."""
        return to_local(self.now(), self.offset(node))


class Clock(TimeKeeper):
    """Virtual or real time for a whole topology."""

    def __init__(self, *, mode: str = VIRTUAL, start: datetime | None = None, rate: float = 1.0):
        if mode not in (VIRTUAL, REAL):
            raise InvalidArgument(f"clock mode {mode!r} is not valid: use 'virtual' or 'real'")
        self._lock = threading.RLock()
        self._advance_lock = threading.Lock()
        self._heap: list[Timer] = []
        self._by_id: dict[int, Timer] = {}
        self._ids = itertools.count(1)
        self._seq = itertools.count(1)
        self._offsets: dict[str, int] = {}
        self._settle_hooks: list[Callable[[], None]] = []
        self._time_listeners: list[Callable[[], None]] = []
        self._deliveries: dict[str, Callable[[Firing], str]] = {}
        self._mode = mode
        self._rate = rate
        self._base = _aware(start or DEFAULT_START)
        self._monotonic = time.monotonic()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if mode == REAL:
            self._start_ticker()

    # -- time -----------------------------------------------------------------------------------------------

    def reading(self) -> ClockReading:
        """The clock's state in one consistent read (what a follower in another OS process needs)."""
        with self._lock:
            return ClockReading(self._base, self._monotonic, self._mode, self._rate, dict(self._offsets))

    def set_offset(self, node: str, seconds: int) -> None:
        if abs(seconds) >= MAX_OFFSET:   # a node's local time is a fixed-offset time zone: less than a day
            raise InvalidArgument(f"offset {seconds} s for {node} is {abs(seconds) / 3600:.1f} h off UTC: a node's"
                                  " clock (its zone plus any skew) stays less than 24 h from UTC; skew it less")
        with self._lock:
            self._offsets[node.upper()] = int(seconds)
            self._rebase_daily(node.upper())
        self._notify_time()

    def _rebase_daily(self, node: str) -> None:
        """A node's clock was set: its daily timers keep their local time of day ($ZSVR runs at 02:00 of the
        node's clock, whatever UTC instant that now is). The next one is the first hh:mm after the node's new
        local time, so a clock set forward past it skips a day, as the node's own scheduler would."""
        local = to_local(self.now(), self._offsets.get(node, 0))
        for timer in [t for t in self._by_id.values() if t.daily is not None and t.node.upper() == node]:
            hours, minutes = timer.daily
            due = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
            if due <= local:
                due += timedelta(days=1)
            if due == timer.due:
                continue
            timer.cancelled = True
            moved = Timer(due, next(self._seq), timer.id, timer.owner, timer.name, timer.node, timer.period,
                          timer.payload, timer.callback, daily=timer.daily)
            heapq.heappush(self._heap, moved)
            self._by_id[timer.id] = moved

    def set_mode(self, mode: str, rate: float = 1.0) -> None:
        """Switch between virtual and real time; time goes on from where it is."""
        if mode not in (VIRTUAL, REAL):
            raise InvalidArgument(f"clock mode {mode!r} is not valid: use 'virtual' or 'real'")
        if rate <= 0:
            raise InvalidArgument(f"rate {rate} must be positive (virtual seconds per wall second)")
        with self._lock:
            self._base = self.now()
            self._monotonic = time.monotonic()
            self._mode, self._rate = mode, rate
        self._notify_time()
        if mode == REAL:
            self._start_ticker()

    # -- timers ---------------------------------------------------------------------------------------------
    def register(self, owner: str, name: str, *, due: datetime | None = None, delay: timedelta | None = None,
                 callback: Callable[[Firing], None] | None = None, node: str = "",
                 period: timedelta | None = None, payload: bytes = b"") -> Timer:
        """Register a timer at `due` (UTC) or after `delay`; `period` makes it repeat."""
        if (due is None) == (delay is None):
            raise InvalidArgument(f"timer {name!r}: give exactly one of due or delay")
        if period is not None and period <= timedelta(0):
            raise InvalidArgument(f"timer {name!r}: period must be positive or omitted")
        with self._lock:
            when = _aware(due) if due is not None else self.now() + delay  # type: ignore[operator]
            timer = Timer(when, next(self._seq), next(self._ids), owner, name, node, period, payload, callback)
            heapq.heappush(self._heap, timer)
            self._by_id[timer.id] = timer
            return timer

    def register_daily(self, owner: str, name: str, node: str, time_of_day: str,
                       callback: Callable[["Firing"], None] | None) -> Timer:
        """A timer every 24 h at `hh:mm` of the node's local clock ($ZSVR's AUTOEXPIRE^TIME, OBB017)."""
        hours, minutes = parse_time_of_day(time_of_day, name)
        local = self.local_now(node)
        first = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        if first <= local:
            first += timedelta(days=1)
        timer = self.register(owner, name, due=first, node=node, period=timedelta(days=1), callback=callback)
        with self._lock:
            timer.daily = (hours, minutes)
        return timer

    def cancel(self, timer_id: int) -> bool:
        with self._lock:
            timer = self._by_id.pop(timer_id, None)
            if timer is None:
                return False
            timer.cancelled = True
            return True

    def cancel_owner(self, owner: str) -> int:
        """Cancel every timer of an owner (a crashed node's services); return how many."""
        with self._lock:
            ids = [t.id for t in self._by_id.values() if t.owner == owner]
        return sum(self.cancel(i) for i in ids)

    def timers(self, owner: str | None = None) -> list[Timer]:
        with self._lock:
            live = [t for t in self._by_id.values() if owner in (None, "", t.owner)]
        return sorted(live)

    def set_delivery(self, owner: str, deliver: Callable[[Firing], str] | None) -> None:
        """Route firings of `owner`'s callback-less timers to `deliver` (returns an error text or ''). An owner
        ending in `*` is a prefix (`\\INSIDX/*`: a node's services in their own OS process); an exact owner wins
        over a prefix, a longer prefix over a shorter one."""
        with self._lock:
            if deliver is None:
                self._deliveries.pop(owner, None)
            else:
                self._deliveries[owner] = deliver

    def remove_delivery(self, owner: str, deliver: Callable[[Firing], str]) -> None:
        """Stop routing `owner`'s firings to `deliver`, unless a newer watcher has taken the owner since (a node's
        restarted process may claim it before the stream of the killed one has been noticed as gone)."""
        with self._lock:
            if self._deliveries.get(owner) is deliver:
                del self._deliveries[owner]

    def add_settle_hook(self, hook: Callable[[], None]) -> None:
        """`hook()` runs after each firing and must return only once the work it started is done."""
        self._settle_hooks.append(hook)

    def remove_settle_hook(self, hook: Callable[[], None]) -> None:
        if hook in self._settle_hooks:
            self._settle_hooks.remove(hook)

    def add_time_listener(self, hook: Callable[[], None]) -> None:
        """`hook()` runs whenever virtual time, the mode or a node offset changed, before anything else happens
        at the new time (before a timer due then fires); it returns once its follower has taken the change."""
        self._time_listeners.append(hook)

    def remove_time_listener(self, hook: Callable[[], None]) -> None:
        if hook in self._time_listeners:
            self._time_listeners.remove(hook)

    def advance(self, by: timedelta | None = None, until: datetime | None = None) -> list[Firing]:
        """Move virtual time forward, firing every due timer in (due, sequence) order."""
        if self._mode != VIRTUAL:
            raise InvalidArgument("advance works in virtual mode only: set the clock to virtual first")
        if (by is None) == (until is None):
            raise InvalidArgument("advance needs exactly one of 'by' or 'until'")
        with self._advance_lock:
            self._settle()  # work started before the call (a process a backup's unload started) ends at this time
            target = self.now() + by if by is not None else _aware(until)  # type: ignore[arg-type]
            if target < self.now():
                raise InvalidArgument(f"cannot advance to {target.isoformat()}: the clock is already later")
            fired: list[Firing] = []
            while True:
                timer = self._pop_due(target)
                if timer is None:
                    break
                with self._lock:
                    moved = timer.due > self._base
                    self._base = max(self._base, timer.due)
                if moved:
                    self._notify_time()
                fired.append(self._fire(timer))
            with self._lock:
                moved = target != self._base
                self._base = target
            if moved:
                self._notify_time()
            self._settle()
            return fired

    def run_due(self) -> list[Firing]:
        """Fire every timer due now (real mode's ticker; virtual mode after a jump)."""
        fired = []
        while (timer := self._pop_due(self.now())) is not None:
            fired.append(self._fire(timer))
        return fired

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=2)

    # -- internals ------------------------------------------------------------------------------------------
    def _pop_due(self, limit: datetime) -> Timer | None:
        with self._lock:
            while self._heap:
                head = self._heap[0]
                if head.cancelled:
                    heapq.heappop(self._heap)
                    continue
                if head.due > limit:
                    return None
                heapq.heappop(self._heap)
                if head.period is None:
                    self._by_id.pop(head.id, None)
                else:  # re-arm at the next period, keeping the id
                    nxt = Timer(head.due + head.period, next(self._seq), head.id, head.owner, head.name,
                                head.node, head.period, head.payload, head.callback, daily=head.daily)
                    heapq.heappush(self._heap, nxt)
                    self._by_id[head.id] = nxt
                return head
            return None

    def _fire(self, timer: Timer) -> Firing:
        firing = Firing(timer.id, timer.owner, timer.name, timer.node, timer.due, timer.sequence, timer.payload)
        error = ""
        try:
            if timer.callback is not None:
                timer.callback(firing)
            elif (deliver := self._delivery(timer.owner)) is not None:
                error = deliver(firing)
            else:
                error = f"no handler for owner {timer.owner!r}"
        except Exception as exc:  # a failing handler is recorded; the clock goes on (the timer is its own)
            error = f"{type(exc).__name__}: {exc}"
        self._settle()
        return Firing(**{**firing.__dict__, "error": error})

    def _delivery(self, owner: str) -> Callable[[Firing], str] | None:
        with self._lock:
            if owner in self._deliveries:
                return self._deliveries[owner]
            prefixes = [k for k in self._deliveries if k.endswith("*") and owner.startswith(k[:-1])]
            return self._deliveries[max(prefixes, key=len)] if prefixes else None

    def _settle(self) -> None:
        for hook in list(self._settle_hooks):
            hook()

    def _notify_time(self) -> None:
        for hook in list(self._time_listeners):
            hook()

    def _start_ticker(self) -> None:
        if self._ticker is not None and self._ticker.is_alive():
            return
        self._stop.clear()

        def tick() -> None:
            while not self._stop.wait(0.02):
                if self._mode != REAL:
                    return
                self.run_due()

        self._ticker = threading.Thread(target=tick, name="clock-ticker", daemon=True)
        self._ticker.start()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


MAX_OFFSET = 86400   # seconds: a fixed-offset time zone is strictly within a day of UTC


def to_local(utc: datetime, offset_seconds: int) -> datetime:
    """UTC → a node's local time (timezone-aware with the node's fixed offset)."""
    return _aware(utc).astimezone(timezone(timedelta(seconds=offset_seconds)))


def parse_time_of_day(text: str, what: str = "time of day") -> tuple[int, int]:
    """`hh:mm` (24 h) -> (hours, minutes); InvalidArgument naming `what` otherwise."""
    hours, sep, minutes = str(text).strip().partition(":")
    digits = sep and hours.isascii() and minutes.isascii() and hours.isdigit() and minutes.isdigit()
    if not (digits and int(hours) < 24 and int(minutes) < 60):
        raise InvalidArgument(f"{what} {text!r} must be hh:mm (24 h clock), e.g. 02:00")
    return int(hours), int(minutes)


def parse_offset(text: str | int) -> int:
    """`-05:00` / `+01:30` / seconds → seconds."""
    if isinstance(text, int):
        return text
    raw = str(text).strip()
    sign = -1 if raw.startswith("-") else 1
    body = raw.lstrip("+-")
    try:
        hours, _, minutes = body.partition(":")
        return sign * (int(hours) * 3600 + int(minutes or 0) * 60)
    except ValueError:
        raise InvalidArgument(f"UTC offset {text!r} is not valid: write it as -05:00 or +01:30") from None
