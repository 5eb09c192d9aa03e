"""Organisations across events, and their contact persons.

An organisation's key is its KvK number (the Dutch Chamber of Commerce number, 8 digits)
when known, else its normalised name (:func:`name_key`): "Bouwbedrijf Hoekstra & Zn. B.V."
and "bouwbedrijf hoekstra & zn bv" are the same organisation. The database holds both keys
unique (a unique index on ``kvk_number``; on ``name_key`` among those without a KvK
number), so two imports at once never make the same organisation twice.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from event_ops import audit
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.people.registration import CONTROL_RE, EMAIL_RE

KVK_RE = re.compile(r"^[0-9]{8}$")
# Legal forms at the end of a name do not make another organisation.
_LEGAL_FORMS = frozenset({"bv", "nv", "vof", "cv", "bva", "ltd", "gmbh"})
_NOT_WORD = re.compile(r"[^0-9a-z&+]+")
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{6,20}$")
ORGANISATION_FIELDS = ("name", "kvk_number")
CONTACT_FIELDS = ("name", "email", "phone", "role")


def name_key(name: str) -> str:
    """The organisation's name as a key: lower case, accents and punctuation dropped, the
    legal form at the end dropped (B.V., N.V., VOF …), spaces collapsed. Pure.

    >>> name_key("  Café de Zon B.V. ")
    'cafe de zon'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace(".", "")  # "B.V." → "bv", "Zn." → "zn"
    words = _NOT_WORD.sub(" ", text).split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)[:200]


def clean_name(raw: str | None, field: str = "name") -> str:
    """An organisation's or employer's name: spaces collapsed, 1 to 200 characters."""
    name = " ".join((raw or "").split())
    if not name or len(name) > 200 or CONTROL_RE.search(name) or not name_key(name):
        raise DomainError("bad_name", "A name of 1 to 200 characters with letters or digits"
                          " is needed.", field=field)
    return name


def normalise_kvk(raw: str | None) -> str | None:
    """A KvK number as its 8 digits ("12 34 56 78" → "12345678"); None when not given.
    Raises ``bad_kvk``."""
    text = re.sub(r"[\s.]", "", str(raw or ""))
    if not text:
        return None
    if not KVK_RE.match(text):
        raise DomainError("bad_kvk", f"{raw!r} is not a KvK number (8 digits).",
                          field="kvk_number")
    return text


async def find_organisation(name: str, kvk: str | None) -> dict[str, Any] | None:
    """The organisation with this KvK number; when a number is given and no organisation
    has it, one with this name's key that has no number yet (it may get the number); with no
    number, the one with this name's key (one without a number first)."""
    db = current_engine()
    if kvk:
        rows = await db.fetch("SELECT * FROM organisation WHERE kvk_number = ?", [kvk])
        if rows:
            return rows[0]
    if kvk:
        rows = await db.fetch("SELECT * FROM organisation WHERE name_key = ?"
                              " AND kvk_number IS NULL ORDER BY id LIMIT 1", [name_key(name)])
    else:  # no number given: the one of that name (one without a number first)
        rows = await db.fetch("SELECT * FROM organisation WHERE name_key = ? ORDER BY"
                              " CASE WHEN kvk_number IS NULL THEN 0 ELSE 1 END, id LIMIT 1",
                              [name_key(name)])
    return rows[0] if rows else None


