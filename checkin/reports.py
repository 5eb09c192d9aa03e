"""What the live dashboard shows besides the feed: arrivals over time, recent failed scans."""

from __future__ import annotations

import datetime as dt

from event_ops.core.db import current_engine


async def arrivals_per_door(event_id: int, bucket_minutes: int = 5) -> list[dict]:
    """Check-ins per door per time bucket (start of bucket in UTC, ISO)."""
    rows = await current_engine().fetch(
        "SELECT checked_in_door AS door, checked_in_at AS at FROM registration"
        " WHERE event = ? AND checked_in_at IS NOT NULL",
        [event_id],
    )
    # Bucketing in Python keeps the SQL the same on SQLite and PostgreSQL; at 10,000
    # arrivals this takes a few milliseconds.
    counts: dict[tuple[str, dt.datetime], int] = {}
    size = bucket_minutes * 60
    for row in rows:
        at: dt.datetime = row["at"]
        start = dt.datetime.fromtimestamp(int(at.timestamp()) // size * size, dt.UTC)
        key = (row["door"] or "", start)
        counts[key] = counts.get(key, 0) + 1
    return [
        {"door": door, "start": start.isoformat(), "count": n}
        for (door, start), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


async def recent_scans(event_id: int, *, failed_only: bool, limit: int = 50) -> list[dict]:
    """The newest scans (no personal data: status, door, times, conflict flag)."""
    where = " AND status NOT IN ('ok', 'undone')" if failed_only else ""
    return await current_engine().fetch(
        "SELECT id, status, door, scanned_at, received_at, conflict FROM scan_log"
        f" WHERE event = ?{where} ORDER BY id DESC LIMIT ?",
        [event_id, min(max(limit, 1), 500)],
    )
