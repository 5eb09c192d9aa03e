"""Programmes (seasons) with their targets, and the back office's event fields: programme,
address, route, registration window, languages, visibility, archive and an edit version.

Adds tables and columns only (no constraint changes), so it runs on SQLite and PostgreSQL
alike. The next migration moves the hard-coded targets into a first programme.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-06T08:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "programmes, targets and back-office event fields"


class Programme(Table, tablename="programme", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


class Event(Table, tablename="event", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


def _params(**extra):
    return {"null": False, "primary_key": False, "unique": False, "index": False,
            "index_method": IndexMethod.btree, "choices": None, "db_column_name": None,
            "secret": False, **extra}


def _fk(references, on_delete):
    return _params(references=references, on_delete=on_delete, on_update=OnUpdate.cascade,
                   target_column=None, null=True, index=True)


COLUMNS = {
    ("Programme", "programme"): [
        ("name", Varchar, _params(length=200, default="")),
        ("description", Text, _params(default="")),
        ("starts_on", Date, _params(default=None, null=True)),
        ("ends_on", Date, _params(default=None, null=True)),
        ("archived", Boolean, _params(default=False)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ],
    ("ProgrammeTarget", "programme_target"): [
        ("programme", ForeignKey, _fk(Programme, OnDelete.cascade)),
        ("event", ForeignKey, _fk(Event, OnDelete.cascade)),
        ("key", Varchar, _params(length=64, default="")),
        ("label", Varchar, _params(length=200, default="")),
        ("measure", Varchar, _params(length=16, default="")),
        ("event_kind", Varchar, _params(length=16, default="")),
        ("events_planned", Integer, _params(default=1)),
        ("target", Integer, _params(default=0)),
    ],
    ("Event", "event"): [
        ("programme", ForeignKey, _fk(Programme, OnDelete.set_null)),
        ("address", Varchar, _params(length=300, default="")),
        ("route", Text, _params(default="")),
        ("registration_opens_at", Timestamptz, _params(default=None, null=True)),
        ("registration_closes_at", Timestamptz, _params(default=None, null=True)),
        ("languages", Varchar, _params(length=64, default="nl")),
        ("visibility", Varchar, _params(length=16, default="public")),
        ("archived_at", Timestamptz, _params(default=None, null=True)),
        ("version", Integer, _params(default=1)),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)
    manager.add_table(class_name="Programme", tablename="programme", schema=None, columns=None)
    manager.add_table(class_name="ProgrammeTarget", tablename="programme_target", schema=None,
                      columns=None)
    for (class_name, tablename), columns in COLUMNS.items():
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name, tablename=tablename, column_name=name,
                db_column_name=name, column_class_name=column_class.__name__,
                column_class=column_class, params=params, schema=None)
    return manager
