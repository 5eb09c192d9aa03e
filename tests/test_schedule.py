"""Matching-day schedules: every hard rule (checked independently here), quality against a
greedy baseline, pins, removal, publishing, and where the schedule shows up."""

from __future__ import annotations

import random
import time
from collections import Counter

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from event_ops.core.db import current_engine
from event_ops.matching.schedule import objective, optimise, utility_matrix
from tests.helpers import bearer
from tests.test_matching import make_employer, make_event, make_visitor

CARE = ["car-medication", "car-personal-care", "car-reporting", "car-dementia", "car-nursing",
        "car-wound-care", "car-elderly-care", "gen-dutch-b1", "gen-teamwork"]


def hard_rule_problems(meetings: list[dict], rounds: int, blocked: set[tuple[int, int]],
                       pinned: set[tuple[int, int, int]]) -> list[str]:
    """Independent of the optimiser's own check. ``meetings``: dicts with round (1-based),
    registration, employer and (optionally) table_no."""
    problems = []
    seats = Counter((m["round"], "visitor", m["registration"]) for m in meetings)
    seats += Counter((m["round"], "employer", m["employer"]) for m in meetings)
    problems += [f"two meetings at once: {k}" for k, n in seats.items() if n > 1]
    pairs = Counter((m["registration"], m["employer"]) for m in meetings)
    problems += [f"meets twice: {k}" for k, n in pairs.items() if n > 1]
    problems += [f"said no: {k}" for k in pairs if k in blocked]
    problems += [f"bad round {m['round']}" for m in meetings if not 1 <= m["round"] <= rounds]
    held = {(m["round"], m["registration"], m["employer"]) for m in meetings}
    problems += [f"pin lost: {p}" for p in pinned if p not in held]
    if meetings and "table_no" in meetings[0]:
        tables = Counter((m["round"], m["table_no"]) for m in meetings)
        problems += [f"table used twice: {k}" for k, n in tables.items() if n > 1]
    return problems


def greedy_baseline(utility: np.ndarray, allowed: np.ndarray, rounds: int,
                    pinned: list[tuple[int, int, int]]) -> float:
    """Round by round, the best assignment of what is left (pins placed first)."""
    met = np.zeros(utility.shape, dtype=bool)
    for _, v, e in pinned:
        met[v, e] = True
    total = sum(utility[v, e] for _, v, e in pinned)
    for r in range(rounds):
        busy_v = {v for rr, v, _ in pinned if rr == r}
        busy_e = {e for rr, _, e in pinned if rr == r}
        ok = allowed & ~met
        ok[list(busy_v), :] = False
        ok[:, list(busy_e)] = False
        rows, cols = linear_sum_assignment(np.where(ok, utility, -1e9), maximize=True)
        for v, e in zip(rows, cols, strict=True):
            if ok[v, e]:
                met[v, e] = True
                total += utility[v, e]
    return float(total)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_30_by_30_by_8_keeps_every_rule_and_beats_greedy(seed):
    rng = np.random.default_rng(seed)
    n, rounds = 30, 8
    scores = rng.random((n, n)).astype(np.float32) ** 2
    visitor_side = rng.choice([0, 0, 0, 1, 2, -1], (n, n), p=[.4, .1, .1, .2, .1, .1])
    employer_side = rng.choice([0, 1, 2, -1], (n, n), p=[.6, .2, .1, .1])
    utility = utility_matrix(scores, visitor_side, employer_side)
    allowed = (visitor_side != -1) & (employer_side != -1)
    pinned: list[tuple[int, int, int]] = []
    taken: set[tuple[str, int, int]] = set()
    for v, e in zip(*np.nonzero(allowed), strict=True):
        r = int(rng.integers(rounds))
        if len(pinned) < 6 and ("v", v, r) not in taken and ("e", e, r) not in taken:
            pinned.append((r, int(v), int(e)))
            taken |= {("v", v, r), ("e", e, r)}
    started = time.perf_counter()
    meetings = optimise(utility, allowed, rounds, pinned)
    assert time.perf_counter() - started < 10
    as_rows = [{"round": r + 1, "registration": v, "employer": e, "table_no": e + 1}
               for r, v, e in meetings]
    blocked = {(v, e) for v, e in zip(*np.nonzero(~allowed), strict=True)}
    assert hard_rule_problems(as_rows, rounds, blocked,
                              {(r + 1, v, e) for r, v, e in pinned}) == []
    per_person = Counter(v for _, v, _ in meetings)
    assert min(per_person.values()) == rounds  # 30 × 30 with few "no"s: everyone is busy
    assert len(meetings) == n * rounds
    ours = objective(meetings, utility)
    assert ours >= greedy_baseline(utility, allowed, rounds, pinned) - 1e-6
    # Every pair someone must meet that fits in the day is in it (musts outweigh the rest).
    must = ((visitor_side == 2) & (employer_side == 2)) & allowed
    met = {(v, e) for _, v, e in meetings}
    assert all((v, e) in met for v, e in zip(*np.nonzero(must), strict=True))


