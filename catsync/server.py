"""The CatalogSync service of one BackBox domain (proto catsync/v1/catalog_sync.proto): the Export Status and
Import Status pages and their buttons, Check Against Primary Configuration, BB026 / BB027 in TACL text, NetBatch
jobs, the EMS extractors, reports — served on its own gRPC server with health checking and reflection, and
talking to the platform only through its gRPC services.

`serve_catalog_sync` also installs the option on the domain: it deploys BBCSEXP and BBCSIMP on the domain manager
node and subscribes BBCSEXP to the domain's export triggers, so the domain starts an UPDATE export on every volume
event that calls for one (R27). Nothing ever starts BBCSIMP but a request (R29).
"""

from __future__ import annotations

import functools
import logging
from concurrent import futures
from typing import Any, Callable, Iterable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from catsync import CatsyncError, macros, report as rpt, staging, state
from catsync.extractor import Extractors
from catsync.importer import read_summary, received_since
from catsync.validation import validate
from catsync.netbatch import NetBatch
from catsync.platform import CHANNEL_OPTIONS, Platform, PlatformError, failure, utc_offset
from catsync.process import Param
from catsync.requests import Exports, Imports, RequestError
from catsync.v1 import catalog_sync_pb2 as cs, catalog_sync_pb2_grpc
from emulator.v1 import backbox_domain_pb2 as bb, common_pb2, guardian_pb2

log = logging.getLogger(__name__)
SERVICE = "catsync.v1.CatalogSync"
PROGRAMS = (("BBCSEXP", "catsync.export:main", "Catalog Sync export (BackBox)"),
            ("BBCSIMP", "catsync.importer:main", "Catalog Sync import (BackBox)"))
SUBSCRIPTION_ID = "CATSYNC-EXPORT"


def _rpc(method: Callable) -> Callable:
    """Turn the option's errors into RPC statuses with their message (never a traceback for the caller)."""
    @functools.wraps(method)
    def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return method(self, request, context)
        except RequestError as exc:
            context.abort(exc.code, str(exc))
        except PlatformError as exc:
            code = exc.code if exc.code != grpc.StatusCode.UNKNOWN else grpc.StatusCode.FAILED_PRECONDITION
            context.abort(code, str(exc))
        except grpc.RpcError as exc:
            err = failure(exc, "platform call")
            context.abort(exc.code(), str(err))
        except CatsyncError as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
    return wrapper


