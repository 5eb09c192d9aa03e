"""Small builders the tests share: events open for check-in, visitors, tokens, badges."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NoReturn

import pytest

from app.csrf import new_csrf_token
from badges.service import token_for
from event_ops.access.accounts import create_account, log_in
from event_ops.access.tokens import create_token
from event_ops.core.settings import get_settings
from event_ops.events.service import create_event
from event_ops.events.tables import Event
from event_ops.people.registration import RegistrationInput, register


async def open_event(slug: str = "festival-today", capacity: int | None = None) -> Event:
    """An event that started an hour ago: check-in is open."""
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
    return await create_event(
        slug=slug, name=f"Event {slug}", kind="festival", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8), capacity=capacity, location="Groningen",
    )


async def visitor(event: Event, n: int, name: str = "Sara Bakker", share: bool = True):
    outcome = await register(
        event,
        RegistrationInput(name=name, email=f"v{n}@example.nl", consent_terms=True,
                          consent_share_profile=share, sectors=["care"]),
    )
    return outcome


async def badge(event: Event, registration_id: int, serial: int = 1) -> str:
    return await token_for(event.id, registration_id, serial, get_settings())


async def bearer(event: Event, role: str = "door", label: str = "Door North",
                 employer_id: int | None = None) -> dict[str, str]:
    token = await create_token(event, role=role, label=label, employer_id=employer_id)
    return {"Authorization": f"Bearer {token}"}


# The desk and print counts in an event's stats before any walk-in or print job.
NO_DESK_COUNTS = {"walkins_by_desk": {}, "prints_by_station": {}, "print_queue": 0,
                  "prints_failed": 0}

PASSWORD = "correct horse battery"


async def signed_in(role: str, events: list[Event] | None = None,
                    email: str | None = None) -> dict[str, str]:
    """Headers of a browser where an account of ``role`` has logged in: the session
    cookie plus the CSRF cookie and the header that must repeat it."""
    email = email or f"{role}.{secrets.token_hex(4)}@gemeente.example.nl"
    await create_account(email, role.replace("_", " ").title(), role, PASSWORD,
                         [e.id for e in events or []])
    session = await log_in(email, PASSWORD)
    csrf = csrf_token(session)
    return {"Cookie": f"eo_session={session}; csrftoken={csrf}", "X-CSRFToken": csrf}


def csrf_token(session: str = "") -> str:
    """A CSRF cookie value as our pages make it for a browser holding ``session`` (its
    ``eo_session`` cookie; "" before logging in): random part + HMAC (app/csrf.py)."""
    return new_csrf_token(get_settings().secret_key, session)


def service_missing(reason: str) -> NoReturn:
    """A service a test needs is not there: skip on a developer's machine, fail under CI=true
    (CI starts every service, so there a missing one is a broken run, not a skip)."""
    from tests.conftest import IN_CI

    if IN_CI:
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


async def early_in_the_minute(margin: float = 15.0) -> None:
    """Rate limits count per clock minute: a test that expects its requests in one window
    against a server process (whose clock it cannot hold) starts early in a minute."""
    import asyncio
    import time

    if (left := 60 - time.time() % 60) < margin:
        await asyncio.sleep(left + 0.5)


def require_redis() -> None:
    """The shared Redis on 127.0.0.1:6379 must answer (``service_missing`` otherwise)."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), 1):
            return
    except OSError:
        service_missing("Redis is not running on 127.0.0.1:6379")
