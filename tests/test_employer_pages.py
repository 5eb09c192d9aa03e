"""The back-office pages for organisations, an event's employers, vacancies and the
spreadsheet import (upload → preview → confirm), as a logged-in organiser uses them."""

from __future__ import annotations

import io
import json
import re

from openpyxl import load_workbook

from event_ops.core.db import current_engine
from tests.helpers import open_event, signed_in
from tests.test_employer_import import HEADER, ROWS, counts, dutch_csv, xlsx


def upload_id(html: str) -> str:
    return re.search(r'name="upload_id" value="([^"]+)"', html).group(1)


async def test_organisations_contacts_and_events(client, db):
    event = await open_event("banendag")
    headers = await signed_in("organiser_admin")
    r = await client.post("/admin/organisations", headers=headers,
                          data={"name": "Zorggroep Noord B.V.", "kvk_number": "1234 5678"})
    assert r.status_code in (302, 303), r.text
    org_page = r.headers["location"].split("?")[0]
    r = await client.post("/admin/organisations", headers=headers,
                          data={"name": "zorggroep noord", "kvk_number": ""})
    assert r.status_code == 200 or r.status_code == 201 or r.status_code == 409
    r = await client.post("/admin/organisations", headers=headers,
                          data={"name": "Ander BV", "kvk_number": "12345678"})
    assert r.status_code == 409 and 'role="alert"' in r.text and "KvK" in r.text
    r = await client.post("/admin/organisations", headers=headers,
                          data={"name": "Derde BV", "kvk_number": "123"})
    assert r.status_code == 422 and "8 cijfers" in r.text
    r = await client.get("/admin/organisations?q=zorg", headers=headers)
    assert "Zorggroep Noord B.V." in r.text and "12345678" in r.text and "Ander BV" not in r.text
    # Edit, a contact person, and the events it took part in.
    r = await client.post(org_page, headers=headers,
                          data={"name": "Zorggroep Noord", "kvk_number": "12345678"})
    assert r.status_code in (302, 303)
    r = await client.post(f"{org_page}/contacts", headers=headers,
                          data={"name": "Anna de Vries", "role": "HR", "email": "anna@zn.nl",
                                "phone": "050 123 4567"})
    assert r.status_code in (302, 303)
    r = await client.post(f"{org_page}/contacts", headers=headers,
                          data={"name": "Bob", "email": "not-an-address"})
    assert r.status_code == 422 and 'href="#contact_email"' in r.text
    # Take part in an event from the organisation's page.
    assert "Meedoen aan een evenement" in (await client.get(org_page, headers=headers)).text
    r = await client.post(f"{org_page}/events", headers=headers,
                          data={"event": "banendag", "stand": "A1", "sector": "care"})
    assert r.status_code in (302, 303), r.text
    # Added by name on the event's page: the known organisation is used, not a new one.
    r = await client.post("/admin/events/banendag/employers", headers=headers,
                          data={"name": "Ander BV", "kvk_number": "", "stand": "A2"})
    assert r.status_code in (302, 303), r.text
    assert len(await current_engine().fetch("SELECT id FROM organisation")) == 2
    page = (await client.get(org_page + "?lang=en", headers=headers)).text
    assert "Anna de Vries" in page and "Took part in" in page and event.name in page
    # The audit log has the change with before → after (no contact person's data).
    entries = await current_engine().fetch(
        "SELECT action, changes FROM audit_entry WHERE subject_type = 'organisation'")
    updated = next(e for e in entries if e["action"] == "organisation.updated")
    assert json.loads(updated["changes"]) == {"name": ["Zorggroep Noord B.V.",
                                                       "Zorggroep Noord"]}
    assert not any("Anna" in str(e["changes"]) for e in entries)


