"""Membership of the candidate pool: joining (by the visitor, or by their job coach with the
client's consent), renewing, withdrawing, the renewal reminder and deleting ended rows.

Contract
--------
* Joining needs an explicit consent to the pool wording (``POOL_WORDING_VERSION``); it is
  written to ``consent_record`` (kind ``pool``) every time: join, renew (granted) and
  withdraw (not granted). A coach's consent is recorded with channel ``coach`` and device
  ``account:<id>``, as a coach's sign-up is.
* The member's own choices live on ``pool_member`` (end date, hours, available from,
  travel distance, which contact details an accepted employer gets: at least one).
  Competencies, sectors, education, availability and postcode are read from the visitor's
  profile (one source), never copied.
* Withdrawing hides the member at once and expires their open requests. A membership ends
  on ``ends_on``; one reminder (``reminded_at``) goes ``REMIND_DAYS_BEFORE`` days before it;
  ``DELETE_AFTER_DAYS`` after the end (or after withdrawing) the row and its requests are
  deleted (:func:`run_maintenance`, from the periodic job runner and ``eventops pool remind``).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.core.settings import Settings
from event_ops.i18n import t
from event_ops.localtime import AMSTERDAM, local_time
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.mail.render import legal_lines, new_mail, visitor_page_url
from event_ops.people.caseload import is_client, team_for
from event_ops.pool.requests import expire_open_requests
from event_ops.pool.rules import (
    DEFAULT_MONTHS,
    DELETE_AFTER_DAYS,
    DURATION_MONTHS,
    POOL_WORDING_VERSION,
    REMIND_DAYS_BEFORE,
    add_months,
    as_date,
    is_findable,
    json_list,
    today,
)
from event_ops.pool.tables import SHAREABLE_FIELDS

# The programme's target: employers using the pool in a year (issue 18). Not a
# programme_target row: those count per event, the pool has no event.
EMPLOYERS_TARGET = 50
MAIL_REMINDER = "pool.reminder"  # outbox_mail.registration_id holds the pool_member id
MAX_HOURS = 60
MAX_DISTANCE_KM = 250
# Readable without confusion (no 0/O, 1/l/I): a member may read it out to their coach.
_REF_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(slots=True)
class PoolChoices:
    """What the member chooses. ``consent`` must be True to join or renew."""

    consent: bool = False
    months: int = DEFAULT_MONTHS
    hours_min: int | None = None
    hours_max: int | None = None
    available_from: dt.date | None = None
    max_distance_km: int | None = None
    share_fields: list[str] = field(default_factory=list)


def _number(raw: Any) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 4:
        raise ValueError(text)
    return int(text)


def choices_from_form(form: Any) -> PoolChoices:
    """The opt-in form's fields, checked (pure). Raises ``ValidationFailed`` with text keys of
    event_ops/texts/pool.py per field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, limit in (("hours_min", MAX_HOURS), ("hours_max", MAX_HOURS),
                        ("max_distance_km", MAX_DISTANCE_KM)):
        try:
            number = _number(form.get(name))
        except ValueError:
            errors[name] = "pool.err.number"
            continue
        lowest = 1 if name == "max_distance_km" else 0
        if number is not None and not lowest <= number <= limit:
            errors[name] = "pool.err.number"
            continue
        values[name] = number
    if not errors.get("hours_min") and not errors.get("hours_max") \
            and values.get("hours_min") is not None and values.get("hours_max") is not None \
            and values["hours_min"] > values["hours_max"]:
        errors["hours_max"] = "pool.err.hours_order"
    raw_from = str(form.get("available_from") or "").strip()
    available_from = None
    if raw_from:
        try:
            available_from = dt.date.fromisoformat(raw_from)
        except ValueError:
            errors["available_from"] = "pool.err.date"
    try:
        months = int(str(form.get("months") or DEFAULT_MONTHS))
    except ValueError:
        months = -1
    if months not in DURATION_MONTHS:
        errors["months"] = "pool.err.months"
    shares = form.getall("share_fields", []) if hasattr(form, "getall") \
        else list(form.get("share_fields") or [])
    share_fields = [f for f in SHAREABLE_FIELDS if f in shares]
    if not share_fields:
        errors["share_fields"] = "pool.err.share_fields"
    if form.get("consent") != "yes":
        errors["consent"] = "pool.err.consent"
    if errors:
        raise ValidationFailed(errors)
    return PoolChoices(consent=True, months=months, hours_min=values.get("hours_min"),
                       hours_max=values.get("hours_max"), available_from=available_from,
                       max_distance_km=values.get("max_distance_km"),
                       share_fields=share_fields)


