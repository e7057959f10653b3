"""The history of a run: every operation and fault as events, the contract between the scenario and the checkers.

Each operation is an `invoke` event followed by its completion: `ok`, `fail` (a definite error: the operation did
not happen, e.g. a refusal) or `info` (indefinite: UNAVAILABLE / DEADLINE_EXCEEDED, it may or may not have
happened). A fault is an operation of the `nemesis` process (`f` = "fail" starts it, "heal" ends it). Things the
harness observes without asking (an automatic export the EMS extractor started) are single `info` or `ok` /
`fail` events of their own process.

One event is one JSON line of `history.jsonl`:

    {"index": 7, "type": "ok", "f": "export", "process": "harness", "node": "\\\\INSIDX",
     "time": "2025-09-23T20:05:00+00:00", "wall": 1.234, "value": {...}, "error": ""}

- `time` is the topology's virtual UTC when the event was recorded; `wall` the wall seconds since the run began.
- `value` holds the operation's arguments on `invoke` and its result on completion (plain JSON).
- `error` is the definite / indefinite error's text on `fail` / `info`.

Two runs with one seed give the same events except `wall`: `canonical_lines` drops it, and `digest` (the history
hash of `--check-determinism`) is computed over those lines.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

INVOKE, OK, FAIL, INFO = "invoke", "ok", "fail", "info"
TYPES = (INVOKE, OK, FAIL, INFO)
HARNESS, NEMESIS = "harness", "nemesis"


@dataclass(frozen=True)
class Event:
    """One line of the history."""

    index: int
    type: str                 # invoke | ok | fail | info
    f: str                    # the operation: backup, export, import, fail, heal, advance, ...
    process: str = HARNESS    # harness | nemesis | a Guardian process name (`$X0A1`) | an observer
    node: str = ""
    time: str = ""            # virtual UTC, ISO 8601
    wall: float = 0.0         # wall seconds since the run began (not part of the canonical history)
    value: Any = None
    error: str = ""

    def to_json(self, *, canonical: bool = False) -> str:
        data = asdict(self)
        if canonical:
            data.pop("wall")
        return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        missing = {"index", "type", "f"} - set(known)
        if missing:
            raise ValueError(f"history event {data!r} lacks {', '.join(sorted(missing))}")
        if known["type"] not in TYPES:
            raise ValueError(f"history event type {known['type']!r} must be one of {', '.join(TYPES)}")
        return cls(**known)


@dataclass
class History:
    """An append-only list of events; `now` gives the virtual time recorded with each one."""

    now: Callable[[], str] = lambda: ""
    events: list[Event] = field(default_factory=list)
    sink: Path | None = None          # history.jsonl, appended as events arrive (a crashed run keeps its history)
    _started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    listeners: list[Callable[[Event], None]] = field(default_factory=list)

    def add(self, type_: str, f: str, *, process: str = HARNESS, node: str = "", value: Any = None,
            error: str = "", time_: str | None = None) -> Event:
        if type_ not in TYPES:
            raise ValueError(f"event type {type_!r} must be one of {', '.join(TYPES)}")
        with self._lock:
            event = Event(len(self.events), type_, f, process, node, self.now() if time_ is None else time_,
                          round(time.monotonic() - self._started, 6), _plain(value), error)
            self.events.append(event)
            if self.sink is not None:
                with self.sink.open("a") as out:
                    out.write(event.to_json() + "\n")
        for listener in list(self.listeners):
            listener(event)
        return event

    def invoke(self, f: str, value: Any = None, **kw: Any) -> Event:
        return self.add(INVOKE, f, value=value, **kw)

    def complete(self, invoked: Event, type_: str, value: Any = None, error: str = "") -> Event:
        return self.add(type_, invoked.f, process=invoked.process, node=invoked.node, value=value, error=error)

    def __iter__(self) -> Iterator[Event]:
        return iter(list(self.events))

    def __len__(self) -> int:
        return len(self.events)

    def canonical_lines(self) -> list[str]:
        return canonical_lines(self.events)

    def digest(self) -> str:
        return digest(self.events)

    def write(self, path: Path) -> None:
        path.write_text("".join(e.to_json() + "\n" for e in self.events))


def canonical_lines(events: Iterable[Event]) -> list[str]:
    """The events as JSON lines without their wall time: equal for two runs of one seed."""
    return [e.to_json(canonical=True) for e in events]


def digest(events: Iterable[Event]) -> str:
    """The history hash compared by `--check-determinism` (sha256 of the canonical lines)."""
    h = hashlib.sha256()
    for line in canonical_lines(events):
        h.update(line.encode() + b"\n")
    return h.hexdigest()


def read_history(path: Path) -> list[Event]:
    """The events of a `history.jsonl`; a malformed line is an error naming its line number."""
    events = []
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            events.append(Event.from_dict(json.loads(line)))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a history event ({exc}); the file may be truncated") from None
    return events


def pairs(events: Iterable[Event]) -> list[tuple[Event, Event | None]]:
    """Each invoke with its completion (None when the run ended first), in invoke order."""
    open_: dict[tuple[str, str], Event] = {}
    out: list[list] = []
    where: dict[int, int] = {}
    for e in events:
        key = (e.process, e.f)
        if e.type == INVOKE:
            open_[key] = e
            where[e.index] = len(out)
            out.append([e, None])
        elif key in open_:
            out[where[open_.pop(key).index]][1] = e
    return [(a, b) for a, b in out]


def _plain(value: Any) -> Any:
    """JSON-safe copy of a value (tuples to lists, sets sorted, anything else as its str)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    return str(value)
