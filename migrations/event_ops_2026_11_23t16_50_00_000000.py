"""Composite unique constraints and lookup indexes Piccolo's columns cannot express.

Plain ``CREATE [UNIQUE] INDEX`` statements, valid on SQLite and PostgreSQL alike.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T16:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS registration_event_visitor_uq"
    " ON registration (event, visitor)",
    "CREATE INDEX IF NOT EXISTS registration_event_status_ix"
    " ON registration (event, status, waiting_position)",
    "CREATE UNIQUE INDEX IF NOT EXISTS stand_event_label_uq ON stand (event, label)",
    "CREATE UNIQUE INDEX IF NOT EXISTS profile_competency_visitor_code_uq"
    " ON profile_competency (visitor, code)",
    "CREATE INDEX IF NOT EXISTS vacancy_competency_code_ix ON vacancy_competency (code)",
]

DROP = [
    "DROP INDEX IF EXISTS registration_event_visitor_uq",
    "DROP INDEX IF EXISTS registration_event_status_ix",
    "DROP INDEX IF EXISTS stand_event_label_uq",
    "DROP INDEX IF EXISTS profile_competency_visitor_code_uq",
    "DROP INDEX IF EXISTS vacancy_competency_code_ix",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        for sql in STATEMENTS:
            await engine.run_ddl(sql)

    async def run_backwards():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        for sql in DROP:
            await engine.run_ddl(sql)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
