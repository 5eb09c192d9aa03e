"""Consent given at a desk or kiosk records where ("desk" | "kiosk") and on which paired
device; print stations get their queue of print jobs. New columns and a new table only, so
this runs on SQLite and PostgreSQL alike; older consent records carry "" (given online)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-06T08:52:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "consent channel and device; print jobs"


class Event(Table, tablename="event", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


class AccessToken(Table, tablename="access_token", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


class Registration(Table, tablename="registration", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


def _params(**params):
    return {"null": False, "primary_key": False, "unique": False, "index": False,
            "index_method": IndexMethod.btree, "choices": None, "db_column_name": None,
            "secret": False, **params}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)
    for name, length in (("channel", 16), ("device", 120)):
        manager.add_column(
            table_class_name="ConsentRecord", tablename="consent_record", column_name=name,
            db_column_name=name, column_class_name="Varchar", column_class=Varchar,
            params=_params(length=length, default=""), schema=None)

    manager.add_table(class_name="PrintJob", tablename="print_job", schema=None, columns=None)

    def fk(name, references, index=False):
        manager.add_column(
            table_class_name="PrintJob", tablename="print_job", column_name=name,
            db_column_name=name, column_class_name="ForeignKey", column_class=ForeignKey,
            params=_params(references=references, on_delete=OnDelete.cascade,
                           on_update=OnUpdate.cascade, target_column=None, index=index),
            schema=None)

    fk("event", Event, index=True)
    fk("station", AccessToken)
    fk("registration", Registration)
    for name, length, default in (("format", 16, ""), ("status", 16, "queued"),
                                  ("requested_by", 64, "")):
        manager.add_column(
            table_class_name="PrintJob", tablename="print_job", column_name=name,
            db_column_name=name, column_class_name="Varchar", column_class=Varchar,
            params=_params(length=length, default=default), schema=None)
    manager.add_column(
        table_class_name="PrintJob", tablename="print_job", column_name="created_at",
        db_column_name="created_at", column_class_name="Timestamptz", column_class=Timestamptz,
        params=_params(default=TimestamptzNow()), schema=None)
    manager.add_column(
        table_class_name="PrintJob", tablename="print_job", column_name="printed_at",
        db_column_name="printed_at", column_class_name="Timestamptz", column_class=Timestamptz,
        params=_params(default=None, null=True), schema=None)
    manager.add_column(
        table_class_name="PrintJob", tablename="print_job", column_name="error",
        db_column_name="error", column_class_name="Text", column_class=Text,
        params=_params(default=""), schema=None)
    return manager
