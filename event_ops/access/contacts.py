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
* A contact person MAY add a password and a second factor (TOTP). Hashing, codes and the
  lock-out are the organisers' rules (``event_ops.access.credentials``, one place). With
  TOTP on, the mailed link asks for the code too: a link alone is one factor (the mailbox).
* Colleagues: a contact person adds and removes the contact persons of their own
  organisation only; never themselves, never the last one. Removing one deletes the row,
  and its sessions and links go with it at once (``ON DELETE CASCADE``).
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
from event_ops.access import credentials
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
# A change of how someone logs in is told to them by mail: if it was not them, they know.
SECURITY_MAILS = {
    "contact.password_changed": ("Je wachtwoord voor de werkgeverspagina is veranderd.",
                                 "Your password for the employer page was changed."),
    "contact.totp_off": ("Inloggen in 2 stappen staat nu uit voor je werkgeverspagina.",
                         "Two-step login is now off for your employer page."),
}
# Every mail this module builds (the outbox asks ``login_message`` for them).
LOGIN_MAILS = (LOGIN_MAIL, APPROVED_LINK_MAIL, *SECURITY_MAILS)
ROLE = "employer_contact"
# What the audit log calls a contact's wrong guesses (the lock-out counts them).
_FAILURES = ("contact.login_failed", "contact.totp_failed")
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
    this address. None (nothing sent) when it was used or expired since. A security
    notice (``SECURITY_MAILS``) says what changed."""
    if mail["kind"] in SECURITY_MAILS:
        return await _security_message(settings, mail)
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


async def _security_message(settings: Settings, mail: dict) -> EmailMessage | None:
    rows = await current_engine().fetch(
        "SELECT name FROM contact_person WHERE email = ? ORDER BY id LIMIT 1",
        [mail["recipient"]])
    if not rows:  # removed since: nothing to tell
        return None
    what = SECURITY_MAILS[mail["kind"]]
    name = rows[0]["name"]
    msg = new_mail(settings, mail["recipient"],
                   "Je inloggegevens zijn veranderd / Your login was changed")
    msg.set_content("\n".join([
        f"Beste {name},", "", what[0],
        "Deed je dit zelf? Dan hoef je niets te doen.",
        "Deed je dit niet? Neem dan meteen contact op met de organisatie.", "", "---", "",
        f"Dear {name},", "", what[1],
        "Did you do this yourself? Then you need not do anything.",
        "Did you not? Then contact the organisers at once.",
    ]))
    return msg


async def _tell(contact_id: int, kind: str) -> None:
    """Queue the security notice to the contact's own address (after the change)."""
    rows = await current_engine().fetch("SELECT email FROM contact_person WHERE id = ?",
                                        [contact_id])
    if rows and rows[0]["email"]:
        await queue_mail(None, None, kind, rows[0]["email"])
        mail_queued()


def _parse(token: str) -> tuple[int, str] | None:
    match = _TOKEN.fullmatch(token or "")
    return (int(match.group(1)), match.group(2)) if match else None


def _subject(contact_id: int) -> str:
    """The contact's lock-out subject: never the same as an account's (a bare number)."""
    return f"contact:{contact_id}"


def _totp_error(code: str) -> DomainError:
    if code == "totp_required":
        return DomainError("totp_required", "Enter the 6-digit code from your app.",
                           field="code")
    return DomainError("totp_failed", "This code is not right. Try the newest code.",
                       field="code")


async def _second_factor(contact: dict, code: str, client: str, device: str) -> str:
    """The lock-out and TOTP check of a contact with ``totp_secret`` set (either way in:
    link or password). Returns the throttle key; raises ``account_locked``,
    ``totp_required`` or ``totp_failed`` (the last one counts towards the lock-out)."""
    now = clock.now()
    bucket = await credentials.client_key(_subject(contact["id"]), client, device)
    crowd = "|device:" not in bucket and await credentials.under_attack(
        "contact", contact["id"], _FAILURES, now)
    if crowd or await credentials.is_locked(bucket, now):
        raise credentials.locked_error()
    if contact["totp_secret"]:
        problem = await credentials.check_totp("contact_person", contact["id"],
                                               contact["totp_secret"], code)
        if problem == "totp_failed":
            await _count_failure(contact["id"], bucket, "contact.totp_failed")
        if problem:
            raise _totp_error(problem)
    return bucket


