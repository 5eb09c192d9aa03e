"""Device pages: pairing, the door scanner and the live dashboard.

The pages themselves hold nothing secret: the device token lives in the browser's
localStorage and every call to the API carries it. Texts for the scripts come in a
``data-texts`` attribute (JSON), because the CSP forbids inline script.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.pages.common import page_language, render, script_texts, staff_page
from app.pages.printing import quick_pick
from event_ops.taxonomy.service import SECTOR_NAMES, SECTORS


# Validation texts come from the API in English; the door page shows them in its language.
@get("/pair", name="pair", include_in_schema=False)
async def pair_page(request: Request) -> Template:
    """Open from the pairing QR (``/pair#<code>``): redeems the code, stores the token."""
    lang = page_language(request)
    return render(request, "pair.html", lang=lang, texts=script_texts(lang, "pair."))


@get("/door/{slug:str}", name="door", include_in_schema=False)
async def door_page(request: Request, slug: str) -> Template:
    """The door scanner: camera, hand scanner, search by name, walk-ins, offline queue."""
    return await staff_page(request, slug, "door.html", "door.", "scan.",
                            sectors=SECTORS, sector_names=SECTOR_NAMES,
                            quick_pick=await quick_pick())


@get("/dashboard/{slug:str}", name="dashboard", include_in_schema=False)
async def dashboard_page(request: Request, slug: str) -> Template:
    """The organisers' live dashboard."""
    return await staff_page(request, slug, "dashboard.html", "dash.", "scan.", "door.token.")
