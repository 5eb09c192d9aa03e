"""The follow-up board page: a server-rendered shell; ``static/js/board.js`` fills it in.

Like the dashboard, the page holds nothing secret: the organiser token lives in the browser's
localStorage and every API call carries it.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.pages.common import staff_page
from event_ops.matching.tables import MATCH_STATUSES

BOARD_TEXTS = ("board.", "fu.level.", "fu.status.", "door.token.", "dash.unauthorized")


@get("/events/{slug:str}/board", name="board", include_in_schema=False)
async def board_page(request: Request, slug: str) -> Template:
    """Organisers' and coaches' follow-up board for one event."""
    return await staff_page(request, slug, "board.html", *BOARD_TEXTS, statuses=MATCH_STATUSES)
