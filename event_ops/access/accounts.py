"""Organiser accounts: e-mail + argon2id password, optional TOTP, and login sessions.

Organiser admins, organiser staff and job coaches are people, so they log in; doors and
tablets are devices, so they hold tokens (``event_ops.access.tokens``). Both end up as a
``Principal`` that ``event_ops.access.permissions`` checks against the one role table.

A session is a random secret in an HttpOnly cookie; the database keeps only its SHA-256,
so a leaked backup cannot sign anyone in. Sessions end on logout, after
``SESSION_LIFETIME``, or when the account is disabled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Collection

from event_ops import audit, clock, notices
from event_ops.access import credentials
from event_ops.access.tables import ACCOUNT_ROLES
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError, ValidationFailed

SESSION_PREFIX = "eos_"
SESSION_LIFETIME = dt.timedelta(hours=12)
# Passwords, TOTP and the lock-out count are one rule for everyone who logs in with a
# password: event_ops.access.credentials (contact persons of employers use it too).
MIN_PASSWORD_LENGTH = credentials.MIN_PASSWORD_LENGTH
MAX_FAILED_LOGINS = credentials.MAX_FAILED_LOGINS
LOCKOUT = credentials.LOCKOUT
TOTP_ISSUER = credentials.TOTP_ISSUER
check_password_strength = credentials.check_password_strength
hash_password = credentials.hash_password
totp_step = credentials.totp_step
new_totp_secret = credentials.new_totp_secret
totp_uri = credentials.totp_uri
new_device_id = credentials.new_device_id
DEVICE_ID = credentials.DEVICE_ID
_FAILURES = ("login.failed", "login.totp_failed")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_identity(email: str, name: str, role: str) -> tuple[str, str]:
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        raise DomainError("bad_email", "This is not a valid e-mail address.", field="email")
    if role not in ACCOUNT_ROLES:
        raise DomainError("bad_role", f"Role must be one of {', '.join(ACCOUNT_ROLES)}.",
                          field="role")
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise DomainError("bad_name", "Give the person's name.", field="name")
    return email, name


async def create_account(email: str, name: str, role: str, password: str,
                         event_ids: list[int] | None = None, *, actor: str = "cli",
                         organisation: str | None = None) -> int:
    email, name = _check_identity(email, name, role)
    check_password_strength(password)
    organisation = (" ".join(organisation.split())[:200] or None) if organisation else None
    db = current_engine()
    async with db.transaction():
        if await db.fetch("SELECT id FROM account WHERE email = ?", [email]):
            raise DomainError("account_exists", "There is already an account with this e-mail.")
        rows = await db.fetch(
            "INSERT INTO account (email, name, role, password_hash, failed_logins, created_at,"
            " organisation) VALUES (?, ?, ?, ?, 0, ?, ?) RETURNING id",
            [email, name, role, credentials.hash_password(password), clock.now(), organisation],
        )
        account_id = rows[0]["id"]
        await _set_events(account_id, event_ids or [])
        await audit.record(actor, "account.created", subject_type="account",
                           subject_id=account_id, fields=[role])
    return account_id


# ---- the back office: invite, change, disable ---------------------------------------------

async def _checked_fields(email: str | None, name: str, role: str,
                          organisation: str | None, event_ids: list[int]
                          ) -> tuple[str, str, str | None, list[int]]:
    """The back office's account fields, every fault at once: ``ValidationFailed`` with
    field → text key. Returns (email, name, organisation, events)."""
    errors: dict[str, str] = {}
    clean_email = normalise_email(email or "")
    if email is not None and (not _EMAIL.match(clean_email) or len(clean_email) > 254):
        errors["email"] = "acc.err.email"
    clean_name = " ".join(name.split())
    if not clean_name or len(clean_name) > 200:
        errors["name"] = "acc.err.name"
    clean_org: str | None = None
    if role not in ACCOUNT_ROLES:
        errors["role"] = "acc.err.role"
    elif role == "job_coach":
        clean_org = " ".join((organisation or "").split())
        if not clean_org or len(clean_org) > 200:
            errors["organisation"] = "error.bad_organisation"
    events: list[int] = []
    if role != "organiser_admin":
        wanted = sorted(set(event_ids))
        if wanted:
            rows = await current_engine().fetch(
                f"SELECT id FROM event WHERE id IN ({', '.join('?' * len(wanted))})", wanted)
            events = sorted(r["id"] for r in rows)
            if events != wanted:
                errors["events"] = "acc.err.events"
    if errors:
        raise ValidationFailed(errors)
    return clean_email, clean_name, clean_org, events


async def _audit_state(account_id: int) -> dict:
    """An account's settings as the audit log keeps them (before → after)."""
    db = current_engine()
    rows = await db.fetch("SELECT name, role, organisation, disabled_at FROM account"
                          " WHERE id = ?", [account_id])
    if not rows:
        raise DomainError("not_found", "There is no such account.")
    events = await db.fetch(
        "SELECT e.slug FROM account_event ae JOIN event e ON e.id = ae.event"
        " WHERE ae.account = ? ORDER BY e.slug", [account_id])
    return {"name": rows[0]["name"], "role": rows[0]["role"],
            "organisation": rows[0]["organisation"],
            "events": ", ".join(r["slug"] for r in events) or None,
            "disabled": rows[0]["disabled_at"] is not None}


