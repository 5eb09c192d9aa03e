from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Request, get, post

from app.api.auth import api_router, requires
from checkin.door import search_registrations
from checkin.scan import CheckinResult
from checkin.walkin import WalkinInput
from checkin.walkin import walk_in as register_walk_in
from event_ops.access.tokens import Principal
from event_ops.events.tables import Event
from event_ops.people.registration import answer_badge_url


class FoundVisitor(msgspec.Struct):
    id: int
    name: str
    status: str
    checked_in_at: dt.datetime | None
    checked_in_door: str | None


@get("/events/{slug:str}/visitors", opt=requires("visitor.search"))
async def find_visitors(event: Event, principal: Principal, q: str = "") -> list[FoundVisitor]:
    """Door staff look up someone who has no badge with them, by name or phone number."""
    return msgspec.convert(await search_registrations(event.id, q, principal),
                           list[FoundVisitor])


class WalkIn(msgspec.Struct):
    registration_id: int
    status: str
    badge_url: str | None
    checkin: CheckinResult


@post("/events/{slug:str}/walkins", status_code=201, opt=requires("checkin.scan"))
async def walk_in(request: Request, event: Event, principal: Principal,
                  data: WalkinInput) -> WalkIn:
    """Register someone at the desk (they agree to the terms there) and check them in.
    E-mail is optional (CONTRACT v1.1). ``badge_url`` is null for an address that belongs
    to a visitor already (the badge goes to that address by e-mail)."""
    outcome, result = await register_walk_in(event, principal, data, "desk")
    # A typed address of someone we know already gets no badge link: it goes by mail.
    return WalkIn(outcome.registration_id, outcome.status,
                  answer_badge_url(request.app.state.settings, outcome), result)


ROUTER = api_router("/api/v1", [find_visitors, walk_in], tags=["door"])
