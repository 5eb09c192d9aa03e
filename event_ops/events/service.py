from __future__ import annotations

import datetime as dt
import re
from typing import Any

from event_ops.core.caches import TTLCache
from event_ops.core.db import is_unique_violation
from event_ops.core.errors import DomainError
from event_ops.events.tables import BADGE_SIZES, EVENT_KINDS, Event

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")


async def create_event(
    *,
    slug: str,
    name: str,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int | None = None,
    sector: str | None = None,
    location: str = "",
    description: str = "",
    badge_size: str | None = None,
    programme: int | None = None,
) -> Event:
    """A new event. ``programme`` None: the newest open programme (made first when there is
    none, see ``event_ops.programmes.service``)."""
    from event_ops.programmes.service import ensure_default_programme

    if not SLUG_RE.match(slug):
        raise DomainError(
            "bad_slug", "The slug must be 3-64 characters: lowercase letters, digits and '-'."
        )
    if kind not in EVENT_KINDS:
        raise DomainError("bad_kind", f"Kind must be one of {', '.join(EVENT_KINDS)}.")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise DomainError("bad_time", "Give start and end with a time zone, e.g. +01:00.")
    if ends_at <= starts_at:
        raise DomainError("bad_time", "The event must end after it starts.")
    if capacity is not None and capacity < 0:
        raise DomainError("bad_capacity", "Capacity cannot be negative.")
    badge_size = badge_size or ("a6" if kind == "festival" else "card")
    if badge_size not in BADGE_SIZES:
        raise DomainError("bad_badge_size", f"Badge size must be one of {', '.join(BADGE_SIZES)}.")
    event = Event(
        slug=slug,
        name=name.strip(),
        kind=kind,
        sector=sector,
        location=location,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        badge_size=badge_size,
        checkin_opens_at=starts_at - dt.timedelta(hours=2),
        checkin_closes_at=ends_at,
        programme=programme if programme is not None else await ensure_default_programme(),
    )
    try:
        await event.save()
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError("slug_taken", f"An event with slug {slug!r} exists already.") from exc
        raise
    return event


async def get_event(slug: str) -> Event:
    event = await Event.objects().where(Event.slug == slug).first()
    if event is None:
        raise DomainError("event_not_found", f"There is no event {slug!r}.")
    return event


EVENT_CACHE_SECONDS = 5.0
_cache: TTLCache[str, Event] = TTLCache("events.by_slug", seconds=EVENT_CACHE_SECONDS)


async def cached_event(slug: str) -> Event:
    """``get_event`` for hot paths (every scan, every sign-up): events change rarely, so a
    copy up to a few seconds old is fine and saves a query per request."""
    event = _cache.get(slug)
    if event is None:
        event = await get_event(slug)  # only real events are kept: slugs come from URLs
        _cache.put(slug, event)
    return event


def forget_cached_events() -> None:
    _cache.clear()


async def list_upcoming_events(after: dt.datetime) -> list[dict[str, Any]]:
    """The public list: events not over yet, public and not archived (an invitation-only
    event is reached through its invitation, never through the list)."""
    return (
        await Event.select()
        .where(Event.ends_at >= after, Event.visibility == "public",
               Event.archived_at.is_null())
        .order_by(Event.starts_at)
        .run()
    )


def check_public_signup(event: Event, now: dt.datetime) -> None:
    """May anyone sign up for ``event`` on their own right now? Raises ``invitation_only``,
    ``registration_not_open`` (before the window opens), ``registration_closed`` (after it
    closes, or archived). The event being over is ``register``'s own rule (``event_over``).
    Only public sign-up (the form and the API) asks this: the desk, walk-ins and
    invitations are let in by staff."""
    if event.archived_at is not None:
        raise DomainError("registration_closed", "Sign-up for this event is closed.")
    if event.visibility == "invitation_only":
        raise DomainError("invitation_only",
                          "This event is by invitation only; you cannot sign up here.")
    check_invited_signup(event, now)


def check_invited_signup(event: Event, now: dt.datetime) -> None:
    """May someone sign up with a personal invitation link right now? The same rules as
    ``check_public_signup`` except that the event may be invitation only."""
    if event.archived_at is not None:
        raise DomainError("registration_closed", "Sign-up for this event is closed.")
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        raise DomainError("registration_not_open", "Sign-up for this event has not opened yet.")
    if event.registration_closes_at is not None and now >= event.registration_closes_at:
        raise DomainError("registration_closed", "Sign-up for this event is closed.")
