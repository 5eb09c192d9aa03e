"""The follow-up board page: a server-rendered shell; ``static/js/board.js`` fills it in.

Like the dashboard, the page holds nothing secret: the organiser token lives in the browser's
localStorage and every API call carries it.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.pages.common import page_language, render
from app.pages.door import script_texts
from event_ops.errors import DomainError
from event_ops.events.service import get_event
from event_ops.matching.tables import MATCH_STATUSES

BOARD_TEXTS = ("board.", "fu.level.", "fu.status.", "door.token.", "dash.unauthorized")


@get("/events/{slug:str}/board", name="board", include_in_schema=False)
async def board_page(request: Request, slug: str) -> Template:
    """Organisers' and coaches' follow-up board for one event."""
    lang = page_language(request)
    try:
        event = await get_event(slug)
    except DomainError:
        return render(request, "error.html", lang=lang, status_code=404,
                      message_key="error.event_not_found")
    return render(request, "board.html", lang=lang, event=event, statuses=MATCH_STATUSES,
                  texts=script_texts(lang, *BOARD_TEXTS))
