"""The clock: virtual time moves only by advance, timers fire in (due, sequence) order, offsets per node."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from emulator.clock import REAL, Clock, parse_offset, to_local
from emulator.errors import InvalidArgument


def test_virtual_time_stands_still_when_nobody_advances_it(clock):
    before = clock.now()
    time.sleep(0.01)
    assert clock.now() == before


def test_timers_fire_in_due_then_registration_order_when_advanced(clock):
    order = []
    start = clock.now()
    for name, minutes in (("c", 10), ("a", 5), ("b", 10), ("d", 30)):
        clock.register("T", name, delay=timedelta(minutes=minutes), callback=lambda f: order.append((f.name, clock.now())))
    fired = clock.advance(by=timedelta(minutes=20))
    assert [f.name for f in fired] == ["a", "c", "b"]
    assert order == [("a", start + timedelta(minutes=5)), ("c", start + timedelta(minutes=10)),
                     ("b", start + timedelta(minutes=10))]
    assert clock.now() == start + timedelta(minutes=20)
    assert [t.name for t in clock.timers()] == ["d"]


def test_periodic_timer_fires_every_period_when_advanced_over_days(clock):
    hits = []
    clock.register("ZSVR", "daily expiration", delay=timedelta(hours=1), period=timedelta(days=1),
                   callback=lambda f: hits.append(clock.now()))
    clock.advance(by=timedelta(days=3))
    assert len(hits) == 3
    assert hits[1] - hits[0] == timedelta(days=1)


def test_timer_registered_by_a_firing_fires_in_the_same_advance_when_due(clock):
    seen = []

    def first(_f):
        seen.append("first")
        clock.register("T", "second", delay=timedelta(minutes=1), callback=lambda f: seen.append("second"))

    clock.register("T", "first", delay=timedelta(minutes=1), callback=first)
    clock.advance(by=timedelta(minutes=5))
    assert seen == ["first", "second"]


def test_cancelled_timer_does_not_fire_when_due(clock):
    timer = clock.register("T", "x", delay=timedelta(seconds=1), callback=lambda f: pytest.fail("fired"))
    assert clock.cancel(timer.id)
    assert clock.advance(by=timedelta(seconds=5)) == []


def test_failing_handler_is_recorded_and_the_clock_goes_on_when_a_timer_raises(clock):
    def boom(_f):
        raise RuntimeError("handler broke")

    clock.register("T", "bad", delay=timedelta(seconds=1), callback=boom)
    clock.register("T", "good", delay=timedelta(seconds=2), callback=lambda f: None)
    fired = clock.advance(by=timedelta(seconds=3))
    assert fired[0].error == "RuntimeError: handler broke"
    assert fired[1].name == "good" and fired[1].error == ""


def test_settle_hook_runs_after_each_firing_when_registered(clock):
    log = []
    clock.add_settle_hook(lambda: log.append("settle"))
    clock.register("T", "a", delay=timedelta(seconds=1), callback=lambda f: log.append("a"))
    clock.register("T", "b", delay=timedelta(seconds=2), callback=lambda f: log.append("b"))
    clock.advance(by=timedelta(seconds=3))
    assert log == ["settle", "a", "settle", "b", "settle", "settle"], \
        "work started before the advance settles first, then each firing's"


def test_node_local_time_carries_its_offset_when_offset_is_set(clock):
    clock.set_offset("\\INSIDX", -5 * 3600)
    utc = clock.now()
    local = clock.local_now("\\INSIDX")
    assert local == utc
    assert local.utcoffset() == timedelta(hours=-5)
    assert local.hour == (utc.hour - 5) % 24


def test_advance_backwards_is_refused_when_target_is_earlier(clock):
    with pytest.raises(InvalidArgument, match="already later"):
        clock.advance(until=clock.now() - timedelta(seconds=1))
    with pytest.raises(InvalidArgument, match="exactly one"):
        clock.advance()


def test_real_mode_follows_wall_time_at_its_rate_when_selected():
    c = Clock(mode=REAL, rate=100.0)
    try:
        before = c.now()
        fired = []
        c.register("T", "soon", delay=timedelta(seconds=5), callback=lambda f: fired.append(f))
        deadline = time.monotonic() + 5
        while not fired and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fired, "a 5 s virtual timer fires within ~0.05 s of wall time at rate 100"
        assert c.now() - before >= timedelta(seconds=5)
        with pytest.raises(InvalidArgument, match="virtual mode"):
            c.advance(by=timedelta(seconds=1))
    finally:
        c.close()


@pytest.mark.parametrize("text,seconds", [("-05:00", -18000), ("+01:30", 5400), ("0", 0), (3600, 3600)])
def test_utc_offset_parses_when_written_as_hours_and_minutes(text, seconds):
    assert parse_offset(text) == seconds


def test_utc_offset_is_rejected_when_malformed():
    with pytest.raises(InvalidArgument, match="-05:00"):
        parse_offset("five hours")


def test_to_local_converts_utc_to_the_node_offset():
    utc = datetime(2025, 9, 24, 2, 16, 42, tzinfo=timezone.utc)
    assert to_local(utc, -5 * 3600).strftime("%Y-%m-%d %H:%M:%S") == "2025-09-23 21:16:42"


def test_daily_timer_fires_at_the_nodes_local_time_of_day_every_day(clock):
    clock.set_offset("\\INSIDX", -5 * 3600)  # clock starts 2025-09-23 20:00 UTC = 15:00 local
    fired: list[datetime] = []
    clock.register_daily("t", "daily", "\\INSIDX", "03:00", lambda f: fired.append(f.due))
    clock.advance(by=timedelta(days=2))
    assert fired == [datetime(2025, 9, 24, 8, 0, tzinfo=timezone.utc), datetime(2025, 9, 25, 8, 0, tzinfo=timezone.utc)]


@pytest.mark.rule("R37")
def test_a_daily_timer_keeps_its_local_time_of_day_when_the_nodes_clock_is_set(clock):
    """$ZSVR runs at 02:00 of the node's own clock: set the node 12 h ahead (a clock-skew fault) and its next run
    moves to the UTC instant at which the skewed clock reads 02:00; other nodes' timers stay where they were."""
    fired: list[tuple[str, datetime]] = []
    skewed = clock.register_daily("t", "ZSVR", "\\ETINIUM", "02:00", lambda f: fired.append((f.node, f.due)))
    clock.register_daily("t", "ZSVR", "\\INSIDX", "02:00", lambda f: fired.append((f.node, f.due)))
    clock.set_offset("\\ETINIUM", 12 * 3600)   # 2025-09-23 20:00 UTC reads 2025-09-24 08:00 on \ETINIUM
    clock.advance(by=timedelta(days=1, hours=12))
    assert fired == [("\\INSIDX", datetime(2025, 9, 24, 2, 0, tzinfo=timezone.utc)),
                     ("\\ETINIUM", datetime(2025, 9, 24, 14, 0, tzinfo=timezone.utc)),
                     ("\\INSIDX", datetime(2025, 9, 25, 2, 0, tzinfo=timezone.utc))]
    assert clock.cancel(skewed.id), "a moved timer keeps its id: it can still be cancelled"
    assert [t.node for t in clock.timers("t")] == ["\\INSIDX"]


@pytest.mark.parametrize("text", ["25:00", "3", "03:60", "aa:bb", "", "\u00b2:00"])
def test_time_of_day_is_refused_when_not_hh_mm(clock, text):
    with pytest.raises(InvalidArgument, match="hh:mm"):
        clock.register_daily("t", "OBB017", "\\INSIDX", text, lambda f: None)


def test_a_node_clock_a_day_or_more_off_utc_is_refused_with_the_reason(clock):
    """A node's local time is a fixed-offset zone, less than a day from UTC: a skew that would reach a day is
    refused (a swarm drew one and the export's local-time arithmetic failed mid-procedure)."""
    clock.set_offset("\\INSIDX", 86399)
    assert clock.local_now("\\INSIDX").utcoffset() == timedelta(seconds=86399)
    with pytest.raises(InvalidArgument, match="less than 24 h from UTC"):
        clock.set_offset("\\INSIDX", 86400)
    with pytest.raises(InvalidArgument, match="less than 24 h from UTC"):
        clock.set_offset("\\INSIDX", -90000)
