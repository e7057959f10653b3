"""The EMS extractors' part in Catalog Sync: re-initiating failed exports (R28).

Each NSK node of the domain runs an extractor (`$BBEXT`). A running extractor checks, every Export Check Delay of
each PRIMARY store that has one, whether the store still has volumes pending export; if so, and no export or
import of the store is running (R25), it starts an UPDATE export (trigger EXTRACTOR_RETRY). Several extractors
cooperate through that same rule: the first to check starts the retry, the others then find it running, so
exactly one retries. A stopped extractor checks nothing; with all of them stopped nothing retries until someone
exports by hand. INACTIVE stores are not retried (R18); an Export Check Delay of 0 means no retries (R52).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import grpc

from catsync import CatsyncError, staging, state
from catsync.platform import Platform, PlatformError
from catsync.process import Param
from catsync.requests import Exports, RequestError
from catsync.timers import TimerOwner
from catsync.v1 import catalog_sync_pb2 as cs, state_pb2
from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2

log = logging.getLogger(__name__)
IDLE_CHECK = timedelta(minutes=15)      # how often an extractor looks again when no store asks for retries


@dataclass
class Extractor:
    """One node's extractor."""

    node: str
    process: str
    install: str
    state: state_pb2.ExtractorState
    owner: TimerOwner | None = None
    timer_id: int = 0
    next_check: datetime | None = None
    last_check: dict[str, datetime] = field(default_factory=dict)   # store -> last check time


