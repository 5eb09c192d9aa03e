"""Security headers on every response (rate limits: app/ratelimit.py)."""

from __future__ import annotations

import re

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from event_ops.core.settings import Settings

# No inline script anywhere: every script is a file under /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


# Addresses whose path holds a secret: the visitor's own page (and everything below it)
# the badge files and staff invitations. Never cached, never logged (app/logs.py).
SECRET_LINK_PREFIXES = ("/me/", "/badges/", "/invite/")


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    extra: list[tuple[bytes, bytes]] = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        # Secret links live in URLs: never leak them to other sites.
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
    ]
    if settings.base_url.startswith("https://"):
        extra.append((b"strict-transport-security", b"max-age=31536000"))
    return extra


def security_headers_hook(settings: Settings):
    """The app's ``before_send`` hook: the security headers on every HTTP answer. A hook
    and not a middleware, because Litestar answers an unknown path (404) or method (405)
    before any middleware runs; the hook sees those answers too."""
    extra = security_headers(settings)
    no_store = [*extra, (b"cache-control", b"no-store")]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", ())
            # A page behind a secret link shows personal data: never kept in a cache (the
            # browser's or a proxy's), whatever its handler says.
            if scope["path"].startswith(SECRET_LINK_PREFIXES) and not any(
                    name.lower() == b"cache-control" for name, _ in headers):
                message["headers"] = [*headers, *no_store]
            else:
                # Appending raw header pairs: this runs on every response.
                message["headers"] = [*headers, *extra]

    return add_headers


def security_headers_middleware(settings: Settings):
    """Refuses foreign Host headers and addresses with NUL before any handler runs (the
    headers themselves come from ``security_headers_hook``)."""
    allowed = settings.host_names

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] in ("http", "websocket") and (
                    not host_allowed(scope, allowed) or has_nul(scope)):
                await _refuse(scope, receive, send)
                return
            await app(scope, receive, send)

        return middleware

    return factory


# "name[:port]" or "[ipv6][:port]"; a trailing dot (a fully qualified name) is the same host.
_HOST = re.compile(
    r"(?:\[(?P<ipv6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9_.-]+?))\.?(?::(?P<port>[0-9]{1,5}))?")


def host_allowed(scope: Scope, allowed: frozenset[str]) -> bool:
    """Is the Host header one of ours? A forged Host would otherwise end up in links we
    build and lets DNS-rebinding pages talk to a server on the organiser's laptop."""
    if "*" in allowed:
        return True
    host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1").lower()
    match = _HOST.fullmatch(host)
    if match is None:
        return False
    port = match.group("port")
    if port is not None and int(port) > 65535:  # would break building the request's URL
        return False
    name = match.group("ipv6") or match.group("name")
    return name in allowed or any(
        a.startswith("*.") and name.endswith(a[1:]) for a in allowed)


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    """A foreign Host, or NUL in the address: 400 (a websocket is closed, policy)."""
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})
        return
    await _send_error(send, 400, _NUL_ANSWER if has_nul(scope) else _BAD_HOST_ANSWER)


_BAD_HOST_ANSWER = b'{"error":"bad_host","detail":"This server does not answer to this host name."}'
_NUL_ANSWER = (b'{"error":"bad_request","detail":"The address may not contain NUL (%00) '
               b'characters."}')


def has_nul(scope: Scope) -> bool:
    """A NUL in the path or query: no address of ours has one, and it broke file names
    (static files) and PostgreSQL text (slugs) with a 500 further in."""
    return "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")


async def _send_error(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