async def organisation_for(name: str, kvk: str | None, actor: str) -> tuple[int, bool]:
    """The organisation's id for this name and KvK number, created when there is none
    (audited); and whether it was created. An existing organisation without a KvK number
    gets the given one. Safe against another process creating it at the same moment: the
    unique indexes refuse the second row (ON CONFLICT DO NOTHING) and it is read again."""
    name = clean_name(name)
    found = await find_organisation(name, kvk)
    db = current_engine()
    if found is not None:
        if kvk and not found["kvk_number"]:
            await db.fetch("UPDATE organisation SET kvk_number = ? WHERE id = ?",
                           [kvk, found["id"]])
            await audit.record(actor, "organisation.updated", subject_type="organisation",
                               subject_id=found["id"],
                               changes=audit.changes({"kvk_number": None}, {"kvk_number": kvk}))
        return found["id"], False
    from event_ops import clock

    rows = await db.fetch(
        "INSERT INTO organisation (kvk_number, name, name_key, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING RETURNING id", [kvk, name, name_key(name), clock.now()])
    if not rows:  # made by someone else a moment ago
        again = await find_organisation(name, kvk)
        if again is None:
            raise DomainError("organisation_exists",
                              "Another organisation already has this name or KvK number.")
        return again["id"], False
    await audit.record(actor, "organisation.created", subject_type="organisation",
                       subject_id=rows[0]["id"],
                       changes=audit.changes({}, {"name": name, "kvk_number": kvk}))
    return rows[0]["id"], True


async def create_organisation(name: str, kvk_raw: str | None, actor: str) -> int:
    """A new organisation from the back office; ``organisation_exists`` when its KvK number
    or (without a number) its name is taken already."""
    name, kvk = clean_name(name), normalise_kvk(kvk_raw)
    if await find_organisation(name, kvk) is not None:
        raise DomainError("organisation_exists",
                          "There is already an organisation with this KvK number or name.",
                          field="kvk_number" if kvk else "name")
    org_id, created = await organisation_for(name, kvk, actor)
    if not created:
        raise DomainError("organisation_exists",
                          "There is already an organisation with this KvK number or name.")
    return org_id


async def get_organisation(org_id: int) -> dict[str, Any]:
    rows = await current_engine().fetch("SELECT * FROM organisation WHERE id = ?", [org_id])
    if not rows:
        raise DomainError("organisation_not_found", "There is no such organisation.")
    return rows[0]


async def update_organisation(org_id: int, name: str, kvk_raw: str | None, actor: str) -> None:
    """Rename an organisation or set its KvK number; the names of its employers at events
    follow (they are the same organisation). Audited with before → after."""
    before = await get_organisation(org_id)
    name, kvk = clean_name(name), normalise_kvk(kvk_raw)
    db = current_engine()
    if kvk:
        clash = await db.fetch("SELECT id FROM organisation WHERE id <> ? AND kvk_number = ?",
                               [org_id, kvk])
    else:
        clash = await db.fetch("SELECT id FROM organisation WHERE id <> ? AND name_key = ?"
                               " AND kvk_number IS NULL", [org_id, name_key(name)])
    if clash:
        raise DomainError("organisation_exists",
                          "There is already an organisation with this KvK number or name.",
                          field="kvk_number" if kvk else "name")
    after = {"name": name, "kvk_number": kvk}
    changed = audit.changes({k: before[k] for k in ORGANISATION_FIELDS}, after)
    if not changed:
        return
    async with db.transaction():
        await db.fetch("UPDATE organisation SET name = ?, kvk_number = ?, name_key = ?"
                       " WHERE id = ?", [name, kvk, name_key(name), org_id])
        if "name" in changed:
            await db.fetch("UPDATE employer SET name = ? WHERE organisation = ?", [name, org_id])
        await audit.record(actor, "organisation.updated", subject_type="organisation",
                           subject_id=org_id, changes=changed)


