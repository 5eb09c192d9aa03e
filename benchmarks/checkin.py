"""Door check-in throughput and live-dashboard delivery: ``POST /api/v1/events/{slug}/checkins``.

Sets up a fresh database (temp SQLite file, or with ``--postgres`` schema ``public`` of the
local database ``test`` dropped and recreated), migrates it (``eventops migrate``), and then,
in this process, creates an event whose check-in is open now (it started an hour ago),
bulk-inserts the visitors and registrations (multi-row ``INSERT``s in one transaction), creates
a door token and signs every badge token with ``badges.service.token_for`` (the signing key is
stored in the database, so the server verifies them). Then it starts the app
(``app.asgi:app``) and the bare Litestar app (``benchmarks.bare_app:app``), one uvicorn worker
each, and measures, interleaved with ``compare()`` (bare, check-in, check-in + dashboards):

* ``checkin``: ``--concurrency`` keep-alive clients scanning unique, valid badges
  (``{"token", "door": "Door <i % 4>"}``, door bearer token) with no dashboard connected;
* ``checkin+dash``: the same with ``--dashboards`` websocket clients on
  ``/ws/events/{slug}/live`` (connected before, disconnected after every run). They run in a
  separate process. For every item they receive (``checkin`` messages and ``batch`` items)
  the delivery delay is ``receive time - at``, where ``at`` is the time the server received
  the scan (same machine, same clock); p50/p99 are over all items of all dashboards.

Every check-in must answer 200 (anything else counts as an error). Afterwards the benchmark
checks that ``registration`` rows with ``checked_in_at`` set equal the number of 200
responses and the ``ok`` rows of ``scan_log`` (durable, nothing lost, every scan ``ok``).

    python -m benchmarks.checkin                         # SQLite, 3 runs x 10,000 per case
    python -m benchmarks.checkin --postgres              # PostgreSQL (drops schema public!)
    python -m benchmarks.checkin --visitors 15000 --runs 3 --dashboards 50
    python -m benchmarks.checkin --profile /tmp/checkin  # + py-spy profiles of extra runs

``--visitors N`` is the number of check-ins per case over all runs (N / runs per run); the
database gets 2 N + warm-up (+ 2 N / runs with ``--profile``) registrations. The machine has
2 cores shared by the server, the load generator and the dashboard process.

Targets: >= 5,000 check-ins/s and >= 40 % of the bare ceiling on SQLite; dashboard delivery
p99 < 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import msgspec

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loadgen import LoadResult, compare, run, run_load
from benchmarks.servers import REPO_ROOT, Server, serve

# Not the test suite's database `test`: a benchmark resets its schema.
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/eventops_bench"
EVENT_SLUG = "bench-checkin"
SECRET_KEY = "benchmark-secret-" + "x" * 32
TARGET_RPS = 5_000
TARGET_RATIO = 0.40
TARGET_DELAY_P99_MS = 250.0
INSERT_CHUNK = 1_000
WARMUP = 1_000
DRAIN_LIMIT = 120.0  # s to wait for the dashboards to catch up after a run
JSON_CT = "application/json"

RequestSpec = tuple[str, str, bytes, dict[str, str]]


# --------------------------------------------------------------------------- database setup


def app_env(database_url: str) -> dict[str, str]:
    env = {
        "EVENTOPS_DATABASE_URL": database_url,
        "EVENTOPS_RATE_LIMIT": "0",
        "EVENTOPS_SECRET_KEY": SECRET_KEY,
    }
    # Neutralise other EVENTOPS_* settings of the caller (empty means "default"): a Redis URL
    # would change how the live feed is published, an SMTP URL would send mail.
    for name in os.environ:
        if name.startswith("EVENTOPS_") and name not in env:
            env[name] = ""
    return env


def eventops(env: dict[str, str], *args: str) -> None:
    script = Path(sys.executable).with_name("eventops")
    cmd = [str(script)] if script.exists() else [
        sys.executable, "-c", "from app.cli import main; main()"]
    proc = subprocess.run([*cmd, *args], cwd=REPO_ROOT, env={**os.environ, **env},
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"eventops {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")


def reset_postgres(url: str) -> None:
    import asyncpg

    async def go() -> None:
        try:
            conn = await asyncpg.connect(url)
        except asyncpg.InvalidCatalogNameError:  # database missing: create it
            name = url.rsplit("/", 1)[1].split("?")[0]
            admin = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
            try:
                await admin.execute(f'CREATE DATABASE "{name}"')
            finally:
                await admin.close()
            conn = await asyncpg.connect(url)
        try:
            await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
        finally:
            await conn.close()

    run(go())


def query_rows(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Run one read-only query with a fresh connection (not the app's engine)."""
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return [tuple(r) for r in conn.execute(sql).fetchall()]
        finally:
            conn.close()
    import asyncpg

    async def go() -> list[tuple[Any, ...]]:
        conn = await asyncpg.connect(database_url)
        try:
            return [tuple(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()

    return run(go())


async def _bulk_register(event_id: int, n: int) -> list[int]:
    """``n`` visitors, each registered (badge serial 1), in one transaction. Returns the
    registration ids."""
    from event_ops import clock
    from event_ops.core.db import current_engine

    db = current_engine()
    now = clock.now()
    reg_ids: list[int] = []
    async with db.transaction():
        for start in range(0, n, INSERT_CHUNK):
            k = min(INSERT_CHUNK, n - start)
            args: list[Any] = []
            for i in range(start, start + k):
                args += [f"checkin-bench-{i}@example.nl", f"Visitor{i} Bench", True, now, now]
            rows = await db.fetch(
                "INSERT INTO visitor (email, name, phone, postcode, education_level,"
                " availability, sectors, language, share_profile, link_version, created_at,"
                " updated_at) VALUES "
                + ",".join(["(?, ?, '', '', '', '[]', '[\"care\"]', 'nl', ?, 1, ?, ?)"] * k)
                + " RETURNING id",
                args,
            )
            visitor_ids = [r["id"] for r in rows]
            args = []
            for visitor_id in visitor_ids:
                args += [event_id, visitor_id, now]
            rows = await db.fetch(
                "INSERT INTO registration (event, visitor, status, badge_serial, created_at,"
                " note) VALUES "
                + ",".join(["(?, ?, 'registered', 1, ?, '')"] * len(visitor_ids))
                + " RETURNING id",
                args,
            )
            reg_ids += [r["id"] for r in rows]
    return reg_ids


async def _prepare(n: int) -> tuple[str, list[str], float]:
    """Create the open event, ``n`` registrations, a door token and ``n`` badge tokens."""
    import app  # noqa: F401  (sets PICCOLO_CONF; the EVENTOPS_* env is set already)
    from badges.service import token_for
    from event_ops.access.tokens import create_token
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings
    from event_ops.events.service import create_event

    settings = get_settings()
    engine = database.current_engine()
    async with database.engine_running(engine, settings):
        starts = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
        event = await create_event(
            slug=EVENT_SLUG, name="Check-in bench", kind="festival", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=12), location="Groningen",
        )
        t0 = time.perf_counter()
        reg_ids = await _bulk_register(event.id, n)
        # Fresh statistics, as a live database has them (autovacuum analyses within a minute):
        # without, PostgreSQL plans the check-in UPDATE through (event, status) and filters
        # on id, which scans every registration of the event (5-7 ms each at 60,000).
        await engine.fetch("ANALYZE")
        insert_s = time.perf_counter() - t0
        door = await create_token(event, role="door", label="Door North")
        tokens = [await token_for(event.id, rid, 1, settings) for rid in reg_ids]
    return door, tokens, insert_s


def prepare(database_url: str, n: int) -> tuple[dict[str, str], str, list[str]]:
    env = app_env(database_url)
    t0 = time.perf_counter()
    eventops(env, "migrate")
    migrate_s = time.perf_counter() - t0
    os.environ.update(env)  # before the first import of ``app``: settings are cached
    os.environ.setdefault("PICCOLO_CONF", "event_ops.core.piccolo_conf")
    t0 = time.perf_counter()
    door, tokens, insert_s = run(_prepare(n))
    print(f"setup: migrate {migrate_s:.1f} s, {n:,} visitors + registrations inserted in "
          f"{insert_s:.1f} s, {len(tokens):,} badges signed; total "
          f"{time.perf_counter() - t0:.1f} s")
    return env, door, tokens


# --------------------------------------------------------------------------- dashboards
# Everything below down to ``DashboardProcess`` runs in the dashboard process (spawned).


@dataclass
class _Dash:
    items: int = 0
    messages: int = 0
    message_times: list[float] = field(default_factory=list)
    ws: Any = None


class _Item(msgspec.Struct):
    at: str


class _Message(msgspec.Struct):
    """A live-feed message, only the fields the dashboards measure (``at`` of each scan)."""

    type: str
    at: str | None = None
    items: list[_Item] | None = None


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


async def _dashboard_loop(conn: Connection) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    decode = msgspec.json.Decoder(_Message).decode
    epoch: dict[str, float] = {}  # the same scan reaches every dashboard: parse ``at`` once
    fromiso = dt.datetime.fromisoformat
    # Between two frames a client does as little as it can, so that the receive times of the
    # dashboards served after it are not late by this process's own work: every dashboard
    # gets the same bytes, so each message is decoded once (keyed by its length and first
    # 256 bytes, which hold its first scan's time to the microsecond), and the delays are
    # worked out after the run from (receive time, scan times) pairs.
    decoded: dict[tuple[int, bytes], array] = {}
    received: list[tuple[float, array]] = []  # all dashboards of the current run
    last_message = [0.0]
    dashes: list[_Dash] = []
    tasks: list[asyncio.Task[None]] = []

    def stamp(at: str) -> float:
        ts = epoch.get(at)
        if ts is None:
            ts = epoch[at] = fromiso(at).timestamp()
        return ts

    async def client(url: str, dash: _Dash, ready: asyncio.Future[None], gate: asyncio.Semaphore,
                     compression: str | None) -> None:
        try:
            async with gate:
                ws = await connect(url, max_size=None, compression=compression,
                                   ping_interval=None, open_timeout=60, close_timeout=5)
                dash.ws = ws
                first = msgspec.json.decode(await ws.recv(decode=False))
                if first.get("type") != "snapshot":
                    raise RuntimeError(f"first message is not a snapshot: {first}")
            ready.set_result(None)
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            return
        now = time.time
        add = received.append
        times = dash.message_times
        try:
            while True:
                raw = await ws.recv(decode=False)
                t = now()
                key = (len(raw), raw[:256])
                stamps = decoded.get(key)
                if stamps is None:
                    msg = decode(raw)
                    if msg.type == "batch" and msg.items is not None:
                        stamps = array("d", [stamp(item.at) for item in msg.items])
                    else:
                        stamps = array("d", [stamp(msg.at)] if msg.at is not None else [])
                    decoded[key] = stamps
                add((t, stamps))
                dash.items += len(stamps)
                dash.messages += 1
                times.append(t)
                last_message[0] = t
        except ConnectionClosed:
            pass

    async def close_all() -> None:
        async def close(d: _Dash) -> None:
            if d.ws is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(d.ws.close(), 10)

        await asyncio.gather(*(close(d) for d in dashes))
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        dashes.clear()
        tasks.clear()

    while True:
        cmd = await asyncio.to_thread(conn.recv)
        if cmd[0] == "connect":
            _, url, n, compression = cmd
            t0 = time.perf_counter()
            gate = asyncio.Semaphore(25)  # concurrent handshakes
            loop = asyncio.get_running_loop()
            readies = []
            for _ in range(n):
                dash = _Dash()
                ready = loop.create_future()
                dashes.append(dash)
                readies.append(ready)
                tasks.append(asyncio.create_task(client(url, dash, ready, gate, compression)))
            outcomes = await asyncio.gather(*readies, return_exceptions=True)
            failed = [o for o in outcomes if isinstance(o, BaseException)]
            del received[:]  # the clients hold ``received.append``: empty it, don't replace it
            decoded.clear()
            epoch.clear()
            conn.send({"connected": n - len(failed), "failed": len(failed),
                       "error": repr(failed[0]) if failed else "",
                       "seconds": time.perf_counter() - t0})
        elif cmd[0] == "drain":
            _, expected, t_start, t_end = cmd
            cpu_load = time.process_time()
            deadline = time.time() + DRAIN_LIMIT
            while time.time() < deadline:
                if all(d.items >= expected for d in dashes):
                    break
                if time.time() - max(last_message[0], t_end) > 1.5:
                    break  # quiet: whatever is missing is not coming
                await asyncio.sleep(0.05)
            drain_s = time.time() - t_end
            cpu_drain = time.process_time() - cpu_load
            window = max(t_end - t_start, 1e-9)
            rates = [sum(1 for t in d.message_times if t_start <= t <= t_end) / window
                     for d in dashes]
            # densest 1 s window per dashboard: coalescing should keep it at <= ~5
            peaks = []
            for d in dashes:
                ts, best, j = d.message_times, 0, 0
                for i in range(len(ts)):
                    while ts[i] - ts[j] > 1.0:
                        j += 1
                    best = max(best, i - j + 1)
                peaks.append(best)
            ordered = sorted((t - at) * 1000.0 for t, stamps in received for at in stamps)
            n = len(dashes)
            conn.send({
                "dashboards": n,
                "items": sum(d.items for d in dashes),
                "expected": expected * n,
                "complete": sum(1 for d in dashes if d.items >= expected),
                "messages": sum(d.messages for d in dashes),
                "p50_ms": _percentile(ordered, 0.50),
                "p99_ms": _percentile(ordered, 0.99),
                "max_ms": ordered[-1] if ordered else 0.0,
                "msgs_per_s": statistics.mean(rates) if rates else 0.0,
                "msgs_per_s_max": max(rates) if rates else 0.0,
                "peak_msgs_1s": max(peaks) if peaks else 0,
                "drain_s": drain_s,
                "cpu_drain": cpu_drain,
            })
            await close_all()
        elif cmd[0] == "cpu":
            conn.send(time.process_time())
        elif cmd[0] == "quit":
            await close_all()
            conn.send("bye")
            return


def _dashboard_main(conn: Connection) -> None:
    run(_dashboard_loop(conn))


class DashboardProcess:
    """The dashboard clients, in their own process so they don't take the load generator's
    event-loop time (they still share the machine's 2 cores with it and the server)."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_dashboard_main, args=(child,), daemon=True)
        self.proc.start()
        child.close()

    def call(self, *cmd: Any, timeout: float = 120) -> Any:
        self.conn.send(cmd)
        if not self.conn.poll(timeout):
            raise TimeoutError(f"dashboard process did not answer {cmd[0]!r}")
        return self.conn.recv()

    def cpu(self) -> float:
        return float(self.call("cpu"))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("quit", timeout=30)
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


# --------------------------------------------------------------------------- profiling


def start_profiler(pid: int, out: str, rate: int) -> subprocess.Popen[bytes] | None:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        print("warning: py-spy not found (pip install py-spy); not profiling", file=sys.stderr)
        return None
    proc = subprocess.Popen(
        [py_spy, "record", "--pid", str(pid), "--format", "raw", "-o", out,
         "--rate", str(rate), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.0)  # let it attach
    if proc.poll() is not None:
        print("warning: py-spy could not attach (ptrace not allowed?)", file=sys.stderr)
        return None
    return proc


def stop_profiler(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>.*?)(?::\d+)?\)$")


def _frame_key(frame: str) -> tuple[str, str]:
    """(``function (short/file.py)``, package) of one py-spy frame."""
    m = _FRAME.match(frame)
    if not m:
        return frame, frame
    path = m["file"]
    if "site-packages/" in path:
        short = path.split("site-packages/", 1)[1]
        package = short.split("/", 1)[0].removesuffix(".py")
    elif path.startswith(str(REPO_ROOT)):
        short = path[len(str(REPO_ROOT)) + 1:]
        package = "repo:" + short.split("/", 1)[0].removesuffix(".py")
    elif "/lib/python" in path:
        short = path.split("/lib/python", 1)[1].split("/", 1)[-1]
        package = "stdlib:" + short.split("/", 1)[0].removesuffix(".py")
    else:
        short = path
        package = path.split("/", 1)[0]
    return f"{m['func']} ({short})", package


# Frames every event-loop sample goes through (uvicorn's startup down to the loop itself).
_ROOT_FRAMES = re.compile(
    r"\((<frozen runpy>|click/core\.py|uvicorn/(main|server|_compat|__main__)\.py|"
    r"asyncio/runners\.py|asyncio/base_events\.py|asyncio/events\.py|uvloop/.*)\)$"
)


def summarize_profile(paths: Sequence[str], seconds: float, rate: int, top: int = 15,
                      out: Callable[[str], object] = print) -> None:
    """Top self-time and inclusive functions of the event-loop thread, self time per package.

    Stacks of other threads (started through ``threading``, e.g. a checkpoint thread) are
    counted apart. Shares are of the main thread's busy samples (py-spy leaves idle samples
    out: a loop waiting in epoll is not busy).
    """
    self_time: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    total = 0
    for path in paths:
        if not Path(path).exists():
            continue
        for line in Path(path).read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            keys = [_frame_key(f) for f in stack.split(";") if f]
            if not keys:
                continue
            if keys[0][0].startswith("Thread._bootstrap ("):
                # another thread: name it after its target (the first frame not in threading)
                target = next((k for k, _ in keys if "threading.py" not in k), keys[-1][0])
                threads[target] += n
                continue
            total += n
            self_time[keys[-1][0]] += n
            packages[keys[-1][1]] += n
            for name in {k for k, _ in keys}:
                inclusive[name] += n
    if not total:
        out("profile: no samples")
        return
    expected = seconds * rate
    out(f"profile: {total:,} busy samples of the event-loop thread out of ~{expected:,.0f} "
        f"({total / expected:.0%} of the wall time busy, runnable or on-CPU)")
    for name, n in threads.most_common(5):
        out(f"  other thread: {name}: {n:,} samples ({n / expected:.0%} of the wall time)")
    out(f"top {top} by self time (share of the event-loop thread's busy samples):")
    for name, n in self_time.most_common(top):
        out(f"  {n / total:6.1%}  {name}")
    out(f"top {top} by inclusive time (the server's startup frames left out):")
    shown = 0
    for name, n in inclusive.most_common():
        if _ROOT_FRAMES.search(name):
            continue
        out(f"  {n / total:6.1%}  {name}")
        shown += 1
        if shown >= top:
            break
    out("self time by package:")
    for name, n in packages.most_common(12):
        out(f"  {n / total:6.1%}  {name}")


# --------------------------------------------------------------------------- main


def bare_request(i: int) -> RequestSpec:
    body = b'{"name":"Visitor %d","email":"visitor%d@example.org"}' % (i, i)
    return "POST", "/bare", body, {"Content-Type": JSON_CT}


class Badges:
    """Hands out fresh (never scanned) badge tokens, run after run."""

    def __init__(self, tokens: list[str], door_token: str) -> None:
        self.tokens = tokens
        self.next = 0
        self.path = f"/api/v1/events/{EVENT_SLUG}/checkins"
        self.headers = {"Content-Type": JSON_CT, "Authorization": f"Bearer {door_token}"}

    def take(self, n: int) -> Callable[[int], RequestSpec]:
        if self.next + n > len(self.tokens):
            raise SystemExit(f"out of badges: {self.next + n} needed, {len(self.tokens)} made")
        bodies = [b'{"token":"%s","door":"Door %d"}' % (t.encode(), (self.next + i) % 4)
                  for i, t in enumerate(self.tokens[self.next:self.next + n])]
        self.next += n
        path, headers = self.path, self.headers

        def make(i: int) -> RequestSpec:
            return "POST", path, bodies[i], headers

        return make


def is_ok(status: int) -> bool:
    return status == 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--visitors", type=int, default=30_000,
                        help="check-ins per case over all runs (default 3 runs x 10,000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dashboards", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--bare-total", type=int, default=10_000, help="bare requests per run")
    parser.add_argument("--ws-compression", choices=("deflate", "none"), default="deflate",
                        help="permessage-deflate offered by the dashboards (browsers do)")
    parser.add_argument("--postgres", action="store_true",
                        help=f"use {POSTGRES_URL} (drops and recreates schema public)")
    parser.add_argument("--postgres-url", default=POSTGRES_URL,
                        help="database for --postgres (created if missing); the default is "
                        "shared with the test suite")
    parser.add_argument("--profile", metavar="PREFIX",
                        help="after the measured runs, one extra run of each check-in case "
                        "under py-spy (raw profiles PREFIX-checkin.txt, PREFIX-dash.txt) "
                        "and a summary")
    parser.add_argument("--profile-rate", type=int, default=200, help="py-spy samples/s")
    args = parser.parse_args(argv)

    per_run = args.visitors // args.runs
    n_badges = WARMUP + 2 * per_run * args.runs + (2 * per_run if args.profile else 0)
    compression = None if args.ws_compression == "none" else "deflate"

    with tempfile.TemporaryDirectory(prefix="eventops-bench-checkin-") as tmp:
        if args.postgres:
            database_url = args.postgres_url
            reset_postgres(database_url)
            backend = "PostgreSQL"
        else:
            database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            backend = "SQLite"
        env, door_token, tokens = prepare(database_url, n_badges)
        badges = Badges(tokens, door_token)
        dash_proc = DashboardProcess()
        dash_stats: list[dict[str, Any]] = []
        shares: dict[str, list[float]] = {"bare": [], "checkin": [], "checkin+dash": []}
        cpu_per_request: dict[str, list[float]] = {k: [] for k in shares}  # server CPU µs
        dash_cpu: list[float] = []
        ok_200 = 0
        sent = 0

        try:
            with (
                serve("benchmarks.bare_app:app", workers=1) as bare,
                serve("app.asgi:app", workers=1, env=env) as app,
            ):
                ws_url = (f"ws://{app.host}:{app.port}/ws/events/{EVENT_SLUG}/live"
                          f"?token={door_token}")

                def measure(server: Server, make: Callable[[int], RequestSpec], total: int,
                            check: Callable[[int], bool] | None, name: str) -> LoadResult:
                    nonlocal ok_200, sent
                    cpu0 = server.cpu_seconds()
                    res = run(run_load(server.host, server.port, make, total=total,
                                       concurrency=args.concurrency, check=check))
                    cpu = server.cpu_seconds() - cpu0
                    shares[name].append(cpu / res.seconds if res.seconds else 0.0)
                    cpu_per_request[name].append(cpu / res.requests * 1e6 if res.requests
                                                 else 0.0)
                    if server is app:
                        ok_200 += res.statuses.get(200, 0)
                        sent += total
                    return res

                def with_dashboards(total: int, name: str = "checkin+dash") -> LoadResult:
                    info = dash_proc.call("connect", ws_url, args.dashboards, compression)
                    if info["failed"]:
                        raise SystemExit(f"{info['failed']} of {args.dashboards} dashboards "
                                         f"could not connect: {info['error']}")
                    make = badges.take(total)
                    time.sleep(0.3)  # let the snapshots settle
                    cpu0 = dash_proc.cpu()
                    t_start = time.time()
                    res = measure(app, make, total, is_ok, name)
                    t_end = t_start + res.seconds
                    cpu1 = dash_proc.cpu()
                    stats = dash_proc.call("drain", res.requests, t_start, t_end)
                    stats["connect_s"] = info["seconds"]
                    dash_cpu.append((cpu1 - cpu0) / res.seconds if res.seconds else 0.0)
                    dash_stats.append(stats)
                    return res

                print(
                    f"{backend}: {args.runs} runs x {per_run:,} check-ins per case (unique "
                    f"badges; bare: {args.bare_total:,} POST /bare), {args.concurrency} "
                    f"connections, 1 uvicorn worker each, {args.dashboards} dashboards "
                    f"(websocket compression: {args.ws_compression}) in a separate process. "
                    f"Server, load generator and dashboards share {os.cpu_count()} cores; "
                    f"load average before: {os.getloadavg()[0]:.1f}."
                )
                # warm-up: bare, then check-ins with the dashboards connected
                run(run_load(bare.host, bare.port, bare_request, total=2_000,
                             concurrency=args.concurrency))
                warm = with_dashboards(WARMUP, "checkin+dash")
                shares["checkin+dash"].clear()
                cpu_per_request["checkin+dash"].clear()
                dash_stats.clear()
                dash_cpu.clear()
                if warm.errors:
                    print(f"warning: warm-up had {warm.errors} errors: {warm.statuses}",
                          file=sys.stderr)

                medians = compare(
                    {
                        "bare": lambda: measure(bare, bare_request, args.bare_total, None,
                                                "bare"),
                        "checkin": lambda: measure(app, badges.take(per_run), per_run, is_ok,
                                                   "checkin"),
                        "checkin+dash": lambda: with_dashboards(per_run),
                    },
                    runs=args.runs,
                )
                for n, s in enumerate(dash_stats, 1):
                    print(f"run {n} dashboards: {s['dashboards']} connected in "
                          f"{s['connect_s']:.1f} s; delivery p50 {s['p50_ms']:.0f} ms "
                          f"p99 {s['p99_ms']:.0f} ms max {s['max_ms']:.0f} ms; "
                          f"{s['msgs_per_s']:.1f} msgs/s per dashboard (max "
                          f"{s['msgs_per_s_max']:.1f}, densest 1 s: {s['peak_msgs_1s']}); "
                          f"items {s['items']:,}/{s['expected']:,} "
                          f"({s['complete']}/{s['dashboards']} complete), "
                          f"{s['drain_s']:.1f} s to drain after the load; "
                          f"dashboard-process cpu {dash_cpu[n - 1]:.0%}")

                profile_summaries: list[tuple[str, list[str], float]] = []
                if args.profile:
                    for name in ("checkin", "checkin+dash"):
                        out = f"{args.profile}-{'dash' if name != 'checkin' else 'checkin'}.txt"
                        profiler = start_profiler(app.pid, out, args.profile_rate)
                        t0 = time.perf_counter()
                        if name == "checkin":
                            res = measure(app, badges.take(per_run), per_run, is_ok, name)
                        else:
                            res = with_dashboards(per_run)
                        seconds = time.perf_counter() - t0
                        stop_profiler(profiler)
                        print(f"profiled run: {name}: {res.rps:,.0f} check-ins/s "
                              f"(py-spy --nonblocking at {args.profile_rate} Hz) -> {out}")
                        if profiler is not None:
                            profile_summaries.append((name, [out], seconds))
        finally:
            dash_proc.close()

        checked_in = query_rows(
            database_url, "SELECT COUNT(*) FROM registration WHERE checked_in_at IS NOT NULL"
        )[0][0]
        by_status = dict(query_rows(
            database_url, "SELECT status, COUNT(*) FROM scan_log GROUP BY status"))

    base, plain, dash = medians["bare"], medians["checkin"], medians["checkin+dash"]
    main_stats = dash_stats[: args.runs]

    def med(key: str) -> float:
        return statistics.median(s[key] for s in main_stats) if main_stats else 0.0

    def med_share(name: str) -> float:
        values = shares[name][: args.runs]
        return statistics.median(values) if values else 0.0

    def med_cpu(name: str) -> float:
        values = cpu_per_request[name][: args.runs]
        return statistics.median(values) if values else 0.0

    scans_ok = by_status.get("ok", 0)
    durable = checked_in == ok_200 == scans_ok == sent
    print()
    print(f"durability: {checked_in:,} registrations checked in, {ok_200:,} x 200 of "
          f"{sent:,} scans sent (warm-up included), scan_log {by_status} -> "
          f"{'OK, every scan ok and stored, nothing lost' if durable else 'MISMATCH'}")
    print()
    rows = [("check-in, no dashboards", plain, "checkin"),
            (f"check-in + {args.dashboards} dashboards", dash, "checkin+dash")]
    print(f"| {backend}, {args.concurrency} conns, medians of {args.runs} runs "
          "| check-ins/s | p50 ms | p99 ms | errors | server CPU | CPU µs/req | of bare ceiling |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| bare `POST /bare` (ceiling) | {base.rps:,.0f} | {base.p50_ms:.1f} | "
          f"{base.p99_ms:.1f} | {base.errors} | {med_share('bare'):.0%} | "
          f"{med_cpu('bare'):.0f} | 100% |")
    for label, res, key in rows:
        ratio = res.rps / base.rps if base.rps else 0.0
        print(f"| {label} | {res.rps:,.0f} | {res.p50_ms:.1f} | {res.p99_ms:.1f} | "
              f"{res.errors} | {med_share(key):.0%} | {med_cpu(key):.0f} | **{ratio:.1%}** |")
    print()
    print(f"dashboards ({args.dashboards}, medians of {args.runs} runs): delivery delay p50 "
          f"{med('p50_ms'):.0f} ms, p99 {med('p99_ms'):.0f} ms (now - server receive time, "
          f"all items of all dashboards); {med('msgs_per_s'):.1f} msgs/s per dashboard "
          f"(densest 1 s window {max((s['peak_msgs_1s'] for s in main_stats), default=0)}); "
          f"items delivered {sum(s['items'] for s in main_stats):,}/"
          f"{sum(s['expected'] for s in main_stats):,}; dashboard-process CPU "
          f"{statistics.median(dash_cpu[: args.runs]) if dash_cpu else 0:.0%} of a core")
    print()
    ratio_plain = plain.rps / base.rps if base.rps else 0.0
    ratio_dash = dash.rps / base.rps if base.rps else 0.0

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print("targets:")
    print(f"  >= {TARGET_RPS:,} check-ins/s: no dashboards {plain.rps:,.0f} "
          f"({verdict(plain.rps >= TARGET_RPS)}), with dashboards {dash.rps:,.0f} "
          f"({verdict(dash.rps >= TARGET_RPS)})")
    print(f"  >= {TARGET_RATIO:.0%} of the bare ceiling: no dashboards {ratio_plain:.1%} "
          f"({verdict(ratio_plain >= TARGET_RATIO)}), with dashboards {ratio_dash:.1%} "
          f"({verdict(ratio_dash >= TARGET_RATIO)})")
    print(f"  dashboard delivery p99 < {TARGET_DELAY_P99_MS:.0f} ms: {med('p99_ms'):.0f} ms "
          f"({verdict(med('p99_ms') < TARGET_DELAY_P99_MS)})")
    print(f"  (targets are for SQLite; this run: {backend}; 1-min load average at the end "
          f"{os.getloadavg()[0]:.1f}, this benchmark's own processes included)")
    print("  note: server, load generator and dashboard process share the machine's "
          f"{os.cpu_count()} cores")

    for name, paths, seconds in profile_summaries:
        print()
        print(f"== py-spy profile of the app server, one {name} run ==")
        summarize_profile(paths, seconds, args.profile_rate)

    errors = plain.errors + dash.errors + warm.errors
    return 0 if durable and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