def test_optimiser_refuses_conflicting_pins():
    from event_ops.core.errors import DomainError

    allowed = np.ones((3, 3), dtype=bool)
    utility = np.ones((3, 3))
    with pytest.raises(DomainError) as err:
        optimise(utility, allowed, 2, [(0, 0, 1), (0, 0, 2)])
    assert err.value.code == "pin_conflict"
    allowed[0, 1] = False
    with pytest.raises(DomainError):
        optimise(utility, allowed, 2, [(0, 0, 1)])


def test_unequal_sides_and_tiny_days():
    rng = np.random.default_rng(5)
    utility = 1 + rng.random((12, 5))
    allowed = rng.random((12, 5)) > 0.2
    meetings = optimise(utility, allowed, 4)
    rows = [{"round": r + 1, "registration": v, "employer": e} for r, v, e in meetings]
    blocked = {(v, e) for v, e in zip(*np.nonzero(~allowed), strict=True)}
    assert hard_rule_problems(rows, 4, blocked, set()) == []
    assert optimise(np.ones((0, 3)), np.ones((0, 3), dtype=bool), 3) == []


# ---- the whole flow over HTTP -----------------------------------------------------------------


@pytest.fixture
async def day(db, client):
    rnd = random.Random(11)
    event = await make_event()
    employers = [
        await make_employer(event, f"Zorgorganisatie {i:02d}", f"T{i:02d}", "care",
                            [(c, rnd.randint(1, 3), rnd.random() < .6)
                             for c in rnd.sample(CARE, 3)])
        for i in range(30)
    ]
    people = [
        await make_visitor(event, n, {c: rnd.randint(1, 4) for c in rnd.sample(CARE, 4)},
                           share=n % 3 != 0)
        for n in range(30)
    ]
    return {"event": event, "employers": employers, "people": people,
            "organiser": await bearer(event, "organiser", "Org"),
            "tablets": [await bearer(event, "employer", f"Tablet {i}", employer_id=e.id)
                        for i, e in enumerate(employers[:3])]}


async def _rows(event_id: int, published: bool) -> list[dict]:
    return await current_engine().fetch(
        "SELECT round, table_no, registration, employer, pinned FROM meeting"
        " WHERE event = ? AND published = ? ORDER BY round, table_no", [event_id, published])


