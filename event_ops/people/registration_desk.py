"""The registrations desk: one registration in detail, and what an organiser may do with it.

Every action is a plain domain function that checks its rule, writes in one transaction,
records who did it in the audit log (ids and field names only, never the values), and
triggers its own side effects (mail, the live numbers) after the commit. The rules reused
from elsewhere stay there: cancelling and moving up the waiting list
(``event_ops.people.profile``), the confirmation mail (``registration.confirmation``),
and the badge re-issue (``badges.service.reissue``, called by the web layer: badges sit
above this package).
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from event_ops import audit, clock, notices
from event_ops.core.db import current_engine, is_unique_violation
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.people.profile import cancel_registration, give_place
from event_ops.people.registration import RegistrationInput, validate_registration, waiting_rank

CONTACT_FIELDS = ("name", "email", "phone")
# Mails about a change of contact details: to the address in use now, and (when the
# address changed) to the old one, so its owner learns that the address was replaced.
MAIL_CONTACT_CHANGED = "registration.contact_changed"
MAIL_CONTACT_OLD = "registration.contact_old"


class ContactInput(msgspec.Struct, kw_only=True):
    name: str
    email: str
    phone: str = ""


@dataclass(slots=True)
class ContactChange:
    changed: list[str]  # field names, e.g. ["email"]; empty: nothing changed, nothing sent
    mailed: list[str]  # the addresses a mail was queued for


async def _registration(event_id: int, registration_id: int) -> dict:
    rows = await current_engine().fetch(
        "SELECT r.id, r.event, r.visitor, r.status, r.waiting_position, r.badge_serial,"
        " r.created_at, r.cancelled_at, r.checked_in_at, r.checked_in_door, r.no_show_at,"
        " r.source, r.coach_account, v.name, v.email, v.phone, v.share_profile, v.language,"
        " v.link_version FROM registration r JOIN visitor v ON v.id = r.visitor"
        " WHERE r.id = ? AND r.event = ?",
        [registration_id, event_id])
    if not rows:
        raise DomainError("not_found", "This event has no registration with that id.")
    row = rows[0]
    row["share_profile"] = bool(row["share_profile"])
    return row


async def registration_detail(event_id: int, registration_id: int, viewer: str) -> dict:
    """Everything the detail page shows: contact details, status (with the place on the
    waiting list), check-in, no-show, badge serial, consents (what, granted or not, when,
    wording version, documents) and the history from the audit log. The view itself is
    recorded (``registration.viewed``, with the fields shown)."""
    reg = await _registration(event_id, registration_id)
    db = current_engine()
    reg["rank"] = (await waiting_rank(event_id, reg["waiting_position"])
                   if reg["status"] == "waiting_list" and reg["waiting_position"] else None)
    reg["consents"] = await db.fetch(
        "SELECT kind, granted, wording_version, documents, at FROM consent_record"
        " WHERE visitor = ? ORDER BY at DESC, id DESC", [reg["visitor"]])
    for consent in reg["consents"]:
        consent["granted"] = bool(consent["granted"])
    await audit.record(viewer, "registration.viewed", event_id=event_id,
                       subject_type="registration", subject_id=registration_id,
                       fields=["name", "email", "phone", "consents"])
    reg["history"] = await audit.subject_history(
        [("registration", registration_id), ("visitor", reg["visitor"])])
    return reg


async def change_contact(event_id: int, registration_id: int, data: ContactInput,
                         actor: str) -> ContactChange:
    """Change the visitor's name, e-mail address and phone number (the same rules as the
    sign-up form). The visitor is one person across events, so the change shows at every
    event they signed up for.

    MUST hold: a mail goes to the address in use after the change; when the address
    changed, a second one goes to the old address. A new address also makes the links
    sent to the old one stop working (``link_version`` is bumped): whoever read that
    mailbox keeps no key to this visitor's page. An address that belongs to another
    visitor is refused (409 ``email_taken``), and nothing is stored."""
    clean = validate_registration(
        RegistrationInput(name=data.name, email=data.email, phone=data.phone or None,
                          consent_terms=True), ())
    reg = await _registration(event_id, registration_id)
    new = {"name": clean.name, "email": clean.email, "phone": clean.phone}
    changed = [f for f in CONTACT_FIELDS if (reg[f] or "") != new[f]]
    if not changed:
        return ContactChange(changed=[], mailed=[])
    db = current_engine()
    mailed: list[str] = []
    try:
        async with db.transaction():
            if "email" in changed and (await db.fetch(
                    "SELECT id FROM visitor WHERE email = ? AND id != ?",
                    [clean.email, reg["visitor"]])):
                raise _email_taken()
            await db.fetch(
                "UPDATE visitor SET name = ?, email = ?, phone = ?, updated_at = ?,"
                " link_version = link_version + ? WHERE id = ?",
                [clean.name, clean.email, clean.phone, clock.now(),
                 1 if "email" in changed else 0, reg["visitor"]])
            if clean.email:
                await queue_mail(event_id, registration_id, MAIL_CONTACT_CHANGED, clean.email)
                mailed.append(clean.email)
            if "email" in changed and reg["email"]:
                await queue_mail(event_id, registration_id, MAIL_CONTACT_OLD, reg["email"])
                mailed.append(reg["email"])
            await audit.record(actor, "registration.contact_changed", event_id=event_id,
                               subject_type="registration", subject_id=registration_id,
                               fields=changed)
    except DomainError:
        raise
    except Exception as exc:  # two desks giving one address at once (PostgreSQL)
        if is_unique_violation(exc):
            raise _email_taken() from exc
        raise
    mail_queued()
    return ContactChange(changed=changed, mailed=mailed)


def _email_taken() -> DomainError:
    return DomainError("email_taken", "Another visitor already uses this e-mail address.",
                       field="email")


async def cancel(event_id: int, registration_id: int, actor: str) -> int | None:
    """Cancel at the desk: the same rule as the visitor's own cancel (the first on the
    waiting list gets the place and a mail). Returns the id of who moved up, if anyone."""
    reg = await _registration(event_id, registration_id)
    if reg["status"] == "cancelled":
        raise DomainError("registration_cancelled", "This registration is cancelled already.")
    return await cancel_registration({"id": reg["visitor"]}, registration_id, actor=actor)


async def promote(event_id: int, registration_id: int, actor: str) -> None:
    """Move someone up from the waiting list by hand (the organiser decides, also when the
    event is full: the place count then goes over the capacity on purpose). They get the
    same mail as when a cancellation gives them the place."""
    db = current_engine()
    async with db.transaction():
        reg = await _registration(event_id, registration_id)
        if reg["status"] != "waiting_list" or not await give_place(
                event_id, registration_id, reg["email"]):
            raise DomainError("not_waiting", "This person is not on the waiting list.")
        await audit.record(actor, "registration.promoted", event_id=event_id,
                           subject_type="registration", subject_id=registration_id)
    mail_queued()
    notices.tell(notices.STATS, event_id, "promoted")


async def resend_confirmation(event_id: int, registration_id: int, actor: str) -> str:
    """Send the confirmation mail again (the sign-up's own mail, with the badge when
    registered). Returns the address it goes to."""
    db = current_engine()
    async with db.transaction():
        reg = await _registration(event_id, registration_id)
        if reg["status"] == "cancelled":
            raise DomainError("registration_cancelled", "This registration is cancelled.")
        if not reg["email"]:
            raise DomainError("no_email", "This visitor has no e-mail address.")
        await queue_mail(event_id, registration_id, "registration.confirmation", reg["email"])
        await audit.record(actor, "registration.confirmation_resent", event_id=event_id,
                           subject_type="registration", subject_id=registration_id)
    mail_queued()
    return str(reg["email"])


async def set_no_show(event_id: int, registration_id: int, no_show: bool, actor: str) -> None:
    """Mark (or unmark) someone who signed up and did not come. Only a registration that
    holds a place and has not checked in can be a no-show."""
    db = current_engine()
    async with db.transaction():
        reg = await _registration(event_id, registration_id)
        if no_show:
            if reg["status"] != "registered":
                raise DomainError("not_registered", "Only someone with a place can be a no-show.")
            if reg["checked_in_at"] is not None:
                raise DomainError("is_checked_in",
                                  "This person checked in, so they are not a no-show.")
        await db.fetch("UPDATE registration SET no_show_at = ? WHERE id = ?",
                       [clock.now() if no_show else None, registration_id])
        await audit.record(actor, "registration.no_show" if no_show
                           else "registration.no_show_cleared", event_id=event_id,
                           subject_type="registration", subject_id=registration_id)


def contact_form_errors(exc: DomainError) -> dict[str, str]:
    """Field → text key of a failed contact change, for the form."""
    if isinstance(exc, ValidationFailed):
        return {k: v for k, v in exc.errors.items() if k in CONTACT_FIELDS}
    return {exc.field or "name": f"desk.error.{exc.code}"}
