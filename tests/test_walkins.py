"""Walk-ins at the desk (CONTRACT v1.1: e-mail optional), lost badges found by phone, print
jobs in order, the kiosk's API, and the migration that made ``visitor.email`` optional."""

from __future__ import annotations

import pytest

from badges.service import token_for
from event_ops.core.db import current_engine
from event_ops.core.settings import get_settings
from event_ops.employers.service import add_employer
from event_ops.people.lost_link import request_new_link
from event_ops.privacy.erasure import erase_visitor
from event_ops.privacy.export import visitor_export
from tests.helpers import bearer, open_event, visitor

E = "/api/v1/events/festival-today"


@pytest.fixture
async def event(db):
    return await open_event()


async def walk_in(client, headers, **body) -> dict:
    r = await client.post(f"{E}/walkins", headers=headers,
                          json={"consent_terms": True, **body})
    assert r.status_code == 201, r.text
    return r.json()


async def test_walk_in_without_email_gets_a_badge_that_works_like_any_other(client, event):
    desk = await bearer(event, label="Balie 1")
    other_door = await bearer(event, label="Door South")
    employer = await add_employer(event, name="Zorggroep Noord", stand_label="A1",
                                  sector="care")
    tablet = await bearer(event, "employer_tablet", label="Tablet A1", employer_id=employer.id)

    first = await walk_in(client, desk, name="Jan Zonder Mail", sectors=["care"],
                          consent_share_profile=True)
    second = await walk_in(client, desk, name="Els Ook Zonder", phone="06 1234 5678")
    # Two visitors without an address: both stored, each with a badge at once.
    for answer in (first, second):
        assert answer["status"] == "registered"
        assert answer["checkin"]["status"] == "ok"
        assert answer["badge_url"].endswith(".png")
    assert first["checkin"]["registration"]["name"] == "Jan"

    rows = await current_engine().fetch(
        "SELECT v.email, v.phone, r.source, r.checked_in_door FROM registration r"
        " JOIN visitor v ON v.id = r.visitor WHERE r.id IN (?, ?) ORDER BY r.id",
        [first["registration_id"], second["registration_id"]])
    assert [(r["email"], r["source"], r["checked_in_door"]) for r in rows] == [
        (None, "walkin", "Balie 1"), (None, "walkin", "Balie 1")]
    assert rows[1]["phone"] == "+31612345678"
    # No mail is ever queued for someone without an address.
    assert await current_engine().fetch("SELECT id FROM outbox_mail") == []
    # Consent: given at the desk, on which device, which wording.
    consents = await current_engine().fetch(
        "SELECT c.kind, c.granted, c.channel, c.device, c.wording_version FROM consent_record c"
        " JOIN registration r ON r.visitor = c.visitor WHERE r.id = ? ORDER BY c.kind",
        [first["registration_id"]])
    token_id = (await current_engine().fetch(
        "SELECT id FROM access_token WHERE label = 'Balie 1'"))[0]["id"]
    assert [(c["kind"], c["granted"], c["channel"], c["device"]) for c in consents] == [
        ("share_profile", True, "desk", f"token:{token_id} Balie 1"),
        ("terms", True, "desk", f"token:{token_id} Balie 1")]
    assert all(c["wording_version"] for c in consents)

    # The badge file is there at once.
    path = first["badge_url"].split("8000", 1)[-1]
    r = await client.get(path)
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"

    # Its QR checks in at the door like any other (already in: let in at the desk) ...
    token = await token_for(event.id, first["registration_id"], 1, get_settings())
    r = await client.post(f"{E}/checkins", headers=other_door, json={"token": token})
    assert r.json()["status"] == "already_checked_in"
    assert r.json()["first_door"] == "Balie 1"
    # ... and is scanned at a stand like any other.
    r = await client.post(f"{E}/interests", headers=tablet,
                          json={"token": token, "level": "follow_up"})
    assert r.status_code == 201, r.text
    assert r.json()["visitor"]["name"] == "Jan Zonder Mail"  # shared at the desk
    assert "email" not in r.json()["visitor"] or r.json()["visitor"]["email"] is None

    # The dashboard counts the walk-ins per desk.
    stats = (await client.get(f"{E}/stats", headers=desk)).json()
    assert stats["walkins_by_desk"] == {"Balie 1": 2}


