"""Organisers' messages and the reminders before an event: who gets them, queuing them in
the outbox in one statement each, their progress, and opting out.

Rules that MUST hold:
* a message or reminder never reaches a visitor who opted out (``messages_opt_out``);
  what the registration needs (confirmation, waiting-list news, the own-page link) still goes;
* a message with no recipients is refused (``no_recipients``) and nothing is stored;
* each reminder is queued once per event, whatever the number of app processes
  (``reminder_run``'s unique (event, kind), in the same transaction as the queuing);
* SMS is queued only when a gateway is configured.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.localtime import AMSTERDAM
from event_ops.mail.queue import mail_queued
from event_ops.messaging.selection import Selection, channel_sql, event_has_ended, where_sql

SUBJECT_MAX = 200
BODY_MAX = 5_000
SMS_MAX = 480  # three SMS parts; longer bodies are cut with a link to the own page

REMINDER_KINDS = ("reminder.two_days", "reminder.morning")
MORNING_HOUR = 7  # the morning reminder goes from 07:00 Amsterdam time on the event day


class Draft(msgspec.Struct, frozen=True, kw_only=True):
    """What an organiser wrote. MUST hold after ``check()``: Dutch subject and body present
    (English may be empty: English readers then get the Dutch text), within the limits."""

    subject_nl: str
    body_nl: str
    subject_en: str = ""
    body_en: str = ""

    def check(self) -> dict[str, str]:
        """Field → problem code (empty: fine)."""
        problems: dict[str, str] = {}
        for field, limit in (("subject_nl", SUBJECT_MAX), ("body_nl", BODY_MAX),
                             ("subject_en", SUBJECT_MAX), ("body_en", BODY_MAX)):
            value = getattr(self, field)
            if field.endswith("_nl") and not value.strip():
                problems[field] = "required"
            elif len(value) > limit:
                problems[field] = "too_long"
        if bool(self.subject_en.strip()) != bool(self.body_en.strip()):
            problems["subject_en" if not self.subject_en.strip() else "body_en"] = "both_or_none"
        return problems

    def text(self, lang: str) -> tuple[str, str]:
        """(subject, body) a reader of ``lang`` gets."""
        if lang != "nl" and self.subject_en.strip():  # ar, uk, tr, pl: English
            return self.subject_en, self.body_en
        return self.subject_nl, self.body_nl


async def _event_row(event_id: int) -> dict:
    rows = await current_engine().fetch(
        "SELECT id, name, starts_at, ends_at FROM event WHERE id = ?", [event_id])
    if not rows:
        raise DomainError("not_found", "No such event.")
    return rows[0]


async def count_recipients(event_id: int, selection: Selection, *, sms_on: bool
                           ) -> dict[str, int]:
    """How many the selection reaches, per channel and per language (``unreachable``: no
    address for the chosen channel), for the preview."""
    event = await _event_row(event_id)
    where, args = where_sql(selection, event_id, event_has_ended(event["ends_at"], clock.now()))
    rows = await current_engine().fetch(
        f"SELECT {channel_sql(selection.channels, sms_on)} AS channel, v.language AS language,"
        " COUNT(*) AS n FROM registration r JOIN visitor v ON v.id = r.visitor"
        f" WHERE {where} GROUP BY 1, 2", args)
    counts = {"mail": 0, "sms": 0, "unreachable": 0, "nl": 0, "en": 0, "total": 0}
    for row in rows:
        counts[row["channel"] or "unreachable"] += row["n"]
        if row["channel"]:
            counts["en" if row["language"] == "en" else "nl"] += row["n"]
            counts["total"] += row["n"]
    return counts


async def send_message(event_id: int, draft: Draft, selection: Selection, *, actor: str,
                       sms_on: bool) -> int:
    """Store the message with its recipients and queue one outbox row per recipient, in one
    transaction. Returns the message id. Refuses a draft with problems (``validation_failed``)
    and a selection that reaches nobody (``no_recipients``)."""
    selection.check()
    if draft.check():
        raise DomainError("validation_failed", "The message is not complete.")
    event = await _event_row(event_id)
    where, args = where_sql(selection, event_id, event_has_ended(event["ends_at"], clock.now()))
    channel = channel_sql(selection.channels, sms_on)
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        message = (await db.fetch(
            "INSERT INTO message (event, author, subject_nl, body_nl, subject_en, body_en,"
            " selection, channels, recipients, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"
            " RETURNING id",
            [event_id, actor, draft.subject_nl, draft.body_nl, draft.subject_en, draft.body_en,
             msgspec.json.encode(selection).decode(), selection.channels, now]))[0]["id"]
        await db.fetch(
            "INSERT INTO message_recipient (message, registration, channel)"
            f" SELECT ?, r.id, {channel} FROM registration r JOIN visitor v ON v.id = r.visitor"
            f" WHERE {where} AND {channel} IS NOT NULL", [message, *args])
        queued = await db.fetch(
            "INSERT INTO outbox_mail (event_id, registration_id, kind, recipient, channel, status,"
            " attempts, next_attempt_at, last_error, created_at)"
            " SELECT ?, r.id, ?, CASE WHEN m.channel = 'sms' THEN v.phone ELSE v.email END,"
            " m.channel, 'pending', 0, ?, '', ? FROM message_recipient m"
            " JOIN registration r ON r.id = m.registration JOIN visitor v ON v.id = r.visitor"
            " WHERE m.message = ? RETURNING id",
            [event_id, f"message.{message}", now, now, message])
        if not queued:
            raise DomainError("no_recipients", "Nobody matches this selection.")
        await db.fetch("UPDATE message SET recipients = ? WHERE id = ?", [len(queued), message])
        await audit.record(actor, "message.sent", event_id=event_id, subject_type="message",
                           subject_id=message, fields=["recipients"])
    mail_queued()
    return message


async def message_progress(message_id: int) -> dict[str, int]:
    """Outbox statuses of a message's rows: pending, sent, failed, skipped, and total."""
    rows = await current_engine().fetch(
        "SELECT status, COUNT(*) AS n FROM outbox_mail WHERE kind = ? GROUP BY status",
        [f"message.{message_id}"])
    progress = {"pending": 0, "sent": 0, "failed": 0, "skipped": 0}
    for row in rows:
        progress[row["status"]] = row["n"]
    progress["total"] = sum(progress.values())
    progress["done"] = progress["total"] - progress["pending"]
    return progress