async def _count_failure(contact_id: int, key: str, action: str) -> None:
    locked = await credentials.count_failure(key)
    await audit.record(f"contact:{contact_id}", action, subject_type="contact",
                       subject_id=contact_id)
    if locked:
        await audit.record(f"contact:{contact_id}", "contact.login_locked",
                           subject_type="contact", subject_id=contact_id,
                           fields=["device" if "|device:" in key else "address"])


async def _open_link(secret_key: str, token: str) -> dict | None:
    """The open (unused, unexpired) link behind a token whose signature is right:
    ``{"id": contact, "totp_secret", "link_id"}``; None otherwise."""
    parsed = _parse(token)
    if parsed is None:
        return None
    link_id, signature = parsed
    rows = await current_engine().fetch(
        "SELECT l.nonce, l.contact, c.totp_secret FROM contact_login_link l"
        " JOIN contact_person c ON c.id = l.contact WHERE l.id = ? AND l.used_at IS NULL"
        " AND l.expires_at > ?", [link_id, clock.now()])
    if not rows or not hmac.compare_digest(
            _signature(secret_key, link_id, rows[0]["nonce"]), signature):
        return None
    return {"id": rows[0]["contact"], "totp_secret": rows[0]["totp_secret"],
            "link_id": link_id}


async def link_needs_code(secret_key: str, token: str) -> bool:
    """Whether the page of this link must ask for the TOTP code (an open link only)."""
    link = await _open_link(secret_key, token)
    return bool(link and link["totp_secret"])


async def redeem_link(secret_key: str, token: str, code: str = "", *, client: str = "",
                      device: str = "") -> str:
    """Use a login link once: a new session secret for its contact person. Raises
    ``login_link_invalid`` for a wrong, used or expired link. When the contact has TOTP
    on, the link needs the code too: ``totp_required``/``totp_failed``/``account_locked``
    leave the link unused (so the person can try again with the right code)."""
    invalid = DomainError("login_link_invalid",
                          "This login link does not work (any more). Ask for a new one.")
    link = await _open_link(secret_key, token)
    if link is None:
        raise invalid
    bucket = None
    if link["totp_secret"]:
        bucket = await _second_factor(link, code, client, device)
    link_id = link["link_id"]
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        used = await db.fetch(
            "UPDATE contact_login_link SET used_at = ? WHERE id = ? AND used_at IS NULL"
            " AND expires_at > ? RETURNING contact", [now, link_id, now])
        if not used:
            raise invalid
        secret = await _start_session(used[0]["contact"], "link")
    if bucket:
        await credentials.reset_failures(bucket)
    return secret


async def _start_session(contact_id: int, how: str) -> str:
    secret = CONTACT_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    await current_engine().fetch(
        "INSERT INTO contact_session (contact, secret_hash, created_at, expires_at)"
        " VALUES (?, ?, ?, ?)", [contact_id, _sha256(secret), now, now + SESSION_LIFETIME])
    await audit.record(f"contact:{contact_id}", "contact.login", subject_type="contact",
                       subject_id=contact_id, fields=[how])
    return secret


def _login_failed() -> DomainError:
    return DomainError("login_failed", "The e-mail address or password is not right.")


async def log_in(raw_email: str, password: str, code: str = "", *, client: str = "",
                 device: str = "") -> str:
    """E-mail + password (+ TOTP code when on) of a contact person who set a password, at
    an organisation that takes part in an event: a new session secret. Raises
    ``login_failed`` (one message for an unknown address, no password set, or a wrong
    password), ``totp_required``, ``totp_failed`` or ``account_locked``, by the organisers'
    rules (``credentials``): the lock-out is per contact and client, a code works once."""
    email = (raw_email or "").strip().lower()[:254]
    rows = await current_engine().fetch(
        "SELECT c.id, c.password_hash, c.totp_secret FROM contact_person c"
        " WHERE c.email = ? AND c.password_hash <> ''"
        " AND EXISTS (SELECT 1 FROM employer e WHERE e.organisation = c.organisation)"
        " ORDER BY c.id LIMIT 1", [email]) if email else []
    if not rows:
        await credentials.waste_time(password)
        raise _login_failed()
    contact = dict(rows[0])
    now = clock.now()
    bucket = await credentials.client_key(_subject(contact["id"]), client, device)
    crowd = "|device:" not in bucket and await credentials.under_attack(
        "contact", contact["id"], _FAILURES, now)
    if crowd or await credentials.is_locked(bucket, now):
        await credentials.waste_time(password)  # the same time as every other answer
        raise credentials.locked_error()
    if not await credentials.verify_password(contact["password_hash"], password):
        await _count_failure(contact["id"], bucket, "contact.login_failed")
        raise _login_failed()
    await _second_factor(contact, code, client, device)
    if credentials.needs_rehash(contact["password_hash"]):
        await current_engine().fetch(
            "UPDATE contact_person SET password_hash = ? WHERE id = ?",
            [await credentials.hash_password_off_loop(password), contact["id"]])
    await credentials.reset_failures(bucket)
    if device:
        await credentials.trust_device(_subject(contact["id"]), device)
    return await _start_session(contact["id"], "password")


