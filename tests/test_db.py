"""The database engine's promises: serialised write transactions, group commit that only
answers once the work is committed, and failed transactions that leave no trace."""

from __future__ import annotations

import asyncio

import pytest
from piccolo.engine import finder

from event_ops.core import db as database
from event_ops.core.db import current_engine, dialect


async def test_concurrent_transactions_some_failing(db):
    engine = current_engine()

    async def write(n: int) -> None:
        async with engine.transaction():
            await engine.fetch(
                "INSERT INTO audit_entry (at, actor, action, subject_type, fields)"
                " VALUES (CURRENT_TIMESTAMP, ?, 'test', '', '[]')", [f"writer-{n}"])
            await asyncio.sleep(0)
            if n % 3 == 0:
                raise RuntimeError("boom")

    results = await asyncio.gather(*[write(n) for n in range(60)], return_exceptions=True)
    failed = {n for n, r in enumerate(results) if isinstance(r, RuntimeError)}
    assert failed == {n for n in range(60) if n % 3 == 0}
    rows = await engine.fetch("SELECT actor FROM audit_entry")
    assert sorted(r["actor"] for r in rows) == sorted(
        f"writer-{n}" for n in range(60) if n not in failed)


async def test_write_is_visible_to_readers_once_awaited(db):
    engine = current_engine()

    async def write_then_read(n: int) -> int:
        await engine.fetch(
            "INSERT INTO audit_entry (at, actor, action, subject_type, fields)"
            " VALUES (CURRENT_TIMESTAMP, ?, 'test', '', '[]')", [f"w{n}"])
        rows = await engine.fetch("SELECT COUNT(*) AS n FROM audit_entry WHERE actor = ?",
                                  [f"w{n}"])
        return rows[0]["n"]

    assert await asyncio.gather(*[write_then_read(n) for n in range(50)]) == [1] * 50


async def test_read_check_write_is_serialised(db):
    """The classic lost update: every increment must survive."""
    engine = current_engine()
    await engine.fetch(
        "INSERT INTO audit_entry (at, actor, action, subject_type, subject_id, fields)"
        " VALUES (CURRENT_TIMESTAMP, 'counter', 'test', '', 0, '[]')")
    # SQLite: the transaction holds the single write lock. PostgreSQL: a row lock does it.
    lock = " FOR UPDATE" if dialect() == "postgres" else ""

    async def increment() -> None:
        async with engine.transaction():
            rows = await engine.fetch(
                "SELECT subject_id FROM audit_entry WHERE actor = 'counter'" + lock)
            await asyncio.sleep(0)
            await engine.fetch("UPDATE audit_entry SET subject_id = ? WHERE actor = 'counter'",
                               [rows[0]["subject_id"] + 1])

    await asyncio.gather(*[increment() for _ in range(100)])
    rows = await engine.fetch("SELECT subject_id FROM audit_entry WHERE actor = 'counter'")
    assert rows[0]["subject_id"] == 100


async def test_nul_characters_are_bad_input_on_every_database(client, db):
    """PostgreSQL cannot store NUL in text; found by fuzzing as a 500 on the PostgreSQL run."""
    from tests.helpers import bearer, open_event

    event = await open_event()
    door = await bearer(event)
    r = await client.get(f"/api/v1/events/{event.slug}/visitors?q=ab%00c", headers=door)
    assert r.status_code == 400 and r.json()["error"] == "bad_request"
    r = await client.post(f"/api/v1/events/{event.slug}/registrations",
                          json={"name": "A\u0000B", "email": "nul@example.nl",
                                "consent_terms": True})
    assert r.status_code in (400, 422)


async def test_timestamps_are_stored_in_one_text_form(db):
    # The fast timestamp adapter must write exactly what piccolo's does (str() of the UTC
    # time): SQL compares these as text, so two spellings would sort wrongly.
    import datetime as dt

    if dialect() != "sqlite":
        return
    engine = current_engine()
    cet = dt.timezone(dt.timedelta(hours=1))
    values = [
        dt.datetime(2027, 4, 15, 10, 2, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 4, 15, 10, 2, 0, 5, tzinfo=dt.UTC),
        dt.datetime(2027, 4, 15, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2027, 4, 15, 10, 2, 0, 120000, tzinfo=cet),
    ]
    for n, value in enumerate(values):
        await engine.fetch(
            "INSERT INTO audit_entry (at, actor, action, subject_type, fields)"
            " VALUES (?, ?, 'test', '', '[]')", [value, f"t{n}"])
    rows = await engine.fetch("SELECT actor, CAST(at AS TEXT) AS text FROM audit_entry")
    stored = {r["actor"]: r["text"] for r in rows}
    assert [stored[f"t{n}"] for n in range(len(values))] == [
        str(v.astimezone(dt.UTC)) for v in values]


def test_an_engine_not_built_by_event_ops_is_refused_clearly(monkeypatch):
    # current_engine() promises the Database protocol; a PICCOLO_CONF pointing elsewhere
    # (e.g. Piccolo's stock SQLiteEngine, which lacks fetch_off_loop) fails at once, by name.
    class Stock:
        engine_type = "sqlite"

    monkeypatch.setattr(database, "_engine", None)
    monkeypatch.setattr(finder, "engine_finder", lambda: Stock())
    with pytest.raises(RuntimeError, match="PICCOLO_CONF.*Stock"):
        database.current_engine()
