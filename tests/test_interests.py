"""Employer tablets: logging interest, consent field by field, isolation between employers."""

from __future__ import annotations

import json

import pytest

from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer
from event_ops.interests.service import visitor_says_interested
from event_ops.people.registration import RegistrationInput, register
from tests.helpers import badge, bearer, open_event, visitor

URL = "/api/v1/events/festival-today/interests"


@pytest.fixture
async def setup(db, client):
    event = await open_event()
    a = await add_employer(event, name="Zorggroep Noord", stand_label="A1", sector="care")
    b = await add_employer(event, name="Bouw BV", stand_label="B1", sector="construction")
    door = await bearer(event)
    tablet_a = await bearer(event, "employer", label="Tablet A", employer_id=a.id)
    tablet_b = await bearer(event, "employer", label="Tablet B", employer_id=b.id)
    open_v = await visitor(event, 1, name="Eva Mulder", share=True)
    private_v = await visitor(event, 2, name="Yonas Tesfay", share=False)
    tokens = {}
    for key, v in (("open", open_v), ("private", private_v)):
        tokens[key] = await badge(event, v.registration_id)
        r = await client.post("/api/v1/events/festival-today/checkins", headers=door,
                              json={"token": tokens[key]})
        assert r.json()["status"] == "ok"
    return {"event": event, "a": a, "b": b, "tablet_a": tablet_a, "tablet_b": tablet_b,
            "tokens": tokens, "open": open_v, "private": private_v}


async def test_consenting_visitor_card_shows_contact(client, setup):
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["open"], "level": "direct", "note": "Sterk", "rating": 5})
    assert r.status_code == 201, r.text
    card = r.json()["visitor"]
    assert card["name"] == "Eva Mulder" and card["email"] == "v1@example.nl"
    assert card["consented"] is True


async def test_non_consenting_visitor_never_reaches_an_employer(client, setup):
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["private"], "level": "follow_up"})
    assert r.status_code == 201
    card = r.json()["visitor"]
    assert card["first_name"] == "Yonas"
    for field in ("name", "email", "phone", "postcode"):
        assert field not in card
    listing = (await client.get(URL, headers=setup["tablet_a"])).json()
    assert listing[0]["name"] is None and listing[0]["email"] is None
    export = await client.get(URL + ".csv", headers=setup["tablet_a"])
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    assert "Yonas" in text
    assert "Tesfay" not in text and "v2@example.nl" not in text
    audit = await current_engine().fetch(
        "SELECT fields FROM audit_entry WHERE action = 'profile.viewed'")
    assert "email" not in audit[0]["fields"]


async def test_rescan_updates_instead_of_duplicating(client, setup):
    first = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["open"], "level": "info"})
    again = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["open"], "level": "direct", "note": "Toch wel!"})
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["created"] is True and again.json()["created"] is False
    rows = await current_engine().fetch("SELECT level, note FROM interest")
    assert rows == [{"level": "direct", "note": "Toch wel!"}]


async def test_employers_cannot_see_or_undo_each_others_entries(client, setup):
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["open"], "level": "direct"})
    interest_id = r.json()["id"]
    assert (await client.get(URL, headers=setup["tablet_b"])).json() == []
    r = await client.post(URL + "/undo", headers=setup["tablet_b"],
                          json={"interest_id": interest_id})
    assert r.status_code == 409
    r = await client.post(URL + "/undo", headers=setup["tablet_a"],
                          json={"interest_id": interest_id})
    assert r.status_code == 200
    assert await current_engine().fetch("SELECT id FROM interest") == []


async def test_refusals(client, setup):
    other = await open_event("other-event")
    stranger = await visitor(other, 9)
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": await badge(other, stranger.registration_id), "level": "direct"})
    assert r.status_code == 403 and r.json()["error"] == "wrong_event"
    late = await visitor(setup["event"], 3, name="Not Yet")
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": await badge(setup["event"], late.registration_id), "level": "direct"})
    assert r.status_code == 409 and r.json()["error"] == "not_checked_in"
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["open"], "level": "marry"})
    assert r.status_code == 422
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["open"], "level": "direct", "rating": 6})
    assert r.status_code == 422
    door = await bearer(setup["event"])
    r = await client.post(URL, headers=door, json={
        "token": setup["tokens"]["open"], "level": "direct"})
    assert r.status_code == 403
    other_tablet = await bearer(other, "employer", employer_id=(
        await add_employer(other, name="X")).id)
    r = await client.post(URL, headers=other_tablet, json={
        "token": setup["tokens"]["open"], "level": "direct"})
    assert r.status_code == 403


