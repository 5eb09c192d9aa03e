"""The Piccolo app holding every table; migrations live in the top-level ``migrations/``."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from badges.tables import EventKey
from checkin.tables import ScanLog
from event_ops.access.tables import (
    AccessToken,
    Account,
    AccountEvent,
    AccountInvitation,
    AuditEntry,
    LoginSession,
    LoginThrottle,
    PairingCode,
)
from event_ops.employers.tables import (
    ContactLoginLink,
    ContactPerson,
    ContactSession,
    Employer,
    EmployerApplication,
    ImportUpload,
    JobProfile,
    JobProfileCompetency,
    Organisation,
    Stand,
    Vacancy,
    VacancyCompetency,
)
from event_ops.events.tables import Event
from event_ops.interests.tables import Interest, InterestUndo, VisitorInterest
from event_ops.mail.tables import OutboxMail
from event_ops.matching.tables import (
    Match,
    MatchChange,
    Meeting,
    MeetingPlan,
    MeetingPreference,
    Recommendation,
)
from event_ops.messaging.tables import Message, MessageRecipient, ReminderRun
from event_ops.people.tables import (
    CoachNote,
    ConsentRecord,
    ProfileCompetency,
    Registration,
    Visitor,
    VisitorInvitation,
)
from event_ops.printing.tables import BadgePrintItem, BadgePrintRun, PrintJob
from event_ops.privacy.tables import LegalDocument
from event_ops.programmes.tables import Programme, ProgrammeTarget
from event_ops.questions.tables import Answer, Question
from event_ops.taxonomy.tables import Competency

ALL_TABLES = [
    Programme,
    Event,
    ProgrammeTarget,
    Competency,
    Visitor,
    ProfileCompetency,
    ConsentRecord,
    Registration,
    CoachNote,
    Stand,
    Organisation,
    ContactPerson,
    Employer,
    EmployerApplication,
    ContactLoginLink,
    ContactSession,
    JobProfile,
    JobProfileCompetency,
    Vacancy,
    VacancyCompetency,
    ImportUpload,
    AccessToken,
    AuditEntry,
    OutboxMail,
    EventKey,
    ScanLog,
    PairingCode,
    Interest,
    VisitorInterest,
    InterestUndo,
    MeetingPreference,
    Meeting,
    MeetingPlan,
    Recommendation,
    Match,
    MatchChange,
    Account,
    AccountEvent,
    LoginSession,
    LoginThrottle,
    LegalDocument,
    Message,
    MessageRecipient,
    ReminderRun,
    BadgePrintRun,
    BadgePrintItem,
    AccountInvitation,
    Question,
    Answer,
    PrintJob,
    VisitorInvitation,
]

APP_CONFIG = AppConfig(
    app_name="event_ops",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "migrations"),
    table_classes=ALL_TABLES,
    migration_dependencies=[],
    commands=[],
)
