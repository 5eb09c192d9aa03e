"""A database outage answers 503 with Retry-After, is logged once, and shows in /health
(issue 12, finding 10). PostgreSQL: a cluster of the test's own (initdb under /tmp, never
the shared server) is stopped and started under a running server process. SQLite: a
write lock held by another process past busy_timeout."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from event_ops.core.db import is_database_unavailable
from tests.conftest import ROOT, free_port
from tests.helpers import open_event, service_missing

ROUNDS_DOWN = 3.0  # seconds of requests while the database is down


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class OwnPostgres:
    """A throw-away PostgreSQL cluster on a free port, run as the ``postgres`` user."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="eventops-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.pg_ctl = _pg_bin("pg_ctl")
        self.initdb = _pg_bin("initdb")

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync")

    def start(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                        "-c fsync=off", "start")

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/eventops_outage"


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    pg = OwnPostgres()
    if not (pg.pg_ctl and pg.initdb) or (os.geteuid() == 0 and not shutil.which("runuser")):
        service_missing("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    pg.init()
    pg.start()
    try:
        yield pg
    finally:
        with contextlib.suppress(Exception):
            pg.stop()
        shutil.rmtree(pg.dir, ignore_errors=True)


def _cli(env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True, timeout=120).stdout


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("server did not start")


def _assert_unavailable(r: httpx.Response) -> None:
    assert r.status_code == 503, (r.request.url, r.status_code, r.text[:300])
    assert r.headers["retry-after"].isdigit()
    body = r.json()
    assert body["error"] == "unavailable" and body["detail"], body


async def _requests(http: httpx.AsyncClient, door: str) -> list[httpx.Response]:
    return [
        await http.get("/events/werkfestival"),
        await http.get("/events/werkfestival/register"),
        await http.post("/api/v1/events/werkfestival/registrations",
                        json={"name": "Sara Bakker", "email": f"{uuid.uuid4().hex}@example.nl",
                              "consent_terms": True}),
        # The check-in fast lane answers errors itself.
        await http.post("/api/v1/events/werkfestival/checkins",
                        json={"registration_id": 1}, headers={"Authorization": f"Bearer {door}"}),
        await http.get("/api/v1/events/werkfestival/stats",
                       headers={"Authorization": f"Bearer {door}"}),
        await http.get("/me/1." + "A" * 43),
    ]


async def test_postgres_outage_answers_503_logs_once_and_recovers(own_postgres, tmp_path):
    env = {**os.environ, "EVENTOPS_DATABASE_URL": own_postgres.url, "EVENTOPS_RATE_LIMIT": "0",
           "PYTHONPATH": str(ROOT)}
    import asyncpg

    admin = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{own_postgres.port}/postgres")
    await admin.execute("CREATE DATABASE eventops_outage")
    await admin.close()
    _cli(env, "migrate")
    _cli(env, "event", "create", "--slug", "werkfestival", "--name", "Werkfestival",
         "--kind", "festival", "--starts", "2030-06-12T10:00+02:00",
         "--ends", "2030-06-12T17:00+02:00")
    door = _cli(env, "token", "create", "--event", "werkfestival", "--role", "door",
                "--label", "Door North").strip().splitlines()[-1]
    port = free_port()
    log_file = tmp_path / "server.log"
    with open(log_file, "wb") as out:  # noqa: ASYNC230 (a test's setup)
        server = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=ROOT,
            env={**env, "EVENTOPS_BASE_URL": f"http://127.0.0.1:{port}"},
            stdout=out, stderr=out)
    try:
        _wait_for(port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=15) as http:
            r = await http.get("/health")
            assert r.status_code == 200 and r.json() == {"status": "ok"}
            before = [r.status_code for r in await _requests(http, door)]
            assert 503 not in before and all(s < 500 for s in before), before

            await asyncio.to_thread(own_postgres.stop)
            answers = 0
            deadline = time.monotonic() + ROUNDS_DOWN
            while time.monotonic() < deadline:
                for r in await _requests(http, door):
                    if r.request.url.path.endswith("/register") and r.status_code == 200:
                        continue  # the empty sign-up form is kept in memory: still served
                    _assert_unavailable(r)
                    answers += 1
            r = await http.get("/health")
            assert r.status_code == 503 and r.headers["retry-after"].isdigit()
            assert r.json() == {"status": "degraded", "database": "down"}

            await asyncio.to_thread(own_postgres.start)
            deadline = time.monotonic() + 15
            while (await http.get("/health")).status_code != 200:
                assert time.monotonic() < deadline, "server did not see the database again"
                await asyncio.sleep(0.2)
            assert (await http.get("/health")).json() == {"status": "ok"}
            after = [r.status_code for r in await _requests(http, door)]
            assert after == before, (before, after)
    finally:
        server.terminate()
        server.wait(10)
    log = log_file.read_text(errors="replace")
    assert answers > 20
    assert log.count("database unavailable") == 1, log[-3000:]
    assert "Traceback" not in log and "asyncpg" not in log, log[-3000:]
    assert "database reachable again" in log


@pytest.mark.sqlite_only
async def test_sqlite_locked_past_busy_timeout_answers_503(client, db, settings):
    await open_event("werkfestival")
    blocker = sqlite3.connect(settings.sqlite_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another process writing and not letting go
    try:
        r = await client.post("/api/v1/events/werkfestival/registrations",
                              json={"name": "Sara Bakker", "email": "sara@example.nl",
                                    "consent_terms": True})
        _assert_unavailable(r)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    r = await client.post("/api/v1/events/werkfestival/registrations",
                          json={"name": "Sara Bakker", "email": "sara@example.nl",
                                "consent_terms": True})
    assert r.status_code == 201, r.text


def test_which_failures_count_as_the_database_being_unavailable():
    assert is_database_unavailable(sqlite3.OperationalError("database is locked"))
    assert is_database_unavailable(sqlite3.OperationalError("disk I/O error"))
    assert not is_database_unavailable(sqlite3.OperationalError("no such table: visitor"))
    assert not is_database_unavailable(sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not is_database_unavailable(ValueError("bad"))
    assert not is_database_unavailable(ConnectionRefusedError("not from the driver"))
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as wrapped:
        assert is_database_unavailable(wrapped)
