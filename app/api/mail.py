from __future__ import annotations

from litestar import Request, get, post

from app.api.auth import staff
from event_ops.mail.outbox import failed_mails, mail_status, retry_failed


@get("/api/v1/events/{slug:str}/mail", tags=["mail"])
async def mail_overview(request: Request, slug: str) -> dict:
    """Mail counts by status and the sends that failed, so organisers can follow up."""
    _, event = await staff(request, slug, "mail.status")
    return {"counts": await mail_status(event.id), "failed": await failed_mails(event.id)}


@post("/api/v1/events/{slug:str}/mail/retry", status_code=200, tags=["mail"])
async def mail_retry(request: Request, slug: str) -> dict:
    """Queue this event's failed mails again (after fixing the mail server, say)."""
    _, event = await staff(request, slug, "mail.status")
    queued = await retry_failed(event.id)
    return {"queued": queued}
