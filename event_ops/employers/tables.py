from piccolo.columns import (
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from event_ops.events.tables import Event


class Stand(Table, tablename="stand"):
    event = ForeignKey(references=Event, index=True)
    label = Varchar(length=32)
    hall = Varchar(length=64, default="")


class Organisation(Table, tablename="organisation"):
    """One employer or training provider across events. Its key is the KvK number (Dutch
    Chamber of Commerce, 8 digits) when known, else ``name_key`` (the normalised name,
    ``event_ops.employers.organisations.name_key``); unique indexes hold both
    (migration 2026-12-06T09:00:30)."""

    kvk_number = Varchar(length=8, null=True, default=None)
    name = Varchar(length=200)
    name_key = Varchar(length=200, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ContactPerson(Table, tablename="contact_person"):
    """Someone to call at an organisation: personal data of the employer's staff, so only
    what organisers need (name, work e-mail, work phone, job title); erased with it."""

    organisation = ForeignKey(references=Organisation, index=True, on_delete=OnDelete.cascade)
    name = Varchar(length=200)
    email = Varchar(length=254, default="")
    phone = Varchar(length=32, default="")
    role = Varchar(length=100, default="")


class Employer(Table, tablename="employer"):
    """An employer or training provider taking part in one event."""

    event = ForeignKey(references=Event, index=True)
    name = Varchar(length=200)
    sector = Varchar(length=32, default="")
    is_training_provider = Boolean(default=False)
    stand = ForeignKey(references=Stand, null=True, default=None)
    # Where the after-event list of visitors goes; empty: to the owners of its matches.
    contact_email = Varchar(length=254, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    # The organisation across events; every employer added through employers.service has
    # one (NULL only for rows written around it).
    organisation = ForeignKey(references=Organisation, null=True, default=None, index=True,
                              on_delete=OnDelete.restrict)


class Vacancy(Table, tablename="vacancy"):
    employer = ForeignKey(references=Employer, index=True, on_delete=OnDelete.cascade)
    title = Varchar(length=200)
    description = Text(default="")
    sector = Varchar(length=32, default="")
    positions = Integer(default=1)
    hours_per_week = Integer(null=True, default=None)
    postcode = Varchar(length=4, default="")  # where the work is (PC4); empty: unknown


class VacancyCompetency(Table, tablename="vacancy_competency"):
    vacancy = ForeignKey(references=Vacancy, index=True, on_delete=OnDelete.cascade)
    code = Varchar(length=64)
    level = Integer(default=2)
    required = Boolean(default=True)


class ImportUpload(Table, tablename="import_upload"):
    """A spreadsheet between its preview and the organiser's "store it" (at most 30
    minutes): kept server-side, found only with the random id the preview page holds and the
    session that uploaded it (both stored as SHA-256), deleted once used or expired."""

    id_hash = Varchar(length=64, unique=True)
    session_hash = Varchar(length=64)
    event = ForeignKey(references=Event, index=True, on_delete=OnDelete.cascade)
    filename = Varchar(length=200, default="")
    content = Bytea()
    created_at = Timestamptz(default=TimestamptzNow())
