"""Job profiles of an organisation (issue 18), kept across events, for organisers and for
the organisation's own contact persons (role ``employer_contact``, their portal session).

A contact person reaches only their own organisation: another organisation's id answers
404 ``organisation_not_found``, the same as an id that does not exist, so nothing tells
them which organisations exist. Every change is checked and audited in
``event_ops/employers/job_profiles.py``.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response, get, patch, post

from app.api.auth import api_router, requires
from app.api.employers import Skill, SkillOut
from app.api.params import PathId
from app.api.reports import XLSX, download
from event_ops.access.permissions import check
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.employers import job_profiles as jobs
from event_ops.employers.organisations import get_organisation
from event_ops.employers.vacancy_export import event_vacancies
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.reports.export import rows_to_csv, rows_to_xlsx

PERMISSION = "job_profiles.manage"


class JobProfileIn(msgspec.Struct, forbid_unknown_fields=True):
    title: str
    description: str = ""
    sector: str = ""
    postcode: str | None = None
    hours_per_week: int | None = None
    positions: int = 1
    job_carving: bool = False
    supported_employment: bool = False
    training_on_the_job: bool = False
    competencies: list[Skill] = []


class JobProfilePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change; ``competencies``, when sent, replace the old ones;
    ``archived`` archives the profile or brings it back."""

    title: str | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    sector: str | msgspec.UnsetType = msgspec.UNSET
    postcode: str | None | msgspec.UnsetType = msgspec.UNSET
    hours_per_week: int | None | msgspec.UnsetType = msgspec.UNSET
    positions: int | msgspec.UnsetType = msgspec.UNSET
    job_carving: bool | msgspec.UnsetType = msgspec.UNSET
    supported_employment: bool | msgspec.UnsetType = msgspec.UNSET
    training_on_the_job: bool | msgspec.UnsetType = msgspec.UNSET
    competencies: list[Skill] | msgspec.UnsetType = msgspec.UNSET
    archived: bool | msgspec.UnsetType = msgspec.UNSET


class UseIn(msgspec.Struct, forbid_unknown_fields=True):
    event: str  # the event's slug


class UsedAt(msgspec.Struct):
    event: str  # slug
    vacancy_id: int


class JobProfileOut(msgspec.Struct):
    id: int
    organisation_id: int
    title: str
    description: str
    sector: str
    postcode: str
    hours_per_week: int | None
    positions: int
    job_carving: bool
    supported_employment: bool
    training_on_the_job: bool
    archived: bool
    competencies: list[SkillOut]
    used_at: list[UsedAt]


def _out(row: dict[str, Any]) -> JobProfileOut:
    return JobProfileOut(
        id=row["id"], organisation_id=row["organisation"], title=row["title"],
        description=row["description"], sector=row["sector"], postcode=row["postcode"],
        hours_per_week=row["hours_per_week"], positions=row["positions"],
        job_carving=row["job_carving"], supported_employment=row["supported_employment"],
        training_on_the_job=row["training_on_the_job"], archived=row["archived"],
        competencies=[SkillOut(code, level, required)
                      for code, (level, required) in sorted(row["wanted"].items())],
        used_at=[UsedAt(e["slug"], e["vacancy_id"]) for e in row["events"]])


async def _organisation(principal: Principal, org_id: int) -> int:
    """The organisation of the URL, if this caller may reach it: a contact person only
    their own (another one is "not found", as if it did not exist)."""
    if principal.role == "employer_contact" and principal.organisation_id != org_id:
        raise DomainError("organisation_not_found", "There is no such organisation.")
    await get_organisation(org_id)
    return org_id


def _skills(skills: list[Skill]) -> list[tuple[str, int | None, bool]]:
    return [(s.code, s.level, s.required) for s in skills]


@get("/organisations/{org_id:int}/job-profiles", opt=requires(PERMISSION))
async def profiles_list(principal: Principal, org_id: PathId,
                        archived: bool | None = None) -> list[JobProfileOut]:
    """The organisation's job profiles by title (``?archived=false``: only those in use)."""
    await _organisation(principal, org_id)
    return [_out(r) for r in await jobs.list_profiles(org_id, archived=archived)]


