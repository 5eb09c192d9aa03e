"""Creating, changing, copying and archiving events from the back office and the API.

Rules that MUST hold:

* **Optimistic locking.** Every change names the ``version`` it was based on; the UPDATE
  only succeeds while the row still has that version (``... WHERE version = ?``), and adds
  one. A save based on an older version is refused with ``edit_conflict`` and nothing is
  written, so two organisers never silently overwrite each other.
* **A published meeting schedule** follows a matching day's start only when asked: a change
  of ``starts_at`` while the schedule is published is refused with ``schedule_published``
  unless ``schedule`` is ``"move"`` (every round moves by the same offset, published and
  draft alike) or ``"keep"`` (the meetings keep their times; the answer warns).
* Times are stored in UTC; people type them in Europe/Amsterdam (``local_input``).
* Every change goes to the audit log with before → after.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events.service import SLUG_RE, create_event, forget_cached_events
from event_ops.events.tables import BADGE_SIZES, EVENT_KINDS, LANGUAGES, VISIBILITIES
from event_ops.localtime import AMSTERDAM, as_datetime
from event_ops.programmes.service import programme_exists

# The fields people may set (API names; ``venue`` is the ``location`` column).
FIELDS = ("name", "kind", "starts", "ends", "capacity", "venue", "address", "route",
          "description", "registration_opens", "registration_closes", "languages",
          "retention_months", "visibility", "badge_size", "programme")
COLUMN = {"starts": "starts_at", "ends": "ends_at", "venue": "location",
          "registration_opens": "registration_opens_at",
          "registration_closes": "registration_closes_at"}
TIME_FIELDS = ("starts", "ends", "registration_opens", "registration_closes")
SCHEDULE_CHOICES = ("move", "keep")
MAX_CAPACITY = 1_000_000
_SELECT = ("SELECT id, slug, name, kind, sector, description, location, address, route,"
           " starts_at, ends_at, capacity, checkin_opens_at, checkin_closes_at, badge_size,"
           " retention_months, programme, registration_opens_at, registration_closes_at,"
           " languages, visibility, archived_at, version, created_at FROM event")


def local_input(value: str) -> dt.datetime | None:
    """A time typed in a form (``2027-03-01T09:00``, Amsterdam time) as an aware time;
    a time with its own offset keeps it. None when it is not a time."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=AMSTERDAM)


def local_value(value: object) -> str:
    """A stored time as a form's ``datetime-local`` value, in Amsterdam time."""
    when = as_datetime(value)
    return when.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M") if when else ""


def _iso(value: object) -> str | None:
    when = as_datetime(value)
    return when.astimezone(dt.UTC).isoformat() if when else None


def event_json(row: Mapping[str, Any], programme_name: str | None = None) -> dict:
    """An event as the API shows it (times in UTC, ISO 8601)."""
    languages = [code for code in (row["languages"] or "").split(",") if code]
    return {
        "slug": row["slug"], "name": row["name"], "kind": row["kind"],
        "starts": _iso(row["starts_at"]), "ends": _iso(row["ends_at"]),
        "capacity": row["capacity"], "venue": row["location"], "address": row["address"],
        "route": row["route"], "description": row["description"],
        "registration_opens": _iso(row["registration_opens_at"]),
        "registration_closes": _iso(row["registration_closes_at"]),
        "languages": languages, "retention_months": row["retention_months"],
        "visibility": row["visibility"], "badge_size": row["badge_size"],
        "programme": row["programme"], "archived": row["archived_at"] is not None,
        "archived_at": _iso(row["archived_at"]), "version": row["version"],
    }


async def event_row(slug: str) -> dict:
    rows = await current_engine().fetch(_SELECT + " WHERE slug = ?", [slug])
    if not rows:
        raise DomainError("event_not_found", f"There is no event {slug!r}.")
    return rows[0]


def _list_filter(archived: bool | None, programme: int | None,
                 event_ids: frozenset[int] | None) -> tuple[str, list]:
    where, args = ["1 = 1"], []
    if archived is not None:
        where.append("archived_at IS NOT NULL" if archived else "archived_at IS NULL")
    if programme is not None:
        where.append("programme = ?")
        args.append(programme)
    if event_ids is not None:
        where.append(f"id IN ({', '.join('?' for _ in event_ids) or 'NULL'})")
        args.extend(sorted(event_ids))
    return " WHERE " + " AND ".join(where), args


