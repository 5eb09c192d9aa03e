from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.table import Table

from event_ops.access.tables import AccessToken
from event_ops.events.tables import Event


class ScanLog(Table, tablename="scan_log"):
    """Append-only: every scan at a door, failed ones too, as the device reported it.

    ``scanned_at`` is the device's clock (when the badge was scanned, maybe offline);
    ``received_at`` is when the server got it. ``response`` is the answer given, so a
    repeated ``nonce`` from the same device gets the very same answer again.
    """

    event = ForeignKey(references=Event, index=True)
    device = ForeignKey(references=AccessToken)
    door = Varchar(length=64, default="")
    registration_id = Integer(null=True, default=None, index=True)
    serial = Integer(null=True, default=None)
    status = Varchar(length=24)
    scanned_at = Timestamptz()
    received_at = Timestamptz()
    nonce = Varchar(length=64, null=True, default=None)
    conflict = Boolean(default=False)
    response = JSON(default={})
