"""Follow-up board API: list an event's matches, move them along the pipeline, set owners.

Thin on purpose: checks the token, decodes the body, calls ``event_ops.followup.service``.
Match URLs carry no event slug, so the match's event is looked up first and the token must
belong to that event (tokens are scoped to one event).
"""

from __future__ import annotations

import msgspec
from litestar import Request, get, post

from app.api.auth import credentials, staff
from app.api.params import PathId
from app.api.registrations import decode_json
from event_ops.access.permissions import check, identify
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.followup.service import (
    DEFAULT_IDLE_DAYS,
    HistoryEntry,
    MatchFilter,
    MatchView,
    assign_owner,
    change_status,
    get_match,
    list_matches,
    match_event_id,
    match_history,
    owner_candidates,
    parse_statuses,
)


async def match_staff(request: Request, match_id: int, permission: str) -> Principal:
    """Authorise a call on one match: 401 without a valid credential, 404 for no such
    match, 403 when the caller may not act on its event or lacks the permission."""
    authorization, session = credentials(request)
    principal = await identify(authorization, session)
    event_id = await match_event_id(match_id)
    if event_id is None:
        raise DomainError("match_not_found", "There is no such match.")
    check(principal, event_id, permission)
    return principal


@get("/api/v1/events/{slug:str}/matches", tags=["followup"])
async def event_matches(
    request: Request, slug: str, employer: int | None = None, owner: str | None = None,
    status: str | None = None, overdue: bool = False, idle_days: int = DEFAULT_IDLE_DAYS,
) -> list[MatchView]:
    """The board: ``employer`` (id), ``owner`` (e-mail, or ``-`` for nobody), ``status``
    (comma-separated), ``overdue=true`` (no status change for ``idle_days`` days)."""
    principal, event = await staff(request, slug, "matches.read")
    filters = MatchFilter(employer_id=employer, owner=owner, statuses=parse_statuses(status),
                          overdue=overdue, idle_days=max(1, min(idle_days, 365)))
    return await list_matches(event.id, filters, principal.actor)


class StatusInput(msgspec.Struct):
    status: str
    reason: str = ""


@post("/api/v1/matches/{match_id:int}/status", status_code=200, tags=["followup"])
async def set_match_status(request: Request, match_id: PathId) -> MatchView:
    """Move a match one step (``bad_transition``, ``reason_required`` for no_match, …)."""
    principal = await match_staff(request, match_id, "matches.write")
    data = decode_json(await request.body(), StatusInput)
    await change_status(match_id, data.status, data.reason, principal.actor)
    return await get_match(match_id)


class OwnerInput(msgspec.Struct):
    """``account_id`` (see ``GET /api/v1/events/{slug}/owners``), or the account's
    ``email``; neither: nobody. ``name`` is ignored (the account's name is used)."""

    account_id: int | None = None
    email: str = ""
    name: str = ""


@post("/api/v1/matches/{match_id:int}/owner", status_code=200, tags=["followup"])
async def set_match_owner(request: Request, match_id: PathId) -> MatchView:
    """Make an organiser or job coach account of the event the owner (``bad_owner``
    otherwise); the history records who did it."""
    principal = await match_staff(request, match_id, "matches.write")
    data = decode_json(await request.body(), OwnerInput)
    await assign_owner(match_id, principal.actor, account_id=data.account_id, email=data.email)
    return await get_match(match_id)


class OwnerOption(msgspec.Struct):
    id: int
    name: str
    email: str
    role: str


@get("/api/v1/events/{slug:str}/owners", tags=["followup"])
async def match_owners(request: Request, slug: str) -> list[OwnerOption]:
    """The accounts that may own this event's matches (the board's owner list)."""
    _, event = await staff(request, slug, "matches.read")
    return [OwnerOption(**o) for o in await owner_candidates(event.id)]


@get("/api/v1/matches/{match_id:int}/history", tags=["followup"])
async def get_match_history(request: Request, match_id: PathId) -> list[HistoryEntry]:
    """Every status change (and note) of one match, oldest first."""
    await match_staff(request, match_id, "matches.read")
    return await match_history(match_id)
