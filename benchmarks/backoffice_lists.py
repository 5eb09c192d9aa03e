"""Back-office events pages: server time of the list, the details form and the programme page.

Setup: a fresh temp SQLite database (or ``--postgres``: schema ``public`` of
``--postgres-url`` dropped and recreated), ``eventops migrate``, ``--events`` events (one a
week: seasons of 16 matching days and a festival, one programme per season, 10 % archived,
20 % invitation only), one of them with ``--employers`` employers, and an organiser admin
who is logged in. The list shows 50 events a page. The app runs in this process (httpx's
ASGI transport in the same event loop, no network), so what is timed is the server's own
work for each request: middleware, permission check, queries and the template.

Each run measures ``--requests`` sequential requests per page, after a warm-up, and prints
p50 and p95 in ms; ``GET /health`` in the same run is the baseline (ratio). Medians of
``--runs`` runs.

    python -m benchmarks.backoffice_lists            # SQLite, 3 runs
    python -m benchmarks.backoffice_lists --postgres

Target: p95 < 100 ms per page (issue 15).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/eventops_bench"
TARGET_P95_MS = 100.0
PASSWORD = "benchmark password 1"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def prepare(events: int, employers: int) -> dict[str, str]:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from event_ops.access.accounts import create_account, log_in
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings

    settings = get_settings()
    engine = database.current_engine()
    await database.start_engine(engine, settings)
    if engine.engine_type == "postgres":
        await engine.fetch("DROP SCHEMA IF EXISTS public CASCADE")
        await engine.fetch("CREATE SCHEMA public")
    result = await run_forwards(app_name="event_ops", migration_id="all")
    assert result.success, result.message
    start = dt.datetime(2027, 1, 12, 8, 0, tzinfo=dt.UTC)
    async with engine.transaction():
        # One programme per season of 17 events (16 matching days and a festival), as the
        # partnership plans them; the migration's programme is the first season.
        seasons = [(await engine.fetch("SELECT id FROM programme"))[0]["id"]]
        for season in range(1, -(-events // 17)):
            rows = await engine.fetch(
                "INSERT INTO programme (name, description, archived, created_at)"
                " VALUES (?, '', ?, ?) RETURNING id", [f"Seizoen {2027 + season}", False, start])
            seasons.append(rows[0]["id"])
            await engine.fetch(
                "INSERT INTO programme_target (programme, key, label, measure, event_kind,"
                " events_planned, target) SELECT ?, key, label, measure, event_kind,"
                " events_planned, target FROM programme_target WHERE programme = ?",
                [rows[0]["id"], seasons[0]])
        programme = seasons[-1]
        for n in range(events):
            kind = "festival" if n % 17 == 16 else "matching"
            starts = start + dt.timedelta(days=7 * n)
            await engine.fetch(
                "INSERT INTO event (slug, name, kind, description, location, starts_at, ends_at,"
                " badge_size, retention_months, created_at, programme, address, route,"
                " languages, visibility, archived_at, version) VALUES"
                " (?, ?, ?, '', 'Groningen', ?, ?, 'card', 12, ?, ?, 'Zernikeplein 1', '',"
                " 'nl,en', ?, ?, 1)",
                [f"dag-{n:04d}", f"Matchingsdag {n}", kind, starts,
                 starts + dt.timedelta(hours=4), starts, seasons[n // 17],
                 "invitation_only" if n % 5 == 0 else "public",
                 starts if n % 10 == 0 else None])
        big = (await engine.fetch("SELECT id FROM event WHERE slug = 'dag-0001'"))[0]["id"]
        for n in range(employers):
            await engine.fetch(
                "INSERT INTO employer (event, name, sector, is_training_provider, contact_email,"
                " created_at) VALUES (?, ?, 'care', ?, '', ?)",
                [big, f"Werkgever {n}", False, start])
    await create_account("bench@gemeente.example.nl", "Bench", "organiser_admin", PASSWORD)
    session = await log_in("bench@gemeente.example.nl", PASSWORD)
    await database.stop_engine(engine)
    return {"Cookie": f"eo_session={session}", "programme": str(programme)}


async def measure(headers: dict[str, str], programme: str, requests: int, runs: int
                  ) -> dict[str, list[tuple[float, float]]]:
    import httpx

    from app.factory import create_app

    pages = {
        "GET /health (baseline)": "/health",
        "GET /admin/events": "/admin/events",
        "GET /admin/events?show=all": "/admin/events?show=all",
        "GET /admin/events/{slug}": "/admin/events/dag-0001",
        "GET /admin/programmes": "/admin/programmes",
        "GET /admin/programmes/{id}": f"/admin/programmes/{programme}",
        "GET /admin/events?programme={id}": f"/admin/events?programme={programme}",
        "GET /api/v1/events?archived=all": "/api/v1/events?archived=all",
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    app_ = create_app()
    started, stop = asyncio.Event(), asyncio.Event()

    async def run_lifespan() -> None:  # one task from start to end (the channels plugin)
        async with app_.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run_lifespan())
    await started.wait()
    transport = httpx.ASGITransport(app=app_)
    try:
        async with httpx.AsyncClient(transport=transport,
                                     base_url="http://127.0.0.1:8000") as client:
            await _timed(client, headers, pages, results, requests, runs)
    finally:
        stop.set()
        await task
    return results


async def _timed(client, headers: dict[str, str], pages: dict[str, str],  # noqa: ANN001
                 results: dict[str, list[tuple[float, float]]], requests: int,
                 runs: int) -> None:
    if True:
        for path in pages.values():  # warm-up: templates compiled, caches filled
            for _ in range(20):
                answer = await client.get(path, headers=headers)
                assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
        for _ in range(runs):
            for name, path in pages.items():
                times = []
                for _ in range(requests):
                    began = time.perf_counter()
                    await client.get(path, headers=headers)
                    times.append((time.perf_counter() - began) * 1000)
                results[name].append((percentile(times, 0.5), percentile(times, 0.95)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--employers", type=int, default=250)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="eventops-bench-bo-"))
    os.environ["EVENTOPS_DATABASE_URL"] = (args.postgres_url if args.postgres
                                           else f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("EVENTOPS_SECRET_KEY", "benchmark-secret-key-0123456789")
    os.environ["EVENTOPS_RATE_LIMIT"] = "0"
    os.environ.setdefault("PICCOLO_CONF", "event_ops.core.piccolo_conf")
    import app  # noqa: F401  (sets PICCOLO_CONF before any table is imported)

    setup = asyncio.run(prepare(args.events, args.employers))
    programme = setup.pop("programme")
    results = asyncio.run(measure(setup, programme, args.requests, args.runs))
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{database}: {args.events} events, {args.employers} employers on one; "
          f"{args.requests} requests per page, medians of {args.runs} runs")
    base = statistics.median(p50 for p50, _ in results["GET /health (baseline)"])
    print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'p50 / health':>13}  target p95")
    for name, runs in results.items():
        p50 = statistics.median(r[0] for r in runs)
        p95 = statistics.median(r[1] for r in runs)
        verdict = "" if "baseline" in name else (
            "met" if p95 < TARGET_P95_MS else "NOT met")
        print(f"{name:40} {p50:8.2f} {p95:8.2f} {p50 / base:12.1f}x  {verdict}")


if __name__ == "__main__":
    main()
