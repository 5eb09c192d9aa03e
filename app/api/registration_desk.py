"""The registrations desk's API: the list of an event's registrations and its exports.

``GET /api/v1/events/{slug}/registrations`` shares its path with the public sign-up
(``POST``, app/api/registrations.py), so it is mounted in that router; each method keeps
its own permission (the sign-up stays public, the list needs ``registrations.read``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from litestar import Request, get
from litestar.params import Parameter
from litestar.response import Response

from app.api.auth import api_router, requires
from app.api.reports import XLSX, download
from event_ops.access.tokens import Principal
from event_ops.events.tables import Event
from event_ops.i18n import STAFF_LANGUAGES as LANGUAGES
from event_ops.i18n import t
from event_ops.localtime import as_datetime
from event_ops.people.registration_list import (
    RegistrationFilter,
    all_matching,
    export_table,
    is_no_show,
    list_registrations,
    record_export,
)
from event_ops.questions.service import answers_for, questions_for
from event_ops.reports.export import rows_to_csv, rows_to_xlsx


class RegistrationItem(msgspec.Struct):
    id: int
    name: str
    email: str
    phone: str
    status: str
    checked_in_at: dt.datetime | None
    source: str
    created_at: dt.datetime | None = None
    waiting_position: int | None = None
    no_show: bool = False
    share_profile: bool = False


class RegistrationList(msgspec.Struct):
    total: int
    items: list[RegistrationItem]
    counts: dict[str, int]


def coach_scope(principal: Principal) -> int | None:
    """The account whose clients a job coach may see (None: not a coach, sees all). A coach
    is always held to their own clients, whatever the query string says."""
    if principal.role != "job_coach":
        return None
    return principal.account_id if principal.account_id is not None else -1  # -1: nobody


def filter_for(request: Request, principal: Principal) -> RegistrationFilter:
    """The caller's filter from the query string (``ValidationFailed`` for wrong values)."""
    return RegistrationFilter.from_query(dict(request.query_params),
                                         coach_account_id=coach_scope(principal))


def _item(row: dict) -> RegistrationItem:
    return RegistrationItem(
        # "" for a walk-in without an address (the e-mail address is becoming optional).
        id=row["id"], name=row["name"], email=row["email"] or "", phone=row["phone"] or "",
        status=row["status"], checked_in_at=as_datetime(row["checked_in_at"]),
        source=row["source"], created_at=as_datetime(row["created_at"]),
        waiting_position=row["waiting_position"], no_show=is_no_show(row),
        share_profile=row["share_profile"])


# The filters, for the OpenAPI schema. All are read as text and checked in one place
# (``RegistrationFilter.from_query``), so a wrong value of any of them gets the same 422
# ``validation_failed`` naming the field; the handlers take them from the query string.
FilterParam = Annotated[str | None, Parameter(required=False)]


@get("/events/{slug:str}/registrations", opt=requires("registrations.read"),
     tags=["registrations desk"])
async def registration_list(
    request: Request, event: Event, principal: Principal, q: FilterParam = None,
    status: FilterParam = None, checked_in: FilterParam = None,
    share_profile: FilterParam = None, source: FilterParam = None, no_show: FilterParam = None,
    sort: FilterParam = None, limit: FilterParam = None, offset: FilterParam = None,
) -> RegistrationList:
    """One page of the event's registrations. Filters: ``q`` (name, e-mail or phone),
    ``status``, ``checked_in``, ``share_profile``, ``no_show`` (yes/no), ``source``,
    ``sort`` (name, -name, created, -created, checked_in, -checked_in), ``limit`` (1-200,
    default 50) and ``offset``. ``total`` counts every match; ``counts`` per status."""
    page = await list_registrations(event.id, filter_for(request, principal))
    return RegistrationList(total=page.total, items=[_item(r) for r in page.items],
                            counts=page.counts)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "nl")
    return lang if lang in LANGUAGES else "nl"


async def _export(request: Request, event: Event, principal: Principal,
                  file_format: str) -> tuple[list[str], list[list], str]:
    f = filter_for(request, principal)
    rows = await all_matching(event.id, f)
    await record_export(principal.actor, event.id, f, len(rows), file_format)
    lang = _lang(request)
    # The answers to the event's questions (archived ones too: they were asked), a column each.
    questions = await questions_for(event.id, include_archived=True)
    answers = await answers_for(event.id, [r["id"] for r in rows], lang) if questions else {}
    header, table = export_table(rows, lang, for_csv=file_format == "csv",
                                 questions=questions, answers=answers)
    return header, table, f"{event.slug}-registrations.{file_format}"


@get("/events/{slug:str}/registrations.csv", opt=requires("registrations.export"))
async def registrations_csv(
    request: Request, event: Event, principal: Principal, q: FilterParam = None,
    status: FilterParam = None, checked_in: FilterParam = None,
    share_profile: FilterParam = None, source: FilterParam = None, no_show: FilterParam = None,
    sort: FilterParam = None, lang: FilterParam = None,
) -> Response:
    """The list with the same filters, as CSV for Dutch Excel (``;``, UTF-8 with BOM,
    formulas defused); ``?lang=en`` for English headers. Recorded in the audit log."""
    header, table, name = await _export(request, event, principal, "csv")
    return download(rows_to_csv(header, table, delimiter=";"), "text/csv; charset=utf-8", name)


@get("/events/{slug:str}/registrations.xlsx", opt=requires("registrations.export"))
async def registrations_xlsx(
    request: Request, event: Event, principal: Principal, q: FilterParam = None,
    status: FilterParam = None, checked_in: FilterParam = None,
    share_profile: FilterParam = None, source: FilterParam = None, no_show: FilterParam = None,
    sort: FilterParam = None, lang: FilterParam = None,
) -> Response:
    """The list with the same filters as XLSX (text cells, never formulas)."""
    header, table, name = await _export(request, event, principal, "xlsx")
    return download(rows_to_xlsx(t("desk.sheet", _lang(request)), header, table), XLSX, name)


# ``registration_list`` is mounted with the sign-up's router (app/api/registrations.py).
ROUTER = api_router("/api/v1", [registrations_csv, registrations_xlsx],
                    tags=["registrations desk"])