async def test_build_pin_remove_publish_and_show(client, day, settings):
    from badges.content import badge_data
    from event_ops.mail.render import visitor_page_url
    from event_ops.matching.preferences import set_visitor_preferences

    event, emps, people = day["event"], day["employers"], day["people"]
    slug, org = event.slug, day["organiser"]
    base = f"/api/v1/events/{slug}/schedule"
    # Preferences: employer 0 must meet visitor 0, will not meet visitor 1; visitor 2
    # will not meet employer 0 and must meet employer 1.
    r = await client.post(f"/api/v1/events/{slug}/preferences", headers=day["tablets"][0],
                          json={"preferences": [
                              {"registration_id": people[0].registration_id, "choice": "must"},
                              {"registration_id": people[1].registration_id, "choice": "no"}]})
    assert r.status_code == 200
    await set_visitor_preferences(event, people[2].registration_id,
                                  [(emps[0].id, "no"), (emps[1].id, "must")])
    blocked = {(people[1].registration_id, emps[0].id), (people[2].registration_id, emps[0].id)}

    r = await client.post(base + "/build", headers=org, json={"rounds": 8, "minutes": 10,
                                                              "pause": 5})
    assert r.status_code == 200, r.text
    summary = r.json()
    assert summary["meetings"] == 240 and summary["fewest_meetings"] == 8
    assert summary["must_scheduled"] == summary["must_requested"] == 2
    assert summary["seconds"] < 10
    draft = await _rows(event.id, False)
    assert hard_rule_problems(draft, 8, blocked, set()) == []
    assert (people[0].registration_id, emps[0].id) in {(m["registration"], m["employer"])
                                                        for m in draft}
    # Employers keep their table all day.
    assert all(m["table_no"] == [e.id for e in emps].index(m["employer"]) + 1 for m in draft)

    # Pin visitor 5 with employer 7 in round 3, remove visitor 6 with whoever they meet
    # first, then build again: the pin stays, the removed pair stays out.
    pin = {"round": 3, "registration_id": people[5].registration_id,
           "employer_id": emps[7].id}
    assert (await client.post(base + "/pin", headers=org, json=pin)).status_code == 200
    gone = next(m for m in draft if m["registration"] == people[6].registration_id)
    r = await client.post(base + "/remove", headers=org, json={
        "registration_id": gone["registration"], "employer_id": gone["employer"]})
    assert r.status_code == 200 and r.json()["removed"] == 1
    bad_pin = {"round": 1, "registration_id": people[1].registration_id,
               "employer_id": emps[0].id}
    r = await client.post(base + "/pin", headers=org, json=bad_pin)
    assert r.status_code == 409 and r.json()["error"] == "pair_blocked"
    clash = {**pin, "employer_id": emps[8].id}
    r = await client.post(base + "/pin", headers=org, json=clash)
    assert r.status_code == 409 and r.json()["error"] == "pin_conflict"
    r = await client.post(base + "/build", headers=org, json={})
    assert r.status_code == 200 and r.json()["pinned"] == 1
    draft = await _rows(event.id, False)
    pinned = {(3, people[5].registration_id, emps[7].id)}
    removed = {(gone["registration"], gone["employer"])}
    assert hard_rule_problems(draft, 8, blocked | removed, pinned) == []
    assert [bool(m["pinned"]) for m in draft].count(True) == 1

    # Nothing is visible before publishing.
    assert await _rows(event.id, True) == []
    tablet = day["tablets"][0]
    assert (await client.get(base + "/mine", headers=tablet)).json() == []
    r = await client.post(base + "/publish", headers=org)
    assert r.status_code == 200 and r.json()["meetings"] == len(draft)
    live = await _rows(event.id, True)
    assert hard_rule_problems(live, 8, blocked | removed, pinned) == []
    assert await _rows(event.id, False) == []
    r = await client.post(base + "/publish", headers=org)
    assert r.status_code == 409 and r.json()["error"] == "nothing_to_publish"

    # The employer's tablet: its own meetings, names only with consent.
    mine = (await client.get(base + "/mine", headers=tablet)).json()
    assert len(mine) == 8 and [m["round"] for m in mine] == list(range(1, 9))
    assert mine[0]["time"] == _clock(event.starts_at, 0) and mine[1]["time"] == _clock(
        event.starts_at, 15)
    for m in mine:
        n = next(i for i, p in enumerate(people) if p.registration_id == m["registration_id"])
        assert (m["name"] is None) == (n % 3 == 0)

    # The visitor's badge and page show the same schedule.
    who = people[4]
    theirs = [m for m in live if m["registration"] == who.registration_id]
    badge = await badge_data(who.registration_id, settings)
    assert len(badge.schedule) == len(theirs) == 8
    first = theirs[0]
    assert badge.schedule[0] == (
        _clock(event.starts_at, 15 * (first["round"] - 1)),
        f"Tafel {first['table_no']} · Zorgorganisatie {first['table_no'] - 1:02d}")
    me = visitor_page_url(settings, who.visitor_id, 1).removeprefix("http://127.0.0.1:8000")
    page = await client.get(f"{me}/preferences/{slug}")
    assert page.status_code == 200 and 'id="my-meetings"' in page.text
    assert f"Zorgorganisatie {first['table_no'] - 1:02d}" in page.text

    # The organiser's JSON and the print page.
    view = (await client.get(base + "?state=published", headers=org)).json()
    assert view["state"] == "published" and len(view["meetings"]) == len(live)
    assert len(view["rounds"]) == 8 and len(view["tables"]) == 30
    printed = await client.get(f"/events/{slug}/schedule/print")
    assert printed.status_code == 200 and "/static/js/schedule-print.js" in printed.text
    assert "eot_" not in printed.text  # no token in the page
    assert (await client.get("/static/js/schedule-print.js")).status_code == 200


