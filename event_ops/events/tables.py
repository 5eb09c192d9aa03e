from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.programmes.tables import Programme

EVENT_KINDS = ("festival", "matching")
BADGE_SIZES = ("a6", "card")
VISIBILITIES = ("public", "invitation_only")
LANGUAGES = ("nl", "en")


class Event(Table, tablename="event"):
    # Piccolo adds this primary key itself; declared (annotation only, no column of ours)
    # so type checkers know ``event.id`` is an int.
    id: Serial
    slug = Varchar(length=64, unique=True, index=True)
    name = Varchar(length=200)
    kind = Varchar(length=16)  # festival | matching
    sector = Varchar(length=32, null=True, default=None)
    description = Text(default="")
    location = Varchar(length=200, default="")
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    capacity = Integer(null=True, default=None)
    checkin_opens_at = Timestamptz(null=True, default=None)
    checkin_closes_at = Timestamptz(null=True, default=None)
    badge_size = Varchar(length=8, default="a6")
    # Personal data of this event's visitors is erased this many months after it ends.
    retention_months = Integer(default=12)
    created_at = Timestamptz(default=TimestamptzNow())
    # The programme (season) whose targets the reports measure this event against.
    programme = ForeignKey(references=Programme, null=True, default=None, index=True,
                           on_delete=OnDelete.set_null)
    # ``location`` is the venue's name; these say where it is and how to get there.
    address = Varchar(length=300, default="")
    route = Text(default="")
    # Public sign-up is open from ... until ... (empty: from now until the event ends).
    registration_opens_at = Timestamptz(null=True, default=None)
    registration_closes_at = Timestamptz(null=True, default=None)
    # Languages spoken at the event, comma-separated codes ("nl,en").
    languages = Varchar(length=64, default="nl")
    # public: listed, anyone signs up; invitation_only: not listed, no public sign-up.
    visibility = Varchar(length=16, default="public")
    archived_at = Timestamptz(null=True, default=None)
    # Optimistic locking: every saved change adds one; a save based on an older version
    # is refused (event_ops/events/editing.py), so two organisers never overwrite each other.
    version = Integer(default=1)
