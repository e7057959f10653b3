"""Volume events of a BackBox domain and the "pending export" bookkeeping of the Catalog Sync option (R27).

Every change to a volume records one event with a domain-wide sequence (strictly increasing, kept in the
domain manager node's SQLite, so it survives restarts). On a PRIMARY data store, the three R27 triggers — a
volume created, unloaded after a tape application wrote it, or a DSM/TC status change seen by OBB017 or by an
interactive BackBox function — make the volume *pending export* until `mark_exported` clears it with a sequence
at least as new as its latest trigger (so a trigger that arrives while an export runs is never lost).

Programs subscribe to events (`EventSubscription`): after the event's transaction commits, the domain starts
them on their node — the way an export program is started for automatic UPDATE exports without the domain
knowing what it is. Nothing is started for an INACTIVE store (R18: automated actions off, volumes stay pending).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from emulator.dsmtc_entries import from_us, to_us
from emulator.errors import InvalidArgument, NotFound
from emulator.v1 import backbox_domain_pb2 as bb

if TYPE_CHECKING:
    import sqlite_utils

    from emulator.node import Node

TRIGGER_KINDS = {bb.VOLUME_EVENT_KIND_CREATED, bb.VOLUME_EVENT_KIND_UNLOADED_AFTER_WRITE}
TRIGGER_SOURCES_FOR_STATUS = {bb.VOLUME_EVENT_SOURCE_OBB017, bb.VOLUME_EVENT_SOURCE_INTERACTIVE}
# Events that do not count as a change of the volume's catalog information (change_sequence stays).
NOT_A_CHANGE = {bb.VOLUME_EVENT_KIND_EXPORTED}


def create_schema(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS bb_event (sequence INTEGER PRIMARY KEY, label TEXT NOT NULL,"
               " data_store_id TEXT NOT NULL, kind INTEGER NOT NULL, export_trigger INTEGER NOT NULL,"
               " time_us INTEGER NOT NULL, record BLOB NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS bb_event_store ON bb_event (data_store_id, sequence)")
    db.execute("CREATE TABLE IF NOT EXISTS bb_pending (data_store_id TEXT NOT NULL, label TEXT NOT NULL,"
               " volume_group_id TEXT NOT NULL, first_pending_us INTEGER NOT NULL, last_event_us INTEGER NOT NULL,"
               " unload_us INTEGER, last_sequence INTEGER NOT NULL, kinds TEXT NOT NULL, event_count INTEGER NOT"
               " NULL, PRIMARY KEY (data_store_id, label))")
    db.execute("CREATE INDEX IF NOT EXISTS bb_pending_age ON bb_pending (data_store_id, first_pending_us, label)")
    db.execute("CREATE TABLE IF NOT EXISTS bb_consumer (consumer TEXT PRIMARY KEY, acknowledged INTEGER NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS bb_subscription (id TEXT PRIMARY KEY, position INTEGER NOT NULL,"
               " record BLOB NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS bb_subscription_run (subscription_id TEXT NOT NULL, data_store_id TEXT"
               " NOT NULL, process TEXT NOT NULL, PRIMARY KEY (subscription_id, data_store_id))")


def select_in(db: sqlite_utils.Database, sql: str, values: Iterable[str], chunk: int = 500) -> Iterator[dict]:
    """Rows of `sql` (whose `IN ({})` takes the values) for any number of values, a bounded list at a time
    (SQLite limits the parameters of one statement)."""
    values = list(values)
    for i in range(0, len(values), chunk):
        part = values[i:i + chunk]
        yield from db.query(sql.format(", ".join("?" * len(part))), part)


@dataclass
class NewEvent:
    """An event to record; `export_trigger` is decided by `record` from the kind, source and store access."""

    kind: int
    source: int
    label: str
    data_store_id: str
    volume_group_id: str
    old_status: int = 0
    new_status: int = 0
    unload_time: datetime | None = None
    node: str = ""
    process: str = ""
    user: str = ""
    detail: str = ""


def is_trigger(kind: int, source: int, access: int) -> bool:
    """R27: the three automatic UPDATE-export triggers, on PRIMARY stores only."""
    if access != bb.DOMAIN_ACCESS_PRIMARY:
        return False
    if kind in TRIGGER_KINDS:
        return True
    return kind == bb.VOLUME_EVENT_KIND_CATALOG_STATUS_CHANGED and source in TRIGGER_SOURCES_FOR_STATUS


class EventLog:
    """Events, pending exports, consumers and subscriptions of one domain (tables in the node's store)."""

    def __init__(self, node: Node):
        self.node = node
        self._cond = threading.Condition()
        self._last = 0

    # -- recording (inside the caller's transaction) ---------------------------------------------------------
    def record(self, db: sqlite_utils.Database, event: NewEvent, access: int) -> bb.VolumeEvent:
        now = self.node.utc_now()
        row = next(db.query("SELECT COALESCE(MAX(sequence), 0) AS s FROM bb_event"))
        sequence = int(row["s"]) + 1
        trigger = is_trigger(event.kind, event.source, access)
        pb = bb.VolumeEvent(sequence=sequence, kind=event.kind, source=event.source, label=event.label,
                            data_store_id=event.data_store_id, volume_group_id=event.volume_group_id,
                            export_trigger=trigger, old_status=event.old_status, new_status=event.new_status,
                            node=event.node, process=event.process, user=event.user, detail=event.detail)
        pb.time.FromDatetime(now)
        if event.unload_time is not None:
            pb.unload_time.FromDatetime(event.unload_time)
        db.execute("INSERT INTO bb_event VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [sequence, event.label, event.data_store_id, event.kind, int(trigger), to_us(now),
                    pb.SerializeToString()])
        if trigger:
            self._make_pending(db, pb, event.unload_time)
        return pb

    def _make_pending(self, db: sqlite_utils.Database, ev: bb.VolumeEvent, unload: datetime | None) -> None:
        now_us = to_us(ev.time.ToDatetime())
        current = list(db.query("SELECT * FROM bb_pending WHERE data_store_id = ? AND label = ?",
                                [ev.data_store_id, ev.label]))
        kind = bb.VolumeEventKind.Name(ev.kind).removeprefix("VOLUME_EVENT_KIND_")
        if current:
            row = current[0]
            kinds = row["kinds"].split(",")
            if kind not in kinds:
                kinds.append(kind)
            db.execute("UPDATE bb_pending SET last_event_us = ?, unload_us = COALESCE(?, unload_us),"
                       " last_sequence = ?, kinds = ?, event_count = event_count + 1, volume_group_id = ?"
                       " WHERE data_store_id = ? AND label = ?",
                       [now_us, to_us(unload), ev.sequence, ",".join(kinds), ev.volume_group_id, ev.data_store_id,
                        ev.label])
        else:
            db.execute("INSERT INTO bb_pending VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                       [ev.data_store_id, ev.label, ev.volume_group_id, now_us, now_us, to_us(unload), ev.sequence,
                        kind])

    def drop_pending(self, db: sqlite_utils.Database, data_store_id: str, labels: Iterable[str]) -> None:
        """A volume that left the store (deleted, detached) is no longer pending."""
        db.conn.executemany("DELETE FROM bb_pending WHERE data_store_id = ? AND label = ?",
                            [(data_store_id, label) for label in labels])

    def published(self, events: Iterable[bb.VolumeEvent]) -> None:
        """Wake the watchers once the transaction that recorded `events` has committed."""
        last = max((e.sequence for e in events), default=0)
        if last:
            with self._cond:
                self._last = max(self._last, last)
                self._cond.notify_all()

    # -- reading ----------------------------------------------------------------------------------------------
    def list(self, after: int = 0, consumer: str = "", data_store_id: str = "", kinds: Iterable[int] = (),
             triggers_only: bool = False, limit: int = 0) -> tuple[list[bb.VolumeEvent], int]:
        limit = limit or 1000
        if limit < 0:
            raise InvalidArgument(f"limit {limit} must be 0 (= 1,000) or more")
        with self.node.store.read() as db:
            if consumer and after == 0:
                after = self.acknowledged(db, consumer)
            where, args = ["sequence > ?"], [after]
            if data_store_id:
                where.append("data_store_id = ?")
                args.append(data_store_id)
            kinds = list(kinds)
            if kinds:
                where.append(f"kind IN ({', '.join('?' * len(kinds))})")
                args.extend(kinds)
            if triggers_only:
                where.append("export_trigger = 1")
            rows = db.query(f"SELECT record FROM bb_event WHERE {' AND '.join(where)} ORDER BY sequence LIMIT ?",
                            [*args, limit])
            events = [bb.VolumeEvent.FromString(r["record"]) for r in rows]
            last = int(next(db.query("SELECT COALESCE(MAX(sequence), 0) AS s FROM bb_event"))["s"])
        return events, last

    def watch(self, after: int, consumer: str, data_store_id: str, kinds: Iterable[int], triggers_only: bool,
              active: Callable[[], bool]) -> Iterator[bb.VolumeEvent]:
        """The backlog, then live events, while `active()` is true (the RPC is still open)."""
        kinds = list(kinds)
        if consumer and after == 0:
            with self.node.store.read() as db:
                after = self.acknowledged(db, consumer)
        while active():
            events, last = self.list(after, "", data_store_id, kinds, triggers_only)
            for event in events:
                yield event
                after = event.sequence
            if not events:
                after = max(after, last) if not (data_store_id or kinds or triggers_only) else after
                with self._cond:
                    if self._last <= last:
                        self._cond.wait(timeout=0.2)

    def acknowledged(self, db: sqlite_utils.Database, consumer: str) -> int:
        rows = list(db.query("SELECT acknowledged FROM bb_consumer WHERE consumer = ?", [consumer]))
        return int(rows[0]["acknowledged"]) if rows else 0

    def acknowledge(self, consumer: str, sequence: int) -> int:
        if not consumer.strip():
            raise InvalidArgument("a consumer name is needed to acknowledge events, e.g. `BBCSEXP DS_WIN1_DES`")
        with self.node.store.transaction(f"acknowledge {consumer}") as txn:
            current = self.acknowledged(txn.db, consumer)
            value = max(current, sequence)
            txn.db.execute("INSERT OR REPLACE INTO bb_consumer VALUES (?, ?)", [consumer, value])
            return value

    # -- pending exports -------------------------------------------------------------------------------------
    def pending(self, data_store_id: str, limit: int = 0, labels: Iterable[str] = ()
                ) -> tuple[int, list[bb.PendingExport], int]:
        with self.node.store.read() as db:
            total = int(next(db.query("SELECT COUNT(*) AS n FROM bb_pending WHERE data_store_id = ?",
                                      [data_store_id]))["n"])
            sql = "SELECT * FROM bb_pending WHERE data_store_id = ? ORDER BY first_pending_us, label"
            args: list = [data_store_id]
            if limit:
                sql += " LIMIT ?"
                args.append(limit)
            wanted = set(labels)
            entries = [self._pending_pb(r) for r in db.query(sql, args) if not wanted or r["label"] in wanted]
            last = int(next(db.query("SELECT COALESCE(MAX(sequence), 0) AS s FROM bb_event"))["s"])
        return total, entries, last

    def pending_labels(self, db: sqlite_utils.Database, labels: Iterable[str]) -> set[str]:
        return {r["label"] for r in select_in(db, "SELECT label FROM bb_pending WHERE label IN ({})", labels)}

    @staticmethod
    def _pending_pb(row: dict) -> bb.PendingExport:
        entry = bb.PendingExport(data_store_id=row["data_store_id"], label=row["label"],
                                 volume_group_id=row["volume_group_id"], last_sequence=row["last_sequence"],
                                 event_count=row["event_count"],
                                 kinds=[bb.VolumeEventKind.Value("VOLUME_EVENT_KIND_" + k)
                                        for k in row["kinds"].split(",") if k])
        entry.first_pending_time.FromDatetime(from_us(row["first_pending_us"]))
        entry.last_event_time.FromDatetime(from_us(row["last_event_us"]))
        if row["unload_us"] is not None:
            entry.unload_time.FromDatetime(from_us(row["unload_us"]))
        return entry

    def clear_pending(self, db: sqlite_utils.Database, data_store_id: str, volumes: Iterable[tuple[str, int]],
                      up_to_sequence: int) -> list[str]:
        """Clear the volumes whose latest trigger is not newer than the sequence the export saw; return them."""
        cleared: list[str] = []
        for label, sequence in volumes:
            rows = list(db.query("SELECT last_sequence FROM bb_pending WHERE data_store_id = ? AND label = ?",
                                 [data_store_id, label]))
            if rows and rows[0]["last_sequence"] <= sequence:
                db.execute("DELETE FROM bb_pending WHERE data_store_id = ? AND label = ?", [data_store_id, label])
                cleared.append(label)
        if up_to_sequence:
            rows = list(db.query("SELECT label FROM bb_pending WHERE data_store_id = ? AND last_sequence <= ?",
                                 [data_store_id, up_to_sequence]))
            db.execute("DELETE FROM bb_pending WHERE data_store_id = ? AND last_sequence <= ?",
                       [data_store_id, up_to_sequence])
            cleared.extend(r["label"] for r in rows)
        return cleared

    # -- subscriptions ---------------------------------------------------------------------------------------
    def add_subscription(self, sub: bb.EventSubscription) -> bb.EventSubscription:
        if not sub.program.strip():
            raise InvalidArgument("an event subscription needs the program to start, e.g. BBCSEXP")
        with self.node.store.transaction("add event subscription") as txn:
            n = int(next(txn.db.query("SELECT COUNT(*) AS n, COALESCE(MAX(position), 0) AS p FROM"
                                      " bb_subscription"))["p"]) + 1
            saved = bb.EventSubscription()
            saved.CopyFrom(sub)
            saved.id = saved.id or f"SUB{n:04d}"
            saved.program = saved.program.strip().upper()
            saved.node = (saved.node or self.node.name).upper()
            if list(txn.db.query("SELECT 1 FROM bb_subscription WHERE id = ?", [saved.id])):
                raise InvalidArgument(f"event subscription {saved.id} exists already: give another id or delete it")
            txn.db.execute("INSERT INTO bb_subscription VALUES (?, ?, ?)", [saved.id, n, saved.SerializeToString()])
        return saved

    def subscriptions(self) -> list[bb.EventSubscription]:
        with self.node.store.read() as db:
            return [bb.EventSubscription.FromString(r["record"])
                    for r in db.query("SELECT record FROM bb_subscription ORDER BY position")]

    def delete_subscription(self, sub_id: str) -> None:
        with self.node.store.transaction("delete event subscription") as txn:
            if not list(txn.db.query("SELECT 1 FROM bb_subscription WHERE id = ?", [sub_id])):
                raise NotFound(f"event subscription {sub_id!r} does not exist: ListEventSubscriptions shows them")
            txn.db.execute("DELETE FROM bb_subscription WHERE id = ?", [sub_id])
            txn.db.execute("DELETE FROM bb_subscription_run WHERE subscription_id = ?", [sub_id])

    def matching(self, events: Iterable[bb.VolumeEvent], inactive: set[str]
                 ) -> list[tuple[bb.EventSubscription, bb.VolumeEvent]]:
        """(subscription, first matching event) pairs, one per subscription and data store."""
        subs = self.subscriptions()
        starts: dict[tuple[str, str], tuple[bb.EventSubscription, bb.VolumeEvent]] = {}
        for event in events:
            if event.data_store_id in inactive:
                continue  # R18: no automated action on an INACTIVE store; the volume stays pending
            for sub in subs:
                if sub.data_store_ids and event.data_store_id not in sub.data_store_ids:
                    continue
                if sub.export_triggers_only and not event.export_trigger:
                    continue
                if sub.kinds and event.kind not in sub.kinds:
                    continue
                starts.setdefault((sub.id, event.data_store_id), (sub, event))
        return list(starts.values())

    def last_run(self, sub_id: str, data_store_id: str) -> str:
        with self.node.store.read() as db:
            rows = list(db.query("SELECT process FROM bb_subscription_run WHERE subscription_id = ? AND"
                                 " data_store_id = ?", [sub_id, data_store_id]))
        return rows[0]["process"] if rows else ""

    def note_run(self, sub_id: str, data_store_id: str, process: str) -> None:
        with self.node.store.transaction("subscription run") as txn:
            txn.db.execute("INSERT OR REPLACE INTO bb_subscription_run VALUES (?, ?, ?)",
                           [sub_id, data_store_id, process])


def startup_text(sub: bb.EventSubscription, event: bb.VolumeEvent) -> str:
    kind = bb.VolumeEventKind.Name(event.kind).removeprefix("VOLUME_EVENT_KIND_")
    text = sub.startup_text or "{data_store_id}"
    for key, value in (("{data_store_id}", event.data_store_id), ("{sequence}", str(event.sequence)),
                       ("{kind}", kind), ("{label}", event.label)):
        text = text.replace(key, value)
    return text