async def test_mutual_match(client, setup):
    event, a = setup["event"], setup["a"]
    reg = setup["open"].registration_id
    assert await visitor_says_interested(event.id, reg, a.id) is False
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["open"], "level": "follow_up"})
    assert r.json()["visitor"]["mutual"] is True


async def test_visitor_scans_stand_qr_on_own_phone_and_mutual_is_flagged(client, setup, settings):
    from app.pages.stand import stand_url
    from event_ops.mail.render import visitor_page_url

    me = visitor_page_url(settings, setup["open"].visitor_id, 1).removeprefix(
        "http://127.0.0.1:8000")
    stand = stand_url(settings, setup["a"].id).removeprefix("http://127.0.0.1:8000")
    fresh = await client.get(stand)
    assert "Open eerst op deze telefoon de link" in fresh.text
    assert (await client.get(me)).status_code == 200  # remembers the visitor on this phone
    page = await client.get(stand)
    assert "Ja, ik heb interesse" in page.text
    csrf = client.cookies.get("csrftoken")
    r = await client.post(stand, headers={"x-csrftoken": csrf})
    assert r.status_code == 201 or r.status_code == 200
    assert "data-mutual" not in r.text
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": setup["tokens"]["open"], "level": "direct"})
    assert r.json()["visitor"]["mutual"] is True
    listing = (await client.get(URL, headers=setup["tablet_a"])).json()
    assert listing[0]["mutual"] is True
    r = await client.post(stand, headers={"x-csrftoken": csrf})
    assert "data-mutual" in r.text
    r = await client.post(stand)  # no CSRF token
    assert r.status_code == 403
    qr = await client.get("/api/v1/events/festival-today/stand-qr.png",
                          headers=setup["tablet_a"])
    assert qr.headers["content-type"] == "image/png"


# ---- the read-only card a tablet opens on a scan ------------------------------------------

CARD = URL + "/card"


async def audit_views() -> list[dict]:
    rows = await current_engine().fetch(
        "SELECT actor, subject_type, subject_id, fields FROM audit_entry"
        " WHERE action = 'profile.viewed' ORDER BY id")
    return [{**r, "fields": json.loads(r["fields"]) if isinstance(r["fields"], str)
             else r["fields"]} for r in rows]


async def token_actor(label: str) -> str:
    rows = await current_engine().fetch("SELECT id FROM access_token WHERE label = ?", [label])
    return f"token:{rows[0]['id']}"


@pytest.fixture
async def full_profiles(setup, client):
    """Two checked-in visitors with phone, postcode and skills (one shares, one does not),
    and a vacancy at stand A that asks for two of those skills."""
    event, db = setup["event"], current_engine()
    vacancy = (await db.fetch(
        "INSERT INTO vacancy (employer, title, description, sector, positions)"
        " VALUES (?, 'Helpende zorg', '', 'care', 1) RETURNING id", [setup["a"].id]))[0]["id"]
    for code, level, required in (("car-personal-care", 2, True), ("car-hygiene", 1, True),
                                  ("car-lifting", 2, False)):
        await db.fetch("INSERT INTO vacancy_competency (vacancy, code, level, required)"
                       " VALUES (?, ?, ?, ?)", [vacancy, code, level, required])
    door = await bearer(event, label="Door South")
    people = {}
    for n, key, name, share in ((4, "sharer", "Lotte de Vries", True),
                                (5, "keeper", "Ahmed El Amrani", False)):
        outcome = await register(event, RegistrationInput(
            name=name, email=f"v{n}@example.nl", phone=f"06 1234567{n}", postcode="9711 AB",
            consent_terms=True, consent_share_profile=share, sectors=["care"],
            education_level="mbo2",
            competencies=["car-personal-care", "car-hygiene", "car-companionship"],
            competency_levels={"car-personal-care": 3, "car-hygiene": 2,
                               "car-companionship": 1}))
        token = await badge(event, outcome.registration_id)
        r = await client.post("/api/v1/events/festival-today/checkins", headers=door,
                              json={"token": token})
        assert r.json()["status"] == "ok"
        people[key] = {"token": token, "registration_id": outcome.registration_id}
    return {**setup, **people, "vacancy": vacancy}


