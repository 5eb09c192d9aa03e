"""Indexes for the registrations desk (a separate step: Piccolo runs raw statements before
the columns of the same migration exist).

* ``audit_entry_subject_ix``: the detail page's history reads the entries about one
  registration and its visitor; without it every open scans the whole audit log, which
  grows with every sign-up, door search and view.
* ``registration_coach_ix``: a job coach's list (only their own clients), partial because
  most registrations have no coach.
* ``visitor_name_lower_ix`` (PostgreSQL only): the list's default order, by name. With it
  PostgreSQL walks visitors in name order and stops after a page (first page of 10,000:
  0.5 ms instead of 30 ms). SQLite's planner does not use it for this join (it sorts one
  event's rows, ~3 ms), so there it would only cost every sign-up a write.

The list's other filters use the indexes that exist (event + status, event + check-in);
searching inside names cannot use a B-tree index and scans one event's rows (see
benchmarks/registration_list.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T09:00:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "registrations desk indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS audit_entry_subject_ix"
            " ON audit_entry (subject_type, subject_id)")
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS registration_coach_ix"
            " ON registration (event, coach_account) WHERE coach_account IS NOT NULL")
        if engine.engine_type == "postgres":
            await engine.run_ddl(
                "CREATE INDEX IF NOT EXISTS visitor_name_lower_ix ON visitor (LOWER(name))")

    manager.add_raw(run)
    return manager
