"""Device pairing: an organiser shows a one-time QR; the device that scans it gets a token."""

from __future__ import annotations

import datetime as dt
import secrets

from event_ops import audit, clock
from event_ops.access.tokens import create_token, hash_token
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.events.tables import Event

PAIRING_LIFETIME = dt.timedelta(minutes=10)
DEVICE_ROLES = ("door", "employer", "employer_tablet", "organiser", "print_station", "kiosk")


async def create_pairing(
    event: Event, *, role: str, label: str, actor: str, employer_id: int | None = None
) -> tuple[str, dt.datetime]:
    if role not in DEVICE_ROLES:
        raise DomainError("bad_role", f"Role must be one of {', '.join(DEVICE_ROLES)}.")
    if not label.strip():
        raise DomainError("bad_label", "Give the device a name, e.g. 'Door North'.")
    if employer_id is not None and not await current_engine().fetch(
            "SELECT id FROM employer WHERE id = ? AND event = ?", [employer_id, event.id]):
        raise DomainError("employer_not_found", "That employer is not part of this event.")
    code = secrets.token_urlsafe(24)
    expires = clock.now() + PAIRING_LIFETIME
    await current_engine().fetch(
        "INSERT INTO pairing_code (event, role, employer, label, code_hash, expires_at,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [event.id, role, employer_id, label.strip()[:200], hash_token(code), expires,
         clock.now()],
    )
    await audit.record(actor, "pairing.created", event_id=event.id, subject_type="pairing")
    return code, expires


async def redeem_pairing(code: str) -> tuple[str, dict]:
    """Use a pairing code once; returns the new device token and what it is for."""
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        rows = await db.fetch(
            "UPDATE pairing_code SET used_at = ? WHERE code_hash = ? AND used_at IS NULL"
            " AND expires_at > ? RETURNING event, role, employer, label",
            [now, hash_token(code), now],
        )
        if not rows:
            raise DomainError(
                "pairing_invalid",
                "This pairing code is not valid: it was used already or has expired. "
                "Ask the organiser for a new one.",
            )
        row = rows[0]
        event = await Event.objects().where(Event.id == row["event"]).first()
        assert event is not None
        token = await create_token(event, role=row["role"], label=row["label"],
                                   employer_id=row["employer"])
    return token, {"event": event.slug, "role": row["role"], "label": row["label"],
                   "employer_id": row["employer"]}
