"""Invitations of visitors: a coach or organiser imports a list of people; each gets a
personal link to the event's sign-up form, by e-mail or by SMS through the outbox.

Contracts:
- An import is all or nothing: a sheet with any broken row stores nothing, and each
  problem names the row (as Excel numbers it) and the column.
- One invitation per person and event: a row whose e-mail address or phone number is
  invited to the event already is "known" and neither stored nor sent again (partial
  unique indexes hold it when two imports run at once).
- The link is ``/i/<id>.<mac>`` (``event_ops/links.py``): a database number and an HMAC,
  no personal data. It opens the sign-up form also for an invitation-only event.
- The link goes by e-mail when there is an address; else by SMS when a gateway is set
  (``EVENTOPS_SMS_URL``); else it is not sent (``channel = 'none'``) until someone
  resends it with SMS on.
- Status only moves forward: invited → opened (the link was opened) → registered (signed
  up through it, in the sign-up's own transaction, with ``registration.source =
  'invitation'``).
- A job coach sees (and resends) only the invitations they imported or that name them.
- Nobody who opted out of messages (``visitor.messages_opt_out``) gets an invitation; a
  mail to an address we know carries the unsubscribe link like every visitor mail.
- Imports and resends go to the audit log with counts and ids only, no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from event_ops import audit, clock
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine, dialect, is_unique_violation
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.core.spreadsheet import Problem, read_sheet
from event_ops.core.spreadsheet import template_csv as _template_csv
from event_ops.core.spreadsheet import template_xlsx as _template_xlsx
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.links import check_link_token, link_token_id, make_link_token
from event_ops.localtime import as_datetime
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.mail.render import format_when, new_mail
from event_ops.people.registration import CONTROL_RE, EMAIL_RE, normalise_phone

MAIL_KIND = "visitor.invitation"
PURPOSE = "visitor-invitation"
LINK_PREFIX = "/i/"

COLUMNS = ("name", "email", "phone", "coach", "language")
ALIASES = {
    "naam": "name", "volledige naam": "name", "e-mail": "email", "e-mailadres": "email",
    "mail": "email", "emailadres": "email", "telefoon": "phone", "telefoonnummer": "phone",
    "mobiel": "phone", "mobiel nummer": "phone", "gsm": "phone", "jobcoach": "coach",
    "job coach": "coach", "begeleider": "coach", "taal": "language",
}
LANGUAGES = {"nl": "nl", "nederlands": "nl", "dutch": "nl", "en": "en", "engels": "en",
             "english": "en", "ar": "ar", "arabisch": "ar", "arabic": "ar", "uk": "uk",
             "oekraïens": "uk", "ukrainian": "uk", "tr": "tr", "turks": "tr", "turkish": "tr",
             "pl": "pl", "pools": "pl", "polish": "pl"}
# Example rows; the coach column is left empty so the template imports as it is (a coach
# must be an account here: their e-mail address or name).
TEMPLATE_ROWS = [
    ["Sara Bakker", "sara.bakker@example.nl", "06 12345678", "", "nl"],
    ["Youssef El Amrani", "", "0612345679", "", "nl"],
    ["Anna Kowalska", "anna.k@example.com", "", "", "en"],
]
COACH_ROLE = "job_coach"


def invitation_token(secret: str, invitation_id: int) -> str:
    return make_link_token(secret, PURPOSE, invitation_id)


def invitation_url(settings: Settings, invitation_id: int) -> str:
    return f"{settings.base_url.rstrip('/')}{LINK_PREFIX}" \
           f"{invitation_token(settings.secret_key, invitation_id)}"


def template_csv() -> bytes:
    return _template_csv(COLUMNS, TEMPLATE_ROWS)


def template_xlsx() -> bytes:
    return _template_xlsx(COLUMNS, TEMPLATE_ROWS, "uitnodigingen")


# ---- the import ---------------------------------------------------------------------------

@dataclass(slots=True)
class Person:
    row: int
    name: str
    email: str
    phone: str
    coach_account: int | None
    language: str


@dataclass
class ImportResult:
    created: int = 0
    known: int = 0  # invited to this event already: not stored or sent again
    by_mail: int = 0
    by_sms: int = 0
    not_sent: int = 0
    problems: list[Problem] = field(default_factory=list)
    # For the preview: {"row", "name", "action": "create"|"known", "channel"}
    actions: list[dict[str, Any]] = field(default_factory=list)
    stored: bool = False

    def errors(self, lang: str) -> list[dict[str, Any]]:
        return [{"row": p.row, "column": p.column, "message": t(p.key, lang, **dict(p.values))}
                for p in self.problems]


def _channel(email: str, phone: str, sms_on: bool) -> str:
    """How the link goes out: mail when there is an address, else SMS when it is on."""
    if email:
        return "mail"
    if phone and sms_on:
        return "sms"
    return "none"


async def _coaches() -> tuple[dict[str, int], dict[str, list[int]]]:
    rows = await current_engine().fetch(
        "SELECT id, email, name FROM account WHERE role = ? AND disabled_at IS NULL",
        [COACH_ROLE])
    by_email = {r["email"].lower(): r["id"] for r in rows}
    by_name: dict[str, list[int]] = {}
    for r in rows:
        by_name.setdefault(" ".join(r["name"].split()).casefold(), []).append(r["id"])
    return by_email, by_name


async def check_sheet(content: bytes, default_coach: int | None
                      ) -> tuple[list[Person], list[Problem]]:
    """Read and check every cell. Raises ``DomainError`` for what is no sheet at all (see
    ``event_ops.core.spreadsheet.read_sheet``); the problems name row and column."""
    sheet = read_sheet(content, COLUMNS, ALIASES, ("name",))
    problems = list(sheet.problems)
    if "email" not in sheet.labels and "phone" not in sheet.labels:
        problems.append(Problem(1, "email", "inv.err.contact_column"))
    by_email, by_name = await _coaches()
    people: list[Person] = []
    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    for number, cells in sheet.rows:
        before = len(problems)
        name = " ".join(cells.get("name", "").split())
        if not name:
            problems.append(Problem(number, sheet.label("name"), "imp.err.required"))
        elif len(name) < 2 or len(name) > 200 or CONTROL_RE.search(name):
            problems.append(Problem(number, sheet.label("name"), "inv.err.name"))
        email = cells.get("email", "").strip().lower()
        if email and (len(email) > 254 or not EMAIL_RE.match(email)):
            problems.append(Problem(number, sheet.label("email"), "imp.err.email"))
        raw_phone = cells.get("phone", "").strip()
        phone = normalise_phone(raw_phone) if raw_phone else ""
        if raw_phone and not phone:
            problems.append(Problem(number, sheet.label("phone"), "inv.err.phone"))
        if not email and not raw_phone:
            column = sheet.label("email") if "email" in sheet.labels else sheet.label("phone")
            problems.append(Problem(number, column, "inv.err.contact"))
        coach = default_coach
        coach_cell = cells.get("coach", "").strip()
        if coach_cell:
            matches = ([by_email[coach_cell.lower()]] if coach_cell.lower() in by_email
                       else by_name.get(" ".join(coach_cell.split()).casefold(), []))
            if len(matches) == 1:
                coach = matches[0]
            else:
                problems.append(Problem(number, sheet.label("coach"),
                                        "inv.err.coach_many" if matches
                                        else "inv.err.coach_unknown", (("value", coach_cell),)))
        language_cell = cells.get("language", "").strip().lower()
        language = LANGUAGES.get(language_cell or "nl")
        if language is None:
            problems.append(Problem(number, sheet.label("language"), "inv.err.language",
                                    (("value", cells.get("language", "")),)))
        for key, value, seen in (("email", email, seen_email), ("phone", phone, seen_phone)):
            if value and value in seen:
                problems.append(Problem(number, sheet.label(key), "inv.err.duplicate",
                                        (("row", seen[value]),)))
            elif value:
                seen[value] = number
        if len(problems) == before:
            people.append(Person(number, name, email, phone or "", coach, language or "nl"))
    if not sheet.rows and not problems:
        problems.append(Problem(2, "", "inv.err.no_rows"))
    return people, problems


async def _lock_event(event_id: int) -> None:
    # Two imports of one event run one after the other on PostgreSQL (SQLite serialises
    # write transactions), so the "known" check sees the other import's rows.
    if dialect() == "postgres":
        await current_engine().fetch("SELECT id FROM event WHERE id = ? FOR UPDATE", [event_id])


async def import_invitations(event: Event, content: bytes, *, principal: Principal,
                             sms_on: bool, dry_run: bool = False) -> ImportResult:
    """Check the sheet and (unless ``dry_run`` or any problem) store the new invitations
    and queue their links, in one transaction. See the module's contracts."""
    default_coach = principal.account_id if principal.role == COACH_ROLE else None
    people, problems = await check_sheet(content, default_coach)
    result = ImportResult(problems=problems)
    if problems:
        return result
    db = current_engine()
    for attempt in range(3):
        try:
            async with db.transaction():
                await _plan_and_store(event, people, principal, sms_on, dry_run, result)
            break
        except Exception as exc:
            # Another import stored one of these people a moment ago: look again.
            if attempt < 2 and is_unique_violation(exc):
                result = ImportResult()
                continue
            raise
    if result.stored:
        mail_queued()
    return result


