"""Starting export processes for requests — the UI buttons, BB026, NetBatch jobs, the EMS extractor — and
reading back how they ended (R1, R17, R18, R25, R31, R34).

A request refused by a rule is not an RPC error: each data store gets an `ExportRun` with status REJECTED, the
rule and the reason, so `STOREID ALL` answers store by store.
"""

from __future__ import annotations

from typing import Any

import grpc

from catsync import CatsyncError, rules, staging, state
from catsync.macros import resolve_store_id
from catsync.platform import Platform, failure
from catsync.process import Param
from catsync.v1 import catalog_sync_pb2 as cs, state_pb2
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2

WAIT_SECONDS = 600.0


class RequestError(CatsyncError):
    """A malformed request or an unknown store: an RPC error with this status."""

    def __init__(self, code: grpc.StatusCode, message: str):
        self.code = code
        super().__init__(message)


class _Processes:
    """Waiting for a started process and reading back how it ended (exports and imports alike)."""

    guardian: Any

    def result(self, store_id: str, process: str) -> Any:
        raise NotImplementedError

    def wait(self, run: Any, timeout: float = WAIT_SECONDS) -> Any:
        self.guardian.WaitProcess(guardian_pb2.WaitProcessRequest(name=run.process, timeout_seconds=timeout),
                                  timeout=timeout + 5)
        return self.result(run.data_store_id, run.process) or run


def _stored_run(latest: Any, recent: Any, process: str) -> Any:
    """A copy of the state's record of `process`: its latest run, else one of its recent runs; None."""
    if latest.process == process:
        run = type(latest)()
        run.CopyFrom(latest)
        return run
    return next((r for r in reversed(recent) if r.process == process), None)


