"""On-site printing: send a badge to a print station; a station reads and reports its jobs.
The station's page also hears of new jobs over ``WS /ws/events/{slug}/print`` (app/ws.py)."""

from __future__ import annotations

import msgspec
from litestar import Request, get, post

from app.api.auth import api_router, requires
from app.api.params import PathId
from badges.labels import DEFAULT_FORMAT, FORMATS
from event_ops.access.tokens import Principal
from event_ops.events.tables import Event
from event_ops.links import PURPOSE_BADGE, make_link_token
from event_ops.printing import jobs
from event_ops.types import DbId


class Station(msgspec.Struct):
    id: int
    label: str


class LabelFormatInfo(msgspec.Struct):
    code: str
    name: str
    width_mm: float
    height_mm: float


class Stations(msgspec.Struct):
    stations: list[Station]
    formats: list[LabelFormatInfo]
    default_format: str


@get("/events/{slug:str}/print/stations", opt=requires("print.send"))
async def list_stations(event: Event, lang: str = "nl") -> Stations:
    """The event's print stations and the label formats, for a desk or kiosk to choose."""
    return Stations(
        [Station(s["id"], s["label"]) for s in await jobs.stations(event.id)],
        [LabelFormatInfo(f.code, f.name(lang), f.width_mm, f.height_mm)
         for f in FORMATS.values()],
        DEFAULT_FORMAT)


class PrintRequest(msgspec.Struct, kw_only=True):
    registration_id: DbId
    station: DbId
    format: str = DEFAULT_FORMAT


class PrintJobAnswer(msgspec.Struct):
    id: int
    station: int
    station_label: str
    format: str
    status: str


@post("/events/{slug:str}/print", status_code=201, opt=requires("print.send"))
async def send_badge(event: Event, principal: Principal, data: PrintRequest) -> PrintJobAnswer:
    """Queue a registration's badge at a print station (desk, kiosk or organiser)."""
    job = await jobs.send_to_station(event.id, data.station, data.registration_id, data.format,
                                     principal.actor, FORMATS)
    return msgspec.convert(job, PrintJobAnswer)


def with_label_urls(secret: str, queue: dict) -> dict:
    """Each job with ``label_url``: the label page behind the badge's secret link (what
    the badge shows and nothing more). The registration id and serial are left out."""
    for row in (*queue["queued"], *queue["recent"]):
        link = make_link_token(secret, PURPOSE_BADGE, row.pop("registration_id"),
                               row.pop("serial"))
        row["label_url"] = f"/badges/{link}/label/{row['format']}"
    return queue


@get("/events/{slug:str}/print/jobs", opt=requires("print.station"))
async def station_queue(request: Request, event: Event, principal: Principal) -> dict:
    """This station's open jobs (oldest first) and the last ones done or failed."""
    assert principal.token_id is not None  # print stations are device tokens
    return with_label_urls(request.app.state.settings.secret_key,
                           await jobs.station_jobs(principal.token_id))


class JobDone(msgspec.Struct, kw_only=True):
    ok: bool
    error: str = ""


@post("/events/{slug:str}/print/jobs/{job_id:int}/done", status_code=200,
      opt=requires("print.station"))
async def job_done(event: Event, principal: Principal, job_id: PathId, data: JobDone) -> dict:
    """The station printed a job (``ok``) or could not (``error`` says why)."""
    assert principal.token_id is not None
    return await jobs.finish(event.id, principal.token_id, job_id, data.ok, data.error)


@post("/events/{slug:str}/print/jobs/{job_id:int}/retry", status_code=200,
      opt=requires("print.station"))
async def job_retry(event: Event, principal: Principal, job_id: PathId) -> dict:
    """Put a failed job back in this station's queue."""
    assert principal.token_id is not None
    await jobs.retry(event.id, principal.token_id, job_id)
    return {"id": job_id, "status": "queued"}


ROUTER = api_router("/api/v1", [list_stations, send_badge, station_queue, job_done, job_retry],
                    tags=["printing"])
