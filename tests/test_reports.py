"""Reports: every number equals an independent SQL count on the demo data, small cells are
suppressed, exports carry the same numbers, and only organisers get them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest
from openpyxl import load_workbook

from event_ops import clock
from event_ops.access.tokens import Principal, create_token, resolve_token
from event_ops.core.db import current_engine
from event_ops.demo import FESTIVAL_SLUG, MATCHING_SLUG, load_demo
from event_ops.employers.service import add_employer
from event_ops.events.service import get_event
from event_ops.followup.service import change_status
from event_ops.followup.tasks import run_followup_tasks
from event_ops.interests.service import InterestInput, record_interest
from event_ops.people.registration import EDUCATION_LEVELS, RegistrationInput, register
from event_ops.reports.suppress import (
    HIDDEN,
    SUPPRESSED,
    safe_rate,
    suppress,
    suppress_breakdown,
)
from event_ops.taxonomy.service import SECTORS
from tests.helpers import badge, bearer, open_event

LEVELS = ("direct", "follow_up", "training", "info")


# ---- the suppression rule ------------------------------------------------------------------------


def test_suppression_rule():
    assert [suppress(n) for n in (0, 1, 4, 5, 120)] == ["<5", "<5", "<5", 5, 120]
    # One small cell next to a published total could be worked out: hide the next smallest.
    assert suppress_breakdown({"a": 40, "b": 3, "c": 12}) == {"a": 40, "b": SUPPRESSED, "c": HIDDEN}
    assert suppress_breakdown({"a": 40, "b": 3, "c": 12}, total_published=False) == \
        {"a": 40, "b": SUPPRESSED, "c": 12}
    assert suppress_breakdown({"a": 40, "b": 3, "c": 2}) == {"a": 40, "b": "<5", "c": "<5"}
    assert suppress_breakdown({"a": 7, "b": 9}) == {"a": 7, "b": 9}
    assert safe_rate(10, 40) == 0.25 and safe_rate("<5", 40) is None and safe_rate(3, 0) is None


# ---- helpers that add activity to the demo ------------------------------------------------


async def check_in_some(event_id: int, share: float, rng: random.Random) -> None:
    """Check in a share of the registered visitors, spread over the event's first hours."""
    db = current_engine()
    event = (await db.fetch("SELECT starts_at FROM event WHERE id = ?", [event_id]))[0]
    rows = await db.fetch("SELECT id FROM registration WHERE event = ? AND status = 'registered'"
                          " ORDER BY id", [event_id])
    async with db.transaction():
        for row in rng.sample(rows, int(len(rows) * share)):
            at = event["starts_at"] + dt.timedelta(minutes=rng.randrange(-30, 240))
            await db.fetch("UPDATE registration SET checked_in_at = ?, checked_in_door = ?"
                           " WHERE id = ?", [at, rng.choice(["Noord", "Zuid"]), row["id"]])


async def tablet_for(event, employer_id: int) -> Principal:
    """A real employer token (interests record the device), resolved as the API would."""
    token = await create_token(event, role="employer", label="Tablet", employer_id=employer_id)
    principal = await resolve_token(token)
    assert principal is not None
    return principal


async def log_interests(slug: str, n: int, rng: random.Random) -> None:
    """n employer interests through the real service (so the follow-up hook runs)."""
    event = await get_event(slug)
    db = current_engine()
    employers = [r["id"] for r in await db.fetch(
        "SELECT id FROM employer WHERE event = ? ORDER BY id", [event.id])]
    visitors = [r["id"] for r in await db.fetch(
        "SELECT id FROM registration WHERE event = ? AND checked_in_at IS NOT NULL ORDER BY id",
        [event.id])]
    pairs = set()
    while len(pairs) < n:
        pairs.add((rng.choice(employers), rng.choice(visitors)))
    tablets: dict[int, Principal] = {}
    for i, (employer_id, registration_id) in enumerate(sorted(pairs)):
        if employer_id not in tablets:
            tablets[employer_id] = await tablet_for(event, employer_id)
        tablet = tablets[employer_id]
        level = rng.choice(LEVELS)
        data = InterestInput(token=await badge(event, registration_id), level=level,
                             note=f"note {i}")
        await record_interest(event, tablet, data)