async def invite_account(email: str, name: str, role: str, event_ids: list[int],
                         organisation: str | None = None, *, actor: str) -> int:
    """Make an account without a password and mail the person a one-time link to set one
    (``event_ops.access.invitations``). Staff and job coaches get ``event_ids``; an
    organiser admin sees every event. Returns the account's id."""
    from event_ops.access import invitations

    email, name, organisation, events = await _checked_fields(email, name, role, organisation,
                                                              event_ids)
    db = current_engine()
    async with db.transaction():
        if await db.fetch("SELECT id FROM account WHERE email = ?", [email]):
            raise DomainError("account_exists", "There is already an account with this e-mail.",
                              field="email")
        account_id = (await db.fetch(
            "INSERT INTO account (email, name, role, password_hash, failed_logins, created_at,"
            " organisation) VALUES (?, ?, ?, '', 0, ?, ?) RETURNING id",
            [email, name, role, clock.now(), organisation]))[0]["id"]
        await _set_events(account_id, events)
        await invitations.start_invitation(account_id, email, actor=actor)
        await audit.record(actor, "account.invited", subject_type="account",
                           subject_id=account_id,
                           changes=audit.changes({}, await _audit_state(account_id)))
    invitations.queued()
    return account_id


async def resend_invitation(account_id: int, *, actor: str) -> None:
    """A new link (the old one stops working), valid for the full time again. Only for an
    account whose password has not been set yet: ``already_active`` otherwise."""
    from event_ops.access import invitations

    db = current_engine()
    async with db.transaction():
        rows = await db.fetch("SELECT email, password_hash, disabled_at FROM account"
                              " WHERE id = ?", [account_id])
        if not rows:
            raise DomainError("not_found", "There is no such account.")
        if rows[0]["password_hash"]:
            raise DomainError("already_active", "This person has set a password already.")
        if rows[0]["disabled_at"]:
            raise DomainError("account_disabled", "Enable the account first.")
        await invitations.start_invitation(account_id, rows[0]["email"], actor=actor)
        await audit.record(actor, "account.invitation_sent", subject_type="account",
                           subject_id=account_id)
    invitations.queued()


def _actor_account(actor: str) -> int | None:
    kind, _, number = actor.partition(":")
    return int(number) if kind == "account" and number.isdigit() else None


async def update_account(account_id: int, *, name: str, role: str, event_ids: list[int],
                         organisation: str | None, actor: str) -> dict:
    """Change name, role, events and organisation; every change goes to the audit log as
    before → after (returned too). An admin cannot change their own role (they would
    lock themselves out): ``cannot_change_self``. A role change counts from the next
    request (sessions read the role each time)."""
    before = await _audit_state(account_id)
    _, name, organisation, events = await _checked_fields(None, name, role, organisation,
                                                          event_ids)
    if _actor_account(actor) == account_id and role != before["role"]:
        raise DomainError("cannot_change_self", "You cannot change your own role.",
                          field="role")
    db = current_engine()
    async with db.transaction():
        await db.fetch("UPDATE account SET name = ?, role = ?, organisation = ? WHERE id = ?",
                       [name, role, organisation, account_id])
        await _set_events(account_id, events)
        after = await _audit_state(account_id)
        changed = audit.changes(before, after)
        if changed:
            await audit.record(actor, "account.updated", subject_type="account",
                               subject_id=account_id, changes=changed)
    if changed:
        notices.announce(notices.ACCESS)  # open websockets look at the account again
    return changed


