"""Reciprocal, explainable visitor × vacancy scores for a whole event at once.

Contract
--------
* :func:`score_matrix` is pure: arrays in (:class:`Visitors`, :class:`Vacancies`, built over
  one shared :class:`CodeIndex`), a dense ``float32`` matrix (visitors × vacancies) of scores
  in ``[0, 1]`` out. It is vectorised (sparse × dense products, broadcasting) and works in
  blocks of visitors, so memory stays bounded for any number of visitors.
* :func:`explain` scores one pair *through the same vectorised code* and says why: which
  competencies matched (fully or at a lower level), which required ones are missing, and
  each context factor. Use it for the few pairs a person looks at, never in a loop.
* :func:`load_event` reads an event's registered visitors and its vacancies from the
  database and builds the arrays.

The score
---------
``score = fit × sector × education × availability × distance``, where

* ``coverage`` (visitor → vacancy) is exactly the tablet's per-pair rule in
  ``event_ops/matching/score.py``: each required competency weighs 2, each nice-to-have 1;
  it counts fully when the visitor's level reaches the vacancy's level, half when lower.
* ``usage`` (vacancy → visitor): the share of the visitor's profile, weighted by the
  visitor's own levels, that the vacancy asks for. A vacancy that needs the visitor's
  strongest skills beats one that touches a side skill.
* ``fit`` is the harmonic mean of the two: both directions must be good for a high score.
* Each context factor lies in ``[low, 1]``; when either side did not say (no sectors, no
  postcode, no hours…) it is *neutral*: halfway, so silence neither wins nor loses against
  a typical known answer.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

from event_ops.core.db import current_engine

PLACES_CSV = Path(__file__).resolve().parent.parent / "data" / "demo" / "places.csv"

# Highest education → the competency level (1-4) it usually goes with. "foreign" and empty
# are unknown: a foreign diploma says little about the Dutch level.
EDUCATION_RANK: dict[str, int] = {
    "none": 1, "vmbo": 1, "mbo1": 1, "mbo2": 2, "mbo3": 3, "mbo4": 3, "havo_vwo": 3,
    "hbo": 4, "wo": 4,
}
AVAILABILITY_BITS: dict[str, int] = {
    "fulltime": 1, "parttime": 2, "evenings": 4, "weekends": 8, "shifts": 16,
}
FULLTIME_HOURS = 32
# A full-time job fits people available full-time or in shifts; a part-time job fits
# anyone who can work part of the week (full-timers can work fewer hours too).
NEEDS_FULLTIME = AVAILABILITY_BITS["fulltime"] | AVAILABILITY_BITS["shifts"]
NEEDS_PARTTIME = (AVAILABILITY_BITS["parttime"] | AVAILABILITY_BITS["evenings"]
                  | AVAILABILITY_BITS["weekends"] | AVAILABILITY_BITS["fulltime"])
SECTORS: tuple[str, ...] = (
    "construction", "care", "technology", "hospitality", "logistics", "ict", "business",
    "general",
)
SECTOR_INDEX = {s: i for i, s in enumerate(SECTORS)}


@dataclass(frozen=True, slots=True)
class Weights:
    """The knobs of the score. ``*_low`` is a factor's value for a clear mismatch."""

    required: float = 2.0
    nice: float = 1.0
    partial: float = 0.5  # credit for a competency held at a lower level than asked
    sector_low: float = 0.8
    education_low: float = 0.85  # vacancy level two or more above the education's level
    availability_low: float = 0.8
    distance_low: float = 0.7
    near_km: float = 10.0  # closer than this: no penalty
    far_km: float = 60.0  # further than this: the full penalty


DEFAULT_WEIGHTS = Weights()


# ---- inputs as Python records ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisitorProfile:
    """One visitor as the engine sees them. ``id`` is the registration id."""

    id: int
    competencies: Mapping[str, int]  # code -> level 1-4
    sectors: Sequence[str] = ()
    education_level: str = ""
    availability: Sequence[str] = ()
    postcode: str = ""


@dataclass(frozen=True, slots=True)
class VacancyProfile:
    id: int
    employer_id: int
    wanted: Sequence[tuple[str, int, bool]]  # (code, level, required)
    title: str = ""
    sector: str = ""
    hours_per_week: int | None = None
    postcode: str = ""  # where the work is (PC4); empty: unknown
    positions: int = 1
    # Whether the job fits people with a distance to the labour market (the vacancy's
    # flags, from its job profile: event_ops/employers/job_profiles.py). Data only: the
    # score does not use them; a candidate pool may filter on them.
    job_carving: bool = False
    supported_employment: bool = False
    training_on_the_job: bool = False


