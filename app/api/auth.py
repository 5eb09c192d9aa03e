"""The HTTP face of ``event_ops.access.permissions``: event by slug + bearer token check."""

from __future__ import annotations

from litestar import Request

from event_ops.access.permissions import authorize
from event_ops.access.tokens import Principal
from event_ops.events.service import cached_event
from event_ops.events.tables import Event


async def staff(request: Request, slug: str, permission: str) -> tuple[Principal, Event]:
    event = await cached_event(slug)
    principal = await authorize(request.headers.get("authorization"), event.id, permission)
    return principal, event
