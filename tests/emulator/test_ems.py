"""The EMS log: collector-stamped events, filters, followers, and the manuals' printed line (domain-facts §1)."""

from __future__ import annotations

import queue
import threading
from datetime import datetime, timedelta, timezone

import pytest

from emulator.ems import EmsEvent, EventFilter
from emulator.errors import InvalidArgument, InvalidName, NodeDown

START = EmsEvent("ETINET.100.100", 3273, "YINE500-I3273 CATALOG FULL process \\ETINIUM.$Y01R started",
                 process="$Y01Q")


def _count(node):
    with node.store.read() as db:
        return db["ems_events"].count


def test_the_collector_stamps_sequence_and_log_time_when_an_event_is_appended(node, clock):
    first = node.ems.append(START)
    clock.advance(by=timedelta(seconds=90))
    generated = clock.now() - timedelta(seconds=2)
    second = node.ems.append(EmsEvent("ETINET.100.100", 3279, "YINE500-I3279 done", gen_time=generated))
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.log_time == first.gen_time == clock.now() - timedelta(seconds=90)
    assert second.log_time == clock.now() and second.gen_time == generated
    assert (first.node, first.node_number, first.collector, first.user_id) == ("\\INSIDX", 12, "$0", "255,255")


def test_the_printed_line_uses_the_node_local_time_when_the_node_has_an_offset(make_node):
    node = make_node("\\ETINIUM", number=5, utc_offset_seconds=-5 * 3600)
    event = node.ems.append(START)
    assert event.gen_time == datetime(2025, 9, 23, 20, 0, tzinfo=timezone.utc)
    assert node.ems.format_line(event) == (
        "2025-09-23 15:00:00 \\ETINIUM.$Y01Q ETINET.100.100 3273 "
        "YINE500-I3273 CATALOG FULL process \\ETINIUM.$Y01R started")


def test_the_printed_line_keeps_a_qualified_process_when_one_is_given(node):
    event = node.ems.append(EmsEvent("ETINET.100.100", 3342, "CH409DR-I3342 imported", process="\\insidx.$x0pc"))
    assert node.ems.format_line(event).startswith("2025-09-23 20:00:00 \\INSIDX.$X0PC ETINET.100.100 3342 ")


@pytest.mark.parametrize("event, error", [
    (EmsEvent("ETINET", 3273, "text"), InvalidArgument),
    (EmsEvent("ETINET.100", 3273, "text"), InvalidArgument),
    (EmsEvent("ETINET.100.100", 0, "text"), InvalidArgument),
    (EmsEvent("ETINET.100.100", 3273, "   "), InvalidArgument),
    (EmsEvent("ETINET.100.100", 3273, "text", cpu=16), InvalidArgument),
    (EmsEvent("ETINET.100.100", 3273, "text", user_id="SUPER.SUPER"), InvalidArgument),
    (EmsEvent("ETINET.100.100", 3273, "text", process="X66X"), InvalidName),
    (EmsEvent("ETINET.100.100", 3273, "text", node="INSIDX"), InvalidName),
])
def test_malformed_events_are_refused_and_nothing_is_logged_when_appended(node, event, error):
    with pytest.raises(error) as err:
        node.ems.append(event)
    assert err.value.message
    assert _count(node) == 0


def _log_sample(node, clock):
    node.ems.append(EmsEvent("ETINET.100.100", 3273, "E501NEW-I3273 started", process="$X66X"))
    node.ems.append(EmsEvent("TANDEM.EMS.H01", 1, "tape server started", process="$ZSVR"))
    clock.advance(by=timedelta(hours=1))
    node.ems.append(EmsEvent("ETINET.100.100", 3279, "E501NEW-I3279 exported", process="\\INSIDX.$X66X"))
    node.ems.append(EmsEvent("ETINET.100.100", 9001, "E501NEW-E9001 failed", process="$X1S3", critical=True))
    node.ems.append(EmsEvent("ETINETX.1.1", 5, "other owner"))


