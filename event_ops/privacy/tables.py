from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class LegalDocument(Table, tablename="legal_document"):
    """One version of the terms or the privacy statement, in one language.

    Append-only: a new text is a new row with a new ``version``; the consent records name
    the versions a visitor accepted (``consent_record.documents``). With no row for a kind,
    the default text shipped in ``event_ops/privacy/texts/`` applies. ``scope`` is "" for
    the whole programme; later organisers may write texts for one scope of their own.
    """

    kind = Varchar(length=16)  # terms | privacy
    version = Varchar(length=32)
    language = Varchar(length=2)
    scope = Varchar(length=64, default="")
    title = Varchar(length=200)
    body = Text()
    published_at = Timestamptz(default=TimestamptzNow())
