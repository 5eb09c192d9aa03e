"""Backups that restore (issue 20): a backup taken by ``eventops backup`` in the middle of a
rush of sign-ups and check-ins on a real server holds every write the server acknowledged
before the backup started; it restores into an empty database only, with the same secret
key only; and the nightly job keeps the last N days."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sqlite3
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from event_ops.core.settings import Settings
from event_ops.operations import backup
from tests.helpers import badge, bearer, open_event, visitor

ROOT = Path(__file__).resolve().parent.parent


async def eventops(*args: str, **env: str) -> tuple[int, str]:
    """Run the ``eventops`` command line in its own process; (exit code, stdout + stderr)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", *args, cwd=ROOT, env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def fresh_database(settings: Settings, tmp_path: Path, name: str) -> str:
    """The URL of a new, empty database of the kind under test."""
    if settings.is_sqlite:
        return f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    import asyncpg

    parts = urlsplit(settings.database_url)
    db_name = f"{parts.path.lstrip('/')}_{name}"
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{db_name}"')
    finally:
        await admin.close()
    return urlunsplit(parts._replace(path=f"/{db_name}"))


async def stored_ids(url: str) -> tuple[set[int], set[int]]:
    """(registration ids, checked-in registration ids) in the database at ``url``."""
    sql = ("SELECT id, checked_in_at IS NOT NULL AS checked_in FROM registration",)
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            rows = conn.execute(*sql).fetchall()
        finally:
            conn.close()
    else:
        import asyncpg

        pg = await asyncpg.connect(url)
        try:
            rows = [tuple(r) for r in await pg.fetch(*sql)]
        finally:
            await pg.close()
    return {r[0] for r in rows}, {r[0] for r in rows if r[1]}


async def test_backup_during_a_rush_restores_every_acknowledged_write(
        server_factory, settings, tmp_path):
    event = await open_event()
    door = await bearer(event)
    badges = []
    for n in range(120):
        registered = await visitor(event, n)
        badges.append((registered.registration_id,
                       await badge(event, registered.registration_id)))
    base = server_factory()

    # (acknowledged at, kind, registration id) for every write the server confirmed.
    acked: list[tuple[float, str, int]] = []
    stop = asyncio.Event()
    signups = iter(range(10_000))

    async def sign_up_client(client: httpx.AsyncClient) -> None:
        while not stop.is_set():
            n = next(signups)
            r = await client.post(f"/api/v1/events/{event.slug}/registrations", json={
                "name": f"Rush {n}", "email": f"rush{n}@example.nl", "consent_terms": True,
                "consent_share_profile": False})
            assert r.status_code == 201, r.text
            acked.append((time.monotonic(), "signup", r.json()["id"]))

    async def door_client(client: httpx.AsyncClient, mine: list[tuple[int, str]]) -> None:
        for registration_id, token in mine:
            if stop.is_set():
                return
            r = await client.post(f"/api/v1/events/{event.slug}/checkins",
                                  json={"token": token}, headers=door)
            assert r.status_code == 200 and r.json()["status"] == "ok", r.text
            acked.append((time.monotonic(), "checkin", registration_id))
            await asyncio.sleep(0.02)

    def count(kind: str) -> int:
        return sum(1 for _, k, _ in acked if k == kind)

    async def until(condition, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "the rush did not get going"
            await asyncio.sleep(0.05)

    target = tmp_path / "backup"
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        rush = [asyncio.create_task(sign_up_client(client)) for _ in range(4)]
        rush += [asyncio.create_task(door_client(client, badges[i::4])) for i in range(4)]
        # The rush is on (however slow the machine): some of each kind acknowledged.
        await until(lambda: count("signup") >= 10 and count("checkin") >= 10)
        started = time.monotonic()
        code, out = await eventops("backup", str(target))
        finished = time.monotonic()
        await until(lambda: any(at > finished and kind == "signup" for at, kind, _ in acked))
        stop.set()
        await asyncio.gather(*rush)
    assert code == 0, out

    before = [(kind, rid) for at, kind, rid in acked if at < started]
    during = [a for a in acked if started <= a[0] < finished]
    assert len([k for k, _ in before if k == "signup"]) >= 10
    assert len([k for k, _ in before if k == "checkin"]) >= 10
    assert during, "the rush went on while the backup was made"

    url = await fresh_database(settings, tmp_path, "restored")
    code, out = await eventops("restore", str(target), EVENTOPS_DATABASE_URL=url)
    assert code == 0, out
    assert "eventops migrate" in out
    code, out = await eventops("migrate", EVENTOPS_DATABASE_URL=url)
    assert code == 0, out

    registrations, checked_in = await stored_ids(url)
    for kind, rid in before:
        assert rid in (registrations if kind == "signup" else checked_in), (kind, rid)
    # Nothing from after the backup ended is in it: it is a snapshot, not a later copy.
    after = [rid for at, kind, rid in acked if at > finished and kind == "signup"]
    assert after and not set(after) & registrations


async def test_restore_refuses_another_secret_key_and_a_database_with_data(
        settings, db, tmp_path):
    await open_event()
    target = tmp_path / "backup"
    code, out = await eventops("backup", str(target))
    assert code == 0, out

    url = await fresh_database(settings, tmp_path, "other_key")
    code, out = await eventops("restore", str(target), EVENTOPS_DATABASE_URL=url,
                               EVENTOPS_SECRET_KEY="another-secret-key-9876543210")
    assert code == 2
    assert "another EVENTOPS_SECRET_KEY" in out and "Traceback" not in out
    if url.startswith("sqlite"):
        assert not await asyncio.to_thread(os.path.exists, url.removeprefix("sqlite:///"))
    else:
        assert await backup._pg_is_empty(url)

    # The test database has tables (and an event): restoring over it is refused.
    code, out = await eventops("restore", str(target))
    assert code == 2 and "is not empty" in out and "Traceback" not in out

    # A damaged backup is refused before anything is written.
    data = target / backup.Manifest.read(target).file
    data.write_bytes(data.read_bytes()[:-10] + b"0123456789")
    code, out = await eventops("restore", str(target), EVENTOPS_DATABASE_URL=url)
    assert code == 2 and "damaged" in out

    # A backup folder is never overwritten.
    code, out = await eventops("backup", str(target))
    assert code == 2 and "exists already" in out


def test_manifest_holds_a_fingerprint_not_the_key(tmp_path):
    key = "a-production-secret-key-0123456789"
    fingerprint = backup.key_fingerprint(key)
    assert key not in fingerprint and len(fingerprint) == 32
    assert fingerprint == backup.key_fingerprint(key)
    assert fingerprint != backup.key_fingerprint(key + "x")


def _settings(tmp_path: Path, **kw) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                    backup_dir=str(tmp_path / "backups"), **kw)


