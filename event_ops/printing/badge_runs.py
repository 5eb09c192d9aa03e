"""Bulk badge printing: print runs and the background job that renders their PDF.

Contract
--------
* A run prints "all" current badges of an event, or the "new" ones: badges whose
  (registration, serial) is in no *finished* run of the event yet. A re-issued badge has a
  new serial, so it counts as new; a failed run counts for nothing. The badges of a run
  (registration and serial) are stored with it when it starts (``badge_print_item``).
* :func:`start_run` stores the run and starts its job as an asyncio task of this process:
  it outlives the request that started it, so the organiser may leave the page. The job's
  state is in the database (``status``, ``done`` of ``total``), so any process can answer
  "how far is it?". One run at a time per event (409 ``print_running``).
* The PDF is rendered outside the event loop (a worker process, or a thread when
  ``EVENTOPS_BADGE_RENDER_POOL=thread``) by ``badges.sheets.render_sheets``, which streams
  page by page to a file: memory stays flat for 10,000 badges. The worker reports progress
  through a small file that the job reads twice a second.
* While it runs, the job touches ``heartbeat_at``. A run that is queued or running with a
  heartbeat older than ``STALE_SECONDS`` lost its process (a restart, a crash): it is
  marked **failed** (not resumed) when anyone reads it and by the periodic clean-up; the
  organiser starts it again, and as failed runs count for nothing, "new" picks the same
  badges. Stopping the server marks its running jobs failed too.
* Files live in ``print_dir`` (settings; default a directory in the system's temp dir)
  and are deleted after ``KEEP_HOURS``; the run then says the file is gone (410).
* Downloading is for organisers and is audited (``badges.print_downloaded``), as is the
  start of a run (``badges.print_started``). No personal data goes into the audit entry.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import logging
import math
import multiprocessing
import secrets
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from badges.content import badges_for
from badges.sheets import GRIDS, render_sheets_file
from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.events.tables import Event

log = logging.getLogger("eventops.printing")

SCOPES = ("all", "new")
ACTIVE = ("queued", "running")
STALE_SECONDS = 30.0
# Why a run failed (``error`` starts with one of these; the page shows it in words):
STOPPED = "stopped"  # this server stopped (a deploy, SIGTERM) while the job ran
STALE = "stale"  # the job's process went away without a word (killed, crashed)
ERROR = "error"  # rendering failed; the exception follows
HEARTBEAT_SECONDS = 0.5
KEEP_HOURS = 24
INSERT_CHUNK = 300  # rows per INSERT (3 values each; far below both databases' limits)

_tasks: dict[int, asyncio.Task] = {}  # run id -> its job in this process (a strong ref)
_executor: concurrent.futures.Executor | None = None


def print_dir(settings: Settings) -> Path:
    path = Path(settings.print_dir) if settings.print_dir else (
        Path(tempfile.gettempdir()) / "eventops-badge-prints")
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---- which badges -----------------------------------------------------------------------

_NOT_PRINTED = (
    " AND NOT EXISTS (SELECT 1 FROM badge_print_item i JOIN badge_print_run p ON p.id = i.run"
    " WHERE p.event = r.event AND p.status = 'done' AND i.registration = r.id"
    " AND i.serial = r.badge_serial)")


async def select_badges(event_id: int, scope: str) -> list[tuple[int, int]]:
    """(registration id, serial) of the badges a run of ``scope`` prints, by name."""
    if scope not in SCOPES:
        raise DomainError("bad_scope", "Choose all badges or the new ones.", field="scope")
    sql = ("SELECT r.id, r.badge_serial FROM registration r JOIN visitor v ON v.id = r.visitor"
           " WHERE r.event = ? AND r.status = 'registered'")
    if scope == "new":
        sql += _NOT_PRINTED
    rows = await current_engine().fetch(sql + " ORDER BY v.name, r.id", [event_id])
    return [(r["id"], r["badge_serial"]) for r in rows]


async def counts(event_id: int) -> dict:
    """For the page: how many badges "all" and "new" would print, and the last finished
    run's time (None: never printed)."""
    db = current_engine()
    base = ("SELECT COUNT(*) AS n FROM registration r WHERE r.event = ?"
            " AND r.status = 'registered'")
    total = (await db.fetch(base, [event_id]))[0]["n"]
    new = (await db.fetch(base + _NOT_PRINTED, [event_id]))[0]["n"]
    last = await db.fetch("SELECT MAX(finished_at) AS at FROM badge_print_run WHERE event = ?"
                          " AND status = 'done'", [event_id])
    return {"all": int(total), "new": int(new), "last_print": last[0]["at"] if last else None}


# ---- the run ------------------------------------------------------------------------------


