"""Matching engine (scores), festival recommendations (caps), preferences API roles."""

from __future__ import annotations

import datetime as dt
import random
import re

import numpy as np
import pytest

from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer, add_vacancy
from event_ops.events.service import create_event
from event_ops.matching.engine import (
    CodeIndex,
    VacancyProfile,
    VisitorProfile,
    build_vacancies,
    build_visitors,
    employer_scores,
    explain,
    load_event,
    score_matrix,
)
from event_ops.matching.recommend import assign, check_caps, stand_caps
from event_ops.matching.score import score_vacancy
from event_ops.people.registration import RegistrationInput, register
from tests.helpers import bearer

# ---- builders shared with test_schedule.py -------------------------------------------------


async def make_event(slug: str = "matchingsdag", kind: str = "matching"):
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=10)
    return await create_event(slug=slug, name=f"Event {slug}", kind=kind, starts_at=starts,
                              ends_at=starts + dt.timedelta(hours=4), location="Assen")


async def make_employer(event, name: str, stand: str, sector: str,
                        wanted: list[tuple[str, int, bool]], positions: int = 1,
                        hours: int | None = 36, postcode: str = ""):
    employer = await add_employer(event, name=name, stand_label=stand, sector=sector)
    await add_vacancy(employer.id, title=f"Vacature {name}", sector=sector,
                      positions=positions, hours_per_week=hours, postcode=postcode,
                      competencies=wanted)
    return employer


async def make_visitor(event, n: int, levels: dict[str, int], *, name: str | None = None,
                       sectors: tuple[str, ...] = ("care",), share: bool = True,
                       postcode: str | None = None):
    return await register(event, RegistrationInput(
        name=name or f"Persoon{n} Achternaam", email=f"p{n}@example.nl", consent_terms=True,
        consent_share_profile=share, competencies=list(levels), competency_levels=levels,
        sectors=list(sectors), postcode=postcode))


# ---- scoring ---------------------------------------------------------------------------------

CARER = VacancyProfile(
    id=1, employer_id=10, title="Verzorgende IG", sector="care",
    wanted=[("car-personal-care", 3, True), ("car-medication", 2, True),
            ("gen-dutch-b1", 1, False)])


def test_hand_checked_case_is_ordered_and_explained():
    anna = VisitorProfile(1, {"car-personal-care": 3, "car-medication": 2}, sectors=["care"])
    bram = VisitorProfile(2, {"car-personal-care": 2, "car-medication": 2, "gen-dutch-b1": 1,
                              "ict-java": 4, "ict-linux": 4}, sectors=["care"])
    cees = VisitorProfile(3, {"ict-java": 4}, sectors=["ict"])
    # By hand: weights 2 + 2 + 1 = 5.
    #   Anna: coverage (2 + 2) / 5 = 0.8, usage (3 + 2) / 5 = 1 -> fit 2·0.8·1/1.8 = 0.889
    #   Bram: coverage (1 + 2 + 1) / 5 = 0.8 (personal care below level: half),
    #         usage (2 + 2 + 1) / 13 = 0.385 -> fit 0.519
    #   Cees: nothing in common -> 0
    a, b, c = (explain(v, CARER) for v in (anna, bram, cees))
    assert a.coverage == pytest.approx(0.8) and a.usage == pytest.approx(1.0)
    assert b.coverage == pytest.approx(0.8) and b.usage == pytest.approx(5 / 13)
    assert a.score > b.score > c.score == 0
    neutral = 0.925 * 0.9 * 0.85  # education, availability, distance unknown
    assert a.score == round(100 * (2 * 0.8 / 1.8) * 1.0 * neutral)
    assert [m.code for m in a.matched] == ["car-personal-care", "car-medication"]
    assert all(m.full for m in a.matched) and a.missing_required == ()
    partial = {m.code: m.full for m in b.matched}
    assert partial == {"car-personal-care": False, "car-medication": True, "gen-dutch-b1": True}
    assert c.missing_required == ("car-personal-care", "car-medication")
    assert c.factors["sector"] == pytest.approx(0.8)  # ict visitor, care vacancy
    assert a.as_dict()["matched"][0] == {"code": "car-personal-care", "have": 3, "wanted": 3,
                                         "required": True, "full": True}


