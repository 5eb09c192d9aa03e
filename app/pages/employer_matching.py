"""Matching days in the employer portal (issue 18): ``/employer/events/{slug}/matching``.

A contact person marks whom they want to meet among the engine's anonymised, consented
candidates, and after the organiser publishes sees the timetable, a print view (A4) and
a calendar file. The rules and the anonymising live in ``event_ops.matching.portal``;
this module only reads forms and renders. Scoped like the rest of the portal: the event's
employer is looked up by event AND the contact's organisation (``_own_employer``), so a
contact of organisation A reaches nothing of organisation B. Works without script."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from app.errors import message_key_for, status_for
from app.pages.common import page_language, render
from app.pages.employer_portal import NO_STORE, _contact, _own_employer
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.employers import organisations as orgs
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.matching import portal
from event_ops.matching.preferences import CHOICES, require_matching


async def _caller(request: Request, slug: str) -> tuple[Event, Principal] | Redirect:
    """The matching day and this organisation's employer there, or the login redirect.
    Another kind of event: the error page (409 ``wrong_event_kind``)."""
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    event, employer = await _own_employer(principal, slug)
    require_matching(event)
    return event, employer


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


async def _schedule(request: Request, event: Event, employer: Principal,
                    view: str) -> list[dict]:
    assert employer.employer_id is not None and employer.organisation_id is not None
    return await portal.portal_schedule(event, employer.employer_id, employer.organisation_id,
                                        employer.actor, _secret(request), view=view)


async def _page(request: Request, event: Event, employer: Principal, *,
                error: str | None = None, status_code: int = 200) -> Template:
    assert employer.employer_id is not None and employer.organisation_id is not None
    lang = page_language(request)
    candidates = await portal.portal_candidates(
        event, employer.employer_id, employer.organisation_id, employer.actor,
        _secret(request), lang)
    page = render(request, "employer_matching.html", status_code=status_code, lang=lang,
                  event=event, candidates=candidates, choices=CHOICES,
                  meetings=await _schedule(request, event, employer, "page"),
                  error=error, saved=request.query_params.get("done") == "saved",
                  base=f"/employer/events/{event.slug}/matching")
    page.headers.update(NO_STORE)
    return page


@get("/employer/events/{slug:str}/matching", name="employer_matching",
     include_in_schema=False)
async def matching_page(request: Request, slug: str) -> Template | Redirect:
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _page(request, *found)


@post("/employer/events/{slug:str}/matching", name="employer_matching_save",
      include_in_schema=False)
async def matching_save(request: Request, slug: str) -> Template | Redirect:
    """Form fields ``choice-<pseudonym>`` = must | happy | no | none. Saved: 303 back to
    the page (a reload never saves twice); refused: the page again with the reason."""
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, employer = found
    assert employer.employer_id is not None and employer.organisation_id is not None
    form = await request.form()
    items = [(key[len("choice-"):], str(value) or None) for key, value in form.items()
             if key.startswith("choice-")]
    try:
        await portal.set_portal_wishes(event, employer.employer_id, employer.organisation_id,
                                       items, employer.actor, _secret(request))
    except DomainError as exc:
        lang = page_language(request)
        return await _page(request, event, employer, status_code=status_for(exc.code),
                           error=t(message_key_for(exc.code), lang))
    return Redirect(f"/employer/events/{event.slug}/matching?done=saved&"
                    f"lang={page_language(request)}#wishes", status_code=303)


@get("/employer/events/{slug:str}/matching/print", name="employer_matching_print",
     include_in_schema=False)
async def print_page(request: Request, slug: str) -> Template | Redirect:
    """The timetable on one A4 sheet (print CSS), for the table on the day."""
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, employer = found
    assert employer.organisation_id is not None
    organisation = await orgs.get_organisation(employer.organisation_id)
    page = render(request, "employer_matching_print.html", event=event,
                  organisation=organisation,
                  meetings=await _schedule(request, event, employer, "print"))
    page.headers.update(NO_STORE)
    return page


@get("/employer/events/{slug:str}/matching/schedule.ics", name="employer_matching_ics",
     include_in_schema=False)
async def calendar_file(request: Request, slug: str) -> Response | Redirect:
    """The timetable as an .ics file; ``not_found`` before the organiser publishes."""
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, employer = found
    assert employer.organisation_id is not None
    meetings = await _schedule(request, event, employer, "ics")
    if not meetings:
        raise DomainError("not_found", "There is no published schedule for you yet.")
    organisation = await orgs.get_organisation(employer.organisation_id)
    body = portal.schedule_ics(event, organisation["name"], meetings,
                               request.app.state.settings.base_url, page_language(request))
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        **NO_STORE,
        "Content-Disposition": f'attachment; filename="{event.slug}-schedule.ics"'})


ROUTES = [matching_page, matching_save, print_page, calendar_file]
