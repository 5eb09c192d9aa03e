"""What /metrics costs each request: the request-id, counter and latency histogram of
``app.metrics.observe_middleware`` around a trivial ASGI app, against the same app without
it, in this process (no network, no server: the middleware's own CPU time, measured as process
CPU time so other load on the machine does not count), plus the
check-in status counter.

    python -m benchmarks.metrics_overhead            # 7 runs x 50,000 calls
    PROMETHEUS_MULTIPROC_DIR=$(mktemp -d) python -m benchmarks.metrics_overhead  # --workers N

Prints the median µs per call of each, and the difference; compare it with a check-in's
server CPU (about 250 µs per request in ``benchmarks.checkin`` on this machine).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

CALLS = 50_000
RUNS = 7


async def _app(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _receive():
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message) -> None:
    return None


async def _time(app, calls: int) -> float:
    scope = {"type": "http", "method": "POST", "headers": [(b"authorization", b"Bearer x")],
             "path_template": "/api/v1/events/{slug:str}/checkins"}
    started = time.process_time()
    for _ in range(calls):
        await app(dict(scope), _receive, _send)
    return (time.process_time() - started) / calls * 1e6


def main() -> None:
    from app.metrics import LATENCY, REQUESTS, count_checkin, observe_middleware

    observed = observe_middleware(_app)
    bare_runs, observed_runs, counter_runs, direct_runs = [], [], [], []
    # What the middleware avoids: prometheus-client's own update per request (a lock each).
    requests, latency = REQUESTS.labels("bench", "POST", "2xx"), LATENCY.labels("bench")
    loop = asyncio.new_event_loop()
    for _ in range(RUNS):
        bare_runs.append(loop.run_until_complete(_time(_app, CALLS)))
        observed_runs.append(loop.run_until_complete(_time(observed, CALLS)))
        started = time.process_time()
        for _ in range(CALLS):
            count_checkin("ok")
        counter_runs.append((time.process_time() - started) / CALLS * 1e6)
        started = time.process_time()
        for _ in range(CALLS):
            requests.inc()
            latency.observe(0.003)
        direct_runs.append((time.process_time() - started) / CALLS * 1e6)
    loop.close()
    bare, obs, counter, direct = (statistics.median(r) for r in (
        bare_runs, observed_runs, counter_runs, direct_runs))
    mode = "multiprocess" if os.environ.get("PROMETHEUS_MULTIPROC_DIR") else "one process"
    print(f"metrics overhead ({mode}, medians of {RUNS} runs x {CALLS:,} calls)")
    print(f"  bare ASGI call            {bare:6.2f} us")
    print(f"  with observe_middleware   {obs:6.2f} us  (+{obs - bare:.2f} us per request, "
          f"x{obs / bare:.2f} of the bare call)")
    print(f"  count_checkin             {counter:6.2f} us per scan")
    print(f"  (prometheus-client's Counter.inc + Histogram.observe per request instead: "
          f"{direct:.2f} us)")
    print(f"  per check-in: +{obs - bare + counter:.2f} us, "
          f"{(obs - bare + counter) / 250 * 100:.1f} % of ~250 us server CPU per check-in")


if __name__ == "__main__":
    main()
