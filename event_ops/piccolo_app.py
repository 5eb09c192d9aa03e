"""The Piccolo app holding every table; migrations live in the top-level ``migrations/``."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from event_ops.access.tables import AccessToken, AuditEntry
from event_ops.employers.tables import Employer, Stand, Vacancy, VacancyCompetency
from event_ops.events.tables import Event
from event_ops.mail.tables import OutboxMail
from event_ops.people.tables import ConsentRecord, ProfileCompetency, Registration, Visitor
from event_ops.taxonomy.tables import Competency

ALL_TABLES = [
    Event,
    Competency,
    Visitor,
    ProfileCompetency,
    ConsentRecord,
    Registration,
    Stand,
    Employer,
    Vacancy,
    VacancyCompetency,
    AccessToken,
    AuditEntry,
    OutboxMail,
]

APP_CONFIG = AppConfig(
    app_name="event_ops",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "migrations"),
    table_classes=ALL_TABLES,
    migration_dependencies=[],
    commands=[],
)
