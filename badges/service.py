"""Badge keys, tokens, re-issue and the revocation list, on top of the database.

Revocation needs no table of its own: a registration's ``badge_serial`` is the only valid
serial (older serials were re-issued away), and a cancelled registration revokes its
current serial. The list served to devices is derived from those two columns.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from badges.keys import (
    KeyRing,
    decrypt_private_key,
    encrypt_private_key,
    generate_keypair,
)
from badges.token import (
    BAD_SIGNATURE,
    INVALID,
    NO_KEY,
    WRONG_EVENT,
    BadgeClaim,
    TokenError,
    parse_token,
    raw_public_key,
    sign_token,
)
from badges.verifier import verifier
from event_ops import audit, clock, notices
from event_ops.core.caches import Cache
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.links import PURPOSE_BADGE, check_link_token, link_token_id

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Each process keeps an event's keys in memory: the hot path (every scan, every badge) must
# not ask the database. The copy is read again when it is KEYS_RECHECK_SECONDS old, so a key
# rotated or retired by another process or the command line is picked up within that time;
# a notice (event_ops.notices.KEYS, over the control channel) makes it at once. Only the one
# request that finds the copy stale waits for the read (a few rows); requests meanwhile go on
# with the copy they have.
KEYS_RECHECK_SECONDS = 2.0


@dataclass(slots=True)
class _EventKeys:
    """What this process knows of one event's keys, and since when."""

    checked_at: float  # time.monotonic() of the last read
    version: tuple[tuple[int, bool], ...]  # (key id, retired) per key: what changed
    ring: KeyRing
    newest_active: int | None  # the key that signs new badges


# By event id. Kept until a notice drops it; ``_event_keys`` decides when to read again.
_ring_cache: Cache[int, _EventKeys] = Cache("badges.key_rings")
# The private key that signs, decrypted once: (key id, key), used while that id is still
# ``newest_active`` in the event's copy above.
_signing_cache: Cache[int, tuple[int, Ed25519PrivateKey]] = Cache("badges.signing_keys")
_reading: set[int] = set()


async def _keys(event_id: int) -> list[dict]:
    return await current_engine().fetch(
        "SELECT key_id, public_key, retired_at FROM event_key WHERE event = ? ORDER BY key_id",
        [event_id],
    )


async def add_key(event_id: int, settings: Settings) -> int:
    """Create a new signing key for the event; it signs every badge from now on (in other
    processes within ``KEYS_RECHECK_SECONDS``, at once when the control channel is up)."""
    db = current_engine()
    private_raw, public_raw = generate_keypair()
    async with db.transaction():
        rows = await db.fetch(
            "SELECT MAX(key_id) AS k FROM event_key WHERE event = ?", [event_id]
        )
        key_id = (rows[0]["k"] or 0) + 1
        await db.fetch(
            "INSERT INTO event_key (event, key_id, public_key, private_key_enc, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [event_id, key_id, public_raw, encrypt_private_key(private_raw, settings.secret_key),
             clock.now()],
        )
    notices.announce(notices.KEYS, event_id=event_id)
    return key_id


async def retire_key(event_id: int, key_id: int) -> None:
    """Stop verifying badges of this key, and signing with it (everywhere, as ``add_key``).
    When it was the last active key, the next badge makes a new one."""
    await current_engine().fetch(
        "UPDATE event_key SET retired_at = ? WHERE event = ? AND key_id = ?",
        [clock.now(), event_id, key_id],
    )
    notices.announce(notices.KEYS, event_id=event_id)


def _forget(event_id: int) -> None:
    _signing_cache.pop(event_id, None)
    _ring_cache.pop(event_id, None)


def _on_keys_notice(notice: dict) -> None:
    _forget(int(notice["event_id"]))


notices.on(notices.KEYS, _on_keys_notice)


