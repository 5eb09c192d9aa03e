from piccolo.columns import JSON, Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.events.tables import Event

REGISTRATION_STATUSES = ("registered", "waiting_list", "cancelled")
# Where a registration came from (the registration list filters on it).
REGISTRATION_SOURCES = ("self", "coach", "walkin", "invitation")


class Visitor(Table, tablename="visitor"):
    """A person with one competency profile that they own, across events."""

    # Stored lower-cased. The UNIQUE constraint's index serves lookups; a second index on
    # the same column would only cost every sign-up a write. NULL for a walk-in who gave
    # no address (several may: NULLs never collide); such a visitor gets no mail.
    email = Varchar(length=254, unique=True, null=True, default=None)
    name = Varchar(length=200)
    phone = Varchar(length=32, default="")
    postcode = Varchar(length=7, default="")
    education_level = Varchar(length=32, default="")
    availability = JSON(default=[])
    sectors = JSON(default=[])
    language = Varchar(length=2, default="nl")
    share_profile = Boolean(default=False)
    # No reminders or organisers' messages: only what the registration itself needs
    # (confirmation, waiting-list news, the link to the own page). Set by the unsubscribe link.
    messages_opt_out = Boolean(default=False)
    # Bumped to invalidate every secret link sent so far (see event_ops/links.py).
    link_version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfileCompetency(Table, tablename="profile_competency"):
    # Looked up by visitor through the unique (visitor, code) index (its leading column).
    visitor = ForeignKey(references=Visitor, on_delete=OnDelete.cascade)
    code = Varchar(length=64)
    level = Integer(default=2)


class ConsentRecord(Table, tablename="consent_record"):
    """Append-only: what the visitor agreed to (or withdrew), when, and which wording."""

    visitor = ForeignKey(references=Visitor, index=True, on_delete=OnDelete.cascade)
    kind = Varchar(length=32)  # terms | share_profile
    granted = Boolean()
    wording_version = Varchar(length=16)
    # The terms and privacy statement accepted with it, e.g. "terms:2026-12-v1
    # privacy:2026-12-v1" (see event_ops/privacy/legal.py); "" before they were versioned.
    documents = Varchar(length=100, default="")
    at = Timestamptz(default=TimestamptzNow())
    # Given at a desk or kiosk ("desk" | "kiosk"; "" online by the visitor) and on which
    # paired device ("token:<id> <label>").
    channel = Varchar(length=16, default="")
    device = Varchar(length=120, default="")


class Registration(Table, tablename="registration"):
    event = ForeignKey(references=Event, index=True)
    visitor = ForeignKey(references=Visitor, index=True, on_delete=OnDelete.cascade)
    status = Varchar(length=16, default="registered")
    # Order on the waiting list (lower comes first); null once registered.
    waiting_position = Integer(null=True, default=None)
    badge_serial = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    cancelled_at = Timestamptz(null=True, default=None)
    checked_in_at = Timestamptz(null=True, default=None)
    checked_in_door = Varchar(length=64, null=True, default=None)
    note = Text(default="")
    source = Varchar(length=16, default="self")  # one of REGISTRATION_SOURCES
    # Marked by an organiser at the desk: signed up, did not come (cleared again: NULL).
    no_show_at = Timestamptz(null=True, default=None)
    # The job coach (account id) who signed this client up; their list shows only these.
    # Set by coach registration (not built yet); NULL for every other source.
    coach_account = Integer(null=True, default=None)
