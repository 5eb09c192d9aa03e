"""Back office: organisations across events, an event's employers and their vacancies, and
the spreadsheet import (upload → preview → confirm). Server-rendered forms that work
without script; every change goes through ``event_ops.employers`` (checked and audited).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Response, Template

from app.api.auth import SESSION_COOKIE
from app.api.employers import IMPORT_BODY_LIMIT
from app.api.params import PathId
from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render, session_principal
from event_ops.access.accounts import events_for
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.employers import job_profiles, service
from event_ops.employers import organisations as orgs
from event_ops.employers.importer import import_employers
from event_ops.employers.spreadsheet import COLUMNS, template_csv, template_xlsx
from event_ops.employers.uploads import forget_upload, keep_upload, kept_upload
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.taxonomy.service import SECTOR_NAMES, SECTORS, competencies_by_code
from event_ops.types import parse_db_id

PERMISSION = "employers.manage"
PAGE_SIZE = 50


def _sectors(lang: str) -> list[tuple[str, str]]:
    return [(s, SECTOR_NAMES[s][1 if lang == "en" else 0]) for s in SECTORS]


def _problem(exc: DomainError, lang: str) -> dict[str, str]:
    """An error for the summary: the field it is about and the text people read."""
    return {"field": exc.field or "", "message": t(message_key_for(exc.code), lang)
            if message_key_for(exc.code) != "error.generic" else exc.message}


async def _caller(request: Request, event: Event | None = None) -> Principal | Redirect:
    return await page_caller(request, event.id if event else None, PERMISSION)


def _back(path: str, request: Request, **query: str) -> Redirect:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return Redirect(f"{path}?lang={page_language(request)}{extra}")


# ---- organisations ----------------------------------------------------------------------

async def _organisations_page(request: Request, *, status_code: int = 200,
                              errors: list[dict] | None = None,
                              values: dict | None = None) -> Template:
    query = request.query_params.get("q", "")
    page = max(parse_db_id(request.query_params.get("page", "1")) or 1, 1)
    total, rows = await orgs.search_organisations(query, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render(request, "backoffice/organisations.html", status_code=status_code,
                  bo_section="organisations", organisations=rows, total=total, q=query,
                  page=page, pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
                  errors=errors or [], values=values or {},
                  created=request.query_params.get("created"))


@get("/admin/organisations", name="bo_organisations", include_in_schema=False)
async def organisations_page(request: Request) -> Template | Redirect:
    principal = await _caller(request)
    if not isinstance(principal, Principal):
        return principal
    return await _organisations_page(request)


@post("/admin/organisations", name="bo_organisation_create", include_in_schema=False)
async def organisation_create(request: Request) -> Template | Redirect:
    principal = await _caller(request)
    if not isinstance(principal, Principal):
        return principal
    form = await request.form()
    values = {"name": str(form.get("name", "")), "kvk_number": str(form.get("kvk_number", ""))}
    try:
        org_id = await orgs.create_organisation(values["name"], values["kvk_number"],
                                                principal.actor)
    except DomainError as exc:
        return await _organisations_page(request, status_code=status_for(exc.code),
                                         errors=[_problem(exc, page_language(request))],
                                         values=values)
    return _back(f"/admin/organisations/{org_id}", request, saved="created")


async def _organisation_page(request: Request, org_id: PathId, *, status_code: int = 200,
                             errors: list[dict] | None = None, values: dict | None = None,
                             contact_values: dict | None = None) -> Template:
    organisation = await orgs.get_organisation(org_id)
    principal = await session_principal(request)
    took_part = await orgs.organisation_events(org_id)
    joined = {e["slug"] for e in took_part}
    # The events this account may add it to (and where it is not yet).
    open_events = [e for e in (await events_for(principal) if principal else [])
                   if e["slug"] not in joined]
    return render(request, "backoffice/organisation.html", status_code=status_code,
                  bo_section="organisations", organisation=organisation,
                  contacts=await orgs.contacts(org_id), open_events=open_events,
                  job_profiles=await job_profiles.list_profiles(org_id),
                  job_flags=job_profiles.FLAGS,
                  sectors=_sectors(page_language(request)),
                  events=took_part, errors=errors or [],
                  values=values or organisation, contact_values=contact_values or {},
                  saved=request.query_params.get("saved"))


@get("/admin/organisations/{org_id:int}", name="bo_organisation", include_in_schema=False)
async def organisation_page(request: Request, org_id: PathId) -> Template | Redirect:
    principal = await _caller(request)
    if not isinstance(principal, Principal):
        return principal
    return await _organisation_page(request, org_id)


@post("/admin/organisations/{org_id:int}", name="bo_organisation_save",
      include_in_schema=False)
async def organisation_save(request: Request, org_id: PathId) -> Template | Redirect:
    principal = await _caller(request)
    if not isinstance(principal, Principal):
        return principal
    form = await request.form()
    values = {"name": str(form.get("name", "")), "kvk_number": str(form.get("kvk_number", ""))}
    try:
        await orgs.update_organisation(org_id, values["name"], values["kvk_number"],
                                       principal.actor)
    except DomainError as exc:
        if exc.code == "organisation_not_found":
            raise
        return await _organisation_page(request, org_id, status_code=status_for(exc.code),
                                        errors=[_problem(exc, page_language(request))],
                                        values=values)
    return _back(f"/admin/organisations/{org_id}", request, saved="organisation")


@post("/admin/organisations/{org_id:int}/events", name="bo_organisation_join",
      include_in_schema=False)
async def organisation_join(request: Request, org_id: PathId) -> Template | Redirect:
    """Add this organisation to an event as an employer (from the organisation's page)."""
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("event", "stand", "sector", "contact_email")}
    if not values["event"]:
        principal = await _caller(request)
        if not isinstance(principal, Principal):
            return principal
        return await _organisation_page(request, org_id, status_code=422, errors=[{
            "field": "join_event", "message": t("emp.join.choose", page_language(request))}])
    found = await _event_and_caller(request, values["event"])
    if not isinstance(found, tuple):
        return found
    event, principal = found
    await orgs.get_organisation(org_id)
    try:
        employer = await service.add_employer(
            event, name="", organisation_id=org_id, stand_label=values["stand"],
            sector=values["sector"], contact_email=values["contact_email"],
            actor=principal.actor, once=True)
    except DomainError as exc:
        problem = _problem(exc, page_language(request))
        problem["field"] = "join_" + (problem["field"] or "event")
        return await _organisation_page(request, org_id, status_code=status_for(exc.code),
                                        errors=[problem])
    return _back(f"/admin/events/{event.slug}/employers/{employer.id}", request, done="added")


