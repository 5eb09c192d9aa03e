"""Job profiles (issue 18): an organisation's jobs kept across events, made and changed in
the employer portal and the API, added to its events as vacancies; changes follow to
events that have not started; the distance-to-the-labour-market flags reach the back
office, the vacancy API and matching. Organisation A never sees or changes B's."""

from __future__ import annotations

import datetime as dt
import json

from event_ops.core.db import current_engine
from event_ops.employers import job_profiles as jobs
from event_ops.employers.organisations import organisation_for
from event_ops.employers.service import add_employer, add_vacancy
from event_ops.events.service import create_event
from event_ops.matching.engine import load_event
from tests.helpers import bearer, contact_signed_in, open_event, signed_in

FORM = {"title": "Magazijnmedewerker", "postcode": "9711 AB", "hours_per_week": "24",
        "positions": "2", "sector": "logistics", "description": "Dozen inpakken.\nSamen.",
        "job_carving": "yes", "training_on_the_job": "yes",
        "competencies": "", "_csrf_token": ""}


async def future_event(slug: str = "banenmarkt-maart", days: int = 30):
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=days)
    return await create_event(slug=slug, name=f"Banenmarkt {slug}", kind="matching",
                              starts_at=starts, ends_at=starts + dt.timedelta(hours=6),
                              capacity=None, location="Groningen")


async def organisation(name: str) -> int:
    org_id, _ = await organisation_for(name, None, "test")
    return org_id


async def some_code() -> str:
    rows = await current_engine().fetch("SELECT code FROM competency ORDER BY code LIMIT 2")
    return rows[0]["code"]


def form(headers: dict[str, str], **changes: str) -> dict[str, str]:
    return {**FORM, "_csrf_token": headers["X-CSRFToken"], **changes}


async def post(client, path: str, headers: dict[str, str], data: dict):
    return await client.post(path, data=data, headers={"Cookie": headers["Cookie"]},
                             follow_redirects=False)


async def test_portal_create_edit_use_and_archive(client, db):
    org = await organisation("Zorggroep Noord")
    event = await future_event()
    await add_employer(event, name="Zorggroep Noord", organisation_id=org)
    contact = await contact_signed_in(org)
    code = await some_code()

    page = await client.get("/employer?lang=nl", headers=contact)
    assert "/employer/jobs" in page.text
    r = await client.get("/employer/jobs?lang=nl", headers=contact)
    assert r.status_code == 200 and "nog geen functieprofielen" in r.text

    r = await post(client, "/employer/jobs?lang=nl", contact,
                   form(contact, competencies=code, **{f"level_{code}": "3"}))
    assert r.status_code in (302, 303), r.text
    profile_id = int(r.headers["location"].split("/")[3].split("?")[0])
    (row,) = await jobs.list_profiles(org)
    assert row["title"] == "Magazijnmedewerker" and row["postcode"] == "9711"
    assert row["job_carving"] and row["training_on_the_job"]
    assert not row["supported_employment"]
    assert row["wanted"] == {code: (3, True)}
    assert row["description"] == "Dozen inpakken.\nSamen."

    listing = await client.get("/employer/jobs?lang=nl", headers=contact)
    assert "Jobcarving" in listing.text and "Leren op de werkvloer" in listing.text
    assert "Banenmarkt banenmarkt-maart" in listing.text

    r = await post(client, f"/employer/jobs/{profile_id}/use?lang=nl", contact,
                   {"event": event.slug, "_csrf_token": contact["X-CSRFToken"]})
    assert r.status_code in (302, 303), r.text
    (vacancy,) = await current_engine().fetch(
        "SELECT v.* FROM vacancy v JOIN employer e ON e.id = v.employer WHERE e.event = ?",
        [event.id])
    assert vacancy["job_profile"] == profile_id and vacancy["title"] == "Magazijnmedewerker"
    assert bool(vacancy["job_carving"]) and not bool(vacancy["supported_employment"])
    again = await post(client, f"/employer/jobs/{profile_id}/use?lang=en", contact,
                       {"event": event.slug, "_csrf_token": contact["X-CSRFToken"]})
    assert again.status_code == 409 and "already at this event" in again.text

    # matching sees the flags as data
    data = await load_event(event.id)
    (profile,) = data.vacancy_profiles.values()
    assert profile.job_carving and profile.training_on_the_job
    assert not profile.supported_employment

    edit = await client.get(f"/employer/jobs/{profile_id}?lang=nl", headers=contact)
    assert "nog niet begonnen" in edit.text and 'value="Magazijnmedewerker"' in edit.text
    r = await post(client, f"/employer/jobs/{profile_id}?lang=nl", contact,
                   form(contact, title="Orderpicker", supported_employment="yes",
                        competencies=code, **{f"level_{code}": "2"}))
    assert r.status_code in (302, 303)
    done = await client.get(r.headers["location"], headers=contact)
    assert "1 vacature(s)" in done.text
    (vacancy,) = await current_engine().fetch("SELECT * FROM vacancy WHERE id = ?",
                                              [vacancy["id"]])
    assert vacancy["title"] == "Orderpicker" and bool(vacancy["supported_employment"])

    r = await post(client, f"/employer/jobs/{profile_id}/archive?lang=nl", contact,
                   {"_csrf_token": contact["X-CSRFToken"]})
    assert r.status_code in (302, 303)
    assert (await jobs.get_profile(org, profile_id))["archived"]
    actions = [r["action"] for r in await current_engine().fetch(
        "SELECT action FROM audit_entry WHERE subject_type IN ('job_profile', 'vacancy')"
        " ORDER BY id")]
    assert actions == ["job_profile.created", "vacancy.created", "job_profile.updated",
                       "vacancy.updated", "job_profile.archived"]


