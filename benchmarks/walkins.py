"""Walk-ins at 10 desks with on-site printing, while the door rush runs.

Setup (``soak.prepare``): a fresh database (temp SQLite file, or ``--postgres``), ``eventops
migrate``, a festival whose check-in is open, ``--badges`` registered visitors with signed
badges (the door rush scans them), 10 door tokens (the desks; desk 1 is also the door of the
rush) and 10 print-station tokens. One uvicorn worker (``app.asgi:app``,
``EVENTOPS_RATE_LIMIT=0``). Each desk has its own print station; every station is connected
over its websocket (``/ws/events/{slug}/print``) and reports each job done as it arrives, as
the station page does.

One walk-in at a desk is what the desk's browser asks of the server, one after the other:

1. ``POST /walkins`` (name and phone, no e-mail; registered and checked in),
2. ``GET /badges/<link>/label/ql62x100`` (the printable badge page the station prints),
3. ``POST /print`` (the job for the desk's station).

"Server time per walk-in" is the sum of those three answer times (localhost, keep-alive).
"Print job reaches its station" is from the ``POST /print`` answer to the station's
websocket message that lists the job.

Runs, in this order, on one server:

* ``baseline``: ``--baseline`` walk-ins over the 10 desks, nothing else running;
* ``rush``: ``--walkins`` walk-ins (default 4,000: an hour's worth at a big festival) while
  a separate process scans badges at the door (fresh ones first, then re-scans) at
  ``--rush-rate`` scans a second over ``--rush-conns`` connections, until the last walk-in
  is done.

Both are paced (open loop): the desks together start ``--rate`` walk-ins a second (default
20: the hour's 4,000 in 200 s, 18 times the real pace), each desk one walk-in after the
other, never waiting for a late answer to keep its schedule. Sent as fast as the desks
could, they would only measure the queue they build themselves (Little's law), not the
server's time per walk-in. ``--rate 0`` sends as fast as possible.

    python -m benchmarks.walkins                 # SQLite
    python -m benchmarks.walkins --postgres

Targets: server time per walk-in p99 < 150 ms; print jobs reach their station p99 < 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.checkin import query_rows, reset_postgres
from benchmarks.loadgen import run
from benchmarks.servers import Server, serve
from benchmarks.soak import EVENT_SLUG, Conn, HttpError
from benchmarks.soak import prepare as soak_prepare

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/walkins_bench"
DESKS = 10
TARGET_WALKIN_P99_MS = 150.0
TARGET_DELIVERY_P99_MS = 1000.0
LABEL_FORMAT = "ql62x100"
BASE = f"/api/v1/events/{EVENT_SLUG}"


class Client(Conn):
    """``soak.Conn`` with GET as well (the label page)."""

    async def get(self, path: str, headers: bytes = b"") -> tuple[int, bytes, float]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        t0 = time.perf_counter()
        self.writer.write(b"GET %s HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n" % (
            path.encode(), self.host.encode(), self.port, headers))
        status, body, close = await self._read()
        latency = time.perf_counter() - t0
        self.last_used = time.monotonic()
        if close:
            self.close()
        return status, body, latency


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@dataclass
class Figures:
    walkin_ms: list[float] = field(default_factory=list)  # the three requests together
    register_ms: list[float] = field(default_factory=list)
    label_ms: list[float] = field(default_factory=list)
    print_ms: list[float] = field(default_factory=list)
    delivery_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    rush_scans: int = 0
    rush_errors: int = 0

    def line(self, name: str) -> str:
        n = len(self.walkin_ms)
        return (f"| {name} | {n:,} | {n / self.seconds if self.seconds else 0:,.0f} | "
                f"{pct(self.walkin_ms, .5):.1f} | **{pct(self.walkin_ms, .99):.1f}** | "
                f"{pct(self.register_ms, .99):.1f} / {pct(self.label_ms, .99):.1f} / "
                f"{pct(self.print_ms, .99):.1f} | {pct(self.delivery_ms, .5):.0f} | "
                f"**{pct(self.delivery_ms, .99):.0f}** | "
                f"{self.rush_scans / self.seconds if self.seconds else 0:,.0f} | "
                f"{self.errors + self.rush_errors} |")


# --------------------------------------------------------------------------- setup


async def _stations(n: int) -> list[tuple[int, str]]:
    import app  # noqa: F401  (sets PICCOLO_CONF)
    from event_ops.access.tokens import create_token
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings
    from event_ops.events.service import get_event

    async with database.engine_running(database.current_engine(), get_settings()):
        event = await get_event(EVENT_SLUG)
        out = []
        for k in range(n):
            token = await create_token(event, role="print_station", label=f"Printer {k + 1}")
            row = await database.current_engine().fetch(
                "SELECT id FROM access_token WHERE label = ?", [f"Printer {k + 1}"])
            out.append((row[0]["id"], token))
    return out


# --------------------------------------------------------------------------- the door rush


def _rush(host: str, port: int, token: str, badges: list[str], conns: int, rate: float,
          stop: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:
    """In its own process: scan badges over ``conns`` connections, ``rate`` a second in
    all (0: as fast as they can), until ``stop``."""

    async def main() -> tuple[int, int]:
        headers = b"Authorization: Bearer %s\r\n" % token.encode()
        path = BASE + "/checkins"
        counter = iter(range(10**9))
        done = errors = 0

        async def worker(w: int) -> None:
            nonlocal done, errors
            conn = Conn(host, port)
            start = time.perf_counter() + w / rate if rate else 0.0
            k = 0
            while not stop.is_set():
                if rate:
                    wait = start + k * conns / rate - time.perf_counter()
                    k += 1
                    if wait > 0:
                        await asyncio.sleep(wait)
                i = next(counter)
                body = b'{"token":"%s","door":"Door 1"}' % badges[i % len(badges)].encode()
                try:
                    status, _, _, _ = await conn.request(path, body, headers)
                except HttpError:
                    errors += 1
                    continue
                done += 1
                errors += status != 200
            conn.close()

        await asyncio.gather(*(worker(w) for w in range(conns)))
        return done, errors

    out.put(asyncio.run(main()))


# --------------------------------------------------------------------------- stations


class Stations:
    """Every station's websocket: when a job first shows up in a station's queue, note the
    time and report it done (as the station page does after printing)."""

    def __init__(self, server: Server, stations: list[tuple[int, str]]) -> None:
        self.server, self.stations = server, stations
        self.acked: dict[int, float] = {}  # job id -> POST /print answered
        self.arrived: dict[int, float] = {}
        self.tasks: list[asyncio.Task] = []
        self.ready = 0
        self.all_ready = asyncio.Event()
        self.changed = asyncio.Event()  # a job arrived somewhere

    async def _station(self, token: str) -> None:
        import websockets

        host, port = self.server.host, self.server.port
        url = f"ws://{host}:{port}/ws/events/{EVENT_SLUG}/print?token={token}"
        conn = Conn(host, port)
        headers = b"Authorization: Bearer %s\r\n" % token.encode()
        async with websockets.connect(url, compression=None, max_size=None) as ws:
            self.ready += 1
            if self.ready == len(self.stations):
                self.all_ready.set()
            async for raw in ws:
                now = time.perf_counter()
                message = json.loads(raw)
                for job in message.get("queued", ()):
                    if job["id"] in self.arrived:
                        continue
                    self.arrived[job["id"]] = now
                    self.changed.set()
                    await conn.request(f"{BASE}/print/jobs/{job['id']}/done", b'{"ok":true}',
                                       headers)
        conn.close()

    async def start(self) -> None:
        self.tasks = [asyncio.create_task(self._station(tok)) for _, tok in self.stations]
        await self.all_ready.wait()

    async def settle(self, jobs: list[int], timeout: float = 10.0) -> list[float]:
        async def all_arrived() -> None:
            while any(j not in self.arrived for j in jobs):
                self.changed.clear()
                await self.changed.wait()

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_arrived(), timeout)
        return [(self.arrived[j] - self.acked[j]) * 1000 for j in jobs if j in self.arrived]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


# --------------------------------------------------------------------------- desks


async def desks(server: Server, desk_tokens: list[str], stations: list[tuple[int, str]],
                watch: Stations, n: int, tag: str, seed: int, rate: float) -> Figures:
    figs = Figures()
    rng = random.Random(seed)
    jobs: list[int] = []
    per_desk = [n // DESKS + (1 if d < n % DESKS else 0) for d in range(DESKS)]

    async def desk(d: int) -> None:
        conn = Client(server.host, server.port)
        headers = b"Authorization: Bearer %s\r\n" % desk_tokens[d].encode()
        station_id = stations[d][0]
        for i in range(per_desk[d]):
            if rate:  # desk d's walk-in i starts on schedule (or at once when late)
                wait = t0 + (i * DESKS + d) / rate - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
            phone = f"06{rng.randrange(10**7, 10**8)}"
            body = json.dumps({"name": f"Loper{tag}{d}x{i} Binnen", "phone": phone,
                               "sectors": ["care"], "consent_terms": True}).encode()
            try:
                status, answer, t_reg, _ = await conn.request(f"{BASE}/walkins", body, headers)
                if status != 201:
                    figs.errors += 1
                    continue
                data = json.loads(answer)
                link = data["badge_url"].split("/badges/", 1)[1].removesuffix(".png")
                status, _, t_label = await conn.get(f"/badges/{link}/label/{LABEL_FORMAT}")
                figs.errors += status != 200
                body = b'{"registration_id":%d,"station":%d,"format":"%s"}' % (
                    data["registration_id"], station_id, LABEL_FORMAT.encode())
                status, answer, t_print, _ = await conn.request(f"{BASE}/print", body, headers)
                if status != 201:
                    figs.errors += 1
                    continue
                job = json.loads(answer)["id"]
                watch.acked[job] = time.perf_counter()
                jobs.append(job)
            except HttpError:
                figs.errors += 1
                continue
            figs.register_ms.append(t_reg * 1000)
            figs.label_ms.append(t_label * 1000)
            figs.print_ms.append(t_print * 1000)
            figs.walkin_ms.append((t_reg + t_label + t_print) * 1000)
        conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(desk(d) for d in range(DESKS)))
    figs.seconds = time.perf_counter() - t0
    figs.delivery_ms = await watch.settle(jobs)
    figs.errors += len(jobs) - len(figs.delivery_ms)  # never reached its station
    return figs


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--walkins", type=int, default=4_000)
    parser.add_argument("--baseline", type=int, default=500)
    parser.add_argument("--badges", type=int, default=8_000, help="badges the door rush scans")
    parser.add_argument("--rate", type=float, default=20.0,
                        help="walk-ins started per second over all desks (0: flat out)")
    parser.add_argument("--rush-conns", type=int, default=16)
    parser.add_argument("--rush-rate", type=float, default=100.0,
                        help="door scans per second during the rush (0: flat out)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="eventops-bench-walkins-") as tmp:
        if args.postgres:
            database_url, backend = args.postgres_url, "PostgreSQL"
            reset_postgres(database_url)
        else:
            database_url, backend = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", "SQLite"
        env, fx = soak_prepare(database_url, argparse.Namespace(
            visitors=args.badges, doors=DESKS, employers=20))
        stations = run(_stations(DESKS))
        load_before = os.getloadavg()[0]
        with serve("app.asgi:app", workers=1, env=env) as server:

            async def go() -> tuple[Figures, Figures]:
                watch = Stations(server, stations)
                await watch.start()
                await desks(server, fx.door_tokens, stations, watch, 100, "w", args.seed,
                            args.rate)
                base = await desks(server, fx.door_tokens, stations, watch, args.baseline,
                                   "b", args.seed + 1, args.rate)
                stop, out = multiprocessing.Event(), multiprocessing.Queue()
                rush = multiprocessing.Process(target=_rush, args=(
                    server.host, server.port, fx.door_tokens[0], fx.badges, args.rush_conns,
                    args.rush_rate, stop, out))
                rush.start()
                await asyncio.sleep(1.0)  # the rush is under way
                during = await desks(server, fx.door_tokens, stations, watch, args.walkins,
                                     "r", args.seed + 2, args.rate)
                stop.set()
                scans, scan_errors = out.get(timeout=60)
                rush.join(30)
                during.rush_scans, during.rush_errors = scans, scan_errors
                during.seconds += 1.0  # the scans of the second before the walk-ins began
                await watch.stop()
                return base, during

            print(f"{backend}: 1 uvicorn worker; {DESKS} desks (one walk-in after another "
                  f"each, {args.rate:g} walk-ins/s in all), {DESKS} print stations on "
                  f"websockets; door rush: {args.rush_rate:g} scans/s over {args.rush_conns} "
                  f"connections from another process; {os.cpu_count()} "
                  f"cores shared; load average {load_before:.1f}", flush=True)
            base, during = run(go())
        counts = query_rows(database_url,
                            "SELECT COUNT(*), SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END)"
                            " FROM print_job")[0]
        walkins = query_rows(database_url, "SELECT COUNT(*) FROM registration"
                             " WHERE source = 'walkin' AND checked_in_at IS NOT NULL")[0][0]

    print()
    print("| run | walk-ins | per s | p50 ms | p99 ms | p99 ms register / label / print "
          "| to station p50 ms | p99 ms | door scans/s | errors |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    print(base.line("baseline: walk-ins alone"))
    print(during.line("**during the door rush**"))
    print()
    expected = 100 + args.baseline + args.walkins
    print(f"stored: {walkins:,} walk-ins checked in (expected {expected:,}); {counts[0]:,} print "
          f"jobs, {counts[1]:,} done")
    p99, d99 = pct(during.walkin_ms, .99), pct(during.delivery_ms, .99)
    b99 = pct(base.walkin_ms, .99)
    print(f"target: server time per walk-in p99 < {TARGET_WALKIN_P99_MS:.0f} ms: {p99:.1f} ms "
          f"({'met' if p99 < TARGET_WALKIN_P99_MS else 'NOT met'}; x{p99 / b99 if b99 else 0:.2f}"
          f" of the baseline); print job to station p99 < {TARGET_DELIVERY_P99_MS:.0f} ms: "
          f"{d99:.0f} ms ({'met' if d99 < TARGET_DELIVERY_P99_MS else 'NOT met'})")
    print(f"load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    ok = (base.errors + during.errors + during.rush_errors == 0 and walkins == expected
          and counts[0] == counts[1] == expected)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
