"""Employers search the candidate pool (issue 18): filters, the engine's explained ranking,
and anonymous results.

Contract
--------
* Only *findable* members are ever returned: ``withdrawn_at IS NULL`` and ``ends_on`` not
  passed (checked against ``today`` on every search, and once more in the database for the
  refs of the page shown: :func:`still_findable`).
* A result (:func:`card`) holds ONLY: the pseudonym ``ref``, competencies with levels,
  sectors, education level, availability, hours wished, available from, the distance
  rounded UP to a multiple of 5 km, the score 0-100 and its explanation. Never a name,
  e-mail, phone, the postcode, free text, the visitor id, the member id or a registration.
* Ranking is the matching engine's score (``event_ops.matching.engine``): the criteria become
  one :class:`VacancyProfile` and the filtered members are scored against it in one
  vectorised call; :func:`explain` runs only for the rows of the page shown.
* The members are read by ONE loader (:func:`load_pool`) into arrays, cached per process and
  rebuilt when the pool's fingerprint changes (a member joins, renews, withdraws, changes
  hours; a member's profile changes) or :func:`invalidate` is called.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from event_ops import audit
from event_ops.core import caches
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.matching.engine import (
    AVAILABILITY_BITS,
    EDUCATION_RANK,
    SECTOR_INDEX,
    CodeIndex,
    PreparedVisitors,
    VacancyProfile,
    VisitorProfile,
    Visitors,
    _json_list,
    build_vacancies,
    build_visitors,
    distance_km,
    explained,
    locate,
    prepare_visitors,
    score_parts,
)
from event_ops.pool.requests import released_details, requests_of_organisation
from event_ops.pool.rules import FINDABLE_SQL

PAGE_SIZE = 20
MAX_PAGE = 50  # results beyond 1,000 are not worth paging through
DISTANCE_STEP_KM = 5
NO_DATE = 0  # date ordinal meaning "not given"


# ---- what an employer asks for ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Criteria:
    """A search. ``competencies``: (code, level, required). With ``strict`` a member must
    hold every REQUIRED competency at least at its level; the others only rank."""

    competencies: tuple[tuple[str, int, bool], ...] = ()
    strict: bool = True
    sectors: tuple[str, ...] = ()
    postcode: str = ""
    max_km: int | None = None
    hours_min: int | None = None
    hours_max: int | None = None
    availability: tuple[str, ...] = ()
    education_min: str = ""  # an EDUCATION_RANK key: at least this level
    available_by: dt.date | None = None  # available on or before this date
    title: str = ""  # the job it is about (a job profile's title), shown on the request

    def profile(self) -> VacancyProfile:
        """The criteria as the engine's vacancy: the ranking target."""
        hours = self.hours_max if self.hours_max is not None else self.hours_min
        return VacancyProfile(id=0, employer_id=0, wanted=list(self.competencies),
                              title=self.title, sector=self.sectors[0] if self.sectors else "",
                              hours_per_week=hours, postcode=self.postcode[:4])


def criteria_from_job(job: VacancyProfile) -> Criteria:
    """Start from one of the organisation's own job profiles (``job.id`` is the profile's
    id): its competencies, sector, hours and place rank. Not strict: a profile's wish list
    is a ranking, not a gate."""
    return Criteria(competencies=tuple((c, int(lv), bool(r)) for c, lv, r in job.wanted),
                    strict=False, sectors=(job.sector,) if job.sector else (),
                    postcode=job.postcode,
                    hours_max=job.hours_per_week, title=job.title)


# ---- the pool as arrays --------------------------------------------------------------------


@dataclass(slots=True)
class Pool:
    """Every non-withdrawn member as arrays (row i is one member), plus what a card needs.
    Holds the postcode in memory only for the distance; it never leaves this module."""

    index: CodeIndex
    visitors: Visitors  # engine arrays; ``ids`` are row numbers, not visitor ids
    prepared: PreparedVisitors  # the visitors' side of the score, computed once
    csc: Any  # the levels by column: fast competency filters
    refs: list[str]
    member_ids: np.ndarray
    ends_on: np.ndarray  # int64 date ordinals
    available_from: np.ndarray  # int64 date ordinals, NO_DATE = now
    hours_min: np.ndarray  # float32, NaN = not given
    hours_max: np.ndarray
    max_km: np.ndarray  # float32, NaN = no limit
    profiles: list[VisitorProfile]
    row_of: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.refs)


