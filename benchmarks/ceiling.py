"""Measure the bare-Litestar ceiling on this machine and check the load generator itself.

Starts ``benchmarks.bare_app:app`` under uvicorn, then for each run and each load-generator
configuration (1 process, 2 processes, ... — interleaved so machine noise hits all configs
alike) sends ``--total`` ``POST /bare`` requests over ``--concurrency`` keep-alive connections.
Prints every run, the medians, the CPU used by the client and by the server, and the ratio of
each configuration to the first one.

    python -m benchmarks.ceiling                 # 3 runs x 20,000 requests, 32 conns, 1 vs 2 procs
    python -m benchmarks.ceiling --processes 1 --runs 5 --workers 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loadgen import (
    LoadResult,
    format_ratio,
    format_result,
    median_of,
    run,
    run_load,
)
from benchmarks.servers import serve


def bare_request(i: int) -> tuple[str, str, bytes, dict[str, str]]:
    body = b'{"name":"Visitor %d","email":"visitor%d@example.org"}' % (i, i)
    return "POST", "/bare", body, {"Content-Type": "application/json"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--total", type=int, default=20_000, help="requests per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--processes", default="1,2", help="client process counts to compare")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers")
    parser.add_argument("--warmup", type=int, default=2_000)
    args = parser.parse_args(argv)
    configs = [int(p) for p in args.processes.split(",")]

    results: dict[int, list[LoadResult]] = {p: [] for p in configs}
    server_share: dict[int, list[float]] = {p: [] for p in configs}
    parent_cpu0 = time.process_time()
    with serve("benchmarks.bare_app:app", workers=args.workers) as server:
        host, port = server
        print(
            f"bare_app on {host}:{port}, {args.workers} worker(s); "
            f"{args.runs} runs x {args.total} x POST /bare, {args.concurrency} connections"
        )
        run(run_load(host, port, bare_request, total=args.warmup, concurrency=args.concurrency))
        for n in range(1, args.runs + 1):
            for p in configs:
                cpu0 = server.cpu_seconds()
                res = run(
                    run_load(
                        host,
                        port,
                        bare_request,
                        total=args.total,
                        concurrency=args.concurrency,
                        processes=p,
                    )
                )
                share = (server.cpu_seconds() - cpu0) / res.seconds
                results[p].append(res)
                server_share[p].append(share)
                print(
                    format_result(f"run {n} client-procs={p}", res) + f"  server-cpu {share:4.0%}"
                )
    parent_cpu = time.process_time() - parent_cpu0

    print("\nmedians (client/server CPU = CPU seconds / wall seconds; 100% = one core)")
    medians = {p: median_of(results[p]) for p in configs}
    for p in configs:
        print(
            format_result(f"median client-procs={p}", medians[p])
            + f"  server-cpu {statistics.median(server_share[p]):4.0%}"
        )
    base = configs[0]
    for p in configs[1:]:
        print(format_ratio(f"client-procs={p} vs {base}", medians[p], medians[base]))
    print(
        f"\nload-generator CPU in this process (time.process_time): {parent_cpu:.2f} s "
        "(children of client-procs>1 are counted in client-cpu above)"
    )
    errors = sum(m.errors for m in medians.values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
