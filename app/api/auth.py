"""The HTTP face of ``event_ops.access.permissions``: who is calling, and may they.

A caller sends a bearer token (doors, tablets, scripts) or a session cookie (people who
logged in at ``/login``). A cookie is sent by the browser on its own, so a request that
changes something with only a cookie must also prove it comes from our own page: the
``X-CSRFToken`` header must repeat the CSRF cookie that our pages set (double submit: a
foreign site can neither read that cookie nor set the header), and that cookie must have
been made for this session (app/csrf.py), so a planted cookie and header pair fails.
"""

from __future__ import annotations

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

from app.csrf import csrf_passes
from event_ops.access.permissions import authorize, check, identify
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.events.service import cached_event
from event_ops.events.tables import Event

SESSION_COOKIE = "eo_session"
CSRF_COOKIE = "csrftoken"
CSRF_HEADER = "x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def credentials(connection: ASGIConnection) -> tuple[str | None, str | None]:
    """(Authorization header, session secret): a token wins over a cookie."""
    authorization = connection.headers.get("authorization")
    if authorization:
        return authorization, None
    session = connection.cookies.get(SESSION_COOKIE)
    if session and connection.scope.get("method", "GET") not in SAFE_METHODS and not csrf_passes(
            connection.headers.get(CSRF_HEADER), connection.cookies.get(CSRF_COOKIE),
            connection.app.state.settings.secret_key, session):
        raise DomainError("csrf_failed",
                          "This request did not come from an event-ops page. Reload the "
                          "page and try again.")
    return None, session


async def caller(connection: ASGIConnection, event_id: int | None, permission: str) -> Principal:
    authorization, session = credentials(connection)
    return await authorize(authorization, event_id, permission, session)


async def staff(request: Request, slug: str, permission: str) -> tuple[Principal, Event]:
    event = await cached_event(slug)
    return await caller(request, event.id, permission), event


async def organiser_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard for the OpenAPI schema (it maps every endpoint): organisers only."""
    try:
        principal = await identify(*credentials(connection))
        check(principal, None, "api.schema")
    except DomainError as exc:
        if exc.code == "forbidden":
            raise PermissionDeniedException("Only organisers may read the API schema.") from exc
        raise NotAuthorizedException("Log in as an organiser or send an organiser token.") \
            from exc
