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

from app.api.auth import api_router, requires
from event_ops import audit
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.events.tables import Event
from event_ops.matching import preferences, recommend, schedule
from event_ops.types import DbId

MANAGE = "matching.manage"
EMPLOYER = "matching.employer"


# ---- festival recommendations -------------------------------------------------------------


@post("/events/{slug:str}/recommendations", status_code=200, opt=requires(MANAGE))
async def build_recommendations(event: Event, principal: Principal) -> dict:
    """(organiser) Compute every visitor's three recommended stands and store them."""
    summary = await recommend.build_recommendations(event, actor=principal.actor)
    return summary.as_dict()


@get("/events/{slug:str}/recommended-visitors", opt=requires(EMPLOYER))
async def recommended_visitors(event: Event, principal: Principal) -> list[dict]:
    """(employer) Visitors whose badge recommends this stand. Names only with consent."""
    assert principal.employer_id is not None
    rows = await recommend.recommended_registrations(event.id, principal.employer_id)
    await audit.record(principal.actor, "recommended.listed", event_id=event.id,
                       subject_type="employer", subject_id=principal.employer_id,
                       fields=["first_name", "name"])
    return [
        {"registration_id": r["registration"], "rank": r["rank"], "score": r["score"],
         # Before the visit, no part of the name without the visitor's consent.
         "first_name": r["name"].split(" ")[0] if r["share_profile"] else None,
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


@get("/events/{slug:str}/preferences", opt=requires(EMPLOYER))
async def employer_preferences(request: Request, event: Event,
                               principal: Principal) -> list[dict]:
    """(employer) The visitors to mark, best fit first, with this employer's own choices."""
    lang = request.query_params.get("lang", "nl")
    return await preferences.employer_candidates(event, principal, lang)


@post("/events/{slug:str}/preferences", status_code=200,
      opt=requires("matching.preferences"))
async def set_employer_preferences(event: Event, principal: Principal,
                                   data: PreferencesInput) -> dict:
    """(employer) Mark visitors must / happy / no (or none). Only ever this employer's own
    marks: the employer comes from the token, not from the body."""
    assert principal.employer_id is not None
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


@post("/events/{slug:str}/schedule/build", status_code=200, opt=requires(MANAGE))
async def build_schedule(event: Event, principal: Principal,
                         data: BuildInput | None = None) -> dict:
    """(organiser) Build the draft schedule again; pinned meetings stay. Settings left out
    (rounds, minutes, pause, starts_at; or no body at all) keep the saved meeting plan."""
    data = data or BuildInput()
    summary = await schedule.build_schedule(
        event, rounds=data.rounds, minutes=data.minutes, pause=data.pause,
        starts_at=data.starts_at, actor=principal.actor)
    return summary.as_dict()


@post("/events/{slug:str}/schedule/pin", status_code=200, opt=requires(MANAGE))
async def pin_meeting(event: Event, principal: Principal, data: PinInput) -> dict:
    """(organiser) Fix a meeting at a round in the draft; build again to fill gaps."""
    await schedule.pin_meeting(event, data.round, data.registration_id, data.employer_id,
                               actor=principal.actor)
    return {"status": "pinned"}


@post("/events/{slug:str}/schedule/unpin", status_code=200, opt=requires(MANAGE))
async def unpin_meeting(event: Event, principal: Principal, data: PairInput) -> dict:
    """(organiser) Let a pinned meeting go: later builds may move it."""
    changed = await schedule.unpin_meeting(event, data.registration_id, data.employer_id,
                                           actor=principal.actor)
    if not changed:
        raise DomainError("not_found", "There is no such meeting in the draft.")
    return {"status": "unpinned"}


@post("/events/{slug:str}/schedule/remove", status_code=200, opt=requires(MANAGE))
async def remove_meeting(event: Event, principal: Principal, data: PairInput) -> dict:
    """(organiser) Take a pair out of the draft and keep it out of later builds."""
    removed = await schedule.remove_meeting(event, data.registration_id, data.employer_id,
                                            actor=principal.actor)
    return {"status": "removed", "removed": removed}


@post("/events/{slug:str}/schedule/publish", status_code=200, opt=requires(MANAGE))
async def publish_schedule(event: Event, principal: Principal) -> dict:
    """(organiser) Make the draft visible on badges, visitor pages and tablets."""
    meetings = await schedule.publish_schedule(event, actor=principal.actor)
    return {"status": "published", "meetings": meetings}


@get("/events/{slug:str}/schedule", opt=requires(MANAGE))
async def get_schedule(event: Event, which: str = Parameter(query="state", default="")) -> dict:
    """(organiser) The whole schedule (draft if there is one; ``?state=published``)."""
    if which not in ("", "draft", "published"):
        raise DomainError("bad_request", "state is draft or published.")
    return await schedule.schedule_view(event, None if not which else which == "published")


@get("/events/{slug:str}/schedule/mine", opt=requires(EMPLOYER))
async def my_schedule(event: Event, principal: Principal) -> list[dict]:
    """(employer) This employer's published meetings, for its tablet."""
    assert principal.employer_id is not None
    meetings = await schedule.employer_meetings(event, principal.employer_id)
    await audit.record(principal.actor, "schedule.viewed", event_id=event.id,
                       subject_type="employer", subject_id=principal.employer_id,
                       fields=["first_name", "name"])
    return meetings


ROUTER = api_router("/api/v1", [
    build_recommendations, recommended_visitors, employer_preferences,
    set_employer_preferences, build_schedule, pin_meeting, unpin_meeting, remove_meeting,
    publish_schedule, get_schedule, my_schedule,
], tags=["matching"])
