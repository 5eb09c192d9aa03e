"""Employers log interest in visitors they meet at their stand; visitors can say the same
of an employer. Both directions make a *mutual* match.

What an employer sees of a visitor is decided here, field by field, by the visitor's
consent, and every view is written to the audit log with the fields shown.
"""

from __future__ import annotations

import datetime as dt
import json

import msgspec

from badges.service import verify_badge
from badges.token import TokenError
from event_ops import audit, clock
from event_ops.access.tokens import Principal
from event_ops.core.caches import TTLCache
from event_ops.core.db import current_engine, dialect
from event_ops.core.errors import DomainError
from event_ops.events.tables import Event
from event_ops.followup.service import sync_match_for_interest
from event_ops.interests.tables import INTEREST_LEVELS
from event_ops.matching.score import VacancyMatch, score_vacancy
from event_ops.people.badge_rules import MESSAGES, STAND, badge_state
from event_ops.questions.service import card_answers
from event_ops.taxonomy.service import competencies_by_code
from event_ops.types import DbId

UNDO_WINDOW = dt.timedelta(minutes=15)
MAX_NOTE = 2000


class InterestInput(msgspec.Struct, kw_only=True):
    token: str
    level: str
    note: str | None = None
    rating: int | None = None
    vacancy_id: DbId | None = None


class CompetencyShown(msgspec.Struct):
    code: str
    name: str
    level: int


class MatchShown(msgspec.Struct):
    vacancy_id: int
    title: str
    score: int
    matched: list[str]


class AnswerShown(msgspec.Struct):
    """An answer to one of the event's questions, shared with employers by consent."""

    label: str
    text: str


class VisitorCard(msgspec.Struct, omit_defaults=True):
    """A visitor as one employer may see them. Identity only with consent."""

    registration_id: int
    first_name: str
    consented: bool
    competencies: list[CompetencyShown]
    education_level: str = ""
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    postcode: str | None = None
    best_match: MatchShown | None = None
    mutual: bool = False
    # Answers to questions marked "employers see it with consent" (only with consent).
    answers: list[AnswerShown] = []


async def _registration_for_badge(event: Event, token: str) -> int:
    try:
        claim = await verify_badge(token, event.id)
    except TokenError as exc:
        raise DomainError(exc.code, exc.message) from None
    rows = await current_engine().fetch(
        "SELECT status, badge_serial, checked_in_at FROM registration WHERE id = ? AND event = ?",
        [claim.registration_id, event.id],
    )
    # The one table of what a badge means (event_ops/people/badge_rules.py).
    refusal = STAND[badge_state(rows[0] if rows else None, claim.serial)]
    if refusal is not None:
        raise DomainError(refusal, MESSAGES[refusal])
    return claim.registration_id


async def visitor_card(registration_id: int, employer_id: int, viewer: Principal,
                       lang: str = "nl") -> VisitorCard:
    db = current_engine()
    row = (await db.fetch(
        "SELECT r.id, r.event, v.id AS visitor_id, v.name, v.email, v.phone, v.postcode,"
        " v.education_level, v.share_profile FROM registration r"
        " JOIN visitor v ON v.id = r.visitor WHERE r.id = ?",
        [registration_id],
    ))[0]
    known = await competencies_by_code()
    profile = {c["code"]: c["level"] for c in await db.fetch(
        "SELECT code, level FROM profile_competency WHERE visitor = ?", [row["visitor_id"]])}
    consented = bool(row["share_profile"])
    card = VisitorCard(
        registration_id=registration_id,
        first_name=row["name"].split(" ")[0],
        consented=consented,
        competencies=[
            CompetencyShown(code, known[code].name(lang), level)
            for code, level in sorted(profile.items(), key=lambda kv: (-kv[1], kv[0]))
            if code in known
        ],
        education_level=row["education_level"] or "",
        best_match=await _best_match(profile, employer_id),
        mutual=await is_mutual(employer_id, registration_id),
    )
    shown = ["first_name", "competencies", "education_level"]
    if consented:
        card.name, card.email, card.phone = row["name"], row["email"], row["phone"] or None
        card.postcode = row["postcode"] or None
        shown += ["name", "email", "phone", "postcode"]
    card.answers = [AnswerShown(label, text) for label, text in
                    await card_answers(row["event"], registration_id, consented, lang)]
    if card.answers:
        shown.append("answers")
    await audit.record(viewer.actor, "profile.viewed", event_id=row["event"],
                       subject_type="registration", subject_id=registration_id, fields=shown)
    return card


_VACANCY_CACHE_SECONDS = 30.0
# By employer id: {vacancy id: (title, [(competency code, level, required)])}.
_vacancies: TTLCache[int, dict[int, tuple[str, list[tuple[str, int, bool]]]]] = TTLCache(
    "interests.employer_vacancies", seconds=_VACANCY_CACHE_SECONDS)


