"""The back office's matching-day page: ``/admin/events/{slug}/matching``.

What the API offers organisers and employers (``app/api/matching.py``), in the browser and
without JavaScript: wishes entered on an employer's or a visitor's behalf, building the
schedule, pinning, unpinning and removing meetings, and publishing it after a confirmation
step. Every action is one of the domain functions the API calls
(``event_ops.matching.preferences`` and ``schedule``), so the rules live in one place and
every change is audited there. A refused action shows the page again with the reason on
top (the status and text come from ``app/errors.py``); a done action redirects (303), so a
reload never does it twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.localtime import AMSTERDAM
from event_ops.matching import preferences, schedule
from event_ops.types import parse_db_id

PERMISSION = "matching.manage"
DONE = ("employer_saved", "visitor_saved", "built", "pinned", "unpinned", "removed",
        "published")


async def _event_and_caller(request: Request, slug: str) -> tuple[Event, Principal] | Redirect:
    """The matching day and the organiser, or the redirect to the login page. Another kind
    of event: the error page (409 ``wrong_event_kind``); no permission: 403."""
    event = await get_event(slug)
    principal = await page_caller(request, event.id, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    preferences.require_matching(event)
    return event, principal


def _base(event: Event) -> str:
    return f"/admin/events/{event.slug}/matching"


async def _people(event: Event) -> tuple[list[dict], list[dict]]:
    """(employers by name, registered visitors by name) for the pickers."""
    db = current_engine()
    employers = await db.fetch("SELECT id, name FROM employer WHERE event = ? ORDER BY name, id",
                               [event.id])
    visitors = await db.fetch(
        "SELECT r.id, v.name FROM registration r JOIN visitor v ON v.id = r.visitor"
        " WHERE r.event = ? AND r.status = 'registered' ORDER BY v.name, r.id", [event.id])
    return employers, visitors


def _grid(view: dict) -> list[dict]:
    """Per table (employer): the meeting in each round, or None (the wide table and the
    narrow list per employer)."""
    by_cell = {(m["employer_id"], m["round"]): m for m in view["meetings"]}
    rounds = [r["round"] for r in view["rounds"]]
    return [{**table, "cells": [by_cell.get((table["employer_id"], r)) for r in rounds]}
            for table in view["tables"]]


async def _page(request: Request, event: Event, principal: Principal, *,
                error: str | None = None, status_code: int = 200,
                form: dict | None = None) -> Template:
    lang = page_language(request)
    query = request.query_params
    employers, visitors = await _people(event)
    employer_id = parse_db_id(query.get("employer") or "")
    registration_id = parse_db_id(query.get("visitor") or "")
    candidates = None
    if employer_id is not None and any(e["id"] == employer_id for e in employers):
        candidates = await preferences.organiser_candidates(event, employer_id,
                                                            principal.actor, lang)
    else:
        employer_id = None
    options = None
    if registration_id is not None and any(v["id"] == registration_id for v in visitors):
        options = await preferences.visitor_options(event, registration_id, lang)
    else:
        registration_id = None
    view = await schedule.schedule_view(event)
    published = view if view["state"] == "published" else await schedule.schedule_view(
        event, published=True)
    plan = await schedule.timing(event.id, event.starts_at, published=False)
    by_round: dict[int, list[dict]] = {}
    for m in view["meetings"]:
        by_round.setdefault(m["round"], []).append(m)
    done = query.get("done")
    return render(
        request, "backoffice/matching.html", status_code=status_code, lang=lang,
        event=event, bo_section="matching", employers=employers, visitors=visitors,
        employer_id=employer_id, registration_id=registration_id, candidates=candidates,
        options=options, choices=preferences.CHOICES, view=view, by_round=by_round,
        grid=_grid(view), published_count=len(published["meetings"]),
        balance_note=schedule.balance_text(view["balance"], lang) if view["meetings"] else "",
        plan={"rounds": plan.rounds, "minutes": plan.minutes, "pause": plan.pause,
              "starts_at": plan.starts_at.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M"),
              **(form or {})},
        error=error, done=done if done in DONE else None, base=_base(event))


async def _act(request: Request, slug: str,
               action: Callable[[Event, Principal, dict], Awaitable[str]]) -> Template | Redirect:
    """Run one form's action: redirect to the page with ``done`` (and the anchor the
    action returns), or show the page again with the reason on top."""
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    form = dict((await request.form()).items())
    try:
        target = await action(event, principal, form)
    except DomainError as exc:
        lang = page_language(request)
        return await _page(request, event, principal, status_code=status_for(exc.code),
                           error=t(message_key_for(exc.code), lang), form=_kept(form))
    return Redirect(target, status_code=303)


def _kept(form: dict) -> dict:
    """What the build form typed, to show it again after a refusal."""
    return {k: str(form[k]) for k in ("rounds", "minutes", "pause", "starts_at") if k in form}


def _id(form: dict, name: str) -> int:
    value = parse_db_id(str(form.get(name, "")))
    if value is None:
        raise DomainError("bad_request", f"{name} is missing or not a number.")
    return value


def _choices(form: dict, prefix: str = "choice-") -> list[tuple[int, str | None]]:
    items: list[tuple[int, str | None]] = []
    for key, value in form.items():
        other = parse_db_id(key[len(prefix):]) if key.startswith(prefix) else None
        if other is not None:
            items.append((other, str(value) or None))
    return items


def _int(form: dict, name: str) -> int | None:
    raw = str(form.get(name, "")).strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise DomainError("bad_schedule", f"{name} must be a whole number.",
                          field=name) from None


def _local(raw: str) -> dt.datetime | None:
    """A ``datetime-local`` field (Amsterdam time) as an aware time."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        when = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise DomainError("bad_schedule", "The start time is not a time.",
                          field="starts_at") from None
    return when if when.tzinfo else when.replace(tzinfo=AMSTERDAM)


