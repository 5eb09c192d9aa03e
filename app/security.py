"""Security headers on every response (rate limits: app/ratelimit.py)."""

from __future__ import annotations

import re

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.settings import Settings

# No inline script anywhere: every script is a file under /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def security_headers_middleware(settings: Settings):
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

    allowed = settings.host_names

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] in ("http", "websocket") and not host_allowed(scope, allowed):
                await _refuse_host(scope, receive, send)
                return
            if scope["type"] != "http":
                await app(scope, receive, send)
                return

            async def send_wrapper(message: Message) -> None:
                if message["type"] == "http.response.start":
                    # Appending raw header pairs: this runs on every response.
                    message["headers"] = [*message.get("headers", ()), *extra]
                await send(message)

            await app(scope, receive, send_wrapper)

        return middleware

    return factory


# "name[:port]" or "[ipv6][:port]"; a trailing dot (a fully qualified name) is the same host.
_HOST = re.compile(r"(?:\[(?P<ipv6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9_.-]+?))\.?(?::[0-9]{1,5})?")


def host_allowed(scope: Scope, allowed: frozenset[str]) -> bool:
    """Is the Host header one of ours? A forged Host would otherwise end up in links we
    build and lets DNS-rebinding pages talk to a server on the organiser's laptop."""
    if "*" in allowed:
        return True
    host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1").lower()
    match = _HOST.fullmatch(host)
    if match is None:
        return False
    name = match.group("ipv6") or match.group("name")
    return name in allowed or any(
        a.startswith("*.") and name.endswith(a[1:]) for a in allowed)


async def _refuse_host(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})
        return
    body = b'{"error":"bad_host","detail":"This server does not answer to this host name."}'
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

