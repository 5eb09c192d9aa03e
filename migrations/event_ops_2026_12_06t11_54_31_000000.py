"""Candidate pool (issue 18): pool members and contact requests. New tables only, so it runs on
SQLite and PostgreSQL alike."""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    JSON,
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


class Visitor(Table, tablename="visitor", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


class Organisation(Table, tablename="organisation", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


class ContactPerson(Table, tablename="contact_person", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


class PoolMember(Table, tablename="pool_member", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


ID = "2026-12-06T11:54:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "candidate pool: members and contact requests"

_BASE = {"primary_key": False, "index_method": IndexMethod.btree, "choices": None,
         "db_column_name": None, "secret": False}


def _col(kind: Any, default: Any, null: bool = False, index: bool = False,
         unique: bool = False, **extra: Any) -> tuple[Any, dict]:
    return kind, {"default": default, "null": null, "index": index, "unique": unique, **extra}


def _fk(references: type[Table], on_delete: OnDelete, null: bool, index: bool = True,
        unique: bool = False) -> tuple[Any, dict]:
    return ForeignKey, {"references": references, "on_delete": on_delete,
                        "on_update": OnUpdate.cascade, "target_column": None, "null": null,
                        "index": index, "unique": unique, "default": None}


TABLES: dict[tuple[str, str], dict[str, tuple[Any, dict]]] = {
    ("PoolMember", "pool_member"): {
        "visitor": _fk(Visitor, OnDelete.cascade, null=False, index=False, unique=True),
        "ref": _col(Varchar, "", unique=True, length=12),
        "wording_version": _col(Varchar, "", length=16),
        "consent_by": _col(Varchar, "self", length=32),
        "consented_at": _col(Timestamptz, TimestamptzNow()),
        "ends_on": _col(Date, None),
        "reminded_at": _col(Timestamptz, None, null=True),
        "withdrawn_at": _col(Timestamptz, None, null=True),
        "hours_min": _col(Integer, None, null=True),
        "hours_max": _col(Integer, None, null=True),
        "available_from": _col(Date, None, null=True),
        "max_distance_km": _col(Integer, None, null=True),
        "share_fields": _col(JSON, "[]"),
        "created_at": _col(Timestamptz, TimestamptzNow()),
        "updated_at": _col(Timestamptz, TimestamptzNow()),
    },
    ("PoolContactRequest", "pool_contact_request"): {
        "member": _fk(PoolMember, OnDelete.cascade, null=False),
        "organisation": _fk(Organisation, OnDelete.cascade, null=False),
        "contact": _fk(ContactPerson, OnDelete.set_null, null=True, index=False),
        "about": _col(Varchar, "", length=200),
        "job_profile": _col(Integer, None, null=True),
        "message": _col(Text, ""),
        "status": _col(Varchar, "requested", index=True, length=16),
        "decided_at": _col(Timestamptz, None, null=True),
        "decided_by": _col(Varchar, "", length=32),
        "released_fields": _col(JSON, "[]"),
        "created_at": _col(Timestamptz, TimestamptzNow()),
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