async def _plan_and_store(event: Event, people: list[Person], principal: Principal,
                          sms_on: bool, dry_run: bool, result: ImportResult) -> None:
    db = current_engine()
    if not dry_run:
        await _lock_event(event.id)
    rows = await db.fetch("SELECT email, phone FROM visitor_invitation WHERE event = ?",
                          [event.id])
    emails = {r["email"] for r in rows if r["email"]}
    phones = {r["phone"] for r in rows if r["phone"]}
    now = clock.now()
    for person in people:
        known = bool((person.email and person.email in emails)
                     or (person.phone and person.phone in phones))
        channel = _channel(person.email, person.phone, sms_on)
        result.actions.append({"row": person.row, "name": person.name,
                               "action": "known" if known else "create",
                               "channel": channel})
        if known:
            result.known += 1
            continue
        result.created += 1
        result.by_mail += channel == "mail"
        result.by_sms += channel == "sms"
        result.not_sent += channel == "none"
        if dry_run:
            continue
        await db.fetch(
            "INSERT INTO visitor_invitation (event, name, email, phone, language,"
            " coach_account, imported_by, status, channel, sent_count, last_sent_at,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'invited', ?, ?, ?, ?)",
            [event.id, person.name, person.email, person.phone, person.language,
             person.coach_account, principal.account_id, channel,
             0 if channel == "none" else 1, None if channel == "none" else now, now])
        if channel != "none":
            await queue_mail(event.id, None, MAIL_KIND,
                             person.email if channel == "mail" else person.phone,
                             channel=channel)
    if not dry_run:
        await audit.record(principal.actor, "invitations.imported", event_id=event.id,
                           subject_type="event", subject_id=event.id,
                           changes={"created": [0, result.created],
                                    "already_invited": [0, result.known],
                                    "not_sent": [0, result.not_sent]})
        result.stored = True


