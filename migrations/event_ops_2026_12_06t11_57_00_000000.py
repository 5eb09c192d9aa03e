"""Job profiles (issue 18): an organisation's vacancies kept across events
(``job_profile``) with their competencies (``job_profile_competency``). New tables only, so
it runs on SQLite and PostgreSQL alike; the vacancy's link to its profile follows in the
next migration (Piccolo runs raw statements before the tables of the same migration exist)."""

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


class Organisation(Table, tablename="organisation", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


class JobProfile(Table, tablename="job_profile", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False,
                index_method=IndexMethod.btree, choices=None, db_column_name="id",
                secret=False)


ID = "2026-12-06T11:57:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "job profiles of organisations"

_BASE = {"primary_key": False, "unique": False, "index_method": IndexMethod.btree,
         "choices": None, "db_column_name": None, "secret": False}


def _varchar(length: int, default: str = "") -> tuple[Any, dict]:
    return Varchar, {"length": length, "default": default, "null": False, "index": False}


def _fk(references: type[Table]) -> tuple[Any, dict]:
    return ForeignKey, {"references": references, "on_delete": OnDelete.cascade,
                        "on_update": OnUpdate.cascade, "target_column": None, "null": True,
                        "index": True}


def _bool() -> tuple[Any, dict]:
    return Boolean, {"default": False, "null": False, "index": False}


def _time(null: bool, default: Any = None) -> tuple[Any, dict]:
    return Timestamptz, {"default": default, "null": null, "index": False}


TABLES: dict[tuple[str, str], dict[str, tuple[Any, dict]]] = {
    ("JobProfile", "job_profile"): {
        "organisation": _fk(Organisation),
        "title": _varchar(200),
        "description": (Text, {"default": "", "null": False, "index": False}),
        "sector": _varchar(32),
        "postcode": _varchar(4),
        "hours_per_week": (Integer, {"default": None, "null": True, "index": False}),
        "positions": (Integer, {"default": 1, "null": False, "index": False}),
        "job_carving": _bool(),
        "supported_employment": _bool(),
        "training_on_the_job": _bool(),
        "archived_at": _time(True),
        "created_at": _time(False, TimestamptzNow()),
        "updated_at": _time(False, TimestamptzNow()),
    },
    ("JobProfileCompetency", "job_profile_competency"): {
        "job_profile": _fk(JobProfile),
        "code": _varchar(64),
        "level": (Integer, {"default": 2, "null": False, "index": False}),
        "required": (Boolean, {"default": True, "null": False, "index": False}),
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
