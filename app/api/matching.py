"""Matching over HTTP: festival recommendations, matching-day preferences and schedules.

Organiser tokens (``matching.manage``) build and publish; employer tokens
(``matching.employer``) mark visitors and read their own schedule and recommended visitors.
Visitors use their secret-link page (``app/pages/schedule.py``), never a token.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from litestar import Request, get, post
from litestar.params import Parameter

from app.api.auth import staff
from app.api.registrations import decode_json
from event_ops import audit
from event_ops.core.errors import DomainError
from event_ops.matching import preferences, recommend, schedule
from event_ops.types import DbId

MANAGE = "matching.manage"
EMPLOYER = "matching.employer"


# ---- festival recommendations -------------------------------------------------------------


@post("/api/v1/events/{slug:str}/recommendations", status_code=200, tags=["matching"])
async def build_recommendations(request: Request, slug: str) -> dict:
    """(organiser) Compute every visitor's three recommended stands and store them."""
    principal, event = await staff(request, slug, MANAGE)
    summary = await recommend.build_recommendations(event, actor=principal.actor)
    return summary.as_dict()


@get("/api/v1/events/{slug:str}/recommended-visitors", tags=["matching"])
async def recommended_visitors(request: Request, slug: str) -> list[dict]:
    """(employer) Visitors whose badge recommends this stand. Names only with consent."""
    principal, event = await staff(request, slug, EMPLOYER)
    assert principal.employer_id is not None
    rows = await recommend.recommended_registrations(event.id, principal.employer_id)
    await audit.record(principal.actor, "recommended.listed", event_id=event.id,
                       subject_type="employer", subject_id=principal.employer_id,
                       fields=["first_name", "name"])
    return [
        {"registration_id": r["registration"], "rank": r["rank"], "score": r["score"],
         "first_name": r["name"].split(" ")[0],
         "name": r["name"] if r["share_profile"] else None,
         "checked_in": r["checked_in_at"] is not None}
        for r in rows
    ]


# ---- matching-day preferences ---------------------------------------------------------------


class PreferenceItem(msgspec.Struct):
    registration_id: DbId
    choice: str | None = None  # must | happy | no | none (clears)


class PreferencesInput(msgspec.Struct):
    preferences: list[PreferenceItem]


@get("/api/v1/events/{slug:str}/preferences", tags=["matching"])
async def employer_preferences(request: Request, slug: str) -> list[dict]:
    """(employer) The visitors to mark, best fit first, with this employer's own choices."""
    principal, event = await staff(request, slug, EMPLOYER)
    lang = request.query_params.get("lang", "nl")
    return await preferences.employer_candidates(event, principal, lang)


@post("/api/v1/events/{slug:str}/preferences", status_code=200, tags=["matching"])
async def set_employer_preferences(request: Request, slug: str) -> dict:
    """(employer) Mark visitors must / happy / no (or none). Only ever this employer's own
    marks: the employer comes from the token, not from the body."""
    principal, event = await staff(request, slug, "matching.preferences")
    assert principal.employer_id is not None
    data = decode_json(await request.body(), PreferencesInput)
    saved = await preferences.set_employer_preferences(
        event, principal.employer_id, [(p.registration_id, p.choice) for p in data.preferences])
    return {"saved": saved}


# ---- matching-day schedule ------------------------------------------------------------------


Setting = Annotated[int, msgspec.Meta(ge=-1000, le=1000)]


class BuildInput(msgspec.Struct, kw_only=True):
    # Bounded here too so that absurd numbers are a 4xx, never an overflow further down;
    # build_schedule checks the real limits with field-level messages. A setting left out
    # keeps the event's saved meeting plan (the defaults on the first build).
    rounds: Setting | None = None
    minutes: Setting | None = None
    pause: Setting | None = None
    starts_at: dt.datetime | None = None


class PinInput(msgspec.Struct, kw_only=True):
    round: Annotated[int, msgspec.Meta(ge=1, le=schedule.MAX_ROUNDS)]
    registration_id: DbId
    employer_id: DbId


