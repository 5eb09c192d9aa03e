"""Helping people at the door: find a visitor without a badge, register a walk-in."""

from __future__ import annotations

import re

from event_ops import audit
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError

MAX_RESULTS = 20
PHONE_QUERY_RE = re.compile(r"\+?[0-9][0-9 ()\-.]*")


def _phone_digits(query: str) -> str | None:
    """The digits to look for when the query is a phone number (at least 6 digits and
    nothing but digits, spaces, dashes, brackets and a leading +), else None. Phones are
    stored as +31612345678: a leading 0 (06…) or 0031/+31 is dropped, so "06 1234 5678",
    "+31 6 12345678" and "12345678" all find it."""
    if not PHONE_QUERY_RE.fullmatch(query):
        return None
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) < 6:
        return None
    for prefix in ("0031", "31", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 6:
            return digits[len(prefix):]
    return digits


async def search_registrations(event_id: int, query: str, viewer: Principal) -> list[dict]:
    """Registrations whose name contains the query (case-insensitive), or whose phone
    number contains it when the query is a phone number, for door staff."""
    query = " ".join(query.split()).lower()
    if len(query) < 2:
        raise DomainError("query_too_short", "Type at least 2 letters of the name.")
    phone = _phone_digits(query)
    if phone is not None:
        where, arg, fields = "v.phone LIKE ?", f"%{phone}%", ["name", "phone"]
    else:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where, arg, fields = "LOWER(v.name) LIKE ? ESCAPE '\\'", f"%{escaped}%", ["name"]
    rows = await current_engine().fetch(
        "SELECT r.id, v.name, r.status, r.checked_in_at, r.checked_in_door"
        " FROM registration r JOIN visitor v ON v.id = r.visitor"
        f" WHERE r.event = ? AND r.status != 'cancelled' AND {where}"
        " ORDER BY v.name LIMIT ?",
        [event_id, arg, MAX_RESULTS],
    )
    for row in rows:
        await audit.record(viewer.actor, "visitor.found_at_door", event_id=event_id,
                           subject_type="registration", subject_id=row["id"], fields=fields)
    return rows