# ---- the contact's own security settings ------------------------------------------------

async def security_of(contact_id: int) -> dict:
    """``{"email", "password": bool, "totp": bool}`` of a contact person."""
    rows = await current_engine().fetch(
        "SELECT email, password_hash <> '' AS password, totp_secret IS NOT NULL AS totp"
        " FROM contact_person WHERE id = ?", [contact_id])
    if not rows:
        raise DomainError("not_found", "There is no such contact person.")
    return {"email": rows[0]["email"], "password": bool(rows[0]["password"]),
            "totp": bool(rows[0]["totp"])}


async def _own_code(contact_id: int, code: str) -> None:
    """With TOTP on, a change of the login itself needs a fresh code: someone at an
    unattended browser must not change the password or switch the second factor off."""
    rows = await current_engine().fetch(
        "SELECT totp_secret FROM contact_person WHERE id = ?", [contact_id])
    secret = rows[0]["totp_secret"] if rows else None
    if secret:
        problem = await credentials.check_totp("contact_person", contact_id, secret, code)
        if problem:
            raise _totp_error(problem)


async def set_password(contact_id: int, password: str, repeat: str, code: str = "") -> None:
    """Set or change the contact's password (the organisers' strength rule). Raises
    ``weak_password``, ``passwords_differ``, or, with TOTP on, ``totp_required`` /
    ``totp_failed``. Open sessions stay: the person is logged in right here."""
    credentials.check_new_password(password, repeat)
    await _own_code(contact_id, code)
    had = (await security_of(contact_id))["password"]
    new_hash = await credentials.hash_password_off_loop(password)
    await current_engine().fetch("UPDATE contact_person SET password_hash = ? WHERE id = ?",
                                 [new_hash, contact_id])
    await audit.record(f"contact:{contact_id}",
                       "contact.password_changed" if had else "contact.password_set",
                       subject_type="contact", subject_id=contact_id)
    await _tell(contact_id, "contact.password_changed")


async def enable_totp(contact_id: int, secret: str, code: str) -> None:
    """Turn on the second factor once the person shows their app makes the right code.
    Refused when it is on already (``totp_already_on``): turn it off first, with a code."""
    step = credentials.confirm_new_totp(secret, code)
    rows = await current_engine().fetch(
        "UPDATE contact_person SET totp_secret = ?, totp_last_step = ? WHERE id = ?"
        " AND totp_secret IS NULL RETURNING id", [secret, step, contact_id])
    if not rows:
        raise DomainError("totp_already_on", "Two-step login is on already.")
    await audit.record(f"contact:{contact_id}", "contact.totp_enabled",
                       subject_type="contact", subject_id=contact_id)


async def disable_totp(contact_id: int, code: str) -> None:
    """Turn the second factor off: only with a fresh code from the app."""
    await _own_code(contact_id, code)
    await current_engine().fetch(
        "UPDATE contact_person SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?",
        [contact_id])
    await audit.record(f"contact:{contact_id}", "contact.totp_disabled",
                       subject_type="contact", subject_id=contact_id)
    await _tell(contact_id, "contact.totp_off")


async def reset_totp(org_id: int, contact_id: int, *, actor: str) -> None:
    """An organiser turns a contact person's two-step login off (a lost phone: with it on,
    even the mailed link needs the code); the person sets it up again. ``not_found`` when
    the contact is not of this organisation."""
    rows = await current_engine().fetch(
        "UPDATE contact_person SET totp_secret = NULL, totp_last_step = NULL"
        " WHERE id = ? AND organisation = ? RETURNING id", [contact_id, org_id])
    if not rows:
        raise DomainError("not_found", "There is no such contact person.")
    await audit.record(actor, "contact.totp_reset", subject_type="contact",
                       subject_id=contact_id)
    await _tell(contact_id, "contact.totp_off")