async def test_employers_and_vacancies_in_the_browser_forms(client, db):
    event = await open_event("banendag")
    headers = await signed_in("organiser_staff", [event])
    base = "/admin/events/banendag/employers"
    r = await client.post(base, headers=headers, data={
        "organisation_id": "", "name": "Bouwbedrijf Hoekstra", "kvk_number": "",
        "stand": "B2", "sector": "construction", "contact_email": "hr@hoekstra.example.nl"})
    assert r.status_code in (302, 303), r.text
    employer_url = r.headers["location"].split("?")[0]
    r = await client.post(base, headers=headers, data={"organisation_id": "", "name": ""})
    assert r.status_code == 422 and 'href="#name"' in r.text
    listing = (await client.get(base, headers=headers)).text
    assert "Bouwbedrijf Hoekstra" in listing and "B2" in listing
    r = await client.post(employer_url, headers=headers,
                          data={"stand": "C3", "sector": "technology", "contact_email": ""})
    assert r.status_code in (302, 303)
    # A vacancy with competencies and levels from the taxonomy.
    r = await client.post(f"{employer_url}/vacancies", headers=headers, data={
        "title": "Timmerman", "postcode": "9711 AB", "hours_per_week": "38",
        "positions": "2", "competencies": ["con-carpentry", "gen-vca"],
        "level_con-carpentry": "3", "level_gen-vca": "2", "nice": ["gen-vca"]})
    assert r.status_code in (302, 303), r.text
    [vacancy] = await current_engine().fetch("SELECT id, postcode, hours_per_week, positions"
                                             " FROM vacancy")
    assert (vacancy["postcode"], vacancy["hours_per_week"], vacancy["positions"]) == (
        "9711", 38, 2)
    skills = await current_engine().fetch(
        "SELECT code, level, required FROM vacancy_competency ORDER BY code")
    assert [(s["code"], s["level"], bool(s["required"])) for s in skills] == [
        ("con-carpentry", 3, True), ("gen-vca", 2, False)]
    r = await client.post(f"{employer_url}/vacancies", headers=headers,
                          data={"title": "Kok", "postcode": "Groningen"})
    assert r.status_code == 422 and 'href="#v_postcode"' in r.text
    assert 'value="Kok"' in r.text  # what was typed stays
    page = (await client.get(employer_url, headers=headers)).text
    assert "Timmerman" in page and 'value="C3"' in page
    # Edit the vacancy: other level, one skill less.
    r = await client.post(f"{employer_url}/vacancies/{vacancy['id']}", headers=headers, data={
        "title": "Timmerman", "postcode": "9711", "hours_per_week": "40", "positions": "2",
        "competencies": ["con-carpentry"], "level_con-carpentry": "4"})
    assert r.status_code in (302, 303)
    skills = await current_engine().fetch("SELECT code, level FROM vacancy_competency")
    assert [(s["code"], s["level"]) for s in skills] == [("con-carpentry", 4)]
    r = await client.post(f"{employer_url}/vacancies/{vacancy['id']}/remove", headers=headers)
    assert r.status_code in (302, 303)
    r = await client.post(f"{employer_url}/remove", headers=headers)
    assert r.status_code in (302, 303)
    assert (await counts())[:2] == (0, 0)
    actions = {e["action"] for e in await current_engine().fetch(
        "SELECT action FROM audit_entry")}
    assert {"employer.created", "employer.updated", "vacancy.created", "vacancy.updated",
            "vacancy.removed", "employer.removed"} <= actions


async def test_pages_need_a_login_and_the_right_event(client, db):
    await open_event("banendag")
    other = await open_event("elders")
    r = await client.get("/admin/events/banendag/employers")
    assert r.status_code in (302, 303) and "/login" in r.headers["location"]
    headers = await signed_in("organiser_staff", [other])
    r = await client.get("/admin/events/banendag/employers", headers=headers)
    assert r.status_code == 403
    coach = await signed_in("job_coach", [other])
    assert (await client.get("/admin/organisations", headers=coach)).status_code == 403
    # Ids past 32 bits are refused before they reach the database (asyncpg overflows).
    admin = await signed_in("organiser_admin")
    for path in ("/admin/organisations/99999999999",
                 "/admin/events/banendag/employers/99999999999"):
        assert (await client.get(path, headers=admin)).status_code == 400
    assert (await client.get("/admin/organisations/12345", headers=admin)).status_code == 404


