"""BBCSEXP: the Catalog Sync export process of one PRIMARY data store (domain-facts §5, §6; R5, R7, R19-R22,
R25, R27, R28, R30, R31, R33, R51).

Started by the CatalogSync service (UI buttons, BB026, NetBatch jobs, EMS extractor retries) or by the domain
itself on a volume event (R27, through an event subscription), it runs on the domain manager node as a Guardian
process and uses only the platform's gRPC services:

1. checks what may run: license and domain access (R1, R17, R18), an export destination (R31), no other export
   or import of the store (R25) — an automatic start that may not run ends quietly, its volumes stay pending;
2. decides the type (an UPDATE becomes FULL when the Full Export Frequency has elapsed, R30, or when the staging
   area is not the one of the latest FULL, R7) and CATALOGFILES (R33);
3. reads, volume by volume, the BackBox record and the DSM/TC entries of the group's VOLCAT (R22) and writes one
   staging file per volume over the Expand link, clearing each written volume's pending flag as it goes (R20);
4. writes the summary file, the report (R51) and its own status (the Export Status page).

A failure that stops the run (link lost, staging disk full, destination node down) leaves every volume not yet
written pending, for the EMS extractor's retry (R28) or the next trigger.
"""

from __future__ import annotations

import sys
from concurrent import futures
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterator

import grpc

from catsync import report as rpt, rules, staging, state
from catsync.platform import DISK_FULL, NODE_DOWN, PATH_DOWN, PlatformError, failure, node_of
from catsync.process import Param, ProcessEnded, ProcessRuntime, SyncProcess, ts
from catsync.v1 import catalog_sync_pb2 as cs, staging_pb2, state_pb2
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2, media_catalog_pb2 as mc

DEFAULT_REPORT = "$S.#CSEXP"
MARK_EVERY = 100                 # volumes cleared per MarkExported call
READ_BATCH = 500                 # labels per ReadVolumeEntries call
PAGE = 1000
CODE_OK, CODE_WARNING, CODE_ERROR = 0, 1, 2
FAILED_CODE, VOLUME_ERROR_CODE = "E3280", "W3281"   # our codes: the manuals give none (domain-facts §9 q3)
CONVERTED_CODE = "I3278"


def main(startup: guardian_pb2.StartupMessage) -> int:
    """Entry point of program BBCSEXP (`catsync.export:main`)."""
    param = Param.parse(startup.param)
    runtime = ProcessRuntime(startup, rules.EXPORT_PROGRAM)
    try:
        return Export(runtime, param).run()
    except ProcessEnded:
        return CODE_ERROR  # the node has already ended the process: nothing it says counts any more
    finally:
        runtime.close()


def export_id(utc: datetime) -> str:
    """The Export Id: the exporting node's UTC time `YYYY-MM-DD_HH:MM:SS` (domain-facts §5)."""
    return utc.strftime("%Y-%m-%d_%H:%M:%S")


@dataclass
class VolumeWork:
    """One volume to export and what the run learned about it."""

    record: bb.BackBoxVolume
    group: bb.VolumeGroup | None
    sequence: int = 0                      # pending last_sequence seen (0 = not pending)
    payload: staging_pb2.VolumeExport | None = None
    disk_files: int = 0
    error: str = ""
    guardian_error: int = 0


@dataclass
class Outcome:
    written: list[VolumeWork] = field(default_factory=list)
    failed: list[VolumeWork] = field(default_factory=list)
    fatal: str = ""
    fatal_error: int = 0


