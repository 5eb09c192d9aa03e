"""The registrations desk in the back office: the list of an event's registrations (search,
filters, paging, counts per status, downloads) and one registration in detail with its
actions. Server-rendered forms with CSRF tokens; no script needed.

Every action is a domain function (event_ops/people/registration_desk.py, and
badges.service.reissue for a new badge) that records itself in the audit log; this module
only reads the form, calls it, and redirects (303) to the detail page with what was done.
"""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.api.params import PathId
from app.api.registration_desk import coach_scope, filter_for
from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from badges.service import reissue
from event_ops.access.permissions import PERMISSIONS
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.people import registration_desk as desk
from event_ops.people.registration_list import (
    SORTS,
    RegistrationFilter,
    is_no_show,
    list_registrations,
)
from event_ops.people.tables import REGISTRATION_SOURCES, REGISTRATION_STATUSES
from event_ops.questions.service import answers_for, questions_for

BASE = "/admin/events/{slug}/registrations"
YES_NO = ("yes", "no")


async def _event_and_caller(request: Request, slug: str,
                            permission: str) -> tuple[Event, Principal] | Redirect:
    event = await get_event(slug)  # no such event: the error page, 404
    principal = await page_caller(request, event.id, permission)
    if not isinstance(principal, Principal):
        return principal
    return event, principal


@get("/admin/events/{slug:str}/registrations", name="desk_list", include_in_schema=False)
async def registrations_page(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug, "registrations.read")
    if not isinstance(found, tuple):
        return found
    event, principal = found
    query = {k: v for k, v in request.query_params.items() if v != ""}
    bad_filter = False
    try:
        f = filter_for(request, principal)
    except ValidationFailed:
        # A hand-edited address: the whole list, and a line that says the filter was wrong.
        bad_filter = True
        f = RegistrationFilter(coach_account_id=coach_scope(principal))
        query = {"lang": query["lang"]} if "lang" in query else {}
    page = await list_registrations(event.id, f)
    pages = max(1, -(-page.total // f.limit))
    current = f.offset // f.limit + 1

    def link(offset: int) -> str:
        merged = {k: v for k, v in query.items() if k != "offset"}
        if offset:
            merged["offset"] = str(offset)
        return "?" + urlencode(merged)

    filters_only = {k: v for k, v in query.items() if k not in ("offset", "limit")}
    return render(
        request, "backoffice/registrations.html", event=event, bo_section="registrations",
        page=page, f=f, query=query, bad_filter=bad_filter, pages=pages, current=current,
        previous=link(max(f.offset - f.limit, 0)) if f.offset > 0 else None,
        next=link(f.offset + f.limit) if f.offset + f.limit < page.total else None,
        status_link=lambda status: "?" + urlencode(
            {**filters_only, "status": status} if status else
            {k: v for k, v in filters_only.items() if k != "status"}),
        export_query=urlencode(filters_only),
        statuses=REGISTRATION_STATUSES, sources=REGISTRATION_SOURCES, sorts=tuple(SORTS),
        yes_no=YES_NO, is_no_show=is_no_show, questions=await questions_for(event.id),
        may_manage=principal.role in PERMISSIONS["registrations.manage"],
        may_export=principal.role in PERMISSIONS["registrations.export"])


async def _detail(request: Request, event: Event, principal: Principal, registration_id: int,
                  *, status_code: int = 200, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None, error: str | None = None) -> Template:
    reg = await desk.registration_detail(event.id, registration_id, principal.actor)
    done = request.query_params.get("done", "")
    # The visitor's answers to the event's sign-up questions, in form order (archived
    # questions last: their answers are kept).
    lang = page_language(request)
    given = (await answers_for(event.id, [registration_id], lang)).get(registration_id, {})
    answers = [(q.label(lang), given.get(q.id))
               for q in await questions_for(event.id, include_archived=True)
               if q.id in given or not q.archived]
    return render(
        request, "backoffice/registration.html", status_code=status_code, event=event,
        bo_section="registrations", reg=reg, errors=errors or {}, error=error, answers=answers,
        values=values or {"name": reg["name"], "email": reg["email"], "phone": reg["phone"]},
        done=f"desk.done.{done}" if done in DONE else None, no_show=is_no_show(reg),
        list_url=BASE.format(slug=event.slug))


DONE = ("contact", "unchanged", "cancel", "promote", "resend", "reissue", "no_show",
        "no_show_cleared")


@get("/admin/events/{slug:str}/registrations/{registration_id:int}", name="desk_detail",
     include_in_schema=False)
async def registration_page(request: Request, slug: str,
                            registration_id: PathId) -> Template | Redirect:
    """One registration; opening it is recorded in the audit log."""
    found = await _event_and_caller(request, slug, "registrations.manage")
    if not isinstance(found, tuple):
        return found
    return await _detail(request, *found, registration_id)


ACTIONS = ("contact", "cancel", "promote", "resend", "reissue", "no-show", "no-show-clear")


@post("/admin/events/{slug:str}/registrations/{registration_id:int}/{action:str}",
      name="desk_action", include_in_schema=False)
async def registration_action(request: Request, slug: str, registration_id: PathId,
                              action: str) -> Template | Redirect:
    """One action from the detail page; on success back to it (303) saying what was done,
    otherwise the page again with the reason (the error table's status)."""
    found = await _event_and_caller(request, slug, "registrations.manage")
    if not isinstance(found, tuple):
        return found
    event, principal = found
    if action not in ACTIONS:
        raise DomainError("not_found", "There is no such action.")
    lang = page_language(request)
    form = await request.form()
    actor = principal.actor
    values: dict[str, str] | None = None
    try:
        if action == "contact":
            values = {k: str(form.get(k, "")) for k in desk.CONTACT_FIELDS}
            change = await desk.change_contact(event.id, registration_id,
                                               desk.ContactInput(**values), actor)
            done = "contact" if change.changed else "unchanged"
        elif action == "cancel":
            await desk.cancel(event.id, registration_id, actor)
            done = "cancel"
        elif action == "promote":
            await desk.promote(event.id, registration_id, actor)
            done = "promote"
        elif action == "resend":
            await desk.resend_confirmation(event.id, registration_id, actor)
            done = "resend"
        elif action == "reissue":
            await reissue(event.id, registration_id, actor)
            done = "reissue"
        else:
            on = action == "no-show"
            await desk.set_no_show(event.id, registration_id, on, actor)
            done = "no_show" if on else "no_show_cleared"
    except DomainError as exc:
        if exc.code == "not_found":
            raise
        if action == "contact":
            return await _detail(request, event, principal, registration_id,
                                 status_code=status_for(exc.code),
                                 errors=desk.contact_form_errors(exc), values=values)
        return await _detail(request, event, principal, registration_id,
                             status_code=status_for(exc.code),
                             error=t(message_key_for(exc.code), lang))
    target = f"{BASE.format(slug=event.slug)}/{registration_id}?done={done}&lang={lang}"
    return Redirect(target, status_code=303)


ROUTES = [registrations_page, registration_page, registration_action]
