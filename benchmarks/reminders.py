"""Reminders at festival scale: 10,000 registrations, queued once and sent exactly once
by two app processes at the same time (PostgreSQL), over real SMTP.

    python -m benchmarks.reminders                    # PostgreSQL database eventops_bench_reminders
    python -m benchmarks.reminders --visitors 2000    # smaller
    python -m benchmarks.reminders --sqlite           # one SQLite file (processes share it)

Phases, each timed:
1. baseline: one ``INSERT … SELECT`` of as many bare rows into a scratch table (what the
   database itself costs for that many rows);
2. queuing: two processes call ``queue_due_reminders`` at the same moment (the server's
   task loop does this every 5 minutes in every process); the unique reminder run makes
   one of them queue everything and the other nothing;
3. sending: two processes each run the outbox (``send_due``) until nothing is pending,
   against one local SMTP server (aiosmtpd) that counts what each address received.

Targets (issue 16): queuing 10,000 under 10 s; every visitor exactly one reminder.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/eventops_bench_reminders"


def _env(url: str, smtp: str = "") -> dict[str, str]:
    env = {**os.environ, "EVENTOPS_DATABASE_URL": url, "PYTHONPATH": str(ROOT),
           "EVENTOPS_SECRET_KEY": "bench-secret-key-0123456789abcdef",
           "EVENTOPS_BADGE_RENDER_POOL": "thread"}
    if smtp:
        env["EVENTOPS_SMTP_URL"] = smtp
    return env


async def _setup(visitors: int) -> float:
    """Fresh event starting in 2 days minus an hour, ``visitors`` registered; returns the
    baseline time."""
    from event_ops.core.db import current_engine
    from event_ops.events.service import create_event

    db = current_engine()
    for table in ("outbox_mail", "reminder_run", "registration", "visitor", "event_key",
                  "event"):
        await db.fetch(f"DELETE FROM {table}")
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=2, hours=-1)
    event = await create_event(slug="bench-reminders", name="Werkfestival 2.0",
                               kind="festival", starts_at=starts,
                               ends_at=starts + dt.timedelta(hours=7), location="Groningen")
    now = dt.datetime.now(dt.UTC)
    batch = 1000
    for start in range(0, visitors, batch):
        async with db.transaction():
            for n in range(start, min(start + batch, visitors)):
                vid = (await db.fetch(
                    "INSERT INTO visitor (email, name, phone, postcode, education_level,"
                    " availability, sectors, language, share_profile, link_version,"
                    " messages_opt_out, created_at, updated_at) VALUES (?, ?, '', '', '',"
                    " '[]', '[]', ?, ?, 1, ?, ?, ?) RETURNING id",
                    [f"v{n}@example.nl", f"Bezoeker {n}", "en" if n % 5 == 0 else "nl",
                     False, False, now, now]))[0]["id"]
                await db.fetch(
                    "INSERT INTO registration (event, visitor, status, badge_serial, created_at,"
                    " note, source) VALUES (?, ?, 'registered', 1, ?, '', 'self')",
                    [event.id, vid, now])
    await db.fetch("DROP TABLE IF EXISTS bench_scratch")
    await db.fetch("CREATE TABLE bench_scratch (registration INTEGER, kind VARCHAR(32),"
                   " recipient VARCHAR(254), created_at TIMESTAMP)")
    began = time.perf_counter()
    async with db.transaction():
        await db.fetch(
            "INSERT INTO bench_scratch SELECT r.id, 'x', v.email, r.created_at FROM registration r"
            " JOIN visitor v ON v.id = r.visitor WHERE r.event = ?", [event.id])
    baseline = time.perf_counter() - began
    await db.fetch("DROP TABLE bench_scratch")
    return baseline


async def _worker(role: str, start_at: float) -> None:
    """One app process: wait for the common start, then queue or send."""
    from event_ops.core.db import current_engine, start_engine, stop_engine
    from event_ops.core.settings import get_settings

    settings = get_settings()
    engine = current_engine()
    await start_engine(engine, settings)
    try:
        await asyncio.sleep(max(0.0, start_at - time.time()))
        began = time.perf_counter()
        if role == "queue":
            from event_ops.messaging.service import queue_due_reminders

            queued = await queue_due_reminders()
            print(f"queued {queued} in {time.perf_counter() - began:.2f} s", flush=True)
        else:
            from event_ops.mail.outbox import send_due

            sent = failed = 0
            while True:
                s, f = await send_due(settings)
                sent, failed = sent + s, failed + f
                if s == 0 and f == 0:
                    break
            print(f"sent {sent} failed {failed} in {time.perf_counter() - began:.2f} s",
                  flush=True)
    finally:
        await stop_engine(engine)


def _two_processes(role: str, env: dict[str, str]) -> list[str]:
    start_at = time.time() + 3.0  # both import and connect first, then start together
    procs = [subprocess.Popen([sys.executable, "-m", "benchmarks.reminders", "--worker", role,
                               "--start-at", str(start_at)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    return [p.communicate()[0].strip().splitlines()[-1] for p in procs]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=10_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--worker", choices=("queue", "send"))
    parser.add_argument("--start-at", type=float, default=0.0)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(_worker(args.worker, args.start_at))
        return

    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    else:
        url = POSTGRES_URL
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists",
                        url.rsplit("/", 1)[1]], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres",
                        url.rsplit("/", 1)[1]], check=True)
    env = _env(url)
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    os.environ.update(env)

    async def setup() -> float:
        from event_ops.core.db import current_engine, start_engine, stop_engine
        from event_ops.core.settings import get_settings

        engine = current_engine()
        await start_engine(engine, get_settings())
        try:
            return await _setup(args.visitors)
        finally:
            await stop_engine(engine)

    baseline = asyncio.run(setup())
    print(f"{args.visitors} registrations on {'SQLite' if args.sqlite else 'PostgreSQL'}")
    print(f"baseline: INSERT ... SELECT of {args.visitors} bare rows: {baseline:.3f} s")
    print("queuing, two processes at once:")
    for line in _two_processes("queue", env):
        print("  " + line)

    from aiosmtpd.controller import Controller

    from tests.conftest import free_port

    received: collections.Counter[str] = collections.Counter()

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            for rcpt in envelope.rcpt_tos:
                received[rcpt] += 1
            return "250 OK"

    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        began = time.perf_counter()
        print("sending, two processes at once:")
        for line in _two_processes("send", _env(url, f"smtp://127.0.0.1:{port}")):
            print("  " + line)
        took = time.perf_counter() - began
    finally:
        controller.stop()
    twice = sum(1 for n in received.values() if n > 1)
    print(f"received by {len(received)} addresses in {took:.1f} s "
          f"({len(received) / took:.0f} mails/s); more than once: {twice}; "
          f"missing: {args.visitors - len(received)}")


if __name__ == "__main__":
    main()