async def move_some(rng: random.Random) -> None:
    """Walk some matches down the pipeline to every final status."""
    rows = await current_engine().fetch('SELECT id, level FROM "match" ORDER BY id')
    for row in rows:
        roll = rng.random()
        if roll < 0.3:
            continue
        await change_status(row["id"], "contacted", "", "test")
        if roll < 0.45:
            await change_status(row["id"], "no_match", "past niet", "test")
        elif row["level"] == "training":
            await change_status(row["id"], "training_intake", "", "test")
            if roll < 0.8:
                await change_status(row["id"], "started_training", "", "test")
        else:
            await change_status(row["id"], "interview", "", "test")
            if roll < 0.8:
                await change_status(row["id"], "hired", "", "test")


@pytest.fixture
async def demo(db, client):
    rng = random.Random(7)
    await load_demo()
    for slug, share, n in ((FESTIVAL_SLUG, 0.4, 160), (MATCHING_SLUG, 0.9, 25)):
        event = await get_event(slug)
        await check_in_some(event.id, share, rng)
        await log_interests(slug, n, rng)
    await move_some(rng)
    festival = await get_event(FESTIVAL_SLUG)
    return {"festival": festival, "matching": await get_event(MATCHING_SLUG),
            "organiser": await bearer(festival, "organiser", label="Organiser")}


# ---- independent counts ------------------------------------------------------------------


async def count(sql: str, args: list) -> int:
    return int((await current_engine().fetch(f"SELECT COUNT(*) AS n FROM {sql}", args))[0]["n"])


def scoped(column: str, event_id: int | None) -> tuple[str, list]:
    return (f"{column} = ?", [event_id]) if event_id is not None else ("1 = 1", [])


async def expected_totals(event_id: int | None) -> dict:
    r, ra = scoped("r.event", event_id)
    i, ia = scoped("i.event", event_id)
    m, ma = scoped("m.event", event_id)
    out = {
        "registered": await count(f"registration r WHERE {r} AND r.status = 'registered'", ra),
        "waiting_list": await count(f"registration r WHERE {r} AND r.status = 'waiting_list'", ra),
        "cancelled": await count(f"registration r WHERE {r} AND r.status = 'cancelled'", ra),
        "checked_in": await count(f"registration r WHERE {r} AND r.checked_in_at IS NOT NULL", ra),
        "interests": await count(f"interest i WHERE {i}", ia),
        "matches": await count(f'"match" m WHERE {m}', ma),
        "hired": await count(f"\"match\" m WHERE {m} AND m.status = 'hired'", ma),
        "started_training": await count(
            f"\"match\" m WHERE {m} AND m.status = 'started_training'", ma),
    }
    registered = out["registered"]
    out["show_rate"] = round(out["checked_in"] / registered, 4) if registered else None
    return out


def sector_sql(key: str) -> tuple[str, list]:
    """Visitor sectors are a JSON list: match the quoted code in its text."""
    if key == "unknown":
        return (" AND ".join(["CAST(v.sectors AS TEXT) NOT LIKE ?"] * len(SECTORS)),
                [f'%"{s}"%' for s in SECTORS])
    return "CAST(v.sectors AS TEXT) LIKE ?", [f'%"{key}"%']


def education_sql(key: str) -> tuple[str, list]:
    if key == "unknown":
        marks = ", ".join("?" * len(EDUCATION_LEVELS))
        return f"(v.education_level IS NULL OR v.education_level NOT IN ({marks}))", \
            list(EDUCATION_LEVELS)
    return "v.education_level = ?", [key]


def employer_sector_sql(key: str) -> tuple[str, list]:
    if key == "training":
        return "e.is_training_provider = ?", [True]
    if key == "unknown":
        marks = ", ".join("?" * len(SECTORS))
        return f"e.is_training_provider = ? AND e.sector NOT IN ({marks})", [False, *SECTORS]
    return "e.is_training_provider = ? AND e.sector = ?", [False, key]


