"""The console's session over one running topology: who the domains, stores and nodes are, the operator's
actions run one at a time through the harness's `Sim` (so they land in the run's history and timeline), the
MEDIACOM transcripts, and the checker verdicts of the state now.

Everything a page shows is read from the gRPC services at the moment the page (or its live part) is drawn: the
console holds no copy of the sites' state.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path
from typing import Any, Callable

import grpc

from emulator import rpc
from emulator.errors import EmulatorError
from emulator.names import parse_node
from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, control_pb2
from harness.errors import HarnessError
from harness.web.markup import utc_text

T = rpc.DEFAULT_DEADLINE
ACTION_WAIT = 20.0          # wall seconds a POST waits for its action before answering "still running"
TRANSCRIPT_KEEP = 200       # MEDIACOM exchanges kept per node
CHECK_EVERY = 5.0           # wall seconds at least between two runs of the checkers (each takes a state dump)


class WebError(HarnessError):
    """A request the console refuses: the message is shown on the page, with the HTTP status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Exchange:
    """One MEDIACOM command typed in the console and the node's answer."""

    command: str
    output: str
    ok: bool
    when: str


@dataclass
class Outcome:
    """What an action did, for the banner of the page it returns to."""

    text: str
    kind: str = "ok"           # ok | info | warn | error


@dataclass
class CheckCache:
    """The checkers' verdicts on the state at `at` (clock text), for the history length and UTC second `key`."""

    key: tuple = ()
    results: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    at: str = ""
    wall: float = 0.0          # time.monotonic() when computed


def rpc_message(exc: grpc.RpcError, what: str) -> str:
    """A gRPC failure in an operator's words: what could not be done and the service's reason."""
    code = exc.code()
    details = exc.details() or ""
    ge = rpc.guardian_error(exc)
    if code == grpc.StatusCode.UNAVAILABLE:
        why = "the node does not answer (crashed, or the Expand link to it is cut)"
        if ge:
            why += f"; Guardian error {ge}"
        return f"{what}: {why}. {details}".strip()
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        return f"{what}: the service did not answer in time ({details})"
    return f"{what}: {details or code.name}"


