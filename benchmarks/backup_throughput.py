"""Backup throughput of a BackBox domain: BackBoxDomain.RunBackup on a 1,000-volume DSM/TC data store, each
backup with 1,000 DISKFILEs (CATALOGFILES), through the whole path (VTC mount, image write to storage, TAPEFILE +
TFTOV + DISKFILE entries in DSM/TC, unload, export trigger). Measured in the same run: the same DISKFILE rows
streamed straight into MediaCatalog.ApplyBatch (the DSM/TC share alone), so the ratio shows what the rest of a
backup costs. Prints backups/s, DISKFILE rows/s and the ratio.

    python benchmarks/backup_throughput.py [--volumes 1000] [--backups 200] [--disk-files 1000]
"""

from __future__ import annotations

import os

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import argparse
import sys
import time

from emulator.v1 import backbox_domain_pb2 as bb, media_catalog_pb2 as mc
from harness.launcher import start_topology


def topology(volumes: int) -> dict:
    last = f"BT{volumes:04d}" if volumes < 10_000 else f"B{volumes:05d}"
    first = "BT0001" if volumes < 10_000 else "B00001"
    return {
        "name": "backup-bench", "seed": 1, "clock": {"mode": "virtual"},
        "sites": [{"name": "PRIMARY", "storage": [{"id": "STO_PRI", "path": "\\\\bench\\pri"}],
                   "vtcs": [{"id": "VTC1", "domain": "BENCH", "node": "\\INSIDX", "drives": 4}],
                   "nodes": [{"name": "\\INSIDX", "number": 12, "autoexpire_time": "off",
                              "dsmtc": {"volcats": ["QCVOLCAT"], "filecats": ["QCFILCAT"],
                                        "pools": [{"volcat": "QCVOLCAT", "name": "BENCH_POOL"}],
                                        "mediadefs": {"volcat": "QCVOLCAT", "filecat": "QCFILCAT",
                                                      "pool": "BENCH_POOL", "retention_days": 30}}}]}],
        "domains": [{"id": "BENCH", "manager": "\\INSIDX", "daily_cleanup_time": "OFF",
                     "data_stores": [{"id": "DS_BENCH", "type": "WINDISK", "domain_access": "PRIMARY",
                                      "storage": "STO_PRI",
                                      "volume_groups": [{"id": "VG_BENCH", "tape_catalog": "DSMTC",
                                                         "volcat": "QCVOLCAT", "pool": "BENCH_POOL",
                                                         "max_volume_size_mb": 64,
                                                         "volumes": f"{first}-{last}"}]}]}],
    }


def direct_apply(topo, backups: int, disk_files: int) -> float:
    """The same DISKFILE rows straight into ApplyBatch, one stream per backup (the DSM/TC share)."""
    stub = topo.media_catalog("\\INSIDX")
    began = time.perf_counter()
    for b in range(backups):
        def stream(b=b):
            for start in range(0, disk_files, 1000):
                ops = [mc.CatalogOp(upsert_disk_file=mc.DiskFile(
                    filecat="\\INSIDX.QCFILCAT", disk_file_name=f"\\INSIDX.$DATA01.DIRECT.F{i:07d}",
                    file_id=f"DIRECT-{b}", generation=1, physical_copy=1, logical_copy=1,
                    status=mc.DISK_FILE_STATUS_VALID, volset_id="BT0001", vol_index=1))
                    for i in range(start, min(start + 1000, disk_files))]
                yield mc.ApplyBatchRequest(ops=ops)
        stub.ApplyBatch(stream(), timeout=600)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--volumes", type=int, default=1000)
    ap.add_argument("--backups", type=int, default=200, help="backups to time (each on a scratch volume)")
    ap.add_argument("--disk-files", type=int, default=1000)
    ap.add_argument("--data-bytes", type=int, default=64 * 1024)
    args = ap.parse_args(argv)
    if args.backups > args.volumes:
        ap.error("--backups must not exceed --volumes: each backup takes a scratch volume")
    print(f"starting a domain with {args.volumes:,} volumes ...", file=sys.stderr)
    with start_topology(topology(args.volumes)) as topo:
        domain = topo.domain("BENCH")
        began = time.perf_counter()
        for b in range(args.backups):
            domain.RunBackup(bb.RunBackupRequest(
                node="\\INSIDX", volume_group_id="VG_BENCH", file_id=f"BENCH-OBK{b:05d}", data_bytes=args.data_bytes,
                content_seed=b, catalog_files=True, disk_file_count=args.disk_files,
                disk_file_prefix="\\INSIDX.$DATA01.SALES."), timeout=600)
            if (b + 1) % max(args.backups // 10, 1) == 0:
                print(f"  {b + 1}/{args.backups} backups", file=sys.stderr)
        backup_s = time.perf_counter() - began
        direct_s = direct_apply(topo, args.backups, args.disk_files)
    rows = args.backups * args.disk_files
    print(f"{'path':<44} {'backups/s':>10} {'DISKFILE rows/s':>16}")
    print(f"{'RunBackup (mount, write, catalog, unload)':<44} {args.backups / backup_s:>10.1f} {rows / backup_s:>16,.0f}")
    print(f"{'ApplyBatch of the same DISKFILE rows':<44} {'':>10} {rows / direct_s:>16,.0f}")
    print(f"ratio RunBackup / ApplyBatch rows: {direct_s / backup_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