async def enable_account(account_id: int, *, actor: str) -> None:
    db = current_engine()
    async with db.transaction():
        before = await _audit_state(account_id)
        await db.fetch("UPDATE account SET disabled_at = NULL WHERE id = ?", [account_id])
        await audit.record(actor, "account.enabled", subject_type="account",
                           subject_id=account_id,
                           changes=audit.changes(before, {"disabled": False}))


async def set_account_events(account_id: int, event_ids: list[int], *, actor: str) -> None:
    db = current_engine()
    async with db.transaction():
        await _set_events(account_id, event_ids)
        await audit.record(actor, "account.events_set", subject_type="account",
                           subject_id=account_id)


async def _set_events(account_id: int, event_ids: list[int]) -> None:
    db = current_engine()
    await db.fetch("DELETE FROM account_event WHERE account = ?", [account_id])
    for event_id in sorted(set(event_ids)):
        await db.fetch("INSERT INTO account_event (account, event) VALUES (?, ?)",
                       [account_id, event_id])


async def account_id_for(email: str) -> int:
    rows = await current_engine().fetch("SELECT id FROM account WHERE email = ?",
                                        [normalise_email(email)])
    if not rows:
        raise DomainError("not_found", "There is no account with this e-mail.")
    return rows[0]["id"]


async def disable_account(account_id: int, *, actor: str) -> None:
    """Disable the account: its sessions end at once (and its open websockets, in every
    process). An admin cannot disable themselves: ``cannot_change_self``."""
    if _actor_account(actor) == account_id:
        raise DomainError("cannot_change_self", "You cannot disable your own account.")
    db = current_engine()
    async with db.transaction():
        before = await _audit_state(account_id)
        await db.fetch("UPDATE account SET disabled_at = ? WHERE id = ?",
                       [clock.now(), account_id])
        await db.fetch("UPDATE login_session SET ended_at = ? WHERE account = ?"
                       " AND ended_at IS NULL", [clock.now(), account_id])
        await audit.record(actor, "account.disabled", subject_type="account",
                           subject_id=account_id,
                           changes=audit.changes(before, {"disabled": True}))
    notices.announce(notices.ACCESS)  # its open websockets close, in every process


# What an account is now: disabled; invited (an open link); invitation_ended (expired or
# revoked before a password was set); active.
_STATUS = (
    "CASE WHEN a.disabled_at IS NOT NULL THEN 'disabled'"
    " WHEN a.password_hash = '' AND EXISTS (SELECT 1 FROM account_invitation i"
    "  WHERE i.account = a.id AND i.used_at IS NULL AND i.revoked_at IS NULL"
    "  AND i.expires_at > ?) THEN 'invited'"
    " WHEN a.password_hash = '' THEN 'invitation_ended' ELSE 'active' END")


async def list_accounts() -> list[dict]:
    """Every account, by e-mail address: ``id, email, name, role, organisation, totp, disabled_at,
    status, last_login, events`` (the number of events) and ``event_names``."""
    db = current_engine()
    rows = await db.fetch(
        "SELECT a.id, a.email, a.name, a.role, a.organisation,"
        " a.totp_secret IS NOT NULL AS totp, a.disabled_at, " + _STATUS + " AS status,"
        " (SELECT MAX(s.created_at) FROM login_session s WHERE s.account = a.id)"
        " AS last_login, (SELECT COUNT(*) FROM account_event e WHERE e.account = a.id)"
        " AS events FROM account a ORDER BY a.email", [clock.now()])
    names: dict[int, list[str]] = {}
    for r in await db.fetch("SELECT ae.account, e.name FROM account_event ae"
                            " JOIN event e ON e.id = ae.event ORDER BY e.starts_at", []):
        names.setdefault(r["account"], []).append(r["name"])
    return [{**dict(r), "last_login": _as_time(r["last_login"]),
             "event_names": names.get(r["id"], [])} for r in rows]


def _as_time(value: object) -> dt.datetime | None:
    """A computed timestamp (``MAX(...)``): SQLite hands it back as text."""
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return value  # type: ignore[return-value]