class Extractors:
    """The extractors of one domain, driven by the topology's clock."""

    def __init__(self, platform: Platform, exports: Exports):
        self.platform, self.exports = platform, exports
        self.extractors: dict[str, Extractor] = {}
        self._lock = threading.RLock()

    def start(self) -> "Extractors":
        for n in self.exports.domain.ListNskNodes(bb.ListNskNodesRequest()).nodes:
            name = n.name.upper()
            process = n.ems_extractor_process.upper() or "$BBEXT"
            install = state.install_of(n)
            ext = Extractor(name, f"{name}.{process}", install, self._load(name, install))
            ext.owner = TimerOwner(self.platform, f"{name}/BBEXT", lambda t, e=ext: self._fired(e, t)).start()
            self.extractors[name] = ext
            if not ext.state.stopped:
                self._schedule(ext, self._now())
        return self

    def close(self) -> None:
        for ext in self.extractors.values():
            if ext.owner is not None:
                ext.owner.close()

    # -- state --------------------------------------------------------------------------------------------------
    def _file(self, node: str, install: str) -> str:
        return f"{node}.{install}.{state.EXTRACTOR_FILE}"

    def _load(self, node: str, install: str) -> state_pb2.ExtractorState:
        try:
            return state.read_or_new(self.platform.guardian(node), self._file(node, install),
                                     staging.KIND_EXTRACTOR_STATE, state_pb2.ExtractorState)
        except PlatformError:  # node down: start as running, say so later
            return state_pb2.ExtractorState(node=node)

    def _save(self, ext: Extractor) -> None:
        ext.state.format_version, ext.state.node = 1, ext.node
        try:
            state.write(self.platform.guardian(ext.node), self._file(ext.node, ext.install), ext.state,
                        staging.KIND_EXTRACTOR_STATE)
        except PlatformError as exc:
            log.info("extractor %s: state not saved: %s", ext.process, exc)

    def _now(self) -> datetime:
        utc = self.platform.clock().GetTime(clock_pb2.GetTimeRequest()).utc
        return utc.ToDatetime().replace(tzinfo=timezone.utc)

    # -- the RPCs -------------------------------------------------------------------------------------------------
    def describe(self, ext: Extractor) -> cs.Extractor:
        out = cs.Extractor(node=ext.node, process=ext.process, running=not ext.state.stopped,
                           checks=ext.state.checks, retries_started=ext.state.retries_started,
                           last_outcome=ext.state.last_outcome)
        if ext.next_check is not None and not ext.state.stopped:
            out.next_check.FromDatetime(ext.next_check)
        return out

    def list(self) -> list[cs.Extractor]:
        with self._lock:
            return [self.describe(e) for _, e in sorted(self.extractors.items())]

    def set_running(self, node: str, running: bool) -> cs.Extractor:
        with self._lock:
            ext = self.extractors.get(node.strip().upper())
            if ext is None:
                raise RequestError(grpc.StatusCode.NOT_FOUND, f"node {node.strip().upper()} has no EMS extractor in"
                                   f" this domain: the extractors run on {', '.join(sorted(self.extractors))}")
            if running == (not ext.state.stopped):
                return self.describe(ext)
            ext.state.stopped = not running
            if running:
                ext.last_check.clear()
                self._schedule(ext, self._now())
            else:
                if ext.owner is not None:
                    ext.owner.cancel(ext.timer_id)
                ext.timer_id, ext.next_check = 0, None
            self._save(ext)
            return self.describe(ext)

    def next_retry(self, store: bb.DataStore) -> datetime | None:
        """When a running extractor will next check `store` for pending exports (None when none will: no
        Export Check Delay, no destination, INACTIVE, or every extractor stopped)."""
        delay = _delay(store)
        if not delay or not store.export_config.export_destination.strip() \
                or store.status == bb.DATA_STORE_STATUS_INACTIVE:
            return None
        with self._lock:
            times = [e.last_check[store.id] + delay if store.id in e.last_check else e.next_check
                     for e in self.extractors.values() if not e.state.stopped and e.next_check]
        return min((t for t in times if t is not None), default=None)

    # -- checking -------------------------------------------------------------------------------------------------
    def _stores(self) -> dict[str, bb.DataStore]:
        """PRIMARY stores with an Export Check Delay and a destination (the ones an extractor retries)."""
        stores = self.exports.domain.ListDataStores(
            bb.ListDataStoresRequest(domain_access=bb.DOMAIN_ACCESS_PRIMARY)).data_stores
        return {s.id: s for s in stores
                if s.export_config.export_check_delay_minutes > 0 and s.export_config.export_destination.strip()}

    def _schedule(self, ext: Extractor, now: datetime) -> None:
        try:
            stores = self._stores()
        except grpc.RpcError:
            stores = {}
        due = [ext.last_check.get(s, now) + _delay(store) for s, store in stores.items()]
        when = min(due) if due else now + IDLE_CHECK
        when = max(when, now + timedelta(seconds=1))
        assert ext.owner is not None
        ext.timer_id = ext.owner.register("export check", ext.node, due=when).id
        ext.next_check = when

    def _fired(self, ext: Extractor, timer: clock_pb2.Timer) -> None:
        with self._lock:
            if ext.state.stopped or timer.id != ext.timer_id:
                return
            now = self._now()
            outcomes = []
            try:
                for store_id, store in sorted(self._stores().items()):
                    delay = _delay(store)
                    last = ext.last_check.setdefault(store_id, now - delay)
                    if now - last >= delay:
                        ext.last_check[store_id] = now
                        outcomes.append(self._check(ext, store))
            except (grpc.RpcError, CatsyncError) as exc:
                outcomes.append(f"check failed: {exc}")
            if outcomes:
                ext.state.checks += 1
                ext.state.last_outcome = "; ".join(o for o in outcomes if o)[:500]
                self._save(ext)
            self._schedule(ext, now)

    def _check(self, ext: Extractor, store: bb.DataStore) -> str:
        """Retry the store's pending exports if it has some and a retry may run now (R18, R25, R28)."""
        pending = self.exports.domain.ListPendingExports(bb.ListPendingExportsRequest(data_store_id=store.id,
                                                                                      limit=1))
        if not pending.total:
            return ""
        param = Param(store.id, cs.SYNC_TYPE_UPDATE, cs.CATALOG_FILES_OPTION_UNSPECIFIED, cs.TRIGGER_EXTRACTOR_RETRY,
                      "SUPER.SUPER", ext.process)
        run = self.exports.start(store, param)
        if run.status == cs.PROCESS_STATUS_REJECTED:
            return f"{store.id}: {pending.total} pending, no retry ({run.rule})"
        ext.state.retries_started += 1
        return f"{store.id}: {pending.total} pending, export {run.process} started"


def _delay(store: bb.DataStore) -> timedelta:
    return timedelta(minutes=store.export_config.export_check_delay_minutes)
