"""The HTTP face of ``event_ops.access.permissions``: event by slug + bearer token check."""

from __future__ import annotations

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from event_ops.access.permissions import authorize, principal_for
from event_ops.access.tokens import Principal
from event_ops.events.service import cached_event
from event_ops.events.tables import Event


async def staff(request: Request, slug: str, permission: str) -> tuple[Principal, Event]:
    event = await cached_event(slug)
    principal = await authorize(request.headers.get("authorization"), event.id, permission)
    return principal, event


async def organiser_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard for the OpenAPI schema: an organiser token of any event."""
    header = connection.headers.get("authorization") or ""
    principal = await principal_for(header[7:].strip()) if header.startswith("Bearer ") else None
    if principal is None:
        raise NotAuthorizedException("Send an organiser token: 'Authorization: Bearer <token>'.")
    if principal.role != "organiser":
        raise PermissionDeniedException("Only organisers may read the API schema.")
