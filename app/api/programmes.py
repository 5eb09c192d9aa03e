"""Programmes API: a programme (season) and its targets.

* ``GET /api/v1/programmes`` (``programmes.read``) → every programme with its targets.
* ``POST /api/v1/programmes`` (``programmes.manage``) → 201 the new programme.
* ``PATCH /api/v1/programmes/{programme_id}`` (``programmes.manage``): the fields sent;
  ``targets`` (when sent) replaces all of the programme's targets. A target is
  ``{"key"?, "label", "measure", "target", "event"?: slug, "event_kind"?, "events_planned"?}``
  with ``measure`` one of matches, job_matches, direct, follow_up, training, registered,
  checked_in, employers.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import get, patch, post
from msgspec import UNSET, UnsetType

from app.api.auth import api_router, requires
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.programmes import service
from event_ops.types import MAX_DB_ID


class TargetIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    label: str = ""
    measure: str
    target: int
    key: str = ""
    event: str | None = None  # an event's slug: that event's own target
    event_kind: str | None = None  # festival | matching; empty: every kind
    events_planned: int = 1  # a share of target / events_planned shows on one event


class ProgrammeFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    starts_on: str | None | UnsetType = UNSET  # YYYY-MM-DD
    ends_on: str | None | UnsetType = UNSET
    archived: bool | UnsetType = UNSET
    targets: list[TargetIn] | UnsetType = UNSET


def _given(data: ProgrammeFields) -> dict[str, Any]:
    out = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not UNSET}
    if "targets" in out:
        out["targets"] = [msgspec.structs.asdict(t) for t in out["targets"]]
    return out


async def _answer(programme_id: int) -> dict:
    return service.programme_json(await service.programme(programme_id),
                                  await service.targets_of(programme_id))


@get("/programmes", opt=requires("programmes.read"))
async def list_programmes() -> list[dict]:
    """Every programme, newest first, with its targets."""
    return [await _answer(row["id"]) for row in await service.list_programmes()]


@post("/programmes", status_code=201, opt=requires("programmes.manage"))
async def create_programme(data: ProgrammeFields, principal: Principal) -> dict:
    row = await service.create_programme(principal.actor, _given(data))
    return await _answer(row["id"])


@patch("/programmes/{programme_id:int}", opt=requires("programmes.manage"))
async def update_programme(programme_id: int, data: ProgrammeFields,
                           principal: Principal) -> dict:
    if not 1 <= programme_id <= MAX_DB_ID:
        raise DomainError("programme_not_found", "There is no such programme.")
    await service.update_programme(principal.actor, programme_id, _given(data))
    return await _answer(programme_id)


ROUTER = api_router("/api/v1", [list_programmes, create_programme, update_programme],
                    tags=["programmes"])
