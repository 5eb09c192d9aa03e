"""Employer interests during a door check-in rush: ``POST /api/v1/events/{slug}/interests``.

Setup (``soak.prepare``): a fresh database (temp SQLite file, or with ``--postgres`` schema
``public`` of ``--postgres-url`` dropped and recreated), ``eventops migrate``, an event whose
check-in is open, bulk-inserted registrations with signed badges, a door token and
``--employers`` employers with one tablet (employer) token each. One uvicorn worker
(``app.asgi:app``, ``EVENTOPS_RATE_LIMIT=0``) is started, then ``--checked-in`` visitors are
checked in through the door endpoint (they are the ones the tablets scan) and a short warm-up
runs. Every run then measures, in this order:

* ``alone``: ``--interests`` interests at ``--concurrency`` connections, nothing else running
  (the baseline, same server, same run);
* ``rush``: the same number of interests and, at the same time in the same event loop,
  ``--rush`` check-ins of fresh (never scanned) badges at ``--concurrency`` more connections.

Each interest uses a random tablet token, a random checked-in visitor's badge, a random level
and rating; re-scans of a pair are updates (``ON CONFLICT``). "During the rush" = interests
sent between the first check-in request and the last check-in answer. Every request's status,
send and answer time are recorded (``Tracker``), so afterwards the database is compared with
what was acknowledged: interest rows = distinct (employer, registration) pairs answered 201;
checked-in rows = pre-checked + check-ins answered 200. Medians of ``--runs`` runs.

    python -m benchmarks.interests                 # SQLite, 3 runs
    python -m benchmarks.interests --runs 5 --postgres

Target (SQLite): interests p99 < 100 ms during the check-in rush.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.checkin import query_rows, reset_postgres
from benchmarks.loadgen import run, run_load
from benchmarks.servers import Server, serve
from benchmarks.soak import EVENT_SLUG, LEVELS
from benchmarks.soak import prepare as soak_prepare

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/interests_bench"
TARGET_P99_MS = 100.0
JSON_CT = "application/json"
WARMUP = 500  # interests and check-ins of the warm-up

RequestSpec = tuple[str, str, bytes, dict[str, str]]


# --------------------------------------------------------------------------- bookkeeping


class Tracker:
    """Per-request status and timing for ``run_load`` (one process, one event loop).

    ``run_load`` calls ``make_request(i)`` right before sending and ``check(status)`` right
    after the answer, both in the client's own task, so the task links the two.
    """

    def __init__(self, make: Callable[[int], RequestSpec], ok_status: int) -> None:
        self._make = make
        self.ok_status = ok_status
        self._pending: dict[Any, tuple[int, float]] = {}
        self.records: list[tuple[int, float, float, int]] = []  # (i, sent, answered, status)

    def make(self, i: int) -> RequestSpec:
        self._pending[asyncio.current_task()] = (i, time.perf_counter())
        return self._make(i)

    def check(self, status: int) -> bool:
        i, t0 = self._pending.pop(asyncio.current_task())
        self.records.append((i, t0, time.perf_counter(), status))
        return status == self.ok_status


@dataclass
class Fig:
    n: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def figures(records: list[tuple[int, float, float, int]], ok: int, errors: int = 0,
            window: tuple[float, float] | None = None) -> Fig:
    """Throughput and latency of ``records``; with ``window`` only requests sent in it, and
    rps = answers inside the window / window length."""
    if window is not None:
        w0, w1 = window
        answered_in = sum(1 for _, _, t1, _ in records if w0 <= t1 <= w1)
        records = [r for r in records if w0 <= r[1] <= w1]
        span = w1 - w0
    else:
        answered_in = len(records)
        span = (max(r[2] for r in records) - min(r[1] for r in records)) if records else 0.0
    lat = sorted((t1 - t0) * 1000 for _, t0, t1, _ in records)
    bad = sum(1 for r in records if r[3] != ok)
    return Fig(len(records), answered_in / span if span > 0 else 0.0, _pct(lat, 0.5),
               _pct(lat, 0.99), bad + errors)


def median_fig(figs: list[Fig]) -> Fig:
    return Fig(
        sum(f.n for f in figs), statistics.median(f.rps for f in figs),
        statistics.median(f.p50_ms for f in figs), statistics.median(f.p99_ms for f in figs),
        sum(f.errors for f in figs),
    )


# --------------------------------------------------------------------------- requests


class Bench:
    def __init__(self, server: Server, fx: Any, n_checked_in: int, concurrency: int,
                 seed: int) -> None:
        self.server, self.fx, self.concurrency = server, fx, concurrency
        self.rng = random.Random(seed)
        base = f"/api/v1/events/{EVENT_SLUG}"
        self.interest_path, self.checkin_path = base + "/interests", base + "/checkins"
        self.door_headers = {"Content-Type": JSON_CT,
                             "Authorization": f"Bearer {fx.door_tokens[0]}"}
        self.tablet_headers = [{"Content-Type": JSON_CT, "Authorization": f"Bearer {tok}"}
                               for _, tok in fx.employers]
        self.n_checked_in = n_checked_in
        self.next_badge = 0  # badges [0, next_badge) have been sent to the door
        self.checkins_ok = 0
        self.acked_pairs: set[tuple[int, int]] = set()  # answered 201
        self.unsure_pairs: set[tuple[int, int]] = set()  # sent, not answered 201
        self.interests_sent = 0

    def checkins(self, n: int) -> tuple[Callable[[int], RequestSpec], Tracker]:
        if self.next_badge + n > len(self.fx.badges):
            raise SystemExit(f"out of badges: {self.next_badge + n} > {len(self.fx.badges)}")
        first = self.next_badge
        self.next_badge += n
        bodies = [b'{"token":"%s","door":"Door 1"}' % t.encode()
                  for t in self.fx.badges[first:first + n]]
        path, headers = self.checkin_path, self.door_headers

        def make(i: int) -> RequestSpec:
            return "POST", path, bodies[i], headers

        return make, Tracker(make, 200)

    def interests(self, n: int) -> tuple[list[tuple[int, int]], Tracker]:
        rng, emp = self.rng, self.fx.employers
        pairs, bodies, heads = [], [], []
        for _ in range(n):
            e = rng.randrange(len(emp))
            v = rng.randrange(self.n_checked_in)  # badges [0, n_checked_in) are checked in
            rating = rng.randint(0, 5)
            bodies.append(b'{"token":"%s","level":"%s","rating":%d,"note":"bench %d"}' % (
                self.fx.badges[v].encode(), rng.choice(LEVELS).encode(), rating, rating))
            heads.append(self.tablet_headers[e])
            pairs.append((emp[e][0], self.fx.reg_ids[v]))
        path = self.interest_path

        def make(i: int) -> RequestSpec:
            return "POST", path, bodies[i], heads[i]

        return pairs, Tracker(make, 201)

    def _settle(self, pairs: list[tuple[int, int]], tracker: Tracker) -> None:
        self.interests_sent += len(pairs)
        answered = {i for i, _, _, status in tracker.records if status == 201}
        for i, pair in enumerate(pairs):
            (self.acked_pairs if i in answered else self.unsure_pairs).add(pair)

    def _load(self, make: Callable[[int], RequestSpec], check: Callable[[int], bool],
              total: int) -> Any:
        return run_load(self.server.host, self.server.port, make, total=total,
                        concurrency=self.concurrency, check=check)

    def check_in(self, n: int) -> Fig:
        _, tracker = self.checkins(n)
        res = run(self._load(tracker.make, tracker.check, n))
        self.checkins_ok += res.statuses.get(200, 0)
        return figures(tracker.records, 200, _conn_errors(res, tracker))

    def alone(self, n: int) -> Fig:
        pairs, tracker = self.interests(n)
        res = run(self._load(tracker.make, tracker.check, n))
        self._settle(pairs, tracker)
        return figures(tracker.records, 201, _conn_errors(res, tracker))

    def rush(self, n_interests: int, n_checkins: int) -> tuple[Fig, Fig, Fig]:
        """(interests sent during the rush, all interests of the run, check-ins)."""
        pairs, it = self.interests(n_interests)
        _, ct = self.checkins(n_checkins)

        async def both() -> Any:
            return await asyncio.gather(self._load(it.make, it.check, n_interests),
                                        self._load(ct.make, ct.check, n_checkins))

        ires, cres = run(both())
        self._settle(pairs, it)
        self.checkins_ok += cres.statuses.get(200, 0)
        window = (min(r[1] for r in ct.records), max(r[2] for r in ct.records))
        return (figures(it.records, 201, window=window),
                figures(it.records, 201, _conn_errors(ires, it)),
                figures(ct.records, 200, _conn_errors(cres, ct)))


def _conn_errors(res: Any, tracker: Tracker) -> int:
    """Failures ``run_load`` counted that never reached ``check`` (connection errors)."""
    return res.errors - sum(1 for r in tracker.records if r[3] != tracker.ok_status)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--employers", type=int, default=250)
    parser.add_argument("--checked-in", type=int, default=2_000,
                        help="visitors checked in before the runs (the ones tablets scan)")
    parser.add_argument("--rush", type=int, default=2_000, help="fresh check-ins per run")
    parser.add_argument("--interests", type=int, default=5_000, help="interests per case/run")
    parser.add_argument("--concurrency", type=int, default=32, help="connections per stream")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true",
                        help="use --postgres-url (created if missing; schema public dropped)")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args(argv)

    n_visitors = args.checked_in + WARMUP + args.rush * args.runs
    with tempfile.TemporaryDirectory(prefix="eventops-bench-interests-") as tmp:
        if args.postgres:
            database_url = args.postgres_url
            reset_postgres(database_url)
            backend = "PostgreSQL"
        else:
            database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            backend = "SQLite"
        setup = argparse.Namespace(visitors=n_visitors, doors=1, employers=args.employers)
        env, fx = soak_prepare(database_url, setup)
        alone: list[Fig] = []
        during: list[Fig] = []
        whole: list[Fig] = []
        rush_ck: list[Fig] = []
        load_before = os.getloadavg()[0]
        with serve("app.asgi:app", workers=1, env=env) as server:
            bench = Bench(server, fx, args.checked_in, args.concurrency, args.seed)
            pre = bench.check_in(args.checked_in)
            if pre.errors or bench.checkins_ok != args.checked_in:
                raise SystemExit(f"pre-check-in failed: {pre}")
            bench.alone(WARMUP)  # warm-up: interests alone, then a small rush
            bench.rush(WARMUP, WARMUP)
            print(f"{backend}: 1 uvicorn worker; {args.employers} tablets, {args.checked_in:,} "
                  f"checked-in visitors; per run {args.interests:,} interests alone, then "
                  f"{args.interests:,} interests + {args.rush:,} check-ins at once "
                  f"({args.concurrency} + {args.concurrency} conns, one client loop); "
                  f"{os.cpu_count()} cores shared; load average {load_before:.1f}", flush=True)
            for n in range(1, args.runs + 1):
                a = bench.alone(args.interests)
                d, w, c = bench.rush(args.interests, args.rush)
                alone.append(a)
                during.append(d)
                whole.append(w)
                rush_ck.append(c)
                print(f"run {n}: alone {a.rps:,.0f}/s p50 {a.p50_ms:.1f} p99 {a.p99_ms:.1f} | "
                      f"during rush {d.rps:,.0f}/s p50 {d.p50_ms:.1f} p99 {d.p99_ms:.1f} "
                      f"(n {d.n:,}) | whole {w.rps:,.0f}/s p99 {w.p99_ms:.1f} | check-ins "
                      f"{c.rps:,.0f}/s p50 {c.p50_ms:.1f} p99 {c.p99_ms:.1f} | errors "
                      f"{a.errors + w.errors + c.errors}", flush=True)
        load_after = os.getloadavg()[0]
        db_pairs = set(query_rows(database_url, "SELECT employer, registration FROM interest"))
        checked_in = query_rows(
            database_url, "SELECT COUNT(*) FROM registration WHERE checked_in_at IS NOT NULL"
        )[0][0]

    lost = bench.acked_pairs - db_pairs
    extra = db_pairs - bench.acked_pairs - bench.unsure_pairs
    interests_ok = not lost and not extra and (len(db_pairs) == len(bench.acked_pairs)
                                               or bool(bench.unsure_pairs))
    checkins_ok = checked_in == bench.checkins_ok
    m_alone, m_during, m_whole, m_ck = (median_fig(x) for x in (alone, during, whole, rush_ck))
    per = args.runs
    print()
    print(f"| {backend}, 1 worker, medians of {per} runs | n/run | req/s | p50 ms | p99 ms "
          "| errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, f, n in (
        ("interests alone (baseline)", m_alone, f"{m_alone.n // per:,}"),
        ("**interests during the check-in rush**", m_during, f"~{m_during.n // per:,}"),
        ("interests, whole rush run", m_whole, f"{m_whole.n // per:,}"),
        ("check-ins (the rush, concurrently)", m_ck, f"{m_ck.n // per:,}"),
    ):
        print(f"| {label} | {n} | {f.rps:,.0f} | {f.p50_ms:.1f} | {f.p99_ms:.1f} "
              f"| {f.errors} |")
    print()
    print(f"durability: {len(db_pairs):,} interest rows = {len(bench.acked_pairs):,} distinct "
          f"(employer, visitor) pairs answered 201 of {bench.interests_sent:,} interests sent "
          f"(re-scans are updates); lost {len(lost)}, extra {len(extra)}, unsure "
          f"{len(bench.unsure_pairs - bench.acked_pairs)} -> {'OK' if interests_ok else 'MISMATCH'}"
          f"; {checked_in:,} checked in = {bench.checkins_ok:,} check-ins answered 200 -> "
          f"{'OK' if checkins_ok else 'MISMATCH'}")
    verdict = "met" if m_during.p99_ms < TARGET_P99_MS else "NOT met"
    print(f"target: interests p99 during the rush < {TARGET_P99_MS:.0f} ms"
          f"{' (SQLite target)' if args.postgres else ''}: {m_during.p99_ms:.1f} ms ({verdict}); "
          f"rush / alone p99 x{m_during.p99_ms / m_alone.p99_ms if m_alone.p99_ms else 0:.2f}, "
          f"rps {m_during.rps / m_alone.rps if m_alone.rps else 0:.0%} of alone")
    print(f"load average (1 min): {load_before:.1f} before, {load_after:.1f} after "
          "(this benchmark's own processes included)")
    errors = m_alone.errors + m_whole.errors + m_ck.errors
    return 0 if interests_ok and checkins_ok and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
