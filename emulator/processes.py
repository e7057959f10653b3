"""Guardian processes of one node: the program library, `$Xnnn` names, and how processes run (DESIGN §3).

A program is deployed by name with a `module:function` entry point that is imported only when a process starts
(the emulator never imports catsync itself), as Guardian runs an object file. In virtual time the node's
processes run one at a time in start order, so a seed fixes the history; in real time each runs on its own
thread. A Python thread cannot be killed: a kill (or a crash) ends the process record at once and every later
call naming that process is refused (`check_alive`), so whatever the stray thread still does has no effect.

Lock order: the node store's lock before `self._cond`, never the reverse (a kill may come from inside a
transaction, through a fault point).
"""

from __future__ import annotations

import collections
import enum
import importlib
import json
import logging
import random
import re
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlite_utils

from emulator.clock import VIRTUAL
from emulator.errors import (AlreadyExists, Conflict, EmulatorError, InvalidArgument, NodeDown, NotFound,
                             ProcessKilled, TransactionAborted)
from emulator.names import parse_part, parse_process_name
from emulator.v1 import common_pb2, guardian_pb2

if TYPE_CHECKING:
    from emulator.node import Node

log = logging.getLogger(__name__)

DEFAULT_PRIORITY = 120        # R32: priority 0 = inherit (the starter's, 120 as LISTNER starts BBSV)
MAX_PRIORITY = 199
CODE_NORMAL, CODE_FATAL, CODE_ABEND = 0, 3, 5
SETTLE_TIMEOUT = 120.0        # wall seconds a clock settle waits for the node's processes
_ENTRY = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$")
_NAME_CHARS = string.ascii_uppercase + string.digits


class ProcessState(enum.Enum):
    """The life of a process (proto ProcessState)."""

    WAITING = "WAITING"       # queued behind the processes started before it (virtual time)
    RUNNING = "RUNNING"
    STOPPED = "STOPPED"       # returned (any completion code) or stopped
    ABENDED = "ABENDED"       # raised, killed, or the node crashed


_LIVE = (ProcessState.WAITING.value, ProcessState.RUNNING.value)


@dataclass(frozen=True)
class Program:
    """A program of the node's library (`BBCSEXP` → `catsync.export:main`)."""

    name: str
    entry_point: str
    description: str = ""


@dataclass(frozen=True)
class ProcessInfo:
    """A process record, as STATUS shows it."""

    name: str                 # `\INSIDX.$X66X`
    program: str
    state: ProcessState
    completion_code: int
    param: str
    priority: int
    parent: str
    started: datetime
    ended: datetime | None
    termination_text: str
    cpu: int
    pin: int

    @property
    def ended_ok(self) -> bool:
        return self.state is ProcessState.STOPPED and self.completion_code == CODE_NORMAL


@dataclass(eq=False)
class _Run:
    """The in-memory side of a live process."""

    id: int
    name: str                 # `$X66X`
    program: str
    entry: Callable[[guardian_pb2.StartupMessage], Any]
    startup: guardian_pb2.StartupMessage
    finishing: bool = False   # its end is decided (first writer wins)
    ended: bool = False       # its end is recorded
    thread: threading.Thread | None = field(default=None, repr=False)


def _schema(db: sqlite_utils.Database) -> None:
    if "guardian_programs" not in db.table_names():
        db["guardian_programs"].create({"name": str, "entry_point": str, "description": str, "deployed": str},
                                       pk="name")
    if "guardian_processes" not in db.table_names():
        db.execute("""CREATE TABLE guardian_processes (
                          id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, program TEXT NOT NULL,
                          state TEXT NOT NULL, completion_code INTEGER NOT NULL, param TEXT NOT NULL,
                          env TEXT NOT NULL, priority INTEGER NOT NULL, parent TEXT NOT NULL, started TEXT NOT NULL,
                          ended TEXT, termination_text TEXT NOT NULL, cpu INTEGER NOT NULL, pin INTEGER NOT NULL,
                          killed INTEGER NOT NULL DEFAULT 0)""")
        db["guardian_processes"].create_index(["name"])
        db["guardian_processes"].create_index(["state"])


