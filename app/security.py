"""Security headers on every response, and which requests the rate limit counts."""

from __future__ import annotations

from litestar import Request
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

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
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


PUBLIC_THROTTLED = ("/me/", "/api/v1/pair/")


async def is_rate_limited_request(request: Request) -> bool:
    """Public endpoints that strangers can hammer: sign-ups and secret links."""
    path = request.url.path
    if path.startswith(PUBLIC_THROTTLED):
        return True
    return request.method == "POST" and (
        path.endswith("/registrations") or path.endswith("/register")
    )
