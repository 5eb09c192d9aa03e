"""Employer portal (issue 18): contact persons may add a password and a second factor
(TOTP), checked by the same rules as organisers' accounts (event_ops.access.credentials).
Three new columns on ``contact_person``; an empty ``password_hash`` means "login link only".
ADD COLUMN only, so it runs on SQLite and PostgreSQL alike."""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T11:56:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "contact persons' password and TOTP"

_BASE = {"primary_key": False, "unique": False, "index": False,
         "index_method": IndexMethod.btree, "choices": None, "db_column_name": None,
         "secret": False}

COLUMNS: dict[str, tuple[Any, dict]] = {
    "password_hash": (Varchar, {"length": 255, "default": "", "null": False}),
    "totp_secret": (Varchar, {"length": 64, "default": None, "null": True}),
    "totp_last_step": (BigInt, {"default": None, "null": True}),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)
    for name, (column_class, params) in COLUMNS.items():
        manager.add_column(
            table_class_name="ContactPerson", tablename="contact_person", column_name=name,
            db_column_name=name, column_class_name=column_class.__name__,
            column_class=column_class, params={**_BASE, **params}, schema=None)
    return manager