class Exports(_Processes):
    """Export processes of one domain, started on its domain manager node."""

    def __init__(self, platform: Platform, domain_id: str, manager: str):
        self.platform, self.domain_id, self.manager = platform, domain_id, manager.upper()
        self.domain = platform.domain(self.manager)
        self.guardian = platform.guardian(self.manager)
        self._install = ""

    @property
    def install(self) -> str:
        if not self._install:
            self._install = state.install_subvolume(self.domain, self.manager)
        return self._install

    # -- stores -----------------------------------------------------------------------------------------------
    def store(self, store_id: str) -> bb.DataStore:
        try:
            return self.domain.GetDataStore(bb.GetDataStoreRequest(id=store_id.strip().upper())).data_store
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                known = ", ".join(s.id for s in self.domain.ListDataStores(bb.ListDataStoresRequest()).data_stores)
                raise RequestError(grpc.StatusCode.NOT_FOUND, f"data store {store_id.strip().upper()} does not exist"
                                   f" in domain {self.domain_id}: its data stores are {known or 'none'}") from None
            raise failure(exc, f"data store {store_id}") from None

    def stores(self, store_id: str, access: int) -> list[bb.DataStore]:
        """`ALL` = every store of that domain access (R34), else the one store."""
        if not store_id.strip():
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "no data store given: name one (e.g. DS_WIN1_DES)"
                               " or ALL")
        if store_id.strip().upper() == "ALL":
            return list(self.domain.ListDataStores(bb.ListDataStoresRequest(domain_access=access)).data_stores)
        return [self.store(store_id)]

    # -- starting ---------------------------------------------------------------------------------------------
    def export(self, request: cs.ExportCatalogRequest) -> list[cs.ExportRun]:
        if request.type not in (cs.SYNC_TYPE_UNSPECIFIED, cs.SYNC_TYPE_FULL, cs.SYNC_TYPE_UPDATE):
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"export type {request.type} is not FULL or UPDATE")
        trigger = request.trigger or cs.TRIGGER_UI
        runs = []
        for store in self.stores(request.data_store_id, bb.DOMAIN_ACCESS_PRIMARY):
            param = Param(store.id, request.type or cs.SYNC_TYPE_UPDATE, request.catalog_files, trigger,
                          request.user or "SUPER.SUPER", request.extractor_process)
            runs.append(self.start(store, param))
        if request.wait:
            runs = [self.wait(r) if r.process else r for r in runs]
        return runs

    def start(self, store: bb.DataStore, param: Param) -> cs.ExportRun:
        """Start BBCSEXP for `store` unless a rule refuses it now; the run says which (REJECTED) or names the
        process (RUNNING), started at the store's Process Priority (R32: 0 = inherit)."""
        run = cs.ExportRun(data_store_id=store.id, requested_type=param.type, type=param.type, trigger=param.trigger,
                           destination=store.export_config.export_destination.upper(),
                           report_location=store.export_config.report_location.upper())
        refusal = rules.export_refusal(self.domain, self.guardian, store, param.trigger)
        if refusal is not None:
            run.status, run.rule, run.reason = cs.PROCESS_STATUS_REJECTED, refusal[0], refusal[1]
            return run
        started = self.guardian.StartProcess(guardian_pb2.StartProcessRequest(
            program=rules.EXPORT_PROGRAM, param=param.text(), priority=store.export_config.priority))
        run.process, run.status = started.process.name, cs.PROCESS_STATUS_RUNNING
        run.start_time.CopyFrom(started.process.started)
        return run

    # -- results ----------------------------------------------------------------------------------------------
    def state(self, store_id: str) -> state_pb2.ExportStoreState:
        name = state.export_state_file(self.install, store_id)
        found = state.read(self.guardian, name, staging.KIND_EXPORT_STATE, state_pb2.ExportStoreState)
        return found if found is not None else state_pb2.ExportStoreState(data_store_id=store_id)

    def result(self, store_id: str, process: str) -> cs.ExportRun | None:
        """How process `process` ended (or how it stands), from the store's state and the process record."""
        st = self.state(store_id)
        run = _stored_run(st.latest_export, st.recent_runs, process)
        info = self.process(process)
        if run is None:
            if info is None:
                return None
            run = cs.ExportRun(data_store_id=store_id, process=process, start_time=info.started)
            try:
                p = Param.parse(info.param)
                run.requested_type, run.type, run.trigger = p.type, p.type, p.trigger
            except CatsyncError:
                pass
            run.status = cs.PROCESS_STATUS_RUNNING
        return self.reconcile(run, info)

    def process(self, name: str) -> guardian_pb2.ProcessInfo | None:
        if not name:
            return None
        try:
            return self.guardian.GetProcess(guardian_pb2.GetProcessRequest(name=name)).process
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise

    @staticmethod
    def reconcile(run: cs.ExportRun, info: guardian_pb2.ProcessInfo | None) -> cs.ExportRun:
        """A run its state still calls RUNNING whose process has ended (killed, node crash) FAILED."""
        return _reconcile(run, info, "export", "exporting (another export ran, or the store did not allow it)",
                          "volumes not written stay pending for the next export")

