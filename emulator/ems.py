"""The EMS log of one node (primary collector `$0`): events with the tokens of domain-facts §1, kept in order.

The collector assigns the sequence number and LOGTIME (node clock); readers filter by SSID prefix, event
numbers, process, text, time or sequence; followers get every new matching event as it is logged. The printed
line is the manuals' format, in the node's local time:
`2025-02-19 17:16:10 \\ETINIUM.$Y01Q ETINET.100.100 3273 YINE500-I3273 CATALOG FULL process ...`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

import sqlite_utils

from emulator.clock import to_local
from emulator.errors import InvalidArgument, NodeDown
from emulator.names import parse_node, parse_process_name, parse_volume

if TYPE_CHECKING:
    from emulator.node import Node

PRIMARY_COLLECTOR = "$0"
DEFAULT_USER = "255,255"  # SUPER.SUPER
POLL_SECONDS = 0.5        # a follower re-checks its stop condition at least this often
_SSID = re.compile(r"^[A-Z][A-Z0-9_^-]{0,7}\.[A-Z0-9_^-]{1,8}\.[A-Z0-9_^-]{1,8}$")
_USER = re.compile(r"^\d{1,3},\d{1,3}$")


@dataclass(frozen=True)
class EmsEvent:
    """One EMS event; the log fills in `sequence`, `log_time`, `collector` and the defaults."""

    ssid: str                       # owner.subsystem.version `ETINET.100.100`
    event_number: int               # 3273
    text: str                       # `E501NEW-I3273 CATALOG FULL process ...`
    process: str = ""               # PROC-DESC `$X66X` or `\INSIDX.$X66X`
    gen_time: datetime | None = None
    node: str = ""
    node_number: int | None = None
    cpu: int = 0
    pin: int = 0
    user_id: str = DEFAULT_USER
    critical: bool = False
    collector: str = PRIMARY_COLLECTOR
    sequence: int = 0
    log_time: datetime | None = None


@dataclass(frozen=True)
class EventFilter:
    """Which events a reader wants; empty fields match everything."""

    ssid: str = ""                          # prefix, e.g. `ETINET`
    event_numbers: tuple[int, ...] = field(default_factory=tuple)
    process: str = ""                       # `$X66X` matches `\NODE.$X66X` too
    text_contains: str = ""
    since: datetime | None = None           # log time at or after
    after_sequence: int = 0
    critical_only: bool = False


def _schema(db: sqlite_utils.Database) -> None:
    if "ems_events" not in db.table_names():
        db["ems_events"].create({
            "sequence": int, "ssid": str, "event_number": int, "gen_time": str, "log_time": str,
            "node_number": int, "node": str, "cpu": int, "pin": int, "process": str, "proc": str,
            "user_id": str, "text": str, "critical": int, "collector": str}, pk="sequence")
        db["ems_events"].create_index(["event_number"])


class EmsLog:
    """The node's EMS log."""

    def __init__(self, node: Node):
        self._node = node
        self._cond = threading.Condition()
        self._last = 0
        self._wakes = 0
        node.store.add_schema(self._open)
        node.on_crash.append(lambda _node: self.wake())

    def _open(self, db: sqlite_utils.Database) -> None:
        _schema(db)
        with self._cond:  # reopen (restart, restore): followers continue from what the log now holds
            self._last = db.execute("SELECT COALESCE(MAX(sequence), 0) FROM ems_events").fetchone()[0]
            self._cond.notify_all()

    # -- writing --------------------------------------------------------------------------------------------
    def append(self, event: EmsEvent) -> EmsEvent:
        """Log an event: the collector stamps sequence and LOGTIME; the printed line is `format_line`."""
        draft = self._validated(event)
        with self._node.store.transaction("ems append") as txn:
            now = self._node.clock.now()  # under the log's lock: LOGTIME never goes back along the sequence
            draft = replace(draft, log_time=now, gen_time=draft.gen_time or now)
            table = txn.db["ems_events"]
            table.insert(_row(draft))
            logged = replace(draft, sequence=table.last_rowid)
        with self._cond:
            self._last = max(self._last, logged.sequence)
            self._cond.notify_all()
        return logged

    def _validated(self, event: EmsEvent) -> EmsEvent:
        node = self._node
        ssid = event.ssid.strip().upper()
        if not _SSID.match(ssid):
            raise InvalidArgument(f"SSID {event.ssid!r} is not valid: write owner.subsystem.version, e.g."
                                  " ETINET.100.100")
        if not 1 <= event.event_number <= 65535:
            raise InvalidArgument(f"event number {event.event_number} must be 1..65535 (e.g. 3273)")
        if not event.text.strip():
            raise InvalidArgument("the event text is empty: give the message text (e.g. E501NEW-I3273 ...)")
        if not 0 <= event.cpu <= 15 or not 0 <= event.pin <= 65535:
            raise InvalidArgument(f"cpu {event.cpu} must be 0..15 and pin {event.pin} 0..65535")
        user = event.user_id.strip() or DEFAULT_USER
        if not _USER.match(user):
            raise InvalidArgument(f"user id {event.user_id!r} is not valid: write group,user (e.g. 255,255)")
        origin = parse_node(event.node) if event.node.strip() else node.name
        number = event.node_number if event.node_number is not None else (
            node.config.number if origin == node.name else 0)
        if not 0 <= number <= 254:
            raise InvalidArgument(f"node number {number} must be 0..254 (the Expand node number)")
        process = parse_process_name(event.process) if event.process.strip() else ""
        collector = parse_volume(event.collector) if event.collector.strip() not in ("", "$0") else "$0"
        return replace(event, ssid=ssid, node=origin, node_number=number, user_id=user, process=process,
                       collector=collector)

    # -- reading --------------------------------------------------------------------------------------------
    def read(self, flt: EventFilter = EventFilter(), limit: int = 0) -> list[EmsEvent]:
        """Matching events in collector order (the first `limit` of them; 0 = all)."""
        if limit < 0:
            raise InvalidArgument(f"limit {limit} must be 0 (all) or more")
        return self._query(flt, flt.after_sequence, limit)

    def _query(self, flt: EventFilter, after: int, limit: int) -> list[EmsEvent]:
        where, args = ["sequence > ?"], [after]
        if flt.ssid:
            where.append("ssid LIKE ? ESCAPE '\\'")
            args.append(_like_prefix(flt.ssid.strip().upper()))
        if flt.event_numbers:
            where.append(f"event_number IN ({', '.join('?' * len(flt.event_numbers))})")
            args.extend(int(n) for n in flt.event_numbers)
        if flt.process:
            wanted = parse_process_name(flt.process)
            if wanted.startswith("\\"):  # `\NODE.$P` also matches `$P` logged by \NODE
                node, _, proc = wanted.rpartition(".")
                where.append("(process = ? OR (node = ? AND proc = ?))")
                args.extend([wanted, node, proc])
            else:
                where.append("proc = ?")
                args.append(wanted)
        if flt.text_contains:
            where.append("instr(upper(text), ?) > 0")
            args.append(flt.text_contains.upper())
        if flt.since is not None:
            where.append("log_time >= ?")
            args.append(_stamp(flt.since))
        if flt.critical_only:
            where.append("critical = 1")
        with self._node.store.read() as db:
            rows = db["ems_events"].rows_where(" AND ".join(where), args, order_by="sequence",
                                               limit=limit or None)
            return [_event(r) for r in rows]

    def follow(self, flt: EventFilter = EventFilter(), from_start: bool = False,
               stop: Callable[[], bool] = lambda: False) -> Iterator[EmsEvent]:
        """Yield matching events as they are logged (the matching history first with `from_start`).

        Ends when `stop()` turns true (checked at least every POLL_SECONDS); raises NodeDown when the node crashes
        or closes, so a follower never mistakes a dead log for a quiet one.
        """
        with self._cond:
            cursor = flt.after_sequence if from_start else max(flt.after_sequence, self._last)
        while True:
            self._check_open()
            if stop():
                return
            with self._cond:
                last, wakes = self._last, self._wakes
            if last > cursor:
                for event in self._query(flt, cursor, 0):
                    if event.sequence > last:
                        break
                    yield event
                cursor = last
                continue
            with self._cond:
                self._cond.wait_for(lambda c=cursor, w=wakes: self._last > c or self._wakes != w, timeout=POLL_SECONDS)

    def wake(self) -> None:
        """Make every follower re-check its stop condition now (a crash, a cancelled call)."""
        with self._cond:
            self._wakes += 1
            self._cond.notify_all()

    def _check_open(self) -> None:
        if not self._node.up or not self._node.store.alive:
            raise NodeDown(f"the EMS log of {self._node.name} is gone: the node is down; follow again after"
                           " it restarts")

    # -- printing -------------------------------------------------------------------------------------------
    def format_line(self, event: EmsEvent) -> str:
        """The printed line, in the node's local time: `YYYY-MM-DD HH:MM:SS \\NODE.$PROC SSID EVNUM TEXT`."""
        when = to_local(event.gen_time or event.log_time or self._node.clock.now(),
                        self._node.clock.offset(self._node.name))
        node = event.node or self._node.name
        if event.process.startswith("\\"):
            source = event.process
        else:
            source = f"{node}.{event.process}" if event.process else node
        return f"{when:%Y-%m-%d %H:%M:%S} {source} {event.ssid} {event.event_number} {event.text}"


def _stamp(moment: datetime) -> str:
    return to_local(moment, 0).isoformat(timespec="microseconds")


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _row(event: EmsEvent) -> dict:
    assert event.gen_time is not None and event.log_time is not None
    return {"ssid": event.ssid, "event_number": event.event_number, "gen_time": _stamp(event.gen_time),
            "log_time": _stamp(event.log_time), "node_number": event.node_number, "node": event.node,
            "cpu": event.cpu, "pin": event.pin, "process": event.process,
            "proc": event.process.rpartition(".")[2] if event.process.startswith("\\") else event.process,
            "user_id": event.user_id, "text": event.text, "critical": int(event.critical),
            "collector": event.collector}


def _event(row: dict) -> EmsEvent:
    return EmsEvent(ssid=row["ssid"], event_number=row["event_number"], text=row["text"], process=row["process"],
                    gen_time=datetime.fromisoformat(row["gen_time"]), node=row["node"],
                    node_number=row["node_number"], cpu=row["cpu"], pin=row["pin"], user_id=row["user_id"],
                    critical=bool(row["critical"]), collector=row["collector"], sequence=row["sequence"],
                    log_time=datetime.fromisoformat(row["log_time"]))