@pytest.mark.parametrize("flt, expected", [
    (EventFilter(), [1, 2, 3, 4, 5]),
    (EventFilter(ssid="ETINET.100"), [1, 3, 4]),
    (EventFilter(ssid="etinet"), [1, 3, 4, 5]),
    (EventFilter(event_numbers=(3273, 3279)), [1, 3]),
    (EventFilter(process="$X66X"), [1, 3]),
    (EventFilter(process="\\INSIDX.$X66X"), [1, 3]),
    (EventFilter(process="\\ETINIUM.$X66X"), []),
    (EventFilter(text_contains="e501new-i"), [1, 3]),
    (EventFilter(since=datetime(2025, 9, 23, 20, 30, tzinfo=timezone.utc)), [3, 4, 5]),
    (EventFilter(after_sequence=3), [4, 5]),
    (EventFilter(critical_only=True), [4]),
    (EventFilter(ssid="ETINET.", event_numbers=(3279, 9001), critical_only=True), [4]),
])
def test_read_returns_the_matching_events_in_order_when_filtered(node, clock, flt, expected):
    _log_sample(node, clock)
    assert [e.sequence for e in node.ems.read(flt)] == expected


def test_read_returns_the_first_events_when_a_limit_is_given(node, clock):
    _log_sample(node, clock)
    assert [e.sequence for e in node.ems.read(EventFilter(after_sequence=1), limit=2)] == [2, 3]
    with pytest.raises(InvalidArgument):
        node.ems.read(limit=-1)


def test_a_ssid_filter_treats_underscore_literally_when_matching_a_prefix(node):
    node.ems.append(EmsEvent("AB_C.1.1", 1, "underscore"))
    node.ems.append(EmsEvent("ABXC.1.1", 2, "letter"))
    assert [e.event_number for e in node.ems.read(EventFilter(ssid="AB_"))] == [1]


def _follow(node, flt=None, from_start=False):
    """Run a follower on a thread; return (queue of events / errors, stop event, thread)."""
    out: queue.Queue = queue.Queue()
    stop = threading.Event()

    def run():
        try:
            for event in node.ems.follow(flt or EventFilter(), from_start, stop=stop.is_set):
                out.put(event)
            out.put("ended")
        except Exception as exc:  # noqa: BLE001 - handed to the test
            out.put(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return out, stop, thread


def test_a_follower_gets_new_matching_events_when_they_are_logged(node):
    node.ems.append(START)
    out, stop, thread = _follow(node, EventFilter(event_numbers=(3279,)))
    try:
        node.ems.append(EmsEvent("ETINET.100.100", 3273, "not wanted"))
        node.ems.append(EmsEvent("ETINET.100.100", 3279, "wanted"))
        event = out.get(timeout=5)
        assert (event.sequence, event.text) == (3, "wanted")
    finally:
        stop.set()
        node.ems.wake()
    assert out.get(timeout=5) == "ended"
    thread.join(timeout=5)


def test_a_follower_replays_the_history_first_when_from_start_is_set(node):
    node.ems.append(START)
    node.ems.append(EmsEvent("ETINET.100.100", 3279, "second"))
    out, stop, _thread = _follow(node, from_start=True)
    try:
        assert [out.get(timeout=5).sequence for _ in range(2)] == [1, 2]
        node.ems.append(EmsEvent("ETINET.100.100", 3279, "third"))
        assert out.get(timeout=5).sequence == 3
    finally:
        stop.set()
        node.ems.wake()
    assert out.get(timeout=5) == "ended"


def test_a_follower_ends_with_node_down_when_the_node_crashes(node):
    out, stop, thread = _follow(node)
    try:
        node.crash()
        error = out.get(timeout=5)
        assert isinstance(error, NodeDown)
        assert "restarts" in error.message
    finally:
        stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_events_survive_a_crash_and_sequences_continue_when_the_node_restarts(node):
    node.ems.append(START)
    node.crash()
    node.restart()
    assert [e.sequence for e in node.ems.read()] == [1]
    assert node.ems.append(START).sequence == 2
