"""Contact requests of the candidate pool: every state change of a request lives here.

Contract
--------
* :func:`request_contact` (the employer side) creates a request ``requested`` for a findable
  member, known only by its pseudonym ``ref``; the member gets a mail that someone asked.
* :func:`decide` (the member on their own page, or their job coach) turns it ``accepted`` or
  ``declined``. Accepting copies the member's ``share_fields`` into ``released_fields`` and
  queues a mail to the employer's contact with exactly those details. Declining releases
  nothing.
* :func:`withdraw_request` (the employer) turns an open request ``withdrawn``;
  :func:`expire_open_requests` (membership ended or withdrawn) turns open ones ``expired``.
* :func:`released_details` is the only way an employer reads personal data of a member: only
  the released fields of an accepted request of their own organisation.
* Every change and every read of released details is written to the audit log (ids and
  field names only, never the values).
"""

from __future__ import annotations

import datetime as dt
import json
from email.message import EmailMessage

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.i18n import t
from event_ops.localtime import local_time
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.mail.render import legal_lines, new_mail, visitor_page_url
from event_ops.pool.rules import (
    ABOUT_LIMIT,
    ASK_AGAIN_AFTER_DAYS,
    MESSAGE_LIMIT,
    is_findable,
    json_list,
)
from event_ops.pool.tables import SHAREABLE_FIELDS

# Outbox kinds. ``outbox_mail.registration_id`` holds the contact request's id for both (as
# follow-up mails keep a visitor id there): the mail is built from the request when sent.
MAIL_REQUESTED = "pool.requested"  # to the member: an employer asked for contact
MAIL_ACCEPTED = "pool.accepted"  # to the employer's contact: the released details
MAIL_KINDS = (MAIL_REQUESTED, MAIL_ACCEPTED)

OPEN = "requested"


def _not_found() -> DomainError:
    return DomainError("pool_not_found", "This pool member or request does not exist.")


async def request_contact(member_ref: str, organisation_id: int, contact_id: int | None,
                          about: str, job_profile: int | None, message: str,
                          actor: str) -> int:
    """An organisation asks a findable member (by ``ref``) for contact. Returns the new
    request's id.

    Raises ``pool_not_found`` (member unknown, withdrawn or ended; a contact not of this
    organisation), ``pool_request_open`` (this organisation already has an open or accepted
    request for the member, or the member declined one less than 90 days ago) and
    ``validation_failed``-like ``pool_bad_request`` (about or message too long, about empty).
    ``actor`` is who asked (``account:<id>`` of the employer contact), for the audit log.
    """
    about, message = (about or "").strip(), (message or "").strip()
    if not about:
        raise DomainError("pool_bad_request", "Say which job the request is about.",
                          field="about")
    if len(about) > ABOUT_LIMIT:
        raise DomainError("pool_bad_request", f"At most {ABOUT_LIMIT} characters.",
                          field="about")
    if len(message) > MESSAGE_LIMIT:
        raise DomainError("pool_bad_request", f"At most {MESSAGE_LIMIT} characters.",
                          field="message")
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        members = await db.fetch(
            "SELECT m.id, m.ends_on, m.withdrawn_at, v.email FROM pool_member m"
            " JOIN visitor v ON v.id = m.visitor WHERE m.ref = ?", [member_ref])
        if not members or not is_findable(members[0]):
            raise _not_found()
        member = members[0]
        if contact_id is not None and not await db.fetch(
                "SELECT id FROM contact_person WHERE id = ? AND organisation = ?",
                [contact_id, organisation_id]):
            raise _not_found()
        since = now - dt.timedelta(days=ASK_AGAIN_AFTER_DAYS)
        if await db.fetch(
                "SELECT id FROM pool_contact_request WHERE member = ? AND organisation = ?"
                " AND (status IN ('requested', 'accepted')"
                "  OR (status = 'declined' AND decided_at > ?))",
                [member["id"], organisation_id, since]):
            raise DomainError("pool_request_open",
                              "Your organisation already asked this person for contact.")
        rows = await db.fetch(
            "INSERT INTO pool_contact_request (member, organisation, contact, about,"
            " job_profile, message, status, decided_at, decided_by, released_fields,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, 'requested', NULL, '', '[]', ?)"
            " RETURNING id",
            [member["id"], organisation_id, contact_id, about, job_profile, message, now])
        request_id: int = rows[0]["id"]
        await queue_mail(None, request_id, MAIL_REQUESTED, member["email"], at=now)
        await audit.record(actor, "pool.contact_requested", subject_type="pool_request",
                           subject_id=request_id)
    mail_queued()
    return request_id


