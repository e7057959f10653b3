r"""The planned role switch of a data store pair, \A (PRIMARY) to \B (SECONDARY), in the 11 steps of R55.

Preconditions the topology gives (R55): Expand between the sites, storage and key replication that can run the
other way, the same install subvolumes and DSM/TC locations on both sides. At the end \B's store is PRIMARY and
exports to a staging subvolume on \A, \A's store is SECONDARY and imports from it every night, and a test backup
written on \B has been restored on \A. The harness's roles follow: after step 8 `backup` writes on \B and
`import` imports on \A.

```yaml
- role_swap: {}
- role_swap: {fail_at: 5}                          # the step's own fault: storage replication paused
- role_swap: {fail_at: 7, fault: staging-delete}   # any fault at any step
- role_swap: {staging: '\INSIDX.$DATA15.E5CATSYN'}
```
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Callable

from google.protobuf.duration_pb2 import Duration

from emulator.v1 import backbox_domain_pb2 as bb, key_manager_pb2 as km, storage_pb2 as st
from harness.errors import ScenarioError
from harness.procedures.base import T, Procedure, StepDef, StepFailed

SYNC_WAIT = Duration(seconds=10)


def validate_swap_options(args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
    """`staging` (a subvolume on \\A's node) and `full_export_frequency_days`, as role_swap and failback take them."""
    if not isinstance(args, dict):
        return
    staging = args.get("staging")
    if staging is not None and (not isinstance(staging, str) or staging.count(".") != 2
                                or not staging.startswith("\\")):
        raise err(("staging",), f"staging {staging!r} is a subvolume on the node that becomes SECONDARY, e.g."
                                " '\\INSIDX.$DATA15.E5CATSYN'")
    days = args.get("full_export_frequency_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 999):
        raise err(("full_export_frequency_days",), f"full_export_frequency_days {days!r} must be a whole number"
                                                   " from 0 to 999 (0: FULL exports only by the NetBatch job)")


class RoleSwap(Procedure):
    name = "role_swap"
    description = "the planned switch of R55: \\A's PRIMARY store becomes SECONDARY and \\B's becomes PRIMARY"
    options = frozenset({"staging", "full_export_frequency_days"})
    promote_step = "8"
    steps = (
        StepDef("1", "wait until no backup runs on the data store at \\A", "R55"),
        StepDef("2", "drain the pending exports, then stop all exports at \\A", "R55, R52, R28",
                ("link-down", {})),
        StepDef("3", "\\A's data store to SECONDARY (no more backups there)", "R55, R17"),
        StepDef("4", "finish the key replication and reverse it", "R55, R50", ("key-replication-pause", {})),
        StepDef("5", "finish the storage replication and reverse it", "R55", ("storage-replication-pause", {})),
        StepDef("6", "a staging subvolume on \\A for the reverse direction", "R55, R48"),
        StepDef("7", "final UPDATE import on \\B, compare the status pages, LISTONLY restore", "R55, R59",
                ("staging-corrupt", {})),
        StepDef("8", "\\B's data store to PRIMARY, its export configured, a FULL export", "R55, R17, R31",
                ("link-down", {})),
        StepDef("9", "import configured on \\A, an UPDATE import, nightly imports scheduled", "R55, R29",
                ("staging-corrupt", {})),
        StepDef("10", "monthly FULL export on \\B and FULL import on \\A scheduled", "R55, R36"),
        StepDef("11", "a test backup on \\B restored on \\A", "R55, R59", ("link-down", {})),
    )

    @classmethod
    def validate(cls, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
        super().validate(args, err)
        validate_swap_options(args, err)

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        r = sim.roles
        self.take_pair()
        self.old_export: bb.ExportConfig | None = None
        self.last_exported = ""
        # by default the old staging subvolume's name, on \A's node
        self.staging = str(args.get("staging") or self.staging_on(self.a_node, r.staging_subvolume)).upper()
        self.rpo_seconds: int | None = None

    # -- the steps ----------------------------------------------------------------------------------------------
    def step_1(self) -> dict[str, Any]:
        busy: list[str] = []
        for _ in range(30):
            busy = [v.label for v in self.volumes(self.a_domain, self.a_store)
                    if v.current_operation != bb.VOLUME_OPERATION_UNSPECIFIED]
            if not busy:
                return {"busy_volumes": 0}
            self.sim.advance("1m")
        raise StepFailed(f"volumes still in use after 30 minutes: {', '.join(busy[:10])}; wait for the backups to end")

    def step_2(self) -> dict[str, Any]:
        page = self.export_page(self.a_domain, self.a_store)
        manual = False
        if page.pending_count:   # a final Export Catalog Updates (the extractor may be stopped, R28)
            manual = True
            self.sim.export("UPDATE", domain=self.a_domain, data_store=self.a_store)
            page = self.export_page(self.a_domain, self.a_store)
        if page.pending_count:
            raise StepFailed(f"{page.pending_count} volumes of {self.a_store} are still pending export"
                             f" ({page.latest_export.reason or 'see the Export Status page'}): fix the cause and"
                             " export again before switching")
        self.last_exported = page.most_recent_exported.label
        self.old_export = self.store(self.a_domain, self.a_store).export_config
        stopped = self.stop_exports(self.a_domain, self.a_store)   # R52: Stop All Export Activities
        return {"manual_final_export": manual, "last_exported": self.last_exported,
                "jobs_removed": stopped["jobs_removed"]}

    def step_3(self) -> dict[str, Any]:
        found = self.demote(self.a_domain, self.a_store, self.a_node, (self.b_domain, self.b_store))
        return {"backups_refused": found["backups_refused"]}

    def step_4(self) -> dict[str, Any]:
        source = self.sim.roles.primary_key_manager
        if not source:
            return {"key_replication": "none configured"}
        target = self.replication_target("keys", source)
        kms = self.sim.topo.key_manager(source)
        if kms.GetKeyReplicationStatus(km.GetKeyReplicationStatusRequest(), timeout=T).status.role == \
                km.KEY_REPLICATION_ROLE_REPLICA:   # an earlier attempt of this swap reversed it already
            return {"from": target, "to": source, "reversed": "already (an earlier attempt)"}
        done = kms.SyncKeys(km.SyncKeysRequest(timeout=SYNC_WAIT, ignore_lag=True), timeout=60)
        if not done.caught_up:
            raise StepFailed(f"key replication {source} → {target} has not caught up (paused or lagging): the"
                             " newest keys would be missing at the new primary; resume it, wait for it, then run"
                             " role_swap again")
        key = ""
        if self.last_exported:
            vol = self.sim.topo.domain(self.a_domain).GetVolume(bb.GetVolumeRequest(label=self.last_exported),
                                                               timeout=T).volume
            key = vol.media_key_name
            if key:
                self.sim.topo.key_manager(target).GetKey(km.GetKeyRequest(name=key, requester="role_swap"),
                                                         timeout=T)
        kms.ReverseKeyReplication(km.ReverseKeyReplicationRequest(), timeout=60)
        return {"from": source, "to": target, "verified_key": key, "reversed": True}

    def step_5(self) -> dict[str, Any]:
        source = self.sim.roles.primary_storage
        target = self.replication_target("storage", source)
        if not source or not target:
            return {"storage_replication": "none configured"}
        sto = self.sim.topo.storage(source)
        if sto.GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status.role == \
                st.REPLICATION_ROLE_REPLICA:   # an earlier attempt of this swap reversed it already
            return {"from": target, "to": source, "reversed": "already (an earlier attempt)"}
        done = sto.Sync(st.SyncRequest(timeout=SYNC_WAIT, ignore_lag=True), timeout=60)
        if not done.caught_up:
            raise StepFailed(f"storage replication {source} → {target} has not caught up (paused or lagging):"
                             " the newest images would be missing at the new primary; resume it, wait for it, then"
                             " run role_swap again")
        if self.last_exported:
            found = self.sim.topo.storage(target).StatImage(st.StatImageRequest(label=self.last_exported,
                                                                              labeled=True), timeout=T).found
            if not found:
                raise StepFailed(f"the image of {self.last_exported}, the last exported volume, is not on {target}:"
                             " let the storage replication send it (Sync) before switching")
        sto.ReverseReplication(st.ReverseReplicationRequest(), timeout=60)
        return {"from": source, "to": target, "verified_image": self.last_exported, "reversed": True}

    def step_6(self) -> dict[str, Any]:
        b_import = self.store(self.b_domain, self.b_store).import_config
        # \A's DSM/TC catalogs hold the entries it wrote as the primary: the same volumes come back through the
        # imports (R55 keeps the DSM/TC locations), so the check for a catalog of local backups is waived (R42)
        config: dict[str, Any] = {"import_source": self.staging, "non_dedicated_catalog": True}
        if b_import.report_location:
            config["report_location"] = b_import.report_location
        self.must("configure", lambda: self.sim.configure(data_store=self.a_store, domain=self.a_domain,
                                                          import_config=config), "the import source on \\A")
        return {"staging": self.staging}

    def step_7(self) -> dict[str, Any]:
        if self.store(self.b_domain, self.b_store).domain_access == bb.DOMAIN_ACCESS_PRIMARY:
            # an earlier attempt stopped after step 8 promoted \B: its final import was done then
            self.rpo_seconds = self.rpo(self.a_domain, self.b_domain)
            return {"final_import": f"done by an earlier attempt ({self.b_store} is PRIMARY already)",
                    "rpo_seconds": self.rpo_seconds}
        run = self.must("import", lambda: self.sim.import_("UPDATE", domain=self.b_domain, data_store=self.b_store),
                        f"the final import on {self.b_node}")
        if run.get("volume_errors"):
            raise StepFailed(f"the final import on {self.b_node} finished with {run['volume_errors']} volume errors:"
                             " the secondary is not complete; fix what its report names, then run role_swap again")
        deleted = self.delete_jobs(self.b_node, self.b_store)
        exported = self.export_page(self.a_domain, self.a_store)
        imported = self.import_page(self.b_domain, self.b_store)
        if exported.latest_export.export_id and \
                imported.latest_import.export_id != exported.latest_export.export_id:
            raise StepFailed(f"the Import Status page shows export {imported.latest_import.export_id or 'none'},"
                             f" the Export Status page {exported.latest_export.export_id}: import the latest export"
                             f" on {self.b_node} before switching")
        checked = ""
        newest = self.newest_backup(self.a_domain)
        if newest is not None:
            listed = self.must("restore_check", lambda: self.sim.restore_check(
                file_id=newest["file_id"], generation=newest["generation"], list_only=True),
                "the LISTONLY restore of the latest volume")
            checked = f"{newest['file_id']} gen {newest['generation']} ({', '.join(listed.get('labels') or [])})"
        self.rpo_seconds = self.rpo(self.a_domain, self.b_domain)
        return {"export_id": exported.latest_export.export_id, "jobs_removed": deleted, "listonly": checked,
                "rpo_seconds": self.rpo_seconds}

    def step_8(self) -> dict[str, Any]:
        old = self.old_export or bb.ExportConfig()
        self.must("configure", lambda: self.sim.configure(
            data_store=self.b_store, domain=self.b_domain, domain_access="PRIMARY"), f"{self.b_store} to PRIMARY")
        export = {"export_destination": self.staging,
                  "export_check_delay_minutes": old.export_check_delay_minutes or 15,
                  "include_disk_files": old.include_disk_files}
        if old.report_location:
            export["report_location"] = old.report_location
        self.must("configure", lambda: self.sim.configure(data_store=self.b_store, domain=self.b_domain,
                                                          export_config=export), f"the export of {self.b_store}")
        run = self.must("export", lambda: self.sim.export("FULL", domain=self.b_domain, data_store=self.b_store),
                        f"the FULL export of {self.b_store}")
        self._swap_roles()   # only now: a swap stopped here is run again from \A's side
        return {"export_id": run.get("export_id", ""), "volumes": run.get("volumes", 0)}

    def _swap_roles(self) -> None:
        sim, r = self.sim, self.sim.roles
        a_groups = self.groups(self.a_domain, self.a_store)
        groups = {g.primary_volume_group_id: (g.id, g.filecat) for g in a_groups if g.primary_volume_group_id}
        sim.roles = replace(
            r, primary_domain=self.b_domain, primary_store=self.b_store, primary_node=self.b_node,
            secondary_domain=self.a_domain, secondary_store=self.a_store, secondary_node=self.a_node,
            staging_subvolume=self.staging, primary_storage=r.secondary_storage, secondary_storage=r.primary_storage,
            primary_key_manager=self.replication_target("keys", r.primary_key_manager) or r.primary_key_manager,
            pairs=[(self.b_domain, self.b_store, self.a_domain, self.a_store)], groups=groups)
        if sim.workload is not None:
            sim.workload.retarget(sim.topo, self.b_domain, self.b_store)

    def step_9(self) -> dict[str, Any]:
        run = self.must("import", lambda: self.sim.import_("UPDATE"), f"the first import on {self.a_node}")
        if run.get("volume_errors"):
            raise StepFailed(f"the import on {self.a_node} finished with {run['volume_errors']} volume errors: fix"
                             " what its report names and import again")
        self.must("job", lambda: self.sim.job(
            node=self.a_node, macro=f"BB027_IMPORT_CATALOG STOREID {self.a_store}, TYPE UPDATE", at="02:00",
            every="1d"), "scheduling the nightly import")
        return {"volumes": run.get("volumes", 0)}

    def step_10(self) -> dict[str, Any]:
        """R55 step 10 with the schedule of R36: a monthly FULL export on \\B by NetBatch and a monthly FULL import
        on \\A after it. R36 suggests them without DISKFILEs; they keep them here: a FULL export rewrites every
        volume's staging file, so one without DISKFILEs run between the nightly imports replaces the DISKFILE
        entries of the volumes written since the last import, and the DR site never gets them (a swarm with role
        swaps found it). The Full Export Frequency (R30) is for sites without NetBatch: set only when asked."""
        self.must("job", lambda: self.sim.job(
            node=self.b_node, macro=f"BB026_EXPORT_CATALOG STOREID {self.b_store}, CATALOGFILES YES, TYPE FULL",
            at="01:00", every="30d"), "scheduling the monthly FULL export")
        self.must("job", lambda: self.sim.job(
            node=self.a_node, macro=f"BB027_IMPORT_CATALOG STOREID {self.a_store}, CATALOGFILES YES, TYPE FULL",
            at="04:00", every="30d"), "scheduling the monthly FULL import")
        found: dict[str, Any] = {"full_export_job": self.b_node, "full_import_job": self.a_node}
        days = self.args.get("full_export_frequency_days")
        if days is not None:
            self.must("configure", lambda: self.sim.configure(
                data_store=self.b_store, domain=self.b_domain, export_config={"full_export_frequency_days": days}),
                "the FULL export frequency")
            found["full_export_frequency_days"] = days
        return found

    def step_11(self) -> dict[str, Any]:
        done = self.sim.backup(1)
        if not done:
            raise StepFailed(f"the test backup on {self.b_node} failed (its event says why): \\B is PRIMARY but"
                             " does not take backups yet; check its volume groups and VTCs")
        written = datetime.fromisoformat(self.sim.now())
        run = self.must("import", lambda: self.sim.import_("UPDATE"), f"importing the test backup on {self.a_node}")
        label = done[0]["labels"][0]
        self.wait_for_image(label, self.sim.roles.secondary_storage)
        # the FULL export of step 8 already registered every volume at \A: the test backup's own write must be there
        if not self.arrived(self.a_domain, label, written):
            raise StepFailed(f"the test backup's write of volume {label} did not reach {self.a_node}"
                             f" ({run.get('volumes', 0)} volumes imported): see the import report")
        test = self.sim.backups[-1]   # Sim.backup records the job's catalog type with the value
        if test.get("tape_catalog", "DSMTC") == "DSMTC":
            self.must("restore_check", lambda: self.sim.restore_check(
                node=self.a_node, file_id=test["file_id"], generation=test["generation"]),
                f"restoring the test backup on {self.a_node}")
        return {"test_backup": done[0]["file_id"], "label": label}

    def summary(self) -> dict[str, Any]:
        value = super().summary()
        if self.rpo_seconds is not None:
            value["rpo_seconds"] = self.rpo_seconds
        value.update({"from": f"{self.a_store} ({self.a_node})", "to": f"{self.b_store} ({self.b_node})"})
        return value

