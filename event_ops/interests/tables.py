from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.access.tables import AccessToken
from event_ops.employers.tables import Employer, Vacancy
from event_ops.events.tables import Event
from event_ops.people.tables import Registration

INTEREST_LEVELS = ("direct", "follow_up", "training", "info")


class Interest(Table, tablename="interest"):
    """An employer's outcome for one visitor at its stand. One row per (employer, visitor):
    scanning the same visitor again updates it."""

    event = ForeignKey(references=Event, index=True)
    employer = ForeignKey(references=Employer, index=True)
    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    level = Varchar(length=16)
    note = Text(default="")
    rating = Integer(null=True, default=None)
    vacancy = ForeignKey(references=Vacancy, null=True, default=None)
    device = ForeignKey(references=AccessToken, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class VisitorInterest(Table, tablename="visitor_interest"):
    """The other direction: a visitor scanned an employer's stand QR ("I'm interested")."""

    event = ForeignKey(references=Event, index=True)
    employer = ForeignKey(references=Employer, index=True)
    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())
    withdrawn = Boolean(default=False)


class InterestUndo(Table, tablename="interest_undo"):
    """What an undo of one write to an interest puts back: the entry and its match as they
    were just before that write. One row per write; an undo takes back the newest one, and
    only for the device that made it (``event_ops.interests.service.undo_interest``)."""

    interest = ForeignKey(references=Interest, index=True, on_delete=OnDelete.cascade)
    device = Integer(null=True, default=None)  # the access token that wrote; no FK needed
    at = Timestamptz(default=TimestamptzNow())
    # JSON {"level", "note", "rating", "vacancy", "device", "updated_at"}; "" = the write
    # created the entry (undo removes it).
    entry_before = Text(default="")
    # JSON {"id", "level", "interest"} of the (employer, visitor) match; "" = there was none.
    match_before = Text(default="")