class Export(SyncProcess):
    """One run of BBCSEXP."""

    def __init__(self, runtime: ProcessRuntime, param: Param):
        self.rt = runtime
        self.param = param
        self.store_id = param.store_id.upper()
        self.domain = runtime.platform.domain()
        self.out = cs.ExportRun(data_store_id=self.store_id, process=runtime.process,
                                requested_type=param.type or cs.SYNC_TYPE_UPDATE, trigger=param.trigger)
        self.conversion = ("", "")     # (rule, why) when an UPDATE runs as FULL

    # -- the run ----------------------------------------------------------------------------------------------
    def run(self) -> int:
        rt = self.rt
        self.begin()
        ec = self.store.export_config
        self.destination = ec.export_destination.strip().upper()
        self.report_location = (ec.report_location.strip() or DEFAULT_REPORT).upper()
        self.out.destination, self.out.report_location = self.destination, self.report_location
        refusal = self._refusal()
        if refusal is not None:
            return refusal
        self.install = state.install_subvolume(self.domain, rt.node)
        self.state_name = state.export_state_file(self.install, self.store_id)
        self.state = state.read_or_new(rt.guardian, self.state_name, staging.KIND_EXPORT_STATE,
                                       state_pb2.ExportStoreState)
        self.state.format_version, self.state.data_store_id = 1, self.store_id
        self.state.last_run_sequence += 1
        self.run_sequence = self.state.last_run_sequence
        self._decide_type()
        self._decide_catalog_files()
        self.out.export_id = export_id(self.started)
        self.out.status = cs.PROCESS_STATUS_RUNNING
        self._save_state()
        if self.config.ems_verbose:
            rt.ems(self.domain_id, "I3273", rpt.i3273_text(rt.process, self.out.type, self.store_id,
                                                           self.report_location))
        outcome = Outcome()
        try:
            self._export(outcome)
        except PlatformError as exc:
            outcome.fatal, outcome.fatal_error = str(exc), exc.guardian_error or 0
        return self._finish(outcome)

    def _refusal(self) -> int | None:
        """None when the export may run; else the completion code after saying why not (R1, R17, R18, R25,
        R31): an automatic start ends quietly, its volumes stay pending."""
        try:
            refused = rules.export_refusal(self.domain, self.rt.guardian, self.store, self.param.trigger,
                                           me=self.rt.process)
        except grpc.RpcError as exc:
            raise failure(exc, "export checks") from None
        if refused is None:
            return None
        return self._reject(*refused, quiet=self.param.trigger in rules.AUTOMATIC)

    def _reject(self, rule: str, reason: str, *, quiet: bool) -> int:
        """A run that may not start: automatic ones end quietly (the volumes stay pending), others say why."""
        if quiet:
            return CODE_OK
        self.rt.ems(self.domain_id, FAILED_CODE, f"{self.rt.process} export of data store {self.store_id}"
                    f" rejected ({rule}): {reason}", critical=True)
        return CODE_ERROR

    def _decide_type(self) -> None:
        """FULL as asked; an UPDATE becomes FULL after Full Export Frequency days (R30) or for a new staging
        area (R7: the area must always hold a complete set)."""
        requested = self.param.type or cs.SYNC_TYPE_UPDATE
        self.out.type = requested
        if requested != cs.SYNC_TYPE_UPDATE:
            return
        latest_full = self.state.latest_full_export if self.state.HasField("latest_full_export") else None
        days = self.store.export_config.full_export_frequency_days
        if days > 0:
            since = latest_full.start_time.ToDatetime() if latest_full else None
            if since is None or self.started.replace(tzinfo=None) - since >= timedelta(days=days):
                self._convert("R30", f"Full Export Frequency of {days} days elapsed since the latest FULL"
                              if since else "no FULL export completed yet (Full Export Frequency set)")
                return
        if latest_full and latest_full.destination and latest_full.destination != self.destination:
            self._convert("R7", f"the export destination changed from {latest_full.destination}: a FULL export"
                          " fills the new staging area")

    def _convert(self, rule: str, why: str) -> None:
        self.out.type, self.out.converted_to_full = cs.SYNC_TYPE_FULL, True
        self.conversion = (rule, why)

    def _decide_catalog_files(self) -> None:
        """R33: never without the store's permission; automatic exports send them; requests say."""
        allowed = self.store.export_config.include_disk_files
        option = self.param.catalog_files
        if not allowed:
            self.out.catalog_files = False
        elif self.param.trigger in rules.AUTOMATIC or option == cs.CATALOG_FILES_OPTION_UNSPECIFIED:
            self.out.catalog_files = True
        else:
            self.out.catalog_files = option == cs.CATALOG_FILES_OPTION_YES

    # -- reading and writing -----------------------------------------------------------------------------------
    def _export(self, outcome: Outcome) -> None:
        rt = self.rt
        groups = rt.call("volume groups", self.domain.ListVolumeGroups,
                         bb.ListVolumeGroupsRequest(data_store_id=self.store_id)).volume_groups
        self.groups = list(groups)
        by_id = {g.id: g for g in self.groups}
        pending = rt.call("pending exports", self.domain.ListPendingExports,
                          bb.ListPendingExportsRequest(data_store_id=self.store_id))
        self.seen_sequence = pending.last_sequence
        sequences = {e.label: e.last_sequence for e in pending.entries}
        if self.out.type == cs.SYNC_TYPE_FULL:
            records = list(self._volumes())                                      # R19: every volume
        else:
            records = list(self._volumes(sorted(sequences))) if sequences else []  # R20: the pending ones
        work = [VolumeWork(r, by_id.get(r.volume_group_id), sequences.get(r.label, 0)) for r in records]
        self.work = work
        unmarked: list[VolumeWork] = []
        try:
            for batch in self._read_ahead(work):
                for item in batch:
                    if item.error:
                        outcome.failed.append(item)
                        continue
                    self._write_volume(item)        # a PlatformError here stops the run
                    outcome.written.append(item)
                    unmarked.append(item)
                    rt.fault("export.after_volume_file")
                    if len(unmarked) >= MARK_EVERY:
                        self._mark(unmarked)
                        unmarked = []
        except PlatformError:
            self._mark(unmarked)    # what is in the staging area is no longer pending (R20)
            raise
        rt.fault("export.before_summary")
        self._write_summary(outcome)
        # the last volumes stay pending until the summary is written: a run cut before it is retried (R28)
        self._mark(unmarked)
        rt.fault("export.after_summary")
        if self.out.type == cs.SYNC_TYPE_FULL and not outcome.failed:
            self._mark([], up_to=self.seen_sequence)

    def _read_ahead(self, work: list[VolumeWork]) -> Iterator[list[VolumeWork]]:
        """The volumes in batches with their catalog entries read; the next batch is read while this one is
        written (writes stay in order, so fault points fire at the same volume in every run)."""
        batches = list(_batches(work, READ_BATCH))
        if not batches:
            return
        with futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="bbcsexp-read") as pool:
            ahead = pool.submit(self._read_catalog, batches[0])
            for n, batch in enumerate(batches):
                ahead.result()
                if n + 1 < len(batches):
                    ahead = pool.submit(self._read_catalog, batches[n + 1])
                yield batch

    def _volumes(self, labels: list[str] | None = None) -> Iterator[bb.BackBoxVolume]:
        """The store's volumes (or those labels), by group in configuration order, then label."""
        chunks = _batches(labels, PAGE) if labels is not None else [None]
        for chunk in chunks:
            token = ""
            while True:
                req = bb.ListVolumesRequest(data_store_id=self.store_id, labels=chunk or [])
                req.page.page_size, req.page.page_token = PAGE, token
                resp = self.rt.call("volume list", self.domain.ListVolumes, req)
                yield from resp.volumes
                token = resp.page.next_page_token
                if not token:
                    break

    def _read_catalog(self, batch: list[VolumeWork]) -> None:
        """Fill each volume's payload: its BackBox record, and the DSM/TC entries of DSM/TC groups (R22)."""
        by_group: dict[str, list[VolumeWork]] = {}
        for item in batch:
            item.payload = self._payload(item)
            if item.group is not None and item.group.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC:
                by_group.setdefault(item.group.id, []).append(item)
        for items in by_group.values():
            group = items[0].group
            assert group is not None
            try:
                self._read_dsmtc(group, items)
            except PlatformError as exc:
                if exc.killed:
                    raise ProcessEnded(str(exc)) from None
                for item in items:  # the catalog is unreachable: these volumes stay pending
                    item.error, item.guardian_error = str(exc), exc.guardian_error or 0

    def _payload(self, item: VolumeWork) -> staging_pb2.VolumeExport:
        rt = self.rt
        return staging_pb2.VolumeExport(
            format_version=staging.FORMAT_VERSION, export_id=self.out.export_id, export_type=self.out.type,
            data_store_id=self.store_id, primary_data_store_id=self.store.primary_data_store_id,
            volume_group_id=item.record.volume_group_id, domain_id=self.domain_id, exporting_node=rt.node,
            exporting_process=rt.process, exported_at=ts(self.started), volume=item.record,
            catalog_files=self.out.catalog_files, volume_sequence=item.record.change_sequence,
            run_sequence=self.run_sequence)

    def _read_dsmtc(self, group: bb.VolumeGroup, items: list[VolumeWork]) -> None:
        catalog = self.rt.platform.media_catalog(node_of(group.volcat) or self.rt.node)
        wanted = {i.record.label: i for i in items}
        stream = catalog.ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
            volcat=group.volcat, volsers=list(wanted), include_disk_files=self.out.catalog_files))
        try:
            for msg in stream:
                item = wanted.get(msg.volser)
                if item is None or item.payload is None:
                    continue
                if msg.continued:
                    item.payload.disk_files.extend(msg.disk_files)
                    continue
                if msg.found:
                    item.payload.has_tape_volume = True
                    item.payload.tape_volume.CopyFrom(msg.volume)
                item.payload.tape_files.extend(msg.files)
                item.payload.disk_files.extend(msg.disk_files)
        except grpc.RpcError as exc:
            raise failure(exc, f"DSM/TC catalog {group.volcat}") from None
        for item in items:
            item.disk_files = len(item.payload.disk_files) if item.payload else 0

    def _write_volume(self, item: VolumeWork) -> None:
        assert item.payload is not None
        name = staging.volume_file(self.destination, item.record.label)
        data = staging.encode(item.payload, staging.KIND_VOLUME)
        self.rt.call(f"writing {name}", self.rt.guardian.WriteFile,
                     iter([guardian_pb2.WriteFileRequest(name=name, mode=guardian_pb2.WRITE_MODE_REPLACE, data=data)]))

    def _mark(self, items: list[VolumeWork], up_to: int = 0) -> None:
        """Clear the pending flag of written volumes (only if no newer trigger came meanwhile, R20)."""
        if not items and not up_to:
            return
        self.rt.call("mark exported", self.domain.MarkExported, bb.MarkExportedRequest(
            data_store_id=self.store_id, export_id=self.out.export_id, process=self.rt.process, up_to_sequence=up_to,
            volumes=[bb.ExportedVolume(label=i.record.label, sequence=i.sequence) for i in items if i.sequence]))

    def _write_summary(self, outcome: Outcome) -> None:
        full = self.out.type == cs.SYNC_TYPE_FULL
        written = [i.record.label for i in outcome.written]
        if full:
            last_full_id, last_full_labels, last_full_seq = self.out.export_id, written, self.run_sequence
        else:
            last = self.state.latest_full_export
            last_full_id, last_full_labels = last.export_id, list(self.state.last_full_labels)
            last_full_seq = self.state.last_full_run_sequence
        summary = staging_pb2.ExportSummary(
            format_version=staging.FORMAT_VERSION, export_id=self.out.export_id, type=self.out.type,
            data_store_id=self.store_id, primary_data_store_id=self.store.primary_data_store_id,
            catalog_files=self.out.catalog_files, domain_id=self.domain_id, exporting_node=self.rt.node,
            exporting_process=self.rt.process, started=ts(self.started), finished=ts(self.rt.utc_now()),
            volume_groups=self.groups, labels=written, volume_count=len(written),
            failed_labels=[i.record.label for i in outcome.failed], last_full_export_id=last_full_id,
            last_full_labels=last_full_labels, data_store=self.store, run_sequence=self.run_sequence,
            last_full_run_sequence=last_full_seq, primary_catalogs=self._primary_catalogs(outcome))
        name = staging.summary_file(self.destination)
        self.rt.call(f"writing {name}", self.rt.guardian.WriteFile, iter([guardian_pb2.WriteFileRequest(
            name=name, mode=guardian_pb2.WRITE_MODE_REPLACE, data=staging.encode(summary, staging.KIND_SUMMARY))]))

    def _primary_catalogs(self, outcome: Outcome) -> list[str]:
        """The DSM/TC catalogs of this side (R41, R45): MEDIADEFS defaults and the FILECATs exported."""
        found: set[str] = set()
        try:
            defs = self.rt.platform.media_catalog().GetMediaDefs(mc.GetMediaDefsRequest()).media_defs
            for name in (defs.default_volcat, defs.default_filecat):
                if name.strip():
                    found.add(name.upper() if name.startswith("\\") else f"{self.rt.node}.{name.strip().upper()}")
        except grpc.RpcError:
            pass  # no DSM/TC on this node: nothing to name
        for item in outcome.written:
            if item.payload is not None:
                found.update(f.filecat.upper() for f in item.payload.tape_files if f.filecat)
        return sorted(found)

    # -- the end ------------------------------------------------------------------------------------------------
    def _finish(self, outcome: Outcome) -> int:
        rt = self.rt
        ended = rt.utc_now()
        run = self.out
        run.end_time.CopyFrom(ts(ended))
        run.volumes_processed = len(outcome.written)
        run.volume_errors = len(outcome.failed)
        if outcome.fatal:
            run.status = cs.PROCESS_STATUS_FAILED
            run.reason = _fatal_reason(outcome, self.destination)
        else:
            run.status = cs.PROCESS_STATUS_FINISHED
            if outcome.failed:
                run.reason = f"{len(outcome.failed)} volume(s) not exported; they stay pending"
        report = self._report(outcome, ended)
        run.report.CopyFrom(report)
        try:
            rt.write_report(self.report_location, f"CSEXP {self.store_id}"[:24], list(report.lines))
        except PlatformError as exc:  # the run's outcome stands; say where its report went missing
            rt.ems(self.domain_id, FAILED_CODE, f"{rt.process} could not write its report to"
                   f" {self.report_location}: {exc}", critical=True)
        if outcome.fatal:
            rt.ems(self.domain_id, FAILED_CODE, f"{rt.process} export of data store {self.store_id} failed:"
                   f" {run.reason}. Report in {self.report_location}", critical=True)
        for item in outcome.failed:
            rt.ems(self.domain_id, VOLUME_ERROR_CODE, f"{rt.process} volume {item.record.label} of data store"
                   f" {self.store_id} not exported: {item.error}", critical=True)
        if not outcome.fatal and self.config.ems_verbose:
            rt.ems(self.domain_id, "I3279", rpt.i3279_text(rt.process, run.type, self.store_id,
                                                           run.volumes_processed, self.report_location))
        self._record(outcome)
        if outcome.fatal:
            return CODE_ERROR
        return CODE_WARNING if outcome.failed else CODE_OK

    def _record(self, outcome: Outcome) -> None:
        st = self.state
        st.latest_export.CopyFrom(self.out)
        if self.out.type == cs.SYNC_TYPE_FULL and self.out.status == cs.PROCESS_STATUS_FINISHED \
                and not outcome.failed:
            st.latest_full_export.CopyFrom(self.out)
            st.latest_full_export.ClearField("report")
            st.last_full_run_sequence = self.run_sequence
            del st.last_full_labels[:]
            st.last_full_labels.extend(i.record.label for i in outcome.written)
        newest = max((i.record for i in outcome.written if i.record.HasField("unload_time")),
                     key=_newest, default=None)
        if newest is not None and (not st.HasField("most_recent_exported") or
                                   newest.unload_time.ToDatetime() >= st.most_recent_exported.time.ToDatetime()):
            st.most_recent_exported.CopyFrom(cs.VolumeActivity(label=newest.label, time=newest.unload_time))
        self._save_state()

    def _save_state(self) -> None:
        st = self.state
        state.remember(st.recent_runs, self.out)
        if self.out.status == cs.PROCESS_STATUS_RUNNING:
            st.latest_export.CopyFrom(self.out)
        state.write(self.rt.guardian, self.state_name, st, staging.KIND_EXPORT_STATE)

    def _report(self, outcome: Outcome, ended: datetime) -> cs.ExportReport:
        rt, run = self.rt, self.out
        header = cs.ReportHeader(
            domain_id=self.domain_id, process=rt.process, started=run.start_time, kind=cs.PROCESS_KIND_EXPORT,
            type=run.type, data_store_id=self.store_id, primary_data_store_id=self.store.primary_data_store_id,
            disk_files=run.catalog_files, disk_files_text="included" if run.catalog_files else "not included",
            export_id=run.export_id, location=self.destination, report_location=self.report_location)
        self.finish_header(header)
        report = cs.ExportReport(header=header, status=run.status, ended=run.end_time)
        written = {i.record.label for i in outcome.written}
        order = {g.id: n for n, g in enumerate(self.groups)}
        rows = sorted((i for i in self.work if i.record.label in written),
                      key=lambda i: (order.get(i.record.volume_group_id, len(order)), i.record.label))
        for item in rows:
            report.volumes.append(_row(item))
        for group in self.groups:
            mine = [i for i in rows if i.record.volume_group_id == group.id]
            summary = cs.ExportGroupSummary(volume_group_id=group.id, catalog=rpt.catalog_description(group),
                                            volume_count=len(mine), disk_file_count=sum(i.disk_files for i in mine),
                                            empty=not mine)
            newest = max((i.record for i in mine if i.record.HasField("unload_time")),
                         key=_newest, default=None)
            if newest is not None:
                summary.most_recent_label = newest.label
                summary.most_recent_unload_time.CopyFrom(newest.unload_time)
            report.groups.append(summary)
        report.volumes_processed = len(rows)
        for item in outcome.failed:
            report.volume_errors.append(cs.VolumeProblem(
                label=item.record.label, volume_group_id=item.record.volume_group_id, message=item.error,
                code=VOLUME_ERROR_CODE, guardian_error=item.guardian_error))
        if run.converted_to_full:
            rule, why = self.conversion
            report.messages.append(cs.ReportMessage(
                code=CONVERTED_CODE, severity=bb.PROBLEM_SEVERITY_WARNING,
                text=f"{self.domain_id}-{CONVERTED_CODE} UPDATE export converted to FULL ({rule}): {why}."))
        if outcome.fatal:
            report.messages.append(cs.ReportMessage(code=FAILED_CODE, severity=bb.PROBLEM_SEVERITY_ERROR,
                                                    text=run.reason))
        else:
            report.completion_line = f"{self.domain_id}-I3279 " + rpt.i3279_text(
                rt.process, run.type, self.store_id, report.volumes_processed, self.report_location)
        report.end_line = rpt.end_line(self.domain_id, rt.process, rt.local(ended))
        report.lines.extend(rpt.export_report_lines(report, rt.offset_seconds))
        return report


