"""Uniqueness for the matching tables."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T17:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "matching unique indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS meeting_preference_uq"
    " ON meeting_preference (registration, employer, side)",
    "CREATE UNIQUE INDEX IF NOT EXISTS recommendation_uq ON recommendation (registration, rank)",
    "CREATE UNIQUE INDEX IF NOT EXISTS match_employer_registration_uq"
    " ON match (employer, registration)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        for sql in STATEMENTS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(run)
    return manager
