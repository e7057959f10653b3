r"""Catalog Sync import throughput: a FULL import (BBCSIMP through `CatalogSync.ImportCatalog`) of a synthetic
staging area of N volumes (default 100,000), each with its TAPEVOLUME, one TAPEFILE (one TFTOV row) and 10
DISKFILEs (100,000 TAPEFILEs and 1,000,000 DISKFILEs), into the SECONDARY store E501_WIN1_SND of \ETINIUM; next
to raw `sqlite3.executemany` of the same DSM/TC rows into plain tables, measured in the same run; then an UPDATE
import of 10 rewritten staging files, as a fraction of the FULL time (R21: an UPDATE reads what was received
since the latest successful import).

The staging files are written straight into \ETINIUM.$DATA15.E5CATSYN through Guardian WriteFile, as an export
over the Expand link would leave them (setup, not measured).

    python benchmarks/import.py [--volumes 100000 | --quick] [--disk-files 10] [--changed 10]
"""

from __future__ import annotations

import os

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")   # closed connections are logged at INFO otherwise

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from catsync import staging
from catsync.v1 import catalog_sync_pb2 as cs, staging_pb2
from emulator.v1 import (backbox_domain_pb2 as bb, clock_pb2, common_pb2, guardian_pb2,
                         media_catalog_pb2 as mc)
from harness.launcher import Topology, start_topology

PRI_DOMAIN, SEC_DOMAIN = "E501NEW", "YINE500"
PRI_NODE, SEC_NODE = "\\INSIDX", "\\ETINIUM"
STORE, SEC_STORE = "DS_WIN1_DES", "E501_WIN1_SND"
GROUP, SEC_GROUP = "VG_WIN1_DES", "VG_WIN1_DES2"
VOLCAT, FILECAT, POOL = "\\INSIDX.QCVOLCAT", "\\INSIDX.QCFILCAT", "E501_WIN1"
SEC_VOLCAT, SEC_FILECAT, SEC_POOL = "\\ETINIUM.SHCH409VC", "\\ETINIUM.SHCH409FC", "E501_WIN_2ND"
SOURCE = "\\ETINIUM.$DATA15.E5CATSYN"
EXPORTER = "\\INSIDX.$X0B1"
FULL_EXPORTED = datetime(2025, 9, 23, 19, 0, tzinfo=timezone.utc)      # an hour before the clock starts
UPDATE_EXPORTED = datetime(2025, 9, 23, 20, 0, 1, tzinfo=timezone.utc)
FIRST_UNLOAD = datetime(2025, 6, 1, tzinfo=timezone.utc)
QUICK = 2_000
T = 60