async def test_errors_name_the_field_and_keep_what_was_typed(client, db):
    org = await organisation("Bakkerij Zon")
    contact = await contact_signed_in(org)
    r = await post(client, "/employer/jobs?lang=nl", contact,
                   form(contact, postcode="97", description="Mijn tekst blijft"))
    assert r.status_code == 422
    assert "Vul een postcode in" in r.text and 'href="#v_postcode"' in r.text
    assert "Mijn tekst blijft" in r.text and 'value="Magazijnmedewerker"' in r.text
    assert 'id="job_carving" value="yes" aria-describedby="job_carving-help" checked' in r.text
    r = await post(client, "/employer/jobs?lang=en", contact, form(contact, hours_per_week="99"))
    assert r.status_code == 422 and "hours per week: 1 to 60" in r.text
    r = await post(client, "/employer/jobs?lang=en", contact, form(contact, title=" "))
    assert r.status_code == 422 and "Fill in a job title" in r.text
    assert await jobs.list_profiles(org) == []
    # a form without its CSRF token is refused
    r = await client.post("/employer/jobs", data={**FORM}, headers={"Cookie": contact["Cookie"]})
    assert r.status_code == 403


async def test_a_started_event_keeps_its_vacancy(client, db):
    org = await organisation("Bouw BV")
    today = await open_event()
    later = await future_event()
    for event in (today, later):
        await add_employer(event, name="Bouw BV", organisation_id=org)
    profile_id = await jobs.create_profile(
        org, {"title": "Timmerman", "positions": 1}, [], "test")
    for event in (today, later):
        await jobs.use_at_event(org, profile_id, event.id, "test")
    row = await jobs.update_profile(org, profile_id, {"title": "Timmerman (m/v)"}, "test")
    assert row["updated_vacancies"] == 1
    titles = {r["event"]: r["title"] for r in await current_engine().fetch(
        "SELECT e.event, v.title FROM vacancy v JOIN employer e ON e.id = v.employer")}
    assert titles == {today.id: "Timmerman", later.id: "Timmerman (m/v)"}