class CodeIndex:
    """Competency code -> column. Visitors and vacancies must share one index."""

    def __init__(self, codes: Iterable[str] = ()) -> None:
        self.columns: dict[str, int] = {}
        for code in codes:
            self.add(code)

    def add(self, code: str) -> int:
        col = self.columns.get(code)
        if col is None:
            col = self.columns[code] = len(self.columns)
        return col

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def codes(self) -> list[str]:
        return list(self.columns)


# ---- inputs as arrays ----------------------------------------------------------------


@dataclass(slots=True)
class Visitors:
    """n visitors as arrays. Unknowns: 0 (bit masks, ranks), NaN (coordinates)."""

    ids: np.ndarray  # int64 registration ids
    levels: sparse.csr_matrix  # (n, codes) level 1-4, 0 = absent
    sectors: np.ndarray  # uint16 bit mask over SECTORS
    education: np.ndarray  # int8 rank 1-4
    availability: np.ndarray  # uint8 bit mask over AVAILABILITY_BITS
    lat: np.ndarray  # float32
    lon: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(slots=True)
class Vacancies:
    ids: np.ndarray  # int64
    employer_ids: np.ndarray  # int64
    levels: sparse.csr_matrix  # (m, codes) wanted level 1-4, 0 = not wanted
    required: sparse.csr_matrix  # (m, codes) 1 where required
    sector: np.ndarray  # int8 index into SECTORS, -1 = unknown
    hours: np.ndarray  # float32 hours per week, NaN = unknown
    lat: np.ndarray
    lon: np.ndarray
    positions: np.ndarray  # int32
    titles: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


@cache
def places() -> dict[str, tuple[float, float]]:
    """PC4 -> (lat, lon) from places.csv, plus PC3 -> mean of its PC4s as a fallback: Dutch
    postcodes that share their first three digits lie in the same area."""
    out: dict[str, tuple[float, float]] = {}
    groups: dict[str, list[tuple[float, float]]] = {}
    with PLACES_CSV.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            point = (float(row["lat"]), float(row["lon"]))
            out[row["postcode"]] = point
            groups.setdefault(row["postcode"][:3], []).append(point)
    for pc3, points in groups.items():
        out[pc3] = (sum(p[0] for p in points) / len(points),
                    sum(p[1] for p in points) / len(points))
    return out


def locate(postcode: str | None) -> tuple[float, float]:
    """(lat, lon) of a Dutch postcode's PC4 (or its PC3 area); (NaN, NaN) when unknown."""
    digits = (postcode or "").strip()[:4]
    if len(digits) != 4 or not digits.isdigit():
        return (math.nan, math.nan)
    known = places()
    return known.get(digits) or known.get(digits[:3]) or (math.nan, math.nan)


def _sector_mask(sectors: Iterable[str]) -> int:
    mask = 0
    for s in sectors:
        if s in SECTOR_INDEX:
            mask |= 1 << SECTOR_INDEX[s]
    return mask


def _availability_mask(values: Iterable[str]) -> int:
    mask = 0
    for a in values:
        mask |= AVAILABILITY_BITS.get(a, 0)
    return mask


