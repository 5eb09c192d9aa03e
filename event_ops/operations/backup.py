"""Backups that restore: a consistent snapshot of the database while the server runs, and a
restore into an empty database.

A backup is one folder::

    PATH/manifest.json       what a restore checks (below)
    PATH/database.sqlite3    SQLite: made with SQLite's online backup API
    PATH/database.pgdump     PostgreSQL: ``pg_dump --format=custom``

What MUST hold:

* **Consistent while the server writes.** SQLite: ``sqlite3.Connection.backup`` in one step
  copies the pages under one read transaction, so the copy is the database as of one
  commit; WAL mode lets the server keep writing meanwhile. PostgreSQL: ``pg_dump`` reads
  everything in one repeatable-read snapshot. Every write the server acknowledged before
  the backup started is in it (the server commits before it answers).
* **Never a half backup under the final name.** The folder is written as ``PATH.partial``
  and renamed when complete; the manifest carries the data file's SHA-256, checked on
  restore.
* **The secret key is not in the backup, and must match.** The badge signing keys are in
  the database (table ``event_key``), their private halves encrypted with a key derived from
  ``EVENTOPS_SECRET_KEY`` (``badges/keys.py``); secret links and sessions are HMACs under it.
  So a backup is only usable with the same ``EVENTOPS_SECRET_KEY``: keep the key safe and
  apart from the backups. The manifest holds a fingerprint of the key (an HMAC-SHA256 of a
  fixed label under the key, never the key), and ``restore`` refuses when the current key's
  fingerprint differs.
* **Restore only into an empty database** (no tables), so it never mixes two databases;
  then ``eventops migrate`` brings it up to the code's migrations.

Backups hold personal data. ``prune`` keeps the nightly backups of the last N days only, so
an erasure (a retention purge, a visitor's request) is gone from every backup N days later.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings

FORMAT = "eventops-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
_FINGERPRINT_LABEL = b"event-ops backup: secret key fingerprint v1"
NIGHTLY_PREFIX = "eventops-"
_NIGHTLY = re.compile(r"^eventops-(\d{4}-\d{2}-\d{2})$")
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def key_fingerprint(secret_key: str) -> str:
    """Which ``EVENTOPS_SECRET_KEY`` a backup belongs to, without revealing it: HMAC-SHA256
    of a fixed label under the key (hex, 32 characters)."""
    return hmac.new(secret_key.encode(), _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Manifest:
    database: str  # "sqlite" or "postgresql"
    migration: str  # the last migration id applied, "" if none
    created_at: str  # ISO 8601, UTC
    key_fingerprint: str
    file: str
    sha256: str
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2) + "\n"

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            raw = json.loads(path.read_text())
        except FileNotFoundError:
            raise DomainError("backup_invalid",
                              f"{folder} is not an event-ops backup (no {MANIFEST}).") from None
        except (OSError, ValueError) as exc:
            raise DomainError("backup_invalid", f"{path} cannot be read: {exc}") from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise DomainError("backup_invalid", f"{path} is not an event-ops backup manifest.")
        if raw.get("format_version") != FORMAT_VERSION:
            raise DomainError("backup_invalid",
                              f"backup format version {raw.get('format_version')} is not "
                              f"supported (this version reads {FORMAT_VERSION}).")
        try:
            return cls(**{k: raw[k] for k in cls.__dataclass_fields__})
        except KeyError as exc:
            raise DomainError("backup_invalid", f"{path} misses {exc}.") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _kind(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


def _libpq_url(url: str) -> str:
    # libpq (pg_dump, pg_restore) knows postgresql:// and postgres://; both pass unchanged.
    return url


# --- backup ---------------------------------------------------------------------------


def _sqlite_backup(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` with the online backup API; returns the last migration."""
    if not source.exists():
        raise DomainError("backup_failed", f"there is no database at {source}.")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            # pages=-1 (all in one step): one read transaction, so one consistent snapshot.
            src.backup(dst, pages=-1)
            # A self-contained file: no WAL beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return _sqlite_migration(target)


