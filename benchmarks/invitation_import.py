"""Invitation import benchmark: a coach's sheet of 2,000 people (XLSX), imported into a
fresh event (every row stored, every link queued in the outbox), then imported again (every
row "invited already", nothing stored).

    python -m benchmarks.invitation_import                  # SQLite in a temporary directory
    python -m benchmarks.invitation_import --runs 5 --people 5000
    python -m benchmarks.invitation_import --postgres postgresql://postgres@127.0.0.1/x
                                                            # that database is emptied!

Baseline, measured in the same run: the same invitations and outbox rows written with bare
INSERTs in one transaction (no reading, no checks, no audit). Medians over ``--runs``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
HEADER = ["naam", "e-mail", "telefoon", "taal"]


def sheet_rows(people: int) -> list[list[str]]:
    rows = []
    for n in range(people):
        email = f"persoon{n}@example.nl" if n % 4 else ""
        phone = f"06{20_000_000 + n}" if n % 2 == 0 else ""
        if not email and not phone:
            phone = f"06{30_000_000 + n}"
        rows.append([f"Persoon {n:05d}", email, phone, "en" if n % 5 == 0 else "nl"])
    return rows


def to_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def migrate(env: dict[str, str], postgres: bool) -> None:
    if postgres:
        subprocess.run(["psql", env["EVENTOPS_DATABASE_URL"], "-qc",
                        "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"],
                       check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-m", "app.cli", "migrate"], cwd=REPO_ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"eventops migrate failed:\n{proc.stdout}{proc.stderr}")


async def _new_event(n: int):
    from event_ops.events.service import create_event

    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30)
    return await create_event(slug=f"bench-{n}", name=f"Bench {n}", kind="festival",
                              starts_at=starts, ends_at=starts + dt.timedelta(hours=8),
                              location="Groningen")


async def raw_insert(event_id: int, rows: list[list[str]]) -> float:
    from event_ops import clock
    from event_ops.core.db import current_engine

    db = current_engine()
    start = time.perf_counter()
    async with db.transaction():
        for name, email, phone, lang in rows:
            await db.fetch(
                "INSERT INTO visitor_invitation (event, name, email, phone, language, status,"
                " channel, sent_count, created_at) VALUES (?, ?, ?, ?, ?, 'invited', ?, 1, ?)",
                [event_id, name, email, phone, lang, "mail" if email else "sms", clock.now()])
            await db.fetch(
                "INSERT INTO outbox_mail (event_id, kind, recipient, channel, status, attempts,"
                " next_attempt_at, last_error, created_at)"
                " VALUES (?, 'visitor.invitation', ?, ?, 'pending', 0, ?, '', ?)",
                [event_id, email or phone, "mail" if email else "sms", clock.now(),
                 clock.now()])
    return time.perf_counter() - start


async def measure(args: argparse.Namespace) -> None:
    from event_ops.access.tokens import Principal
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings
    from event_ops.people.invitations import check_sheet, import_invitations

    settings = get_settings()
    rows = sheet_rows(args.people)
    content = to_xlsx(rows)
    principal = Principal(actor="account:1", role="organiser_admin", events=None, account_id=1)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(a shared machine: read the ratios)")
    print(f"sheet: {args.people} people, XLSX {len(content):,} bytes; database "
          f"{'PostgreSQL' if args.postgres else 'SQLite'}")
    engine = database.current_engine()
    check, raw, first, again = [], [], [], []
    async with database.engine_running(engine, settings):
        for n in range(args.runs):
            start = time.perf_counter()
            people, problems = await check_sheet(content, None)
            check.append(time.perf_counter() - start)
            assert not problems and len(people) == args.people
            raw.append(await raw_insert((await _new_event(1000 + n)).id, rows))
            event = await _new_event(n)
            start = time.perf_counter()
            result = await import_invitations(event, content, principal=principal, sms_on=True)
            first.append(time.perf_counter() - start)
            assert result.created == args.people, result.errors("en")[:3]
            start = time.perf_counter()
            result = await import_invitations(event, content, principal=principal, sms_on=True)
            again.append(time.perf_counter() - start)
            assert result.created == 0 and result.known == args.people
    base = statistics.median(raw)
    for label, times in (("bare INSERTs (baseline)", raw), ("read + check the sheet", check),
                         ("import, all new", first), ("import again, all known", again)):
        median = statistics.median(times)
        print(f"{label:26s} median {median * 1000:8.0f} ms   x{median / base:5.1f} baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--postgres", metavar="URL", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgres or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        env = {"EVENTOPS_DATABASE_URL": url,
               "EVENTOPS_SECRET_KEY": "benchmark-secret-key-0123456789"}
        os.environ.update(env)
        migrate(env, bool(args.postgres))
        asyncio.run(measure(args))


if __name__ == "__main__":
    main()