async def test_walk_in_checks_every_field_and_keeps_email_optional(client, event):
    desk = await bearer(event)
    r = await client.post(f"{E}/walkins", headers=desk, json={"name": "A", "email": "nope"})
    assert r.status_code == 422
    assert set(r.json()["fields"]) == {"name", "email", "consent_terms"}
    r = await client.post(f"{E}/walkins", headers=desk,
                          json={"name": "Ann Lee", "email": "", "consent_terms": True,
                                "phone": "12"})
    assert r.status_code == 422 and set(r.json()["fields"]) == {"phone"}
    # Online sign-up still needs an address (the contract).
    r = await client.post(f"{E}/registrations", json={
        "name": "Ann Lee", "email": "", "consent_terms": True, "consent_share_profile": False,
        "competencies": [], "sectors": []})
    assert r.status_code == 422 and "email" in r.json()["fields"]
    # With an address it is the usual walk-in (and a second time: already registered).
    await walk_in(client, desk, name="Ann Lee", email="ann@example.nl")
    r = await client.post(f"{E}/walkins", headers=desk,
                          json={"name": "Ann Lee", "email": "ann@example.nl",
                                "consent_terms": True})
    assert r.status_code == 409


async def test_lost_badge_found_by_phone_and_reissued(client, event):
    desk = await bearer(event)
    known = await visitor(event, 1, name="Sara Bakker")
    await current_engine().fetch("UPDATE visitor SET phone = '+31687654321' WHERE id = ?",
                                 [known.visitor_id])
    walked = await walk_in(client, desk, name="Piet Puk", phone="0612345678")
    for query, expected in (("06 87654321", "Sara Bakker"), ("+31 6 8765 4321", "Sara Bakker"),
                            ("87654321", "Sara Bakker"), ("0612345678", "Piet Puk"),
                            ("puk", "Piet Puk")):
        r = await client.get(f"{E}/visitors", params={"q": query}, headers=desk)
        assert r.status_code == 200, r.text
        assert [v["name"] for v in r.json()] == [expected], query
    r = await client.get(f"{E}/visitors", params={"q": "0699999999"}, headers=desk)
    assert r.json() == []
    audit = await current_engine().fetch(
        "SELECT fields FROM audit_entry WHERE action = 'visitor.found_at_door' ORDER BY id")
    assert "phone" in str(audit[0]["fields"])

    old = await token_for(event.id, walked["registration_id"], 1, get_settings())
    r = await client.post(f"{E}/registrations/{walked['registration_id']}/reissue", headers=desk)
    assert r.status_code == 200 and r.json()["serial"] == 2
    new = await token_for(event.id, walked["registration_id"], 2, get_settings())
    other = await bearer(event, label="Door South")
    assert (await client.post(f"{E}/checkins", headers=other,
                              json={"token": old})).json()["status"] == "revoked"
    assert (await client.post(f"{E}/checkins", headers=other,
                              json={"token": new})).json()["status"] == "already_checked_in"


async def test_visitor_without_email_export_erasure_and_lost_link(client, event):
    desk = await bearer(event)
    walked = await walk_in(client, desk, name="Nora Niemand")
    visitor_id = (await current_engine().fetch(
        "SELECT visitor FROM registration WHERE id = ?", [walked["registration_id"]]))[0]["visitor"]
    station = await bearer(event, "print_station", label="Printer 1")
    sid = (await current_engine().fetch(
        "SELECT id FROM access_token WHERE label = 'Printer 1'"))[0]["id"]
    r = await client.post(f"{E}/print", headers=desk, json={
        "registration_id": walked["registration_id"], "station": sid, "format": "a6"})
    assert r.status_code == 201 and station
    data = await visitor_export(visitor_id)
    assert data["visitor"]["email"] is None and data["emails"] == []
    assert [(p["format"], p["status"]) for p in data["badges_printed"]] == [("a6", "queued")]
    assert {c["channel"] for c in data["consents"]} == {"desk"}
    await request_new_link("")  # no address: nothing to find, nothing sent
    assert await current_engine().fetch("SELECT id FROM outbox_mail") == []
    await erase_visitor(visitor_id, "test")
    row = (await current_engine().fetch("SELECT name, phone FROM visitor WHERE id = ?",
                                        [visitor_id]))[0]
    assert row["name"] == "(verwijderd)" and row["phone"] == ""


