"""Bulk badge printing: print runs (who, when, which scope, the job's state) and the badges
in each run (registration and serial). Adds tables only, so it runs on SQLite and
PostgreSQL alike."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-06T08:53:17:000000"
VERSION = "1.38.0"
DESCRIPTION = "badge print runs and their badges"


def _stub(name, tablename):
    return type(name, (Table,), {"id": Serial(null=False, primary_key=True, unique=False,
                                              index=False, index_method=IndexMethod.btree,
                                              choices=None, db_column_name="id",
                                              secret=False)}, tablename=tablename, schema=None)


Event = _stub("Event", "event")
Registration = _stub("Registration", "registration")
BadgePrintRun = _stub("BadgePrintRun", "badge_print_run")

COMMON = {"primary_key": False, "unique": False, "index_method": IndexMethod.btree,
          "choices": None, "db_column_name": None, "secret": False}


def _column(manager, table_class, tablename, name, column_class, **params):
    params = {**COMMON, "index": False, "null": False, **params}
    if column_class is ForeignKey:
        params = {"on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                  "target_column": None, **params}
    manager.add_column(table_class_name=table_class, tablename=tablename, column_name=name,
                       db_column_name=name, column_class_name=column_class.__name__,
                       column_class=column_class, params=params, schema=None)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)
    manager.add_table(class_name="BadgePrintRun", tablename="badge_print_run", schema=None,
                      columns=None)
    run = ("BadgePrintRun", "badge_print_run")
    _column(manager, *run, "event", ForeignKey, references=Event, index=True)
    _column(manager, *run, "scope", Varchar, length=8, default="all")
    _column(manager, *run, "status", Varchar, length=12, default="queued")
    for name in ("total", "done", "pages", "file_bytes"):
        _column(manager, *run, name, Integer, default=0)
    _column(manager, *run, "badge_size", Varchar, length=8, default="a6")
    _column(manager, *run, "actor", Varchar, length=64, default="")
    _column(manager, *run, "created_at", Timestamptz, default=TimestamptzNow())
    for name in ("started_at", "finished_at", "heartbeat_at"):
        _column(manager, *run, name, Timestamptz, default=None, null=True)
    _column(manager, *run, "file_name", Varchar, length=200, default="")
    _column(manager, *run, "error", Text, default="")

    manager.add_table(class_name="BadgePrintItem", tablename="badge_print_item", schema=None,
                      columns=None)
    item = ("BadgePrintItem", "badge_print_item")
    _column(manager, *item, "run", ForeignKey, references=BadgePrintRun, index=True)
    _column(manager, *item, "registration", ForeignKey, references=Registration, index=True)
    _column(manager, *item, "serial", Integer, default=1)
    return manager