async def expected_cell(breakdown: str, key: str, column: str, event_id: int | None) -> int:
    reg = "registration r JOIN visitor v ON v.id = r.visitor"
    match = ('"match" m JOIN employer e ON e.id = m.employer JOIN registration r'
             " ON r.id = m.registration JOIN visitor v ON v.id = r.visitor")
    where, args = scoped("r.event" if column in ("registered", "checked_in") else
                         ("i.event" if column == "interests" else "m.event"), event_id)
    group, gargs = {"visitor_sector": sector_sql, "education": education_sql,
                    "employer_sector": employer_sector_sql}[breakdown](key)
    if column == "registered":
        return await count(f"{reg} WHERE {where} AND r.status = 'registered' AND {group}",
                           [*args, *gargs])
    if column == "checked_in":
        return await count(f"{reg} WHERE {where} AND r.checked_in_at IS NOT NULL AND {group}",
                           [*args, *gargs])
    if column == "interests":
        return await count(f"interest i JOIN employer e ON e.id = i.employer WHERE {where}"
                           f" AND {group}", [*args, *gargs])
    status = {"matches": None, "hired": "hired", "started_training": "started_training"}[column]
    extra, sargs = (" AND m.status = ?", [status]) if status else ("", [])
    return await count(f"{match} WHERE {where} AND {group}{extra}", [*args, *gargs, *sargs])


async def assert_report_matches_database(report: dict, event_id: int | None) -> int:
    """Compare every number of the report with its own SQL count; returns how many."""
    checked = 0
    assert report["totals"] == await expected_totals(event_id)
    checked += len(report["totals"])
    i, ia = scoped("i.event", event_id)
    m, ma = scoped("m.event", event_id)
    for level, n in report["interests_by_level"].items():
        assert n == await count(f"interest i WHERE {i} AND i.level = ?", [*ia, level]), level
        checked += 1
    for level, n in report["matches_by_level"].items():
        assert n == await count(f'"match" m WHERE {m} AND m.level = ?', [*ma, level]), level
        checked += 1
    for status, n in report["matches_by_status"].items():
        assert n == await count(f'"match" m WHERE {m} AND m.status = ?', [*ma, status]), status
        checked += 1
    conv = report["conversion"]
    jobs = await count(f"\"match\" m WHERE {m} AND m.level IN ('direct', 'follow_up')", ma)
    trainings = await count(f"\"match\" m WHERE {m} AND m.level = 'training'", ma)
    assert (conv["job_matches"], conv["training_matches"]) == (jobs, trainings)
    assert conv["jobs"] == report["totals"]["hired"]
    assert conv["trainings"] == report["totals"]["started_training"]
    checked += 4
    # Check-ins over time: each bucket is a range count.
    r, ra = scoped("r.event", event_id)
    points = report["checkins"]["points"]
    for point in points:
        if report["checkins"]["bucket"] == "day":
            continue  # per local day; the total below covers it
        start = dt.datetime.fromisoformat(point["start"])
        end = start + dt.timedelta(minutes=int(report["checkins"]["bucket"].removesuffix("min")))
        assert point["count"] == await count(
            f"registration r WHERE {r} AND r.checked_in_at >= ? AND r.checked_in_at < ?",
            [*ra, start, end]), point
        checked += 1
    assert sum(p["count"] for p in points) == report["totals"]["checked_in"]
    # Breakdowns: shown numbers are exact, "<5" hides fewer than five, "x" one more cell.
    for breakdown in report["breakdowns"]:
        for column in breakdown["columns"]:
            if column == "show_rate":
                continue
            hidden = 0
            for row in breakdown["rows"]:
                truth = await expected_cell(breakdown["key"], row["key"], column, event_id)
                cell = row[column]
                if cell == SUPPRESSED:
                    assert truth < 5, (breakdown["key"], row["key"], column)
                elif cell == HIDDEN:
                    hidden += 1
                else:
                    assert cell == truth, (breakdown["key"], row["key"], column, cell, truth)
                    assert truth >= 5
                checked += 1
            small = sum(1 for row in breakdown["rows"] if row[column] == SUPPRESSED)
            assert hidden == (1 if small == 1 else 0), (breakdown["key"], column)
        for row in breakdown["rows"]:
            if "show_rate" in row:
                reg, came = row["registered"], row["checked_in"]
                expected = round(came / reg, 4) if isinstance(reg, int) and \
                    isinstance(came, int) and reg else None
                assert row["show_rate"] == expected
    return checked