def test_matrix_agrees_with_explain_and_with_the_tablet_rule():
    rng = random.Random(7)
    codes = [f"c{i}" for i in range(20)]
    visitors = [VisitorProfile(i, {c: rng.randint(1, 4)
                                   for c in rng.sample(codes, rng.randint(0, 7))},
                               sectors=rng.sample(["care", "ict", "logistics"], rng.randint(0, 2)),
                               education_level=rng.choice(["", "mbo2", "hbo", "foreign"]),
                               availability=rng.sample(["fulltime", "parttime"], rng.randint(0, 1)),
                               postcode=rng.choice(["", "9711 AB", "9501", "9999"]))
                for i in range(40)]
    vacancies = [VacancyProfile(j, j % 6, [(c, rng.randint(1, 4), rng.random() < 0.6)
                                           for c in rng.sample(codes, rng.randint(0, 5))],
                                sector=rng.choice(["", "care", "ict"]),
                                hours_per_week=rng.choice([None, 20, 38]),
                                postcode=rng.choice(["", "9401"]))
                 for j in range(30)]
    index = CodeIndex()
    vis, vac = build_visitors(visitors, index), build_vacancies(vacancies, index)
    scores = score_matrix(vis, vac, block=7)  # odd block size: blocks must not matter
    assert np.allclose(scores, score_matrix(vis, vac, block=4096))
    for i, v in enumerate(visitors):
        for j, job in enumerate(vacancies):
            e = explain(v, job)
            assert e.score == round(100 * float(scores[i, j]))
            tablet = score_vacancy(v.competencies, job.id, job.title, job.wanted)
            assert abs(100 * e.coverage - tablet.score) <= 0.5 + 1e-4
            assert set(tablet.matched) == {m.code for m in e.matched}
            assert set(tablet.missing_required) == set(e.missing_required)
    employers, best = employer_scores(vis, vac)
    for k, employer in enumerate(employers):
        cols = [j for j, job in enumerate(vacancies) if job.employer_id == employer]
        assert np.allclose(best[:, k], scores[:, cols].max(axis=1))


def test_context_factors_and_unknowns_are_neutral():
    near = VisitorProfile(1, {"car-medication": 2}, postcode="9401 AB", sectors=["care"],
                          availability=["fulltime"], education_level="mbo3")
    far = VisitorProfile(2, {"car-medication": 2}, postcode="9501 CD", sectors=["care"],
                         availability=["fulltime"], education_level="mbo3")
    unknown = VisitorProfile(3, {"car-medication": 2})
    job = VacancyProfile(1, 1, [("car-medication", 2, True)], sector="care", hours_per_week=36,
                         postcode="9401")
    e_near, e_far, e_unknown = (explain(v, job) for v in (near, far, unknown))
    assert e_near.distance_km == pytest.approx(0, abs=0.01)
    assert 20 < e_far.distance_km < 35 and e_far.factors["distance"] < e_near.factors["distance"]
    assert e_unknown.distance_km is None
    assert e_unknown.factors == pytest.approx(
        {"sector": 0.9, "education": 0.925, "availability": 0.9, "distance": 0.85})
    assert e_near.score > e_unknown.score > 0
    parttimer = VisitorProfile(4, {"car-medication": 2}, availability=["evenings"])
    assert explain(parttimer, job).factors["availability"] == pytest.approx(0.8)


