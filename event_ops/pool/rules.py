"""Pure rules of the candidate pool shared by membership and contact requests (no SQL).

A member is *findable* while ``withdrawn_at`` is NULL and ``ends_on`` is today or later
(today in Amsterdam: the membership runs up to and including its end date).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from event_ops import clock
from event_ops.localtime import AMSTERDAM

# The consent wording in force (event_ops/texts/pool.py, "pool.consent.*"). A new wording
# gets a new version; consent_record.wording_version and pool_member.wording_version name it.
POOL_WORDING_VERSION = "pool-2026-12-v1"
DURATION_MONTHS = (3, 6, 12)
DEFAULT_MONTHS = 12
REMIND_DAYS_BEFORE = 14  # the renewal reminder goes this many days before ends_on
DELETE_AFTER_DAYS = 30  # an ended, unrenewed membership row is deleted this long after ends_on
# After a member declined, the same organisation may not ask again for this long.
ASK_AGAIN_AFTER_DAYS = 90
ABOUT_LIMIT = 200
MESSAGE_LIMIT = 1000


# The same rule in SQL, for searches over ``pool_member m`` (argument: ``today()``).
FINDABLE_SQL = "m.withdrawn_at IS NULL AND m.ends_on >= ?"


def today() -> dt.date:
    return clock.now().astimezone(AMSTERDAM).date()


def as_date(value: object) -> dt.date | None:
    """A stored date (date, or ISO text as SQLite may give it back) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


def json_list(value: Any) -> list:
    """A JSON column's value as a list (SQLite and asyncpg may hand back text)."""
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return list(value or [])


def is_findable(member: dict, on: dt.date | None = None) -> bool:
    ends = as_date(member.get("ends_on"))
    return member.get("withdrawn_at") is None and ends is not None and ends >= (on or today())


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus whole months; the 31st of a shorter month becomes its last day."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
