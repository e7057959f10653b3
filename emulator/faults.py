"""Named fault points (DESIGN §3): places in the emulator and in catsync programs where the harness can cut a
process or a node deterministically — "crash the import at its 3rd commit"."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from emulator.errors import InvalidArgument

KILL_PROCESS = "KILL_PROCESS"
CRASH_NODE = "CRASH_NODE"
ERROR = "ERROR"
DELAY = "DELAY"
ACTIONS = (KILL_PROCESS, CRASH_NODE, ERROR, DELAY)


@dataclass(frozen=True)
class FaultPoint:
    """An armed point: fire `action` at the `on_hit`-th matching hit (and after it, with `repeat`)."""

    name: str
    action: str
    node: str = ""
    program: str = ""
    on_hit: int = 1
    repeat: bool = False
    guardian_error: int = 0
    delay_ms: int = 0
    hits: int = 0
    fired: int = 0


class FaultPoints:
    """The armed points of one emulator process, shared by its nodes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._points: dict[str, FaultPoint] = {}

    def arm(self, point: FaultPoint) -> FaultPoint:
        if not point.name:
            raise InvalidArgument("a fault point needs a name such as import.after_commit")
        if point.action not in ACTIONS:
            raise InvalidArgument(f"fault action {point.action!r} is not one of {', '.join(ACTIONS)}")
        if point.on_hit < 1:
            raise InvalidArgument(f"on_hit {point.on_hit} must be 1 or more (1 = the first hit)")
        armed = replace(point, node=point.node.upper(), program=point.program.upper(), hits=0, fired=0)
        with self._lock:
            self._points[point.name] = armed
        return armed

    def disarm(self, name: str = "") -> list[FaultPoint]:
        with self._lock:
            if not name:
                gone, self._points = list(self._points.values()), {}
                return gone
            point = self._points.pop(name, None)
            return [point] if point else []

    def list(self) -> list[FaultPoint]:
        with self._lock:
            return sorted(self._points.values(), key=lambda p: p.name)

    def hit(self, name: str, node: str = "", program: str = "") -> FaultPoint | None:
        """Count a pass through `name`; return the point when it fires now (DELAY is served here)."""
        with self._lock:
            point = self._points.get(name)
            if point is None:
                return None
            if point.node and point.node != node.upper():
                return None
            if point.program and point.program != program.upper():
                return None
            hits = point.hits + 1
            fires = hits == point.on_hit or (point.repeat and hits > point.on_hit)
            point = replace(point, hits=hits, fired=point.fired + (1 if fires else 0))
            self._points[name] = point
        if fires and point.action == DELAY:
            time.sleep(point.delay_ms / 1000)
        return point if fires else None
