"""'Who is here': an employer's recommended visitors, to tell its tablet when they arrive."""

from __future__ import annotations

import json

from badges.content import recommended_stands
from event_ops.core.db import current_engine
from event_ops.matching.recommend import stored_recommendations


async def recommended_visitors(event_id: int, employer_id: int) -> set[int]:
    """Registrations (consenting visitors only) whose badge recommends this employer's stand.

    Uses the same rule as the badge, so the tablet and the badge never disagree.
    """
    db = current_engine()
    stands = await db.fetch(
        "SELECT s.label, e.name, e.sector, e.id FROM employer e JOIN stand s ON s.id = e.stand"
        " WHERE e.event = ? ORDER BY e.id",
        [event_id],
    )
    mine = next((s for s in stands if s["id"] == employer_id), None)
    if mine is None:
        return set()
    label = f"{mine['label']} {mine['name']}"
    rows = await db.fetch(
        "SELECT r.id, v.sectors FROM registration r JOIN visitor v ON v.id = r.visitor"
        " WHERE r.event = ? AND r.status = 'registered' AND v.share_profile = ?",
        [event_id, True],
    )
    stored = await stored_recommendations(event_id)  # the engine's picks, when it has run
    wanted = set()
    for row in rows:
        sectors = row["sectors"] if isinstance(row["sectors"], list) else json.loads(row["sectors"])
        if (row["id"] in stored or mine["sector"] in sectors) and \
                label in recommended_stands(stands, row["id"], sectors, stored):
            wanted.add(row["id"])
    return wanted
