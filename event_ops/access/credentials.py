"""Passwords, TOTP codes and the lock-out count: the one rule for everyone who logs in with
a password (organisers' accounts in ``event_ops.access.accounts`` and employers' contact
persons in ``event_ops.access.contacts``).

What differs per kind of person (which table holds the hash, what the audit log says, who
gets an unlock mail) stays with the caller; how a password is hashed and checked, how a
TOTP code is checked and used once, and when a client is locked out lives only here.

A throttle *subject* is the text a lock-out key starts with: the account's id for
organisers (``"12"``, as before), ``"contact:7"`` for a contact person.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
import secrets
from typing import Literal

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError

MIN_PASSWORD_LENGTH = 12
# After this many wrong passwords (or codes) in a row from one client, that client waits
# LOCKOUT before it may try this person again: slows down guessing, and a stranger's
# guesses lock out the stranger, not the owner.
MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
# Guesses from many addresses at once (a botnet): after this many wrong passwords for one
# person within LOCKOUT, only browsers they logged in from before may try.
ACCOUNT_WIDE_FAILURES = 50
TOTP_ISSUER = "event-ops"
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{22,64}")
_SECRET = re.compile(r"[A-Z2-7]{32}")

_hasher = PasswordHasher()  # argon2id, the library's RFC 9106 low-memory profile
# Verified against when the person is unknown, so a wrong e-mail costs as long as a wrong
# password and response times do not tell which addresses have a password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

# Tables whose rows carry ``totp_last_step`` (a fixed list: the name goes into SQL).
TotpTable = Literal["account", "contact_person"]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# ---- passwords --------------------------------------------------------------------------

def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            "weak_password",
            f"Use a password of at least {MIN_PASSWORD_LENGTH} characters.", field="password",
        )
    if len(password) > 1024:
        raise DomainError("weak_password", "This password is too long.", field="password")


def check_new_password(password: str, repeat: str) -> None:
    """A password someone chooses (typed twice): strong enough and the same both times.
    Raises ``weak_password`` or ``passwords_differ`` (field ``repeat``)."""
    check_password_strength(password)
    if password != repeat:
        raise DomainError("passwords_differ", "The two passwords are not the same.",
                          field="repeat")


def hash_password(password: str) -> str:
    """argon2id with the library's recommended cost (CPU-heavy: call it off the loop)."""
    return _hasher.hash(password)


