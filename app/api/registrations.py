from __future__ import annotations

from typing import TypeVar

import msgspec
from litestar import Request, post

from event_ops.errors import DomainError
from event_ops.events.service import cached_event
from event_ops.mail.render import badge_url
from event_ops.people.registration import RegistrationInput, register


class RegistrationCreated(msgspec.Struct):
    id: int
    status: str
    badge_url: str | None
    waiting_position: int | None = None


T = TypeVar("T")


def decode_json(body: bytes, type_: type[T]) -> T:
    try:
        return msgspec.json.decode(body, type=type_)
    except msgspec.DecodeError as exc:
        raise DomainError("bad_request", f"The request body is not valid: {exc}") from exc


@post("/api/v1/events/{slug:str}/registrations", status_code=201, tags=["registration"])
async def create_registration(
    request: Request, slug: str, data: RegistrationInput
) -> RegistrationCreated:
    event = await cached_event(slug)
    outcome = await register(event, data)
    # Not a ``state: State`` parameter: Litestar builds a new State object for that on every
    # request (~20,000 instructions, 2 % of a sign-up).
    state = request.app.state
    state.outbox.wake()
    settings = state.settings
    return RegistrationCreated(
        id=outcome.registration_id,
        status=outcome.status,
        badge_url=badge_url(settings, outcome.registration_id, outcome.badge_serial)
        if outcome.status == "registered" else None,
        waiting_position=outcome.waiting_position,
    )
