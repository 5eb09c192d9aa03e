from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from event_ops import audit
from event_ops.core import caches
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.employers.organisations import (
    clean_name,
    get_organisation,
    normalise_kvk,
    organisation_for,
)
from event_ops.employers.tables import Employer
from event_ops.events.tables import Event
from event_ops.people.registration import CONTROL_RE, EMAIL_RE, POSTCODE_RE
from event_ops.taxonomy.service import SECTORS, CompetencyItem, competencies_by_code

MAX_POSITIONS = 1000
# The stands' copy of each employer's vacancies (event_ops/interests/service.py, 30 s).
_VACANCY_CACHE = "interests.employer_vacancies"


def _forget_cached_vacancies() -> None:
    """This process's stands see a changed vacancy at once; other processes within 30 s."""
    if _VACANCY_CACHE in caches.names():
        caches.clear(_VACANCY_CACHE)


MAX_HOURS = 60


def normalise_email(raw: str | None) -> str:
    """An employer's contact address, lower-cased; "" when not given. Raises ``bad_email``."""
    email = (raw or "").strip().lower()
    if email and (len(email) > 254 or not EMAIL_RE.match(email) or CONTROL_RE.search(email)):
        raise DomainError("bad_email", f"{raw!r} is not a valid e-mail address.", field="email")
    return email


def normalise_pc4(raw: str | None) -> str:
    """A workplace postcode as its four digits (PC4): "9711 AB", "9711ab" and "9711" all
    give "9711"; "" when not given. Raises ``bad_postcode``."""
    text = (raw or "").strip()
    if not text:
        return ""
    match = POSTCODE_RE.match(text)
    if not match:
        raise DomainError("bad_postcode",
                          f"{raw!r} is not a Dutch postcode; give e.g. 9711 or 9711 AB.",
                          field="postcode")
    return match.group(1)


def check_sector(sector: str | None) -> None:
    """An employer's or vacancy's sector is empty or one of the known codes; anything else
    raises ``DomainError('sector_unknown')`` naming the valid codes."""
    if sector and sector not in SECTORS:
        raise DomainError(
            "sector_unknown",
            f"Unknown sector code {sector!r}. Valid codes: {', '.join(SECTORS)}.",
            field="sector")


async def stand_for(event_id: int, label: str | None,
                    known: dict[str, int] | None = None) -> int | None:
    """The id of the event's stand with this label, made when there is none; None for no
    label. ``known``: label → id of the event's stands read before (an import), kept up to
    date here."""
    label = " ".join((label or "").split())
    if not label:
        return None
    if len(label) > 32 or CONTROL_RE.search(label):
        raise DomainError("bad_stand", "A stand label has at most 32 characters.",
                          field="stand")
    db = current_engine()
    if known is not None and label in known:
        return known[label]
    rows = [] if known is not None else await db.fetch(
        "SELECT id FROM stand WHERE event = ? AND label = ?", [event_id, label])
    if rows:
        return rows[0]["id"]
    stand_id = (await db.fetch("INSERT INTO stand (event, label, hall) VALUES (?, ?, '')"
                               " RETURNING id", [event_id, label]))[0]["id"]
    if known is not None:
        known[label] = stand_id
    return stand_id


