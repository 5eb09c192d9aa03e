from piccolo.columns import JSON, Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.events.tables import Event
from event_ops.people.tables import Registration

QUESTION_KINDS = ("short_text", "one_choice", "several_choices", "yes_no")
# Who may see an answer besides the organisers: employers only when the visitor agreed to
# share their profile (``with_consent``), or nobody (``never``).
QUESTION_SHARES = ("with_consent", "never")


class Question(Table, tablename="question"):
    """A question an organiser adds to one event's sign-up form. ``options`` (choice kinds)
    is a list of ``{"key", "nl", "en"}``; answers store the keys. A question that has
    answers is archived, never deleted, so the answers keep their meaning."""

    event = ForeignKey(references=Event, index=True, on_delete=OnDelete.cascade)
    kind = Varchar(length=16)
    label_nl = Varchar(length=300)
    label_en = Varchar(length=300)
    help_nl = Text(default="")
    help_en = Text(default="")
    options = JSON(default=[])
    required = Boolean(default=False)
    share = Varchar(length=16, default="never")
    position = Integer(default=0)
    archived_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Answer(Table, tablename="answer"):
    """One visitor's answer to one question, for one registration. ``value`` is JSON: text
    (short_text), an option key (one_choice), a list of keys (several_choices) or a bool."""

    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    question = ForeignKey(references=Question, index=True, on_delete=OnDelete.cascade)
    value = JSON(default="null")
    created_at = Timestamptz(default=TimestamptzNow())