def build_visitors(profiles: Sequence[VisitorProfile], index: CodeIndex) -> Visitors:
    """Arrays for ``profiles``; adds their competency codes to ``index``."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    for i, p in enumerate(profiles):
        for code, level in p.competencies.items():
            rows.append(i)
            cols.append(index.add(code))
            vals.append(max(1, min(4, int(level))))
    coords = np.array([locate(p.postcode) for p in profiles], dtype=np.float32).reshape(-1, 2)
    return Visitors(
        ids=np.array([p.id for p in profiles], dtype=np.int64),
        levels=_csr(rows, cols, vals, len(profiles), index),
        sectors=np.array([_sector_mask(p.sectors) for p in profiles], dtype=np.uint16),
        education=np.array([EDUCATION_RANK.get(p.education_level, 0) for p in profiles],
                           dtype=np.int8),
        availability=np.array([_availability_mask(p.availability) for p in profiles],
                              dtype=np.uint8),
        lat=coords[:, 0], lon=coords[:, 1],
    )


def build_vacancies(profiles: Sequence[VacancyProfile], index: CodeIndex) -> Vacancies:
    """Arrays for ``profiles``; adds their competency codes to ``index``."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    req: list[int] = []
    for i, p in enumerate(profiles):
        for code, level, required in p.wanted:
            rows.append(i)
            cols.append(index.add(code))
            vals.append(max(1, min(4, int(level))))
            req.append(1 if required else 0)
    coords = np.array([locate(p.postcode) for p in profiles], dtype=np.float32).reshape(-1, 2)
    return Vacancies(
        ids=np.array([p.id for p in profiles], dtype=np.int64),
        employer_ids=np.array([p.employer_id for p in profiles], dtype=np.int64),
        levels=_csr(rows, cols, vals, len(profiles), index),
        required=_csr(rows, cols, req, len(profiles), index),
        sector=np.array([SECTOR_INDEX.get(p.sector, -1) for p in profiles], dtype=np.int8),
        hours=np.array([np.nan if p.hours_per_week is None else p.hours_per_week
                        for p in profiles], dtype=np.float32),
        lat=coords[:, 0], lon=coords[:, 1],
        positions=np.array([max(0, p.positions) for p in profiles], dtype=np.int32),
        titles=[p.title for p in profiles],
    )


def _csr(rows: list[int], cols: list[int], vals: list[int], n: int,
         index: CodeIndex) -> sparse.csr_matrix:
    # Width is fixed later (``_width``): the index may still grow while the other side is built.
    m = sparse.coo_matrix((np.array(vals, dtype=np.float32), (rows, cols)),
                          shape=(n, max(len(index), 1)))
    m.sum_duplicates()
    return m.tocsr()


def _width(m: sparse.csr_matrix, n_codes: int) -> sparse.csr_matrix:
    if m.shape[1] == n_codes:
        return m
    m = m.copy()
    m.resize((m.shape[0], n_codes))
    return m


# ---- the vectorised score ------------------------------------------------------------


@dataclass(slots=True)
class _VacancySide:
    """Everything about the vacancies the score needs, precomputed once per call."""

    stack: np.ndarray  # (4 * codes, 2m): [coverage numerator | usage numerator] weights
    total: np.ndarray  # (m,) total competency weight of each vacancy
    level: np.ndarray  # (m,) highest required level, 0 = unknown
    needs: np.ndarray  # (m,) availability bits that fit, 0 = unknown
    sector: np.ndarray
    lat: np.ndarray
    lon: np.ndarray


def _vacancy_side(vac: Vacancies, n_codes: int, w: Weights) -> _VacancySide:
    levels = _width(vac.levels, n_codes).toarray().T  # (codes, m), small: codes × vacancies
    required = _width(vac.required, n_codes).toarray().T > 0
    wanted = levels > 0
    weight = np.where(required, w.required, w.nice) * wanted  # (codes, m)
    m = levels.shape[1]
    # Coverage numerator for a visitor with level h on a code wanted at level L and weight W:
    #   partial·W·[h ≥ 1] + (1 - partial)·W·[h ≥ L]
    # With H_k = [h ≥ k] (k = 1..4) as visitor columns this is one product
    #   [H_1 H_2 H_3 H_4] @ [partial·W + (1-p)·W·[L=1]; (1-p)·W·[L=2]; …].
    # The usage numerator Σ h·[wanted] is Σ_k H_k @ [wanted] in the same product.
    cover = np.zeros((4 * n_codes, m), dtype=np.float32)
    use = np.zeros((4 * n_codes, m), dtype=np.float32)
    for k in range(1, 5):
        block = slice((k - 1) * n_codes, k * n_codes)
        cover[block] = (1 - w.partial) * weight * (levels == k)
        use[block] = wanted
    cover[:n_codes] += w.partial * weight
    req_levels = np.where(required, levels, 0).max(axis=0) if n_codes else np.zeros(m)
    any_levels = levels.max(axis=0) if n_codes else np.zeros(m)
    hours = vac.hours
    needs = np.where(np.isnan(hours), 0,
                     np.where(hours >= FULLTIME_HOURS, NEEDS_FULLTIME, NEEDS_PARTTIME))
    return _VacancySide(
        stack=np.hstack([cover, use]),
        total=weight.sum(axis=0).astype(np.float32),
        level=np.where(req_levels > 0, req_levels, any_levels).astype(np.int8),
        needs=needs.astype(np.uint8),
        sector=vac.sector, lat=vac.lat, lon=vac.lon,
    )


