r"""Losing the primary site and coming back from it: the unplanned failover of a data store pair and the failback
with a FULL resynchronisation, each a scenario step (harness.procedures.base).

`unplanned_failover`: the primary site goes without warning — its nodes crash, the Expand link is cut, its storage
and key manager stop replicating (the step injects what the scenario has not already). The operator promotes the
secondary from what it has: an UPDATE import of whatever is complete in the staging area, the SECONDARY store to
PRIMARY (R17) exporting nowhere (R31, R52: there is no secondary left), and a test backup on it. Its value lists the
volumes of the lost primary's backups the new primary cannot restore, each with why, as read from the new primary's
own services: not in its catalog (the export / import lag), no image in its storage (the storage replication lag,
R2), no key in its key manager (the key replication lag, R50). RPO = the lost primary's newest backup minus the
newest one the new primary can restore; RTO = the start to the promotion.

`failback`: the old primary comes back fenced (restarted with the link still down, its exports stopped, R52), is
made SECONDARY of the new primary (it holds entries the new primary never saw), gets a staging subvolume (R48);
storage and key replication first bring the new primary what it lacks and then run the other way; the new primary
runs a FULL export and the old one a FULL import, which removes what the new primary does not have (R19, R23, R24).
Then the planned switch back: the 11 steps of R55 (harness.procedures.role_swap), recorded as steps 9 to 19. In
those steps R55's \A is the site being switched away from — here the promoted one.

```yaml
- unplanned_failover: {}
- unplanned_failover: {final_import: false}   # promote without the final import (the staging area is unusable)
- unplanned_failover: {fail_at: 3}            # the step's own fault: the staging summary file is purged
- failback: {}
- failback: {fail_at: 7}                      # the step's own fault: the Expand link is down for the FULL export
- failback: {staging: '\INSIDX.$DATA15.E5CATSYN', full_export_frequency_days: 30}
```
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import grpc

from emulator.v1 import backbox_domain_pb2 as bb, key_manager_pb2 as km, storage_pb2 as st
from harness.errors import ScenarioError
from harness.history import OK
from harness.procedures.base import T, Procedure, StepDef, StepFailed
from harness.procedures.role_swap import SYNC_WAIT, RoleSwap, validate_swap_options
from harness.workload import WorkloadError

NOT_CATALOGED, IMAGE_MISSING, KEY_MISSING = "not-cataloged", "image-missing", "key-missing"
REASONS = {NOT_CATALOGED: "not cataloged at the new primary (export / import lag)",
           IMAGE_MISSING: "image missing from the new primary's storage (storage replication lag)",
           KEY_MISSING: "key missing from the new primary's key manager (key manager replication lag)"}
SOURCE = st.REPLICATION_ROLE_SOURCE
KEY_SOURCE = km.KEY_REPLICATION_ROLE_SOURCE
WRITE_SLACK = timedelta(seconds=1)     # a backup and its record's last write share one virtual instant


def peer(sim: Any, kind: str, name: str) -> str:
    """The storage or key manager `name` replicates with (`kind` "storage" or "keys"), in either direction: as
    the service says now, else as the topology declares it (a replica that never received anything does not know
    its source yet); "" when it does not replicate."""
    if not name:
        return ""
    if kind == "storage":
        status = sim.topo.storage(name).GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status
        live = status.config.peer_storage_id if status.role else ""
    else:
        k = sim.topo.key_manager(name).GetKeyReplicationStatus(km.GetKeyReplicationStatusRequest(), timeout=T).status
        live = k.config.peer_name if k.role else ""
    if live:
        return live.upper()
    bbx = sim.spec.backbox
    for r in (bbx.replications if bbx else ()):
        if r.kind == kind and name in (r.source, r.target):
            return r.target if r.source == name else r.source
    return ""


def is_source(sim: Any, kind: str, name: str) -> bool:
    """Whether the storage or key manager `name` ships its changes to a replica now."""
    if kind == "storage":
        return sim.topo.storage(name).GetReplicationStatus(st.GetReplicationStatusRequest(),
                                                           timeout=T).status.role == SOURCE
    return sim.topo.key_manager(name).GetKeyReplicationStatus(km.GetKeyReplicationStatusRequest(),
                                                              timeout=T).status.role == KEY_SOURCE


class UnplannedFailover(Procedure):
    name = "unplanned_failover"
    description = "the primary site is lost: the SECONDARY store is promoted from what it has"
    options = frozenset({"final_import"})
    promote_step = "4"
    steps = (
        StepDef("1", "the primary site is lost: its nodes down, the Expand link cut, its replications stopped",
                "R2, R50"),
        StepDef("2", "the old primary does not answer; the imports at the secondary are stopped", "R52, R29"),
        StepDef("3", "an UPDATE import of what is complete in the staging area", "R21, R29",
                ("staging-delete", {"file": "CSSUMARY"})),
        StepDef("4", "the secondary data store to PRIMARY, its export pointing at nothing", "R17, R31, R52"),
        StepDef("5", "what the new primary cannot restore of the lost primary's backups; the RPO", "R2, R22, R50"),
        StepDef("6", "a test backup on the new primary, restored there", "R59"),
    )

    @classmethod
    def validate(cls, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
        super().validate(args, err)
        if isinstance(args, dict) and "final_import" in args and not isinstance(args["final_import"], bool):
            raise err(("final_import",), f"final_import {args['final_import']!r} must be true or false")

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        r = sim.roles
        self.take_pair(" (after an unplanned failover, run failback first)")
        self.a_storage, self.b_storage = r.primary_storage, r.secondary_storage
        self.a_keys = r.primary_key_manager
        self.faults: dict[str, list[str]] = {"injected": [], "found": []}
        self.unrestorable: list[dict[str, Any]] = []
        self.rpo_seconds: int | None = None
        self.dump_name = ""
        self.newest: dict[str, Any] = {}
        self.test_backup = ""

    # -- the steps ----------------------------------------------------------------------------------------------
    def step_1(self) -> dict[str, Any]:
        sim = self.sim
        site = next((n.site for n in sim.spec.nodes if n.name == self.a_node), "")
        nodes = [n.name for n in sim.spec.nodes if n.site == site and n.name != self.b_node] or [self.a_node]
        for node in nodes:
            self._lose("node-crash", {"node": node}, lambda f, n=node: f.target.get("node") == n)
        link = sim.topo.link_id(self.a_node, self.b_node)
        self._lose("link-down", {"between": [self.a_node, self.b_node]}, lambda f: f.target.get("link") == link)
        if self.a_storage and is_source(sim, "storage", self.a_storage):   # its unsent images stay behind (R2)
            self._lose("storage-replication-pause", {"storage": self.a_storage},
                       lambda f: f.target.get("storage") == self.a_storage)
        if self.a_keys and is_source(sim, "keys", self.a_keys):            # and its unsent keys (R50)
            self._lose("key-replication-pause", {"key_manager": self.a_keys},
                       lambda f: f.target.get("key_manager") == self.a_keys)
        return {"lost_nodes": nodes, **self.faults}

    def _lose(self, kind: str, params: dict[str, Any], hits: Callable[[Any], bool]) -> None:
        """Inject one part of the site loss unless a fault of the scenario already does it."""
        active = next((f for f in self.sim.nemesis.active.values() if f.kind == kind and hits(f)), None)
        if active is not None:
            self.faults["found"].append(f"{active.id} {kind}")
            return
        fault = self.sim.fail(kind, **params)
        if fault is None:
            raise StepFailed(f"{kind} {params} could not be injected (see the nemesis event): the site is not lost")
        self.faults["injected"].append(f"{fault.id} {kind}")

    def step_2(self) -> dict[str, Any]:
        try:
            self.store(self.a_domain, self.a_store)
        except grpc.RpcError as exc:
            unreachable = f"{exc.code().name}: {exc.details()}"
        else:
            raise StepFailed(f"{self.a_node} still answers for {self.a_store}: the primary is not lost; switch with"
                             " role_swap instead")
        page = self.import_page(self.b_domain, self.b_store)
        deleted = self.delete_jobs(self.b_node, self.b_store)     # R52: no nightly import into the promoted store
        return {"primary": unreachable, "last_import": page.latest_import.export_id, "jobs_removed": deleted}

    def step_3(self) -> dict[str, Any]:
        if self.args.get("final_import") is False:
            return {"import": "skipped (final_import: false)"}
        done = self.did("import", lambda: self.sim.import_("UPDATE", domain=self.b_domain, data_store=self.b_store))
        value = done.value if isinstance(done.value, dict) else {}
        if done.type != OK:
            raise StepFailed(f"the import on {self.b_node} ended {value.get('outcome') or done.type}"
                             f" ({done.error}): repair the staging area, or promote without it (final_import: false)")
        # volume errors do not stop a failover: those volumes are what the new primary lacks (step 5 lists them)
        return {"export_id": value.get("export_id", ""), "volumes": value.get("volumes", 0),
                "volume_errors": value.get("volume_errors", 0)}

    def step_4(self) -> dict[str, Any]:
        self.must("configure", lambda: self.sim.configure(
            data_store=self.b_store, domain=self.b_domain, domain_access="PRIMARY"), f"{self.b_store} to PRIMARY")
        self.must("configure", lambda: self.sim.configure(     # R31, R52: there is no secondary to export to
            data_store=self.b_store, domain=self.b_domain,
            export_config={"export_destination": "", "full_export_frequency_days": 0,
                           "export_check_delay_minutes": 0}), f"the export of {self.b_store} to nothing")
        decision = self.sim.topo.domain(self.b_domain).CheckAccess(bb.CheckAccessRequest(
            data_store_id=self.b_store, operation=bb.DATA_STORE_OPERATION_LOAD_OUTPUT,
            origin=bb.OPERATION_ORIGIN_TAPE_APPLICATION), timeout=T).decision
        if not decision.allowed:
            raise StepFailed(f"{self.b_store} refuses backups after the promotion: {decision.reason}")
        self._promote_roles()
        return {"primary": f"{self.b_store} ({self.b_node})", "export_destination": ""}

    def _promote_roles(self) -> None:
        """The harness follows: backups go to the new primary. The lost primary stays named as the secondary, with
        no pair, so that the failback knows where to come back to; until then nothing imports there."""
        sim, r = self.sim, self.sim.roles
        sim.roles = replace(
            r, primary_domain=self.b_domain, primary_store=self.b_store, primary_node=self.b_node,
            secondary_domain=self.a_domain, secondary_store=self.a_store, secondary_node=self.a_node,
            staging_subvolume="", primary_storage=self.b_storage, secondary_storage=self.a_storage,
            primary_key_manager=self._key_servers().get(self._key_id(), "") or peer(sim, "keys", self.a_keys)
            or r.primary_key_manager, pairs=[], groups={})
        if sim.workload is not None:
            sim.workload.retarget(sim.topo, self.b_domain, self.b_store)

    def _key_id(self) -> str:
        return next((g.key_manager_id for g in self.groups(self.b_domain, self.b_store) if g.key_manager_id), "")

    def _key_servers(self) -> dict[str, str]:
        refs = self.sim.topo.domain(self.b_domain).ListKeyManagers(bb.ListKeyManagersRequest(), timeout=T)
        return {k.id.upper(): k.server_name.upper() for k in refs.key_managers}

    def step_5(self) -> dict[str, Any]:
        # the state at this moment, for the rpo checker to measure on its own (the run's end heals the lost site)
        self.dump_name = f"failover-{len(self.sim.history)}"
        self.sim.dump(self.dump_name)
        backups = [b for b in self.sim.backups if b.get("domain") == self.a_domain and b.get("labels")
                   and str(b.get("data_store", self.a_store)).upper() == self.a_store]
        if not backups:
            self.rpo_seconds = 0
            return {"unrestorable": [], "rpo_seconds": 0}
        mapped = {g.primary_volume_group_id.upper() for g in self.groups(self.b_domain, self.b_store)}
        servers = self._key_servers()
        restorable: list[dict[str, Any]] = []
        for n, b in enumerate(backups):
            later = {label for x in backups[n + 1:] for label in x["labels"]}
            if later & set(b["labels"]):
                continue          # a later backup rewrote its volumes: the lost primary could not restore it either
            lost = [self._why(b, label, mapped, servers) for label in b["labels"]]
            lost = [x for x in lost if x]
            self.unrestorable.extend(lost)
            if not lost:
                restorable.append(b)
        newest = datetime.fromisoformat(backups[-1]["time"])
        if restorable:
            since = datetime.fromisoformat(restorable[-1]["time"])
        else:                     # nothing restorable: everything since the run began is lost
            since = datetime.fromisoformat(self.sim.history.events[0].time) if self.sim.history.events else newest
        self.rpo_seconds = max(0, int((newest - since).total_seconds()))
        self.newest = {"written": _describe(backups[-1]),
                       "restorable": _describe(restorable[-1]) if restorable else None}
        return {"unrestorable": self.unrestorable, "rpo_seconds": self.rpo_seconds, **self.newest}

    def _why(self, backup: dict[str, Any], label: str, mapped: set[str], servers: dict[str, str]
             ) -> dict[str, Any] | None:
        """What keeps the new primary from restoring one volume of a backup, read from its own services."""
        reasons, notes = [], []
        group = str(backup.get("group", "")).upper()
        record = None
        try:
            record = self.sim.topo.domain(self.b_domain).GetVolume(bb.GetVolumeRequest(label=label),
                                                                   timeout=T).volume
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
        if record is None:
            reasons.append(NOT_CATALOGED)
            if group and group not in mapped:
                notes.append(f"group {group} has no group at {self.b_node} (W3332, R39)")
        elif not record.HasField("last_written_time") or record.last_written_time.ToDatetime(timezone.utc) < \
                datetime.fromisoformat(backup["time"]) - WRITE_SLACK:
            # the volume is known (a FULL export sends scratch volumes too), but not this backup's write of it
            reasons.append(NOT_CATALOGED)
            notes.append(f"the catalog holds {'an older write' if record.HasField('last_written_time') else 'no write'}"
                         f" of {label}")
        if self.b_storage and not self.sim.topo.storage(self.b_storage).StatImage(
                st.StatImageRequest(label=label, labeled=True), timeout=T).found:
            reasons.append(IMAGE_MISSING)
        if record is not None and record.encrypted and record.media_key_name:
            server = servers.get(record.key_manager_id.upper(), "")
            if not server:
                reasons.append(KEY_MISSING)
                notes.append(f"no key manager {record.key_manager_id} in domain {self.b_domain} (R50)")
            elif not _key_exists(self.sim, server, record.media_key_name):
                reasons.append(KEY_MISSING)
        if not reasons:
            return None
        return {"label": label, "file_id": backup["file_id"], "generation": backup.get("generation", 0),
                "reasons": reasons, "why": "; ".join([REASONS[r] for r in reasons] + notes)}

    def step_6(self) -> dict[str, Any]:
        try:
            done = self.sim.backup(1)
        except WorkloadError as exc:     # e.g. the new primary holds no scratch volume (nothing was ever imported)
            raise StepFailed(f"no test backup can run on {self.b_node}: {exc}") from None
        if not done:
            raise StepFailed(f"the test backup on {self.b_node} failed (see the backup event)")
        b = self.sim.backups[-1]
        label = b["labels"][0]
        if b.get("tape_catalog") == "DSMTC":
            self.must("restore_check", lambda: self.sim.restore_check(
                file_id=b["file_id"], generation=b["generation"], node=self.b_node, domain=self.b_domain),
                f"restoring the test backup on {self.b_node}")
        elif not self.sim.topo.storage(self.b_storage).StatImage(st.StatImageRequest(label=label, labeled=True),
                                                                 timeout=T).found:
            raise StepFailed(f"the test backup's volume {label} has no image in {self.b_storage}")
        self.test_backup = b["file_id"]
        return {"test_backup": b["file_id"], "label": label}

    def summary(self) -> dict[str, Any]:
        value = super().summary()
        if self.rpo_seconds is not None:
            value["rpo_seconds"] = self.rpo_seconds
            value["unrestorable"] = self.unrestorable
            # the same, label -> reasons, for a scenario's `expect: {last: unplanned_failover, value: ...}`
            value["cannot_restore"] = {x["label"]: "+".join(x["reasons"])
                                       for x in sorted(self.unrestorable, key=lambda x: x["label"])}
            value.update(self.newest)
        value.update({"lost": f"{self.a_store} ({self.a_node})", "promoted": f"{self.b_store} ({self.b_node})",
                      "faults": self.faults})
        if self.dump_name:
            value["dump"] = self.dump_name
        if self.test_backup:
            value["test_backup"] = self.test_backup
        return value


def _describe(backup: dict[str, Any]) -> dict[str, Any]:
    return {"file_id": backup["file_id"], "generation": backup.get("generation", 0), "time": backup["time"],
            "labels": backup["labels"]}


class _SwitchBack(RoleSwap):
    """R55 run from the promoted site back to the old primary. The replications now run the other way than the
    topology declares, so their peers are read from the storage and the key manager."""

    def replication_target(self, kind: str, source: str) -> str:
        return peer(self.sim, kind, source) or super().replication_target(kind, source)


SWAP_FIRST = 9       # the switch back's steps are failback steps 9 .. 19


class Failback(Procedure):
    name = "failback"
    description = "after an unplanned failover: the old primary resynchronised by a FULL export / import, then R55 back"
    options = frozenset({"staging", "full_export_frequency_days"})
    promote_step = str(SWAP_FIRST + 7)          # R55 step 8: the old primary's store is PRIMARY again
    steps = (
        StepDef("1", "the old primary's nodes restart, still cut off from the new primary", "R17"),
        StepDef("2", "the old primary fenced: its exports stopped, its export jobs removed", "R52"),
        StepDef("3", "the old primary's data store to SECONDARY of the new primary, its groups mapped", "R17, R10"),
        StepDef("4", "the Expand link back; a staging subvolume on the old primary", "R48"),
        StepDef("5", "storage replication: the images the new primary lacks shipped, then reversed", "R2"),
        StepDef("6", "key replication: finished, then reversed", "R50"),
        StepDef("7", "the new primary exports to the old one's staging subvolume: a FULL export", "R19, R31",
                ("link-down", {})),
        StepDef("8", "a FULL import on the old primary removes what the new primary does not have",
                "R19, R23, R24", ("staging-corrupt", {})),
        *(StepDef(str(SWAP_FIRST + i), f"switch back, R55 step {s.id}: {s.title}", s.rule, s.fault)
          for i, s in enumerate(RoleSwap.steps)),
    )

    @classmethod
    def validate(cls, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
        super().validate(args, err)
        if not isinstance(args, dict):
            return
        validate_swap_options(args, err)

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        r = sim.roles
        if r.pairs or not r.secondary_store:
            raise ScenarioError("failback: there was no unplanned failover to come back from: run unplanned_failover"
                                " first (a planned switch is role_swap)")
        self.a_domain, self.a_store, self.a_node = r.secondary_domain, r.secondary_store, r.secondary_node
        self.b_domain, self.b_store, self.b_node = r.primary_domain, r.primary_store, r.primary_node
        self.a_storage, self.b_storage = r.secondary_storage, r.primary_storage
        self.b_keys = r.primary_key_manager
        self.staging = str(args.get("staging") or "").upper()
        self.found: dict[str, Any] = {}
        self.old_export: bb.ExportConfig | None = None
        self.swap: _SwitchBack | None = None

    # -- the old primary comes back -------------------------------------------------------------------------------
    def _heal(self, kinds: tuple[str, ...], hits: Callable[[Any], bool]) -> list[str]:
        chosen = [f for f in self.sim.nemesis.active.values() if f.kind in kinds and hits(f)]
        for fault in chosen:
            self.sim.heal(fault.id)
        still = [f.id for f in chosen if f.id in self.sim.nemesis.active]
        if still:
            raise StepFailed(f"{', '.join(still)} could not be healed (see the nemesis events)")
        return [f"{f.id} {f.kind}" for f in chosen]

    def step_1(self) -> dict[str, Any]:
        site = next((n.site for n in self.sim.spec.nodes if n.name == self.a_node), "")
        nodes = {n.name for n in self.sim.spec.nodes if n.site == site and n.name != self.b_node} | {self.a_node}
        healed = self._heal(("node-crash",), lambda f: f.target.get("node") in nodes)
        try:
            store = self.store(self.a_domain, self.a_store)
        except grpc.RpcError as exc:
            raise StepFailed(f"{self.a_node} does not answer after the restart ({exc.code().name}: {exc.details()})"
                             ": bring the node up first") from None
        access = bb.DomainAccess.Name(store.domain_access).removeprefix("DOMAIN_ACCESS_")
        return {"restarted": healed, "domain_access": access}

    def step_2(self) -> dict[str, Any]:
        page = self.export_page(self.a_domain, self.a_store)
        self.old_export = self.store(self.a_domain, self.a_store).export_config   # the new primary exports like it
        stopped = self.stop_exports(self.a_domain, self.a_store)   # R52: Stop All Export Activities
        # what it wrote and never exported: the FULL import of step 8 removes it
        return {"never_exported": page.pending_count, "jobs_removed": stopped["jobs_removed"]}

    def step_3(self) -> dict[str, Any]:
        # groups never replicated (R39): the FULL import of step 8 deletes their volumes' entries
        found = self.demote(self.a_domain, self.a_store, self.a_node, (self.b_domain, self.b_store))
        self.found["groups"] = found["mapped"]
        return {"groups": {k: v[0] for k, v in found["mapped"].items()}, "not_replicated": found["not_replicated"],
                "backups_refused": found["backups_refused"]}

    def step_4(self) -> dict[str, Any]:
        link = self.sim.topo.link_id(self.a_node, self.b_node)
        healed = self._heal(("link-down", "link-one-way", "link-loss", "link-latency", "link-bandwidth"),
                            lambda f: f.target.get("link") == link)
        if not self.staging:    # the new primary's old import source, on the old primary's node
            self.staging = self.staging_on(self.a_node, self.store(self.b_domain, self.b_store).import_config
                                           .import_source)
        b_import = self.store(self.b_domain, self.b_store).import_config
        # the old primary's DSM/TC catalogs hold its own backups of the same volumes: the check of R42 is waived
        config: dict[str, Any] = {"import_source": self.staging, "non_dedicated_catalog": True}
        if b_import.report_location:
            config["report_location"] = b_import.report_location
        self.must("configure", lambda: self.sim.configure(data_store=self.a_store, domain=self.a_domain,
                                                          import_config=config), f"the import source of {self.a_store}")
        self.sim.roles = replace(
            self.sim.roles, secondary_domain=self.a_domain, secondary_store=self.a_store, secondary_node=self.a_node,
            staging_subvolume=self.staging, pairs=[(self.b_domain, self.b_store, self.a_domain, self.a_store)],
            groups=dict(self.found.get("groups", {})))
        return {"link_back": healed, "staging": self.staging}

    def step_5(self) -> dict[str, Any]:
        a_sto, b_sto = self.a_storage, self.b_storage
        if not a_sto or not b_sto or peer(self.sim, "storage", a_sto) != b_sto:
            return {"storage_replication": "none configured"}
        healed = self._heal(("storage-replication-pause", "storage-replication-lag"),
                            lambda f: f.target.get("storage") == a_sto)
        old = self.sim.topo.storage(a_sto)
        if not is_source(self.sim, "storage", a_sto):
            return {"healed": healed, "storage_replication": f"{a_sto} is no longer the source"}
        # only the images the new primary catalogs and lacks: any other unsent image is of a volume the FULL import
        # removes, or an older write the new primary may have overwritten since
        wanted = [v.label for v in self.volumes(self.b_domain, self.b_store)
                  if not self._image(b_sto, v.label) and self._image(a_sto, v.label)]
        if wanted:
            old.Sync(st.SyncRequest(timeout=SYNC_WAIT, ignore_lag=True, labels=wanted), timeout=60)
            missing = [label for label in wanted if not self._image(b_sto, label)]
            if missing:
                raise StepFailed(f"the images of {', '.join(missing)} did not reach {b_sto}: copy them with the"
                                 " storage's own tools before reversing the replication")
        dropped = old.ReverseReplication(st.ReverseReplicationRequest(force=True), timeout=60).dropped_labels
        # a replica queues nothing of its own: what the new primary wrote since the failover is sent with the rest
        new = self.sim.topo.storage(b_sto)
        config = new.GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status.config
        new.ConfigureReplication(st.ConfigureReplicationRequest(config=config, replicate_existing=True), timeout=60)
        return {"healed": healed, "shipped": wanted, "dropped": sorted(dropped), "from": b_sto, "to": a_sto}

    def _image(self, storage: str, label: str) -> bool:
        return self.sim.topo.storage(storage).StatImage(st.StatImageRequest(label=label, labeled=True),
                                                        timeout=T).found

    def step_6(self) -> dict[str, Any]:
        b_keys = self.b_keys
        a_keys = peer(self.sim, "keys", b_keys) if b_keys else ""
        if not a_keys:
            return {"key_replication": "none configured"}
        healed = self._heal(("key-replication-pause",), lambda f: f.target.get("key_manager") == a_keys)
        old = self.sim.topo.key_manager(a_keys)
        if not is_source(self.sim, "keys", a_keys):
            return {"healed": healed, "key_replication": f"{a_keys} is no longer the source"}
        if not old.SyncKeys(km.SyncKeysRequest(timeout=SYNC_WAIT, ignore_lag=True), timeout=60).caught_up:
            raise StepFailed(f"key replication {a_keys} → {b_keys} has not caught up: the keys of the new primary's"
                             " volumes would stay missing")
        names = sorted({v.media_key_name for v in self.volumes(self.b_domain, self.b_store)
                        if v.encrypted and v.media_key_name})
        missing = [n for n in names if not _key_exists(self.sim, b_keys, n)]
        if missing:
            raise StepFailed(f"keys {', '.join(missing)} of the new primary's volumes are on neither key manager")
        old.ReverseKeyReplication(km.ReverseKeyReplicationRequest(), timeout=60)
        # keys the new primary made while its key manager replicated nothing were never queued: send them all
        new = self.sim.topo.key_manager(b_keys)
        config = new.GetKeyReplicationStatus(km.GetKeyReplicationStatusRequest(), timeout=T).status.config
        new.ConfigureKeyReplication(km.ConfigureKeyReplicationRequest(config=config, replicate_existing=True),
                                    timeout=60)
        return {"healed": healed, "keys_checked": len(names), "from": b_keys, "to": a_keys}

    # -- the FULL resynchronisation -------------------------------------------------------------------------------
    def step_7(self) -> dict[str, Any]:
        old = self.old_export or bb.ExportConfig()
        export: dict[str, Any] = {"export_destination": self.staging,
                                  "export_check_delay_minutes": old.export_check_delay_minutes or 15,
                                  "include_disk_files": old.include_disk_files,
                                  "full_export_frequency_days": old.full_export_frequency_days}
        if old.report_location:
            export["report_location"] = old.report_location
        self.must("configure", lambda: self.sim.configure(data_store=self.b_store, domain=self.b_domain,
                                                          export_config=export), f"the export of {self.b_store}")
        run = self.must("export", lambda: self.sim.export("FULL"), f"the FULL export of {self.b_store}")
        return {"export_id": run.get("export_id", ""), "volumes": run.get("volumes", 0)}

    def step_8(self) -> dict[str, Any]:
        groups: dict[str, tuple[str, str]] = self.found.get("groups", {})     # new primary's group -> ours
        ours = {a for a, _ in groups.values()}
        before = {v.label: _written(v) for v in self.volumes(self.a_domain, self.a_store)}
        run = self.must("import", lambda: self.sim.import_("FULL"), f"the FULL import on {self.a_node}")
        if run.get("volume_errors"):
            raise StepFailed(f"the FULL import on {self.a_node} finished with {run['volume_errors']} volume errors"
                             " (see its report): export and import FULL again once the cause is fixed")
        after_all = {v.label: (v.volume_group_id, _written(v)) for v in self.volumes(self.a_domain, self.a_store)}
        after = {label: w for label, (g, w) in after_all.items() if g in ours}
        wanted = {v.label: _written(v) for v in self.volumes(self.b_domain, self.b_store)
                  if v.volume_group_id in groups}
        differ = sorted(label for label in set(after) | set(wanted) if after.get(label) != wanted.get(label))
        if differ:
            raise StepFailed(f"after the FULL import {self.a_store} still differs from {self.b_store} on"
                             f" {', '.join(differ[:10])}: export and import FULL again")
        # the old primary's writes the new primary never saw: their records deleted, or made the new primary's
        # (a volume it wrote again, or scratch there), their DSM/TC tape files gone with them (R23, R24). That
        # includes the volumes of groups the new primary has no group for (R39): the FULL import deletes them too.
        self.found["discarded"] = sorted(label for label, w in before.items() if (w[1] or w[2])
                                         and after_all.get(label, ("", None))[1] != w)
        return {"volumes": run.get("volumes", 0), "discarded": self.found["discarded"]}

    # -- the planned switch back (R55) ----------------------------------------------------------------------------
    def _switch_back(self) -> _SwitchBack:
        if self.swap is None:
            args = {"full_export_frequency_days": self.args["full_export_frequency_days"]} \
                if "full_export_frequency_days" in self.args else {}
            self.swap = _SwitchBack(self.sim, args)
        return self.swap

    def summary(self) -> dict[str, Any]:
        value = super().summary()
        if self.swap is not None and self.swap.rpo_seconds is not None:
            value["rpo_seconds"] = self.swap.rpo_seconds
        value.update({"back_to": f"{self.a_store} ({self.a_node})", "from": f"{self.b_store} ({self.b_node})",
                      "discarded": self.found.get("discarded", [])})
        return value


def _written(v: bb.BackBoxVolume) -> tuple:
    """Which write of a volume a record describes (a FULL import makes the old primary's records the new one's)."""
    tf = v.first_non_expired_tape_file
    return (v.owner_node, v.last_written_time.seconds, v.last_written_time.nanos, v.data_bytes, v.media_key_name,
            tf.file_id, tf.generation)


def _key_exists(sim: Any, server: str, name: str) -> bool:
    try:
        sim.topo.key_manager(server).GetKey(km.GetKeyRequest(name=name, requester="catsync-sim"), timeout=T)
    except grpc.RpcError as exc:
        if exc.code() != grpc.StatusCode.NOT_FOUND:
            raise
        return False
    return True


def _swap_step(swap_id: str) -> Callable[[Failback], dict[str, Any]]:
    def step(self: Failback) -> dict[str, Any]:
        return getattr(self._switch_back(), f"step_{swap_id}")() or {}
    step.__doc__ = f"R55 step {swap_id} of the switch back (harness.procedures.role_swap)."
    return step


for _i, _s in enumerate(RoleSwap.steps):
    setattr(Failback, f"step_{SWAP_FIRST + _i}", _swap_step(_s.id))
