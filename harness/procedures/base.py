"""What every DR procedure shares: numbered steps, each recorded and checked, a fault injected at a chosen step,
the operator's view when a step fails, and the procedure's RPO and RTO.

A procedure is one operation in the history (`f` = its name, process `harness`), and each of its steps is one too
(`f` = `role_swap.4`, value: the step's number, title and rule, then what it found). The operations a step makes
(`export`, `import`, `configure`, ...) are recorded inside it as usual, so the timeline shows both levels. A step
that cannot be completed stops the procedure the way an operator would stop: its completion is `fail` with the
reason, and its value carries what the operator sees at that moment (the status pages and the EMS tail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

import grpc

from catsync.v1 import catalog_sync_pb2 as cs
from emulator import rpc
from emulator.v1 import backbox_domain_pb2 as bb, key_manager_pb2 as km, storage_pb2 as st
from harness.errors import ScenarioError
from harness.history import FAIL, INFO, INVOKE, OK, Event

if TYPE_CHECKING:
    from harness.sim import Sim

T = rpc.DEFAULT_DEADLINE


class StepFailed(Exception):
    """A step of the procedure could not be completed: the operator stops here."""


@dataclass(frozen=True)
class StepDef:
    id: str                     # "1" .. "11", or a word
    title: str
    rule: str
    fault: tuple[str, dict[str, Any]] | None = None   # what `fail_at` injects before the step runs


class Procedure:
    """One DR procedure; subclasses define `name`, `steps` and a method `step_<id>` per step."""

    name = ""
    description = ""
    steps: tuple[StepDef, ...] = ()
    options: frozenset[str] = frozenset()      # the step's own arguments besides fail_at / fault
    promote_step = ""                          # the step after which the new primary takes backups (RTO)

    def __init__(self, sim: "Sim", args: dict[str, Any]):
        self.sim = sim
        self.args = dict(args)
        self.fail_at = str(args.get("fail_at", "")) or None
        self.fault = args.get("fault")
        self.report: list[dict[str, Any]] = []
        self.started: datetime | None = None
        self.promoted: datetime | None = None

    # -- validation ---------------------------------------------------------------------------------------------
    @classmethod
    def validate(cls, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
        if args is None:
            return
        if not isinstance(args, dict):
            raise err((), f"{cls.name} takes a mapping of options ({{}} for none), e.g. {{fail_at: 5}}")
        allowed = {"fail_at", "fault", *cls.options}
        for key in args:
            if key not in allowed:
                raise err((key,), f"unknown key {key!r}: {cls.name} takes {', '.join(sorted(allowed))}")
        ids = [s.id for s in cls.steps]
        if "fail_at" in args and str(args["fail_at"]) not in ids:
            raise err(("fail_at",), f"fail_at {args['fail_at']!r} is not a step of {cls.name}: its steps are"
                                    f" {', '.join(ids)}")
        if "fault" in args:
            from harness.nemesis import FAULTS  # noqa: PLC0415

            fault = args["fault"]
            kind = fault if isinstance(fault, str) else fault.get("fault") if isinstance(fault, dict) else None
            if kind not in FAULTS:
                raise err(("fault",), f"fault is a fault kind or {{fault: KIND, ...params}}; the kinds are"
                                      f" {', '.join(sorted(FAULTS))}")
            if "fail_at" not in args:
                raise err(("fault",), "fault goes with fail_at: (the step it is injected at)")
        elif "fail_at" in args:
            step = next(s for s in cls.steps if s.id == str(args["fail_at"]))
            if step.fault is None:
                raise err(("fail_at",), f"step {step.id} ({step.title}) has no fault of its own: give fault:"
                                        " (e.g. {fault: link-down})")

    # -- running ------------------------------------------------------------------------------------------------
    def run(self) -> dict[str, Any] | None:
        sim = self.sim
        invoked = sim.history.invoke(self.name, self.args, node="")
        self.started = self._now()
        stopped: tuple[StepDef, str] | None = None
        try:
            for step in self.steps:
                if self.fail_at == step.id:
                    self._inject(step)
                error = self._run_step(step)
                if error:
                    stopped = (step, error)
                    break
        except BaseException as exc:
            sim.history.complete(invoked, INFO, self.summary(), error=f"{type(exc).__name__}: {exc}")
            raise
        value = self.summary()
        if stopped is not None:
            step, error = stopped
            value["stopped_at"] = step.id
            sim.history.complete(invoked, FAIL, value, error=f"{self.name} stopped at step {step.id} ({step.title}):"
                                                              f" {error}")
            return None
        sim.history.complete(invoked, OK, value)
        return value

    def _run_step(self, step: StepDef) -> str:
        sim = self.sim
        f = f"{self.name}.{step.id}"
        invoked = sim.history.invoke(f, {"step": step.id, "title": step.title, "rule": step.rule})
        try:
            found = getattr(self, f"step_{step.id}")() or {}
        except StepFailed as exc:
            view = self.operator_view()
            sim.history.complete(invoked, FAIL, {"title": step.title, "operator_sees": view}, error=str(exc))
            self.report.append({"step": step.id, "title": step.title, "rule": step.rule, "ok": False,
                                "error": str(exc), "at": self._now().isoformat()})
            return str(exc)
        except (grpc.RpcError, ScenarioError) as exc:   # a refused call, or a verb the situation does not allow
            message = f"{exc.code().name}: {exc.details()}" if isinstance(exc, grpc.RpcError) else str(exc)
            sim.history.complete(invoked, FAIL, {"title": step.title, "operator_sees": self.operator_view()},
                                 error=message)
            self.report.append({"step": step.id, "title": step.title, "rule": step.rule, "ok": False,
                                "error": message, "at": self._now().isoformat()})
            return message
        except BaseException as exc:   # a defect: the history still closes the step and the procedure, then it goes up
            sim.history.complete(invoked, INFO, {"title": step.title}, error=f"{type(exc).__name__}: {exc}")
            raise
        sim.history.complete(invoked, OK, {"title": step.title, **found})
        if step.id == self.promote_step:
            self.promoted = self._now()
        self.report.append({"step": step.id, "title": step.title, "rule": step.rule, "ok": True,
                            "at": self._now().isoformat()})
        return ""

    def _inject(self, step: StepDef) -> None:
        if self.fault is not None:
            kind, params = (self.fault, {}) if isinstance(self.fault, str) else (
                self.fault["fault"], {k: v for k, v in self.fault.items() if k != "fault"})
        else:
            assert step.fault is not None
            kind, params = step.fault
        self.sim.fail(kind, **params)

    # -- what the operator sees ----------------------------------------------------------------------------------
    def operator_view(self) -> dict[str, list[str]]:
        """The status pages of the pair and the last EMS lines of both managers, read now."""
        from harness.expect import show  # noqa: PLC0415

        view: dict[str, list[str]] = {}
        roles = self.sim.roles
        for key, spec in (("export_status", {"export_status": roles.primary_store, "domain": roles.primary_domain}),
                          ("import_status", {"import_status": roles.secondary_store,
                                             "domain": roles.secondary_domain}),
                          (f"ems {roles.primary_node}", {"ems": roles.primary_node, "last": 5}),
                          (f"ems {roles.secondary_node}", {"ems": roles.secondary_node, "last": 5})):
            try:
                view[key] = show(self.sim, spec)["lines"]
            except (grpc.RpcError, ScenarioError) as exc:
                view[key] = [f"(cannot be read: {exc.details() if isinstance(exc, grpc.RpcError) else exc})"]
        return view

    # -- measures ------------------------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        value: dict[str, Any] = {"steps": self.report}
        if self.started is not None and self.promoted is not None:
            value["rto_seconds"] = int((self.promoted - self.started).total_seconds())
        return value

    def take_pair(self, hint: str = "") -> None:
        r"""The roles' pair as \A (its PRIMARY side: a_domain, a_store, a_node) and \B (its SECONDARY side);
        a ScenarioError naming the procedure when the topology has none (`hint`: what to do instead)."""
        r = self.sim.roles
        if not r.pairs:
            raise ScenarioError(f"{self.name}: the topology has no PRIMARY / SECONDARY data store pair{hint}")
        self.a_domain, self.a_store, self.a_node = r.primary_domain, r.primary_store, r.primary_node
        self.b_domain, self.b_store, self.b_node = r.secondary_domain, r.secondary_store, r.secondary_node

    # -- reading the sites --------------------------------------------------------------------------------------
    def store(self, domain: str, store: str) -> bb.DataStore:
        return self.sim.topo.domain(domain).GetDataStore(bb.GetDataStoreRequest(id=store), timeout=T).data_store

    def groups(self, domain: str, store: str) -> list[bb.VolumeGroup]:
        return list(self.sim.topo.domain(domain).ListVolumeGroups(bb.ListVolumeGroupsRequest(data_store_id=store),
                                                                  timeout=T).volume_groups)

    def volumes(self, domain: str, store: str) -> list[bb.BackBoxVolume]:
        return list(self.sim.topo.domain(domain).ListVolumes(bb.ListVolumesRequest(data_store_id=store),
                                                             timeout=T).volumes)

    def export_page(self, domain: str, store: str) -> cs.GetExportStatusResponse:
        return self.sim.topo.catalog_sync(domain).GetExportStatus(cs.GetExportStatusRequest(data_store_id=store),
                                                                  timeout=T)

    def import_page(self, domain: str, store: str) -> cs.GetImportStatusResponse:
        return self.sim.topo.catalog_sync(domain).GetImportStatus(cs.GetImportStatusRequest(data_store_id=store),
                                                                  timeout=T)

    def replication_target(self, kind: str, source: str) -> str:
        """The peer `source` (a storage or key manager id) replicates with, as the service says now: after a
        reversal (R55 steps 4 and 5) that is no longer the topology's direction. When the service does not
        answer, the topology's pairing either way."""
        if not source:
            return ""
        try:
            if kind == "storage":
                peer = self.sim.topo.storage(source).GetReplicationStatus(st.GetReplicationStatusRequest(),
                                                                           timeout=T).status.config.peer_storage_id
            else:
                peer = self.sim.topo.key_manager(source).GetKeyReplicationStatus(
                    km.GetKeyReplicationStatusRequest(), timeout=T).status.config.peer_name
            if peer:
                return peer
        except grpc.RpcError:
            pass   # its site is down: what the topology declared
        bbx = self.sim.spec.backbox
        for r in (bbx.replications if bbx else ()):
            if r.kind == kind and source in (r.source, r.target):
                return r.target if r.source == source else r.source
        return ""

    def stop_exports(self, domain: str, store: str) -> dict[str, Any]:
        """R52: the NetBatch export jobs go; Full Export Frequency 0, Export Check Delay 0, no Export Destination."""
        node = self.sim.topo.manager_of(domain)
        for _ in range(60):   # an export that runs now is let finish
            page = self.export_page(domain, store)
            if page.latest_export.status != cs.PROCESS_STATUS_RUNNING:
                break
            self.sim.advance("1m")
        else:
            raise StepFailed(f"export {page.latest_export.export_id} of {store} ({page.latest_export.process}) still"
                             " runs after an hour: wait for it to end, or stop the process, then run"
                             f" {self.name} again")
        deleted = self.delete_jobs(node, store)
        self.must("configure", lambda: self.sim.configure(
            data_store=store, domain=domain,
            export_config={"full_export_frequency_days": 0, "export_check_delay_minutes": 0,
                           "export_destination": ""}), f"stopping the exports of {store}")
        config = self.store(domain, store).export_config
        if config.full_export_frequency_days or config.export_check_delay_minutes or config.export_destination:
            raise StepFailed(f"the export configuration of {store} still schedules exports (Full Export Frequency"
                             f" {config.full_export_frequency_days}, Export Check Delay"
                             f" {config.export_check_delay_minutes}, Export Destination"
                             f" {config.export_destination or 'blank'}): set them to 0, 0 and blank")
        page = self.export_page(domain, store)
        if page.exports_enabled:
            raise StepFailed(f"the Export Status page of {store} still shows exports enabled")
        return {"jobs_removed": deleted, "pending": page.pending_count}

    def demote(self, domain: str, store: str, node: str, new_primary: tuple[str, str]) -> dict[str, Any]:
        """A store to SECONDARY of `new_primary` (domain, store) (R17): each of its groups mirrors the new primary's
        group that mirrored it (R10), a DSM/TC group without FILECAT gets the node's MEDIADEFS one for the imported
        tape files (R14); then it must refuse backups. Groups the new primary never replicated are listed (R39)."""
        p_domain, p_store = new_primary
        p_groups = self.groups(p_domain, p_store)
        self.must("configure", lambda: self.sim.configure(
            data_store=store, domain=domain, domain_access="SECONDARY", primary_data_store_id=p_store),
            f"{store} to SECONDARY")
        mediadefs = next((n.dsmtc.mediadefs for n in self.sim.spec.nodes if n.name == node), {})
        mapped: dict[str, tuple[str, str]] = {}
        unmapped: list[str] = []
        for group in self.groups(domain, store):
            mirror = next((g.id for g in p_groups if g.primary_volume_group_id == group.id), "")
            if not mirror:
                unmapped.append(group.id)
                continue
            fields: dict[str, Any] = {"primary_volume_group_id": mirror}
            filecat = group.filecat
            if group.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC and not filecat:
                filecat = fields["filecat"] = f"{node}.{str(mediadefs.get('filecat', 'QCFILCAT')).upper()}"
            self.must("configure", lambda g=group, f=fields: self.sim.configure(
                volume_group=g.id, domain=domain, fields=f), f"volume group {group.id}")
            mapped[mirror] = (group.id, filecat.upper())
        decision = self.sim.topo.domain(domain).CheckAccess(bb.CheckAccessRequest(
            data_store_id=store, operation=bb.DATA_STORE_OPERATION_LOAD_OUTPUT,
            origin=bb.OPERATION_ORIGIN_TAPE_APPLICATION), timeout=T).decision
        if decision.allowed:
            raise StepFailed(f"{store} still accepts backups after the switch to SECONDARY: check its Domain Access"
                             " on the Storage Admin page before going on (R17)")
        return {"mapped": mapped, "not_replicated": unmapped, "backups_refused": decision.reason}

    @staticmethod
    def staging_on(node: str, subvolume: str, default: str = "$DATA15.CSSTAGE") -> str:
        """The same subvolume name on another node: the staging area moves with the roles (R55 step 6)."""
        rest = subvolume.split(".", 1)[1] if subvolume.startswith("\\") and "." in subvolume else \
            (subvolume or default)
        return f"{node}.{rest}".upper()

    def store_jobs(self, node: str, store: str) -> list[cs.Job]:
        """The NetBatch jobs on `node` whose macros name `store` (after STOREID_ALIAS, R35); a job with STOREID ALL
        stops the step: removing it would stop every other store's exports or imports as well."""
        from harness.admin import job_stores  # noqa: PLC0415

        jobs = self.sim.topo.catalog_sync(self.sim._domain_of(node)).ListJobs(cs.ListJobsRequest(node=node),
                                                                             timeout=T).jobs
        every = [j.job_name for j in jobs if "ALL" in job_stores(j)]
        if every:
            raise StepFailed(f"NetBatch job {', '.join(every)} on {node} runs for every data store (STOREID ALL),"
                             f" {store} included: replace it with one job per data store (STOREID <id>), then run"
                             f" {self.name} again")
        return [j for j in jobs if store.upper() in job_stores(j)]

    def delete_jobs(self, node: str, store: str) -> list[str]:
        """Remove the NetBatch export / import jobs of `store` on `node` (R52); the names removed."""
        if not self.store_jobs(node, store):
            return []
        deleted = self.must("job", lambda: self.sim.job(delete=store, node=node), "removing the NetBatch jobs")
        if self.store_jobs(node, store):
            raise StepFailed(f"NetBatch jobs of {store} are still scheduled on {node} after their removal")
        return deleted["deleted"]

    def cataloged_at(self, domain: str, label: str) -> bool:
        try:
            self.sim.topo.domain(domain).GetVolume(bb.GetVolumeRequest(label=label), timeout=T)
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
            return False
        return True

    def newest_backup(self, domain: str | None = None, labels: set[str] | None = None) -> dict[str, Any] | None:
        """The newest DSM/TC backup of the run (of `domain`, on `labels`) that has not expired by now: an expired
        tape file is SCRATCH on both sites and restores nowhere, so a test restore picks the newest live one."""
        now = self._now()
        for b in reversed(self.sim.backups):
            if b.get("tape_catalog", "DSMTC") != "DSMTC" or (domain and b.get("domain") != domain):
                continue
            if labels is not None and not set(b.get("labels") or ()) & labels:
                continue
            expiration = b.get("expiration")
            if expiration and datetime.fromisoformat(str(expiration)) <= now:
                continue
            return b
        return None

    def arrived(self, target_domain: str, label: str, written: datetime) -> bool:
        """The target's record of the volume carries a write at or after `written`. A FULL import registers every
        volume of the store, scratch ones included, so a record alone does not say that a backup arrived."""
        try:
            vol = self.sim.topo.domain(target_domain).GetVolume(bb.GetVolumeRequest(label=label), timeout=T).volume
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
            return False
        return vol.HasField("last_written_time") and \
            vol.last_written_time.ToDatetime(timezone.utc) >= written.astimezone(timezone.utc)

    def rpo(self, source_domain: str, target_domain: str) -> int:
        """Newest backup written at `source_domain` minus the newest one whose write `target_domain` catalogs (the
        data the target could not restore, in seconds of backups)."""
        backups = [b for b in self.sim.backups if b.get("domain") == source_domain and b.get("time")]
        if not backups:
            return 0
        newest = datetime.fromisoformat(backups[-1]["time"])
        for b in reversed(backups):
            written = datetime.fromisoformat(b["time"])
            if self.arrived(target_domain, b["labels"][0], written):
                return int((newest - written).total_seconds())
        return int((newest - datetime.fromisoformat(backups[0]["time"])).total_seconds())

    def wait_for_image(self, label: str, storage: str, hours: int = 2) -> None:
        """The operator waits for the storage replication to bring a volume's image to `storage`."""
        if not storage:
            return
        for _ in range(hours * 12):
            if self.sim.topo.storage(storage).StatImage(st.StatImageRequest(label=label, labeled=True),
                                                        timeout=T).found:
                return
            self.sim.advance("5m")
        raise StepFailed(f"the image of {label} has not reached {storage} after {hours} hours: is the storage"
                         " replication running?")

    # -- helpers for the steps -------------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return datetime.fromisoformat(self.sim.now())

    def did(self, f: str, call: Callable[[], Any]) -> Event:
        """Run a Sim verb and return its completion event (the verbs never raise for a failed operation)."""
        start = len(self.sim.history.events)
        call()
        for e in self.sim.history.events[start:]:
            if e.f == f and e.type != INVOKE and e.process == "harness":
                return e
        raise StepFailed(f"{f} left no completion in the history")

    def must(self, f: str, call: Callable[[], Any], what: str) -> Any:
        done = self.did(f, call)
        if done.type != OK:
            raise StepFailed(f"{what}: {done.error or done.type}")
        return done.value