async def add_employer(
    event: Event,
    *,
    name: str,
    stand_label: str | None = None,
    sector: str = "",
    is_training_provider: bool = False,
    contact_email: str | None = None,
    organisation_id: int | None = None,
    kvk_number: str | None = None,
    actor: str = "cli",
    once: bool = False,
) -> Employer:
    """Add an employer to an event, as an organisation across events: ``organisation_id``
    (an existing one: its name is used), else the organisation with this KvK number or
    name, made when there is none. ``contact_email`` (optional) receives its list of
    visitors after the event; without it the list goes to the owners of its matches.
    ``once``: refuse (``employer_exists``) when the organisation takes part already (the
    back office and the API; the command line keeps adding as before). Audited
    (``employer.created``) with what it was given."""
    check_sector(sector)
    email = normalise_email(contact_email)
    kvk = normalise_kvk(kvk_number)
    db = current_engine()
    async with db.transaction():
        if organisation_id is not None:
            org = await get_organisation(organisation_id)
            name = org["name"]
        else:
            name = clean_name(name)
            organisation_id, _ = await organisation_for(name, kvk, actor)
        if once:
            if db.engine_type == "postgres":  # two organisers adding it at once: one wins
                await db.fetch("SELECT id FROM event WHERE id = ? FOR UPDATE", [event.id])
            if await db.fetch("SELECT id FROM employer WHERE event = ? AND organisation = ?",
                              [event.id, organisation_id]):
                raise DomainError("employer_exists",
                                  f"{name} already takes part in this event.", field="name")
        stand_id = await stand_for(event.id, stand_label)
        employer = Employer(
            event=event.id,
            name=name,
            sector=sector,
            stand=stand_id,
            is_training_provider=is_training_provider,
            contact_email=email,
            organisation=organisation_id,
        )
        await employer.save()
        await audit.record(actor, "employer.created", event_id=event.id,
                           subject_type="employer", subject_id=employer.id,
                           changes=audit.changes({}, {
                               "name": name, "stand": (stand_label or "").strip() or None,
                               "sector": sector, "contact_email": email,
                               "organisation": organisation_id}))
    return employer


EMPLOYER_FIELDS = ("stand", "sector", "contact_email", "is_training_provider")


async def employer_row(event_id: int, employer_id: int) -> dict[str, Any]:
    """One employer of this event with its stand label, organisation and KvK number;
    ``employer_not_found`` otherwise (also for an employer of another event)."""
    rows = await current_engine().fetch(
        "SELECT e.id, e.event, e.name, e.sector, e.contact_email, e.is_training_provider,"
        " e.organisation, o.kvk_number, COALESCE(s.label, '') AS stand FROM employer e"
        " LEFT JOIN stand s ON s.id = e.stand LEFT JOIN organisation o ON o.id = e.organisation"
        " WHERE e.id = ? AND e.event = ?", [employer_id, event_id])
    if not rows:
        raise DomainError("employer_not_found", "This event has no such employer.")
    row = rows[0]
    row["is_training_provider"] = bool(row["is_training_provider"])
    return row


async def update_employer(event_id: int, employer_id: int, changes: dict[str, Any],
                          actor: str) -> dict[str, Any]:
    """Change an employer's stand, sector, contact e-mail or training-provider flag at this
    event (only the keys given). Audited with before → after; returns the employer."""
    before = await employer_row(event_id, employer_id)
    after: dict[str, Any] = {}
    if "stand" in changes:
        after["stand"] = " ".join(str(changes["stand"] or "").split())
    if "sector" in changes:
        check_sector(changes["sector"] or "")
        after["sector"] = changes["sector"] or ""
    if "contact_email" in changes:
        after["contact_email"] = normalise_email(changes["contact_email"])
    if "is_training_provider" in changes:
        after["is_training_provider"] = bool(changes["is_training_provider"])
    changed = audit.changes({k: before[k] for k in EMPLOYER_FIELDS}, after)
    if not changed:
        return before
    db = current_engine()
    async with db.transaction():
        if "stand" in changed:
            stand_id = await stand_for(event_id, after["stand"])
            await db.fetch("UPDATE employer SET stand = ? WHERE id = ?", [stand_id, employer_id])
        for column in ("sector", "contact_email", "is_training_provider"):
            if column in changed:
                await db.fetch(f"UPDATE employer SET {column} = ? WHERE id = ?",
                               [after[column], employer_id])
        await audit.record(actor, "employer.updated", event_id=event_id,
                           subject_type="employer", subject_id=employer_id, changes=changed)
    return await employer_row(event_id, employer_id)


# What still points at an employer once the event has begun: removing it would lose them.
_IN_USE = (("interest", "employer"), ("visitor_interest", "employer"), ("match", "employer"),
           ("meeting", "employer"), ("access_token", "employer"),
           ("pairing_code", "employer"))


