"""The back office's bulk badge page: ``/admin/events/{slug}/badges``.

Choose all badges or those added (or re-issued) since the last print, start the job, and
watch a progress bar; the job runs in the background (``event_ops/printing/badge_runs.py``),
so the page may be left and opened again. With JavaScript, ``static/js/bo-badges.js``
moves the bar by polling the status API; without, the page refreshes itself while a job
runs. When it is done, the PDF downloads from the API with the session (audited).
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.api.badge_prints import PRINT, run_json
from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.printing import badge_runs
from event_ops.types import parse_db_id

REFRESH_SECONDS = 3  # the no-script page reloads itself this often while a job runs


async def _event_and_caller(request: Request, slug: str) -> tuple[Event, Principal] | Redirect:
    event = await get_event(slug)
    principal = await page_caller(request, event.id, PRINT)
    if not isinstance(principal, Principal):
        return principal
    return event, principal


async def _page(request: Request, event: Event, *, error: str | None = None,
                status_code: int = 200, scope: str = "new") -> Template:
    counts = await badge_runs.counts(event.id)
    runs = [run_json(r, event.slug) for r in await badge_runs.list_runs(event.id)]
    wanted = parse_db_id(request.query_params.get("run") or "")
    # The run asked for, else a busy one, else the newest (runs are newest first).
    current = next((r for r in runs if r["id"] == wanted), None) or next(
        (r for r in runs if r["status"] in badge_runs.ACTIVE), None) or (
        runs[0] if runs else None)
    if counts["new"] == 0 and scope == "new":
        scope = "all"
    return render(request, "backoffice/badges.html", status_code=status_code, event=event,
                  bo_section="badges", counts=counts, runs=runs, current=current,
                  active=bool(current and current["status"] in badge_runs.ACTIVE),
                  refresh=REFRESH_SECONDS, error=error, scope=scope)


@get("/admin/events/{slug:str}/badges", name="bo_badges", include_in_schema=False)
async def badges_page(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _page(request, found[0])


@post("/admin/events/{slug:str}/badges", name="bo_badges_start", include_in_schema=False)
async def badges_start(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    scope = str((await request.form()).get("scope", ""))
    try:
        run_id = await badge_runs.start_run(event, scope, principal.actor,
                                            request.app.state.settings)
    except DomainError as exc:
        return await _page(request, event, status_code=status_for(exc.code),
                           error=t(message_key_for(exc.code), page_language(request)),
                           scope=scope)
    return Redirect(f"/admin/events/{event.slug}/badges?run={run_id}"
                    f"&lang={page_language(request)}", status_code=303)


ROUTES = [badges_page, badges_start]
