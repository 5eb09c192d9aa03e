from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxMail(Table, tablename="outbox_mail"):
    """A queued e-mail, written in the same transaction as the change it reports.

    Queuing is one cheap insert; the sender renders the message (``kind`` +
    ``registration_id``) when it sends, so the request that queued it never waits on SMTP.
    """

    event_id = Integer(null=True, default=None)
    registration_id = Integer(null=True, default=None)
    kind = Varchar(length=32)  # registration.confirmation | registration.promoted | ...
    recipient = Varchar(length=254)  # an e-mail address, or a phone number for "sms"
    channel = Varchar(length=8, default="mail")  # mail | sms (event_ops/messaging/sms.py)
    status = Varchar(length=16, default="pending", index=True)  # pending | sent | failed
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)
