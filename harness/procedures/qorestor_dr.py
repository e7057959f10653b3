r"""The QoreStor disaster-recovery setup of R57 (the E5.01 manual's Appendix B), checked end to end on a pair such
as the built-in `qorestor-dr`: the PRIMARY store on \INSIDX is of type QORESTOR and lets QoreStor replicate its
images to a copy pool; the SECONDARY store on \ETINIUM is a Windows File store (WINDISK, RapidCIFS) whose storage
pool is that copy pool, so \ETINIUM restores from the replica without any copy of its own; and its import renames
the node of the DISKFILEs it inserts from \INSIDX to \ETINIUM (Nodes Replacement, R15).

The procedure first reads both stores' configuration and stops, changing nothing, when it differs from the
appendix (the message says which field to set to what). It then backs up on \INSIDX with DISKFILEs, waits until
QoreStor has put the images in the copy pool, runs a FULL export and a FULL import, compares the two reports
(volumes, the tape files of their "Catalog status" column, DISKFILE counts) and the DISKFILE names \ETINIUM now
catalogs, and restores the newest backup on \ETINIUM. RTO ends with the import (step 5): from then on \ETINIUM has
the catalogs and the images of every backup. RPO is what \ETINIUM could not restore at that moment.

```yaml
- qorestor_dr: {}
- qorestor_dr: {backups: 3}
- qorestor_dr: {fail_at: 3}                          # the step's own fault: QoreStor replication paused
- qorestor_dr: {fail_at: 4, fault: link-down}        # any fault at any step
```
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, media_catalog_pb2 as mc, storage_pb2 as st
from harness.checkers.dumps import qualify
from harness.errors import ScenarioError
from harness.procedures.base import T, Procedure, StepDef, StepFailed

MAX_BACKUPS = 99


def _path(path: str) -> str:
    """A Windows share path as compared: case and a trailing backslash do not matter."""
    return path.strip().rstrip("\\").upper()


def _node(name: str) -> str:
    name = name.strip().upper()
    return name if name.startswith("\\") else f"\\{name}"


def _qualified(node: str, catalog: str) -> str:
    """`\\NODE.CATALOG` of a catalog name given with or without its node (harness.checkers.dumps.qualify)."""
    return ".".join(qualify(catalog, node))


class QorestorDr(Procedure):
    name = "qorestor_dr"
    description = ("R57 (Appendix B): QoreStor store on \\A replicating to a copy pool read by a Windows File store on"
                   " \\B, node replacement \\A -> \\B, checked with a backup, FULL export / import and a restore")
    options = frozenset({"backups"})
    promote_step = "5"
    steps = (
        StepDef("1", "the QoreStor store on \\A and the Windows File store on \\B are paired on the copy pool",
                "R57, R10"),
        StepDef("2", "DISKFILEs exported, and the import replaces \\A by \\B in their names", "R57, R15, R16, R33"),
        StepDef("3", "backups on \\A with CATALOGFILES, until the copy pool holds their images", "R57, R2",
                ("storage-replication-pause", {})),
        StepDef("4", "a FULL export of the QoreStor store to \\B", "R57, R19", ("link-down", {})),
        StepDef("5", "a FULL import on \\B", "R57, R19, R15", ("staging-corrupt", {})),
        StepDef("6", "the export and import reports agree; \\B's DISKFILEs carry \\B", "R57, R15"),
        StepDef("7", "the newest backup restored on \\B from the copy pool", "R57, R59", ("storage-drop-object", {})),
    )

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        self.take_pair(" (use the built-in qorestor-dr)")
        self.backups = int(args.get("backups", 2))
        self.copy_storage = ""            # the storage behind the copy pool, which \B reads
        self.made: list[dict[str, Any]] = []
        self.export_run: dict[str, Any] = {}
        self.import_run: dict[str, Any] = {}
        self.disk_files_before = 0        # \B's DISKFILEs of the exported volumes before the import
        self.rpo_seconds: int | None = None
        self.replication_wait_seconds: int | None = None

    @classmethod
    def validate(cls, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
        super().validate(args, err)
        if isinstance(args, dict) and "backups" in args:
            n = args["backups"]
            if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_BACKUPS:
                raise err(("backups",), f"backups is how many backups the procedure makes on the primary first: a"
                                        f" whole number from 1 to {MAX_BACKUPS}, not {n!r}")

    # -- the steps ----------------------------------------------------------------------------------------------
    def step_1(self) -> dict[str, Any]:
        a, b = self.store(self.a_domain, self.a_store), self.store(self.b_domain, self.b_store)
        fixes: list[str] = []
        if a.type != bb.DATA_STORE_TYPE_QORESTOR:
            fixes.append(f"{a.id} on {self.a_node} is {bb.DataStoreType.Name(a.type).removeprefix('DATA_STORE_TYPE_')}:"
                         " Appendix B needs a QoreStor data store there")
        elif not a.use_qorestor_replication:
            fixes.append(f"check \"Use QoreStor Replication\" in the QoreStor details of {a.id}")
        copies = [p for p in a.pools if p.kind == bb.STORAGE_POOL_KIND_COPY]
        if not copies:
            fixes.append(f"give {a.id} a Copy Pool: the path QoreStor replicates its images to")
        if b.type != bb.DATA_STORE_TYPE_WINDISK:
            fixes.append(f"{b.id} on {self.b_node} is {bb.DataStoreType.Name(b.type).removeprefix('DATA_STORE_TYPE_')}:"
                         " Appendix B reads the copy pool with a Windows File data store")
        if b.domain_access != bb.DOMAIN_ACCESS_SECONDARY:
            fixes.append(f"set the Domain Access of {b.id} to Secondary")
        if b.primary_data_store_id.upper() != a.id.upper():
            fixes.append(f"set the Primary Data Store Id of {b.id} to {a.id} (it is"
                         f" {b.primary_data_store_id or 'blank'})")
        if b.storage_optimization.upper() != "RAPIDCIFS":
            fixes.append(f"set the Storage Optimization of {b.id} to RapidCIFS (it is"
                         f" {b.storage_optimization or 'blank'})")
        pools = [p for p in b.pools if p.kind == bb.STORAGE_POOL_KIND_STORAGE]
        copy_paths = {_path(p.path) for p in copies}
        if copies and not any(_path(p.path) in copy_paths for p in pools):
            fixes.append(f"set the Storage Pool path of {b.id} to the copy pool path of {a.id},"
                         f" {copies[0].path} (it is {', '.join(p.path for p in pools) or 'blank'})")
        if _path(a.export_config.export_destination) != _path(b.import_config.import_source):
            fixes.append(f"the Export Destination of {a.id} ({a.export_config.export_destination or 'blank'}) and"
                         f" the Import Source of {b.id} ({b.import_config.import_source or 'blank'}) must be the same"
                         " staging subvolume")
        if fixes:
            raise StepFailed("the stores are not set up as Appendix B says: " + "; ".join(fixes))
        pool = next(p for p in pools if _path(p.path) in copy_paths)
        self.copy_storage = (pool.storage_id or next((c.storage_id for c in copies if c.storage_id), "")
                             or self.sim.roles.secondary_storage)
        return {"primary": f"{a.id} QORESTOR, QoreStor replication", "copy_pool": copies[0].path,
                "secondary": f"{b.id} WINDISK SECONDARY of {a.id}, RapidCIFS", "storage_pool": pool.path,
                "copy_storage": self.copy_storage}

    def step_2(self) -> dict[str, Any]:
        a, b = self.store(self.a_domain, self.a_store), self.store(self.b_domain, self.b_store)
        fixes: list[str] = []
        if not a.export_config.include_disk_files:      # R33: without it no DISKFILE is ever exported
            fixes.append(f"check \"Include DSM/TC Disk File Entries\" in the export configuration of {a.id}")
        pairs = {_node(r.old_node): _node(r.new_node) for r in b.import_config.node_replacements}
        if pairs.get(self.a_node) != self.b_node:          # R15: else MEDIACOM refuses the DISKFILEs (ERROR-5048)
            now = f"it replaces {self.a_node} by {pairs[self.a_node]}" if self.a_node in pairs else \
                f"it has {', '.join(f'{o} -> {n}' for o, n in pairs.items()) or 'none'}"
            fixes.append(f"add the Nodes Replacement {self.a_node} -> {self.b_node} to the import configuration of"
                         f" {b.id} ({now})")
        elif pairs:                                        # R16: not into the MEDIADEFS default FILECAT
            default = self.sim.topo.media_catalog(self.b_node).GetMediaDefs(mc.GetMediaDefsRequest(),
                                                                             timeout=T).media_defs.default_filecat
            default = _qualified(self.b_node, default) if default else ""
            for g in self.groups(self.b_domain, self.b_store):
                if g.filecat and default and _qualified(self.b_node, g.filecat) == default:
                    fixes.append(f"volume group {g.id} files into {default}, the MEDIADEFS default FILECAT of"
                                 f" {self.b_node}: with Nodes Replacement give it a FILECAT of its own")
        if fixes:
            raise StepFailed(f"the DISKFILEs would not reach {self.b_node} under its own node: {'; '.join(fixes)}")
        return {"include_disk_files": True, "node_replacement": f"{self.a_node} -> {self.b_node}"}

    def step_3(self) -> dict[str, Any]:
        # one volume each, so `backups: N` takes N scratch volumes of the group (the appendix's has nine)
        done = self.sim.backup(self.backups, data_store=self.a_store, domain=self.a_domain, node=self.a_node,
                               catalog_files_rate=1.0, multi_volume_rate=0)
        self.made = list(self.sim.backups[len(self.sim.backups) - len(done):]) if done else []
        if len(done) < self.backups:
            last = next((e for e in reversed(self.sim.history.events) if e.f == "backup" and e.type != "invoke"), None)
            raise StepFailed(f"{self.backups - len(done)} of {self.backups} backups on {self.a_node} failed"
                             f" ({last.error if last is not None else 'see the backup events'}): free volumes of"
                             f" {self.a_store} or back up fewer")
        written = datetime.fromisoformat(self.sim.now())
        labels = [label for b in self.made for label in b["labels"]]
        for label in labels:   # QoreStor replicates on its own; the operator waits for the copy pool
            self.wait_for_image(label, self.copy_storage)
        self.replication_wait_seconds = int((self._now() - written).total_seconds())
        return {"backups": [f"{b['file_id']} gen {b['generation']}" for b in self.made], "labels": labels,
                "disk_files": sum(int(b.get("disk_files", 0)) for b in self.made),
                "replication_wait_seconds": self.replication_wait_seconds}

    def step_4(self) -> dict[str, Any]:
        run = self.must("export", lambda: self.sim.export("FULL", domain=self.a_domain, data_store=self.a_store,
                                                          catalog_files=True), f"the FULL export of {self.a_store}")
        if run.get("volume_errors"):
            raise StepFailed(f"the FULL export left {run['volume_errors']} volumes pending (see its report): fix the"
                             " cause and export again")
        self.export_run = run
        return {"export_id": run.get("export_id", ""), "volumes": run.get("volumes", 0),
                "process": run.get("process", "")}

    def step_5(self) -> dict[str, Any]:
        self.disk_files_before = self._secondary_counts(self._exported_labels())[1]
        run = self.must("import", lambda: self.sim.import_("FULL", domain=self.b_domain, data_store=self.b_store,
                                                           catalog_files=True), f"the FULL import on {self.b_node}")
        if run.get("volume_errors"):
            raise StepFailed(f"the FULL import on {self.b_node} finished with {run['volume_errors']} volume errors"
                             " (see its report): the DR site misses those volumes; export and import again")
        if run.get("export_id") != self.export_run.get("export_id"):
            raise StepFailed(f"the import read export {run.get('export_id') or 'none'}, not the FULL export"
                             f" {self.export_run.get('export_id')}: check the Import Source")
        self.import_run = run
        self.rpo_seconds = self._rpo()
        return {"export_id": run.get("export_id", ""), "volumes": run.get("volumes", 0),
                "process": run.get("process", ""), "rpo_seconds": self.rpo_seconds}

    def step_6(self) -> dict[str, Any]:
        exp = self._report(self.a_domain, self.export_run.get("process", "")).export_report
        imp = self._report(self.b_domain, self.import_run.get("process", "")).import_report
        problems: list[str] = []
        if exp.volumes_processed != imp.volumes_processed:
            problems.append(f"{exp.volumes_processed} volumes exported, {imp.volumes_processed} imported")
        exported = {r.label: (r.first_file_id, r.first_generation, r.first_vol_index) for r in exp.volumes}
        imported = {r.label: (r.first_file_id, r.first_generation, r.first_vol_index) for r in imp.volumes}
        if set(exported) != set(imported):
            problems.append(f"volumes only exported: {', '.join(sorted(set(exported) - set(imported))) or 'none'};"
                            f" only imported: {', '.join(sorted(set(imported) - set(exported))) or 'none'}")
        moved = [label for label in exported if label in imported and exported[label] != imported[label]]
        if moved:
            problems.append(f"the tape files of {', '.join(sorted(moved))} differ between the reports")
        tape_files = (len({v for v in exported.values() if v[0]}), len({v for v in imported.values() if v[0]}))
        if tape_files[0] != tape_files[1]:
            problems.append(f"{tape_files[0]} tape files in the export report, {tape_files[1]} in the import report")
        disk_exported = sum(g.disk_file_count for g in exp.groups)
        added = sum(a.disk_files_added for a in imp.activity)
        deleted = sum(a.disk_files_deleted for a in imp.activity)
        if disk_exported != self.disk_files_before + added - deleted:
            problems.append(f"{disk_exported} DISKFILEs exported, but {self.b_node} had {self.disk_files_before}"
                            f" and the import added {added} and deleted {deleted}")
        files, disks, names = self._secondary_counts(sorted(exported))
        if disks != disk_exported:
            problems.append(f"{self.b_node} catalogs {disks} DISKFILEs of the exported volumes, the export report"
                            f" {disk_exported}")
        wrong = [n for n in names if not n.upper().startswith(f"{self.b_node}.")]
        if wrong:   # R15: the node replacement was not applied
            problems.append(f"{len(wrong)} DISKFILEs on {self.b_node} keep another node, e.g. {wrong[0]}")
        if problems:
            raise StepFailed("the export and import reports do not agree: " + "; ".join(problems))
        return {"volumes": exp.volumes_processed, "tape_files": tape_files[0], "tape_file_entries": files,
                "disk_files": disk_exported, "disk_files_added": added, "disk_file_node": self.b_node,
                "export_report": exp.completion_line, "import_report": imp.completion_line}

    def step_7(self) -> dict[str, Any]:
        newest = self.made[-1] if self.made else None
        if newest is None or newest.get("tape_catalog", "DSMTC") != "DSMTC":
            raise StepFailed("no DSM/TC backup of this procedure to restore")
        what = f"{newest['file_id']} gen {newest['generation']}"
        done = self.did("restore_check", lambda: self.sim.restore_check(
            file_id=newest["file_id"], generation=newest["generation"], node=self.b_node, domain=self.b_domain))
        if done.type != "ok":
            missing = [label for label in newest["labels"] if not self._in_copy_pool(label)]
            cause = (f"the copy pool ({self.copy_storage}) no longer holds {', '.join(missing)}: QoreStor must"
                     " replicate the images again" if missing else "see the restore's error")
            raise StepFailed(f"restoring {what} on {self.b_node} failed ({done.error or done.type}); {cause}")
        value = done.value or {}
        return {"file_id": newest["file_id"], "generation": newest["generation"], "labels": value.get("labels", []),
                "bytes_read": value.get("bytes_read", 0), "from": self.copy_storage}

    # -- reading the sites ----------------------------------------------------------------------------------------
    def _exported_labels(self) -> list[str]:
        return sorted(v.label for v in self.volumes(self.a_domain, self.a_store))

    def _secondary_counts(self, labels: list[str]) -> tuple[int, int, list[str]]:
        """\\B's TAPEFILE entries and DISKFILEs of these volumes in its groups' catalogs, and the DISKFILE names."""
        files, names = 0, []
        if not labels:
            return 0, 0, []
        for g in self.groups(self.b_domain, self.b_store):
            if g.tape_catalog != bb.TAPE_CATALOG_TYPE_DSMTC or not g.volcat or not g.filecat:
                continue
            for msg in self.sim.topo.media_catalog(self.b_node).ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
                    volcat=_qualified(self.b_node, g.volcat), filecat=_qualified(self.b_node, g.filecat),
                    volsers=labels, include_disk_files=True), timeout=T):
                if not msg.continued:
                    files += len(msg.files)
                names += [d.disk_file_name for d in msg.disk_files]
        return files, len(names), names

    def _report(self, domain: str, process: str) -> cs.GetReportResponse:
        if not process:
            raise StepFailed("no process to read the report of: the export or import did not run")
        return self.sim.topo.catalog_sync(domain).GetReport(cs.GetReportRequest(process=process), timeout=T)

    def _in_copy_pool(self, label: str) -> bool:
        return bool(self.copy_storage) and self.sim.topo.storage(self.copy_storage).StatImage(
            st.StatImageRequest(label=label, labeled=True), timeout=T).found

    def _rpo(self) -> int:
        """The newest backup written on \\A minus the newest one \\B can restore (cataloged there and every image in
        the copy pool): what a loss of \\A now would cost, in seconds of backups."""
        backups = [b for b in self.sim.backups if b.get("domain") == self.a_domain and b.get("time")]
        if not backups:
            return 0
        newest = datetime.fromisoformat(backups[-1]["time"])
        for b in reversed(backups):
            if self.cataloged_at(self.b_domain, b["labels"][0]) and all(self._in_copy_pool(x) for x in b["labels"]):
                return int((newest - datetime.fromisoformat(b["time"])).total_seconds())
        return int((newest - datetime.fromisoformat(backups[0]["time"])).total_seconds())

    def summary(self) -> dict[str, Any]:
        value = super().summary()
        if self.rpo_seconds is not None:
            value["rpo_seconds"] = self.rpo_seconds
        if self.replication_wait_seconds is not None:
            value["replication_wait_seconds"] = self.replication_wait_seconds
        value.update({"from": f"{self.a_store} ({self.a_node})", "to": f"{self.b_store} ({self.b_node})",
                      "copy_storage": self.copy_storage})
        return value
