from __future__ import annotations

from collections.abc import Sequence

from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.employers.tables import Employer, Stand
from event_ops.events.tables import Event
from event_ops.people.registration import CONTROL_RE, EMAIL_RE, POSTCODE_RE
from event_ops.taxonomy.service import SECTORS, competencies_by_code

MAX_POSITIONS = 1000
MAX_HOURS = 60


def normalise_email(raw: str | None) -> str:
    """An employer's contact address, lower-cased; "" when not given. Raises ``bad_email``."""
    email = (raw or "").strip().lower()
    if email and (len(email) > 254 or not EMAIL_RE.match(email) or CONTROL_RE.search(email)):
        raise DomainError("bad_email", f"{raw!r} is not a valid e-mail address.", field="email")
    return email


def normalise_pc4(raw: str | None) -> str:
    """A workplace postcode as its four digits (PC4): "9711 AB", "9711ab" and "9711" all
    give "9711"; "" when not given. Raises ``bad_postcode``."""
    text = (raw or "").strip()
    if not text:
        return ""
    match = POSTCODE_RE.match(text)
    if not match:
        raise DomainError("bad_postcode",
                          f"{raw!r} is not a Dutch postcode; give e.g. 9711 or 9711 AB.",
                          field="postcode")
    return match.group(1)


def check_sector(sector: str | None) -> None:
    """An employer's or vacancy's sector is empty or one of the known codes; anything else
    raises ``DomainError('sector_unknown')`` naming the valid codes."""
    if sector and sector not in SECTORS:
        raise DomainError(
            "sector_unknown",
            f"Unknown sector code {sector!r}. Valid codes: {', '.join(SECTORS)}.",
            field="sector")


async def add_employer(
    event: Event,
    *,
    name: str,
    stand_label: str | None = None,
    sector: str = "",
    is_training_provider: bool = False,
    contact_email: str | None = None,
) -> Employer:
    """Add an employer. ``contact_email`` (optional) receives its list of visitors after
    the event; without it the list goes to the owners of its matches."""
    name = name.strip()
    if not name:
        raise DomainError("bad_name", "The employer needs a name.", field="name")
    check_sector(sector)
    email = normalise_email(contact_email)
    stand_id = None
    if stand_label:
        stand = (
            await Stand.objects()
            .where((Stand.event == event.id) & (Stand.label == stand_label))
            .first()
        )
        if stand is None:
            stand = Stand(event=event.id, label=stand_label)
            await stand.save()
        stand_id = stand.id
    employer = Employer(
        event=event.id,
        name=name,
        sector=sector,
        stand=stand_id,
        is_training_provider=is_training_provider,
        contact_email=email,
    )
    await employer.save()
    return employer


async def add_vacancy(
    employer_id: int,
    *,
    title: str,
    postcode: str | None = None,
    sector: str | None = None,
    positions: int = 1,
    hours_per_week: int | None = None,
    description: str = "",
    competencies: Sequence[tuple[str, int | None, bool]] = (),
) -> int:
    """Add a vacancy to an employer; returns its id.

    ``postcode`` is where the work is (stored as PC4; matching uses it for the distance to
    each visitor). ``sector`` defaults to the employer's. ``competencies`` are
    (code, level 1-4, required) from the taxonomy; level None means the taxonomy's level.
    """
    title = " ".join(title.split())
    if not 1 <= len(title) <= 200 or CONTROL_RE.search(title):
        raise DomainError("bad_vacancy", "A vacancy needs a title (1 to 200 characters).",
                          field="title")
    pc4 = normalise_pc4(postcode)
    check_sector(sector)
    if not 0 <= positions <= MAX_POSITIONS:
        raise DomainError("bad_vacancy", f"Positions must be 0 to {MAX_POSITIONS}.",
                          field="positions")
    if hours_per_week is not None and not 1 <= hours_per_week <= MAX_HOURS:
        raise DomainError("bad_vacancy", f"Hours per week must be 1 to {MAX_HOURS}.",
                          field="hours_per_week")
    known = await competencies_by_code()
    wanted: dict[str, tuple[int, bool]] = {}
    for code, level, required in competencies:
        if code not in known:
            raise DomainError("bad_vacancy", f"Unknown competency {code!r}.",
                              field="competencies")
        level = known[code].level if level is None else level
        if not 1 <= level <= 4:
            raise DomainError("bad_vacancy", f"Level of {code} must be 1 to 4.",
                              field="competencies")
        wanted[code] = (level, required)
    db = current_engine()
    rows = await db.fetch("SELECT sector FROM employer WHERE id = ?", [employer_id])
    if not rows:
        raise DomainError("not_found", "There is no such employer.")
    async with db.transaction():
        vacancy_id = (await db.fetch(
            "INSERT INTO vacancy (employer, title, description, sector, positions,"
            " hours_per_week, postcode) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [employer_id, title, description, rows[0]["sector"] if sector is None else sector,
             positions, hours_per_week, pc4]))[0]["id"]
        for code, (level, required) in wanted.items():
            await db.fetch(
                "INSERT INTO vacancy_competency (vacancy, code, level, required)"
                " VALUES (?, ?, ?, ?)", [vacancy_id, code, level, required])
    return vacancy_id
