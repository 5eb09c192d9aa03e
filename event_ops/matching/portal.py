"""Matching days in the employer portal (issue 18): whom a contact person of an employer
wants to meet, and their published timetable (page, print view, calendar file).

Contract
--------
* :func:`portal_candidates` lists the engine's recommended candidates for the employer's
  vacancies, ONLY among registered visitors who consented to share their profile
  (``visitor.share_profile``), best fit first, and ANONYMISED: a pseudonym, competencies
  with levels, education level, availability, the distance in whole km and the engine's
  explanation. Never a name, e-mail, phone number, postcode, free text (notes, answers)
  or the registration id. Every listing is audited (``candidates.listed``).
* The pseudonym (:func:`pseudonym`) is stable for one registration as one organisation
  sees it, and differs between organisations, so two employers cannot match up their
  lists. It is an HMAC with the server's secret key: it cannot be turned back into an id.
* :func:`set_portal_wishes` takes (pseudonym, choice) pairs and stores them with
  :func:`event_ops.matching.preferences.set_wishes`, the one function the back office
  uses too (same rules, audited as ``preferences.employer.set_by_contact``). A pseudonym
  that is not on the employer's list is ``candidate_not_found``.
* :func:`portal_schedule` is the employer's PUBLISHED meetings only, with times in
  Europe/Amsterdam; a visitor's name only when they consented to share their profile (the
  rule of :func:`event_ops.matching.schedule.employer_meetings`), else the pseudonym.
  Every view (page, print, calendar) is audited (``schedule.viewed``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence

import icalendar

from event_ops import audit
from event_ops.core.errors import DomainError
from event_ops.events.tables import Event
from event_ops.localtime import AMSTERDAM
from event_ops.matching.preferences import (
    _candidates,
    require_matching,
    set_wishes,
)
from event_ops.matching.schedule import employer_meetings, timing

MAX_SHOWN = 50  # the best this many; a long list of weak fits helps nobody choose
SHOWN_FIELDS = ["pseudonym", "competencies", "education_level", "availability",
                "distance_km", "explanation"]
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U to misread


def pseudonym(secret_key: str, organisation_id: int, registration_id: int) -> str:
    """``"7F3Q-2KXM"``: 40 bits of an HMAC, stable per (organisation, registration)."""
    mac = hmac.new(secret_key.encode(), f"candidate|{organisation_id}|{registration_id}".encode(),
                   hashlib.sha256).digest()
    bits = int.from_bytes(mac[:5], "big")
    chars = "".join(_ALPHABET[(bits >> (5 * i)) & 31] for i in range(7, -1, -1))
    return f"{chars[:4]}-{chars[4:]}"


def _is_pseudonym(value: str) -> bool:
    return (len(value) == 9 and value[4] == "-"
            and all(c in _ALPHABET for c in value[:4] + value[5:]))


def _shown(rows: list[dict]) -> list[dict]:
    """Of the engine's sorted list: consented visitors, the best :data:`MAX_SHOWN` with a
    score above 0 plus any the employer marked; and anyone marked who withdrew consent."""
    out: list[dict] = []
    best = 0
    for c in rows:
        fits = c["consented"] and c["score"] > 0 and best < MAX_SHOWN
        best += fits
        if fits or c["choice"] is not None:
            out.append(c)
    return out


def _anonymous(candidate: dict, code: str) -> dict:
    """Only what an employer may see before a visitor agrees to contact (see module doc)."""
    why = candidate["explanation"]
    return {
        "pseudonym": code,
        "withdrawn": False,
        "score": candidate["score"],
        "choice": candidate["choice"],
        "competencies": [{"name": c["name"], "level": c["level"]}
                         for c in candidate["competencies"]],
        "education_level": candidate["education_level"],
        "availability": list(candidate["availability"]),
        "distance_km": None if why is None else why["distance_km"],
        "explanation": None if why is None else {
            k: why[k] for k in ("vacancy", "score", "matched", "partial", "missing")},
    }


async def portal_candidates(event: Event, employer_id: int, organisation_id: int, actor: str,
                            secret_key: str, lang: str = "nl") -> list[dict]:
    """Whom this employer could meet (see module doc): at most :data:`MAX_SHOWN` with a
    score above 0, plus any the employer marked already (so a mark can be taken back).
    Someone marked who has since withdrawn consent comes last as ``{"pseudonym",
    "choice", "withdrawn": True}`` and nothing else, so the mark can still be cleared.
    Audited as a listing by the contact person, with the fields shown."""
    require_matching(event)
    out: list[dict] = []
    withdrawn: list[dict] = []
    for c in await _candidates(event, employer_id, lang, keep=_shown):  # best fit first
        code = pseudonym(secret_key, organisation_id, c["registration_id"])
        if c["consented"]:
            out.append(_anonymous(c, code))
        else:  # marked before consent was withdrawn: the code and the mark only
            withdrawn.append({"pseudonym": code, "choice": c["choice"], "withdrawn": True})
    await audit.record(actor, "candidates.listed", event_id=event.id,
                       subject_type="employer", subject_id=employer_id, fields=SHOWN_FIELDS)
    return out + withdrawn


async def set_portal_wishes(event: Event, employer_id: int, organisation_id: int,
                            items: Sequence[tuple[str, str | None]], actor: str,
                            secret_key: str) -> int:
    """Store the contact person's marks, ``items`` being (pseudonym, choice): choices as in
    the back office (must / happy / no, or none to clear). A pseudonym of someone not on
    this employer's list (not registered, no consent, another organisation's code) is
    ``candidate_not_found``; nothing is stored then. Someone who withdrew consent after
    being marked can only be cleared (or left as is). Returns how many marks changed."""
    require_matching(event)
    listed: dict[str, tuple[int, bool, str | None]] = {}  # code -> (id, consented, mark)
    for c in await _candidates(event, employer_id, "nl", explained=False):
        if c["consented"] or c["choice"] is not None:
            listed[pseudonym(secret_key, organisation_id, c["registration_id"])] = (
                c["registration_id"], c["consented"], c["choice"])
    resolved: list[tuple[int, str | None]] = []
    for code, choice in items:
        code = code.strip().upper()
        if not _is_pseudonym(code) or code not in listed:
            raise DomainError("candidate_not_found", "This candidate is not on your list.")
        registration_id, consented, mark = listed[code]
        if not consented and (choice or None) not in (None, "none", mark):
            raise DomainError("candidate_not_found", "This candidate no longer shares "
                              "their profile; you can only take your mark back.")
        resolved.append((registration_id, choice))
    return await set_wishes(event, "employer", employer_id, resolved, actor, by="contact")


async def portal_schedule(event: Event, employer_id: int, organisation_id: int, actor: str,
                          secret_key: str, *, view: str = "page") -> list[dict]:
    """The employer's published meetings in round order: ``round``, ``table_no``,
    ``starts_at`` / ``ends_at`` (aware, Europe/Amsterdam), ``time`` / ``until`` ("13:10"),
    ``pseudonym`` and ``name`` (None without the visitor's consent). Empty before the
    organiser publishes. Audited as ``schedule.viewed`` with ``view`` (page, print, ics)."""
    require_matching(event)
    meetings = await employer_meetings(event, employer_id)
    plan = await timing(event.id, event.starts_at, published=True)
    out = []
    for m in meetings:
        start = plan.start(m["round"]).astimezone(AMSTERDAM)
        end = start + dt.timedelta(minutes=plan.minutes)
        out.append({"round": m["round"], "table_no": m["table_no"], "starts_at": start,
                    "ends_at": end, "time": f"{start:%H:%M}", "until": f"{end:%H:%M}",
                    "pseudonym": pseudonym(secret_key, organisation_id,
                                           m["registration_id"]),
                    "name": m["name"]})
    await audit.record(actor, "schedule.viewed", event_id=event.id, subject_type="employer",
                       subject_id=employer_id, fields=[f"view={view}", "pseudonym", "name"])
    return out


def schedule_ics(event: Event, employer_name: str, meetings: Sequence[dict], base_url: str,
                 lang: str = "nl") -> bytes:
    """The meetings as an iCalendar file: one VEVENT per meeting, times with
    ``TZID=Europe/Amsterdam`` and the zone's VTIMEZONE, a UID stable across downloads (so
    a calendar updates a meeting instead of adding it twice)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//event-ops//matching day//NL")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{event.name} · {employer_name}")
    stamp = dt.datetime.now(dt.UTC)
    host = base_url.split("://")[-1].split("/")[0] or "event-ops.local"
    who_label, table_label = (("Candidate", "Table") if lang == "en"
                              else ("Kandidaat", "Tafel"))
    for m in meetings:
        who = m["name"] or f"{who_label} {m['pseudonym']}"
        ev = icalendar.Event()
        ev.add("uid", f"{event.slug}-{m['pseudonym']}-r{m['round']}@{host}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", m["starts_at"].astimezone(AMSTERDAM))
        ev.add("dtend", m["ends_at"].astimezone(AMSTERDAM))
        ev.add("summary", f"{who} · {table_label} {m['table_no']}")
        ev.add("location", f"{event.location or ''} · {table_label} {m['table_no']}".strip(" ·"))
        ev.add("description", f"{event.name}: {who}")
        cal.add_component(ev)
    # The zone's rules around the day only: a short file, still correct for every meeting.
    year = (meetings[0]["starts_at"] if meetings else event.starts_at).astimezone(AMSTERDAM).year
    cal.add_missing_timezones(first_date=dt.date(year - 1, 1, 1),
                              last_date=dt.date(year + 2, 1, 1))
    return cal.to_ical()