async def test_report_numbers_equal_database_counts_on_demo(client, demo):
    org = demo["organiser"]
    r = await client.get(f"/api/v1/events/{FESTIVAL_SLUG}/report", headers=org)
    assert r.status_code == 200, r.text
    festival = r.json()
    assert festival["totals"]["checked_in"] > 500 and festival["totals"]["hired"] > 5
    assert await assert_report_matches_database(festival, demo["festival"].id) > 150
    by_level = {t["key"]: t for t in festival["targets"]}
    assert set(by_level) == {"festival.direct", "festival.follow_up", "festival.training"}
    assert by_level["festival.direct"]["target"] == 100
    assert by_level["festival.direct"]["actual"] == festival["matches_by_level"]["direct"]
    assert by_level["festival.follow_up"]["actual"] == festival["matches_by_level"]["follow_up"]

    # The matching day's report comes from its own organiser token.
    matching_org = await bearer(demo["matching"], "organiser", label="Matching organiser")
    r = await client.get(f"/api/v1/events/{MATCHING_SLUG}/report", headers=matching_org)
    matching = r.json()
    await assert_report_matches_database(matching, demo["matching"].id)
    targets = {t["key"]: t for t in matching["targets"]}
    assert targets["matching.matches"]["target"] == round(380 / 16, 2)
    assert targets["matching.matches"]["actual"] == \
        matching["matches_by_level"]["direct"] + matching["matches_by_level"]["follow_up"]

    r = await client.get("/api/v1/reports/programme", headers=org)
    programme = r.json()
    await assert_report_matches_database(programme, None)
    targets = {t["key"]: t for t in programme["targets"]}
    assert targets["matching.matches"]["target"] == 380
    assert targets["matching.trainings"]["target"] == 100
    assert targets["festival.training"]["actual"] == festival["matches_by_level"]["training"]
    assert targets["matching.trainings"]["actual"] == matching["matches_by_level"]["training"]
    rows = {e["slug"]: e for e in programme["events"]}
    for slug, event_id in ((FESTIVAL_SLUG, demo["festival"].id),
                           (MATCHING_SLUG, demo["matching"].id)):
        expected = await expected_totals(event_id)
        assert {k: rows[slug][k] for k in expected} == expected
    assert sum(p["count"] for p in programme["checkins"]["points"]) == \
        programme["totals"]["checked_in"]

    # The exports carry exactly the same numbers.
    r = await client.get(f"/api/v1/events/{FESTIVAL_SLUG}/report.csv", headers=org)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    # Dutch Excel: ";" between columns and a decimal comma, or it shows one column of text.
    assert r.content.decode("utf-8-sig").splitlines()[0] == "section;key;label;metric;value"
    lines = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    fractions = [row["value"] for row in lines if row["metric"] in ("show_rate", "progress")
                 and row["value"] not in ("", "<5", "x")]
    assert fractions and all("." not in v for v in fractions)
    assert any("," in v for v in fractions)
    csv_totals = {row["key"]: row["value"] for row in lines if row["section"] == "totals"}
    assert csv_totals["checked_in"] == str(festival["totals"]["checked_in"])
    assert csv_totals["hired"] == str(festival["totals"]["hired"])
    edu = {(row["key"], row["metric"]): row["value"] for row in lines
           if row["section"] == "education"}
    for row in next(b for b in festival["breakdowns"] if b["key"] == "education")["rows"]:
        assert edu[(row["key"], "registered")] == str(row["registered"])
    r = await client.get(f"/api/v1/events/{FESTIVAL_SLUG}/report.xlsx?lang=en", headers=org)
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Checked in"] == festival["totals"]["checked_in"]
    assert summary["Hired"] == festival["totals"]["hired"]
    assert "By education level" in book.sheetnames
    r = await client.get("/api/v1/reports/programme.xlsx", headers=org)
    assert "Evenementen" in load_workbook(io.BytesIO(r.content)).sheetnames