async def test_a_later_no_makes_the_draft_unpublishable(client, day):
    event, emps, people = day["event"], day["employers"], day["people"]
    base = f"/api/v1/events/{event.slug}/schedule"
    r = await client.post(base + "/build", headers=day["organiser"], json={"rounds": 3})
    assert r.status_code == 200
    draft = await _rows(event.id, False)
    m = draft[0]
    tablet_index = [e.id for e in emps].index(m["employer"])
    tablet = (day["tablets"][tablet_index] if tablet_index < 3
              else await bearer(event, "employer", "late", employer_id=m["employer"]))
    r = await client.post(f"/api/v1/events/{event.slug}/preferences", headers=tablet,
                          json={"preferences": [{"registration_id": m["registration"],
                                                 "choice": "no"}]})
    assert r.status_code == 200
    r = await client.post(base + "/publish", headers=day["organiser"])
    assert r.status_code == 409 and r.json()["error"] == "schedule_outdated"
    assert (await client.post(base + "/build", headers=day["organiser"],
                              json={"rounds": 3})).status_code == 200
    assert (await client.post(base + "/publish", headers=day["organiser"])).status_code == 200
    live = await _rows(event.id, True)
    assert (m["registration"], m["employer"]) not in {(x["registration"], x["employer"])
                                                      for x in live}
    assert people  # fixture used


async def test_bad_settings_and_wrong_event_kind(client, day, db):
    base = f"/api/v1/events/{day['event'].slug}/schedule"
    r = await client.post(base + "/build", headers=day["organiser"], json={"rounds": 0})
    assert r.status_code == 422 and r.json()["error"] == "bad_schedule"
    festival = await make_event("fest", kind="festival")
    org = await bearer(festival, "organiser", "Org")
    r = await client.post("/api/v1/events/fest/schedule/build", headers=org, json={})
    assert r.status_code == 409 and r.json()["error"] == "wrong_event_kind"


def _clock(starts_at, minutes: int) -> str:
    import datetime as dt

    from event_ops.mail.render import AMSTERDAM

    return (starts_at + dt.timedelta(minutes=minutes)).astimezone(AMSTERDAM).strftime("%H:%M")


# ---- the meeting plan: schedule settings in their own table ---------------------------------


async def _plan_row(event_id: int) -> dict:
    [row] = await current_engine().fetch(
        "SELECT rounds, minutes, pause, starts_at, published_rounds, published_minutes,"
        " published_pause, published_starts_at FROM meeting_plan WHERE event = ?", [event_id])
    return row


def _times(start, minutes: int, pause: int, rounds: int) -> list[str]:
    return [_clock(start, r * (minutes + pause)) for r in range(rounds)]