def _ordinal(value: object) -> int:
    if value is None or value == "":
        return NO_DATE
    if isinstance(value, dt.datetime):
        return value.date().toordinal()
    if isinstance(value, dt.date):
        return value.toordinal()
    return dt.date.fromisoformat(str(value)[:10]).toordinal()


def build_pool(rows: Sequence[dict], comps: Sequence[dict]) -> Pool:
    """Arrays from the loader's rows (pure: tests and the benchmark call it directly)."""
    by_visitor: dict[int, dict[str, int]] = {}
    for c in comps:
        by_visitor.setdefault(c["visitor"], {})[c["code"]] = int(c["level"])
    profiles = [
        VisitorProfile(id=i, competencies=by_visitor.get(r["visitor"], {}),
                       sectors=_json_list(r["sectors"]),
                       education_level=r["education_level"] or "",
                       availability=_json_list(r["availability"]),
                       postcode=r["postcode"] or "")
        for i, r in enumerate(rows)
    ]
    index = CodeIndex()
    vis = build_visitors(profiles, index)

    def floats(key: str) -> np.ndarray:
        return np.array([np.nan if r[key] is None else r[key] for r in rows], dtype=np.float32)

    refs = [r["ref"] for r in rows]
    return Pool(
        index=index, visitors=vis, prepared=prepare_visitors(vis), csc=vis.levels.tocsc(),
        refs=refs,
        member_ids=np.array([r["id"] for r in rows], dtype=np.int64),
        ends_on=np.array([_ordinal(r["ends_on"]) for r in rows], dtype=np.int64),
        available_from=np.array([_ordinal(r["available_from"]) for r in rows], dtype=np.int64),
        hours_min=floats("hours_min"), hours_max=floats("hours_max"),
        max_km=floats("max_distance_km"), profiles=profiles,
        row_of={ref: i for i, ref in enumerate(refs)},
    )


_MEMBERS = (" FROM pool_member m JOIN visitor v ON v.id = m.visitor"
            " WHERE m.withdrawn_at IS NULL")


async def load_pool() -> Pool:
    """The one SQL loader: every non-withdrawn member with the profile fields the search
    uses (ended ones are filtered per search, so the cache survives midnight)."""
    db = current_engine()
    rows = await db.fetch(
        "SELECT m.id, m.ref, m.visitor, m.ends_on, m.hours_min, m.hours_max,"
        " m.available_from, m.max_distance_km, v.postcode, v.education_level,"
        " v.availability, v.sectors" + _MEMBERS + " ORDER BY m.id")
    comps = await db.fetch(
        "SELECT pc.visitor, pc.code, pc.level FROM profile_competency pc"
        " JOIN pool_member m ON m.visitor = pc.visitor WHERE m.withdrawn_at IS NULL")
    return build_pool(rows, comps)


async def _fingerprint() -> tuple:
    rows = await current_engine().fetch(
        "SELECT COUNT(*) AS n, SUM(m.id) AS ids, MAX(m.updated_at) AS m_at,"
        " MAX(v.updated_at) AS v_at" + _MEMBERS)
    row = rows[0] if rows else {}
    return (row.get("n"), row.get("ids"), str(row.get("m_at")), str(row.get("v_at")))


_cache: dict[str, Any] = {"key": None, "pool": None}
_lock = asyncio.Lock()


def invalidate() -> None:
    """Forget the cached pool (the next search reloads it)."""
    _cache["key"] = None
    _cache["pool"] = None
    _cache["checked"] = 0.0


# The fingerprint (one aggregate query over the pool) is looked at most this often: a
# profile change shows in the ranking within this many seconds, while a withdrawal never
# reaches a page at all (``still_findable`` checks the refs shown every time).
FINGERPRINT_SECONDS = 2.0


caches.register("pool.search", invalidate)


async def current_pool() -> Pool:
    """The cached pool, reloaded when the fingerprint changed."""
    now = time.monotonic()
    if _cache["pool"] is not None and now - _cache.get("checked", 0.0) < FINGERPRINT_SECONDS:
        return _cache["pool"]
    key = await _fingerprint()
    _cache["checked"] = now
    if _cache["key"] == key and _cache["pool"] is not None:
        return _cache["pool"]
    async with _lock:
        if _cache["key"] != key or _cache["pool"] is None:
            _cache["pool"] = await load_pool()
            _cache["key"] = key
    return _cache["pool"]


# ---- the search ----------------------------------------------------------------------------


