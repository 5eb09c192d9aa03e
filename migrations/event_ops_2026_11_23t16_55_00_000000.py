"""Indexes for badge keys and the scan log (raw SQL runs before a migration's new tables,
so indexes on new tables get a migration of their own)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T16:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "badge key and scan log indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS event_key_event_key_id_uq ON event_key (event, key_id)",
    # A nonce is unique per device: the same scan sent twice is answered once.
    "CREATE UNIQUE INDEX IF NOT EXISTS scan_log_device_nonce_uq ON scan_log (device, nonce)",
    "CREATE INDEX IF NOT EXISTS registration_event_checked_in_ix"
    " ON registration (event, checked_in_at)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        for sql in STATEMENTS:
            await engine_finder().run_ddl(sql)

    manager.add_raw(run)
    return manager