async def list_events(*, archived: bool | None = False, programme: int | None = None,
                      event_ids: frozenset[int] | None = None, limit: int | None = None,
                      offset: int = 0) -> list[dict]:
    """Events, soonest first. ``archived``: False only current ones, True only archived
    ones, None both. ``event_ids``: only these (a staff member's events). ``limit`` and
    ``offset``: one page of them."""
    where, args = _list_filter(archived, programme, event_ids)
    page = ""
    if limit is not None:
        page = " LIMIT ? OFFSET ?"
        args = [*args, limit, offset]
    return await current_engine().fetch(_SELECT + where + " ORDER BY starts_at, id" + page,
                                        args)


async def count_events(*, archived: bool | None = False, programme: int | None = None,
                       event_ids: frozenset[int] | None = None) -> int:
    where, args = _list_filter(archived, programme, event_ids)
    rows = await current_engine().fetch("SELECT COUNT(*) AS n FROM event" + where, args)
    return int(rows[0]["n"])


def _text(raw: object, limit: int, name: str, errors: dict, *, required: bool = False) -> str:
    value = str(raw if raw is not None else "").strip()
    if required and not value:
        errors[name] = "bo.err.required"
    elif len(value) > limit:
        errors[name] = "bo.err.too_long"
    return value


def _time(raw: object, name: str, errors: dict, *, required: bool) -> dt.datetime | None:
    if isinstance(raw, dt.datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=AMSTERDAM)
    if raw in (None, ""):
        if required:
            errors[name] = "bo.err.required"
        return None
    when = local_input(str(raw))
    if when is None:
        errors[name] = "bo.err.bad_time"
    return when


def _number(raw: object, name: str, errors: dict, *, low: int, high: int,
            required: bool = False) -> int | None:
    if raw in (None, ""):
        if required:
            errors[name] = "bo.err.required"
        return None
    if isinstance(raw, bool) or not re.fullmatch(r"\d{1,9}", str(raw).strip()):
        errors[name] = "bo.err.number"
        return None
    value = int(str(raw).strip())
    if not low <= value <= high:
        errors[name] = "bo.err.number"
        return None
    return value


