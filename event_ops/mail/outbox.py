"""The outbox: mails (and text messages: ``channel = 'sms'``) are queued in the database
(``event_ops/mail/queue.py``, ``event_ops/messaging``) and sent by a background worker, which
builds each one from what its context stored when it sends it. Both channels share the
claiming, leases, retries, back-off and the failure view; a channel without its setting
(``EVENTOPS_SMTP_URL``, ``EVENTOPS_SMS_URL``) is not claimed, so its rows wait.

A registration never waits on, or fails because of, the mail server. Each send is
*leased* first (its ``next_attempt_at`` is pushed forward in the same statement that
claims it), so several app processes never send one mail twice at the same time, and a
process that dies mid-send only delays the mail until the lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from email.message import EmailMessage

from badges.content import badge_data
from badges.render import render_pdf
from event_ops import clock, notices
from event_ops.access.contacts import LOGIN_MAILS, login_message
from event_ops.access.invitations import MAIL_KIND as INVITATION_MAIL
from event_ops.access.invitations import invitation_message
from event_ops.access.unlock import unlock_message
from event_ops.core.db import current_engine
from event_ops.core.settings import Settings
from event_ops.employers.applications import MAIL_KINDS as APPLICATION_MAILS
from event_ops.employers.applications import application_message
from event_ops.followup.mail import followup_message
from event_ops.mail.queue import mail_queued
from event_ops.mail.render import confirmation_message, link_message
from event_ops.mail.smtp import send_message
from event_ops.messaging.render import add_unsubscribe, build_sms, build_visitor_mail
from event_ops.messaging.sms import send_sms
from event_ops.people.contact_mail import KINDS as CONTACT_KINDS
from event_ops.people.contact_mail import contact_message
from event_ops.people.invitations import MAIL_KIND as VISITOR_INVITATION
from event_ops.people.invitations import invitation_mail, invitation_sms
from event_ops.people.registration import waiting_rank
from event_ops.pool.membership import MAIL_REMINDER as POOL_REMINDER
from event_ops.pool.membership import reminder_message as pool_reminder
from event_ops.pool.requests import MAIL_KINDS as POOL_MAILS
from event_ops.pool.requests import pool_message

log = logging.getLogger("eventops.mail")

MAX_ATTEMPTS = 8
LEASE = dt.timedelta(minutes=2)
BATCH = 20


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, … capped at 1 hour."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


async def claim_due(now: dt.datetime, limit: int = BATCH,
                    channels: tuple[str, ...] = ("mail",)) -> list[dict]:
    db = current_engine()
    marks = ", ".join("?" * len(channels))
    return await db.fetch(
        "UPDATE outbox_mail SET next_attempt_at = ?, attempts = attempts + 1"
        " WHERE status = 'pending' AND next_attempt_at <= ? AND id IN ("
        "  SELECT id FROM outbox_mail WHERE status = 'pending' AND next_attempt_at <= ?"
        f"  AND channel IN ({marks}) ORDER BY id LIMIT ?)"
        " RETURNING id, event_id, kind, registration_id, recipient, attempts, channel",
        [now + LEASE, now, now, *channels, limit],
    )


# Mails to visitors: they carry the unsubscribe link and List-Unsubscribe headers.
VISITOR_KINDS = ("registration.confirmation", "registration.promoted", "visitor.link",
                 VISITOR_INVITATION, *CONTACT_KINDS)


async def _visitor_of(mail: dict) -> dict | None:
    db = current_engine()
    if mail["registration_id"] is not None:
        rows = await db.fetch(
            "SELECT v.id, v.language FROM registration r JOIN visitor v ON v.id = r.visitor"
            " WHERE r.id = ?", [mail["registration_id"]])
    else:
        rows = await db.fetch("SELECT id, language FROM visitor WHERE email = ?",
                              [mail["recipient"]])
    return rows[0] if rows else None


async def build_message(settings: Settings, mail: dict) -> EmailMessage | None:
    message = await _build_message(settings, mail)
    if message is not None and mail["kind"] in VISITOR_KINDS:
        visitor = await _visitor_of(mail)
        if visitor is not None:
            add_unsubscribe(message, settings, visitor["id"], visitor["language"] or "nl")
    return message


async def _build_message(settings: Settings, mail: dict) -> EmailMessage | None:
    db = current_engine()
    if mail["kind"].startswith(("message.", "reminder.")):
        built = await build_visitor_mail(settings, mail["kind"], mail["registration_id"])
        if built is None:
            return None
        message, registration, visitor = built
        if mail["kind"].startswith("reminder."):
            pdf = render_pdf(await badge_data(registration["id"], settings))
            message.add_attachment(pdf, maintype="application", subtype="pdf",
                                   filename="badge.pdf")
        add_unsubscribe(message, settings, visitor["id"], visitor["language"])
        return message
    if mail["kind"] in ("registration.confirmation", "registration.promoted"):
        rows = await db.fetch(
            "SELECT r.id, r.status, r.badge_serial, r.waiting_position, r.event, r.visitor"
            " FROM registration r WHERE r.id = ?",
            [mail["registration_id"]],
        )
        if not rows or rows[0]["status"] == "cancelled":
            return None
        registration = rows[0]
        event = (await db.fetch("SELECT * FROM event WHERE id = ?", [registration["event"]]))[0]
        visitor = (
            await db.fetch(
                "SELECT id, name, email, language, link_version FROM visitor WHERE id = ?",
                [registration["visitor"]],
            )
        )[0]
        rank = None
        if registration["status"] == "waiting_list":
            rank = await waiting_rank(event["id"], registration["waiting_position"])
        message = confirmation_message(
            settings, event=event, visitor=visitor, registration=registration,
            waiting_rank=rank, kind=mail["kind"],
        )
        if registration["status"] == "registered":
            # The badge itself, ready to print or show on the phone at the door.
            pdf = render_pdf(await badge_data(registration["id"], settings))
            message.add_attachment(pdf, maintype="application", subtype="pdf",
                                   filename="badge.pdf")
        return message
    if mail["kind"] == "visitor.link":
        rows = await db.fetch(
            "SELECT id, name, email, language, link_version FROM visitor WHERE email = ?",
            [mail["recipient"]])
        # Erased since (the address is gone): nothing to send.
        return link_message(settings, rows[0]) if rows else None
    if mail["kind"].startswith("followup."):
        return await followup_message(settings, mail)
    if mail["kind"] in CONTACT_KINDS:
        return await contact_message(settings, mail)
    if mail["kind"] == "account.unlock":
        return await unlock_message(settings, mail)
    if mail["kind"] == INVITATION_MAIL:
        return await invitation_message(settings, mail)
    if mail["kind"] == VISITOR_INVITATION:
        return await invitation_mail(settings, mail)
    if mail["kind"] in LOGIN_MAILS:
        return await login_message(settings, mail)
    if mail["kind"] in APPLICATION_MAILS:
        return await application_message(settings, mail)
    if mail["kind"] in POOL_MAILS:
        return await pool_message(settings, mail)
    if mail["kind"] == POOL_REMINDER:
        return await pool_reminder(settings, mail)
    raise ValueError(f"unknown mail kind {mail['kind']!r}")


def active_channels(settings: Settings) -> tuple[str, ...]:
    return tuple(channel for channel, on in (("mail", settings.smtp_url),
                                             ("sms", settings.sms_url)) if on)


async def _send_one(settings: Settings, mail: dict) -> bool:
    """Build and send one claimed row; False when there was nothing to send (skipped)."""
    if mail["channel"] == "sms":
        if mail["kind"] == VISITOR_INVITATION:
            text = await invitation_sms(settings, mail)
        else:
            text = await build_sms(settings, mail["kind"], mail["registration_id"])
        if text is None:
            return False
        assert settings.sms_url  # claimed only when set
        await send_sms(settings.sms_url, sender=settings.sms_sender, token=settings.sms_token,
                       to=mail["recipient"], body=text)
        return True
    message = await build_message(settings, mail)
    if message is None:
        return False
    assert settings.smtp_url  # claimed only when set
    await send_message(settings.smtp_url, message)
    return True


async def send_due(settings: Settings, now: dt.datetime | None = None) -> tuple[int, int]:
    """Send what is due. Returns (sent, failed attempts)."""
    channels = active_channels(settings)
    if not channels:
        return 0, 0
    db = current_engine()
    sent = failed = 0
    for mail in await claim_due(now or clock.now(), channels=channels):
        try:
            delivered = await _send_one(settings, mail)
        except Exception as exc:  # any SMTP, gateway or network failure: retry later
            failed += 1
            attempts = mail["attempts"]
            give_up = attempts >= MAX_ATTEMPTS
            await db.fetch(
                "UPDATE outbox_mail SET status = ?, next_attempt_at = ?, last_error = ?"
                " WHERE id = ?",
                ["failed" if give_up else "pending", clock.now() + backoff(attempts),
                 f"{type(exc).__name__}: {exc}"[:500], mail["id"]],
            )
            log.warning("%s %s attempt %s failed: %s", mail["channel"], mail["id"], attempts,
                        type(exc).__name__)
            continue
        sent += 1
        await db.fetch(
            "UPDATE outbox_mail SET status = ?, sent_at = ?, last_error = '' WHERE id = ?",
            ["sent" if delivered else "skipped", clock.now(), mail["id"]],
        )
    return sent, failed


async def retry_failed(event_id: int | None = None) -> int:
    """Put failed mails back in the queue (an organiser's 'try again')."""
    sql = "UPDATE outbox_mail SET status = 'pending', attempts = 0, next_attempt_at = ?" \
          " WHERE status = 'failed'"
    args: list = [clock.now()]
    if event_id is not None:
        sql += " AND event_id = ?"
        args.append(event_id)
    queued = len(await current_engine().fetch(sql + " RETURNING id", args))
    mail_queued()
    return queued


async def failed_mails(event_id: int, limit: int = 100) -> list[dict]:
    """Mails given up on, newest first, for the organisers to act on."""
    return await current_engine().fetch(
        "SELECT id, kind, channel, recipient, attempts, last_error, created_at FROM outbox_mail"
        " WHERE event_id = ? AND status = 'failed' ORDER BY id DESC LIMIT ?",
        [event_id, limit],
    )


async def mail_status(event_id: int) -> dict[str, int]:
    rows = await current_engine().fetch(
        "SELECT status, COUNT(*) AS n FROM outbox_mail WHERE event_id = ? GROUP BY status",
        [event_id],
    )
    return {r["status"]: r["n"] for r in rows}


class OutboxWorker:
    """Runs in each app process; ``wake()`` after queueing makes it send right away. While
    it runs it is the process's listener of ``notices.MAIL`` (``mail_queued``)."""

    def __init__(self, settings: Settings, interval: float = 5.0) -> None:
        self.settings = settings
        self.interval = interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                while (await send_due(self.settings))[0] >= BATCH:
                    pass
            except Exception:
                log.exception("outbox run failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox-worker")
            notices.listen(notices.MAIL, self.wake)

    async def stop(self) -> None:
        notices.unlisten(notices.MAIL, self.wake)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