def _check(choices: PoolChoices) -> None:
    """The same rules for callers that build choices themselves (tests, a coach's form)."""
    if not choices.consent:
        raise ValidationFailed({"consent": "pool.err.consent"})
    if choices.months not in DURATION_MONTHS:
        raise ValidationFailed({"months": "pool.err.months"})
    if not choices.share_fields or any(f not in SHAREABLE_FIELDS for f in choices.share_fields):
        raise ValidationFailed({"share_fields": "pool.err.share_fields"})
    lo, hi = choices.hours_min, choices.hours_max
    if lo is not None and hi is not None and lo > hi:
        raise ValidationFailed({"hours_max": "pool.err.hours_order"})


def new_ref() -> str:
    """A random pseudonym: not derived from any id, nothing personal in it."""
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))


async def member_of(visitor_id: int) -> dict | None:
    """The visitor's pool row (also when withdrawn or ended), or None."""
    rows = await current_engine().fetch("SELECT * FROM pool_member WHERE visitor = ?",
                                        [visitor_id])
    if not rows:
        return None
    member = dict(rows[0])
    member["share_fields"] = json_list(member["share_fields"])
    member["ends_on"] = as_date(member["ends_on"])
    member["available_from"] = as_date(member["available_from"])
    member["findable"] = is_findable(member)
    return member


def consent_by_for(coach_account: int | None) -> str:
    return f"coach:{coach_account}" if coach_account is not None else "self"


async def _consent(visitor_id: int, granted: bool, now: dt.datetime,
                   coach_account: int | None) -> None:
    channel, device = ("coach", f"account:{coach_account}") if coach_account is not None \
        else ("", "")
    await current_engine().fetch(
        "INSERT INTO consent_record (visitor, kind, granted, wording_version, documents, at,"
        " channel, device) VALUES (?, 'pool', ?, ?, '', ?, ?, ?)",
        [visitor_id, granted, POOL_WORDING_VERSION, now, channel, device])


async def join(visitor_id: int, choices: PoolChoices, *, actor: str,
               coach_account: int | None = None) -> dict:
    """Join (or join again, or change the choices and renew): the member is findable until
    today + ``choices.months``. A new consent record every time. Someone who had left gets
    a new pseudonym, so employers cannot link the new membership to the old one. Returns
    the member row."""
    _check(choices)
    db = current_engine()
    now = clock.now()
    ends_on = add_months(today(), choices.months)
    by = consent_by_for(coach_account)
    values = [POOL_WORDING_VERSION, by, now, ends_on, choices.hours_min, choices.hours_max,
              choices.available_from, choices.max_distance_km,
              json.dumps(choices.share_fields), now]
    async with db.transaction():
        existing = await member_of(visitor_id)
        if existing is None:
            # 31^8 pseudonyms: a clash (the UNIQUE index refuses it) is not worth a retry.
            await db.fetch(
                "INSERT INTO pool_member (visitor, ref, wording_version, consent_by,"
                " consented_at, ends_on, hours_min, hours_max, available_from,"
                " max_distance_km, share_fields, updated_at, reminded_at, withdrawn_at,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
                [visitor_id, new_ref(), *values, now])
            action = "pool.joined"
        else:
            ref = existing["ref"] if existing["findable"] else new_ref()
            await db.fetch(
                "UPDATE pool_member SET wording_version = ?, consent_by = ?, consented_at = ?,"
                " ends_on = ?, hours_min = ?, hours_max = ?, available_from = ?,"
                " max_distance_km = ?, share_fields = ?, updated_at = ?, reminded_at = NULL,"
                " withdrawn_at = NULL, ref = ? WHERE visitor = ?",
                [*values, ref, visitor_id])
            action = "pool.renewed" if existing["findable"] else "pool.joined"
        await _consent(visitor_id, True, now, coach_account)
        member = await member_of(visitor_id)
        assert member is not None
        await audit.record(actor, action, subject_type="pool_member", subject_id=member["id"],
                           fields=["ends_on", "hours_min", "hours_max", "available_from",
                                   "max_distance_km", "share_fields"])
    return member


