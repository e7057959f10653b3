"""The node store: TMF-like transactions commit whole or not at all; a crash loses only what was in flight."""

from __future__ import annotations

import pytest

from emulator.errors import NodeDown, TransactionAborted
from emulator.state import NodeStore


def _schema(db):
    db.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER)")


@pytest.fixture
def store(tmp_path):
    s = NodeStore(tmp_path / "n")
    s.add_schema(_schema)
    yield s
    s.close()


def _rows(store):
    with store.read() as db:
        return sorted(db.execute("SELECT k, v FROM t").fetchall())


def test_committed_rows_survive_a_crash_and_restart(store):
    with store.transaction("t1") as txn:
        txn.db.execute("INSERT INTO t VALUES ('a', 1)")
    store.crash()
    store.restart()
    assert _rows(store) == [("a", 1)]


def test_transaction_in_flight_is_rolled_back_when_the_node_crashes_before_commit(store):
    with pytest.raises(TransactionAborted, match="rolled back"):
        with store.transaction("batch") as txn:
            txn.db.execute("INSERT INTO t VALUES ('b', 2)")
            assert store.crash() == 1
    store.restart()
    assert _rows(store) == []


def test_exception_inside_a_transaction_rolls_it_back(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as txn:
            txn.db.execute("INSERT INTO t VALUES ('c', 3)")
            raise RuntimeError("work failed")
    assert _rows(store) == []


def test_store_refuses_access_while_the_node_is_down(store):
    store.crash()
    with pytest.raises(NodeDown, match="restart"):
        store.db


def test_snapshot_and_restore_bring_back_the_old_rows(store, tmp_path):
    with store.transaction() as txn:
        txn.db.execute("INSERT INTO t VALUES ('a', 1)")
    store.snapshot_to(tmp_path / "snap")
    with store.transaction() as txn:
        txn.db.execute("INSERT INTO t VALUES ('b', 2)")
    store.restore_from(tmp_path / "snap")
    assert _rows(store) == [("a", 1)]


def test_reader_sees_the_last_commit_without_waiting_when_a_long_transaction_is_open(store):
    import threading  # noqa: PLC0415

    with store.transaction() as txn:
        txn.db.execute("INSERT INTO t VALUES ('committed', 1)")
    opened, release = threading.Event(), threading.Event()

    def long_writer():
        with store.transaction("long batch") as txn:
            txn.db.execute("INSERT INTO t VALUES ('pending', 2)")
            opened.set()
            release.wait(10)

    writer = threading.Thread(target=long_writer)
    writer.start()
    try:
        assert opened.wait(10)
        seen = []
        reader = threading.Thread(target=lambda: seen.append(_rows(store)))
        reader.start()
        reader.join(5)
        assert seen == [[("committed", 1)]], "the reader must not wait for, nor see, the open transaction"
    finally:
        release.set()
        writer.join(10)
    assert _rows(store) == [("committed", 1), ("pending", 2)]


def test_writer_reads_its_own_uncommitted_rows_inside_its_transaction(store):
    with store.transaction() as txn:
        txn.db.execute("INSERT INTO t VALUES ('mine', 1)")
        assert _rows(store) == [("mine", 1)]


def test_nested_transaction_is_refused_with_the_fix_and_leaves_no_trace(store):
    from emulator.errors import Conflict  # noqa: PLC0415

    with store.transaction("outer") as txn:
        txn.db.execute("INSERT INTO t VALUES ('outer', 1)")
        with pytest.raises(Conflict, match="inside another transaction"):
            with store.transaction("inner"):
                pass
    assert store.in_flight() == {}
    assert _rows(store) == [("outer", 1)]
