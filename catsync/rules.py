"""The rules an export or an import must pass before it runs, in one place for the service (before it starts a
process) and for the process itself (which re-checks: the domain starts exports on events without asking the
service, and a queued process may find the situation changed).

- R1 / R17 / R18: the domain's access decision for the store, operation and origin;
- R31: an Export Destination, without which exports are off; R48: an Import Source, without which there is
  nothing to import;
- R25: no other export or import process of the store waiting or running on the domain manager node.
"""

from __future__ import annotations

from typing import Any

from catsync import CatsyncError
from catsync.process import Param
from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2

EXPORT_PROGRAM = "BBCSEXP"
EXPORT_PROGRAMS = (EXPORT_PROGRAM,)
IMPORT_PROGRAM = "BBCSIMP"
IMPORT_PROGRAMS = (IMPORT_PROGRAM,)
# the origin the domain's access matrix knows for each trigger (a macro counts as automatic, R18)
ORIGIN = {cs.TRIGGER_UNSPECIFIED: bb.OPERATION_ORIGIN_UI, cs.TRIGGER_UI: bb.OPERATION_ORIGIN_UI,
          cs.TRIGGER_MACRO: bb.OPERATION_ORIGIN_MACRO, cs.TRIGGER_NETBATCH: bb.OPERATION_ORIGIN_MACRO,
          cs.TRIGGER_AUTOMATIC: bb.OPERATION_ORIGIN_AUTOMATIC, cs.TRIGGER_EXTRACTOR_RETRY: bb.OPERATION_ORIGIN_AUTOMATIC}
AUTOMATIC = (cs.TRIGGER_AUTOMATIC, cs.TRIGGER_EXTRACTOR_RETRY)


def store_processes(guardian: Any, store_id: str) -> list[guardian_pb2.ProcessInfo]:
    """Export and import processes of the store waiting or running on the node, oldest first (R25)."""
    found = []
    for program in (*EXPORT_PROGRAMS, *IMPORT_PROGRAMS):
        listed = guardian.ListProcesses(guardian_pb2.ListProcessesRequest(program=program, running_only=True))
        for p in listed.processes:
            try:
                if Param.parse(p.param).store_id.upper() == store_id.upper():
                    found.append(p)
            except CatsyncError:
                continue  # a process started by hand with another PARAM is not ours to count
    return sorted(found, key=lambda p: (p.started.ToDatetime(), p.pin))


def export_refusal(domain: Any, guardian: Any, store: bb.DataStore, trigger: int,
                   me: str = "") -> tuple[str, str] | None:
    """(rule, reason naming the fix) when an export of `store` may not run now; None when it may. `me` is the
    asking process: only processes started before it count against it, so of two started together the older
    runs and the newer defers."""
    decision = domain.CheckAccess(bb.CheckAccessRequest(
        data_store_id=store.id, operation=bb.DATA_STORE_OPERATION_EXPORT,
        origin=ORIGIN.get(trigger, bb.OPERATION_ORIGIN_UI))).decision   # R1, R17, R18
    if not decision.allowed:
        return decision.rule, decision.reason
    if not store.export_config.export_destination.strip():                # R31
        return "R31", (f"data store {store.id} has no Export Destination, so exports are off: set it to the"
                       " staging subvolume on the secondary node (e.g. \\ETINIUM.$DATA15.E5CATSYN)")
    if trigger == cs.TRIGGER_AUTOMATIC and not extractor_running(domain, guardian):   # R28
        return "R28", (f"every EMS extractor of the domain is stopped, so the automatic export of {store.id} does"
                       " not run: its volumes stay pending; start an extractor, or use Export Catalog Updates on"
                       " the Export Status page")
    return _busy(guardian, store, me, "Export Status")


def extractor_running(domain: Any, guardian: Any) -> bool:
    """Whether any node of the domain has a running EMS extractor (its saved state says not stopped). The
    automatic exports come from the extractors' reading of the unload events: with every extractor stopped
    there are none (R28). A node that cannot be read (down) runs no extractor."""
    from catsync import staging, state  # noqa: PLC0415 - state imports this module's neighbours
    from catsync.platform import PlatformError  # noqa: PLC0415
    from catsync.v1 import state_pb2  # noqa: PLC0415

    for node in domain.ListNskNodes(bb.ListNskNodesRequest()).nodes:
        name = f"{node.name}.{state.install_of(node)}.{state.EXTRACTOR_FILE}"
        try:
            saved = state.read_or_new(guardian, name, staging.KIND_EXTRACTOR_STATE, state_pb2.ExtractorState)
        except PlatformError:
            continue
        if not saved.stopped:
            return True
    return False


def import_refusal(domain: Any, guardian: Any, store: bb.DataStore, trigger: int,
                   me: str = "") -> tuple[str, str] | None:
    """As `export_refusal`, for an import of a SECONDARY store (R1, R17, R18, R48, R25). Imports are never
    automatic (R29)."""
    if trigger in AUTOMATIC or trigger not in ORIGIN:                     # R29
        return "R29", ("an import is never started by the platform itself: start it from the Import Status page,"
                       " BB027_IMPORT_CATALOG or a NetBatch job")
    decision = domain.CheckAccess(bb.CheckAccessRequest(
        data_store_id=store.id, operation=bb.DATA_STORE_OPERATION_IMPORT,
        origin=ORIGIN.get(trigger, bb.OPERATION_ORIGIN_UI))).decision   # R1, R17, R18
    if not decision.allowed:
        return decision.rule, decision.reason
    if not store.import_config.import_source.strip():                      # R48
        return "R48", (f"data store {store.id} has no Import Source: set it to the staging subvolume the primary"
                       " exports to (e.g. \\ETINIUM.$DATA15.E5CATSYN) in its Catalog Sync Import configuration")
    return _busy(guardian, store, me, "Import Status")


def _busy(guardian: Any, store: bb.DataStore, me: str, page: str) -> tuple[str, str] | None:
    live = store_processes(guardian, store.id)                                   # R25
    mine = next((n for n, p in enumerate(live) if p.name == me), len(live))
    others = live[:mine]   # a process defers to the ones started before it, never to a newer one
    if others:
        kind = "import" if others[0].program in IMPORT_PROGRAMS else "export"
        return "R25", (f"{kind} process {others[0].name} is still running for data store {store.id}: one export or"
                       f" import per data store at a time; wait for it to end ({page} page) and retry")
    return None