class Imports(_Processes):
    """Import processes of one domain's SECONDARY stores, started on its domain manager node — only on request
    (R29): the UI buttons, BB027, NetBatch jobs."""

    REQUEST_TRIGGERS = (cs.TRIGGER_UNSPECIFIED, cs.TRIGGER_UI, cs.TRIGGER_MACRO, cs.TRIGGER_NETBATCH)

    def __init__(self, exports: Exports):
        self.exports = exports
        self.domain, self.guardian = exports.domain, exports.guardian

    def store(self, store_id: str, alias: int = 0) -> bb.DataStore:
        return self.exports.store(resolve_store_id(store_id.strip(), alias))

    def import_(self, request: cs.ImportCatalogRequest) -> list[cs.ImportRun]:
        if request.type not in (cs.SYNC_TYPE_UNSPECIFIED, cs.SYNC_TYPE_FULL, cs.SYNC_TYPE_UPDATE):
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"import type {request.type} is not FULL or UPDATE")
        if request.store_id_alias not in (0, 1, 2):
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"STOREID_ALIAS {request.store_id_alias} is not 0, 1"
                               " or 2 (1 turns _ into spaces, 2 turns + into spaces)")
        if request.catalog_files not in (cs.CATALOG_FILES_OPTION_UNSPECIFIED, cs.CATALOG_FILES_OPTION_YES,
                                         cs.CATALOG_FILES_OPTION_NO):
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"CATALOGFILES {request.catalog_files} is not YES or"
                               " NO")
        trigger = request.trigger or cs.TRIGGER_UI
        if trigger not in self.REQUEST_TRIGGERS:                                     # R29
            raise RequestError(grpc.StatusCode.FAILED_PRECONDITION, "an import is never started by the platform"
                               " itself (R29): start it from the Import Status page, BB027_IMPORT_CATALOG or a"
                               " NetBatch job")
        store_id = resolve_store_id(request.data_store_id.strip(), request.store_id_alias)
        runs = []
        for store in self.exports.stores(store_id, bb.DOMAIN_ACCESS_SECONDARY):
            param = Param(store.id, request.type or cs.SYNC_TYPE_UPDATE, request.catalog_files, trigger,
                          request.user or "SUPER.SUPER")
            runs.append(self.start(store, param))
        if request.wait:
            runs = [self.wait(r) if r.process else r for r in runs]
        return runs

    def start(self, store: bb.DataStore, param: Param) -> cs.ImportRun:
        """Start BBCSIMP for `store` unless a rule refuses it now (R1, R17, R18, R48, R25), at the store's import
        Process Priority (R32: 0 = inherit)."""
        ic = store.import_config
        run = cs.ImportRun(data_store_id=store.id, type=param.type, trigger=param.trigger,
                           primary_data_store_id=(store.primary_data_store_id or store.id).upper(),
                           catalog_files=param.catalog_files != cs.CATALOG_FILES_OPTION_NO,
                           staging_subvolume=ic.import_source.upper(),
                           report_location=(ic.report_location.strip() or "$S.#CSIMP").upper())
        refusal = rules.import_refusal(self.domain, self.guardian, store, param.trigger)
        if refusal is not None:
            run.status, run.rule, run.reason = cs.PROCESS_STATUS_REJECTED, refusal[0], refusal[1]
            return run
        started = self.guardian.StartProcess(guardian_pb2.StartProcessRequest(
            program=rules.IMPORT_PROGRAM, param=param.text(), priority=ic.priority))
        run.process, run.status = started.process.name, cs.PROCESS_STATUS_RUNNING
        run.start_time.CopyFrom(started.process.started)
        return run

    def state(self, store_id: str) -> state_pb2.ImportStoreState:
        name = state.import_state_file(self.exports.install, store_id)
        found = state.read(self.guardian, name, staging.KIND_IMPORT_STATE, state_pb2.ImportStoreState)
        return found if found is not None else state_pb2.ImportStoreState(data_store_id=store_id)

    def result(self, store_id: str, process: str) -> cs.ImportRun | None:
        st = self.state(store_id)
        run = _stored_run(st.latest_import, st.recent_runs, process)
        info = self.exports.process(process)
        if run is None:
            if info is None:
                return None
            run = cs.ImportRun(data_store_id=store_id, process=process, start_time=info.started,
                               status=cs.PROCESS_STATUS_RUNNING)
        return self.reconcile(run, info)

    @staticmethod
    def reconcile(run: cs.ImportRun, info: guardian_pb2.ProcessInfo | None) -> cs.ImportRun:
        """A run its state still calls RUNNING whose process has ended (killed, node crash) FAILED."""
        return _reconcile(run, info, "import", "importing (another export or import of the store ran, or it was"
                          " refused)", "the volumes it committed stay, the next import finishes the rest")


def _reconcile(run: Any, info: guardian_pb2.ProcessInfo | None, what: str, quiet: str, after: str) -> Any:
    ended = info is not None and info.state in (guardian_pb2.PROCESS_STATE_STOPPED,
                                                guardian_pb2.PROCESS_STATE_ABENDED)
    if run.status == cs.PROCESS_STATUS_RUNNING and ended:
        assert info is not None
        run.status = cs.PROCESS_STATUS_FAILED
        why = info.termination_text or f"completion code {info.completion_code}"
        if info.state == guardian_pb2.PROCESS_STATE_STOPPED and info.completion_code == 0 \
                and not info.termination_text:
            why = f"ended without {quiet}"
        run.reason = f"process {info.name} ended before completing the {what} ({why}); {after}"
        if info.HasField("ended"):
            run.end_time.CopyFrom(info.ended)
    return run