async def hash_password_off_loop(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def verify_password(password_hash: str, password: str) -> bool:
    """argon2 takes ~50-150 ms of CPU: off the event loop, so door scans and websockets in
    the same process do not wait for a login (argon2-cffi releases the GIL). An empty or
    unknown hash costs the same time as a real one and is never right."""
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(
                password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# ---- TOTP -------------------------------------------------------------------------------

def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def totp_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The 30-second step whose code this is (the current one, or one step either side
    for clock drift), or None."""
    code = code.strip()
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_new_totp(secret: str, code: str) -> int:
    """Setting TOTP up: the step of the person's first code for this new secret. Raises
    ``bad_request`` (the set-up form was tampered with or is stale) or ``totp_failed``."""
    if not _SECRET.fullmatch(secret):
        raise DomainError("bad_request", "The set-up expired. Start again.")
    step = totp_step(secret, code, clock.now())
    if step is None:
        raise DomainError("totp_failed", "This code is not right. Try the newest code.",
                          field="code")
    return step


async def use_totp_step(table: TotpTable, row_id: int, step: int) -> bool:
    """A code works once (RFC 6238 §5.2): only a step later than the last one used."""
    if table not in ("account", "contact_person"):
        raise ValueError(table)
    rows = await current_engine().fetch(
        f"UPDATE {table} SET totp_last_step = ? WHERE id = ?"
        " AND (totp_last_step IS NULL OR totp_last_step < ?) RETURNING id",
        [step, row_id, step])
    return bool(rows)


async def check_totp(table: TotpTable, row_id: int, secret: str, code: str) -> str | None:
    """None when ``code`` is a fresh right code (and marks it used); else the error code:
    ``totp_required`` (no code given) or ``totp_failed``."""
    if not code.strip():
        return "totp_required"
    step = totp_step(secret, code, clock.now())
    if step is None or not await use_totp_step(table, row_id, step):
        return "totp_failed"
    return None


# ---- lock-out per person and client -----------------------------------------------------

def new_device_id() -> str:
    """A browser's random id (its ``eo_device`` cookie)."""
    return secrets.token_urlsafe(24)


def device_key(subject: str, device: str) -> str:
    return f"{subject}|device:{_sha256(device)[:32]}"


async def client_key(subject: str, client: str, device: str) -> str:
    """The throttle bucket of this attempt: the browser when the person logged in from it
    before, else the address. A made-up device id is just an address (no row for it)."""
    if device and DEVICE_ID.fullmatch(device):
        key = device_key(subject, device)
        rows = await current_engine().fetch(
            "SELECT trusted FROM login_throttle WHERE key = ?", [key])
        if rows and rows[0]["trusted"]:
            return key
    return f"{subject}|ip:{client[:80]}"


async def is_locked(key: str, now: dt.datetime) -> bool:
    rows = await current_engine().fetch(
        "SELECT 1 FROM login_throttle WHERE key = ? AND locked_until > ?", [key, now])
    return bool(rows)


async def under_attack(subject_type: str, subject_id: int, failure_actions: tuple[str, ...],
                       now: dt.datetime) -> bool:
    """Many wrong guesses for this person lately, from anywhere (the audit log counts)."""
    marks = ", ".join("?" * len(failure_actions))
    rows = await current_engine().fetch(
        "SELECT COUNT(*) AS n FROM audit_entry WHERE at > ? AND subject_type = ?"
        f" AND subject_id = ? AND action IN ({marks})",
        [now - LOCKOUT, subject_type, subject_id, *failure_actions])
    return rows[0]["n"] >= ACCOUNT_WIDE_FAILURES


async def trust_device(subject: str, device: str, account_id: int | None = None) -> None:
    """From now on this browser has its own lock-out count for this person."""
    if not DEVICE_ID.fullmatch(device):
        return
    await current_engine().fetch(
        "INSERT INTO login_throttle (key, account, failures, locked_until, trusted, updated_at)"
        " VALUES (?, ?, 0, NULL, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = 0,"
        " locked_until = NULL, trusted = excluded.trusted, updated_at = excluded.updated_at",
        [device_key(subject, device), account_id, True, clock.now()])


async def count_failure(key: str, account_id: int | None = None) -> bool:
    """One atomic increment per failure, so parallel guesses cannot slip past the limit.
    True when this failure locked the client (only the guess that sets the lock: parallel
    guesses see it set already)."""
    db = current_engine()
    now = clock.now()
    rows = await db.fetch(
        "INSERT INTO login_throttle (key, account, failures, locked_until, trusted, updated_at)"
        " VALUES (?, ?, 1, NULL, ?, ?) ON CONFLICT (key) DO UPDATE SET"
        " failures = login_throttle.failures + 1, updated_at = excluded.updated_at"
        " RETURNING failures", [key, account_id, False, now])
    if rows[0]["failures"] < MAX_FAILED_LOGINS:
        return False
    locked = await db.fetch(
        "UPDATE login_throttle SET failures = 0, locked_until = ? WHERE key = ?"
        " AND (locked_until IS NULL OR locked_until <= ?) RETURNING key",
        [now + LOCKOUT, key, now])
    return bool(locked)


async def reset_failures(key: str) -> None:
    """A full success: the count starts again."""
    await current_engine().fetch("UPDATE login_throttle SET failures = 0 WHERE key = ?",
                                 [key])


def locked_error() -> DomainError:
    return DomainError("account_locked",
                       "Too many wrong passwords. Wait 15 minutes and try again.")


async def waste_time(password: str) -> None:
    """As long as a real check: answers do not tell by their time what was wrong."""
    await verify_password("", password)
