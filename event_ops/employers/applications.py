"""Employers apply to take part in an event (issue 18): the public sign-up form stores an
application; an organiser approves it (the organisation, found or made by its KvK number,
its contact person and its place at the event, with the sector and no stand yet) or
declines it with a reason. The employer gets a mail at each step.

Rules that MUST hold:

* A form with any bad or missing field stores nothing; every problem is named by field.
* An application is decided once (``application_decided`` after that).
* Approval reuses ``organisations.organisation_for`` / ``add_contact`` and
  ``service.add_employer``: one rule for organisations, in one place. Audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

from event_ops import audit, clock
from event_ops.access.contacts import APPROVAL_LINK_LIFETIME, APPROVED_LINK_MAIL, issue_link
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.employers import organisations as orgs
from event_ops.employers import service
from event_ops.events.tables import Event
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.mail.render import new_mail

RECEIVED_MAIL = "employer.received"
APPROVED_MAIL = "employer.approved"
DECLINED_MAIL = "employer.declined"
MAIL_KINDS = (RECEIVED_MAIL, APPROVED_MAIL, DECLINED_MAIL)
MAX_STAFF = 50
NEEDS = ("power", "table", "screen")
TEXT_LIMIT = 1000


class ApplicationInvalid(DomainError):
    """The sign-up form has problems; ``problems`` names each one by its field."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__("application_invalid", problems[0].message, field=problems[0].field)
        self.problems = problems


def _missing(field: str) -> DomainError:
    return DomainError("application_missing", f"Fill in {field}.", field=field)


def check_application(form: Mapping[str, Any]) -> tuple[dict[str, Any], list[DomainError]]:
    """The sign-up form's fields, checked. Pure. Returns the clean values and every problem
    (an empty list: the application may be stored)."""
    problems: list[DomainError] = []
    values: dict[str, Any] = {}

    def attempt(field: str, check: Any) -> None:
        try:
            values[field] = check()
        except DomainError as exc:
            problems.append(exc if exc.field else DomainError(exc.code, exc.message,
                                                             field=field))

    text = {k: str(form.get(k, "") or "") for k in (
        "organisation_name", "kvk_number", "contact_name", "contact_email", "contact_phone",
        "sector", "stand_wishes", "staff_count", "note")}
    if not text["organisation_name"].strip():
        problems.append(_missing("organisation_name"))
    else:
        attempt("organisation_name",
                lambda: orgs.clean_name(text["organisation_name"], "organisation_name"))
    if not text["kvk_number"].strip():
        problems.append(_missing("kvk_number"))
    else:
        attempt("kvk_number", lambda: orgs.normalise_kvk(text["kvk_number"]))
    for field in ("contact_name", "contact_email", "contact_phone"):
        if not text[field].strip():
            problems.append(_missing(field))
    if not any(p.field and p.field.startswith("contact_") for p in problems):
        try:
            contact = orgs.check_contact(text["contact_name"], text["contact_email"],
                                         text["contact_phone"], "")
            values.update(contact_name=contact["name"], contact_email=contact["email"],
                          contact_phone=contact["phone"])
        except DomainError as exc:
            problems.append(DomainError(exc.code, exc.message,
                                        field=f"contact_{exc.field or 'name'}"))
    def sector() -> str:
        service.check_sector(text["sector"])
        return text["sector"]

    attempt("sector", sector)
    if not text["sector"]:
        problems.append(_missing("sector"))
    try:
        staff = int(text["staff_count"].strip())
        if not 1 <= staff <= MAX_STAFF:
            raise ValueError
        values["staff_count"] = staff
    except ValueError:
        problems.append(DomainError("bad_staff_count",
                                    f"Give a number of staff from 1 to {MAX_STAFF}.",
                                    field="staff_count"))
    for field in ("stand_wishes", "note"):
        if len(text[field]) > TEXT_LIMIT:
            problems.append(DomainError("text_too_long",
                                        f"At most {TEXT_LIMIT} characters.", field=field))
        values[field] = text[field].strip()
    for need in NEEDS:
        values[f"needs_{need}"] = bool(form.get(f"needs_{need}"))
    return values, problems


async def submit_application(event: Event, form: Mapping[str, Any], lang: str) -> int:
    """Store a checked application and queue the "we received it" mail. Raises
    ``ApplicationInvalid`` naming every problem (nothing stored then)."""
    values, problems = check_application(form)
    if problems:
        raise ApplicationInvalid(problems)
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch(
            "INSERT INTO employer_application (event, organisation_name, kvk_number,"
            " contact_name, contact_email, contact_phone, sector, needs_power, needs_table,"
            " needs_screen, stand_wishes, staff_count, note, language, status, decided_by,"
            " reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " 'pending', '', '', ?) RETURNING id",
            [event.id, values["organisation_name"], values["kvk_number"],
             values["contact_name"], values["contact_email"], values["contact_phone"],
             values["sector"], values["needs_power"], values["needs_table"],
             values["needs_screen"], values["stand_wishes"], values["staff_count"],
             values["note"], "en" if lang == "en" else "nl", clock.now()])
        application_id = rows[0]["id"]
        await queue_mail(event.id, None, RECEIVED_MAIL, values["contact_email"])
        # Who applied is the employer's business data, but the contact is a person:
        # only the organisation's name and number go to the audit log.
        await audit.record("public", "employer_application.created", event_id=event.id,
                           subject_type="employer_application", subject_id=application_id,
                           changes=audit.changes({}, {
                               "organisation_name": values["organisation_name"],
                               "kvk_number": values["kvk_number"]}))
    mail_queued()
    return application_id