async def test_organisation_a_never_reaches_b(client, db):
    org_a, org_b = await organisation("Alfa"), await organisation("Bravo")
    event_b = await future_event("alleen-b")
    await add_employer(event_b, name="Bravo", organisation_id=org_b)
    b_profile = await jobs.create_profile(org_b, {"title": "Geheim", "positions": 1}, [],
                                          "test")
    a_profile = await jobs.create_profile(org_a, {"title": "Eigen", "positions": 1}, [],
                                          "test")
    a = await contact_signed_in(org_a, "a@alfa.example.nl")
    token = {"_csrf_token": a["X-CSRFToken"]}
    assert "Geheim" not in (await client.get("/employer/jobs", headers=a)).text
    assert (await client.get(f"/employer/jobs/{b_profile}", headers=a)).status_code == 404
    for path in (f"/employer/jobs/{b_profile}", f"/employer/jobs/{b_profile}/archive",
                 f"/employer/jobs/{b_profile}/use"):
        r = await post(client, path, a, {**form(a, title="Overgenomen"), "event": "alleen-b"})
        assert r.status_code == 404, path
    # its own profile at B's event: not taking part
    r = await post(client, f"/employer/jobs/{a_profile}/use?lang=en", a,
                   {"event": "alleen-b", **token})
    assert r.status_code == 409 and "does not take part" in r.text
    # the API: B's organisation is "not found" for A's contact
    api = f"/api/v1/organisations/{org_b}/job-profiles"
    assert (await client.get(api, headers=a)).status_code == 404
    assert (await client.post(api, json={"title": "x"}, headers=a)).status_code == 404
    assert (await client.patch(f"{api}/{b_profile}", json={"title": "x"},
                               headers=a)).status_code == 404
    assert (await client.patch(f"/api/v1/organisations/{org_a}/job-profiles/{b_profile}",
                               json={"title": "x"}, headers=a)).status_code == 404
    assert (await jobs.get_profile(org_b, b_profile))["title"] == "Geheim"
    assert not (await jobs.get_profile(org_b, b_profile))["archived"]
    assert await current_engine().fetch("SELECT id FROM vacancy") == []


async def test_api_for_contacts_and_organisers(client, db):
    org = await organisation("Café de Zon")
    event = await future_event()
    employer = await add_employer(event, name="Café de Zon", organisation_id=org)
    code = await some_code()
    contact = await contact_signed_in(org)
    base = f"/api/v1/organisations/{org}/job-profiles"
    r = await client.post(base, headers=contact, json={
        "title": "Afwasser", "postcode": "9712", "hours_per_week": 16,
        "supported_employment": True, "competencies": [{"code": code, "level": 2,
                                                         "required": False}]})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["supported_employment"] and not body["job_carving"]
    assert body["competencies"] == [{"code": code, "level": 2, "required": False}]
    bad = await client.post(base, headers=contact, json={"title": "x", "postcode": "abc"})
    assert bad.status_code == 422 and bad.json()["error"] == "bad_postcode"
    organiser = await bearer(event, "organiser", label="script")
    r = await client.post(f"{base}/{body['id']}/events", headers=organiser,
                          json={"event": event.slug})
    assert r.status_code == 201, r.text
    r = await client.patch(f"{base}/{body['id']}", headers=organiser,
                           json={"job_carving": True, "archived": True})
    assert r.status_code == 200 and r.json()["job_carving"] and r.json()["archived"]
    assert r.json()["used_at"][0]["event"] == event.slug
    listed = await client.get(f"{base}?archived=false", headers=contact)
    assert listed.json() == []
    vacancies = await client.get(f"/api/v1/events/{event.slug}/employers/{employer.id}"
                                 "/vacancies", headers=organiser)
    (v,) = vacancies.json()
    assert v["job_carving"] and v["supported_employment"] and v["job_profile_id"] == body["id"]
    other_event_staff = await signed_in("organiser_staff", [await open_event("elders")])
    r = await client.post(f"{base}/{body['id']}/events", headers=other_event_staff,
                          json={"event": event.slug})
    assert r.status_code == 403
    entries = await current_engine().fetch(
        "SELECT actor, changes FROM audit_entry WHERE action = 'job_profile.created'")
    assert entries[0]["actor"].startswith("contact:")
    assert "description" not in json.loads(entries[0]["changes"])


async def test_back_office_organisation_page_shows_profiles(client, db):
    org = await organisation("Groen Hoveniers")
    await jobs.create_profile(org, {"title": "Hovenier", "positions": 3, "job_carving": True},
                              [], "test")
    admin = await signed_in("organiser_admin")
    page = await client.get(f"/admin/organisations/{org}?lang=nl", headers=admin)
    assert page.status_code == 200
    assert "Hovenier" in page.text and "Jobcarving" in page.text


