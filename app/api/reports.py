"""Reports API: one event (its organiser) or the whole programme, as JSON, CSV or XLSX.

The programme report adds up one programme's events. It is open to the organiser token of
*any* event (permission ``reports.programme``): it holds aggregate,
small-cell-suppressed numbers only, never a person.
"""

from __future__ import annotations

from litestar import get
from litestar.response import Response

from app.api.auth import api_router, requires
from event_ops.core.errors import DomainError
from event_ops.i18n import STAFF_LANGUAGES as LANGUAGES
from event_ops.reports.build import event_report, programme_report
from event_ops.reports.export import to_csv, to_xlsx
from event_ops.types import MAX_DB_ID

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "nl"


def _programme(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_DB_ID:
        raise DomainError("programme_not_found", "There is no such programme.")
    return value


def download(body: bytes, media_type: str, filename: str) -> Response:
    """A file to save. ``no-store``: exports hold people's contact details, which must not
    stay behind in a browser's or proxy's cache (a shared laptop at the stand)."""
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


@get("/events/{slug:str}/report", opt=requires("reports.read"))
async def event_report_json(slug: str, lang: str = "nl") -> dict:
    """Numbers of one event: registrations, show rate, check-ins over time, interests,
    matches, outcomes, targets and suppressed breakdowns by group."""
    return await event_report(slug, lang=_lang(lang))


@get("/events/{slug:str}/report.csv", opt=requires("reports.read"))
async def event_report_csv(slug: str, lang: str = "nl") -> Response:
    report = await event_report(slug, lang=_lang(lang))
    return download(to_csv(report, _lang(lang)), "text/csv; charset=utf-8", f"{slug}-report.csv")


@get("/events/{slug:str}/report.xlsx", opt=requires("reports.read"))
async def event_report_xlsx(slug: str, lang: str = "nl") -> Response:
    report = await event_report(slug, lang=_lang(lang))
    return download(to_xlsx(report, _lang(lang)), XLSX, f"{slug}-report.xlsx")


@get("/reports/programme", opt=requires("reports.programme"))
async def programme_report_json(lang: str = "nl", programme: int | None = None) -> dict:
    """One programme's events together against its targets, plus one row per event.
    ``programme``: its id (default: the newest programme); other programmes' events never
    count."""
    return await programme_report(lang=_lang(lang), programme_id=_programme(programme))


@get("/reports/programme.csv", opt=requires("reports.programme"))
async def programme_report_csv(lang: str = "nl", programme: int | None = None) -> Response:
    report = await programme_report(lang=_lang(lang), programme_id=_programme(programme))
    return download(to_csv(report, _lang(lang)), "text/csv; charset=utf-8",
                     "programme-report.csv")


@get("/reports/programme.xlsx", opt=requires("reports.programme"))
async def programme_report_xlsx(lang: str = "nl", programme: int | None = None) -> Response:
    report = await programme_report(lang=_lang(lang), programme_id=_programme(programme))
    return download(to_xlsx(report, _lang(lang)), XLSX, "programme-report.xlsx")


ROUTER = api_router("/api/v1", [event_report_json, event_report_csv, event_report_xlsx,
                                programme_report_json, programme_report_csv,
                                programme_report_xlsx], tags=["reports"])
