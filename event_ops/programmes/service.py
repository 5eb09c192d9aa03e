"""Programmes and their targets: list, create, change (with the audit trail).

Every event belongs to a programme. One created without naming one joins the newest open
programme; on a database without any programme (a fresh install, or the tests) the standard
one is made first: "Perspectief op Werk" with the partnership's targets, the same as the
migration that moved them out of the code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from event_ops import audit
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events.tables import EVENT_KINDS
from event_ops.programmes.tables import MEASURES

STANDARD_NAME = "Perspectief op Werk"
STANDARD_DESCRIPTION = "16 matchingsdagen en het Werkfestival 2.0."
# key, label, measure, event kind, events planned, target (as in the migration)
STANDARD_TARGETS: tuple[tuple[str, str, str, str, int, int], ...] = (
    ("festival.direct", "Festival: directe matches", "direct", "festival", 1, 100),
    ("festival.follow_up", "Festival: matches voor later contact", "follow_up", "festival", 1,
     200),
    ("festival.training", "Festival: matches op opleiding", "training", "festival", 1, 100),
    ("matching.matches", "Matchingsdagen: matches", "job_matches", "matching", 16, 380),
    ("matching.trainings", "Matchingsdagen: extra opleidingen", "training", "matching", 16,
     100),
)
MAX_TARGET = 10_000_000


async def programme_exists(programme_id: int) -> bool:
    return bool(await current_engine().fetch(
        "SELECT id FROM programme WHERE id = ?", [programme_id]))


async def newest_programme_id() -> int | None:
    """The newest programme that is not archived (else the newest of all); None: none."""
    rows = await current_engine().fetch(
        "SELECT id FROM programme ORDER BY archived, id DESC LIMIT 1")
    return int(rows[0]["id"]) if rows else None


async def ensure_default_programme() -> int:
    """The programme a new event joins when none is named (see the module docstring)."""
    found = await newest_programme_id()
    if found is not None:
        return found
    db = current_engine()
    async with db.transaction():
        found = await newest_programme_id()
        if found is not None:
            return found
        rows = await db.fetch(
            "INSERT INTO programme (name, description, archived, created_at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            [STANDARD_NAME, STANDARD_DESCRIPTION, False, dt.datetime.now(dt.UTC)])
        programme_id = int(rows[0]["id"])
        for key, label, measure, kind, planned, target in STANDARD_TARGETS:
            await _insert_target(programme_id, None, key, label, measure, kind, planned, target)
    return programme_id


async def _insert_target(programme_id: int, event_id: int | None, key: str, label: str,
                         measure: str, kind: str, planned: int, target: int) -> None:
    await current_engine().fetch(
        "INSERT INTO programme_target (programme, event, key, label, measure, event_kind,"
        " events_planned, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [programme_id, event_id, key, label, measure, kind, planned, target])


async def list_programmes() -> list[dict]:
    """Every programme, newest first, with how many events it has."""
    return await current_engine().fetch(
        "SELECT p.id, p.name, p.description, p.starts_on, p.ends_on, p.archived,"
        " (SELECT COUNT(*) FROM event e WHERE e.programme = p.id) AS events"
        " FROM programme p ORDER BY p.archived, p.id DESC")


async def targets_of(programme_id: int) -> list[dict]:
    """The programme's targets; per-event ones carry the event's slug and name."""
    return await current_engine().fetch(
        "SELECT t.id, t.event, e.slug AS event_slug, e.name AS event_name, t.key, t.label,"
        " t.measure, t.event_kind, t.events_planned, t.target FROM programme_target t"
        " LEFT JOIN event e ON e.id = t.event WHERE t.programme = ?"
        " ORDER BY t.event IS NOT NULL, e.starts_at, t.id", [programme_id])


async def programme(programme_id: int) -> dict:
    rows = await current_engine().fetch(
        "SELECT id, name, description, starts_on, ends_on, archived FROM programme"
        " WHERE id = ?", [programme_id])
    if not rows:
        raise DomainError("programme_not_found", "There is no such programme.")
    return rows[0]


def programme_json(row: Mapping[str, Any], targets: Sequence[Mapping[str, Any]]) -> dict:
    def day(value: object) -> str | None:
        return value.isoformat() if isinstance(value, dt.date) else (value or None)  # type: ignore[return-value]

    return {
        "id": row["id"], "name": row["name"], "description": row["description"],
        "starts_on": day(row["starts_on"]), "ends_on": day(row["ends_on"]),
        "archived": bool(row["archived"]),
        "targets": [{"key": t["key"], "label": t["label"], "measure": t["measure"],
                     "event": t["event_slug"], "event_kind": t["event_kind"] or None,
                     "events_planned": t["events_planned"], "target": t["target"]}
                    for t in targets],
    }


def _date(raw: object, name: str, errors: dict) -> dt.date | None:
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        errors[name] = "bo.err.bad_date"
        return None


PROGRAMME_FIELDS = ("name", "description", "starts_on", "ends_on", "archived")


def clean_programme(raw: Mapping[str, Any], current: Mapping[str, Any] | None) -> dict:
    """Checked column → value for the given fields; ``ValidationFailed`` otherwise."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in raw:
        if name not in (*PROGRAMME_FIELDS, "targets"):
            errors[name] = "bo.err.unknown_field"
    if "name" in raw or current is None:
        out["name"] = str(raw.get("name") or "").strip()
        if not out["name"]:
            errors["name"] = "bo.err.required"
        elif len(out["name"]) > 200:
            errors["name"] = "bo.err.too_long"
    if "description" in raw:
        out["description"] = str(raw["description"] or "").strip()[:4000]
    for name in ("starts_on", "ends_on"):
        if name in raw:
            out[name] = _date(raw[name], name, errors)
    if "archived" in raw:
        out["archived"] = raw["archived"] in (True, "true", "on", "1", 1)
    merged = {**(current or {}), **out}
    if merged.get("starts_on") and merged.get("ends_on") and \
            merged["ends_on"] < merged["starts_on"] and "ends_on" not in errors:
        errors["ends_on"] = "bo.err.ends_before_start"
    if errors:
        raise ValidationFailed(errors)
    return out


