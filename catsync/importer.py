r"""BBCSIMP: the Catalog Sync import process of one SECONDARY data store (domain-facts §5, §6; R10, R13-R16,
R21-R25, R29, R38-R45, R50, R51).

Started only on request — the Import buttons, BB027, a NetBatch job (R29) — it runs on the secondary domain
manager node as a Guardian process, reads the staging subvolume (the Import Source) and writes the domain's
BackBox catalog and DSM/TC catalogs through the platform's gRPC services only:

1. checks what may run (R1, R17, R18, R48, R25) and reads the summary file CSSUMARY;
2. validates the configuration against the primary's (catsync.validation): a fatal problem ends the run here,
   before any change;
3. picks the per-volume files: FULL every current one (R19), UPDATE those received since the latest successful
   import — or every one after an import with volume errors (R21);
4. applies each volume: its DSM/TC entries re-qualified to the secondary group's VOLCAT / FILECAT / POOL and media
   type (R14, R44), DISKFILE nodes replaced (R15), committed after each tape file and whenever the DISKFILE count
   reaches the configured maximum (R40); then its BackBox record (R22), last, so a volume whose record carries this
   export is whole;
5. FULL only: deletes the volumes the staging area no longer holds — DSM/TC first, then the BackBox record (R23,
   R24), so a run cut in between is finished by the next one;
6. writes the report (R51), the EMS messages and its status (the Import Status page).

A damaged, foreign or stale staging file, a label taken in the search space (R13), a DISKFILE node unknown here
(R15): each is a problem of its volume, reported, and nothing of that volume's rejected unit is applied.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import grpc

from catsync import CatsyncError, report as rpt, rules, staging, state
from catsync.platform import PlatformError, failure, node_of
from catsync.process import Param, ProcessEnded, ProcessRuntime, SyncProcess, ts
from catsync.v1 import catalog_sync_pb2 as cs, staging_pb2, state_pb2
from catsync.validation import Validation, expected_primary, qualify, validate
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2, media_catalog_pb2 as mc

DEFAULT_REPORT = "$S.#CSIMP"
DEFAULT_MAX_DISK_FILES = 20_000      # R40
BATCH = 100                          # volumes per BackBox commit
CHUNK_OPS = 1000                     # catalog operations per ApplyBatch message
PAGE = 1000
EMS_VOLUME_ERRORS = 50               # W3346 EMS messages per run at most (the report lists every one)
CODE_OK, CODE_WARNING, CODE_ERROR = 0, 1, 2
FAILED_CODE, VOLUME_ERROR_CODE, KEY_MANAGER_CODE, REIMPORT_CODE = "E3345", "W3346", "W3347", "I3340"
DSMTC = bb.TAPE_CATALOG_TYPE_DSMTC
FAULT_POINTS = ("import.after_validation", "import.before_volumes", "import.after_volumes", "import.before_deletions",
                "import.after_deletions", "import.before_state")


def main(startup: guardian_pb2.StartupMessage) -> int:
    """Entry point of program BBCSIMP (`catsync.importer:main`)."""
    param = Param.parse(startup.param)
    runtime = ProcessRuntime(startup, rules.IMPORT_PROGRAM)
    try:
        return Import(runtime, param).run()
    except ProcessEnded:
        return CODE_ERROR  # the node has already ended the process
    finally:
        runtime.close()


@dataclass
class Item:
    """One per-volume staging file and what the run made of it."""

    label: str
    info: guardian_pb2.FileInfo
    crc: int = 0
    payload: staging_pb2.VolumeExport | None = None
    target: bb.VolumeGroup | None = None
    record: bb.BackBoxVolume | None = None
    error: str = ""
    code: str = ""
    guardian_error: int = 0
    stale: bool = False                  # an old file of a volume the primary no longer has (R7, R23)
    rejected: bool = False               # its primary group has no secondary group (R39)
    imported: bool = False


@dataclass
class GroupCounts:
    source: int = 0
    bb: list[int] = field(default_factory=lambda: [0, 0, 0])      # added, updated, deleted
    nsk: list[int] = field(default_factory=lambda: [0, 0, 0])
    files: list[int] = field(default_factory=lambda: [0, 0, 0])    # tape files added, updated, deleted
    disks: list[int] = field(default_factory=lambda: [0, 0])       # disk files added, deleted
    newest: bb.BackBoxVolume | None = None


@dataclass
class Outcome:
    items: list[Item] = field(default_factory=list)
    deleted: list[bb.BackBoxVolume] = field(default_factory=list)
    counts: dict[str, GroupCounts] = field(default_factory=dict)
    missing_key_managers: list[str] = field(default_factory=list)
    validation: Validation | None = None
    summary: staging_pb2.ExportSummary | None = None
    listed: list[guardian_pb2.FileInfo] = field(default_factory=list)
    fatal: str = ""
    fatal_validation: bool = False

    @property
    def errors(self) -> list[Item]:
        return [i for i in self.items if i.error]

    @property
    def imported(self) -> list[Item]:
        return [i for i in self.items if i.imported]


class Import(SyncProcess):
    """One run of BBCSIMP."""

    def __init__(self, runtime: ProcessRuntime, param: Param):
        self.rt = runtime
        self.param = param
        self.store_id = param.store_id.upper()
        self.domain = runtime.platform.domain()
        self.out = cs.ImportRun(data_store_id=self.store_id, process=runtime.process,
                                type=param.type or cs.SYNC_TYPE_UPDATE, trigger=param.trigger)
        self.reimport_all = False

    # -- the run ----------------------------------------------------------------------------------------------
    def run(self) -> int:
        try:
            return self._run()
        except ProcessEnded:
            raise
        except (CatsyncError, grpc.RpcError) as exc:   # before the run could start its report: say why in EMS
            error = failure(exc, "import start") if isinstance(exc, grpc.RpcError) else exc
            self._quiet_ems(FAILED_CODE, f"{self.rt.process} import of data store {self.store_id} could not start:"
                            f" {error}")
            return CODE_ERROR

    def _quiet_ems(self, code: str, text: str, *, critical: bool = True) -> None:
        """An EMS message that must not stop the run when EMS itself fails."""
        try:
            self.rt.ems(getattr(self, "domain_id", "") or "BACKBOX", code, text, critical=critical)
        except PlatformError:
            pass

    def _run(self) -> int:
        rt = self.rt
        self.begin()
        ic = self.store.import_config
        self.source = ic.import_source.strip().upper()
        self.report_location = (ic.report_location.strip() or DEFAULT_REPORT).upper()
        self.max_disk_files = ic.max_disk_files_per_transaction or DEFAULT_MAX_DISK_FILES
        self.replacements = {r.old_node.strip().upper(): r.new_node.strip().upper() for r in ic.node_replacements
                             if r.old_node.strip()}
        self.out.staging_subvolume, self.out.report_location = self.source, self.report_location
        self.out.primary_data_store_id = expected_primary(self.store)
        self.out.catalog_files = self.param.catalog_files != cs.CATALOG_FILES_OPTION_NO
        try:
            refused = rules.import_refusal(self.domain, rt.guardian, self.store, self.param.trigger, me=rt.process)
        except grpc.RpcError as exc:
            raise failure(exc, "import checks") from None
        if refused is not None:
            rt.ems(self.domain_id, FAILED_CODE, f"{rt.process} import of data store {self.store_id} rejected"
                   f" ({refused[0]}): {refused[1]}", critical=True)
            return CODE_ERROR
        self._known: dict[str, set[str]] = {}
        self.install = state.install_subvolume(self.domain, rt.node)
        self.state_name = state.import_state_file(self.install, self.store_id)
        self.state = state.read_or_new(rt.guardian, self.state_name, staging.KIND_IMPORT_STATE,
                                       state_pb2.ImportStoreState)
        self.state.format_version, self.state.data_store_id = 1, self.store_id
        self.out.status = cs.PROCESS_STATUS_RUNNING
        self._save_state()
        if self.config.ems_verbose:
            rt.ems(self.domain_id, "I3286", rpt.i3286_text(rt.process, self.out.type, self.store_id,
                                                           self.report_location))
        outcome = Outcome()
        try:
            self._import(outcome)
        except ProcessEnded:
            raise
        except staging.StagingError as exc:
            outcome.fatal = (f"summary file {exc.name} cannot be used ({exc.reason}): {exc.detail}; run an export of"
                             f" {self.out.primary_data_store_id} on the primary")
        except grpc.RpcError as exc:
            outcome.fatal = str(failure(exc, "platform call"))
        except CatsyncError as exc:   # PlatformError included: the run ends FAILED with its report
            outcome.fatal = str(exc)
        return self._finish(outcome)

    def _import(self, outcome: Outcome) -> None:
        rt = self.rt
        summary = self._summary()
        outcome.summary = summary
        self.out.export_id = summary.export_id
        groups = list(rt.call("volume groups", self.domain.ListVolumeGroups,
                              bb.ListVolumeGroupsRequest(data_store_id=self.store_id)).volume_groups)
        validation = validate(rt.platform, self.domain_id, rt.node, self.store, groups, summary)
        outcome.validation = validation
        if validation.fatal:
            outcome.fatal, outcome.fatal_validation = validation.fatal_message(), True
            return
        rt.fault("import.after_validation")
        listed = rt.call(f"files of {self.source}", rt.guardian.ListFiles,
                         guardian_pb2.ListFilesRequest(subvolume=self.source, pattern=f"{staging.VOLUME_PREFIX}*"))
        files = sorted((f for f in listed.files if staging.label_of(f.name)), key=lambda f: staging.label_of(f.name))
        outcome.listed = files
        full = self.out.type == cs.SYNC_TYPE_FULL
        self.reimport_all = not full and self.state.reimport_all
        chosen = files if full or self.reimport_all or not self._same_source() else \
            [f for f in files if self._received(f)]
        # the latest FULL's volumes, and those it could not write (still on the primary, pending there)
        self.current_labels = set(summary.last_full_labels) | set(summary.failed_labels)
        for g in validation.targets.values():
            outcome.counts.setdefault(g.id, GroupCounts())
        # A volume the summary says was written (FULL: every current one) whose file is gone: the staging area
        # was damaged. A volume error (W3346, and R21 re-imports all next time), never a deletion (R23 is for
        # volumes the primary deleted).
        on_disk = {staging.label_of(f.name) for f in files}
        written = (set(summary.last_full_labels) | set(summary.labels) if full else set(summary.labels)) \
            - set(summary.failed_labels)
        for label in sorted(written - on_disk):
            outcome.items.append(Item(label, guardian_pb2.FileInfo(), code="missing", error=(
                f"its staging file {staging.volume_file(self.source, label)} is missing although export"
                f" {summary.export_id} wrote it: export the volume again (a FULL export rewrites every file)")))
        for batch in _batches(chosen, BATCH):
            items = [Item(staging.label_of(f.name), f) for f in batch]
            outcome.items.extend(items)
            self._apply(items, outcome)
        if full:
            self.out_summary_full_id = summary.last_full_export_id
            self._delete_unreferenced(outcome)
        self._check_key_managers(outcome)
        rt.fault("import.before_state")

    # -- staging ----------------------------------------------------------------------------------------------
    def _summary(self) -> staging_pb2.ExportSummary:
        try:
            summary = read_summary(self.rt.guardian, self.source)
        except PlatformError as exc:
            if exc.killed:
                raise ProcessEnded(str(exc)) from None
            raise
        if summary is None:
            raise PlatformError(f"summary file {staging.summary_file(self.source)}", grpc.StatusCode.NOT_FOUND,
                                f"the import source holds no summary file: run a FULL export of"
                                f" {self.out.primary_data_store_id} to {self.source} first", 11)
        return summary

    def _read(self, name: str) -> bytes | None:
        try:
            return b"".join(r.data for r in self.rt.guardian.ReadFile(guardian_pb2.ReadFileRequest(name=name)))
        except grpc.RpcError as exc:
            error = failure(exc, f"reading {name}")
            if error.killed:
                raise ProcessEnded(str(error)) from None
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise error from None

    def _same_source(self) -> bool:
        return self.state.has_watermark and self.state.watermark_source == self.source

    def _received(self, info: guardian_pb2.FileInfo) -> bool:
        """Received since the latest successful import (R21): modified after its watermark, or at it with
        content other than the one imported (checked once read)."""
        return _micros(info.modified) >= self.state.watermark_micros

    def _load(self, item: Item, summary: staging_pb2.ExportSummary, validation: Validation) -> None:
        """Read and check one per-volume file; decide its target group (R10, R39) or its problem."""
        name = item.info.name
        data = self._read(name)
        if data is None:
            item.error, item.code = f"staging file {name} disappeared during the import: export the volume again", \
                "missing"
            return
        item.crc = staging.payload_crc(data)
        if (self.out.type != cs.SYNC_TYPE_FULL and not self.reimport_all and self._same_source()
                and _micros(item.info.modified) == self.state.watermark_micros
                and self.state.boundary.get(item.label) == item.crc):
            item.stale = True  # imported by the latest successful import already
            return
        try:
            payload = staging.decode_as(data, staging.KIND_VOLUME, staging_pb2.VolumeExport, name)
        except staging.StagingError as exc:
            item.error, item.code = f"staging file {exc.name}: {exc.detail}", exc.reason
            return
        expected = validation.primary_data_store_id
        if payload.data_store_id.upper() != expected or payload.domain_id != summary.domain_id \
                or payload.volume.label.upper() != item.label:
            item.error, item.code = (f"staging file {name} holds volume {payload.volume.label} of data store"
                                     f" {payload.data_store_id} (domain {payload.domain_id}), not a volume of"
                                     f" {expected}: remove it from the import source"), "foreign"
            return
        inconsistent = _inconsistency(payload, item.label)
        if inconsistent:
            item.error, item.code = (f"staging file {name} is inconsistent ({inconsistent}): export volume"
                                     f" {item.label} again"), "corrupt"
            return
        if item.label not in self.current_labels and _older_than_last_full(payload, summary):
            item.stale = True  # written before the latest FULL export, which no longer had the volume (R23)
            return
        item.payload = payload
        pgid = payload.volume_group_id.upper()
        item.target = validation.targets.get(pgid)
        if item.target is None:
            if pgid in validation.rejected_groups:
                item.rejected = True   # R39: W3332 says so in the validation table
            else:
                item.error, item.code = (f"its primary volume group {payload.volume_group_id} is not in the summary"
                                         f" of export {summary.export_id}: run a FULL export on the primary"), "R39"
            return
        item.record = self._map_record(payload, item.target)

    # -- mapping (R10, R14, R15, R44, R50) --------------------------------------------------------------------
    def _map_record(self, payload: staging_pb2.VolumeExport, group: bb.VolumeGroup) -> bb.BackBoxVolume:
        rec = bb.BackBoxVolume()
        rec.CopyFrom(payload.volume)
        rec.data_store_id, rec.volume_group_id = self.store_id, group.id
        rec.pending_export = False
        rec.tmf_node = ""
        if (group.tape_catalog or bb.TAPE_CATALOG_TYPE_NONE) == DSMTC:
            rec.catalog_type = DSMTC
            rec.volcat, rec.pool = qualify(group.volcat, self.rt.node), group.pool.upper()
            rec.filecat = qualify(group.filecat, self.rt.node)
            if group.media_type:
                rec.media_type = group.media_type                                  # R44
        else:
            rec.catalog_type = bb.TAPE_CATALOG_TYPE_NONE
            rec.volcat = rec.pool = rec.filecat = ""
            rec.catalog_status = mc.VOLUME_STATUS_UNSPECIFIED
            rec.ClearField("first_non_expired_tape_file")
        return rec                                                                 # key_manager_id kept (R50)

    def _disk_name(self, name: str) -> str:
        node, dot, rest = name.partition(".")
        new = self.replacements.get(node.upper())                                  # R15
        return f"{new}{dot}{rest}" if new else name

    # -- applying ---------------------------------------------------------------------------------------------
    def _apply(self, items: list[Item], outcome: Outcome) -> None:
        rt = self.rt
        assert outcome.summary is not None and outcome.validation is not None
        for item in items:
            self._load(item, outcome.summary, outcome.validation)
        work = [i for i in items if i.record is not None and not i.error]
        for item in work:   # "volumes of this group read from staging", imported or not
            assert item.target is not None
            outcome.counts.setdefault(item.target.id, GroupCounts()).source += 1
        if not work:
            return
        self._backbox_dry_run(work)
        by_group: dict[str, list[Item]] = {}
        for item in work:
            if not item.error and item.target is not None and item.target.tape_catalog == DSMTC:
                by_group.setdefault(item.target.id, []).append(item)
        for group_items in by_group.values():
            self._apply_dsmtc(group_items, outcome)
        rt.fault("import.before_volumes")
        ready = [i for i in work if not i.error]
        if ready:
            self._upsert(ready, outcome)
        rt.fault("import.after_volumes")

    def _backbox_dry_run(self, work: list[Item]) -> None:
        """Ask the BackBox catalog first which records it would refuse (R3: a label of another store of this
        domain; a volume in use), so no DSM/TC entry is written for a volume whose record cannot follow."""
        resp = self._upsert_call(work, dry_run=True)
        for item, outcome in zip(work, resp.outcomes):
            if outcome.result == bb.UPSERT_RESULT_REJECTED:
                item.error, item.code = outcome.reason, "R3"

    def _upsert_call(self, items: list[Item], *, dry_run: bool) -> bb.UpsertVolumesResponse:
        options = bb.UpsertVolumesOptions(data_store_id=self.store_id, process=self.rt.process,
                                          label=f"import {self.store_id}", export_id=self.out.export_id,
                                          dry_run=dry_run)
        records = [i.record for i in items]

        def stream() -> Iterator[bb.UpsertVolumesRequest]:
            yield bb.UpsertVolumesRequest(options=options)
            for n in range(0, len(records), PAGE):
                yield bb.UpsertVolumesRequest(volumes=records[n:n + PAGE])
        return self.rt.call("BackBox catalog", self.domain.UpsertVolumes, stream())

    def _upsert(self, items: list[Item], outcome: Outcome) -> None:
        resp = self._upsert_call(items, dry_run=False)
        for item, result in zip(items, resp.outcomes):
            counts = outcome.counts.setdefault(item.target.id if item.target else "", GroupCounts())
            if result.result == bb.UPSERT_RESULT_REJECTED:
                item.error, item.code = result.reason, "R3"
                continue
            item.imported = True
            if result.result == bb.UPSERT_RESULT_ADDED:
                counts.bb[0] += 1
            else:
                counts.bb[1] += 1   # a record is always applied (R22): re-imported ones count as updated
            assert item.record is not None
            if item.record.HasField("unload_time") and (
                    counts.newest is None or _newest(item.record) >= _newest(counts.newest)):
                counts.newest = item.record

    def _apply_dsmtc(self, items: list[Item], outcome: Outcome) -> None:
        """One ApplyBatch stream for the volumes of one secondary group: a unit per tape file (R40)."""
        group = items[0].target
        assert group is not None
        volcat, filecat = qualify(group.volcat, self.rt.node), qualify(group.filecat, self.rt.node)
        full = self.out.type == cs.SYNC_TYPE_FULL
        existing = self._existing(volcat, filecat, [i.label for i in items]) if full else {}
        units: list[mc.ApplyBatchRequest] = []
        for item in items:
            try:
                units.extend(self._units(item, volcat, filecat, group, existing.get(item.label)))
            except _VolumeProblem as exc:
                item.error, item.code = str(exc), exc.code
        if not units:
            return
        units[0].options.CopyFrom(mc.BatchOptions(label=f"import {self.store_id}", check_search_space=True,
                                                  process=self.rt.process, reject_units=True))
        catalog = self.rt.platform.media_catalog(node_of(volcat) or self.rt.node)
        try:
            resp = self.rt.call(f"DSM/TC catalog {volcat}", catalog.ApplyBatch, iter(units))
        except PlatformError as exc:
            if exc.indefinite or exc.guardian_error:   # the catalog's node is out of reach: these volumes wait
                for item in items:
                    if not item.error:
                        item.error, item.code, item.guardian_error = str(exc), "catalog", exc.guardian_error or 0
                return
            raise
        by_label = {i.label: i for i in items}
        for rejection in resp.rejections:
            item = by_label.get(rejection.unit_group)
            if item is not None and not item.error:
                hint = ""
                if rejection.mediacom_error == 5048:
                    hint = (" (R15: the DISKFILE's node is not known here; set Nodes Replacement in the import"
                            " configuration, or import with CATALOGFILES NO)")
                elif "search space" in rejection.reason:
                    hint = " (R13)"
                item.error, item.code = f"{rejection.reason}{hint}", f"MEDIACOM {rejection.mediacom_error}"
        counts = outcome.counts.setdefault(group.id, GroupCounts())
        for n, c in enumerate((resp.tape_volumes.added, resp.tape_volumes.updated, resp.tape_volumes.deleted)):
            counts.nsk[n] += c
        for n, c in enumerate((resp.tape_files.added, resp.tape_files.updated, resp.tape_files.deleted)):
            counts.files[n] += c
        counts.disks[0] += resp.disk_files.added
        counts.disks[1] += resp.disk_files.deleted

    def _existing(self, volcat: str, filecat: str, labels: list[str]) -> dict[str, _Existing]:
        """What the secondary holds for these volumes (FULL: to delete obsolete tape files and DISKFILEs)."""
        catalog = self.rt.platform.media_catalog(node_of(volcat) or self.rt.node)
        out: dict[str, _Existing] = {}
        try:
            for msg in catalog.ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
                    volcat=volcat, filecat=filecat, volsers=labels, include_disk_files=self.out.catalog_files)):
                seen = out.setdefault(msg.volser, _Existing())
                if not msg.continued:
                    seen.files.extend(msg.files)
                seen.disk_files.extend(msg.disk_files)
        except grpc.RpcError as exc:
            error = failure(exc, f"DSM/TC catalog {volcat}")
            if error.killed:
                raise ProcessEnded(str(error)) from None
            raise error from None
        return out

    def _units(self, item: Item, volcat: str, filecat: str, group: bb.VolumeGroup,
               existing: _Existing | None) -> list[mc.ApplyBatchRequest]:
        """The volume's commit units: TAPEVOLUME (+ obsolete tape files, FULL) with the first tape file, then one
        unit per tape file, cut again whenever the DISKFILE count reaches the maximum (R40)."""
        payload = item.payload
        assert payload is not None
        if not payload.has_tape_volume:
            return []
        same_node = self.store.import_config.secondary_shares_node_name
        tv = mc.TapeVolume()
        tv.CopyFrom(payload.tape_volume)
        tv.volcat, tv.pool = volcat, group.pool.upper()
        if group.media_type:
            tv.media_type = group.media_type                                       # R44
        files = []
        for f in payload.tape_files:
            if not same_node and qualify(f.filecat, payload.exporting_node) == filecat:   # R45
                raise _VolumeProblem(f"its tape file {f.file_id} is in FILECAT {filecat}, the import's target: a"
                                     " catalog would be replicated onto itself (R45)", "R45")
            t = mc.TapeFile()
            t.CopyFrom(f)
            t.filecat, t.volcat = filecat, volcat
            if t.pool:
                t.pool = group.pool.upper()
            files.append(t)
        with_disks = self.out.catalog_files and payload.catalog_files
        full = self.out.type == cs.SYNC_TYPE_FULL
        disks: dict[tuple, list[mc.DiskFile]] = {}
        if with_disks:
            for d in payload.disk_files:
                c = mc.DiskFile()
                c.CopyFrom(d)
                c.filecat, c.disk_file_name = filecat, self._disk_name(d.disk_file_name)
                node = c.disk_file_name.split(".", 1)[0].upper()
                if node not in self._known_nodes(node_of(filecat) or self.rt.node):   # R15, before any unit
                    raise _VolumeProblem(
                        f"**ERROR-5048** DISKFILE {c.disk_file_name} is invalid. (R15: {node} is not known on"
                        f" {node_of(filecat) or self.rt.node}; set Nodes Replacement in the import configuration, or import with"
                        " CATALOGFILES NO)", "MEDIACOM 5048")
                disks.setdefault((c.file_id, c.generation, c.version), []).append(c)
        keep = {(f.file_id, f.generation, f.version) for f in files}
        builder = _Units(item.label, self.max_disk_files)
        builder.add(mc.CatalogOp(upsert_tape_volume=tv))
        if full and existing is not None:
            for old in existing.files:                                             # R24: "delete obsolete entries"
                if (old.file_id, old.generation, old.version) not in keep:
                    builder.add(mc.CatalogOp(delete_tape_file=mc.TapeFileKey(
                        filecat=filecat, file_id=old.file_id, generation=old.generation, version=old.version)))
        old_disks: dict[tuple, list[mc.DiskFile]] = {}
        if full and with_disks and existing is not None:
            for d in existing.disk_files:
                old_disks.setdefault((d.file_id, d.generation, d.version), []).append(d)
        for n, f in enumerate(files):
            if n:
                builder.commit(f"TAPEFILE {f.file_id} GEN {f.generation}")
            builder.add(mc.CatalogOp(upsert_tape_file=f))
            key = (f.file_id, f.generation, f.version)
            new = disks.get(key, [])
            names = {d.disk_file_name.upper() for d in new}
            for d in old_disks.get(key, []):
                if d.disk_file_name.upper() not in names:
                    builder.add(mc.CatalogOp(delete_disk_file=mc.DiskFile(
                        filecat=filecat, disk_file_name=d.disk_file_name, file_id=d.file_id,
                        generation=d.generation, version=d.version)))
            for d in new:
                builder.add_disk(mc.CatalogOp(upsert_disk_file=d))
        return builder.finish()

    def _known_nodes(self, catalog_node: str) -> set[str]:
        """The systems the catalog's node knows (a DISKFILE of any other is ERROR-5048 there, R15)."""
        if catalog_node not in self._known:
            info = self.rt.call(f"node information of {catalog_node}",
                                self.rt.platform.guardian(catalog_node).GetNodeInfo, guardian_pb2.GetNodeInfoRequest())
            self._known[catalog_node] = {n.upper() for n in info.known_nodes} or {catalog_node}
        return self._known[catalog_node]

    # -- FULL: deletions (R23, R24) ---------------------------------------------------------------------------
    def _delete_unreferenced(self, outcome: Outcome) -> None:
        rt = self.rt
        # R23: only volumes the primary no longer has; a current volume whose file is missing stays
        present = {i.label for i in outcome.items if not i.stale} | self.current_labels
        victims: list[bb.BackBoxVolume] = []
        token = ""
        while True:
            req = bb.ListVolumesRequest(data_store_id=self.store_id)
            req.page.page_size, req.page.page_token = PAGE, token
            resp = rt.call("volume list", self.domain.ListVolumes, req)
            # a record imported from a run after the latest FULL export is current too (its file may be damaged)
            victims.extend(v for v in resp.volumes if v.label not in present and not (
                v.imported_export_id and v.imported_export_id > self.out_summary_full_id))
            token = resp.page.next_page_token
            if not token:
                break
        victims.sort(key=lambda v: v.label)
        for batch in _batches(victims, BATCH):
            rt.fault("import.before_deletions")
            keep: set[str] = set()
            by_catalog: dict[tuple[str, str], list[bb.BackBoxVolume]] = {}
            for v in batch:
                if v.catalog_type == DSMTC and v.volcat:                               # R24
                    by_catalog.setdefault((v.volcat.upper(), v.volume_group_id), []).append(v)
            for (volcat, group), vols in by_catalog.items():
                units = [mc.ApplyBatchRequest(ops=[mc.CatalogOp(delete_tape_volume=mc.TapeVolume(
                    volser=v.label, volcat=volcat))], commit=True, unit=f"{v.label} DELETE", unit_group=v.label)
                    for v in vols]
                units[0].options.CopyFrom(mc.BatchOptions(label=f"import {self.store_id} deletions",
                                                          process=rt.process, reject_units=True))
                catalog = rt.platform.media_catalog(node_of(volcat) or rt.node)
                try:
                    resp = rt.call(f"DSM/TC catalog {volcat}", catalog.ApplyBatch, iter(units))
                except PlatformError as exc:
                    if not (exc.indefinite or exc.guardian_error):
                        raise
                    for v in vols:   # out of reach: the records stay, the next FULL deletes them (R24)
                        keep.add(v.label)
                        outcome.items.append(Item(v.label, guardian_pb2.FileInfo(), error=f"not deleted: {exc}",
                                                  code="delete", guardian_error=exc.guardian_error or 0))
                    continue
                for rejection in resp.rejections:   # its BackBox record stays, so the next FULL tries again (R24)
                    keep.add(rejection.unit_group)
                    outcome.items.append(Item(rejection.unit_group, guardian_pb2.FileInfo(),
                                              error=f"not deleted: {rejection.reason}", code="delete"))
                counts = outcome.counts.setdefault(group, GroupCounts())
                counts.nsk[2] += resp.tape_volumes.deleted
                counts.files[2] += resp.tape_files.deleted
                counts.disks[1] += resp.disk_files.deleted
            gone = rt.call("BackBox catalog", self.domain.DeleteVolumes, bb.DeleteVolumesRequest(
                data_store_id=self.store_id, labels=[v.label for v in batch if v.label not in keep],
                process=rt.process))
            for v in gone.deleted:
                outcome.deleted.append(v)
                outcome.counts.setdefault(v.volume_group_id, GroupCounts()).bb[2] += 1
            rt.fault("import.after_deletions")

    def _check_key_managers(self, outcome: Outcome) -> None:
        """R50: every key manager id an imported encrypted volume names must be configured in this domain."""
        used = sorted({i.record.key_manager_id for i in outcome.imported
                       if i.record is not None and i.record.encrypted and i.record.key_manager_id})
        if not used:
            return
        known = {k.id.upper() for k in self.rt.call("key managers", self.domain.ListKeyManagers,
                                                   bb.ListKeyManagersRequest()).key_managers}
        outcome.missing_key_managers = [k for k in used if k.upper() not in known]

    # -- the end ----------------------------------------------------------------------------------------------
    def _finish(self, outcome: Outcome) -> int:
        rt, run = self.rt, self.out
        ended = rt.utc_now()
        run.end_time.CopyFrom(ts(ended))
        errors = outcome.errors
        run.volumes_processed = len(outcome.imported)
        run.volume_errors = len(errors)
        if outcome.fatal:
            run.status = cs.PROCESS_STATUS_FAILED
            run.reason = outcome.fatal
        else:
            run.status = cs.PROCESS_STATUS_FINISHED
            if errors:
                run.reason = (f"{len(errors)} volume(s) not imported; the next Import Catalog Updates re-imports"
                              " every volume (R21)")
        report = self._report(outcome, ended)
        run.report.CopyFrom(report)
        self._record(outcome)   # the outcome stands before any trace is attempted
        try:
            rt.write_report(self.report_location, f"CSIMP {self.store_id}"[:24], list(report.lines))
        except PlatformError as exc:
            self._quiet_ems(FAILED_CODE, f"{rt.process} could not write its report to {self.report_location}: {exc}")
        if outcome.fatal:
            self._quiet_ems(FAILED_CODE, f"{rt.process} import of data store {self.store_id} failed:"
                            f" {_short(outcome.fatal)}. Report in {self.report_location}")
        for item in errors[:EMS_VOLUME_ERRORS]:
            self._quiet_ems(VOLUME_ERROR_CODE, f"{rt.process} volume {item.label} of data store {self.store_id} not"
                            f" imported: {item.error}")
        if len(errors) > EMS_VOLUME_ERRORS:
            self._quiet_ems(VOLUME_ERROR_CODE, f"{rt.process} {len(errors) - EMS_VOLUME_ERRORS} more volumes of data"
                            f" store {self.store_id} not imported: see the report in {self.report_location}")
        for km in outcome.missing_key_managers:
            self._quiet_ems(KEY_MANAGER_CODE, _km_text(km, self.domain_id))
        if not outcome.fatal and self.config.ems_verbose:
            self._quiet_ems("I3342", rpt.i3342_text(rt.process, run.type, self.store_id, run.volumes_processed,
                                                    self.report_location), critical=False)
        if outcome.fatal:
            return CODE_ERROR
        return CODE_WARNING if errors else CODE_OK

    def _record(self, outcome: Outcome) -> None:
        st = self.state
        st.latest_import.CopyFrom(self.out)
        if self.out.status == cs.PROCESS_STATUS_FINISHED:
            if self.out.type == cs.SYNC_TYPE_FULL:
                st.latest_full_import.CopyFrom(self.out)
                st.latest_full_import.ClearField("report")
            self._advance_watermark(outcome)
            st.reimport_all = bool(outcome.errors)                                  # R21
            st.reimport_reason = (f"{len(outcome.errors)} volume(s) were not imported by {self.rt.process}"
                                  if outcome.errors else "")
        newest = max((i.record for i in outcome.imported if i.record is not None and i.record.HasField(
            "unload_time")), key=_newest, default=None)
        if newest is not None and (not st.HasField("most_recent_imported") or
                                   newest.unload_time.ToDatetime() >= st.most_recent_imported.time.ToDatetime()):
            st.most_recent_imported.CopyFrom(cs.VolumeActivity(label=newest.label, time=newest.unload_time))
        self._save_state()

    def _advance_watermark(self, outcome: Outcome) -> None:
        """The newest modification time among the files listed at the start; the CRC of each file at that
        instant, so an UPDATE reads again only what changed (R21)."""
        st = self.state
        if not outcome.listed:
            return
        top = max(_micros(f.modified) for f in outcome.listed)
        read = {i.label: i.crc for i in outcome.items if i.crc}
        old = dict(st.boundary) if self._same_source() and st.watermark_micros == top else {}
        boundary = {}
        for f in outcome.listed:
            if _micros(f.modified) == top:
                label = staging.label_of(f.name)
                crc = read.get(label, old.get(label))
                if crc is not None:
                    boundary[label] = crc
        st.has_watermark, st.watermark_micros, st.watermark_source = True, top, self.source
        st.boundary.clear()
        st.boundary.update(boundary)

    def _save_state(self) -> None:
        st = self.state
        state.remember(st.recent_runs, self.out)
        if self.out.status == cs.PROCESS_STATUS_RUNNING:
            st.latest_import.CopyFrom(self.out)
        state.write(self.rt.guardian, self.state_name, st, staging.KIND_IMPORT_STATE)

    def _report(self, outcome: Outcome, ended: datetime) -> cs.ImportReport:
        rt, run = self.rt, self.out
        header = cs.ReportHeader(
            domain_id=self.domain_id, process=rt.process, started=run.start_time, kind=cs.PROCESS_KIND_IMPORT,
            type=run.type, data_store_id=self.store_id, disk_files=run.catalog_files,
            disk_files_text=rpt.disk_files_text(run.type, run.catalog_files), export_id=run.export_id,
            location=self.source, report_location=self.report_location)
        if run.primary_data_store_id != self.store_id:
            header.primary_data_store_id = run.primary_data_store_id
        self.finish_header(header)
        report = cs.ImportReport(header=header, status=run.status, ended=run.end_time)
        if outcome.validation is not None:
            report.validation.extend(outcome.validation.rows)
        if outcome.fatal:
            report.fatal = True
            report.fatal_message = outcome.fatal if outcome.fatal_validation else \
                f"{self.domain_id}-{FAILED_CODE} {_short(outcome.fatal)}"
            if outcome.validation is not None and outcome.validation.store_messages and outcome.fatal_validation:
                for line in outcome.validation.store_messages:
                    report.warnings.append(cs.ReportMessage(code="E3333", severity=bb.PROBLEM_SEVERITY_ERROR,
                                                            text=line))
        for item in sorted(outcome.imported, key=lambda i: i.label):
            report.volumes.append(_row(item))
        if run.type == cs.SYNC_TYPE_FULL:
            for v in sorted(outcome.deleted, key=lambda v: v.label):
                report.deleted.append(cs.ReportVolumeRow(label=v.label, volume_group_id=v.volume_group_id))
        validation = outcome.validation
        groups = {g.id: g for g in validation.targets.values()} if validation is not None else {}
        for gid in sorted(outcome.counts):
            if not gid:
                continue
            c = outcome.counts[gid]
            group = groups.get(gid)
            summary = cs.ImportGroupSummary(
                volume_group_id=gid, catalog=rpt.catalog_description(group), volumes_in_source=c.source,
                backbox_added=c.bb[0], backbox_updated=c.bb[1], backbox_deleted=c.bb[2], nsk_added=c.nsk[0],
                nsk_updated=c.nsk[1], nsk_deleted=c.nsk[2])
            if c.newest is not None:
                summary.newest_label = c.newest.label
                summary.newest_unload_time.CopyFrom(c.newest.unload_time)
            report.summaries.append(summary)
            if group is not None and group.tape_catalog == DSMTC:
                report.activity.append(cs.ImportGroupActivity(
                    volume_group_id=gid, tape_files_added=c.files[0], tape_files_updated=c.files[1],
                    tape_files_deleted=c.files[2], disk_files_added=c.disks[0], disk_files_deleted=c.disks[1]))
        if self.reimport_all:
            report.warnings.append(cs.ReportMessage(
                code=REIMPORT_CODE, severity=bb.PROBLEM_SEVERITY_UNSPECIFIED,
                text=f"{self.domain_id}-{REIMPORT_CODE} UPDATE import re-imports every volume:"
                     f" {self.state.reimport_reason or 'the previous import had volume errors'} (R21)."))
        for km in outcome.missing_key_managers:
            report.missing_key_manager_ids.append(km)
            report.warnings.append(cs.ReportMessage(code=KEY_MANAGER_CODE, severity=bb.PROBLEM_SEVERITY_WARNING,
                                                    text=f"{self.domain_id}-{KEY_MANAGER_CODE} {_km_text(km, self.domain_id)}"))
        for item in sorted(outcome.errors, key=lambda i: i.label):
            report.volume_errors.append(cs.VolumeProblem(
                label=item.label, volume_group_id=item.target.id if item.target else "", message=item.error,
                code=item.code, guardian_error=item.guardian_error))
        report.volumes_processed = len(outcome.imported)
        if not outcome.fatal:
            report.completion_line = f"{self.domain_id}-I3342 " + rpt.i3342_text(
                rt.process, run.type, self.store_id, report.volumes_processed, self.report_location)
        report.end_line = rpt.end_line(self.domain_id, rt.process, rt.local(ended))
        report.lines.extend(rpt.import_report_lines(report, rt.offset_seconds))
        return report


