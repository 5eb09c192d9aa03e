"""Device pages: pairing, the door scanner and the live dashboard.

The pages themselves hold nothing secret: the device token lives in the browser's
localStorage and every call to the API carries it. Texts for the scripts come in a
``data-texts`` attribute (JSON), because the CSP forbids inline script.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.pages.common import page_language, render
from event_ops.errors import DomainError
from event_ops.events.service import get_event
from event_ops.i18n import TEXTS, t

# Validation texts come from the API in English; the door page shows them in its language.
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


async def _device_page(request: Request, slug: str, template: str, *prefixes: str) -> Template:
    lang = page_language(request)
    try:
        event = await get_event(slug)
    except DomainError:
        return render(request, "error.html", lang=lang, status_code=404,
                      message_key="error.event_not_found")
    return render(request, template, lang=lang, event=event,
                  texts=script_texts(lang, *prefixes))


@get("/pair", name="pair", include_in_schema=False)
async def pair_page(request: Request) -> Template:
    """Open from the pairing QR (``/pair#<code>``): redeems the code, stores the token."""
    lang = page_language(request)
    return render(request, "pair.html", lang=lang, texts=script_texts(lang, "pair."))


@get("/door/{slug:str}", name="door", include_in_schema=False)
async def door_page(request: Request, slug: str) -> Template:
    """The door scanner: camera, hand scanner, search by name, walk-ins, offline queue."""
    return await _device_page(request, slug, "door.html", "door.", "scan.")


@get("/dashboard/{slug:str}", name="dashboard", include_in_schema=False)
async def dashboard_page(request: Request, slug: str) -> Template:
    """The organisers' live dashboard."""
    return await _device_page(request, slug, "dashboard.html", "dash.", "scan.", "door.token.")
