"""Employer import benchmark: a 250-employer, 600-vacancy spreadsheet, and the back office's
employers list at 250 employers.

Run from the repo root::

    python -m benchmarks.employer_import               # SQLite in a temporary directory
    python -m benchmarks.employer_import --runs 7
    python -m benchmarks.employer_import --postgres    # database eventops_bench (emptied!)

Each run imports the sheet into a fresh event, so every run creates 250 employers and 600
vacancies (with 3-4 competencies each, at levels), then imports the same sheet again (the
update path: every employer and vacancy is matched, nothing new). Two baselines are
measured in the same run, on the same data and database:

* ``parse``: reading the XLSX and checking every cell (``read_sheet`` + ``plan_sheet``), no
  database;
* ``raw insert``: the same rows written with bare INSERTs in one transaction (no lookups,
  no organisations, no audit) - what storing costs at the least.

The list page is ``GET /admin/events/{slug}/employers`` with an organiser's session, called
in-process through the ASGI app (httpx's ASGITransport: no network, so the time is the
server's), 300 times after 20 warm-up calls; p50/p95 against ``GET /health`` through the same
app. Medians over ``--runs``. Targets: import < 3 s; list p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/eventops_bench"
SECRET_KEY = "benchmark-secret-key-0123456789"
HEADER = ["name", "stand", "sector", "email", "vacancy_title", "vacancy_postcode",
          "vacancy_positions", "skills", "kvk", "vacancy_hours"]


def sheet_rows(employers: int, vacancies: int, seed: int = 2027) -> list[list[str]]:
    """One row per vacancy; employers get 2 or 3 vacancies (``vacancies`` in all), 3-4
    competencies of their sector at a level, a KvK number for every other employer."""
    from event_ops.taxonomy.service import DEFAULT_CSV, SECTORS, read_csv

    rng = random.Random(seed)
    by_sector: dict[str, list[str]] = {}
    for item in read_csv(DEFAULT_CSV):
        by_sector.setdefault(item.sector, []).append(item.code)
    counts = [vacancies // employers] * employers
    for k in range(vacancies - sum(counts)):
        counts[k] += 1
    rows = []
    for e in range(employers):
        sector = SECTORS[e % len(SECTORS)]
        name = f"Werkgever {e + 1:03d} B.V."
        kvk = f"{10_000_000 + e}" if e % 2 == 0 else ""
        for v in range(counts[e]):
            skills = rng.sample(by_sector[sector], 3 + (v % 2))
            rows.append([name, f"{'ABC'[e % 3]}{e // 3 + 1:02d}", sector,
                         f"vacatures@werkgever-{e + 1}.example.nl", f"Vacature {v + 1}",
                         f"9{rng.randint(100, 899)}", str(1 + v % 3),
                         ";".join(f"{code}:{rng.randint(1, 4)}" for code in skills), kvk,
                         str(rng.choice([24, 32, 36, 40]))])
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
    """The baseline: the same employers, vacancies and competencies with bare INSERTs."""
    from event_ops import clock
    from event_ops.core.db import current_engine

    db = current_engine()
    start = time.perf_counter()
    async with db.transaction():
        employer_ids: dict[str, int] = {}
        for row in rows:
            name = row[0]
            if name not in employer_ids:
                employer_ids[name] = (await db.fetch(
                    "INSERT INTO employer (event, name, sector, is_training_provider,"
                    " contact_email, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    [event_id, name, row[2], False, row[3], clock.now()]))[0]["id"]
            vacancy_id = (await db.fetch(
                "INSERT INTO vacancy (employer, title, description, sector, positions,"
                " hours_per_week, postcode) VALUES (?, ?, '', ?, ?, ?, ?) RETURNING id",
                [employer_ids[name], row[4], row[2], int(row[6]), int(row[9]), row[5]]))[0]["id"]
            for part in row[7].split(";"):
                code, _, level = part.partition(":")
                await db.fetch("INSERT INTO vacancy_competency (vacancy, code, level, required)"
                               " VALUES (?, ?, ?, ?)", [vacancy_id, code, int(level), True])
    return time.perf_counter() - start


async def measure(args: argparse.Namespace) -> None:
    import logging

    import httpx

    from app.factory import create_app
    from event_ops.access.accounts import create_account, log_in
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings
    from event_ops.employers.importer import import_employers, plan_sheet
    from event_ops.employers.spreadsheet import read_sheet
    from event_ops.taxonomy.service import competencies_by_code

    settings = get_settings()
    rows = sheet_rows(args.employers, args.vacancies)
    content = to_xlsx(rows)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(a shared machine: read the ratios)")
    print(f"sheet: {args.employers} employers, {len(rows)} vacancies, "
          f"{sum(len(r[7].split(';')) for r in rows)} competencies; XLSX {len(content):,} bytes;"
          f" database {'PostgreSQL' if args.postgres else 'SQLite'}")
    engine = database.current_engine()
    parse, raw, first, again = [], [], [], []
    async with database.engine_running(engine, settings):
        known = await competencies_by_code()
        for n in range(args.runs):
            start = time.perf_counter()
            plan, problems = plan_sheet(read_sheet(content), known)
            parse.append(time.perf_counter() - start)
            assert not problems and len(plan) == args.employers
            raw.append(await raw_insert((await _new_event(1000 + n)).id, rows))
            event = await _new_event(n)
            start = time.perf_counter()
            result = await import_employers(event, content, actor="bench")
            first.append(time.perf_counter() - start)
            assert (result.employers_created, result.vacancies_created) == (
                args.employers, len(rows)), result.errors("en")[:3]
            start = time.perf_counter()
            result = await import_employers(event, content, actor="bench")
            again.append(time.perf_counter() - start)
            assert result.employers_created == 0 and result.vacancies_created == 0
        await create_account("bench@gemeente.example.nl", "Bench", "organiser_admin",
                             "benchmark password 1")
        session = await log_in("bench@gemeente.example.nl", "benchmark password 1")

    def med(values: list[float]) -> float:
        return statistics.median(values)

    print(f"\nimport, median of {args.runs} runs (each into a fresh event):")
    print(f"  parse + check only (baseline)  {med(parse):7.3f} s")
    print(f"  raw INSERTs (baseline)         {med(raw):7.3f} s")
    print(f"  import, creating everything    {med(first):7.3f} s   "
          f"({med(first) / med(parse):.1f}x parse, {med(first) / med(raw):.1f}x raw insert)"
          f"   target < 3 s: {'yes' if med(first) < 3 else 'NO'}")
    print(f"  same sheet again (updates)     {med(again):7.3f} s   "
          f"({med(again) / med(parse):.1f}x parse)")

    app = create_app(settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one log line per request otherwise
    latencies: dict[str, list[float]] = {"list": [], "health": []}
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000",
                                     cookies={"eo_session": session}) as client:
            paths = {"list": "/admin/events/bench-0/employers", "health": "/health"}
            for name, path in paths.items():
                for k in range(args.requests + 20):
                    start = time.perf_counter()
                    r = await client.get(path)
                    elapsed = time.perf_counter() - start
                    assert r.status_code == 200, (path, r.status_code, r.text[:200])
                    if k >= 20:
                        latencies[name].append(elapsed)
            page = (await client.get(paths["list"])).text
            assert page.count("Werkgever ") >= args.employers

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    lst, health = latencies["list"], latencies["health"]
    print(f"\nemployers list page at {args.employers} employers ({args.requests} requests,"
          " in-process ASGI, server time):")
    print(f"  GET /health (baseline)          p50 {pct(health, .5):6.2f} ms  "
          f"p95 {pct(health, .95):6.2f} ms")
    print(f"  GET /admin/events/…/employers   p50 {pct(lst, .5):6.2f} ms  "
          f"p95 {pct(lst, .95):6.2f} ms   ({pct(lst, .95) / pct(health, .95):.1f}x /health)"
          f"   target p95 < 100 ms: {'yes' if pct(lst, .95) < 100 else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--employers", type=int, default=250)
    parser.add_argument("--vacancies", type=int, default=600)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", action="store_true",
                        help=f"use PostgreSQL ({POSTGRES_URL}, or --database-url); emptied")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="eventops-bench-import-")
    url = args.database_url or (POSTGRES_URL if args.postgres else
                                f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
    args.postgres = url.startswith("postgres")
    env = {"EVENTOPS_DATABASE_URL": url, "EVENTOPS_RATE_LIMIT": "0",
           "EVENTOPS_SECRET_KEY": SECRET_KEY, "PICCOLO_CONF": "event_ops.core.piccolo_conf"}
    for name in list(os.environ):
        if name.startswith("EVENTOPS_") and name not in env:
            env[name] = ""
    migrate(env, args.postgres)
    os.environ.update(env)
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
