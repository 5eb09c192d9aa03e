"""Invitations of visitors (issue 16): one row per invited person and event, with the
invited → opened → registered status. A new table only, so it runs on SQLite and
PostgreSQL alike; its unique indexes are the next migration (raw SQL runs before new
tables exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Event(Table, tablename="event", schema=None):
    pass


ID = "2026-12-06T09:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "visitor invitations"

_BASE = {
    "null": False,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}

# (column, class, extra params)
_COLUMNS = [
    ("event", ForeignKey, {"references": Event, "on_delete": OnDelete.cascade,
                           "on_update": OnUpdate.cascade, "target_column": None,
                           "null": True, "index": True}),
    ("name", Varchar, {"length": 200, "default": ""}),
    ("email", Varchar, {"length": 254, "default": ""}),
    ("phone", Varchar, {"length": 32, "default": ""}),
    ("language", Varchar, {"length": 2, "default": "nl"}),
    ("coach_account", Integer, {"default": None, "null": True}),
    ("imported_by", Integer, {"default": None, "null": True}),
    ("status", Varchar, {"length": 16, "default": "invited"}),
    ("channel", Varchar, {"length": 8, "default": "none"}),
    ("sent_count", Integer, {"default": 0}),
    ("last_sent_at", Timestamptz, {"default": None, "null": True}),
    ("opened_at", Timestamptz, {"default": None, "null": True}),
    ("registered_at", Timestamptz, {"default": None, "null": True}),
    ("registration_id", Integer, {"default": None, "null": True}),
    ("created_at", Timestamptz, {"default": TimestamptzNow()}),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)
    manager.add_table(class_name="VisitorInvitation", tablename="visitor_invitation",
                      schema=None, columns=None)
    for name, column_class, extra in _COLUMNS:
        manager.add_column(
            table_class_name="VisitorInvitation",
            tablename="visitor_invitation",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={**_BASE, **extra},
            schema=None,
        )
    return manager
