from __future__ import annotations

from event_ops.core.db import current_engine


async def registered_count(event_id: int) -> int:
    rows = await current_engine().fetch(
        "SELECT COUNT(*) AS n FROM registration WHERE event = ? AND status = 'registered'",
        [event_id],
    )
    return int(rows[0]["n"])