async def remove_employer(event_id: int, employer_id: int, actor: str) -> None:
    """Take an employer off this event with its vacancies (the organisation stays).
    ``employer_in_use`` when it already has entries, matches, meetings or devices: those
    would be lost."""
    before = await employer_row(event_id, employer_id)
    db = current_engine()
    async with db.transaction():
        for table, column in _IN_USE:
            if await db.fetch(f"SELECT 1 AS x FROM {table} WHERE {column} = ? LIMIT 1",
                              [employer_id]):
                raise DomainError("employer_in_use",
                                  "This employer already has entries, matches, meetings or"
                                  " devices at this event; it cannot be removed.")
        await db.fetch("DELETE FROM meeting_preference WHERE employer = ?", [employer_id])
        await db.fetch("DELETE FROM recommendation WHERE employer = ?", [employer_id])
        await db.fetch("DELETE FROM vacancy_competency WHERE vacancy IN"
                       " (SELECT id FROM vacancy WHERE employer = ?)", [employer_id])
        await db.fetch("DELETE FROM vacancy WHERE employer = ?", [employer_id])
        await db.fetch("DELETE FROM employer WHERE id = ?", [employer_id])
        await audit.record(actor, "employer.removed", event_id=event_id,
                           subject_type="employer", subject_id=employer_id,
                           changes=audit.changes({k: before[k] for k in ("name", "stand")},
                                                 {"name": None, "stand": None}))
    _forget_cached_vacancies()


async def list_employers(event_id: int, query: str = "") -> list[dict[str, Any]]:
    """The event's employers by name, each with its stand, sector, KvK number and number of
    vacancies (one query: the back office lists 250 of them)."""
    where, args = "e.event = ?", [event_id]
    q = " ".join(query.split())[:100]
    if q:
        where += " AND LOWER(e.name) LIKE ? ESCAPE '\\'"
        args.append("%" + q.lower().replace("%", "").replace("_", "\\_") + "%")
    rows = await current_engine().fetch(
        "SELECT e.id, e.name, e.sector, e.contact_email, e.organisation, o.kvk_number,"
        " COALESCE(s.label, '') AS stand, COALESCE(v.n, 0) AS vacancies,"
        " COALESCE(v.positions, 0) AS positions FROM employer e"
        " LEFT JOIN stand s ON s.id = e.stand LEFT JOIN organisation o ON o.id = e.organisation"
        " LEFT JOIN (SELECT employer, COUNT(*) AS n, SUM(positions) AS positions FROM vacancy"
        "  GROUP BY employer) v ON v.employer = e.id"
        f" WHERE {where} ORDER BY LOWER(e.name), e.id", args)
    return rows


Wanted = tuple[str, int | None, bool]  # (competency code, level 1-4 or None, required)


def check_vacancy_fields(*, title: str, postcode: str | None, sector: str | None,
                         positions: int, hours_per_week: int | None) -> dict[str, Any]:
    """A vacancy's own fields, checked and cleaned (pure): raises ``bad_vacancy`` /
    ``bad_postcode`` / ``sector_unknown`` naming the field."""
    title = " ".join(title.split())
    if not 1 <= len(title) <= 200 or CONTROL_RE.search(title):
        raise DomainError("bad_vacancy", "A vacancy needs a title (1 to 200 characters).",
                          field="title")
    pc4 = normalise_pc4(postcode)
    check_sector(sector)
    if not 0 <= positions <= MAX_POSITIONS:
        raise DomainError("bad_vacancy", f"Positions must be 0 to {MAX_POSITIONS}.",
                          field="positions")
    if hours_per_week is not None and not 1 <= hours_per_week <= MAX_HOURS:
        raise DomainError("bad_vacancy", f"Hours per week must be 1 to {MAX_HOURS}.",
                          field="hours_per_week")
    return {"title": title, "postcode": pc4, "sector": sector, "positions": positions,
            "hours_per_week": hours_per_week}


def check_competencies(known: Mapping[str, CompetencyItem],
                       competencies: Sequence[Wanted]) -> dict[str, tuple[int, bool]]:
    """code → (level, required), each code from the taxonomy with a level 1-4 (None: the
    taxonomy's level). Pure; raises ``bad_vacancy`` naming the code."""
    wanted: dict[str, tuple[int, bool]] = {}
    for code, level, required in competencies:
        if code not in known:
            raise DomainError("bad_vacancy", f"Unknown competency {code!r}.",
                              field="competencies")
        level = known[code].level if level is None else level
        if not 1 <= level <= 4:
            raise DomainError("bad_vacancy", f"Level of {code} must be 1 to 4.",
                              field="competencies")
        wanted[code] = (level, required)
    return wanted