async def _employer_vacancies(employer_id: int) -> dict[int, tuple[str, list]]:
    """An employer's vacancies with the competencies they ask for. Read on every scan at
    the stand and changed rarely, so cached briefly per process."""
    hit = _vacancies.get(employer_id)
    if hit is not None:
        return hit
    rows = await current_engine().fetch(
        "SELECT v.id, v.title, vc.code, vc.level, vc.required FROM vacancy v"
        " JOIN vacancy_competency vc ON vc.vacancy = v.id WHERE v.employer = ?",
        [employer_id],
    )
    by_vacancy: dict[int, tuple[str, list[tuple[str, int, bool]]]] = {}
    for r in rows:
        by_vacancy.setdefault(r["id"], (r["title"], []))[1].append(
            (r["code"], r["level"], bool(r["required"])))
    _vacancies.put(employer_id, by_vacancy)
    return by_vacancy


async def _best_match(profile: dict[str, int], employer_id: int) -> MatchShown | None:
    best: VacancyMatch | None = None
    for vacancy_id, (title, wanted) in (await _employer_vacancies(employer_id)).items():
        match = score_vacancy(profile, vacancy_id, title, wanted)
        if best is None or match.score > best.score:
            best = match
    if best is None:
        return None
    return MatchShown(best.vacancy_id, best.title, best.score, list(best.matched))


async def is_mutual(employer_id: int, registration_id: int) -> bool:
    rows = await current_engine().fetch(
        "SELECT 1 AS x FROM interest i JOIN visitor_interest vi ON vi.employer = i.employer"
        " AND vi.registration = i.registration AND vi.withdrawn = ?"
        " WHERE i.employer = ? AND i.registration = ?",
        [False, employer_id, registration_id])
    return bool(rows)


class CardRequest(msgspec.Struct, kw_only=True):
    token: str


class EntryShown(msgspec.Struct):
    """This employer's own entry for a visitor, as it is stored now."""

    id: int
    level: str
    note: str
    rating: int | None
    vacancy_id: int | None


class StandCard(msgspec.Struct):
    """What a tablet shows after a scan: the card, and this stand's entry if it has one."""

    visitor: VisitorCard
    entry: EntryShown | None = None


async def card_for_badge(event: Event, employer: Principal, token: str,
                         lang: str = "nl") -> StandCard:
    """The card for a scanned badge, with nothing saved: the employer first sees who is at
    the stand and then chooses the outcome (``record_interest``). Refuses the same badges
    as ``record_interest``. The only write is the audit entry of the profile view."""
    if employer.employer_id is None:
        raise DomainError("forbidden", "Only an employer's tablet can open a visitor's card.")
    registration_id = await _registration_for_badge(event, token)
    card = await visitor_card(registration_id, employer.employer_id, employer, lang)
    rows = await current_engine().fetch(
        "SELECT id, level, note, rating, vacancy FROM interest"
        " WHERE employer = ? AND registration = ?",
        [employer.employer_id, registration_id],
    )
    entry = None
    if rows:
        r = rows[0]
        entry = EntryShown(r["id"], r["level"], r["note"] or "", r["rating"], r["vacancy"])
    return StandCard(card, entry)


def _check(data: InterestInput) -> None:
    if data.level not in INTEREST_LEVELS:
        raise DomainError("bad_level", f"Level must be one of {', '.join(INTEREST_LEVELS)}.",
                          field="level")
    if data.rating is not None and not 0 <= data.rating <= 5:
        raise DomainError("bad_rating", "A rating runs from 0 to 5.", field="rating")
    if data.note is not None and len(data.note) > MAX_NOTE:
        raise DomainError("bad_note", f"A note has at most {MAX_NOTE} characters.", field="note")


