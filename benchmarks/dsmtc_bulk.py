"""DSM/TC bulk apply: stream DISKFILE rows through MediaCatalog.ApplyBatch (one transaction, ~1,000 rows per
message) into a node, next to raw `sqlite3.executemany` of the same rows in one transaction, measured in the same
run. Prints rows/s and the ratio.

    python benchmarks/dsmtc_bulk.py [--rows 1000000] [--chunk 1000]
"""

from __future__ import annotations

import os

# gRPC core logs closed connections at INFO on stderr; a person reading the output wants only errors
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from emulator.v1 import media_catalog_pb2 as mc
from harness.launcher import start_topology

FILECAT = "\\ETINIUM.SHCH409FC"


def _rows(n: int) -> list[tuple]:
    return [(FILECAT, f"\\INSIDX.$DATA{i % 90 + 10:02d}.SV{(i // 1000) % 100000:05d}.F{i % 1000:06d}",
             "E501NEW-OBK11-WIN1", 1 + i // 500_000, 0, 1, 1, "2025-09-23T20:00:00Z", 1, "EW1008", 1)
            for i in range(n)]


def raw_sqlite(rows: list[tuple], folder: Path) -> float:
    conn = sqlite3.connect(folder / "raw.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("""CREATE TABLE diskfile (filecat TEXT, disk_file_name TEXT, file_id TEXT, generation INTEGER,
                    version INTEGER, physical_copy INTEGER, logical_copy INTEGER, time_dumped TEXT, status INTEGER,
                    volset_id TEXT, vol_index INTEGER,
                    PRIMARY KEY (filecat, disk_file_name, file_id, generation, version, physical_copy))""")
    began = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO diskfile VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


def build_requests(rows: list[tuple], chunk: int) -> list[mc.ApplyBatchRequest]:
    """The streamed messages, built before the clock starts (a client program builds them on its own CPU)."""
    requests = []
    for start in range(0, len(rows), chunk):
        ops = [mc.CatalogOp(upsert_disk_file=mc.DiskFile(
            filecat=r[0], disk_file_name=r[1], file_id=r[2], generation=r[3], version=r[4], physical_copy=r[5],
            logical_copy=r[6], status=mc.DISK_FILE_STATUS_VALID, volset_id=r[9], vol_index=r[10]))
            for r in rows[start:start + chunk]]
        requests.append(mc.ApplyBatchRequest(options=mc.BatchOptions(label="bench") if start == 0 else None,
                                             ops=ops))
    return requests


def _with_progress(requests: list[mc.ApplyBatchRequest], total: int):
    """Yield the messages, showing rows sent so far on stderr (a person is waiting)."""
    sent = 0
    for i, request in enumerate(requests):
        sent += len(request.ops)
        if i % 50 == 0 or sent == total:
            print(f"\r  ApplyBatch: {sent:,}/{total:,} rows sent", end="", file=sys.stderr, flush=True)
        yield request
    print(file=sys.stderr)


def through_grpc(requests: list[mc.ApplyBatchRequest], expected: int) -> float:
    with start_topology("two-node") as topo:
        stub = topo.media_catalog("\\ETINIUM")
        began = time.perf_counter()
        resp = stub.ApplyBatch(_with_progress(requests, expected), timeout=3600)
        elapsed = time.perf_counter() - began
        assert resp.disk_files.added == expected, resp
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=1000, help="rows per streamed message (default 1,000)")
    opts = parser.parse_args()
    rows = _rows(opts.rows)
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_sqlite(rows, Path(tmp))
    began = time.perf_counter()
    requests = build_requests(rows, opts.chunk)
    build = time.perf_counter() - began
    rpc_time = through_grpc(requests, opts.rows)
    print(f"{'path':<44} {'rows/s':>10} {'ratio':>7}")
    print(f"{'raw sqlite3.executemany, one transaction':<44} {opts.rows / raw:>10,.0f} {1.0:>7.2f}")
    print(f"{'MediaCatalog.ApplyBatch over gRPC':<44} {opts.rows / rpc_time:>10,.0f} {raw / rpc_time:>7.2f}")
    print(f"{'(client building the messages, not timed above)':<44} {opts.rows / build:>10,.0f}")


if __name__ == "__main__":
    main()
