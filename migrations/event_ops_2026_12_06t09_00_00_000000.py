"""The registrations desk: a registration can be marked a no-show (``no_show_at``), and
keeps the job coach who signed a client up (``coach_account``, for the coach's own list).
Adds columns only, so it runs on SQLite and PostgreSQL alike; older rows get NULL."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "registration no-show and coach account"

_PARAMS = {
    "default": None,
    "null": True,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Registration",
        tablename="registration",
        column_name="no_show_at",
        db_column_name="no_show_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=dict(_PARAMS),
        schema=None,
    )
    manager.add_column(
        table_class_name="Registration",
        tablename="registration",
        column_name="coach_account",
        db_column_name="coach_account",
        column_class_name="Integer",
        column_class=Integer,
        params=dict(_PARAMS),
        schema=None,
    )
    return manager