async def record_interest(
    event: Event, employer: Principal, data: InterestInput, lang: str = "nl"
) -> tuple[int, bool, VisitorCard]:
    """Create or update this employer's entry for the scanned visitor.

    Each write also stores what an undo of it puts back: the entry and its match as they
    were just before (``undo_interest``).
    Returns (interest id, created?, what the employer may see of the visitor).
    """
    if employer.employer_id is None:
        raise DomainError("forbidden", "Only an employer's tablet can log interest.")
    _check(data)
    registration_id = await _registration_for_badge(event, data.token)
    db = current_engine()
    if data.vacancy_id is not None:
        ok = await db.fetch("SELECT id FROM vacancy WHERE id = ? AND employer = ?",
                            [data.vacancy_id, employer.employer_id])
        if not ok:
            raise DomainError("bad_vacancy", "That vacancy is not one of yours.",
                              field="vacancy_id")
    now = clock.now()
    # The interest, the match it makes and what an undo would put back are stored together
    # or not at all.
    async with db.transaction():
        interest_id, before = await _write_entry(event.id, employer, registration_id, data, now)
        match_before = await _match_of(employer.employer_id, registration_id)
        # Follow-up: direct / follow_up / training interests become matches to follow up.
        await sync_match_for_interest(
            event_id=event.id, interest_id=interest_id, employer_id=employer.employer_id,
            registration_id=registration_id, level=data.level, actor=employer.actor)
        # Older steps can no longer be undone: drop them (they may quote a note).
        await db.fetch("DELETE FROM interest_undo WHERE interest = ? AND at <= ?",
                       [interest_id, now - UNDO_WINDOW])
        await db.fetch(
            "INSERT INTO interest_undo (interest, device, at, entry_before, match_before)"
            " VALUES (?, ?, ?, ?, ?)",
            [interest_id, employer.token_id, now, _to_json(before),
             _to_json(match_before and {k: match_before[k] for k in _MATCH_STATE})],
        )
    card = await visitor_card(registration_id, employer.employer_id, employer, lang)
    return interest_id, before is None, card


_ENTRY_STATE = ("level", "note", "rating", "vacancy", "device", "updated_at")
_MATCH_STATE = ("id", "level", "interest")


def _to_json(value: dict | None) -> str:
    return "" if value is None else json.dumps(value, default=lambda d: d.isoformat())


async def _write_entry(event_id: int, employer: Principal, registration_id: int,
                       data: InterestInput, now: dt.datetime) -> tuple[int, dict | None]:
    """Create or update the (employer, visitor) entry inside the caller's transaction.

    Returns (interest id, the entry as it was before: None when this write created it).
    The row is locked before it is read (PostgreSQL), so two tablets saving the same
    visitor at once each see the state the other left, and each undo puts back the right
    one. SQLite write transactions are serialised already."""
    db = current_engine()
    created = await db.fetch(
        "INSERT INTO interest (event, employer, registration, level, note, rating, vacancy,"
        " device, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (employer, registration) DO NOTHING RETURNING id",
        [event_id, employer.employer_id, registration_id, data.level, data.note or "",
         data.rating, data.vacancy_id, employer.token_id, now, now],
    )
    if created:
        return created[0]["id"], None
    lock = " FOR UPDATE" if dialect() == "postgres" else ""
    row = (await db.fetch(
        "SELECT id, level, note, rating, vacancy, device, updated_at FROM interest"
        " WHERE employer = ? AND registration = ?" + lock,
        [employer.employer_id, registration_id],
    ))[0]
    await db.fetch(
        "UPDATE interest SET level = ?, note = ?, rating = ?, vacancy = ?, device = ?,"
        " updated_at = ? WHERE id = ?",
        [data.level, data.note or "", data.rating, data.vacancy_id, employer.token_id, now,
         row["id"]],
    )
    return row["id"], {k: row[k] for k in _ENTRY_STATE}


async def _match_of(employer_id: int, registration_id: int) -> dict | None:
    rows = await current_engine().fetch(
        'SELECT id, level, interest, status, owner_email FROM "match"'
        " WHERE employer = ? AND registration = ?", [employer_id, registration_id])
    return rows[0] if rows else None


class UndoResult(msgspec.Struct):
    """The answer to an undo: the entry as it is now, or None when the undo removed it."""

    status: str
    entry: EntryShown | None