def topology() -> dict[str, Any]:
    """tests/backbox/conftest.py's two sites, reduced to what an import touches: DS_WIN1_DES with VG_WIN1_DES on
    \\INSIDX, E501_WIN1_SND with VG_WIN1_DES2 (DSM/TC SHCH409VC / SHCH409FC, pool E501_WIN_2ND) on \\ETINIUM."""
    license_ = {"options": ["CATALOG_SYNC"], "expiry_date": "2027-12-31"}
    return {
        "name": "import-bench", "seed": 6, "clock": {"mode": "virtual", "start": "2025-09-23T20:00:00Z"},
        "sites": [
            {"name": "PRIMARY", "storage": [{"id": "STO_PRI", "path": "\\\\bbvtc1\\e501\\pri"}],
             "nodes": [{"name": PRI_NODE, "number": 12, "utc_offset": "-05:00", "autoexpire_time": "off",
                        "volumes": {"$SYSTEM": 0, "$DATA01": 0, "$DATA15": 0},
                        "dsmtc": {"volcats": ["QCVOLCAT"], "filecats": ["QCFILCAT"],
                                  "pools": [{"volcat": "QCVOLCAT", "name": POOL}],
                                  "mediadefs": {"volcat": "QCVOLCAT", "filecat": "QCFILCAT", "pool": POOL,
                                                "ssl": [PRI_NODE]}}}]},
            {"name": "SECONDARY", "storage": [{"id": "STO_SEC", "path": "\\\\bbvtc2\\e501\\sec"}],
             "nodes": [{"name": SEC_NODE, "number": 14, "autoexpire_time": "off",
                        "volumes": {"$SYSTEM": 0, "$DATA01": 0, "$DATA15": 0},
                        "dsmtc": {"volcats": ["SHCH409VC", "LOCALVC"], "filecats": ["SHCH409FC", "LOCALFC"],
                                  "pools": [{"volcat": "SHCH409VC", "name": SEC_POOL},
                                            {"volcat": "LOCALVC", "name": "LOCAL_POOL"}],
                                  "mediadefs": {"volcat": "LOCALVC", "filecat": "LOCALFC", "pool": "LOCAL_POOL",
                                                "ssl": [SEC_NODE]}}}]}],
        "links": [{"kind": "EXPAND", "between": [PRI_NODE, SEC_NODE]}],
        "domains": [
            {"id": PRI_DOMAIN, "manager": PRI_NODE, "daily_cleanup_time": "OFF",
             "license": {"key": "E501-BENCH", **license_},
             "data_stores": [{"id": STORE, "type": "WINDISK", "domain_access": "PRIMARY", "storage": "STO_PRI",
                              "export_config": {"export_destination": SOURCE, "include_disk_files": True},
                              "volume_groups": [{"id": GROUP, "tape_catalog": "DSMTC", "volcat": "QCVOLCAT",
                                                 "pool": POOL, "max_volume_size_mb": 1}]}]},
            {"id": SEC_DOMAIN, "manager": SEC_NODE, "daily_cleanup_time": "OFF",
             "license": {"key": "YINE-BENCH", **license_},
             "data_stores": [{"id": SEC_STORE, "type": "WINDISK", "domain_access": "SECONDARY",
                              "primary_data_store_id": STORE, "storage": "STO_SEC",
                              "import_config": {"import_source": SOURCE},
                              "volume_groups": [{"id": SEC_GROUP, "primary_volume_group_id": GROUP,
                                                 "tape_catalog": "DSMTC", "volcat": "SHCH409VC", "pool": SEC_POOL,
                                                 "filecat": "SHCH409FC", "max_volume_size_mb": 1}]}]}],
    }


def progress(text: str) -> None:
    print(f"\r  {text}", end="", file=sys.stderr, flush=True)


def export_id(when: datetime) -> str:
    return when.strftime("%Y-%m-%d_%H:%M:%S")