@post("/organisations/{org_id:int}/job-profiles", status_code=201, opt=requires(PERMISSION))
async def profile_create(principal: Principal, org_id: PathId,
                         data: JobProfileIn) -> JobProfileOut:
    """A new job profile; competencies from the visitors' taxonomy with a level 1-4 and
    ``required`` (false: nice to have). Checked like a vacancy (422 naming the field)."""
    await _organisation(principal, org_id)
    values = {k: getattr(data, k) for k in jobs.PROFILE_FIELDS}
    profile_id = await jobs.create_profile(org_id, values, _skills(data.competencies),
                                           principal.actor)
    return _out(await jobs.get_profile(org_id, profile_id))


@get("/organisations/{org_id:int}/job-profiles/{profile_id:int}", opt=requires(PERMISSION))
async def profile_read(principal: Principal, org_id: PathId,
                       profile_id: PathId) -> JobProfileOut:
    await _organisation(principal, org_id)
    return _out(await jobs.get_profile(org_id, profile_id))


@patch("/organisations/{org_id:int}/job-profiles/{profile_id:int}", opt=requires(PERMISSION))
async def profile_update(principal: Principal, org_id: PathId, profile_id: PathId,
                         data: JobProfilePatch) -> JobProfileOut:
    """Change a profile; its vacancies at events that have not started change with it."""
    await _organisation(principal, org_id)
    changes = {k: v for k in data.__struct_fields__
               if (v := getattr(data, k)) is not msgspec.UNSET}
    archived = changes.pop("archived", None)
    skills = changes.pop("competencies", None)
    if changes or skills is not None:
        await jobs.update_profile(org_id, profile_id, changes, principal.actor,
                                  competencies=None if skills is None else _skills(skills))
    if archived is not None:
        await jobs.set_archived(org_id, profile_id, archived, principal.actor)
    return _out(await jobs.get_profile(org_id, profile_id))


@post("/organisations/{org_id:int}/job-profiles/{profile_id:int}/events", status_code=201,
      opt=requires(PERMISSION))
async def profile_use(principal: Principal, org_id: PathId, profile_id: PathId,
                      data: UseIn) -> UsedAt:
    """Make the event's vacancy from the profile, for the organisation's employer there:
    409 ``not_taking_part`` when it has none, ``job_profile_used`` when it is there
    already."""
    await _organisation(principal, org_id)
    await jobs.get_profile(org_id, profile_id)
    event = await get_event(data.event)
    if principal.role != "employer_contact":  # an organiser of that event
        check(principal, event.id, PERMISSION)
    vacancy_id = await jobs.use_at_event(org_id, profile_id, event.id, principal.actor)
    return UsedAt(event.slug, vacancy_id)


def _export_language(lang: str) -> str:
    return "en" if lang == "en" else "nl"


@get("/events/{slug:str}/vacancies.csv", opt=requires("employers.manage"))
async def vacancies_csv(event: Event, lang: str = "nl") -> Response:
    """The event's vacancies with their employer, competencies and the three
    distance-to-the-labour-market flags, for Excel with Dutch settings (";", UTF-8 with a
    BOM, Dutch headers; ``?lang=en``: English). Cells a spreadsheet would run are defused."""
    header, rows = await event_vacancies(event.id, _export_language(lang))
    return download(rows_to_csv(header, rows, delimiter=";"), "text/csv; charset=utf-8",
                    f"{event.slug}-vacancies.csv")


@get("/events/{slug:str}/vacancies.xlsx", opt=requires("employers.manage"))
async def vacancies_xlsx(event: Event, lang: str = "nl") -> Response:
    """The same table as an Excel workbook."""
    lang = _export_language(lang)
    header, rows = await event_vacancies(event.id, lang)
    return download(rows_to_xlsx(t("vacancy_export.sheet", lang), header, rows), XLSX,
                    f"{event.slug}-vacancies.xlsx")


ROUTER = api_router("/api/v1", [profiles_list, profile_create, profile_read, profile_update,
                                profile_use, vacancies_csv, vacancies_xlsx],
                    tags=["job profiles"])
