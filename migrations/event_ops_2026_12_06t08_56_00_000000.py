"""The partnership's targets, hard-coded in ``event_ops/reports/targets.py`` until now, become
data: one programme "Perspectief op Werk" holding them, and every existing event joins it, so
today's reports keep their numbers. A separate step: Piccolo runs raw statements before a
migration's new tables exist.

The numbers are copied here on purpose (not imported): a migration must do the same thing
forever, whatever the code later says. Matching-day targets are spread over 16 planned days
(``events_planned``): one day's report shows 1/16 of them, as before.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T08:56:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "default programme with the partnership's targets"

NAME = "Perspectief op Werk"
DESCRIPTION_TEXT = "16 matchingsdagen en het Werkfestival 2.0."
# key, label, measure, event kind, events planned, target
TARGETS = (
    ("festival.direct", "Festival: directe matches", "direct", "festival", 1, 100),
    ("festival.follow_up", "Festival: matches voor later contact", "follow_up", "festival", 1, 200),
    ("festival.training", "Festival: matches op opleiding", "training", "festival", 1, 100),
    ("matching.matches", "Matchingsdagen: matches", "job_matches", "matching", 16, 380),
    ("matching.trainings", "Matchingsdagen: extra opleidingen", "training", "matching", 16, 100),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        existing = await engine.run_ddl("SELECT id FROM programme WHERE name = '%s'" % NAME)
        if existing:
            return
        await engine.run_ddl(
            "INSERT INTO programme (name, description, archived, created_at)"
            f" VALUES ('{NAME}', '{DESCRIPTION_TEXT}', false, CURRENT_TIMESTAMP)")
        rows = await engine.run_ddl(f"SELECT id FROM programme WHERE name = '{NAME}'")
        programme = int(rows[0]["id"])
        for key, label, measure, kind, planned, target in TARGETS:
            await engine.run_ddl(
                "INSERT INTO programme_target (programme, event, key, label, measure,"
                " event_kind, events_planned, target) VALUES"
                f" ({programme}, NULL, '{key}', '{label}', '{measure}', '{kind}', {planned},"
                f" {target})")
        await engine.run_ddl(f"UPDATE event SET programme = {programme} WHERE programme IS NULL")

    manager.add_raw(run)
    return manager