async def start_run(event: Event, scope: str, actor: str, settings: Settings) -> int:
    """Store a run with its badges and start its job in this process. Returns the run id."""
    await fail_stale(event.id)
    db = current_engine()
    async with db.transaction():
        if db.engine_type == "postgres":
            # Serialise starts per event (SQLite's write transaction already does): two
            # organisers pressing the button at once get one run, not two.
            await db.fetch("SELECT id FROM event WHERE id = ? FOR UPDATE", [event.id])
        busy = await db.fetch(
            "SELECT id FROM badge_print_run WHERE event = ? AND status IN ('queued', 'running')",
            [event.id])
        if busy:
            raise DomainError("print_running",
                              "A print run of this event is still busy; wait for it.")
        picked = await select_badges(event.id, scope)
        if not picked:
            raise DomainError("nothing_to_print", "There are no badges to print.")
        now = clock.now()
        rows = await db.fetch(
            "INSERT INTO badge_print_run (event, scope, status, total, done, pages, badge_size,"
            " actor, created_at, heartbeat_at, file_name, file_bytes, error)"
            " VALUES (?, ?, 'queued', ?, 0, 0, ?, ?, ?, ?, '', 0, '') RETURNING id",
            [event.id, scope, len(picked), event.badge_size, actor, now, now])
        run_id = int(rows[0]["id"])
        for start in range(0, len(picked), INSERT_CHUNK):
            chunk = picked[start:start + INSERT_CHUNK]
            await db.fetch(
                "INSERT INTO badge_print_item (run, registration, serial) VALUES "
                + ", ".join("(?, ?, ?)" for _ in chunk),
                [v for registration, serial in chunk for v in (run_id, registration, serial)])
        await audit.record(actor, "badges.print_started", event_id=event.id,
                           subject_type="badge_print_run", subject_id=run_id,
                           fields=[f"scope={scope}", f"badges={len(picked)}"])
    task = asyncio.create_task(_job(run_id, event, settings), name=f"badge-print-{run_id}")
    _tasks[run_id] = task
    task.add_done_callback(lambda _: _tasks.pop(run_id, None))
    return run_id


def _pool(settings: Settings) -> concurrent.futures.Executor:
    global _executor
    if _executor is None:
        if settings.badge_render_pool == "thread":
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="badge-print")
        else:
            # spawn, not fork: the server has threads a forked child would inherit midway.
            _executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _executor


def _drop_pool(*, stop_workers: bool = False) -> None:
    """Forget the worker pool: the next run starts a new one (a worker died, or the server
    stops). ``stop_workers``: end a worker that is still rendering, too; otherwise the
    interpreter would wait for it at exit (minutes for 10,000 badges)."""
    global _executor
    executor, _executor = _executor, None
    if executor is None:
        return
    if stop_workers and isinstance(executor, concurrent.futures.ProcessPoolExecutor):
        # No public API before Python 3.14 (terminate_workers); the attribute is stable.
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            with contextlib.suppress(Exception):
                process.terminate()
    executor.shutdown(wait=False, cancel_futures=True)


def _read_progress(path: Path) -> int:
    try:
        return int(path.read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


async def _job(run_id: int, event: Event, settings: Settings) -> None:
    db = current_engine()
    folder = print_dir(settings)
    name = f"badges-{event.slug}-{run_id}-{secrets.token_hex(6)}.pdf"
    final, partial = folder / name, folder / (name + ".part")
    progress = folder / (name + ".progress")
    try:
        await db.fetch("UPDATE badge_print_run SET status = 'running', started_at = ?,"
                       " heartbeat_at = ? WHERE id = ?", [clock.now(), clock.now(), run_id])
        items = await db.fetch("SELECT registration FROM badge_print_item WHERE run = ?"
                               " ORDER BY id", [run_id])
        badges = await badges_for(event.id, [i["registration"] for i in items], settings)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(_pool(settings), render_sheets_file, badges, str(partial),
                                      event.badge_size, str(progress))
        del badges  # the worker has its own copy now
        while True:
            done, _ = await asyncio.wait({future}, timeout=HEARTBEAT_SECONDS)
            await db.fetch("UPDATE badge_print_run SET done = ?, heartbeat_at = ? WHERE id = ?"
                           " AND status = 'running'",
                           [_read_progress(progress), clock.now(), run_id])
            if done:
                break
        count = future.result()
        partial.replace(final)
        cols, rows = GRIDS[event.badge_size]
        await db.fetch(
            "UPDATE badge_print_run SET status = 'done', done = ?, total = ?, pages = ?,"
            " file_name = ?, file_bytes = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?",
            [count, count, max(1, math.ceil(count / (cols * rows))), name,
             final.stat().st_size, clock.now(), clock.now(), run_id])
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, BrokenProcessPool):
            _drop_pool()
        reason = (STOPPED if isinstance(exc, asyncio.CancelledError)
                  else f"{ERROR}: {type(exc).__name__}: {exc}")
        if not isinstance(exc, asyncio.CancelledError):
            log.exception("badge print run %s failed", run_id)
        with contextlib.suppress(Exception):
            await _fail(run_id, reason)
        if isinstance(exc, asyncio.CancelledError | KeyboardInterrupt | SystemExit):
            raise
    finally:
        progress.unlink(missing_ok=True)