class CatalogSyncServicer(catalog_sync_pb2_grpc.CatalogSyncServicer):
    """The option's service for one domain."""

    def __init__(self, domain_id: str, manager: str, platform: Platform, nodes: dict[str, str]):
        self.domain_id, self.manager, self.platform = domain_id.upper(), manager.upper(), platform
        self.exports = Exports(platform, self.domain_id, self.manager)
        self.imports = Imports(self.exports)
        self.extractors = Extractors(platform, self.exports)
        self.netbatch = NetBatch(platform, nodes, self.run_macro)

    def start(self) -> "CatalogSyncServicer":
        self.extractors.start()
        self.netbatch.start()
        return self

    def close(self) -> None:
        self.netbatch.close()
        self.extractors.close()

    # -- export ---------------------------------------------------------------------------------------------------
    @_rpc
    def ExportCatalog(self, request: cs.ExportCatalogRequest, context: Any) -> cs.ExportCatalogResponse:  # noqa: N802
        return cs.ExportCatalogResponse(runs=self.exports.export(request))

    @_rpc
    def GetExportStatus(self, request, context):  # noqa: N802
        return self.export_status(request.data_store_id)

    def export_status(self, store_id: str) -> cs.GetExportStatusResponse:
        store = self.exports.store(store_id)
        st = self.exports.state(store.id)
        pending = self.exports.domain.ListPendingExports(bb.ListPendingExportsRequest(data_store_id=store.id,
                                                                                     limit=3))
        resp = cs.GetExportStatusResponse(
            data_store_id=store.id, pending_count=pending.total,
            exports_enabled=store.domain_access == bb.DOMAIN_ACCESS_PRIMARY and bool(
                store.export_config.export_destination.strip()),
            disk_files_allowed=store.export_config.include_disk_files)
        for entry in pending.entries:
            resp.oldest_pending.add(label=entry.label, time=entry.unload_time if entry.HasField("unload_time")
                                    else entry.first_pending_time)
        if st.HasField("most_recent_exported"):
            resp.most_recent_exported.CopyFrom(st.most_recent_exported)
        if st.HasField("latest_full_export"):
            resp.latest_full_export.CopyFrom(_info(st.latest_full_export))
        if st.HasField("latest_export"):
            latest = self.exports.reconcile(st.latest_export, self.exports.process(st.latest_export.process))
            resp.latest_export.CopyFrom(_info(latest))
        if pending.total:
            retry = self.extractors.next_retry(store)
            if retry is not None:
                resp.next_retry_time.FromDatetime(retry)
        offset = self._offset()
        resp.lines.extend(status_lines(resp, self.domain_id, offset))
        return resp

    def _offset(self) -> int:
        return utc_offset(self.exports.guardian.GetNodeInfo(guardian_pb2.GetNodeInfoRequest()))

    # -- import -----------------------------------------------------------------------------------------------
    @_rpc
    def ImportCatalog(self, request: cs.ImportCatalogRequest, context: Any) -> cs.ImportCatalogResponse:  # noqa: N802
        return cs.ImportCatalogResponse(runs=self.imports.import_(request))

    def _secondary(self, store_id: str, alias: int) -> bb.DataStore:
        store = self.imports.store(store_id, alias)
        if store.domain_access != bb.DOMAIN_ACCESS_SECONDARY:
            raise RequestError(grpc.StatusCode.FAILED_PRECONDITION, f"data store {store.id} is not a SECONDARY data"
                               " store: the Import Status page and Check Against Primary Configuration are for"
                               " SECONDARY stores (R38); its exports are on the Export Status page")
        return store

    @_rpc
    def GetImportStatus(self, request, context):  # noqa: N802
        return self.import_status(request.data_store_id, request.store_id_alias)

    def import_status(self, store_id: str, alias: int = 0) -> cs.GetImportStatusResponse:
        store = self._secondary(store_id, alias)
        st = self.imports.state(store.id)
        source = store.import_config.import_source.strip().upper()
        resp = cs.GetImportStatusResponse(data_store_id=store.id, next_update_reimports_all=st.reimport_all)
        if st.HasField("most_recent_imported"):
            resp.most_recent_imported.CopyFrom(st.most_recent_imported)
        resp.available.staging_subvolume = source
        if source:
            self._available(resp, st, source)
        if st.HasField("latest_full_import"):
            resp.latest_full_import.CopyFrom(_import_info(st.latest_full_import))
        if st.HasField("latest_import"):
            latest = self.imports.reconcile(st.latest_import, self.exports.process(st.latest_import.process))
            resp.latest_import.CopyFrom(_import_info(latest))
        resp.lines.extend(rpt.import_status_lines(resp, self.domain_id, self._offset()))
        return resp

    def _available(self, resp: cs.GetImportStatusResponse, st: Any, source: str) -> None:
        """Available Catalog Information to Import: the per-volume files of the staging subvolume."""
        guardian = self.exports.guardian
        try:
            files = [f for f in guardian.ListFiles(guardian_pb2.ListFilesRequest(
                subvolume=source, pattern=f"{staging.VOLUME_PREFIX}*")).files if staging.label_of(f.name)]
        except grpc.RpcError:
            return  # the staging subvolume is out of reach: the page shows what it knows
        resp.available.total_volume_files = len(files)
        resp.available.received_after_last_import = sum(1 for f in files if st.reimport_all or received_since(
            st, source, f))
        if files:
            resp.available.latest_received_time.CopyFrom(max((f.modified for f in files),
                                                             key=lambda t: (t.seconds, t.nanos)))
        try:
            summary = read_summary(guardian, source)
        except (PlatformError, staging.StagingError):
            return
        if summary is not None:
            resp.check_against_primary_available = True
            resp.available.latest_export_id, resp.available.latest_export_type = summary.export_id, summary.type

    @_rpc
    def CheckAgainstPrimary(self, request, context):  # noqa: N802
        store = self._secondary(request.data_store_id, request.store_id_alias)
        source = store.import_config.import_source.strip().upper()
        if not source:
            raise RequestError(grpc.StatusCode.FAILED_PRECONDITION, f"data store {store.id} has no Import Source:"
                               " set it in its Catalog Sync Import configuration (R48)")
        try:
            summary = read_summary(self.exports.guardian, source)
        except staging.StagingError as exc:
            raise RequestError(grpc.StatusCode.FAILED_PRECONDITION, f"the summary file of {source} cannot be used"
                               f" ({exc.reason}): {exc.detail}") from None
        if summary is None:
            raise RequestError(grpc.StatusCode.FAILED_PRECONDITION, f"{source} holds no summary file yet: the"
                               " comparison needs a first export from the primary (Export Full Catalog there)")
        groups = list(self.exports.domain.ListVolumeGroups(bb.ListVolumeGroupsRequest(
            data_store_id=store.id)).volume_groups)
        v = validate(self.platform, self.domain_id, self.manager, store, groups, summary)
        resp = cs.CheckAgainstPrimaryResponse(data_store_id=store.id, primary_data_store_id=v.primary_data_store_id,
                                              export_id=summary.export_id, rows=v.rows, problems=v.problems,
                                              fatal=v.fatal)
        resp.lines.extend(v.lines())
        if v.fatal:
            resp.lines.append(v.fatal_message())
        return resp

    # -- macros -----------------------------------------------------------------------------------------------
    @_rpc
    def RunMacro(self, request, context):  # noqa: N802
        return self.run_macro(request)

    def run_macro(self, request: cs.RunMacroRequest) -> cs.RunMacroResponse:
        """TACL text with BB026 / BB027 calls: every call runs, in order; the first error is the answer's."""
        trigger = request.trigger or cs.TRIGGER_MACRO
        resp = cs.RunMacroResponse(ok=True)
        try:
            calls = macros.parse_macros(request.text)
        except macros.MacroError as exc:
            resp.ok, resp.error_message = False, str(exc)
            resp.output.append(f"** {exc}")
            return resp
        resp.calls.extend(calls)
        node = request.node.strip().upper()
        if node and node not in self.netbatch.nodes:
            self._macro_error(resp, f"node {node} is not a node of domain {self.domain_id}: BB026 runs on"
                                    f" {', '.join(sorted(self.netbatch.nodes))}")
            return resp
        for call in calls:
            importing = call.kind == cs.MACRO_KIND_IMPORT_CATALOG
            name = "BB027_IMPORT_CATALOG" if importing else "BB026_EXPORT_CATALOG"
            fields = dict(data_store_id=call.resolved_store_id, type=call.type, catalog_files=call.catalog_files,
                          trigger=trigger, wait=request.wait, user=request.user or "SUPER.SUPER", node=request.node)
            try:
                runs = (self.imports.import_(cs.ImportCatalogRequest(**fields)) if importing
                        else self.exports.export(cs.ExportCatalogRequest(**fields)))
            except RequestError as exc:
                self._macro_error(resp, f"{name}: {exc}")
                continue
            (resp.import_runs if importing else resp.export_runs).extend(runs)
            if not runs:
                role, verb = ("SECONDARY", "import") if importing else ("PRIMARY", "export")
                resp.output.append(f"{name}: domain {self.domain_id} has no {role} data store: nothing to {verb}")
            for run in runs:
                resp.output.append(_run_line(name, run, "import" if importing else "export"))
                if run.status == cs.PROCESS_STATUS_REJECTED:
                    self._macro_error(resp, f"{name}: data store {run.data_store_id}: {run.reason}", echo=False)
        return resp

    @staticmethod
    def _macro_error(resp: cs.RunMacroResponse, text: str, *, echo: bool = True) -> None:
        if resp.ok:
            resp.ok, resp.error_message = False, text
        if echo:
            resp.output.append(f"** {text}")

    # -- reports ----------------------------------------------------------------------------------------------
    @_rpc
    def GetReport(self, request, context):  # noqa: N802
        kinds = [request.kind] if request.kind else [cs.PROCESS_KIND_IMPORT, cs.PROCESS_KIND_EXPORT]
        if request.data_store_id:
            store = self.exports.store(request.data_store_id)
            kind = request.kind or (cs.PROCESS_KIND_IMPORT if store.domain_access == bb.DOMAIN_ACCESS_SECONDARY
                                    else cs.PROCESS_KIND_EXPORT)
            st, latest, what = self._history(kind, store.id)
            if not st.HasField(latest):
                raise RequestError(grpc.StatusCode.NOT_FOUND, f"data store {store.id} has no {what} report yet: run"
                                   f" an {what} first")
            return self._report_of(kind, getattr(st, latest))
        if not request.process.strip():
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "name a process (\\INSIDX.$X66X) or a data store")
        name = request.process.strip().upper()
        for kind in kinds:
            run = self._recorded_run(kind, name)
            if run is not None:
                return self._report_of(kind, run)
        what = {cs.PROCESS_KIND_EXPORT: "export ", cs.PROCESS_KIND_IMPORT: "import "}.get(request.kind, "")
        page = {cs.PROCESS_KIND_EXPORT: "GetExportStatus", cs.PROCESS_KIND_IMPORT: "GetImportStatus"}.get(
            request.kind, "GetExportStatus / GetImportStatus")
        raise RequestError(grpc.StatusCode.NOT_FOUND, f"no {what}process {name} is recorded in domain"
                           f" {self.domain_id}: {page} names the latest ones")

    def _history(self, kind: int, store_id: str) -> tuple[Any, str, str]:
        """(the store's state, the field of its latest run, the word) for exports or imports."""
        if kind == cs.PROCESS_KIND_IMPORT:
            return self.imports.state(store_id), "latest_import", "import"
        return self.exports.state(store_id), "latest_export", "export"

    def _recorded_run(self, kind: int, process: str) -> Any:
        """The latest or a recent run of `process` among the stores the kind serves; None when not recorded."""
        access = bb.DOMAIN_ACCESS_SECONDARY if kind == cs.PROCESS_KIND_IMPORT else bb.DOMAIN_ACCESS_PRIMARY
        for store in self.exports.domain.ListDataStores(bb.ListDataStoresRequest(domain_access=access)).data_stores:
            st, latest, _ = self._history(kind, store.id)
            for run in (getattr(st, latest), *st.recent_runs):
                if run.process == process:
                    return run
        return None

    def _report_of(self, kind: int, run: Any) -> cs.GetReportResponse:
        out = cs.GetReportResponse(process=run.process, report_location=run.report_location)
        if run.HasField("report"):
            getattr(out, "import_report" if kind == cs.PROCESS_KIND_IMPORT else "export_report").CopyFrom(run.report)
            out.lines.extend(run.report.lines)
        else:
            out.lines.extend(self._spooled(run))
        return out

    def _spooled(self, run: Any) -> list[str]:
        """The report lines of an older run, from the spooler (its structure is kept for the latest run only)."""
        listed = self.exports.guardian.ListReports(guardian_pb2.ListReportsRequest(location=run.report_location))
        for r in reversed(listed.reports):
            if r.process == run.process:
                got = self.exports.guardian.ReadReport(guardian_pb2.ReadReportRequest(location=r.location,
                                                                                      report_id=r.report_id))
                return list(got.report.lines)
        return []

    # -- jobs -------------------------------------------------------------------------------------------------
    @_rpc
    def ScheduleJob(self, request, context):  # noqa: N802
        return self.netbatch.schedule(request)

    @_rpc
    def ListJobs(self, request, context):  # noqa: N802
        return cs.ListJobsResponse(jobs=self.netbatch.list(request.node))

    @_rpc
    def DeleteJob(self, request, context):  # noqa: N802
        return cs.DeleteJobResponse(job=self.netbatch.delete(request.node, request.job_number))

    # -- extractors -------------------------------------------------------------------------------------------
    @_rpc
    def ListExtractors(self, request, context):  # noqa: N802
        return cs.ListExtractorsResponse(extractors=self.extractors.list())

    @_rpc
    def SetExtractor(self, request, context):  # noqa: N802
        return cs.SetExtractorResponse(extractor=self.extractors.set_running(request.node, request.running))