def _visitor_stack(levels: sparse.csr_matrix) -> sparse.csr_matrix:
    """[H_1 H_2 H_3 H_4] with H_k = [level ≥ k], as one sparse matrix."""
    return sparse.hstack([(levels >= k).astype(np.float32) for k in range(1, 5)], format="csr")


def _factor(fits: np.ndarray, known: np.ndarray, low: float) -> np.ndarray:
    neutral = (1.0 + low) / 2
    return np.where(known, np.where(fits, 1.0, low), neutral).astype(np.float32)


def _fit(levels: sparse.csr_matrix, side: _VacancySide) -> dict[str, np.ndarray]:
    """Coverage, usage and their harmonic mean for a block of visitors × every vacancy."""
    m = len(side.total)
    products = np.asarray(_visitor_stack(levels) @ side.stack)  # (b, 2m)
    total = side.total[None, :]
    coverage = np.divide(products[:, :m], total, out=np.zeros_like(products[:, :m]),
                         where=total > 0)
    own = np.asarray(levels.sum(axis=1), dtype=np.float32)  # (b, 1) Σ of own levels
    usage = np.divide(products[:, m:], own, out=np.zeros_like(products[:, m:]), where=own > 0)
    denom = coverage + usage
    fit = np.divide(2 * coverage * usage, denom, out=np.zeros_like(denom), where=denom > 0)
    return {"coverage": coverage, "usage": usage, "fit": fit}


@dataclass(slots=True)
class _Table:
    """Factors computed once per distinct (visitor key, vacancy key) pair."""

    v_key: np.ndarray  # (n,) row of each visitor
    j_key: np.ndarray  # (m,) column of each vacancy
    factors: dict[str, np.ndarray]  # name -> (visitor keys, vacancy keys)
    product: np.ndarray  # float32, the factors multiplied

    def gather(self, rows: slice) -> np.ndarray:
        return self.product[self.v_key[rows][:, None], self.j_key[None, :]]


