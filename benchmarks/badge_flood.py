"""Door check-ins while one client floods the badge PNG and the sign-up page (issue 12, #2).

Setup as in ``checkin.py`` (``prepare``): a fresh database (temp SQLite file, or with
``--postgres`` schema ``public`` of ``--postgres-url`` dropped and recreated), migrated, an
event whose check-in is open, bulk-inserted registrations with signed badges and a door token.
One uvicorn worker (``app.asgi:app``) with ``EVENTOPS_RATE_LIMIT=0``: the flood is not
throttled, so this measures what the app itself does with it. ``--rate-limit 60`` runs the
production default instead: the flooding client then gets 429 once its badge and page buckets
are used up (door scans carry a device token and are never throttled). ``--app-root`` serves the app
from another checkout (e.g. ``/work/main``, the code before the fix) on the same database.

Every run measures ``--checkins`` check-ins of fresh badges over ``--doors`` keep-alive
connections (back to back, as a busy door does), in these cases:

* ``alone``: nothing else running (the baseline, same server, same run);
* ``flood``: at the same time ``--flood`` connections fetch one visitor's badge PNG
  (``/badges/<link>.png``) and ``--flood`` more fetch the sign-up page
  (``/events/{slug}/register``), flat out, from the same client loop; they stop when the
  check-ins are done;
* ``distinct`` (with ``--distinct``): as ``flood``, but every badge request is another
  visitor's badge, so no render can be reused (the render queue's bound at work: answers
  503 ``busy`` once it is full).

Every check-in must answer 200. Printed: every run, the medians of check-in p50/p99 per case,
the ratio to ``alone`` and the flood's own throughput and statuses (counted per request sent).

    python -m benchmarks.badge_flood                        # SQLite, 3 runs x 300 check-ins
    python -m benchmarks.badge_flood --distinct             # + the distinct-badges case
    python -m benchmarks.badge_flood --rate-limit 60        # production default: flood gets 429
    python -m benchmarks.badge_flood --app-root /work/main --checkins 40   # the old code
    python -m benchmarks.badge_flood --render-pool thread   # renders on a thread instead

Target: check-in p50 stays under 20 ms during the flood.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.checkin import (
    EVENT_SLUG,
    POSTGRES_URL,
    Badges,
    RequestSpec,
    is_ok,
    prepare,
    reset_postgres,
    start_profiler,
    stop_profiler,
    summarize_profile,
)
from benchmarks.loadgen import LoadResult, format_result, median_of, run, run_load
from benchmarks.servers import Server, serve

TARGET_P50_MS = 20.0
WARMUP_CHECKINS = 200
SETTLE_SECONDS = 2.0


class Flood:
    """The requests of one flood, counted as they are made: the flood is cancelled when the
    check-ins are done, so ``run_load`` never returns its own result (statuses and speed of
    the flood requests are measured apart, after the runs)."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.sent = 0

    def make(self, i: int) -> RequestSpec:
        self.sent += 1
        return "GET", self.paths[i % len(self.paths)], b"", {}


async def _flooded(server: Server, checkins: Callable[[int], RequestSpec], n: int, doors: int,
                   floods: list[tuple[Flood, int]]) -> tuple[LoadResult, list[int], float]:
    """Check-ins while the floods run; returns (check-in result, requests sent per flood,
    seconds the floods ran)."""
    loop = asyncio.get_running_loop()
    tasks = [asyncio.ensure_future(run_load(server.host, server.port, flood.make,
                                            total=10**9, concurrency=conns))
             for flood, conns in floods]
    t0 = loop.time()
    await asyncio.sleep(0.3)  # let the floods get going first
    result = await run_load(server.host, server.port, checkins, total=n, concurrency=doors,
                            check=is_ok)
    seconds = loop.time() - t0
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    # The server still works through what the cancelled floods had sent (the old code took
    # seconds for it); let it finish before the next case is measured.
    await asyncio.sleep(SETTLE_SECONDS)
    return result, [flood.sent for flood, _ in floods], seconds


