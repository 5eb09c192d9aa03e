from piccolo.columns import Bytea, ForeignKey, Integer, OnDelete, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.events.tables import Event


class EventKey(Table, tablename="event_key"):
    """An event's Ed25519 badge-signing key pair.

    The private key is stored encrypted with ``EVENTOPS_SECRET_KEY`` (badges/keys.py).
    A key signs new badges while it is the newest unretired key of its event; older keys
    keep verifying until they are retired.
    """

    event = ForeignKey(references=Event, index=True, on_delete=OnDelete.cascade)
    key_id = Integer()
    public_key = Bytea()
    private_key_enc = Bytea()
    created_at = Timestamptz(default=TimestamptzNow())
    retired_at = Timestamptz(null=True, default=None)