# ---- colleagues: the contact persons of one's own organisation --------------------------

def contact_id_of(principal: Principal) -> int:
    return int(principal.actor.partition(":")[2])


async def colleagues(principal: Principal) -> list[dict]:
    """The contact persons of the caller's organisation (``id, name, email, phone, role,
    me``), by name. Never the password or TOTP columns."""
    me = contact_id_of(principal)
    rows = await current_engine().fetch(
        "SELECT id, name, email, phone, role FROM contact_person WHERE organisation = ?"
        " ORDER BY name, id", [principal.organisation_id])
    return [{**dict(r), "me": r["id"] == me} for r in rows]


async def add_colleague(principal: Principal, values: dict[str, str]) -> int:
    """A new contact person of the caller's own organisation, who gets a login link mail
    (valid ``APPROVAL_LINK_LIFETIME``). ``values``: name, email, phone, role as
    ``event_ops.employers.organisations.check_contact`` returns them (the caller checks:
    access sits beside employers, not above it). The e-mail address is required here (they
    log in with it) and must not be a colleague's already: ``bad_contact`` naming it."""
    org_id = require_contact(principal).organisation_id
    if not values["email"]:
        raise DomainError("bad_contact", "Fill in the colleague's e-mail address.",
                          field="email")
    db = current_engine()
    async with db.transaction():
        if await db.fetch("SELECT id FROM contact_person WHERE organisation = ? AND email = ?",
                          [org_id, values["email"]]):
            raise DomainError("bad_contact", "This colleague is on the list already.",
                              field="email")
        rows = await db.fetch(
            "INSERT INTO contact_person (organisation, name, email, phone, role)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            [org_id, values["name"], values["email"], values["phone"], values["role"]])
        new_id = rows[0]["id"]
        # Who was added, not their data: the audit log keeps no contact details.
        await audit.record(principal.actor, "contact_person.created",
                           subject_type="organisation", subject_id=org_id,
                           fields=[f"contact:{new_id}"])
        await issue_link(new_id, APPROVAL_LINK_LIFETIME, values["email"], APPROVED_LINK_MAIL)
    mail_queued()
    return new_id


async def remove_colleague(principal: Principal, contact_id: int) -> None:
    """Erase a colleague of the caller's own organisation: ``not_found`` for anyone else
    (another organisation's contact gives nothing away), ``cannot_remove_self`` for the
    caller, ``last_contact`` when nobody would be left. Their sessions end at once."""
    org_id = require_contact(principal).organisation_id
    if contact_id == contact_id_of(principal):
        raise DomainError("cannot_remove_self", "You cannot remove yourself.")
    db = current_engine()
    async with db.transaction():
        # First whether it is one's own colleague at all: another organisation's contact
        # gets the same answer as one that does not exist, before any other rule.
        if not await db.fetch("SELECT id FROM contact_person WHERE id = ? AND organisation = ?",
                              [contact_id, org_id]):
            raise DomainError("not_found", "There is no such contact person.")
        count = await db.fetch("SELECT COUNT(*) AS n FROM contact_person"
                               " WHERE organisation = ?", [org_id])
        if count[0]["n"] <= 1:
            raise DomainError("last_contact", "An organisation keeps one contact person.")
        # Sessions end explicitly too, not only through the cascade: a database without
        # foreign keys enforced must not keep a removed person logged in.
        await db.fetch("UPDATE contact_session SET ended_at = ? WHERE contact = ? AND"
                       " ended_at IS NULL AND contact IN (SELECT id FROM contact_person"
                       " WHERE organisation = ?)", [clock.now(), contact_id, org_id])
        rows = await db.fetch(
            "DELETE FROM contact_person WHERE id = ? AND organisation = ? RETURNING id",
            [contact_id, org_id])
        if not rows:
            raise DomainError("not_found", "There is no such contact person.")
        await audit.record(principal.actor, "contact_person.removed",
                           subject_type="organisation", subject_id=org_id,
                           fields=[f"contact:{contact_id}"])


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
