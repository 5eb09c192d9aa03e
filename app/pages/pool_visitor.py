"""The candidate pool for the visitor and their job coach (issue 18).

* ``/me/{token}/pool``: the visitor's own pool page, reached from the own page (secret link):
  the consent with what employers see, the choices, renew, leave, and the requests for
  contact with yes/no.
* ``/admin/caseload/clients/{visitor}/pool``: the same for a job coach acting for a client
  of their own (or their team's) caseload, with the client's consent given to the coach.

The rules live in ``event_ops.pool`` (membership.py, requests.py); this module reads forms,
calls them and renders."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template

from app.api.params import PathId
from app.errors import status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops import audit
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.i18n import t
from event_ops.people.profile import visitor_for_link
from event_ops.pool import membership, requests
from event_ops.pool.rules import DURATION_MONTHS, POOL_WORDING_VERSION, json_list
from event_ops.pool.tables import SHAREABLE_FIELDS
from event_ops.taxonomy.service import competencies_by_code
from event_ops.types import parse_db_id

_NOTICES = {"saved": "pool.saved", "withdrawn": "pool.withdrawn",
            "accepted": "pool.decided.accepted", "declined": "pool.decided.declined"}


async def pool_summary(visitor_id: int) -> dict[str, Any]:
    """For the section on the visitor's own page: in the pool until when, open requests."""
    member = await membership.member_of(visitor_id)
    asked = await requests.requests_of_visitor(visitor_id)
    return {"member": member, "open": sum(1 for r in asked if r["status"] == "requested")}


async def _context(visitor: dict, lang: str) -> dict[str, Any]:
    member = await membership.member_of(visitor["id"])
    asked = await requests.requests_of_visitor(visitor["id"])
    shares = member["share_fields"] if member else []
    for row in asked:
        row["released"] = json_list(row["released_fields"])
        row["gets"] = ", ".join(t(f"pool.field.{f}", lang) for f in shares)
    names = {code: item.name(lang) for code, item in (await competencies_by_code()).items()}
    comps = await current_engine().fetch(
        "SELECT code, level FROM profile_competency WHERE visitor = ? ORDER BY code",
        [visitor["id"]])
    return {"member": member, "requests": asked, "fields": SHAREABLE_FIELDS,
            "months_options": DURATION_MONTHS, "wording_version": POOL_WORDING_VERSION,
            "profile": [(names.get(c["code"], c["code"]), c["level"]) for c in comps]}


def _values(member: dict | None, form: Any = None) -> dict[str, Any]:
    """The form's values: what was posted (after an error), else the member's choices."""
    if form is not None:
        shares = form.getall("share_fields", []) if hasattr(form, "getall") else []
        return {"months": str(form.get("months") or ""), "hours_min": form.get("hours_min", ""),
                "hours_max": form.get("hours_max", ""),
                "available_from": form.get("available_from", ""),
                "max_distance_km": form.get("max_distance_km", ""), "share_fields": shares}
    if member is None:
        return {"months": "12", "share_fields": []}
    return {"months": "12", "share_fields": member["share_fields"],
            **{k: "" if member[k] is None else str(member[k])
               for k in ("hours_min", "hours_max", "available_from", "max_distance_km")}}


# ---- the visitor ---------------------------------------------------------------------------

async def _visitor_page(request: Request, token: str, visitor: dict, *,
                        errors: dict | None = None, form: Any = None,
                        status_code: int = 200) -> Template:
    lang = request.query_params.get("lang") or visitor["language"] or "nl"
    context = await _context(visitor, lang)
    done = request.query_params.get("done", "")
    return render(request, "pool_me.html", status_code=status_code, lang=lang, token=token,
                  errors=errors or {}, values=_values(context["member"], form),
                  message=t(_NOTICES[done], lang) if done in _NOTICES else None,
                  action=f"/me/{token}/pool", base="", consent_key="pool.consent",
                  **context)


@get("/me/{token:str}/pool", name="me_pool")
async def my_pool(request: Request, state: State, token: str) -> Template:
    visitor = await visitor_for_link(state.settings, token)
    return await _visitor_page(request, token, visitor)


@post("/me/{token:str}/pool", name="me_pool_save")
async def my_pool_save(request: Request, state: State, token: str) -> Template | Redirect:
    """Join, or change the choices (which renews from today, with a new consent record)."""
    visitor = await visitor_for_link(state.settings, token)
    form = await request.form()
    lang = visitor["language"] or "nl"
    try:
        choices = membership.choices_from_form(form)
    except ValidationFailed as exc:
        return await _visitor_page(request, token, visitor, form=form,
                                   errors={k: t(v, lang) for k, v in exc.errors.items()},
                                   status_code=status_for(exc.code))
    await membership.join(visitor["id"], choices, actor="visitor:self")
    return Redirect(f"/me/{token}/pool?done=saved", status_code=303)


@post("/me/{token:str}/pool/renew", name="me_pool_renew")
async def my_pool_renew(request: Request, state: State, token: str) -> Redirect:
    visitor = await visitor_for_link(state.settings, token)
    months = _months((await request.form()).get("months"))
    await membership.renew(visitor["id"], months, actor="visitor:self")
    return Redirect(f"/me/{token}/pool?done=saved", status_code=303)


@post("/me/{token:str}/pool/withdraw", name="me_pool_withdraw")
async def my_pool_withdraw(request: Request, state: State, token: str) -> Redirect:
    visitor = await visitor_for_link(state.settings, token)
    await membership.withdraw(visitor["id"], actor="visitor:self")
    return Redirect(f"/me/{token}/pool?done=withdrawn", status_code=303)


