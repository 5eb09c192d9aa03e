"""One interest per employer and visitor; one 'I'm interested' per visitor and employer."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T17:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "interest unique indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS interest_employer_registration_uq"
    " ON interest (employer, registration)",
    "CREATE UNIQUE INDEX IF NOT EXISTS visitor_interest_employer_registration_uq"
    " ON visitor_interest (employer, registration)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        for sql in STATEMENTS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(run)
    return manager