def _info(run: cs.ExportRun) -> cs.ExportProcessInfo:
    return cs.ExportProcessInfo(
        export_id=run.export_id, process=run.process, type=run.type, status=run.status, start_time=run.start_time,
        end_time=run.end_time, report_location=run.report_location, volumes_processed=run.volumes_processed,
        destination=run.destination, trigger=run.trigger, catalog_files=run.catalog_files, reason=run.reason,
        volume_errors=run.volume_errors)


def _import_info(run: cs.ImportRun) -> cs.ImportProcessInfo:
    return cs.ImportProcessInfo(
        staging_subvolume=run.staging_subvolume, export_id=run.export_id, process=run.process, type=run.type,
        status=run.status, start_time=run.start_time, end_time=run.end_time, report_location=run.report_location,
        volumes_processed=run.volumes_processed, trigger=run.trigger, volume_errors=run.volume_errors,
        reason=run.reason, catalog_files=run.catalog_files)


def _run_line(name: str, run: Any, what: str = "export") -> str:
    """The TACL line of one export or import run started by a macro."""
    if run.status == cs.PROCESS_STATUS_REJECTED:
        return f"** {name}: data store {run.data_store_id} rejected ({run.rule}): {run.reason}"
    kind = rpt.type_word(run.type)
    if run.status == cs.PROCESS_STATUS_RUNNING:
        return f"{name}: {kind} {what} process {run.process} started for data store {run.data_store_id}"
    word = cs.ProcessStatus.Name(run.status).removeprefix("PROCESS_STATUS_")
    extra = f": {run.reason}" if run.reason else ""
    return (f"{name}: {kind} {what} process {run.process} of data store {run.data_store_id} {word}"
            f" ({run.volumes_processed} volumes processed){extra}")


