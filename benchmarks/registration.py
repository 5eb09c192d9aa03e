"""Registration throughput: ``POST /api/v1/events/bench/registrations`` vs the bare ceiling.

Sets up a fresh database (temp SQLite file, or with ``--postgres`` schema ``public`` of the
local database ``test`` dropped and recreated), migrates it, creates the event ``bench``
(unlimited capacity), starts the app (``app.asgi:app``) and the bare Litestar app
(``benchmarks.bare_app:app``), one uvicorn worker each, and measures both alternately with
``compare()`` at ``--concurrency`` keep-alive connections over HTTP. Every registration uses
a unique e-mail address (unique across all runs). Afterwards it checks that the number of
rows in ``registration`` equals the number of 201 responses (nothing lost, nothing extra).

    python -m benchmarks.registration                      # SQLite, 3 runs x 5,000
    python -m benchmarks.registration --postgres           # PostgreSQL (drops schema public!)
    python -m benchmarks.registration --profile /tmp/prof.txt   # + py-spy raw profile of the app

Target: registrations/s >= 30 % of the bare ceiling on SQLite.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loadgen import LoadResult, compare, run, run_load
from benchmarks.servers import REPO_ROOT, Server, serve

# Not the test suite's database `test`: a benchmark resets its schema.
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/eventops_bench"
COMPETENCIES_CSV = REPO_ROOT / "event_ops" / "data" / "competencies.csv"
EVENT_SLUG = "bench"
TARGET_RATIO = 0.30
JSON = {"Content-Type": "application/json"}

RequestSpec = tuple[str, str, bytes, dict[str, str]]


# --------------------------------------------------------------------------- setup


def read_competency_codes(n: int, path: Path = COMPETENCIES_CSV) -> list[str]:
    """The first ``n`` competency codes of the taxonomy file (read at run time)."""
    with path.open(newline="", encoding="utf-8") as fh:
        codes = [row["code"].strip() for row in csv.DictReader(fh) if row.get("code")]
    if not codes:
        raise SystemExit(f"no competency codes in {path}")
    return codes[:n]


def app_env(database_url: str) -> dict[str, str]:
    env = {
        "EVENTOPS_DATABASE_URL": database_url,
        "EVENTOPS_RATE_LIMIT": "0",
        "EVENTOPS_SECRET_KEY": "benchmark-secret-" + "x" * 32,
    }
    # Neutralise other EVENTOPS_* settings of the caller (an empty value means "default"),
    # e.g. a Redis URL or an SMTP server.
    for name in os.environ:
        if name.startswith("EVENTOPS_") and name not in env:
            env[name] = ""
    return env


def eventops(env: dict[str, str], *args: str) -> None:
    script = Path(sys.executable).with_name("eventops")
    cmd = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from app.cli import main; main()"]
    )
    proc = subprocess.run(
        [*cmd, *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"eventops {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")


def reset_postgres(url: str) -> None:
    import asyncpg

    async def go() -> None:
        try:
            conn = await asyncpg.connect(url)
        except asyncpg.InvalidCatalogNameError:  # database missing: create it
            name = url.rsplit("/", 1)[1].split("?")[0]
            admin = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
            try:
                await admin.execute(f'CREATE DATABASE "{name}"')
            finally:
                await admin.close()
            conn = await asyncpg.connect(url)
        try:
            await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
        finally:
            await conn.close()

    run(go())


def count_rows(database_url: str, table: str) -> int:
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path)
        try:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()
    import asyncpg

    async def go() -> int:
        conn = await asyncpg.connect(database_url)
        try:
            return int(await conn.fetchval(f"SELECT COUNT(*) FROM {table}"))
        finally:
            await conn.close()

    return int(run(go()))


# --------------------------------------------------------------------------- requests


def bare_request(i: int) -> RequestSpec:
    body = b'{"name":"Visitor %d","email":"visitor%d@example.org"}' % (i, i)
    return "POST", "/bare", body, JSON


def registration_factory(
    codes: list[str], tag: str
) -> Callable[[int], Callable[[int], RequestSpec]]:
    """``factory(base)`` -> ``make_request(i)`` with e-mail number ``base + i``."""
    path = f"/api/v1/events/{EVENT_SLUG}/registrations"
    competencies = ",".join(f'"{c}"' for c in codes).encode()
    template = (
        b'{"name":"Bench Visitor %d","email":"v%d-' + tag.encode() + b'@example.nl",'
        b'"phone":"0612345678","postcode":"9712 AB","competencies":[' + competencies + b"],"
        b'"sectors":["care"],"education_level":"mbo3","consent_terms":true,'
        b'"consent_share_profile":true,"language":"nl"}'
    )

    def factory(base: int) -> Callable[[int], RequestSpec]:
        def make(i: int) -> RequestSpec:
            n = base + i
            return "POST", path, template % (n, n), JSON

        return make

    return factory


# --------------------------------------------------------------------------- profiling


def start_profiler(pid: int, out: str, rate: int) -> subprocess.Popen[bytes] | None:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        print("warning: py-spy not found (pip install py-spy); not profiling", file=sys.stderr)
        return None
    proc = subprocess.Popen(
        [py_spy, "record", "--pid", str(pid), "--format", "raw", "-o", out,
         "--rate", str(rate)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.0)  # let it attach
    if proc.poll() is not None:
        print("warning: py-spy could not attach (ptrace not allowed?)", file=sys.stderr)
        return None
    return proc


def stop_profiler(proc: subprocess.Popen[bytes] | None, out: str) -> None:
    if proc is None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    print(f"py-spy raw profile of the app server: {out}")


# --------------------------------------------------------------------------- main


def measure(
    server: Server,
    make: Callable[[int], RequestSpec],
    total: int,
    concurrency: int,
    check: Callable[[int], bool] | None,
    cpu_shares: list[float],
) -> LoadResult:
    cpu0 = server.cpu_seconds()
    res = run(
        run_load(server.host, server.port, make, total=total, concurrency=concurrency, check=check)
    )
    cpu_shares.append((server.cpu_seconds() - cpu0) / res.seconds if res.seconds else 0.0)
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--total", type=int, default=5_000, help="registrations per run")
    parser.add_argument("--bare-total", type=int, default=10_000, help="bare requests per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=500, help="registrations before the runs")
    parser.add_argument("--competencies", type=int, default=3, help="codes per registration")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"use {POSTGRES_URL} (drops and recreates schema public)",
    )
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_URL,
        help="database to use with --postgres (created if missing); the "
        "default is shared with the test suite, which truncates tables",
    )
    parser.add_argument(
        "--profile",
        metavar="OUT",
        help="record a py-spy raw profile of the app server during the runs",
    )
    parser.add_argument("--profile-rate", type=int, default=250, help="py-spy samples/s")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="eventops-bench-") as tmp:
        if args.postgres:
            database_url = args.postgres_url
            reset_postgres(database_url)
            backend = "PostgreSQL"
        else:
            database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            backend = "SQLite"
        env = app_env(database_url)
        eventops(env, "migrate")
        eventops(env, "event", "create", "--slug", EVENT_SLUG, "--name", "Bench",
                 "--kind", "festival", "--starts", "2030-01-01T10:00+01:00",
                 "--ends", "2030-01-01T17:00+01:00")  # fmt: skip
        codes = read_competency_codes(args.competencies)
        rows_before = count_rows(database_url, "registration")
        factory = registration_factory(codes, uuid.uuid4().hex[:8])
        next_base = [0]

        def next_registrations(total: int) -> Callable[[int], RequestSpec]:
            make = factory(next_base[0])
            next_base[0] += total
            return make

        is_created: Callable[[int], bool] = lambda s: s == 201  # noqa: E731
        shares: dict[str, list[float]] = {"bare": [], "registration": []}

        with (
            serve("benchmarks.bare_app:app", workers=1) as bare,
            serve("app.asgi:app", workers=1, env=env) as app,
        ):
            print(
                f"{backend}: {args.runs} runs x {args.total:,} registrations "
                f"(bare: {args.bare_total:,} POST /bare), {args.concurrency} connections, "
                f"1 uvicorn worker each; competencies {codes}"
            )
            run(
                run_load(
                    bare.host, bare.port, bare_request, total=2_000, concurrency=args.concurrency
                )
            )
            warm = run(
                run_load(
                    app.host,
                    app.port,
                    next_registrations(args.warmup),
                    total=args.warmup,
                    concurrency=args.concurrency,
                    check=is_created,
                )
            )
            if warm.errors:
                print(
                    f"warning: warm-up had {warm.errors} errors: {warm.statuses}", file=sys.stderr
                )

            profiler = (
                start_profiler(app.pid, args.profile, args.profile_rate) if args.profile else None
            )
            try:
                medians = compare(
                    {
                        "bare": lambda: measure(
                            bare,
                            bare_request,
                            args.bare_total,
                            args.concurrency,
                            None,
                            shares["bare"],
                        ),
                        "registration": lambda: measure(
                            app,
                            next_registrations(args.total),
                            args.total,
                            args.concurrency,
                            is_created,
                            shares["registration"],
                        ),
                    },
                    runs=args.runs,
                )
            finally:
                stop_profiler(profiler, args.profile or "")

            created = warm.statuses.get(201, 0) + medians["registration"].statuses.get(201, 0)
            rows = count_rows(database_url, "registration") - rows_before
            mails = count_rows(database_url, "outbox_mail")

    reg, base = medians["registration"], medians["bare"]
    ratio = reg.rps / base.rps if base.rps else 0.0
    sent = warm.requests + reg.requests
    rows_ok = rows == created
    print()
    print(
        f"rows check: {rows:,} rows in registration, {created:,} x 201 of {sent:,} "
        f"registrations sent (warm-up included), {mails:,} outbox mails -> "
        f"{'OK, nothing lost' if rows_ok else 'MISMATCH'}"
    )
    target = f"target >= {TARGET_RATIO:.0%}: {'met' if ratio >= TARGET_RATIO else 'NOT met'}"
    print(f"registration / bare ceiling: {ratio:.1%} ({target})")
    print()
    med_share = {k: sorted(v)[len(v) // 2] if v else 0.0 for k, v in shares.items()}
    print(
        f"| {backend}, {args.concurrency} conns, medians of {args.runs} runs "
        "| req/s | p50 ms | p99 ms | errors | server CPU |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| bare `POST /bare` (ceiling) | {base.rps:,.0f} | {base.p50_ms:.1f} | "
        f"{base.p99_ms:.1f} | {base.errors} | {med_share['bare']:.0%} |"
    )
    print(
        f"| `POST .../registrations` | {reg.rps:,.0f} | {reg.p50_ms:.1f} | "
        f"{reg.p99_ms:.1f} | {reg.errors} | {med_share['registration']:.0%} |"
    )
    print(
        f"| ratio to ceiling | **{ratio:.1%}** | x{reg.p50_ms / base.p50_ms:.1f} | "
        f"x{reg.p99_ms / base.p99_ms:.1f} | rows {rows:,} = 201s {created:,}: "
        f"{'yes' if rows_ok else 'NO'} | |"
    )
    return 0 if rows_ok and reg.errors == 0 and warm.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
