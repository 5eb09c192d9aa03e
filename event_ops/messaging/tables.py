from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.events.tables import Event
from event_ops.people.tables import Registration


class Message(Table, tablename="message"):
    """A message an organiser wrote to a selection of an event's visitors, kept with who
    wrote it, the selection, and (in ``message_recipient``) whom it went to."""

    event = ForeignKey(references=Event, index=True)
    author = Varchar(length=64)  # the actor, e.g. "account:3"
    subject_nl = Varchar(length=200)
    body_nl = Text()
    subject_en = Varchar(length=200)
    body_en = Text()
    selection = JSON(default={})  # see event_ops.messaging.selection.Selection
    channels = Varchar(length=16, default="mail")  # mail | sms | mail+sms
    recipients = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class MessageRecipient(Table, tablename="message_recipient"):
    """One registration a message went to, over one channel. Its outbox rows have kind
    ``message.<message id>`` and this registration; their status says whether it was sent."""

    message = ForeignKey(references=Message, index=True, on_delete=OnDelete.cascade)
    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    channel = Varchar(length=8, default="mail")


class ReminderRun(Table, tablename="reminder_run"):
    """One row per event and reminder kind, inserted in the same transaction that queues
    that reminder's mails: a UNIQUE (event, kind) index makes a second process (or a second
    look by this one) queue nothing, so every visitor gets each reminder once."""

    event = ForeignKey(references=Event, index=True)
    kind = Varchar(length=32)  # reminder.two_days | reminder.morning
    queued = Integer(default=0)
    at = Timestamptz(default=TimestamptzNow())
