"""Walk-ins: someone signs up on the spot, at a desk (a door device) or a kiosk, and is
checked in at once; their badge is ready straight away and can go to a print station.

Contract:
* E-mail is optional. Without one a new visitor is made every time, no mail is ever sent,
  and the desk's answer (or the printed badge) is the only way to the badge. With an
  address that belongs to a visitor already, the answer carries no badge link (the badge
  goes by mail to that address), exactly as for an online sign-up.
* The registration's ``source`` is ``walkin``; consent is recorded as given at the desk or
  kiosk, on which device (``token:<id> <label>``), with the wording version of the day.
* The walk-in is checked in through the same ``check_in`` as a door scan (scan log, live
  feed, exactly-once), at the device's own label as the door.
"""

from __future__ import annotations

import msgspec

from checkin.scan import CheckinResult, ScanInput, check_in
from event_ops.access.tokens import Principal
from event_ops.events.tables import Event
from event_ops.people.registration import (
    ConsentContext,
    RegistrationInput,
    RegistrationOutcome,
    register,
)


class WalkinInput(msgspec.Struct, kw_only=True):
    """What a desk or kiosk sends (CONTRACT v1.1). ``email`` and ``phone`` are optional."""

    name: str
    email: str | None = None
    phone: str | None = None
    consent_terms: bool = False
    consent_share_profile: bool = False
    competencies: list[str] = []
    sectors: list[str] = []
    postcode: str | None = None
    language: str = "nl"


def consent_context(principal: Principal, channel: str) -> ConsentContext:
    """Where consent is given: the channel and the paired device that took it."""
    return ConsentContext(channel=channel, device=f"{principal.actor} {principal.label}".strip())


async def walk_in(event: Event, principal: Principal, data: WalkinInput,
                  channel: str = "desk") -> tuple[RegistrationOutcome, CheckinResult]:
    """Register a walk-in and check them in (when there was a place)."""
    outcome = await register(
        event,
        RegistrationInput(
            name=data.name, email=data.email or "", phone=data.phone, postcode=data.postcode,
            competencies=data.competencies, sectors=data.sectors,
            consent_terms=data.consent_terms, consent_share_profile=data.consent_share_profile,
            language=data.language,
        ),
        source="walkin", consent=consent_context(principal, channel), actor=principal.actor,
    )
    if outcome.status != "registered":
        return outcome, CheckinResult(status="unknown", detail="The event is full.")
    result, _ = await check_in(event, principal,
                               ScanInput(registration_id=outcome.registration_id))
    return outcome, result