async def test_settings_are_saved_and_time_draft_publish_tablet_and_badge(client, day, settings):
    import datetime as dt

    from badges.content import badge_data

    event, org, people = day["event"], day["organiser"], day["people"]
    base = f"/api/v1/events/{event.slug}/schedule"
    tablet = day["tablets"][0]
    first = event.starts_at + dt.timedelta(minutes=30)
    r = await client.post(base + "/build", headers=org, json={
        "rounds": 4, "minutes": 12, "pause": 3, "starts_at": first.isoformat()})
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("rounds", "minutes", "pause")} == {
        "rounds": 4, "minutes": 12, "pause": 3}
    row = await _plan_row(event.id)
    assert (row["rounds"], row["minutes"], row["pause"]) == (4, 12, 3)
    assert row["starts_at"] == first and row["published_rounds"] is None
    assert (await client.post(base + "/publish", headers=org)).status_code == 200
    row = await _plan_row(event.id)
    assert (row["published_rounds"], row["published_minutes"], row["published_pause"],
            row["published_starts_at"]) == (4, 12, 3, first)

    # The audit entries stay a record of who built and published with what, and nothing
    # reads them back: without them every time is still right.
    audit = await current_engine().fetch(
        "SELECT action, fields FROM audit_entry WHERE action IN ('schedule.built',"
        " 'schedule.published') ORDER BY id")
    assert [a["action"] for a in audit] == ["schedule.built", "schedule.published"]
    assert "minutes=12" in str(audit[0]["fields"])
    await current_engine().fetch("DELETE FROM audit_entry")
    old_times = _times(first, 12, 3, 4)
    view = (await client.get(base + "?state=published", headers=org)).json()
    assert [x["time"] for x in view["rounds"]] == old_times
    assert view["timing"] == {"rounds": 4, "minutes": 12, "pause": 3,
                              "starts_at": first.isoformat()}
    mine = (await client.get(base + "/mine", headers=tablet)).json()
    assert [m["time"] for m in mine] == old_times
    who = people[4].registration_id
    assert [line[0] for line in (await badge_data(who, settings)).schedule] == old_times

    # Rebuilding with other settings times the draft at once; what visitors and employers
    # see keeps the published times until the new draft is published.
    second = event.starts_at + dt.timedelta(hours=2)
    r = await client.post(base + "/build", headers=org, json={
        "rounds": 3, "minutes": 20, "pause": 0, "starts_at": second.isoformat()})
    assert r.status_code == 200, r.text
    new_times = _times(second, 20, 0, 3)
    draft = (await client.get(base, headers=org)).json()
    assert draft["state"] == "draft" and [x["time"] for x in draft["rounds"]] == new_times
    assert {m["time"] for m in draft["meetings"]} == set(new_times)
    assert [m["time"] for m in (await client.get(base + "/mine", headers=tablet)).json()] \
        == old_times
    assert [line[0] for line in (await badge_data(who, settings)).schedule] == old_times

    # Settings left out keep the saved plan (a rebuild after a pin does not reset them).
    r = await client.post(base + "/build", headers=org, json={})
    assert r.status_code == 200
    assert (r.json()["rounds"], r.json()["minutes"], r.json()["pause"]) == (3, 20, 0)
    assert r.json()["starts_at"] == second.isoformat()
    assert (await client.post(base + "/publish", headers=org)).status_code == 200
    assert [m["time"] for m in (await client.get(base + "/mine", headers=tablet)).json()] \
        == new_times
    assert [line[0] for line in (await badge_data(who, settings)).schedule] == new_times
    row = await _plan_row(event.id)
    assert (row["published_rounds"], row["published_minutes"], row["published_pause"],
            row["published_starts_at"]) == (3, 20, 0, second)

    # Editing the published schedule starts a draft with the published timing.
    pin = {"round": 1, "registration_id": people[0].registration_id,
           "employer_id": day["employers"][0].id}
    assert (await client.post(base + "/pin", headers=org, json=pin)).status_code == 200
    draft = (await client.get(base, headers=org)).json()
    assert draft["state"] == "draft" and [x["time"] for x in draft["rounds"]] == new_times


