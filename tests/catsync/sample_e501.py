"""The E5.01 manual's sample data store (IMPORT / EXPORT chapter, "Sample Catalog Export Report") rebuilt as a
fixture: DS_WIN1_DES of domain E501NEW on \\INSIDX, with its six volume groups and 35 volumes, exported to the
secondary domain YINE500 on \\ETINIUM.

`sample_topology_dict()` describes the two sites; `build_sample(topo)` runs the backups, MEDIACOM deletions,
DSM/TC expiration and OBB017 that leave the primary store as the report shows it (`SAMPLE_ROWS`,
`SAMPLE_GROUPS`). Only platform gRPC services are used, never catsync code.

The report shows dates from 2025-09-17 to 2025-09-23; the virtual clock starts on 2025-09-23 at 15:00 local time
(20:00Z, \\INSIDX is UTC-05:00), so every volume is written that day at the report's time of day: the order of
the unloads is the sample's, and EW1008's unload (21:16:42 local) is the report's to the second.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from google.protobuf.timestamp_pb2 import Timestamp

from emulator.v1 import (backbox_domain_pb2 as bb, clock_pb2, media_catalog_pb2 as mc, tape_controller_pb2 as tc)

PRIMARY_DOMAIN, SECONDARY_DOMAIN = "E501NEW", "YINE500"
NODE, SECONDARY_NODE = "\\INSIDX", "\\ETINIUM"
DATA_STORE = "DS_WIN1_DES"
VOLCAT, FILECAT = "\\INSIDX.QCVOLCAT", "\\INSIDX.QCFILCAT"
BRCOM_FILE, WIN1_FILE = "E501NEW-OBK11-BRCOM", "E501-OBK11-WIN1"
LOCAL = timezone(timedelta(hours=-5))      # \INSIDX's utc_offset
MiB = 1024 * 1024
T = 30                                     # RPC deadline, seconds


class SampleRow(NamedTuple):
    """One volume line of the report: label, group, DSM/TC status word ("" without tape catalog), first
    non-expired tape file as `fileid, gen=N[, vol=K]` ("" when none)."""

    label: str
    group: str
    status: str
    first_file: str


class SampleGroup(NamedTuple):
    """One line of the report's group summary (VG_WIN_TMF: no volume, so no most recent one and no counts)."""

    group: str
    catalog: str
    most_recent: str
    volumes: int
    disk_files: int


def _rows(group: str, labels: list[str], status: str = "", first: dict[str, str] | None = None) -> list[SampleRow]:
    first = first or {}
    return [SampleRow(label, group, "ASSIGNED" if label in first else status, first.get(label, ""))
            for label in labels]


_BRCOM = [f"VEBR{n:02d}" for n in range(1, 11)]
_DES = ["EW1001", *(f"EW{n}" for n in range(1003, 1011)), *(f"VWIB{n:02d}" for n in range(1, 6))]  # no EW1002
_NC = [f"ENCS{n:02d}" for n in range(1, 6)]
_NC2 = ["ENCL01", "ENCL03", "ENCL04", "ENCL05"]                                                    # no ENCL02
_UL = ["WUL001", "WUL002"]

SAMPLE_ROWS: tuple[SampleRow, ...] = tuple(
    _rows("VG_WIN1_BRCOM", _BRCOM, "SCRATCH", {
        "VEBR01": f"{BRCOM_FILE}, gen=1", "VEBR02": f"{BRCOM_FILE}, gen=2", "VEBR03": f"{BRCOM_FILE}, gen=2, vol=2",
        "VEBR04": f"{BRCOM_FILE}, gen=2, vol=3", "VEBR05": f"{BRCOM_FILE}, gen=2, vol=4"})
    + _rows("VG_WIN1_DES", _DES, "SCRATCH", {
        "EW1003": f"{WIN1_FILE}, gen=3", "EW1005": f"{WIN1_FILE}, gen=6", "EW1006": f"{WIN1_FILE}, gen=8",
        "EW1007": f"{WIN1_FILE}, gen=9", "EW1008": f"{WIN1_FILE}, gen=10"})
    + _rows("VG_WIN1_DES_NC", _NC) + _rows("VG_WIN1_DES_NC2", _NC2) + _rows("VG_WIN1_UL", _UL))

