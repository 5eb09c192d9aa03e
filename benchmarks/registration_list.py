"""The registrations desk's list at festival size: search and filter time per request.

Sets up a fresh database (temp SQLite file, or with ``--postgres`` schema ``public`` of
``--postgres-url`` dropped and recreated), migrates it (``eventops migrate``), and stores
``--registrations`` (10,000) registrations in the measured event plus half as many in a
second event (so the event condition has to do its job). The data look like a festival's:
Dutch names from the demo lists, e-mail addresses, Dutch mobile numbers for 70 %, 92 %
registered / 5 % waiting / 3 % cancelled, 45 % checked in, 5 % no-shows, 60 % sharing their
profile, sources self / walk-in / coach / invitation.

It then times, in this process on the app's own database engine, what the server does for
one request: ``list_registrations`` (the page and the API: counts per status, total, one
page of 50) for each search and filter below, and ``all_matching`` (an export's rows).
The baseline, measured in the same run and the same way, is a plain
``SELECT count(*) FROM registration WHERE event = ?``. Each case runs ``--runs`` times
after two warm-up runs; medians and p95 are printed, with the ratio of each p95 to the
baseline's median.

    python -m benchmarks.registration_list                 # SQLite
    python -m benchmarks.registration_list --postgres      # PostgreSQL (drops schema public!)

Target: p95 < 100 ms for every search and filter, on SQLite (and PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.checkin import app_env, eventops, reset_postgres

# Its own database: a benchmark resets its schema, and others may run theirs meanwhile.
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/registration_list_bench"
DATA = Path(__file__).resolve().parent.parent / "event_ops" / "data" / "demo"
TARGET_MS = 100.0


def people(n: int, seed: int) -> list[tuple]:
    """(name, email, phone, share_profile) for ``n`` made-up visitors."""
    rng = random.Random(seed)
    first = (DATA / "first_names.txt").read_text().split("\n")
    last = (DATA / "surnames.txt").read_text().split("\n")
    first, last = [f for f in first if f], [s for s in last if s]
    rows = []
    for i in range(n):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        email = f"{name.lower().replace(' ', '.')}.{seed}.{i}@example.nl"
        phone = f"+316{rng.randrange(10**8):08d}" if rng.random() < 0.7 else ""
        rows.append((name, email, phone, rng.random() < 0.6))
    return rows


async def seed(registrations: int) -> int:
    """Two events; returns the id of the measured one (``registrations`` rows)."""
    import datetime as dt

    from event_ops.core.db import current_engine, insert_many
    from event_ops.events.service import create_event

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    db = current_engine()
    event_ids = []
    for slug, n, seed_value in (("bench", registrations, 1), ("other", registrations // 2, 2)):
        event = await create_event(slug=slug, name=slug, kind="festival", starts_at=now,
                                   ends_at=now + dt.timedelta(hours=8), location="Groningen")
        event_ids.append(event.id)
        rng = random.Random(seed_value)
        visitors = people(n, seed_value)
        for start in range(0, n, 500):
            chunk = visitors[start:start + 500]
            await insert_many(
                "visitor", ("email", "name", "phone", "postcode", "education_level",
                            "availability", "sectors", "language", "share_profile",
                            "link_version", "created_at", "updated_at"),
                [(email, name, phone, "", "", "[]", "[]", "nl", share, 1, now, now)
                 for name, email, phone, share in chunk])
        ids = [r["id"] for r in await db.fetch(
            "SELECT id FROM visitor WHERE email LIKE ? ORDER BY id", [f"%.{seed_value}.%"])]
        rows = []
        for i, visitor_id in enumerate(ids):
            roll = rng.random()
            status = "registered" if roll < 0.92 else "waiting_list" if roll < 0.97 else "cancelled"
            checked = status == "registered" and rng.random() < 0.45
            rows.append((
                event.id, visitor_id, status, i if status == "waiting_list" else None, 1,
                now - dt.timedelta(minutes=n - i),
                now + dt.timedelta(seconds=i) if checked else None,
                "Noord" if checked else None, "",
                rng.choices(("self", "walkin", "coach", "invitation"), (85, 8, 5, 2))[0],
                now if status == "registered" and not checked and rng.random() < 0.1 else None,
            ))
        for start in range(0, len(rows), 500):
            await insert_many(
                "registration", ("event", "visitor", "status", "waiting_position",
                                 "badge_serial", "created_at", "checked_in_at",
                                 "checked_in_door", "note", "source", "no_show_at"),
                rows[start:start + 500])
    # Job coaches: 10 accounts in two organisations; the coach sign-ups are theirs.
    coach_ids = []
    for i in range(10):
        coach_ids.append((await db.fetch(
            "INSERT INTO account (email, name, role, password_hash, failed_logins, created_at,"
            " organisation) VALUES (?, ?, 'job_coach', '', 0, ?, ?) RETURNING id",
            [f"coach{i}@example.nl", f"Coach {i}", now, "Werkpunt" if i < 5 else "Gemeente"]
        ))[0]["id"])
    await db.fetch(f"UPDATE registration SET coach_account = {coach_ids[0]} + (id % 10)"
                   " WHERE source = 'coach'")
    await db.fetch("ANALYZE")  # fresh statistics, as a database in use has
    return event_ids[0]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def timed(call: Callable[[], Awaitable[object]],
                runs: int) -> tuple[list[float], list[float]]:
    """(wall-clock ms, CPU ms of this process) per run. On SQLite the query runs in this
    process (on its reader thread), so the CPU time is the server's work without the
    waiting for a core on a shared machine; on PostgreSQL the work is in the server."""
    for _ in range(2):
        await call()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        await call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


async def measure(event_id: int,
                  runs: int) -> list[tuple[str, tuple[list[float], list[float]]]]:
    from event_ops.core.db import current_engine
    from event_ops.people.registration_list import (
        RegistrationFilter,
        all_matching,
        list_registrations,
    )

    db = current_engine()
    # A real name and phone from the data, so the searches find something.
    sample = (await db.fetch(
        "SELECT v.name, v.phone FROM registration r JOIN visitor v ON v.id = r.visitor"
        " WHERE r.event = ? AND v.phone != '' ORDER BY r.id LIMIT 1 OFFSET 4321",
        [event_id]))[0]
    surname = sample["name"].split(" ", 1)[1]
    phone_typed = "0" + sample["phone"][3:7] + " " + sample["phone"][7:9]  # "0612 34"

    def page(**kw: object) -> Callable[[], Awaitable[object]]:
        f = RegistrationFilter(**kw)  # type: ignore[arg-type]
        return lambda: list_registrations(event_id, f)

    cases: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("baseline: SELECT count(*)", lambda: db.fetch_off_loop(
            "SELECT count(*) AS n FROM registration WHERE event = ?", [event_id])),
        ("list, first page (by name)", page()),
        (f"search name '{surname.lower()[:5]}'", page(q=surname.lower()[:5])),
        ("search e-mail 'jan.bakker'", page(q="jan.bakker")),
        (f"search phone '{phone_typed}'", page(q=phone_typed)),
        ("search, no match", page(q="zzzzqq")),
        ("status = waiting_list", page(status="waiting_list")),
        ("checked in + shares profile", page(checked_in=True, share_profile=True)),
        ("source = walkin", page(source="walkin")),
        ("no-shows", page(no_show=True)),
        ("last page (offset 9,950)", page(offset=9950)),
        ("sort by check-in, newest", page(sort="-checked_in")),
        ("search + status + sort", page(q="de", status="registered", sort="-created")),
        ("export rows, everything", lambda: all_matching(event_id, RegistrationFilter())),
    ]
    # A job coach's list (their organisation's clients) and caseload (every event).
    from event_ops.people.caseload import caseload, team_for

    coach = (await db.fetch("SELECT MIN(id) AS id FROM account WHERE role = 'job_coach'"))[0]["id"]
    team = await team_for(coach)
    cases[-1:-1] = [
        ("job coach's list (organisation)", page(coach_account_id=coach)),
        ("job coach's caseload (all events)", lambda: caseload(team)),
    ]
    return [(name, await timed(call, runs)) for name, call in cases]


async def main_async(args: argparse.Namespace, database_url: str) -> None:
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings

    settings = get_settings()
    engine = database.current_engine()
    await database.start_engine(engine, settings)
    try:
        started = time.perf_counter()
        event_id = await seed(args.registrations)
        print(f"seeded {args.registrations:,} + {args.registrations // 2:,} registrations "
              f"in {time.perf_counter() - started:.1f} s ({engine.engine_type})")
        results = await measure(event_id, args.runs)
    finally:
        await database.stop_engine(engine)
    base = statistics.median(results[0][1][0])
    print(f"\n{'case':38} {'median ms':>10} {'p95 ms':>8} {'p95/base':>9} {'CPU ms':>7}")
    worst = 0.0
    for name, (wall, cpu) in results:
        med, high = statistics.median(wall), p95(wall)
        if not name.startswith(("baseline", "export")):
            worst = max(worst, high)
        print(f"{name[:38]:38} {med:10.2f} {high:8.2f} {high / base:9.1f}"
              f" {statistics.median(cpu):7.2f}")
    verdict = "met" if worst < TARGET_MS else "NOT met"
    print(f"\nworst search/filter p95: {worst:.1f} ms; target < {TARGET_MS:.0f} ms: {verdict}"
          f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgres", action="store_true",
                        help="use --postgres-url (created if missing; schema public dropped)")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eventops-desk-bench-") as tmp:
        if args.postgres:
            database_url = args.postgres_url
            reset_postgres(database_url)
        else:
            database_url = f"sqlite:///{tmp}/bench.sqlite3"
        env = app_env(database_url)
        eventops(env, "migrate")
        os.environ.update(env)
        asyncio.run(main_async(args, database_url))


if __name__ == "__main__":
    main()