async def test_card_saves_nothing_and_logs_the_view(client, full_profiles):
    s = full_profiles
    r = await client.post(CARD + "?lang=en", headers=s["tablet_a"],
                          json={"token": s["sharer"]["token"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["entry"] is None
    card = body["visitor"]
    assert card["registration_id"] == s["sharer"]["registration_id"]
    assert card["first_name"] == "Lotte" and card["name"] == "Lotte de Vries"
    assert [(c["code"], c["name"], c["level"]) for c in card["competencies"]] == [
        ("car-personal-care", "Personal care", 3), ("car-hygiene", "Hygiene in care", 2),
        ("car-companionship", "Companionship", 1)]
    assert card["education_level"] == "mbo2"
    assert card["best_match"] == {"vacancy_id": s["vacancy"], "title": "Helpende zorg",
                                  "score": 80, "matched": ["car-personal-care", "car-hygiene"]}
    assert "mutual" not in card  # left out when false, as in the interest answer
    # Nothing stored: no entry, no match for follow-up.
    assert await current_engine().fetch("SELECT id FROM interest") == []
    assert await current_engine().fetch('SELECT id FROM "match"') == []
    # … except who saw which fields of whom, when.
    assert await audit_views() == [{
        "actor": await token_actor("Tablet A"), "subject_type": "registration",
        "subject_id": s["sharer"]["registration_id"],
        "fields": ["first_name", "competencies", "education_level", "name", "email", "phone",
                   "postcode"]}]
    at = await current_engine().fetch(
        "SELECT at FROM audit_entry WHERE action = 'profile.viewed'")
    assert at[0]["at"] is not None


async def test_card_respects_consent_field_by_field(client, full_profiles):
    s = full_profiles
    shared = (await client.post(CARD, headers=s["tablet_a"],
                                json={"token": s["sharer"]["token"]})).json()["visitor"]
    assert (shared["name"], shared["email"], shared["phone"], shared["postcode"]) == (
        "Lotte de Vries", "v4@example.nl", "+31612345674", "9711 AB")
    assert shared["consented"] is True

    r = await client.post(CARD, headers=s["tablet_a"], json={"token": s["keeper"]["token"]})
    assert r.status_code == 200
    private = r.json()["visitor"]
    assert private["consented"] is False and private["first_name"] == "Ahmed"
    for field in ("name", "email", "phone", "postcode"):
        assert field not in private, field
    assert "El Amrani" not in r.text and "v5@example.nl" not in r.text
    assert "12345675" not in r.text and "9711" not in r.text
    # What is not for the employer to know stays; skills and the match are shown to all.
    assert len(private["competencies"]) == 3 and private["best_match"]["score"] == 80
    assert (await audit_views())[-1]["fields"] == [
        "first_name", "competencies", "education_level"]


async def test_card_shows_this_stands_entry_only(client, full_profiles):
    s = full_profiles
    token = s["sharer"]["token"]
    saved = await client.post(URL, headers=s["tablet_a"], json={
        "token": token, "level": "follow_up", "note": "Bellen", "rating": 4,
        "vacancy_id": s["vacancy"]})
    assert saved.status_code == 201
    mine = (await client.post(CARD, headers=s["tablet_a"], json={"token": token})).json()
    assert mine["entry"] == {"id": saved.json()["id"], "level": "follow_up", "note": "Bellen",
                             "rating": 4, "vacancy_id": s["vacancy"]}
    theirs = await client.post(CARD, headers=s["tablet_b"], json={"token": token})
    assert theirs.status_code == 200
    assert theirs.json()["entry"] is None
    assert "Bellen" not in theirs.text
    # Opening the card changed nothing of the saved entry.
    rows = await current_engine().fetch("SELECT level, note, rating FROM interest")
    assert rows == [{"level": "follow_up", "note": "Bellen", "rating": 4}]


async def test_card_shows_mutual(client, full_profiles):
    s = full_profiles
    reg = s["sharer"]["registration_id"]
    await visitor_says_interested(s["event"].id, reg, s["a"].id)
    await client.post(URL, headers=s["tablet_a"], json={
        "token": s["sharer"]["token"], "level": "direct"})
    card = (await client.post(CARD, headers=s["tablet_a"],
                              json={"token": s["sharer"]["token"]})).json()["visitor"]
    assert card["mutual"] is True


async def test_card_refusals_store_and_show_nothing(client, setup):
    event = setup["event"]
    late = await visitor(event, 3, name="Not Yet")
    r = await client.post(CARD, headers=setup["tablet_a"],
                          json={"token": await badge(event, late.registration_id)})
    assert r.status_code == 409 and r.json()["error"] == "not_checked_in"
    assert "Yet" not in r.text

    other = await open_event("other-event")
    stranger = await visitor(other, 9)
    r = await client.post(CARD, headers=setup["tablet_a"],
                          json={"token": await badge(other, stranger.registration_id)})
    assert r.status_code == 403 and r.json()["error"] == "wrong_event"

    reg = setup["open"].registration_id
    door = await bearer(event, label="Info desk")
    assert (await client.post(f"/api/v1/events/festival-today/registrations/{reg}/reissue",
                              headers=door)).status_code == 200
    r = await client.post(CARD, headers=setup["tablet_a"],
                          json={"token": setup["tokens"]["open"]})
    assert r.status_code == 410 and r.json()["error"] == "revoked"

    r = await client.post(CARD, headers=setup["tablet_a"], json={"token": "EO1." + "A" * 100})
    assert r.status_code == 422 and r.json()["error"] == "invalid"
    r = await client.post(CARD, headers=setup["tablet_a"], json={})
    assert r.status_code == 400
    r = await client.post(CARD, headers=await bearer(event),
                          json={"token": setup["tokens"]["private"]})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"

    assert await current_engine().fetch("SELECT id FROM interest") == []
    assert await audit_views() == []


async def test_employer_export_defuses_spreadsheet_formulas_and_comes_as_xlsx(client, setup):
    """A visitor types their own name; in the employer's spreadsheet it must stay text."""
    event = setup["event"]
    evil = await visitor(event, 3, name='=HYPERLINK("http://evil.example","Klik") Jansen')
    door = await bearer(event, label="Door South")
    token = await badge(event, evil.registration_id)
    await client.post("/api/v1/events/festival-today/checkins", headers=door,
                      json={"token": token})
    r = await client.post(URL, headers=setup["tablet_a"],
                          json={"token": token, "level": "direct", "note": "+31 6 1234"})
    assert r.status_code == 201
    csv_text = (await client.get(URL + ".csv", headers=setup["tablet_a"])).content.decode(
        "utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+31 6 1234" in csv_text
    assert ";=HYPERLINK" not in csv_text and '"=HYPERLINK' not in csv_text

    xlsx = await client.get(URL + ".xlsx", headers=setup["tablet_a"])
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Voornaam", "Naam", "E-mailadres"]
    names = {row[1] for row in rows[1:]}
    # Typed as text, so the cell shows exactly what the visitor typed and never runs.
    assert "=HYPERLINK(\"http://evil.example\",\"Klik\") Jansen" in names
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # The scan-only tablet code does not export.
    scan_only = await bearer(event, "employer_tablet", label="Tablet A2",
                             employer_id=setup["a"].id)
    assert (await client.get(URL + ".xlsx", headers=scan_only)).status_code == 403


async def test_scan_only_tablet_list_carries_no_contact_details(client, setup):
    await client.post(URL, headers=setup["tablet_a"],
                      json={"token": setup["tokens"]["open"], "level": "direct"})
    scan_only = await bearer(setup["event"], "employer_tablet", label="Tablet A2",
                             employer_id=setup["a"].id)
    entries = (await client.get(URL, headers=scan_only)).json()
    assert entries[0]["first_name"] == "Eva" and entries[0]["name"] == "Eva Mulder"
    assert entries[0]["email"] is None and entries[0]["phone"] is None
    admin = (await client.get(URL, headers=setup["tablet_a"])).json()
    assert admin[0]["email"] == "v1@example.nl"


async def _board(client, event) -> list[dict]:
    organiser = await bearer(event, "organiser", label="Organiser")
    r = await client.get("/api/v1/events/festival-today/matches", headers=organiser)
    assert r.status_code == 200, r.text
    return r.json()


async def test_tablet_undo_after_rescan_restores_the_admins_entry(client, setup):
    """Issue 12 #11: the admin code writes a note and a rating; a scan-only tablet scans the
    visitor again and taps an outcome, then undoes. The admin's entry comes back as it was
    and the match on the board still points at it."""
    admin = setup["tablet_a"]
    scan_only = await bearer(setup["event"], "employer_tablet", label="Tablet 2",
                             employer_id=setup["a"].id)
    token = setup["tokens"]["open"]
    r = await client.post(URL, headers=admin, json={
        "token": token, "level": "follow_up", "note": "Belt maandag", "rating": 4})
    interest_id = r.json()["id"]
    [match] = await _board(client, setup["event"])
    assert match["interest_id"] == interest_id and match["level"] == "follow_up"

    r = await client.post(URL, headers=scan_only, json={"token": token, "level": "direct"})
    assert r.status_code == 201 and r.json()["created"] is False
    assert (await _board(client, setup["event"]))[0]["level"] == "direct"

    r = await client.post(URL + "/undo", headers=scan_only, json={"interest_id": interest_id})
    assert r.status_code == 200, r.text
    [entry] = (await client.get(URL, headers=admin)).json()
    assert (entry["id"], entry["level"], entry["note"], entry["rating"]) == (
        interest_id, "follow_up", "Belt maandag", 4)
    [match] = await _board(client, setup["event"])
    assert match["interest_id"] == interest_id and match["level"] == "follow_up"
    assert r.json()["entry"] == {"id": interest_id, "level": "follow_up",
                                 "note": "Belt maandag", "rating": 4, "vacancy_id": None}

    # Never more than that one change: a second undo (the admin's own entry) is refused,
    # and the admin's entry stays.
    r = await client.post(URL + "/undo", headers=scan_only, json={"interest_id": interest_id})
    assert r.status_code == 409 and r.json()["error"] == "undo_not_allowed"
    assert len(await current_engine().fetch("SELECT id FROM interest")) == 1


async def test_undo_is_refused_once_someone_else_changed_the_entry(client, setup):
    admin = setup["tablet_a"]
    scan_only = await bearer(setup["event"], "employer_tablet", label="Tablet 2",
                             employer_id=setup["a"].id)
    token = setup["tokens"]["open"]
    r = await client.post(URL, headers=scan_only, json={"token": token, "level": "direct"})
    interest_id = r.json()["id"]
    await client.post(URL, headers=admin, json={
        "token": token, "level": "direct", "note": "Goed gesprek", "rating": 5})
    r = await client.post(URL + "/undo", headers=scan_only, json={"interest_id": interest_id})
    assert r.status_code == 409
    rows = await current_engine().fetch("SELECT note, rating FROM interest")
    assert rows == [{"note": "Goed gesprek", "rating": 5}]


async def test_undo_of_a_new_entry_removes_it_and_the_match_it_made(client, setup):
    token = setup["tokens"]["open"]
    r = await client.post(URL, headers=setup["tablet_a"], json={"token": token,
                                                                  "level": "info"})
    interest_id = r.json()["id"]
    await client.post(URL, headers=setup["tablet_a"], json={"token": token,
                                                             "level": "training"})
    assert (await _board(client, setup["event"]))[0]["level"] == "training"
    # One step at a time, newest first: back to "info" (no match), then gone.
    r = await client.post(URL + "/undo", headers=setup["tablet_a"],
                          json={"interest_id": interest_id})
    assert r.json()["entry"]["level"] == "info"
    assert await _board(client, setup["event"]) == []
    r = await client.post(URL + "/undo", headers=setup["tablet_a"],
                          json={"interest_id": interest_id})
    assert r.status_code == 200 and r.json()["entry"] is None
    assert await current_engine().fetch("SELECT id FROM interest") == []
    assert await current_engine().fetch("SELECT id FROM interest_undo") == []


async def test_erasure_leaves_nothing_for_an_undo_to_bring_back(client, setup):
    """What an undo would put back quotes the employer's note: erasing the visitor removes
    it with the notes themselves."""
    from event_ops.privacy.erasure import erase_visitor

    token = setup["tokens"]["open"]
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": token, "level": "direct", "note": "Eva woont in Haren"})
    await client.post(URL, headers=setup["tablet_a"], json={
        "token": token, "level": "direct", "note": "Eva belt terug"})
    await erase_visitor(setup["open"].visitor_id, "visitor:self")
    assert await current_engine().fetch("SELECT id FROM interest_undo") == []
    r = await client.post(URL + "/undo", headers=setup["tablet_a"],
                          json={"interest_id": r.json()["id"]})
    assert r.status_code == 409
    assert await current_engine().fetch("SELECT note FROM interest") == [{"note": ""}]


async def test_undo_ends_after_15_minutes(client, setup, monkeypatch):
    import datetime as dt

    from event_ops import clock

    token = setup["tokens"]["open"]
    r = await client.post(URL, headers=setup["tablet_a"], json={"token": token,
                                                                  "level": "direct"})
    later = clock.now() + dt.timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    r = await client.post(URL + "/undo", headers=setup["tablet_a"],
                          json={"interest_id": r.json()["id"]})
    assert r.status_code == 409 and r.json()["error"] == "undo_not_allowed"
    assert len(await current_engine().fetch("SELECT id FROM interest")) == 1
async def test_employer_export_opens_right_in_dutch_excel(client, setup):
    """Issue 13: ";" and a BOM, Dutch headers (English with ?lang=en), the vacancy's title
    instead of its number, phone numbers as text without an apostrophe in XLSX."""
    from io import BytesIO

    from openpyxl import load_workbook

    from event_ops.employers.service import add_vacancy

    event, db = setup["event"], current_engine()
    vacancy = await add_vacancy(setup["a"].id, title="Helpende zorg, niveau 2")
    lotte = await register(event, RegistrationInput(
        name="Lotte de Vries", email="lotte@example.nl", phone="06 12345678",
        consent_terms=True, consent_share_profile=True))
    door = await bearer(event, label="Door South")
    token = await badge(event, lotte.registration_id)
    await client.post("/api/v1/events/festival-today/checkins", headers=door,
                      json={"token": token})
    r = await client.post(URL, headers=setup["tablet_a"], json={
        "token": token, "level": "direct", "vacancy_id": vacancy, "rating": 4})
    assert r.status_code == 201, r.text

    raw = (await client.get(URL + ".csv", headers=setup["tablet_a"])).content
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:5] == ["Voornaam", "Naam", "E-mailadres", "Telefoonnummer",
                                       "Interesse"]
    assert "Vacature" in lines[0] and "vacancy_id" not in lines[0]
    row = lines[1].split(";")
    assert row[1] == "Lotte de Vries" and "Helpende zorg, niveau 2" in row
    assert "Direct (baan)" in row and "'+31612345678" in row  # the CSV keeps its guard
    english = (await client.get(URL + ".csv?lang=en", headers=setup["tablet_a"])).content
    assert english.decode("utf-8-sig").splitlines()[0].startswith(
        "First name;Name;E-mail address;Phone number;Interest")

    xlsx = await client.get(URL + ".xlsx", headers=setup["tablet_a"])
    sheet = load_workbook(BytesIO(xlsx.content)).active
    header = [c.value for c in sheet[1]]
    phone = sheet.cell(row=2, column=header.index("Telefoonnummer") + 1)
    assert phone.value == "+31612345678" and phone.data_type == "s"
    assert sheet.cell(row=2, column=header.index("Vacature") + 1).value == \
        "Helpende zorg, niveau 2"
    assert await db.fetch("SELECT id FROM interest")