SAMPLE_GROUPS: tuple[SampleGroup, ...] = (
    SampleGroup("VG_WIN1_BRCOM", "DSM/TC volcat \\INSIDX.QCVOLCAT, pool E501_WIN1_BRCOM", "VEBR05", 10, 0),
    SampleGroup("VG_WIN1_DES", "DSM/TC volcat \\INSIDX.QCVOLCAT, pool E501_WIN1", "EW1008", 14, 0),
    SampleGroup("VG_WIN1_DES_NC", "no tape catalog", "ENCS02", 5, 0),
    SampleGroup("VG_WIN1_DES_NC2", "no tape catalog", "ENCL01", 4, 0),
    SampleGroup("VG_WIN1_UL", "no tape catalog", "WUL001", 2, 0),
    SampleGroup("VG_WIN_TMF", "TMF catalog: \\INSIDX", "", 0, 0),
)

_TOPOLOGY: dict[str, Any] = {
    "name": "e501-sample",
    "seed": 501,
    "clock": {"mode": "virtual", "start": "2025-09-23T20:00:00Z"},
    "sites": [
        {"name": "PRIMARY",
         "storage": [{"id": "STO_PRI", "path": "\\\\bbvtc1\\e501\\pri"}],
         "key_managers": [{"name": "ESKM-PRI"}],
         "vtcs": [{"id": "VTC1", "domain": PRIMARY_DOMAIN, "node": NODE, "drives": 2}],
         "nodes": [{"name": NODE, "number": 12, "utc_offset": "-05:00", "autoexpire_time": "off",
                    "volumes": {"$SYSTEM": 0, "$DATA01": 0, "$DATA15": 0},
                    "dsmtc": {"volcats": ["QCVOLCAT"], "filecats": ["QCFILCAT"],
                              "pools": [{"volcat": "QCVOLCAT", "name": "E501_WIN1"},
                                        {"volcat": "QCVOLCAT", "name": "E501_WIN1_BRCOM"}],
                              "mediadefs": {"volcat": "QCVOLCAT", "filecat": "QCFILCAT", "pool": "E501_WIN1",
                                            "ssl": [NODE], "retention_days": 30}}}]},
        {"name": "SECONDARY",
         "storage": [{"id": "STO_SEC", "path": "\\\\bbvtc2\\e501\\sec"}],
         "key_managers": [{"name": "ESKM-SEC"}],
         "vtcs": [{"id": "VTC2", "domain": SECONDARY_DOMAIN, "node": SECONDARY_NODE, "drives": 2}],
         "nodes": [{"name": SECONDARY_NODE, "number": 14, "autoexpire_time": "off",
                    "volumes": {"$SYSTEM": 0, "$DATA01": 0, "$DATA15": 0},
                    "dsmtc": {"volcats": ["SHCH409VC", "LOCALVC"], "filecats": ["SHCH409FC", "LOCALFC"],
                              "pools": [{"volcat": "SHCH409VC", "name": "E501_WIN_2ND"},
                                        {"volcat": "LOCALVC", "name": "LOCAL_POOL"}],
                              "mediadefs": {"volcat": "LOCALVC", "filecat": "LOCALFC", "pool": "LOCAL_POOL",
                                            "ssl": [SECONDARY_NODE]}}}]},
    ],
    "links": [{"kind": "EXPAND", "between": [NODE, SECONDARY_NODE]}],
    "domains": [
        {"id": PRIMARY_DOMAIN, "manager": NODE, "ems_verbose": True, "daily_cleanup_time": "OFF",
         "license": {"key": "E501-TEST", "options": ["CATALOG_SYNC", "ENCRYPTION"], "expiry_date": "2027-12-31"},
         "key_managers": [{"id": "KM1", "server": "ESKM-PRI"}],
         "data_stores": [
             {"id": DATA_STORE, "type": "WINDISK", "domain_access": "PRIMARY", "storage": "STO_PRI",
              "export_config": {"export_destination": "\\ETINIUM.$DATA15.E5CATSYN", "include_disk_files": True,
                                "report_location": "$S.#BPAK.E5EXP"},
              "volume_groups": [
                  {"id": "VG_WIN1_BRCOM", "tape_catalog": "DSMTC", "volcat": "QCVOLCAT", "pool": "E501_WIN1_BRCOM",
                   "max_volume_size_mb": 1, "volumes": "VEBR01-VEBR10"},
                  {"id": "VG_WIN1_DES", "tape_catalog": "DSMTC", "volcat": "QCVOLCAT", "pool": "E501_WIN1",
                   "max_volume_size_mb": 1, "volumes": _DES},
                  {"id": "VG_WIN1_DES_NC", "tape_catalog": "NONE", "max_volume_size_mb": 1,
                   "volumes": "ENCS01-ENCS05"},
                  {"id": "VG_WIN1_DES_NC2", "tape_catalog": "NONE", "max_volume_size_mb": 1, "volumes": _NC2},
                  # UL = unlabeled volumes (NL images): the topology format has no `unlabeled` flag, so
                  # build_sample creates them with CreateVolumes.
                  {"id": "VG_WIN1_UL", "tape_catalog": "NONE", "max_volume_size_mb": 1},
                  {"id": "VG_WIN_TMF", "tape_catalog": "TMF", "tmf_node": NODE, "max_volume_size_mb": 1}]}]},
        {"id": SECONDARY_DOMAIN, "manager": SECONDARY_NODE, "daily_cleanup_time": "OFF",
         "license": {"key": "YINE-TEST", "options": ["CATALOG_SYNC", "ENCRYPTION"], "expiry_date": "2027-12-31"},
         "key_managers": [{"id": "KM1", "server": "ESKM-SEC"}],
         "data_stores": [
             {"id": "E501_WIN1_SND", "type": "WINDISK", "domain_access": "SECONDARY",
              "primary_data_store_id": DATA_STORE, "storage": "STO_SEC",
              "import_config": {"import_source": "\\ETINIUM.$DATA15.E5CATSYN",
                                "report_location": "$S.#BPAK.E5IMP"},
              # No group for VG_WIN1_BRCOM, VG_WIN1_UL, VG_WIN_TMF: their volumes are rejected at import (W3332),
              # as in the manual's import sample.
              "volume_groups": [
                  {"id": "VG_WIN1_DES2", "primary_volume_group_id": "VG_WIN1_DES", "tape_catalog": "DSMTC",
                   "volcat": "SHCH409VC", "pool": "E501_WIN_2ND", "filecat": "SHCH409FC",
                   "max_volume_size_mb": 1},
                  {"id": "VG_WIN1_DES_NC_2ND", "primary_volume_group_id": "VG_WIN1_DES_NC", "tape_catalog": "NONE",
                   "max_volume_size_mb": 1},
                  {"id": "VG_WIN1_DES_NC2_2ND", "primary_volume_group_id": "VG_WIN1_DES_NC2",
                   "tape_catalog": "NONE", "max_volume_size_mb": 1}]}]},
    ],
    "replication": {"storage": [{"from": "STO_PRI", "to": "STO_SEC", "lag": "5m"}],
                    "keys": [{"from": "ESKM-PRI", "to": "ESKM-SEC", "lag": "1m"}]},
}


