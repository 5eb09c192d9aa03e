from __future__ import annotations

import msgspec
from litestar import MediaType, Request, get, post
from litestar.datastructures import State
from litestar.response import Response, Template

from app.api.auth import api_router, requires
from app.api.params import PathId
from app.errors import error_body
from app.pages.common import render
from badges import service
from badges.content import badge_data
from badges.render import BadgeData
from badges.render_pool import RenderBusy, renderer
from event_ops.access.tokens import Principal
from event_ops.core.caches import TTLCache
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.events.tables import Event
from event_ops.mail.render import badge_url


async def _registration_for_link(token: str) -> tuple[int, int, int]:
    """(registration id, badge serial, event id) of a valid badge link."""
    return await service.registration_for_link(token, _secret())


# What a badge shows, kept for a moment: a flood of requests for one badge then costs one
# indexed query each (the link check above, which also makes a re-issue or cancellation
# count at once) instead of the six ``badge_data`` needs. An entry is used only for the same
# serial and the very signing key it was signed with, so a re-issued badge or a rotated key
# is never served from here; only a changed profile (name, competencies, recommendations)
# shows up to this many seconds late.
BADGE_DATA_SECONDS = 2.0
BADGE_DATA_ENTRIES = 4096
# (registration id, serial) -> (the signing key object, what the badge shows).
_recent: TTLCache[tuple[int, int], tuple[object, BadgeData]] = TTLCache(
    "badges.badge_data", seconds=BADGE_DATA_SECONDS, maxsize=BADGE_DATA_ENTRIES)


async def badge_for_link(token: str, settings: Settings) -> BadgeData:
    registration_id, serial, event_id = await _registration_for_link(token)
    _, signing = await service.signing_key(event_id, settings)
    key = (registration_id, serial)
    hit = _recent.get(key)
    if hit is not None and hit[0] is signing:
        return hit[1]
    data = await badge_data(registration_id, settings)
    _recent.put(key, (signing, data), seconds=BADGE_DATA_SECONDS)  # the constant is the knob
    return data


def _secret() -> str:
    from event_ops.core.settings import get_settings

    return get_settings().secret_key


@get("/badges/{name:str}", name="badge", include_in_schema=False)
async def badge_file(name: str, state: State) -> Response:
    """``/badges/<link>.png`` or ``.pdf``: the visitor's badge (the link is the secret)."""
    token, _, ext = name.rpartition(".")
    if ext not in ("png", "pdf"):
        raise DomainError("not_found", "Badges come as .png or .pdf.")
    data = await badge_for_link(token, state.settings)
    try:
        # Rendered in a worker process and cached (badges/render_pool.py): a PNG is 35-50 ms
        # of CPU, which on the event loop would stall every door scan meanwhile.
        body = await renderer.render(data, "png" if ext == "png" else "pdf")
    except RenderBusy:
        return Response(
            error_body("busy", "Too many badges are being made right now. Try again in a "
                       "moment."),
            status_code=503, media_type=MediaType.JSON, headers={"Retry-After": "2"})
    if ext == "png":
        return Response(body, media_type="image/png",
                        headers={"Cache-Control": "private, no-store"})
    return Response(
        body, media_type="application/pdf",
        headers={"Cache-Control": "private, no-store",
                 "Content-Disposition": 'inline; filename="badge.pdf"'},
    )


@get("/badges/{token:str}/print", name="badge_print", include_in_schema=False)
async def badge_print(request: Request, token: str) -> Template:
    await _registration_for_link(token)
    return render(request, "badge_print.html", token=token)


@get("/events/{slug:str}/keys", opt=requires("keys.read"))
async def event_keys(request: Request, event: Event) -> dict:
    """Public keys and revocation list, for verifying badges offline on a device."""
    # Devices need a key before the first badge is printed: make one on first request.
    await service.signing_key(event.id, request.app.state.settings)
    return await service.published_keys(event.id)


class Reissued(msgspec.Struct):
    registration_id: int
    serial: int
    badge_url: str


@post("/events/{slug:str}/registrations/{registration_id:int}/reissue", status_code=200,
      opt=requires("badge.reissue"))
async def reissue_badge(request: Request, event: Event, principal: Principal,
                        registration_id: PathId) -> Reissued:
    """A lost badge: a new serial; every earlier badge of this person stops working."""
    serial = await service.reissue(event.id, registration_id, principal.actor)
    return Reissued(registration_id, serial,
                    badge_url(request.app.state.settings, registration_id, serial))


# The visitor's own badge files (``badge_file``, ``badge_print``) are pages behind a secret
# link, registered with the pages; these are the devices' and staff's badge API.
ROUTER = api_router("/api/v1", [event_keys, reissue_badge], tags=["badges"])
