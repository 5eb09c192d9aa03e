"""Job profiles (issue 18): the jobs an organisation offers, kept across events.

A profile holds what a vacancy holds (title, description, sector, workplace postcode as
PC4, hours per week, positions, competencies from the visitors' taxonomy with a level and
required / nice to have) and three flags saying whether the job fits people with a distance
to the labour market (:data:`FLAGS`). Its fields are checked by the vacancy's own checks
(``service.check_vacancy_fields`` and ``service.check_competencies``): one rule for the back
office, the import, the API and the portal.

"Use at an event" copies a profile into that event's vacancy of the organisation's employer
(``vacancy.job_profile`` remembers where it came from). Changing a profile changes its
vacancies at events that have not started yet; vacancies of events that started or ended
keep what they were (that is what visitors and employers saw that day).

Every function takes the organisation: a profile of another organisation is
``job_profile_not_found``, whoever asks, so a contact person of organisation A never reads
or changes anything of organisation B.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.employers.organisations import get_organisation
from event_ops.employers.service import (
    VACANCY_FIELDS,
    VACANCY_FLAGS,
    Wanted,
    _forget_cached_vacancies,
    check_competencies,
    check_vacancy_fields,
    competency_text,
    insert_vacancy,
    rewrite_vacancy,
)
from event_ops.people.registration import CONTROL_RE
from event_ops.taxonomy.service import competencies_by_code

# Fits people with a distance to the labour market: the job can be carved out of other
# jobs (job carving), a job coach may support the worker at work (begeleid werken), and the
# worker learns the job while doing it (leren op de werkvloer).
FLAGS = VACANCY_FLAGS
PROFILE_FIELDS = (*VACANCY_FIELDS, "description", *FLAGS)
MAX_DESCRIPTION = 4000
_COLUMNS = ("id, organisation, title, description, sector, postcode, hours_per_week,"
            " positions, job_carving, supported_employment, training_on_the_job, archived_at,"
            " created_at, updated_at")


def check_profile(values: Mapping[str, Any]) -> dict[str, Any]:
    """A job profile's own fields, checked and cleaned (pure): the vacancy's checks
    (``bad_vacancy`` / ``bad_postcode`` / ``sector_unknown`` naming the field), a
    description of at most 4,000 characters, and the three flags as booleans. ``values``
    holds every key of :data:`PROFILE_FIELDS` (a missing flag is false)."""
    fields = check_vacancy_fields(
        title=str(values.get("title") or ""), postcode=values.get("postcode"),
        sector=values.get("sector") or "", positions=values.get("positions", 1),
        hours_per_week=values.get("hours_per_week"))
    fields["sector"] = fields["sector"] or ""
    description = "\n".join(line.rstrip() for line in
                            str(values.get("description") or "").strip().splitlines())
    if len(description) > MAX_DESCRIPTION or CONTROL_RE.search(description.replace("\n", " ")):
        raise DomainError("bad_vacancy", f"A description has at most {MAX_DESCRIPTION}"
                          " characters.", field="description")
    fields["description"] = description
    for flag in FLAGS:
        fields[flag] = bool(values.get(flag))
    return fields


def _row(row: dict[str, Any]) -> dict[str, Any]:
    for flag in FLAGS:
        row[flag] = bool(row[flag])
    row["archived"] = row["archived_at"] is not None
    return row


async def list_profiles(org_id: int, *, archived: bool | None = None) -> list[dict[str, Any]]:
    """The organisation's profiles by title, each with ``wanted`` (code → (level,
    required)) and ``events`` (the events where it is used: slug, name, starts_at,
    vacancy_id). ``archived``: None for all, else only those (not) archived."""
    db = current_engine()
    where = "organisation = ?"
    if archived is not None:
        where += " AND archived_at IS " + ("NOT NULL" if archived else "NULL")
    rows = [_row(r) for r in await db.fetch(
        f"SELECT {_COLUMNS} FROM job_profile WHERE {where} ORDER BY LOWER(title), id",
        [org_id])]
    if not rows:
        return []
    by_id = {r["id"]: {**r, "wanted": {}, "events": []} for r in rows}
    for c in await db.fetch(
            "SELECT c.job_profile, c.code, c.level, c.required FROM job_profile_competency c"
            " JOIN job_profile p ON p.id = c.job_profile WHERE p.organisation = ?", [org_id]):
        if c["job_profile"] in by_id:
            by_id[c["job_profile"]]["wanted"][c["code"]] = (c["level"], bool(c["required"]))
    for u in await db.fetch(
            "SELECT v.job_profile, v.id AS vacancy_id, ev.slug, ev.name, ev.starts_at"
            " FROM vacancy v JOIN employer e ON e.id = v.employer JOIN event ev ON ev.id = e.event"
            " JOIN job_profile p ON p.id = v.job_profile WHERE p.organisation = ?"
            " ORDER BY ev.starts_at", [org_id]):
        if u["job_profile"] in by_id:
            by_id[u["job_profile"]]["events"].append(u)
    return list(by_id.values())


async def get_profile(org_id: int, profile_id: int) -> dict[str, Any]:
    """One profile of this organisation; ``job_profile_not_found`` for another's."""
    for row in await list_profiles(org_id):
        if row["id"] == profile_id:
            return row
    raise DomainError("job_profile_not_found", "Your organisation has no such job profile.")


