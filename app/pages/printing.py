"""On-site printing pages: a badge as a printable label (behind the badge's secret link),
the print station's page and the self-service kiosk. The station and kiosk pages hold
nothing secret: the device token lives in the browser's localStorage (as on the door)."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app.api.badges import badge_for_link
from app.pages.common import render, staff_page
from badges.labels import FORMATS, label_context
from badges.render_pool import RenderBusy, renderer
from event_ops.core.errors import DomainError
from event_ops.core.settings import get_settings
from event_ops.taxonomy.service import SECTOR_NAMES, SECTORS, competencies_by_code

# The quick pick on the kiosk and the desk form: per sector a few common competencies
# (level 1-2: what most walk-ins can say they do), at most this many each.
QUICK_PICK_PER_SECTOR = 4


async def quick_pick() -> dict[str, list]:
    """Sector code -> a few competencies of that sector (the taxonomy's own order)."""
    picks: dict[str, list] = {}
    for item in (await competencies_by_code()).values():
        chosen = picks.setdefault(item.sector, [])
        if item.level <= 2 and len(chosen) < QUICK_PICK_PER_SECTOR:
            chosen.append(item)
    return picks


@get("/badges/{token:str}/label/{fmt:str}", name="badge_label", include_in_schema=False)
async def badge_label(request: Request, token: str, fmt: str) -> Template:
    """The badge as a label page in one of ``badges.labels.FORMATS`` (CSS page size)."""
    if fmt not in FORMATS:
        raise DomainError("not_found", "There is no such label format.")
    data = await badge_for_link(token, get_settings())
    try:
        # The QR's layout is the costly part: made in the render worker, and kept.
        path = await renderer.render(data, "qr")
    except RenderBusy:
        raise DomainError("busy", "Too many badges are being made right now. Try again in "
                                  "a moment.") from None
    return render(request, "badge_label.html", **label_context(data, FORMATS[fmt], path))


@get("/print/{slug:str}", name="print_station", include_in_schema=False)
async def print_station_page(request: Request, slug: str) -> Template:
    """A print station: receives its jobs in order, prints each, shows its queue."""
    return await staff_page(request, slug, "print_station.html", "print.", "door.token.")


@get("/kiosk/{slug:str}", name="kiosk", include_in_schema=False)
async def kiosk_page(request: Request, slug: str) -> Template:
    """The self-service kiosk: check in with the badge QR, or sign up as a walk-in."""
    return await staff_page(request, slug, "kiosk.html", "kiosk.", "door.token.", "scan.",
                            sectors=SECTORS, sector_names=SECTOR_NAMES,
                            quick_pick=await quick_pick(),
                            idle_seconds=request.app.state.settings.kiosk_idle_seconds)


ROUTES = [badge_label, print_station_page, kiosk_page]
