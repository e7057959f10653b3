"""Link proxy throughput: a bulk file stream (64 KiB chunks) into \\ETINIUM's Guardian, three ways, measured in
the same run: direct to its server (the baseline), through the Expand link proxy's port, and written on \\INSIDX
with a remote name (forwarded by \\INSIDX's Guardian over the link). Prints MB/s and the ratios.

    python benchmarks/link_proxy.py [--mb 256] [--repeat 3]
"""

from __future__ import annotations

import os

# gRPC core logs closed connections at INFO on stderr; a person reading the output wants only errors
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import argparse
import sys
import time

from emulator import rpc
from emulator.v1 import guardian_pb2, guardian_pb2_grpc
from harness.launcher import start_topology

CHUNK = 64 * 1024


def _stream(stub: guardian_pb2_grpc.GuardianStub, name: str, total: int) -> float:
    block = b"\xa5" * CHUNK

    def chunks():
        yield guardian_pb2.WriteFileRequest(name=name, mode=guardian_pb2.WRITE_MODE_REPLACE, data=block)
        for _ in range(total // CHUNK - 1):
            yield guardian_pb2.WriteFileRequest(data=block)

    began = time.perf_counter()
    info = stub.WriteFile(chunks(), timeout=600).info
    elapsed = time.perf_counter() - began
    assert info.size == total, (info.size, total)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=256, help="megabytes per stream (default 256)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per way; the best is kept (default 3)")
    opts = parser.parse_args()
    total = opts.mb * 1024 * 1024
    with start_topology("two-node") as topo:
        link = topo.links[topo.link_id("\\INSIDX", "\\ETINIUM")]
        ways = {
            "direct to \\ETINIUM (baseline)": (topo.guardian("\\ETINIUM"), "$DATA15.BENCH.DIRECT"),
            "through the link proxy port": (guardian_pb2_grpc.GuardianStub(rpc.channel(link.to_b.address)),
                                            "$DATA15.BENCH.PROXY"),
            "forwarded by \\INSIDX Guardian": (topo.guardian("\\INSIDX"), "\\ETINIUM.$DATA15.BENCH.FORWARD"),
        }
        best = {}
        for way, (stub, name) in ways.items():
            print(f"  streaming {opts.mb} MB x{opts.repeat}: {way} ...", file=sys.stderr, flush=True)
            best[way] = min(_stream(stub, name, total) for _ in range(opts.repeat))
    base = best["direct to \\ETINIUM (baseline)"]
    print(f"{'way':<34} {'MB/s':>8} {'ratio':>7}")
    for way, seconds in best.items():
        print(f"{way:<34} {opts.mb / seconds:>8.1f} {base / seconds:>7.2f}")


if __name__ == "__main__":
    main()
