from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.access.tables import AccessToken
from event_ops.events.tables import Event
from event_ops.people.tables import Registration


class BadgePrintRun(Table, tablename="badge_print_run"):
    """One bulk print of an event's badges: who asked (``actor``), when, which badges
    (``scope`` "all" or "new": added or re-issued since the last finished run), and the
    state of the job that renders its PDF (``status`` queued | running | done | failed,
    ``done`` of ``total`` badges). ``heartbeat_at`` is touched while the job runs; a job
    whose heartbeat stopped (the process ended) is marked failed."""

    event = ForeignKey(references=Event, index=True, on_delete=OnDelete.cascade)
    scope = Varchar(length=8, default="all")
    status = Varchar(length=12, default="queued")
    total = Integer(default=0)
    done = Integer(default=0)
    pages = Integer(default=0)
    badge_size = Varchar(length=8, default="a6")
    actor = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)
    file_name = Varchar(length=200, default="")
    file_bytes = Integer(default=0)
    error = Text(default="")


class BadgePrintItem(Table, tablename="badge_print_item"):
    """A badge in a print run: the registration and the badge serial printed. A re-issued
    badge has a new serial, so it is not in any earlier run and counts as new."""

    run = ForeignKey(references=BadgePrintRun, index=True, on_delete=OnDelete.cascade)
    registration = ForeignKey(references=Registration, index=True, on_delete=OnDelete.cascade)
    serial = Integer(default=1)


PRINT_STATUSES = ("queued", "done", "failed")


class PrintJob(Table, tablename="print_job"):
    """One badge to print at one print station, in the order the jobs were made (by id).

    Holds ids and the label format only: the station fetches the label itself, which shows
    what the badge shows and nothing more."""

    event = ForeignKey(references=Event, index=True)
    # The print station's device token.
    station = ForeignKey(references=AccessToken, on_delete=OnDelete.cascade)
    registration = ForeignKey(references=Registration, on_delete=OnDelete.cascade)
    format = Varchar(length=16)
    status = Varchar(length=16, default="queued")  # one of PRINT_STATUSES
    # Who sent it: "token:<id>" of the desk or kiosk, or "account:<id>".
    requested_by = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    printed_at = Timestamptz(null=True, default=None)
    error = Text(default="")