async def decide(request_id: int, visitor_id: int, accept: bool, *, by: str,
                 actor: str) -> str:
    """The member (``by="self"``) or their coach (``by="coach:<account id>"``) answers an
    open request of the member's own. Returns the new status. The caller checks that a
    coach acts for their own client (event_ops/pool/membership.py ``coach_may_act``).

    Raises ``pool_not_found`` (not this visitor's request) and ``pool_request_closed``
    (already answered, withdrawn or expired; or the membership ended)."""
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        rows = await db.fetch(
            "SELECT r.id, r.status, r.contact, m.id AS member, m.ends_on, m.withdrawn_at,"
            " m.share_fields FROM pool_contact_request r"
            " JOIN pool_member m ON m.id = r.member WHERE r.id = ? AND m.visitor = ?",
            [request_id, visitor_id])
        if not rows:
            raise _not_found()
        req = rows[0]
        if req["status"] != OPEN or not is_findable(req):
            raise DomainError("pool_request_closed", "This request can no longer be answered.")
        status = "accepted" if accept else "declined"
        released = [f for f in SHAREABLE_FIELDS if f in json_list(req["share_fields"])] \
            if accept else []
        await db.fetch(
            "UPDATE pool_contact_request SET status = ?, decided_at = ?, decided_by = ?,"
            " released_fields = ? WHERE id = ? AND status = 'requested'",
            [status, now, by, _json(released), request_id])
        if accept and req["contact"] is not None:
            contact = await db.fetch("SELECT email FROM contact_person WHERE id = ?",
                                     [req["contact"]])
            if contact:
                await queue_mail(None, request_id, MAIL_ACCEPTED, contact[0]["email"], at=now)
        await audit.record(actor, f"pool.request_{status}", subject_type="pool_request",
                           subject_id=request_id, fields=released)
    if accept:
        mail_queued()
    return status


async def withdraw_request(request_id: int, organisation_id: int, actor: str) -> None:
    """The employer takes back an open request of their own organisation."""
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch(
            "UPDATE pool_contact_request SET status = 'withdrawn', decided_at = ?,"
            " decided_by = ? WHERE id = ? AND organisation = ? AND status = 'requested'"
            " RETURNING id", [clock.now(), actor[:32], request_id, organisation_id])
        if not rows:
            raise _not_found()
        await audit.record(actor, "pool.request_withdrawn", subject_type="pool_request",
                           subject_id=request_id)


async def expire_open_requests(member_id: int, actor: str) -> int:
    """Every open request of this member becomes ``expired`` (the membership was withdrawn
    or ended). Call inside the transaction that ends the membership. Returns how many."""
    rows = await current_engine().fetch(
        "UPDATE pool_contact_request SET status = 'expired', decided_at = ?, decided_by = ?"
        " WHERE member = ? AND status = 'requested' RETURNING id",
        [clock.now(), actor[:32], member_id])
    for row in rows:
        await audit.record(actor, "pool.request_expired", subject_type="pool_request",
                           subject_id=row["id"])
    return len(rows)


async def released_details(request_id: int, organisation_id: int, *,
                           actor: str | None = None) -> dict[str, str] | None:
    """The member's contact details released by an accepted request of this organisation:
    ONLY the ``released_fields`` (field → value). None when the request is not this
    organisation's, is not accepted, or the member is gone. With ``actor`` the reading is
    written to the audit log (who saw which fields)."""
    rows = await current_engine().fetch(
        "SELECT r.released_fields, v.name, v.email, v.phone FROM pool_contact_request r"
        " JOIN pool_member m ON m.id = r.member JOIN visitor v ON v.id = m.visitor"
        " WHERE r.id = ? AND r.organisation = ? AND r.status = 'accepted'",
        [request_id, organisation_id])
    if not rows:
        return None
    fields = [f for f in SHAREABLE_FIELDS if f in json_list(rows[0]["released_fields"])]
    if actor:
        await audit.record(actor, "pool.details_viewed", subject_type="pool_request",
                           subject_id=request_id, fields=fields)
    return {f: rows[0][f] or "" for f in fields}