class PairInput(msgspec.Struct, kw_only=True):
    registration_id: DbId
    employer_id: DbId


@post("/api/v1/events/{slug:str}/schedule/build", status_code=200, tags=["matching"])
async def build_schedule(request: Request, slug: str) -> dict:
    """(organiser) Build the draft schedule again; pinned meetings stay. Settings left out
    (rounds, minutes, pause, starts_at) keep the saved meeting plan."""
    principal, event = await staff(request, slug, MANAGE)
    data = decode_json(await request.body() or b"{}", BuildInput)
    summary = await schedule.build_schedule(
        event, rounds=data.rounds, minutes=data.minutes, pause=data.pause,
        starts_at=data.starts_at, actor=principal.actor)
    return summary.as_dict()


@post("/api/v1/events/{slug:str}/schedule/pin", status_code=200, tags=["matching"])
async def pin_meeting(request: Request, slug: str) -> dict:
    """(organiser) Fix a meeting at a round in the draft; build again to fill gaps."""
    principal, event = await staff(request, slug, MANAGE)
    data = decode_json(await request.body() or b"{}", PinInput)
    await schedule.pin_meeting(event, data.round, data.registration_id, data.employer_id,
                               actor=principal.actor)
    return {"status": "pinned"}


@post("/api/v1/events/{slug:str}/schedule/unpin", status_code=200, tags=["matching"])
async def unpin_meeting(request: Request, slug: str) -> dict:
    principal, event = await staff(request, slug, MANAGE)
    data = decode_json(await request.body() or b"{}", PairInput)
    changed = await schedule.unpin_meeting(event, data.registration_id, data.employer_id,
                                           actor=principal.actor)
    if not changed:
        raise DomainError("not_found", "There is no such meeting in the draft.")
    return {"status": "unpinned"}


@post("/api/v1/events/{slug:str}/schedule/remove", status_code=200, tags=["matching"])
async def remove_meeting(request: Request, slug: str) -> dict:
    """(organiser) Take a pair out of the draft and keep it out of later builds."""
    principal, event = await staff(request, slug, MANAGE)
    data = decode_json(await request.body() or b"{}", PairInput)
    removed = await schedule.remove_meeting(event, data.registration_id, data.employer_id,
                                            actor=principal.actor)
    return {"status": "removed", "removed": removed}


@post("/api/v1/events/{slug:str}/schedule/publish", status_code=200, tags=["matching"])
async def publish_schedule(request: Request, slug: str) -> dict:
    """(organiser) Make the draft visible on badges, visitor pages and tablets."""
    principal, event = await staff(request, slug, MANAGE)
    meetings = await schedule.publish_schedule(event, actor=principal.actor)
    return {"status": "published", "meetings": meetings}


@get("/api/v1/events/{slug:str}/schedule", tags=["matching"])
async def get_schedule(
    request: Request, slug: str, which: str = Parameter(query="state", default="")
) -> dict:
    """(organiser) The whole schedule (draft if there is one; ``?state=published``)."""
    _, event = await staff(request, slug, MANAGE)
    if which not in ("", "draft", "published"):
        raise DomainError("bad_request", "state is draft or published.")
    return await schedule.schedule_view(event, None if not which else which == "published")


@get("/api/v1/events/{slug:str}/schedule/mine", tags=["matching"])
async def my_schedule(request: Request, slug: str) -> list[dict]:
    """(employer) This employer's published meetings, for its tablet."""
    principal, event = await staff(request, slug, EMPLOYER)
    assert principal.employer_id is not None
    meetings = await schedule.employer_meetings(event, principal.employer_id)
    await audit.record(principal.actor, "schedule.viewed", event_id=event.id,
                       subject_type="employer", subject_id=principal.employer_id,
                       fields=["first_name", "name"])
    return meetings


ROUTES = [
    build_recommendations, recommended_visitors, employer_preferences,
    set_employer_preferences, build_schedule, pin_meeting, unpin_meeting, remove_meeting,
    publish_schedule, get_schedule, my_schedule,
]
