"""Timers on the topology's clock for the option's background work (EMS extractor checks, NetBatch jobs).

The clock fires a timer by sending it on the owner's `WatchTimers` stream and waits for the acknowledgement, so in
virtual time the work a firing starts (an export process) is part of that instant; in real time the clock's ticker
fires it. A handler's failure is acknowledged with its text (the clock records it) and never stops the watcher.
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime, timedelta
from typing import Callable

import grpc
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from catsync.platform import Platform
from emulator.v1 import clock_pb2, clock_pb2_grpc

log = logging.getLogger(__name__)


class TimerOwner:
    """One owner's timers (`\\INSIDX/BBEXT`): register them, and run `handler(timer)` at each firing."""

    def __init__(self, platform: Platform, owner: str, handler: Callable[[clock_pb2.Timer], None]):
        self.platform, self.owner, self.handler = platform, owner, handler
        self._acks: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._call = None
        self._thread = threading.Thread(target=self._watch, name=f"timers {owner}", daemon=True)

    def start(self) -> "TimerOwner":
        for timer in self.platform.clock().ListTimers(clock_pb2.ListTimersRequest(owner=self.owner)).timers:
            self.platform.clock().CancelTimer(clock_pb2.CancelTimerRequest(id=timer.id))  # a previous run's
        self._thread.start()
        self._ready.wait(timeout=10)
        return self

    def register(self, name: str, node: str, *, due: datetime | None = None, delay: timedelta | None = None,
                 payload: bytes = b"") -> clock_pb2.Timer:
        timer = clock_pb2.Timer(owner=self.owner, name=name, node=node, payload=payload)
        request = clock_pb2.RegisterTimerRequest(timer=timer)
        if due is not None:
            stamp = Timestamp()
            stamp.FromDatetime(due)
            request.timer.due.CopyFrom(stamp)
        else:
            request.delay.CopyFrom(Duration(seconds=int((delay or timedelta(0)).total_seconds())))
        return self.platform.clock().RegisterTimer(request).timer

    def cancel(self, timer_id: int) -> None:
        if timer_id:
            self.platform.clock().CancelTimer(clock_pb2.CancelTimerRequest(id=timer_id))

    def close(self) -> None:
        self._stop.set()
        self._acks.put(None)
        if self._call is not None:
            self._call.cancel()
        self._thread.join(timeout=5)

    def _requests(self):
        yield clock_pb2.WatchTimersRequest(owner=self.owner)
        self._ready.set()
        while True:
            ack = self._acks.get()
            if ack is None:
                return
            yield ack

    def _watch(self) -> None:
        stub = clock_pb2_grpc.ClockStub(self.platform.channel(self.platform.address("emulator.v1.Clock")))
        try:
            self._call = stub.WatchTimers(self._requests())
            for response in self._call:
                timer = response.firing.timer
                error = ""
                try:
                    self.handler(timer)
                except Exception as exc:  # noqa: BLE001 - reported to the clock, the watcher goes on
                    log.warning("timer %s of %s failed: %s", timer.name, self.owner, exc)
                    error = f"{type(exc).__name__}: {exc}"
                self._acks.put(clock_pb2.WatchTimersRequest(ack_timer_id=timer.id, error=error))
        except grpc.RpcError as exc:
            if not self._stop.is_set():
                log.warning("timer stream of %s ended: %s", self.owner, exc.details())
        finally:
            self._ready.set()
