"""Follow-up board API: list an event's matches, move them along the pipeline, set owners.

Thin on purpose: the router's guard checks the caller, Litestar decodes the body, the
handlers call ``event_ops.followup.service``. Match URLs carry no event slug: the guard looks
the match's event up and the caller must be allowed to act on that event (app/api/auth.py).
"""

from __future__ import annotations

import msgspec
from litestar import get, post

from app.api.auth import api_router, requires
from app.api.params import PathId
from event_ops.access.tokens import Principal
from event_ops.events.tables import Event
from event_ops.followup.service import (
    DEFAULT_IDLE_DAYS,
    HistoryEntry,
    MatchFilter,
    MatchView,
    assign_owner,
    change_status,
    get_match,
    list_matches,
    match_history,
    owner_candidates,
    parse_statuses,
)


@get("/events/{slug:str}/matches", opt=requires("matches.read"))
async def event_matches(
    event: Event, principal: Principal, employer: int | None = None, owner: str | None = None,
    status: str | None = None, overdue: bool = False, idle_days: int = DEFAULT_IDLE_DAYS,
) -> list[MatchView]:
    """The board: ``employer`` (id), ``owner`` (e-mail, or ``-`` for nobody), ``status``
    (comma-separated), ``overdue=true`` (no status change for ``idle_days`` days)."""
    filters = MatchFilter(employer_id=employer, owner=owner, statuses=parse_statuses(status),
                          overdue=overdue, idle_days=max(1, min(idle_days, 365)))
    return await list_matches(event.id, filters, principal.actor)


class StatusInput(msgspec.Struct):
    status: str
    reason: str = ""


@post("/matches/{match_id:int}/status", status_code=200, opt=requires("matches.write"))
async def set_match_status(principal: Principal, match_id: PathId,
                           data: StatusInput) -> MatchView:
    """Move a match one step (``bad_transition``, ``reason_required`` for no_match, …)."""
    await change_status(match_id, data.status, data.reason, principal.actor)
    return await get_match(match_id)


class OwnerInput(msgspec.Struct):
    """``account_id`` (see ``GET /api/v1/events/{slug}/owners``), or the account's
    ``email``; neither: nobody. ``name`` is ignored (the account's name is used)."""

    account_id: int | None = None
    email: str = ""
    name: str = ""


@post("/matches/{match_id:int}/owner", status_code=200, opt=requires("matches.write"))
async def set_match_owner(principal: Principal, match_id: PathId,
                          data: OwnerInput) -> MatchView:
    """Make an organiser or job coach account of the event the owner (``bad_owner``
    otherwise); the history records who did it."""
    await assign_owner(match_id, principal.actor, account_id=data.account_id, email=data.email)
    return await get_match(match_id)


class OwnerOption(msgspec.Struct):
    id: int
    name: str
    email: str
    role: str


@get("/events/{slug:str}/owners", opt=requires("matches.read"))
async def match_owners(event: Event) -> list[OwnerOption]:
    """The accounts that may own this event's matches (the board's owner list)."""
    return [OwnerOption(**o) for o in await owner_candidates(event.id)]


@get("/matches/{match_id:int}/history", opt=requires("matches.read"))
async def get_match_history(match_id: PathId) -> list[HistoryEntry]:
    """Every status change (and note) of one match, oldest first."""
    return await match_history(match_id)


ROUTER = api_router("/api/v1", [event_matches, set_match_status, set_match_owner, match_owners,
                                get_match_history], tags=["followup"])