async def add_vacancy(
    employer_id: int,
    *,
    title: str,
    postcode: str | None = None,
    sector: str | None = None,
    positions: int = 1,
    hours_per_week: int | None = None,
    description: str = "",
    competencies: Sequence[Wanted] = (),
    actor: str = "cli",
) -> int:
    """Add a vacancy to an employer; returns its id.

    ``postcode`` is where the work is (stored as PC4; matching uses it for the distance to
    each visitor). ``sector`` defaults to the employer's. ``competencies`` are
    (code, level 1-4, required) from the taxonomy; level None means the taxonomy's level.
    Audited (``vacancy.created``).
    """
    fields = check_vacancy_fields(title=title, postcode=postcode, sector=sector,
                                  positions=positions, hours_per_week=hours_per_week)
    wanted = check_competencies(await competencies_by_code(), competencies)
    db = current_engine()
    rows = await db.fetch("SELECT sector, event FROM employer WHERE id = ?", [employer_id])
    if not rows:
        raise DomainError("not_found", "There is no such employer.")
    if fields["sector"] is None:
        fields["sector"] = rows[0]["sector"]
    async with db.transaction():
        vacancy_id = await insert_vacancy(employer_id, fields, wanted, description)
        await audit.record(actor, "vacancy.created", event_id=rows[0]["event"],
                           subject_type="vacancy", subject_id=vacancy_id,
                           changes=audit.changes({}, vacancy_audit(fields, wanted)))
    _forget_cached_vacancies()
    return vacancy_id


def vacancy_audit(fields: Mapping[str, Any], wanted: Mapping[str, tuple[int, bool]]
                  ) -> dict[str, Any]:
    """What the audit log keeps of a vacancy: its fields and "code:level" skills."""
    return {**fields, "competencies": competency_text(wanted)}


def competency_text(wanted: Mapping[str, tuple[int, bool]]) -> str:
    """"code:level;…" sorted, nice-to-have ones marked with "?" (one way to compare)."""
    return ";".join(f"{code}:{level}{'' if required else '?'}"
                    for code, (level, required) in sorted(wanted.items()))


async def insert_vacancy(employer_id: int, fields: Mapping[str, Any],
                         wanted: Mapping[str, tuple[int, bool]], description: str = "") -> int:
    """Write a checked vacancy and its competencies (the caller holds the transaction)."""
    db = current_engine()
    vacancy_id = (await db.fetch(
        "INSERT INTO vacancy (employer, title, description, sector, positions,"
        " hours_per_week, postcode) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [employer_id, fields["title"], description, fields["sector"] or "",
         fields["positions"], fields["hours_per_week"], fields["postcode"]]))[0]["id"]
    await _write_competencies(vacancy_id, wanted)
    return vacancy_id


async def _write_competencies(vacancy_id: int, wanted: Mapping[str, tuple[int, bool]]) -> None:
    """One INSERT for all of a vacancy's competencies (an import writes 2,000 of them: one
    round trip each made PostgreSQL the slow part)."""
    if not wanted:
        return
    args: list[Any] = []
    for code, (level, required) in wanted.items():
        args += [vacancy_id, code, level, required]
    await current_engine().fetch(
        "INSERT INTO vacancy_competency (vacancy, code, level, required) VALUES "
        + ", ".join(["(?, ?, ?, ?)"] * len(wanted)), args)


async def rewrite_vacancy(vacancy_id: int, fields: Mapping[str, Any],
                          wanted: Mapping[str, tuple[int, bool]] | None) -> None:
    """Store a checked vacancy's fields, and its competencies when ``wanted`` is given
    (they replace the old ones). The caller holds the transaction."""
    db = current_engine()
    await db.fetch("UPDATE vacancy SET title = ?, sector = ?, positions = ?, hours_per_week = ?,"
                   " postcode = ? WHERE id = ?",
                   [fields["title"], fields["sector"] or "", fields["positions"],
                    fields["hours_per_week"], fields["postcode"], vacancy_id])
    if wanted is not None:
        await db.fetch("DELETE FROM vacancy_competency WHERE vacancy = ?", [vacancy_id])
        await _write_competencies(vacancy_id, wanted)


