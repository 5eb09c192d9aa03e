"""Door check-in: verify the badge, check the person in exactly once, log every scan.

Order matters for speed and safety: the badge signature is checked in memory (cached
public keys) before the database is touched; then one conditional ``UPDATE`` decides the
check-in. Two doors scanning one badge at the same moment both run that ``UPDATE``; the
database lets exactly one of them change the row (SQLite: single writer; PostgreSQL: the
second waits for the row lock and then no longer matches ``checked_in_at IS NULL``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import msgspec

from badges.service import verify_badge
from badges.token import TokenError
from event_ops import audit, clock, notices
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.events.tables import Event
from event_ops.people.badge_rules import DOOR, MESSAGES, badge_state
from event_ops.printing.jobs import print_stats
from event_ops.types import DbId

UNDO_WINDOW = dt.timedelta(minutes=15)
# A scan that reaches the server this much later than it was made was queued offline.
LATE_AFTER = dt.timedelta(seconds=30)
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)


class ScanInput(msgspec.Struct, kw_only=True):
    token: str | None = None
    # Door staff who found someone by name (no badge with them) check in by id instead.
    registration_id: DbId | None = None
    door: str | None = None
    scanned_at: dt.datetime | None = None
    nonce: str | None = None


class CheckinRegistration(msgspec.Struct):
    id: int
    name: str


class CheckinResult(msgspec.Struct, omit_defaults=True):
    status: str
    detail: str = ""
    registration: CheckinRegistration | None = None
    first_checkin_at: dt.datetime | None = None
    first_door: str | None = None
    conflict: bool = False


@dataclass(frozen=True, slots=True)
class ScanRecord:
    """What was stored, for the live feed."""

    event_id: int
    status: str
    door: str
    at: dt.datetime
    conflict: bool
    late: bool
    registration_id: int | None = None


def _first_name(name: str) -> str:
    return name.split(" ")[0]


def _result(status: str, **kw: Any) -> CheckinResult:
    return CheckinResult(status=status, detail=MESSAGES[status], **kw)


async def _identify(event: Event, data: ScanInput) -> tuple[int | None, int | None, str | None]:
    """(registration id, serial, failure status) from the badge token, in memory only."""
    if data.registration_id is not None:
        return data.registration_id, None, None
    if not data.token:
        return None, None, "invalid"
    try:
        claim = await verify_badge(data.token, event.id)
    except TokenError as exc:
        return None, None, exc.code
    return claim.registration_id, claim.serial, None


def _window_status(event: Event, when: dt.datetime) -> str | None:
    opens, closes = event.checkin_opens_at, event.checkin_closes_at
    if (opens is not None and when < opens) or (closes is not None and when > closes):
        return "not_open"
    return None


async def replayed(device_id: int | None, nonce: str) -> CheckinResult | None:
    rows = await current_engine().fetch(
        "SELECT response FROM scan_log WHERE device = ? AND nonce = ?", [device_id, nonce]
    )
    if not rows:
        return None
    raw = rows[0]["response"]
    return msgspec.json.decode(raw if isinstance(raw, (str, bytes)) else msgspec.json.encode(raw),
                               type=CheckinResult)


async def _check_in(
    event: Event, device: Principal, data: ScanInput
) -> tuple[CheckinResult, ScanRecord | None]:
    if data.nonce is not None:
        if len(data.nonce) > 64:
            raise DomainError("bad_request", "A nonce has at most 64 characters.")
        previous = await replayed(device.token_id, data.nonce)
        if previous is not None:
            return previous, None
    received = clock.now()
    scanned = data.scanned_at or received
    if scanned.tzinfo is None:
        raise DomainError("bad_request", "scanned_at needs a time zone, e.g. 2027-04-15T10:02:00Z")
    if scanned > received + MAX_CLOCK_SKEW:
        raise DomainError("bad_request", "scanned_at lies in the future; check the device clock.")
    door = (data.door or device.label)[:64]
    late = received - scanned > LATE_AFTER

    registration_id, serial, failure = await _identify(event, data)
    if failure is None:
        failure = _window_status(event, scanned)
    db = current_engine()
    conflict = False
    async with db.transaction():
        if failure is not None:
            result = _result(failure)
        else:
            # _identify gives a registration whenever it finds no failure (for the checker).
            assert registration_id is not None
            result, conflict = await _decide(event, registration_id, serial, door, scanned, late)
        try:
            await db.fetch(
                "INSERT INTO scan_log (event, device, door, registration_id, serial, status,"
                " scanned_at, received_at, nonce, conflict, response)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [event.id, device.token_id, door, registration_id, serial, result.status,
                 scanned, received, data.nonce, conflict,
                 msgspec.json.encode(result).decode()],
            )
        except Exception:
            if data.nonce is None:
                raise
            # The same nonce raced us from the same device: roll back, answer as it was.
            raise _NonceRace() from None
    return result, ScanRecord(event.id, result.status, door, scanned, conflict, late,
                              registration_id if result.status == "ok" else None)


class _NonceRace(Exception):
    pass


async def check_in(
    event: Event, device: Principal, data: ScanInput
) -> tuple[CheckinResult, ScanRecord | None]:
    """Handle one scan. Returns the answer, and what the live feed was told (None for a
    replayed nonce: that scan was shown already). After the commit the stored scan goes to
    the live feed (``notices.SCANNED``): the check-in publishes itself, not its caller."""
    try:
        result, record = await _check_in(event, device, data)
    except _NonceRace:
        assert data.nonce is not None
        previous = await replayed(device.token_id, data.nonce)
        assert previous is not None
        return previous, None
    if record is not None:
        notices.tell(notices.SCANNED, record)
    return result, record


async def _decide(
    event: Event, registration_id: int, serial: int | None, door: str,
    scanned: dt.datetime, late: bool,
) -> tuple[CheckinResult, bool]:
    db = current_engine()
    serial_clause = "" if serial is None else " AND badge_serial = ?"
    args: list = [scanned, door, registration_id, event.id]
    if serial is not None:
        args.append(serial)
    # The name comes back with the winning UPDATE: one statement instead of two.
    won = await db.fetch(
        "UPDATE registration SET checked_in_at = ?, checked_in_door = ?"
        " WHERE id = ? AND event = ? AND status = 'registered' AND checked_in_at IS NULL"
        + serial_clause
        + " RETURNING (SELECT name FROM visitor WHERE visitor.id = registration.visitor) AS name",
        args,
    )
    if won:
        return _result(
            "ok", registration=CheckinRegistration(registration_id, _first_name(won[0]["name"])),
            first_checkin_at=scanned, first_door=door,
        ), False
    rows = await db.fetch(
        "SELECT r.status, r.badge_serial, r.checked_in_at, r.checked_in_door, v.name"
        " FROM registration r JOIN visitor v ON v.id = r.visitor WHERE r.id = ? AND r.event = ?",
        [registration_id, event.id],
    )
    # The one table of what a badge means (event_ops/people/badge_rules.py).
    answer = DOOR[badge_state(rows[0] if rows else None, serial)]
    if answer != "already_checked_in":
        return _result(answer), False
    row = rows[0]
    # Two offline doors let the same badge in: flag it for the organisers.
    conflict = late and row["checked_in_door"] != door
    return _result(
        "already_checked_in",
        registration=CheckinRegistration(registration_id, _first_name(row["name"])),
        first_checkin_at=row["checked_in_at"], first_door=row["checked_in_door"],
        conflict=conflict,
    ), conflict


async def undo_check_in(event: Event, device: Principal, registration_id: int) -> None:
    """Undo a check-in this device made in the last 15 minutes (a mis-scan)."""
    db = current_engine()
    now = clock.now()
    async with db.transaction():
        rows = await db.fetch(
            "SELECT id, received_at, door FROM scan_log WHERE event = ? AND device = ?"
            " AND registration_id = ? AND status = 'ok' ORDER BY id DESC LIMIT 1",
            [event.id, device.token_id, registration_id],
        )
        if not rows or now - rows[0]["received_at"] > UNDO_WINDOW:
            raise DomainError(
                "undo_not_allowed",
                "Only the device that checked someone in can undo it, within 15 minutes.",
            )
        changed = await db.fetch(
            "UPDATE registration SET checked_in_at = NULL, checked_in_door = NULL"
            " WHERE id = ? AND event = ? AND checked_in_at IS NOT NULL RETURNING id",
            [registration_id, event.id],
        )
        if not changed:
            raise DomainError("undo_not_allowed", "This person is not checked in.")
        await db.fetch(
            "INSERT INTO scan_log (event, device, door, registration_id, status, scanned_at,"
            " received_at, conflict, response) VALUES (?, ?, ?, ?, 'undone', ?, ?, ?, '{}')",
            [event.id, device.token_id, rows[0]["door"], registration_id, now, now, False],
        )
        await audit.record(device.actor, "checkin.undone", event_id=event.id,
                           subject_type="registration", subject_id=registration_id)
    notices.tell(notices.STATS, event.id, "undone")  # committed: dashboards count one fewer inside


async def event_stats(event_id: int) -> dict:
    """``registered``: places taken; ``checked_in``: of those, how many came in (a person who
    cancelled after check-in counts in neither, so inside never exceeds signed up). The one
    definition: ``/stats``, the dashboard snapshot and every live message use it."""
    # Counts over every registration of the event: milliseconds with tens of thousands.
    db = current_engine()
    registered = (await db.fetch_off_loop(
        "SELECT COUNT(*) AS n FROM registration WHERE event = ? AND status = 'registered'",
        [event_id],
    ))[0]["n"]
    doors = await db.fetch_off_loop(
        "SELECT checked_in_door AS door, COUNT(*) AS n FROM registration"
        " WHERE event = ? AND status = 'registered' AND checked_in_at IS NOT NULL"
        " GROUP BY checked_in_door",
        [event_id],
    )
    by_door = {d["door"] or "": d["n"] for d in doors}
    # A walk-in is checked in at the desk (or kiosk) that registered them, at once: its
    # check-in door names that desk.
    desks = await db.fetch_off_loop(
        "SELECT checked_in_door AS door, COUNT(*) AS n FROM registration"
        " WHERE event = ? AND source = 'walkin' AND status = 'registered'"
        " GROUP BY checked_in_door",
        [event_id],
    )
    return {"registered": registered, "checked_in": sum(by_door.values()), "by_door": by_door,
            "walkins_by_desk": {d["door"] or "": d["n"] for d in desks},
            **await print_stats(event_id)}