async def renew(visitor_id: int, months: int, *, actor: str,
                coach_account: int | None = None) -> dict:
    """The same choices, a new end date (today + ``months``) and a new consent record.
    Raises ``pool_not_found`` for someone who never joined."""
    member = await member_of(visitor_id)
    if member is None:
        raise DomainError("pool_not_found", "Not in the pool.")
    return await join(visitor_id, PoolChoices(
        consent=True, months=months, hours_min=member["hours_min"],
        hours_max=member["hours_max"], available_from=member["available_from"],
        max_distance_km=member["max_distance_km"], share_fields=member["share_fields"],
    ), actor=actor, coach_account=coach_account)


async def withdraw(visitor_id: int, *, actor: str, coach_account: int | None = None) -> bool:
    """Leave the pool now: hidden at once, open requests expire, a consent record (not
    granted). False when the visitor was not (or no longer) in it."""
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        rows = await db.fetch(
            "UPDATE pool_member SET withdrawn_at = ?, updated_at = ? WHERE visitor = ?"
            " AND withdrawn_at IS NULL RETURNING id", [now, now, visitor_id])
        if not rows:
            return False
        await expire_open_requests(rows[0]["id"], actor)
        await _consent(visitor_id, False, now, coach_account)
        await audit.record(actor, "pool.withdrawn", subject_type="pool_member",
                           subject_id=rows[0]["id"])
    return True


async def coach_may_act(account_id: int, visitor_id: int) -> bool:
    """A job coach acts in the pool only for their own (or their team's) clients: the one
    caseload rule of event_ops/people/caseload.py."""
    return await is_client(await team_for(account_id), visitor_id)


async def require_client(account_id: int, visitor_id: int) -> None:
    if not await coach_may_act(account_id, visitor_id):
        raise DomainError("pool_not_found", "Not your client.")


# -- the periodic job: reminders, ended memberships, deleting old rows

@dataclass(slots=True)
class MaintenanceResult:
    reminded: int = 0
    expired_requests: int = 0
    deleted: int = 0


