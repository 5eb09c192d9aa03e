from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Varchar

ID = "2026-11-23T21:13:21:500031"
VERSION = "1.38.0"
DESCRIPTION = "Drop two indexes that repeat a unique index (one write less per sign-up)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="event_ops", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Visitor",
        tablename="visitor",
        column_name="email",
        db_column_name="email",
        params={"index": False},
        old_params={"index": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="ProfileCompetency",
        tablename="profile_competency",
        column_name="visitor",
        db_column_name="visitor",
        params={"index": False},
        old_params={"index": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
