"""What a scanned badge means, given its registration as stored. Pure: no database, no HTTP.

The door (``checkin/scan.py``) and the employers' stands (``event_ops/interests/service.py``)
both ask this one table, after the badge's signature was checked (``badges/token.py``
decides ``invalid``, ``wrong_event`` and the offline ``revoked`` before anything is read).

Input: the registration's row as stored (``status``, its current ``badge_serial``, checked
in or not), or ``None`` for every field when there is no such registration of this event;
and the serial on the scanned badge (``None``: door staff checked someone in by id, without
a badge in hand, so there is no serial to compare).

    registration                          serial on the badge   → state
    none, or on the waiting list          any                   → unknown
    cancelled                             any                   → revoked
    registered, badge re-issued since     not the current one   → revoked
    registered, not checked in            current, or none      → not_checked_in
    registered, checked in                current, or none      → checked_in

What each place answers for a state is a table too: ``DOOR`` (the door's answer when its
check-in did not win; a won check-in is ``ok`` and never asks) and ``STAND`` (the refusal at
a stand, ``None`` when the visitor may be scanned). The texts for people live in
``MESSAGES``, once, keyed by the answer's code (the API's ``status`` / ``error``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

UNKNOWN = "unknown"
REVOKED = "revoked"
NOT_CHECKED_IN = "not_checked_in"
CHECKED_IN = "checked_in"

#: The answers of a scan, by code (door ``status``, stand ``error``), in words for people.
MESSAGES: dict[str, str] = {
    "ok": "Welcome!",
    "already_checked_in": "This badge was checked in already.",
    "invalid": "This is not a valid badge of ours.",
    "unknown": "We do not know this badge.",
    "wrong_event": "This badge is for another event.",
    "revoked": "This badge is no longer valid.",
    "not_open": "Check-in for this event is not open now.",
    "not_checked_in":
        "This visitor has not been checked in at the door yet. Ask them to check in first.",
}

#: The door's answer per state, when its conditional check-in did not change the row. A
#: registered badge not checked in only gets here when an undo raced the scan; it was
#: checked in a moment ago, so the answer stays ``already_checked_in``.
DOOR: dict[str, str] = {
    UNKNOWN: "unknown",
    REVOKED: "revoked",
    NOT_CHECKED_IN: "already_checked_in",
    CHECKED_IN: "already_checked_in",
}

#: The refusal at an employer's stand per state; ``None``: show the visitor's card.
STAND: dict[str, str | None] = {
    UNKNOWN: "unknown",
    REVOKED: "revoked",
    NOT_CHECKED_IN: "not_checked_in",
    CHECKED_IN: None,
}


def badge_state(registration: Mapping[str, Any] | None, scanned_serial: int | None) -> str:
    """The state of a scanned badge (one of the four constants above), from the table in the
    module docstring.

    ``registration``: the stored row with at least ``status``, ``badge_serial`` and
    ``checked_in_at`` (None: not checked in), or None when the event has no such
    registration. Statuses other than ``waiting_list`` and ``cancelled`` count as
    registered. Never raises for such a row."""
    if registration is None:
        return UNKNOWN
    status = registration["status"]
    if status == "waiting_list":
        return UNKNOWN
    if status == "cancelled" or (scanned_serial is not None
                                 and scanned_serial != registration["badge_serial"]):
        return REVOKED
    return NOT_CHECKED_IN if registration["checked_in_at"] is None else CHECKED_IN
