"""Report numbers for one event or for the whole programme.

Definitions (the same as the live dashboard where they overlap):

* registered: registrations with status ``registered`` (not waiting list, not cancelled);
* checked in: registrations with a check-in time; show rate = checked in / registered;
* interests: employers' entries (one per employer and visitor), by level;
* matches: ``match`` rows (interests of level direct / follow_up / training), by level and
  status; jobs = status ``hired``, trainings = status ``started_training``;
* breakdowns by group (visitor's sectors, education level) and by employer sector go through
  ``suppress`` (fewer than 5 → "<5"). A visitor may pick several sectors and counts under
  each, so that column does not add up to the total.

Three queries per report (registrations, interests, matches); counting is done in Python so
the SQL stays the same on SQLite and PostgreSQL. 10,000 registrations take a few ms.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.followup.pipeline import MATCH_LEVELS
from event_ops.i18n import t
from event_ops.interests.tables import INTEREST_LEVELS
from event_ops.mail.render import AMSTERDAM
from event_ops.matching.tables import MATCH_STATUSES
from event_ops.people.registration import EDUCATION_LEVELS
from event_ops.programmes.service import newest_programme_id, programme, targets_of
from event_ops.programmes.targets import (
    event_target_rows,
    measure_counts,
    programme_target_rows,
)
from event_ops.reports.suppress import THRESHOLD, safe_rate, suppress_table
from event_ops.taxonomy.service import SECTOR_NAMES, SECTORS

UNKNOWN = "unknown"
TRAINING_PROVIDER = "training"
EVENT_BUCKET_MINUTES = 15

# Fixed category lists: every row is always shown, so a missing row never says "0".
VISITOR_SECTORS = (*SECTORS, UNKNOWN)
EMPLOYER_SECTORS = (*SECTORS, TRAINING_PROVIDER, UNKNOWN)
EDUCATION = (*EDUCATION_LEVELS, UNKNOWN)


def category_label(dimension: str, key: str, lang: str) -> str:
    """Human name of a breakdown row, in ``lang``."""
    if key == UNKNOWN:
        return t("report.unknown", lang)
    if dimension == "education":
        return t(f"edu.{key}", lang)
    if key == TRAINING_PROVIDER:
        return t("report.training_provider", lang)
    names = SECTOR_NAMES.get(key)
    return (names[1] if lang == "en" else names[0]) if names else key


def _scope(column: str, event_id: int | None, programme_id: int | None = None
           ) -> tuple[str, list]:
    if event_id is not None:
        return f" WHERE {column} = ?", [event_id]
    if programme_id is not None:
        return f" WHERE {column} IN (SELECT id FROM event WHERE programme = ?)", [programme_id]
    return "", []


async def _collect(event_id: int | None, programme_id: int | None = None
                   ) -> tuple[list[dict], list[dict], list[dict]]:
    """The rows of one event, or of one programme's events (``programme_id``)."""
    db = current_engine()
    where, args = _scope("r.event", event_id, programme_id)
    registrations = await db.fetch(
        "SELECT r.event, r.status, r.checked_in_at, v.education_level, v.sectors"
        f" FROM registration r JOIN visitor v ON v.id = r.visitor{where}", args)
    where, args = _scope("i.event", event_id, programme_id)
    interests = await db.fetch(
        "SELECT i.event, i.level, e.sector, e.is_training_provider"
        f" FROM interest i JOIN employer e ON e.id = i.employer{where}", args)
    where, args = _scope("m.event", event_id, programme_id)
    matches = await db.fetch(
        "SELECT m.event, m.level, m.status, e.sector, e.is_training_provider,"
        ' v.education_level FROM "match" m JOIN employer e ON e.id = m.employer'
        " JOIN registration r ON r.id = m.registration JOIN visitor v ON v.id = r.visitor"
        f"{where}", args)
    return registrations, interests, matches


def _sectors(value: object) -> list[str]:
    sectors = value if isinstance(value, list) else json.loads(value or "[]")
    known = [s for s in sectors if s in SECTORS]
    return known or [UNKNOWN]


def _education(value: str | None) -> str:
    return value if value in EDUCATION_LEVELS else UNKNOWN


def _employer_sector(row: dict) -> str:
    if row["is_training_provider"]:
        return TRAINING_PROVIDER
    return row["sector"] if row["sector"] in SECTORS else UNKNOWN


