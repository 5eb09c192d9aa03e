"""Queuing mail: the part every context that sends mail uses (sign-up, cancel, lost link,
follow-up, account lock-out). The sender (``event_ops/mail/outbox.py``) builds each mail
when it sends it, from what those contexts stored, so it sits above them; they import only
this module, never the sender, so no import goes round in a circle.
"""

from __future__ import annotations

import datetime as dt

from event_ops import clock, notices
from event_ops.core.db import current_engine


async def queue_mail(event_id: int | None, registration_id: int | None, kind: str,
                     recipient: str | None, at: dt.datetime | None = None) -> None:
    """Queue a mail; call inside the transaction that makes the change it reports.

    ``registration_id`` may be None for mails to staff (follow-up owners); ``at`` sets
    ``created_at`` (follow-up digests find their matches by that time). A visitor without an
    e-mail address (a walk-in who gave none: ``recipient`` None or "") gets no mail: this is
    the one place that rule lives, so every mail to a visitor follows it."""
    if not recipient:
        return
    now = at or clock.now()
    await current_engine().fetch(
        "INSERT INTO outbox_mail (event_id, registration_id, kind, recipient, status, attempts,"
        " next_attempt_at, last_error, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, '', ?)",
        [event_id, registration_id, kind, recipient, now, now],
    )


def mail_queued() -> None:
    """Call after the commit that queued mail: this process's outbox worker sends it now
    instead of at its next look (``OutboxWorker`` listens). Without a worker, nothing."""
    notices.tell(notices.MAIL)