async def test_settings_without_a_build_are_the_defaults(client, day):
    from event_ops.matching.schedule import DEFAULT_MINUTES, DEFAULT_PAUSE, DEFAULT_ROUNDS

    event = day["event"]
    view = (await client.get(f"/api/v1/events/{event.slug}/schedule",
                             headers=day["organiser"])).json()
    assert view["meetings"] == []
    assert view["timing"] == {"rounds": DEFAULT_ROUNDS, "minutes": DEFAULT_MINUTES,
                              "pause": DEFAULT_PAUSE, "starts_at": event.starts_at.isoformat()}
    r = await client.post(f"/api/v1/events/{event.slug}/schedule/build",
                          headers=day["organiser"], json={"minutes": 0})
    assert r.status_code == 422 and r.json()["error"] == "bad_schedule"
    assert await current_engine().fetch("SELECT id FROM meeting_plan") == []  # nothing saved


async def test_migration_moves_settings_from_the_audit_entries(db):
    """Databases built before ``meeting_plan`` keep their timing: the migration reads the
    newest build and publish of each event from the audit entries."""
    import datetime as dt
    import importlib
    import json

    from event_ops import audit

    migration = importlib.import_module("migrations.event_ops_2026_11_23t19_41_00_000000")
    # Built only; built, published and built again; an entry that cannot be read.
    day_a, day_b, day_c = [await make_event(s) for s in ("dag-a", "dag-b", "dag-c")]
    start = dt.datetime(2027, 3, 11, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    def fields(rounds: int, minutes: int, pause: int, starts: dt.datetime) -> list[str]:
        return [f"rounds={rounds}", f"minutes={minutes}", f"pause={pause}",
                f"starts_at={starts.isoformat()}"]

    await audit.record("t", "schedule.built", event_id=day_a.id, fields=fields(8, 10, 5, start))
    await audit.record("t", "schedule.built", event_id=day_a.id, fields=fields(6, 15, 2, start))
    await audit.record("t", "schedule.built", event_id=day_b.id, fields=fields(5, 12, 3, start))
    await audit.record("t", "schedule.published", event_id=day_b.id,
                       fields=fields(5, 12, 3, start))
    later = start + dt.timedelta(hours=1)
    await audit.record("t", "schedule.built", event_id=day_b.id, fields=fields(4, 20, 0, later))
    await current_engine().fetch(
        "INSERT INTO audit_entry (at, actor, action, event_id, subject_type, subject_id,"
        " fields) VALUES (?, 't', 'schedule.built', ?, '', NULL, ?)",
        [start, day_c.id, json.dumps(["rounds=x"])])

    await (await migration.forwards()).run()
    rows = {r["event"]: r for r in await current_engine().fetch(
        "SELECT event, rounds, minutes, pause, starts_at, published_rounds, published_minutes,"
        " published_pause, published_starts_at FROM meeting_plan")}
    assert set(rows) == {day_a.id, day_b.id}  # an unreadable entry: the defaults, as before
    a, b = rows[day_a.id], rows[day_b.id]
    assert (a["rounds"], a["minutes"], a["pause"], a["starts_at"]) == (6, 15, 2, start)
    assert a["published_rounds"] is None
    assert (b["rounds"], b["minutes"], b["pause"], b["starts_at"]) == (4, 20, 0, later)
    assert (b["published_rounds"], b["published_minutes"], b["published_pause"],
            b["published_starts_at"]) == (5, 12, 3, start)
    await (await migration.forwards()).run()  # running it again changes nothing
    assert len(await current_engine().fetch("SELECT id FROM meeting_plan")) == 2


@pytest.mark.browser
async def test_print_page_shows_the_times_of_the_rebuilt_plan(live_server, db):
    import datetime as dt

    from event_ops.access.tokens import create_token
    from event_ops.matching.schedule import build_schedule, publish_schedule
    from tests.browser import ARTIFACTS, chromium

    event = await make_event()
    for i in range(3):
        await make_employer(event, f"Zorgorganisatie {i:02d}", f"T{i:02d}", "care",
                            [(CARE[i], 2, True)])
        await make_visitor(event, i, {CARE[i]: 2, CARE[i + 1]: 2})
    first = event.starts_at + dt.timedelta(minutes=30)
    await build_schedule(event, rounds=3, minutes=10, pause=5, starts_at=first)
    await publish_schedule(event)
    second = event.starts_at + dt.timedelta(hours=2)
    await build_schedule(event, rounds=2, minutes=25, pause=10, starts_at=second)
    token = await create_token(event, role="organiser", label="Organiser")

    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1000, "height": 900})
        await page.goto(f"{live_server}/events/{event.slug}/schedule/print?lang=nl")
        await page.fill("#token-input", token)
        await page.click("#token-form button[type=submit]")
        headings = page.locator("#by-round h2")
        await headings.first.wait_for()
        assert await headings.all_inner_texts() == [
            f"Ronde {n + 1} · {t}" for n, t in enumerate(_times(second, 25, 10, 2))]
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "schedule-print-rebuilt.png"),
                              full_page=True)
        # The published schedule keeps the times it was published with.
        await page.check("#show-published")
        await headings.nth(2).wait_for()  # three rounds were published
        assert await headings.all_inner_texts() == [
            f"Ronde {n + 1} · {t}" for n, t in enumerate(_times(first, 10, 5, 3))]


