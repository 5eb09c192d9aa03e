"""Issue 13: the CLI says what is wrong instead of accepting nonsense or printing a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from event_ops.core.db import current_engine
from tests.conftest import ROOT
from tests.helpers import open_event


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


async def test_unknown_sector_is_refused_with_the_valid_codes(db):
    event = await open_event()
    proc = cli("employer", "add", "--event", event.slug, "--name", "Techniek BV",
               "--sector", "tech")
    assert proc.returncode != 0
    assert "Unknown sector code 'tech'" in proc.stderr
    assert "construction, care, technology" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert await current_engine().fetch("SELECT id FROM employer") == []
    ok = cli("employer", "add", "--event", event.slug, "--name", "Techniek BV",
             "--sector", "technology")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().splitlines()[-1].isdigit()


def test_cli_before_migrate_says_to_migrate_first(tmp_path: Path):
    empty = {"EVENTOPS_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    for args in (("employer", "add", "--event", "x", "--name", "Y"),
                 ("token", "create", "--event", "x", "--role", "door", "--label", "Deur")):
        proc = cli(*args, env=empty)
        assert proc.returncode != 0
        assert "run `eventops migrate` first" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_missing_table_is_recognised_on_postgresql_too():
    import sqlite3

    from asyncpg.exceptions import UndefinedTableError

    from app.cli import is_missing_table

    assert is_missing_table(UndefinedTableError('relation "event" does not exist'))
    assert is_missing_table(sqlite3.OperationalError("no such table: event"))
    wrapped = RuntimeError("query failed")
    wrapped.__cause__ = UndefinedTableError('relation "event" does not exist')
    assert is_missing_table(wrapped)
    assert not is_missing_table(sqlite3.OperationalError("database is locked"))
