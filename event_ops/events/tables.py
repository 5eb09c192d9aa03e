from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

EVENT_KINDS = ("festival", "matching")
BADGE_SIZES = ("a6", "card")


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
