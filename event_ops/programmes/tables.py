from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# What a target counts (event_ops/programmes/targets.py says how each is counted).
MEASURES = ("matches", "job_matches", "direct", "follow_up", "training",
            "registered", "checked_in", "employers")


class Programme(Table, tablename="programme"):
    """A season of events, e.g. "Perspectief op Werk 2027": 16 matching days and a festival.
    Its targets are what the reports measure against; the programme report counts only its
    own events."""

    id: Serial
    name = Varchar(length=200)
    description = Text(default="")
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    archived = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class ProgrammeTarget(Table, tablename="programme_target"):
    """One target of a programme. ``event`` empty: for the whole programme, counted over
    its events of ``event_kind`` (empty: every kind); an event without its own target for
    that measure shows a share of it, ``target / events_planned`` (16 matching days: 1/16).
    ``event`` set: that one event's own target (it replaces the share)."""

    id: Serial
    programme = ForeignKey(references=Programme, index=True, on_delete=OnDelete.cascade)
    # Lazy: the event table refers to the programme table too.
    event = ForeignKey(references=LazyTableReference("Event",
                                                     module_path="event_ops.events.tables"),
                       null=True, default=None, index=True, on_delete=OnDelete.cascade)
    key = Varchar(length=64)
    label = Varchar(length=200, default="")
    measure = Varchar(length=16)
    event_kind = Varchar(length=16, default="")
    events_planned = Integer(default=1)
    target = Integer(default=0)
