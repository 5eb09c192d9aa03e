"""Test setup: a real database (SQLite file by default, PostgreSQL when
``EVENTOPS_DATABASE_URL`` says so), migrated once, emptied before every test."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="eventops-test-"))
os.environ.setdefault("EVENTOPS_DATABASE_URL", f"sqlite:///{_TMP / 'test.sqlite3'}")
os.environ.setdefault("EVENTOPS_SECRET_KEY", "test-secret-key-0123456789")
os.environ["EVENTOPS_RATE_LIMIT"] = os.environ.get("EVENTOPS_TEST_RATE_LIMIT", "0")
os.environ.setdefault("PICCOLO_CONF", "event_ops.core.piccolo_conf")
# The tests talk to 127.0.0.1/localhost; a developer's own host list must not change that.
os.environ.pop("EVENTOPS_ALLOWED_HOSTS", None)
os.environ.pop("EVENTOPS_BASE_URL", None)

import app  # noqa: E402,F401
from event_ops.core import db as database  # noqa: E402
from event_ops.core.settings import Settings, get_settings  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ROOT = Path(__file__).resolve().parent.parent
KEEP_TABLES = {"competency", "migration"}


def _postgres_reachable(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 2):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config, items):
    url = get_settings().database_url
    if url.startswith("postgres"):
        # Tests of SQLite's own behaviour (a locked file, say) do not belong to this pass:
        # deselected, not skipped, so a skip always means something is missing.
        sqlite_only = [item for item in items if item.get_closest_marker("sqlite_only")]
        if sqlite_only:
            config.hook.pytest_deselected(items=sqlite_only)
            items[:] = [item for item in items if item not in sqlite_only]
    if url.startswith("postgres") and not _postgres_reachable(url):
        reason = f"PostgreSQL at {url} is not reachable; start it or unset EVENTOPS_DATABASE_URL"
        if IN_CI:
            raise pytest.UsageError(f"CI=true: {reason}")
        for item in items:
            item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
async def migrated(settings: Settings) -> AsyncIterator[None]:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from event_ops.taxonomy.service import load_taxonomy

    engine = database.current_engine()
    await database.start_engine(engine, settings)
    if engine.engine_type == "postgres":
        # A clean schema per run: the suite owns the test database.
        await engine.fetch("DROP SCHEMA IF EXISTS public CASCADE")
        await engine.fetch("CREATE SCHEMA public")
    result = await run_forwards(app_name="event_ops", migration_id="all")
    assert result.success, result.message
    await load_taxonomy()
    yield
    await database.stop_engine(engine)


async def _empty_tables() -> None:
    from event_ops.piccolo_app import ALL_TABLES

    engine = database.current_engine()
    names = [t._meta.tablename for t in ALL_TABLES if t._meta.tablename not in KEEP_TABLES]
    if engine.engine_type == "postgres":
        await engine.fetch(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
    else:
        async with engine.transaction():
            for name in reversed(names):
                await engine.fetch(f"DELETE FROM {name}")


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id at its production cost takes ~50 ms per hash; the role tests log in
    hundreds of times. Same algorithm, smallest cost: tests/test_accounts.py checks the
    production parameters separately."""
    from argon2 import PasswordHasher

    from event_ops.access import credentials

    production = credentials._hasher
    credentials._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    credentials._hasher = production


def _forget_caches() -> None:
    # Ids restart after emptying the tables, so per-process caches keyed by id must go too.
    from event_ops.core import caches

    caches.clear_all()


@pytest.fixture
async def db(migrated) -> AsyncIterator[None]:
    await _empty_tables()
    _forget_caches()
    yield


@pytest.fixture
async def festival(db):
    import datetime as dt

    from event_ops.events.service import create_event

    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30)
    return await create_event(
        slug="werkfestival", name="Werkfestival 2.0", kind="festival", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=7), location="Martiniplaza, Groningen",
    )


@pytest.fixture
async def small_event(db):
    import datetime as dt

    from event_ops.events.service import create_event

    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=10)
    return await create_event(
        slug="zorg-matching", name="Matchingsdag Zorg", kind="matching", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3), capacity=3, location="Assen",
    )


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, SmtpSink]]:
    """A real SMTP server on localhost (aiosmtpd), collecting what it receives."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", sink
    finally:
        controller.stop()


@pytest.fixture
async def client(db, settings):
    """HTTP client calling the app in this event loop (the database pool lives here too).

    The app's lifespan runs in this loop too (channels, outbox worker); tests still send
    queued mail explicitly with ``send_due`` when they check what was sent.
    """
    import httpx

    from app.factory import create_app

    app_ = create_app(settings)
    started, stop = asyncio.Event(), asyncio.Event()

    async def run_lifespan() -> None:
        # One task from start to end: the channels plugin's task group insists on it.
        async with app_.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run_lifespan())
    await started.wait()
    transport = httpx.ASGITransport(app=app_)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
            yield c
    finally:
        stop.set()
        await task


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


@pytest.fixture
def server_factory(db, settings) -> Iterator:
    """Start real app processes (``eventops serve``) on the test database."""
    procs: list[subprocess.Popen] = []

    def start(log_file: Path | None = None, **extra_env: str) -> str:
        """``log_file``: where the server's output (its log) goes; none by default."""
        port = free_port()
        env = {**os.environ, "EVENTOPS_BASE_URL": f"http://127.0.0.1:{port}", **extra_env}
        out = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=out,
        )
        procs.append(proc)
        wait_for_port(port)
        return f"http://127.0.0.1:{port}"

    try:
        yield start
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def live_server(server_factory) -> str:
    """The real app in its own process, on the test database."""
    return server_factory()
