"""The mailed unlock link: when wrong passwords lock an address out of an account, the
account's owner gets a mail with a link that lets *their* browser in again.

The link is ``/login/unlock/<mail id>.<HMAC>``: signed with the secret key over the outbox
mail's id and the account, valid for ``UNLOCK_LIFETIME`` after the mail was queued, and
usable once. Using it makes the browser that opens it one the account logs in from
(``accounts.trust_device``): that browser has its own lock-out count, so the stranger who
keeps guessing from the same network does not lock it. The link does not log anyone in;
the password (and code) are still needed.

At most one unlock mail per account per ``accounts.LOCKOUT``, so guesses cannot flood the
owner's inbox.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from email.message import EmailMessage

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.mail.queue import queue_mail
from event_ops.mail.render import new_mail

UNLOCK_LIFETIME = dt.timedelta(hours=1)
MAIL_KIND = "account.unlock"
_TOKEN = re.compile(r"([0-9]{1,12})\.([A-Za-z0-9_-]{43})")


def _signature(secret_key: str, mail_id: int, account_id: int) -> str:
    mac = hmac.new(secret_key.encode(), f"unlock|{mail_id}|{account_id}".encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def unlock_token(secret_key: str, mail_id: int, account_id: int) -> str:
    return f"{mail_id}.{_signature(secret_key, mail_id, account_id)}"


async def queue_unlock_mail(account_id: int, email: str) -> bool:
    """Queue the unlock mail, unless one went out for this account in the lock-out time.
    Returns whether it did."""
    from event_ops.access.accounts import LOCKOUT

    now = clock.now()
    recent = await current_engine().fetch(
        "SELECT 1 FROM outbox_mail WHERE kind = ? AND recipient = ? AND created_at > ?",
        [MAIL_KIND, email, now - LOCKOUT])
    if recent:
        return False
    await queue_mail(None, None, MAIL_KIND, email)  # type: ignore[arg-type]
    await audit.record("system", "login.unlock_mailed", subject_type="account",
                       subject_id=account_id)
    return True


async def unlock_message(settings: Settings, mail: dict) -> EmailMessage | None:
    """The outbox renders the mail when it sends it; None for a disabled account."""
    rows = await current_engine().fetch(
        "SELECT id, name FROM account WHERE email = ? AND disabled_at IS NULL",
        [mail["recipient"]])
    if not rows:
        return None
    link = (f"{settings.base_url.rstrip('/')}/login/unlock/"
            f"{unlock_token(settings.secret_key, mail['id'], rows[0]['id'])}")
    msg = new_mail(settings, mail["recipient"],
                   "Je account is op slot gezet / Your account was locked")
    msg.set_content("\n".join([
        f"Beste {rows[0]['name']},",
        "",
        "Iemand heeft 5 keer een verkeerd wachtwoord gebruikt voor je account. Daarom kan",
        "die computer of dat netwerk 15 minuten niet inloggen.",
        "Was jij dat, of wil je nu inloggen? Open deze link op je eigen computer:",
        link,
        "De link werkt 1 uur en maar 1 keer. Je hebt daarna nog steeds je wachtwoord nodig.",
        "Was jij het niet? Dan hoef je niets te doen. Een beheerder ziet het ook.",
        "",
        "---",
        "",
        f"Dear {rows[0]['name']},",
        "",
        "Someone used a wrong password for your account 5 times. That computer or network",
        "cannot log in for 15 minutes.",
        "Was it you, or do you want to log in now? Open this link on your own computer:",
        link,
        "The link works for 1 hour and only once. You still need your password.",
        "Was it not you? Then you need not do anything. An admin sees it too.",
    ]))
    return msg


async def redeem_unlock(secret_key: str, token: str, device: str) -> int:
    """Use an unlock link from the browser ``device``; returns the account's id. A wrong,
    expired or used link: ``link_invalid``."""
    from event_ops.access.accounts import trust_device

    invalid = DomainError("link_invalid", "This link is not valid (any more).")
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise invalid
    mail_id = int(match.group(1))
    db = current_engine()
    rows = await db.fetch(
        "SELECT a.id, m.created_at FROM outbox_mail m JOIN account a ON a.email = m.recipient"
        " WHERE m.id = ? AND m.kind = ? AND a.disabled_at IS NULL", [mail_id, MAIL_KIND])
    if not rows or not hmac.compare_digest(
            _signature(secret_key, mail_id, rows[0]["id"]), match.group(2)):
        raise invalid
    account_id = rows[0]["id"]
    if rows[0]["created_at"] + UNLOCK_LIFETIME < clock.now():
        raise invalid
    async with db.transaction():
        used = await db.fetch(
            "INSERT INTO login_throttle (key, account, failures, locked_until, trusted,"
            " updated_at) VALUES (?, ?, 0, NULL, ?, ?) ON CONFLICT (key) DO NOTHING"
            " RETURNING key", [f"unlock:{mail_id}", account_id, False, clock.now()])
        if not used:
            raise invalid
        await trust_device(account_id, device)
        await audit.record(f"account:{account_id}", "login.unlocked",
                           subject_type="account", subject_id=account_id)
    return account_id
