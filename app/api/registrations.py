from __future__ import annotations

import msgspec
from litestar import Request, post

from app.api.auth import PUBLIC, api_router, requires
from app.api.registration_desk import registration_list
from event_ops import clock
from event_ops.events.service import cached_event, check_public_signup
from event_ops.people.registration import RegistrationInput, answer_badge_url, register


class RegistrationCreated(msgspec.Struct):
    id: int
    status: str
    badge_url: str | None
    waiting_position: int | None = None


@post("/events/{slug:str}/registrations", status_code=201, opt=requires(PUBLIC))
async def create_registration(
    request: Request, slug: str, data: RegistrationInput
) -> RegistrationCreated:
    """Sign up. ``badge_url`` is null on the waiting list and for an e-mail address that
    belongs to a visitor already: that badge goes by e-mail to the address only. The same
    address for the same event again: 409 ``already_registered`` (the mail is sent again)."""
    event = await cached_event(slug)
    check_public_signup(event, clock.now())  # invitation only, window, archived
    outcome = await register(event, data)
    # Not a ``state: State`` parameter: Litestar builds a new State object for that on every
    # request (~20,000 instructions, 2 % of a sign-up).
    state = request.app.state
    return RegistrationCreated(
        id=outcome.registration_id,
        status=outcome.status,
        # None for an address that belonged to a visitor already: the badge goes by mail.
        badge_url=answer_badge_url(state.settings, outcome),
        waiting_position=outcome.waiting_position,
    )


# The desk's list (GET) shares the sign-up's path: one router, so one route for the path
# (two routers would each add an automatic OPTIONS handler for it, which Litestar refuses).
ROUTER = api_router("/api/v1", [create_registration, registration_list], tags=["registration"])
