"""Catalog Sync export throughput: a FULL export of a large PRIMARY data store (default 10,000 volumes with
100 DISKFILEs each = 1,000,000 DISKFILE rows) through the Expand link to the secondary node's staging area, next to
the same export written to a staging subvolume on the primary node itself (no link), measured in the same run;
then an UPDATE export of 10 changed volumes, as a fraction of the FULL time (DESIGN §7: an UPDATE costs what
changed, not what the store holds).

    python benchmarks/export.py [--volumes 10000] [--disk-files 100] [--changed 10]
"""

from __future__ import annotations

import os

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")   # closed connections are logged at INFO otherwise

import argparse
import sys
import time
from typing import Any, Iterator

from catsync.v1 import catalog_sync_pb2 as cs
from google.protobuf.duration_pb2 import Duration

from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, guardian_pb2, media_catalog_pb2 as mc
from harness.launcher import Topology, start_topology

STORE, GROUP = "DS_BENCH", "VG_BENCH"
VOLCAT, FILECAT, POOL = "\\INSIDX.QCVOLCAT", "\\INSIDX.QCFILCAT", "BENCH_POOL"
REMOTE, LOCAL = "\\ETINIUM.$DATA15.BENCHSTG", "\\INSIDX.$DATA15.BENCHSTG"


def topology() -> dict[str, Any]:
    return {
        "name": "export-bench", "seed": 5, "clock": {"mode": "virtual", "start": "2025-09-23T20:00:00Z"},
        "sites": [
            {"name": "PRIMARY", "storage": [{"id": "STO_PRI", "path": "\\\\bbvtc1\\bench"}],
             "nodes": [{"name": "\\INSIDX", "number": 12, "autoexpire_time": "off",
                        "volumes": {"$SYSTEM": 0, "$DATA15": 0},
                        "dsmtc": {"volcats": ["QCVOLCAT"], "filecats": ["QCFILCAT"],
                                  "pools": [{"volcat": "QCVOLCAT", "name": POOL}],
                                  "mediadefs": {"volcat": "QCVOLCAT", "filecat": "QCFILCAT", "pool": POOL,
                                                "ssl": ["\\INSIDX"]}}}]},
            {"name": "SECONDARY", "nodes": [{"name": "\\ETINIUM", "number": 14, "autoexpire_time": "off",
                                              "volumes": {"$SYSTEM": 0, "$DATA15": 0}}]}],
        "links": [{"kind": "EXPAND", "between": ["\\INSIDX", "\\ETINIUM"]}],
        "domains": [{"id": "E501NEW", "manager": "\\INSIDX", "daily_cleanup_time": "OFF",
                     "license": {"key": "BENCH", "options": ["CATALOG_SYNC"], "expiry_date": "2027-12-31"},
                     "data_stores": [{"id": STORE, "type": "WINDISK", "domain_access": "PRIMARY",
                                      "storage": "STO_PRI",
                                      "export_config": {"export_destination": "", "include_disk_files": True},
                                      "volume_groups": [{"id": GROUP, "tape_catalog": "DSMTC", "volcat": "QCVOLCAT",
                                                         "pool": POOL, "max_volume_size_mb": 1}]}]}],
    }


def progress(text: str) -> None:
    print(f"\r  {text}", end="", file=sys.stderr, flush=True)


def load(topo: Topology, volumes: int, disk_files: int) -> None:
    """The store's volumes (CreateVolumes), then per volume a TAPEFILE and its DISKFILEs (one ApplyBatch)."""
    domain = topo.domain("E501NEW")
    labels = [f"V{n:05d}" for n in range(1, volumes + 1)]
    for start in range(0, volumes, 1000):
        chunk = labels[start:start + 1000]
        req = bb.CreateVolumesRequest(volume_group_id=GROUP, user="SUPER.SUPER", origin=bb.OPERATION_ORIGIN_UI)
        req.range.first, req.range.last = chunk[0], chunk[-1]
        domain.CreateVolumes(req, timeout=600)
        progress(f"volumes created: {start + len(chunk):,}/{volumes:,}")
    print(file=sys.stderr)

    def requests() -> Iterator[mc.ApplyBatchRequest]:
        ops: list[mc.CatalogOp] = []
        for n, label in enumerate(labels):
            fid = f"BENCH-{n // 100:04d}"
            ops.append(mc.CatalogOp(upsert_tape_volume=mc.TapeVolume(
                volser=label, volcat=VOLCAT, pool=POOL, label=mc.LABEL_TYPE_ANSI, media_type="LTO3", density="ANY",
                status=mc.VOLUME_STATUS_ASSIGNED, volset_id=label, vol_index=1)))
            ops.append(mc.CatalogOp(upsert_tape_file=mc.TapeFile(
                filecat=FILECAT, file_id=fid, generation=n % 100 + 1, physical_copy=1, logical_copy=1,
                status=mc.TAPE_FILE_STATUS_VALID, mode=mc.TAPE_FILE_MODE_BKFI, catalog_files=True, volcat=VOLCAT,
                pool=POOL, volset_id=label, permanent=True,
                volumes=[mc.TapeFileVolume(volser=label, vol_index=1, file_section=1, file_sequence=1)])))
            ops.extend(mc.CatalogOp(upsert_disk_file=mc.DiskFile(
                filecat=FILECAT, disk_file_name=f"\\INSIDX.$DATA01.SV{n:05d}.F{d:06d}", file_id=fid,
                generation=n % 100 + 1, physical_copy=1, logical_copy=1, status=mc.DISK_FILE_STATUS_VALID,
                volset_id=label, vol_index=1)) for d in range(disk_files))
            if len(ops) >= 1000 or n == len(labels) - 1:
                yield mc.ApplyBatchRequest(options=mc.BatchOptions(label="bench") if n < 1000 else None, ops=ops)
                ops = []
                if (n + 1) % 500 < 10 or n == len(labels) - 1:
                    progress(f"DSM/TC entries: {n + 1:,}/{volumes:,} volumes")
    topo.media_catalog("\\INSIDX").ApplyBatch(requests(), timeout=3600)
    print(file=sys.stderr)


