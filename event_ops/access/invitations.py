"""Inviting staff and job coaches: an organiser admin names the person, their role and
events; the person gets a mail with a one-time link and sets their own password.

The link is ``/invite/<invitation id>.<HMAC-SHA256(secret key, id, nonce)>``. ``nonce`` is
32 random bytes per mail sent, stored with the invitation; the HMAC needs
``EVENTOPS_SECRET_KEY``, so a copy of the database alone cannot open an invitation. (The
outbox builds each mail when it sends it, from what is stored, so the link is derived, not
kept: the same design as the unlock link in ``unlock.py``.)

Rules that MUST hold:

* A link works once, for ``INVITATION_LIFETIME``; re-sending makes a new nonce (the old
  link stops working) and a new expiry; revoking ends the link at once.
* An invited account has no password (``password_hash = ''``), so nobody can log in to it
  until the link is used (argon2 refuses the empty hash).
* Setting the password ends the invitation and logs the person in (a new session).
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
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.mail.queue import mail_queued, queue_mail
from event_ops.mail.render import new_mail

INVITATION_LIFETIME = dt.timedelta(days=7)
MAIL_KIND = "account.invitation"
_TOKEN = re.compile(r"([0-9]{1,12})\.([A-Za-z0-9_-]{43})")
ROLE_WORDS = {
    "organiser_admin": ("beheerder van de organisatie", "organiser admin"),
    "organiser_staff": ("medewerker van de organisatie", "organiser staff"),
    "job_coach": ("jobcoach", "job coach"),
}


def _signature(secret_key: str, invitation_id: int, nonce: str) -> str:
    mac = hmac.new(secret_key.encode(), f"invite|{invitation_id}|{nonce}".encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def invitation_token(secret_key: str, invitation_id: int, nonce: str) -> str:
    return f"{invitation_id}.{_signature(secret_key, invitation_id, nonce)}"


async def start_invitation(account_id: int, email: str, *, actor: str) -> int:
    """End the account's open invitations and queue a mail with a new link; call inside
    the transaction that invites (or re-sends). Returns the invitation's id."""
    db = current_engine()
    now = clock.now()
    await db.fetch("UPDATE account_invitation SET revoked_at = ? WHERE account = ?"
                   " AND used_at IS NULL AND revoked_at IS NULL", [now, account_id])
    invitation_id = (await db.fetch(
        "INSERT INTO account_invitation (account, nonce, created_by, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        [account_id, secrets.token_urlsafe(32), actor[:64], now,
         now + INVITATION_LIFETIME]))[0]["id"]
    await queue_mail(None, None, MAIL_KIND, email)
    return invitation_id


async def revoke_invitation(account_id: int, *, actor: str) -> bool:
    """End the account's open invitation (its link stops working). Returns whether there
    was one."""
    db = current_engine()
    async with db.transaction():
        ended = await db.fetch(
            "UPDATE account_invitation SET revoked_at = ? WHERE account = ?"
            " AND used_at IS NULL AND revoked_at IS NULL RETURNING id",
            [clock.now(), account_id])
        if ended:
            await audit.record(actor, "account.invitation_revoked", subject_type="account",
                               subject_id=account_id)
    return bool(ended)


async def invitation_message(settings: Settings, mail: dict) -> EmailMessage | None:
    """The outbox builds the mail when it sends it: the newest open invitation of the
    account with this address. None (nothing sent) when it was revoked or used since, or
    the account was disabled."""
    rows = await current_engine().fetch(
        "SELECT i.id, i.nonce, i.expires_at, a.name, a.role FROM account_invitation i"
        " JOIN account a ON a.id = i.account WHERE a.email = ? AND a.disabled_at IS NULL"
        " AND i.used_at IS NULL AND i.revoked_at IS NULL ORDER BY i.id DESC LIMIT 1",
        [mail["recipient"]])
    if not rows or rows[0]["expires_at"] <= clock.now():
        return None
    row = rows[0]
    link = (f"{settings.base_url.rstrip('/')}/invite/"
            f"{invitation_token(settings.secret_key, row['id'], row['nonce'])}")
    role_nl, role_en = ROLE_WORDS.get(row["role"], (row["role"], row["role"]))
    days = INVITATION_LIFETIME.days
    msg = new_mail(settings, mail["recipient"],
                   "Je account voor event-ops / Your event-ops account")
    msg.set_content("\n".join([
        f"Beste {row['name']},",
        "",
        f"Je krijgt een account voor event-ops, als {role_nl}.",
        "Kies zelf je wachtwoord via deze link:",
        link,
        f"De link werkt {days} dagen en maar 1 keer. Daarna log je in met je e-mailadres.",
        "Verwachtte je deze mail niet? Dan hoef je niets te doen.",
        "",
        "---",
        "",
        f"Dear {row['name']},",
        "",
        f"You get an account for event-ops, as {role_en}.",
        "Choose your own password with this link:",
        link,
        f"The link works for {days} days and only once. Then log in with your e-mail address.",
        "Did you not expect this mail? Then you need not do anything.",
    ]))
    return msg


async def open_invitation(secret_key: str, token: str) -> dict:
    """The invitation behind a link: ``{"id", "account_id", "email", "name"}``. A wrong,
    used, revoked or expired link, or a disabled account: ``link_invalid``."""
    invalid = DomainError("link_invalid", "This link is not valid (any more).")
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise invalid
    invitation_id = int(match.group(1))
    rows = await current_engine().fetch(
        "SELECT i.id, i.nonce, i.expires_at, i.used_at, i.revoked_at, a.id AS account_id,"
        " a.email, a.name, a.disabled_at FROM account_invitation i"
        " JOIN account a ON a.id = i.account WHERE i.id = ?", [invitation_id])
    if not rows:
        raise invalid
    row = rows[0]
    if not hmac.compare_digest(_signature(secret_key, invitation_id, row["nonce"]),
                               match.group(2)):
        raise invalid
    if row["used_at"] or row["revoked_at"] or row["disabled_at"] \
            or row["expires_at"] <= clock.now():
        raise invalid
    return {"id": row["id"], "account_id": row["account_id"], "email": row["email"],
            "name": row["name"]}


async def accept_invitation(secret_key: str, token: str, password: str, repeat: str) -> str:
    """Set the invited person's password (the same rules as every account) and log them
    in; returns the session cookie's secret. The link works once: two tabs submitting at
    the same moment get one success."""
    from event_ops.access import accounts

    invitation = await open_invitation(secret_key, token)
    credentials.check_new_password(password, repeat)
    password_hash = await credentials.hash_password_off_loop(password)
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        used = await db.fetch(
            "UPDATE account_invitation SET used_at = ? WHERE id = ? AND used_at IS NULL"
            " AND revoked_at IS NULL AND expires_at > ? RETURNING account",
            [now, invitation["id"], now])
        if not used:
            raise DomainError("link_invalid", "This link is not valid (any more).")
        await db.fetch("UPDATE account SET password_hash = ? WHERE id = ?",
                       [password_hash, invitation["account_id"]])
        await audit.record(f"account:{invitation['account_id']}", "account.invitation_accepted",
                           subject_type="account", subject_id=invitation["account_id"])
    return await accounts.start_session(invitation["account_id"])


def queued() -> None:
    """After the commit that queued an invitation: the outbox sends it now."""
    mail_queued()