async def test_print_jobs_reach_their_station_in_order(client, event):
    desk = await bearer(event, label="Balie 1")
    station = await bearer(event, "print_station", label="Printer 1")
    other_station = await bearer(event, "print_station", label="Printer 2")
    stations = (await client.get(f"{E}/print/stations", headers=desk)).json()
    assert [s["label"] for s in stations["stations"]] == ["Printer 1", "Printer 2"]
    assert {f["code"] for f in stations["formats"]} >= {"ql62", "zebra4x6", "a4"}
    station_id = stations["stations"][0]["id"]

    ids = []
    for n in range(3):
        walked = await walk_in(client, desk, name=f"Bezoeker{n} Achternaam")
        r = await client.post(f"{E}/print", headers=desk, json={
            "registration_id": walked["registration_id"], "station": station_id,
            "format": "ql62x100"})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])

    queue = (await client.get(f"{E}/print/jobs", headers=station)).json()
    assert [j["id"] for j in queue["queued"]] == ids
    # No personal data beyond what the badge shows: the first name, and the label link.
    job = queue["queued"][0]
    assert set(job) == {"id", "format", "status", "created_at", "printed_at", "error",
                        "first_name", "label_url"}
    assert job["first_name"] == "Bezoeker0"
    r = await client.get(job["label_url"])
    assert r.status_code == 200 and "@page" not in r.text and "label-ql62x100.css" in r.text
    # Another station sees none of them.
    assert (await client.get(f"{E}/print/jobs", headers=other_station)).json()["queued"] == []
    r = await client.post(f"{E}/print/jobs/{ids[0]}/done", headers=other_station,
                          json={"ok": True})
    assert r.status_code == 404

    r = await client.post(f"{E}/print/jobs/{ids[0]}/done", headers=station, json={"ok": True})
    assert r.json()["status"] == "done"
    r = await client.post(f"{E}/print/jobs/{ids[1]}/done", headers=station,
                          json={"ok": False, "error": "paper out"})
    assert r.json()["status"] == "failed"
    queue = (await client.get(f"{E}/print/jobs", headers=station)).json()
    assert [j["id"] for j in queue["queued"]] == [ids[2]]
    assert [(j["id"], j["status"], j["error"]) for j in queue["recent"]] == [
        (ids[1], "failed", "paper out"), (ids[0], "done", "")]
    stats = (await client.get(f"{E}/stats", headers=desk)).json()
    assert stats["prints_by_station"] == {"Printer 1": {"done": 1, "queued": 1, "failed": 1}}
    assert stats["print_queue"] == 1 and stats["prints_failed"] == 1
    # A failed job goes back to its place in the queue.
    r = await client.post(f"{E}/print/jobs/{ids[1]}/retry", headers=station)
    assert r.status_code == 200
    queue = (await client.get(f"{E}/print/jobs", headers=station)).json()
    assert [j["id"] for j in queue["queued"]] == [ids[1], ids[2]]

    # Bad input: unknown station, unknown format, a door may not read a station's queue.
    r = await client.post(f"{E}/print", headers=desk, json={
        "registration_id": ids[0], "station": 999, "format": "ql62"})
    assert r.status_code == 404 and r.json()["error"] == "station_not_found"
    r = await client.post(f"{E}/print", headers=desk, json={
        "registration_id": ids[0], "station": station_id, "format": "letter"})
    assert r.status_code == 422 and r.json()["error"] == "bad_format"
    assert (await client.get(f"{E}/print/jobs", headers=desk)).status_code == 403


