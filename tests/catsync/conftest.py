"""Fixtures and helpers for the Catalog Sync tests: the two-site topology of tests/backbox (E501NEW on \\INSIDX with
DS_WIN1_DES exporting to \\ETINIUM.$DATA15.E5CATSYN, YINE500 on \\ETINIUM), started in-process with the
CatalogSync service of each domain, plus readers of the staging area and of the primary's catalogs so a test can
say "the staging area holds exactly the catalogs of the primary"."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from google.protobuf.duration_pb2 import Duration

from catsync import staging
from catsync.v1 import catalog_sync_pb2 as cs, staging_pb2
from emulator.v1 import (backbox_domain_pb2 as bb, clock_pb2, control_pb2, guardian_pb2, link_pb2,
                         media_catalog_pb2 as mc)
from harness.launcher import Topology
from tests.backbox.conftest import make_sites, sites

PRI, SEC = "E501NEW", "YINE500"
NODE, REMOTE = "\\INSIDX", "\\ETINIUM"
STORE = "DS_WIN1_DES"
STAGING = "\\ETINIUM.$DATA15.E5CATSYN"
VOLCAT = "\\INSIDX.QCVOLCAT"
T = 60
ADVANCE_T = 600
FIXTURES = (make_sites, sites)   # the two-site topology fixtures of tests/backbox, shared here


def primary_store(data: dict[str, Any]) -> dict[str, Any]:
    return data["domains"][0]["data_stores"][0]


# -- actions -------------------------------------------------------------------------------------------------------

def export(topo: Topology, store: str = STORE, type_: int = cs.SYNC_TYPE_UPDATE, *, wait: bool = True,
           trigger: int = cs.TRIGGER_UI, catalog_files: int = 0, domain: str = PRI) -> cs.ExportRun:
    runs = topo.catalog_sync(domain).ExportCatalog(cs.ExportCatalogRequest(
        data_store_id=store, type=type_, wait=wait, trigger=trigger, catalog_files=catalog_files), timeout=T).runs
    assert len(runs) == 1
    return runs[0]


def backup(topo: Topology, file_id: str = "E501NEW-OBK11-WIN1", group: str = "VG_WIN1_DES",
           **kw: Any) -> bb.RunBackupResponse:
    kw.setdefault("data_bytes", 200_000)
    kw.setdefault("content_seed", 3)
    return topo.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id=group, file_id=file_id, **kw),
                                      timeout=T)


def advance(topo: Topology, **delta: Any) -> None:
    seconds = int(timedelta(**delta).total_seconds())
    # weeks of virtual time fire thousands of timers (extractor checks, daily expirations): on a loaded machine
    # that takes minutes of wall time, more than one call's usual deadline
    topo.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=seconds)), timeout=ADVANCE_T)


def settle(topo: Topology) -> None:
    """Let processes started so far end (a zero advance settles every node)."""
    advance(topo, seconds=0)


def status(topo: Topology, store: str = STORE) -> cs.GetExportStatusResponse:
    return topo.catalog_sync(PRI).GetExportStatus(cs.GetExportStatusRequest(data_store_id=store), timeout=T)


def pending(topo: Topology, store: str = STORE) -> list[str]:
    resp = topo.domain(PRI).ListPendingExports(bb.ListPendingExportsRequest(data_store_id=store), timeout=T)
    return sorted(e.label for e in resp.entries)


def processes(topo: Topology, program: str = "BBCSEXP") -> list[guardian_pb2.ProcessInfo]:
    return list(topo.guardian(NODE).ListProcesses(guardian_pb2.ListProcessesRequest(program=program),
                                                  timeout=T).processes)


def ems_texts(topo: Topology, node: str = NODE) -> list[str]:
    return [e.text for e in topo.guardian(node).ReadEvents(guardian_pb2.ReadEventsRequest(), timeout=T).events]


def link_down(topo: Topology) -> None:
    topo.link_service().SetLinkFault(link_pb2.SetLinkFaultRequest(
        id=topo.link_id(NODE, REMOTE), fault=link_pb2.LinkFault(down=True)), timeout=T)


def link_heal(topo: Topology) -> None:
    topo.link_service().HealLink(link_pb2.HealLinkRequest(id=topo.link_id(NODE, REMOTE)), timeout=T)


def arm(topo: Topology, name: str, action: int = control_pb2.FAULT_ACTION_KILL_PROCESS, **kw: Any) -> None:
    topo.control_service().ArmFaultPoint(control_pb2.ArmFaultPointRequest(point=control_pb2.FaultPoint(
        name=name, action=action, **kw)), timeout=T)


# -- the staging area and the primary's catalogs -------------------------------------------------------------------

def staging_names(topo: Topology, subvolume: str = STAGING) -> list[str]:
    node, _, sub = subvolume.partition(".")
    files = topo.guardian(node).ListFiles(guardian_pb2.ListFilesRequest(subvolume=sub), timeout=T).files
    return sorted(f.name.rsplit(".", 1)[1] for f in files)


def read_file(topo: Topology, name: str) -> bytes:
    node = name.split(".", 1)[0]
    return b"".join(c.data for c in topo.guardian(node).ReadFile(guardian_pb2.ReadFileRequest(name=name), timeout=T))


def volume_file(topo: Topology, label: str, subvolume: str = STAGING) -> staging_pb2.VolumeExport:
    name = staging.volume_file(subvolume, label)
    return staging.decode_as(read_file(topo, name), staging.KIND_VOLUME, staging_pb2.VolumeExport, name)


def summary(topo: Topology, subvolume: str = STAGING) -> staging_pb2.ExportSummary:
    name = staging.summary_file(subvolume)
    return staging.decode_as(read_file(topo, name), staging.KIND_SUMMARY, staging_pb2.ExportSummary, name)


def primary_volumes(topo: Topology, store: str = STORE) -> list[bb.BackBoxVolume]:
    return list(topo.domain(PRI).ListVolumes(bb.ListVolumesRequest(data_store_id=store), timeout=T).volumes)


def primary_entries(topo: Topology, labels: list[str], volcat: str = VOLCAT) -> dict[str, Any]:
    """label -> (TAPEVOLUME or None, [TAPEFILE], [DISKFILE]) as DSM/TC on the primary holds them."""
    out: dict[str, Any] = {}
    for msg in topo.media_catalog(NODE).ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
            volcat=volcat, volsers=labels, include_disk_files=True), timeout=T):
        entry = out.setdefault(msg.volser, [None, [], []])
        if not msg.continued:
            entry[0] = msg.volume if msg.found else None
            entry[1].extend(msg.files)
        entry[2].extend(msg.disk_files)
    return out


COMPARED_RECORD_FIELDS = ("pending_export",)   # bookkeeping that changes when the export itself clears it


def staging_mismatches(topo: Topology, *, with_disk_files: bool = True, store: str = STORE) -> list[str]:
    """Differences between the staging area and the primary's catalogs for every volume of the store (empty =
    the staging area holds exactly what the primary holds)."""
    problems: list[str] = []
    volumes = primary_volumes(topo, store)
    groups = {g.id: g for g in topo.domain(PRI).ListVolumeGroups(bb.ListVolumeGroupsRequest(data_store_id=store),
                                                                 timeout=T).volume_groups}
    dsmtc = [v.label for v in volumes if groups[v.volume_group_id].tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC]
    entries = primary_entries(topo, dsmtc) if dsmtc else {}
    present = set(staging_names(topo))
    for v in volumes:
        if f"V{v.label}" not in present:
            problems.append(f"{v.label}: no staging file")
            continue
        got = volume_file(topo, v.label)
        want, have = bb.BackBoxVolume(), bb.BackBoxVolume()
        want.CopyFrom(v)
        have.CopyFrom(got.volume)
        for name in COMPARED_RECORD_FIELDS:
            want.ClearField(name)
            have.ClearField(name)
        if want != have:
            problems.append(f"{v.label}: BackBox record differs")
        if v.label in entries:
            tv, files, disks = entries[v.label]
            if (tv is not None) != got.has_tape_volume or (tv is not None and tv != got.tape_volume):
                problems.append(f"{v.label}: TAPEVOLUME differs")
            if list(files) != list(got.tape_files):
                problems.append(f"{v.label}: TAPEFILEs differ")
            wanted_disks = list(disks) if with_disk_files else []
            if wanted_disks != list(got.disk_files):
                problems.append(f"{v.label}: DISKFILEs differ ({len(got.disk_files)} vs {len(wanted_disks)})")
        elif got.has_tape_volume or got.tape_files:
            problems.append(f"{v.label}: DSM/TC entries for a group without DSM/TC catalog")
    return problems


# -- the import side -------------------------------------------------------------------------------------------------

SEC_STORE = "E501_WIN1_SND"
SEC_VOLCAT, SEC_FILECAT = "\\ETINIUM.SHCH409VC", "\\ETINIUM.SHCH409FC"
DSMTC_TABLES = ("dsm_volume", "dsm_tapefile", "dsm_tftov", "dsm_diskfile")
VOLATILE_RECORD_FIELDS = ("change_sequence", "imported_time")   # bookkeeping of when, not of what


def secondary_store(data: dict[str, Any]) -> dict[str, Any]:
    return data["domains"][1]["data_stores"][0]


def import_(topo: Topology, store: str = SEC_STORE, type_: int = cs.SYNC_TYPE_UPDATE, *, wait: bool = True,
            trigger: int = cs.TRIGGER_UI, catalog_files: int = 0, alias: int = 0) -> cs.ImportRun:
    runs = topo.catalog_sync(SEC).ImportCatalog(cs.ImportCatalogRequest(
        data_store_id=store, type=type_, wait=wait, trigger=trigger, catalog_files=catalog_files,
        store_id_alias=alias), timeout=T).runs
    assert len(runs) == 1
    return runs[0]


def import_status(topo: Topology, store: str = SEC_STORE) -> cs.GetImportStatusResponse:
    return topo.catalog_sync(SEC).GetImportStatus(cs.GetImportStatusRequest(data_store_id=store), timeout=T)


def secondary_volumes(topo: Topology, store: str = SEC_STORE) -> list[bb.BackBoxVolume]:
    return list(topo.domain(SEC).ListVolumes(bb.ListVolumesRequest(data_store_id=store), timeout=T).volumes)


def secondary_catalogs(topo: Topology, store: str = SEC_STORE) -> dict[str, Any]:
    """What the secondary knows, comparable between runs: the store's BackBox records (without the bookkeeping
    of when they were written) and every DSM/TC row of \\ETINIUM."""
    records = {}
    for v in secondary_volumes(topo, store):
        rec = bb.BackBoxVolume()
        rec.CopyFrom(v)
        for name in VOLATILE_RECORD_FIELDS:
            rec.ClearField(name)
        records[v.label] = rec.SerializeToString(deterministic=True)
    dumped = json.loads(topo.control_service().DumpState(control_pb2.DumpStateRequest(nodes=[REMOTE]),
                                                         timeout=T).json)
    tables = dumped["nodes"][REMOTE]["tables"]
    return {"backbox": records, **{t: sorted(json.dumps(r, sort_keys=True) for r in tables.get(t, []))
                                   for t in DSMTC_TABLES}}


def secondary_entries(topo: Topology, labels: list[str], volcat: str = SEC_VOLCAT) -> dict[str, Any]:
    """label -> (TAPEVOLUME or None, [TAPEFILE], [DISKFILE]) as DSM/TC on the secondary holds them."""
    out: dict[str, Any] = {}
    for msg in topo.media_catalog(REMOTE).ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
            volcat=volcat, filecat=SEC_FILECAT, volsers=labels, include_disk_files=True), timeout=T):
        entry = out.setdefault(msg.volser, [None, [], []])
        if not msg.continued:
            entry[0] = msg.volume if msg.found else None
            entry[1].extend(msg.files)
        entry[2].extend(msg.disk_files)
    return out
