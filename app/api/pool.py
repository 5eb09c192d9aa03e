"""The candidate pool for employers (issue 18), JSON: the same search, cards and requests
as the portal pages (``app/pages/pool_search.py``), for a contact person's session
(``employer_contact``; a POST also needs the CSRF header, as every cookie call does).

* ``GET /api/v1/pool/search`` — query: ``job`` (one of the organisation's own
  non-archived job profiles, else 404 ``job_profile_not_found``), ``code``/``level`` (repeated),
  ``strict`` (1|0), ``sector`` (repeated), ``postcode``, ``km``, ``hours_min``,
  ``hours_max``, ``availability`` (repeated), ``education``, ``available_by``, ``page`` →
  ``{"total", "page", "pages", "results": [card…]}``; every card anonymous.
* ``GET /api/v1/pool/members/{ref}`` → one card (404 ``pool_not_found``).
* ``POST /api/v1/pool/members/{ref}/contact-requests`` ``{"about"?,
  "job_profile_id"?, "message"?}`` → 201; with ``job_profile_id`` the request records the
  profile and its title (404 ``job_profile_not_found`` for another organisation's).
* ``GET /api/v1/pool/contact-requests`` → this organisation's requests; ``details`` only
  for an accepted one, and only the fields the member released.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post

from app.api.auth import api_router, requires
from event_ops.access import contacts
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.pool import search
from event_ops.pool.requests import request_contact
from event_ops.pool.rules import today

PERMISSION = "pool.search"


class ContactRequestIn(msgspec.Struct, forbid_unknown_fields=True):
    about: str = ""
    job_profile_id: int | None = None
    message: str = ""


async def _organisation(principal: Principal) -> int:
    principal = contacts.require_contact(principal)
    assert principal.organisation_id is not None
    if not await search.may_search(principal.organisation_id):
        raise DomainError("forbidden", "Only approved employers search the pool.")
    return principal.organisation_id


def _query(request: Request) -> dict[str, list[str]]:
    return {k: [str(v) for v in request.query_params.getall(k)]
            for k in request.query_params.keys()}  # noqa: SIM118 (MultiDict)


@get("/pool/search", opt=requires(PERMISSION))
async def pool_search(request: Request, principal: Principal) -> dict[str, Any]:
    """Ranked, anonymous results; the refs shown are audited."""
    org = await _organisation(principal)
    query = _query(request)
    criteria = await search.criteria_for(query, org)
    try:
        page = max(1, int((query.get("page") or ["1"])[0]))
    except ValueError:
        page = 1
    result = await search.view_results(principal.actor, org, criteria, today(), page)
    return {"total": result.total, "page": result.page, "pages": result.pages,
            "results": result.results}


@get("/pool/members/{ref:str}", opt=requires(PERMISSION))
async def pool_member(request: Request, principal: Principal, ref: str) -> dict[str, Any]:
    org = await _organisation(principal)
    criteria = await search.criteria_for(_query(request), org)
    return await search.view_member(principal.actor, org, search.clean_ref(ref), criteria,
                                    today())


@post("/pool/members/{ref:str}/contact-requests", status_code=201, opt=requires(PERMISSION))
async def pool_contact(principal: Principal, ref: str,
                       data: ContactRequestIn) -> dict[str, str]:
    org = await _organisation(principal)
    about, job = await search.about_job(org, str(data.job_profile_id or ""), data.about)
    await request_contact(search.clean_ref(ref), org, search.contact_of(principal.actor),
                          about, job, data.message[:2000], principal.actor)
    return {"status": "requested"}


@get("/pool/contact-requests", opt=requires(PERMISSION))
async def pool_requests(principal: Principal) -> list[dict[str, Any]]:
    org = await _organisation(principal)
    return [{"id": r["id"], "ref": r["ref"], "about": r["about"], "status": r["status"],
             "created_at": r["created_at"], "decided_at": r["decided_at"],
             "details": r["details"]}
            for r in await search.requests_with_details(org, principal.actor)]


ROUTER = api_router("/api/v1", [pool_search, pool_member, pool_contact, pool_requests],
                    tags=["pool"])