def _mask_bits(values: Sequence[str], bits: dict[str, int]) -> int:
    out = 0
    for v in values:
        out |= bits.get(v, 0)
    return out


def findable(pool: Pool, today: dt.date) -> np.ndarray:
    return pool.ends_on >= today.toordinal()


def filter_mask(pool: Pool, c: Criteria, today: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(boolean mask of the members that pass every filter, km to the criteria's postcode
    or NaN). Vectorised over the whole pool."""
    vis = pool.visitors
    mask = findable(pool, today)
    if c.strict:
        for code, level, required in c.competencies:
            if not required:
                continue
            col = pool.index.columns.get(code)
            if col is None:
                return np.zeros(len(pool), dtype=bool), np.full(len(pool), np.nan)
            have = np.asarray(pool.csc[:, col].toarray()).reshape(-1)
            mask &= have >= level
    if c.sectors:
        sector_bits = 0
        for s in c.sectors:
            if s in SECTOR_INDEX:
                sector_bits |= 1 << SECTOR_INDEX[s]
        mask &= (vis.sectors & sector_bits) > 0
    lat, lon = locate(c.postcode)
    if math.isnan(lat):
        km = np.full(len(pool), np.nan, dtype=np.float32)
    else:
        km = distance_km(vis.lat, vis.lon, np.array([lat], dtype=np.float32),
                         np.array([lon], dtype=np.float32))[:, 0]
        if c.max_km is not None:
            mask &= km <= c.max_km
        # The member's own limit: nobody is shown for a job further than they would travel.
        mask &= ~(km > pool.max_km)
    if c.hours_min is not None or c.hours_max is not None:
        lo = c.hours_min if c.hours_min is not None else 0
        hi = c.hours_max if c.hours_max is not None else 99
        mask &= (pool.hours_min <= hi) & (pool.hours_max >= lo)
    if c.availability:
        mask &= (vis.availability & _mask_bits(c.availability, AVAILABILITY_BITS)) > 0
    if c.education_min:
        mask &= vis.education >= EDUCATION_RANK.get(c.education_min, 0)
    if c.available_by is not None:
        mask &= pool.available_from <= c.available_by.toordinal()
    return mask, km


@dataclass(frozen=True, slots=True)
class Ranked:
    """The rows (into the pool) that pass, best first, with their scores 0-1; ``parts``:
    the engine's score parts for every member (``score_parts``), for the cards shown."""

    rows: np.ndarray
    scores: np.ndarray
    km: np.ndarray
    parts: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows)


def _score_parts(pool: Pool, c: Criteria) -> dict[str, np.ndarray]:
    index = CodeIndex(pool.index.codes)  # a copy: criteria codes must not grow the pool's
    return score_parts(pool.prepared, build_vacancies([c.profile()], index))


def rank(pool: Pool, c: Criteria, today: dt.date) -> Ranked:
    """Filter and score the whole pool at once: no Python loop over members."""
    mask, km = filter_mask(pool, c, today)
    rows = np.flatnonzero(mask)
    if len(rows) == 0:
        return Ranked(rows, np.zeros(0, dtype=np.float32), km)
    # Every member at once (a sparse product and two small table gathers), then the rows
    # that passed: cheaper than slicing the prepared arrays per search.
    parts = _score_parts(pool, c)
    scores = parts["score"][rows, 0]
    # Best first; the same score keeps the older member first (stable, deterministic).
    order = np.argsort(-scores, kind="stable")
    return Ranked(rows[order], scores[order], km, parts)


def rounded_km(km: float) -> int | None:
    """Up to the next multiple of 5 (at least 5): "within X km", never the exact place."""
    if km is None or math.isnan(km):
        return None
    return max(DISTANCE_STEP_KM, int(math.ceil(km / DISTANCE_STEP_KM)) * DISTANCE_STEP_KM)


