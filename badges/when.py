"""The date line a badge prints, in the visitor's language (issue #19).

Its own small module so that the bulk-print benchmark and the render workers can use it
without importing the database layer ``badges/content.py`` needs."""

from __future__ import annotations

import datetime as dt

from event_ops.localtime import AMSTERDAM


def badge_when(starts: dt.datetime, ends: dt.datetime, lang: str) -> str:
    """The badge's date line in ``lang``. Dutch and English keep the numeric line the pages
    and mails use (``format_when``); the other visitor languages get the day and month named
    in their own language (CLDR via Babel, which the catalogs already need) and the times,
    Europe/Amsterdam: "сб, 13 бер. 2027 р. · 10:00–16:00"."""
    if lang in ("nl", "en"):
        from event_ops.mail.render import format_when

        return format_when(starts, ends, lang)
    from babel.dates import format_skeleton

    s, e = starts.astimezone(AMSTERDAM), ends.astimezone(AMSTERDAM)
    # CLDR puts narrow no-break spaces in some patterns; the badge fonts need not have them.
    day = format_skeleton("yMMMEd", s, locale=lang).replace("\u202f", " ")
    return f"{day} · {s:%H:%M}–{e:%H:%M}"