async def list_applications(event_id: int) -> list[dict[str, Any]]:
    """An event's applications: pending ones first, then the newest decided."""
    return await current_engine().fetch(
        "SELECT * FROM employer_application WHERE event = ? ORDER BY"
        " CASE WHEN status = 'pending' THEN 0 ELSE 1 END, created_at DESC, id DESC",
        [event_id])


async def _pending(db: Any, event_id: int, application_id: int) -> dict[str, Any]:
    rows = await db.fetch("SELECT * FROM employer_application WHERE id = ? AND event = ?",
                          [application_id, event_id])
    if not rows:
        raise DomainError("not_found", "There is no such application.")
    if rows[0]["status"] != "pending":
        raise DomainError("application_decided", "This application was decided already.")
    return rows[0]


async def _decide(db: Any, application: dict, status: str, actor: str, reason: str,
                  employer_id: int | None) -> None:
    decided = await db.fetch(
        "UPDATE employer_application SET status = ?, decided_by = ?, decided_at = ?,"
        " reason = ?, employer = ? WHERE id = ? AND status = 'pending' RETURNING id",
        [status, actor[:64], clock.now(), reason, employer_id, application["id"]])
    if not decided:  # another organiser decided it a moment ago
        raise DomainError("application_decided", "This application was decided already.")
    await audit.record(actor, f"employer_application.{status}",
                       event_id=application["event"], subject_type="employer_application",
                       subject_id=application["id"],
                       changes=audit.changes({"status": "pending"},
                                             {"status": status, "reason": reason or None}))


async def approve(event: Event, application_id: int, actor: str) -> int:
    """Approve: the organisation by its KvK number (made when new), the contact person
    (added when the organisation has no contact with this e-mail), the employer at this
    event with the sector and no stand, a mail with a login link. Returns the employer id."""
    db = current_engine()
    async with db.transaction():
        application = await _pending(db, event.id, application_id)
        org_id, _ = await orgs.organisation_for(application["organisation_name"],
                                                application["kvk_number"], actor)
        known = await db.fetch("SELECT id FROM contact_person WHERE organisation = ?"
                               " AND email = ?", [org_id, application["contact_email"]])
        if known:
            contact_id = known[0]["id"]
        else:
            contact_id = await orgs.add_contact(org_id, {
                "name": application["contact_name"], "email": application["contact_email"],
                "phone": application["contact_phone"], "role": ""}, actor)
        employer = await service.add_employer(
            event, name=application["organisation_name"], organisation_id=org_id,
            sector=application["sector"], actor=actor, once=True)
        employer_id: int = employer.id  # type: ignore[attr-defined]  # Piccolo's own column
        await _decide(db, application, "approved", actor, "", employer_id)
        await queue_mail(event.id, None, APPROVED_MAIL, application["contact_email"])
        await issue_link(contact_id, APPROVAL_LINK_LIFETIME, application["contact_email"],
                         kind=APPROVED_LINK_MAIL)
    mail_queued()
    return employer_id


async def decline(event: Event, application_id: int, reason: str, actor: str) -> None:
    """Decline with a reason the employer reads in its mail (1 to 1,000 characters)."""
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > TEXT_LIMIT:
        raise DomainError("reason_required", "Give a reason (the employer reads it).",
                          field="reason")
    db = current_engine()
    async with db.transaction():
        application = await _pending(db, event.id, application_id)
        await _decide(db, application, "declined", actor, reason, None)
        await queue_mail(event.id, None, DECLINED_MAIL, application["contact_email"])
    mail_queued()


async def application_message(settings: Settings, mail: dict) -> EmailMessage | None:
    """The outbox builds the mail when it sends: the newest application of this address
    for this event, in the status the mail reports (None when it changed since)."""
    db = current_engine()
    rows = await db.fetch(
        "SELECT a.*, e.name AS event_name FROM employer_application a"
        " JOIN event e ON e.id = a.event WHERE a.event = ? AND a.contact_email = ?"
        " ORDER BY a.id DESC LIMIT 1", [mail["event_id"], mail["recipient"]])
    if not rows:
        return None
    app = rows[0]
    wanted = {RECEIVED_MAIL: "pending", APPROVED_MAIL: "approved", DECLINED_MAIL: "declined"}
    if mail["kind"] != RECEIVED_MAIL and app["status"] != wanted[mail["kind"]]:
        return None
    base = settings.base_url.rstrip("/")
    name, event_name = app["contact_name"], app["event_name"]
    org = app["organisation_name"]
    if mail["kind"] == RECEIVED_MAIL:
        subject = "We hebben je aanmelding / We received your application"
        nl = [f"We hebben de aanmelding van {org} voor {event_name} ontvangen.",
              "De organisatie kijkt ernaar. Je krijgt een mail als zij beslist."]
        en = [f"We received the application of {org} for {event_name}.",
              "The organisers will look at it. You get a mail when they decide."]
    elif mail["kind"] == APPROVED_MAIL:
        subject = "Je aanmelding is goedgekeurd / Your application is approved"
        nl = [f"{org} doet mee aan {event_name}.",
              "Je krijgt zo een tweede mail met een link om in te loggen.",
              f"Later inloggen? Ga naar {base}/employer/login"]
        en = [f"{org} takes part in {event_name}.",
              "You will get a second mail with a link to log in.",
              f"Log in later? Go to {base}/employer/login"]
    else:
        subject = "Je aanmelding / Your application"
        nl = [f"{org} kan helaas niet meedoen aan {event_name}.", f"Reden: {app['reason']}"]
        en = [f"{org} cannot take part in {event_name}, we are sorry.",
              f"Reason: {app['reason']}"]
    msg = new_mail(settings, mail["recipient"], subject)
    msg.set_content("\n".join([f"Beste {name},", "", *nl, "", "---", "",
                               f"Dear {name},", "", *en]))
    return msg
