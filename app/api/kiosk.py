"""The self-service kiosk: a visitor checks in by showing their badge QR, or signs up as a
walk-in; either way the badge goes to the kiosk's print station. The answers carry the first
name only (what the badge prints), never a badge link: the badge comes out of the printer."""

from __future__ import annotations

import msgspec
from litestar import post

from app.api.auth import api_router, requires
from badges.labels import DEFAULT_FORMAT, FORMATS
from checkin.scan import ScanInput, check_in
from checkin.walkin import WalkinInput, walk_in
from event_ops.access.tokens import Principal
from event_ops.events.tables import Event
from event_ops.printing import jobs
from event_ops.types import DbId

# Statuses after which the kiosk prints the badge: just let in, or let in before (a
# visitor whose printed badge got lost, or whose print failed, scans again).
PRINT_AFTER = ("ok", "already_checked_in")


class KioskPrint(msgspec.Struct, kw_only=True):
    station: DbId | None = None
    format: str = DEFAULT_FORMAT


class KioskCheckin(KioskPrint, kw_only=True):
    token: str


class KioskWalkin(WalkinInput, kw_only=True):
    station: DbId | None = None
    format: str = DEFAULT_FORMAT


class KioskAnswer(msgspec.Struct, omit_defaults=True):
    status: str
    first_name: str = ""
    print_job: int | None = None
    detail: str = ""


async def _print(event: Event, principal: Principal, registration_id: int,
                 choice: KioskPrint | KioskWalkin) -> int | None:
    if choice.station is None:
        return None
    job = await jobs.send_to_station(event.id, choice.station, registration_id, choice.format,
                                     principal.actor, FORMATS)
    return int(job["id"])


@post("/events/{slug:str}/kiosk/checkin", status_code=200, opt=requires("kiosk.use"))
async def kiosk_checkin(event: Event, principal: Principal, data: KioskCheckin) -> KioskAnswer:
    """Check in by the badge QR shown on a phone; then print the badge at the station."""
    result, _ = await check_in(event, principal, ScanInput(token=data.token))
    if result.status not in PRINT_AFTER or result.registration is None:
        return KioskAnswer(result.status, detail=result.detail)
    job = await _print(event, principal, result.registration.id, data)
    return KioskAnswer(result.status, result.registration.name, job)


@post("/events/{slug:str}/kiosk/walkins", status_code=201, opt=requires("kiosk.use"))
async def kiosk_walkin(event: Event, principal: Principal, data: KioskWalkin) -> KioskAnswer:
    """Sign up at the kiosk (consent given at the kiosk), check in, print the badge. A
    visitor whose e-mail address we know already gets the badge by mail, not printed: the
    kiosk cannot tell whether the address is theirs."""
    outcome, result = await walk_in(event, principal, data, "kiosk")
    first = result.registration.name if result.registration else ""
    if outcome.status != "registered":
        return KioskAnswer(outcome.status, first)
    if not outcome.answer_may_link:
        return KioskAnswer("check_email", first)
    job = await _print(event, principal, outcome.registration_id, data)
    return KioskAnswer(result.status, first, job)


ROUTER = api_router("/api/v1", [kiosk_checkin, kiosk_walkin], tags=["kiosk"])