async def _fail(run_id: int, reason: str) -> None:
    await current_engine().fetch(
        "UPDATE badge_print_run SET status = 'failed', error = ?, finished_at = ?"
        " WHERE id = ? AND status IN ('queued', 'running')", [reason[:500], clock.now(), run_id])


async def fail_stale(event_id: int | None = None) -> int:
    """Mark failed the runs whose job stopped beating (its process ended). Returns how many.
    A read first: the page polls this, and most of the time there is nothing to write."""
    cutoff = clock.now() - dt.timedelta(seconds=STALE_SECONDS)
    where = ("status IN ('queued', 'running') AND (heartbeat_at IS NULL OR heartbeat_at < ?)"
             + (" AND event = ?" if event_id is not None else ""))
    found = await current_engine().fetch(
        f"SELECT id FROM badge_print_run WHERE {where}",
        [cutoff, *([event_id] if event_id is not None else [])])
    if not found:
        return 0
    sql = ("UPDATE badge_print_run SET status = 'failed', error = ?, finished_at = ?"
           " WHERE status IN ('queued', 'running') AND (heartbeat_at IS NULL OR heartbeat_at < ?)")
    args: list = [STALE, clock.now(), cutoff]
    if event_id is not None:
        sql += " AND event = ?"
        args.append(event_id)
    rows = await current_engine().fetch(sql + " RETURNING id", args)
    return len(rows)


# ---- reading it back ------------------------------------------------------------------------

_COLUMNS = ("id, scope, status, total, done, pages, badge_size, actor, created_at, started_at,"
            " finished_at, file_name, file_bytes, error")


def _as_dict(row: dict) -> dict:
    total = int(row["total"])
    out = {k: row[k] for k in ("id", "scope", "status", "total", "done", "pages", "badge_size",
                               "created_at", "started_at", "finished_at", "file_bytes", "error")}
    out["percent"] = 100 if row["status"] == "done" else (
        int(100 * int(row["done"]) / total) if total else 0)
    out["file"] = bool(row["file_name"])
    out["reason"] = row["error"].split(":", 1)[0] if row["error"] else ""
    return out


async def get_run(event_id: int, run_id: int) -> dict:
    """One run of the event (``print_not_found`` otherwise); a stale one is failed first."""
    await fail_stale(event_id)
    rows = await current_engine().fetch(
        f"SELECT {_COLUMNS} FROM badge_print_run WHERE id = ? AND event = ?", [run_id, event_id])
    if not rows:
        raise DomainError("print_not_found", "There is no such print run.")
    return _as_dict(rows[0])


async def list_runs(event_id: int, limit: int = 20) -> list[dict]:
    await fail_stale(event_id)
    rows = await current_engine().fetch(
        f"SELECT {_COLUMNS} FROM badge_print_run WHERE event = ? ORDER BY id DESC LIMIT ?",
        [event_id, limit])
    return [_as_dict(r) for r in rows]


async def download(event_id: int, run_id: int, actor: str, settings: Settings) -> Path:
    """The finished run's PDF (a path to stream); audited. ``print_not_ready`` (409) while
    it renders or when it failed, ``print_gone`` (410) once the file was cleaned up."""
    rows = await current_engine().fetch(
        "SELECT status, file_name FROM badge_print_run WHERE id = ? AND event = ?",
        [run_id, event_id])
    if not rows:
        raise DomainError("print_not_found", "There is no such print run.")
    if rows[0]["status"] != "done":
        raise DomainError("print_not_ready", "This print run has no file (yet).")
    path = print_dir(settings) / rows[0]["file_name"] if rows[0]["file_name"] else None
    if path is None or not path.is_file():
        raise DomainError("print_gone", "This file was cleaned up; start a new print run.")
    await audit.record(actor, "badges.print_downloaded", event_id=event_id,
                       subject_type="badge_print_run", subject_id=run_id)
    return path


# ---- housekeeping ----------------------------------------------------------------------------


async def clean_up(settings: Settings, keep_hours: float = KEEP_HOURS) -> int:
    """Fail stale runs, and delete print files (and leftovers of broken jobs) older than
    ``keep_hours``; their runs keep their history but no longer have a file. Returns the
    number of files deleted. Safe to run in several processes at once."""
    await fail_stale()
    folder = print_dir(settings)
    cutoff = time.time() - keep_hours * 3600
    removed = []
    for path in _files(folder):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path.name)
    for name in removed:
        if name.endswith(".pdf"):
            await current_engine().fetch(
                "UPDATE badge_print_run SET file_name = '' WHERE file_name = ?", [name])
    return len(removed)


def _files(folder: Path) -> Iterable[Path]:
    return (p for p in folder.iterdir()
            if p.name.startswith("badges-") and p.is_file())


async def shutdown() -> None:
    """Stop this process's jobs (they mark their runs failed) and the render worker."""
    tasks = list(_tasks.values())
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    _drop_pool(stop_workers=True)


def running_here() -> list[int]:
    """Run ids whose job runs in this process (tests)."""
    return sorted(_tasks)


