from __future__ import annotations

import msgspec
from litestar import Request, get, post

from app.api.auth import staff
from checkin import live, reports
from checkin.scan import CheckinResult, ScanInput, check_in, event_stats, undo_check_in
from event_ops.types import DbId


@post("/api/v1/events/{slug:str}/checkins", status_code=200, tags=["checkin"])
async def create_checkin(request: Request, slug: str, data: ScanInput) -> CheckinResult:
    principal, event = await staff(request, slug, "checkin.scan")
    result, record = await check_in(event, principal, data)
    if record is not None:
        # From the app state, not injected: Litestar's dependency injection costs ~5 us per
        # request, a few percent of a check-in.
        live.publish(request.app.state.channels, record)
    return result


class UndoInput(msgspec.Struct):
    registration_id: DbId


@post("/api/v1/events/{slug:str}/checkins/undo", status_code=200, tags=["checkin"])
async def undo_checkin(request: Request, slug: str, data: UndoInput) -> dict:
    principal, event = await staff(request, slug, "checkin.undo")
    await undo_check_in(event, principal, data.registration_id)
    return {"status": "undone"}


@get("/api/v1/events/{slug:str}/stats", tags=["checkin"])
async def stats(request: Request, slug: str) -> dict:
    _, event = await staff(request, slug, "stats.read")
    return await event_stats(event.id)


@get("/api/v1/events/{slug:str}/arrivals", tags=["checkin"])
async def arrivals(request: Request, slug: str, bucket_minutes: int = 5) -> list[dict]:
    """Arrivals per door per time bucket, for the dashboard chart."""
    _, event = await staff(request, slug, "stats.read")
    return await reports.arrivals_per_door(event.id, max(1, min(bucket_minutes, 60)))


@get("/api/v1/events/{slug:str}/scans", tags=["checkin"])
async def scans(request: Request, slug: str, failed: bool = False, limit: int = 50) -> list[dict]:
    """Newest scans; ``failed=true`` for the failed ones only (and offline conflicts)."""
    _, event = await staff(request, slug, "stats.read")
    return await reports.recent_scans(event.id, failed_only=failed, limit=limit)
