"""Employers, their vacancies and the spreadsheet import of one event (organisers).

``POST /api/v1/events/{slug}/employers/import`` is the contract's (v1.1): a multipart form
with ``file`` (CSV or XLSX), ``?dry_run=true`` stores nothing; 200 with the counts, or 422
with the same body when ``errors`` is not empty (then nothing was stored).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, delete, get, patch, post
from litestar.enums import MediaType

from app.api.auth import api_router, requires
from app.api.params import PathId
from app.errors import status_for
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.employers import service
from event_ops.employers.importer import import_employers
from event_ops.employers.spreadsheet import MAX_BYTES
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.types import DbId

# The form around the file (boundary, field names) needs a little room above the file.
IMPORT_BODY_LIMIT = MAX_BYTES + 64 * 1024


class EmployerOut(msgspec.Struct):
    id: int
    name: str
    stand: str
    sector: str
    contact_email: str
    organisation_id: int | None
    kvk_number: str | None
    vacancies: int = 0


class EmployerIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new employer: an existing organisation (``organisation_id``), or one found or made
    by ``kvk_number`` and ``name``."""

    name: str = ""
    stand: str | None = None
    sector: str = ""
    contact_email: str | None = None
    kvk_number: str | None = None
    organisation_id: DbId | None = None
    is_training_provider: bool = False


class EmployerPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change."""

    stand: str | None | msgspec.UnsetType = msgspec.UNSET
    sector: str | None | msgspec.UnsetType = msgspec.UNSET
    contact_email: str | None | msgspec.UnsetType = msgspec.UNSET
    is_training_provider: bool | msgspec.UnsetType = msgspec.UNSET


class Skill(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    level: int | None = None  # 1-4; none: the taxonomy's level
    required: bool = True


class VacancyIn(msgspec.Struct, forbid_unknown_fields=True):
    title: str
    postcode: str | None = None
    sector: str | None = None
    positions: int = 1
    hours_per_week: int | None = None
    competencies: list[Skill] = []


class VacancyPatch(msgspec.Struct, forbid_unknown_fields=True):
    title: str | msgspec.UnsetType = msgspec.UNSET
    postcode: str | None | msgspec.UnsetType = msgspec.UNSET
    sector: str | None | msgspec.UnsetType = msgspec.UNSET
    positions: int | msgspec.UnsetType = msgspec.UNSET
    hours_per_week: int | None | msgspec.UnsetType = msgspec.UNSET
    competencies: list[Skill] | msgspec.UnsetType = msgspec.UNSET


class SkillOut(msgspec.Struct):
    code: str
    level: int
    required: bool


class VacancyOut(msgspec.Struct):
    id: int
    employer_id: int
    title: str
    postcode: str
    sector: str
    positions: int
    hours_per_week: int | None
    competencies: list[SkillOut]
    # The job profile it was made from (None: made here or by an import) and whether the
    # job fits people with a distance to the labour market (event_ops/employers/job_profiles.py).
    job_profile_id: int | None = None
    job_carving: bool = False
    supported_employment: bool = False
    training_on_the_job: bool = False


def _employer_out(row: dict[str, Any]) -> EmployerOut:
    return EmployerOut(id=row["id"], name=row["name"], stand=row["stand"] or "",
                       sector=row["sector"], contact_email=row["contact_email"],
                       organisation_id=row["organisation"], kvk_number=row["kvk_number"],
                       vacancies=row.get("vacancies", 0))


def _vacancy_out(row: dict[str, Any]) -> VacancyOut:
    return VacancyOut(
        id=row["id"], employer_id=row["employer"], title=row["title"],
        postcode=row["postcode"], sector=row["sector"], positions=row["positions"],
        hours_per_week=row["hours_per_week"],
        competencies=[SkillOut(code, level, required)
                      for code, (level, required) in sorted(row["wanted"].items())],
        job_profile_id=row.get("job_profile"), job_carving=bool(row.get("job_carving")),
        supported_employment=bool(row.get("supported_employment")),
        training_on_the_job=bool(row.get("training_on_the_job")))


def _set(struct: msgspec.Struct) -> dict[str, Any]:
    return {k: v for k in struct.__struct_fields__
            if (v := getattr(struct, k)) is not msgspec.UNSET}


@get("/events/{slug:str}/employers", opt=requires("employers.manage"))
async def employers_list(event: Event, q: str = "") -> list[EmployerOut]:
    """The event's employers by name, with stand, sector and number of vacancies."""
    return [_employer_out(r) for r in await service.list_employers(event.id, q)]


@post("/events/{slug:str}/employers", status_code=201, opt=requires("employers.manage"))
async def employer_create(event: Event, principal: Principal, data: EmployerIn) -> EmployerOut:
    """Add an employer to the event (audited)."""
    employer = await service.add_employer(
        event, name=data.name, stand_label=data.stand, sector=data.sector,
        contact_email=data.contact_email, kvk_number=data.kvk_number,
        organisation_id=data.organisation_id, is_training_provider=data.is_training_provider,
        actor=principal.actor, once=True)
    return _employer_out(await service.employer_row(event.id, employer.id))