async def undo_interest(employer: Principal, interest_id: int) -> UndoResult:
    """Take back this device's newest write to one of its employer's entries.

    The entry goes back to exactly what it was before that write (level, note, rating,
    vacancy, who wrote it last, when); only when that write created the entry is it
    removed. The match of that employer and visitor goes back with it: its level and entry
    are restored, and a match that the write created is removed. Never more: the undo is
    refused (409 ``undo_not_allowed``) when another device or the employer's admin code has
    written to the entry since, after 15 minutes, or when a coach has started on a match
    that the write created. Each call takes back one write, newest first.
    """
    db = current_engine()
    now = clock.now()
    refused = DomainError(
        "undo_not_allowed",
        "Only the tablet that made the last change can undo it, within 15 minutes.")
    async with db.transaction():
        lock = " FOR UPDATE" if dialect() == "postgres" else ""
        rows = await db.fetch(
            "SELECT id, event, registration, device FROM interest WHERE id = ? AND employer = ?"
            + lock, [interest_id, employer.employer_id])
        steps = rows and await db.fetch(
            "SELECT id, device, at, entry_before, match_before FROM interest_undo"
            " WHERE interest = ? ORDER BY id DESC LIMIT 1", [interest_id])
        if not steps or employer.token_id is None or steps[0]["device"] != employer.token_id \
                or rows[0]["device"] != employer.token_id or steps[0]["at"] <= now - UNDO_WINDOW:
            raise refused
        entry, step = rows[0], steps[0]
        before = json.loads(step["entry_before"]) if step["entry_before"] else None
        match_before = json.loads(step["match_before"]) if step["match_before"] else None
        match_now = await _match_of(employer.employer_id, entry["registration"])
        if match_now is not None and match_before is None:
            if match_now["status"] != "new" or match_now["owner_email"]:
                raise DomainError(
                    "undo_not_allowed",
                    "A coach is already following up this match. Change the outcome instead.")
            await db.fetch('DELETE FROM "match" WHERE id = ?', [match_now["id"]])
        elif match_now is not None and match_before is not None and (
                match_now["level"], match_now["interest"]) != (
                match_before["level"], match_before["interest"]):
            await db.fetch('UPDATE "match" SET level = ?, interest = ? WHERE id = ?',
                           [match_before["level"], match_before["interest"], match_now["id"]])
        shown = None
        if before is None:
            await db.fetch("DELETE FROM interest WHERE id = ?", [interest_id])  # and its steps
        else:
            await db.fetch(
                "UPDATE interest SET level = ?, note = ?, rating = ?, vacancy = ?, device = ?,"
                " updated_at = ? WHERE id = ?",
                [before["level"], before["note"], before["rating"], before["vacancy"],
                 before["device"], dt.datetime.fromisoformat(before["updated_at"]),
                 interest_id])
            await db.fetch("DELETE FROM interest_undo WHERE id = ?", [step["id"]])
            shown = EntryShown(interest_id, before["level"], before["note"] or "",
                               before["rating"], before["vacancy"])
        await audit.record(employer.actor, "interest.undone", event_id=entry["event"],
                           subject_type="registration", subject_id=entry["registration"],
                           fields=["removed"] if shown is None else ["restored"])
    return UndoResult("undone", shown)


async def list_interests(event_id: int, employer: Principal, query: str = "") -> list[dict]:
    """This employer's entries (never another employer's), newest first, consent applied.

    A scan-only tablet gets no e-mail or phone in the list: a lost tablet must not carry
    the stand's whole contact list (the admin code has the list and the export)."""
    contacts = employer.role != "employer_tablet"
    rows = await current_engine().fetch(
        "SELECT i.id, i.registration, i.level, i.note, i.rating, i.vacancy, i.created_at,"
        " i.updated_at, v.name, v.email, v.phone, v.share_profile, vi.id AS theirs,"
        " va.title AS vacancy_title FROM interest i"
        " LEFT JOIN vacancy va ON va.id = i.vacancy"
        " JOIN registration r ON r.id = i.registration JOIN visitor v ON v.id = r.visitor"
        " LEFT JOIN visitor_interest vi ON vi.employer = i.employer"
        " AND vi.registration = i.registration AND vi.withdrawn = ?"
        " WHERE i.event = ? AND i.employer = ? ORDER BY i.updated_at DESC",
        [False, event_id, employer.employer_id],
    )
    out = []
    q = query.strip().lower()
    for r in rows:
        consented = bool(r["share_profile"])
        entry = {
            "id": r["id"], "registration_id": r["registration"],
            "first_name": r["name"].split(" ")[0], "consented": consented,
            "name": r["name"] if consented else None,
            "email": r["email"] if consented and contacts else None,
            "phone": (r["phone"] or None) if consented and contacts else None,
            "level": r["level"], "note": r["note"], "rating": r["rating"],
            "vacancy_id": r["vacancy"], "vacancy_title": r["vacancy_title"],
            "created_at": r["created_at"],
            "updated_at": r["updated_at"], "mutual": r["theirs"] is not None,
        }
        haystack = " ".join(str(entry[k] or "") for k in ("first_name", "name", "note", "level"))
        if q and q not in haystack.lower():
            continue
        out.append(entry)
    await audit.record(employer.actor, "interests.listed", event_id=event_id,
                       subject_type="employer", subject_id=employer.employer_id,
                       fields=["first_name", "name", "email", "phone"] if contacts
                       else ["first_name", "name"])
    return out


async def visitor_says_interested(event_id: int, registration_id: int, employer_id: int) -> bool:
    """Record the visitor's side; returns True when the employer wants them too (mutual)."""
    rows = await current_engine().fetch(
        "SELECT id FROM employer WHERE id = ? AND event = ?", [employer_id, event_id])
    if not rows:
        raise DomainError("not_found", "This stand is not part of your event.")
    await current_engine().fetch(
        "INSERT INTO visitor_interest (event, employer, registration, created_at, withdrawn)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (employer, registration) DO UPDATE SET"
        " withdrawn = excluded.withdrawn",
        [event_id, employer_id, registration_id, clock.now(), False],
    )
    return await is_mutual(employer_id, registration_id)


def dumps(value: object) -> str:
    return json.dumps(value, default=str)
