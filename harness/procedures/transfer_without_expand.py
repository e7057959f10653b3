r"""Catalog Sync between two sites with no Expand link (R56, the E5.01 manual's Appendix A), in 12 steps.

The PRIMARY store exports to an intermediate staging subvolume on its own node. The export files travel as a
backup on one dedicated volume of a second primary data store ("Data Store-2"): a group with no tape catalog, so
the volume is never cataloged, on a storage that is replicated. At the secondary site a RESTRICTED store paired
with Data Store-2 points at the replica; the volume is registered there in a group with no catalog, and restored
over the SECONDARY store's own staging subvolume, whose files it replaces. After a check of the restored files
(the export summary and the Import Status statistics) a FULL import makes the secondary usable (the RTO ends
there). Then the periodic cycle: a backup window later, an UPDATE export, a partial backup of the staging files
changed since the full one, the replication, the restore, and a NetBatch job on the secondary that runs BB027
TYPE UPDATE.

The partial backup holds every staging file changed since the FULL backup (not only since the previous partial
one): the transfer volume is rewritten at each cycle, and the newest copy is then always enough at the secondary.

Limitation: the emulated NetBatch runs macro text only, so the job does the BB027 import and the procedure does
the restore before it; on later nights the job imports only what a later cycle (another `transfer_without_expand`
step) restored. A site runs the restore in the same job.

The topology `no-expand` has these sites. Options: `label` (the dedicated transfer label; default the only volume
of Data Store-2's groups with no catalog, or CSX001 created there when they have none), `data_store` (Data
Store-2's id; default the primary store a RESTRICTED store of the secondary domain pairs with), `window` (how long
after the FULL import the backup window ends, default 1h), `window_backups` (backups written in it, default 1)
and `every` (the period of the NetBatch import job, default 1d; a previous cycle's import jobs of the store are
replaced).

Measures in the value: `rto_seconds` from the start to the end of the FULL import; `rpo_seconds` when the backup
window has ended, before the cycle carries it (what losing the primary then would cost: the newest backup minus
the newest one whose write the secondary imported); `rpo_after_cycle_seconds` at the end; `catalog_lag_seconds`
from the UPDATE export to the end of the job's import.

```yaml
- transfer_without_expand: {}
- transfer_without_expand: {fail_at: 3}                 # its own fault: storage replication paused
- transfer_without_expand: {window: 4h, window_backups: 3, every: 12h}
```
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

import grpc

from catsync import staging
from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2 as gd, storage_pb2 as st
from harness.backbox_topology import parse_duration
from harness.errors import ScenarioError
from harness.procedures.base import T, Procedure, StepDef, StepFailed

DEFAULT_LABEL = "CSX001"            # the dedicated transfer label, when Data Store-2's group has none yet
REPLICA_WAIT_STEPS = 24             # the operator looks every 5 minutes, for 2 hours
JOB_WAIT_MINUTES = 60
NONE = bb.TAPE_CATALOG_TYPE_NONE


class TransferWithoutExpand(Procedure):
    name = "transfer_without_expand"
    description = ("Appendix A (R56): the export files reach a secondary site without Expand on a replicated,"
                   " uncataloged transfer volume")
    options = frozenset({"label", "data_store", "window", "window_backups", "every"})
    promote_step = "7"
    steps = (
        StepDef("1", "FULL export to the intermediate staging subvolume on the primary node", "R56, R31",
                ("staging-disk-full", {})),
        StepDef("2", "full backup of the staging subvolume on the uncataloged transfer volume of Data Store-2",
                "R56"),
        StepDef("3", "storage replication brings the transfer volume's image to the secondary site", "R56, R2",
                ("storage-replication-pause", {})),
        StepDef("4", "the transfer volume registered in the RESTRICTED partner of Data Store-2, in a group with no"
                     " catalog", "R56, R17"),
        StepDef("5", "restore of the transfer volume over the secondary's staging subvolume, replacing its files",
                "R56"),
        StepDef("6", "check of the restored files: the export summary and the Import Status statistics", "R56"),
        StepDef("7", "FULL import at the secondary", "R56, R19"),
        StepDef("8", "the backup window ends: its backups, then an UPDATE export to the intermediate staging",
                "R56, R27", ("staging-disk-full", {})),
        StepDef("9", "partial backup of the staging files changed since the full backup", "R56"),
        StepDef("10", "storage replication brings the partial backup to the secondary site", "R56, R2",
                ("storage-replication-pause", {})),
        StepDef("11", "restore of the partial backup over the secondary's staging subvolume, files checked", "R56"),
        StepDef("12", "a NetBatch job on the secondary runs BB027 TYPE UPDATE", "R56, R29"),
    )

    @classmethod
    def validate(cls, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
        super().validate(args, err)
        args = args or {}
        for key in ("window", "every"):
            if key in args:
                try:
                    seconds = parse_duration(args[key])
                except ValueError as exc:
                    raise err((key,), f"{key}: {exc}") from None
                if seconds <= 0:
                    raise err((key,), f"{key} must be longer than 0 (e.g. 1h)")
        backups = args.get("window_backups", 1)
        if isinstance(backups, bool) or not isinstance(backups, int) or not 0 <= backups <= 100:
            raise err(("window_backups",), f"window_backups {backups!r} must be a whole number from 0 to 100")
        for key in ("label", "data_store"):
            if key in args and (not isinstance(args[key], str) or not args[key].strip()):
                raise err((key,), f"{key} is an id as text, e.g. {'CSX001' if key == 'label' else 'DATA STORE-2'}")

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        r = sim.roles
        if not r.pairs:
            raise ScenarioError(f"{self.name}: the topology has no PRIMARY / SECONDARY data store pair")
        self.p_domain, self.p_store, self.p_node = r.primary_domain, r.primary_store, r.primary_node
        self.s_domain, self.s_store, self.s_node = r.secondary_domain, r.secondary_store, r.secondary_node
        self.window = parse_duration(args.get("window", "1h"))
        self.window_backups = int(args.get("window_backups", 1))
        self.every = str(args.get("every", "1d"))
        self.intermediate = ""          # the primary's export destination
        self.staging = ""               # the secondary's import source
        self.store2 = str(args.get("data_store") or "").upper()
        self.restricted = ""
        self.label = str(args.get("label") or "").upper()
        self.created_at_primary = False
        self.p_storage = self.s_storage = ""
        self.file_id = ""
        self.full_backup: bb.RunBackupResponse | None = None
        self.last_backup: bb.RunBackupResponse | None = None
        self.export_id = ""
        self.rpo_seconds: int | None = None
        self.rpo_after: int | None = None
        self.update_exported: datetime | None = None
        self.catalog_lag: int | None = None

    # -- the steps ----------------------------------------------------------------------------------------------
    def step_1(self) -> dict[str, Any]:
        self.intermediate = self.store(self.p_domain, self.p_store).export_config.export_destination.upper()
        if not self.intermediate:
            raise StepFailed(f"{self.p_store} has no export destination: set it to a staging subvolume on"
                             f" {self.p_node} (the intermediate area of R56)")
        if not self.intermediate.startswith(self.p_node + "."):
            raise StepFailed(f"{self.p_store} exports to {self.intermediate}, not to a subvolume of {self.p_node}:"
                             " without Expand the export writes to an intermediate staging area on the primary node")
        run = self.must("export", lambda: self.sim.export("FULL", domain=self.p_domain, data_store=self.p_store),
                        f"the FULL export of {self.p_store}")
        self.export_id = run.get("export_id", "")
        return {"intermediate": self.intermediate, "export_id": self.export_id, "volumes": run.get("volumes", 0)}

    def step_2(self) -> dict[str, Any]:
        self._find_data_store_2()
        self.file_id = f"{self.p_domain}-CSXFER"[:60]
        self.full_backup = self._backup_staging(after=None)
        return {**self._backed_up(self.full_backup), "data_store": self.store2, "created": self.created_at_primary}

    def step_3(self) -> dict[str, Any]:
        assert self.full_backup is not None
        return self._wait_for_replica(self.full_backup)

    def step_4(self) -> dict[str, Any]:
        stores = self.sim.topo.domain(self.s_domain).ListDataStores(bb.ListDataStoresRequest(), timeout=T).data_stores
        partner = next((d for d in stores if d.id.upper() == self.restricted), None)
        if partner is None or partner.domain_access != bb.DOMAIN_ACCESS_RESTRICTED:
            raise StepFailed(f"{self.s_domain} has no RESTRICTED data store paired with {self.store2}: create one"
                             f" (same name advised) on the replica of {self.p_storage}")
        group = next((g for g in self.groups(self.s_domain, partner.id) if g.tape_catalog == NONE), None)
        if group is None:
            raise StepFailed(f"{partner.id} at {self.s_domain} has no volume group without a tape catalog: add one,"
                             f" the transfer volume {self.label} must not be cataloged there either")
        registered = False
        if not self.cataloged_at(self.s_domain, self.label):
            resp = self.sim.topo.domain(self.s_domain).CreateVolumes(bb.CreateVolumesRequest(
                volume_group_id=group.id, labels=[self.label], user="SUPER.SUPER",
                comment="R56 transfer volume"), timeout=T)
            if resp.rejected:
                raise StepFailed(f"{self.label} cannot be registered in {group.id}: {resp.rejected[0].reason}")
            registered = True
        vol = self.sim.topo.domain(self.s_domain).GetVolume(bb.GetVolumeRequest(label=self.label), timeout=T).volume
        if vol.data_store_id.upper() != partner.id.upper() or vol.catalog_type != NONE:
            raise StepFailed(f"{self.label} at {self.s_domain} belongs to {vol.data_store_id} (catalog"
                             f" {bb.TapeCatalogType.Name(vol.catalog_type)}), not to a group of {partner.id} with no"
                             " catalog: the label is dedicated to the transfer; delete the other volume")
        return {"data_store": partner.id, "volume_group": group.id, "label": self.label, "registered": registered}

    def step_5(self) -> dict[str, Any]:
        assert self.full_backup is not None
        return self._restore(self.full_backup)

    def step_6(self) -> dict[str, Any]:
        return self._check_files()

    def step_7(self) -> dict[str, Any]:
        run = self.must("import", lambda: self.sim.import_("FULL", domain=self.s_domain, data_store=self.s_store),
                        f"the FULL import of {self.s_store}")
        if run.get("volume_errors"):
            raise StepFailed(f"the FULL import of {self.s_store} finished with {run['volume_errors']} volume errors"
                             " (see its report): fix them, restore the transfer volume again and import FULL")
        missing = self._not_at_secondary()
        if missing:
            raise StepFailed(f"after the FULL import {self.s_domain} lacks {', '.join(missing[:5])}: the transfer"
                             " volume did not carry the latest export")
        return {"export_id": run.get("export_id", ""), "volumes": run.get("volumes", 0)}

    def step_8(self) -> dict[str, Any]:
        self.sim.advance(self.window)
        written = self.sim.backup(self.window_backups) if self.window_backups else []
        if len(written) != self.window_backups:
            raise StepFailed(f"{self.window_backups - len(written)} of the backup window's backups failed (see the"
                             " backup events)")
        self.rpo_seconds = self.rpo(self.p_domain, self.s_domain)   # what a loss of the primary now would cost
        run = self.must("export", lambda: self.sim.export("UPDATE", domain=self.p_domain, data_store=self.p_store),
                        f"the UPDATE export of {self.p_store}")
        self.export_id = run.get("export_id", "") or self.export_id
        self.update_exported = self._now()
        return {"backups": [b["labels"][0] for b in written], "export_id": self.export_id,
                "volumes": run.get("volumes", 0), "rpo_seconds": self.rpo_seconds}

    def step_9(self) -> dict[str, Any]:
        assert self.full_backup is not None
        full = self.full_backup
        self.last_backup = self._backup_staging(
            after=full.files_modified_up_to if full.HasField("files_modified_up_to") else full.started)
        return self._backed_up(self.last_backup)

    def step_10(self) -> dict[str, Any]:
        assert self.last_backup is not None
        return self._wait_for_replica(self.last_backup)

    def step_11(self) -> dict[str, Any]:
        assert self.last_backup is not None
        return {**self._restore(self.last_backup), **self._check_files()}

    def step_12(self) -> dict[str, Any]:
        macro = f"BB027_IMPORT_CATALOG STOREID {self.s_store}, TYPE UPDATE"
        stub = self.sim.topo.catalog_sync(self.s_domain)
        replaced = self.delete_jobs(self.s_node, self.s_store)    # a previous cycle's job: one import job per store
        name = self.must("job", lambda: self.sim.job(node=self.s_node, macro=macro, every=self.every),
                         f"scheduling the import job on {self.s_node}")["job"]
        job = None
        for _ in range(JOB_WAIT_MINUTES):
            job = next((j for j in stub.ListJobs(cs.ListJobsRequest(node=self.s_node), timeout=T).jobs
                        if j.job_name == name), None)
            if job is not None and job.run_count:
                break
            self.sim.advance("1m")
        if job is None or not job.run_count:
            raise StepFailed(f"the NetBatch job on {self.s_node} has not run after {JOB_WAIT_MINUTES} minutes: is"
                             " NetBatch holding it?")
        latest = self.import_page(self.s_domain, self.s_store).latest_import
        if latest.type != cs.SYNC_TYPE_UPDATE or latest.trigger != cs.TRIGGER_NETBATCH or \
                latest.status != cs.PROCESS_STATUS_FINISHED or latest.volume_errors:
            raise StepFailed(f"the job's import did not finish cleanly ({job.last_outcome}; latest import"
                             f" {cs.SyncType.Name(latest.type)} {cs.ProcessStatus.Name(latest.status)},"
                             f" {latest.volume_errors} volume errors: {latest.reason or 'see its report'})")
        missing = self._not_at_secondary()
        if missing:
            raise StepFailed(f"after the job's UPDATE import {self.s_domain} lacks {', '.join(missing[:5])}: the"
                             " partial backup did not carry their export files")
        if self.update_exported is not None:
            self.catalog_lag = int((latest.end_time.ToDatetime(timezone.utc) - self.update_exported).total_seconds())
        self.rpo_after = self.rpo(self.p_domain, self.s_domain)
        return {"job": job.job_name, "jobs_replaced": replaced, "every": self.every, "import_process": latest.process,
                "volumes": latest.volumes_processed, "catalog_lag_seconds": self.catalog_lag}

    # -- helpers -------------------------------------------------------------------------------------------------
    def _find_data_store_2(self) -> None:
        """Data Store-2, its RESTRICTED partner at the secondary, the transfer label and both ends of its storage."""
        partners = [d for d in self.sim.topo.domain(self.s_domain).ListDataStores(
            bb.ListDataStoresRequest(domain_access=bb.DOMAIN_ACCESS_RESTRICTED), timeout=T).data_stores
            if d.primary_data_store_id]
        if not self.store2:
            primaries = {d.id.upper() for d in self.sim.topo.domain(self.p_domain).ListDataStores(
                bb.ListDataStoresRequest(domain_access=bb.DOMAIN_ACCESS_PRIMARY), timeout=T).data_stores}
            found = [d for d in partners if d.primary_data_store_id.upper() in primaries - {self.p_store}]
            if not found:
                raise StepFailed(f"no RESTRICTED store of {self.s_domain} pairs with a second PRIMARY store of"
                                 f" {self.p_domain}: create Data Store-2 at the primary and its RESTRICTED partner at"
                                 " the secondary, or name it (data_store:)")
            self.store2 = found[0].primary_data_store_id.upper()
        if self.store2 == self.p_store:
            raise StepFailed(f"{self.p_store} is the exported store: the transfer volume lives in another data store"
                             " (Data Store-2), so that it is never exported nor cataloged at the secondary")
        ds = self.store(self.p_domain, self.store2)
        if ds.export_config.export_destination:
            raise StepFailed(f"{self.store2} exports to {ds.export_config.export_destination}: its volumes would be"
                             " cataloged at the secondary; blank its export destination")
        self.restricted = next((d.id.upper() for d in partners if d.primary_data_store_id.upper() == self.store2),
                               self.store2)
        groups = [g for g in self.groups(self.p_domain, self.store2) if g.tape_catalog == NONE]
        if not groups:
            raise StepFailed(f"{self.store2} has no volume group without a tape catalog: the transfer volume must"
                             " not be cataloged (R56); add such a group with its dedicated label")
        labels = [v.label for g in groups for v in self.sim.topo.domain(self.p_domain).ListVolumes(
            bb.ListVolumesRequest(volume_group_id=g.id), timeout=T).volumes]
        if not self.label and len(labels) > 1:
            raise StepFailed(f"the groups of {self.store2} with no catalog hold {len(labels)} volumes"
                             f" ({', '.join(labels[:5])}): name the dedicated label (label:)")
        self.label = self.label or (labels[0] if labels else DEFAULT_LABEL)
        if self.label not in labels:
            self._register_at_primary(groups[0])
        self.p_storage = next((p.storage_id for p in ds.pools if p.kind == bb.STORAGE_POOL_KIND_STORAGE), "")
        partner = self.store(self.s_domain, self.restricted) if self.restricted else None
        self.s_storage = next((p.storage_id for p in partner.pools if p.kind == bb.STORAGE_POOL_KIND_STORAGE),
                              "") if partner is not None else ""
        target = self.replication_target("storage", self.p_storage)
        if self.s_storage and target and target != self.s_storage:
            raise StepFailed(f"{self.p_storage} replicates to {target}, but {self.restricted} at the secondary reads"
                             f" {self.s_storage}: point the RESTRICTED store at the replica folder")
        self.s_storage = self.s_storage or target

    def _register_at_primary(self, group: bb.VolumeGroup) -> None:
        """The dedicated label in Data Store-2's group with no catalog (a BackBox volume only: no DSM/TC entry)."""
        if self.cataloged_at(self.p_domain, self.label):
            vol = self.sim.topo.domain(self.p_domain).GetVolume(bb.GetVolumeRequest(label=self.label),
                                                                timeout=T).volume
            raise StepFailed(f"{self.label} is a volume of {vol.data_store_id} / {vol.volume_group_id}, not of a group"
                             f" of {self.store2} with no catalog: the transfer label is dedicated and uncataloged"
                             " (R56); name another (label:)")
        resp = self.sim.topo.domain(self.p_domain).CreateVolumes(bb.CreateVolumesRequest(
            volume_group_id=group.id, labels=[self.label], user="SUPER.SUPER", comment="R56 transfer volume"),
            timeout=T)
        if resp.rejected:
            raise StepFailed(f"{self.label} cannot be created in {group.id}: {resp.rejected[0].reason}")
        self.created_at_primary = True

    def _backup_staging(self, after: Any) -> bb.RunBackupResponse:
        req = bb.RunBackupRequest(node=self.p_node, data_store_id=self.store2, label=self.label,
                                  file_id=self.file_id, source_files=[f"{self.intermediate}.*"], permanent=True,
                                  user="SUPER.SUPER", comment="R56 staging transfer")
        if after is not None:
            req.files_modified_after.CopyFrom(after)
        try:
            return self.sim.topo.domain(self.p_domain).RunBackup(req, timeout=T)
        except grpc.RpcError as exc:
            raise StepFailed(f"the backup of {self.intermediate} on {self.label} failed:"
                             f" {exc.code().name}: {exc.details()}") from None

    @staticmethod
    def _backed_up(resp: bb.RunBackupResponse) -> dict[str, Any]:
        return {"label": resp.volumes[0].label if resp.volumes else "", "files": len(resp.files),
                "bytes": resp.bytes_written, "checksum": resp.checksum,
                "started": resp.started.ToDatetime(timezone.utc).isoformat()}

    def _wait_for_replica(self, backup: bb.RunBackupResponse) -> dict[str, Any]:
        """Until the replica's image is the one the backup wrote (an older copy must not be restored)."""
        if not self.p_storage or not self.s_storage:
            raise StepFailed(f"the storage of {self.store2} is not replicated to the secondary site: set its path for"
                             " replication (R56)")
        source = self.sim.topo.storage(self.p_storage).StatImage(st.StatImageRequest(
            label=self.label, labeled=True), timeout=T)
        if not source.found:
            raise StepFailed(f"the image of {self.label} is not in {self.p_storage}: the backup did not write it")
        waited = 0
        for _ in range(REPLICA_WAIT_STEPS):
            replica = self.sim.topo.storage(self.s_storage).StatImage(st.StatImageRequest(
                label=self.label, labeled=True), timeout=T)
            if replica.found and replica.image.checksum == source.image.checksum:
                return {"from": self.p_storage, "to": self.s_storage, "waited_seconds": waited}
            self.sim.advance("5m")
            waited += 300
        status = self.sim.topo.storage(self.p_storage).GetReplicationStatus(st.GetReplicationStatusRequest(),
                                                                             timeout=T).status
        state = "paused" if status.paused else f"{status.backlog_objects} images behind"
        raise StepFailed(f"the image of {self.label} written at {self._backed_up(backup)['started']} has not"
                         f" reached {self.s_storage} after {waited // 3600} hours (storage replication"
                         f" {self.p_storage} → {self.s_storage} {state}): resume it, then restore the transfer"
                         " volume")

    def _restore(self, backup: bb.RunBackupResponse) -> dict[str, Any]:
        self.staging = self.store(self.s_domain, self.s_store).import_config.import_source.upper()
        if not self.staging.startswith(self.s_node + "."):
            raise StepFailed(f"{self.s_store} imports from {self.staging}, not from a subvolume of {self.s_node}:"
                             " the transfer volume is restored on the secondary node")
        resp = self.sim.topo.domain(self.s_domain).RunRestore(bb.RunRestoreRequest(
            node=self.s_node, label=self.label, file_id=self.file_id, target_subvolume=self.staging,
            user="SUPER.SUPER"), timeout=T)
        if resp.checksum != backup.checksum:
            raise StepFailed(f"{self.label} read at {self.s_node} is not the backup written at"
                             f" {self._backed_up(backup)['started']}: an older replica; wait for the replication")
        return {"staging": self.staging, "restored": len(resp.files), "replaced": resp.files_replaced}

    def _check_files(self) -> dict[str, Any]:
        """The manual's 'check the statistics': the summary names the export the primary wrote, every volume it
        lists has its file, and the Import Status page sees them as new."""
        name = staging.summary_file(self.staging)
        try:
            raw = b"".join(m.data for m in self.sim.topo.guardian(self.s_node).ReadFile(
                gd.ReadFileRequest(name=name), timeout=T))
            summary = staging.decode(raw, staging.KIND_SUMMARY, name)
        except grpc.RpcError as exc:
            raise StepFailed(f"{name} cannot be read ({exc.details()}): restore the transfer volume again") from None
        except staging.StagingError as exc:
            raise StepFailed(f"the restored summary is unusable: {exc}; restore the transfer volume again") from None
        if self.export_id and summary.export_id != self.export_id:
            raise StepFailed(f"{name} is of export {summary.export_id}, the primary's latest is {self.export_id}:"
                             " the restored files are not the latest export")
        present = {staging.label_of(f.name) for f in self.sim.topo.guardian(self.s_node).ListFiles(
            gd.ListFilesRequest(subvolume=self.staging), timeout=T).files}
        missing = [label for label in summary.labels if label not in present]
        if missing:
            raise StepFailed(f"{len(missing)} volume files of export {summary.export_id} are missing in"
                             f" {self.staging} ({', '.join(missing[:5])}): restore the transfer volume again")
        available = self.import_page(self.s_domain, self.s_store).available
        if available.latest_export_id != summary.export_id:
            raise StepFailed(f"the Import Status page shows export {available.latest_export_id or 'none'}, the"
                             f" summary {summary.export_id}")
        return {"export_id": summary.export_id, "type": cs.SyncType.Name(summary.type).removeprefix("SYNC_TYPE_"),
                "volume_files": available.total_volume_files, "new_files": available.received_after_last_import}

    def _not_at_secondary(self) -> list[str]:
        """First labels of this run's primary backups that the secondary domain does not catalog."""
        return [b["labels"][0] for b in self.sim.backups if b.get("domain") == self.p_domain and b.get("labels")
                and not self.arrived(self.s_domain, b["labels"][0], datetime.fromisoformat(b["time"]))]

    def summary(self) -> dict[str, Any]:
        value = super().summary()
        if self.rpo_seconds is None:    # stopped before the backup window: what a loss of the primary costs now
            try:
                self.rpo_seconds = self.rpo(self.p_domain, self.s_domain)
            except grpc.RpcError:
                pass
        if self.rpo_seconds is not None:
            value["rpo_seconds"] = self.rpo_seconds
        if self.rpo_after is not None:
            value["rpo_after_cycle_seconds"] = self.rpo_after
        if self.catalog_lag is not None:
            value["catalog_lag_seconds"] = self.catalog_lag
        value.update({"from": f"{self.p_store} ({self.p_node})", "to": f"{self.s_store} ({self.s_node})",
                      "transfer_volume": self.label, "data_store_2": self.store2})
        return value
