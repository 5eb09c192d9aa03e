"""One legal text per kind, scope, language and version (a separate step: Piccolo runs the
raw statements of a migration before its new tables exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T06:20:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "legal document unique index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS legal_document_uq"
            " ON legal_document (kind, scope, language, version)")

    manager.add_raw(run)
    return manager
