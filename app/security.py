"""Security headers on every response, and which requests the rate limit counts."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.settings import Settings

# No inline script anywhere: every script is a file under /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def security_headers_middleware(settings: Settings):
    hsts = settings.base_url.startswith("https://")

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return

            async def send_wrapper(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableScopeHeaders.from_message(message)
                    headers["Content-Security-Policy"] = CSP
                    headers["X-Content-Type-Options"] = "nosniff"
                    # Secret links live in URLs: never leak them to other sites.
                    headers["Referrer-Policy"] = "no-referrer"
                    headers["X-Frame-Options"] = "DENY"
                    headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"
                    if hsts:
                        headers["Strict-Transport-Security"] = "max-age=31536000"
                await send(message)

            await app(scope, receive, send_wrapper)

        return middleware

    return factory


PUBLIC_THROTTLED = ("/me/",)


async def is_rate_limited_request(request: Request) -> bool:
    """Public endpoints that strangers can hammer: sign-ups and secret links."""
    path = request.url.path
    if path.startswith(PUBLIC_THROTTLED):
        return True
    return request.method == "POST" and (
        path.endswith("/registrations") or path.endswith("/register")
    )
