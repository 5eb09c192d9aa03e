"""Everything event-ops holds about one visitor (GDPR right of access)."""

from __future__ import annotations

from event_ops.core.db import current_engine
from event_ops.questions.service import export_answers


async def visitor_export(visitor_id: int) -> dict:
    db = current_engine()
    visitor = (await db.fetch(
        "SELECT id, email, name, phone, postcode, education_level, availability, sectors,"
        " language, share_profile, messages_opt_out, created_at, updated_at FROM visitor"
        " WHERE id = ?",
        [visitor_id],
    ))[0]
    registrations = await db.fetch(
        "SELECT r.id, e.name AS event, e.starts_at, r.status, r.waiting_position,"
        " r.badge_serial, r.created_at, r.cancelled_at, r.checked_in_at, r.checked_in_door,"
        " r.no_show_at"
        " FROM registration r JOIN event e ON e.id = r.event WHERE r.visitor = ? ORDER BY r.id",
        [visitor_id],
    )
    reg_ids = [r["id"] for r in registrations]
    marks = ",".join("?" for _ in reg_ids) or "NULL"

    async def by_registration(sql: str) -> list[dict]:
        return await db.fetch(sql.format(marks=marks), reg_ids) if reg_ids else []

    return {
        "visitor": visitor,
        "competencies": await db.fetch(
            "SELECT code, level FROM profile_competency WHERE visitor = ? ORDER BY code",
            [visitor_id]),
        "consents": await db.fetch(
            "SELECT kind, granted, wording_version, documents, channel, device, at"
            " FROM consent_record"
            " WHERE visitor = ? ORDER BY id", [visitor_id]),
        "registrations": registrations,
        "answers": await export_answers(reg_ids),
        "door_scans": await by_registration(
            "SELECT registration_id, status, door, scanned_at FROM scan_log"
            " WHERE registration_id IN ({marks}) ORDER BY id"),
        "employer_notes": await by_registration(
            "SELECT i.registration AS registration_id, e.name AS employer, i.level, i.note,"
            " i.rating, i.created_at, i.updated_at FROM interest i"
            " JOIN employer e ON e.id = i.employer WHERE i.registration IN ({marks})"),
        "your_interest_in_employers": await by_registration(
            "SELECT vi.registration AS registration_id, e.name AS employer, vi.created_at"
            " FROM visitor_interest vi JOIN employer e ON e.id = vi.employer"
            " WHERE vi.registration IN ({marks})"),
        "matches": await by_registration(
            "SELECT m.id, e.name AS employer, m.level, m.status, m.reason, m.owner_name,"
            " m.created_at, m.status_changed_at FROM match m"
            " JOIN employer e ON e.id = m.employer WHERE m.registration IN ({marks})"),
        "badges_printed": await by_registration(
            "SELECT registration AS registration_id, format, status, created_at, printed_at"
            " FROM print_job WHERE registration IN ({marks}) ORDER BY id"),
        "who_saw_your_profile": await by_registration(
            "SELECT at, actor, action, fields FROM audit_entry"
            " WHERE subject_type = 'registration' AND subject_id IN ({marks}) ORDER BY id"),
        "emails": await db.fetch(
            "SELECT kind, channel, status, created_at, sent_at FROM outbox_mail"
            " WHERE recipient = ? OR (recipient = ? AND channel = 'sms') ORDER BY id",
            [visitor["email"], visitor["phone"]]),
        "messages_from_organisers": await by_registration(
            "SELECT m.subject_nl, m.subject_en, m.created_at, r.channel"
            " FROM message_recipient r JOIN message m ON m.id = r.message"
            " WHERE r.registration IN ({marks}) ORDER BY m.id"),
    }
