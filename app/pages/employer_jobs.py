"""The employer portal's job profiles (issue 18): a contact person lists, makes, changes
and archives their organisation's job profiles and adds them to events their organisation
takes part in. Server-rendered forms that work without script, CSRF-checked like every
form.

Scoped to the contact's organisation: every profile is read with the organisation of the
session (``event_ops/employers/job_profiles.py``), so another organisation's profile is
404 ``job_profile_not_found`` and its events are ``not_taking_part``. Every change is
audited there."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.api.params import PathId
from app.errors import message_key_for, status_for
from app.pages.backoffice.employers import _groups, _number, _vacancy_form
from app.pages.common import page_language, render
from app.pages.employer_portal import NO_STORE, _contact, _sectors
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.employers import job_profiles as jobs
from event_ops.employers import organisations as orgs
from event_ops.events.service import get_event
from event_ops.i18n import t
from event_ops.taxonomy.service import competencies_by_code

_DONE = {"created", "saved", "archived_done", "restored_done"}


def _form_values(form: Any) -> tuple[dict[str, Any], list[tuple[str, int | None, bool]]]:
    """What the form sent, as it was typed (shown again on an error: nothing is lost),
    and the chosen competencies (the back office's vacancy picker, the same fields)."""
    values, wanted = _vacancy_form(form)
    values["description"] = str(form.get("description", ""))
    values["sector"] = str(form.get("sector", "")).strip()
    for flag in jobs.FLAGS:
        values[flag] = bool(form.get(flag))
    return values, wanted


def _problem(exc: DomainError, lang: str) -> dict[str, str]:
    """The error summary's entry: the field's id on the form and a text naming it."""
    field = exc.field or "title"
    key = f"jobs.field.{field}"
    message = t(key, lang)
    return {"field": field if field in ("description", "sector", "event") else "v_" + field,
            "message": message if message != key else exc.message}


async def _list_page(request: Request, principal: Principal, *, status_code: int = 200,
                     errors: list[dict] | None = None, notice: str = "") -> Template:
    assert principal.organisation_id is not None
    org_id = principal.organisation_id
    profiles = await jobs.list_profiles(org_id)
    page = render(request, "employer_jobs.html", status_code=status_code, principal=principal,
                  organisation=await orgs.get_organisation(org_id),
                  active=[p for p in profiles if not p["archived"]],
                  archived=[p for p in profiles if p["archived"]],
                  open_events=await jobs.open_events(org_id), flags=jobs.FLAGS,
                  errors=errors or [], notice=notice)
    page.headers.update(NO_STORE)
    return page


async def _form_page(request: Request, principal: Principal, profile_id: int | None, *,
                     values: dict[str, Any] | None = None, status_code: int = 200,
                     errors: list[dict] | None = None, notice: str = "") -> Template:
    assert principal.organisation_id is not None
    lang = page_language(request)
    profile = (await jobs.get_profile(principal.organisation_id, profile_id)
               if profile_id is not None else None)
    known = await competencies_by_code()
    page = render(request, "employer_job.html", status_code=status_code, profile=profile,
                  profile_id=profile_id, vacancy=values or profile or {"positions": 1},
                  known=known, competency_groups=_groups(known, lang),
                  sectors=_sectors(lang), flags=jobs.FLAGS, errors=errors or [],
                  notice=notice)
    page.headers.update(NO_STORE)
    return page


def _back(request: Request, path: str = "/employer/jobs", **query: str) -> Redirect:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return Redirect(f"{path}?lang={page_language(request)}{extra}")


@get("/employer/jobs", name="employer_jobs", include_in_schema=False)
async def jobs_page(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    done = request.query_params.get("done", "")
    lang = page_language(request)
    notice = ""
    if done in _DONE:
        notice = t(f"jobs.{done}", lang)
    elif done == "used":
        notice = t("jobs.used_done", lang, event=request.query_params.get("event", "")[:200])
    return await _list_page(request, principal, notice=notice)


@get("/employer/jobs/new", name="employer_job_new", include_in_schema=False)
async def job_new(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    return await _form_page(request, principal, None)


async def _save(principal: Principal, profile_id: int | None, form: Any) -> tuple[int, int]:
    """Create or change the profile from the form; (its id, vacancies changed with it)."""
    assert principal.organisation_id is not None
    values, wanted = _form_values(form)
    fields = {"title": values["title"], "postcode": values["postcode"],
              "sector": values["sector"], "description": values["description"],
              "positions": _number(values["positions"], "positions", 1),
              "hours_per_week": _number(values["hours_per_week"], "hours_per_week", None),
              **{f: values[f] for f in jobs.FLAGS}}
    if profile_id is None:
        return await jobs.create_profile(principal.organisation_id, fields, wanted,
                                         principal.actor), 0
    row = await jobs.update_profile(principal.organisation_id, profile_id, fields,
                                    principal.actor, competencies=wanted)
    return profile_id, int(row["updated_vacancies"])


async def _submit(request: Request, profile_id: int | None) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    assert principal.organisation_id is not None
    if profile_id is not None:  # another organisation's: 404 before reading the form
        await jobs.get_profile(principal.organisation_id, profile_id)
    form = await request.form()
    try:
        new_id, followed = await _save(principal, profile_id, form)
    except DomainError as exc:
        if exc.code in ("job_profile_not_found", "organisation_not_found"):
            raise
        values, _ = _form_values(form)
        return await _form_page(request, principal, profile_id, values=values,
                                status_code=status_for(exc.code),
                                errors=[_problem(exc, page_language(request))])
    if profile_id is None:
        return _back(request, f"/employer/jobs/{new_id}", done="created")
    return _back(request, f"/employer/jobs/{new_id}", done="saved", n=str(followed))


@post("/employer/jobs", name="employer_job_create", include_in_schema=False)
async def job_create(request: Request) -> Template | Redirect:
    return await _submit(request, None)


@get("/employer/jobs/{profile_id:int}", name="employer_job", include_in_schema=False)
async def job_page(request: Request, profile_id: PathId) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    done = request.query_params.get("done", "")
    notice = ""
    if done == "created":
        notice = t("jobs.created", lang)
    elif done == "saved":
        n = request.query_params.get("n", "0")
        notice = (t("jobs.saved_n", lang, n=n) if n.isdigit() and n != "0"
                  else t("jobs.saved", lang))
    return await _form_page(request, principal, profile_id, notice=notice)


@post("/employer/jobs/{profile_id:int}", name="employer_job_save", include_in_schema=False)
async def job_save(request: Request, profile_id: PathId) -> Template | Redirect:
    return await _submit(request, profile_id)


@post("/employer/jobs/{profile_id:int}/archive", name="employer_job_archive",
      include_in_schema=False)
async def job_archive(request: Request, profile_id: PathId) -> Template | Redirect:
    """Archive the profile, or (``restore=yes``) bring it back."""
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    assert principal.organisation_id is not None
    form = await request.form()
    restore = form.get("restore") == "yes"
    await jobs.set_archived(principal.organisation_id, profile_id, not restore,
                            principal.actor)
    return _back(request, done="restored_done" if restore else "archived_done")


@post("/employer/jobs/{profile_id:int}/use", name="employer_job_use", include_in_schema=False)
async def job_use(request: Request, profile_id: PathId) -> Template | Redirect:
    """Make the chosen event's vacancy from the profile (only events the organisation takes
    part in: another event is ``not_taking_part``, shown on the list)."""
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    assert principal.organisation_id is not None
    await jobs.get_profile(principal.organisation_id, profile_id)
    form = await request.form()
    slug = str(form.get("event", "")).strip()
    lang = page_language(request)
    try:
        if not slug:
            raise DomainError("not_taking_part", "Choose an event.", field="event")
        try:
            event = await get_event(slug)
        except DomainError as exc:
            raise DomainError("not_taking_part", "Choose an event.", field="event") from exc
        await jobs.use_at_event(principal.organisation_id, profile_id, event.id,
                                principal.actor)
    except DomainError as exc:
        if exc.code == "job_profile_not_found":
            raise
        message = t(message_key_for(exc.code), lang)
        return await _list_page(request, principal, status_code=status_for(exc.code),
                                errors=[{"field": f"event-{profile_id}", "message": message}])
    return _back(request, done="used", event=quote(event.name))


ROUTES = [jobs_page, job_new, job_create, job_page, job_save, job_archive, job_use]