def _sqlite_migration(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT name FROM migration WHERE app_name = 'event_ops' "
                           "ORDER BY name DESC LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return ""
    finally:
        conn.close()
    return row[0] if row else ""


async def _pg_migration(url: str) -> str:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        exists = await conn.fetchval("SELECT to_regclass('public.migration') IS NOT NULL")
        if not exists:
            return ""
        return await conn.fetchval("SELECT name FROM migration WHERE app_name = 'event_ops' "
                                   "ORDER BY name DESC LIMIT 1") or ""
    finally:
        await conn.close()


async def _run(*args: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = await proc.communicate()
    if proc.returncode != 0:
        # The first line names the problem; the URL (with a password) is never echoed.
        message = err.decode(errors="replace").strip().splitlines()
        raise DomainError("backup_failed",
                          f"{args[0]} failed: {message[0] if message else proc.returncode}")


async def make_backup(settings: Settings, path: Path,
                      now: dt.datetime | None = None) -> Manifest:
    """Write a backup of the configured database to the folder ``path`` (which must not
    exist). Safe while the server runs. Returns the manifest written."""
    path = Path(path)
    if path.exists():
        raise DomainError("backup_exists", f"{path} exists already; give a new path.")
    partial = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Atomic: of several processes making tonight's backup, one gets to.
        partial.mkdir()
    except FileExistsError:
        raise DomainError("backup_exists",
                          f"{partial} exists: another backup is being written there (or one "
                          "was interrupted; then delete it).") from None
    # Personal data: readable by the owner only.
    os.chmod(partial, 0o700)
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    try:
        if settings.is_sqlite:
            file = SQLITE_FILE
            migration = await asyncio.to_thread(_sqlite_backup, settings.sqlite_path,
                                                partial / file)
        else:
            file = PG_FILE
            # The migration id first: pg_dump's snapshot is at least as new, and migrate
            # after a restore is idempotent.
            migration = await _pg_migration(settings.database_url)
            await _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                       f"--file={partial / file}", f"--dbname={_libpq_url(settings.database_url)}")
        os.chmod(partial / file, 0o600)
        manifest = Manifest(
            database=_kind(settings), migration=migration,
            created_at=created.isoformat(timespec="seconds"),
            key_fingerprint=key_fingerprint(settings.secret_key), file=file,
            sha256=await asyncio.to_thread(_sha256, partial / file))
        (partial / MANIFEST).write_text(manifest.to_json())
        partial.rename(path)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


# --- restore --------------------------------------------------------------------------


def known_migrations() -> set[str]:
    """The migration ids this code has (``ID = "…"`` in ``migrations/``)."""
    ids = set()
    for file in MIGRATIONS_DIR.glob("event_ops_*.py"):
        found = re.search(r'^ID = "([^"]+)"', file.read_text(), re.MULTILINE)
        if found:
            ids.add(found.group(1))
    return ids


def check_backup(settings: Settings, path: Path) -> Manifest:
    """The manifest of the backup at ``path``, after every check that needs no database:
    same database kind, same secret key, known migration, intact data file."""
    path = Path(path)
    if not path.is_dir():
        raise DomainError("backup_invalid", f"{path} is not a backup folder.")
    manifest = Manifest.read(path)
    if manifest.key_fingerprint != key_fingerprint(settings.secret_key):
        raise DomainError(
            "backup_wrong_key",
            "This backup was made with another EVENTOPS_SECRET_KEY. The badge signing keys "
            "in it are encrypted with that key, and secret links are signed with it: set "
            "EVENTOPS_SECRET_KEY to the key of the server that made the backup, then restore.")
    if manifest.database != _kind(settings):
        raise DomainError(
            "backup_wrong_database",
            f"This is a {manifest.database} backup; EVENTOPS_DATABASE_URL points to "
            f"{_kind(settings)}. Restore it into a {manifest.database} database.")
    if manifest.migration and manifest.migration not in known_migrations():
        raise DomainError(
            "backup_too_new",
            f"The backup comes from a newer event-ops (migration {manifest.migration} is "
            "unknown here). Install that version or newer, then restore.")
    data = path / manifest.file
    if not data.is_file() or _sha256(data) != manifest.sha256:
        raise DomainError("backup_invalid",
                          f"{data} is missing or damaged (its SHA-256 does not match).")
    return manifest


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


async def _pg_is_empty(url: str) -> bool:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        n = await conn.fetchval(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")
    finally:
        await conn.close()
    return n == 0


NOT_EMPTY = ("The database {where} is not empty. Restore only into an empty database, "
             "so nothing is mixed or overwritten: create a new one (or stop the server and "
             "move the old one away), point EVENTOPS_DATABASE_URL to it and restore again.")


def _sqlite_restore(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = WAL")
        finally:
            dst.close()
    finally:
        src.close()


async def restore_backup(settings: Settings, path: Path) -> Manifest:
    """Restore the backup at ``path`` into the configured database, which MUST be empty.
    Refuses (DomainError, nothing written) for another secret key, another database kind,
    a newer event-ops, a damaged file or a database with tables."""
    path = Path(path)
    manifest = check_backup(settings, path)
    data = path / manifest.file
    if settings.is_sqlite:
        target = settings.sqlite_path
        if not _sqlite_is_empty(target):
            raise DomainError("restore_not_empty", NOT_EMPTY.format(where=str(target)))
        await asyncio.to_thread(_sqlite_restore, data, target)
    else:
        if not await _pg_is_empty(settings.database_url):
            name = urlsplit(settings.database_url).path.lstrip("/")
            raise DomainError("restore_not_empty", NOT_EMPTY.format(where=name))
        await _run("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                   "--single-transaction", f"--dbname={_libpq_url(settings.database_url)}",
                   str(data))
    return manifest


# --- nightly --------------------------------------------------------------------------


def nightly_due(settings: Settings, now: dt.datetime) -> Path | None:
    """The folder tonight's backup goes to, when one is due at ``now``: nightly backups are
    on, the backup time (Europe/Amsterdam) has passed today, and today's folder is not
    there yet. None otherwise."""
    from event_ops.localtime import AMSTERDAM

    if not settings.backup_dir:
        return None
    local = now.astimezone(AMSTERDAM)
    hour, minute = (int(x) for x in settings.backup_time.split(":"))
    if (local.hour, local.minute) < (hour, minute):
        return None
    folder = Path(settings.backup_dir) / f"{NIGHTLY_PREFIX}{local.date().isoformat()}"
    return None if folder.exists() else folder


def prune(settings: Settings, now: dt.datetime) -> list[Path]:
    """Delete the nightly backups older than ``backup_keep_days`` (by their Amsterdam date)
    and partial ones left by a crash over a day ago; returns what was deleted."""
    from event_ops.localtime import AMSTERDAM

    if not settings.backup_dir or not Path(settings.backup_dir).is_dir():
        return []
    today = now.astimezone(AMSTERDAM).date()
    oldest = today - dt.timedelta(days=settings.backup_keep_days - 1)
    deleted = []
    for entry in Path(settings.backup_dir).iterdir():
        name = entry.name.removesuffix(".partial")
        found = _NIGHTLY.match(name)
        if not found or not entry.is_dir():
            continue
        day = dt.date.fromisoformat(found.group(1))
        stale_partial = entry.name.endswith(".partial") and day < today
        if day < oldest or stale_partial:
            shutil.rmtree(entry, ignore_errors=True)
            deleted.append(entry)
    return sorted(deleted)


async def nightly(settings: Settings, now: dt.datetime | None = None) -> Path | None:
    """The server's nightly job (every few minutes): make today's backup when it is due,
    then prune. Several processes may run it: the one that creates today's ``.partial``
    folder first makes the backup, the others find it there and skip."""
    now = now or dt.datetime.now(dt.UTC)
    folder = nightly_due(settings, now)
    made = None
    if folder is not None:
        try:
            await make_backup(settings, folder, now)
            made = folder
        except DomainError as exc:
            if exc.code != "backup_exists":
                raise
    await asyncio.to_thread(prune, settings, now)
    return made
