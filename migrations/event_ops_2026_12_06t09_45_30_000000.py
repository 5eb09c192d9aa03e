"""Indexes of visitor invitations (a separate step: Piccolo runs raw statements before the
tables of the same migration exist).

* ``visitor_invitation_email_ux`` / ``_phone_ux``: one invitation per e-mail address, and
  per phone number, per event, so importing the same person again (or two imports at the
  same moment) never invites them twice. Partial: an empty cell is no identity.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T09:45:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "visitor invitation indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS visitor_invitation_email_ux"
            " ON visitor_invitation (event, email) WHERE email <> ''")
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS visitor_invitation_phone_ux"
            " ON visitor_invitation (event, phone) WHERE phone <> ''")

    manager.add_raw(run)
    return manager
