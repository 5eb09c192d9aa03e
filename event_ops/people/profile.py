"""A visitor's own page: reached by secret link; view, change, cancel."""

from __future__ import annotations

import json
from dataclasses import dataclass

from event_ops import audit, clock, notices
from event_ops.core.db import current_engine, insert_many
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.links import PURPOSE_VISITOR_PAGE, check_link_token, link_token_id
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.people.registration import (
    CONSENT_WORDING_VERSION,
    CleanRegistration,
    RegistrationInput,
    validate_registration,
)
from event_ops.taxonomy.service import competencies_by_code


@dataclass(slots=True)
class VisitorView:
    visitor: dict
    competencies: dict[str, int]
    registrations: list[dict]


async def visitor_for_link(settings: Settings, token: str) -> dict:
    visitor_id = link_token_id(token)
    rows = []
    if visitor_id is not None:
        rows = await current_engine().fetch("SELECT * FROM visitor WHERE id = ?", [visitor_id])
    if not rows or not check_link_token(
        settings.secret_key, PURPOSE_VISITOR_PAGE, token, rows[0]["link_version"]
    ):
        raise DomainError("link_invalid", "This link is not valid (any more).")
    return rows[0]


async def load_view(visitor: dict) -> VisitorView:
    db = current_engine()
    comps = await db.fetch(
        "SELECT code, level FROM profile_competency WHERE visitor = ?", [visitor["id"]]
    )
    regs = await db.fetch(
        "SELECT r.id, r.status, r.waiting_position, r.badge_serial, e.slug, e.name,"
        " e.starts_at, e.ends_at, e.location, e.capacity, e.id AS event_id"
        " FROM registration r JOIN event e ON e.id = r.event WHERE r.visitor = ?"
        " ORDER BY e.starts_at",
        [visitor["id"]],
    )
    return VisitorView(visitor, {c["code"]: c["level"] for c in comps}, regs)


async def update_profile(visitor: dict, data: RegistrationInput) -> CleanRegistration:
    """Change name, contact details, profile and consent. The e-mail address stays."""
    data.email = visitor["email"]
    data.consent_terms = True  # given at registration; withdrawing it means erasure
    clean = validate_registration(data, set(await competencies_by_code()))
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        await db.fetch(
            "UPDATE visitor SET name = ?, phone = ?, postcode = ?, education_level = ?,"
            " availability = ?, sectors = ?, language = ?, share_profile = ?, updated_at = ?"
            " WHERE id = ?",
            [clean.name, clean.phone, clean.postcode, clean.education_level,
             json.dumps(clean.availability), json.dumps(clean.sectors), clean.language,
             clean.share_profile, now, visitor["id"]],
        )
        await db.fetch("DELETE FROM profile_competency WHERE visitor = ?", [visitor["id"]])
        await insert_many("profile_competency", ("visitor", "code", "level"),
                          [(visitor["id"], c, lvl) for c, lvl in clean.competencies.items()])
        if bool(visitor["share_profile"]) != clean.share_profile:
            await db.fetch(
                "INSERT INTO consent_record (visitor, kind, granted, wording_version, at)"
                " VALUES (?, 'share_profile', ?, ?, ?)",
                [visitor["id"], clean.share_profile, CONSENT_WORDING_VERSION, now],
            )
        await audit.record("visitor:self", "profile.updated", subject_type="visitor",
                           subject_id=visitor["id"])
    return clean


async def cancel_registration(visitor: dict, registration_id: int, *,
                              actor: str = "visitor:self") -> int | None:
    """Cancel; the first person on the waiting list gets the place. Returns their id.
    After the commit the live feed hears of it (its numbers change), and the outbox worker
    sends the mail to whoever got the place. ``actor``: who cancelled, for the audit log
    (the visitor on their own page, or an organiser at the desk)."""
    promoted, event_id = await _cancel(visitor, registration_id, actor)
    mail_queued()
    if event_id is not None:
        notices.tell(notices.STATS, event_id, "cancelled")
    return promoted


async def _cancel(visitor: dict, registration_id: int,
                  actor: str) -> tuple[int | None, int | None]:
    """(promoted registration id, event id when something changed)."""
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        rows = await db.fetch(
            "SELECT id, event, status FROM registration WHERE id = ? AND visitor = ?",
            [registration_id, visitor["id"]],
        )
        if not rows:
            raise DomainError("not_found", "This sign-up does not exist.")
        reg = rows[0]
        if reg["status"] == "cancelled":
            return None, None
        # Conditional: of two cancellations at once (the visitor and the desk, or a double
        # click on PostgreSQL) only one changes the row, so only one place is given away.
        if not await db.fetch(
            "UPDATE registration SET status = 'cancelled', cancelled_at = ?,"
            " waiting_position = NULL WHERE id = ? AND status = ? RETURNING id",
            [now, registration_id, reg["status"]],
        ):
            return None, None
        await audit.record(actor, "registration.cancelled", event_id=reg["event"],
                           subject_type="registration", subject_id=registration_id)
        if reg["status"] != "registered":
            return None, reg["event"]
        # The first in line; if another transaction gave that place away meanwhile (two
        # cancellations at once), the next one.
        for _ in range(10):
            nxt = await db.fetch(
                "SELECT r.id, v.email FROM registration r JOIN visitor v ON v.id = r.visitor"
                " WHERE r.event = ? AND r.status = 'waiting_list'"
                " ORDER BY r.waiting_position LIMIT 1",
                [reg["event"]],
            )
            if not nxt:
                return None, reg["event"]
            if await give_place(reg["event"], nxt[0]["id"], nxt[0]["email"]):
                return int(nxt[0]["id"]), reg["event"]
        return None, reg["event"]


async def give_place(event_id: int, registration_id: int, email: str | None) -> bool:
    """Someone on the waiting list gets a place, and the mail that says so. The one rule
    for moving up: after a cancellation (the first in line) and by hand at the desk. Call
    inside the transaction that decides it; call ``mail_queued()`` after the commit.
    False (nothing changed, no mail) when they are no longer on the waiting list: of two
    transactions giving the same place at once, exactly one succeeds."""
    rows = await current_engine().fetch(
        "UPDATE registration SET status = 'registered', waiting_position = NULL"
        " WHERE id = ? AND status = 'waiting_list' RETURNING id",
        [registration_id],
    )
    if not rows:
        return False
    if email:
        await queue_mail(event_id, registration_id, "registration.promoted", email)
    return True


async def registration_summary(registration_id: int) -> dict | None:
    """What the confirmation page shows a brand-new visitor: status, the rank on the waiting
    list, badge serial and the e-mail address they typed. None if not found."""
    rows = await current_engine().fetch(
        "SELECT r.status, r.badge_serial, r.waiting_position, r.event AS event_id, v.email"
        " FROM registration r JOIN visitor v ON v.id = r.visitor WHERE r.id = ?",
        [registration_id])
    if not rows:
        return None
    row = rows[0]
    if row["status"] == "waiting_list":
        from event_ops.people.registration import waiting_rank

        row["rank"] = await waiting_rank(row["event_id"], row["waiting_position"])
    return row
