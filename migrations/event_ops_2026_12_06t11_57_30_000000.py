"""A vacancy made from a job profile remembers it (``vacancy.job_profile``, NULL for one
made by hand or by an import), and every vacancy says whether the job fits people with a
distance to the labour market (three flags, false by default: old rows keep meaning "not
said"). Plain ``ALTER TABLE … ADD COLUMN``, which SQLite and PostgreSQL both run without
rebuilding the table; ``ON DELETE SET NULL``: a profile is archived, never deleted, but if
one were the vacancy stays."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T11:57:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "vacancy job profile link and distance-to-the-labour-market flags"

STATEMENTS = (
    "ALTER TABLE vacancy ADD COLUMN job_profile INTEGER NULL DEFAULT NULL"
    " REFERENCES job_profile (id) ON DELETE SET NULL",
    "ALTER TABLE vacancy ADD COLUMN job_carving BOOLEAN NOT NULL DEFAULT false",
    "ALTER TABLE vacancy ADD COLUMN supported_employment BOOLEAN NOT NULL DEFAULT false",
    "ALTER TABLE vacancy ADD COLUMN training_on_the_job BOOLEAN NOT NULL DEFAULT false",
    "CREATE INDEX IF NOT EXISTS vacancy_job_profile_ix ON vacancy (job_profile)"
    " WHERE job_profile IS NOT NULL",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="event_ops", description=DESCRIPTION)

    async def run():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        for sql in STATEMENTS:
            await engine.run_ddl(sql)

    manager.add_raw(run)
    return manager