@post("/admin/organisations/{org_id:int}/contacts", name="bo_contact_add",
      include_in_schema=False)
async def contact_add(request: Request, org_id: PathId) -> Template | Redirect:
    principal = await _caller(request)
    if not isinstance(principal, Principal):
        return principal
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in orgs.CONTACT_FIELDS}
    try:
        await orgs.add_contact(org_id, values, principal.actor)
    except DomainError as exc:
        if exc.code == "organisation_not_found":
            raise
        problem = _problem(exc, page_language(request))
        problem["field"] = "contact_" + problem["field"] if problem["field"] else ""
        return await _organisation_page(request, org_id, status_code=status_for(exc.code),
                                        errors=[problem], contact_values=values)
    return _back(f"/admin/organisations/{org_id}", request, saved="contact")


@post("/admin/organisations/{org_id:int}/contacts/{contact_id:int}/remove",
      name="bo_contact_remove", include_in_schema=False)
async def contact_remove(request: Request, org_id: PathId, contact_id: PathId) -> Redirect:
    principal = await _caller(request)
    if not isinstance(principal, Principal):
        return principal
    await orgs.remove_contact(org_id, contact_id, principal.actor)
    return _back(f"/admin/organisations/{org_id}", request, saved="contact_removed")


# ---- an event's employers -----------------------------------------------------------------

async def _event_and_caller(request: Request, slug: str) -> tuple[Event, Principal] | Redirect:
    event = await get_event(slug)  # none: the 404 error page
    principal = await _caller(request, event)
    if not isinstance(principal, Principal):
        return principal
    return event, principal


async def _employers_page(request: Request, event: Event, *, status_code: int = 200,
                          errors: list[dict] | None = None,
                          values: dict | None = None) -> Template:
    lang = page_language(request)
    query = request.query_params.get("q", "")
    employers = await service.list_employers(event.id, query)
    return render(request, "backoffice/employers.html", status_code=status_code,
                  event=event, bo_section="employers", employers=employers, q=query,
                  sectors=_sectors(lang),
                  sector_names={s: n for s, n in _sectors(lang)},
                  errors=errors or [], values=values or {},
                  done=request.query_params.get("done", ""),
                  imported=request.query_params.get("imported", ""))