async def requests_of_visitor(visitor_id: int) -> list[dict]:
    """Who asked this member for contact, newest first: organisation name, when, about
    which job, the employer's message, status. For the member's own page and their coach."""
    return await current_engine().fetch(
        "SELECT r.id, o.name AS organisation, r.about, r.message, r.status, r.created_at,"
        " r.decided_at, r.decided_by, r.released_fields FROM pool_contact_request r"
        " JOIN pool_member m ON m.id = r.member JOIN organisation o ON o.id = r.organisation"
        " WHERE m.visitor = ? ORDER BY r.id DESC", [visitor_id])


async def requests_of_organisation(organisation_id: int) -> list[dict]:
    """The organisation's own requests, newest first: the member's pseudonym, the job, the
    status (and nothing of the member: released details only via released_details)."""
    return await current_engine().fetch(
        "SELECT r.id, m.ref, r.about, r.status, r.created_at, r.decided_at"
        " FROM pool_contact_request r JOIN pool_member m ON m.id = r.member"
        " WHERE r.organisation = ? ORDER BY r.id DESC", [organisation_id])


def _json(value: list) -> str:
    return json.dumps(value)


# -- mails, built by the outbox when it sends them (event_ops/mail/outbox.py)

async def pool_message(settings: Settings, mail: dict) -> EmailMessage | None:
    """The mail of an outbox row of a ``MAIL_KINDS`` kind, built from the request as it is
    now; None when it no longer applies (answered since, or erased)."""
    if mail["kind"] == MAIL_REQUESTED:
        return await _requested_message(settings, mail)
    return await _accepted_message(settings, mail)


async def _requested_message(settings: Settings, mail: dict) -> EmailMessage | None:
    """To the member, in their own language (``visitor.language``), like every visitor mail."""
    rows = await current_engine().fetch(
        "SELECT r.status, r.about, o.name AS organisation, v.id AS visitor, v.name, v.email,"
        " v.language, v.link_version FROM pool_contact_request r"
        " JOIN pool_member m ON m.id = r.member"
        " JOIN visitor v ON v.id = m.visitor JOIN organisation o ON o.id = r.organisation"
        " WHERE r.id = ?", [mail["registration_id"]])
    if not rows or rows[0]["status"] != OPEN or rows[0]["email"] != mail["recipient"]:
        return None
    row = rows[0]
    lang = row["language"] or "nl"
    link = visitor_page_url(settings, row["visitor"], row["link_version"]) + "/pool"
    lines = [t("mail.hello", lang, name=row["name"].split(" ")[0]), "",
             t("mail.pool.requested.who", lang, org=row["organisation"], about=row["about"]),
             t("mail.pool.requested.not_yet", lang),
             t("mail.pool.requested.look", lang, url=link), "",
             legal_lines(settings, lang)]
    msg = new_mail(settings, mail["recipient"], t("mail.pool.requested.subject", lang))
    msg.set_content("\n".join(lines) + "\n")
    msg["Content-Language"] = lang  # after set_content, which drops Content-* headers
    return msg


# The employer's contact has no language of their own in the system: Dutch, then English.
EMPLOYER_LANGS = ("nl", "en")


async def _accepted_message(settings: Settings, mail: dict) -> EmailMessage | None:
    rows = await current_engine().fetch(
        "SELECT r.status, r.about, r.released_fields, r.decided_at, m.ref, v.name, v.email,"
        " v.phone, c.email AS contact_email FROM pool_contact_request r"
        " JOIN pool_member m ON m.id = r.member JOIN visitor v ON v.id = m.visitor"
        " LEFT JOIN contact_person c ON c.id = r.contact WHERE r.id = ?",
        [mail["registration_id"]])
    if not rows or rows[0]["status"] != "accepted" \
            or rows[0]["contact_email"] != mail["recipient"]:
        return None
    row = rows[0]
    fields = [f for f in SHAREABLE_FIELDS if f in json_list(row["released_fields"])]
    parts = []
    for lang in EMPLOYER_LANGS:
        when = local_time(row["decided_at"], lang)
        parts.append("\n".join([
            t("pool.mail_employer.accepted", lang, ref=row["ref"], about=row["about"],
              when=when),
            t("pool.mail_employer.details", lang),
            *(f"{t(f'pool.mail_employer.{f}', lang)}: {row[f]}" for f in fields),
            t("pool.mail_employer.only", lang)]))
    subject = " / ".join(t("pool.mail_employer.subject", lang) for lang in EMPLOYER_LANGS)
    msg = new_mail(settings, mail["recipient"], subject)
    msg.set_content("\n\n".join(parts) + "\n")
    msg["Content-Language"] = ", ".join(EMPLOYER_LANGS)
    return msg
