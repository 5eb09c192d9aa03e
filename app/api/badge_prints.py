"""Bulk badge printing over HTTP (organisers): start a print run, follow its progress,
download its PDF. The back-office page (``app/pages/backoffice/badges.py``) polls the status
route with the session cookie; scripts use an organiser token. The rules and the job are in
``event_ops/printing/badge_runs.py``."""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import Request, get, post
from litestar.response import File

from app.api.auth import api_router, requires
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.events.tables import Event
from event_ops.localtime import as_datetime
from event_ops.printing import badge_runs
from event_ops.types import MAX_DB_ID

PRINT = "badges.print"


class PrintInput(msgspec.Struct, kw_only=True):
    scope: Literal["all", "new"] = "all"


def run_json(run: dict, slug: str) -> dict:
    """A run as the API (and the page's script) shows it: times in ISO, and the download
    link once there is a file."""
    out = {**run}
    for key in ("created_at", "started_at", "finished_at"):
        when = as_datetime(run[key])
        out[key] = when.isoformat() if when else None
    out["download_url"] = (f"/api/v1/events/{slug}/badge-prints/{run['id']}/file"
                           if run["status"] == "done" and run["file"] else None)
    return out


def _run_id(value: int) -> int:
    if not 1 <= value <= MAX_DB_ID:
        raise DomainError("print_not_found", "There is no such print run.")
    return value


@post("/events/{slug:str}/badge-prints", status_code=202, opt=requires(PRINT))
async def start_print(request: Request, event: Event, principal: Principal,
                      data: PrintInput) -> dict:
    """(organiser) Start rendering the print sheet of all badges, or of those added or
    re-issued since the last finished print run. 202 with the run; follow it with
    ``GET …/badge-prints/{id}``."""
    run_id = await badge_runs.start_run(event, data.scope, principal.actor,
                                        request.app.state.settings)
    return run_json(await badge_runs.get_run(event.id, run_id), event.slug)


@get("/events/{slug:str}/badge-prints", opt=requires(PRINT))
async def list_prints(event: Event) -> dict:
    """(organiser) How many badges "all" and "new" would print, and the latest runs."""
    counts = await badge_runs.counts(event.id)
    last = as_datetime(counts["last_print"])
    return {"all": counts["all"], "new": counts["new"],
            "last_print": last.isoformat() if last else None,
            "runs": [run_json(r, event.slug) for r in await badge_runs.list_runs(event.id)]}


@get("/events/{slug:str}/badge-prints/{run_id:int}", opt=requires(PRINT))
async def print_status(event: Event, run_id: int) -> dict:
    """(organiser) One run: ``status`` queued | running | done | failed, ``done`` of
    ``total`` badges, ``percent``, and ``download_url`` when the PDF is ready."""
    return run_json(await badge_runs.get_run(event.id, _run_id(run_id)), event.slug)


@get("/events/{slug:str}/badge-prints/{run_id:int}/file", opt=requires(PRINT))
async def print_file(request: Request, event: Event, principal: Principal,
                     run_id: int) -> File:
    """(organiser) The finished run's PDF; every download is audited."""
    path = await badge_runs.download(event.id, _run_id(run_id), principal.actor,
                                     request.app.state.settings)
    return File(path=path, filename=f"badges-{event.slug}-{run_id}.pdf",
                media_type="application/pdf", headers={"Cache-Control": "no-store"})


ROUTER = api_router("/api/v1", [start_print, list_prints, print_status, print_file],
                    tags=["badges"])