def stamp(when: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(when)
    return out


# -- the synthetic staging area --------------------------------------------------------------------------------

def label_of(n: int) -> str:
    """Volume n (0-based) -> a 6-character label: B00000 .. B99999, then C00000 ..."""
    return f"{chr(ord('B') + n // 100_000)}{n % 100_000:05d}"


def file_of(n: int) -> tuple[str, int]:
    """The volume's one tape file: 1,000 generations per file id."""
    return f"E501NEW-OBK11-B{n // 1000:04d}", n % 1000 + 1


def disk_file_name(n: int, d: int, disk_files: int) -> str:
    """DISKFILE d of volume n: `\\INSIDX.$DATA01.SUBVnnnn.Fnnnnnnn` (unique with its tape file's key)."""
    return f"\\INSIDX.$DATA01.SUBV{n % 10_000:04d}.F{(n * disk_files + d) % 10_000_000:07d}"


def volume_export(n: int, disk_files: int, *, update: bool = False) -> staging_pb2.VolumeExport:
    """What BBCSEXP writes for volume n of DS_WIN1_DES: the BackBox record, its TAPEVOLUME, its one TAPEFILE with
    its TFTOV row, its DISKFILEs; an UPDATE rewrite marks the volume FULL."""
    label, (file_id, generation) = label_of(n), file_of(n)
    exported = UPDATE_EXPORTED if update else FULL_EXPORTED
    unloaded = FIRST_UNLOAD + timedelta(seconds=60 * n)
    status = mc.VOLUME_STATUS_FULL if update else mc.VOLUME_STATUS_ASSIGNED
    record = bb.BackBoxVolume(
        label=label, labeled=True, volume_group_id=GROUP, data_store_id=STORE, owner_node=PRI_NODE,
        owner_user="SUPER.SUPER", read_access="A", write_access="A", control_access="A", max_size_mb=1,
        catalog_type=bb.TAPE_CATALOG_TYPE_DSMTC, volcat=VOLCAT, pool=POOL, filecat=FILECAT, catalog_status=status,
        first_non_expired_tape_file=bb.TapeFileRef(file_id=file_id, generation=generation, vol_index=1),
        last_index_path=f"\\\\bbvtc1\\e501\\pri\\LB{label}.IND", last_data_path=f"\\\\bbvtc1\\e501\\pri\\LB{label}.DAT",
        unload_time=stamp(unloaded), created_time=stamp(FIRST_UNLOAD), last_written_time=stamp(unloaded),
        materialized=True, media_type="LTO3", data_bytes=65_536, index_bytes=4_096, change_sequence=n + 1)
    tape_volume = mc.TapeVolume(volser=label, volcat=VOLCAT, pool=POOL, label=mc.LABEL_TYPE_ANSI, media_type="LTO3",
                                density="ANY", status=status, volset_id=label, vol_index=1)
    tape_file = mc.TapeFile(
        filecat=FILECAT, file_id=file_id, generation=generation, physical_copy=1, logical_copy=1,
        creation_time=stamp(unloaded), permanent=True, mode=mc.TAPE_FILE_MODE_BKFI, catalog_files=True,
        status=mc.TAPE_FILE_STATUS_VALID, volcat=VOLCAT, pool=POOL, volset_id=label,
        volumes=[mc.TapeFileVolume(volser=label, vol_index=1, file_section=1, file_sequence=1)])
    disks = [mc.DiskFile(filecat=FILECAT, disk_file_name=disk_file_name(n, d, disk_files), time_dumped=stamp(unloaded),
                         physical_copy=1, logical_copy=1, file_id=file_id, generation=generation,
                         status=mc.DISK_FILE_STATUS_VALID, volset_id=label, vol_index=1)
             for d in range(disk_files)]
    return staging_pb2.VolumeExport(
        format_version=staging.FORMAT_VERSION, export_id=export_id(exported),
        export_type=cs.SYNC_TYPE_UPDATE if update else cs.SYNC_TYPE_FULL, data_store_id=STORE,
        volume_group_id=GROUP, domain_id=PRI_DOMAIN, exporting_node=PRI_NODE, exporting_process=EXPORTER,
        exported_at=stamp(exported), volume=record, has_tape_volume=True, tape_volume=tape_volume,
        tape_files=[tape_file], catalog_files=True, disk_files=disks, volume_sequence=n + 1)


def export_summary(labels: list[str], all_labels: list[str], *, update: bool = False) -> staging_pb2.ExportSummary:
    """CSSUMARY as the FULL export (or an UPDATE after it) writes it."""
    exported = UPDATE_EXPORTED if update else FULL_EXPORTED
    group = bb.VolumeGroup(id=GROUP, data_store_id=STORE, tape_catalog=bb.TAPE_CATALOG_TYPE_DSMTC, volcat=VOLCAT,
                           pool=POOL, max_volume_size_mb=1)
    return staging_pb2.ExportSummary(
        format_version=staging.FORMAT_VERSION, export_id=export_id(exported),
        type=cs.SYNC_TYPE_UPDATE if update else cs.SYNC_TYPE_FULL, data_store_id=STORE, catalog_files=True,
        domain_id=PRI_DOMAIN, exporting_node=PRI_NODE, exporting_process=EXPORTER, started=stamp(exported),
        finished=stamp(exported), volume_groups=[group], labels=labels, volume_count=len(labels),
        last_full_export_id=export_id(FULL_EXPORTED), last_full_labels=all_labels,
        data_store=bb.DataStore(id=STORE, domain_access=bb.DOMAIN_ACCESS_PRIMARY))


def write_file(guardian: Any, name: str, data: bytes) -> None:
    guardian.WriteFile(iter([guardian_pb2.WriteFileRequest(
        name=name, mode=guardian_pb2.WRITE_MODE_REPLACE, data=data)]), timeout=T)


def write_staging(topo: Topology, volumes: int, disk_files: int) -> int:
    """Every per-volume file, then CSSUMARY; returns the bytes written."""
    written, guardian = 0, topo.guardian(SEC_NODE)
    for n in range(volumes):
        data = staging.encode(volume_export(n, disk_files), staging.KIND_VOLUME)
        write_file(guardian, staging.volume_file(SOURCE, label_of(n)), data)
        written += len(data)
        if n % 500 == 0 or n == volumes - 1:
            progress(f"staging files written: {n + 1:,}/{volumes:,}")
    print(file=sys.stderr)
    labels = [label_of(n) for n in range(volumes)]
    data = staging.encode(export_summary(labels, labels), staging.KIND_SUMMARY)
    write_file(guardian, staging.summary_file(SOURCE), data)
    return written + len(data)


# -- the baseline ------------------------------------------------------------------------------------------------

def dsmtc_rows(volumes: int, disk_files: int) -> Iterator[tuple[str, tuple]]:
    """The rows the import writes into \\ETINIUM's DSM/TC tables, in import order: (table, row)."""
    vc, fc, now = SEC_VOLCAT.rsplit(".", 1)[1], SEC_FILECAT.rsplit(".", 1)[1], 1_758_657_600_000_000
    for n in range(volumes):
        label, (file_id, generation) = label_of(n), file_of(n)
        dumped = now + n
        yield "volume", (vc, label, SEC_POOL, "ANSI", "LTO3", "ANY", "ASSIGNED", label, 1, "", 0, "", now)
        yield "tapefile", (fc, file_id, generation, 0, 1, 1, dumped, None, 1, "", 0, 0, "BKFI", 1, "VALID", vc,
                           SEC_POOL, label, "")
        yield "tftov", (fc, file_id, generation, 0, label, 1, 1, 1, 0)
        for d in range(disk_files):
            yield "diskfile", (fc, file_id, generation, 0, disk_file_name(n, d, disk_files), dumped, 1, 1, "VALID",
                               0, 0, 0, 0, 0, 0, label, 1)


RAW_TABLES = {
    "volume": ("""CREATE TABLE volume (volcat TEXT, volser TEXT, pool TEXT, label TEXT, media_type TEXT, density TEXT,
                  status TEXT, volset_id TEXT, vol_index INTEGER, owner_id TEXT, end_of_data_lba INTEGER,
                  tape_format TEXT, last_changed_us INTEGER, PRIMARY KEY (volcat, volser))""", 13),
    "tapefile": ("""CREATE TABLE tapefile (filecat TEXT, file_id TEXT, generation INTEGER, version INTEGER,
                    physical_copy INTEGER, logical_copy INTEGER, creation_us INTEGER, expiration_us INTEGER,
                    permanent INTEGER, record_format TEXT, record_length INTEGER, block_length INTEGER, mode TEXT,
                    catalog_files INTEGER, status TEXT, volcat TEXT, pool TEXT, volset_id TEXT, comment TEXT,
                    PRIMARY KEY (filecat, file_id, generation, version))""", 19),
    "tftov": ("""CREATE TABLE tftov (filecat TEXT, file_id TEXT, generation INTEGER, version INTEGER, volser TEXT,
                 vol_index INTEGER, file_section INTEGER, file_sequence INTEGER, file_seq_label_lba INTEGER,
                 PRIMARY KEY (filecat, file_id, generation, version, volser))""", 9),
    "diskfile": ("""CREATE TABLE diskfile (filecat TEXT, file_id TEXT, generation INTEGER, version INTEGER,
                    disk_file_name TEXT, time_dumped_us INTEGER, physical_copy INTEGER, logical_copy INTEGER,
                    status TEXT, opened INTEGER, broken INTEGER, rfneeded INTEGER, corrupt INTEGER, audited INTEGER,
                    file_code INTEGER, volset_id TEXT, vol_index INTEGER,
                    PRIMARY KEY (filecat, file_id, generation, version, disk_file_name))""", 17),
}


def raw_sqlite(rows: list[tuple[str, tuple]], folder: Path, per_transaction: int = 1000) -> float:
    """The same rows into plain tables (each with its key, no other index) of a fresh WAL file: one
    `executemany` per table run, one transaction per `per_transaction` rows (the import commits a unit per
    volume; one transaction for the whole load would flatter the baseline further)."""
    conn = sqlite3.connect(folder / "raw.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for ddl, _ in RAW_TABLES.values():
        conn.execute(ddl)
    inserts = {t: f"INSERT INTO {t} VALUES ({', '.join('?' * width)})" for t, (_, width) in RAW_TABLES.items()}
    began = time.perf_counter()
    for start in range(0, len(rows), per_transaction):
        chunk = rows[start:start + per_transaction]
        conn.execute("BEGIN")
        run_table, run = chunk[0][0], []
        for table, row in chunk:
            if table != run_table:
                conn.executemany(inserts[run_table], run)
                run_table, run = table, []
            run.append(row)
        conn.executemany(inserts[run_table], run)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


# -- the imports -------------------------------------------------------------------------------------------------

def timed_import(topo: Topology, kind: int, what: str) -> tuple[float, cs.ImportRun]:
    """ImportCatalog(wait=True) in a thread while the progress line shows the time; a run still RUNNING when the
    request's wait (10 minutes) ends is waited for on \\ETINIUM's Guardian."""
    stub = topo.catalog_sync(SEC_DOMAIN)
    answer: list[Any] = []

    def call() -> None:
        try:
            answer.append(stub.ImportCatalog(cs.ImportCatalogRequest(data_store_id=SEC_STORE, type=kind, wait=True),
                                             timeout=4 * 3600).runs[0])
        except Exception as exc:  # noqa: BLE001 - re-raised in the main thread below
            answer.append(exc)

    began = time.perf_counter()
    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(1.0)
        progress(f"{what}: {time.perf_counter() - began:7.1f} s")
    run = answer[0]
    if isinstance(run, Exception):
        raise run
    if run.status == cs.PROCESS_STATUS_RUNNING:
        guardian = topo.guardian(SEC_NODE)
        while not guardian.WaitProcess(guardian_pb2.WaitProcessRequest(name=run.process, timeout_seconds=1.0),
                                       timeout=T).ended:
            progress(f"{what}: {time.perf_counter() - began:7.1f} s")
        latest = topo.catalog_sync(SEC_DOMAIN).GetImportStatus(cs.GetImportStatusRequest(
            data_store_id=SEC_STORE), timeout=T).latest_import
        run = cs.ImportRun(process=latest.process, status=latest.status, volumes_processed=latest.volumes_processed,
                           volume_errors=latest.volume_errors, reason=latest.reason)
    elapsed = time.perf_counter() - began
    print(file=sys.stderr)
    if run.status != cs.PROCESS_STATUS_FINISHED or run.volume_errors:
        raise SystemExit(f"{what}: {cs.ProcessStatus.Name(run.status)}, {run.volume_errors} volume error(s):"
                         f" {run.reason}")
    return elapsed, run


def secondary_counts(topo: Topology) -> dict[str, int]:
    """What \\ETINIUM holds for the store: BackBox records, and the DSM/TC rows counted through MediaCatalog
    (TAPEVOLUMEs, TAPEFILEs and TFTOV rows from ReadVolumeEntries of the pool, DISKFILEs from ListDiskFiles)."""
    one = common_pb2.PageRequest(page_size=1)
    counts = {"backbox": topo.domain(SEC_DOMAIN).ListVolumes(bb.ListVolumesRequest(
        data_store_id=SEC_STORE, page=one), timeout=T).page.total}
    catalog = topo.media_catalog(SEC_NODE)
    counts["tapevolume_total"] = catalog.ListTapeVolumes(mc.ListTapeVolumesRequest(
        volcat=SEC_VOLCAT, page=one), timeout=T).page.total
    counts["tapefile_total"] = catalog.ListTapeFiles(mc.ListTapeFilesRequest(filecat=SEC_FILECAT, page=one),
                                                     timeout=T).page.total
    volumes = files = tftov = 0
    for msg in catalog.ReadVolumeEntries(mc.ReadVolumeEntriesRequest(volcat=SEC_VOLCAT, filecat=SEC_FILECAT,
                                                                     pool=SEC_POOL), timeout=3600):
        if not msg.continued and msg.found:
            volumes += 1
            files += len(msg.files)
            tftov += sum(len(f.volumes) for f in msg.files)
    counts.update(tapevolume=volumes, tapefile=files, tftov=tftov)
    counts["diskfile"] = sum(len(m.files) for m in catalog.ListDiskFiles(mc.ListDiskFilesRequest(
        filecat=SEC_FILECAT, chunk_size=50_000), timeout=3600))
    return counts


def rewrite_changed(topo: Topology, volumes: int, disk_files: int, changed: int) -> list[str]:
    """An UPDATE export's work: `changed` volumes spread over the store rewritten (status FULL), then CSSUMARY."""
    step, guardian = max(volumes // changed, 1), topo.guardian(SEC_NODE)
    numbers = list(range(0, volumes, step))[:changed]
    for n in numbers:
        write_file(guardian, staging.volume_file(SOURCE, label_of(n)),
                   staging.encode(volume_export(n, disk_files, update=True), staging.KIND_VOLUME))
    labels = [label_of(n) for n in numbers]
    write_file(guardian, staging.summary_file(SOURCE), staging.encode(export_summary(
        labels, [label_of(n) for n in range(volumes)], update=True), staging.KIND_SUMMARY))
    return labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volumes", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} volumes (about a minute)")
    parser.add_argument("--disk-files", type=int, default=10, help="DISKFILEs per volume")
    parser.add_argument("--changed", type=int, default=10, help="staging files rewritten before the UPDATE import")
    opts = parser.parse_args(argv)
    volumes = QUICK if opts.quick else opts.volumes
    if not 0 < volumes <= 2_400_000 or not 0 < opts.changed <= volumes:
        parser.error("--volumes must be 1 .. 2,400,000 and --changed 1 .. --volumes")
    rows = list(dsmtc_rows(volumes, opts.disk_files))
    dsmtc_total = len(rows)
    with tempfile.TemporaryDirectory() as tmp:
        progress(f"raw sqlite3.executemany of {dsmtc_total:,} rows")
        raw_s = raw_sqlite(rows, Path(tmp))
        print(file=sys.stderr)
    del rows
    with start_topology(topology()) as topo:
        began = time.perf_counter()
        size = write_staging(topo, volumes, opts.disk_files)
        print(f"staging area: {volumes:,} volume files + CSSUMARY, {size / 1e6:,.1f} MB, written in"
              f" {time.perf_counter() - began:.1f} s", file=sys.stderr)
        full_s, full = timed_import(topo, cs.SYNC_TYPE_FULL, f"FULL import of {volumes:,} volumes")
        counts = secondary_counts(topo)
        expected = {"backbox": volumes, "tapevolume_total": volumes, "tapefile_total": volumes,
                    "tapevolume": volumes, "tapefile": volumes, "tftov": volumes, "diskfile": volumes * opts.disk_files}
        assert full.volumes_processed == volumes, f"FULL import processed {full.volumes_processed} of {volumes}"
        assert counts == expected, f"\\ETINIUM holds {counts}, expected {expected}"
        # the virtual clock a second on, so the rewritten files are newer than the FULL import's watermark (R21)
        topo.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=1)), timeout=T)
        changed = rewrite_changed(topo, volumes, opts.disk_files, opts.changed)
        update_s, update = timed_import(topo, cs.SYNC_TYPE_UPDATE, f"UPDATE import of {len(changed)} volumes")
        assert update.volumes_processed == len(changed), \
            f"UPDATE import processed {update.volumes_processed} volumes, {len(changed)} were rewritten"
        catalog = topo.media_catalog(SEC_NODE)
        statuses = {catalog.GetTapeVolume(mc.GetTapeVolumeRequest(volser=label, volcat=SEC_VOLCAT),
                                          timeout=T).volume.status for label in changed}
        assert statuses == {mc.VOLUME_STATUS_FULL}, f"rewritten volumes have statuses {statuses}"
    print(f"{'path':<52} {'seconds':>8} {'volumes/s':>10} {'DSM/TC rows/s':>14} {'ratio':>6}")
    print(f"{'raw sqlite3.executemany, 1,000 rows a transaction':<52} {raw_s:8.2f} {'':>10}"
          f" {dsmtc_total / raw_s:14,.0f} {1.0:6.2f}")
    print(f"{f'FULL import (ImportCatalog), {volumes:,} volumes':<52} {full_s:8.2f} {volumes / full_s:10,.0f}"
          f" {dsmtc_total / full_s:14,.0f} {raw_s / full_s:6.2f}")
    print(f"{f'UPDATE import of {update.volumes_processed} rewritten volumes':<52} {update_s:8.2f}"
          f" {update.volumes_processed / update_s:10,.1f} {'':>14} {update_s / full_s:6.3f}")
    print(f"\nDSM/TC rows: {volumes:,} TAPEVOLUME + {volumes:,} TAPEFILE + {volumes:,} TFTOV +"
          f" {volumes * opts.disk_files:,} DISKFILE = {dsmtc_total:,}; the UPDATE took {update_s / full_s:.1%} of"
          " the FULL time (ratio column: raw / import for the FULL, UPDATE / FULL for the UPDATE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