# ---- the list and resending ---------------------------------------------------------------

def _visible(principal: Principal, prefix: str = "") -> tuple[str, list[Any]]:
    """The SQL condition (and its values) for what this caller may see: all of the event
    for organisers, a job coach only what they imported or what names them."""
    if principal.role == COACH_ROLE:
        return (f" AND ({prefix}imported_by = ? OR {prefix}coach_account = ?)",
                [principal.account_id, principal.account_id])
    return "", []


async def list_invitations(event_id: int, principal: Principal) -> tuple[list[dict],
                                                                          dict[str, int]]:
    """The invitations this caller may see, newest first, and their counts by status."""
    where, args = _visible(principal, "i.")
    rows = await current_engine().fetch(
        "SELECT i.id, i.name, i.email, i.phone, i.language, i.status, i.channel,"
        " i.sent_count, i.last_sent_at, i.opened_at, i.registered_at, i.created_at,"
        " a.name AS coach_name FROM visitor_invitation i"
        " LEFT JOIN account a ON a.id = i.coach_account"
        f" WHERE i.event = ?{where}"
        " ORDER BY i.id DESC", [event_id, *args])
    counts = {"total": len(rows), "invited": 0, "opened": 0, "registered": 0, "not_sent": 0}
    for row in rows:
        counts[row["status"]] += 1
        if row["channel"] == "none":
            counts["not_sent"] += 1
    return rows, counts