def _when(ts: Any, offset: int) -> str:
    return rpt.local(ts, offset).strftime("%Y-%m-%d %H:%M:%S")


def status_lines(status: cs.GetExportStatusResponse, domain_id: str, offset: int) -> list[str]:
    """The Export Status page as text (field names of the page; times in the domain manager node's clock)."""
    lines = [f"Export Status of data store {status.data_store_id} (domain {domain_id})", ""]
    if not status.exports_enabled:
        lines += ["Exports are off: no Export Destination, or the store is not PRIMARY (R31)", ""]
    lines.append("The Most Recently Written Volume Exported")
    if status.HasField("most_recent_exported"):
        m = status.most_recent_exported
        lines.append(f"  Volume {m.label} (Unloaded on {_when(m.time, offset)})")
    else:
        lines.append("  (none yet)")
    lines += ["", f"Pending Volumes to Export: {status.pending_count}"]
    if status.oldest_pending:
        lines.append(f"  {'Volume':<8}Unload Time")
        lines += [f"  {p.label:<8}{_when(p.time, offset)}" for p in status.oldest_pending]
    if status.HasField("next_retry_time"):
        lines.append(f"  Next check by the EMS extractor: {_when(status.next_retry_time, offset)}")
    for title, info, full in (("Latest Completed Full Export", status.latest_full_export, True),
                              ("Latest Export Process", status.latest_export, False)):
        lines += ["", title]
        if not info.process:
            lines.append("  (none yet)")
            continue
        lines += [f"  Export Id: {info.export_id}", f"  Export Process: {info.process}"]
        if not full:
            lines.append(f"  Export Type: {rpt.type_word(info.type)}")
        word = cs.ProcessStatus.Name(info.status).removeprefix("PROCESS_STATUS_")
        lines += [f"  {'Export Status' if full else 'Process Status'}: {word}",
                  f"  Start Time: {_when(info.start_time, offset)}", f"  Report: {info.report_location}",
                  f"  Number of {'Exported Volumes' if full else 'Volumes Processed'}: {info.volumes_processed}",
                  f"  Export Written To: {info.destination}"]
        if info.reason and not full:
            lines.append(f"  Reason: {info.reason}")
    return lines


