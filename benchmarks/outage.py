"""Outage drill: a PostgreSQL stop of ``--down`` seconds under load (issue 12, finding 10).

Starts a PostgreSQL cluster of its own (initdb under /tmp, a free port; never the shared
server), a server process on it, and ``--connections`` clients that keep signing up,
checking in and opening the event page. Stops PostgreSQL, starts it again, and prints the
answers per phase and what the server logged::

    python -m benchmarks.outage                 # 10 s down, 16 connections
    python -m benchmarks.outage --down 5 --connections 8

Expected: no 500 at any time, 503 with Retry-After while the database is down, one log
line for the outage and none with a traceback, and normal answers within seconds after.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

from tests.conftest import ROOT, free_port, wait_for_port
from tests.test_outage import OwnPostgres


def _cli(env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True).stdout


def _start_server(env: dict[str, str], port: int, log_file: Path) -> subprocess.Popen:
    with open(log_file, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=ROOT,
            env={**env, "EVENTOPS_BASE_URL": f"http://127.0.0.1:{port}"}, stdout=out, stderr=out)
    wait_for_port(port)
    return server


async def _client(base: str, door: str, phase: list[str], counts: dict, stop: asyncio.Event,
                  retry_after: set) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=15) as http:
        n = 0
        while not stop.is_set():
            n += 1
            for method, path, kwargs in (
                ("POST", "/api/v1/events/drill/registrations",
                 {"json": {"name": "Sara Bakker", "email": f"{uuid.uuid4().hex}@example.nl",
                           "consent_terms": True}}),
                ("POST", "/api/v1/events/drill/checkins",
                 {"json": {"registration_id": n % 50 + 1},
                  "headers": {"Authorization": f"Bearer {door}"}}),
                ("GET", "/events/drill", {}),
            ):
                try:
                    r = await http.request(method, path, **kwargs)
                except httpx.HTTPError:
                    counts[phase[0]]["transport error"] += 1
                    continue
                counts[phase[0]][r.status_code] += 1
                if r.status_code == 503:
                    retry_after.add(r.headers.get("retry-after"))


async def main(down: float, connections: int) -> None:
    pg = OwnPostgres()
    pg.init()
    pg.start()
    log_file = Path(tempfile.mkdtemp(prefix="eventops-outage-")) / "server.log"
    server = None
    try:
        admin = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{pg.port}/postgres")
        await admin.execute("CREATE DATABASE eventops_outage")
        await admin.close()
        env = {**os.environ, "EVENTOPS_DATABASE_URL": pg.url, "EVENTOPS_RATE_LIMIT": "0",
               "EVENTOPS_SECRET_KEY": "outage-drill-secret-0123456789"}
        _cli(env, "migrate")
        _cli(env, "event", "create", "--slug", "drill", "--name", "Drill", "--kind", "festival",
             "--starts", "2020-01-01T10:00+01:00", "--ends", "2099-01-01T10:00+01:00")
        door = _cli(env, "token", "create", "--event", "drill", "--role", "door",
                    "--label", "Door").strip().splitlines()[-1]
        port = free_port()
        server = _start_server(env, port, log_file)
        base = f"http://127.0.0.1:{port}"
        phase = ["before"]
        counts: dict = collections.defaultdict(collections.Counter)
        retry_after: set = set()
        stop = asyncio.Event()
        clients = [asyncio.create_task(_client(base, door, phase, counts, stop, retry_after))
                   for _ in range(connections)]
        await asyncio.sleep(3)
        phase[0] = "down"
        await asyncio.to_thread(pg.stop)
        health_down = (await httpx.AsyncClient(base_url=base).get("/health")).json()
        await asyncio.sleep(down)
        phase[0] = "restarting"
        started = time.monotonic()
        await asyncio.to_thread(pg.start)
        async with httpx.AsyncClient(base_url=base) as http:
            while (await http.get("/health")).status_code != 200:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        back_after = time.monotonic() - started
        phase[0] = "after"
        await asyncio.sleep(3)
        stop.set()
        await asyncio.gather(*clients)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                print("server did not stop within 15 s of SIGTERM; killed")
                server.kill()
        with contextlib.suppress(Exception):
            pg.stop()
        shutil.rmtree(pg.dir, ignore_errors=True)
    log = log_file.read_text(errors="replace")
    for name in ("before", "down", "restarting", "after"):
        print(f"{name:<11}: " + ", ".join(f"{k}: {v}" for k, v in sorted(
            counts[name].items(), key=lambda kv: str(kv[0]))))
    print(f"/health while down: {health_down}; healthy again {back_after:.1f} s after start")
    print(f"Retry-After values: {sorted(v for v in retry_after if v)}")
    print(f"log: {log.count('database unavailable')} 'database unavailable' line(s), "
          f"{log.count('Traceback')} traceback(s), {len(log.splitlines())} lines in all")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--down", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(args.down, args.connections))
