"""Who may do what: the one table every staff and device endpoint is checked against.

A bearer token carries one role for one event. ``authorize`` resolves the token, checks
that its event is the event in the URL, and that its role holds the permission.
"""

from __future__ import annotations

import time

from event_ops.access.tokens import Principal, hash_token, resolve_token
from event_ops.errors import DomainError

PERMISSIONS: dict[str, frozenset[str]] = {
    "checkin.scan": frozenset({"door"}),
    "checkin.undo": frozenset({"door"}),
    "stats.read": frozenset({"organiser", "door"}),
    "live.watch": frozenset({"organiser", "door"}),
    "badge.reissue": frozenset({"organiser", "door"}),
    "keys.read": frozenset({"organiser", "door", "employer"}),
    "visitor.search": frozenset({"organiser", "door"}),
    "interest.write": frozenset({"employer"}),
    "matches.read": frozenset({"organiser"}),
    # Follow-up board: move matches along the pipeline, set their owner.
    "matches.write": frozenset({"organiser"}),
    "reports.read": frozenset({"organiser"}),
    # Aggregate, suppressed numbers across all events: any event's organiser token.
    "reports.programme": frozenset({"organiser"}),
    "mail.status": frozenset({"organiser"}),
    "devices.pair": frozenset({"organiser"}),
    # Matching: organisers build recommendations and schedules; employers mark visitors and
    # read their own schedule and recommended visitors.
    "matching.manage": frozenset({"organiser"}),
    "matching.employer": frozenset({"employer"}),
}

# Tokens are looked up on every scan; a short cache keeps that off the database. A revoked
# token therefore stops working within this many seconds.
TOKEN_CACHE_SECONDS = 10.0
_cache: dict[str, tuple[float, Principal | None]] = {}


async def principal_for(token: str) -> Principal | None:
    key = hash_token(token)
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    principal = await resolve_token(token)
    if len(_cache) > 10_000:
        _cache.clear()
    _cache[key] = (now + TOKEN_CACHE_SECONDS, principal)
    return principal


def forget_cached_tokens() -> None:
    _cache.clear()


async def authorize(authorization: str | None, event_id: int, permission: str) -> Principal:
    """Raise ``unauthorized`` (no or unknown token) or ``forbidden`` (wrong event or role)."""
    if not authorization or not authorization.startswith("Bearer "):
        raise DomainError("unauthorized", "Send a token: 'Authorization: Bearer <token>'.")
    principal = await principal_for(authorization[7:].strip())
    if principal is None:
        raise DomainError("unauthorized", "This token is not valid or has been revoked.")
    if principal.event_id != event_id:
        raise DomainError("forbidden", "This token belongs to another event.")
    if principal.role not in PERMISSIONS[permission]:
        raise DomainError("forbidden", f"A {principal.role} token may not do this.")
    return principal
