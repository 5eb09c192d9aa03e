"""``eventops demo``: a Werkfestival (250 employers, 600 vacancies, 2,000 visitors) and a
30 x 30 matching event, with realistic Dutch profiles, and a small festival that is open
*today* (whatever day the demo runs) so the event day itself can be tried: door, stands,
dashboard. Employers have a fictitious contact
address under example.nl, and their vacancies a workplace postcode in Groningen or Drenthe.
Deterministic and idempotent."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.employers.organisations import organisation_for
from event_ops.events.service import create_event
from event_ops.events.tables import Event
from event_ops.localtime import AMSTERDAM
from event_ops.people.registration import (
    AVAILABILITY,
    EDUCATION_LEVELS,
    CleanRegistration,
    insert_visitor,
)
from event_ops.taxonomy.service import SECTORS, competencies_by_code

DATA = Path(__file__).resolve().parent / "data" / "demo"
FESTIVAL_SLUG = "werkfestival-2027"
MATCHING_SLUG = "matchingsdag-zorg-2027"
TODAY_SLUG = "werkfestival-vandaag"


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (DATA / name).read_text("utf-8").splitlines() if line.strip()]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


async def load_demo() -> list[str]:
    rng = random.Random(2027)
    out: list[str] = []
    if await Event.exists().where(Event.slug == FESTIVAL_SLUG):
        out.append(f"{FESTIVAL_SLUG}: already there")
    else:
        starts = dt.datetime(2027, 4, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        event = await create_event(
            slug=FESTIVAL_SLUG, name="Werkfestival 2.0", kind="festival", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=7), capacity=12000,
            location="Martiniplaza, Leonard Springerlaan 2, Groningen",
            description="Eén dag, 250 werkgevers en opleiders. Kom langs, praat en vind werk.",
        )
        employers = await _employers(rng, event.id, 250)
        vacancies = await _vacancies(rng, employers, 600)
        visitors = await _visitors(rng, event.id, 2000, "fest")
        out.append(f"{FESTIVAL_SLUG}: {len(employers)} employers, {vacancies} vacancies, "
                   f"{visitors} visitors")
    if await Event.exists().where(Event.slug == MATCHING_SLUG):
        out.append(f"{MATCHING_SLUG}: already there")
    else:
        starts = dt.datetime(2027, 3, 11, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        event = await create_event(
            slug=MATCHING_SLUG, name="Matchingsdag Zorg en Welzijn", kind="matching",
            sector="care", starts_at=starts, ends_at=starts + dt.timedelta(hours=4),
            capacity=30, location="Zorgcampus, Assen",
            description="30 werkzoekenden en 30 zorgorganisaties. Korte gesprekken van 10 minuten.",
        )
        employers = await _employers(rng, event.id, 30, sector="care")
        vacancies = await _vacancies(rng, employers, 45, sector="care")
        visitors = await _visitors(rng, event.id, 30, "zorg", sector="care")
        out.append(f"{MATCHING_SLUG}: {len(employers)} employers, {vacancies} vacancies, "
                   f"{visitors} visitors")
    out.append(await _today_event())
    return out


def today_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime, dt.datetime, dt.datetime]:
    """(starts, ends, check-in opens, check-in closes) of the demo event on the Dutch
    calendar day of ``now``: 08:00-22:00, check-in open the whole day. Only the date counts,
    so every run on one day gives the same times."""
    day = now.astimezone(AMSTERDAM).date()

    def at(hour: int, days: int = 0) -> dt.datetime:
        local = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(hour),
                                    tzinfo=AMSTERDAM)
        return local.astimezone(dt.UTC)

    return at(8), at(22), at(0), at(0, days=1)


async def _today_event() -> str:
    """The festival of today. Idempotent: on the same day a second run changes nothing; on a
    later day the same event (with its employers, visitors and what was done with them)
    moves to that day, so nothing is duplicated and the demo is always open for trying."""
    starts, ends, opens, closes = today_window(clock.now())
    event = await Event.objects().where(Event.slug == TODAY_SLUG).first()
    local_day = starts.astimezone(AMSTERDAM).strftime("%d-%m-%Y")
    if event is not None:
        if event.starts_at == starts and event.checkin_opens_at == opens:
            return f"{TODAY_SLUG}: already there, open today ({local_day})"
        await Event.update({Event.starts_at: starts, Event.ends_at: ends,
                            Event.checkin_opens_at: opens, Event.checkin_closes_at: closes}
                           ).where(Event.id == event.id)
        return f"{TODAY_SLUG}: moved to today ({local_day}), check-in open all day"
    rng = random.Random(f"{TODAY_SLUG}")
    event = await create_event(
        slug=TODAY_SLUG, name="Werkfestival vandaag (demo)", kind="festival",
        starts_at=starts, ends_at=ends, capacity=500, location="Demohal, Groningen",
        description="Een demo die altijd vandaag is: probeer de deur, de stands en het "
                    "overzicht.",
    )
    await Event.update({Event.checkin_opens_at: opens, Event.checkin_closes_at: closes}
                       ).where(Event.id == event.id)
    employers = await _employers(rng, event.id, 20)
    vacancies = await _vacancies(rng, employers, 40)
    visitors = await _visitors(rng, event.id, 100, "vandaag")
    return (f"{TODAY_SLUG}: {len(employers)} employers, {vacancies} vacancies, {visitors} "
            f"visitors; open today ({local_day}), check-in open all day")


async def _employers(
    rng: random.Random, event_id: int, n: int, sector: str | None = None
) -> list[tuple[int, str, str]]:
    db = current_engine()
    pool = [r for r in _rows("employers.csv") if sector is None or r["sector"] == sector]
    rng.shuffle(pool)
    result: list[tuple[int, str]] = []
    halls = ["Hal A", "Hal B", "Hal C"]
    async with db.transaction():
        for i in range(n):
            row = pool[i % len(pool)]
            name = row["name"] if i < len(pool) else f"{row['name']} ({i // len(pool) + 1})"
            label = f"{'ABC'[i % 3]}{i // 3 + 1:02d}"
            stand_id = (await db.fetch(
                "INSERT INTO stand (event, label, hall) VALUES (?, ?, ?) RETURNING id",
                [event_id, label, halls[i % 3]],
            ))[0]["id"]
            emp_sector = row["sector"]
            # The same firm at several demo events is one organisation (the back office
            # lists the events it took part in).
            organisation_id, _ = await organisation_for(name, None, "demo")
            employer_id = (await db.fetch(
                "INSERT INTO employer (event, name, sector, is_training_provider, stand,"
                " contact_email, created_at, organisation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                [event_id, name, "" if emp_sector == "training" else emp_sector,
                 emp_sector == "training", stand_id, employer_email(name), clock.now(),
                 organisation_id],
            ))[0]["id"]
            result.append((employer_id, emp_sector, workplace(name)))
    return result


def employer_email(name: str) -> str:
    """A plausible, fictitious contact address under example.nl, e.g.
    "vacatures@bouwbedrijf-hoekstra-zn.example.nl". Seeded by the name (not by the shared
    random generator), so the rest of the demo data stays as it was."""
    words = _ascii_words(name)
    local = random.Random(f"mail:{name}").choice(["vacatures", "werken", "hr", "info", "jobs"])
    return f"{local}@{'-'.join(words)[:50].strip('-') or 'werkgever'}.example.nl"


def workplace(name: str) -> str:
    """The PC4 where an employer's vacancies are: a real postcode area in Groningen or
    Drenthe from places.csv, seeded by the name like :func:`employer_email`."""
    return random.Random(f"place:{name}").choice(_rows("places.csv"))["postcode"]


async def _vacancies(
    rng: random.Random, employers: list[tuple[int, str, str]], n: int,
    sector: str | None = None,
) -> int:
    db = current_engine()
    known = await competencies_by_code()
    templates: dict[str, list[dict[str, str]]] = {}
    for row in _rows("vacancies.csv"):
        templates.setdefault(row["sector"], []).append(row)
    hiring = [e for e in employers if e[1] in templates]
    async with db.transaction():
        for i in range(n):
            employer_id, emp_sector, postcode = hiring[i % len(hiring)]
            tpl = rng.choice(templates[sector or emp_sector])
            vacancy_id = (await db.fetch(
                "INSERT INTO vacancy (employer, title, description, sector, positions,"
                " hours_per_week, postcode) VALUES (?, ?, '', ?, ?, ?, ?) RETURNING id",
                [employer_id, tpl["title_nl"], emp_sector, rng.choice([1, 1, 2, 3]),
                 rng.choice([24, 32, 36, 38, 40]), postcode],
            ))[0]["id"]
            for required, codes in ((True, tpl["required"]), (False, tpl["nice"])):
                for code in filter(None, codes.split(";")):
                    if code in known:
                        await db.fetch(
                            "INSERT INTO vacancy_competency (vacancy, code, level, required)"
                            " VALUES (?, ?, ?, ?)",
                            [vacancy_id, code, known[code].level, required],
                        )
    return n


async def _visitors(
    rng: random.Random, event_id: int, n: int, tag: str, sector: str | None = None
) -> int:
    db = current_engine()
    first_names, surnames = _lines("first_names.txt"), _lines("surnames.txt")
    places = _rows("places.csv")
    known = await competencies_by_code()
    by_sector: dict[str, list[str]] = {}
    for item in known.values():
        by_sector.setdefault(item.sector, []).append(item.code)
    now = clock.now()
    async with db.transaction():
        for i in range(n):
            first, last = rng.choice(first_names), rng.choice(surnames)
            name = f"{first} {last}"
            email = f"{_ascii(first)}.{_ascii(last)}.{tag}{i}@example.nl"
            place = rng.choice(places)
            postcode = f"{place['postcode']} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}" \
                       f"{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
            sectors = [sector] if sector else rng.sample(SECTORS, rng.choice([1, 1, 2]))
            codes: set[str] = set()
            for s in sectors:
                codes.update(rng.sample(by_sector.get(s, []), min(4, len(by_sector.get(s, [])))))
            codes.update(rng.sample(by_sector.get("general", []),
                                    min(2, len(by_sector.get("general", [])))))
            clean = CleanRegistration(
                name=name, email=email, phone=f"+316{rng.randrange(10**7, 10**8)}",
                postcode=postcode,
                competencies={c: rng.choice([1, 2, 2, 3, 3, 4]) for c in sorted(codes)},
                sectors=sectors, education_level=rng.choice(EDUCATION_LEVELS),
                availability=rng.sample(AVAILABILITY, rng.choice([1, 2])),
                share_profile=rng.random() < 0.8, language="en" if rng.random() < 0.1 else "nl",
            )
            visitor_id = await insert_visitor(clean, now)
            await db.fetch(
                "INSERT INTO registration (event, visitor, status, badge_serial, created_at,"
                " note) VALUES (?, ?, 'registered', 1, ?, '')",
                [event_id, visitor_id, now],
            )
    return n


def _ascii(text: str) -> str:
    return "".join(_ascii_words(text)) or "x"


def _ascii_words(text: str) -> list[str]:
    """"Café 't Hoekje (2)" -> ["cafe", "t", "hoekje", "2"]."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch if ch.isalnum() else " " for ch in plain).split()
