"""Devices: pair a door phone or stand tablet with a one-time code, list and revoke them."""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Request, get, post

from app.api.auth import PUBLIC, api_router, requires
from app.api.params import PathId
from badges.qr import qr_data_uri
from event_ops.access.devices import list_devices, pairing_request, revoke_device
from event_ops.access.pairing import create_pairing, redeem_pairing
from event_ops.access.tokens import Principal
from event_ops.events.tables import Event
from event_ops.types import DbId


class PairingIn(msgspec.Struct):
    role: str
    label: str
    employer_id: DbId | None = None


class PairingOut(msgspec.Struct):
    code: str
    pair_url: str
    expires_at: dt.datetime
    qr: str  # pair_url as a QR code, a data: URI of a PNG to show on screen


@post("/events/{slug:str}/pairings", status_code=201, opt=requires("devices.pair"))
async def new_pairing(request: Request, event: Event, principal: Principal,
                      data: PairingIn) -> PairingOut:
    """An organiser asks for a one-time pairing code; show ``pair_url`` as a QR."""
    role, employer_id = pairing_request(principal, data.role, data.employer_id)
    code, expires = await create_pairing(event, role=role, label=data.label,
                                         actor=principal.actor, employer_id=employer_id)
    url = f"{request.app.state.settings.base_url}/pair#{code}"
    return PairingOut(code, url, expires, qr_data_uri(url))


class Device(msgspec.Struct):
    id: int
    role: str
    label: str
    employer: int | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@get("/events/{slug:str}/devices", opt=requires("devices.manage"))
async def event_devices(event: Event, principal: Principal) -> list[Device]:
    """Paired devices and API tokens (never the tokens themselves). An employer admin sees
    only its own scan-only tablets."""
    return msgspec.convert(await list_devices(event.id, principal), list[Device])


@post("/events/{slug:str}/devices/{device_id:int}/revoke", opt=requires("devices.manage"))
async def revoke(event: Event, principal: Principal, device_id: PathId) -> dict:
    """Revoke a device's token: it stops working at once here, within 10 s everywhere."""
    await revoke_device(event.id, device_id, principal)
    return {"revoked": device_id}


class Paired(msgspec.Struct):
    token: str
    event: str
    role: str
    label: str
    employer_id: int | None


@post("/pair/{code:str}", status_code=201, opt=requires(PUBLIC))
async def pair_device(code: str) -> Paired:
    """A device redeems a pairing code (once) and receives its own bearer token."""
    token, info = await redeem_pairing(code)
    return Paired(token=token, **info)


ROUTER = api_router("/api/v1", [new_pairing, event_devices, revoke, pair_device],
                    tags=["devices"])