async def test_nearer_workplace_ranks_first_for_real_data(db):
    """Two vacancies alike in everything but where the work is, loaded from the database.
    By hand, with the engine's equirectangular distance at 53° N:
      visitor 9711 AB and vacancy 9711 (Groningen-Centrum, 53.2190 N 6.5675 E): 0 km -> 1.0;
      vacancy 9501 (Stadskanaal, 52.9890 N 6.9500 E): north 0.2300° × 110.57 = 25.43 km,
      east 0.3825° × 111.32 × cos 53° = 25.63 km -> 36.1 km; the factor falls linearly from
      1 at 10 km to 0.7 at 60 km: 1 - 0.3 × (36.1 - 10) / 50 = 0.843.
    Everything else is equal, so the far score is 0.843 × the near one."""
    from event_ops.matching.recommend import build_recommendations, stored_recommendations

    event = await make_event("festival-afstand", kind="festival")
    wanted = [("car-personal-care", 2, True), ("car-medication", 2, True)]
    near = await make_employer(event, "Zorg Stad", "A01", "care", wanted, postcode="9711")
    far = await make_employer(event, "Zorg Kanaal", "A02", "care", wanted,
                              postcode="9501 CD")  # stored as its PC4
    who = await make_visitor(event, 1, {"car-personal-care": 2, "car-medication": 2},
                             postcode="9711 AB")

    data = await load_event(event.id)
    by_employer = {v.employer_id: v for v in data.vacancy_profiles.values()}
    assert (by_employer[near.id].postcode, by_employer[far.id].postcode) == ("9711", "9501")
    employers, scores = employer_scores(data.visitors, data.vacancies)
    score = dict(zip(employers.tolist(), scores[0].tolist(), strict=True))
    assert score[near.id] > score[far.id] > 0
    assert score[far.id] / score[near.id] == pytest.approx(0.843, abs=0.002)

    visitor = data.visitor_profiles[who.registration_id]
    close, away = explain(visitor, by_employer[near.id]), explain(visitor, by_employer[far.id])
    assert close.distance_km == pytest.approx(0.0, abs=0.01)
    assert close.factors["distance"] == pytest.approx(1.0)
    assert away.distance_km == pytest.approx(36.1, abs=0.2)
    assert away.factors["distance"] == pytest.approx(0.843, abs=0.002)
    assert away.as_dict()["distance_km"] == pytest.approx(36.1, abs=0.2)
    assert close.score > away.score

    # The stored recommendations (badge, visitor page, tablet) put the nearer stand first.
    await build_recommendations(event)
    mine = (await stored_recommendations(event.id, who.registration_id))[who.registration_id]
    assert mine == ("A01 Zorg Stad", "A02 Zorg Kanaal")


async def test_vacancy_postcode_and_fields_are_checked(db):
    from event_ops.core.errors import DomainError

    event = await make_event()
    employer = await add_employer(event, name="Zorg BV", sector="care")
    vacancy_id = await add_vacancy(employer.id, title="  Verzorgende   IG ", postcode="9401ab",
                                   competencies=[("car-medication", None, True)])
    [row] = await current_engine().fetch(
        "SELECT title, sector, postcode FROM vacancy WHERE id = ?", [vacancy_id])
    assert row == {"title": "Verzorgende IG", "sector": "care", "postcode": "9401"}
    [wanted] = await current_engine().fetch(
        "SELECT code, level, required FROM vacancy_competency WHERE vacancy = ?", [vacancy_id])
    assert wanted["code"] == "car-medication" and 1 <= wanted["level"] <= 4  # taxonomy level
    for kwargs, field in (({"postcode": "0123"}, "postcode"), ({"postcode": "Assen"}, "postcode"),
                          ({"title": " "}, "title"), ({"hours_per_week": 0}, "hours_per_week"),
                          ({"competencies": [("no-such-skill", 2, True)]}, "competencies")):
        with pytest.raises(DomainError) as err:
            await add_vacancy(employer.id, **{"title": "Helpende", **kwargs})
        assert err.value.field == field
    count = await current_engine().fetch("SELECT COUNT(*) AS n FROM vacancy")
    assert count[0]["n"] == 1  # nothing half-stored


# ---- recommendations ---------------------------------------------------------------------------