async def search_organisations(query: str = "", limit: int = 50,
                               offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """(total, page) of organisations whose name or KvK number contains ``query``, by name,
    with how many events each took part in."""
    where, args = "1 = 1", []
    q = query.strip()[:100]
    if q:
        key = name_key(q)
        where = "(o.name_key LIKE ? ESCAPE '\\' OR o.kvk_number LIKE ? ESCAPE '\\')"
        pattern = "%" + key.replace("%", "").replace("_", "\\_") + "%"
        digits = "%" + re.sub(r"[^0-9]", "", q) + "%" if re.search(r"[0-9]", q) else "-"
        args = [pattern, digits]
    db = current_engine()
    total = (await db.fetch(f"SELECT COUNT(*) AS n FROM organisation o WHERE {where}",
                            args))[0]["n"]
    rows = await db.fetch(
        "SELECT o.id, o.name, o.kvk_number, (SELECT COUNT(*) FROM employer e"
        f" WHERE e.organisation = o.id) AS events FROM organisation o WHERE {where}"
        " ORDER BY o.name_key, o.id LIMIT ? OFFSET ?", [*args, limit, offset])
    return total, rows


async def organisation_events(org_id: int) -> list[dict[str, Any]]:
    """The events this organisation took part in, newest first, with its stand there."""
    return await current_engine().fetch(
        "SELECT e.id AS employer_id, ev.slug, ev.name AS event_name, ev.starts_at, ev.kind,"
        " s.label AS stand, e.sector FROM employer e JOIN event ev ON ev.id = e.event"
        " LEFT JOIN stand s ON s.id = e.stand WHERE e.organisation = ?"
        " ORDER BY ev.starts_at DESC", [org_id])


def check_contact(name: str, email: str, phone: str, role: str) -> dict[str, str]:
    """A contact person's fields, checked: a name, and optionally a work e-mail, a phone
    number and a job title. Raises ``bad_contact`` naming the field."""
    name = " ".join((name or "").split())
    if not name or len(name) > 200 or CONTROL_RE.search(name):
        raise DomainError("bad_contact", "A contact person needs a name (1 to 200 characters).",
                          field="name")
    email = (email or "").strip().lower()
    if email and (len(email) > 254 or not EMAIL_RE.match(email)):
        raise DomainError("bad_contact", f"{email!r} is not a valid e-mail address.",
                          field="email")
    phone = " ".join((phone or "").split())
    if phone and not PHONE_RE.match(phone):
        raise DomainError("bad_contact", "A phone number has 6 to 20 digits.", field="phone")
    role = " ".join((role or "").split())
    if len(role) > 100 or CONTROL_RE.search(role):
        raise DomainError("bad_contact", "A job title has at most 100 characters.",
                          field="role")
    return {"name": name, "email": email, "phone": phone, "role": role}


async def contacts(org_id: int) -> list[dict[str, Any]]:
    """The organisation's contact persons, with whether they set a ``password`` and turned
    on ``totp`` (never the hash or the secret)."""
    rows = await current_engine().fetch(
        "SELECT id, name, email, phone, role, password_hash <> '' AS password,"
        " totp_secret IS NOT NULL AS totp FROM contact_person WHERE organisation = ?"
        " ORDER BY name, id", [org_id])
    return [{**dict(r), "password": bool(r["password"]), "totp": bool(r["totp"])}
            for r in rows]


async def add_contact(org_id: int, fields: dict[str, str], actor: str) -> int:
    await get_organisation(org_id)
    values = check_contact(**fields)
    rows = await current_engine().fetch(
        "INSERT INTO contact_person (organisation, name, email, phone, role)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        [org_id, values["name"], values["email"], values["phone"], values["role"]])
    # A contact person's data is not written to the audit log: only that one was added.
    await audit.record(actor, "contact_person.created", subject_type="organisation",
                       subject_id=org_id, fields=list(CONTACT_FIELDS))
    return rows[0]["id"]


async def remove_contact(org_id: int, contact_id: int, actor: str) -> None:
    """Erase a contact person (the row is deleted, not hidden)."""
    rows = await current_engine().fetch(
        "DELETE FROM contact_person WHERE id = ? AND organisation = ? RETURNING id",
        [contact_id, org_id])
    if not rows:
        raise DomainError("not_found", "There is no such contact person.")
    await audit.record(actor, "contact_person.removed", subject_type="organisation",
                       subject_id=org_id)
