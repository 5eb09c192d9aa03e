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


class JobProfile(Table, tablename="job_profile"):
    """A job an organisation offers, kept across events (``event_ops/employers/
    job_profiles.py``): "use it at an event" makes that event's vacancy from it, and
    changing it changes its vacancies at events that have not started. The three flags say
    whether the job fits people with a distance to the labour market. Archived, never
    deleted (vacancies of past events keep pointing at it)."""

    organisation = ForeignKey(references=Organisation, index=True, on_delete=OnDelete.cascade)
    title = Varchar(length=200)
    description = Text(default="")
    sector = Varchar(length=32, default="")
    postcode = Varchar(length=4, default="")  # where the work is (PC4); empty: unknown
    hours_per_week = Integer(null=True, default=None)
    positions = Integer(default=1)
    job_carving = Boolean(default=False)
    supported_employment = Boolean(default=False)
    training_on_the_job = Boolean(default=False)
    archived_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class JobProfileCompetency(Table, tablename="job_profile_competency"):
    job_profile = ForeignKey(references=JobProfile, index=True, on_delete=OnDelete.cascade)
    code = Varchar(length=64)
    level = Integer(default=2)
    required = Boolean(default=True)


class Vacancy(Table, tablename="vacancy"):
    employer = ForeignKey(references=Employer, index=True, on_delete=OnDelete.cascade)
    title = Varchar(length=200)
    description = Text(default="")
    sector = Varchar(length=32, default="")
    positions = Integer(default=1)
    hours_per_week = Integer(null=True, default=None)
    postcode = Varchar(length=4, default="")  # where the work is (PC4); empty: unknown
    # The job profile it was made from (NULL: made by hand or by an import); its fields and
    # the three flags below are a copy, kept up to date until the event starts.
    job_profile = ForeignKey(references=JobProfile, null=True, default=None,
                             on_delete=OnDelete.set_null)
    job_carving = Boolean(default=False)
    supported_employment = Boolean(default=False)
    training_on_the_job = Boolean(default=False)


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


class EmployerApplication(Table, tablename="employer_application"):
    """An organisation asks to take part in an event (the public sign-up form,
    ``event_ops/employers/applications.py``). ``status``: pending | approved | declined;
    an organiser decides (``decided_by`` is the audit actor, never a name). ``employer``:
    the employer made when it was approved."""

    event = ForeignKey(references=Event, index=True, on_delete=OnDelete.cascade)
    organisation_name = Varchar(length=200)
    kvk_number = Varchar(length=8)
    contact_name = Varchar(length=200)
    contact_email = Varchar(length=254)
    contact_phone = Varchar(length=32, default="")
    sector = Varchar(length=32, default="")
    needs_power = Boolean(default=False)
    needs_table = Boolean(default=False)
    needs_screen = Boolean(default=False)
    stand_wishes = Text(default="")
    staff_count = Integer(default=1)
    note = Text(default="")
    language = Varchar(length=2, default="nl")
    status = Varchar(length=16, default="pending", index=True)
    decided_by = Varchar(length=64, default="")
    decided_at = Timestamptz(null=True, default=None)
    reason = Text(default="")
    employer = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class ContactLoginLink(Table, tablename="contact_login_link"):
    """A mailed one-time login link of a contact person (``event_ops/access/contacts.py``):
    the link is derived from ``nonce`` with the secret key, so the database alone opens
    nothing. Erased with the contact person."""

    contact = ForeignKey(references=ContactPerson, index=True, on_delete=OnDelete.cascade)
    nonce = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class ContactSession(Table, tablename="contact_session"):
    """A contact person's logged-in browser; the cookie holds the secret, this its hash."""

    contact = ForeignKey(references=ContactPerson, index=True, on_delete=OnDelete.cascade)
    secret_hash = Varchar(length=64, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    ended_at = Timestamptz(null=True, default=None)