class CatalogSyncServer:
    """The gRPC server of one domain's CatalogSync service."""

    def __init__(self, servicer: CatalogSyncServicer, address: str = "127.0.0.1:0"):
        self.servicer = servicer
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="catsync"),
                                   options=[*CHANNEL_OPTIONS, ("grpc.so_reuseport", 0)])
        catalog_sync_pb2_grpc.add_CatalogSyncServicer_to_server(servicer, self._server)
        self.health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self._server)
        reflection.enable_server_reflection((SERVICE, health.SERVICE_NAME, reflection.SERVICE_NAME), self._server)
        port = self._server.add_insecure_port(address)
        if port == 0:
            raise CatsyncError(f"could not bind {address}: choose another address or port 0")
        self.address = f"{address.rsplit(':', 1)[0]}:{port}"

    def start(self) -> "CatalogSyncServer":
        self._server.start()
        for name in ("", SERVICE):
            self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        return self

    def stop(self) -> None:
        self.health.enter_graceful_shutdown()
        self.servicer.close()
        self._server.stop(0.5).wait(5)
        self.servicer.platform.close()


def install(platform: Platform, manager: str) -> None:
    """Deploy the programs on the domain manager node and subscribe the export to the domain's triggers (R27)."""
    guardian, domain = platform.guardian(manager), platform.domain(manager)
    for name, entry, description in PROGRAMS:
        guardian.DeployProgram(guardian_pb2.DeployProgramRequest(program=guardian_pb2.Program(
            name=name, entry_point=entry, description=description)))
    subs = domain.ListEventSubscriptions(bb.ListEventSubscriptionsRequest()).subscriptions
    if not any(s.id == SUBSCRIPTION_ID for s in subs):
        domain.AddEventSubscription(bb.AddEventSubscriptionRequest(subscription=bb.EventSubscription(
            id=SUBSCRIPTION_ID, program="BBCSEXP", node=manager, export_triggers_only=True,
            single_per_data_store=True, startup_text=Param("{data_store_id}", trigger=cs.TRIGGER_AUTOMATIC,
                                                           user="").text())))


def serve_catalog_sync(domain_id: str, manager: str, endpoints: Iterable[common_pb2.Endpoint],
                       address: str = "127.0.0.1:0") -> CatalogSyncServer:
    """Install the option on the domain and start its CatalogSync service."""
    platform = Platform(endpoints, manager)
    install(platform, manager)
    nodes = {n.name.upper(): state.install_of(n)
             for n in platform.domain(manager).ListNskNodes(bb.ListNskNodesRequest()).nodes}
    servicer = CatalogSyncServicer(domain_id, manager, platform, nodes).start()
    return CatalogSyncServer(servicer, address).start()
