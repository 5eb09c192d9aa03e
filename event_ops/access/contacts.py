"""Contact persons of employers log in with a mailed one-time link (issue 18).

Why a table of their own and not staff accounts: a contact person belongs to one
organisation (not to events, as staff do), has no password to guard, and is personal data
of the employer that is erased with the contact person (``contact_person`` rows are deleted,
and their links and sessions go with them: ``ON DELETE CASCADE``). Their session cookie is
the same ``eo_session`` cookie (so the session-bound CSRF check holds) with its own prefix,
resolved here to a caller of role ``employer_contact`` that carries the organisation; no
staff permission names that role, so a contact never reaches a staff page or API route.

Rules that MUST hold:

* The login answer is the same whether or not the address is known (no address probing);
  one address gets at most one link mail per ``RESEND_EVERY``.
* A link works once and for ``LINK_LIFETIME`` (the one in the approval mail for
  ``APPROVAL_LINK_LIFETIME``); a new link ends the older open ones.
* The link is ``<id>.<HMAC(secret key, id, nonce)>``: a copy of the database alone opens
  nothing.
* Only contact persons of an organisation that takes part in an event (an approved one) get
  a link.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from email.message import EmailMessage

from event_ops import audit, clock
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.mail.render import new_mail

CONTACT_PREFIX = "eoc_"
LINK_LIFETIME = dt.timedelta(minutes=15)
APPROVAL_LINK_LIFETIME = dt.timedelta(days=3)
SESSION_LIFETIME = dt.timedelta(hours=12)
RESEND_EVERY = dt.timedelta(minutes=1)
LOGIN_MAIL = "contact.login"
APPROVED_LINK_MAIL = "contact.approved_link"
LOGIN_MAILS = (LOGIN_MAIL, APPROVED_LINK_MAIL)
ROLE = "employer_contact"
_TOKEN = re.compile(r"([0-9]{1,12})\.([A-Za-z0-9_-]{43})")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _signature(secret_key: str, link_id: int, nonce: str) -> str:
    mac = hmac.new(secret_key.encode(), f"contact-login|{link_id}|{nonce}".encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def link_token(secret_key: str, link_id: int, nonce: str) -> str:
    return f"{link_id}.{_signature(secret_key, link_id, nonce)}"


async def _approved_contact(email: str) -> dict | None:
    """The contact person with this work e-mail at an organisation that takes part in an
    event (the oldest such row, when one address is a contact of several)."""
    rows = await current_engine().fetch(
        "SELECT c.id, c.organisation FROM contact_person c WHERE c.email = ?"
        " AND EXISTS (SELECT 1 FROM employer e WHERE e.organisation = c.organisation)"
        " ORDER BY c.id LIMIT 1", [email])
    return rows[0] if rows else None


async def issue_link(contact_id: int, lifetime: dt.timedelta, email: str,
                     kind: str = LOGIN_MAIL) -> None:
    """End the contact's open links, make a new one and queue its mail; call inside the
    transaction of the change it reports."""
    db = current_engine()
    now = clock.now()
    await db.fetch("UPDATE contact_login_link SET used_at = ? WHERE contact = ?"
                   " AND used_at IS NULL", [now, contact_id])
    await db.fetch("INSERT INTO contact_login_link (contact, nonce, created_at, expires_at)"
                   " VALUES (?, ?, ?, ?)",
                   [contact_id, secrets.token_urlsafe(32), now, now + lifetime])
    await queue_mail(None, None, kind, email, at=now)


async def request_login_link(raw_email: str) -> None:
    """Mail a login link when this address belongs to a contact person of an approved
    organisation. Returns nothing and raises nothing otherwise (same answer for all)."""
    email = (raw_email or "").strip().lower()
    if not email or len(email) > 254 or "@" not in email:
        return
    contact = await _approved_contact(email)
    if contact is None:
        return
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        recent = await db.fetch(
            "SELECT id FROM contact_login_link WHERE contact = ? AND created_at > ?",
            [contact["id"], now - RESEND_EVERY])
        if recent:
            return
        await issue_link(contact["id"], LINK_LIFETIME, email)
        await audit.record(f"contact:{contact['id']}", "contact.link_requested",
                           subject_type="organisation", subject_id=contact["organisation"])
    mail_queued()


async def login_message(settings: Settings, mail: dict) -> EmailMessage | None:
    """Built by the outbox when it sends: the newest open link of the contact person with
    this address. None (nothing sent) when it was used or expired since."""
    rows = await current_engine().fetch(
        "SELECT l.id, l.nonce, l.expires_at, c.name FROM contact_login_link l"
        " JOIN contact_person c ON c.id = l.contact WHERE c.email = ? AND l.used_at IS NULL"
        " ORDER BY l.id DESC LIMIT 1", [mail["recipient"]])
    if not rows or rows[0]["expires_at"] <= clock.now():
        return None
    row = rows[0]
    link = f"{settings.base_url.rstrip('/')}/employer/login/" + link_token(
        settings.secret_key, row["id"], row["nonce"])
    if mail["kind"] == APPROVED_LINK_MAIL:
        how_long = (f"{APPROVAL_LINK_LIFETIME.days} dagen", f"{APPROVAL_LINK_LIFETIME.days} days")
    else:
        minutes = int(LINK_LIFETIME.total_seconds() // 60)
        how_long = (f"{minutes} minuten", f"{minutes} minutes")
    msg = new_mail(settings, mail["recipient"], "Inloggen als werkgever / Log in as an employer")
    msg.set_content("\n".join([
        f"Beste {row['name']},", "",
        "Log in op je werkgeverspagina met deze link:", link,
        f"De link werkt {how_long[0]} en maar 1 keer.",
        "Vroeg je niet om deze link? Dan hoef je niets te doen.", "", "---", "",
        f"Dear {row['name']},", "",
        "Log in to your employer page with this link:", link,
        f"The link works for {how_long[1]} and only once.",
        "Did you not ask for this link? Then you need not do anything.",
    ]))
    return msg


def _parse(token: str) -> tuple[int, str] | None:
    match = _TOKEN.fullmatch(token or "")
    return (int(match.group(1)), match.group(2)) if match else None


async def redeem_link(secret_key: str, token: str) -> str:
    """Use a login link once: a new session secret for its contact person. Raises
    ``login_link_invalid`` for a wrong, used or expired link."""
    invalid = DomainError("login_link_invalid",
                          "This login link does not work (any more). Ask for a new one.")
    parsed = _parse(token)
    if parsed is None:
        raise invalid
    link_id, signature = parsed
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        rows = await db.fetch("SELECT nonce FROM contact_login_link WHERE id = ?", [link_id])
        if not rows or not hmac.compare_digest(
                _signature(secret_key, link_id, rows[0]["nonce"]), signature):
            raise invalid
        used = await db.fetch(
            "UPDATE contact_login_link SET used_at = ? WHERE id = ? AND used_at IS NULL"
            " AND expires_at > ? RETURNING contact", [now, link_id, now])
        if not used:
            raise invalid
        contact_id = used[0]["contact"]
        secret = CONTACT_PREFIX + secrets.token_urlsafe(32)
        await db.fetch("INSERT INTO contact_session (contact, secret_hash, created_at,"
                       " expires_at) VALUES (?, ?, ?, ?)",
                       [contact_id, _sha256(secret), now, now + SESSION_LIFETIME])
        await audit.record(f"contact:{contact_id}", "contact.login", subject_type="contact",
                           subject_id=contact_id)
    return secret


async def resolve_contact_session(secret: str) -> Principal | None:
    """The contact person behind a session cookie, scoped to their organisation and the
    events it takes part in; None when unknown, ended or expired."""
    if len(secret) > 100:
        return None
    db = current_engine()
    rows = await db.fetch(
        "SELECT c.id, c.name, c.organisation FROM contact_session s"
        " JOIN contact_person c ON c.id = s.contact WHERE s.secret_hash = ?"
        " AND s.ended_at IS NULL AND s.expires_at > ?", [_sha256(secret), clock.now()])
    if not rows:
        return None
    contact = rows[0]
    events = await db.fetch("SELECT event FROM employer WHERE organisation = ?",
                            [contact["organisation"]])
    return Principal(actor=f"contact:{contact['id']}", role=ROLE,
                     events=frozenset(r["event"] for r in events), label=contact["name"],
                     organisation_id=contact["organisation"])


async def log_out(secret: str) -> None:
    await current_engine().fetch(
        "UPDATE contact_session SET ended_at = ? WHERE secret_hash = ? AND ended_at IS NULL",
        [clock.now(), _sha256(secret)])


def require_contact(principal: Principal | None) -> Principal:
    """The portal's one check: a contact person's session, else ``unauthorized``."""
    if principal is None or principal.role != ROLE or principal.organisation_id is None:
        raise DomainError("unauthorized", "Log in as an employer first.")
    return principal
