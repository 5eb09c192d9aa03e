"""The HTTP face of ``event_ops.access.permissions``: who is calling, and may they.

A caller sends a bearer token (doors, tablets, scripts) or a session cookie (people who
logged in at ``/login``). A cookie is sent by the browser on its own, so a request that
changes something with only a cookie must also prove it comes from our own page: the
``X-CSRFToken`` header must repeat the CSRF cookie that our pages set (double submit: a
foreign site can neither read that cookie nor set the header), and that cookie must have
been made for this session (app/csrf.py), so a planted cookie and header pair fails.
"""

from __future__ import annotations

from litestar import Request, Router
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler

from app.csrf import csrf_passes
from app.input_limits import refuse_deep_json
from event_ops.access.permissions import (
    FRESH_PERMISSIONS,
    PERMISSIONS,
    authorize,
    check,
    identify,
)
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.events.service import cached_event
from event_ops.events.tables import Event
from event_ops.followup.service import match_event_id
from event_ops.types import MAX_DB_ID

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


# ---- permissions as data: one guard for every API route ------------------------------------
#
# Every route under /api declares what it needs in its ``opt``: ``{"permission": "<name>"}``
# with a name from ``event_ops.access.permissions.PERMISSIONS``, or ``PUBLIC`` for a route
# anyone may call. The context's Router runs ``permission_guard``, which reads that and does
# the one check; ``tests/test_roles.py`` walks the app's routes and fails for a route that
# declares nothing. The caller (and the event of the URL) the guard found are handed to the
# handler as the ``principal`` and ``event`` dependencies: one token lookup per request.

PUBLIC = None  # opt={"permission": PUBLIC}: anyone, on purpose (sign-up, pairing a device)
PERMISSION = "permission"
_PRINCIPAL = "eventops.principal"
AUTO_OPTIONS = frozenset({"OPTIONS"})
_EVENT = "eventops.event"


def requires(permission: str | None) -> dict[str, str | None]:
    """A route's ``opt``: the permission it needs (``PUBLIC``: none). Unknown names fail
    at import, so a typo never becomes a route that nobody (or everybody) may call."""
    if permission is not PUBLIC and permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return {PERMISSION: permission}


async def permission_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The guard of every API router: checks the permission the route names in its ``opt``.

    In this order, as the handlers did it themselves before: a JSON body nested too deep is
    a 400 first (before the caller is known, like every other malformed body); the event of
    ``{slug}`` must exist (404 ``event_not_found``); the caller must be known (401), and may
    act on that event with that permission (403). A ``{match_id}`` URL names no event: the
    caller is identified first, then the match's event is looked up (404
    ``match_not_found``). A route without a declared permission is refused (fail closed)."""
    if PERMISSION not in handler.opt:
        if handler.http_methods == AUTO_OPTIONS:  # Litestar's own 204 naming the methods
            return
        raise DomainError("forbidden", "This route declares no permission.")
    if "data" in handler.parsed_fn_signature.parameters:
        refuse_deep_json(await connection.body())  # type: ignore[attr-defined]
    permission = handler.opt[PERMISSION]
    if permission is PUBLIC:
        return
    params = connection.path_params
    state = connection.scope["state"]  # type: ignore[typeddict-item]
    if "match_id" in params:
        principal = await identify(*credentials(connection),
                                   fresh=permission in FRESH_PERMISSIONS)
        event_id = await match_event_id(_db_id(params["match_id"]))
        if event_id is None:
            raise DomainError("match_not_found", "There is no such match.")
        check(principal, event_id, permission)
    elif "slug" in params:
        event = state[_EVENT] = await cached_event(params["slug"])
        principal = await caller(connection, event.id, permission)
    else:  # not bound to one event (the programme report)
        principal = await caller(connection, None, permission)
    state[_PRINCIPAL] = principal


def _db_id(value: int) -> int:
    """A match id from the URL, inside the database's range (Litestar checks ``PathId``
    bounds only after the guards)."""
    if not 1 <= value <= MAX_DB_ID:
        raise DomainError("bad_request", f"Ids are between 1 and {MAX_DB_ID}.")
    return value


def _principal(request: Request) -> Principal:
    return request.scope["state"][_PRINCIPAL]  # type: ignore[typeddict-item]


def _event(request: Request) -> Event:
    return request.scope["state"][_EVENT]  # type: ignore[typeddict-item]


def api_router(path: str, route_handlers: list[HTTPRouteHandler], *, tags: list[str]) -> Router:
    """One context's API routes, each behind ``permission_guard`` unless it is ``PUBLIC``
    (Litestar copies the handler for every guard call, ~19 us a request: the sign-up, a
    public hot path, does without). Handlers take ``principal`` (the caller the guard
    identified) and ``event`` (the event of ``{slug}``) as parameters instead of looking
    them up again. A handler that declares nothing gets the guard, which refuses it."""
    for handler in route_handlers:
        if handler.opt.get(PERMISSION, permission_guard) is not PUBLIC:
            handler.guards = [*(handler.guards or ()), permission_guard]
    return Router(path=path, route_handlers=route_handlers, tags=tags,
                  dependencies={"principal": Provide(_principal, sync_to_thread=False),
                                "event": Provide(_event, sync_to_thread=False)})