def test_caps_hold_and_balance_beats_the_greedy_baseline():
    rng = np.random.default_rng(1)
    n, m = 3000, 60
    popularity = rng.gamma(1.0, 1.0, m)
    scores = (rng.random((n, m)) * popularity / popularity.max()).astype(np.float32)
    scores[rng.random((n, m)) < 0.6] = 0
    positions = rng.choice([1, 1, 2, 3], m)
    caps = stand_caps(positions, n)
    assert caps.sum() >= 3 * n  # room for everyone, with slack
    flooded = np.bincount(np.argsort(-scores, axis=1)[:, :3].ravel(), minlength=m)
    assert (flooded > caps).any()  # without caps the popular stands would be flooded
    picks = assign(scores, caps)
    check_caps(picks, caps)
    load = np.bincount(picks[picks >= 0], minlength=m)
    assert (load <= caps).all()
    assert ((picks >= 0).sum(axis=1) == 3).mean() > 0.99
    assert all(len(set(row[row >= 0])) == (row >= 0).sum() for row in picks)
    chosen = np.take_along_axis(scores, np.maximum(picks, 0), axis=1)
    assert (chosen[picks >= 0] > 0.01).all()
    # Greedy baseline: best pairs first, same caps.
    load_g, count_g, total_g = np.zeros(m, int), np.zeros(n, int), 0.0
    for flat in np.argsort(-scores, axis=None):
        v, s = divmod(int(flat), m)
        if scores[v, s] <= 0.01:
            break
        if count_g[v] < 3 and load_g[s] < caps[s]:
            count_g[v] += 1
            load_g[s] += 1
            total_g += scores[v, s]
    assert chosen[picks >= 0].sum() >= total_g * 0.99
    assert (picks >= 0).sum() >= count_g.sum()


def test_cap_violations_are_caught():
    with pytest.raises(RuntimeError):
        check_caps(np.array([[0, 1, -1], [0, 2, -1]]), np.array([1, 5, 5]))
    with pytest.raises(RuntimeError):
        check_caps(np.array([[1, 1, -1]]), np.array([5, 5]))


@pytest.fixture
async def festival_setup(db, client):
    event = await make_event("werkfestival-test", kind="festival")
    care_big = await make_employer(event, "Zorggroep Groot", "A01", "care",
                                   [("car-personal-care", 2, True), ("car-medication", 2, True)],
                                   positions=3)
    care_small = await make_employer(event, "Thuiszorg Klein", "A02", "care",
                                     [("car-personal-care", 2, True), ("car-home-care", 2, False)])
    ict = await make_employer(event, "Code BV", "B01", "ict",
                              [("ict-java", 3, True), ("ict-linux", 2, False)])
    visitors = []
    for n in range(12):
        levels = {"car-personal-care": 3, "car-medication": 2} if n < 9 else {"ict-java": 3}
        visitors.append(await make_visitor(event, n, levels, sectors=("care",) if n < 9
                                           else ("ict",), share=n != 0))
    return {"event": event, "care_big": care_big, "care_small": care_small, "ict": ict,
            "visitors": visitors, "organiser": await bearer(event, "organiser", "Org"),
            "door": await bearer(event, "door"),
            "tablet": await bearer(event, "employer", "Tablet", employer_id=care_small.id)}


async def test_recommendations_are_stored_capped_and_used_by_badge_and_tablet(
        client, festival_setup, settings):
    from badges.content import badge_data
    from event_ops.interests.arrivals import recommended_visitors

    s = festival_setup
    url = f"/api/v1/events/{s['event'].slug}/recommendations"
    for who in ("door", "tablet"):
        r = await client.post(url, headers=s[who])
        assert r.status_code == 403, r.text
    assert (await client.post(url)).status_code == 401
    r = await client.post(url, headers=s["organiser"])
    assert r.status_code == 200, r.text
    summary = r.json()
    assert summary["visitors"] == 12 and summary["max_load_ratio"] <= 1.0
    rows = await current_engine().fetch(
        "SELECT registration, employer, rank, score FROM recommendation WHERE event = ?"
        " ORDER BY registration, rank", [s["event"].id])
    assert summary["stored"] == len(rows)
    # Caps: 1.25 · 3 · 12 visitors = 45 slots split by positions 3 : 1 : 1.
    caps = {s["care_big"].id: 27, s["care_small"].id: 9, s["ict"].id: 9}
    load: dict[int, int] = {}
    for row in rows:
        load[row["employer"]] = load.get(row["employer"], 0) + 1
    assert all(load[e] <= caps[e] for e in load)
    first = s["visitors"][1].registration_id
    mine = [r for r in rows if r["registration"] == first]
    assert [r["rank"] for r in mine] == list(range(1, len(mine) + 1))
    assert mine[0]["employer"] == s["care_big"].id  # the better fit comes first
    # An ICT visitor is not sent to a care stand with a zero score.
    ict_visitor = s["visitors"][10].registration_id
    assert {r["employer"] for r in rows if r["registration"] == ict_visitor} == {s["ict"].id}
    badge = await badge_data(first, settings)
    assert badge.recommendations[0] == "A01 Zorggroep Groot"
    assert len(badge.recommendations) == len(mine)
    # The tablet hears about consenting visitors the stored rows send its way.
    wanted = await recommended_visitors(s["event"].id, s["care_small"].id)
    expected = {r["registration"] for r in rows if r["employer"] == s["care_small"].id}
    expected.discard(s["visitors"][0].registration_id)  # did not consent
    assert wanted == expected and wanted
    listing = await client.get(f"/api/v1/events/{s['event'].slug}/recommended-visitors",
                               headers=s["tablet"])
    assert listing.status_code == 200
    names = {v["registration_id"]: v["name"] for v in listing.json()}
    assert set(names) == expected | ({s["visitors"][0].registration_id} & set(names))
    if s["visitors"][0].registration_id in names:
        assert names[s["visitors"][0].registration_id] is None  # no consent, no name
    r = await client.get(f"/api/v1/events/{s['event'].slug}/recommended-visitors",
                         headers=s["organiser"])
    assert r.status_code == 403