class Console:
    """One web console over a `Sim` (a topology started by `serve`, or the run of a demo)."""

    def __init__(self, sim: Any, *, title: str = "", dumps_dir: Path | None = None):
        self.sim = sim
        self.topo = sim.topo
        self.spec = sim.spec
        self.title = title or self.spec.name
        self.token = secrets.token_urlsafe(24)
        self._actions = ThreadPoolExecutor(max_workers=1, thread_name_prefix="console-action")
        self._pending = 0
        self._lock = threading.Lock()
        self._checking = threading.Lock()   # one checkers' run at a time, whatever the number of open pages
        self.transcripts: dict[str, list[Exchange]] = {}
        self.checks = CheckCache()
        self._dumps_dir = dumps_dir
        self._work = Path(tempfile.mkdtemp(prefix="catsync-console-"))
        self.closed = threading.Event()
        if getattr(sim, "run_checkers", None) is None:   # `serve --web`: the console's own run of the checkers
            self._own_checkers()

    def close(self) -> None:
        self.closed.set()
        self._actions.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._work, ignore_errors=True)

    # -- the topology ----------------------------------------------------------------------------------------------
    @property
    def domains(self) -> list[str]:
        bbx = self.spec.backbox
        return [d.id for d in bbx.domains] if bbx else []

    def domain_spec(self, domain: str) -> Any:
        bbx = self.spec.backbox
        for d in (bbx.domains if bbx else ()):
            if d.id == domain.upper():
                return d
        known = ", ".join(self.domains) or "none"
        raise WebError(404, f"no BackBox domain '{domain}' in topology {self.spec.name}: its domains are {known}")

    def domain_nodes(self, domain: str) -> list[str]:
        d = self.domain_spec(domain)
        return [d.manager, *[n for n in d.nodes if n != d.manager]]

    def domain_node(self, domain: str, text: str) -> str:
        """The node `text` names (default the domain's manager), refused unless it is a node of `domain`."""
        nodes = self.domain_nodes(domain)
        try:
            node = parse_node(text or nodes[0])
        except EmulatorError as exc:
            raise WebError(400, f"node '{text}': {exc.message}") from None
        if node not in nodes:
            raise WebError(404, f"node {node} is not a node of domain {domain.upper()}: its nodes are"
                                f" {', '.join(nodes)}")
        return node

    def node_offset(self, node: str) -> int:
        """A node's UTC offset now (its zone and any clock skew), from the Clock service, for local times."""
        try:
            return self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(node=node),
                                                     timeout=T).node_offset_seconds
        except grpc.RpcError:
            return next((n.utc_offset_seconds for n in self.spec.nodes if n.name == node), 0)

    def local_now(self, node: str) -> str:
        """The node's local time now, as its console prints it."""
        try:
            clock = self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(node=node), timeout=T)
        except grpc.RpcError:
            return ""
        return clock.node_local.ToDatetime(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")

    def clock(self) -> tuple[str, str]:
        """(UTC time text, mode text) of the topology's clock."""
        try:
            clock = self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T)
        except grpc.RpcError as exc:
            return "clock unreachable", rpc_message(exc, "Clock")
        mode = "real clock" if clock.mode == clock_pb2.CLOCK_MODE_REAL else "virtual clock"
        if clock.mode == clock_pb2.CLOCK_MODE_REAL and clock.rate:
            mode += f" ×{clock.rate:g}"
        return utc_text(clock.utc.ToDatetime(timezone.utc)), mode

    def stores(self, domain: str) -> list[bb.DataStore]:
        resp = self.call(lambda: self.topo.domain(domain).ListDataStores(bb.ListDataStoresRequest(), timeout=T),
                         f"Storage Admin of {domain}")
        return list(resp.data_stores)

    def store(self, domain: str, store_id: str, access: int = 0, purpose: str = "") -> bb.DataStore:
        """The data store `store_id` of `domain`, or a 404 naming the stores the domain has; with `access`, a 409
        unless the store has that Domain Access (R17), `purpose` saying what needs it."""
        self.domain_spec(domain)
        wanted = store_id.strip().upper()
        stores = self.stores(domain)
        found = next((s for s in stores if s.id == wanted), None)
        if found is None:
            known = ", ".join(s.id for s in stores) or "none"
            raise WebError(404, f"no data store '{store_id}' in domain {domain.upper()}: its data stores are {known}")
        if access and found.domain_access != access:
            has = bb.DomainAccess.Name(found.domain_access).removeprefix("DOMAIN_ACCESS_")
            has = "without Domain Access" if has == "UNSPECIFIED" else has
            raise WebError(409, f"data store {found.id} is {has}: {purpose} (R17)")
        return found

    @staticmethod
    def call(fn: Callable[[], Any], what: str) -> Any:
        """Run one gRPC call; a failure becomes a page message (503 when the node does not answer)."""
        try:
            return fn()
        except grpc.RpcError as exc:
            code = exc.code()
            status = {grpc.StatusCode.NOT_FOUND: 404, grpc.StatusCode.INVALID_ARGUMENT: 400,
                      grpc.StatusCode.FAILED_PRECONDITION: 409, grpc.StatusCode.ALREADY_EXISTS: 409,
                      grpc.StatusCode.PERMISSION_DENIED: 403}.get(code, 503)
            raise WebError(status, rpc_message(exc, what)) from None

    # -- actions ---------------------------------------------------------------------------------------------------
    def act(self, fn: Callable[[], Outcome], *, what: str) -> Outcome:
        """Run an operator's action on the console's one action thread (actions never overlap, as one operator's
        clicks; the Sim's lock keeps them apart from a demo's own steps), waiting up to ACTION_WAIT seconds; a
        longer one goes on and the page says so."""
        queued = self._pending > 0

        def run() -> Outcome:
            try:
                with self.sim.lock:
                    return fn()
            finally:
                with self._lock:
                    self._pending -= 1
        with self._lock:
            self._pending += 1
        future: Future = self._actions.submit(run)
        try:
            return future.result(timeout=ACTION_WAIT)
        except FutureTimeout:
            if queued:
                return Outcome(f"{what} waits for the console's previous action to end: it runs after it, and this"
                               " page updates when it has", "info")
            return Outcome(f"{what} is still running: this page updates when it ends", "info")

    # -- MEDIACOM --------------------------------------------------------------------------------------------------
    def remember(self, node: str, exchange: Exchange) -> None:
        with self._lock:
            log = self.transcripts.setdefault(node, [])
            log.append(exchange)
            del log[:-TRANSCRIPT_KEEP]

    # -- checkers --------------------------------------------------------------------------------------------------
    def _own_checkers(self) -> None:
        dumps = self._work / "dumps"
        dumps.mkdir(parents=True, exist_ok=True)
        self._dumps_dir = dumps

        def dump(name: str) -> None:
            (dumps / f"{name}.json").write_text(self.sim.dump_json())
        self.sim.dump = dump

    def current_verdicts(self) -> CheckCache:
        """The checkers on the state now (a fresh state dump) and the history so far; recomputed only when the
        history or the clock moved since the last time (for the clock alone, at most every CHECK_EVERY seconds);
        while another page computes them, the last ones."""
        try:
            utc = self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T).utc.seconds
        except grpc.RpcError:
            utc = -1
        key = (len(self.sim.history), utc)
        with self._lock:
            old = self.checks.key
            # a new event always counts; the clock alone (it runs by itself on the real clock) at most every
            # CHECK_EVERY seconds, each run being a state dump of every node
            fresh = key == old or (old and key[0] == old[0] and time.monotonic() - self.checks.wall < CHECK_EVERY)
            if fresh and old:
                return self.checks
        if not self._checking.acquire(blocking=False):   # another page is computing them: show the last ones
            return self.checks
        try:
            return self._compute_verdicts(key)
        finally:
            self._checking.release()

    def _compute_verdicts(self, key: tuple) -> CheckCache:
        from harness.checkers import run_checkers  # noqa: PLC0415

        cache = CheckCache(key=key, at=self.clock()[0], wall=time.monotonic())
        try:
            current = json.loads(self.topo.control_service().DumpState(control_pb2.DumpStateRequest(
                include_files=True, include_ems=True), timeout=120.0).json)
            dumps: dict[str, dict] = {}
            if self._dumps_dir is not None and self._dumps_dir.is_dir():
                for path in sorted(self._dumps_dir.glob("*.json")):
                    try:
                        dumps[path.stem] = json.loads(path.read_text())
                    except (OSError, ValueError):
                        continue   # a dump being written right now: the next refresh reads it
            results = run_checkers(list(self.sim.history.events), {**dumps, "final": current})
            cache.results = [r.to_dict() for r in results]
        except grpc.RpcError as exc:
            cache.error = rpc_message(exc, "State dump for the checkers")
        except HarnessError as exc:
            cache.error = str(exc)
        with self._lock:
            self.checks = cache
        return cache