def test_nightly_backup_is_due_once_a_day_after_its_amsterdam_time(tmp_path):
    settings = _settings(tmp_path, backup_time="03:00")
    # 01:30 UTC is 02:30 in Amsterdam in winter: not yet; 02:30 UTC is 03:30: due.
    assert backup.nightly_due(settings, dt.datetime(2026, 12, 6, 1, 30, tzinfo=dt.UTC)) is None
    due = backup.nightly_due(settings, dt.datetime(2026, 12, 6, 2, 30, tzinfo=dt.UTC))
    assert due == tmp_path / "backups" / "eventops-2026-12-06"
    due.mkdir(parents=True)
    assert backup.nightly_due(settings, dt.datetime(2026, 12, 6, 22, 0, tzinfo=dt.UTC)) is None
    # Summer time: 03:00 in Amsterdam is 01:00 UTC.
    assert backup.nightly_due(settings, dt.datetime(2026, 7, 1, 1, 5, tzinfo=dt.UTC))
    assert backup.nightly_due(Settings(), dt.datetime.now(dt.UTC)) is None  # off by default


@pytest.mark.sqlite_only
async def test_nightly_keeps_the_last_days_and_deletes_older_backups(tmp_path):
    import shutil

    settings = _settings(tmp_path, backup_keep_days=3)
    src = Path(settings.database_url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(src)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    folder = Path(settings.backup_dir)
    for day in ("2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"):
        (folder / f"eventops-{day}").mkdir(parents=True)
    (folder / "eventops-2026-12-05.partial").mkdir()  # a crash yesterday
    (folder / "keep-me").mkdir()  # not ours
    made = await backup.nightly(settings, dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC))
    assert made == folder / "eventops-2026-12-06"
    assert backup.Manifest.read(made).database == "sqlite"
    assert sorted(os.listdir(folder)) == [
        "eventops-2026-12-04", "eventops-2026-12-06", "keep-me"]
    # A second process the same night finds it done.
    assert await backup.nightly(settings, dt.datetime(2026, 12, 6, 4, 0, tzinfo=dt.UTC)) is None
    shutil.rmtree(folder)