def _lang_query(request: Request) -> str:
    return f"lang={page_language(request)}"


@get("/admin/events/{slug:str}/matching", name="bo_matching", include_in_schema=False)
async def matching_page(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _page(request, *found)


@post("/admin/events/{slug:str}/matching/employer-wishes", name="bo_matching_employer",
      include_in_schema=False)
async def employer_wishes(request: Request, slug: str) -> Template | Redirect:
    async def action(event: Event, principal: Principal, form: dict) -> str:
        employer_id = _id(form, "employer_id")
        await preferences.set_wishes(event, "employer", employer_id, _choices(form),
                                     principal.actor, by="organiser")
        return (f"{_base(event)}?employer={employer_id}&done=employer_saved&"
                f"{_lang_query(request)}#employer-wishes")
    return await _act(request, slug, action)


@post("/admin/events/{slug:str}/matching/visitor-wishes", name="bo_matching_visitor",
      include_in_schema=False)
async def visitor_wishes(request: Request, slug: str) -> Template | Redirect:
    async def action(event: Event, principal: Principal, form: dict) -> str:
        registration_id = _id(form, "registration_id")
        await preferences.set_wishes(event, "visitor", registration_id, _choices(form),
                                     principal.actor, by="organiser")
        return (f"{_base(event)}?visitor={registration_id}&done=visitor_saved&"
                f"{_lang_query(request)}#visitor-wishes")
    return await _act(request, slug, action)


@post("/admin/events/{slug:str}/matching/build", name="bo_matching_build",
      include_in_schema=False)
async def build(request: Request, slug: str) -> Template | Redirect:
    async def action(event: Event, principal: Principal, form: dict) -> str:
        await schedule.build_schedule(
            event, rounds=_int(form, "rounds"), minutes=_int(form, "minutes"),
            pause=_int(form, "pause"), starts_at=_local(str(form.get("starts_at", ""))),
            actor=principal.actor)
        return f"{_base(event)}?done=built&{_lang_query(request)}#schedule"
    return await _act(request, slug, action)


@post("/admin/events/{slug:str}/matching/pin", name="bo_matching_pin", include_in_schema=False)
async def pin(request: Request, slug: str) -> Template | Redirect:
    async def action(event: Event, principal: Principal, form: dict) -> str:
        round_no = _int(form, "round")
        if round_no is None:
            raise DomainError("bad_schedule", "Choose a round.", field="round")
        await schedule.pin_meeting(event, round_no, _id(form, "registration_id"),
                                   _id(form, "employer_id"), actor=principal.actor)
        return f"{_base(event)}?done=pinned&{_lang_query(request)}#schedule"
    return await _act(request, slug, action)


@post("/admin/events/{slug:str}/matching/unpin", name="bo_matching_unpin",
      include_in_schema=False)
async def unpin(request: Request, slug: str) -> Template | Redirect:
    async def action(event: Event, principal: Principal, form: dict) -> str:
        changed = await schedule.unpin_meeting(event, _id(form, "registration_id"),
                                               _id(form, "employer_id"), actor=principal.actor)
        if not changed:
            raise DomainError("not_found", "There is no such meeting in the draft.")
        return f"{_base(event)}?done=unpinned&{_lang_query(request)}#schedule"
    return await _act(request, slug, action)


@post("/admin/events/{slug:str}/matching/remove", name="bo_matching_remove",
      include_in_schema=False)
async def remove(request: Request, slug: str) -> Template | Redirect:
    async def action(event: Event, principal: Principal, form: dict) -> str:
        await schedule.remove_meeting(event, _id(form, "registration_id"),
                                      _id(form, "employer_id"), actor=principal.actor)
        return f"{_base(event)}?done=removed&{_lang_query(request)}#schedule"
    return await _act(request, slug, action)


@get("/admin/events/{slug:str}/matching/publish", name="bo_matching_publish_confirm",
     include_in_schema=False)
async def publish_confirm(request: Request, slug: str) -> Template | Redirect:
    """The confirmation step: what will be published, and one button."""
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, _ = found
    view = await schedule.schedule_view(event)
    return render(request, "backoffice/matching_publish.html", event=event,
                  bo_section="matching", view=view, base=_base(event),
                  draft=view["state"] == "draft" and bool(view["meetings"]))


@post("/admin/events/{slug:str}/matching/publish", name="bo_matching_publish",
      include_in_schema=False)
async def publish(request: Request, slug: str) -> Template | Redirect:
    async def action(event: Event, principal: Principal, form: dict) -> str:
        await schedule.publish_schedule(event, actor=principal.actor)
        return f"{_base(event)}?done=published&{_lang_query(request)}#schedule"
    return await _act(request, slug, action)


ROUTES = [matching_page, employer_wishes, visitor_wishes, build, pin, unpin, remove,
          publish_confirm, publish]