@get("/admin/events/{slug:str}/employers", name="bo_employers", include_in_schema=False)
async def employers_page(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _employers_page(request, found[0])


@post("/admin/events/{slug:str}/employers", name="bo_employer_add", include_in_schema=False)
async def employer_add(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("organisation_id", "name", "kvk_number",
                                                 "stand", "sector", "contact_email")}
    try:
        org_id = parse_db_id(values["organisation_id"]) if values["organisation_id"] else None
        if values["organisation_id"] and org_id is None:
            raise DomainError("organisation_not_found", "There is no such organisation.",
                              field="organisation_id")
        if org_id is None and not values["name"].strip():
            raise DomainError("bad_name", "Choose an organisation or type a new name.",
                              field="name")
        employer = await service.add_employer(
            event, name=values["name"], organisation_id=org_id, kvk_number=values["kvk_number"],
            stand_label=values["stand"], sector=values["sector"],
            contact_email=values["contact_email"], actor=principal.actor, once=True)
    except DomainError as exc:
        return await _employers_page(request, event, status_code=status_for(exc.code),
                                     errors=[_problem(exc, page_language(request))],
                                     values=values)
    return _back(f"/admin/events/{slug}/employers/{employer.id}", request, done="added")


async def _employer_page(request: Request, event: Event, employer_id: PathId, *,
                         status_code: int = 200, errors: list[dict] | None = None,
                         values: dict | None = None, vacancy_values: dict | None = None
                         ) -> Template:
    lang = page_language(request)
    employer = await service.employer_row(event.id, employer_id)
    vacancies = await service.vacancies_of([employer_id])
    known = await competencies_by_code()
    return render(request, "backoffice/employer.html", status_code=status_code, event=event,
                  bo_section="employers", employer=employer, vacancies=vacancies,
                  known=known, sectors=_sectors(lang),
                  sector_names={s: n for s, n in _sectors(lang)},
                  competency_groups=_groups(known, lang), errors=errors or [],
                  values=values or employer,
                  vacancy=vacancy_values or {"positions": 1, "wanted": {}},
                  done=request.query_params.get("done", ""))


def _groups(known: dict, lang: str) -> list[tuple[str, str, list]]:
    by_sector: dict[str, list] = {}
    for item in known.values():
        by_sector.setdefault(item.sector, []).append(item)
    return [(code, SECTOR_NAMES[code][1 if lang == "en" else 0],
             sorted(by_sector[code], key=lambda i: i.name(lang)))
            for code in (*SECTORS, "general") if by_sector.get(code)]


@get("/admin/events/{slug:str}/employers/{employer_id:int}", name="bo_employer",
     include_in_schema=False)
async def employer_page(request: Request, slug: str, employer_id: PathId) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _employer_page(request, found[0], employer_id)


@post("/admin/events/{slug:str}/employers/{employer_id:int}", name="bo_employer_save",
      include_in_schema=False)
async def employer_save(request: Request, slug: str, employer_id: PathId) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("stand", "sector", "contact_email")}
    try:
        await service.update_employer(event.id, employer_id, values, principal.actor)
    except DomainError as exc:
        if exc.code == "employer_not_found":
            raise
        employer = await service.employer_row(event.id, employer_id)
        return await _employer_page(request, event, employer_id,
                                    status_code=status_for(exc.code),
                                    errors=[_problem(exc, page_language(request))],
                                    values={**employer, **values})
    return _back(f"/admin/events/{slug}/employers/{employer_id}", request, done="saved")


@post("/admin/events/{slug:str}/employers/{employer_id:int}/remove",
      name="bo_employer_remove", include_in_schema=False)
async def employer_remove(request: Request, slug: str, employer_id: PathId) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    try:
        await service.remove_employer(event.id, employer_id, principal.actor)
    except DomainError as exc:
        if exc.code != "employer_in_use":
            raise
        return await _employer_page(request, event, employer_id,
                                    status_code=status_for(exc.code),
                                    errors=[_problem(exc, page_language(request))])
    return _back(f"/admin/events/{slug}/employers", request, done="removed")


# ---- vacancies ----------------------------------------------------------------------------

