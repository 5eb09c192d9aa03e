"""Print jobs: a desk, kiosk or organiser sends a badge to a print station; the station
prints its jobs in the order they were made and marks each done or failed.

Contract:
* A job names a station (a print-station device token of the same event, not revoked), a
  registration of that event that has a badge (status ``registered``) and a label format
  (``badges.labels.FORMATS``, checked by the caller's layer through ``formats``).
* A station sees only its own jobs, oldest first (by id). What it is given per job is the
  id, the format, the time and the first name the badge prints: nothing the badge does not
  show. The label itself comes through the badge's secret link.
* After every change (new job, done, failed) the station is told through
  ``notices.announce(PRINT_JOBS, …)`` (every process, via the control channel) and the
  dashboards through ``notices.tell(STATS, …)``.
"""

from __future__ import annotations

from collections.abc import Collection

from event_ops import audit, clock, notices
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError

# Notice kind (every process): a station's queue changed; ``station`` = its token id.
PRINT_JOBS = "print_jobs"
# How many finished jobs a station's page lists under its queue.
RECENT_DONE = 10
MAX_ERROR = 300


async def stations(event_id: int) -> list[dict]:
    """The event's print stations (paired, not revoked): ``{"id", "label"}``, by label."""
    return await current_engine().fetch(
        "SELECT id, label FROM access_token WHERE event = ? AND role = 'print_station'"
        " AND revoked_at IS NULL ORDER BY label, id", [event_id])


async def send_to_station(event_id: int, station_id: int, registration_id: int, fmt: str,
                          actor: str, formats: Collection[str]) -> dict:
    """Queue one badge for a station; returns the job (``id``, ``station``, ``format``,
    ``status``). Refuses an unknown station or format and a registration without a badge."""
    if fmt not in formats:
        raise DomainError("bad_format", f"Label format must be one of {', '.join(formats)}.",
                          field="format")
    db = current_engine()
    async with db.transaction():
        station = await db.fetch(
            "SELECT id, label FROM access_token WHERE id = ? AND event = ?"
            " AND role = 'print_station' AND revoked_at IS NULL", [station_id, event_id])
        if not station:
            raise DomainError("station_not_found", "There is no such print station.",
                              field="station")
        reg = await db.fetch("SELECT status FROM registration WHERE id = ? AND event = ?",
                             [registration_id, event_id])
        if not reg or reg[0]["status"] != "registered":
            raise DomainError("not_found", "There is no badge for this registration.")
        now = clock.now()
        job = (await db.fetch(
            "INSERT INTO print_job (event, station, registration, format, status, requested_by,"
            " created_at, printed_at, error) VALUES (?, ?, ?, ?, 'queued', ?, ?, NULL, '')"
            " RETURNING id",
            [event_id, station_id, registration_id, fmt, actor[:64], now]))[0]
        await audit.record(actor, "badge.print_requested", event_id=event_id,
                           subject_type="registration", subject_id=registration_id)
    _changed(event_id, station_id, "print_queued")
    return {"id": job["id"], "station": station_id, "station_label": station[0]["label"],
            "format": fmt, "status": "queued"}


async def station_jobs(station_id: int) -> dict:
    """What a station's page shows: its open jobs oldest first, and the last few done or
    failed. Each: ``id``, ``registration_id``, ``serial``, ``format``, ``status``,
    ``created_at``, ``printed_at``, ``error``, ``first_name`` (as the badge prints it)."""
    db = current_engine()
    columns = (
        "SELECT j.id, j.registration AS registration_id, r.badge_serial AS serial, j.format,"
        " j.status, j.created_at, j.printed_at, j.error, v.name FROM print_job j"
        " JOIN registration r ON r.id = j.registration JOIN visitor v ON v.id = r.visitor"
        " WHERE j.station = ?")
    queued = await db.fetch(columns + " AND j.status = 'queued' ORDER BY j.id", [station_id])
    recent = await db.fetch(columns + " AND j.status != 'queued' ORDER BY j.id DESC LIMIT ?",
                            [station_id, RECENT_DONE])
    for row in (*queued, *recent):
        name = row.pop("name") or ""
        row["first_name"] = name.split()[0] if name.split() else ""
    return {"queued": queued, "recent": recent}


async def finish(event_id: int, station_id: int, job_id: int, ok: bool, error: str = "") -> dict:
    """A station reports a job printed (``ok``) or failed (with the browser's reason).
    Only the station the job was sent to may; a finished job may be reported again (a
    retry after a lost answer) and then keeps its first outcome."""
    db = current_engine()
    now = clock.now()
    rows = await db.fetch(
        "UPDATE print_job SET status = ?, printed_at = ?, error = ? WHERE id = ? AND station = ?"
        " AND event = ? AND status = 'queued' RETURNING id, status",
        ["done" if ok else "failed", now, "" if ok else error.strip()[:MAX_ERROR], job_id,
         station_id, event_id])
    if not rows:
        rows = await db.fetch(
            "SELECT id, status FROM print_job WHERE id = ? AND station = ? AND event = ?",
            [job_id, station_id, event_id])
        if not rows:
            raise DomainError("not_found", "This print station has no such job.")
        return rows[0]
    _changed(event_id, station_id, "printed" if ok else "print_failed")
    return rows[0]


async def retry(event_id: int, station_id: int, job_id: int) -> None:
    """Put a failed job back in the queue (at its old place: the queue is by id)."""
    rows = await current_engine().fetch(
        "UPDATE print_job SET status = 'queued', printed_at = NULL, error = ''"
        " WHERE id = ? AND station = ? AND event = ? AND status = 'failed' RETURNING id",
        [job_id, station_id, event_id])
    if not rows:
        raise DomainError("not_found", "This print station has no such failed job.")
    _changed(event_id, station_id, "print_retried")


async def print_stats(event_id: int, fetch=None) -> dict:
    """For the dashboard: per station the jobs printed, queued and failed; totals."""
    fetch = fetch or current_engine().fetch_off_loop
    rows = await fetch(
        "SELECT t.label, j.status, COUNT(*) AS n FROM print_job j"
        " JOIN access_token t ON t.id = j.station WHERE j.event = ?"
        " GROUP BY t.label, j.status", [event_id])
    by_station: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = by_station.setdefault(row["label"] or "", {"done": 0, "queued": 0, "failed": 0})
        counts[row["status"]] = counts.get(row["status"], 0) + int(row["n"])
    return {
        "prints_by_station": by_station,
        "print_queue": sum(c["queued"] for c in by_station.values()),
        "prints_failed": sum(c["failed"] for c in by_station.values()),
    }


def _changed(event_id: int, station_id: int, reason: str) -> None:
    notices.announce(PRINT_JOBS, event_id=event_id, station=station_id)
    notices.tell(notices.STATS, event_id, reason)
