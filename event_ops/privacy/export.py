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
        # What job coaches wrote about the visitor (event_ops/people/caseload.py).
        "job_coach_notes": await db.fetch(
            "SELECT organisation, body, created_at FROM coach_note WHERE visitor = ?"
            " ORDER BY id", [visitor_id]),
        # The candidate pool (event_ops/pool): the membership and who asked for contact.
        "candidate_pool": next(iter(await db.fetch(
            "SELECT ref, wording_version, consent_by, consented_at, ends_on, reminded_at,"
            " withdrawn_at, hours_min, hours_max, available_from, max_distance_km,"
            " share_fields, created_at FROM pool_member WHERE visitor = ?", [visitor_id])),
            None),
        "pool_contact_requests": await db.fetch(
            "SELECT o.name AS organisation, r.about, r.message, r.status, r.created_at,"
            " r.decided_at, r.decided_by, r.released_fields FROM pool_contact_request r"
            " JOIN pool_member m ON m.id = r.member JOIN organisation o ON o.id = r.organisation"
            " WHERE m.visitor = ? ORDER BY r.id", [visitor_id]),
        # Who did or saw what in the pool: joining, requests, answers, details read.
        "pool_history": await db.fetch(
            "SELECT at, actor, action, fields FROM audit_entry WHERE (subject_type ="
            " 'pool_member' AND subject_id IN (SELECT id FROM pool_member WHERE visitor = ?))"
            " OR (subject_type = 'pool_request' AND subject_id IN (SELECT r.id FROM"
            " pool_contact_request r JOIN pool_member m ON m.id = r.member"
            " WHERE m.visitor = ?)) OR (subject_type = 'visitor' AND subject_id = ?"
            " AND action LIKE 'pool.%') ORDER BY id", [visitor_id, visitor_id, visitor_id]),
        "messages_from_organisers": await by_registration(
            "SELECT m.subject_nl, m.subject_en, m.created_at, r.channel"
            " FROM message_recipient r JOIN message m ON m.id = r.message"
            " WHERE r.registration IN ({marks}) ORDER BY m.id"),
    }