def _slug_key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:60] or "target"


async def clean_targets(programme_id: int, raw: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Checked targets. Errors are keyed ``targets.<n>.<field>`` (n from 0)."""
    errors: dict[str, str] = {}
    events = {r["slug"]: r["id"] for r in await current_engine().fetch(
        "SELECT id, slug FROM event WHERE programme = ?", [programme_id])}
    out: list[dict] = []
    seen: set[tuple[int | None, str]] = set()
    for n, item in enumerate(raw):
        where = f"targets.{n}."
        if not isinstance(item, Mapping):
            errors[f"targets.{n}"] = "bo.err.choice"
            continue
        label = str(item.get("label") or "").strip()[:200]
        measure = str(item.get("measure") or "")
        if measure not in MEASURES:
            errors[where + "measure"] = "bo.err.choice"
        kind = str(item.get("event_kind") or "")
        if kind and kind not in EVENT_KINDS:
            errors[where + "event_kind"] = "bo.err.choice"
        slug = item.get("event") or None
        event_id = None
        if slug is not None:
            event_id = events.get(str(slug))
            if event_id is None:
                errors[where + "event"] = "bo.err.event_not_in_programme"
        numbers = {}
        for name, low, high, default in (("target", 0, MAX_TARGET, None),
                                         ("events_planned", 1, 1000, 1)):
            value = item.get(name, default)
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            if not isinstance(value, int) or isinstance(value, bool) or \
                    not low <= value <= high:
                errors[where + name] = "bo.err.number"
                value = 0
            numbers[name] = value
        key = str(item.get("key") or "").strip()[:64] or _slug_key(label or measure)
        if (event_id, key) in seen:
            errors[where + "key"] = "bo.err.duplicate"
        seen.add((event_id, key))
        out.append({"event": event_id, "key": key, "label": label or key, "measure": measure,
                    "event_kind": kind, **numbers})
    if errors:
        raise ValidationFailed(errors)
    return out


async def create_programme(actor: str, raw: Mapping[str, Any]) -> dict:
    clean = clean_programme(raw, None)
    targets = raw.get("targets")
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch(
            "INSERT INTO programme (name, description, starts_on, ends_on, archived,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [clean["name"], clean.get("description", ""), clean.get("starts_on"),
             clean.get("ends_on"), clean.get("archived", False), dt.datetime.now(dt.UTC)])
        programme_id = int(rows[0]["id"])
        if targets:
            await _replace_targets(programme_id, await clean_targets(programme_id, targets))
        await audit.record(actor, "programme.created", subject_type="programme",
                           subject_id=programme_id, changes=audit.changes({}, {
                               k: v for k, v in clean.items()}))
    return await programme(programme_id)


async def _replace_targets(programme_id: int, targets: Sequence[Mapping[str, Any]]) -> None:
    await current_engine().fetch("DELETE FROM programme_target WHERE programme = ?",
                                 [programme_id])
    for t in targets:
        await _insert_target(programme_id, t["event"], t["key"], t["label"], t["measure"],
                             t["event_kind"], t["events_planned"], t["target"])


def _target_summary(targets: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """What the audit log keeps of the targets: "<event or programme>/<key>" → number."""
    return {f"{t.get('event_slug') or t.get('event') or '*'}/{t['key']}": t["target"]
            for t in targets}


async def update_programme(actor: str, programme_id: int, raw: Mapping[str, Any]) -> dict:
    """Change fields; ``targets`` (when given) replaces all targets of the programme."""
    db = current_engine()
    async with db.transaction():
        current = await programme(programme_id)
        clean = clean_programme(raw, current)
        diff = audit.changes(current, clean)
        if clean:
            sets = ", ".join(f"{k} = ?" for k in clean)
            await db.fetch(f"UPDATE programme SET {sets} WHERE id = ?",
                           [*clean.values(), programme_id])
        if "targets" in raw:
            if not isinstance(raw["targets"], list):
                raise ValidationFailed({"targets": "bo.err.choice"})
            before = _target_summary(await targets_of(programme_id))
            new = await clean_targets(programme_id, raw["targets"])
            await _replace_targets(programme_id, new)
            after = _target_summary(await targets_of(programme_id))
            for key in sorted(set(before) | set(after)):
                if before.get(key) != after.get(key):
                    diff[f"target {key}"] = [before.get(key), after.get(key)]
        if diff:
            await audit.record(actor, "programme.updated", subject_type="programme",
                               subject_id=programme_id, changes=diff)
    return await programme(programme_id)