async def list_messages(event_id: int) -> list[dict]:
    return await current_engine().fetch(
        "SELECT id, author, subject_nl, channels, recipients, created_at FROM message"
        " WHERE event = ? ORDER BY id DESC", [event_id])


async def get_message(event_id: int, message_id: int) -> dict:
    rows = await current_engine().fetch(
        "SELECT * FROM message WHERE id = ? AND event = ?", [message_id, event_id])
    if not rows:
        raise DomainError("not_found", "No such message.")
    message = rows[0]
    message["recipient_list"] = await current_engine().fetch(
        "SELECT m.registration, m.channel, v.name, o.status FROM message_recipient m"
        " JOIN registration r ON r.id = m.registration JOIN visitor v ON v.id = r.visitor"
        " LEFT JOIN outbox_mail o ON o.registration_id = m.registration AND o.kind = ?"
        " WHERE m.message = ? ORDER BY v.name", [f"message.{message_id}", message_id])
    return message


def reminder_due(kind: str, starts_at: dt.datetime, now: dt.datetime) -> bool:
    """Pure: is it time for this reminder of an event starting at ``starts_at``? Two days
    before the start, and from 07:00 Amsterdam time on the event day; never after the
    start (a reminder after the event began helps nobody)."""
    if now >= starts_at:
        return False
    if kind == "reminder.two_days":
        # Not when the morning reminder is due already (a late sign-up of the day before).
        return starts_at - dt.timedelta(days=2) <= now \
            and not reminder_due("reminder.morning", starts_at, now)
    local_start = starts_at.astimezone(AMSTERDAM)
    morning = local_start.replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    return min(morning, starts_at - dt.timedelta(hours=1)) <= now


async def queue_due_reminders(now: dt.datetime | None = None, *, sms_on: bool = False) -> int:
    """Queue every reminder that is due and not queued yet; returns how many rows were queued.
    Safe to run in several processes at once (see the module's rules)."""
    now = now or clock.now()
    db = current_engine()
    events = await db.fetch(
        "SELECT id, starts_at FROM event WHERE starts_at > ? AND starts_at <= ?",
        [now, now + dt.timedelta(days=2, minutes=1)])
    total = 0
    for event in events:
        for kind in REMINDER_KINDS:
            if not reminder_due(kind, event["starts_at"], now):
                continue
            total += await _queue_reminder(event["id"], kind, now, sms_on=sms_on)
    if total:
        mail_queued()
    return total


async def _queue_reminder(event_id: int, kind: str, now: dt.datetime, *, sms_on: bool) -> int:
    db = current_engine()
    selection = Selection(statuses=("registered",),
                          channels="mail_or_sms" if sms_on else "mail")
    where, args = where_sql(selection, event_id, False)
    channel = channel_sql(selection.channels, sms_on)
    try:
        async with db.transaction():
            claimed = await db.fetch(
                "INSERT INTO reminder_run (event, kind, queued, at) VALUES (?, ?, 0, ?)"
                " ON CONFLICT DO NOTHING RETURNING id", [event_id, kind, now])
            if not claimed:
                return 0
            queued = await db.fetch(
                "INSERT INTO outbox_mail (event_id, registration_id, kind, recipient, channel,"
                " status, attempts, next_attempt_at, last_error, created_at)"
                f" SELECT ?, r.id, ?, CASE WHEN {channel} = 'sms' THEN v.phone ELSE v.email END,"
                f" {channel}, 'pending', 0, ?, '', ? FROM registration r"
                f" JOIN visitor v ON v.id = r.visitor WHERE {where} AND {channel} IS NOT NULL"
                " RETURNING id", [event_id, kind, now, now, *args])
            await db.fetch("UPDATE reminder_run SET queued = ? WHERE id = ?",
                           [len(queued), claimed[0]["id"]])
    except Exception as exc:
        # Another process inserted the same (event, kind) between our statements on a
        # database without ON CONFLICT support for it: it queues, we don't.
        if "unique" in str(exc).lower() or "duplicate" in str(exc).lower():
            return 0
        raise
    return len(queued)


async def set_opt_out(visitor_id: int, opt_out: bool, *, actor: str) -> None:
    """Opt out of (or back in to) reminders and organisers' messages."""
    rows = await current_engine().fetch(
        "UPDATE visitor SET messages_opt_out = ? WHERE id = ? RETURNING id",
        [opt_out, visitor_id])
    if rows:
        await audit.record(actor, "visitor.messages_opt_out" if opt_out
                           else "visitor.messages_opt_in", subject_type="visitor",
                           subject_id=visitor_id)
