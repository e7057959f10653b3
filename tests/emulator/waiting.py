"""Waiting in tests: on a condition with a deadline, never a fixed sleep."""

from __future__ import annotations

import threading
import time
from typing import Callable


def until(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """Wait until `predicate()` holds; fail the test when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        pause.wait(0.005)
