"""Move the schedule settings of existing matching days into ``meeting_plan``.

Until now the settings (rounds, minutes, pause, start) were only kept in the audit entry of
each ``schedule.built`` / ``schedule.published``, as fields like ``"rounds=8"``. The newest
build gives the draft settings, the newest publish the published ones. Events without a
build keep no row (the defaults apply, as before). Runs on SQLite and PostgreSQL; the audit
entries themselves stay as they are.
"""

import datetime as dt
import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T19:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "meeting plan from the audit entries of schedule builds"


def _settings(fields: object) -> tuple[int, int, int, dt.datetime] | None:
    """(rounds, minutes, pause, starts_at) from an audit entry's fields, None if unreadable."""
    if isinstance(fields, str):
        try:
            fields = json.loads(fields)
        except ValueError:
            return None
    if not isinstance(fields, list):
        return None
    values = dict(f.split("=", 1) for f in fields if isinstance(f, str) and "=" in f)
    try:
        starts_at = dt.datetime.fromisoformat(values["starts_at"])
        if starts_at.tzinfo is None:
            return None
        return (int(values["rounds"]), int(values["minutes"]), int(values["pause"]), starts_at)
    except (KeyError, ValueError):
        return None


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        db = engine_finder()
        latest: dict[tuple[int, str], object] = {}
        # Oldest first, so the newest entry of each event and action wins.
        for row in await db.fetch(
            "SELECT a.event_id, a.action, a.fields FROM audit_entry a"
            " JOIN event e ON e.id = a.event_id"
            " WHERE a.action IN ('schedule.built', 'schedule.published') ORDER BY a.id"
        ):
            latest[(row["event_id"], row["action"])] = row["fields"]
        now = dt.datetime.now(dt.UTC)
        for event_id in sorted({event_id for event_id, _ in latest}):
            built = _settings(latest.get((event_id, "schedule.built")))
            published = _settings(latest.get((event_id, "schedule.published")))
            draft = built or published
            if draft is None:
                continue
            await db.fetch(
                "INSERT INTO meeting_plan (event, rounds, minutes, pause, starts_at,"
                " published_rounds, published_minutes, published_pause, published_starts_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (event) DO NOTHING",
                [event_id, *draft, *(published or (None, None, None, None)), now],
            )

    manager.add_raw(run)
    return manager
