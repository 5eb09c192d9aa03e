from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Request, get, post
from litestar.datastructures import State

from app.api.auth import staff
from app.api.params import PathId
from badges.qr import qr_data_uri
from checkin.door import search_registrations
from checkin.scan import CheckinResult, ScanInput, check_in
from event_ops.access.devices import list_devices, pairing_request, revoke_device
from event_ops.access.pairing import create_pairing, redeem_pairing
from event_ops.people.registration import RegistrationInput, answer_badge_url, register
from event_ops.types import DbId


class FoundVisitor(msgspec.Struct):
    id: int
    name: str
    status: str
    checked_in_at: dt.datetime | None
    checked_in_door: str | None


@get("/api/v1/events/{slug:str}/visitors", tags=["door"])
async def find_visitors(request: Request, slug: str, q: str = "") -> list[FoundVisitor]:
    """Door staff look up someone who has no badge with them."""
    principal, event = await staff(request, slug, "visitor.search")
    return msgspec.convert(await search_registrations(event.id, q, principal),
                           list[FoundVisitor])


class WalkIn(msgspec.Struct):
    registration_id: int
    status: str
    badge_url: str | None
    checkin: CheckinResult


@post("/api/v1/events/{slug:str}/walkins", status_code=201, tags=["door"])
async def walk_in(request: Request, slug: str, data: RegistrationInput, state: State) -> WalkIn:
    """Register someone at the door (they agree to the terms there) and check them in.
    ``badge_url`` is null for an address that belongs to a visitor already (the badge goes
    to that address by e-mail)."""
    principal, event = await staff(request, slug, "checkin.scan")
    outcome = await register(event, data)
    result, _ = (
        await check_in(event, principal, ScanInput(registration_id=outcome.registration_id))
        if outcome.status == "registered"
        else (CheckinResult(status="unknown", detail="The event is full."), None)
    )
    # A typed address of someone we know already gets no badge link: it goes by mail.
    return WalkIn(outcome.registration_id, outcome.status,
                  answer_badge_url(state.settings, outcome), result)


class PairingIn(msgspec.Struct):
    role: str
    label: str
    employer_id: DbId | None = None


class PairingOut(msgspec.Struct):
    code: str
    pair_url: str
    expires_at: dt.datetime
    qr: str  # pair_url as a QR code, a data: URI of a PNG to show on screen


@post("/api/v1/events/{slug:str}/pairings", status_code=201, tags=["devices"])
async def new_pairing(request: Request, slug: str, data: PairingIn, state: State) -> PairingOut:
    """An organiser asks for a one-time pairing code; show ``pair_url`` as a QR."""
    principal, event = await staff(request, slug, "devices.pair")
    role, employer_id = pairing_request(principal, data.role, data.employer_id)
    code, expires = await create_pairing(event, role=role, label=data.label,
                                         actor=principal.actor, employer_id=employer_id)
    url = f"{state.settings.base_url}/pair#{code}"
    return PairingOut(code, url, expires, qr_data_uri(url))


class Device(msgspec.Struct):
    id: int
    role: str
    label: str
    employer: int | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@get("/api/v1/events/{slug:str}/devices", tags=["devices"])
async def event_devices(request: Request, slug: str) -> list[Device]:
    """Paired devices and API tokens (never the tokens themselves). An employer admin sees
    only its own scan-only tablets."""
    principal, event = await staff(request, slug, "devices.manage")
    return msgspec.convert(await list_devices(event.id, principal), list[Device])


@post("/api/v1/events/{slug:str}/devices/{device_id:int}/revoke", tags=["devices"])
async def revoke(request: Request, slug: str, device_id: PathId) -> dict:
    """Revoke a device's token: it stops working at once here, within 10 s everywhere."""
    principal, event = await staff(request, slug, "devices.manage")
    await revoke_device(event.id, device_id, principal)
    return {"revoked": device_id}


class Paired(msgspec.Struct):
    token: str
    event: str
    role: str
    label: str
    employer_id: int | None


@post("/api/v1/pair/{code:str}", status_code=201, tags=["devices"])
async def pair_device(code: str) -> Paired:
    """A device redeems a pairing code (once) and receives its own bearer token."""
    token, info = await redeem_pairing(code)
    return Paired(token=token, **info)
