from __future__ import annotations

from litestar import get, post

from app.api.auth import api_router, requires
from event_ops.events.tables import Event
from event_ops.mail.outbox import failed_mails, mail_status, retry_failed


@get("/events/{slug:str}/mail", opt=requires("mail.status"))
async def mail_overview(event: Event) -> dict:
    """Mail counts by status and the sends that failed, so organisers can follow up."""
    return {"counts": await mail_status(event.id), "failed": await failed_mails(event.id)}


@post("/events/{slug:str}/mail/retry", status_code=200, opt=requires("mail.status"))
async def mail_retry(event: Event) -> dict:
    """Queue this event's failed mails again (after fixing the mail server, say)."""
    queued = await retry_failed(event.id)
    return {"queued": queued}


ROUTER = api_router("/api/v1", [mail_overview, mail_retry], tags=["mail"])
