"""The candidate pool, employers' side (issue 18): filters, the engine's explained ranking,
anonymous results in the API and on the pages (field by field: no name, e-mail, phone, exact
postcode, free text or visitor id before the member accepts), audit of every view, asking
for contact, the organisation's own requests (A never sees B's) and who may search."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from event_ops.core.db import current_engine
from event_ops.employers.job_profiles import create_profile, set_archived
from event_ops.employers.service import add_employer
from event_ops.matching.engine import (
    CodeIndex,
    VacancyProfile,
    VisitorProfile,
    build_vacancies,
    build_visitors,
    explain,
    explain_many,
    score_matrix,
)
from event_ops.pool import search
from event_ops.pool.membership import PoolChoices, join, withdraw
from event_ops.pool.requests import decide, request_contact
from event_ops.pool.rules import today
from tests.helpers import contact_signed_in, open_event, signed_in

TODAY = dt.date(2026, 12, 6)


# ---- the domain, without a database ----------------------------------------------------------

def row(i: int, comps: dict[str, int], **over) -> tuple[dict, list[dict]]:
    base = {"id": i, "ref": f"R{i:03d}", "visitor": i, "ends_on": dt.date(2027, 6, 1),
            "hours_min": 16, "hours_max": 32, "available_from": None, "max_distance_km": None,
            "postcode": "9711", "education_level": "mbo2", "availability": '["parttime"]',
            "sectors": '["care"]'}
    base.update(over)
    return base, [{"visitor": i, "code": c, "level": lv} for c, lv in comps.items()]


def pool_of(*rows: tuple[dict, list[dict]]) -> search.Pool:
    return search.build_pool([r for r, _ in rows], [c for _, cs in rows for c in cs])


def refs(pool: search.Pool, c: search.Criteria) -> list[str]:
    return [r["ref"] for r in search.search(pool, c, TODAY, size=100).results]


def test_each_filter_narrows_and_only_findable_members_show():
    pool = pool_of(
        row(1, {"car-hygiene": 3}),
        row(2, {"car-hygiene": 1}),  # level too low
        row(3, {"car-hygiene": 3}, sectors='["logistics"]'),
        row(4, {"car-hygiene": 3}, postcode="1011"),  # Amsterdam: far from Groningen
        row(5, {"car-hygiene": 3}, hours_min=36, hours_max=40),
        row(6, {"car-hygiene": 3}, availability='["weekends"]'),
        row(7, {"car-hygiene": 3}, education_level="vmbo"),
        row(8, {"car-hygiene": 3}, available_from=dt.date(2027, 3, 1)),
        row(9, {"car-hygiene": 3}, ends_on=dt.date(2026, 12, 5)),  # ended yesterday
        row(10, {"car-hygiene": 3}, max_distance_km=1, postcode="9722"),  # will not travel 4 km
    )
    assert "R009" not in refs(pool, search.Criteria())
    assert len(refs(pool, search.Criteria())) == 9
    assert "R002" not in refs(pool, search.Criteria(competencies=(("car-hygiene", 2, True),)))
    assert "R002" in refs(pool, search.Criteria(competencies=(("car-hygiene", 2, True),),
                                                strict=False))
    assert refs(pool, search.Criteria(competencies=(("unknown-code", 1, True),))) == []
    assert "R003" not in refs(pool, search.Criteria(sectors=("care",)))
    near = refs(pool, search.Criteria(postcode="9711", max_km=20))
    assert "R004" not in near and "R001" in near and "R010" not in near
    assert "R005" not in refs(pool, search.Criteria(hours_min=20, hours_max=32))
    assert "R005" in refs(pool, search.Criteria(hours_min=36, hours_max=40))
    assert "R006" not in refs(pool, search.Criteria(availability=("parttime",)))
    assert "R007" not in refs(pool, search.Criteria(education_min="mbo2"))
    assert "R008" not in refs(pool, search.Criteria(available_by=dt.date(2027, 1, 1)))
    assert "R008" in refs(pool, search.Criteria(available_by=dt.date(2027, 3, 1)))


def test_ranked_by_the_engines_score_with_its_explanation():
    pool = pool_of(row(1, {"car-hygiene": 1}), row(2, {"car-hygiene": 4, "gen-computer": 2}),
                   row(3, {"car-hygiene": 4}), row(4, {"log-forklift": 3}))
    c = search.Criteria(competencies=(("car-hygiene", 4, True), ("gen-computer", 2, False)),
                        strict=False, postcode="9711")
    page = search.search(pool, c, TODAY)
    assert [r["ref"] for r in page.results][:2] == ["R002", "R003"]
    scores = [r["score"] for r in page.results]
    assert scores == sorted(scores, reverse=True)
    # The very score the engine gives this pair, and its reasons.
    first = page.results[0]
    alone = explain(pool.profiles[1], c.profile())
    assert first["score"] == alone.score
    assert first["explanation"]["matched"][0]["code"] == "car-hygiene"
    assert set(first["explanation"]["factors"]) == {"sector", "education", "availability",
                                                     "distance"}
    last = next(r for r in page.results if r["ref"] == "R004")
    assert last["explanation"]["missing_required"] == ["car-hygiene"]
    assert "distance_km" not in first["explanation"]  # only the rounded one, outside


def test_explain_many_agrees_with_explain_and_the_matrix():
    people = [VisitorProfile(id=i, competencies={"car-hygiene": 1 + i % 4, "gen-computer": 2},
                             sectors=["care"] if i % 2 else [],
                             postcode=["9711", "", "1011"][i % 3],
                             education_level=["", "mbo2", "hbo"][i % 3],
                             availability=["parttime"] if i % 2 else [])
              for i in range(9)]
    job = VacancyProfile(id=1, employer_id=1, wanted=[("car-hygiene", 3, True),
                                                      ("log-forklift", 2, True)],
                         sector="care", hours_per_week=24, postcode="9722")
    many = explain_many(people, job)
    assert many == [explain(p, job) for p in people]
    index = CodeIndex()
    matrix = score_matrix(build_visitors(people, index), build_vacancies([job], index))
    assert [e.score for e in many] == [int(round(100 * float(s))) for s in matrix[:, 0]]


def test_distance_is_rounded_up_to_five_km():
    assert [search.rounded_km(k) for k in (0.0, 4.9, 5.0, 5.1, 23.0)] == [5, 5, 5, 10, 25]
    assert search.rounded_km(float("nan")) is None


def test_criteria_from_the_form_and_back():
    job = VacancyProfile(id=7, employer_id=1, wanted=[("car-hygiene", 3, True)], title="Helpende",
                         sector="care", hours_per_week=24, postcode="9722")
    c = search.criteria_from_query({"job": ["7"], "km": ["15"]}, [job])
    assert (c.competencies, c.strict, c.max_km, c.postcode, c.title) == (
        (("car-hygiene", 3, True),), False, 15, "9722", "Helpende")
    form = {"go": ["1"], "code": ["car-hygiene", ""], "level": ["3", "1"], "sector": ["care", "x"],
            "hours_min": ["abc"], "education": ["mbo2"], "available_by": ["2027-01-31"]}
    c = search.criteria_from_query(form)
    assert c.competencies == (("car-hygiene", 3, True),) and not c.strict  # box not ticked
    assert c.sectors == ("care",) and c.hours_min is None and c.education_min == "mbo2"
    assert search.criteria_from_query({"code": ["car-hygiene"]}).strict  # the API: strict
    again = search.criteria_from_query({k: [v] if k not in ("code", "level", "sector") else
                                        [x for kk, x in search.query_of(c) if kk == k]
                                        for k, v in search.query_of(c)})
    assert again == c


# ---- through HTTP, with a database -----------------------------------------------------------

SECRET = {
    "name": "Zyxwvu Quertyson",
    "email": "zyxwvu.secret@example.nl",
    "phone": "0699887766",
    "postcode": "9722 QZ",
    "answer": "AnswerSecretKiwi",
    "note": "CoachNoteSecretMango",
    "visitor_id": "987651",
}


async def fetch(sql: str, args: list | None = None) -> list[dict]:
    return await current_engine().fetch(sql, args or [])


async def seed_person(event, *, name: str, email: str, phone: str = "", postcode: str = "9711",
                      share: tuple[str, ...] = ("email",)) -> tuple[int, str]:
    """A visitor in the pool with competencies; (visitor id, ref)."""
    from event_ops.people.registration import RegistrationInput, register

    outcome = await register(event, RegistrationInput(
        name=name, email=email, phone=phone, postcode=postcode, consent_terms=True,
        consent_share_profile=True, sectors=["care"], competencies=["car-hygiene"],
        competency_levels={"car-hygiene": 3}, education_level="mbo3", availability=["parttime"]))
    member = await join(outcome.visitor_id, PoolChoices(
        consent=True, months=12, hours_min=16, hours_max=32, share_fields=list(share)),
        actor="visitor:self")
    return outcome.visitor_id, member["ref"]


@pytest.fixture
async def world(db):
    """An event; organisations A and B approved (an employer each) with a contact person
    logged in; one pool member seeded with a distinctive value in every private field."""
    event = await open_event("pool-search")
    db_ = current_engine()
    # Distinctive ids: the visitor's id must be findable as bytes in a page. A placeholder
    # visitor (not in the pool) takes the id before it; the sequence follows on PostgreSQL.
    now = dt.datetime.now(dt.UTC)
    await fetch("INSERT INTO visitor (id, email, name, phone, postcode, education_level,"
                " availability, sectors, language, share_profile, messages_opt_out,"
                " link_version, created_at, updated_at) VALUES (987650, NULL, 'Placeholder',"
                " '', '', '', '[]', '[]', 'nl', ?, ?, 1, ?, ?)", [False, False, now, now])
    if db_.engine_type == "postgres":
        await fetch("SELECT setval('visitor_id_seq', 987650)")
    visitor_id, ref = await seed_person(event, name=SECRET["name"], email=SECRET["email"],
                                        phone=SECRET["phone"], postcode=SECRET["postcode"])
    assert str(visitor_id) == SECRET["visitor_id"]
    reg = (await fetch("SELECT id FROM registration WHERE visitor = ?", [visitor_id]))[0]["id"]
    await fetch("UPDATE registration SET note = ? WHERE id = ?", [SECRET["note"] + "Reg", reg])
    await fetch("INSERT INTO coach_note (visitor, registration, author, organisation, body,"
                " created_at) VALUES (?, ?, 1, 'Werk BV', ?, ?)",
                [visitor_id, reg, SECRET["note"], dt.datetime.now(dt.UTC)])
    question = await fetch(
        "INSERT INTO question (event, kind, label_nl, label_en, help_nl, help_en, options,"
        " required, share, position, created_at) VALUES (?, 'short_text', 'Vraag', 'Question',"
        " '', '', '[]', ?, 'employers', 1, ?) RETURNING id",
        [event.id, False, dt.datetime.now(dt.UTC)])
    await fetch("INSERT INTO answer (registration, question, value, created_at)"
                " VALUES (?, ?, ?, ?)",
                [reg, question[0]["id"], json.dumps(SECRET["answer"]), dt.datetime.now(dt.UTC)])
    a = await add_employer(event, name="Zorggroep Noord", sector="care", kvk_number="12345678")
    b = await add_employer(event, name="Bouw Zuid", sector="construction",
                           kvk_number="87654321")
    job = await create_profile(a.organisation, {
        "title": "Helpende zorg", "sector": "care", "hours_per_week": 24, "postcode": "9711",
        "positions": 1, "supported_employment": True}, [("car-hygiene", 2, True)], "test")
    search.invalidate()
    return {"event": event, "ref": ref, "visitor": visitor_id, "a": a, "b": b,
            "job": job,
            "ha": await contact_signed_in(a.organisation, "anja@zorg.example.nl"),
            "hb": await contact_signed_in(b.organisation, "bert@bouw.example.nl")}


async def everything_an_employer_sees(client, w) -> bytes:
    """Every API answer and page of the pool an employer reaches before acceptance."""
    ha, ref = w["ha"], w["ref"]
    out = []
    for path in ("/api/v1/pool/search?code=car-hygiene&level=1&postcode=9711&km=50",
                 f"/api/v1/pool/search?job={w['job']}",
                 f"/api/v1/pool/members/{ref}?postcode=9711",
                 "/api/v1/pool/contact-requests",
                 "/employer/pool?go=1&code=car-hygiene&level=1&postcode=9711&km=50&lang=en",
                 f"/employer/pool?go=1&job={w['job']}",
                 f"/employer/pool/members/{ref}?postcode=9711",
                 "/employer/pool/requests"):
        answer = await client.get(path, headers=ha)
        assert answer.status_code == 200, (path, answer.text[:300])
        out.append(answer.content)
    return b"\n".join(out)


@pytest.mark.parametrize("field", list(SECRET))
async def test_no_private_field_reaches_an_employer_before_acceptance(client, world, field):
    w = world
    before = await everything_an_employer_sees(client, w)
    assert w["ref"].encode() in before  # the member is found at all
    sent = await client.post(f"/api/v1/pool/members/{w['ref']}/contact-requests",
                             headers=w["ha"], json={"about": "Helpende zorg",
                                                    "message": "Kom je praten?"})
    assert sent.status_code == 201, sent.text
    after_request = await everything_an_employer_sees(client, w)
    value = SECRET[field].encode()
    for seen in (before, after_request, json.dumps(
            (await client.get("/api/v1/pool/search", headers=w["ha"])).json()).encode()):
        assert value not in seen
        if field == "postcode":
            assert b"9722QZ" not in seen and b"9722 QZ" not in seen


async def test_after_acceptance_only_the_chosen_details_show(client, world):
    w = world
    request_id = await request_contact(w["ref"], w["a"].organisation, None, "Helpende zorg",
                                       None, "Hallo", "contact:1")
    await decide(request_id, w["visitor"], True, by="self", actor="visitor:self")
    page = await client.get("/employer/pool/requests?lang=en", headers=w["ha"])
    assert SECRET["email"] in page.text  # chosen
    assert SECRET["phone"] not in page.text and SECRET["name"] not in page.text
    api = (await client.get("/api/v1/pool/contact-requests", headers=w["ha"])).json()
    assert api[0]["status"] == "accepted" and api[0]["details"] == {"email": SECRET["email"]}
    # Organisation B sees nothing of A's request, nor its details.
    assert (await client.get("/api/v1/pool/contact-requests", headers=w["hb"])).json() == []
    page_b = await client.get("/employer/pool/requests?lang=en", headers=w["hb"])
    assert SECRET["email"] not in page_b.text and "Helpende zorg" not in page_b.text


async def test_a_contact_request_from_a_result_page(client, world):
    w = world
    answer = await client.post(
        f"/employer/pool/members/{w['ref']}/contact?lang=en", headers=w["ha"],
        data={"job": str(w["job"]), "about": "", "message": "Welkom!",
              "_csrf_token": w["ha"]["X-CSRFToken"]})
    assert answer.status_code in (302, 303), answer.text[:300]
    rows = await fetch("SELECT organisation, about, job_profile, message, status"
                       " FROM pool_contact_request")
    assert rows == [{"organisation": w["a"].organisation, "about": "Helpende zorg",
                     "job_profile": w["job"], "message": "Welkom!", "status": "requested"}]
    page = await client.get("/employer/pool/requests?sent=1&lang=en", headers=w["ha"])
    assert "Waiting for an answer" in page.text and w["ref"] in page.text
    # Asking again while the first is open: refused.
    again = await client.post(f"/api/v1/pool/members/{w['ref']}/contact-requests",
                              headers=w["ha"], json={"about": "x"})
    assert again.status_code == 409


async def test_every_result_page_and_card_view_is_audited(client, world):
    w = world
    await client.get("/api/v1/pool/search?code=car-hygiene&level=1", headers=w["ha"])
    await client.get(f"/employer/pool/members/{w['ref']}", headers=w["ha"])
    rows = await fetch("SELECT actor, action, subject_type, fields FROM audit_entry"
                       " WHERE action IN ('pool.searched', 'pool.member_viewed') ORDER BY id")
    assert [(r["action"], r["subject_type"]) for r in rows] == [
        ("pool.searched", "organisation"), ("pool.member_viewed", "pool_member")]
    assert all(r["actor"].startswith("contact:") for r in rows)
    assert all(w["ref"] in json.loads(r["fields"]) if isinstance(r["fields"], str)
               else w["ref"] in r["fields"] for r in rows)


async def test_withdrawn_members_disappear_at_once(client, world):
    w = world
    first = (await client.get("/api/v1/pool/search", headers=w["ha"])).json()
    assert [r["ref"] for r in first["results"]] == [w["ref"]]
    await withdraw(w["visitor"], actor="visitor:self")
    again = (await client.get("/api/v1/pool/search", headers=w["ha"])).json()
    assert again["total"] == 0
    card = await client.get(f"/api/v1/pool/members/{w['ref']}", headers=w["ha"])
    assert card.status_code == 404 and card.json()["error"] == "pool_not_found"


async def test_only_contacts_of_approved_organisations_search(client, world):
    from event_ops.employers.organisations import create_organisation

    assert (await client.get("/api/v1/pool/search")).status_code == 401
    page = await client.get("/employer/pool")
    assert page.status_code in (302, 303) and "/employer/login" in page.headers["location"]
    staff = await signed_in("organiser_admin")
    assert (await client.get("/api/v1/pool/search", headers=staff)).status_code == 403
    assert (await client.get("/employer/pool", headers=staff)).status_code == 403
    lonely = await create_organisation("Nog niet goedgekeurd", None, "test")
    unapproved = await contact_signed_in(lonely, "new@example.nl")
    assert (await client.get("/api/v1/pool/search", headers=unapproved)).status_code == 403
    assert (await client.get("/employer/pool", headers=unapproved)).status_code == 403


async def test_job_profiles_offered_are_the_organisations_own(client, world):
    w = world
    mine = await client.get("/employer/pool?lang=en", headers=w["ha"])
    theirs = await client.get("/employer/pool?lang=en", headers=w["hb"])
    assert "Start from one of your job profiles" in mine.text
    assert "Helpende zorg" in mine.text and "Helpende zorg" not in theirs.text
    # B cannot start from A's job profile, nor ask for contact about it: not found, never a
    # silent plain search or A's title on B's request.
    for path in (f"/api/v1/pool/search?job={w['job']}",
                 f"/api/v1/pool/members/{w['ref']}?job={w['job']}",
                 f"/employer/pool?go=1&job={w['job']}&lang=en",
                 f"/employer/pool/members/{w['ref']}?job={w['job']}&lang=en"):
        answer = await client.get(path, headers=w["hb"])
        assert answer.status_code == 404, (path, answer.text[:300])
    sent = await client.post(f"/api/v1/pool/members/{w['ref']}/contact-requests",
                             headers=w["hb"], json={"about": "x", "job_profile_id": w["job"]})
    assert sent.status_code == 404 and sent.json()["error"] == "job_profile_not_found"
    form = await client.post(
        f"/employer/pool/members/{w['ref']}/contact?lang=en", headers=w["hb"],
        data={"job": str(w["job"]), "about": "", "message": "",
              "_csrf_token": w["hb"]["X-CSRFToken"]})
    assert form.status_code == 404
    assert await fetch("SELECT id FROM pool_contact_request") == []


async def test_a_search_from_a_job_profile_ranks_by_it_and_the_request_records_it(
        client, world):
    w = world
    found = (await client.get(f"/api/v1/pool/search?job={w['job']}", headers=w["ha"])).json()
    assert [r["ref"] for r in found["results"]] == [w["ref"]]
    assert found["results"][0]["explanation"]["matched"]  # ranked by the profile's wishes
    page = await client.get(f"/employer/pool?go=1&job={w['job']}&lang=en", headers=w["ha"])
    assert f'<option value="{w["job"]}" selected' in page.text
    card = await client.get(f"/employer/pool/members/{w['ref']}?job={w['job']}&lang=en",
                            headers=w["ha"])
    assert f'<option value="{w["job"]}" selected' in card.text
    sent = await client.post(f"/api/v1/pool/members/{w['ref']}/contact-requests",
                             headers=w["ha"], json={"job_profile_id": w["job"]})
    assert sent.status_code == 201, sent.text
    assert await fetch("SELECT about, job_profile FROM pool_contact_request") == [
        {"about": "Helpende zorg", "job_profile": w["job"]}]


async def test_an_archived_job_profile_is_not_offered_nor_searched_from(client, world):
    w = world
    await set_archived(w["a"].organisation, w["job"], True, "test")
    page = await client.get("/employer/pool?lang=en", headers=w["ha"])
    assert "Helpende zorg" not in page.text
    answer = await client.get(f"/api/v1/pool/search?job={w['job']}", headers=w["ha"])
    assert answer.status_code == 404


def test_today_is_amsterdams():
    assert isinstance(today(), dt.date)


def test_prepared_scores_are_the_matrix_scores_even_with_codes_nobody_has():
    from event_ops.matching.engine import prepare_visitors, score_prepared

    people = [VisitorProfile(id=i, competencies={"car-hygiene": 1 + i % 4, "gen-computer": 2},
                             sectors=["care"] if i % 2 else [],
                             postcode=["9711", "", "1011"][i % 3],
                             education_level=["", "mbo2", "hbo"][i % 3],
                             availability=["parttime"] if i % 2 else [])
              for i in range(12)]
    index = CodeIndex()
    vis = build_visitors(people, index)
    prepared = prepare_visitors(vis)
    jobs = [VacancyProfile(id=1, employer_id=1, wanted=[("car-hygiene", 3, True),
                                                        ("nobody-has-this", 2, True)],
                           sector="care", hours_per_week=24, postcode="9722"),
            VacancyProfile(id=2, employer_id=1, wanted=[("gen-computer", 1, False)])]
    wide = CodeIndex(index.codes)
    vac = build_vacancies(jobs, wide)
    assert (score_prepared(prepared, vac) == score_matrix(vis, vac)).all()


async def test_a_request_without_a_job_is_refused_at_the_form_keeping_the_message(client, world):
    w = world
    answer = await client.post(
        f"/employer/pool/members/{w['ref']}/contact?lang=en", headers=w["ha"],
        data={"job": "", "about": " ", "message": "Mijn getypte bericht",
              "_csrf_token": w["ha"]["X-CSRFToken"]})
    assert answer.status_code == 422
    assert "Choose a job profile or say which job it is about." in answer.text
    assert "Mijn getypte bericht" in answer.text
    assert await fetch("SELECT id FROM pool_contact_request") == []


async def test_a_malformed_ref_is_not_found_without_touching_the_database(client, world):
    w = world
    for ref in ("a%00b", "x" * 40, "%C3%A9t%C3%A9"):
        answer = await client.get(f"/api/v1/pool/members/{ref}", headers=w["ha"])
        assert answer.status_code in (400, 404), (ref, answer.text)  # NUL: 400 before us
        sent = await client.post(f"/api/v1/pool/members/{ref}/contact-requests",
                                 headers=w["ha"], json={"about": "x"})
        assert sent.status_code in (400, 404), (ref, sent.text)


async def test_a_search_counts_the_organisation_as_using_the_pool(client, world):
    from event_ops.pool.membership import pool_figures

    assert (await pool_figures())["employers"] == 0
    await client.get("/employer/pool?go=1", headers=world["ha"])
    await client.get("/api/v1/pool/search", headers=world["ha"])
    assert await pool_figures() == {"members": 1, "employers": 1}