def clean_fields(raw: Mapping[str, Any], current: Mapping[str, Any] | None) -> dict[str, Any]:
    """The given fields, checked, as column → value; raises ``ValidationFailed`` with every
    wrong field (API name → text key). ``current``: the stored event (a change), None (a
    new event: name, kind, starts and ends are required)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    new = current is None
    for name in raw:
        if name not in FIELDS:
            errors[name] = "bo.err.unknown_field"
    if "name" in raw or new:
        out["name"] = _text(raw.get("name"), 200, "name", errors, required=True)
    if "kind" in raw or new:
        kind = str(raw.get("kind") or "")
        if kind not in EVENT_KINDS:
            errors["kind"] = "bo.err.choice"
        out["kind"] = kind
    for name in TIME_FIELDS:
        if name in raw or (new and name in ("starts", "ends")):
            out[COLUMN[name]] = _time(raw.get(name), name, errors,
                                      required=name in ("starts", "ends"))
    if "capacity" in raw:
        out["capacity"] = _number(raw["capacity"], "capacity", errors, low=0, high=MAX_CAPACITY)
    if "retention_months" in raw:
        value = _number(raw["retention_months"], "retention_months", errors, low=1, high=120,
                        required=True)
        out["retention_months"] = value
    for name, limit in (("venue", 200), ("address", 300), ("route", 4000),
                        ("description", 8000)):
        if name in raw:
            out[COLUMN.get(name, name)] = _text(raw[name], limit, name, errors)
    if "languages" in raw:
        value = raw["languages"]
        codes = value.split(",") if isinstance(value, str) else list(value or [])
        codes = [str(c).strip() for c in codes if str(c).strip()]
        if not codes or any(c not in LANGUAGES for c in codes):
            errors["languages"] = "bo.err.languages"
        out["languages"] = ",".join(c for c in LANGUAGES if c in codes)
    if "visibility" in raw:
        if raw["visibility"] not in VISIBILITIES:
            errors["visibility"] = "bo.err.choice"
        out["visibility"] = raw["visibility"]
    if "badge_size" in raw and raw["badge_size"] not in (None, ""):
        if raw["badge_size"] not in BADGE_SIZES:
            errors["badge_size"] = "bo.err.choice"
        out["badge_size"] = raw["badge_size"]
    if "programme" in raw and raw["programme"] not in (None, ""):
        out["programme"] = _number(raw["programme"], "programme", errors, low=1,
                                   high=2**31 - 1)
    # The rules between fields, on the values the event will have after the change.
    merged = {**(current or {}), **out}
    starts, ends = merged.get("starts_at"), merged.get("ends_at")
    if "starts" not in errors and "ends" not in errors and starts and ends and ends <= starts:
        errors["ends"] = "bo.err.ends_before_start"
    opens, closes = merged.get("registration_opens_at"), merged.get("registration_closes_at")
    if opens and closes and closes <= opens and "registration_closes" not in errors:
        errors["registration_closes"] = "bo.err.closes_before_opens"
    if closes and ends and closes > ends and "registration_closes" not in errors:
        errors["registration_closes"] = "bo.err.closes_after_end"
    if errors:
        raise ValidationFailed(errors)
    return out


async def _check_programme(clean: dict) -> None:
    if clean.get("programme") is not None and not await programme_exists(clean["programme"]):
        raise ValidationFailed({"programme": "bo.err.no_programme"})


async def create(actor: str, raw: Mapping[str, Any]) -> dict:
    """A new event from the back office or the API; 409 ``slug_taken`` for a slug in use."""
    slug = str(raw.get("slug") or "").strip()
    fields = {k: v for k, v in raw.items() if k != "slug"}
    errors: dict[str, str] = {}
    if not SLUG_RE.match(slug):
        errors["slug"] = "bo.err.slug"
    try:
        clean = clean_fields(fields, None)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    await _check_programme(clean)
    async with current_engine().transaction():  # the event and its extra fields together
        return await _create(actor, slug, clean)


async def _create(actor: str, slug: str, clean: dict[str, Any]) -> dict:
    event = await create_event(
        slug=slug, name=clean["name"], kind=clean["kind"], starts_at=clean["starts_at"],
        ends_at=clean["ends_at"], capacity=clean.get("capacity"),
        location=clean.get("location", ""), description=clean.get("description", ""),
        badge_size=clean.get("badge_size"), programme=clean.get("programme"))
    extra = {k: v for k, v in clean.items()
             if k not in ("name", "kind", "starts_at", "ends_at", "capacity", "location",
                          "description", "badge_size", "programme")}
    if extra:
        sets = ", ".join(f"{column} = ?" for column in extra)
        await current_engine().fetch(f"UPDATE event SET {sets} WHERE id = ?",
                                     [*extra.values(), event.id])
    row = await event_row(slug)
    await audit.record(actor, "event.created", event_id=row["id"], subject_type="event",
                       subject_id=row["id"], changes=audit.changes({}, _auditable(row)))
    return row


def _auditable(row: Mapping[str, Any]) -> dict:
    return {k: v for k, v in row.items() if k not in ("id", "version", "created_at")}


async def published_schedule_start(event_id: int) -> dt.datetime | None:
    """When round 1 of the published meeting schedule starts; None when none is published."""
    rows = await current_engine().fetch(
        "SELECT published_starts_at FROM meeting_plan WHERE event = ?", [event_id])
    return as_datetime(rows[0]["published_starts_at"]) if rows else None


async def update(actor: str, slug: str, raw: Mapping[str, Any], *, version: int | None,
                 schedule: str | None = None) -> tuple[dict, list[str]]:
    """Change an event. ``version``: the version the change is based on (None: the API
    without one, which takes the stored version as it is now). Returns the event and
    warnings (``schedule_kept``). Raises ``edit_conflict`` (someone saved in between),
    ``schedule_published`` (see the module docstring) or ``ValidationFailed``."""
    if schedule is not None and schedule not in SCHEDULE_CHOICES:
        raise ValidationFailed({"schedule": "bo.err.choice"})
    warnings: list[str] = []
    async with current_engine().transaction():
        current = await event_row(slug)
        if version is not None and version != current["version"]:
            raise DomainError("edit_conflict", "Someone else changed this event after you "
                              "opened it. Look at the new values and save again.")
        current = {**current, **{k: as_datetime(current[k]) for k in (
            "starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
            "checkin_opens_at", "checkin_closes_at") if current[k] is not None}}
        clean = clean_fields(raw, current)
        await _check_programme(clean)
        changed = {k: v for k, v in clean.items() if current.get(k) != v}
        if not changed:
            return current, warnings
        start_shift = (changed["starts_at"] - current["starts_at"]
                       if "starts_at" in changed else None)
        if start_shift and await published_schedule_start(current["id"]) is not None:
            if schedule is None:
                raise DomainError("schedule_published", "This matching day has a published "
                                  "meeting schedule. Say whether to move it with the start "
                                  '("schedule": "move") or keep its times ("keep").')
            if schedule == "move":
                await _move_schedule(current["id"], start_shift)
            else:
                warnings.append("schedule_kept")
        # The check-in window follows the event's times (it opens 2 h before the start).
        if start_shift and current["checkin_opens_at"] is not None:
            changed["checkin_opens_at"] = current["checkin_opens_at"] + start_shift
        if "ends_at" in changed and current["checkin_closes_at"] is not None:
            changed["checkin_closes_at"] = (current["checkin_closes_at"]
                                            + (changed["ends_at"] - current["ends_at"]))
        sets = ", ".join(f"{column} = ?" for column in changed)
        rows = await current_engine().fetch(
            f"UPDATE event SET {sets}, version = version + 1 WHERE id = ? AND version = ?"
            " RETURNING version", [*changed.values(), current["id"], current["version"]])
        if not rows:  # another save got in between our read and this write
            raise DomainError("edit_conflict", "Someone else changed this event after you "
                              "opened it. Look at the new values and save again.")
        if "programme" in changed:  # the event's own targets go with it
            await current_engine().fetch(
                "UPDATE programme_target SET programme = ? WHERE event = ?",
                [changed["programme"], current["id"]])
        diff = audit.changes(_auditable(current), changed)
        if schedule and start_shift:
            diff["schedule"] = [None, schedule]
        await audit.record(actor, "event.updated", event_id=current["id"],
                           subject_type="event", subject_id=current["id"], changes=diff)
    forget_cached_events()
    return await event_row(slug), warnings


async def _move_schedule(event_id: int, shift: dt.timedelta) -> None:
    """Every round of the schedule (draft and published) moves by ``shift``: the meetings
    keep their order, tables and length."""
    db = current_engine()
    rows = await db.fetch(
        "SELECT starts_at, published_starts_at FROM meeting_plan WHERE event = ?", [event_id])
    if not rows:
        return
    row = rows[0]
    starts = as_datetime(row["starts_at"])
    published = as_datetime(row["published_starts_at"])
    await db.fetch(
        "UPDATE meeting_plan SET starts_at = ?, published_starts_at = ?, updated_at = ?"
        " WHERE event = ?",
        [starts + shift if starts else None, published + shift if published else None,
         clock.now(), event_id])


async def set_archived(actor: str, slug: str, archived: bool) -> dict:
    """Archive (hidden from lists and sign-up, kept for reports) or bring back."""
    async with current_engine().transaction():
        current = await event_row(slug)
        value = clock.now() if archived else None
        if (current["archived_at"] is not None) == archived:
            return current
        await current_engine().fetch(
            "UPDATE event SET archived_at = ?, version = version + 1 WHERE id = ?",
            [value, current["id"]])
        await audit.record(actor, "event.archived" if archived else "event.unarchived",
                           event_id=current["id"], subject_type="event",
                           subject_id=current["id"],
                           changes={"archived_at": [current["archived_at"], value]})
    forget_cached_events()
    return await event_row(slug)


async def copy(actor: str, source_slug: str, raw: Mapping[str, Any], *,
               with_employers: bool) -> tuple[dict, dict[str, int]]:
    """A new event like ``source_slug`` (venue, texts, capacity, settings, programme and
    own targets) with a new slug, name and times; the registration window moves with the
    start. With ``with_employers``: its employers, stands and vacancies too
    (``event_ops.employers.copying``). Never its visitors."""
    from event_ops.employers.copying import copy_employers

    source = await event_row(source_slug)
    shift_base = as_datetime(source["starts_at"])
    fields = {
        "slug": raw.get("slug"), "name": raw.get("name"), "kind": source["kind"],
        "starts": raw.get("starts"), "ends": raw.get("ends"),
        "capacity": source["capacity"], "venue": source["location"],
        "address": source["address"], "route": source["route"],
        "description": source["description"], "languages": source["languages"],
        "retention_months": source["retention_months"], "visibility": source["visibility"],
        "badge_size": source["badge_size"], "programme": source["programme"],
    }
    counts: dict[str, int] = {}
    async with current_engine().transaction():
        row = await create(actor, fields)
        shift = as_datetime(row["starts_at"]) - shift_base  # type: ignore[operator]
        window: dict[str, Any] = {"sector": source["sector"]}
        for column in ("registration_opens_at", "registration_closes_at"):
            when = as_datetime(source[column])
            if when is not None:
                window[column] = when + shift
        if window:  # the sector and the sign-up window (moved with the start)
            sets = ", ".join(f"{c} = ?" for c in window)
            await current_engine().fetch(f"UPDATE event SET {sets} WHERE id = ?",
                                         [*window.values(), row["id"]])
        await current_engine().fetch(
            "INSERT INTO programme_target (programme, event, key, label, measure, event_kind,"
            " events_planned, target) SELECT programme, ?, key, label, measure, event_kind,"
            " events_planned, target FROM programme_target WHERE event = ?",
            [row["id"], source["id"]])
        if with_employers:
            counts = await copy_employers(source["id"], row["id"])
        await audit.record(actor, "event.copied", event_id=row["id"], subject_type="event",
                           subject_id=row["id"],
                           changes={"copied_from": [None, source_slug],
                                    "with_employers": [None, with_employers], **{
                                        k: [None, v] for k, v in counts.items()}})
    return await event_row(row["slug"]), counts
