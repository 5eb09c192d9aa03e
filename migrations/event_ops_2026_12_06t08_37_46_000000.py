"""Organisations: their keys held unique (a KvK number once; a name without a KvK number
once), and one organisation for every distinct employer name already stored (a separate
step: Piccolo runs the raw statements of a migration before its new tables exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T08:37:46:000000"
VERSION = "1.38.0"
DESCRIPTION = "organisation keys and organisations for existing employers"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        import datetime as dt

        from piccolo.engine import engine_finder

        from event_ops.employers.organisations import name_key

        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS organisation_kvk_uq ON organisation (kvk_number)")
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS organisation_name_uq ON organisation (name_key)"
            " WHERE kvk_number IS NULL")
        # The project's engines take "?" placeholders on SQLite and PostgreSQL alike.
        employers = await engine.fetch(
            "SELECT id, name FROM employer WHERE organisation IS NULL ORDER BY id")
        by_key: dict[str, int] = {}
        now = dt.datetime.now(dt.UTC)
        for row in employers:
            key = name_key(row["name"]) or f"employer {row['id']}"
            if key not in by_key:
                found = await engine.fetch("SELECT id FROM organisation WHERE name_key = ?"
                                           " AND kvk_number IS NULL", [key])
                by_key[key] = found[0]["id"] if found else (await engine.fetch(
                    "INSERT INTO organisation (kvk_number, name, name_key, created_at)"
                    " VALUES (NULL, ?, ?, ?) RETURNING id", [row["name"], key, now]))[0]["id"]
            await engine.fetch("UPDATE employer SET organisation = ? WHERE id = ?",
                               [by_key[key], row["id"]])

    manager.add_raw(run)
    return manager
