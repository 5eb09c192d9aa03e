"""Employers at their stand: scan a badge, see the card, log the talk, undo, list, export."""

from __future__ import annotations

import io

import msgspec
import qrcode
from litestar import Request, get, post
from litestar.response import Response

from app.api.auth import api_router, requires
from app.api.reports import XLSX, download
from app.pages.stand import stand_url
from event_ops.access.tokens import Principal
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.interests.service import (
    CardRequest,
    InterestInput,
    StandCard,
    UndoResult,
    VisitorCard,
    card_for_badge,
    list_interests,
    record_interest,
    undo_interest,
)
from event_ops.reports.export import interest_table, rows_to_csv, rows_to_xlsx
from event_ops.types import DbId


class InterestSaved(msgspec.Struct):
    id: int
    created: bool
    visitor: VisitorCard


@post("/events/{slug:str}/interests", status_code=201, opt=requires("interest.write"))
async def create_interest(request: Request, event: Event, principal: Principal,
                          data: InterestInput) -> InterestSaved:
    """Log (or, when this visitor was scanned before, update) the outcome of a talk."""
    lang = request.query_params.get("lang", "nl")
    interest_id, created, card = await record_interest(event, principal, data, lang)
    return InterestSaved(interest_id, created, card)


@post("/events/{slug:str}/interests/card", status_code=200, opt=requires("interest.write"))
async def interest_card(request: Request, event: Event, principal: Principal,
                        data: CardRequest) -> StandCard:
    """The scanned visitor's card and this stand's entry for them, if any. Saves nothing
    (only the audit log notes the view); a POST so the badge token stays out of URLs."""
    lang = request.query_params.get("lang", "nl")
    return await card_for_badge(event, principal, data.token, lang)


class UndoInterest(msgspec.Struct):
    interest_id: DbId


@post("/events/{slug:str}/interests/undo", status_code=200, opt=requires("interest.write"))
async def undo_last_interest(principal: Principal, data: UndoInterest) -> UndoResult:
    """Take back this tablet's newest change to an entry: the entry (and its match) go back
    to what they were before it; ``entry`` is null when that change created the entry.
    409 ``undo_not_allowed`` when someone else changed the entry since, or after 15 min."""
    return await undo_interest(principal, data.interest_id)


@get("/events/{slug:str}/interests", opt=requires("interest.write"))
async def my_interests(event: Event, principal: Principal, q: str = "") -> list[dict]:
    """This stand's entries (only its own), newest first; ``q`` searches."""
    return await list_interests(event.id, principal, q)


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "nl"


async def _export_table(request: Request, event: Event, principal: Principal, *,
                        for_csv: bool) -> tuple[list, list]:
    entries = await list_interests(event.id, principal)
    return interest_table(entries, _lang(request), for_csv=for_csv)


@get("/events/{slug:str}/interests.csv", opt=requires("interest.export"))
async def export_interests(request: Request, event: Event, principal: Principal) -> Response:
    """The employer's own export (employer admin code only), for Excel with Dutch settings:
    ";" between columns, UTF-8 with a BOM, Dutch headers (``?lang=en``: English). Contact
    details only of visitors who consented; cells that a spreadsheet would run as formulas
    are defused."""
    header, rows = await _export_table(request, event, principal, for_csv=True)
    body = rows_to_csv(header, rows, delimiter=";")
    return download(body, "text/csv; charset=utf-8", f"{event.slug}-interests.csv")


@get("/events/{slug:str}/interests.xlsx", opt=requires("interest.export"))
async def export_interests_xlsx(request: Request, event: Event,
                                principal: Principal) -> Response:
    """The same export as an Excel workbook."""
    header, rows = await _export_table(request, event, principal, for_csv=False)
    body = rows_to_xlsx(t("interest_export.sheet", _lang(request)), header, rows)
    return download(body, XLSX, f"{event.slug}-interests.xlsx")


@get("/events/{slug:str}/stand-qr.png", opt=requires("interest.write"))
async def stand_qr(request: Request, principal: Principal) -> Response:
    """The QR an employer puts on its stand; visitors scan it with their own phone."""
    assert principal.employer_id is not None
    image = qrcode.make(stand_url(request.app.state.settings, principal.employer_id),
                        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return Response(buffer.getvalue(), media_type="image/png")


ROUTER = api_router("/api/v1", [create_interest, interest_card, undo_last_interest,
                                my_interests, export_interests, export_interests_xlsx,
                                stand_qr], tags=["employers"])