async def test_small_groups_are_suppressed(client, db):
    event = await open_event("kleine-dag")
    employer = await add_employer(event, name="Thuiszorg West", sector="care")
    org = await bearer(event, "organiser", label="Organiser")
    tablet = await tablet_for(event, employer.id)
    db_ = current_engine()
    for n in range(9):
        outcome = await register(event, RegistrationInput(
            name=f"Persoon {n}", email=f"p{n}@example.nl", consent_terms=True,
            sectors=["care"], education_level="mbo2" if n < 6 else "hbo"))
        await db_.fetch("UPDATE registration SET checked_in_at = ? WHERE id = ?",
                        [clock.now(), outcome.registration_id])
        if n < 2:
            await record_interest(event, tablet, InterestInput(
                token=await badge(event, outcome.registration_id), level="direct"))
    report = (await client.get("/api/v1/events/kleine-dag/report", headers=org)).json()
    assert report["totals"]["registered"] == 9 and report["totals"]["matches"] == 2  # headline
    edu = {row["key"]: row for row in
           next(b for b in report["breakdowns"] if b["key"] == "education")["rows"]}
    assert edu["mbo2"]["registered"] == 6 and edu["mbo2"]["checked_in"] == 6
    assert edu["hbo"]["registered"] == "<5" and edu["hbo"]["show_rate"] is None
    assert edu["mbo2"]["matches"] == "<5" and edu["wo"]["registered"] == "<5"
    sector = {row["key"]: row for row in
              next(b for b in report["breakdowns"] if b["key"] == "employer_sector")["rows"]}
    assert sector["care"]["matches"] == "<5" and sector["care"]["interests"] == "<5"
    text = (await client.get("/api/v1/events/kleine-dag/report.csv", headers=org)).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    small = [r for r in rows if r["section"] in ("education", "employer_sector",
                                                 "visitor_sector")
             and r["metric"] != "show_rate"]
    assert small and all(r["value"] in ("<5", "x") or int(r["value"]) >= 5 for r in small)


async def test_only_organisers_get_reports(client, db):
    event = await open_event("rollen")
    other = await open_event("ander")
    employer = await add_employer(event, name="X")
    organiser = await bearer(event, "organiser", label="Organiser")
    other_org = await bearer(other, "organiser", label="Other")
    door = await bearer(event)
    tablet = await bearer(event, "employer", label="Tablet", employer_id=employer.id)
    for suffix in ("", ".csv", ".xlsx"):
        url = f"/api/v1/events/rollen/report{suffix}"
        assert (await client.get(url, headers=organiser)).status_code == 200
        for headers in (door, tablet, other_org):
            r = await client.get(url, headers=headers)
            assert r.status_code == 403 and r.json()["error"] == "forbidden"
        assert (await client.get(url)).status_code == 401
        url = f"/api/v1/reports/programme{suffix}"
        assert (await client.get(url, headers=other_org)).status_code == 200
        for headers in (door, tablet):
            assert (await client.get(url, headers=headers)).status_code == 403
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, headers={"Authorization": "Bearer eot_x"})).status_code \
            == 401


async def test_report_pages_and_cli(client, db, tmp_path):
    await open_event("pagina")
    r = await client.get("/events/pagina/reports?lang=en")
    assert r.status_code == 200 and "/static/js/reports.js" in r.text
    assert 'data-scope="event"' in r.text and "Report: Event pagina" in r.text
    r = await client.get("/reports")
    assert r.status_code == 200 and 'data-scope="programme"' in r.text
    assert (await client.get("/events/nope/reports")).status_code == 404
    for asset in ("/static/js/reports.js", "/static/css/board.css"):
        assert (await client.get(asset)).status_code == 200


async def test_reports_after_followup_run_are_stable(client, demo):
    """Running the follow-up tasks (which reconcile matches) changes no report number."""
    org = demo["organiser"]
    before = (await client.get(f"/api/v1/events/{FESTIVAL_SLUG}/report", headers=org)).json()
    await run_followup_tasks()
    after = (await client.get(f"/api/v1/events/{FESTIVAL_SLUG}/report", headers=org)).json()
    for key in ("totals", "matches_by_level", "matches_by_status", "breakdowns"):
        assert before[key] == after[key]
