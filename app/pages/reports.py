"""Report pages (one event, the whole programme): shells that ``static/js/reports.js`` fills
in from the reports API with the organiser token kept in localStorage."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.pages.common import page_language, render
from app.pages.door import script_texts
from event_ops.errors import DomainError
from event_ops.events.service import get_event

REPORT_TEXTS = ("report.", "fu.level.", "fu.status.", "door.token.", "dash.unauthorized",
                "event.kind.", "board.err.generic")


@get("/events/{slug:str}/reports", name="event_reports", include_in_schema=False)
async def event_reports_page(request: Request, slug: str) -> Template:
    lang = page_language(request)
    try:
        event = await get_event(slug)
    except DomainError:
        return render(request, "error.html", lang=lang, status_code=404,
                      message_key="error.event_not_found")
    return render(request, "reports.html", lang=lang, event=event, scope="event",
                  texts=script_texts(lang, *REPORT_TEXTS))


@get("/reports", name="programme_reports", include_in_schema=False)
async def programme_reports_page(request: Request) -> Template:
    lang = page_language(request)
    return render(request, "reports.html", lang=lang, event=None, scope="programme",
                  texts=script_texts(lang, *REPORT_TEXTS))