async def run_maintenance(now: dt.datetime | None = None) -> MaintenanceResult:
    """Idempotent; safe to run often and from several processes:

    * one renewal reminder per membership period (``reminded_at`` is set in the statement
      that picks the row, so a second run, or a second process, sends none);
    * open requests of ended memberships expire;
    * ``DELETE_AFTER_DAYS`` after the end or the withdrawal, the row and its requests go.
    """
    now = now or clock.now()
    day = now.astimezone(AMSTERDAM).date()
    db = current_engine()
    result = MaintenanceResult()
    async with db.transaction():
        due = await db.fetch(
            "UPDATE pool_member SET reminded_at = ? WHERE reminded_at IS NULL"
            " AND withdrawn_at IS NULL AND ends_on >= ? AND ends_on <= ?"
            " RETURNING id, visitor",
            [now, day, day + dt.timedelta(days=REMIND_DAYS_BEFORE)])
        for row in due:
            emails = await db.fetch("SELECT email FROM visitor WHERE id = ?", [row["visitor"]])
            await queue_mail(None, row["id"], MAIL_REMINDER,
                             emails[0]["email"] if emails else None, at=now)
            await audit.record("pool", "pool.reminded", subject_type="pool_member",
                               subject_id=row["id"])
        result.reminded = len(due)
        ended = await db.fetch("SELECT id FROM pool_member WHERE ends_on < ?", [day])
        for row in ended:
            result.expired_requests += await expire_open_requests(row["id"], "pool")
        limit = day - dt.timedelta(days=DELETE_AFTER_DAYS)
        old = await db.fetch(
            "SELECT id FROM pool_member WHERE ends_on < ? OR withdrawn_at < ?",
            [limit, now - dt.timedelta(days=DELETE_AFTER_DAYS)])
        ids = [row["id"] for row in old]
        if ids:
            marks = ", ".join("?" * len(ids))
            await db.fetch(f"DELETE FROM pool_contact_request WHERE member IN ({marks})", ids)
            await db.fetch(f"DELETE FROM pool_member WHERE id IN ({marks})", ids)
            for member_id in ids:
                await audit.record("pool", "pool.deleted", subject_type="pool_member",
                                   subject_id=member_id)
        result.deleted = len(ids)
    if result.reminded:
        mail_queued()
    return result


async def run_pool_maintenance() -> None:
    """The periodic job's entry (app/factory.py): :func:`run_maintenance` now."""
    await run_maintenance()


async def reminder_message(settings: Settings, mail: dict) -> EmailMessage | None:
    """The renewal reminder, built when the outbox sends it; None when renewed or left
    since (``reminded_at`` is cleared by a renewal) or the address changed."""
    rows = await current_engine().fetch(
        "SELECT m.ends_on, m.withdrawn_at, m.reminded_at, v.id, v.name, v.email, v.language,"
        " v.link_version FROM pool_member m JOIN visitor v ON v.id = m.visitor"
        " WHERE m.id = ?", [mail["registration_id"]])
    if not rows or rows[0]["reminded_at"] is None or rows[0]["withdrawn_at"] is not None \
            or rows[0]["email"] != mail["recipient"]:
        return None
    row = rows[0]
    lang = row["language"] or "nl"
    ends = as_date(row["ends_on"])
    assert ends is not None
    link = visitor_page_url(settings, row["id"], row["link_version"]) + "/pool"
    lines = [t("mail.hello", lang, name=row["name"].split(" ")[0]), "",
             t("mail.pool.reminder.until", lang, date=local_time(ends, lang, "date")),
             t("mail.pool.reminder.renew", lang, url=link),
             t("mail.pool.reminder.otherwise", lang), "",
             legal_lines(settings, lang)]
    msg = new_mail(settings, mail["recipient"], t("mail.pool.reminder.subject", lang))
    msg.set_content("\n".join(lines) + "\n")
    msg["Content-Language"] = lang  # after set_content, which drops Content-* headers
    return msg


async def pool_figures(now: dt.datetime | None = None) -> dict[str, int]:
    """For organisers: members findable now, and employers using the pool (distinct
    organisations that asked for contact, or searched, in the last 12 months). A search is
    counted from the audit log: ``pool.searched`` with subject ``organisation``."""
    now = now or clock.now()
    since = now - dt.timedelta(days=365)
    db = current_engine()
    members = await db.fetch(
        "SELECT COUNT(*) AS n FROM pool_member WHERE withdrawn_at IS NULL AND ends_on >= ?",
        [now.astimezone(AMSTERDAM).date()])
    orgs = await db.fetch(
        "SELECT COUNT(DISTINCT o) AS n FROM ("
        " SELECT organisation AS o FROM pool_contact_request WHERE created_at >= ?"
        " UNION SELECT subject_id AS o FROM audit_entry WHERE action = 'pool.searched'"
        "  AND subject_type = 'organisation' AND at >= ?) AS used",
        [since, since])
    return {"members": members[0]["n"], "employers": orgs[0]["n"]}
