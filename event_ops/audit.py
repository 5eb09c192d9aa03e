"""The audit trail: append-only rows of who did or saw what (ids only, no personal data)."""

from __future__ import annotations

import json

from app.db import current_engine
from event_ops import clock


async def record(
    actor: str,
    action: str,
    *,
    event_id: int | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    fields: list[str] | None = None,
) -> None:
    await current_engine().fetch(
        "INSERT INTO audit_entry (at, actor, action, event_id, subject_type, subject_id, fields)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [clock.now(), actor, action, event_id, subject_type, subject_id,
         json.dumps(fields or [])],
    )