async def _write_competencies(profile_id: int, wanted: Mapping[str, tuple[int, bool]]) -> None:
    db = current_engine()
    await db.fetch("DELETE FROM job_profile_competency WHERE job_profile = ?", [profile_id])
    if not wanted:
        return
    args: list[Any] = []
    for code, (level, required) in wanted.items():
        args += [profile_id, code, level, required]
    await db.fetch("INSERT INTO job_profile_competency (job_profile, code, level, required)"
                   " VALUES " + ", ".join(["(?, ?, ?, ?)"] * len(wanted)), args)


def _audit_values(fields: Mapping[str, Any], wanted: Mapping[str, tuple[int, bool]]
                  ) -> dict[str, Any]:
    # The description is free text of the employer: the log keeps only its length.
    kept = {k: v for k, v in fields.items() if k != "description"}
    kept["description_length"] = len(fields.get("description") or "")
    return {**kept, "competencies": competency_text(wanted)}


async def create_profile(org_id: int, values: Mapping[str, Any],
                         competencies: Sequence[Wanted], actor: str) -> int:
    """A new profile of this organisation; returns its id. Audited
    (``job_profile.created``)."""
    await get_organisation(org_id)
    fields = check_profile(values)
    wanted = check_competencies(await competencies_by_code(), competencies)
    now = clock.now()
    db = current_engine()
    async with db.transaction():
        profile_id = (await db.fetch(
            "INSERT INTO job_profile (organisation, title, description, sector, postcode,"
            " hours_per_week, positions, job_carving, supported_employment,"
            " training_on_the_job, archived_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) RETURNING id",
            [org_id, fields["title"], fields["description"], fields["sector"],
             fields["postcode"], fields["hours_per_week"], fields["positions"],
             *(fields[f] for f in FLAGS), now, now]))[0]["id"]
        await _write_competencies(profile_id, wanted)
        await audit.record(actor, "job_profile.created", subject_type="job_profile",
                           subject_id=profile_id,
                           changes=audit.changes({}, {"organisation": org_id,
                                                      **_audit_values(fields, wanted)}))
    return profile_id


async def _copy_to_vacancy(vacancy_id: int, fields: Mapping[str, Any],
                           wanted: Mapping[str, tuple[int, bool]]) -> None:
    """The profile's fields onto one vacancy (the caller holds the transaction)."""
    await rewrite_vacancy(vacancy_id, fields, wanted)
    await current_engine().fetch(
        "UPDATE vacancy SET description = ?, job_carving = ?, supported_employment = ?,"
        " training_on_the_job = ? WHERE id = ?",
        [fields["description"], *(fields[f] for f in FLAGS), vacancy_id])


async def update_profile(org_id: int, profile_id: int, changes: Mapping[str, Any],
                         actor: str, competencies: Sequence[Wanted] | None = None
                         ) -> dict[str, Any]:
    """Change a profile (only the keys given; ``competencies``, when given, replace the
    old ones), then its vacancies at events that have not started (``starts_at`` after
    now). Audited: ``job_profile.updated`` with before → after and ``vacancy.updated`` for
    each vacancy changed. Returns the profile with ``updated_vacancies`` (how many)."""
    before = await get_profile(org_id, profile_id)
    fields = check_profile({k: changes.get(k, before[k]) for k in PROFILE_FIELDS})
    wanted = (check_competencies(await competencies_by_code(), competencies)
              if competencies is not None else before["wanted"])
    changed = audit.changes(
        _audit_values({k: before[k] for k in PROFILE_FIELDS}, before["wanted"]),
        _audit_values(fields, wanted))
    if not changed:
        return {**before, "updated_vacancies": 0}
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        await db.fetch(
            "UPDATE job_profile SET title = ?, description = ?, sector = ?, postcode = ?,"
            " hours_per_week = ?, positions = ?, job_carving = ?, supported_employment = ?,"
            " training_on_the_job = ?, updated_at = ? WHERE id = ? AND organisation = ?",
            [fields["title"], fields["description"], fields["sector"], fields["postcode"],
             fields["hours_per_week"], fields["positions"], *(fields[f] for f in FLAGS),
             now, profile_id, org_id])
        await _write_competencies(profile_id, wanted)
        await audit.record(actor, "job_profile.updated", subject_type="job_profile",
                           subject_id=profile_id, changes=changed)
        linked = await db.fetch(
            "SELECT v.id, e.event FROM vacancy v JOIN employer e ON e.id = v.employer"
            " JOIN event ev ON ev.id = e.event WHERE v.job_profile = ? AND ev.starts_at > ?",
            [profile_id, now])
        for vacancy in linked:
            await _copy_to_vacancy(vacancy["id"], fields, wanted)
            await audit.record(actor, "vacancy.updated", event_id=vacancy["event"],
                               subject_type="vacancy", subject_id=vacancy["id"],
                               changes={**changed, "job_profile": [profile_id, profile_id]})
    if linked:
        _forget_cached_vacancies()
    return {**await get_profile(org_id, profile_id), "updated_vacancies": len(linked)}


