"""Matching pages: the visitor's own matching page and the printable table plan.

* ``/me/{token}/preferences/{event_slug}`` (secret link, like ``/me/{token}``): on a matching
  day the visitor marks employers must / happy / no and sees their published schedule; at a
  festival they see their recommended stands. Works without JavaScript.
* ``/events/{slug}/schedule/print``: a server-rendered shell; ``static/js/schedule-print.js``
  loads the schedule from the organiser API with the organiser token kept in localStorage
  (as on the dashboard). Tokens never go into URLs.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template

from app.pages.common import page_language, render, staff_page
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.matching.preferences import (
    CHOICES,
    set_visitor_preferences,
    visitor_options,
)
from event_ops.matching.recommend import stored_recommendations
from event_ops.matching.schedule import visitor_meetings
from event_ops.people.profile import visitor_for_link
from event_ops.types import parse_db_id

PRINT_TEXTS = ("schedule.", "door.token.", "dash.unauthorized")


def _link_invalid() -> DomainError:
    return DomainError("link_invalid", "This link is not valid (any more).")


async def _context(state: State, token: str, event_slug: str) -> tuple[dict, Event, int]:
    """(visitor, event, registration id); raises ``link_invalid`` (the error page, 404)
    when the link, the event or the sign-up does not hold: the page never says which."""
    try:
        visitor = await visitor_for_link(state.settings, token)
        event = await get_event(event_slug)
    except DomainError as exc:
        raise _link_invalid() from exc
    rows = await current_engine().fetch(
        "SELECT id FROM registration WHERE event = ? AND visitor = ? AND status = 'registered'",
        [event.id, visitor["id"]])
    if not rows:
        raise _link_invalid()
    return visitor, event, rows[0]["id"]


async def _page(request: Request, token: str, visitor: dict, event: Event,
                registration_id: int, *, message: str | None = None,
                status_code: int = 200) -> Template:
    lang = page_language(request, saved=visitor["language"])
    context: dict = {"token": token, "event": event, "message": message, "choices": CHOICES}
    if event.kind == "matching":
        context["options"] = await visitor_options(event, registration_id, lang)
        mine = await visitor_meetings(event.id, event.starts_at, [registration_id])
        context["meetings"] = mine.get(registration_id, [])
    else:
        stored = await stored_recommendations(event.id, registration_id)
        context["recommendations"] = stored.get(registration_id, ())
    return render(request, "schedule_me.html", status_code=status_code, lang=lang, **context)


@get("/me/{token:str}/preferences/{event_slug:str}", name="me_matching",
     include_in_schema=False)
async def my_matching_page(request: Request, state: State, token: str,
                           event_slug: str) -> Template:
    visitor, event, registration_id = await _context(state, token, event_slug)
    saved = request.query_params.get("saved") == "1"
    lang = page_language(request, saved=visitor["language"])
    return await _page(request, token, visitor, event, registration_id,
                       message=t("schedule.saved", lang) if saved else None)


@post("/me/{token:str}/preferences/{event_slug:str}", name="me_matching_save",
      include_in_schema=False)
async def my_matching_save(request: Request, state: State, token: str,
                           event_slug: str) -> Template | Redirect:
    """Form fields ``choice-<employer id>`` = must | happy | no | none."""
    _, event, registration_id = await _context(state, token, event_slug)
    form = await request.form()
    items: list[tuple[int, str | None]] = []
    for key, value in form.items():
        employer_id = parse_db_id(key[7:]) if key.startswith("choice-") else None
        if employer_id is not None:
            items.append((employer_id, value or None))
    # Refused (an employer not at this event, a choice not offered): the error page.
    await set_visitor_preferences(event, registration_id, items)
    return Redirect(f"/me/{token}/preferences/{event_slug}?saved=1", status_code=303)


@get("/events/{slug:str}/schedule/print", name="schedule_print", include_in_schema=False)
async def schedule_print_page(request: Request, slug: str) -> Template:
    """The printable table plan (organisers): one sheet per round and one per table."""
    return await staff_page(request, slug, "schedule_print.html", *PRINT_TEXTS)


ROUTES = [my_matching_page, my_matching_save, schedule_print_page]