async def test_import_preview_then_confirm(client, db):
    await open_event("banendag")
    headers = await signed_in("organiser_admin")
    page = "/admin/events/banendag/employers/import"
    assert "werkgevers-sjabloon" not in (await client.get(page, headers=headers)).text
    # A broken row: the preview names row and column, nothing is kept or stored.
    rows = [list(r) for r in ROWS]
    rows[1][2] = "zorgen"
    r = await client.post(page, headers=headers,
                          files={"file": ("w.xlsx", xlsx(HEADER, rows), "application/octet")})
    assert r.status_code == 422
    problems = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", r.text)
    assert [(row, column) for row, column, _ in problems] == [("3", "sector")]
    assert "zorgen" in problems[0][2] and "upload_id" not in r.text
    assert await counts() == (0, 0, 0, 0)
    # A good sheet (Dutch Excel CSV): the preview says what will happen, stores nothing.
    r = await client.post(page, headers=headers,
                          files={"file": ("w.csv", dutch_csv(HEADER, ROWS), "text/csv")})
    assert r.status_code == 200, r.text
    assert "2 nieuwe en 0 bestaande werkgevers, 3" in r.text
    assert await counts() == (0, 0, 0, 0)
    kept = upload_id(r.text)
    # Another session cannot use this upload.
    other = await signed_in("organiser_admin")
    r = await client.post(f"{page}/confirm", headers=other, data={"upload_id": kept})
    assert r.status_code == 410
    r = await client.post(f"{page}/confirm", headers=headers, data={"upload_id": kept})
    assert r.status_code in (302, 303)
    assert await counts() == (2, 3, 4, 2)
    listing = (await client.get(r.headers["location"], headers=headers)).text
    assert "Opgeslagen: 2 nieuwe en 0 bijgewerkte werkgevers" in listing
    # Used once: the same id again is refused; the same sheet again is an update.
    r = await client.post(f"{page}/confirm", headers=headers, data={"upload_id": kept})
    assert r.status_code == 410
    changed = [list(r) for r in ROWS]
    changed[0][1] = changed[1][1] = "A09"
    r = await client.post(page, headers=headers,
                          files={"file": ("w.xlsx", xlsx(HEADER, changed), "application/x")})
    assert "0 nieuwe en 2 bestaande werkgevers" in r.text and "A01 → A09" in r.text


async def test_import_page_file_problems_and_templates(client, db):
    await open_event("banendag")
    headers = await signed_in("organiser_admin")
    page = "/admin/events/banendag/employers/import"
    r = await client.post(page, headers=headers,
                          files={"file": ("x.pdf", b"%PDF\x00\x00", "application/pdf")})
    assert r.status_code == 422 and "Dit is geen CSV- of XLSX-bestand" in r.text
    r = await client.post(page + "?lang=en", headers=headers,
                          files={"file": ("e.csv", b"", "text/csv")})
    assert r.status_code == 422 and "The file is empty." in r.text
    xlsx_template = await client.get("/admin/events/banendag/employers/template.xlsx",
                                     headers=headers)
    assert xlsx_template.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_template.content)).active
    assert [c.value for c in sheet[1]][:8] == HEADER
    csv_template = await client.get("/admin/events/banendag/employers/template.csv",
                                    headers=headers)
    assert csv_template.content.startswith(b"\xef\xbb\xbfname;stand;sector;")
    # The template itself imports without problems.
    r = await client.post(page, headers=headers,
                          files={"file": ("t.xlsx", xlsx_template.content, "application/x")})
    assert r.status_code == 200 and "upload_id" in r.text
