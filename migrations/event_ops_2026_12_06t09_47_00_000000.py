"""Job coaches: their notes on clients (``coach_note``), private to coaches of the author's
organisation. A new table only, so it runs on SQLite and PostgreSQL alike."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Visitor(Table, tablename="visitor", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


ID = "2026-12-06T09:47:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "coach notes"


def _params(**changes):
    params = {"null": False, "primary_key": False, "unique": False, "index": False,
              "index_method": IndexMethod.btree, "choices": None, "db_column_name": None,
              "secret": False}
    params.update(changes)
    return params


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)
    manager.add_table(class_name="CoachNote", tablename="coach_note", schema=None, columns=None)
    columns = [
        ("visitor", "ForeignKey", ForeignKey,
         _params(references=Visitor, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade,
                 target_column=None, null=True, index=True)),
        ("registration", "Integer", Integer, _params(default=None, null=True)),
        ("author", "Integer", Integer, _params(default=0)),
        ("organisation", "Varchar", Varchar, _params(length=200, default="", index=True)),
        ("body", "Text", Text, _params(default="")),
        ("created_at", "Timestamptz", Timestamptz, _params(default=TimestamptzNow())),
    ]
    for name, class_name, column_class, params in columns:
        manager.add_column(table_class_name="CoachNote", tablename="coach_note",
                           column_name=name, db_column_name=name,
                           column_class_name=class_name, column_class=column_class,
                           params=params, schema=None)
    return manager
