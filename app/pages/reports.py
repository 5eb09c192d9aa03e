"""Report pages (one event, the whole programme): shells that ``static/js/reports.js`` fills
in from the reports API with the organiser token kept in localStorage."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.pages.common import has_session, page_language, render, script_texts, staff_page

REPORT_TEXTS = ("report.", "fu.level.", "fu.status.", "door.token.", "dash.unauthorized",
                "event.kind.", "board.err.generic")


@get("/events/{slug:str}/reports", name="event_reports", include_in_schema=False)
async def event_reports_page(request: Request, slug: str) -> Template:
    return await staff_page(request, slug, "reports.html", *REPORT_TEXTS, scope="event")


@get("/reports", name="programme_reports", include_in_schema=False)
async def programme_reports_page(request: Request) -> Template:
    lang = page_language(request)
    return render(request, "reports.html", lang=lang, event=None, scope="programme",
                  texts=script_texts(lang, *REPORT_TEXTS), signed_in=await has_session(request))
