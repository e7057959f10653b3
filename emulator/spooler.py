"""The spooler of one node: reports written to `$S.#LOC.NAME` locations (domain-facts §1).

Every report written is kept (the spooler's job list), with its job number — increasing per node — the writing
process, the node-clock time it was written and its lines. BackBox export and import processes send their log
report here (R51).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import sqlite_utils

from emulator.errors import InvalidArgument, NotFound
from emulator.names import SpoolerLocation, parse_process_name, parse_spooler_location

if TYPE_CHECKING:
    from emulator.node import Node

MAX_JOB_NAME = 24


@dataclass(frozen=True)
class Report:
    """One spooler job."""

    location: str             # `$S.#INS.EXP`
    report_id: int            # spooler job number
    job_name: str
    process: str              # writer `\INSIDX.$X66X`
    written: datetime         # node clock, UTC
    lines: tuple[str, ...] = ()


def _schema(db: sqlite_utils.Database) -> None:
    if "spooler_reports" not in db.table_names():
        db.execute("""CREATE TABLE spooler_reports (
                          report_id INTEGER PRIMARY KEY AUTOINCREMENT,
                          location TEXT NOT NULL, collector TEXT NOT NULL, loc TEXT NOT NULL, report TEXT NOT NULL,
                          job_name TEXT NOT NULL, process TEXT NOT NULL, written TEXT NOT NULL, lines TEXT NOT NULL)""")
        db["spooler_reports"].create_index(["collector", "loc", "report"])


class Spooler:
    """The spooler collector(s) of one node."""

    def __init__(self, node: Node):
        self._node = node
        node.store.add_schema(_schema)

    def write(self, location: str, lines: Iterable[str], *, job_name: str = "", process: str = "") -> Report:
        """Spool a report to `location`; return it with its new job number."""
        loc = parse_spooler_location(location)
        body = [str(line) for line in lines]
        if any("\n" in line for line in body):
            raise InvalidArgument("a report line contains a newline: send each printed line as its own entry")
        if len(job_name) > MAX_JOB_NAME:
            raise InvalidArgument(f"job name {job_name!r} is {len(job_name)} characters: at most {MAX_JOB_NAME}")
        writer = _qualified(process, self._node.name) if process else ""
        written = self._node.clock.now()
        with self._node.store.transaction(f"spool {loc}") as txn:
            table = txn.db["spooler_reports"]
            table.insert({
                "location": str(loc), "collector": loc.collector, "loc": loc.location, "report": loc.report,
                "job_name": job_name or loc.report or loc.location.lstrip("#"), "process": writer,
                "written": written.isoformat(timespec="microseconds"), "lines": json.dumps(body)})
            report_id = table.last_rowid
        return self.read("", report_id)

    def list(self, location: str = "") -> list[Report]:
        """Reports (without lines) at `location` and under it (`$S.#INS` matches `$S.#INS.EXP`), oldest first."""
        where, args = _where(location)
        with self._node.store.read() as db:
            return [_report(r, with_lines=False) for r in
                    db["spooler_reports"].rows_where(where, args, order_by="report_id")]

    def read(self, location: str = "", report_id: int = 0) -> Report:
        """One report with its lines: job `report_id`, or the newest at `location` when `report_id` is 0."""
        if report_id < 0:
            raise InvalidArgument(f"report id {report_id} must be positive (0 = the newest at the location)")
        if not location and not report_id:
            raise InvalidArgument("give a location (e.g. $S.#INS.EXP), a report id, or both")
        where, args = _where(location)
        if report_id:
            where, args = f"({where}) AND report_id = ?", [*args, report_id]
        with self._node.store.read() as db:
            rows = list(db["spooler_reports"].rows_where(where, args, order_by="report_id DESC", limit=1))
        if not rows:
            what = f"report {report_id}" if report_id else "no report"
            raise NotFound(f"{what} at {location or 'any location'} on {self._node.name}: list the reports"
                           " (ListReports) to see what was spooled")
        return _report(rows[0], with_lines=True)


def _where(location: str) -> tuple[str, list]:
    if not location.strip():
        return "1 = 1", []
    loc: SpoolerLocation = parse_spooler_location(location)
    if loc.report:
        return "collector = ? AND loc = ? AND report = ?", [loc.collector, loc.location, loc.report]
    return "collector = ? AND loc = ?", [loc.collector, loc.location]


def _qualified(process: str, node: str) -> str:
    name = parse_process_name(process)
    return name if name.startswith("\\") else f"{node}.{name}"


def _report(row: dict, *, with_lines: bool) -> Report:
    return Report(row["location"], row["report_id"], row["job_name"], row["process"],
                  datetime.fromisoformat(row["written"]), tuple(json.loads(row["lines"])) if with_lines else ())
