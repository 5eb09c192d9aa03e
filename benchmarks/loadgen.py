"""Minimal, fast HTTP/1.1 load generator (pure asyncio, uvloop when available).

Each of ``concurrency`` clients owns one keep-alive connection and sends requests back to
back on it (no pipelining). ``make_request(i)`` builds request number ``i`` (0 <= i < total),
so every request can carry unique data (badge token, e-mail, ...).

With ``processes > 1`` the work is split over forked worker processes (Linux ``fork``), each
with its share of the connections and a disjoint slice of request indexes; results are merged
(latencies concatenated, wall time = first start .. last finish). ``make_request`` then runs in
the children, so side effects it has on parent state are not visible in the parent.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import time
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

try:  # pragma: no cover - depends on the environment
    import uvloop
except ImportError:  # pragma: no cover
    uvloop = None  # type: ignore[assignment]

__all__ = [
    "LoadResult",
    "RequestFactory",
    "compare",
    "format_ratio",
    "format_result",
    "median_of",
    "new_event_loop",
    "run",
    "run_load",
]

# (method, path, body, headers)
RequestSpec = tuple[str, str, bytes, dict[str, str]]
RequestFactory = Callable[[int], RequestSpec]
StatusCheck = Callable[[int], bool]


@dataclass
class LoadResult:
    """Outcome of one load run.

    ``requests`` counts responses received (any status); ``errors`` counts responses that failed
    ``check`` (default: status >= 500) plus connection failures. ``seconds`` is wall time,
    ``rps = requests / seconds``. ``client_cpu`` is CPU seconds burnt by the load generator
    (all its processes) — compare with ``seconds`` to see how much of the box the client took.
    """

    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int] = field(default_factory=dict)
    client_cpu: float = 0.0
    processes: int = 1
    concurrency: int = 0


class ProtocolError(Exception):
    """The server sent something that is not a valid HTTP/1.1 response."""


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A fresh event loop, uvloop if installed."""
    if uvloop is not None:
        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def run(coro: Any) -> Any:
    """``asyncio.run`` on uvloop when available (use from benchmark scripts)."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(coro)


# --------------------------------------------------------------------------- HTTP client


def _build_request(host_header: bytes, spec: RequestSpec) -> tuple[bytes, bool]:
    method, path, body, headers = spec
    parts = [f"{method} {path} HTTP/1.1\r\n".encode("latin-1")]
    seen = set()
    for name, value in headers.items():
        seen.add(name.lower())
        parts.append(f"{name}: {value}\r\n".encode("latin-1"))
    if "host" not in seen:
        parts.append(host_header)
    explicit_length = "content-length" in seen or "transfer-encoding" in seen
    if not explicit_length and (body or method not in ("GET", "HEAD", "DELETE", "OPTIONS")):
        parts.append(b"Content-Length: %d\r\n" % len(body))
    parts.append(b"\r\n")
    if body:
        parts.append(body)
    return b"".join(parts), method == "HEAD"


async def _read_response(reader: asyncio.StreamReader, head_only: bool) -> tuple[int, bool]:
    """Read one response; return (status, keep_alive). The body is read and discarded."""
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        if head[:7] != b"HTTP/1." or len(head) < 12:
            raise ProtocolError(head[:80])
        try:
            status = int(head[9:12])
        except ValueError as exc:
            raise ProtocolError(head[:80]) from exc
        http10 = head[7:8] == b"0"
        content_length = -1
        chunked = False
        conn_hdr = b""
        for line in head[:-4].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                content_length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                conn_hdr = value.strip().lower()
        keep_alive = (conn_hdr == b"keep-alive") if http10 else (conn_hdr != b"close")
        if 100 <= status < 200 and status != 101:
            continue  # interim response (100 Continue, 103 Early Hints): read the real one
        if head_only or status in (204, 304):
            return status, keep_alive
        if chunked:
            while True:
                size_line = await reader.readuntil(b"\r\n")
                size = int(size_line.split(b";", 1)[0], 16)
                if size == 0:
                    while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                        pass
                    break
                await reader.readexactly(size + 2)
        elif content_length >= 0:
            if content_length:
                await reader.readexactly(content_length)
        else:  # body delimited by connection close
            await reader.read()
            keep_alive = False
        return status, keep_alive


_CONN_ERRORS = (
    OSError,
    EOFError,
    asyncio.IncompleteReadError,
    asyncio.LimitOverrunError,
    ProtocolError,
    ValueError,
    asyncio.TimeoutError,
)


async def _run_local(
    host: str,
    port: int,
    make_request: RequestFactory,
    start: int,
    stop: int,
    concurrency: int,
    check: StatusCheck | None,
    timeout: float | None,
) -> tuple[array, int, dict[int, int], float, float]:
    """Run request indexes [start, stop) with ``concurrency`` clients in the current loop.

    Returns (latencies_seconds, errors, statuses, t_start, t_end) with perf_counter times.
    """
    host_header = f"Host: {host}:{port}\r\n".encode("latin-1")
    latencies = array("d")
    statuses: dict[int, int] = {}
    errors = 0
    next_i = start

    async def client() -> None:
        nonlocal next_i, errors
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        add_latency = latencies.append
        perf = time.perf_counter
        while next_i < stop:
            i = next_i
            next_i += 1
            data, head_only = _build_request(host_header, make_request(i))
            for attempt in (0, 1):
                reused = writer is not None
                try:
                    if writer is None:
                        reader, writer = await asyncio.open_connection(host, port)
                    assert reader is not None
                    t0 = perf()
                    writer.write(data)
                    if timeout is None:
                        status, keep_alive = await _read_response(reader, head_only)
                    else:
                        status, keep_alive = await asyncio.wait_for(
                            _read_response(reader, head_only), timeout
                        )
                    add_latency(perf() - t0)
                except _CONN_ERRORS as exc:
                    if writer is not None:
                        writer.close()
                    reader = writer = None
                    # A reused keep-alive connection closed by the server before we got any
                    # byte back is not a server failure: reconnect and retry once.
                    if (
                        attempt == 0
                        and reused
                        and isinstance(exc, (asyncio.IncompleteReadError, ConnectionError))
                        and not getattr(exc, "partial", b"")
                    ):
                        continue
                    errors += 1
                    if not reused:  # could not connect: don't spin
                        await asyncio.sleep(0.01)
                    break
                statuses[status] = statuses.get(status, 0) + 1
                if (status >= 500) if check is None else not check(status):
                    errors += 1
                if not keep_alive:
                    assert writer is not None
                    writer.close()
                    reader = writer = None
                break
        if writer is not None:
            writer.close()

    t_start = time.perf_counter()
    n_clients = max(1, min(concurrency, stop - start))
    await asyncio.gather(*(client() for _ in range(n_clients)))
    t_end = time.perf_counter()
    return latencies, errors, statuses, t_start, t_end


# --------------------------------------------------------------------------- results


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def _make_result(
    latencies: Sequence[float],
    errors: int,
    statuses: dict[int, int],
    seconds: float,
    client_cpu: float,
    processes: int,
    concurrency: int,
) -> LoadResult:
    lat = sorted(latencies)
    n = len(lat)
    return LoadResult(
        requests=n,
        errors=errors,
        seconds=seconds,
        rps=n / seconds if seconds > 0 else 0.0,
        p50_ms=_percentile(lat, 0.50) * 1000,
        p99_ms=_percentile(lat, 0.99) * 1000,
        statuses=dict(sorted(statuses.items())),
        client_cpu=client_cpu,
        processes=processes,
        concurrency=concurrency,
    )


def _child(
    out: Connection,
    ready: Any,
    go: Any,
    args: tuple[Any, ...],
) -> None:
    # Forked from inside a running loop: forget it (Python 3.11 does not reset this on fork).
    asyncio.events._set_running_loop(None)
    try:
        loop = new_event_loop()
        asyncio.set_event_loop(loop)
        ready.release()
        go.wait()
        cpu0 = time.process_time()
        lat, errors, statuses, t0, t1 = loop.run_until_complete(_run_local(*args))
        cpu = time.process_time() - cpu0
        loop.close()
        out.send((lat.tobytes(), errors, statuses, t0, t1, cpu))
    except BaseException as exc:  # report instead of hanging the parent
        out.send(exc)
    finally:
        out.close()


async def run_load(
    host: str,
    port: int,
    make_request: RequestFactory,
    *,
    total: int,
    concurrency: int = 32,
    processes: int = 1,
    check: StatusCheck | None = None,
    timeout: float | None = None,
) -> LoadResult:
    """Send ``total`` requests over ``concurrency`` keep-alive connections and measure.

    ``check(status) -> bool`` decides success (default: ``status < 500``). ``timeout`` is an
    optional per-request timeout in seconds (adds overhead; off by default). ``processes > 1``
    forks that many load-generator processes (connections and indexes split between them).
    """
    if processes <= 1:
        cpu0 = time.process_time()
        lat, errors, statuses, t0, t1 = await _run_local(
            host, port, make_request, 0, total, concurrency, check, timeout
        )
        return _make_result(
            lat, errors, statuses, t1 - t0, time.process_time() - cpu0, 1, concurrency
        )

    processes = min(processes, concurrency, max(1, total))
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Semaphore(0)
    go = ctx.Event()
    procs: list[tuple[Any, Connection]] = []
    for k in range(processes):
        start, stop = k * total // processes, (k + 1) * total // processes
        conc = concurrency // processes + (1 if k < concurrency % processes else 0)
        recv, send = ctx.Pipe(duplex=False)
        args = (host, port, make_request, start, stop, conc, check, timeout)
        proc = ctx.Process(target=_child, args=(send, ready, go, args), daemon=True)
        proc.start()
        send.close()
        procs.append((proc, recv))
    try:
        for _ in range(processes):
            await asyncio.to_thread(ready.acquire)
        go.set()
        parts = [await asyncio.to_thread(recv.recv) for _, recv in procs]
    finally:
        for proc, recv in procs:
            recv.close()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
    latencies = array("d")
    errors = 0
    statuses: dict[int, int] = {}
    starts, ends, cpu = [], [], 0.0
    for part in parts:
        if isinstance(part, BaseException):
            raise RuntimeError("load generator process failed") from part
        raw, errs, sts, t0, t1, c = part
        latencies.frombytes(raw)
        errors += errs
        for status, count in sts.items():
            statuses[status] = statuses.get(status, 0) + count
        starts.append(t0)
        ends.append(t1)
        cpu += c
    return _make_result(
        latencies, errors, statuses, max(ends) - min(starts), cpu, processes, concurrency
    )


def median_of(runs: Sequence[LoadResult]) -> LoadResult:
    """Per-field median of rps / p50 / p99 / seconds / client_cpu over ``runs``.

    ``requests``, ``errors`` and ``statuses`` are totals over all runs.
    """
    if not runs:
        raise ValueError("median_of() needs at least one run")
    statuses: dict[int, int] = {}
    for r in runs:
        for status, count in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return LoadResult(
        requests=sum(r.requests for r in runs),
        errors=sum(r.errors for r in runs),
        seconds=statistics.median(r.seconds for r in runs),
        rps=statistics.median(r.rps for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        statuses=dict(sorted(statuses.items())),
        client_cpu=statistics.median(r.client_cpu for r in runs),
        processes=runs[0].processes,
        concurrency=runs[0].concurrency,
    )


def format_result(name: str, result: LoadResult) -> str:
    """One line: name, rps, p50, p99, errors, statuses, client CPU share."""
    cpu_share = result.client_cpu / result.seconds if result.seconds else 0.0
    statuses = " ".join(f"{s}:{n}" for s, n in result.statuses.items())
    return (
        f"{name:<28} {result.rps:>9,.0f} rps  p50 {result.p50_ms:6.2f} ms  "
        f"p99 {result.p99_ms:7.2f} ms  err {result.errors:<4d} n {result.requests:<7d} "
        f"client-cpu {cpu_share:4.0%}  [{statuses}]"
    )


def format_ratio(name: str, result: LoadResult, baseline: LoadResult) -> str:
    """One line comparing ``result`` to ``baseline`` (e.g. app endpoint vs bare Litestar)."""
    rps = result.rps / baseline.rps if baseline.rps else 0.0
    p50 = result.p50_ms / baseline.p50_ms if baseline.p50_ms else 0.0
    p99 = result.p99_ms / baseline.p99_ms if baseline.p99_ms else 0.0
    return f"{name:<28} {rps:6.1%} of baseline rps  p50 x{p50:.2f}  p99 x{p99:.2f}"


def compare(
    cases: Mapping[str, Callable[[], LoadResult]],
    *,
    runs: int = 3,
    baseline: str | None = None,
    out: Callable[[str], object] = print,
) -> dict[str, LoadResult]:
    """Measure several cases ``runs`` times, interleaved, and print runs, medians and ratios.

    Each case is a zero-argument callable doing one measurement, e.g.
    ``lambda: run(run_load(host, port, make, total=20_000))``. Interleaving (A B A B A B)
    spreads machine noise over all cases. Ratios are against ``baseline`` (default: the first
    case — put the bare Litestar endpoint first). Returns the medians by case name.
    """
    results: dict[str, list[LoadResult]] = {name: [] for name in cases}
    for n in range(1, runs + 1):
        for name, measure in cases.items():
            res = measure()
            results[name].append(res)
            out(format_result(f"run {n} {name}", res))
    medians = {name: median_of(rs) for name, rs in results.items()}
    out(f"medians of {runs} runs:")
    for name, res in medians.items():
        out(format_result(f"median {name}", res))
    base = baseline if baseline is not None else next(iter(cases))
    for name, res in medians.items():
        if name != base:
            out(format_ratio(f"{name} / {base}", res, medians[base]))
    return medians
