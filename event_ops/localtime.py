"""Times as a person reads them: always Europe/Amsterdam (every event is in the Netherlands),
never UTC, never microseconds. One helper for pages, mails and exports alike."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_FORMATS = {
    ("datetime", "nl"): "%d-%m-%Y %H:%M",
    ("datetime", "en"): "%Y-%m-%d %H:%M",
    ("date", "nl"): "%d-%m-%Y",
    ("date", "en"): "%Y-%m-%d",
    ("time", "nl"): "%H:%M",
    ("time", "en"): "%H:%M",
}


def as_datetime(value: object) -> dt.datetime | None:
    """A stored time (datetime or ISO text, as SQLite may hand it back) as an aware datetime;
    None for anything else. A naive time is taken as UTC, as the database stores it."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def local_time(value: object, lang: str = "nl", style: str = "datetime") -> str:
    """``value`` in Amsterdam time, e.g. "06-12-2026 04:47" (nl) or "2026-12-06 04:47" (en);
    ``style`` is "datetime", "date" or "time". A ``date`` is shown as a date. Empty for None;
    other values as text."""
    if value is None:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        # A calendar day (an end date) has no time zone to convert: only its format.
        return value.strftime(_FORMATS[("date", "en" if lang == "en" else "nl")])
    when = as_datetime(value)
    if when is None:
        return str(value)
    return when.astimezone(AMSTERDAM).strftime(_FORMATS[(style, "en" if lang == "en" else "nl")])