class ProcessTable:
    """The processes and program library of one node."""

    def __init__(self, node: Node):
        self._node = node
        self._rng = random.Random(f"{node.seed}:{node.name}:processes")
        self._cond = threading.Condition()
        self._live: dict[str, _Run] = {}           # `$X66X` -> live process
        self._killed: dict[str, str] = {}          # `$X66X` -> why its calls are refused
        self._queue: collections.deque[_Run] = collections.deque()
        self._worker: threading.Thread | None = None
        self._threads: set[int] = set()            # idents of threads running a program
        self._unrecorded: dict[int, tuple[str, int, str, datetime]] = {}  # ends the dead store could not take
        self._stopping = False
        node.store.add_schema(_schema)
        node.clock.add_settle_hook(self._settle)

    # -- names ----------------------------------------------------------------------------------------------
    def _short(self, name: str) -> str:
        """`$X66X` for a process of this node; RemoteName for a name qualified with another node."""
        from emulator.disk import RemoteName  # noqa: PLC0415 - one error type for every forwarded name

        parsed = parse_process_name(name)
        node, _, short = parsed.rpartition(".") if parsed.startswith("\\") else ("", "", parsed)
        if node and node != self._node.name:
            raise RemoteName(node, parsed)
        return short

    def _qualified(self, short: str) -> str:
        return f"{self._node.name}.{short}"

    # -- program library ------------------------------------------------------------------------------------
    def deploy(self, name: str, entry_point: str, description: str = "") -> Program:
        """Register (or replace) a program; its entry point is imported only when a process starts."""
        program = parse_part(name, "program name")
        entry = entry_point.strip()
        if not _ENTRY.match(entry):
            raise InvalidArgument(f"entry point {entry_point!r} is not valid: write module:function, e.g."
                                  " catsync.export:main")
        with self._node.store.transaction(f"deploy {program}") as txn:
            txn.db["guardian_programs"].upsert({"name": program, "entry_point": entry, "description": description,
                                                "deployed": self._node.clock.now().isoformat()}, pk="name")
        return Program(program, entry, description)

    def programs(self) -> list[Program]:
        with self._node.store.read() as db:
            return [Program(r["name"], r["entry_point"], r["description"])
                    for r in db["guardian_programs"].rows_where(order_by="name")]

    def program(self, name: str) -> Program:
        program = parse_part(name, "program name")
        with self._node.store.read() as db:
            rows = list(db["guardian_programs"].rows_where("name = ?", [program]))
        if not rows:
            known = ", ".join(p.name for p in self.programs()) or "none"
            raise NotFound(f"program {program} is not deployed on {self._node.name} (deployed: {known}): deploy"
                           " it first (DeployProgram)")
        return Program(rows[0]["name"], rows[0]["entry_point"], rows[0]["description"])

    @staticmethod
    def _load(program: Program) -> Callable[[guardian_pb2.StartupMessage], Any]:
        module_name, _, function = program.entry_point.partition(":")
        try:
            entry = getattr(importlib.import_module(module_name), function)
        except Exception as exc:
            raise Conflict(f"program {program.name}: entry point {program.entry_point} cannot be loaded"
                           f" ({type(exc).__name__}: {exc}); fix the module or redeploy the program") from exc
        if not callable(entry):
            raise Conflict(f"program {program.name}: {program.entry_point} is not a function; redeploy it with"
                           " module:function")
        return entry

    # -- starting -------------------------------------------------------------------------------------------
    def start(self, program: str, param: str = "", env: dict[str, str] | None = None, priority: int = 0,
              name: str = "", parent: str = "") -> ProcessInfo:
        """Create a process of `program` (WAITING in virtual time, RUNNING in real time) and return it."""
        node = self._node
        node.check_up()
        wanted = self._short(name) if name.strip() else ""  # first: a name on another node is forwarded there
        prog = self.program(program)
        if priority == 0:
            priority = DEFAULT_PRIORITY
        if not 1 <= priority <= MAX_PRIORITY:
            raise InvalidArgument(f"priority {priority} must be 1..{MAX_PRIORITY} (0 = inherit, {DEFAULT_PRIORITY})")
        parent_name = parse_process_name(parent) if parent.strip() else ""
        env = {str(k): str(v) for k, v in (env or {}).items()}
        entry = self._load(prog)
        virtual = node.clock.mode == VIRTUAL
        with node.store.transaction(f"start {prog.name}") as txn:
            with self._cond:
                if self._stopping:
                    raise Conflict(f"node {node.name} is shutting down: start the process after it is back")
                if wanted and wanted in self._live:
                    raise AlreadyExists(f"process {self._qualified(wanted)} is running already: give another"
                                        " name or leave the name empty for a generated one")
            short = wanted or self._new_name(txn.db)
            now = node.clock.now()
            cpu = self._rng.randrange(4)
            table = txn.db["guardian_processes"]
            first = ProcessState.WAITING if virtual else ProcessState.RUNNING
            table.insert({"name": short, "program": prog.name, "state": first.value,
                          "completion_code": 0, "param": param, "env": json.dumps(env, sort_keys=True),
                          "priority": priority, "parent": parent_name, "started": now.isoformat(), "ended": None,
                          "termination_text": "", "cpu": cpu, "pin": 0, "killed": 0})
            pid = table.last_rowid
            table.update(pid, {"pin": 256 + pid % 32000})
            info = self._info(table.get(pid))  # as created: the answer does not depend on thread timing
            startup = guardian_pb2.StartupMessage(
                process=self._qualified(short), node=node.name, param=param, env=env, priority=priority,
                endpoints=[common_pb2.Endpoint(service=e.service, node=e.node, address=e.address)
                           for e in node.endpoints])
            run = _Run(pid, short, prog.name, entry, startup)
            txn.check()
            with self._cond:
                self._live[short] = run
                self._killed.pop(short, None)
                if virtual:
                    self._queue.append(run)
                    self._ensure_worker()
                    self._cond.notify_all()
        if not virtual:
            self._spawn(run)
        return info

    def _new_name(self, db: sqlite_utils.Database) -> str:
        """`$X` + 3 alphanumerics from the node's seeded generator; never a live name, rarely a used one."""
        for attempt in range(10_000):
            short = "$X" + "".join(self._rng.choice(_NAME_CHARS) for _ in range(3))
            if short in self._live:
                continue
            if attempt < 1_000 and db.execute("SELECT 1 FROM guardian_processes WHERE name = ? LIMIT 1",
                                              [short]).fetchone():
                continue  # keep the history unambiguous while unused names are easy to find
            return short
        raise Conflict(f"no free process name on {self._node.name}: stop some processes")

    # -- running --------------------------------------------------------------------------------------------
    def _ensure_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name=f"{self._node.name}-processes", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        """Virtual time: run queued processes one at a time, in start order."""
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._stopping)
                if self._stopping:
                    return
                run = self._queue.popleft()
                if run.finishing:
                    continue  # stopped, killed or crashed while it waited
            self._spawn(run)
            with self._cond:  # the next one starts when this one has ended (returned, killed or crashed)
                self._cond.wait_for(lambda r=run: r.ended or self._stopping)

    def _spawn(self, run: _Run) -> None:
        run.thread = threading.Thread(target=self._body, args=(run,), name=f"{self._node.name}.{run.name}",
                                      daemon=True)
        run.thread.start()

    def _body(self, run: _Run) -> None:
        self._threads.add(threading.get_ident())
        try:
            self._mark_running(run)
            try:
                result = run.entry(run.startup)
            except SystemExit as exc:  # a program may end the way a script does
                result = exc.code
            except Exception as exc:
                self._end(run, ProcessState.ABENDED, CODE_FATAL, f"{type(exc).__name__}: {exc}"[:500])
                return
            if result is None:
                result = CODE_NORMAL
            if isinstance(result, bool) or not isinstance(result, int):
                self._end(run, ProcessState.ABENDED, CODE_FATAL, f"program returned {result!r}: return an int"
                          " completion code or None")
                return
            self._end(run, ProcessState.STOPPED, result, "")
        finally:
            self._threads.discard(threading.get_ident())

    def _mark_running(self, run: _Run) -> None:
        try:
            with self._node.store.transaction(f"run {run.name}") as txn:
                txn.db.execute("UPDATE guardian_processes SET state = ? WHERE id = ? AND state = ?",
                               [ProcessState.RUNNING.value, run.id, ProcessState.WAITING.value])
        except (NodeDown, TransactionAborted):
            pass  # the node crashed: kill_all ended the process, recover_after_restart records it

    def _end(self, run: _Run, state: ProcessState, code: int, text: str, *, killed: bool = False) -> bool:
        """Record the end of a process; the first end decided wins (a kill beats a late return)."""
        with self._cond:
            if run.finishing:
                return False
            run.finishing = True
            if killed:
                self._killed[run.name] = text or state.value.lower()
        ended = self._node.clock.now()
        if self._node.store.in_transaction():
            # killed from inside a transaction of this thread (a fault point in a batch): that transaction rolls
            # back when the kill's error unwinds it; the end is written once its lock is free
            threading.Thread(target=self._record_end, args=(run, state, code, text, killed, ended), daemon=True,
                             name=f"{self._node.name}.{run.name}-end").start()
            return True
        self._record_end(run, state, code, text, killed, ended)
        return True

    def _record_end(self, run: _Run, state: ProcessState, code: int, text: str, killed: bool,
                    ended: datetime) -> None:
        recorded = False
        if self._node.store.alive:  # after a crash, do not even wait for the store's lock
            try:
                with self._node.store.transaction(f"end {run.name}") as txn:
                    txn.db.execute(
                        "UPDATE guardian_processes SET state = ?, completion_code = ?, termination_text = ?,"
                        f" ended = ?, killed = ? WHERE id = ? AND state IN ({', '.join('?' * len(_LIVE))})",
                        [state.value, code, text, ended.isoformat(), int(killed), run.id, *_LIVE])
                recorded = True
            except (NodeDown, TransactionAborted):
                pass  # the node crashed meanwhile
        if not recorded and killed:
            # the store is dead: recover_after_restart writes this end when the node restarts (an end that was
            # not a kill is left out: a process still running when its node crashed ends ABENDED there)
            self._unrecorded[run.id] = (state.value, code, text, ended)
        with self._cond:
            run.ended = True
            if self._live.get(run.name) is run:
                del self._live[run.name]
            self._cond.notify_all()

    def _settle(self) -> None:
        """Clock settle hook: return once no process of this node is waiting or running."""
        if threading.get_ident() in self._threads:
            return  # a program moving the clock itself must not wait for its own end
        with self._cond:
            if not self._cond.wait_for(lambda: not self._live or self._stopping, timeout=SETTLE_TIMEOUT):
                log.warning("node %s: processes %s still running after %ss; the clock moves on",
                            self._node.name, sorted(self._live), SETTLE_TIMEOUT)

    # -- status ---------------------------------------------------------------------------------------------
    def get(self, name: str) -> ProcessInfo:
        """The newest process record with that name."""
        short = self._short(name)
        with self._node.store.read() as db:
            rows = list(db["guardian_processes"].rows_where("name = ?", [short], order_by="id DESC", limit=1))
        if not rows:
            raise NotFound(f"process {self._qualified(short)} does not exist (error 14): list the processes to"
                           " see their names")
        return self._info(rows[0])

    def list(self, program: str = "", running_only: bool = False) -> list[ProcessInfo]:
        """Process records in start order, optionally of one program and only WAITING/RUNNING ones."""
        where, args = ["1 = 1"], []
        if program.strip():
            where.append("program = ?")
            args.append(parse_part(program, "program name"))
        if running_only:
            where.append(f"state IN ({', '.join('?' * len(_LIVE))})")
            args.extend(_LIVE)
        with self._node.store.read() as db:
            return [self._info(r) for r in db["guardian_processes"].rows_where(" AND ".join(where), args,
                                                                               order_by="id")]

    def running(self) -> list[str]:
        """Qualified names of the processes waiting or running now."""
        with self._cond:
            return [self._qualified(n) for n in self._live]

    def program_of(self, name: str) -> str:
        """The program a live process runs ('' when unknown): fault points can be armed per program."""
        if not name.strip():
            return ""
        try:
            short = self._short(name)
        except EmulatorError:  # another node's or a malformed name has no program here
            return ""
        with self._cond:
            run = self._live.get(short)
        return run.program if run is not None else ""

    def _info(self, row: dict) -> ProcessInfo:
        return ProcessInfo(
            name=self._qualified(row["name"]), program=row["program"], state=ProcessState(row["state"]),
            completion_code=row["completion_code"], param=row["param"], priority=row["priority"],
            parent=row["parent"], started=datetime.fromisoformat(row["started"]),
            ended=datetime.fromisoformat(row["ended"]) if row["ended"] else None,
            termination_text=row["termination_text"], cpu=row["cpu"], pin=row["pin"])

    def in_process(self) -> bool:
        """The calling thread runs a process of this node (waiting for another one here could wait for itself)."""
        return threading.get_ident() in self._threads

    def wait(self, name: str, timeout: float | None = None) -> tuple[ProcessInfo, bool]:
        """Wait up to `timeout` wall seconds (None = no limit) for the process to end; return (info, ended)."""
        short = self._short(name)
        self.get(short)  # NotFound for an unknown name
        with self._cond:
            run = self._live.get(short)
            if run is not None:
                self._cond.wait_for(lambda: run.ended, timeout=timeout)
        info = self.get(short)
        return info, info.state not in (ProcessState.WAITING, ProcessState.RUNNING)

    # -- ending ---------------------------------------------------------------------------------------------
    def stop(self, name: str) -> ProcessInfo:
        """STOP: the process ends STOPPED (code 0); an ended process is returned as it is."""
        short = self._short(name)
        self.get(short)
        with self._cond:
            run = self._live.get(short)
        if run is not None:
            self._end(run, ProcessState.STOPPED, CODE_NORMAL, "stopped", killed=True)
        return self.get(short)

    def kill(self, name: str, reason: str = "killed") -> ProcessInfo | None:
        """Kill: ABENDED with code 5 at once, later calls refused; None when no such process is here."""
        try:
            short = self._short(name)
        except EmulatorError:  # a fault point may name another node's process: nothing to kill here
            return None
        with self._cond:
            run = self._live.get(short)
        if run is not None:
            self._end(run, ProcessState.ABENDED, CODE_ABEND, reason or "killed", killed=True)
        try:
            return self.get(short)
        except NotFound:
            return None

    def kill_all(self, reason: str) -> list[str]:
        """End every waiting or running process ABENDED (a node crash); return their names."""
        with self._cond:
            runs = list(self._live.values())
            self._queue.clear()
        for run in runs:
            self._end(run, ProcessState.ABENDED, CODE_ABEND, reason, killed=True)
        return [self._qualified(r.name) for r in runs]

    def is_killed(self, name: str) -> bool:
        """True when the process was killed, stopped while running, or died in a crash."""
        try:
            short = self._short(name)
        except EmulatorError:  # not a process of this node: not ours to refuse
            return False
        with self._cond:
            return short in self._killed

    def check_alive(self, name: str) -> None:
        """ProcessKilled when a call comes from a process that was killed."""
        if name and self.is_killed(name):
            with self._cond:
                why = self._killed.get(self._short(name), "killed")
            raise ProcessKilled(f"process {self._qualified(self._short(name))} has ended ({why}): its calls are"
                                " refused and its transaction rolled back; start a new process")

    def recover_after_restart(self) -> None:
        """After a restart (or a restore): processes that were live when the node went down are ABENDED."""
        with self._cond:
            self._queue.clear()
            unrecorded, self._unrecorded = self._unrecorded, {}
        now = self._node.clock.now()
        with self._node.store.transaction("recover processes") as txn:
            for pid, (state, code, text, ended) in sorted(unrecorded.items()):
                txn.db.execute(
                    "UPDATE guardian_processes SET state = ?, completion_code = ?, termination_text = ?, ended = ?,"
                    f" killed = 1 WHERE id = ? AND state IN ({', '.join('?' * len(_LIVE))})",
                    [state, code, text, ended.isoformat(), pid, *_LIVE])
            live = {r.id for r in self._live.values()}
            for row in list(txn.db["guardian_processes"].rows_where(
                    f"state IN ({', '.join('?' * len(_LIVE))})", list(_LIVE))):
                if row["id"] in live:
                    continue
                txn.db["guardian_processes"].update(row["id"], {
                    "state": ProcessState.ABENDED.value, "completion_code": CODE_ABEND,
                    "termination_text": "node crashed", "ended": now.isoformat(), "killed": 1})

    def shutdown(self) -> None:
        """Stop the worker (node close); programs still running on their threads are left to end alone."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout=5)
        self._node.clock.remove_settle_hook(self._settle)