async def set_archived(org_id: int, profile_id: int, archived: bool, actor: str) -> None:
    """Archive a profile (it can no longer be added to events; its vacancies stay) or
    bring it back. Audited (``job_profile.archived`` / ``job_profile.restored``)."""
    before = await get_profile(org_id, profile_id)
    if before["archived"] == archived:
        return
    db = current_engine()
    async with db.transaction():
        await db.fetch("UPDATE job_profile SET archived_at = ?, updated_at = ? WHERE id = ?",
                       [clock.now() if archived else None, clock.now(), profile_id])
        await audit.record(actor, "job_profile.archived" if archived else "job_profile.restored",
                           subject_type="job_profile", subject_id=profile_id,
                           changes=audit.changes({"archived": not archived},
                                                 {"archived": archived}))


async def employer_at(org_id: int, event_id: int) -> int:
    """The organisation's employer at this event; ``not_taking_part`` when it has none
    (the organiser adds it, or approves its application)."""
    rows = await current_engine().fetch(
        "SELECT id FROM employer WHERE event = ? AND organisation = ? ORDER BY id LIMIT 1",
        [event_id, org_id])
    if not rows:
        raise DomainError("not_taking_part",
                          "Your organisation does not take part in this event.", field="event")
    return int(rows[0]["id"])


async def use_at_event(org_id: int, profile_id: int, event_id: int, actor: str) -> int:
    """Make the event's vacancy from this profile, for the organisation's employer there;
    returns the vacancy's id. ``job_profile_archived`` for an archived profile,
    ``job_profile_used`` when that event has it already. Audited (``vacancy.created``)."""
    profile = await get_profile(org_id, profile_id)
    if profile["archived"]:
        raise DomainError("job_profile_archived",
                          "This job profile is archived; bring it back first.", field="event")
    employer_id = await employer_at(org_id, event_id)
    db = current_engine()
    async with db.transaction():
        if db.engine_type == "postgres":  # two clicks at once: one vacancy
            await db.fetch("SELECT id FROM employer WHERE id = ? FOR UPDATE", [employer_id])
        if await db.fetch("SELECT id FROM vacancy WHERE employer = ? AND job_profile = ?",
                          [employer_id, profile_id]):
            raise DomainError("job_profile_used",
                              "This job profile is already a vacancy at this event.",
                              field="event")
        fields = {k: profile[k] for k in PROFILE_FIELDS}
        vacancy_id = await insert_vacancy(employer_id, fields, profile["wanted"],
                                          profile["description"])
        await db.fetch(
            "UPDATE vacancy SET job_profile = ?, job_carving = ?, supported_employment = ?,"
            " training_on_the_job = ? WHERE id = ?",
            [profile_id, *(profile[f] for f in FLAGS), vacancy_id])
        await audit.record(actor, "vacancy.created", event_id=event_id,
                           subject_type="vacancy", subject_id=vacancy_id,
                           changes=audit.changes({}, {"job_profile": profile_id,
                                                      **_audit_values(fields,
                                                                      profile["wanted"])}))
    _forget_cached_vacancies()
    return vacancy_id


async def open_events(org_id: int) -> list[dict[str, Any]]:
    """The events the organisation takes part in that have not started, soonest first
    (where its profiles can be used and still follow changes)."""
    return await current_engine().fetch(
        "SELECT ev.id, ev.slug, ev.name, ev.starts_at FROM employer e"
        " JOIN event ev ON ev.id = e.event WHERE e.organisation = ? AND ev.starts_at > ?"
        " GROUP BY ev.id, ev.slug, ev.name, ev.starts_at ORDER BY ev.starts_at",
        [org_id, clock.now()])
