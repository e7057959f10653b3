"""The web console's cost and reaction time on the `minimal` DR pair with 10 backups:

- pages per second: the Export Status page fetched over HTTP (console server, its gRPC calls, the HTML), against
  a baseline of the bare `CatalogSync.GetExportStatus` call from the same client, in the same run (ratio = page
  rate / call rate): what drawing a page costs beyond the one status call;
- the Volumes page (one page of up to 100 rows) the same way against a bare `BackBoxDomain.ListVolumes` page;
- live update latency: an event stream open on the Export Status page, a backup run by the harness, the wall
  time from the backup's end until the stream delivers the changed page (median of the runs).

    python benchmarks/web_console.py [--pages 200] [--updates 5]
"""

from __future__ import annotations

import os

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import argparse
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catsync.v1 import catalog_sync_pb2 as cs  # noqa: E402
from emulator.v1 import backbox_domain_pb2 as bb, common_pb2  # noqa: E402
from harness.history import History  # noqa: E402
from harness.launcher import start_topology  # noqa: E402
from harness.sim import Sim  # noqa: E402
from harness.web import start_console  # noqa: E402
from harness.workload import Workload  # noqa: E402

EXPORT_PAGE = "/domain/E501NEW/store/DS_WIN1_DES/export"
VOLUMES_PAGE = "/domain/E501NEW/volumes"


def rate(n: int, fn) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - t0)


def get(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    if resp.status != 200:
        raise SystemExit(f"GET {path}: {resp.status}")
    return body


def update_latency(sim: Sim, port: int) -> float:
    """Seconds from the end of a backup until the Export Status stream sends the changed page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"/live?path={EXPORT_PAGE}")
    resp = conn.getresponse()
    seen = threading.Event()
    updates = [0]
    first = threading.Event()

    def read() -> None:
        for line in resp:
            if line.startswith(b"event: update"):
                updates[0] += 1
                if updates[0] == 1:
                    first.set()
                else:
                    seen.set()
                    return
    threading.Thread(target=read, daemon=True).start()
    first.wait(30)                        # the page as it is
    sim.backup(count=1)
    ended = time.perf_counter()
    seen.wait(30)
    latency = time.perf_counter() - ended
    conn.close()
    return latency


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200, help="page fetches per measure (default 200)")
    ap.add_argument("--updates", type=int, default=5, help="live updates measured (default 5)")
    args = ap.parse_args(argv)
    topo = start_topology("minimal", state_dir=Path(tempfile.mkdtemp(prefix="bench-web-")))
    try:
        sim = Sim(topo, History(), seed=1, workload=Workload(1, topo.spec))
        sim.backup(count=10)
        sim.advance(0)
        web = start_console(sim, "127.0.0.1:0")
        try:
            port = web.port
            stub, dom = topo.catalog_sync("E501NEW"), topo.domain("E501NEW")
            get(port, EXPORT_PAGE)   # warm
            call = rate(args.pages, lambda: stub.GetExportStatus(cs.GetExportStatusRequest(
                data_store_id="DS_WIN1_DES"), timeout=30))
            page = rate(args.pages, lambda: get(port, EXPORT_PAGE))
            vcall = rate(args.pages, lambda: dom.ListVolumes(bb.ListVolumesRequest(
                page=common_pb2.PageRequest(page_size=100)), timeout=30))
            vpage = rate(args.pages, lambda: get(port, VOLUMES_PAGE))
            print(f"{'measure':<44} {'per s':>9} {'baseline per s':>15} {'ratio':>6}")
            print(f"{'Export Status page vs GetExportStatus':<44} {page:>9.1f} {call:>15.1f} {page / call:>6.2f}")
            print(f"{'Volumes page vs ListVolumes(100)':<44} {vpage:>9.1f} {vcall:>15.1f} {vpage / vcall:>6.2f}")
            latencies = [update_latency(sim, port) for _ in range(args.updates)]
            print(f"live update after a backup: median {statistics.median(latencies) * 1000:.0f} ms, worst"
                  f" {max(latencies) * 1000:.0f} ms ({args.updates} backups; the stream looks every 0.5 s)")
        finally:
            web.close()
    finally:
        topo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