VACANCY_FIELDS = ("title", "postcode", "sector", "positions", "hours_per_week")
# Whether the job fits people with a distance to the labour market (set from a job profile,
# event_ops/employers/job_profiles.py, or by the import); stored on the vacancy.
VACANCY_FLAGS = ("job_carving", "supported_employment", "training_on_the_job")


async def vacancies_of(employer_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The vacancies of these employers with their competencies (``wanted``: code →
    (level, required)), by title; with ``job_profile`` (the profile it was made from, or
    None) and the three distance-to-the-labour-market flags (``VACANCY_FLAGS``)."""
    if not employer_ids:
        return []
    db = current_engine()
    marks = ", ".join("?" * len(employer_ids))
    rows = await db.fetch(
        "SELECT id, employer, title, sector, positions, hours_per_week, postcode, job_profile,"
        " job_carving, supported_employment, training_on_the_job FROM vacancy"
        f" WHERE employer IN ({marks}) ORDER BY LOWER(title), id", list(employer_ids))
    for r in rows:
        for flag in VACANCY_FLAGS:
            r[flag] = bool(r[flag])
    wanted: dict[int, dict[str, tuple[int, bool]]] = {r["id"]: {} for r in rows}
    if rows:
        for c in await db.fetch(
                "SELECT vc.vacancy, vc.code, vc.level, vc.required FROM vacancy_competency vc"
                f" JOIN vacancy v ON v.id = vc.vacancy WHERE v.employer IN ({marks})",
                list(employer_ids)):
            wanted[c["vacancy"]][c["code"]] = (c["level"], bool(c["required"]))
    return [{**r, "wanted": wanted[r["id"]]} for r in rows]


async def vacancy_row(event_id: int, employer_id: int, vacancy_id: int) -> dict[str, Any]:
    await employer_row(event_id, employer_id)
    for row in await vacancies_of([employer_id]):
        if row["id"] == vacancy_id:
            return row
    raise DomainError("vacancy_not_found", "This employer has no such vacancy.")


async def update_vacancy(event_id: int, employer_id: int, vacancy_id: int,
                         changes: Mapping[str, Any], actor: str,
                         competencies: Sequence[Wanted] | None = None) -> dict[str, Any]:
    """Change a vacancy's fields (only the keys given) and, when ``competencies`` is given,
    replace its competencies. Audited with before → after; returns the vacancy."""
    before = await vacancy_row(event_id, employer_id, vacancy_id)
    merged = {k: changes.get(k, before[k]) for k in VACANCY_FIELDS}
    fields = check_vacancy_fields(**merged)
    wanted = (check_competencies(await competencies_by_code(), competencies)
              if competencies is not None else None)
    changed = audit.changes(vacancy_audit({k: before[k] for k in VACANCY_FIELDS},
                                          before["wanted"]),
                            vacancy_audit(fields, before["wanted"] if wanted is None
                                          else wanted))
    if changed:
        db = current_engine()
        async with db.transaction():
            await rewrite_vacancy(vacancy_id, fields, wanted)
            await audit.record(actor, "vacancy.updated", event_id=event_id,
                               subject_type="vacancy", subject_id=vacancy_id, changes=changed)
        _forget_cached_vacancies()
    return await vacancy_row(event_id, employer_id, vacancy_id)


async def remove_vacancy(event_id: int, employer_id: int, vacancy_id: int, actor: str) -> None:
    """Remove a vacancy; ``vacancy_in_use`` when an entry at the stand names it."""
    before = await vacancy_row(event_id, employer_id, vacancy_id)
    db = current_engine()
    async with db.transaction():
        if await db.fetch("SELECT 1 AS x FROM interest WHERE vacancy = ? LIMIT 1",
                          [vacancy_id]):
            raise DomainError("vacancy_in_use", "Entries at the stand name this vacancy;"
                              " it cannot be removed.")
        await db.fetch("DELETE FROM vacancy_competency WHERE vacancy = ?", [vacancy_id])
        await db.fetch("DELETE FROM vacancy WHERE id = ?", [vacancy_id])
        await audit.record(actor, "vacancy.removed", event_id=event_id, subject_type="vacancy",
                           subject_id=vacancy_id,
                           changes=audit.changes({"title": before["title"]}, {"title": None}))
    _forget_cached_vacancies()
