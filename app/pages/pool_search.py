"""The candidate pool in the employer portal (issue 18): search, a result's card, asking for
contact and the organisation's own requests. Server-rendered; the search is a GET form (a
search changes nothing, so it can be bookmarked and needs no CSRF token).

Every page is for a logged-in contact person (role ``employer_contact``) of an approved
organisation only, and shows that organisation's requests only. Results are anonymous
(``event_ops/pool/search.py``); every results page and every card is audited there."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.pages.common import page_language, render, session_principal
from event_ops.access import contacts
from event_ops.access.permissions import check
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.i18n import t
from event_ops.matching.engine import EDUCATION_RANK
from event_ops.people.registration import AVAILABILITY
from event_ops.pool import search
from event_ops.pool.requests import request_contact
from event_ops.pool.rules import today
from event_ops.taxonomy.service import SECTOR_NAMES, SECTORS, competencies_by_code

PERMISSION = "pool.search"
NO_STORE = {"Cache-Control": "no-store"}
FORM_ROWS = 3  # competency rows on the form
# What request_contact refuses that the person can put right at the form (the status each).
ASK_ERRORS = {"pool_bad_request": 422, "pool_request_open": 409}


async def pool_caller(request: Request) -> Principal | Redirect:
    """The logged-in contact person of an approved organisation, or the redirect to the
    employer login; ``forbidden`` for anyone else (staff, or an organisation that takes
    part in no event)."""
    principal = await session_principal(request)
    if principal is None:
        return Redirect(f"/employer/login?lang={page_language(request)}")
    check(principal, None, PERMISSION)
    principal = contacts.require_contact(principal)
    assert principal.organisation_id is not None
    if not await search.may_search(principal.organisation_id):
        raise DomainError("forbidden", "Only approved employers search the pool.")
    return principal


async def _lookups(lang: str) -> dict[str, Any]:
    """Names for codes: competencies, sectors, education levels, availability."""
    names = {code: item.name(lang) for code, item in (await competencies_by_code()).items()}
    return {
        "competency_names": names,
        "competency_options": sorted(names.items(), key=lambda kv: kv[1].lower()),
        "sector_options": [(s, SECTOR_NAMES[s][1 if lang == "en" else 0]) for s in SECTORS],
        "sector_names": {s: n[1 if lang == "en" else 0] for s, n in SECTOR_NAMES.items()},
        "education_options": [e for e in EDUCATION_RANK if e != "none"],
        "availability_options": AVAILABILITY,
    }


def _query(request: Request) -> dict[str, list[str]]:
    return {k: [str(v) for v in request.query_params.getall(k)]
            for k in request.query_params.keys()}  # noqa: SIM118 (MultiDict)


def _page_number(query: dict[str, list[str]]) -> int:
    try:
        return max(1, int((query.get("page") or ["1"])[0]))
    except ValueError:
        return 1


@get("/employer/pool", name="pool_search", include_in_schema=False)
async def search_page(request: Request) -> Template | Redirect:
    principal = await pool_caller(request)
    if not isinstance(principal, Principal):
        return principal
    assert principal.organisation_id is not None
    lang = page_language(request)
    query = _query(request)
    jobs = await search.job_choices(principal.organisation_id)
    criteria = await search.criteria_for(query, principal.organisation_id)
    searched = "go" in query
    result = None
    if searched:
        result = await search.view_results(principal.actor, principal.organisation_id,
                                           criteria, today(), _page_number(query))
    job = (query.get("job") or [""])[0]
    back = search.query_of(criteria, int(job) if job.isdigit() else None)
    page = render(request, "employer_pool.html", principal=principal, result=result,
                  jobs=jobs, values=query, rows=FORM_ROWS,
                  back=urlencode([*back, ("go", "1"), ("lang", lang)]),
                  page_link=lambda n: urlencode(
                      [*back, ("go", "1"), ("page", str(n)), ("lang", lang)]),
                  **await _lookups(lang))
    page.headers.update(NO_STORE)
    return page


async def _member(request: Request, principal: Principal, ref: str, *,
                  status_code: int = 200, error: str = "",
                  values: dict[str, str] | None = None) -> Template:
    assert principal.organisation_id is not None
    lang = page_language(request)
    query = _query(request)
    criteria = await search.criteria_for(query, principal.organisation_id)
    card = await search.view_member(principal.actor, principal.organisation_id,
                                    search.clean_ref(ref), criteria, today())
    job = (query.get("job") or [""])[0]
    back = search.query_of(criteria, int(job) if job.isdigit() else None)
    page = render(request, "employer_pool_member.html", status_code=status_code,
                  principal=principal, card=card, error=error, values=values or {},
                  jobs=await search.job_choices(principal.organisation_id),
                  job_id=job if job.isdigit() else "",
                  about=criteria.title, back=urlencode([*back, ("go", "1"), ("lang", lang)]),
                  **await _lookups(lang))
    page.headers.update(NO_STORE)
    return page


@get("/employer/pool/members/{ref:str}", name="pool_member", include_in_schema=False)
async def member_page(request: Request, ref: str) -> Template | Redirect:
    principal = await pool_caller(request)
    if not isinstance(principal, Principal):
        return principal
    return await _member(request, principal, ref)


@post("/employer/pool/members/{ref:str}/contact", name="pool_contact",
      include_in_schema=False)
async def ask_contact(request: Request, ref: str) -> Template | Redirect:
    """Ask this member for contact (``event_ops.pool.requests.request_contact``: it checks
    the member is findable, writes the request and the audit)."""
    principal = await pool_caller(request)
    if not isinstance(principal, Principal):
        return principal
    assert principal.organisation_id is not None
    form = await request.form()
    about, job = await search.about_job(principal.organisation_id, str(form.get("job", "")),
                                        str(form.get("about", "")))
    message = str(form.get("message", ""))
    try:
        await request_contact(search.clean_ref(ref), principal.organisation_id,
                              search.contact_of(principal.actor), about, job, message,
                              principal.actor)
    except DomainError as exc:
        if exc.code not in ASK_ERRORS:
            raise
        # Said at the form, with what was typed kept.
        return await _member(request, principal, ref, status_code=ASK_ERRORS[exc.code],
                             error=t("pool_search.ask.need_about" if not about else
                                     f"pool.err.{exc.code.removeprefix('pool_')}",
                                     page_language(request)),
                             values={"about": str(form.get("about", "")), "message": message})
    return Redirect(f"/employer/pool/requests?sent=1&lang={page_language(request)}")


@get("/employer/pool/requests", name="pool_requests", include_in_schema=False)
async def requests_page(request: Request) -> Template | Redirect:
    principal = await pool_caller(request)
    if not isinstance(principal, Principal):
        return principal
    assert principal.organisation_id is not None
    page = render(request, "employer_pool_requests.html", principal=principal,
                  requests=await search.requests_with_details(principal.organisation_id,
                                                            principal.actor),
                  sent=request.query_params.get("sent") == "1")
    page.headers.update(NO_STORE)
    return page


ROUTES = [search_page, member_page, ask_contact, requests_page]
