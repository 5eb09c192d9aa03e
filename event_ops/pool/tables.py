"""Tables of the candidate pool (issue 18).

Contract
--------
* A visitor has at most one :class:`PoolMember` row (UNIQUE ``visitor``). The row exists while
  the visitor is (or was) in the pool; it is findable only while ``withdrawn_at`` is NULL and
  ``ends_on`` has not passed. Erasing the visitor deletes it (cascade).
* ``ref`` is a random pseudonym (no personal data, not derived from ids), the only identifier an
  employer sees before a contact request is accepted.
* The consent itself is also written to ``consent_record`` (kind ``pool``), append-only, like
  every other consent; ``wording_version`` and ``consent_by`` here say which wording and who
  (``self`` or ``coach:<account id>``) gave the consent that is in force.
* ``share_fields`` lists the contact details the member chose to release to an employer after
  accepting a request: a subset of ``("name", "email", "phone")``. Nothing is released before
  acceptance, and only these after it.
* A :class:`PoolContactRequest` goes ``requested`` → ``accepted`` | ``declined`` (by the member
  or their coach), or ``withdrawn`` (by the employer) or ``expired`` (membership ended).
  ``released_fields`` records what reached the employer at acceptance.
"""

from __future__ import annotations

from piccolo.columns import JSON, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.employers.tables import ContactPerson, Organisation
from event_ops.people.tables import Visitor

CONTACT_REQUEST_STATUSES = ("requested", "accepted", "declined", "withdrawn", "expired")
SHAREABLE_FIELDS = ("name", "email", "phone")


class PoolMember(Table, tablename="pool_member"):
    visitor = ForeignKey(references=Visitor, unique=True, on_delete=OnDelete.cascade)
    ref = Varchar(length=12, unique=True)
    wording_version = Varchar(length=16)
    consent_by = Varchar(length=32, default="self")  # "self" | "coach:<account id>"
    consented_at = Timestamptz(default=TimestamptzNow())
    ends_on = Date()
    reminded_at = Timestamptz(null=True, default=None)  # renewal reminder sent for ends_on
    withdrawn_at = Timestamptz(null=True, default=None)
    hours_min = Integer(null=True, default=None)
    hours_max = Integer(null=True, default=None)
    available_from = Date(null=True, default=None)
    max_distance_km = Integer(null=True, default=None)
    share_fields = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PoolContactRequest(Table, tablename="pool_contact_request"):
    member = ForeignKey(references=PoolMember, index=True, on_delete=OnDelete.cascade)
    organisation = ForeignKey(references=Organisation, index=True, on_delete=OnDelete.cascade)
    contact = ForeignKey(references=ContactPerson, null=True, default=None,
                         on_delete=OnDelete.set_null)
    about = Varchar(length=200, default="")  # the job it is about (a job profile's title)
    job_profile = Integer(null=True, default=None)
    message = Text(default="")  # the employer's words to the member (never the other way)
    status = Varchar(length=16, default="requested", index=True)
    decided_at = Timestamptz(null=True, default=None)
    decided_by = Varchar(length=32, default="")  # "self" | "coach:<account id>"
    released_fields = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
