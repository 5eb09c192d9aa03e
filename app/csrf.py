"""CSRF tokens bound to the session they were made for.

Litestar's CSRF middleware checks that the form field (or ``X-CSRFToken`` header) repeats
the CSRF cookie and that the cookie carries our HMAC. That alone accepted an attacker's
own cookie and field pair together with the victim's session (issue 12, finding 12): a
cookie planted from a neighbouring subdomain, or fixed on a shared computer, would do.
Here the token's HMAC also covers the session cookie the browser holds:

    token = R + HMAC-SHA256(secret key, R + "|" + session)

with R 32 random bytes in hex and ``session`` the ``eo_session`` cookie ("" before anyone
has logged in, e.g. on the login form). A token made for another session, or for none,
does not pass while a session is present. When the session changes (log in, log out) the
next page a browser loads gets a new token for the new session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from event_ops.core.settings import Settings

SESSION_COOKIE = "eo_session"  # the same name as app.api.auth.SESSION_COOKIE
RANDOM_HEX = 64


def _mac(random_part: str, session: str, secret_key: str) -> str:
    message = f"{random_part}|{session}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def new_csrf_token(secret_key: str, session: str = "") -> str:
    """A CSRF token for the browser holding ``session`` (its ``eo_session`` cookie)."""
    random_part = secrets.token_hex(RANDOM_HEX // 2)
    return random_part + _mac(random_part, session, secret_key)


def csrf_token_valid(token: str, secret_key: str, session: str = "") -> bool:
    """Was ``token`` made by us for this ``session``?"""
    random_part, mac = token[:RANDOM_HEX], token[RANDOM_HEX:]
    if len(random_part) != RANDOM_HEX or len(mac) != 64:
        return False
    return secrets.compare_digest(mac, _mac(random_part, session, secret_key))


def csrf_passes(sent: str | None, cookie: str | None, secret_key: str, session: str) -> bool:
    """The double-submit check, session-bound: the field or header repeats the cookie, and
    the cookie was made for the session this browser sends."""
    return bool(sent and cookie) and secrets.compare_digest(
        str(sent).encode(), str(cookie).encode()) and csrf_token_valid(
        str(cookie), secret_key, session)


class SessionCSRFMiddleware(CSRFMiddleware):
    """Litestar's ``CSRFMiddleware`` with tokens bound to the session (see the module)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or should_bypass_middleware(
            scope=scope, scopes=self.scopes, exclude_opt_key=self.config.exclude_from_csrf_key,
            exclude_path_pattern=self.exclude,
        ):
            await self.app(scope, receive, send)
            return
        request: Any = scope["litestar_app"].request_class(scope=scope, receive=receive)
        session = request.cookies.get(SESSION_COOKIE, "")
        cookie = request.cookies.get(self.config.cookie_name)
        state = ScopeState.from_scope(scope)
        secret_key = self.config.secret

        if request.method in self.config.safe_methods:
            if cookie and csrf_token_valid(cookie, secret_key, session):
                state.csrf_token = cookie
                await self.app(scope, receive, send)
            else:  # none yet, or made for another session: a new one with this page
                token = state.csrf_token = new_csrf_token(secret_key, session)
                await self.app(scope, receive, self._setting_cookie(send, token))
            return

        sent = request.headers.get(self.config.header_name)
        content_type, _ = request.content_type
        if not sent and content_type in (RequestEncodingType.URL_ENCODED,
                                         RequestEncodingType.MULTI_PART):
            sent = (await request.form()).get("_csrf_token")
        if not csrf_passes(sent, cookie, secret_key, session):
            raise PermissionDeniedException("CSRF token verification failed")
        state.csrf_token = sent
        await self.app(scope, receive, send)

    def _setting_cookie(self, send: Send, token: str) -> Send:
        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableScopeHeaders.from_message(message)
                headers.add("set-cookie", Cookie(
                    key=self.config.cookie_name, value=token, path=self.config.cookie_path,
                    secure=self.config.cookie_secure, httponly=self.config.cookie_httponly,
                    samesite=self.config.cookie_samesite, domain=self.config.cookie_domain,
                ).to_header(header=""))
            await send(message)

        return send_with_cookie


def session_csrf_middleware(settings: Settings) -> DefineMiddleware:
    """The app's CSRF protection for forms (the API checks the header in app.api.auth)."""
    return DefineMiddleware(SessionCSRFMiddleware, config=CSRFConfig(
        secret=settings.secret_key,
        cookie_secure=settings.base_url.startswith("https://"),
        cookie_samesite="strict",
        # /unsubscribe/: the secret link is the authorisation, and a mail program's
        # one-click POST (RFC 8058) carries no cookie (app/pages/unsubscribe.py).
        exclude=["/api/", "/health", "/ws/", "/unsubscribe/"],
    ))
