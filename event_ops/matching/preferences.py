"""Matching days: before the day, each side marks the other must / happy / no.

Contract
--------
* A visitor marks employers (through their secret-link page); an employer marks visitors
  (through its own token). Each side only ever writes its own row: ``side`` is set here from
  who is asking, never taken from the request.
* A "no" from either side blocks the pair, always: the schedule never contains it.
  Organisers who remove a meeting block the pair the same way, with side ``staff``; pinning
  that pair again lifts the block.
* ``choice`` ``None`` (or ``"none"``) clears a mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from event_ops import audit, clock
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.events.tables import Event
from event_ops.matching.engine import (
    EventData,
    VacancyProfile,
    VisitorProfile,
    _json_list,
    employer_scores,
    explain,
    load_event,
)
from event_ops.taxonomy.service import competencies_by_code

CHOICES = ("must", "happy", "no")
SIDES = ("visitor", "employer")
STAFF = "staff"  # an organiser took the pair out of the schedule
# Codes in the preference matrices.
NONE, HAPPY, MUST, NO = 0, 1, 2, -1
CODE = {"happy": HAPPY, "must": MUST, "no": NO}


def require_matching(event: Event) -> None:
    if event.kind != "matching":
        raise DomainError("wrong_event_kind", "Preferences and schedules are for matching days.")


def _clean_choice(choice: str | None) -> str | None:
    if choice in (None, "", "none"):
        return None
    if choice not in CHOICES:
        raise DomainError("bad_choice", f"Choice must be one of {', '.join(CHOICES)} or none.",
                          field="choice")
    return choice


async def _registered(event_id: int, ids: Iterable[int]) -> set[int]:
    ids = list(set(ids))
    if not ids:
        return set()
    rows = await current_engine().fetch(
        f"SELECT id FROM registration WHERE event = ? AND status = 'registered'"
        f" AND id IN ({', '.join('?' * len(ids))})", [event_id, *ids])
    return {r["id"] for r in rows}


async def _employers(event_id: int, ids: Iterable[int]) -> set[int]:
    ids = list(set(ids))
    if not ids:
        return set()
    rows = await current_engine().fetch(
        f"SELECT id FROM employer WHERE event = ? AND id IN ({', '.join('?' * len(ids))})",
        [event_id, *ids])
    return {r["id"] for r in rows}


async def set_visitor_preferences(event: Event, registration_id: int,
                                  items: Sequence[tuple[int, str | None]]) -> int:
    """The visitor's marks on employers: ``items`` is (employer id, choice). Returns count."""
    require_matching(event)
    if not await _registered(event.id, [registration_id]):
        raise DomainError("not_found", "You are not registered for this matching day.")
    known = await _employers(event.id, (e for e, _ in items))
    pairs = []
    for employer_id, choice in items:
        if employer_id not in known:
            raise DomainError("not_found", f"Employer {employer_id} is not part of this event.")
        pairs.append((registration_id, employer_id, _clean_choice(choice)))
    return await _write(event.id, "visitor", pairs)


async def set_employer_preferences(event: Event, employer_id: int,
                                   items: Sequence[tuple[int, str | None]]) -> int:
    """The employer's marks on visitors: ``items`` is (registration id, choice)."""
    require_matching(event)
    known = await _registered(event.id, (r for r, _ in items))
    pairs = []
    for registration_id, choice in items:
        if registration_id not in known:
            raise DomainError("not_found",
                              f"Registration {registration_id} is not part of this event.")
        pairs.append((registration_id, employer_id, _clean_choice(choice)))
    return await _write(event.id, "employer", pairs)


async def set_staff_block(event_id: int, registration_id: int, employer_id: int,
                          blocked: bool) -> None:
    await _write(event_id, STAFF, [(registration_id, employer_id, "no" if blocked else None)])


async def _write(event_id: int, side: str, pairs: Sequence[tuple[int, int, str | None]]) -> int:
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        for registration_id, employer_id, choice in pairs:
            if choice is None:
                await db.fetch(
                    "DELETE FROM meeting_preference WHERE registration = ? AND employer = ?"
                    " AND side = ?", [registration_id, employer_id, side])
                continue
            await db.fetch(
                "INSERT INTO meeting_preference (event, registration, employer, side, choice,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (registration, employer, side) DO UPDATE SET"
                " choice = excluded.choice, updated_at = excluded.updated_at",
                [event_id, registration_id, employer_id, side, choice, now])
    return len(pairs)


async def choices_of_visitor(event_id: int, registration_id: int) -> dict[int, str]:
    """employer id -> this visitor's own choice."""
    rows = await current_engine().fetch(
        "SELECT employer, choice FROM meeting_preference WHERE event = ? AND registration = ?"
        " AND side = 'visitor'", [event_id, registration_id])
    return {r["employer"]: r["choice"] for r in rows}


async def choices_of_employer(event_id: int, employer_id: int) -> dict[int, str]:
    """registration id -> this employer's own choice."""
    rows = await current_engine().fetch(
        "SELECT registration, choice FROM meeting_preference WHERE event = ? AND employer = ?"
        " AND side = 'employer'", [event_id, employer_id])
    return {r["registration"]: r["choice"] for r in rows}


