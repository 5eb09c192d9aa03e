"""Helpers every server-rendered page uses: language choice and the template context."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from app.api.auth import SESSION_COOKIE
from event_ops.access.accounts import resolve_session
from event_ops.access.tokens import Principal
from event_ops.events.service import get_event
from event_ops.i18n import TEXTS, pick_language, t


def page_language(request: Request) -> str:
    return pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> Template:
    lang = context.pop("lang", None) or page_language(request)
    other = "en" if lang == "nl" else "nl"
    return Template(
        template_name=template,
        context={"lang": lang, "other_lang": other, "path": request.url.path, **context},
        status_code=status_code,
    )


_ERROR_PREFIXES = ("err.",)


def script_texts(lang: str, *prefixes: str) -> dict[str, object]:
    """The texts a page script needs, in the page language, plus English → page language
    for the API's validation messages."""
    texts: dict[str, object] = {
        key: t(key, lang) for key in TEXTS if key.startswith(prefixes)
    }
    texts["_errors"] = {
        t(key, "en"): t(key, lang) for key in TEXTS if key.startswith(_ERROR_PREFIXES)
    }
    return texts


async def staff_page(
    request: Request, slug: str, template: str, *prefixes: str, **context: Any
) -> Template:
    """A page shell for staff and devices (door, dashboard, tablet, board, …): the event,
    and the texts its script needs. Data comes from the API with the device's token, or
    with the session cookie when an organiser has logged in."""
    lang = page_language(request)
    event = await get_event(slug)  # no such event: the error page (app/errors.py), 404
    return render(request, template, lang=lang, event=event,
                  texts=script_texts(lang, *prefixes),
                  signed_in=await has_session(request), **context)


async def session_principal(request: Request) -> Principal | None:
    """The account logged in on this browser, or None."""
    secret = request.cookies.get(SESSION_COOKIE)
    return await resolve_session(secret) if secret else None


async def has_session(request: Request) -> bool:
    """Has someone logged in on this browser? Organiser pages then call the API with the
    session cookie instead of asking for a token (static/js/pair.js)."""
    return await session_principal(request) is not None