async def _event_keys(event_id: int, *, refresh: bool = False) -> _EventKeys:
    hit = _ring_cache.get(event_id)
    if hit is not None and not refresh:
        age = time.monotonic() - hit.checked_at
        # Stale, but another request is reading it again right now: use the copy meanwhile
        # (for a moment only: a read that hangs does not keep the old copy in use).
        if age < KEYS_RECHECK_SECONDS or (
            event_id in _reading and age < 2 * KEYS_RECHECK_SECONDS
        ):
            return hit
    _reading.add(event_id)
    try:
        rows = await _keys(event_id)
    finally:
        _reading.discard(event_id)
    now = time.monotonic()
    version = tuple((k["key_id"], k["retired_at"] is not None) for k in rows)
    hit = _ring_cache.get(event_id)
    if hit is not None and hit.version == version:
        hit.checked_at = now  # nothing changed: keep the ring, so remembered badges stay
        return hit
    ring = KeyRing()
    active = None
    for k in rows:
        ring.add(event_id, k["key_id"], bytes(k["public_key"]))
        if k["retired_at"] is not None:
            ring.retire(event_id, k["key_id"])
        else:
            active = k["key_id"]
    entry = _ring_cache[event_id] = _EventKeys(now, version, ring, active)
    return entry


async def _first_key(event_id: int, settings: Settings) -> None:
    """Make the event's first active key unless one exists by now. Many badges of a new
    event are asked for at once (a mailing, a page of links), in several processes: this
    MUST leave exactly one new key however many run it, so it inserts only while no active
    key exists, and a key id taken meanwhile by another process is simply not inserted
    (``ON CONFLICT DO NOTHING``; the caller reads the keys again)."""
    db = current_engine()
    private_raw, public_raw = generate_keypair()
    async with db.transaction():
        rows = await db.fetch(
            "SELECT MAX(key_id) AS k, COUNT(*) FILTER (WHERE retired_at IS NULL) AS active"
            " FROM event_key WHERE event = ?", [event_id])
        if rows[0]["active"]:
            return
        await db.fetch(
            "INSERT INTO event_key (event, key_id, public_key, private_key_enc, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event, key_id) DO NOTHING",
            [event_id, (rows[0]["k"] or 0) + 1, public_raw,
             encrypt_private_key(private_raw, settings.secret_key), clock.now()],
        )
    notices.announce(notices.KEYS, event_id=event_id)


# One first-key creation per event at a time in this process (the others wait and reuse it).
_first_key_locks: dict[int, asyncio.Lock] = {}


async def signing_key(event_id: int, settings: Settings) -> tuple[int, Ed25519PrivateKey]:
    """The newest unretired key as ``(key id, private key)``; created on first use."""
    keys = await _event_keys(event_id)
    if keys.newest_active is None:
        async with _first_key_locks.setdefault(event_id, asyncio.Lock()):
            keys = await _event_keys(event_id, refresh=True)
            if keys.newest_active is None:
                await _first_key(event_id, settings)
                keys = await _event_keys(event_id, refresh=True)
    key_id = keys.newest_active
    assert key_id is not None  # add_key made one, or there was one already
    hit = _signing_cache.get(event_id)
    if hit is not None and hit[0] == key_id:
        return hit
    rows = await current_engine().fetch(
        "SELECT private_key_enc FROM event_key WHERE event = ? AND key_id = ?",
        [event_id, key_id],
    )
    entry = (key_id,
             decrypt_private_key(bytes(rows[0]["private_key_enc"]), settings.secret_key))
    _signing_cache[event_id] = entry
    return entry


async def keyring(event_id: int, *, refresh: bool = False) -> KeyRing:
    """Public keys of the event (retired ones marked), at most ``KEYS_RECHECK_SECONDS`` old."""
    return (await _event_keys(event_id, refresh=refresh)).ring


# Tokens whose signature checked out, with the key object that checked it. The same badge is
# scanned again and again (employer tablets scan visitors the door let in; re-scans at the
# door), and an Ed25519 check costs about as much as the rest of the request. A hit is only
# used while the ring still holds that very key object, so retiring the key ends it at once
# (within the ring's cache time, as for uncached tokens). Re-checking the same bytes with the
# same key would give the same answer, so this weakens nothing. Failures are never cached.
# Oldest first: an OrderedDict drops its oldest entry in O(1). (A plain dict does not: after
# many deletions at its front, finding the first live entry walks every deleted slot; that
# was 8 % of a check-in's time.)
VERIFIED_CACHE_SIZE = 16_384
_verified: Cache[str, tuple[BadgeClaim, object]] = Cache("badges.verified_tokens",
                                                         maxsize=VERIFIED_CACHE_SIZE)