async def preference_matrices(event_id: int, registrations: Sequence[int],
                              employers: Sequence[int]) -> tuple[np.ndarray, np.ndarray,
                                                                 np.ndarray]:
    """(visitor side, employer side, blocked): (visitors, employers) matrices in the given
    orders. Sides hold NONE / HAPPY / MUST / NO; ``blocked`` is True where any side (or an
    organiser) said no."""
    row = {r: i for i, r in enumerate(registrations)}
    col = {e: j for j, e in enumerate(employers)}
    shape = (len(registrations), len(employers))
    sides = {"visitor": np.zeros(shape, np.int8), "employer": np.zeros(shape, np.int8),
             STAFF: np.zeros(shape, np.int8)}
    for r in await current_engine().fetch(
            "SELECT registration, employer, side, choice FROM meeting_preference WHERE event = ?",
            [event_id]):
        i, j = row.get(r["registration"]), col.get(r["employer"])
        if i is None or j is None or r["side"] not in sides:
            continue
        sides[r["side"]][i, j] = CODE.get(r["choice"], NONE)
    blocked = (sides["visitor"] == NO) | (sides["employer"] == NO) | (sides[STAFF] == NO)
    return sides["visitor"], sides["employer"], blocked


async def _scores(event_id: int, data: EventData | None = None,
                  ) -> tuple[dict[int, int], dict[int, int], np.ndarray]:
    """(registration id -> row, employer id -> column, 0-100 scores) for the event."""
    data = data or await load_event(event_id)
    employers, scores = employer_scores(data.visitors, data.vacancies)
    row = {int(r): i for i, r in enumerate(data.visitors.ids)}
    col = {int(e): j for j, e in enumerate(employers)}
    return row, col, np.rint(100 * scores).astype(np.int64)


async def visitor_options(event: Event, registration_id: int, lang: str = "nl") -> list[dict]:
    """Every employer of the matching day, for the visitor to mark: name, sector, vacancy
    titles, how well they fit (0-100) and the visitor's own choice. Best fit first."""
    require_matching(event)
    db = current_engine()
    employers = await db.fetch("SELECT id, name, sector FROM employer WHERE event = ?"
                               " ORDER BY name", [event.id])
    titles: dict[int, list[str]] = {}
    for v in await db.fetch("SELECT v.employer, v.title FROM vacancy v JOIN employer e"
                            " ON e.id = v.employer WHERE e.event = ? ORDER BY v.id",
                            [event.id]):
        titles.setdefault(v["employer"], []).append(v["title"])
    mine = await choices_of_visitor(event.id, registration_id)
    row, col, scores = await _scores(event.id)
    i = row.get(registration_id)
    out = [
        {"employer_id": e["id"], "name": e["name"], "sector": e["sector"],
         "vacancies": titles.get(e["id"], []),
         "score": int(scores[i, col[e["id"]]]) if i is not None and e["id"] in col else 0,
         "choice": mine.get(e["id"])}
        for e in employers
    ]
    out.sort(key=lambda o: -o["score"])
    return out


async def employer_candidates(event: Event, employer: Principal, lang: str = "nl") -> list[dict]:
    """The matching day's visitors, for an employer to mark. What the employer sees follows
    the visitor's consent: competencies always; first and full name only with consent (no
    part of a name reaches an employer before the visitor agreed). Best fit first. Every
    listing is audited."""
    require_matching(event)
    assert employer.employer_id is not None
    out = await _candidates(event, employer.employer_id, lang)
    for o in out:
        o.pop("explanation")
        o.pop("full_name")
    await audit.record(employer.actor, "candidates.listed", event_id=event.id,
                       subject_type="employer", subject_id=employer.employer_id,
                       fields=["first_name", "name", "competencies", "education_level"])
    return out


async def organiser_candidates(event: Event, employer_id: int, actor: str,
                               lang: str = "nl") -> list[dict]:
    """The same list an employer sees (:func:`employer_candidates`), for an organiser who
    enters that employer's wishes on its behalf: with the visitor's full name (``full_name``,
    organisers see it anyway) and ``explanation``, why the engine scores the pair as it does
    (the employer's best vacancy for this visitor: matched and missing skills). Audited as
    a listing by the organiser."""
    require_matching(event)
    if not await _employers(event.id, [employer_id]):
        raise DomainError("employer_not_found", "This employer is not part of this event.")
    out = await _candidates(event, employer_id, lang)
    await audit.record(actor, "candidates.listed", event_id=event.id,
                       subject_type="employer", subject_id=employer_id,
                       fields=["name", "competencies", "education_level"])
    return out


