"""The employers spreadsheet import over the API (contract v1.1): all or nothing with row and
column named, XLSX and Dutch-Excel CSV, the same sheet again updates, two imports at once
do not duplicate; and the employers and vacancies API with its audit trail."""

from __future__ import annotations

import asyncio
import io
import json

from openpyxl import Workbook

from event_ops.core.db import current_engine
from event_ops.employers import spreadsheet
from event_ops.texts import employers as employer_texts
from tests.helpers import bearer, open_event, signed_in

URL = "/api/v1/events/{slug}/employers/import"
HEADER = ["name", "stand", "sector", "email", "vacancy_title", "vacancy_postcode",
          "vacancy_positions", "skills"]
ROWS = [
    ["Zorggroep Noord", "A01", "care", "vacatures@zorggroep-noord.example.nl",
     "Verzorgende IG", "9401 AB", "3", "car-medication:3;gen-dutch-b1"],
    ["Zorggroep Noord", "A01", "care", "", "Helpende", "9401", "2", "car-personal-care"],
    ["Bouwbedrijf Hoekstra B.V.", "B02", "construction", "hr@hoekstra.example.nl",
     "Timmerman", "9711", "1", "con-carpentry"],
]


def xlsx(header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dutch_csv(header: list[str], rows: list[list]) -> bytes:
    """What Excel with Dutch settings saves: ';' between cells, a BOM, CRLF; a cell with
    ';' in it is quoted."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


async def upload(client, slug, headers, content: bytes, name="employers.xlsx",
                 dry_run=False):
    params = {"dry_run": "true"} if dry_run else {}
    return await client.post(URL.format(slug=slug), headers=headers, params=params,
                             files={"file": (name, content, "application/octet-stream")})


async def counts() -> tuple[int, int, int, int]:
    db = current_engine()
    return tuple([(await db.fetch(f"SELECT COUNT(*) AS n FROM {table}"))[0]["n"]
                  for table in ("employer", "vacancy", "vacancy_competency", "organisation")])


async def test_xlsx_import_stores_employers_vacancies_and_skills_then_updates(client, db):
    event = await open_event("banendag")
    headers = await bearer(event, "organiser")
    r = await upload(client, "banendag", headers, xlsx(HEADER, ROWS))
    assert r.status_code == 200, r.text
    assert r.json() == {"employers_created": 2, "employers_updated": 0, "vacancies_created": 3,
                        "vacancies_updated": 0, "errors": []}
    assert await counts() == (2, 3, 4, 2)
    listed = (await client.get("/api/v1/events/banendag/employers", headers=headers)).json()
    zorg = next(e for e in listed if e["name"] == "Zorggroep Noord")
    assert (zorg["stand"], zorg["sector"], zorg["vacancies"]) == ("A01", "care", 2)
    vacancies = (await client.get(f"/api/v1/events/banendag/employers/{zorg['id']}/vacancies",
                                  headers=headers)).json()
    ig = next(v for v in vacancies if v["title"] == "Verzorgende IG")
    assert ig["postcode"] == "9401" and ig["positions"] == 3
    assert {(c["code"], c["level"]) for c in ig["competencies"]} >= {("car-medication", 3)}

    # The same sheet again: nothing new; a changed stand and positions are updated.
    again = await upload(client, "banendag", headers, xlsx(HEADER, ROWS))
    assert again.json()["employers_created"] == 0 and again.json()["vacancies_created"] == 0
    assert again.json()["employers_updated"] == 2
    assert await counts() == (2, 3, 4, 2)
    changed = [list(row) for row in ROWS]
    changed[2][1], changed[2][6] = "C07", "4"
    r = await upload(client, "banendag", headers, xlsx(HEADER, changed))
    assert r.status_code == 200 and r.json()["vacancies_created"] == 0
    [row] = await current_engine().fetch(
        "SELECT s.label, v.positions FROM employer e JOIN stand s ON s.id = e.stand"
        " JOIN vacancy v ON v.employer = e.id WHERE e.name = 'Bouwbedrijf Hoekstra B.V.'")
    assert row == {"label": "C07", "positions": 4}
    # Audited with before → after.
    [entry] = await current_engine().fetch(
        "SELECT changes FROM audit_entry WHERE action = 'employer.updated'")
    assert json.loads(entry["changes"]) == {"stand": ["B02", "C07"]}


async def test_a_broken_row_stores_nothing_and_names_row_and_column(client, db):
    event = await open_event("banendag")
    headers = await bearer(event, "organiser")
    rows = [list(row) for row in ROWS]
    rows[1][5] = "Groningen"  # row 3 in Excel: not a postcode
    rows[2][7] = "con-carpentry;no-such-skill"  # row 4: unknown skill
    for dry_run in (True, False):
        r = await upload(client, "banendag", headers, xlsx(HEADER, rows), dry_run=dry_run)
        assert r.status_code == 422
        errors = r.json()["errors"]
        assert {(e["row"], e["column"]) for e in errors} == {
            (3, "vacancy_postcode"), (4, "skills")}
        assert all(e["message"] for e in errors)
        assert "no-such-skill" in next(e["message"] for e in errors if e["row"] == 4)
    assert await counts() == (0, 0, 0, 0)


async def test_dry_run_counts_and_stores_nothing(client, db):
    event = await open_event("banendag")
    headers = await bearer(event, "organiser")
    r = await upload(client, "banendag", headers, xlsx(HEADER, ROWS), dry_run=True)
    assert r.status_code == 200
    assert r.json()["employers_created"] == 2 and r.json()["vacancies_created"] == 3
    assert await counts() == (0, 0, 0, 0)


async def test_dutch_excel_csv_with_semicolons_bom_and_levels(client, db):
    event = await open_event("banendag")
    headers = await bearer(event, "organiser")
    header = [*HEADER, "kvk", "vacancy_hours"]
    rows = [[*ROWS[0], "12 34 56 78", "32"], [*ROWS[2], "", "40"]]
    r = await upload(client, "banendag", headers, dutch_csv(header, rows), name="w.csv")
    assert r.status_code == 200, r.text
    db = current_engine()
    [org] = await db.fetch("SELECT kvk_number FROM organisation WHERE name = 'Zorggroep Noord'")
    assert org["kvk_number"] == "12345678"
    hours = {r["hours_per_week"] for r in await db.fetch("SELECT hours_per_week FROM vacancy")}
    assert hours == {32, 40}
    # A comma CSV of the same sheet finds the same employers (KvK or name as the key).
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    r = await upload(client, "banendag", headers, out.getvalue().encode(), name="w.csv")
    assert r.json()["employers_created"] == 0 and r.json()["employers_updated"] == 2


async def test_file_problems_are_plain(client, db):
    event = await open_event("banendag")
    headers = await bearer(event, "organiser")
    r = await upload(client, "banendag", headers, b"", name="empty.csv")
    assert r.status_code == 422 and r.json()["error"] == "import_empty"
    r = await upload(client, "banendag", headers, b"%PDF-1.4\x00\x01\x02", name="x.pdf")
    assert r.status_code == 422 and r.json()["error"] == "import_not_spreadsheet"
    r = await upload(client, "banendag", headers, b"PK\x03\x04broken", name="x.xlsx")
    assert r.status_code == 422 and r.json()["error"] == "import_not_spreadsheet"
    r = await upload(client, "banendag", headers,
                     dutch_csv(["naam", "stand", "colour"], [["X BV", "A1", "blue"]]))
    assert r.status_code == 422
    assert r.json()["errors"][0]["row"] == 1 and r.json()["errors"][0]["column"] == "colour"
    too_many = dutch_csv(["name"], [[f"Firm {i}"] for i in range(spreadsheet.MAX_ROWS + 1)])
    r = await upload(client, "banendag", headers, too_many, name="many.csv")
    assert r.status_code == 422 and r.json()["error"] == "import_too_many_rows"
    r = await client.post(URL.format(slug="banendag"), headers=headers, data={"x": "1"})
    assert r.status_code == 422 and r.json()["error"] == "import_no_file"
    r = await upload(client, "banendag", headers, b"a" * (spreadsheet.MAX_BYTES + 10))
    assert r.status_code == 413
    assert await counts() == (0, 0, 0, 0)
    # The texts name the same limits as the reader.
    assert employer_texts.MAX_ROWS == spreadsheet.MAX_ROWS
    assert employer_texts._MB * 1024 * 1024 == spreadsheet.MAX_BYTES


async def test_two_imports_of_the_same_sheet_at_once_do_not_duplicate(client, db):
    event = await open_event("banendag")
    headers = await bearer(event, "organiser")
    content = xlsx(HEADER, ROWS)
    first, second = await asyncio.gather(upload(client, "banendag", headers, content),
                                         upload(client, "banendag", headers, content))
    assert first.status_code == second.status_code == 200
    assert sorted([first.json()["employers_created"], second.json()["employers_created"]]) == [
        0, 2]
    assert await counts() == (2, 3, 4, 2)


async def test_the_same_organisation_across_events(client, db):
    one, two = await open_event("dag-een"), await open_event("dag-twee")
    for event in (one, two):
        r = await upload(client, event.slug, await bearer(event, "organiser"),
                         xlsx(HEADER, ROWS))
        assert r.status_code == 200
    employers, _, _, organisations = await counts()
    assert (employers, organisations) == (4, 2)


async def test_employers_and_vacancies_api(client, db):
    event = await open_event("banendag")
    other = await open_event("elders")
    headers = await signed_in("organiser_staff", [event])
    r = await client.post("/api/v1/events/banendag/employers", headers=headers,
                          json={"name": "Café de Zon", "stand": "H1", "sector": "hospitality",
                                "kvk_number": "87654321"})
    assert r.status_code == 201, r.text
    employer = r.json()
    assert employer["kvk_number"] == "87654321" and employer["stand"] == "H1"
    r = await client.post("/api/v1/events/banendag/employers", headers=headers,
                          json={"name": "Cafe de Zon B.V."})  # the same organisation
    assert r.status_code == 409 and r.json()["error"] == "employer_exists"
    r = await client.patch(f"/api/v1/events/banendag/employers/{employer['id']}",
                           headers=headers, json={"stand": "H2"})
    assert r.status_code == 200 and r.json()["stand"] == "H2"
    r = await client.patch(f"/api/v1/events/banendag/employers/{employer['id']}",
                           headers=headers, json={"sector": "nonsense"})
    assert r.status_code == 422 and r.json()["error"] == "sector_unknown"
    base = f"/api/v1/events/banendag/employers/{employer['id']}/vacancies"
    r = await client.post(base, headers=headers, json={
        "title": "Kok", "postcode": "9711 AB", "hours_per_week": 36, "positions": 2,
        "competencies": [{"code": "gen-dutch-b1", "level": 2},
                         {"code": "gen-english", "required": False}]})
    assert r.status_code == 201, r.text
    vacancy = r.json()
    assert vacancy["postcode"] == "9711" and len(vacancy["competencies"]) == 2
    r = await client.patch(f"{base}/{vacancy['id']}", headers=headers,
                           json={"positions": 3, "competencies": [{"code": "gen-dutch-b2"}]})
    assert r.status_code == 200
    assert r.json()["positions"] == 3 and [c["code"] for c in r.json()["competencies"]] == [
        "gen-dutch-b2"]
    r = await client.post(base, headers=headers, json={"title": "X", "competencies": [
        {"code": "nope"}]})
    assert r.status_code == 422 and r.json()["error"] == "bad_vacancy"
    # Another event's organiser may not; an id of another event is not found here.
    r = await client.get("/api/v1/events/elders/employers", headers=await bearer(other,
                                                                                    "organiser"))
    assert r.json() == []
    r = await client.get(f"/api/v1/events/elders/employers/{employer['id']}/vacancies",
                         headers=await bearer(other, "organiser"))
    assert r.status_code == 404
    actions = [r["action"] for r in await current_engine().fetch(
        "SELECT action FROM audit_entry ORDER BY id")]
    assert actions.count("employer.created") == 1 and "vacancy.updated" in actions
    assert "employer.updated" in actions and "organisation.created" in actions
    r = await client.delete(f"/api/v1/events/banendag/employers/{employer['id']}",
                            headers=headers)
    assert r.status_code == 204
    assert await counts() == (0, 0, 0, 1)  # the organisation stays


def test_name_key_and_template():
    from event_ops.employers.organisations import name_key

    assert name_key("Bouwbedrijf Hoekstra B.V.") == name_key("bouwbedrijf  hoekstra bv")
    assert name_key("Café de Zon") == "cafe de zon"
    sheet = spreadsheet.read_sheet(spreadsheet.template_xlsx())
    assert not sheet.problems and len(sheet.rows) == len(spreadsheet.TEMPLATE_ROWS)
    csv_sheet = spreadsheet.read_sheet(spreadsheet.template_csv())
    assert [r for _, r in csv_sheet.rows] == [r for _, r in sheet.rows]


async def test_migration_gives_existing_employers_an_organisation(db):
    """Employers stored before organisations existed get one per distinct name (the same
    firm at two events shares it); running the step again changes nothing."""
    import importlib

    from event_ops import clock

    one, two = await open_event("dag-een"), await open_event("dag-twee")
    engine = current_engine()
    for event, name in ((one, "Zorg B.V."), (two, "zorg bv"), (two, "Bouw Noord")):
        await engine.fetch("INSERT INTO employer (event, name, sector, is_training_provider,"
                           " contact_email, created_at) VALUES (?, ?, '', ?, '', ?)",
                           [event.id, name, False, clock.now()])
    step = importlib.import_module("migrations.event_ops_2026_12_06t08_37_46_000000")
    for _ in range(2):
        manager = await step.forwards()
        for run in manager.raw:
            await run()
    rows = await engine.fetch("SELECT e.name, o.name AS organisation FROM employer e"
                              " JOIN organisation o ON o.id = e.organisation ORDER BY e.id")
    assert [r["organisation"] for r in rows] == ["Zorg B.V.", "Zorg B.V.", "Bouw Noord"]
    assert len(await engine.fetch("SELECT id FROM organisation")) == 2


async def test_a_copied_event_keeps_its_employers_organisations(client, db):
    """Copying an event with its employers (event_ops/employers/copying.py) keeps each
    employer's organisation: the organisation then took part in both events, and importing
    the same sheet into the copy updates instead of duplicating."""
    from event_ops.employers.copying import copy_employers
    from event_ops.employers.organisations import organisation_events

    one, two = await open_event("dag-een"), await open_event("dag-twee")
    r = await upload(client, "dag-een", await bearer(one, "organiser"), xlsx(HEADER, ROWS))
    assert r.status_code == 200
    async with current_engine().transaction():
        await copy_employers(one.id, two.id)
    [org] = await current_engine().fetch(
        "SELECT id FROM organisation WHERE name = 'Zorggroep Noord'")
    assert {e["slug"] for e in await organisation_events(org["id"])} == {"dag-een", "dag-twee"}
    r = await upload(client, "dag-twee", await bearer(two, "organiser"), xlsx(HEADER, ROWS))
    assert r.json()["employers_created"] == 0 and r.json()["vacancies_created"] == 0
