from piccolo.columns import JSON, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.employers.tables import Employer
from event_ops.events.tables import Event

TOKEN_ROLES = ("organiser", "door", "employer")


class AccessToken(Table, tablename="access_token"):
    """A staff or device bearer token, scoped to one event and one role.

    Only the SHA-256 of the token is stored; the token is shown once, when created.
    """

    event = ForeignKey(references=Event, index=True)
    role = Varchar(length=16)
    employer = ForeignKey(references=Employer, null=True, default=None)
    label = Varchar(length=200)
    token_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class AuditEntry(Table, tablename="audit_entry"):
    """Append-only trail of who did or saw what. Holds ids, never personal data."""

    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = Varchar(length=64)  # e.g. "token:12", "visitor:self", "cli"
    action = Varchar(length=64)  # e.g. "profile.viewed", "registration.created"
    event_id = Integer(null=True, default=None)
    subject_type = Varchar(length=32, default="")
    subject_id = Integer(null=True, default=None)
    fields = JSON(default=[])


class PairingCode(Table, tablename="pairing_code"):
    """A one-time code an organiser shows as a QR; a door or employer device scans it and
    receives its own bearer token. Only the code's SHA-256 is stored."""

    event = ForeignKey(references=Event, index=True)
    role = Varchar(length=16)
    employer = ForeignKey(references=Employer, null=True, default=None)
    label = Varchar(length=200)
    code_hash = Varchar(length=64, unique=True, index=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