def test_four_visitors_three_rounds_share_the_meetings_evenly():
    """4 visitors, 3 employers, 3 rounds: 9 meetings. The visitors with the best scores
    once took them all (3-3-3-0, or 3-3-2-1 in the demo); now it is 3-2-2-2, the most even
    possible, and the plan does not mention a problem."""
    scores = np.array([[1.0, 1.0, 1.0], [0.9, 0.9, 0.9], [0.5, 0.5, 0.5], [0.0, 0.1, 0.0]],
                      dtype=np.float32)
    none = np.zeros(scores.shape, dtype=np.int8)
    utility = utility_matrix(scores, none, none)
    allowed = np.ones(scores.shape, dtype=bool)
    meetings = optimise(utility, allowed, 3)
    per = Counter(v for _, v, _ in meetings)
    assert len(meetings) == 9
    assert sorted(per[v] for v in range(4)) == [2, 2, 2, 3]
    assert per[0] == 3  # the extra one goes to the best match
    assert hard_rule_problems([{"round": r + 1, "registration": v, "employer": e}
                               for r, v, e in meetings], 3, set(), set()) == []
    from event_ops.matching.schedule import balance, balance_text

    shared = balance(meetings, allowed)
    assert shared["even"] and balance_text(shared, "nl") == ""


def test_the_plan_says_when_meetings_cannot_be_shared_evenly():
    from event_ops.matching.schedule import balance, balance_text

    scores = np.full((4, 3), 0.5, dtype=np.float32)
    none = np.zeros(scores.shape, dtype=np.int8)
    allowed = np.ones(scores.shape, dtype=bool)
    allowed[3, 1:] = False  # visitor 3 said no to two of the three employers
    meetings = optimise(utility_matrix(scores, none, none), allowed, 3)
    per = Counter(v for _, v, _ in meetings)
    assert per[3] == 1 and sorted(per[v] for v in range(3)) == [2, 3, 3]
    shared = balance(meetings, allowed)
    assert shared == {"fewest": 1, "most": 3, "even": False, "reason": "limited",
                      "limited": 1}
    assert balance_text(shared, "nl") == (
        "Niet iedereen krijgt evenveel gesprekken: minimaal 1, maximaal 3."
        " 1 bezoeker(s) mag met maar 1 werkgever(s) praten: de anderen zeiden nee.")
    assert "fewest 1, most 3" in balance_text(shared, "en")
