"""One answer per registration and question; questions read in form order (a separate
step: Piccolo runs the raw statements of a migration before its new tables exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T08:57:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "answer unique index, question order index"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS answer_registration_question_uq"
    " ON answer (registration, question)",
    "CREATE INDEX IF NOT EXISTS question_event_position_ix ON question (event, position)",
]
DROP = [
    "DROP INDEX IF EXISTS answer_registration_question_uq",
    "DROP INDEX IF EXISTS question_event_position_ix",
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