def _totals(registrations: list[dict], interests: list[dict], matches: list[dict]) -> dict:
    status = Counter(r["status"] for r in registrations)
    checked_in = sum(1 for r in registrations if r["checked_in_at"] is not None)
    outcome = Counter(m["status"] for m in matches)
    return {
        "registered": status["registered"],
        "waiting_list": status["waiting_list"],
        "cancelled": status["cancelled"],
        "checked_in": checked_in,
        "show_rate": safe_rate(checked_in, status["registered"]),
        "interests": len(interests),
        "matches": len(matches),
        "hired": outcome["hired"],
        "started_training": outcome["started_training"],
    }


def _breakdown(key: str, dimension: str, categories: tuple[str, ...], columns: list[str],
               counts: dict[str, Counter], lang: str, *, rates: bool = False) -> dict:
    table = suppress_table({c: counts.get(c, Counter()) for c in categories}, columns)
    rows = []
    for category in categories:
        row: dict = {"key": category, "label": category_label(dimension, category, lang),
                     **table[category]}
        if rates:
            row["show_rate"] = safe_rate(row["checked_in"], row["registered"])
        rows.append(row)
    shown = list(columns)
    if rates:  # right after the two counts it is made of
        shown.insert(shown.index("checked_in") + 1, "show_rate")
    return {"key": key, "dimension": dimension, "columns": shown, "rows": rows}


def _breakdowns(registrations: list[dict], interests: list[dict], matches: list[dict],
                lang: str) -> list[dict]:
    by_vsector: dict[str, Counter] = defaultdict(Counter)
    by_edu: dict[str, Counter] = defaultdict(Counter)
    for r in registrations:
        for sector in _sectors(r["sectors"]):
            if r["status"] == "registered":
                by_vsector[sector]["registered"] += 1
            if r["checked_in_at"] is not None:
                by_vsector[sector]["checked_in"] += 1
        edu = _education(r["education_level"])
        if r["status"] == "registered":
            by_edu[edu]["registered"] += 1
        if r["checked_in_at"] is not None:
            by_edu[edu]["checked_in"] += 1
    by_esector: dict[str, Counter] = defaultdict(Counter)
    for i in interests:
        by_esector[_employer_sector(i)]["interests"] += 1
    for m in matches:
        sector, edu = _employer_sector(m), _education(m["education_level"])
        for counter in (by_esector[sector], by_edu[edu]):
            counter["matches"] += 1
            if m["status"] in ("hired", "started_training"):
                counter[m["status"]] += 1
    outcome = ["matches", "hired", "started_training"]
    return [
        _breakdown("visitor_sector", "sector", VISITOR_SECTORS, ["registered", "checked_in"],
                   by_vsector, lang, rates=True),
        _breakdown("employer_sector", "sector", EMPLOYER_SECTORS, ["interests", *outcome],
                   by_esector, lang),
        _breakdown("education", "education", EDUCATION, ["registered", "checked_in", *outcome],
                   by_edu, lang, rates=True),
    ]


def _checkins_by_bucket(registrations: list[dict], minutes: int) -> list[dict]:
    size = minutes * 60
    counts = Counter(
        int(r["checked_in_at"].timestamp()) // size * size
        for r in registrations if r["checked_in_at"] is not None
    )
    if not counts:
        return []
    # Fill the gaps so a chart shows quiet quarters as 0, not as missing.
    first, last = min(counts), max(counts)
    return [{"start": dt.datetime.fromtimestamp(s, dt.UTC).isoformat(), "count": counts[s]}
            for s in range(first, last + size, size)]


def _checkins_by_day(registrations: list[dict]) -> list[dict]:
    counts = Counter(
        r["checked_in_at"].astimezone(AMSTERDAM).date()
        for r in registrations if r["checked_in_at"] is not None
    )
    return [{"start": day.isoformat(), "count": n} for day, n in sorted(counts.items())]


def _by_level(rows: list[dict], levels: tuple[str, ...]) -> dict[str, int]:
    counts = Counter(r["level"] for r in rows)
    return {level: counts[level] for level in levels}


def _common(registrations: list[dict], interests: list[dict], matches: list[dict],
            lang: str) -> dict:
    statuses = Counter(m["status"] for m in matches)
    totals = _totals(registrations, interests, matches)
    by_level = _by_level(matches, MATCH_LEVELS)
    job_matches = by_level["direct"] + by_level["follow_up"]
    return {
        "generated_at": clock.now().isoformat(),
        "threshold": THRESHOLD,
        "totals": totals,
        "interests_by_level": _by_level(interests, INTEREST_LEVELS),
        "matches_by_level": by_level,
        "matches_by_status": {s: statuses[s] for s in MATCH_STATUSES},
        "conversion": {
            "job_matches": job_matches,
            "jobs": totals["hired"],
            "job_rate": safe_rate(totals["hired"], job_matches),
            "training_matches": by_level["training"],
            "trainings": totals["started_training"],
            "training_rate": safe_rate(totals["started_training"], by_level["training"]),
        },
        "breakdowns": _breakdowns(registrations, interests, matches, lang),
    }