def sample_topology_dict() -> dict[str, Any]:
    """A fresh copy of the sample's two-site topology (for harness.launcher.start_topology)."""
    return copy.deepcopy(_TOPOLOGY)


class _Backup(NamedTuple):
    at: str                  # \INSIDX local time on 2025-09-23 (24:00 and later: the next day)
    group: str
    file_id: str
    label: str               # the named (first) volume
    retention_days: int = 30
    data_bytes: int = 64 * 1024
    generation: int = 0      # expected DSM/TC generation (checked), 0 = not a DSM/TC group


# The backups in time order. RETENTION 1 marks the generations that are gone by the export: they expire at the
# DSM/TC daily expiration; DELETED ones are removed by an operator with MEDIACOM DELETE TAPEFILE.
_BACKUPS: tuple[_Backup, ...] = (
    _Backup("15:20:00", "VG_WIN1_UL", "E501NEW-OBK11-UL", "WUL002"),
    _Backup("15:28:47", "VG_WIN1_UL", "E501NEW-OBK11-UL", "WUL001"),
    _Backup("18:30:00", "VG_WIN1_BRCOM", BRCOM_FILE, "VEBR01", generation=1),
    # 3.5 MB over 1 MB volumes: one volume set VEBR02 (vol 1) .. VEBR05 (vol 4), scratch volumes in label order
    _Backup("18:59:58", "VG_WIN1_BRCOM", BRCOM_FILE, "VEBR02", data_bytes=int(3.5 * MiB), generation=2),
    _Backup("19:20:00", "VG_WIN1_DES_NC2", "E501NEW-OBK11-NC2", "ENCL03"),
    _Backup("19:25:41", "VG_WIN1_DES_NC2", "E501NEW-OBK11-NC2", "ENCL01"),
    _Backup("19:26:00", "VG_WIN1_DES_NC", "E501NEW-OBK11-NC", "ENCS01"),
    _Backup("19:26:42", "VG_WIN1_DES_NC", "E501NEW-OBK11-NC", "ENCS02"),
    _Backup("19:40:00", "VG_WIN1_DES", WIN1_FILE, "EW1001", retention_days=1, generation=1),
    _Backup("19:50:00", "VG_WIN1_DES", WIN1_FILE, "EW1004", retention_days=1, generation=2),
    _Backup("20:00:00", "VG_WIN1_DES", WIN1_FILE, "EW1003", generation=3),
    _Backup("20:10:00", "VG_WIN1_DES", WIN1_FILE, "EW1009", generation=4),            # DELETED
    _Backup("20:20:00", "VG_WIN1_DES", WIN1_FILE, "EW1010", retention_days=1, generation=5),
    _Backup("20:30:00", "VG_WIN1_DES", WIN1_FILE, "EW1005", generation=6),
    _Backup("20:40:00", "VG_WIN1_DES", WIN1_FILE, "VWIB01", generation=7),            # DELETED
    _Backup("20:50:00", "VG_WIN1_DES", WIN1_FILE, "EW1006", generation=8),
    _Backup("21:00:00", "VG_WIN1_DES", WIN1_FILE, "EW1007", generation=9),
    _Backup("21:16:42", "VG_WIN1_DES", WIN1_FILE, "EW1008", generation=10),
)
_DELETED = {"21:05:00": (4, 7)}                      # MEDIACOM DELETE TAPEFILE E501-OBK11-WIN1, GEN n
# RunBackup unloads every volume of a set at the same virtual instant; a real BACKUP unloads them one after the
# other, the last one latest (VEBR05 is the group's most recent volume). The set's volumes are loaded again for
# input, in order, so their unload times follow the set: VEBR05 last, at the report's 19:01:58.
_SET_UNLOADS = (("19:00:28", "VEBR02"), ("19:00:58", "VEBR03"), ("19:01:28", "VEBR04"), ("19:01:58", "VEBR05"))
EXPIRATION_AT = datetime(2025, 9, 25, 2, 0, tzinfo=LOCAL)    # DSM/TC daily expiration, 02:00 local
CLEANUP_AT = datetime(2025, 9, 25, 3, 0, tzinfo=LOCAL)       # OBB017 daily cleanup, 03:00 local