async def test_badge_falls_back_to_placeholder_without_stored_rows(festival_setup, settings):
    from badges.content import badge_data

    badge = await badge_data(festival_setup["visitors"][1].registration_id, settings)
    assert badge.recommendations  # the sector rule still gives care stands
    assert all(r.split(" ", 1)[0] in ("A01", "A02") for r in badge.recommendations)


async def test_recommendations_refuse_matching_days(client, db):
    event = await make_event()
    org = await bearer(event, "organiser", "Org")
    r = await client.post(f"/api/v1/events/{event.slug}/recommendations", headers=org)
    assert r.status_code == 409 and r.json()["error"] == "wrong_event_kind"


# ---- preferences: who may do what ------------------------------------------------------------


@pytest.fixture
async def matching_setup(db, client):
    event = await make_event()
    other = await make_event("andere-dag")
    a = await make_employer(event, "Zorg A", "T1", "care", [("car-medication", 2, True)])
    b = await make_employer(event, "Zorg B", "T2", "care", [("car-nursing", 3, True)])
    people = [await make_visitor(event, n, {"car-medication": 2}, share=n == 0)
              for n in range(3)]
    stranger = await make_visitor(other, 99, {"car-medication": 2})
    return {"event": event, "other": other, "a": a, "b": b, "people": people,
            "stranger": stranger,
            "tablet_a": await bearer(event, "employer", "A", employer_id=a.id),
            "tablet_b": await bearer(event, "employer", "B", employer_id=b.id),
            "organiser": await bearer(event, "organiser", "Org"),
            "door": await bearer(event, "door")}


