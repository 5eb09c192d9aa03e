from piccolo.columns import ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.access.tables import AccessToken
from event_ops.events.tables import Event
from event_ops.people.tables import Registration

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