def _local(text: str) -> datetime:
    h, m, s = (int(x) for x in text.split(":"))
    return datetime(2025, 9, 23, tzinfo=LOCAL) + timedelta(hours=h, minutes=m, seconds=s)


def _advance_until(topo: Any, when: datetime) -> None:
    until = Timestamp()
    until.FromDatetime(when.astimezone(timezone.utc))
    topo.clock_service().Advance(clock_pb2.AdvanceRequest(until=until), timeout=T)


def _mediacom(topo: Any, text: str) -> str:
    resp = topo.media_catalog(NODE).Mediacom(mc.MediacomRequest(text=text, user="SUPER.SUPER"), timeout=T)
    if not resp.ok:
        raise RuntimeError(f"MEDIACOM {text!r} failed: {resp.output}")
    return resp.output


def _unload_again(topo: Any, label: str) -> None:
    """Load a volume for input and unload it: a new unload time, nothing written."""
    vtc = topo.vtc("VTC1")
    mounted = vtc.Mount(tc.MountRequest(label=label, mode=bb.MOUNT_MODE_INPUT, node=NODE,
                                        process=f"{NODE}.$BK01", user="SUPER.SUPER"), timeout=T)
    vtc.Unload(tc.UnloadRequest(drive_id=mounted.drive.id, label=label, node=NODE), timeout=T)


