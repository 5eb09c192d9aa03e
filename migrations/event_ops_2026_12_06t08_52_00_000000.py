"""A visitor's e-mail address becomes optional: walk-ins at the desk or kiosk may have none.
The column stays UNIQUE (several visitors may have no address: NULLs never collide, on
SQLite and PostgreSQL alike), so ``ON CONFLICT (email)`` keeps working for sign-ups.

PostgreSQL alters the column in place. SQLite cannot change a column's constraints, so the
table is rebuilt the way SQLite documents it ("making other kinds of table schema
changes"): foreign keys off (outside any transaction: inside one the pragma is ignored, and
``DROP TABLE`` with foreign keys on would cascade-delete every registration), then in one
transaction: create the new table from the stored definition with only the e-mail column
changed, copy every row, drop the old table, rename, re-create its indexes and triggers,
and check the foreign keys before committing. Every column (also ones added later) and
every id is kept.
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T08:52:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "visitor email optional"

_EMAIL_COLUMN = re.compile(r'"email"\s+VARCHAR\(254\)[^,]*', re.IGNORECASE)


def new_definition(create_sql: str) -> str:
    """The stored ``CREATE TABLE "visitor" …`` as ``visitor_rebuilt`` with a nullable,
    still unique e-mail column. Raises when the column is not where it is expected (a
    migration must never guess)."""
    sql, n = _EMAIL_COLUMN.subn('"email" VARCHAR(254) UNIQUE DEFAULT NULL', create_sql, count=1)
    if n != 1:
        raise RuntimeError(f"visitor.email not found in {create_sql!r}")
    sql, n = re.subn(r'^CREATE TABLE (IF NOT EXISTS )?"?visitor"?', 'CREATE TABLE "visitor_rebuilt"',
                     sql, count=1)
    if n != 1:
        raise RuntimeError(f"unexpected visitor definition {create_sql!r}")
    return sql


def _values(row) -> list:
    # The pooled engine's connection gives dicts, a plain connection tuples.
    return list(row.values()) if isinstance(row, dict) else list(row)


def rebuild_sqlite(conn) -> None:
    """The rebuild on an open ``sqlite3`` connection with no transaction open."""
    (create_sql,) = _values(conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'visitor'").fetchone())
    if "UNIQUE DEFAULT NULL" in create_sql:
        return  # done already
    extras = [_values(row)[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'visitor'"
        " AND type IN ('index', 'trigger') AND sql IS NOT NULL")]
    columns = ", ".join(f'"{_values(row)[1]}"' for row in conn.execute("PRAGMA table_info(visitor)"))
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(new_definition(create_sql))
            conn.execute(f'INSERT INTO "visitor_rebuilt" ({columns})'
                         f' SELECT {columns} FROM "visitor"')
            conn.execute('DROP TABLE "visitor"')
            conn.execute('ALTER TABLE "visitor_rebuilt" RENAME TO "visitor"')
            for sql in extras:
                conn.execute(sql)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION,
                               wrap_in_transaction=False)

    async def run():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl(
                "ALTER TABLE visitor ALTER COLUMN email DROP NOT NULL,"
                " ALTER COLUMN email SET DEFAULT NULL")
            return
        outside = getattr(engine, "outside_transaction", None)
        if outside is not None:  # event-ops' pooled engine: its writer connection
            async with outside() as conn:
                rebuild_sqlite(conn)
            return
        import sqlite3  # Piccolo's stock engine: a connection of our own is just as good

        conn = sqlite3.connect(engine.connection_kwargs["database"], isolation_level=None)
        try:
            rebuild_sqlite(conn)
        finally:
            conn.close()

    manager.add_raw(run)
    return manager
