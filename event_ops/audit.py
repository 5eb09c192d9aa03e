"""The audit trail: append-only rows of who did or saw what (ids only, no personal data)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import msgspec

from event_ops import clock
from event_ops.core.db import current_engine


async def record(
    actor: str,
    action: str,
    *,
    event_id: int | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    fields: list[str] | None = None,
    changes: Mapping[str, list] | None = None,
) -> None:
    """Append one entry. ``changes`` (from :func:`changes`) MUST NOT hold a visitor's
    personal data: back-office settings only (an event's times, a role, a stand)."""
    await current_engine().fetch(
        "INSERT INTO audit_entry (at, actor, action, event_id, subject_type, subject_id, fields,"
        " changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [clock.now(), actor, action, event_id, subject_type, subject_id,
         json.dumps(fields or []), json.dumps(dict(changes or {}), default=str)],
    )


async def record_many(actor: str, entries: list[tuple[str, int | None, str, int | None,
                                                      Mapping[str, list]]]) -> None:
    """Several entries of one actor in as few statements as possible (an import writes
    hundreds): each (action, event_id, subject_type, subject_id, changes), as ``record``
    takes them; the same rule for ``changes``."""
    now = clock.now()
    for start in range(0, len(entries), 200):
        chunk = entries[start:start + 200]
        args: list[object] = []
        for action, event_id, subject_type, subject_id, changed in chunk:
            args += [now, actor, action, event_id, subject_type, subject_id, "[]",
                     json.dumps(dict(changed), default=str)]
        await current_engine().fetch(
            "INSERT INTO audit_entry (at, actor, action, event_id, subject_type, subject_id,"
            " fields, changes) VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk)),
            args)


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list]:
    """Field → [before, after] for every field of ``after`` whose value differs from
    ``before`` (a field missing from ``before`` counts as ``None``). Pure; values are kept as
    they are and turned into text (dates, decimals) only when stored."""
    return {key: [before.get(key), value] for key, value in after.items()
            if before.get(key) != value}


class AuditFilter(msgspec.Struct, frozen=True, kw_only=True):
    """What the audit-log viewer narrows down to. Empty fields do not filter."""

    event_id: int | None = None
    actor: str = ""
    action: str = ""  # a prefix: "profile." finds every profile view and change
    subject_type: str = ""
    subject_id: int | None = None
    before_id: int | None = None  # keyset paging: entries older than this one
    limit: int = 100

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> AuditFilter:
        def number(name: str) -> int | None:
            raw = (query.get(name) or "").strip()
            return int(raw) if re.fullmatch(r"[0-9]{1,9}", raw) else None

        return cls(
            event_id=number("event"), actor=(query.get("actor") or "").strip()[:64],
            action=(query.get("action") or "").strip()[:64],
            subject_type=(query.get("subject_type") or "").strip()[:32],
            subject_id=number("subject_id"), before_id=number("before"),
        )


async def read_entries(filters: AuditFilter, reader: str) -> list[dict]:
    """Newest first, with a readable name for each actor (the token's label or the
    account's name: staff and devices, never visitors). The reading is recorded too."""
    where, args = ["1 = 1"], []
    if filters.event_id is not None:
        where.append("a.event_id = ?")
        args.append(filters.event_id)
    if filters.actor:
        where.append("a.actor = ?")
        args.append(filters.actor)
    if filters.action:
        where.append("a.action LIKE ? ESCAPE '\\'")
        args.append(filters.action.replace("%", "").replace("_", "\\_") + "%")
    if filters.subject_type:
        where.append("a.subject_type = ?")
        args.append(filters.subject_type)
    if filters.subject_id is not None:
        where.append("a.subject_id = ?")
        args.append(filters.subject_id)
    if filters.before_id is not None:
        where.append("a.id < ?")
        args.append(filters.before_id)
    db = current_engine()
    rows = await db.fetch(
        "SELECT a.id, a.at, a.actor, a.action, a.event_id, a.subject_type, a.subject_id,"
        " a.fields, a.changes FROM audit_entry a WHERE " + " AND ".join(where)
        + " ORDER BY a.id DESC LIMIT ?", [*args, filters.limit])
    names = await _actor_names({r["actor"] for r in rows})
    entries = []
    for row in rows:
        fields, changed = row["fields"], row["changes"]
        entries.append({**row, "actor_name": names.get(row["actor"], ""),
                        "fields": json.loads(fields) if isinstance(fields, str) else fields,
                        "changes": json.loads(changed) if isinstance(changed, str) else changed})
    await record(reader, "audit.viewed")
    return entries


async def _actor_names(actors: set[str]) -> dict[str, str]:
    ids: dict[str, list[int]] = {"token": [], "account": []}
    for actor in actors:
        kind, _, number = actor.partition(":")
        if kind in ids and number.isdigit():
            ids[kind].append(int(number))
    db = current_engine()
    names: dict[str, str] = {}
    for kind, table, column in (("token", "access_token", "label"),
                                ("account", "account", "name")):
        if ids[kind]:
            marks = ", ".join("?" * len(ids[kind]))
            for r in await db.fetch(f"SELECT id, {column} AS name FROM {table}"
                                    f" WHERE id IN ({marks})", ids[kind]):
                names[f"{kind}:{r['id']}"] = r["name"]
    return names


async def subject_history(subjects: list[tuple[str, int]], limit: int = 50) -> list[dict]:
    """The entries about these subjects (e.g. a registration and its visitor), newest
    first, with each actor's readable name: the history a detail page shows. Reading it is
    not recorded here; the page records its own view."""
    if not subjects:
        return []
    where = " OR ".join("(a.subject_type = ? AND a.subject_id = ?)" for _ in subjects)
    args: list[object] = [value for pair in subjects for value in pair]
    rows = await current_engine().fetch(
        "SELECT a.id, a.at, a.actor, a.action, a.fields, a.changes FROM audit_entry a"
        f" WHERE {where} ORDER BY a.id DESC LIMIT ?", [*args, limit])
    names = await _actor_names({r["actor"] for r in rows})
    return [{**row, "actor_name": names.get(row["actor"], ""),
             "fields": json.loads(row["fields"]) if isinstance(row["fields"], str)
             else row["fields"]} for row in rows]