async def account_detail(account_id: int) -> dict:
    """One account for its edit page, with ``event_ids`` and ``status``."""
    db = current_engine()
    rows = await db.fetch(
        "SELECT a.id, a.email, a.name, a.role, a.organisation, a.disabled_at, "
        + _STATUS + " AS status, (SELECT MAX(s.created_at) FROM login_session s"
        " WHERE s.account = a.id) AS last_login FROM account a WHERE a.id = ?",
        [clock.now(), account_id])
    if not rows:
        raise DomainError("not_found", "There is no such account.")
    events = await db.fetch("SELECT event FROM account_event WHERE account = ?", [account_id])
    return {**dict(rows[0]), "last_login": _as_time(rows[0]["last_login"]),
            "event_ids": sorted(r["event"] for r in events)}


async def coach_organisations() -> list[str]:
    """The organisations job coaches belong to (for the invite form's suggestions)."""
    rows = await current_engine().fetch(
        "SELECT DISTINCT organisation FROM account WHERE organisation IS NOT NULL"
        " ORDER BY organisation", [])
    return [r["organisation"] for r in rows]


# ---- logging in -------------------------------------------------------------------------

def _login_failed() -> DomainError:
    return DomainError("login_failed", "The e-mail address or password is not right.")


async def log_in(email: str, password: str, totp_code: str = "", *, client: str = "",
                 device: str = "") -> str:
    """Check the credentials and start a session; returns the cookie secret.

    Raises ``login_failed`` (unknown e-mail or wrong password: one message for both),
    ``totp_required`` (password right, code missing), ``totp_failed`` or
    ``account_locked``. Wrong passwords and wrong codes count towards the lock-out; a
    TOTP code works once. Only a full success resets the count.

    The lock-out is per account *and client* (``client``: the caller's address): five
    wrong guesses from a stranger lock out the stranger's address, not the owner. A browser
    the account logged in from before (``device``, its random id from a cookie) counts as
    its own client, so even on the same Wi-Fi as the stranger the owner gets in. A
    successful login makes ``device`` such a browser. Repeated lock-outs of one account
    raise an alert for the admins (``lockout_alerts``), and a lock-out mails the owner an
    unlock link (``event_ops.access.unlock``; at most one per LOCKOUT).
    """
    db = current_engine()
    now = clock.now()
    rows = await db.fetch(
        "SELECT id, email, password_hash, totp_secret, disabled_at FROM account"
        " WHERE email = ?", [normalise_email(email)[:254]])
    if not rows:
        await credentials.waste_time(password)
        raise _login_failed()
    account = rows[0]
    bucket = await credentials.client_key(str(account["id"]), client, device)
    crowd = "|device:" not in bucket and await credentials.under_attack(
        "account", account["id"], _FAILURES, now)
    if crowd or await credentials.is_locked(bucket, now):
        if crowd:  # no single address is locked: tell the owner and the admins once
            await _locked_out(account, "many_addresses", now)
        await credentials.waste_time(password)  # the same time as every other answer
        raise credentials.locked_error()
    if not await credentials.verify_password(account["password_hash"], password) \
            or account["disabled_at"]:
        await _count_failure(account, bucket, "login.failed")
        raise _login_failed()
    if account["totp_secret"]:
        problem = await credentials.check_totp("account", account["id"],
                                               account["totp_secret"], totp_code)
        if problem == "totp_required":
            raise DomainError("totp_required", "Enter the 6-digit code from your app.",
                              field="code")
        if problem:
            await _count_failure(account, bucket, "login.totp_failed")
            raise DomainError("totp_failed", "This code is not right. Try the newest code.",
                              field="code")
    if credentials.needs_rehash(account["password_hash"]):
        new_hash = await credentials.hash_password_off_loop(password)
        await db.fetch("UPDATE account SET password_hash = ? WHERE id = ?",
                       [new_hash, account["id"]])
    await credentials.reset_failures(bucket)
    if device:
        await trust_device(account["id"], device)
    return await _start_session(account["id"])


async def start_session(account_id: int) -> str:
    """A new session for the account (after it set its password through an invitation)."""
    return await _start_session(account_id)


# ---- lock-out per account and client ------------------------------------------------------

# This many lock-outs of one account within REPEATED_WINDOW: someone is guessing, tell the
# admins (an audit entry they see on /organiser).
REPEATED_LOCKOUTS = 3
REPEATED_WINDOW = dt.timedelta(hours=24)


async def trust_device(account_id: int, device: str) -> None:
    """From now on this browser has its own lock-out count for this account."""
    await credentials.trust_device(str(account_id), device, account_id)