async def event_report(slug: str, *, lang: str = "nl",
                       bucket_minutes: int = EVENT_BUCKET_MINUTES) -> dict:
    """One event's report (see the module docstring for what each number means)."""
    rows = await current_engine().fetch(
        "SELECT id, slug, name, kind, starts_at, ends_at, programme FROM event WHERE slug = ?",
        [slug])
    if not rows:
        raise DomainError("event_not_found", "There is no such event.")
    event = rows[0]
    registrations, interests, matches = await _collect(event["id"])
    report = _common(registrations, interests, matches, lang)
    report.update({
        "scope": "event",
        "event": {"slug": event["slug"], "name": event["name"], "kind": event["kind"],
                  "starts_at": event["starts_at"].isoformat(),
                  "ends_at": event["ends_at"].isoformat()},
        "checkins": {"bucket": f"{bucket_minutes}min",
                     "points": _checkins_by_bucket(registrations, bucket_minutes)},
    })
    targets = await targets_of(event["programme"]) if event["programme"] else []
    counts = _measures(report["matches_by_level"], registrations,
                       (await _employer_counts([event["id"]])).get(event["id"], 0))
    report["targets"] = event_target_rows(targets, event["id"], event["kind"], counts,
                                          _labeller(lang))
    return report


def _labeller(lang: str):  # noqa: ANN202 (a small closure)
    """The name a target row shows: the standard targets' texts in the page language, an
    organiser's own target by the label they gave it."""
    def label(target: dict) -> str:
        key = f"report.target.{target['key']}"
        text = t(key, lang)
        return target["label"] if text == key else text
    return label


def _measures(levels: dict[str, int], registrations: list[dict], employers: int
              ) -> dict[str, int]:
    return measure_counts(
        levels, registered=sum(1 for r in registrations if r["status"] == "registered"),
        checked_in=sum(1 for r in registrations if r["checked_in_at"] is not None),
        employers=employers)


async def _employer_counts(event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    marks = ", ".join("?" for _ in event_ids)
    rows = await current_engine().fetch(
        f"SELECT event, COUNT(*) AS n FROM employer WHERE event IN ({marks}) GROUP BY event",
        event_ids)
    return {r["event"]: int(r["n"]) for r in rows}


async def programme_report(*, lang: str = "nl", programme_id: int | None = None) -> dict:
    """One programme's events together (``programme_id``; None: the newest programme),
    plus one row per event, against the programme's targets. Events of other programmes
    never count."""
    if programme_id is None:
        programme_id = await newest_programme_id()
        if programme_id is None:
            raise DomainError("programme_not_found", "There is no programme yet.")
    about = await programme(programme_id)
    events = await current_engine().fetch(
        "SELECT id, slug, name, kind, starts_at FROM event WHERE programme = ?"
        " ORDER BY starts_at, id", [programme_id])
    registrations, interests, matches = await _collect(None, programme_id)
    report = _common(registrations, interests, matches, lang)
    kinds = {e["id"]: e["kind"] for e in events}
    levels: dict[int, Counter] = defaultdict(Counter)
    for m in matches:
        levels[m["event"]][m["level"]] += 1
    employers = await _employer_counts(list(kinds))
    counts = {
        e_id: _measures(dict(levels[e_id]), [r for r in registrations if r["event"] == e_id],
                        employers.get(e_id, 0))
        for e_id in kinds}
    per_event: list[dict] = []
    for e in events:
        own = [[r for r in rows if r["event"] == e["id"]]
               for rows in (registrations, interests, matches)]
        per_event.append({"slug": e["slug"], "name": e["name"], "kind": e["kind"],
                          "starts_at": e["starts_at"].isoformat(), **_totals(*own)})
    report.update({
        "scope": "programme",
        "event": None,
        "checkins": {"bucket": "day", "points": _checkins_by_day(registrations)},
        "programme": {"id": about["id"], "name": about["name"]},
        "targets": programme_target_rows(await targets_of(programme_id), kinds, counts,
                                         _labeller(lang)),
        "events": per_event,
    })
    return report