async def test_kiosk_checks_in_by_badge_and_signs_up_walk_ins(client, event):
    kiosk = await bearer(event, "kiosk", label="Kiosk Entree")
    station = await bearer(event, "print_station", label="Printer Entree")
    station_id = (await current_engine().fetch(
        "SELECT id FROM access_token WHERE label = 'Printer Entree'"))[0]["id"]
    sara = await visitor(event, 1, name="Sara Bakker")
    token = await token_for(event.id, sara.registration_id, 1, get_settings())
    r = await client.post(f"{E}/kiosk/checkin", headers=kiosk,
                          json={"token": token, "station": station_id, "format": "a6"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ok" and r.json()["first_name"] == "Sara"
    assert r.json()["print_job"]
    # Again: already in, printed again (a lost badge, a failed print).
    r = await client.post(f"{E}/kiosk/checkin", headers=kiosk,
                          json={"token": token, "station": station_id})
    assert r.json()["status"] == "already_checked_in" and r.json()["print_job"]
    r = await client.post(f"{E}/kiosk/checkin", headers=kiosk, json={"token": "EO1.bad"})
    assert r.json()["status"] == "invalid" and "print_job" not in r.json()

    r = await client.post(f"{E}/kiosk/walkins", headers=kiosk, json={
        "name": "Karel Kiosk", "consent_terms": True, "sectors": ["logistics"],
        "station": station_id})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "ok" and r.json()["first_name"] == "Karel"
    consent = await current_engine().fetch(
        "SELECT DISTINCT channel FROM consent_record c JOIN visitor v ON v.id = c.visitor"
        " WHERE v.name = 'Karel Kiosk'")
    assert [c["channel"] for c in consent] == ["kiosk"]
    queue = (await client.get(f"{E}/print/jobs", headers=station)).json()
    assert [j["first_name"] for j in queue["queued"]] == ["Sara", "Sara", "Karel"]
    # A kiosk is no door and no desk.
    assert (await client.post(f"{E}/walkins", headers=kiosk,
                              json={"name": "X Y", "consent_terms": True})).status_code == 403


@pytest.mark.sqlite_only
async def test_email_migration_rebuild_keeps_rows_ids_and_foreign_keys(tmp_path):
    """The SQLite rebuild on a database as it was before: every row and id kept, the
    cascade from visitor to registration still there, NULL addresses allowed, unique kept."""
    import importlib
    import sqlite3

    migration = importlib.import_module("migrations.event_ops_2026_12_06t08_52_00_000000")
    conn = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    conn.executescript(
        'CREATE TABLE "visitor" ("id" INTEGER PRIMARY KEY NOT NULL, "email" VARCHAR(254)'
        " UNIQUE NOT NULL DEFAULT '', \"name\" VARCHAR(200) NOT NULL DEFAULT '');"
        'CREATE TABLE "registration" ("id" INTEGER PRIMARY KEY NOT NULL, "visitor" INTEGER'
        ' REFERENCES "visitor" ("id") ON DELETE CASCADE);'
        'CREATE INDEX registration_visitor ON "registration" ("visitor");'
        "CREATE INDEX visitor_name ON visitor (name);"
        "INSERT INTO visitor VALUES (5, 'a@example.nl', 'A'), (9, 'b@example.nl', 'B');"
        "INSERT INTO registration VALUES (1, 5), (2, 9);")
    migration.rebuild_sqlite(conn)
    migration.rebuild_sqlite(conn)  # a second run changes nothing
    conn.execute("PRAGMA foreign_keys = ON")
    assert conn.execute("SELECT id, email FROM visitor ORDER BY id").fetchall() == [
        (5, "a@example.nl"), (9, "b@example.nl")]
    conn.execute("INSERT INTO visitor (name) VALUES ('C'), ('D')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO visitor (email, name) VALUES ('a@example.nl', 'E')")
    assert {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'visitor' AND type = 'index'")} >= {
        "visitor_name"}
    conn.execute("DELETE FROM visitor WHERE id = 5")
    assert conn.execute("SELECT id FROM registration").fetchall() == [(2,)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
