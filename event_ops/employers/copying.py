"""Copy an event's employers, stands and vacancies to another event (copying an event).

Generic on purpose: every column of ``stand``, ``employer``, ``vacancy`` and
``vacancy_competency`` is copied as it is stored (``SELECT *``), except the row's own id and
the references that must point at the new rows (the event, the stand, the employer, the
vacancy). A column added later to one of these tables is therefore copied too, without a
change here. Timestamps named ``created_at`` / ``updated_at`` get the time of the copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from event_ops.core.db import current_engine

_FRESH_TIMES = ("created_at", "updated_at")


async def _insert(table: str, row: Mapping[str, Any], overrides: Mapping[str, Any]) -> int:
    values = {k: v for k, v in row.items() if k != "id"}
    values.update(overrides)
    now = dt.datetime.now(dt.UTC)
    for column in _FRESH_TIMES:
        if column in values:
            values[column] = now
    columns = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join("?" for _ in values)
    rows = await current_engine().fetch(
        f'INSERT INTO "{table}" ({columns}) VALUES ({marks}) RETURNING id',
        list(values.values()))
    return int(rows[0]["id"])


async def copy_employers(source_event: int, target_event: int) -> dict[str, int]:
    """Copy, in the caller's transaction; returns how many rows of each were made:
    ``{"stands", "employers", "vacancies", "vacancy_competencies"}``."""
    db = current_engine()
    stands: dict[int, int] = {}
    for row in await db.fetch('SELECT * FROM stand WHERE event = ? ORDER BY id', [source_event]):
        stands[row["id"]] = await _insert("stand", row, {"event": target_event})
    employers: dict[int, int] = {}
    for row in await db.fetch('SELECT * FROM employer WHERE event = ? ORDER BY id',
                              [source_event]):
        employers[row["id"]] = await _insert("employer", row, {
            "event": target_event,
            "stand": stands.get(row["stand"]) if row.get("stand") is not None else None})
    vacancies: dict[int, int] = {}
    if employers:
        marks = ", ".join("?" for _ in employers)
        for row in await db.fetch(f"SELECT * FROM vacancy WHERE employer IN ({marks})"
                                  " ORDER BY id", list(employers)):
            vacancies[row["id"]] = await _insert("vacancy", row,
                                                 {"employer": employers[row["employer"]]})
    competencies = 0
    if vacancies:
        marks = ", ".join("?" for _ in vacancies)
        for row in await db.fetch(f"SELECT * FROM vacancy_competency WHERE vacancy IN ({marks})"
                                  " ORDER BY id", list(vacancies)):
            await _insert("vacancy_competency", row, {"vacancy": vacancies[row["vacancy"]]})
            competencies += 1
    return {"stands": len(stands), "employers": len(employers), "vacancies": len(vacancies),
            "vacancy_competencies": competencies}
