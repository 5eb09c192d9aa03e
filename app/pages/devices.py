"""The organiser's devices page: show a pairing QR for a door or a stand tablet, see every
paired device of the event, and revoke one. Server-rendered forms; no script needed."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from badges.qr import qr_data_uri
from event_ops.access.devices import list_devices, pairing_request, revoke_device
from event_ops.access.pairing import DEVICE_ROLES, create_pairing
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.types import parse_db_id


async def _page(request: Request, event: Event, principal: Principal, *, status_code: int = 200,
                pairing: dict | None = None, error: str | None = None) -> Template:
    employers = await current_engine().fetch(
        "SELECT id, name FROM employer WHERE event = ? ORDER BY name", [event.id])
    names = {e["id"]: e["name"] for e in employers}
    devices = [{**d, "employer_name": names.get(d["employer"], "")}
               for d in await list_devices(event.id, principal)]
    return render(request, "devices.html", status_code=status_code, event=event,
                  devices=devices, employers=employers, roles=DEVICE_ROLES,
                  pairing=pairing, error=error, revoked=request.query_params.get("revoked"))


async def _event_and_caller(request: Request, slug: str) -> tuple[Event, Principal] | Redirect:
    """The event and the logged-in caller who may manage its devices, or the redirect to
    the login page; no such event or no permission: the error page (app/errors.py)."""
    event = await get_event(slug)
    principal = await page_caller(request, event.id, "devices.manage")
    if not isinstance(principal, Principal):
        return principal
    return event, principal


@get("/events/{slug:str}/devices", name="devices", include_in_schema=False)
async def devices_page(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _page(request, *found)


@post("/events/{slug:str}/devices", name="devices_pair", include_in_schema=False)
async def devices_pair(request: Request, slug: str) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    form = await request.form()
    employer = str(form.get("employer_id", ""))
    try:
        role, employer_id = pairing_request(principal, str(form.get("role", "")),
                                            parse_db_id(employer))
        code, expires = await create_pairing(event, role=role, label=str(form.get("label", "")),
                                             actor=principal.actor, employer_id=employer_id)
    except DomainError as exc:
        # The form again, the reason above it.
        return await _page(request, event, principal, status_code=status_for(exc.code),
                           error=t(message_key_for(exc.code), page_language(request)))
    url = f"{request.app.state.settings.base_url}/pair#{code}"
    return await _page(request, event, principal, status_code=201, pairing={
        "url": url, "qr": qr_data_uri(url), "expires_at": expires,
        "label": str(form.get("label", "")), "role": role})


@post("/events/{slug:str}/devices/{device_id:int}/revoke", name="devices_revoke",
      include_in_schema=False)
async def devices_revoke(request: Request, slug: str, device_id: int) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    try:
        await revoke_device(event.id, device_id, principal)
    except DomainError as exc:
        return await _page(request, event, principal, status_code=status_for(exc.code),
                           error=t(message_key_for(exc.code), page_language(request)))
    return Redirect(f"/events/{slug}/devices?revoked={device_id}")


ROUTES = [devices_page, devices_pair, devices_revoke]