def _newest(record: bb.BackBoxVolume) -> tuple:
    """Order of "most recently written": unload time, then the later volume of a set unloaded together."""
    return record.unload_time.ToDatetime(), record.label


def _row(item: VolumeWork) -> cs.ReportVolumeRow:
    rec = item.record
    dsmtc = item.group is not None and item.group.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC
    status = 0
    if dsmtc:
        payload = item.payload
        status = payload.tape_volume.status if payload is not None and payload.has_tape_volume \
            else rec.catalog_status
    first = rec.first_non_expired_tape_file
    row = cs.ReportVolumeRow(label=rec.label, volume_group_id=rec.volume_group_id, catalog_status=status)
    if dsmtc and first.file_id:
        row.first_file_id, row.first_generation, row.first_vol_index = first.file_id, first.generation, \
            first.vol_index
    row.catalog_text = rpt.catalog_status_text(status, row.first_file_id, row.first_generation, row.first_vol_index)
    return row


def _fatal_reason(outcome: Outcome, destination: str) -> str:
    number = outcome.fatal_error
    if number == PATH_DOWN:
        why = f"the Expand path to {destination.split('.')[0]} is down (error 250)"
    elif number == NODE_DOWN:
        why = f"node {destination.split('.')[0]} is not available (error 201)"
    elif number in DISK_FULL:
        why = f"the staging disk {'.'.join(destination.split('.')[:2])} is full (error {number})"
    else:
        why = outcome.fatal
    return (f"{why}; {len(outcome.written)} volume(s) written, the others stay pending for the EMS extractor's"
            " retry (R28) or the next export")


def _batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


if __name__ == "__main__":  # pragma: no cover - run by a node, not by hand
    sys.exit("BBCSEXP runs as a Guardian process: deploy catsync.export:main on a node and start it there")