async def _candidates(event: Event, employer_id: int, lang: str, *,
                      keep: Callable[[list[dict]], list[dict]] | None = None,
                      explained: bool = True) -> list[dict]:
    """Every registered visitor for this employer, best fit first. ``keep`` picks the rows
    to return from that sorted list (default: all); only those are explained (``explain``
    scores one pair at a time: a few ms each, so a list of a thousand takes seconds), and
    none when ``explained`` is False (``explanation`` None)."""
    db = current_engine()
    people = await db.fetch(
        "SELECT r.id, v.id AS visitor_id, v.name, v.share_profile, v.education_level,"
        " v.availability FROM registration r JOIN visitor v ON v.id = r.visitor"
        " WHERE r.event = ? AND r.status = 'registered' ORDER BY r.id", [event.id])
    comps: dict[int, list[dict]] = {}
    known = await competencies_by_code()
    for c in await db.fetch(
            "SELECT pc.visitor, pc.code, pc.level FROM profile_competency pc"
            " JOIN registration r ON r.visitor = pc.visitor"
            " WHERE r.event = ? AND r.status = 'registered' ORDER BY pc.level DESC, pc.code",
            [event.id]):
        if c["code"] in known:
            comps.setdefault(c["visitor"], []).append(
                {"code": c["code"], "name": known[c["code"]].name(lang), "level": c["level"]})
    mine = await choices_of_employer(event.id, employer_id)
    data = await load_event(event.id)
    row, col, scores = await _scores(event.id, data)
    j = col.get(employer_id)
    vacancies = [v for v in data.vacancy_profiles.values() if v.employer_id == employer_id]

    def name_of(code: str) -> str:
        return known[code].name(lang) if code in known else code

    out = []
    for p in people:
        consented = bool(p["share_profile"])
        i = row.get(p["id"])
        out.append({
            # No part of the name reaches an employer without the visitor's consent.
            "registration_id": p["id"],
            "first_name": p["name"].split(" ")[0] if consented else None,
            "name": p["name"] if consented else None, "consented": consented,
            "full_name": p["name"],
            "education_level": p["education_level"] or "",
            "availability": [a for a in _json_list(p["availability"]) if isinstance(a, str)],
            "competencies": comps.get(p["visitor_id"], []),
            "score": int(scores[i, j]) if i is not None and j is not None else 0,
            "choice": mine.get(p["id"]),
            "explanation": None,
        })
    out.sort(key=lambda o: -o["score"])
    if keep is not None:
        out = keep(out)
    if explained:
        for o in out:
            o["explanation"] = _best_explanation(
                data.visitor_profiles.get(o["registration_id"]), vacancies, name_of)
    return out


def _best_explanation(visitor: VisitorProfile | None, vacancies: Sequence[VacancyProfile],
                      name_of: Callable[[str], str]) -> dict | None:
    """The employer's best vacancy for this visitor, explained in names (None without a
    vacancy or a profile)."""
    if visitor is None or not vacancies:
        return None
    best = max(((v, explain(visitor, v)) for v in vacancies), key=lambda p: p[1].score)
    vacancy, why = best
    return {"vacancy": vacancy.title, "score": why.score,
            "matched": [name_of(m.code) for m in why.matched if m.full],
            "partial": [name_of(m.code) for m in why.matched if not m.full],
            "missing": [name_of(code) for code in why.missing_required],
            "distance_km": None if why.distance_km is None else round(why.distance_km)}


BY = ("organiser", "contact")  # who enters wishes in the pages: audited as set_by_<who>


async def set_wishes(event: Event, side: str, person_id: int,
                     items: Sequence[tuple[int, str | None]], actor: str, *,
                     by: str = "organiser") -> int:
    """THE way the pages store wishes, for an organiser entering them on one side's behalf
    (``by="organiser"``, the back office) and for an employer's contact person entering
    their own (``by="contact"``, the employer portal): ``side`` "employer" (``person_id``
    the employer, items (registration id, choice)) or "visitor" (``person_id`` the
    registration, items (employer id, choice)). The same rules as when that side enters
    them through the API (:func:`set_employer_preferences`,
    :func:`set_visitor_preferences`); the change is audited as
    ``preferences.<side>.set_by_<by>``, before -> after per pair (ids and choices, no
    personal data). Returns how many pairs changed."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, got {by!r}")
    if side == "employer":
        if not await _employers(event.id, [person_id]):
            raise DomainError("employer_not_found", "This employer is not part of this event.")
        before = await choices_of_employer(event.id, person_id)
    elif side == "visitor":
        if not await _registered(event.id, [person_id]):
            raise DomainError("not_found", "This job seeker is not registered for this event.")
        before = await choices_of_visitor(event.id, person_id)
    else:
        raise ValueError(f"side must be one of {SIDES}, got {side!r}")
    wanted = {other: _clean_choice(choice) for other, choice in items}
    changed = [(other, choice) for other, choice in wanted.items()
               if before.get(other) != choice]
    if not changed:
        require_matching(event)
        return 0
    label = "registration" if side == "employer" else "employer"
    async with current_engine().transaction():  # the wishes and their audit entry, or neither
        if side == "employer":
            await set_employer_preferences(event, person_id, changed)
        else:
            await set_visitor_preferences(event, person_id, changed)
        await audit.record(
            actor, f"preferences.{side}.set_by_{by}", event_id=event.id,
            subject_type="employer" if side == "employer" else "registration",
            subject_id=person_id,
            changes=audit.changes({f"{label}:{o}": before.get(o) for o, _ in changed},
                                  {f"{label}:{o}": c for o, c in changed}))
    return len(changed)