def _keys(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows, NaN kept; index of each input row into them)."""
    data = np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])
    data = np.where(np.isnan(data), -1e9, data).reshape(len(columns[0]), len(columns))
    rows, inverse = np.unique(data, axis=0, return_inverse=True)
    return np.where(rows == -1e9, np.nan, rows), inverse.reshape(-1)


def _context(vis: Visitors, side: _VacancySide, w: Weights) -> list[_Table]:
    """The context factors as two small tables, one gather each per block.

    Visitors share sector sets, education levels, availability and PC4 areas, and vacancies
    share sectors, levels, hours and work places: keyed by (sectors, education) and by
    (availability, place) there are far fewer distinct keys than people, so the tables are
    small and a gather replaces a dozen full-size array operations.
    """
    v_rows, v_key = _keys(vis.sectors, vis.education)
    j_rows, j_key = _keys(side.sector, side.level)
    v_sec = v_rows[:, 0].astype(np.int32)[:, None]
    j_sec = j_rows[:, 0].astype(np.int32)[None, :]
    in_sector = (v_sec >> np.maximum(j_sec, 0)) & 1
    sector = _factor(in_sector > 0, (v_sec > 0) & (j_sec >= 0), w.sector_low)
    edu = v_rows[:, 1].astype(np.int16)[:, None]
    need = j_rows[:, 1].astype(np.int16)[None, :]
    education = _factor(need - edu <= 1, (edu > 0) & (need > 0), w.education_low)
    first = _Table(v_key, j_key, {"sector": sector, "education": education},
                   sector * education)

    v_rows, v_key = _keys(vis.availability, vis.lat, vis.lon)
    j_rows, j_key = _keys(side.needs, side.lat, side.lon)
    avail = v_rows[:, 0].astype(np.uint8)[:, None]
    needs = j_rows[:, 0].astype(np.uint8)[None, :]
    availability = _factor((avail & needs) > 0, (avail > 0) & (needs > 0), w.availability_low)
    km = distance_km(v_rows[:, 1], v_rows[:, 2], j_rows[:, 1], j_rows[:, 2])
    ramp = np.clip((np.nan_to_num(km) - w.near_km) / (w.far_km - w.near_km), 0.0, 1.0)
    distance = np.where(~np.isnan(km), 1.0 - (1.0 - w.distance_low) * ramp,
                        (1.0 + w.distance_low) / 2).astype(np.float32)
    second = _Table(v_key, j_key, {"availability": availability, "distance": distance,
                                   "km": km}, availability * distance)
    return [first, second]


def distance_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray,
                lon2: np.ndarray) -> np.ndarray:
    """(n, m) distances in km, NaN where either end is unknown. Equirectangular: within
    one province the error against the great circle is far below a kilometre."""
    mean_lat = np.deg2rad(53.0)
    dy = (lat1[:, None] - lat2[None, :]) * 110.57
    dx = (lon1[:, None] - lon2[None, :]) * 111.32 * np.cos(mean_lat)
    return np.sqrt(dx * dx + dy * dy).astype(np.float32)


def score_matrix(vis: Visitors, vac: Vacancies, weights: Weights = DEFAULT_WEIGHTS,
                 block: int = 2048) -> np.ndarray:
    """(visitors, vacancies) float32 scores in [0, 1]. Pure; memory ~ block × vacancies."""
    out = np.empty((len(vis), len(vac)), dtype=np.float32)
    for start, part in iter_blocks(vis, vac, weights, block):
        out[start:start + part.shape[0]] = part
    return out


def iter_blocks(vis: Visitors, vac: Vacancies, weights: Weights = DEFAULT_WEIGHTS,
                block: int = 2048) -> Iterable[tuple[int, np.ndarray]]:
    """Yield (first row, scores of ``block`` visitors × all vacancies), for callers that
    reduce each block at once (e.g. best vacancy per employer) instead of keeping it all."""
    n_codes = max(vis.levels.shape[1], vac.levels.shape[1])
    side = _vacancy_side(vac, n_codes, weights)
    tables = _context(vis, side, weights)
    levels = _width(vis.levels, n_codes)
    for start in range(0, len(vis), block):
        rows = slice(start, start + block)
        score = _fit(levels[rows], side)["fit"]
        for table in tables:
            score *= table.gather(rows)
        yield start, score


def employer_scores(vis: Visitors, vac: Vacancies, weights: Weights = DEFAULT_WEIGHTS,
                    block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """(employer ids, (visitors, employers) float32): each employer's best vacancy score."""
    order = np.argsort(vac.employer_ids, kind="stable")
    employers, starts = np.unique(vac.employer_ids[order], return_index=True)
    out = np.zeros((len(vis), len(employers)), dtype=np.float32)
    if len(vac) == 0:
        return employers, out
    for start, part in iter_blocks(vis, vac, weights, block):
        out[start:start + part.shape[0]] = np.maximum.reduceat(part[:, order], starts, axis=1)
    return employers, out


# ---- one pair, explained ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatchedCompetency:
    code: str
    have: int
    wanted: int
    required: bool

    @property
    def full(self) -> bool:
        return self.have >= self.wanted


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a visitor and a vacancy score what they score. ``score`` is 0-100."""

    score: int
    coverage: float
    usage: float
    matched: tuple[MatchedCompetency, ...]
    missing_required: tuple[str, ...]
    factors: dict[str, float]
    distance_km: float | None

    def as_dict(self) -> dict:
        return {
            "score": self.score, "coverage": round(self.coverage, 3),
            "usage": round(self.usage, 3),
            "matched": [{"code": m.code, "have": m.have, "wanted": m.wanted,
                         "required": m.required, "full": m.full} for m in self.matched],
            "missing_required": list(self.missing_required),
            "factors": {k: round(v, 3) for k, v in self.factors.items()},
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
        }


def explain(visitor: VisitorProfile, vacancy: VacancyProfile,
            weights: Weights = DEFAULT_WEIGHTS) -> Explanation:
    """Score one pair with the vectorised code (so it always agrees with
    :func:`score_matrix`) and list the reasons."""
    index = CodeIndex()
    vis = build_visitors([visitor], index)
    vac = build_vacancies([vacancy], index)
    side = _vacancy_side(vac, len(index), weights)
    fit = _fit(_width(vis.levels, len(index)), side)
    parts = {k: float(v[0, 0]) for k, v in fit.items()}
    score = fit["fit"][0, 0]
    for table in _context(vis, side, weights):
        cell = (table.v_key[0], table.j_key[0])
        parts |= {k: float(v[cell]) for k, v in table.factors.items()}
        score = score * table.product[cell]  # float32 steps, exactly as in iter_blocks
    parts["score"] = float(score)
    matched = tuple(
        MatchedCompetency(code, int(visitor.competencies[code]), int(level), bool(required))
        for code, level, required in vacancy.wanted if code in visitor.competencies
    )
    missing = tuple(code for code, _, required in vacancy.wanted
                    if required and code not in visitor.competencies)
    return Explanation(
        score=to_percent(parts["score"]), coverage=parts["coverage"], usage=parts["usage"],
        matched=matched, missing_required=missing,
        factors={k: parts[k] for k in ("sector", "education", "availability", "distance")},
        distance_km=None if math.isnan(parts["km"]) else parts["km"],
    )


def to_percent(score: float) -> int:
    return int(round(100 * float(score)))


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """(n, k) column indices of each row's k best scores, best first."""
    k = min(k, scores.shape[1])
    if k == 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    picked = np.take_along_axis(scores, part, axis=1)
    return np.take_along_axis(part, np.argsort(-picked, axis=1, kind="stable"), axis=1)


