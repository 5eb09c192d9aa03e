"""Helpers every server-rendered page uses: language choice and the template context."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Template

from app.api.auth import SESSION_COOKIE
from event_ops.access.accounts import resolve_session
from event_ops.access.tokens import Principal
from event_ops.events.service import get_event
from event_ops.i18n import STAFF_LANGUAGES, TEXTS, choose_language, t
from event_ops.texts.audience import LANGUAGE_NAMES, VISITOR_LANGUAGES
from event_ops.texts.direction import text_direction

#: The cookie that keeps a chosen language (set when a page is asked for with ``?lang=``).
LANG_COOKIE = "lang"
#: Pages a visitor sees (all visitor languages); every other page is for staff (nl, en).
_VISITOR_PATH = re.compile(
    r"^/(?:$|events/[^/]+(?:/register|/registered(?:/[^/]+)?)?$|(?:privacy|terms)$"
    r"|(?:i|kiosk|me|s|unsubscribe|badges)/)")


def is_visitor_page(path: str) -> bool:
    return _VISITOR_PATH.match(path) is not None


def page_languages(request: Request) -> tuple[str, ...]:
    return VISITOR_LANGUAGES if is_visitor_page(request.url.path) else STAFF_LANGUAGES


def page_language(request: Request, saved: str | None = None) -> str:
    """The page's language (event_ops.i18n.choose_language): ``?lang=``, ``saved`` (the
    visitor's own ``language`` on pages with their link: it is theirs, the cookie is the
    browser's), the ``lang`` cookie, the browser's Accept-Language, Dutch; on staff pages
    only Dutch or English."""
    return choose_language(
        request.query_params.get("lang"), (saved, request.cookies.get(LANG_COOKIE)),
        request.headers.get("accept-language"), page_languages(request))


def language_menu(request: Request, lang: str) -> list[dict[str, str]]:
    """The language menu: each language named in its own script, with its lang and dir."""
    return [{"code": code, "name": LANGUAGE_NAMES[code], "dir": text_direction(code),
             "current": "1" if code == lang else ""} for code in page_languages(request)]


def remember_language(request: Request) -> list[Cookie]:
    """A ``lang`` cookie when the language was chosen in the language menu (its links
    say ``?lang=xx&remember=1``). Not for every ``?lang=``: every link between pages carries
    one, and a link someone else sent must not change this browser's preference."""
    chosen = request.query_params.get("lang")
    if (request.query_params.get("remember") == "1" and chosen in VISITOR_LANGUAGES
            and request.cookies.get(LANG_COOKIE) != chosen):
        return [Cookie(key=LANG_COOKIE, value=chosen, path="/", max_age=365 * 24 * 3600,
                       samesite="lax", httponly=True)]
    return []


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> Template:
    lang = context.pop("lang", None) or page_language(request)
    other = "en" if lang == "nl" else "nl"
    return Template(
        template_name=template,
        context={"lang": lang, "other_lang": other, "path": request.url.path,
                 "language_menu_items": language_menu(request, lang), **context},
        status_code=status_code,
        cookies=remember_language(request),
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