async def test_vacancy_export_carries_the_flags(client, db):
    org = await organisation("Groen Hoveniers")
    event = await future_event()
    employer = await add_employer(event, name="Groen Hoveniers", organisation_id=org)
    code = await some_code()
    profile_id = await jobs.create_profile(
        org, {"title": "Hovenier", "positions": 3, "job_carving": True,
              "training_on_the_job": True, "hours_per_week": 32},
        [(code, 2, False)], "test")
    await jobs.use_at_event(org, profile_id, event.id, "test")
    await add_vacancy(employer.id, title="=Hand made", competencies=[(code, 3, True)])
    admin = await signed_in("organiser_admin")
    page = await client.get(f"/admin/events/{event.slug}/employers?lang=nl", headers=admin)
    assert f"/api/v1/events/{event.slug}/vacancies.xlsx" in page.text
    r = await client.get(f"/api/v1/events/{event.slug}/vacancies.csv", headers=admin)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[-4:] == ["Jobcarving", "Begeleid werken",
                                        "Leren op de werkvloer", "Functieprofiel (nummer)"]
    assert lines[1].split(";") == ["Groen Hoveniers", "'=Hand made", "", "", "", "1",
                                   f"{code}:3", "Nee", "Nee", "Nee", ""]
    assert lines[2].split(";") == ["Groen Hoveniers", "Hovenier", "", "", "32", "3",
                                   f"{code}:2?", "Ja", "Nee", "Ja", str(profile_id)]
    r = await client.get(f"/api/v1/events/{event.slug}/vacancies.xlsx?lang=en", headers=admin)
    assert r.status_code == 200 and r.content[:2] == b"PK"
    contact = await contact_signed_in(org)
    r = await client.get(f"/api/v1/events/{event.slug}/vacancies.csv", headers=contact)
    assert r.status_code == 403


async def test_the_import_reads_the_flags(client, db):
    from tests.test_employer_import import dutch_csv, upload

    event = await future_event()
    organiser = await bearer(event, "organiser", label="script")
    header = ["naam", "vacature", "Jobcarving", "Begeleid werken", "Leren op de werkvloer"]
    r = await upload(client, event.slug, organiser, dutch_csv(header, [
        ["Bakkerij Zon", "Bakker", "ja", "", "nee"],
        ["Bakkerij Zon", "Verkoper", "misschien", "", ""]]), name="v.csv")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"row": 3, "column": "Jobcarving",
                                   "message": "Write yes or no (or leave empty)."}]
    r = await upload(client, event.slug, organiser, dutch_csv(header, [
        ["Bakkerij Zon", "Bakker", "ja", "", "nee"]]), name="v.csv")
    assert r.status_code == 200, r.text
    (v,) = await current_engine().fetch("SELECT * FROM vacancy")
    assert bool(v["job_carving"]) and not v["supported_employment"]
    assert not v["training_on_the_job"]
    # again: an empty cell keeps, "yes" turns on, "nee" turns off
    r = await upload(client, event.slug, organiser, dutch_csv(header, [
        ["Bakkerij Zon", "Bakker", "", "yes", "nee"]]), name="v.csv")
    assert r.status_code == 200 and r.json()["vacancies_updated"] == 1
    (v,) = await current_engine().fetch("SELECT * FROM vacancy")
    assert bool(v["job_carving"]) and bool(v["supported_employment"])


def test_the_flags_do_not_change_the_score():
    import dataclasses

    from event_ops.matching.engine import VacancyProfile, VisitorProfile, explain

    visitor = VisitorProfile(id=1, competencies={"gen-dutch-b1": 2}, postcode="9711")
    plain = VacancyProfile(id=1, employer_id=1, wanted=[("gen-dutch-b1", 3, True)],
                           postcode="9712", hours_per_week=24)
    flagged = dataclasses.replace(plain, job_carving=True, supported_employment=True,
                                  training_on_the_job=True)
    assert explain(visitor, flagged).as_dict() == explain(visitor, plain).as_dict()