async def resend(event_id: int, invitation_id: int, principal: Principal, *,
                 sms_on: bool) -> str:
    """Queue the link again (by the channel that fits now). Returns the channel;
    ``not_found`` for an invitation the caller may not see, ``invitation_unsendable``
    when there is no way to send it (only a phone number and SMS is off)."""
    where, args = _visible(principal)
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch(
            f"SELECT id, email, phone, channel FROM visitor_invitation WHERE id = ?"
            f" AND event = ?{where}", [invitation_id, event_id, *args])
        if not rows:
            raise DomainError("invitation_not_found", "There is no such invitation.")
        row = rows[0]
        channel = _channel(row["email"], row["phone"], sms_on)
        if channel == "none":
            raise DomainError("invitation_unsendable",
                              "This person has only a phone number and SMS is off.")
        await db.fetch(
            "UPDATE visitor_invitation SET channel = ?, sent_count = sent_count + 1,"
            " last_sent_at = ? WHERE id = ?", [channel, clock.now(), invitation_id])
        await queue_mail(event_id, None, MAIL_KIND,
                         row["email"] if channel == "mail" else row["phone"], channel=channel)
        await audit.record(principal.actor, "invitation.resent", event_id=event_id,
                           subject_type="invitation", subject_id=invitation_id,
                           changes={"channel": [row["channel"], channel]})
    mail_queued()
    return channel


# ---- the link -----------------------------------------------------------------------------

async def invitation_for_token(secret: str, token: str) -> dict | None:
    """The invitation a link names (id, event, name, email, phone, language, status), or
    None when the link is wrong or the invitation is gone."""
    invitation_id = link_token_id(token)
    if invitation_id is None or not check_link_token(secret, PURPOSE, token):
        return None
    rows = await current_engine().fetch(
        "SELECT id, event, name, email, phone, language, status FROM visitor_invitation"
        " WHERE id = ?", [invitation_id])
    return rows[0] if rows else None


async def mark_opened(invitation_id: int) -> None:
    """invited → opened (a second open, or a later status, stays as it is)."""
    await current_engine().fetch(
        "UPDATE visitor_invitation SET status = 'opened', opened_at = ?"
        " WHERE id = ? AND status = 'invited'", [clock.now(), invitation_id])


async def mark_registered(invitation_id: int, registration_id: int) -> None:
    """→ registered; call inside the sign-up's transaction, which also stored the
    registration with ``source = 'invitation'``."""
    now = clock.now()
    await current_engine().fetch(
        "UPDATE visitor_invitation SET status = 'registered', registered_at = ?,"
        " opened_at = COALESCE(opened_at, ?), registration_id = ? WHERE id = ?",
        [now, now, registration_id, invitation_id])


# ---- what the outbox sends ---------------------------------------------------------------

async def _for_outbox(mail: dict) -> tuple[dict, dict] | None:
    """The invitation and event an outbox row is about (by event and recipient: one
    invitation per address and per phone number per event). None: nothing to send any
    more (deleted, or signed up already)."""
    column = "phone" if mail.get("channel") == "sms" else "email"
    db = current_engine()
    rows = await db.fetch(
        f"SELECT id, name, language, status FROM visitor_invitation WHERE event = ?"
        f" AND {column} = ?", [mail["event_id"], mail["recipient"]])
    if not rows or rows[0]["status"] == "registered":
        return None
    # Someone known who opted out of all mail not needed for a registration: no invitation.
    opted_out = await db.fetch(
        f"SELECT id FROM visitor WHERE {column} = ? AND messages_opt_out = ?",
        [mail["recipient"], True])
    if opted_out:
        return None
    events = await db.fetch("SELECT name, starts_at, ends_at FROM event WHERE id = ?",
                            [mail["event_id"]])
    return (rows[0], events[0]) if events else None


def _when(event: dict, lang: str) -> str:
    starts, ends = as_datetime(event["starts_at"]), as_datetime(event["ends_at"])
    assert starts is not None and ends is not None
    return format_when(starts, ends, lang)


async def invitation_mail(settings: Settings, mail: dict) -> EmailMessage | None:
    found = await _for_outbox(mail)
    if found is None:
        return None
    invitation, event = found
    lang = invitation["language"] or "nl"
    values = {"name": invitation["name"], "event": event["name"], "when": _when(event, lang),
              "url": invitation_url(settings, invitation["id"])}
    msg = new_mail(settings, mail["recipient"], t("inv.mail.subject", lang, **values))
    msg.set_content(t("inv.mail.body", lang, **values) + "\n")
    return msg


async def invitation_sms(settings: Settings, mail: dict) -> str | None:
    found = await _for_outbox(mail)
    if found is None:
        return None
    invitation, event = found
    lang = invitation["language"] or "nl"
    return t("inv.sms.body", lang, event=event["name"], when=_when(event, lang),
             url=invitation_url(settings, invitation["id"]))