def _statuses(server: Server, paths: list[str], conns: int, total: int) -> LoadResult:
    return run(run_load(server.host, server.port,
                        lambda i: ("GET", paths[i % len(paths)], b"", {}),
                        total=total, concurrency=conns))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkins", type=int, default=300, help="check-ins per case and run")
    parser.add_argument("--doors", type=int, default=4, help="check-in connections")
    parser.add_argument("--flood", type=int, default=8,
                        help="connections on the badge PNG, and as many on the sign-up page")
    parser.add_argument("--what", choices=("both", "badge", "page", "health"),
                        default="both", help="flood the badge PNG and the sign-up page, or "
                        "only one of them, or (a control) GET /health on as many connections")
    parser.add_argument("--distinct", action="store_true",
                        help="also flood with a different badge per request")
    parser.add_argument("--flood-alone", type=int, default=400,
                        help="requests of each flood kind measured alone after the runs")
    parser.add_argument("--app-root", default=None,
                        help="serve the app from this checkout (default: this one)")
    parser.add_argument("--render-pool", choices=("process", "thread"), default=None,
                        help="EVENTOPS_BADGE_RENDER_POOL for the server")
    parser.add_argument("--profile", metavar="PREFIX",
                        help="one more flood run under py-spy (raw profile PREFIX-flood.txt) "
                        "and a summary of the server's event-loop thread")
    parser.add_argument("--rate-limit", type=int, default=0, metavar="R",
                        help="EVENTOPS_RATE_LIMIT for the server (default 0: the flood is not "
                        "throttled; 60 is the production default, where the flood gets 429)")
    parser.add_argument("--postgres", action="store_true",
                        help="use --postgres-url (created if missing; schema public dropped)")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args(argv)

    cases = ["alone", "flood"] + (["distinct"] if args.distinct else [])
    n_distinct = 2_000 if args.distinct else 0
    n = (WARMUP_CHECKINS + args.checkins * (args.runs * len(cases) + bool(args.profile))
         + n_distinct + 1)
    with tempfile.TemporaryDirectory(prefix="eventops-bench-flood-") as tmp:
        if args.postgres:
            database_url = args.postgres_url
            reset_postgres(database_url)
            backend = "PostgreSQL"
        else:
            database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            backend = "SQLite"
        env, door_token, tokens = prepare(database_url, n)
        if args.render_pool:
            env["EVENTOPS_BADGE_RENDER_POOL"] = args.render_pool
        env["EVENTOPS_RATE_LIMIT"] = str(args.rate_limit)

        from badges.token import parse_token
        from event_ops.core.settings import get_settings
        from event_ops.mail.render import badge_url

        settings = get_settings()

        def link(token: str) -> str:
            reg_id = parse_token(token)[0].registration_id
            return badge_url(settings, reg_id, 1).removeprefix(settings.base_url)

        # The last badges are the flood's; the door scans the others.
        badge_paths = [link(t) for t in tokens[len(tokens) - 1 - n_distinct:]]
        one_badge = badge_paths[:1]
        distinct_badges = badge_paths[1:]
        sign_up = [f"/events/{EVENT_SLUG}/register"]
        badges = Badges(tokens[: len(tokens) - 1 - n_distinct], door_token)

        results: dict[str, list[LoadResult]] = {case: [] for case in cases}
        flood_rates: dict[str, list[tuple[float, float]]] = {case: [] for case in cases}
        load_before = os.getloadavg()[0]
        app_root = args.app_root or None
        with serve("app.asgi:app", workers=1, env=env, cwd=app_root) as app:
            # Warm-up: the render worker starts, the sign-up page and the check-in path run.
            for path in (*one_badge, *sign_up):
                warm = _statuses(app, [path], 1, 3)
                if warm.statuses.get(200, 0) != 3:
                    raise SystemExit(f"warm-up GET {path} failed: {warm.statuses}")
            run(run_load(app.host, app.port, badges.take(WARMUP_CHECKINS),
                         total=WARMUP_CHECKINS, concurrency=args.doors, check=is_ok))
            print(f"{backend}, app from {app_root or 'this checkout'}, 1 uvicorn worker, "
                  f"EVENTOPS_RATE_LIMIT={args.rate_limit}; per run and case "
                  f"{args.checkins} check-ins over "
                  f"{args.doors} door connections; flood: {args.flood} connections on one "
                  f"badge PNG + {args.flood} on the sign-up page; {os.cpu_count()} cores shared "
                  f"by server and client; load average {load_before:.1f}", flush=True)
            for r in range(1, args.runs + 1):
                for case in cases:
                    make = badges.take(args.checkins)
                    if case == "alone":
                        res = run(run_load(app.host, app.port, make, total=args.checkins,
                                           concurrency=args.doors, check=is_ok))
                        line = ""
                    else:
                        pngs = Flood(["/health"] if args.what == "health" else
                                     one_badge if case == "flood" else distinct_badges)
                        pages = Flood(sign_up)
                        floods = [(pngs, args.flood if args.what != "page" else 0),
                                  (pages, args.flood if args.what in ("both", "page") else 0)]
                        res, sent, seconds = run(_flooded(
                            app, make, args.checkins, args.doors,
                            [(f, c) for f, c in floods if c]))
                        sent = [f.sent for f, _ in floods]
                        rates = (sent[0] / seconds, sent[1] / seconds)
                        flood_rates[case].append(rates)
                        line = (f"  (flood sent {rates[0]:,.0f} badge/s + {rates[1]:,.0f} "
                                f"sign-up pages/s)")
                    results[case].append(res)
                    print(format_result(f"run {r} {case}", res) + line, flush=True)
            if args.profile:
                out = f"{args.profile}-flood.txt"
                profiler = start_profiler(app.pid, out, 200)
                res, _, seconds = run(_flooded(
                    app, badges.take(args.checkins), args.checkins, args.doors,
                    [(Flood(one_badge), args.flood), (Flood(sign_up), args.flood)]))
                stop_profiler(profiler)
                print(format_result("profiled flood", res))
                summarize_profile([out], seconds, 200)
            # What the flood requests themselves got (statuses, speed), measured alone.
            flood_alone = {
                "badge PNG (one badge)": _statuses(app, one_badge, args.flood, args.flood_alone),
                "sign-up page": _statuses(app, sign_up, args.flood, args.flood_alone),
            }
            if args.distinct:
                flood_alone["badge PNG (distinct)"] = _statuses(
                    app, distinct_badges[-args.flood_alone:], args.flood, args.flood_alone)
        load_after = os.getloadavg()[0]

    medians = {case: median_of(rs) for case, rs in results.items()}
    base = medians["alone"]
    print()
    print(f"| {backend}, {args.doors} doors, medians of {args.runs} runs | check-ins/s | "
          "p50 ms | p99 ms | p50 / alone | errors | flood req/s (badge + page) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for case in cases:
        m = medians[case]
        ratio = m.p50_ms / base.p50_ms if base.p50_ms else 0.0
        rates = flood_rates[case]
        flood = (f"{statistics.median(a for a, _ in rates):,.0f} + "
                 f"{statistics.median(b for _, b in rates):,.0f}") if rates else "-"
        label = {"alone": "check-ins alone (baseline)",
                 "flood": f"check-ins during the flood ({args.flood} + {args.flood} conns)",
                 "distinct": "check-ins, flood of distinct badges"}[case]
        print(f"| {label} | {m.rps:,.0f} | {m.p50_ms:.1f} | {m.p99_ms:.1f} | x{ratio:.1f} | "
              f"{m.errors} | {flood} |")
    print()
    print(f"the flood's requests alone ({args.flood_alone} each, {args.flood} connections):")
    for name, res in flood_alone.items():
        print(format_result(f"  {name}", res))
    print()
    flood = medians["flood"]
    verdict = "met" if flood.p50_ms < TARGET_P50_MS else "NOT met"
    print(f"target: check-in p50 during the flood < {TARGET_P50_MS:.0f} ms: "
          f"{flood.p50_ms:.1f} ms ({verdict}); alone {base.p50_ms:.1f} ms, "
          f"ratio x{flood.p50_ms / base.p50_ms if base.p50_ms else 0:.1f}")
    print(f"load average (1 min): {load_before:.1f} before, {load_after:.1f} after "
          "(this benchmark's own processes included)")
    errors = sum(m.errors for m in medians.values())
    return 0 if errors == 0 and flood.p50_ms < TARGET_P50_MS else 1


if __name__ == "__main__":
    sys.exit(main())
