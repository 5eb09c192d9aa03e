"""Erasure (GDPR right to be forgotten) and retention.

Erasing a visitor removes every piece of personal data but keeps the rows that reports
count (registrations, check-ins, matches), now pointing at an anonymous tombstone. So the
partnership's figures stay right while nobody can be identified any more.
"""

from __future__ import annotations

import datetime as dt

from event_ops import audit, clock, notices
from event_ops.core.db import current_engine
from event_ops.questions.service import erase_answers

ERASED_NAME = "(verwijderd)"


async def erase_visitor(visitor_id: int, actor: str) -> None:
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        rows = await db.fetch("SELECT email, phone FROM visitor WHERE id = ?", [visitor_id])
        if not rows:
            return
        email, phone = rows[0]["email"], rows[0]["phone"]
        await db.fetch(
            "UPDATE visitor SET email = ?, name = ?, phone = '', postcode = '',"
            " education_level = '', availability = '[]', sectors = '[]', share_profile = ?,"
            " link_version = link_version + 1, updated_at = ? WHERE id = ?",
            [f"erased-{visitor_id}@invalid", ERASED_NAME, False, now, visitor_id],
        )
        await db.fetch("DELETE FROM profile_competency WHERE visitor = ?", [visitor_id])
        await db.fetch("DELETE FROM consent_record WHERE visitor = ?", [visitor_id])
        # Answers to the events' questions (support needs, a work permit): personal data.
        await erase_answers(visitor_id)
        # Job coaches' notes describe the person (event_ops/people/caseload.py).
        await db.fetch("DELETE FROM coach_note WHERE visitor = ?", [visitor_id])
        # The candidate pool: the membership and every contact request to it (the visitor
        # row stays as a tombstone, so its ON DELETE CASCADE does not fire).
        await db.fetch("DELETE FROM pool_contact_request WHERE member IN"
                       " (SELECT id FROM pool_member WHERE visitor = ?)", [visitor_id])
        await db.fetch("DELETE FROM pool_member WHERE visitor = ?", [visitor_id])
        await db.fetch("DELETE FROM outbox_mail WHERE recipient = ?", [email])
        # Invitations to this person (by address, phone number, or the sign-up they led to)
        # hold their name and contact details.
        await db.fetch(
            "DELETE FROM visitor_invitation WHERE email = ? OR (phone <> '' AND phone = ?)"
            " OR registration_id IN (SELECT id FROM registration WHERE visitor = ?)",
            [email, phone, visitor_id])
        # Employers' notes can describe the person; keep only level and rating for counts.
        await db.fetch(
            "UPDATE interest SET note = '' WHERE registration IN"
            " (SELECT id FROM registration WHERE visitor = ?)", [visitor_id])
        # What an undo would put back quotes the notes too.
        await db.fetch(
            "DELETE FROM interest_undo WHERE interest IN (SELECT i.id FROM interest i"
            " JOIN registration r ON r.id = i.registration WHERE r.visitor = ?)", [visitor_id])
        await db.fetch(
            "UPDATE match SET reason = '' WHERE registration IN"
            " (SELECT id FROM registration WHERE visitor = ?)", [visitor_id])
        # Future sign-ups end; past ones stay as anonymous counts.
        ended = await db.fetch(
            "UPDATE registration SET status = 'cancelled', cancelled_at = ?,"
            " waiting_position = NULL WHERE visitor = ? AND status != 'cancelled'"
            " AND event IN (SELECT id FROM event WHERE ends_at > ?) RETURNING event",
            [now, visitor_id, now],
        )
        await audit.record(actor, "visitor.erased", subject_type="visitor",
                           subject_id=visitor_id)
    for event_id in {row["event"] for row in ended}:
        notices.tell(notices.STATS, event_id, "cancelled")


async def due_for_retention(now: dt.datetime | None = None) -> list[int]:
    """Visitors whose every event ended longer ago than that event's retention period."""
    now = now or clock.now()
    rows = await current_engine().fetch(
        "SELECT v.id AS visitor, e.ends_at, e.retention_months FROM visitor v"
        " JOIN registration r ON r.visitor = v.id JOIN event e ON e.id = r.event"
        " WHERE v.name != ?",
        [ERASED_NAME],
    )
    keep: set[int] = set()
    seen: set[int] = set()
    for row in rows:
        seen.add(row["visitor"])
        # Months as 30.44 days: precise enough for a retention period of months.
        expires = row["ends_at"] + dt.timedelta(days=30.44 * row["retention_months"])
        if expires > now:
            keep.add(row["visitor"])
    return sorted(seen - keep)


async def purge_expired(*, apply: bool, actor: str = "retention",
                        now: dt.datetime | None = None) -> list[int]:
    """Erase visitors past retention. With ``apply=False`` only report who would be."""
    due = await due_for_retention(now)
    if apply:
        for visitor_id in due:
            await erase_visitor(visitor_id, actor)
        await purge_expired_invitations(now)
    return due


async def purge_expired_invitations(now: dt.datetime | None = None) -> int:
    """Delete the invitations (names, addresses, phone numbers of people who may never have
    signed up) of events that ended longer ago than their retention period."""
    now = now or clock.now()
    db = current_engine()
    events = await db.fetch(
        "SELECT id, ends_at, retention_months FROM event WHERE id IN"
        " (SELECT DISTINCT event FROM visitor_invitation)")
    expired = [e["id"] for e in events
               if e["ends_at"] + dt.timedelta(days=30.44 * e["retention_months"]) <= now]
    if not expired:
        return 0
    marks = ", ".join("?" * len(expired))
    return len(await db.fetch(
        f"DELETE FROM visitor_invitation WHERE event IN ({marks}) RETURNING id", expired))
