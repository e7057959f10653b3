"""The verbs of a scenario, run live against a started topology and recorded in the history.

`Sim` is the Python face of a scenario (`sim.backup(count=3)`, `sim.fail("link-down")`, `sim.export("FULL")`);
YAML steps call the same methods. Every verb goes through the gRPC services of the topology only, so it works
the same under every launcher. Definite errors are `fail` events, UNAVAILABLE / DEADLINE_EXCEEDED are `info`
(Jepsen's rule): a verb never raises for an operation that failed — a scenario about failures goes on — it
raises `ScenarioError` only for a malformed step.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import grpc
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from catsync.v1 import catalog_sync_pb2 as cs
from emulator import rpc
from emulator.names import parse_node
from emulator.v1 import (backbox_domain_pb2 as bb, clock_pb2, control_pb2, guardian_pb2, media_catalog_pb2 as mc)
from harness.scenario import parse_duration
from harness.errors import ScenarioError
from harness.history import FAIL, INFO, OK, History
from harness.nemesis import Nemesis

T = rpc.DEFAULT_DEADLINE
LONG = 600.0                    # an Advance over weeks fires thousands of timers
SETTLE_PROGRAMS = ("BBCSEXP", "BBCSIMP")
REAL_SETTLE_WALL = 30.0         # seconds of wall time an operation's processes get on the real clock
REAL_SETTLE_POLL = 0.1
SYNC_TYPES = {"FULL": cs.SYNC_TYPE_FULL, "UPDATE": cs.SYNC_TYPE_UPDATE}
TRIGGERS = {"UI": cs.TRIGGER_UI, "MACRO": cs.TRIGGER_MACRO, "NETBATCH": cs.TRIGGER_NETBATCH}
OUTCOMES_OK = ("COMPLETED", "COMPLETED_WITH_WARNINGS")


@dataclass
class Roles:
    """Who is who in the topology: the replicated data store pair and where its parts live."""

    primary_domain: str = ""
    primary_store: str = ""
    primary_node: str = ""
    secondary_domain: str = ""
    secondary_store: str = ""
    secondary_node: str = ""
    staging_subvolume: str = ""
    primary_storage: str = ""
    primary_key_manager: str = ""
    secondary_storage: str = ""
    pairs: list[tuple[str, str, str, str]] = field(default_factory=list)  # (pri domain, store, sec domain, store)
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)   # primary group -> (secondary group, FILECAT)

    @classmethod
    def of(cls, spec: Any) -> "Roles":
        roles = cls()
        bbx = spec.backbox
        if bbx is None:
            return roles
        for d in bbx.domains:
            for ds in d.data_stores:
                if ds.store.domain_access != bb.DOMAIN_ACCESS_SECONDARY:
                    continue
                primary_id = ds.store.primary_data_store_id or ds.store.id
                for p in bbx.domains:
                    for pds in p.data_stores:
                        if pds.store.id == primary_id and pds.store.domain_access == bb.DOMAIN_ACCESS_PRIMARY:
                            roles.pairs.append((p.id, pds.store.id, d.id, ds.store.id))
                            for g in ds.groups:   # R10: mapped by Primary Volume Group ID
                                filecat = g.group.filecat.upper()
                                if filecat and not filecat.startswith("\\"):
                                    filecat = f"{d.manager}.{filecat}"
                                roles.groups[g.group.primary_volume_group_id or g.group.id] = (g.group.id, filecat)
        if roles.pairs:
            pd, ps, sd, ss = roles.pairs[0]
            roles.primary_domain, roles.primary_store, roles.secondary_domain, roles.secondary_store = pd, ps, sd, ss
            pdom = next(d for d in bbx.domains if d.id == pd)
            sdom = next(d for d in bbx.domains if d.id == sd)
            roles.primary_node, roles.secondary_node = pdom.manager, sdom.manager
            pstore = next(s for s in pdom.data_stores if s.store.id == ps)
            roles.staging_subvolume = pstore.store.export_config.export_destination
            roles.primary_storage = pstore.storage
            roles.secondary_storage = next((r.target for r in bbx.replications
                                            if r.kind == "storage" and r.source == pstore.storage), "")
            roles.primary_key_manager = pdom.key_managers[0][1] if pdom.key_managers else ""
        return roles


class Sim:
    """A started topology driven by scenario verbs; everything lands in `history`."""

    def __init__(self, topo: Any, history: History, *, seed: int, workload: Any = None,
                 dump: Callable[[str], None] | None = None, checkers: Callable[..., list] | None = None):
        self.topo = topo
        self.spec = topo.spec
        self.history = history
        self.seed = seed
        self.roles = Roles.of(self.spec)
        self.nemesis = Nemesis(self)
        self.workload = workload
        self.dump = dump or (lambda name: None)
        self.run_checkers = checkers
        self.backups: list[dict[str, Any]] = []
        self._real_time: bool | None = None
        self.expect_failures: list[str] = []
        self._seen_processes: set[str] = set()
        # one operation at a time: a demo's steps and its web console's buttons share this Sim
        self.lock = threading.RLock()
        history.now = self.now

    # -- roles (the nemesis and the verbs default to the replicated pair) ------------------------------------------
    def __getattr__(self, name: str) -> Any:
        roles = self.__dict__.get("roles")
        if roles is not None and name in Roles.__dataclass_fields__:
            value = getattr(roles, name)
            if not value:
                raise ScenarioError(f"the topology {self.spec.name} has no {name.replace('_', ' ')}: give it"
                                    " explicitly in the step (e.g. node:, data_store:)")
            return value
        raise AttributeError(name)

    def now(self) -> str:
        utc = self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T).utc
        return utc.ToDatetime(timezone.utc).isoformat()

    def latest_label(self) -> str:
        return self.backups[-1]["labels"][0] if self.backups and self.backups[-1].get("labels") else ""

    # -- files (used by the nemesis) -------------------------------------------------------------------------------
    def read_file(self, node: str, name: str) -> bytes:
        stream = self.topo.guardian(node).ReadFile(guardian_pb2.ReadFileRequest(name=name), timeout=T)
        return b"".join(chunk.data for chunk in stream)

    def write_file(self, node: str, name: str, data: bytes) -> None:
        chunks = iter([guardian_pb2.WriteFileRequest(name=name, mode=guardian_pb2.WRITE_MODE_REPLACE, data=data)])
        self.topo.guardian(node).WriteFile(chunks, timeout=T)

    # -- the operation wrapper -------------------------------------------------------------------------------------
    def _op(self, f: str, args: dict[str, Any], body: Callable[[], tuple[str, Any]], *, node: str = "") -> Any:
        """Record invoke, run `body` → (type, value), record the completion; gRPC errors become fail / info."""
        with self.lock:
            return self._op_locked(f, args, body, node=node)

    def _op_locked(self, f: str, args: dict[str, Any], body: Callable[[], tuple[str, Any]], *,
                   node: str = "") -> Any:
        invoked = self.history.invoke(f, args, node=node)
        try:
            type_, value = body()
        except grpc.RpcError as exc:
            kind = INFO if rpc.is_indefinite(exc) else FAIL
            error = f"{exc.code().name}: {exc.details()}"
            ge = rpc.guardian_error(exc)
            self.history.complete(invoked, kind, {"guardian_error": ge} if ge else None, error=error)
            return None
        except ScenarioError as exc:
            self.history.complete(invoked, FAIL, error=str(exc))
            raise
        error = value.pop("error", "") if isinstance(value, dict) and type_ != OK else ""
        self.history.complete(invoked, type_, value, error=error)
        self.settle()
        self.observe()
        return value

    def settle(self) -> None:
        """Let the processes an operation queued (a backup's automatic export) run at this virtual time before
        the next operation: without it they would race the harness's next call, and one seed would not give one
        history."""
        if self.real_time:
            self._settle_real()
            return
        self.topo.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=0)), timeout=LONG)

    @property
    def real_time(self) -> bool:
        """The clock runs by itself (demos, `--real-time`): advancing it means waiting."""
        if self._real_time is None:
            clock = self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T)
            self._real_time = clock.mode == clock_pb2.CLOCK_MODE_REAL
        return self._real_time

    def _settle_real(self) -> None:
        """On the real clock the processes an operation started run on their own: wait (at most REAL_SETTLE_WALL
        seconds of wall time) until no export or import process runs on any node, so that the next step sees
        what they did, as an operator would wait for them."""
        deadline = time.monotonic() + REAL_SETTLE_WALL
        time.sleep(REAL_SETTLE_POLL)   # a process queued by the operation starts within a poll
        while time.monotonic() < deadline:
            if not self.running_processes():
                return
            time.sleep(REAL_SETTLE_POLL)

    def running_processes(self) -> list[str]:
        """The catalog sync processes (BBCSEXP, BBCSIMP) running now, on every node that answers."""
        running = []
        for node in self.spec.nodes:
            try:
                procs = self.topo.guardian(node.name).ListProcesses(guardian_pb2.ListProcessesRequest(
                    running_only=True), timeout=T).processes
            except grpc.RpcError:
                continue   # a node that is down runs nothing
            running += [p.name for p in procs if p.program in SETTLE_PROGRAMS]
        return running

    # -- verbs -----------------------------------------------------------------------------------------------------
    def backup(self, count: int = 1, **options: Any) -> list[dict[str, Any]]:
        """Run `count` seeded backup jobs (harness.workload) on the primary data store."""
        if self.workload is None:
            raise ScenarioError("this run has no workload: backups need the topology's seeded workload")
        jobs = self.workload.jobs_from_step({"count": count, **options}, now=datetime.fromisoformat(self.now()))
        results = []
        for job in jobs:
            args = job.describe() if hasattr(job, "describe") else {"job": str(job)}
            value = self._op("backup", args, lambda job=job: (OK, self.workload.run(self.topo, job)),
                             node=getattr(job, "node", ""))
            if value is not None:
                self.backups.append({**value, "tape_catalog": args.get("tape_catalog", ""), "time": self.now()})
                results.append(value)
        return results

    def advance(self, by: Any = None, *, until: str | None = None) -> dict[str, Any] | None:
        """Move the virtual clock (`by`: seconds or `30m`, `2h`, `7d`; or `until` an ISO time)."""
        req = clock_pb2.AdvanceRequest()
        args: dict[str, Any] = {}
        if until is not None:
            try:
                moment = datetime.fromisoformat(str(until).replace("Z", "+00:00"))
            except ValueError:
                raise ScenarioError(f"advance: until {until!r} must be an ISO time like 2025-09-24T02:00:00Z") \
                    from None
            moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
            ts = Timestamp()
            ts.FromDatetime(moment)
            req.until.CopyFrom(ts)
            args["until"] = moment.isoformat()
        else:
            seconds = _seconds(by if by is not None else 0, "advance")
            req.by.CopyFrom(Duration(seconds=seconds))
            args["by_seconds"] = seconds

        def body() -> tuple[str, Any]:
            clock = self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T)
            if clock.mode == clock_pb2.CLOCK_MODE_REAL:   # demos on the real clock: wait until the time has come
                return OK, {**args, "utc": self._wait_real(req, clock), "real_time_rate": clock.rate}
            resp = self.topo.clock_service().Advance(req, timeout=LONG)
            return OK, {**args, "utc": resp.utc.ToDatetime(timezone.utc).isoformat(), "fired": len(resp.fired)}
        return self._op("advance", args, body)

    def _wait_real(self, req: clock_pb2.AdvanceRequest, clock: clock_pb2.GetTimeResponse) -> str:
        """In REAL mode time moves by itself at the clock's rate: `advance` waits (wall seconds = virtual / rate)."""
        start = clock.utc.ToDatetime(timezone.utc)
        target = req.until.ToDatetime(timezone.utc) if req.HasField("until") else \
            start + timedelta(seconds=req.by.seconds)
        while True:
            now = self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T).utc.ToDatetime(
                timezone.utc)
            if now >= target:
                return now.isoformat()
            time.sleep(min(0.5, (target - now).total_seconds() / max(clock.rate, 1e-6)))

    def export(self, type: str = "UPDATE", *, data_store: str | None = None, domain: str | None = None,
               catalog_files: bool | None = None, trigger: str = "UI") -> dict[str, Any] | None:
        """Export Full Catalog / Export Catalog Updates of a PRIMARY store (the UI buttons), waiting for the end."""
        domain, store = (domain or self.primary_domain).upper(), (data_store or self.primary_store).upper()
        req = cs.ExportCatalogRequest(data_store_id=store, type=_sync_type(type, "export"), wait=True,
                                      trigger=_trigger(trigger), user="SUPER.SUPER")
        if catalog_files is not None:
            req.catalog_files = cs.CATALOG_FILES_OPTION_YES if catalog_files else cs.CATALOG_FILES_OPTION_NO
        args = {"domain": domain, "data_store": store, "type": type.upper(), "trigger": trigger.upper()}
        invoke_index = len(self.history)

        def body() -> tuple[str, Any]:
            runs = self.topo.catalog_sync(domain).ExportCatalog(req, timeout=LONG).runs
            value = _run_value(runs[0], domain) if runs else {"outcome": "NONE"}
            self._seen_processes.update(r.process for r in runs if r.process)
            name = f"export-{invoke_index}"
            self.dump(name)
            value["dump"] = name
            return (OK if value["outcome"] in OUTCOMES_OK else FAIL), value
        return self._op("export", args, body, node=self.roles.primary_node)

    def import_(self, type: str = "UPDATE", *, data_store: str | None = None, domain: str | None = None,
                catalog_files: bool | None = None, trigger: str = "UI") -> dict[str, Any] | None:
        """Import Full Catalog / Import Catalog Updates of a SECONDARY store, waiting for the end."""
        domain, store = (domain or self.secondary_domain).upper(), (data_store or self.secondary_store).upper()
        req = cs.ImportCatalogRequest(data_store_id=store, type=_sync_type(type, "import"), wait=True,
                                      trigger=_trigger(trigger), user="SUPER.SUPER")
        if catalog_files is not None:
            req.catalog_files = cs.CATALOG_FILES_OPTION_YES if catalog_files else cs.CATALOG_FILES_OPTION_NO
        args = {"domain": domain, "data_store": store, "type": type.upper(), "trigger": trigger.upper()}

        def body() -> tuple[str, Any]:
            runs = self.topo.catalog_sync(domain).ImportCatalog(req, timeout=LONG).runs
            value = _run_value(runs[0], domain) if runs else {"outcome": "NONE"}
            self._seen_processes.update(r.process for r in runs if r.process)
            return (OK if value["outcome"] in OUTCOMES_OK else FAIL), value
        return self._op("import", args, body, node=self.roles.secondary_node)

    def macro(self, text: str, *, node: str | None = None, wait: bool = True) -> dict[str, Any] | None:
        """Type TACL text (BB026_EXPORT_CATALOG / BB027_IMPORT_CATALOG) at a node's TACL prompt."""
        node = parse_node(node or self.primary_node)
        domain = self._domain_of(node)
        args = {"node": node, "text": text}

        def body() -> tuple[str, Any]:
            resp = self.topo.catalog_sync(domain).RunMacro(cs.RunMacroRequest(text=text, node=node, wait=wait,
                                                                             user="SUPER.SUPER"), timeout=LONG)
            runs = [*resp.export_runs, *resp.import_runs]
            self._seen_processes.update(r.process for r in runs if r.process)
            value = {"output": list(resp.output), "runs": [_run_value(r, domain) for r in runs]}
            if not resp.ok:
                value["error"] = resp.error_message
            return (OK if resp.ok else FAIL), value
        return self._op("macro", args, body, node=node)

    def mediacom(self, command: str, *, node: str | None = None) -> dict[str, Any] | None:
        """Run MEDIACOM command(s) on a node; the console output is the result."""
        node = parse_node(node or self._secondary_node("mediacom"))
        args = {"node": node, "command": command}

        def body() -> tuple[str, Any]:
            resp = self.topo.media_catalog(node).Mediacom(mc.MediacomRequest(text=command, user="SUPER.SUPER"),
                                                          timeout=T)
            value = {"output": resp.output}
            if not resp.ok:
                value["error"] = resp.output.strip().splitlines()[-1] if resp.output.strip() else "MEDIACOM error"
            return (OK if resp.ok else FAIL), value
        return self._op("mediacom", args, body, node=node)

    def fail(self, fault: str, /, **params: Any) -> Any:
        """Inject a fault (harness.nemesis); it stays until healed (or the run's end heals it)."""
        return self.nemesis.fail(fault, **params)

    def heal(self, which: str = "all") -> Any:
        return self.nemesis.heal(which)

    def restore_check(self, *, file_id: str | None = None, generation: int = 0, node: str | None = None,
                      domain: str | None = None, list_only: bool = False, filecat: str | None = None
                      ) -> dict[str, Any] | None:
        """Restore a backup at the secondary (default: the latest backup of a DSM/TC group) and compare its data
        checksum with the one the backup wrote. `filecat` names the FILECAT to look in when it is neither the
        secondary group's (R14) nor the node's default."""
        candidates = [b for b in self.backups if b.get("tape_catalog") == "DSMTC"]
        if file_id is not None:
            candidates = [b for b in candidates if b["file_id"] == file_id.upper()]
        if generation:
            candidates = [b for b in candidates if b["generation"] == generation]
        if not candidates:
            raise ScenarioError("restore_check: no matching DSM/TC backup in this run yet: run a backup of a DSM/TC"
                                " group first, or give file_id: / generation: of one")
        wanted = candidates[-1]
        node = parse_node(node or self._secondary_node("restore_check"))
        domain = (domain or self._domain_of(node)).upper()
        # at the secondary the imported tape files live in the mapped group's FILECAT (R14)
        if filecat is None:
            filecat = self.roles.groups.get(wanted.get("group", ""), ("", ""))[1] \
                if node == self.roles.secondary_node else ""
        args = {"node": node, "domain": domain, "file_id": wanted["file_id"], "generation": wanted["generation"],
                "list_only": list_only, "filecat": filecat}

        def body() -> tuple[str, Any]:
            resp = self.topo.domain(domain).RunRestore(bb.RunRestoreRequest(
                node=node, file_id=wanted["file_id"], generation=wanted["generation"], list_only=list_only,
                filecat=filecat, user="SUPER.SUPER"), timeout=LONG)
            value = {"labels": list(resp.labels), "bytes_read": resp.bytes_read, "checksum": resp.checksum}
            if not list_only and resp.checksum != wanted.get("checksum"):
                value["error"] = (f"restored data of {wanted['file_id']} gen {wanted['generation']} differs from"
                                  " what the backup wrote")
                return FAIL, value
            return OK, value
        return self._op("restore_check", args, body, node=node)

    def check(self, checkers: list[str] | None = None, **options: Any) -> list[dict[str, Any]] | None:
        """Run the checkers on the state now (a dump named `check-<i>`)."""
        if self.run_checkers is None:
            raise ScenarioError("check: this run has no checkers")
        name = f"check-{len(self.history)}"

        def body() -> tuple[str, Any]:
            self.dump(name)
            results = self.run_checkers(name, only=checkers, **options)
            value = {"dump": name, "checks": [r.to_dict() for r in results]}
            bad = [r for r in results if r.verdict == "invalid"]
            if bad:
                value["error"] = "; ".join(f"{r.checker}: {r.summary}" for r in bad)
            return (FAIL if bad else OK), value
        return self._op("check", {"checkers": checkers or "all", **options}, body)

    def expect(self, **spec: Any) -> bool:
        """Assert on a status page, a report, EMS, MEDIACOM output, a BackBox volume or the last operation."""
        from harness.expect import evaluate  # noqa: PLC0415

        held = []

        def body() -> tuple[str, Any]:
            ok, value = evaluate(self, spec)
            held.append(ok)
            if not ok:
                self.expect_failures.append(value.get("error", str(spec)))
            return (OK if ok else FAIL), value
        self._op("expect", spec, body)
        return bool(held and held[0])

    # -- narration (demos) -----------------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        """A line of the story; in the history so a timeline and a replay tell it too."""
        self._op("say", {"text": text}, lambda: (OK, {"text": text}))

    def show(self, **spec: Any) -> list[str]:
        """Look at a status page, a report, the EMS log or MEDIACOM output as an operator would; the lines are
        the event's value (the demo prints them)."""
        from harness.expect import show  # noqa: PLC0415

        value = self._op("show", spec, lambda: (OK, show(self, spec)))
        return list(value["lines"]) if value else []

    # -- DR procedures (harness.procedures) ------------------------------------------------------------------------
    def procedure(self, name: str, args: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Run a DR procedure step by step; None when it stopped at a step (the history says where and why)."""
        from harness.procedures import run_procedure  # noqa: PLC0415

        return run_procedure(self, name, args)

    def role_swap(self, **args: Any) -> dict[str, Any] | None:
        """The planned switch of R55 (harness.procedures.role_swap)."""
        return self.procedure("role_swap", args)

    # -- administration (harness.admin) ----------------------------------------------------------------------------
    def configure(self, **args: Any) -> dict[str, Any] | None:
        """Change a data store's export / import configuration, Domain Access or status, or a volume group."""
        from harness.admin import configure  # noqa: PLC0415

        return configure(self, **args)

    def delete_volume(self, label: str, **args: Any) -> dict[str, Any] | None:
        """Delete a volume in the UI (R54)."""
        from harness.admin import delete_volume  # noqa: PLC0415

        return delete_volume(self, label, **args)

    def job(self, **args: Any) -> dict[str, Any] | None:
        """Submit or delete NetBatch jobs running BB026 / BB027 text."""
        from harness.admin import job  # noqa: PLC0415

        return job(self, **args)

    # -- background activity ---------------------------------------------------------------------------------------
    def observe(self) -> None:
        """Record the export / import processes that ran without the harness asking (automatic exports,
        extractor retries, NetBatch jobs) as events of their own process."""
        with self.lock:
            self._observe()

    def _observe(self) -> None:
        for domain, node, program, f in self._watched():
            try:
                procs = self.topo.guardian(node).ListProcesses(guardian_pb2.ListProcessesRequest(program=program),
                                                               timeout=T).processes
            except grpc.RpcError:
                continue   # the node is down: its processes are seen after the restart
            for p in sorted(procs, key=lambda p: (p.started.seconds, p.started.nanos, p.name)):
                if p.name in self._seen_processes or p.state == guardian_pb2.PROCESS_STATE_RUNNING:
                    continue
                self._seen_processes.add(p.name)
                value = {"program": program, "param": p.param, "completion_code": p.completion_code,
                         "started": _iso(p.started), "ended": _iso(p.ended), "text": p.termination_text}
                self.history.add(OK if p.completion_code in (0, 1) else FAIL, f, process=p.name, node=node,
                                 value=value, time_=_iso(p.ended) or None,
                                 error="" if p.completion_code in (0, 1) else
                                 f"completion code {p.completion_code} {p.termination_text}".strip())

    def _watched(self) -> list[tuple[str, str, str, str]]:
        out = []
        if self.roles.primary_domain:
            out.append((self.roles.primary_domain, self.roles.primary_node, "BBCSEXP", "auto-export"))
        if self.roles.secondary_domain:
            out.append((self.roles.secondary_domain, self.roles.secondary_node, "BBCSIMP", "auto-import"))
        return out

    def _secondary_node(self, verb: str) -> str:
        if not self.roles.secondary_node:
            raise ScenarioError(f"{verb}: the topology has no SECONDARY site (none, or its pair was abandoned or"
                                f" migrated): give node:, e.g. node: {self.roles.primary_node or 'the node to use'}")
        return self.roles.secondary_node

    def _domain_of(self, node: str) -> str:
        bbx = self.spec.backbox
        for d in (bbx.domains if bbx else ()):
            if node == d.manager or node in d.nodes:
                return d.id
        raise ScenarioError(f"node {node} belongs to no BackBox domain of topology {self.spec.name}")

    # -- state -----------------------------------------------------------------------------------------------------
    def dump_json(self) -> str:
        return self.topo.control_service().DumpState(control_pb2.DumpStateRequest(
            include_files=True, include_ems=True), timeout=LONG).json

    def pending_work(self) -> list[str]:
        """What still moves on its own: pending exports with a retry scheduled, replication backlogs."""
        from emulator.v1 import key_manager_pb2 as km, storage_pb2 as st  # noqa: PLC0415

        busy = []
        for pd, ps, _, _ in self.roles.pairs:
            try:
                page = self.topo.catalog_sync(pd).GetExportStatus(cs.GetExportStatusRequest(data_store_id=ps),
                                                                   timeout=T)
            except grpc.RpcError:
                continue
            if page.pending_count and page.HasField("next_retry_time"):
                busy.append(f"{ps}: {page.pending_count} volumes pending export")
        bbx = self.spec.backbox
        for r in (bbx.replications if bbx else ()):
            try:
                if r.kind == "storage":
                    s = self.topo.storage(r.source).GetReplicationStatus(st.GetReplicationStatusRequest(),
                                                                          timeout=T).status
                    if s.backlog_objects and not s.paused:
                        busy.append(f"storage {r.source}: {s.backlog_objects} images to replicate")
                else:
                    k = self.topo.key_manager(r.source).GetKeyReplicationStatus(
                        km.GetKeyReplicationStatusRequest(), timeout=T).status
                    if k.backlog and not k.paused:
                        busy.append(f"key manager {r.source}: {k.backlog} keys to replicate")
            except grpc.RpcError:
                continue
        return busy


def _seconds(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise ScenarioError(f"{what}: {value!r} is not a duration: write 30m, 2h, 7d or seconds")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ScenarioError(f"{what}: {value} is negative: virtual time only moves forward")
        return int(value)
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ScenarioError(f"{what}: {exc}") from None


def _sync_type(value: str, what: str) -> int:
    key = str(value).upper()
    if key not in SYNC_TYPES:
        raise ScenarioError(f"{what}: type {value!r} must be FULL or UPDATE")
    return SYNC_TYPES[key]


def _trigger(value: str) -> int:
    key = str(value).upper()
    if key not in TRIGGERS:
        raise ScenarioError(f"trigger {value!r} must be one of {', '.join(TRIGGERS)}")
    return TRIGGERS[key]


def _iso(ts: Timestamp) -> str:
    if not ts.seconds and not ts.nanos:
        return ""
    return ts.ToDatetime(timezone.utc).isoformat()


def _run_value(run: Any, domain: str) -> dict[str, Any]:
    """An ExportRun / ImportRun as the history's plain value (see rundir conventions)."""
    status = cs.ProcessStatus.Name(run.status).removeprefix("PROCESS_STATUS_")
    if status == "FINISHED":
        outcome = "COMPLETED_WITH_WARNINGS" if run.volume_errors else "COMPLETED"
    else:
        outcome = status
    value = {"domain": domain, "data_store": run.data_store_id, "process": run.process, "export_id": run.export_id,
             "type": cs.SyncType.Name(run.type).removeprefix("SYNC_TYPE_"), "outcome": outcome,
             "volumes": run.volumes_processed, "volume_errors": run.volume_errors, "catalog_files": run.catalog_files}
    if run.reason:
        value["reason"] = run.reason
        if outcome not in OUTCOMES_OK:
            value["error"] = f"{run.rule + ': ' if run.rule else ''}{run.reason}"
    return value


def pretty(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)