async def _count_failure(account: dict, key: str, action: str) -> None:
    locked = await credentials.count_failure(key, account["id"])
    await audit.record(f"account:{account['id']}", action, subject_type="account",
                       subject_id=account["id"])
    if locked:
        await _locked_out(account, "device" if "|device:" in key else "address", clock.now())


async def _locked_out(account: dict, kind: str, now: dt.datetime) -> None:
    """``kind``: what was locked: a ``device``, an ``address``, or ``many_addresses``
    (reported once per LOCKOUT, when the unlock mail goes out)."""
    from event_ops.access import unlock

    db = current_engine()
    # The link also clears a lock of the owner's own browser (trust_device resets it).
    mailed = await unlock.queue_unlock_mail(account["id"], account["email"])
    if kind == "many_addresses" and not mailed:
        return
    await audit.record(f"account:{account['id']}", "login.locked", subject_type="account",
                       subject_id=account["id"], fields=[kind])
    since = now - REPEATED_WINDOW
    counts = await db.fetch(
        "SELECT SUM(CASE WHEN action = 'login.locked' THEN 1 ELSE 0 END) AS locks,"
        " SUM(CASE WHEN action = 'login.lockout_alert' THEN 1 ELSE 0 END) AS alerts"
        " FROM audit_entry WHERE subject_type = 'account' AND subject_id = ? AND at > ?"
        " AND action IN ('login.locked', 'login.lockout_alert')", [account["id"], since])
    if (counts[0]["locks"] or 0) >= REPEATED_LOCKOUTS and not counts[0]["alerts"]:
        await audit.record("system", "login.lockout_alert", subject_type="account",
                           subject_id=account["id"], fields=[f"lockouts={counts[0]['locks']}"])
    # Counts of addresses nobody used for a day: the table does not grow without end.
    await db.fetch("DELETE FROM login_throttle WHERE trusted = ? AND updated_at < ?",
                   [False, now - REPEATED_WINDOW])


async def lockout_alerts(since: dt.timedelta = REPEATED_WINDOW) -> list[dict]:
    """Accounts locked out again and again lately (newest first): for the admins' start
    page. Each: ``{"account_id", "email", "name", "at", "lockouts"}``."""
    rows = await current_engine().fetch(
        "SELECT a.id AS account_id, a.email, a.name, MAX(e.at) AS at,"
        " (SELECT COUNT(*) FROM audit_entry l WHERE l.action = 'login.locked'"
        "  AND l.subject_type = 'account' AND l.subject_id = a.id AND l.at > ?) AS lockouts"
        " FROM audit_entry e JOIN account a ON a.id = e.subject_id"
        " WHERE e.action = 'login.lockout_alert' AND e.subject_type = 'account' AND e.at > ?"
        " GROUP BY a.id, a.email, a.name ORDER BY MAX(e.at) DESC",
        [clock.now() - since, clock.now() - since])
    return [dict(r) for r in rows]


async def _start_session(account_id: int) -> str:
    secret = SESSION_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    await current_engine().fetch(
        "INSERT INTO login_session (account, secret_hash, created_at, last_seen_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?)",
        [account_id, _sha256(secret), now, now, now + SESSION_LIFETIME])
    await audit.record(f"account:{account_id}", "login.succeeded", subject_type="account",
                       subject_id=account_id)
    return secret


async def log_out(secret: str) -> None:
    """End the session; its open websockets close too, in every process."""
    ended = await current_engine().fetch(
        "UPDATE login_session SET ended_at = ? WHERE secret_hash = ? AND ended_at IS NULL"
        " RETURNING id", [clock.now(), _sha256(secret)])
    if ended:  # only a real logout: a made-up cookie must not make every process look again
        notices.announce(notices.ACCESS)


# A session counts while it has not ended, has not expired and its account is enabled; the
# one rule for a request (``resolve_session``) and for open websockets (``live_sessions``).
_LIVE_SESSION = ("FROM login_session s JOIN account a ON a.id = s.account"
                 " WHERE s.ended_at IS NULL AND s.expires_at > ? AND a.disabled_at IS NULL")


def session_key(secret: str) -> str:
    """What a session is known by in the database (and to ``live_sessions``)."""
    return _sha256(secret)


