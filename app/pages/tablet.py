"""The employer tablet at a stand: ``/stand/{slug}``.

Scan a visitor's badge, see what the visitor agreed to share, and record the next step with
one tap. Like the door page it holds nothing secret: the device token lives in the browser's
localStorage (pairing sends employer devices here) and every API call carries it in the
Authorization header. Texts for the script come in ``data-texts`` (the CSP forbids inline
script).
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.pages.common import staff_page

# Competency levels ("level.1"…) and education ("edu.…") label the visitor card.
SCRIPT_PREFIXES = ("tablet.", "level.", "edu.")


@get("/stand/{slug:str}", name="stand_tablet", include_in_schema=False)
async def stand_tablet_page(request: Request, slug: str) -> Template:
    """Scan, visitor card, one-tap outcome, today's list, who is here, offline queue."""
    return await staff_page(request, slug, "stand_tablet.html", *SCRIPT_PREFIXES)
