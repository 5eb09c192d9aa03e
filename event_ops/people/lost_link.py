"""A visitor who lost the link to their own page asks for it again by e-mail address."""

from __future__ import annotations

import datetime as dt

from event_ops import audit, clock
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.mail.tables import OutboxMail
from event_ops.people.tables import Visitor

LINK_MAIL_KIND = "visitor.link"
# However often someone asks, one address gets at most one such mail per this period.
RESEND_EVERY = dt.timedelta(minutes=10)


async def request_new_link(email: str) -> None:
    """Queue a mail with the link to the visitor's own page, if ``email`` belongs to a
    visitor and no such mail went there in the last 10 minutes.

    Returns nothing and raises nothing for an unknown or malformed address: the caller
    answers the same whether or not the address is known. The link is the current one
    (``link_version``), built when the mail is sent (event_ops/mail/render.py)."""
    email = email.strip().lower()
    if not email or len(email) > 254 or "@" not in email:
        return
    visitor = await Visitor.select(Visitor.id).where(Visitor.email == email).first()
    if visitor is None:
        return
    now = clock.now()
    if await OutboxMail.exists().where(
        (OutboxMail.recipient == email) & (OutboxMail.kind == LINK_MAIL_KIND)
        & (OutboxMail.created_at > now - RESEND_EVERY)
    ):
        return
    await queue_mail(None, None, LINK_MAIL_KIND, email, at=now)
    await audit.record("visitor:self", "visitor.link_requested", subject_type="visitor",
                       subject_id=visitor["id"])
    mail_queued()