def build_sample(topo: Any) -> None:
    """Drive a started `sample_topology_dict()` topology until DS_WIN1_DES holds the manual's sample: 35 volumes,
    DSM/TC status and first tape file of each as in SAMPLE_ROWS, the most recent volume of each group as in
    SAMPLE_GROUPS, no DISKFILE. Ends at 2025-09-25 03:00 local (08:00Z), after the OBB017 run, with no process
    left running."""
    domain = topo.domain(PRIMARY_DOMAIN)
    created = domain.CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_WIN1_UL", labels=_UL, unlabeled=True,
                                                           user="SUPER.SUPER", origin=bb.OPERATION_ORIGIN_UI),
                                   timeout=T)
    if created.rejected:
        raise RuntimeError(f"unlabeled volumes of VG_WIN1_UL refused: {created.rejected}")
    steps: list[tuple[datetime, Any]] = [(_local(b.at), b) for b in _BACKUPS]
    steps += [(_local(at), ("unload", label)) for at, label in _SET_UNLOADS]
    steps += [(_local(at), ("delete", gens)) for at, gens in _DELETED.items()]
    for when, step in sorted(steps, key=lambda s: s[0]):
        _advance_until(topo, when)
        if isinstance(step, _Backup):
            resp = domain.RunBackup(bb.RunBackupRequest(
                node=NODE, volume_group_id=step.group, label=step.label, file_id=step.file_id,
                retention_days=step.retention_days, data_bytes=step.data_bytes,
                content_seed=int(when.timestamp()), user="SUPER.SUPER"), timeout=T)
            if step.generation and resp.tape_file.generation != step.generation:
                raise RuntimeError(f"{step.file_id} on {step.label} is generation {resp.tape_file.generation},"
                                   f" the sample needs {step.generation}")
        elif step[0] == "unload":
            _unload_again(topo, step[1])
        else:
            for gen in step[1]:
                _mediacom(topo, f"DELETE TAPEFILE {WIN1_FILE}, GEN {gen}")
    # DSM/TC daily expiration: RETENTION 1 generations become INVALID; sets without a VALID file lose their
    # entries (also the ones DELETE TAPEFILE invalidated) and their volumes become SCRATCH.
    _advance_until(topo, EXPIRATION_AT)
    topo.media_catalog(NODE).ExpireTapeFiles(mc.ExpireTapeFilesRequest(filecat=FILECAT), timeout=T)
    # OBB017 brings the BackBox records in line with DSM/TC (catalog status, first non-expired tape file).
    _advance_until(topo, CLEANUP_AT)
    domain.RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=[DATA_STORE], user="SUPER.SUPER"), timeout=T)
    # The status changes OBB017 saw are export triggers (R27): a process a trigger started (an automatic UPDATE
    # export, when one is subscribed) runs at the next Advance. Advancing by nothing lets it end now, so the
    # caller gets a quiescent topology, not a process that would still be running at its first request.
    _advance_until(topo, CLEANUP_AT)
