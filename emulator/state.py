"""A node's persistent state: `node.sqlite` (through sqlite-utils) and the `disk/` folder (DESIGN §4).

Every catalog change runs in a `transaction()`, the emulator's TMF: it commits whole or not at all. A crash
marks the store dead: a transaction in flight fails at its next step or at its commit and is rolled back, so
what was committed survives and what was not is lost.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from emulator.errors import Conflict, NodeDown, TransactionAborted

Schema = Callable[[sqlite_utils.Database], None]


class NodeStore:
    """The SQLite database and disk folder of one node; one writer at a time (like TMF locks on a table)."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.disk_dir = self.directory / "disk"
        self.db_path = self.directory / "node.sqlite"
        self.lock = threading.RLock()
        self._schemas: list[Schema] = []
        self._conn: sqlite3.Connection | None = None
        self._db: sqlite_utils.Database | None = None
        # Readers use their own connection (WAL lets them read the last commit while a writer holds a long
        # transaction, e.g. a streamed ApplyBatch); a read from the thread that holds the write lock uses the
        # writer's connection so it sees its own uncommitted rows.
        self._read_lock = threading.RLock()
        self._read_conn: sqlite3.Connection | None = None
        self._read_db: sqlite_utils.Database | None = None
        self._writer: int | None = None
        self._generation = 0       # bumped at every crash: transactions of an older generation must not commit
        self.opened = 0            # bumped at every open: after a restart or a restore
        self._alive = False
        self._txn_seq = 0
        self._in_flight: dict[int, str] = {}
        self.open()

    # -- lifecycle ------------------------------------------------------------------------------------------
    def open(self) -> None:
        """Open (or reopen after a crash) the database and apply every registered schema."""
        with self.lock:
            self.opened += 1   # caches of what the files hold (the disk's newest write time) start again
            self.directory.mkdir(parents=True, exist_ok=True)
            self.disk_dir.mkdir(exist_ok=True)
            conn = sqlite3.connect(self.db_path, check_same_thread=False, isolation_level=None, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._conn, self._db = conn, sqlite_utils.Database(conn)
            for schema in self._schemas:
                schema(self._db)
            with self._read_lock:
                self._read_conn = sqlite3.connect(self.db_path, check_same_thread=False, isolation_level=None,
                                                  timeout=30)
                self._read_db = sqlite_utils.Database(self._read_conn)
            self._alive = True

    def close(self) -> None:
        with self.lock:
            if self._conn is not None:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                self._conn.close()
            self._conn = self._db = None
            with self._read_lock:
                if self._read_conn is not None:
                    self._read_conn.close()
                self._read_conn = self._read_db = None
            self._alive = False

    def crash(self) -> int:
        """Mark the store dead at once; return how many transactions were in flight (they will roll back)."""
        self._generation += 1
        self._alive = False
        lost = len(self._in_flight)
        return lost

    def restart(self) -> None:
        """Reopen after a crash: whatever was committed is there, whatever was in flight is gone."""
        self.close()
        self.open()

    @property
    def alive(self) -> bool:
        return self._alive

    def add_schema(self, schema: Schema) -> None:
        """Register a component's tables (run now and at every reopen; must be idempotent)."""
        with self.lock:
            self._schemas.append(schema)
            if self._db is not None:
                schema(self._db)

    # -- access ---------------------------------------------------------------------------------------------
    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None or not self._alive:
            raise NodeDown(f"the node's state at {self.directory} is not open: the node is down, restart it")
        return self._db

    @contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """A consistent read of the last committed state (or of the caller's own open transaction)."""
        if self._writer == threading.get_ident():
            with self.lock:
                yield self.db
            return
        with self._read_lock:
            if self._read_db is None or not self._alive:
                raise NodeDown(f"the node's state at {self.directory} is not open: the node is down, restart it")
            if self._read_db.conn.in_transaction:  # a read inside a read of the same thread shares its snapshot
                yield self._read_db
                return
            self._read_db.conn.execute("BEGIN")  # one snapshot for the whole read
            try:
                yield self._read_db
            finally:
                self._read_db.conn.execute("COMMIT")

    @contextmanager
    def transaction(self, owner: str = "", wait: float = 60.0) -> Iterator["Transaction"]:
        """One TMF-like transaction: BEGIN IMMEDIATE … COMMIT, rolled back on any exception or a crash.

        Transactions of a node run one at a time; one that cannot start within `wait` seconds fails with
        Conflict rather than hanging its caller."""
        if self._writer == threading.get_ident():
            raise Conflict(f"transaction {owner!r} was started inside another transaction of the same thread:"
                           " finish the first one before starting the next")
        if not self.lock.acquire(timeout=wait):
            raise Conflict(f"the node's catalogs stayed busy for {wait:.0f} s ({', '.join(self._in_flight.values())}"
                           f" in progress): retry {owner or 'the operation'} later")
        try:
            db = self.db
            generation = self._generation
            self._txn_seq += 1
            txn = Transaction(self, self._txn_seq, generation, owner)
            outer_writer = self._writer
            db.conn.execute("BEGIN IMMEDIATE")
            self._in_flight[txn.id] = owner
            self._writer = threading.get_ident()
            try:
                yield txn
                txn.check()  # a crash during the work loses it
                db.conn.execute("COMMIT")
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
            finally:
                self._writer = outer_writer
                self._in_flight.pop(txn.id, None)
        finally:
            self.lock.release()

    def in_transaction(self) -> bool:
        """True when the calling thread is inside one of this store's transactions."""
        return self._writer == threading.get_ident()

    def in_flight(self) -> dict[int, str]:
        return dict(self._in_flight)

    # -- snapshots ------------------------------------------------------------------------------------------
    def snapshot_to(self, target: Path) -> int:
        """Copy the node's state to `target` while holding the lock; return the bytes copied."""
        with self.lock:
            if self._conn is not None:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(self.directory, target)
            return sum(p.stat().st_size for p in target.rglob("*") if p.is_file())

    def restore_from(self, source: Path) -> None:
        """Replace the node's state with a snapshot and reopen it; readers wait for it rather than fail."""
        with self.lock, self._read_lock:
            alive = self._alive
            self.close()
            shutil.rmtree(self.directory, ignore_errors=True)
            shutil.copytree(source, self.directory)
            self.open()
            if not alive:
                self._alive = False


class Transaction:
    """Handle on a transaction in progress: `check()` fails once the node has crashed since it began."""

    def __init__(self, store: NodeStore, txn_id: int, generation: int, owner: str):
        self.store = store
        self.id = txn_id
        self.generation = generation
        self.owner = owner

    @property
    def db(self) -> sqlite_utils.Database:
        return self.store.db

    def check(self) -> None:
        if self.store._generation != self.generation or not self.store.alive:
            raise TransactionAborted(
                f"transaction {self.id} ({self.owner or 'no owner'}) was rolled back: the node crashed before"
                " it committed; nothing of it was applied"
            )
