from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.access.tables import Account
from event_ops.employers.tables import Employer
from event_ops.events.tables import Event
from event_ops.interests.tables import Interest
from event_ops.people.tables import Registration

PREFERENCE_CHOICES = ("must", "happy", "no")
MATCH_STATUSES = (
    "new", "contacted", "interview", "training_intake", "hired", "started_training", "no_match",
)


class MeetingPreference(Table, tablename="meeting_preference"):
    """Before a matching day, each side marks the other: must meet / happy to meet / no."""

    event = ForeignKey(references=Event, index=True)
    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    employer = ForeignKey(references=Employer, index=True, on_delete=OnDelete.cascade)
    side = Varchar(length=8)  # visitor | employer
    choice = Varchar(length=8)  # must | happy | no
    updated_at = Timestamptz(default=TimestamptzNow())


class Meeting(Table, tablename="meeting"):
    """One slot of a matching day's speed-meeting schedule."""

    event = ForeignKey(references=Event, index=True)
    round = Integer()
    table_no = Integer(default=0)
    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    employer = ForeignKey(references=Employer, index=True, on_delete=OnDelete.cascade)
    pinned = Boolean(default=False)
    published = Boolean(default=False)
    score = Integer(default=0)


class MeetingPlan(Table, tablename="meeting_plan"):
    """A matching day's schedule settings, one row per event.

    ``rounds`` … ``starts_at`` are what the last build used (they time the draft and are the
    starting point of the next build); ``published_*`` are copied from them on publishing
    and time what visitors, employers and badges see. NULL until the first publish.
    """

    event = ForeignKey(references=Event, unique=True, null=False, on_delete=OnDelete.cascade)
    rounds = Integer()
    minutes = Integer()
    pause = Integer()
    starts_at = Timestamptz()
    published_rounds = Integer(null=True, default=None)
    published_minutes = Integer(null=True, default=None)
    published_pause = Integer(null=True, default=None)
    published_starts_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class Recommendation(Table, tablename="recommendation"):
    """Festival: a stand recommended to a visitor (rank 1-3), balanced across stands."""

    event = ForeignKey(references=Event, index=True)
    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    employer = ForeignKey(references=Employer, index=True, on_delete=OnDelete.cascade)
    rank = Integer()
    score = Integer(default=0)


class Match(Table, tablename="match"):
    """A lead to follow up: made from an interest of level direct, follow_up or training."""

    event = ForeignKey(references=Event, index=True)
    interest = ForeignKey(references=Interest, null=True, default=None, on_delete=OnDelete.set_null)
    employer = ForeignKey(references=Employer, index=True)
    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    level = Varchar(length=16)
    status = Varchar(length=20, default="new", index=True)
    reason = Text(default="")
    # The owner is an account (organiser or job coach of the event); name and e-mail are
    # copied from it when it is chosen (what mails and the board show).
    owner_account = ForeignKey(references=Account, null=True, default=None,
                               on_delete=OnDelete.set_null)
    owner_name = Varchar(length=200, default="")
    owner_email = Varchar(length=254, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    status_changed_at = Timestamptz(default=TimestamptzNow())
    reminded_at = Timestamptz(null=True, default=None)
    checkpoint_2w_at = Timestamptz(null=True, default=None)
    checkpoint_8w_at = Timestamptz(null=True, default=None)


class MatchChange(Table, tablename="match_change"):
    """Append-only history of a match: its status and its owner (who changed what, when,
    why). ``kind`` is "status" or "owner"; an owner change keeps the status in both status
    columns and names the new owner in ``owner_name`` (empty: nobody)."""

    match = ForeignKey(references=Match, index=True, on_delete=OnDelete.cascade)
    from_status = Varchar(length=20)
    to_status = Varchar(length=20)
    reason = Text(default="")
    actor = Varchar(length=64)
    at = Timestamptz(default=TimestamptzNow())
    kind = Varchar(length=16, default="status")
    owner_name = Varchar(length=200, default="")