async def test_employer_sets_only_its_own_preferences(client, matching_setup):
    s = matching_setup
    url = f"/api/v1/events/{s['event'].slug}/preferences"
    p0, p1 = (p.registration_id for p in s["people"][:2])
    r = await client.post(url, headers=s["tablet_a"], json={"preferences": [
        {"registration_id": p0, "choice": "must"}, {"registration_id": p1, "choice": "no"}]})
    assert r.status_code == 200 and r.json() == {"saved": 2}
    # Employer B sees none of A's marks, and its own list follows consent.
    listing = (await client.get(url, headers=s["tablet_b"])).json()
    assert {c["registration_id"] for c in listing} == {p.registration_id for p in s["people"]}
    assert all(c["choice"] is None for c in listing)
    named = {c["registration_id"]: c["name"] for c in listing}
    assert named[p0] == "Persoon0 Achternaam" and named[p1] is None
    # Not even the first name of someone who did not agree (it was always sent before).
    first = {c["registration_id"]: c["first_name"] for c in listing}
    assert first[p0] == "Persoon0" and first[p1] is None
    assert "Persoon1" not in (await client.get(url, headers=s["tablet_b"])).text
    mine = {c["registration_id"]: c["choice"] for c in
            (await client.get(url, headers=s["tablet_a"])).json()}
    assert mine[p0] == "must" and mine[p1] == "no"
    rows = await current_engine().fetch(
        "SELECT employer, side FROM meeting_preference ORDER BY id")
    assert {(r["employer"], r["side"]) for r in rows} == {(s["a"].id, "employer")}
    # Clearing, a visitor of another event, a bad choice.
    r = await client.post(url, headers=s["tablet_a"],
                          json={"preferences": [{"registration_id": p1, "choice": "none"}]})
    assert r.status_code == 200
    r = await client.post(url, headers=s["tablet_a"], json={"preferences": [
        {"registration_id": s["stranger"].registration_id, "choice": "must"}]})
    assert r.status_code == 404
    r = await client.post(url, headers=s["tablet_a"],
                          json={"preferences": [{"registration_id": p0, "choice": "maybe"}]})
    assert r.status_code == 422 and r.json()["error"] == "bad_choice"
    r = await client.post(url, headers=s["tablet_a"], json={"preferences": [
        {"registration_id": 2**70, "choice": "must"}]})
    assert r.status_code == 400  # an id that cannot exist: refused before the database
    # Only employer tokens of this event.
    for who in ("organiser", "door"):
        r = await client.post(url, headers=s[who], json={"preferences": []})
        assert r.status_code == 403
    foreign = await bearer(s["other"], "organiser", "Other")
    assert (await client.get(url, headers=foreign)).status_code == 403


async def test_only_organisers_build_pin_and_publish(client, matching_setup):
    s = matching_setup
    base = f"/api/v1/events/{s['event'].slug}/schedule"
    p0 = s["people"][0].registration_id
    calls = [("post", "/build", {}), ("post", "/publish", None),
             ("post", "/pin", {"round": 1, "registration_id": p0, "employer_id": s["a"].id}),
             ("post", "/remove", {"registration_id": p0, "employer_id": s["a"].id}),
             ("get", "", None)]
    for who in ("tablet_a", "door"):
        for method, path, body in calls:
            r = await getattr(client, method)(base + path, headers=s[who],
                                              **({"json": body} if body is not None else {}))
            assert r.status_code == 403, (who, path, r.text)
    r = await client.get(base + "/mine", headers=s["organiser"])
    assert r.status_code == 403
    r = await client.post(base + "/build", headers=s["organiser"], json={"rounds": 2})
    assert r.status_code == 200, r.text


async def test_visitor_marks_employers_on_the_secret_link_page(client, matching_setup, settings):
    from event_ops.mail.render import visitor_page_url
    from event_ops.matching.preferences import choices_of_visitor

    s = matching_setup
    person = s["people"][0]
    me = visitor_page_url(settings, person.visitor_id, 1).removeprefix("http://127.0.0.1:8000")
    page = f"{me}/preferences/{s['event'].slug}"
    assert f'href="{page}"' in (await client.get(me)).text  # linked from the visitor's page
    r = await client.get(page)
    assert r.status_code == 200 and "Zorg A" in r.text and "Zorg B" in r.text
    csrf = client.cookies.get("csrftoken")
    r = await client.post(page, headers={"x-csrftoken": csrf},
                          data={f"choice-{s['a'].id}": "must", f"choice-{s['b'].id}": "no"})
    assert r.status_code == 303
    assert await choices_of_visitor(s["event"].id, person.registration_id) == {
        s["a"].id: "must", s["b"].id: "no"}
    r = await client.get(page)
    assert re.search(rf'name="choice-{s["a"].id}" value="must"\s+checked', r.text)
    assert re.search(rf'name="choice-{s["b"].id}" value="no"\s+checked', r.text)
    assert not re.search(rf'name="choice-{s["a"].id}" value="no"\s+checked', r.text)
    assert (await client.post(page, data={f"choice-{s['a'].id}": "no"})).status_code == 403
    # Someone else's event, or a forged link: nothing.
    assert (await client.get(f"{me}/preferences/{s['other'].slug}")).status_code == 404
    assert (await client.get(f"/me/1.forged/preferences/{s['event'].slug}")).status_code == 404
