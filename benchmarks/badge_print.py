"""Bulk badge print job benchmark: the back office's print run (``event_ops/printing``) for
1,000 and 10,000 registrations, end to end (selection, signing, the worker process writing
the PDF, progress in the database), against the command line's path measured in the same
run (``event_badges`` + ``render_sheets`` in one process, as ``eventops badges render``).

    python -m benchmarks.badge_print            # 1k and 10k, each in a fresh process
    python -m benchmarks.badge_print --n 2000   # one size

Each size runs in its own process with its own SQLite file in a temp dir, because
``ru_maxrss`` is a process-lifetime peak. Printed per size: seconds for the job and for the
baseline, the app process's peak RSS growth during the job, the render worker's peak RSS,
the PDF's size and pages, and how often the progress in the database moved.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def _worker_peak_mb(pool: object) -> float:
    """The render worker's peak RSS (VmHWM), read from /proc while it is still alive."""
    peak = 0.0
    for process in (getattr(pool, "_processes", None) or {}).values():
        with open(f"/proc/{process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
    return round(peak, 1)


async def _measure(n: int) -> dict:
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings

    settings = get_settings()
    engine = database.current_engine()
    await database.start_engine(engine, settings)
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from event_ops.taxonomy.service import load_taxonomy

    assert (await run_forwards(app_name="event_ops", migration_id="all")).success
    await load_taxonomy()
    import datetime as dt

    from event_ops.events.service import create_event
    from event_ops.printing import badge_runs

    starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    event = await create_event(slug="bench", name="Werkfestival 2.0", kind="festival",
                               starts_at=starts, ends_at=starts + dt.timedelta(hours=6),
                               location="Groningen")
    names = ["Daan", "Emma", "Mohamed", "Zoë", "Ayşe", "Anne-Marie", "Sem", "Noor"]
    last = ["Jansen", "de Vries", "Yılmaz", "van der Berg", "Bakker", "Öztürk"]
    async with engine.transaction():
        for i in range(n):
            rows = await engine.fetch(
                "INSERT INTO visitor (email, name, sectors, share_profile, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [f"b{i}@example.nl", f"{names[i % 8]} {last[i % 6]} {i}", '["care","ict"]',
                 i % 3 != 0, starts, starts])
            await engine.fetch(
                "INSERT INTO registration (event, visitor, status, badge_serial, created_at,"
                " note, source) VALUES (?, ?, 'registered', 1, ?, '', 'self')",
                [event.id, rows[0]["id"], starts])
            for code, level in (("car-medication", 3), ("gen-teamwork", 2)):
                await engine.fetch("INSERT INTO profile_competency (visitor, code, level)"
                                   " VALUES (?, ?, ?)", [rows[0]["id"], code, level])
    # Baseline: what the CLI does, in this process.
    from badges.content import event_badges
    from badges.sheets import render_sheets

    t0 = time.perf_counter()
    items = await event_badges(event.id, settings)
    with tempfile.TemporaryDirectory() as tmp:
        render_sheets(items, os.path.join(tmp, "cli.pdf"), size=event.badge_size)
    baseline = time.perf_counter() - t0
    del items
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The job.
    t0 = time.perf_counter()
    run_id = await badge_runs.start_run(event, "all", "bench", settings)
    seen = []
    while True:
        run = await badge_runs.get_run(event.id, run_id)
        if not seen or seen[-1] != run["done"]:
            seen.append(run["done"])
        if run["status"] not in badge_runs.ACTIVE:
            break
        await asyncio.sleep(0.05)
    job = time.perf_counter() - t0
    assert run["status"] == "done", run
    worker_peak = _worker_peak_mb(badge_runs._executor)
    await badge_runs.shutdown()
    path = await badge_runs.download(event.id, run_id, "bench", settings)
    result = {
        "n": n, "job_s": round(job, 2), "cli_baseline_s": round(baseline, 2),
        "job_vs_cli": round(job / baseline, 2),
        "app_peak_growth_mb": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                     - rss_before) / 1024, 1),
        "worker_peak_mb": worker_peak,
        "pdf_mb": round(path.stat().st_size / 1e6, 1), "pages": run["pages"],
        "progress_updates": len(seen),
    }
    path.unlink()
    await database.stop_engine(engine)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(_measure(args.n))))
        return
    for n in ([args.n] if args.n else [1000, 10000]):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "EVENTOPS_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                   "EVENTOPS_PRINT_DIR": tmp, "EVENTOPS_SECRET_KEY": "bench-" + "x" * 32}
            out = subprocess.run([sys.executable, "-m", "benchmarks.badge_print", "--child",
                                  "--n", str(n)], env=env, capture_output=True, text=True,
                                 check=True)
            print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
