"""Employer portal (issue 18, first part): employers' applications for an event, contact
persons' one-time login links and their sessions. New tables only, so it runs on SQLite and
PostgreSQL alike."""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    Boolean,
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


class Event(Table, tablename="event", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


class ContactPerson(Table, tablename="contact_person", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


ID = "2026-12-06T09:58:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "employer applications, contact persons' login links and sessions"

_BASE = {"primary_key": False, "unique": False, "index_method": IndexMethod.btree,
         "choices": None, "db_column_name": None, "secret": False}


def _varchar(length: int, default: str = "", index: bool = False) -> tuple[Any, dict]:
    return Varchar, {"length": length, "default": default, "null": False, "index": index}


def _fk(references: type[Table]) -> tuple[Any, dict]:
    return ForeignKey, {"references": references, "on_delete": OnDelete.cascade,
                        "on_update": OnUpdate.cascade, "target_column": None, "null": True,
                        "index": True}


def _time(null: bool, default: Any = None) -> tuple[Any, dict]:
    return Timestamptz, {"default": default, "null": null, "index": False}


TABLES: dict[tuple[str, str], dict[str, tuple[Any, dict]]] = {
    ("EmployerApplication", "employer_application"): {
        "event": _fk(Event),
        "organisation_name": _varchar(200),
        "kvk_number": _varchar(8),
        "contact_name": _varchar(200),
        "contact_email": _varchar(254),
        "contact_phone": _varchar(32),
        "sector": _varchar(32),
        "needs_power": (Boolean, {"default": False, "null": False, "index": False}),
        "needs_table": (Boolean, {"default": False, "null": False, "index": False}),
        "needs_screen": (Boolean, {"default": False, "null": False, "index": False}),
        "stand_wishes": (Text, {"default": "", "null": False, "index": False}),
        "staff_count": (Integer, {"default": 1, "null": False, "index": False}),
        "note": (Text, {"default": "", "null": False, "index": False}),
        "language": _varchar(2, "nl"),
        "status": _varchar(16, "pending", index=True),
        "decided_by": _varchar(64),
        "decided_at": _time(True),
        "reason": (Text, {"default": "", "null": False, "index": False}),
        "employer": (Integer, {"default": None, "null": True, "index": False}),
        "created_at": _time(False, TimestamptzNow()),
    },
    ("ContactLoginLink", "contact_login_link"): {
        "contact": _fk(ContactPerson),
        "nonce": _varchar(64),
        "created_at": _time(False, TimestamptzNow()),
        "expires_at": _time(False, TimestamptzNow()),
        "used_at": _time(True),
    },
    ("ContactSession", "contact_session"): {
        "contact": _fk(ContactPerson),
        "secret_hash": _varchar(64, index=True),
        "created_at": _time(False, TimestamptzNow()),
        "expires_at": _time(False, TimestamptzNow()),
        "ended_at": _time(True),
    },
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)
    for (class_name, tablename), columns in TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None,
                          columns=None)
        for name, (column_class, params) in columns.items():
            manager.add_column(
                table_class_name=class_name, tablename=tablename, column_name=name,
                db_column_name=name, column_class_name=column_class.__name__,
                column_class=column_class, params={**_BASE, **params}, schema=None)
    return manager