async def verify_badge(token: str, event_id: int) -> BadgeClaim:
    """Check a badge's signature in memory (cached keys) for this event.

    Raises ``TokenError``: ``invalid``, or ``wrong_event`` when it is a genuine badge of
    another event (we hold every event's keys, so we can tell). Whether the serial is still
    current is for the caller to check against the registration row it reads anyway.
    """
    hit = _verified.get(token)
    if hit is not None:
        claim, key = hit
        ring = await keyring(claim.event_id)
        if ring.get((claim.event_id, claim.key_id)) is not key:
            hit = None
    if hit is None:
        claim, signed, signature = parse_token(token)
        ring = await keyring(claim.event_id)
        name = (claim.event_id, claim.key_id)
        if name not in ring and not ring.is_retired(*name) and _may_refresh(claim.event_id):
            # A key made moments ago by another process: look again, at most once a second
            # per event, so a flood of forged key ids cannot turn into a flood of queries.
            ring = await keyring(claim.event_id, refresh=True)
        key = ring.get(name)
        if key is None:
            raise TokenError(INVALID, NO_KEY)
        if not await verifier.check(raw_public_key(key), signed, signature):
            raise TokenError(INVALID, BAD_SIGNATURE)
        _verified.put(token, (claim, key))
    if claim.event_id != event_id:
        raise TokenError(WRONG_EVENT, "This badge is for a different event.")
    return claim


# When each event's keys were last read again for an unknown key id (by event id).
_last_refresh: Cache[int, float] = Cache("badges.key_refresh_times")


def _may_refresh(event_id: int) -> bool:
    now = time.monotonic()
    if now - _last_refresh.get(event_id, 0.0) < 1.0:
        return False
    _last_refresh[event_id] = now
    return True


async def token_for(event_id: int, registration_id: int, serial: int, settings: Settings) -> str:
    key_id, private_key = await signing_key(event_id, settings)
    return sign_token(BadgeClaim(event_id, registration_id, serial, key_id), private_key)


async def _revocation_rows(event_id: int) -> list[dict]:
    # Only registrations with a re-issued badge or a cancellation revoke anything.
    return await current_engine().fetch(
        "SELECT id, badge_serial, status FROM registration WHERE event = ?"
        " AND (badge_serial > 1 OR status = 'cancelled')",
        [event_id],
    )


async def published_keys(event_id: int) -> dict:
    """What door and employer devices download to verify badges offline: the active public
    keys and the revocation list in the form ``badges.token.RevocationList`` takes."""
    ring = await keyring(event_id)
    rows = await _revocation_rows(event_id)
    return {
        "event_id": event_id,
        "keys": {str(k): v for k, v in ring.public_keys_b64(event_id).items()},
        "current_serial": {str(r["id"]): r["badge_serial"] for r in rows},
        "cancelled": {str(r["id"]): r["badge_serial"] for r in rows if r["status"] == "cancelled"},
    }


async def reissue(event_id: int, registration_id: int, actor: str) -> int:
    """A lost badge: bump the serial, which revokes every earlier badge of this person."""
    db = current_engine()
    rows = await db.fetch(
        "UPDATE registration SET badge_serial = badge_serial + 1"
        " WHERE id = ? AND event = ? AND status = 'registered' RETURNING badge_serial",
        [registration_id, event_id],
    )
    if not rows:
        raise DomainError("not_found", "No active registration with that id at this event.")
    await audit.record(actor, "badge.reissued", event_id=event_id, subject_type="registration",
                       subject_id=registration_id)
    return int(rows[0]["badge_serial"])



async def registration_for_link(token: str, secret: str) -> tuple[int, int, int]:
    """(registration id, badge serial, event id) of a valid badge link: signed with
    ``secret`` for the registration's current serial, and the registration still
    registered. ``not_found`` otherwise (a re-issued or cancelled badge's link stops at once)."""
    registration_id = link_token_id(token)
    if registration_id is not None:
        rows = await current_engine().fetch(
            "SELECT badge_serial, event FROM registration WHERE id = ?"
            " AND status = 'registered'",
            [registration_id],
        )
        if rows and check_link_token(secret, PURPOSE_BADGE, token, rows[0]["badge_serial"]):
            return registration_id, int(rows[0]["badge_serial"]), int(rows[0]["event"])
    raise DomainError("not_found", "This badge link is not valid (any more).")
