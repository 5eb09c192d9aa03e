"""Helping people at the door: find a visitor without a badge, register a walk-in."""

from __future__ import annotations

from event_ops import audit
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError

MAX_RESULTS = 20


async def search_registrations(event_id: int, query: str, viewer: Principal) -> list[dict]:
    """Registrations whose name contains the query (case-insensitive), for door staff."""
    query = " ".join(query.split()).lower()
    if len(query) < 2:
        raise DomainError("query_too_short", "Type at least 2 letters of the name.")
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = await current_engine().fetch(
        "SELECT r.id, v.name, r.status, r.checked_in_at, r.checked_in_door"
        " FROM registration r JOIN visitor v ON v.id = r.visitor"
        " WHERE r.event = ? AND r.status != 'cancelled' AND LOWER(v.name) LIKE ? ESCAPE '\\'"
        " ORDER BY v.name LIMIT ?",
        [event_id, f"%{escaped}%", MAX_RESULTS],
    )
    for row in rows:
        await audit.record(viewer.actor, "visitor.found_at_door", event_id=event_id,
                           subject_type="registration", subject_id=row["id"], fields=["name"])
    return rows
