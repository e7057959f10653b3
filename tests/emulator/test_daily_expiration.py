"""$ZSVR's daily DSM/TC cleanup runs by itself in virtual time at AUTOEXPIRE^TIME (R37)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from emulator.dsmtc_entries import Pool, TapeFile, TapeFileVolume, TapeVolume
from emulator.ems import EventFilter


@pytest.fixture
def cataloged(make_node):
    node = make_node("\\INSIDX", autoexpire_time="02:00", utc_offset_seconds=-5 * 3600)
    node.catalog.create_catalog("QCVOLCAT", "VOLCAT")
    node.catalog.create_catalog("QCFILCAT", "FILECAT")
    node.catalog.add_pool(Pool(volcat="\\INSIDX.QCVOLCAT", name="E501_WIN1"))
    node.catalog.add_volume(TapeVolume(volser="EW1008", volcat="\\INSIDX.QCVOLCAT", pool="E501_WIN1"))
    node.catalog.add_file(TapeFile(
        filecat="\\INSIDX.QCFILCAT", file_id="E501NEW-OBK11-WIN1", creation_time=node.utc_now(),
        expiration_time=node.utc_now() + timedelta(days=2), volcat="\\INSIDX.QCVOLCAT", pool="E501_WIN1",
        volumes=(TapeFileVolume("EW1008", 1, 1, 1),)))
    return node


def _status(node):
    return node.catalog.get_volume("EW1008", "\\INSIDX.QCVOLCAT")[0].status


@pytest.mark.rule("R37")
def test_expired_tape_goes_back_to_scratch_at_the_first_daily_run_after_expiration(cataloged, clock):
    node = cataloged
    assert _status(node) == "ASSIGNED"
    clock.advance(by=timedelta(days=1, hours=12))
    assert _status(node) == "ASSIGNED", "not expired yet"
    clock.advance(by=timedelta(days=1))
    assert _status(node) == "SCRATCH"
    events = node.ems.read(EventFilter(process="$ZSVR"))
    assert any("1 volume(s) freed" in e.text for e in events)


@pytest.mark.rule("R37")
def test_daily_run_happens_at_autoexpire_time_in_node_local_time(cataloged, clock):
    node = cataloged
    clock.advance(by=timedelta(days=3))
    runs = [e.log_time for e in node.ems.read(EventFilter(process="$ZSVR"))]
    assert len(runs) == 3, "one run a day"
    assert all(clock.local_now("\\INSIDX").tzinfo and
                        t.astimezone(clock.local_now("\\INSIDX").tzinfo).strftime("%H:%M") == "02:00" for t in runs)


def test_daily_run_is_skipped_while_the_node_is_down(cataloged, clock):
    node = cataloged
    node.crash()
    fired = clock.advance(by=timedelta(days=3))
    node.restart()
    zsvr = [f for f in fired if f.owner == "\\INSIDX/$ZSVR"]
    assert len(zsvr) == 3 and all(f.error == "" for f in zsvr), "each run is skipped quietly, not failed"
    assert node.ems.read(EventFilter(process="$ZSVR")) == []
    assert _status(node) == "ASSIGNED"
    clock.advance(by=timedelta(days=1))
    assert _status(node) == "SCRATCH"