def set_destination(topo: Topology, destination: str) -> None:
    topo.domain("E501NEW").UpdateExportConfig(bb.UpdateExportConfigRequest(
        data_store_id=STORE, export_config=bb.ExportConfig(export_destination=destination),
        field_mask=["export_destination"]), timeout=60)


def timed_export(topo: Topology, kind: int, what: str) -> tuple[float, cs.ExportProcessInfo]:
    """Start the export, show its progress (volumes still pending, elapsed time), return (seconds, run)."""
    stub = topo.catalog_sync("E501NEW")
    began = time.perf_counter()
    run = stub.ExportCatalog(cs.ExportCatalogRequest(data_store_id=STORE, type=kind), timeout=60).runs[0]
    if run.status == cs.PROCESS_STATUS_REJECTED:
        raise SystemExit(f"{what}: export rejected ({run.rule}): {run.reason}")
    guardian = topo.guardian("\\INSIDX")
    while True:
        done = guardian.WaitProcess(guardian_pb2.WaitProcessRequest(name=run.process, timeout_seconds=1.0),
                                    timeout=30).ended
        progress(f"{what}: {time.perf_counter() - began:6.1f} s")
        if done:
            break
    elapsed = time.perf_counter() - began
    print(file=sys.stderr)
    final = stub.GetExportStatus(cs.GetExportStatusRequest(data_store_id=STORE), timeout=60).latest_export
    if final.status != cs.PROCESS_STATUS_FINISHED:
        raise SystemExit(f"{what}: export did not finish: {final.reason}")
    return elapsed, final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volumes", type=int, default=10_000)
    parser.add_argument("--disk-files", type=int, default=100, help="DISKFILEs per volume")
    parser.add_argument("--changed", type=int, default=10, help="volumes changed before the UPDATE export")
    opts = parser.parse_args(argv)
    rows = opts.volumes * opts.disk_files
    with start_topology(topology()) as topo:
        began = time.perf_counter()
        load(topo, opts.volumes, opts.disk_files)
        print(f"loaded {opts.volumes:,} volumes, {rows:,} DISKFILEs in {time.perf_counter() - began:.1f} s",
              file=sys.stderr)
        set_destination(topo, LOCAL)
        local_s, _ = timed_export(topo, cs.SYNC_TYPE_FULL, "FULL export, staging on \\INSIDX (no link)")
        set_destination(topo, REMOTE)
        remote_s, full = timed_export(topo, cs.SYNC_TYPE_FULL, "FULL export over the Expand link to \\ETINIUM")
        set_destination(topo, "")       # the changes below stay pending (R31) until the timed UPDATE
        changed = [f"V{n:05d}" for n in range(1, opts.changed + 1)]
        altered = topo.domain("E501NEW").AlterVolumeStatus(bb.AlterVolumeStatusRequest(
            labels=changed, status=mc.VOLUME_STATUS_FULL, user="SUPER.SUPER"), timeout=60)
        if altered.rejected:
            raise SystemExit(f"ALTER TAPEVOLUME refused: {altered.rejected[0].reason}")
        topo.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=0)), timeout=600)  # settle
        set_destination(topo, REMOTE)
        update_s, update = timed_export(topo, cs.SYNC_TYPE_UPDATE, f"UPDATE export of {opts.changed} volumes")
    print(f"{'export':<44} {'seconds':>8} {'volumes/s':>10} {'DISKFILE rows/s':>16} {'ratio':>6}")
    print(f"{'FULL, staging on the primary node (baseline)':<44} {local_s:8.2f} {opts.volumes / local_s:10,.0f}"
          f" {rows / local_s:16,.0f} {1.0:6.2f}")
    print(f"{'FULL, over the Expand link':<44} {remote_s:8.2f} {opts.volumes / remote_s:10,.0f}"
          f" {rows / remote_s:16,.0f} {local_s / remote_s:6.2f}")
    print(f"{f'UPDATE of {update.volumes_processed} changed volumes, over the link':<44} {update_s:8.2f}"
          f" {update.volumes_processed / update_s:10,.1f} {'':>16} {update_s / remote_s:6.3f}")
    print(f"\nFULL exported {full.volumes_processed:,} volumes; the UPDATE took {update_s / remote_s:.1%} of the"
          " FULL time (ratio column: baseline / link for the FULL, UPDATE / FULL for the UPDATE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