async def live_sessions(keys: Collection[str]) -> set[str]:
    """Which of these sessions (``session_key``) still count, in one query."""
    if not keys:
        return set()
    wanted = sorted(keys)
    rows = await current_engine().fetch(
        f"SELECT s.secret_hash {_LIVE_SESSION}"
        f" AND s.secret_hash IN ({', '.join('?' * len(wanted))})", [clock.now(), *wanted])
    return {r["secret_hash"] for r in rows}


async def resolve_session(secret: str) -> Principal | None:
    """The account behind a session cookie, or None when it is unknown, ended or expired.
    A contact person's session (its own prefix and table) gives the ``employer_contact``
    caller of ``event_ops.access.contacts``, which no staff permission names."""
    from event_ops.access.contacts import CONTACT_PREFIX, resolve_contact_session

    if secret.startswith(CONTACT_PREFIX):
        return await resolve_contact_session(secret)
    if not secret.startswith(SESSION_PREFIX) or len(secret) > 100:
        return None
    db = current_engine()
    rows = await db.fetch(
        f"SELECT a.id, a.role, a.name {_LIVE_SESSION} AND s.secret_hash = ?",
        [clock.now(), _sha256(secret)])
    if not rows:
        return None
    account = rows[0]
    events: frozenset[int] | None = None
    if account["role"] != "organiser_admin":
        scoped = await db.fetch("SELECT event FROM account_event WHERE account = ?",
                                [account["id"]])
        events = frozenset(r["event"] for r in scoped)
    return Principal(actor=f"account:{account['id']}", role=account["role"], events=events,
                     label=account["name"], account_id=account["id"])


# ---- second factor ----------------------------------------------------------------------

async def enable_totp(account_id: int, secret: str, code: str) -> None:
    """Turn on the second factor once the person shows their app produces the right code.
    Once it is on, it cannot be replaced from a session: someone at an unattended browser
    must not move it to their own phone (an admin resets it)."""
    step = credentials.confirm_new_totp(secret, code)
    rows = await current_engine().fetch(
        "UPDATE account SET totp_secret = ?, totp_last_step = ? WHERE id = ?"
        " AND totp_secret IS NULL RETURNING id", [secret, step, account_id])
    if not rows:
        raise DomainError("totp_already_on", "Two-step login is on already.")
    await audit.record(f"account:{account_id}", "account.totp_enabled",
                       subject_type="account", subject_id=account_id)


async def reset_totp(account_id: int, *, actor: str) -> None:
    """An admin turns two-step login off (a lost phone); the person sets it up again."""
    await current_engine().fetch(
        "UPDATE account SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?",
        [account_id])
    await audit.record(actor, "account.totp_reset", subject_type="account",
                       subject_id=account_id)


async def account_summary(account_id: int) -> dict:
    rows = await current_engine().fetch(
        "SELECT id, email, name, role, totp_secret IS NOT NULL AS totp FROM account"
        " WHERE id = ?", [account_id])
    if not rows:
        raise DomainError("not_found", "There is no such account.")
    return dict(rows[0])


async def events_for(principal: Principal) -> list[dict]:
    """The events this account works on, newest first: every event for an admin."""
    db = current_engine()
    if principal.events is None:
        rows = await db.fetch("SELECT id, slug, name, kind, starts_at FROM event"
                              " ORDER BY starts_at DESC", [])
    else:
        rows = await db.fetch(
            "SELECT e.id, e.slug, e.name, e.kind, e.starts_at FROM event e"
            " JOIN account_event ae ON ae.event = e.id WHERE ae.account = ?"
            " ORDER BY e.starts_at DESC", [principal.account_id])
    return [dict(r) for r in rows]


DEMO_ADMIN_EMAIL = "admin@demo.event-ops.local"


async def ensure_demo_admin() -> str:
    """The demo's organiser admin (``eventops demo`` only), with a random password that is
    printed once, when the account is made. Never load the demo into a real database."""
    rows = await current_engine().fetch("SELECT id FROM account WHERE email = ?",
                                        [DEMO_ADMIN_EMAIL])
    if rows:
        return (f"demo admin {DEMO_ADMIN_EMAIL} exists (its password was printed when it was"
                " made; `eventops account create` makes another)")
    password = secrets.token_urlsafe(12)
    await create_account(DEMO_ADMIN_EMAIL, "Demo organiser", "organiser_admin", password,
                         actor="demo")
    return f"log in at /login as {DEMO_ADMIN_EMAIL} with password {password}"
