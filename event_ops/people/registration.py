"""Registering for an event: validation, capacity and waiting list, consent, confirmation.

Everything a registration writes (visitor, profile, consent records, registration, the
queued confirmation mail, the audit entry) is written in one transaction: either all of it
is stored or none of it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Container
from dataclasses import dataclass, field

import msgspec

from event_ops import audit, clock
from event_ops.core.db import current_engine, dialect, insert_many, is_unique_violation
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events.tables import Event
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.mail.render import Settings, badge_url  # Settings: no new app.* import
from event_ops.privacy.legal import current_versions
from event_ops.questions.service import (
    AnswerValue,
    active_questions,
    store_answers,
    validate_answers,
)
from event_ops.taxonomy.service import SECTORS, competencies_by_code
from event_ops.texts.audience import VISITOR_LANGUAGES

CONSENT_WORDING_VERSION = "2026-11-v1"
EDUCATION_LEVELS = (
    "none", "vmbo", "mbo1", "mbo2", "mbo3", "mbo4", "havo_vwo", "hbo", "wo", "foreign",
)
# Sign-ups that may come without an e-mail address: a walk-in at the desk or kiosk, and a
# job coach's client (phone only, or neither).
EMAIL_OPTIONAL = frozenset({"walkin", "coach"})
AVAILABILITY = ("fulltime", "parttime", "evenings", "weekends", "shifts")
MAX_COMPETENCIES = 40

EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z]{2,}$")
POSTCODE_RE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})?$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
PHONE_SEPARATORS_RE = re.compile(r"[\s\-().]")
PHONE_RE = re.compile(r"\+[1-9][0-9]{7,14}")


class RegistrationInput(msgspec.Struct, kw_only=True):
    """What a visitor sends (JSON API and HTML form alike)."""

    name: str
    email: str
    phone: str | None = None
    postcode: str | None = None
    competencies: list[str] = []
    # Optional: how well the visitor masters each chosen competency (1-4).
    competency_levels: dict[str, int] = {}
    sectors: list[str] = []
    education_level: str | None = None
    availability: list[str] = []
    consent_terms: bool = False
    consent_share_profile: bool = False
    language: str = "nl"
    # Answers to the event's own questions (event_ops/questions): question id → text, an
    # option key, a list of keys, or a bool (yes/no).
    answers: dict[str, AnswerValue] = {}


@dataclass(frozen=True, slots=True)
class ConsentContext:
    """Where consent was given when not by the visitor online: at a desk or a kiosk, on
    which paired device (``token:<id> <label>``). Stored with every consent record."""

    channel: str  # desk | kiosk | coach (then device is "account:<id>")
    device: str


@dataclass(frozen=True, slots=True)
class CleanRegistration:
    name: str
    # None: a walk-in who gave no address (no mail is ever sent to them).
    email: str | None
    phone: str
    postcode: str
    competencies: dict[str, int]
    sectors: list[str]
    education_level: str
    availability: list[str]
    share_profile: bool
    language: str


@dataclass(slots=True)
class RegistrationOutcome:
    registration_id: int
    visitor_id: int
    status: str
    waiting_position: int | None
    event_id: int
    badge_serial: int = 1
    # True when this sign-up created the visitor, False when the e-mail address belonged
    # to a visitor already (whose stored profile was kept as it was).
    created: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def answer_may_link(self) -> bool:
        """May the direct answer to this sign-up (API body, confirmation page, walk-in)
        carry the badge link?

        Only when this sign-up created the visitor: anyone can type someone else's e-mail
        address, and the badge shows the *stored* name and competencies, checks in at the
        door and opens that visitor's card at the stands. For an address that already
        belongs to a visitor the badge goes by e-mail to that address only (the
        confirmation mail, queued in the same transaction, carries it).

        The link to the visitor's own page is never in a direct answer, not even for a new
        visitor: it stays valid for everything the address's owner stores later (profile,
        every sign-up and its badge), so whoever typed an address first would keep a key
        to its owner's data. Only the mailbox gets it."""
        return self.created


def answer_badge_url(settings: Settings, outcome: RegistrationOutcome) -> str | None:
    """The ``badge_url`` of a sign-up's answer: None on the waiting list (no badge yet)
    and for an address that already belonged to a visitor (see ``answer_may_link``)."""
    if outcome.status != "registered" or not outcome.answer_may_link:
        return None
    return badge_url(settings, outcome.registration_id, outcome.badge_serial)