@post("/me/{token:str}/pool/requests/{request_id:int}", name="me_pool_decide")
async def my_pool_decide(request: Request, state: State, token: str,
                         request_id: PathId) -> Redirect:
    visitor = await visitor_for_link(state.settings, token)
    accept = _accept((await request.form()).get("decision"))
    status = await requests.decide(request_id, visitor["id"], accept, by="self",
                                   actor="visitor:self")
    return Redirect(f"/me/{token}/pool?done={status}#requests", status_code=303)


def _months(raw: Any) -> int:
    try:
        months = int(str(raw or ""))
    except ValueError:
        months = 0
    if months not in DURATION_MONTHS:
        raise DomainError("pool_bad_choice", "Choose 3, 6 or 12 months.", field="months")
    return months


def _accept(raw: Any) -> bool:
    if raw not in ("accept", "decline"):
        raise DomainError("pool_bad_choice", "Say yes or no.", field="decision")
    return raw == "accept"


# ---- the job coach -------------------------------------------------------------------------

async def _client(request: Request, visitor: str, permission: str
                  ) -> tuple[Principal, dict] | Redirect:
    """The coach and their client; someone else's client (or no such person) is the 404
    error page, the same answer, so a coach cannot probe other organisations' clients."""
    principal = await page_caller(request, None, permission)
    if not isinstance(principal, Principal):
        return principal
    assert principal.account_id is not None
    visitor_id = parse_db_id(visitor)
    if visitor_id is None or not await membership.coach_may_act(principal.account_id,
                                                                visitor_id):
        raise DomainError("pool_not_found", "This person is not one of your clients.")
    rows = await current_engine().fetch(
        "SELECT id, name, language FROM visitor WHERE id = ?", [visitor_id])
    return principal, rows[0]


async def _coach_page(request: Request, client: dict, *, errors: dict | None = None,
                      form: Any = None, status_code: int = 200) -> Template:
    lang = page_language(request)
    context = await _context(client, lang)
    done = request.query_params.get("done", "")
    base = f"/admin/caseload/clients/{client['id']}/pool"
    return render(request, "backoffice/pool_client.html", status_code=status_code,
                  bo_section="caseload", client=client, errors=errors or {},
                  values=_values(context["member"], form), base=base, action=base,
                  consent_key="pool.coach.consent",
                  message=t(_NOTICES[done], lang) if done in _NOTICES else None, **context)


@get("/admin/caseload/clients/{visitor:str}/pool", name="caseload_pool",
     include_in_schema=False)
async def client_pool(request: Request, visitor: str) -> Template | Redirect:
    found = await _client(request, visitor, "caseload.read")
    if isinstance(found, Redirect):
        return found
    principal, client = found
    # A coach reading a client's pool data and requests is a view of personal data.
    await audit.record(principal.actor, "pool.viewed", subject_type="visitor",
                       subject_id=client["id"])
    return await _coach_page(request, client)


@post("/admin/caseload/clients/{visitor:str}/pool", name="caseload_pool_save",
      include_in_schema=False)
async def client_pool_save(request: Request, visitor: str) -> Template | Redirect:
    found = await _client(request, visitor, "caseload.write")
    if isinstance(found, Redirect):
        return found
    principal, client = found
    form = await request.form()
    lang = page_language(request)
    try:
        choices = membership.choices_from_form(form)
    except ValidationFailed as exc:
        return await _coach_page(request, client, form=form,
                                 errors={k: t(v, lang) for k, v in exc.errors.items()},
                                 status_code=status_for(exc.code))
    await membership.join(client["id"], choices, actor=principal.actor,
                          coach_account=principal.account_id)
    return Redirect(f"/admin/caseload/clients/{client['id']}/pool?done=saved&lang={lang}",
                    status_code=303)


@post("/admin/caseload/clients/{visitor:str}/pool/withdraw", name="caseload_pool_withdraw",
      include_in_schema=False)
async def client_pool_withdraw(request: Request, visitor: str) -> Template | Redirect:
    found = await _client(request, visitor, "caseload.write")
    if isinstance(found, Redirect):
        return found
    principal, client = found
    await membership.withdraw(client["id"], actor=principal.actor,
                              coach_account=principal.account_id)
    return Redirect(f"/admin/caseload/clients/{client['id']}/pool?done=withdrawn"
                    f"&lang={page_language(request)}", status_code=303)


@post("/admin/caseload/clients/{visitor:str}/pool/renew", name="caseload_pool_renew",
      include_in_schema=False)
async def client_pool_renew(request: Request, visitor: str) -> Template | Redirect:
    found = await _client(request, visitor, "caseload.write")
    if isinstance(found, Redirect):
        return found
    principal, client = found
    months = _months((await request.form()).get("months"))
    await membership.renew(client["id"], months, actor=principal.actor,
                           coach_account=principal.account_id)
    return Redirect(f"/admin/caseload/clients/{client['id']}/pool?done=saved"
                    f"&lang={page_language(request)}", status_code=303)


@post("/admin/caseload/clients/{visitor:str}/pool/requests/{request_id:int}",
      name="caseload_pool_decide", include_in_schema=False)
async def client_pool_decide(request: Request, visitor: str,
                             request_id: PathId) -> Template | Redirect:
    found = await _client(request, visitor, "caseload.write")
    if isinstance(found, Redirect):
        return found
    principal, client = found
    accept = _accept((await request.form()).get("decision"))
    status = await requests.decide(request_id, client["id"], accept,
                                   by=f"coach:{principal.account_id}", actor=principal.actor)
    return Redirect(f"/admin/caseload/clients/{client['id']}/pool?done={status}"
                    f"&lang={page_language(request)}#requests", status_code=303)


ROUTES = [my_pool, my_pool_save, my_pool_renew, my_pool_withdraw, my_pool_decide,
          client_pool, client_pool_save, client_pool_withdraw, client_pool_renew,
          client_pool_decide]
