"""A station reads its open jobs in order: (station, status, id). A separate step: Piccolo
runs the raw statements of a migration before its new tables exist."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T08:53:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "print job queue index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        await engine_finder().run_ddl(
            "CREATE INDEX IF NOT EXISTS print_job_station_status"
            " ON print_job (station, status, id)")

    manager.add_raw(run)
    return manager
