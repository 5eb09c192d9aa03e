from __future__ import annotations

import msgspec
from litestar import Request, get, post
from litestar.response import Response

from app.api.auth import staff
from app.api.reports import XLSX, download
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


@post("/api/v1/events/{slug:str}/interests", status_code=201, tags=["employers"])
async def create_interest(request: Request, slug: str, data: InterestInput) -> InterestSaved:
    """Log (or, when this visitor was scanned before, update) the outcome of a talk."""
    principal, event = await staff(request, slug, "interest.write")
    lang = request.query_params.get("lang", "nl")
    interest_id, created, card = await record_interest(event, principal, data, lang)
    return InterestSaved(interest_id, created, card)


@post("/api/v1/events/{slug:str}/interests/card", status_code=200, tags=["employers"])
async def interest_card(request: Request, slug: str, data: CardRequest) -> StandCard:
    """The scanned visitor's card and this stand's entry for them, if any. Saves nothing
    (only the audit log notes the view); a POST so the badge token stays out of URLs."""
    principal, event = await staff(request, slug, "interest.write")
    lang = request.query_params.get("lang", "nl")
    return await card_for_badge(event, principal, data.token, lang)


class UndoInterest(msgspec.Struct):
    interest_id: DbId


@post("/api/v1/events/{slug:str}/interests/undo", status_code=200, tags=["employers"])
async def undo_last_interest(request: Request, slug: str, data: UndoInterest) -> UndoResult:
    """Take back this tablet's newest change to an entry: the entry (and its match) go back
    to what they were before it; ``entry`` is null when that change created the entry.
    409 ``undo_not_allowed`` when someone else changed the entry since, or after 15 min."""
    principal, _ = await staff(request, slug, "interest.write")
    return await undo_interest(principal, data.interest_id)


@get("/api/v1/events/{slug:str}/interests", tags=["employers"])
async def my_interests(request: Request, slug: str, q: str = "") -> list[dict]:
    """This stand's entries (only its own), newest first; ``q`` searches."""
    principal, event = await staff(request, slug, "interest.write")
    return await list_interests(event.id, principal, q)


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "nl"


async def _export_table(request: Request, slug: str, *, for_csv: bool) -> tuple[list, list]:
    principal, event = await staff(request, slug, "interest.export")
    entries = await list_interests(event.id, principal)
    return interest_table(entries, _lang(request), for_csv=for_csv)


@get("/api/v1/events/{slug:str}/interests.csv", tags=["employers"])
async def export_interests(request: Request, slug: str) -> Response:
    """The employer's own export (employer admin code only), for Excel with Dutch settings:
    ";" between columns, UTF-8 with a BOM, Dutch headers (``?lang=en``: English). Contact
    details only of visitors who consented; cells that a spreadsheet would run as formulas
    are defused."""
    header, rows = await _export_table(request, slug, for_csv=True)
    body = rows_to_csv(header, rows, delimiter=";")
    return download(body, "text/csv; charset=utf-8", f"{slug}-interests.csv")


@get("/api/v1/events/{slug:str}/interests.xlsx", tags=["employers"])
async def export_interests_xlsx(request: Request, slug: str) -> Response:
    """The same export as an Excel workbook."""
    header, rows = await _export_table(request, slug, for_csv=False)
    body = rows_to_xlsx(t("interest_export.sheet", _lang(request)), header, rows)
    return download(body, XLSX, f"{slug}-interests.xlsx")