def _vacancy_form(form: Any) -> tuple[dict[str, Any], list[tuple[str, int | None, bool]]]:
    """The vacancy form's fields and its chosen competencies: (code, level, required)."""
    values: dict[str, Any] = {k: str(form.get(k, "")).strip()
                              for k in ("title", "postcode", "positions", "hours_per_week")}
    chosen = form.getall("competencies", [])
    nice = set(form.getall("nice", []))
    wanted = []
    for code in chosen:
        level = parse_db_id(str(form.get(f"level_{code}", "")))
        wanted.append((str(code), level, str(code) not in nice))
    values["wanted"] = {code: (level or 2, required) for code, level, required in wanted}
    return values, wanted


def _number(text: str, field: str, default: int | None) -> int | None:
    if not text:
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise DomainError("bad_vacancy", "Write a whole number.", field=field)
    return int(text)


async def _save_vacancy(event: Event, employer_id: PathId, vacancy_id: int | None, form: Any,
                        actor: str) -> dict[str, Any]:
    values, wanted = _vacancy_form(form)
    fields = {"title": values["title"], "postcode": values["postcode"],
              "positions": _number(values["positions"], "positions", 1),
              "hours_per_week": _number(values["hours_per_week"], "hours_per_week", None)}
    if vacancy_id is None:
        await service.employer_row(event.id, employer_id)
        await service.add_vacancy(employer_id, competencies=wanted, actor=actor, **fields)
    else:
        await service.update_vacancy(event.id, employer_id, vacancy_id, fields, actor,
                                     competencies=wanted)
    return values


@post("/admin/events/{slug:str}/employers/{employer_id:int}/vacancies",
      name="bo_vacancy_add", include_in_schema=False)
async def vacancy_add(request: Request, slug: str, employer_id: PathId) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    form = await request.form()
    try:
        await _save_vacancy(event, employer_id, None, form, principal.actor)
    except DomainError as exc:
        if exc.code in ("employer_not_found", "not_found"):
            raise
        values, _ = _vacancy_form(form)
        problem = _problem(exc, page_language(request))
        problem["field"] = "v_" + (problem["field"] or "title")
        return await _employer_page(request, event, employer_id,
                                    status_code=status_for(exc.code), errors=[problem],
                                    vacancy_values=values)
    return _back(f"/admin/events/{slug}/employers/{employer_id}", request,
                 done="vacancy_added")


async def _vacancy_page(request: Request, event: Event, employer_id: PathId, vacancy_id: PathId, *,
                        status_code: int = 200, errors: list[dict] | None = None,
                        values: dict | None = None) -> Template:
    lang = page_language(request)
    employer = await service.employer_row(event.id, employer_id)
    vacancy = await service.vacancy_row(event.id, employer_id, vacancy_id)
    known = await competencies_by_code()
    return render(request, "backoffice/vacancy.html", status_code=status_code, event=event,
                  bo_section="employers", employer=employer, vacancy_id=vacancy_id,
                  vacancy=values or vacancy, known=known,
                  competency_groups=_groups(known, lang), errors=errors or [])


@get("/admin/events/{slug:str}/employers/{employer_id:int}/vacancies/{vacancy_id:int}",
     name="bo_vacancy", include_in_schema=False)
async def vacancy_page(request: Request, slug: str, employer_id: PathId,
                       vacancy_id: PathId) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _vacancy_page(request, found[0], employer_id, vacancy_id)


@post("/admin/events/{slug:str}/employers/{employer_id:int}/vacancies/{vacancy_id:int}",
      name="bo_vacancy_save", include_in_schema=False)
async def vacancy_save(request: Request, slug: str, employer_id: PathId,
                       vacancy_id: PathId) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    form = await request.form()
    try:
        await _save_vacancy(event, employer_id, vacancy_id, form, principal.actor)
    except DomainError as exc:
        if exc.code in ("employer_not_found", "vacancy_not_found"):
            raise
        values, _ = _vacancy_form(form)
        problem = _problem(exc, page_language(request))
        problem["field"] = "v_" + (problem["field"] or "title")
        return await _vacancy_page(request, event, employer_id, vacancy_id,
                                   status_code=status_for(exc.code), errors=[problem],
                                   values=values)
    return _back(f"/admin/events/{slug}/employers/{employer_id}", request,
                 done="vacancy_saved")


@post("/admin/events/{slug:str}/employers/{employer_id:int}/vacancies/{vacancy_id:int}/remove",
      name="bo_vacancy_remove", include_in_schema=False)