@patch("/events/{slug:str}/employers/{employer_id:int}", opt=requires("employers.manage"))
async def employer_update(event: Event, principal: Principal, employer_id: PathId,
                          data: EmployerPatch) -> EmployerOut:
    """Change stand, sector, contact e-mail or the training-provider flag (audited with
    before → after)."""
    row = await service.update_employer(event.id, employer_id, _set(data), principal.actor)
    return _employer_out(row)


@delete("/events/{slug:str}/employers/{employer_id:int}", status_code=204,
        opt=requires("employers.manage"))
async def employer_remove(event: Event, principal: Principal, employer_id: PathId) -> None:
    """Take an employer off the event; 409 ``employer_in_use`` once it has entries."""
    await service.remove_employer(event.id, employer_id, principal.actor)


@get("/events/{slug:str}/employers/{employer_id:int}/vacancies",
     opt=requires("employers.manage"))
async def vacancies_list(event: Event, employer_id: PathId) -> list[VacancyOut]:
    await service.employer_row(event.id, employer_id)
    return [_vacancy_out(v) for v in await service.vacancies_of([employer_id])]


@post("/events/{slug:str}/employers/{employer_id:int}/vacancies", status_code=201,
      opt=requires("employers.manage"))
async def vacancy_create(event: Event, principal: Principal, employer_id: PathId,
                         data: VacancyIn) -> VacancyOut:
    """Add a vacancy with competencies from the taxonomy and their levels (audited)."""
    await service.employer_row(event.id, employer_id)
    vacancy_id = await service.add_vacancy(
        employer_id, title=data.title, postcode=data.postcode, sector=data.sector,
        positions=data.positions, hours_per_week=data.hours_per_week,
        competencies=[(s.code, s.level, s.required) for s in data.competencies],
        actor=principal.actor)
    return _vacancy_out(await service.vacancy_row(event.id, employer_id, vacancy_id))


@patch("/events/{slug:str}/employers/{employer_id:int}/vacancies/{vacancy_id:int}",
       opt=requires("employers.manage"))
async def vacancy_update(event: Event, principal: Principal, employer_id: PathId,
                         vacancy_id: PathId, data: VacancyPatch) -> VacancyOut:
    """Change a vacancy; ``competencies``, when sent, replace the old ones (audited)."""
    changes = _set(data)
    skills = changes.pop("competencies", None)
    row = await service.update_vacancy(
        event.id, employer_id, vacancy_id, changes, principal.actor,
        competencies=None if skills is None else [(s.code, s.level, s.required)
                                                  for s in skills])
    return _vacancy_out(row)


@delete("/events/{slug:str}/employers/{employer_id:int}/vacancies/{vacancy_id:int}",
        status_code=204, opt=requires("employers.manage"))
async def vacancy_remove(event: Event, principal: Principal, employer_id: PathId,
                         vacancy_id: PathId) -> None:
    await service.remove_vacancy(event.id, employer_id, vacancy_id, principal.actor)


def _api_language(request: Request) -> str:
    """Messages in English for integrations, in Dutch when asked (``?lang=nl`` or an
    Accept-Language starting with nl)."""
    asked = request.query_params.get("lang") or ""
    if asked in ("nl", "en"):
        return asked
    return "nl" if request.headers.get("accept-language", "").lower().startswith("nl") else "en"


def _file_problem(code: str, lang: str) -> Response:
    """A file that is no sheet at all: the contract's error shape and the import's shape
    at once (``errors`` with one entry for row 1), so both kinds of client read it."""
    message = t(f"error.{code}", lang)
    return Response({"error": code, "detail": message, "employers_created": 0,
                     "employers_updated": 0, "vacancies_created": 0, "vacancies_updated": 0,
                     "errors": [{"row": 1, "column": "", "message": message}]},
                    status_code=status_for(code), media_type=MediaType.JSON)


@post("/events/{slug:str}/employers/import", opt=requires("employers.manage"),
      request_max_body_size=IMPORT_BODY_LIMIT, status_code=200)
async def employers_import(request: Request, event: Event, principal: Principal,
                           dry_run: bool = False) -> Response:
    """Import employers and vacancies from a spreadsheet (multipart ``file``, CSV or XLSX).
    Columns: ``name``, ``stand``, ``sector``, ``email``, ``vacancy_title``,
    ``vacancy_postcode``, ``vacancy_positions``, ``skills`` ("code" or "code:level"
    separated by ``;``), and optionally ``kvk``, ``vacancy_hours``, ``nice_skills``. One row
    per vacancy. All or nothing: 422 with every row's problems and nothing stored; the same
    sheet again updates and creates nothing new."""
    lang = _api_language(request)
    content_type, _ = request.content_type
    upload = (await request.form()).get("file") if content_type.startswith(
        ("multipart/", "application/x-www-form-urlencoded")) else None
    if upload is None or isinstance(upload, str):
        return _file_problem("import_no_file", lang)
    content = await upload.read()
    try:
        result = await import_employers(event, content, actor=principal.actor,
                                        dry_run=dry_run)
    except DomainError as exc:
        if exc.code.startswith("import_"):
            return _file_problem(exc.code, lang)
        raise
    return Response(result.summary(lang), status_code=422 if result.problems else 200,
                    media_type=MediaType.JSON)


ROUTER = api_router("/api/v1", [employers_list, employer_create, employer_update,
                                employer_remove, vacancies_list, vacancy_create, vacancy_update,
                                vacancy_remove, employers_import], tags=["employers"])
