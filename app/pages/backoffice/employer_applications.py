"""Back office: an event's employer applications (from the public sign-up form), pending
first; approve, or decline with a reason. Every decision goes through
``event_ops.employers.applications`` (organisations reused, audited, mailed)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.api.params import PathId
from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.employers import applications
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.taxonomy.service import SECTOR_NAMES

PERMISSION = "employer_applications.manage"


async def _event_and_caller(request: Request, slug: str) -> tuple[Event, Principal] | Redirect:
    event = await get_event(slug)
    principal = await page_caller(request, event.id, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    return event, principal


async def _page(request: Request, event: Event, *, status_code: int = 200,
                errors: list[dict] | None = None) -> Template:
    lang = page_language(request)
    rows = await applications.list_applications(event.id)
    return render(request, "backoffice/employer_applications.html", status_code=status_code,
                  event=event, bo_section="employers",
                  pending=[r for r in rows if r["status"] == "pending"],
                  decided=[r for r in rows if r["status"] != "pending"],
                  sector_names={s: n[1 if lang == "en" else 0]
                                for s, n in SECTOR_NAMES.items()},
                  public_url=f"{request.app.state.settings.base_url}/events/{event.slug}"
                             "/employer-signup",
                  errors=errors or [], done=request.query_params.get("done", ""))


@get("/admin/events/{slug:str}/employer-applications", name="bo_employer_applications",
     include_in_schema=False)
async def applications_page(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _page(request, found[0])


@post("/admin/events/{slug:str}/employer-applications/{application_id:int}/{decision:str}",
      name="bo_employer_application_decide", include_in_schema=False)
async def decide(request: Request, slug: str, application_id: PathId,
                 decision: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    lang = page_language(request)
    form = await request.form()
    try:
        if decision == "approve":
            await applications.approve(event, application_id, principal.actor)
            done = "approved"
        elif decision == "decline":
            await applications.decline(event, application_id, str(form.get("reason", "")),
                                       principal.actor)
            done = "declined"
        else:
            raise DomainError("not_found", "Approve or decline.")
    except DomainError as exc:
        key = (f"portal.field.{exc.field}" if exc.field == "reason"
               else message_key_for(exc.code))
        message = t(key, lang) if key != "error.generic" else exc.message
        field = f"reason-{application_id}" if exc.field == "reason" else ""
        return await _page(request, event, status_code=status_for(exc.code),
                           errors=[{"field": field, "message": message}])
    return Redirect(f"/admin/events/{slug}/employer-applications?lang={lang}&done={done}")


ROUTES = [applications_page, decide]
