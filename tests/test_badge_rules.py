"""The one table of what a scanned badge means (event_ops/people/badge_rules.py), cell by
cell: pure, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from event_ops.people.badge_rules import (
    CHECKED_IN,
    DOOR,
    MESSAGES,
    NOT_CHECKED_IN,
    REVOKED,
    STAND,
    UNKNOWN,
    badge_state,
)

AT = dt.datetime(2027, 4, 15, 10, 2, tzinfo=dt.UTC)


def row(status: str, serial: int = 2, checked_in: bool = False) -> dict:
    return {"status": status, "badge_serial": serial, "checked_in_at": AT if checked_in else None}


@pytest.mark.parametrize(("registration", "scanned", "state"), [
    # No such registration of this event, whatever the badge says.
    (None, 1, UNKNOWN),
    (None, None, UNKNOWN),
    # On the waiting list: no badge is valid yet.
    (row("waiting_list"), 2, UNKNOWN),
    (row("waiting_list"), None, UNKNOWN),
    (row("waiting_list", checked_in=True), 2, UNKNOWN),
    # Cancelled: every badge of it, also the current one, also by id at the door.
    (row("cancelled"), 2, REVOKED),
    (row("cancelled"), None, REVOKED),
    (row("cancelled", checked_in=True), 2, REVOKED),
    # Re-issued: an older serial is revoked, checked in or not.
    (row("registered"), 1, REVOKED),
    (row("registered", checked_in=True), 1, REVOKED),
    # The current badge, or by id without one.
    (row("registered"), 2, NOT_CHECKED_IN),
    (row("registered"), None, NOT_CHECKED_IN),
    (row("registered", checked_in=True), 2, CHECKED_IN),
    (row("registered", checked_in=True), None, CHECKED_IN),
])
def test_badge_state_table(registration: dict | None, scanned: int | None, state: str) -> None:
    assert badge_state(registration, scanned) == state


@pytest.mark.parametrize(("state", "door", "stand"), [
    (UNKNOWN, "unknown", "unknown"),
    (REVOKED, "revoked", "revoked"),
    # At the door the check-in did not win; it was checked in a moment ago (undo race).
    (NOT_CHECKED_IN, "already_checked_in", "not_checked_in"),
    (CHECKED_IN, "already_checked_in", None),
])
def test_answers_per_place(state: str, door: str, stand: str | None) -> None:
    assert DOOR[state] == door
    assert STAND[state] == stand


def test_every_answer_has_one_message() -> None:
    """The codes the contract names for a scan, and the stand's refusals, each have a text."""
    contract = {"ok", "already_checked_in", "invalid", "unknown", "wrong_event", "revoked",
                "not_open"}
    answers = contract | set(DOOR.values()) | {s for s in STAND.values() if s}
    assert answers <= set(MESSAGES)
    assert all(MESSAGES[code].strip() for code in answers)