def _json_text(value: list[str]) -> str:
    # msgspec: 10x faster than json.dumps for these short lists (sign-ups are hot).
    return msgspec.json.encode(value).decode()


def normalise_phone(raw: str) -> str | None:
    """Dutch numbers to +31…; other international numbers kept. None if not a number."""
    digits = PHONE_SEPARATORS_RE.sub("", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0") and len(digits) == 10 and digits.isdigit():
        digits = "+31" + digits[1:]
    if not PHONE_RE.fullmatch(digits):
        return None
    return digits


def normalise_postcode(raw: str) -> str | None:
    match = POSTCODE_RE.match(raw.strip())
    if not match:
        return None
    letters = (match.group(2) or "").upper()
    return f"{match.group(1)} {letters}".strip()


def validate_registration(
    data: RegistrationInput, known_competencies: Container[str], *, email_required: bool = True
) -> CleanRegistration:
    """Check every field at once; raises ValidationFailed mapping field -> text key.
    ``email_required=False`` (walk-ins): an empty address becomes None."""
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = "err.required"
    elif len(name) < 2 or len(name) > 200 or CONTROL_RE.search(name):
        errors["name"] = "err.name_length"

    email: str | None = data.email.strip().lower()
    if not email and not email_required:
        email = None
    elif not email:
        errors["email"] = "err.required"
    elif email is not None and (len(email) > 254 or not EMAIL_RE.match(email)):
        errors["email"] = "err.email"

    phone = ""
    if data.phone and data.phone.strip():
        phone = normalise_phone(data.phone) or ""
        if not phone:
            errors["phone"] = "err.phone"

    postcode = ""
    if data.postcode and data.postcode.strip():
        postcode = normalise_postcode(data.postcode) or ""
        if not postcode:
            errors["postcode"] = "err.postcode"

    competencies: dict[str, int] = {}
    if len(data.competencies) > MAX_COMPETENCIES:
        errors["competencies"] = "err.too_many"
    else:
        for code in data.competencies:
            if code not in known_competencies:
                errors["competencies"] = "err.competency_unknown"
                break
            level = data.competency_levels.get(code, 2)
            if not isinstance(level, int) or not 1 <= level <= 4:
                errors["competencies"] = "err.competency_level"
                break
            competencies[code] = level

    sectors = list(dict.fromkeys(data.sectors))
    if any(s not in SECTORS for s in sectors):
        errors["sectors"] = "err.sector_unknown"

    education = data.education_level or ""
    if education and education not in EDUCATION_LEVELS:
        errors["education_level"] = "err.choice"

    availability = list(dict.fromkeys(data.availability))
    if any(a not in AVAILABILITY for a in availability):
        errors["availability"] = "err.choice"

    if data.language not in VISITOR_LANGUAGES:
        errors["language"] = "err.language"

    if data.consent_terms is not True:
        errors["consent_terms"] = "err.consent_terms"

    if errors:
        raise ValidationFailed(errors)
    return CleanRegistration(
        name=name,
        email=email,
        phone=phone,
        postcode=postcode,
        competencies=competencies,
        sectors=sectors,
        education_level=education,
        availability=availability,
        share_profile=bool(data.consent_share_profile),
        language=data.language,
    )


async def _lock_event(event: Event) -> None:
    # SQLite transactions already hold the single write lock; PostgreSQL needs a row lock
    # so that two registrations for the last place cannot both see it free. Without a
    # capacity there is no last place, and no need to make sign-ups wait for each other.
    if dialect() == "postgres":
        await current_engine().fetch("SELECT id FROM event WHERE id = ? FOR UPDATE", [event.id])


async def register(event: Event, data: RegistrationInput, *, source: str = "self",
                   consent: ConsentContext | None = None,
                   actor: str = "visitor:self",
                   coach_account: int | None = None,
                   after: Callable[[int], Awaitable[None]] | None = None
                   ) -> RegistrationOutcome:
    """Register a visitor for an event, or put them on the waiting list when it is full.

    Raises ``DomainError('already_registered')`` when this e-mail is signed up already
    (the confirmation is queued again, at most once per 10 minutes). Either way, after the
    commit the outbox worker is told to send the queued mail (``mail_queued``).

    The answers to the event's questions are checked with the other fields (one
    ``ValidationFailed`` names every fault) and stored with the registration, in its
    transaction; a sign-up that is refused stores none of them.

    ``source`` is stored on the registration (one of ``REGISTRATION_SOURCES``). A walk-in
    (``source="walkin"``) may come without an e-mail address: then a new visitor is made
    every time (nobody can be recognised without an address) and no mail is queued.
    ``consent`` says at which desk or kiosk the consent was given. ``after`` runs with the
    new registration's id inside its transaction (an invitation marks itself registered),
    so both are stored or neither is.

    A job coach's sign-up (``source="coach"``, ``coach_account`` the coach's account,
    ``consent`` channel ``coach``: ``event_ops.people.caseload.register_client``) may come
    without an e-mail address too, like a walk-in; the registration keeps the coach.
    """
    errors: dict[str, str] = {}
    clean: CleanRegistration | None = None
    try:
        clean = validate_registration(data, await competencies_by_code(),
                                      email_required=source not in EMAIL_OPTIONAL)
    except ValidationFailed as exc:
        errors = dict(exc.errors)
    questions = await active_questions(event.id)
    answers: dict[int, object] = {}
    if questions or data.answers:
        answers, answer_errors = validate_answers(questions, data.answers)
        errors.update(answer_errors)
    if errors or clean is None:
        raise ValidationFailed(errors)
    now = clock.now()
    if event.ends_at < now:
        raise DomainError("event_over", "This event is over; registration is closed.")
    for attempt in range(3):
        try:
            return await _register_once(event, clean, now, source, consent, actor, answers,
                                        coach_account, after=after)
        except Exception as exc:
            # Two first-time sign-ups with one e-mail at the same moment (PostgreSQL):
            # the loser retries and then finds the visitor the winner created.
            if attempt < 2 and is_unique_violation(exc):
                continue
            raise
    raise AssertionError("unreachable")


async def _register_once(
    event: Event, clean: CleanRegistration, now: dt.datetime, source: str,
    consent: ConsentContext | None, actor: str, answers: dict[int, object] | None = None,
    coach_account: int | None = None,
    after: Callable[[int], Awaitable[None]] | None = None,
) -> RegistrationOutcome:
    db = current_engine()
    resend: tuple[int, str] | None = None
    async with db.transaction():
        if event.capacity is not None:
            await _lock_event(event)
        # Most sign-ups are new people: insert first, and only look the visitor up when the
        # e-mail address is known already (one statement less on the common path).
        new_id = await insert_visitor(clean, now, unless_known=True, consent=consent)
        new_visitor = new_id is not None
        existing: list[dict] = []
        if new_id is not None:
            visitor_id = new_id
        else:
            rows = await db.fetch(
                "SELECT v.id AS visitor_id, r.id, r.status FROM visitor v"
                " LEFT JOIN registration r ON r.visitor = v.id AND r.event = ? WHERE v.email = ?",
                [event.id, clean.email],
            )
            visitor_id = rows[0]["visitor_id"]
            existing = rows if rows[0]["id"] is not None else []

        if existing and existing[0]["status"] != "cancelled":
            resend = (existing[0]["id"], existing[0]["status"])
        else:
            status, position = await _place_for(event, now)
            serial = 1
            if existing:
                registration_id = existing[0]["id"]
                # A new serial: the badge of the cancelled registration stays revoked.
                serial = (await db.fetch(
                    "UPDATE registration SET status = ?, waiting_position = ?, created_at = ?,"
                    " cancelled_at = NULL, badge_serial = badge_serial + 1, source = ?,"
                    " coach_account = ? WHERE id = ? RETURNING badge_serial",
                    [status, position, now, source, coach_account, registration_id],
                ))[0]["badge_serial"]
            else:
                registration_id = (
                    await db.fetch(
                        "INSERT INTO registration (event, visitor, status, waiting_position,"
                        " badge_serial, created_at, note, source, coach_account)"
                        " VALUES (?, ?, ?, ?, 1, ?, '', ?, ?) RETURNING id",
                        [event.id, visitor_id, status, position, now, source, coach_account],
                    )
                )[0]["id"]
            if answers or existing:
                # The answers belong to this sign-up (a new one after a cancellation
                # replaces the old sign-up's). Stored also for an address we knew: they
                # are about this event, not the stored profile.
                await store_answers(registration_id, answers or {}, replace=bool(existing))
            await queue_mail(event.id, registration_id, "registration.confirmation", clean.email)
            await audit.record(actor, "registration.created", event_id=event.id,
                               subject_type="registration", subject_id=registration_id)
            if after is not None:
                await after(registration_id)

    if resend is not None:
        assert clean.email is not None  # only a known address finds a registration
        await _resend_confirmation(event.id, resend[0], clean.email, now)
        mail_queued()
        raise DomainError(
            "already_registered",
            "This e-mail address is already registered for this event. "
            "We sent the confirmation again.",
            field="email",
        )
    mail_queued()
    return RegistrationOutcome(
        registration_id=registration_id,
        visitor_id=visitor_id,
        status=status,
        waiting_position=await waiting_rank(event.id, position) if position else None,
        event_id=event.id,
        badge_serial=serial,
        created=new_visitor,
    )


async def insert_visitor(
    clean: CleanRegistration, now: dt.datetime, *, unless_known: bool = False,
    consent: ConsentContext | None = None,
) -> int | None:
    """Store a new visitor with profile and consents; returns the id. With
    ``unless_known``, an e-mail address that is taken stores nothing and returns None
    (a visitor without an address is always new: NULLs never conflict)."""
    db = current_engine()
    rows = await db.fetch(
        "INSERT INTO visitor (email, name, phone, postcode, education_level, availability,"
        " sectors, language, share_profile, link_version, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
        + (" ON CONFLICT (email) DO NOTHING" if unless_known else "") + " RETURNING id",
        [clean.email, clean.name, clean.phone, clean.postcode, clean.education_level,
         _json_text(clean.availability), _json_text(clean.sectors), clean.language,
         clean.share_profile, now, now],
    )
    if not rows:
        return None
    visitor_id: int = rows[0]["id"]
    await insert_many("profile_competency", ("visitor", "code", "level"),
                      [(visitor_id, code, level) for code, level in clean.competencies.items()])
    documents = await current_versions()  # the terms and privacy texts accepted now
    channel, device = (consent.channel, consent.device[:120]) if consent else ("", "")
    await insert_many(
        "consent_record",
        ("visitor", "kind", "granted", "wording_version", "documents", "at", "channel", "device"),
        [(visitor_id, kind, granted, CONSENT_WORDING_VERSION, documents, now, channel, device)
         for kind, granted in (("terms", True), ("share_profile", clean.share_profile))],
    )
    return visitor_id


async def _place_for(event: Event, now: dt.datetime) -> tuple[str, int | None]:
    """Registered while there is room, otherwise the next place on the waiting list."""
    db = current_engine()
    if event.capacity is not None:
        taken = (
            await db.fetch(
                "SELECT COUNT(*) AS n FROM registration WHERE event = ? AND status = 'registered'",
                [event.id],
            )
        )[0]["n"]
        waiting = (
            await db.fetch(
                "SELECT COUNT(*) AS n FROM registration WHERE event = ?"
                " AND status = 'waiting_list'",
                [event.id],
            )
        )[0]["n"]
        # Someone already waiting keeps their turn: a newcomer never jumps the queue.
        if taken >= event.capacity or waiting > 0:
            last = (
                await db.fetch(
                    "SELECT MAX(waiting_position) AS p FROM registration WHERE event = ?",
                    [event.id],
                )
            )[0]["p"]
            return "waiting_list", (last or 0) + 1
    return "registered", None


async def waiting_rank(event_id: int, position: int) -> int:
    """The visitor's place in the current waiting list (1 = next in line)."""
    rows = await current_engine().fetch(
        "SELECT COUNT(*) AS n FROM registration WHERE event = ? AND status = 'waiting_list'"
        " AND waiting_position <= ?",
        [event_id, position],
    )
    return int(rows[0]["n"])


async def _resend_confirmation(
    event_id: int, registration_id: int, email: str, now: dt.datetime
) -> None:
    db = current_engine()
    recent = await db.fetch(
        "SELECT id FROM outbox_mail WHERE registration_id = ? AND kind = ? AND created_at > ?",
        [registration_id, "registration.confirmation", now - dt.timedelta(minutes=10)],
    )
    if not recent:
        await queue_mail(event_id, registration_id, "registration.confirmation", email)