async def vacancy_remove(request: Request, slug: str, employer_id: PathId,
                         vacancy_id: PathId) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    try:
        await service.remove_vacancy(event.id, employer_id, vacancy_id, principal.actor)
    except DomainError as exc:
        if exc.code != "vacancy_in_use":
            raise
        return await _employer_page(request, event, employer_id,
                                    status_code=status_for(exc.code),
                                    errors=[_problem(exc, page_language(request))])
    return _back(f"/admin/events/{slug}/employers/{employer_id}", request,
                 done="vacancy_removed")


# ---- the spreadsheet import ---------------------------------------------------------------

def _import_page(request: Request, event: Event, *, status_code: int = 200,
                 errors: list[dict] | None = None, result: Any = None,
                 upload_id: str = "", filename: str = "") -> Template:
    return render(request, "backoffice/employer_import.html", status_code=status_code,
                  event=event, bo_section="employers", errors=errors or [], result=result,
                  upload_id=upload_id, filename=filename, columns=COLUMNS)


@get("/admin/events/{slug:str}/employers/import", name="bo_import", include_in_schema=False)
async def import_form(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return _import_page(request, found[0])


@get(["/admin/events/{slug:str}/employers/template.csv",
      "/admin/events/{slug:str}/employers/template.xlsx"], name="bo_import_template",
     include_in_schema=False)
async def import_template(request: Request, slug: str) -> Response | Redirect:
    """The sheet to fill in, with example rows: CSV for Dutch Excel or XLSX."""
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    kind = request.url.path.rsplit(".", 1)[-1]
    if kind == "csv":
        body, media = template_csv(), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        body = template_xlsx()
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise DomainError("not_found", "There is no such template.")
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="werkgevers-sjabloon.{kind}"'})


@post("/admin/events/{slug:str}/employers/import", name="bo_import_upload",
      include_in_schema=False, request_max_body_size=IMPORT_BODY_LIMIT)
async def import_upload(request: Request, slug: str) -> Template | Redirect:
    """Check the uploaded sheet and show the preview: every row's problems, or what will
    be created and updated. Nothing is stored yet; the file is kept for the confirmation."""
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    lang = page_language(request)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _import_page(request, event, status_code=422,
                            errors=[{"field": "file", "message": t("error.import_no_file",
                                                                   lang)}])
    content = await upload.read()
    try:
        result = await import_employers(event, content, actor=principal.actor, dry_run=True)
    except DomainError as exc:
        return _import_page(request, event, status_code=status_for(exc.code),
                            errors=[{"field": "file",
                                     "message": t(message_key_for(exc.code), lang)}])
    if result.problems:
        return _import_page(request, event, status_code=422, result=result,
                            filename=upload.filename)
    upload_id = await keep_upload(event.id, request.cookies.get(SESSION_COOKIE, ""),
                                  upload.filename, content)
    return _import_page(request, event, result=result, upload_id=upload_id,
                        filename=upload.filename)


@post("/admin/events/{slug:str}/employers/import/confirm", name="bo_import_confirm",
      include_in_schema=False)
async def import_confirm(request: Request, slug: str) -> Template | Redirect:
    """Store the previewed sheet (checked again: all or nothing)."""
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    lang = page_language(request)
    upload_id = str((await request.form()).get("upload_id", ""))[:100]
    try:
        filename, content = await kept_upload(event.id, request.cookies.get(SESSION_COOKIE, ""),
                                              upload_id)
    except DomainError as exc:
        return _import_page(request, event, status_code=status_for(exc.code),
                            errors=[{"field": "file",
                                     "message": t(message_key_for(exc.code), lang)}])
    result = await import_employers(event, content, actor=principal.actor)
    if result.problems:  # the event changed since the preview
        return _import_page(request, event, status_code=422, result=result, filename=filename)
    await forget_upload(upload_id)
    return _back(f"/admin/events/{slug}/employers", request,
                 imported=f"{result.employers_created}.{result.employers_updated}."
                          f"{result.vacancies_created}.{result.vacancies_updated}")


ROUTES = [organisations_page, organisation_create, organisation_page, organisation_save,
          organisation_join, contact_add, contact_remove, employers_page, employer_add,
          employer_page, employer_save, employer_remove, vacancy_add, vacancy_page,
          vacancy_save, vacancy_remove, import_form, import_template, import_upload,
          import_confirm]
