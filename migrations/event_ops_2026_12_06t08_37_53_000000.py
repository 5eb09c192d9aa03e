"""Each reminder is queued once per event: a unique (event, kind) on reminder_run (a
separate step: Piccolo runs raw statements before a migration's new tables exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T08:37:53:000000"
VERSION = "1.38.0"
DESCRIPTION = "reminder run unique index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS reminder_run_event_kind_uq"
            " ON reminder_run (event, kind)")

    manager.add_raw(run)
    return manager