def cards(pool: Pool, rows: Sequence[int], c: Criteria, km: Sequence[float],
          parts: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """The anonymous results for these members, explained from the engine's score parts:
    exactly the contract's fields, nothing else."""
    target = c.profile()
    out = []
    for row, dist in zip(rows, km, strict=True):
        p = pool.profiles[row]
        why = explained(p, target, parts, row)
        about = why.as_dict()
        about.pop("distance_km", None)  # exact between centroids: the rounded one instead
        hours_min, hours_max = pool.hours_min[row], pool.hours_max[row]
        avail = int(pool.available_from[row])
        out.append({
            "ref": pool.refs[row],
            "score": about["score"],
            "competencies": [{"code": code, "level": int(level)}
                             for code, level in sorted(p.competencies.items())],
            "sectors": list(p.sectors),
            "education_level": p.education_level,
            "availability": list(p.availability),
            "hours_min": None if math.isnan(hours_min) else int(hours_min),
            "hours_max": None if math.isnan(hours_max) else int(hours_max),
            "available_from": (None if avail == NO_DATE
                               else dt.date.fromordinal(avail).isoformat()),
            "distance_km": rounded_km(float(dist)),
            "explanation": about,
        })
    return out


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    page: int
    pages: int
    results: list[dict[str, Any]]


def search(pool: Pool, c: Criteria, today: dt.date, page: int = 1,
           size: int = PAGE_SIZE) -> Page:
    """One page of anonymous, ranked results (pure: no database)."""
    ranked = rank(pool, c, today)
    pages = max(1, min(MAX_PAGE, math.ceil(ranked.total / size)))
    page = max(1, min(page, pages))
    start = (page - 1) * size
    rows = [int(r) for r in ranked.rows[start:start + size]]
    return Page(total=ranked.total, page=page, pages=pages,
                results=cards(pool, rows, c, [float(ranked.km[r]) for r in rows],
                              ranked.parts))


def member(pool: Pool, ref: str, c: Criteria, today: dt.date) -> dict[str, Any] | None:
    """One findable member's anonymous card against the criteria; None when unknown,
    withdrawn or ended (the same answer for all three)."""
    row = pool.row_of.get(ref)
    if row is None or not findable(pool, today)[row]:
        return None
    lat, lon = locate(c.postcode)
    km = math.nan
    if not math.isnan(lat):
        km = float(distance_km(pool.visitors.lat[row:row + 1], pool.visitors.lon[row:row + 1],
                               np.array([lat], dtype=np.float32),
                               np.array([lon], dtype=np.float32))[0, 0])
    return cards(pool, [row], c, [km], _score_parts(pool, c))[0]


async def still_findable(refs: Sequence[str], today: dt.date) -> set[str]:
    """Which of these refs are findable in the database right now (the cache may be a
    moment behind a withdrawal: a withdrawn member never reaches a page)."""
    if not refs:
        return set()
    rows = await current_engine().fetch(
        f"SELECT m.ref FROM pool_member m WHERE {FINDABLE_SQL}"
        f" AND m.ref IN ({', '.join('?' * len(refs))})", [today, *refs])
    return {r["ref"] for r in rows}


async def find(c: Criteria, today: dt.date, page: int = 1) -> Page:
    """The search as the pages and the API run it: cached pool, then the double check."""
    result = search(await current_pool(), c, today, page)
    live = await still_findable([r["ref"] for r in result.results], today)
    if len(live) != len(result.results):  # the cache is behind a withdrawal: reload once
        invalidate()
        result = search(await current_pool(), c, today, page)
        live = await still_findable([r["ref"] for r in result.results], today)
        result = replace(result, results=[r for r in result.results if r["ref"] in live])
    return result


async def find_member(ref: str, c: Criteria, today: dt.date) -> dict[str, Any] | None:
    found = member(await current_pool(), ref, c, today)
    if found is None or not await still_findable([ref], today):
        return None
    return found


async def member_id(ref: str) -> int | None:
    rows = await current_engine().fetch("SELECT id FROM pool_member WHERE ref = ?", [ref])
    return rows[0]["id"] if rows else None


# ---- the organisation's side -----------------------------------------------------------------


async def may_search(organisation_id: int) -> bool:
    """Only an approved organisation (one that takes part in an event) searches the pool."""
    rows = await current_engine().fetch(
        "SELECT 1 AS ok FROM employer WHERE organisation = ? LIMIT 1", [organisation_id])
    return bool(rows)


async def job_choices(organisation_id: int) -> list[dict[str, Any]]:
    """The organisation's own job profiles that are not archived: id and title, for the
    form's "start from one of our jobs" (profiles live across events: one entry per job,
    however many events it was used at)."""
    return list(await current_engine().fetch(
        "SELECT id, title FROM job_profile WHERE organisation = ? AND archived_at IS NULL"
        " ORDER BY LOWER(title), id", [organisation_id]))


async def organisation_jobs(organisation_id: int,
                            profile_id: int | None = None) -> list[VacancyProfile]:
    """The organisation's own non-archived job profiles as the engine's vacancy (``id``:
    the profile's id, ``employer_id`` 0; the three flags carried). Only ``profile_id``
    when given: one of another organisation, or an archived one, gives nothing."""
    db = current_engine()
    only = " AND p.id = ?" if profile_id is not None else ""
    args = [organisation_id] + ([profile_id] if profile_id is not None else [])
    own = "p.organisation = ? AND p.archived_at IS NULL" + only
    jobs = await db.fetch(
        "SELECT p.id, p.title, p.sector, p.hours_per_week, p.postcode, p.positions,"
        " p.job_carving, p.supported_employment, p.training_on_the_job"
        f" FROM job_profile p WHERE {own} ORDER BY LOWER(p.title), p.id", args)
    if not jobs:
        return []
    wanted = await db.fetch(
        "SELECT c.job_profile, c.code, c.level, c.required FROM job_profile_competency c"
        f" JOIN job_profile p ON p.id = c.job_profile WHERE {own}", args)
    by_job: dict[int, list[tuple[str, int, bool]]] = {}
    for w in wanted:
        by_job.setdefault(w["job_profile"], []).append(
            (w["code"], int(w["level"]), bool(w["required"])))
    return [VacancyProfile(id=j["id"], employer_id=0, title=j["title"],
                           wanted=by_job.get(j["id"], []), sector=j["sector"] or "",
                           hours_per_week=j["hours_per_week"], postcode=j["postcode"] or "",
                           positions=j["positions"] or 1,
                           job_carving=bool(j["job_carving"]),
                           supported_employment=bool(j["supported_employment"]),
                           training_on_the_job=bool(j["training_on_the_job"]))
            for j in jobs]


def _job_not_found() -> DomainError:
    return DomainError("job_profile_not_found", "Your organisation has no such job profile.")


# ---- criteria from a form or query string, and the audited views ----------------------------


MAX_COMPETENCIES = 10


def _one(query: Mapping[str, Sequence[str]], key: str) -> str:
    values = query.get(key) or []
    return str(values[0]).strip() if values else ""


def _int(text: str, low: int, high: int) -> int | None:
    try:
        return max(low, min(high, int(text)))
    except ValueError:
        return None


def criteria_from_query(query: Mapping[str, Sequence[str]],
                        jobs: Sequence[VacancyProfile] = ()) -> Criteria:
    """The search form's fields (the pages' GET form and the API's query string alike).
    ``job``: one of ``jobs`` (the organisation's own job profiles) as the starting point;
    ``code`` / ``level`` pairs (repeated): competencies with a minimum level, all required
    when ``strict`` is on. Unknown or malformed values are left out, never an error: a
    search with fewer filters is still a search."""
    filters: dict[str, Any] = {}
    if km := _int(_one(query, "km"), 1, 500):
        filters["max_km"] = km
    sectors = tuple(s for s in query.get("sector", []) if s in SECTOR_INDEX)
    if sectors:
        filters["sectors"] = sectors
    postcode = _one(query, "postcode").replace(" ", "")[:4]
    if postcode:
        filters["postcode"] = postcode
    hours = (_int(_one(query, "hours_min"), 0, 80), _int(_one(query, "hours_max"), 0, 80))
    if hours[0] is not None:
        filters["hours_min"] = hours[0]
    if hours[1] is not None:
        filters["hours_max"] = hours[1]
    availability = tuple(a for a in query.get("availability", []) if a in AVAILABILITY_BITS)
    if availability:
        filters["availability"] = availability
    education = _one(query, "education")
    if education in EDUCATION_RANK:
        filters["education_min"] = education
    try:
        if available := _one(query, "available_by"):
            filters["available_by"] = dt.date.fromisoformat(available)
    except ValueError:
        pass
    chosen = _int(_one(query, "job"), 1, 2**62)
    job = next((j for j in jobs if j.id == chosen), None)
    if job is not None:
        return _merge(criteria_from_job(job), filters)
    codes, levels = list(query.get("code", [])), list(query.get("level", []))
    wanted: dict[str, int] = {}
    for i, code in enumerate(codes[:MAX_COMPETENCIES]):
        code = str(code).strip()
        if code:
            level = _int(str(levels[i]) if i < len(levels) else "1", 1, 4) or 1
            wanted[code[:64]] = level
    if "strict" in query:
        strict = _one(query, "strict") in ("1", "on", "true")
    else:  # the form's unticked box sends nothing; without the form: strict
        strict = "go" not in query
    return Criteria(competencies=tuple((c, lv, True) for c, lv in wanted.items()),
                    strict=strict, **filters)


def _merge(base: Criteria, filters: dict[str, Any]) -> Criteria:
    """The job profile's criteria with the form's filters on top (the form wins)."""
    return replace(base, **filters)


def query_of(c: Criteria, job_id: int | None = None) -> list[tuple[str, str]]:
    """The criteria back as query pairs (links from a result to its card and back)."""
    pairs: list[tuple[str, str]] = []
    if job_id:
        pairs.append(("job", str(job_id)))
    else:
        for code, level, _ in c.competencies:
            pairs += [("code", code), ("level", str(level))]
        pairs.append(("strict", "1" if c.strict else "0"))
    pairs += [("sector", s) for s in c.sectors] if not job_id else []
    for key, value in (("postcode", c.postcode), ("km", c.max_km),
                       ("hours_min", c.hours_min), ("hours_max", c.hours_max),
                       ("education", c.education_min),
                       ("available_by", c.available_by.isoformat() if c.available_by else "")):
        if value not in (None, ""):
            pairs.append((key, str(value)))
    pairs += [("availability", a) for a in c.availability]
    return pairs


async def view_results(actor: str, organisation_id: int, c: Criteria, today: dt.date,
                       page: int = 1) -> Page:
    """A page of results, audited: who saw which refs (``pool.searched``)."""
    result = await find(c, today, page)
    await audit.record(actor, "pool.searched", subject_type="organisation",
                       subject_id=organisation_id, fields=[r["ref"] for r in result.results])
    return result


async def view_member(actor: str, organisation_id: int, ref: str, c: Criteria,
                      today: dt.date) -> dict[str, Any]:
    """One member's card, audited (``pool.member_viewed``); ``pool_not_found`` (as
    ``request_contact`` says it) for an unknown, withdrawn or ended member alike."""
    found = await find_member(ref, c, today)
    if found is None:
        raise DomainError("pool_not_found", "This person is not in the pool (any more).")
    await audit.record(actor, "pool.member_viewed", subject_type="pool_member",
                       subject_id=await member_id(ref), fields=[ref])
    return found



async def requests_with_details(organisation_id: int, actor: str) -> list[dict[str, Any]]:
    """The organisation's requests (the member's ref only); an accepted one carries
    ``details``: what ``released_details`` gives (only the fields the member released; its
    reading audited), nothing else ever."""
    out = []
    for row in await requests_of_organisation(organisation_id):
        item = dict(row)
        item["details"] = (await released_details(row["id"], organisation_id, actor=actor)
                           if row["status"] == "accepted" else None)
        out.append(item)
    return out


def contact_of(actor: str) -> int:
    """The contact person's id from their audit actor ``contact:<id>``."""
    return int(actor.split(":", 1)[1])


async def about_job(organisation_id: int, job: str, about: str) -> tuple[str, int | None]:
    """(what the request is about, the job profile id): the title and id of one of the
    organisation's own non-archived job profiles when one was chosen, else the typed text
    and None. ``job_profile_not_found`` (404) for a profile id of another organisation, an
    archived or an unknown one: never another organisation's title on a request."""
    job = job.strip()
    if not job:
        return about.strip()[:200], None
    chosen = _int(job, 1, 2**62)
    found = await organisation_jobs(organisation_id, chosen) if chosen is not None else []
    if not found:
        raise _job_not_found()
    return found[0].title[:200], found[0].id


async def criteria_for(query: Mapping[str, Sequence[str]], organisation_id: int) -> Criteria:
    """:func:`criteria_from_query` with the chosen job profile (``job``) read from the
    database; ``job_profile_not_found`` when it is not one of this organisation's
    non-archived profiles (so another organisation's id is a 404, never a silent search)."""
    text = _one(query, "job")
    if not text:
        return criteria_from_query(query)
    chosen = _int(text, 1, 2**62)
    jobs = await organisation_jobs(organisation_id, chosen) if chosen is not None else []
    if not jobs:
        raise _job_not_found()
    return criteria_from_query(query, jobs)


def clean_ref(ref: str) -> str:
    """A pseudonym from a URL: letters and digits, at most 12; ``pool_not_found`` for
    anything else (a NUL or a long string never reaches the database)."""
    if not (0 < len(ref) <= 12 and ref.isascii() and ref.isalnum()):
        raise DomainError("pool_not_found", "This person is not in the pool (any more).")
    return ref