def read_summary(guardian: Any, source: str) -> staging_pb2.ExportSummary | None:
    """The summary file of a staging subvolume; None when there is none yet; StagingError when damaged."""
    return state.read(guardian, staging.summary_file(source), staging.KIND_SUMMARY, staging_pb2.ExportSummary)


def received_since(st: state_pb2.ImportStoreState, source: str, info: guardian_pb2.FileInfo) -> bool:
    """Whether a per-volume file counts as received after the latest successful import (the Import Status
    page's count; the import itself also compares the CRC of files modified at the watermark)."""
    if not st.has_watermark or st.watermark_source != source:
        return True
    micros = _micros(info.modified)
    if micros != st.watermark_micros:
        return micros > st.watermark_micros
    return staging.label_of(info.name) not in st.boundary


@dataclass
class _Existing:
    files: list[mc.TapeFile] = field(default_factory=list)
    disk_files: list[mc.DiskFile] = field(default_factory=list)


class _VolumeProblem(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class _Units:
    """Builds the ApplyBatch messages of one volume: chunks of at most CHUNK_OPS ops, units cut by `commit`."""

    def __init__(self, label: str, max_disk_files: int):
        self.label, self.max_disk_files = label, max_disk_files
        self.messages: list[mc.ApplyBatchRequest] = []
        self.unit = "TAPEVOLUME"
        self.disk_in_unit = self.disks = 0
        self._open(self.unit)

    def _open(self, unit: str) -> None:
        self.messages.append(mc.ApplyBatchRequest(unit=f"{self.label} {unit}", unit_group=self.label))

    def add(self, op: mc.CatalogOp) -> None:
        current = self.messages[-1]
        if len(current.ops) >= CHUNK_OPS:
            current = mc.ApplyBatchRequest(unit_group=self.label)   # same unit, next chunk
            self.messages.append(current)
        current.ops.append(op)

    def add_disk(self, op: mc.CatalogOp) -> None:
        if self.disk_in_unit >= self.max_disk_files:                # R40: commit at the DISKFILE maximum
            self._cut(f"{self.unit} DISKFILES {self.disks + 1}+")
        self.add(op)
        self.disk_in_unit += 1
        self.disks += 1

    def commit(self, next_unit: str) -> None:
        """End the unit; the next one is `next_unit` (a tape file)."""
        self.unit, self.disks = next_unit, 0
        self._cut(next_unit)

    def _cut(self, name: str) -> None:
        self.messages[-1].commit = True
        self.disk_in_unit = 0
        self._open(name)

    def finish(self) -> list[mc.ApplyBatchRequest]:
        self.messages[-1].commit = True
        return self.messages


def _row(item: Item) -> cs.ReportVolumeRow:
    rec, payload = item.record, item.payload
    assert rec is not None and payload is not None
    dsmtc = item.target is not None and item.target.tape_catalog == DSMTC
    status = 0
    if dsmtc:
        status = payload.tape_volume.status if payload.has_tape_volume else rec.catalog_status
    row = cs.ReportVolumeRow(label=rec.label, volume_group_id=rec.volume_group_id, catalog_status=status)
    first = rec.first_non_expired_tape_file
    if dsmtc and first.file_id:
        row.first_file_id, row.first_generation, row.first_vol_index = first.file_id, first.generation, \
            first.vol_index
    row.catalog_text = rpt.catalog_status_text(status, row.first_file_id, row.first_generation, row.first_vol_index)
    return row


def _inconsistency(payload: staging_pb2.VolumeExport, label: str) -> str:
    """What in a well-framed volume file does not belong to its volume ('' when all of it does)."""
    if payload.has_tape_volume and payload.tape_volume.volser.upper() != label:
        return f"its TAPEVOLUME is {payload.tape_volume.volser}"
    for f in payload.tape_files:
        if not any(t.volser.upper() == label for t in f.volumes):
            return f"tape file {f.file_id} generation {f.generation} has no TFTOV row for {label}"
    return ""


def _older_than_last_full(payload: staging_pb2.VolumeExport, summary: staging_pb2.ExportSummary) -> bool:
    """Whether the file was written before the latest completed FULL export: by run counter when both carry one
    (two runs may share an export id: its grain is a second), else by export id."""
    if summary.last_full_run_sequence and payload.run_sequence:
        return payload.run_sequence < summary.last_full_run_sequence
    return bool(summary.last_full_export_id) and payload.export_id < summary.last_full_export_id


def _newest(record: bb.BackBoxVolume) -> tuple:
    return record.unload_time.ToDatetime(), record.label


def _micros(stamp: Any) -> int:
    return stamp.seconds * 1_000_000 + stamp.nanos // 1000


def _km_text(km: str, domain_id: str) -> str:
    return (f"Key manager id {km} of imported encrypted volumes is not configured in domain {domain_id}: add it"
            " with the address of the replicated key server before these volumes are restored here (R50)")


def _short(text: str) -> str:
    return text.rstrip(". ")


def _batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


if __name__ == "__main__":  # pragma: no cover - run by a node, not by hand
    sys.exit("BBCSIMP runs as a Guardian process: deploy catsync.importer:main on a node and start it there")
