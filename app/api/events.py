"""Events API (contract v1.1): create (programme-wide callers), read and change.

* ``POST /api/v1/events`` (``events.create``: an admin account or admin token) → 201 with
  the event; 409 ``slug_taken``; 422 ``validation_failed`` with ``fields``.
* ``PATCH /api/v1/events/{slug}`` (``events.manage``: an admin, or an organiser of that
  event) → 200 with the event. Optimistic locking: send the ``version`` you read (or an
  ``If-Match: "<version>"`` header); when someone saved in between, 409 ``edit_conflict``
  and nothing is written. Moving the start of a matching day whose meeting schedule is
  published answers 409 ``schedule_published`` unless ``"schedule": "move"`` or ``"keep"``.
* ``GET /api/v1/events`` and ``GET /api/v1/events/{slug}`` (``events.read``): the events the
  caller may act on.

Fields not sent are left as they are. Times are ISO 8601; one without an offset is taken as
Amsterdam time. The answer gives them in UTC.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request, get, patch, post
from msgspec import UNSET, UnsetType

from app.api.auth import api_router, requires
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events import editing


class EventFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An event's fields; every one optional (a PATCH changes what it sends). Creating
    needs ``slug``, ``name``, ``kind``, ``starts`` and ``ends``."""

    slug: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    kind: str | UnsetType = UNSET  # festival | matching
    starts: str | UnsetType = UNSET  # ISO 8601, e.g. 2027-03-04T09:00+01:00
    ends: str | UnsetType = UNSET
    capacity: int | None | UnsetType = UNSET  # null: no limit
    venue: str | UnsetType = UNSET
    address: str | UnsetType = UNSET
    route: str | UnsetType = UNSET  # how to get there
    description: str | UnsetType = UNSET
    registration_opens: str | None | UnsetType = UNSET
    registration_closes: str | None | UnsetType = UNSET
    languages: list[str] | UnsetType = UNSET  # ["nl", "en"]
    retention_months: int | UnsetType = UNSET
    visibility: str | UnsetType = UNSET  # public | invitation_only
    badge_size: str | UnsetType = UNSET  # a6 | card
    programme: int | UnsetType = UNSET  # programme id (default: the newest)


class EventPatch(EventFields, forbid_unknown_fields=True, kw_only=True):
    version: int | UnsetType = UNSET  # the version you read (optimistic locking)
    schedule: str | UnsetType = UNSET  # move | keep (a published meeting schedule)
    archived: bool | UnsetType = UNSET


def _given(data: msgspec.Struct, *leave_out: str) -> dict[str, Any]:
    return {k: v for k, v in msgspec.structs.asdict(data).items()
            if v is not UNSET and k not in leave_out}


def _if_match(request: Request) -> int | None:
    raw = (request.headers.get("if-match") or "").strip()
    if not raw:
        return None
    found = re.fullmatch(r'(?:W/)?"?(\d{1,9})"?', raw)
    if found is None:
        raise DomainError("bad_request", 'If-Match must be the event\'s version, e.g. "3".')
    return int(found.group(1))


@get("/events", opt=requires("events.read"))
async def list_events(principal: Principal, archived: str = "false") -> list[dict]:
    """The events the caller may act on, soonest first. ``archived``: false (default),
    true, or all."""
    which = {"false": False, "true": True, "all": None}.get(archived, False)
    rows = await editing.list_events(archived=which, event_ids=principal.events)
    return [editing.event_json(r) for r in rows]


@post("/events", status_code=201, opt=requires("events.create"))
async def create_event(data: EventFields, principal: Principal) -> dict:
    """A new event (admin account or admin token); 409 ``slug_taken``, 422
    ``validation_failed`` with ``fields``."""
    row = await editing.create(principal.actor, _given(data))
    return editing.event_json(row)


@get("/events/{slug:str}", opt=requires("events.read"))
async def read_event(slug: str) -> dict:
    """One event with its ``version`` (send it back with a change)."""
    return editing.event_json(await editing.event_row(slug))


@patch("/events/{slug:str}", opt=requires("events.manage"))
async def update_event(request: Request, slug: str, data: EventPatch,
                       principal: Principal) -> dict:
    """Change the fields sent. 409 ``edit_conflict`` when ``version`` (or If-Match) is not
    the stored one; 409 ``schedule_published`` when a matching day's start moves while its
    meeting schedule is published and ``schedule`` (move | keep) is missing."""
    fields = _given(data, "version", "schedule", "archived", "slug")
    if data.slug is not UNSET and data.slug != slug:
        raise ValidationFailed({"slug": "bo.err.slug_fixed"})
    version = data.version if data.version is not UNSET else _if_match(request)
    warnings: list[str] = []
    row = None
    if fields or version is not None:
        row, warnings = await editing.update(
            principal.actor, slug, fields, version=version,
            schedule=data.schedule if data.schedule is not UNSET else None)
    if data.archived is not UNSET:
        row = await editing.set_archived(principal.actor, slug, data.archived)
    answer = editing.event_json(row or await editing.event_row(slug))
    if warnings:
        answer["warnings"] = warnings
    return answer


ROUTER = api_router("/api/v1", [list_events, create_event, read_event, update_event],
                    tags=["events"])
