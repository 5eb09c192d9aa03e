from piccolo.columns import JSON, BigInt, Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.employers.tables import Employer
from event_ops.events.tables import Event

# Device and API tokens. ``employer`` is the employer admin code (entries, export,
# preferences); ``employer_tablet`` is the scan-only code for a stand tablet.
EMPLOYER_ROLES = ("employer", "employer_tablet")
# ``admin``: a programme-wide token (no event) for integrations that set up events.
# ``print_station``: a browser that prints the badges sent to it; ``kiosk``: a self-service
# tablet at the entrance (check-in by badge, walk-in sign-up).
TOKEN_ROLES = ("organiser", "door", *EMPLOYER_ROLES, "admin", "print_station", "kiosk")


class AccessToken(Table, tablename="access_token"):
    """A staff or device bearer token, scoped to one event and one role; an ``admin``
    token has no event (every event of the programme).

    Only the SHA-256 of the token is stored; the token is shown once, when created. The
    column was nullable in both databases from the start (Piccolo's foreign keys are), so
    making ``event`` optional needed no migration.
    """

    event = ForeignKey(references=Event, index=True, null=True)
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
    # Back-office changes: field → [before, after] (see ``event_ops.audit.changes``). Holds
    # settings of events, organisations and accounts; a visitor's personal data never.
    changes = JSON(default={})


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


ACCOUNT_ROLES = ("organiser_admin", "organiser_staff", "job_coach")


class Account(Table, tablename="account"):
    """A person of the organising partnership who logs in with e-mail and password.

    ``password_hash`` is an argon2id hash; ``totp_secret`` is set once the second factor is
    confirmed. An organiser admin sees every event; staff and job coaches only the events
    in ``account_event``.
    """

    email = Varchar(length=254, unique=True, index=True)
    name = Varchar(length=200)
    role = Varchar(length=32)
    password_hash = Varchar(length=255)
    totp_secret = Varchar(length=64, null=True, default=None)
    # The 30-second step of the last TOTP code used: a code works only once.
    totp_last_step = BigInt(null=True, default=None)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    disabled_at = Timestamptz(null=True, default=None)
    # A job coach's organisation (a municipality, a training company): coaches of the same
    # organisation share their visitors on the registration list. None for other roles.
    organisation = Varchar(length=200, null=True, default=None)


class AccountInvitation(Table, tablename="account_invitation"):
    """A mailed one-time link with which an invited person sets their own password
    (``event_ops.access.invitations``). The link is ``<id>.<HMAC(secret key, id, nonce)>``:
    ``nonce`` is random per mail sent, so a copy of the database alone cannot form a link,
    and re-sending (a new nonce) kills the old link. Works once, until ``expires_at``."""

    account = ForeignKey(references=Account, index=True)
    nonce = Varchar(length=64)
    created_by = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class AccountEvent(Table, tablename="account_event"):
    """Which events an organiser staff member or job coach works on."""

    account = ForeignKey(references=Account, index=True)
    event = ForeignKey(references=Event, index=True)


class LoginSession(Table, tablename="login_session"):
    """A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored,
    so a copy of the database cannot be used to sign in."""

    account = ForeignKey(references=Account, index=True)
    secret_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    ended_at = Timestamptz(null=True, default=None)


class LoginThrottle(Table, tablename="login_throttle"):
    """Wrong passwords per account *and client*, so a stranger's guesses lock out only the
    stranger (``event_ops.access.accounts``). ``key`` is ``"<account>|ip:<address>"``, or
    ``"<account>|device:<id>"`` for a browser the account logged in from before
    (``trusted``); ``"unlock:<mail id>"`` marks a used unlock link."""

    key = Varchar(length=200, unique=True, index=True)
    account = ForeignKey(references=Account, index=True)
    failures = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    trusted = Boolean(default=False)
    updated_at = Timestamptz(default=TimestamptzNow())
