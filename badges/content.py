"""What goes on a badge: first name always; the rest only with the visitor's consent."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence

from badges.render import LANGUAGES as BADGE_LANGUAGES
from badges.render import BadgeData, needs_check, printable
from badges.service import token_for
from badges.when import badge_when
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.matching.recommend import stored_recommendations
from event_ops.matching.schedule import badge_lines, visitor_meetings
from event_ops.taxonomy.service import CompetencyItem, competencies_by_code

TOP_COMPETENCIES = 6
RECOMMENDED_STANDS = 3

_BADGE_ROWS = (
    "SELECT r.id, r.status, r.badge_serial, r.event, v.id AS visitor_id, v.name,"
    " v.share_profile, v.sectors, v.language, e.name AS event_name, e.kind,"
    " e.starts_at, e.ends_at, e.badge_size"
    " FROM registration r JOIN visitor v ON v.id = r.visitor JOIN event e ON e.id = r.event"
)


async def _stands(event_id: int) -> list[dict]:
    return await current_engine().fetch(
        "SELECT s.label, e.name, e.sector FROM employer e JOIN stand s ON s.id = e.stand"
        " WHERE e.event = ? ORDER BY e.id",
        [event_id],
    )


def recommended_stands(stands: Sequence[dict], registration_id: int,
                       sectors: Sequence[str],
                       stored: Mapping[int, Sequence[str]] | None = None) -> tuple[str, ...]:
    """The stands recommended to a visitor, as "A01 Employer".

    ``stored`` (from ``event_ops.matching.recommend.stored_recommendations``) holds what the
    matching engine computed and wins when it has this registration. Otherwise (no run yet,
    or the visitor signed up after it) the placeholder rule: stands of employers in the
    visitor's sectors, rotated by registration id so that not everyone is sent to the same
    three stands."""
    if stored and stored.get(registration_id):
        return tuple(stored[registration_id])
    fitting = [s for s in stands if s["sector"] in sectors]
    if not fitting:
        return ()
    start = registration_id % len(fitting)
    picked = [fitting[(start + i) % len(fitting)]
              for i in range(min(RECOMMENDED_STANDS, len(fitting)))]
    return tuple(f"{s['label']} {s['name']}" for s in picked)


def first_name(name: str) -> str:
    """The big name on the badge: the first word, or, when the fonts cannot show that word
    (a script they lack, such as CJK) but the name has a part they can show, the first such
    word ("王小明 (Wang)" -> "Wang"). Otherwise the renderer transliterates the word.
    Arabic, Hebrew, Cyrillic, Ethiopic and Latin words are shown as typed."""
    words = name.split()
    if not words:
        return ""
    if not needs_check(words[0]):
        return words[0]
    for word in words[1:]:
        word = word.strip("()[]{}\"'.,;:/")
        if word and any(ch.isalpha() for ch in word) and not needs_check(word):
            return word
    return words[0]


def badge_check(name: str) -> dict | None:
    """For the organiser: what the badge prints instead of ``name`` (None: printed as
    typed). ``first_name`` and ``full_name`` as they appear on the badge."""
    if not needs_check(name):
        return None
    return {"name": name, "first_name": printable(first_name(name)).strip(),
            "full_name": " ".join(printable(name).split())}


async def badges_to_check(event_id: int) -> list[dict]:
    """Current badges of an event whose name the badge cannot show as typed (another script,
    emoji): registration id, the name as typed and what the badge prints instead."""
    rows = await current_engine().fetch(
        "SELECT r.id, v.name FROM registration r JOIN visitor v ON v.id = r.visitor"
        " WHERE r.event = ? AND r.status = 'registered' ORDER BY v.name", [event_id])
    found = []
    for row in rows:
        check = badge_check(row["name"])
        if check is not None:
            found.append({"registration_id": row["id"], **check})
    return found


def _compose(row: dict, token: str, competencies: Sequence[dict],
             known: dict[str, CompetencyItem], stands: Sequence[dict],
             stored: Mapping[int, Sequence[str]] | None = None,
             meetings: Mapping[int, list[dict]] | None = None) -> BadgeData:
    # The badge prints its words, sector names and date line in the visitor's language (any
    # visitor language, English where a catalog lacks a text); a language the badge does not
    # know (an old row, a typo) gets English words and the name as typed, never a failed
    # badge. Competency names exist in Dutch and English only (the taxonomy's two columns):
    # ar/uk/tr/pl visitors get them in English.
    lang = row["language"] or "nl"
    if lang not in BADGE_LANGUAGES:
        lang = "en"
    share = bool(row["share_profile"])
    sectors = row["sectors"] if isinstance(row["sectors"], list) else json.loads(row["sectors"])
    shown: tuple[str, ...] = ()
    if share:
        ordered = sorted(competencies, key=lambda c: (-c["level"], c["code"]))
        shown = tuple(known[c["code"]].name(lang) for c in ordered if c["code"] in known)
    return BadgeData(
        token=token,
        first_name=first_name(row["name"]),
        full_name=row["name"] if share else None,
        event_name=row["event_name"],
        event_when=badge_when(row["starts_at"], row["ends_at"], lang),
        sectors=tuple(sectors),
        competencies=shown[:TOP_COMPETENCIES],
        recommendations=recommended_stands(stands, row["id"], sectors, stored)
        if row["kind"] == "festival" else (),
        # Matching days: the published meeting schedule ("13:10", "Tafel 4 · Employer").
        schedule=badge_lines((meetings or {}).get(row["id"], []), lang)
        if row["kind"] == "matching" else (),
        size=row["badge_size"],
        language=lang,
    )


async def badge_data(registration_id: int, settings: Settings) -> BadgeData:
    db = current_engine()
    rows = await db.fetch(_BADGE_ROWS + " WHERE r.id = ?", [registration_id])
    if not rows or rows[0]["status"] != "registered":
        raise DomainError("not_found", "There is no badge for this registration.")
    row = rows[0]
    comps = await db.fetch(
        "SELECT code, level FROM profile_competency WHERE visitor = ?", [row["visitor_id"]]
    )
    token = await token_for(row["event"], row["id"], row["badge_serial"], settings)
    stored = await stored_recommendations(row["event"], row["id"])
    meetings = await visitor_meetings(row["event"], row["starts_at"], [row["id"]])
    return _compose(row, token, comps, await competencies_by_code(), await _stands(row["event"]),
                    stored, meetings)


async def event_badges(event_id: int, settings: Settings) -> list[BadgeData]:
    """Every current badge of an event, with a handful of queries (for print sheets)."""
    db = current_engine()
    rows = await db.fetch(
        _BADGE_ROWS + " WHERE r.event = ? AND r.status = 'registered' ORDER BY v.name",
        [event_id],
    )
    comps: dict[int, list[dict]] = {}
    for c in await db.fetch(
        "SELECT pc.visitor, pc.code, pc.level FROM profile_competency pc"
        " JOIN registration r ON r.visitor = pc.visitor WHERE r.event = ?",
        [event_id],
    ):
        comps.setdefault(c["visitor"], []).append(c)
    known = await competencies_by_code()
    stands = await _stands(event_id)
    stored = await stored_recommendations(event_id)
    meetings = await visitor_meetings(event_id, rows[0]["starts_at"]) if rows else {}
    return [
        _compose(row, await token_for(event_id, row["id"], row["badge_serial"], settings),
                 comps.get(row["visitor_id"], []), known, stands, stored, meetings)
        for row in rows
    ]


async def badges_for(event_id: int, registration_ids: Sequence[int], settings: Settings,
                     *, yield_every: int = 200) -> list[BadgeData]:
    """The current badges of these registrations of the event, in the order given (bulk
    print runs). Registrations that are no longer registered are left out. Signing is
    done on the event loop, so it gives other requests a turn every ``yield_every``
    badges (10,000 signatures would otherwise hold the loop for about half a second)."""
    if not registration_ids:
        return []
    db = current_engine()
    rows = await db.fetch(
        _BADGE_ROWS + " WHERE r.event = ? AND r.status = 'registered'", [event_id])
    by_id = {row["id"]: row for row in rows}
    comps: dict[int, list[dict]] = {}
    for c in await db.fetch(
        "SELECT pc.visitor, pc.code, pc.level FROM profile_competency pc"
        " JOIN registration r ON r.visitor = pc.visitor WHERE r.event = ?",
        [event_id],
    ):
        comps.setdefault(c["visitor"], []).append(c)
    known = await competencies_by_code()
    stands = await _stands(event_id)
    stored = await stored_recommendations(event_id)
    meetings = await visitor_meetings(event_id, rows[0]["starts_at"]) if rows else {}
    out: list[BadgeData] = []
    for n, registration_id in enumerate(registration_ids, 1):
        row = by_id.get(registration_id)
        if row is None:
            continue
        token = await token_for(event_id, row["id"], row["badge_serial"], settings)
        out.append(_compose(row, token, comps.get(row["visitor_id"], []), known, stands,
                            stored, meetings))
        if n % yield_every == 0:
            await asyncio.sleep(0)
    return out