# ---- from the database -------------------------------------------------------------------


@dataclass(slots=True)
class EventData:
    """An event's registered visitors and its vacancies, as arrays and as records."""

    index: CodeIndex
    visitors: Visitors
    vacancies: Vacancies
    visitor_profiles: dict[int, VisitorProfile]
    vacancy_profiles: dict[int, VacancyProfile]


def _json_list(value: object) -> list[str]:
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value or "[]")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


async def load_event(event_id: int) -> EventData:
    """Registered (not waiting, not cancelled) visitors and every vacancy of the event,
    each with its postcode (the visitor's home, the vacancy's workplace) for the distance
    factor; an empty postcode is unknown, and distance is then neutral for that pair."""
    db = current_engine()
    people = await db.fetch(
        "SELECT r.id, r.visitor, v.postcode, v.education_level, v.availability, v.sectors"
        " FROM registration r JOIN visitor v ON v.id = r.visitor"
        " WHERE r.event = ? AND r.status = 'registered' ORDER BY r.id",
        [event_id],
    )
    comps = await db.fetch(
        "SELECT pc.visitor, pc.code, pc.level FROM profile_competency pc"
        " JOIN registration r ON r.visitor = pc.visitor"
        " WHERE r.event = ? AND r.status = 'registered'",
        [event_id],
    )
    by_visitor: dict[int, dict[str, int]] = {}
    for c in comps:
        by_visitor.setdefault(c["visitor"], {})[c["code"]] = c["level"]
    visitors = [
        VisitorProfile(
            id=p["id"], competencies=by_visitor.get(p["visitor"], {}),
            sectors=_json_list(p["sectors"]), education_level=p["education_level"] or "",
            availability=_json_list(p["availability"]), postcode=p["postcode"] or "",
        )
        for p in people
    ]
    jobs = await db.fetch(
        "SELECT v.id, v.employer, v.title, v.sector, v.positions, v.hours_per_week,"
        " v.postcode, v.job_carving, v.supported_employment, v.training_on_the_job,"
        " e.sector AS employer_sector FROM vacancy v"
        " JOIN employer e ON e.id = v.employer WHERE e.event = ? ORDER BY v.id",
        [event_id],
    )
    wanted = await db.fetch(
        "SELECT vc.vacancy, vc.code, vc.level, vc.required FROM vacancy_competency vc"
        " JOIN vacancy v ON v.id = vc.vacancy JOIN employer e ON e.id = v.employer"
        " WHERE e.event = ?",
        [event_id],
    )
    by_vacancy: dict[int, list[tuple[str, int, bool]]] = {}
    for w in wanted:
        by_vacancy.setdefault(w["vacancy"], []).append((w["code"], w["level"], bool(w["required"])))
    vacancies = [
        VacancyProfile(
            id=j["id"], employer_id=j["employer"], title=j["title"],
            wanted=by_vacancy.get(j["id"], []), sector=j["sector"] or j["employer_sector"] or "",
            hours_per_week=j["hours_per_week"], positions=j["positions"] or 0,
            postcode=j["postcode"] or "", job_carving=bool(j["job_carving"]),
            supported_employment=bool(j["supported_employment"]),
            training_on_the_job=bool(j["training_on_the_job"]),
        )
        for j in jobs
    ]
    index = CodeIndex()
    vis = build_visitors(visitors, index)
    vac = build_vacancies(vacancies, index)
    return EventData(index, vis, vac, {p.id: p for p in visitors}, {p.id: p for p in vacancies})

