"""Candidate pool search: server time per search over 20,000 members (issue 18).

Setup: a fresh temp SQLite database (or, with ``EVENTOPS_DATABASE_URL`` set to a
``postgresql://`` URL, that database: its schema ``public`` is DROPPED and recreated — give
it a database of its own), ``eventops migrate``, then ``--members`` visitors in the pool
(profiles drawn from the real taxonomy as ``benchmarks/matching.py`` does: one or two
sectors, competencies with levels, education, availability, a PC4 postcode; hours wished,
a travel limit for a third, a start date for a tenth, 2 % ended) and one approved
organisation with ``--job-profiles`` job profiles with their competencies (a tenth with
each distance-to-the-labour-market flag).

Measured in this process, after a warm-up (the cached arrays built once, as in a running
server; the cold load is printed separately):

* ``baseline``: a plain SELECT of the findable members (one query, every row fetched);
* ``job profile as criteria``: every job profile once as the search criteria (read by
  ``search.organisation_jobs``, then ``search.find``: the
  fingerprint query, filters, the engine's score of every passing member, sorting, the
  explained cards of the first page, the findable re-check);
* filter mixes: competencies with levels (strict), sector + distance, hours + availability
  + education, everything together; ``--repeat`` times each;
* through HTTP once: ``GET /api/v1/pool/search?job=…`` and the portal page, with a
  contact person's session (httpx's ASGI transport, no network; includes the audit write).

Prints median and p95 in ms and the ratio to the baseline. Target: p95 < 100 ms.

    python -m benchmarks.pool_search
    EVENTOPS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_pool \
        python -m benchmarks.pool_search
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_P95_MS = 100.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _insert(engine, table: str, columns: list[str], rows: list[list]) -> None:  # noqa: ANN001
    per = max(1, 900 // len(columns))  # SQLite: at most 999 parameters a statement
    for start in range(0, len(rows), per):
        chunk = rows[start:start + per]
        marks = "(" + ", ".join("?" * len(columns)) + ")"
        await engine.fetch(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                           + ", ".join([marks] * len(chunk)), [v for r in chunk for v in r])


async def prepare(members: int, job_profiles: int) -> dict[str, object]:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from benchmarks.matching import synthetic
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings
    from event_ops.employers.service import add_employer
    from event_ops.events.service import create_event
    from tests.helpers import contact_signed_in

    settings = get_settings()
    engine = database.current_engine()
    await database.start_engine(engine, settings)
    if engine.engine_type == "postgres":
        await engine.fetch("DROP SCHEMA IF EXISTS public CASCADE")
        await engine.fetch("CREATE SCHEMA public")
    result = await run_forwards(app_name="event_ops", migration_id="all")
    assert result.success, result.message
    people, jobs = synthetic(members, job_profiles, 250)
    rng = random.Random(18)
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    began = time.perf_counter()
    async with engine.transaction():
        await _insert(engine, "visitor", [
            "id", "email", "name", "phone", "postcode", "education_level", "availability",
            "sectors", "language", "share_profile", "messages_opt_out", "link_version",
            "created_at", "updated_at"], [
            [p.id, f"v{p.id}@example.nl", f"Visitor {p.id}", "", p.postcode,
             p.education_level, json.dumps(list(p.availability)), json.dumps(list(p.sectors)),
             "nl", True, False, 1, now, now] for p in people])
        await _insert(engine, "profile_competency", ["visitor", "code", "level"],
                      [[p.id, c, lv] for p in people for c, lv in p.competencies.items()])
        rows = []
        for p in people:
            hours = rng.choice([8, 16, 24, 32])
            ends = today + dt.timedelta(days=rng.randint(-10, 365) if rng.random() < 0.02
                                        else rng.randint(1, 365))
            rows.append([p.id, f"B{p.id:07d}", "pool-2026-12-v1", "self", now, ends, hours,
                         hours + rng.choice([0, 8, 16]),
                         today + dt.timedelta(days=30) if rng.random() < 0.1 else None,
                         rng.choice([10, 25, 50]) if rng.random() < 0.33 else None,
                         '["email"]', now, now])
        await _insert(engine, "pool_member", [
            "visitor", "ref", "wording_version", "consent_by", "consented_at", "ends_on",
            "hours_min", "hours_max", "available_from", "max_distance_km", "share_fields",
            "created_at", "updated_at"], rows)
    event = await create_event(slug="pool-bench", name="Pool bench", kind="matching",
                               starts_at=now, ends_at=now + dt.timedelta(hours=4))
    employer = await add_employer(event, name="Bench BV", sector="care", kvk_number="11223344")
    async with engine.transaction():
        ids = []
        for j in jobs:
            got = await engine.fetch(
                "INSERT INTO job_profile (organisation, title, description, sector, postcode,"
                " hours_per_week, positions, job_carving, supported_employment,"
                " training_on_the_job, archived_at, created_at, updated_at)"
                " VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) RETURNING id",
                [employer.organisation, j.title or f"Job {j.id}", j.sector or "",
                 j.postcode[:4], j.hours_per_week, j.positions, rng.random() < 0.1,
                 rng.random() < 0.1, rng.random() < 0.1, now, now])
            ids.append(got[0]["id"])
        await _insert(engine, "job_profile_competency",
                      ["job_profile", "code", "level", "required"],
                      [[pid, c, lv, req] for pid, j in zip(ids, jobs, strict=True)
                       for c, lv, req in j.wanted])
    seconds = time.perf_counter() - began
    headers = await contact_signed_in(employer.organisation, "bench@example.nl")
    await database.stop_engine(engine)
    return {"organisation": employer.organisation, "headers": headers, "seed_s": seconds,
            "job_ids": ids}


async def measure(organisation: int, repeat: int) -> dict[str, list[float]]:
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings
    from event_ops.pool import search
    from event_ops.pool.rules import today

    engine = database.current_engine()
    await database.start_engine(engine, get_settings())
    times: dict[str, list[float]] = {}
    try:
        day = today()
        began = time.perf_counter()
        pool = await search.load_pool()
        times["cold load (once)"] = [(time.perf_counter() - began) * 1000]
        print(f"pool: {len(pool)} members loaded, {int(search.findable(pool, day).sum())}"
              " findable", flush=True)
        jobs = await search.organisation_jobs(organisation)

        async def timed(name: str, criteria: list[search.Criteria]) -> None:
            out = times.setdefault(name, [])
            for c in criteria:
                began = time.perf_counter()
                await search.find(c, day)
                out.append((time.perf_counter() - began) * 1000)

        async def baseline() -> None:
            began = time.perf_counter()
            await engine.fetch(
                "SELECT m.ref, m.hours_min, m.hours_max, v.postcode, v.sectors FROM pool_member m"
                " JOIN visitor v ON v.id = m.visitor WHERE m.withdrawn_at IS NULL"
                " AND m.ends_on >= ?", [day])
            times.setdefault("baseline: SELECT findable members", []).append(
                (time.perf_counter() - began) * 1000)

        await search.find(search.Criteria(), day)  # warm-up: the cache filled once
        for _ in range(repeat):
            await baseline()
        mixes = {
            "competencies + levels (strict)": search.Criteria(
                competencies=(("car-hygiene", 2, True), ("gen-computer", 1, True))),
            "sector + distance 25 km": search.Criteria(sectors=("logistics",),
                                                       postcode="9711", max_km=25),
            "hours + availability + education": search.Criteria(
                hours_min=16, hours_max=24, availability=("parttime",), education_min="mbo2"),
            "everything together": search.Criteria(
                competencies=(("car-hygiene", 1, True),), sectors=("care",), postcode="9722",
                max_km=40, hours_min=8, hours_max=32, education_min="mbo1",
                available_by=day + dt.timedelta(days=60)),
            "no filter (all findable ranked)": search.Criteria(),
        }
        for name, c in mixes.items():
            await timed(name, [c] * repeat)
        await timed(f"each of {len(jobs)} job profiles as criteria",
                    [search.criteria_from_job(j) for j in jobs])
    finally:
        await database.stop_engine(engine)
    return times


async def measure_http(headers: dict[str, str], job_ids: list[int], requests: int
                       ) -> dict[str, list[float]]:
    import httpx

    from app.factory import create_app

    app_ = create_app()
    started, stop = asyncio.Event(), asyncio.Event()

    async def run_lifespan() -> None:
        async with app_.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run_lifespan())
    await started.wait()
    times: dict[str, list[float]] = {}
    paths = {"HTTP GET /health (baseline)": "/health?{}",
             "HTTP GET /api/v1/pool/search?job=…": "/api/v1/pool/search?job={}",
             "HTTP GET /employer/pool?go=1&job=… (page)": "/employer/pool?go=1&job={}"}
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_),
                                     base_url="http://127.0.0.1:8000") as client:
            for name, path in paths.items():
                answer = await client.get(path.format(job_ids[0]), headers=headers)
                assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
                out = times.setdefault(name, [])
                for n in range(requests):
                    began = time.perf_counter()
                    await client.get(path.format(job_ids[n % len(job_ids)]),
                                     headers=headers)
                    out.append((time.perf_counter() - began) * 1000)
    finally:
        stop.set()
        await task
    return times


def report(times: dict[str, list[float]], base_name: str) -> None:
    base = statistics.median(times[base_name])
    print(f"{'search':52} {'n':>5} {'median':>8} {'p95':>8} {'x base':>7}  target p95")
    for name, values in times.items():
        med, p95 = statistics.median(values), percentile(values, 0.95)
        verdict = "" if "baseline" in name or "once" in name else (
            "met" if p95 < TARGET_P95_MS else "NOT met")
        print(f"{name:52} {len(values):5d} {med:8.2f} {p95:8.2f} {med / base:7.1f}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--job-profiles", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=50, help="searches per filter mix")
    parser.add_argument("--requests", type=int, default=100, help="HTTP requests per route")
    args = parser.parse_args()
    url = os.environ.get("EVENTOPS_DATABASE_URL", "")
    if not url.startswith("postgresql://"):
        tmp = Path(tempfile.mkdtemp(prefix="eventops-bench-pool-"))
        os.environ["EVENTOPS_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("EVENTOPS_SECRET_KEY", "benchmark-secret-key-0123456789")
    os.environ["EVENTOPS_RATE_LIMIT"] = "0"
    os.environ.setdefault("PICCOLO_CONF", "event_ops.core.piccolo_conf")
    import app  # noqa: F401  (sets PICCOLO_CONF before any table is imported)

    setup = asyncio.run(prepare(args.members, args.job_profiles))
    database = "PostgreSQL" if url.startswith("postgresql://") else "SQLite"
    print(f"{database}: {args.members} pool members, {args.job_profiles} job profiles "
          f"(seeded in {setup['seed_s']:.1f} s)")
    times = asyncio.run(measure(int(setup["organisation"]), args.repeat))  # type: ignore[call-overload]
    report(times, "baseline: SELECT findable members")
    http = asyncio.run(measure_http(setup["headers"], setup["job_ids"],  # type: ignore[arg-type]
                                    args.requests))
    report(http, "HTTP GET /health (baseline)")


if __name__ == "__main__":
    main()
