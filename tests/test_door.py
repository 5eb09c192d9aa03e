"""Door helpers: search by name, walk-in registration, device pairing."""

from __future__ import annotations

import pytest

from event_ops.core.db import current_engine
from tests.helpers import bearer, open_event, visitor


@pytest.fixture
async def event(db):
    return await open_event()


async def test_search_by_name_is_audited_and_scoped(client, event):
    await visitor(event, 1, name="Ahmad Rahimi")
    await visitor(event, 2, name="Anna de Boer")
    door = await bearer(event)
    r = await client.get("/api/v1/events/festival-today/visitors?q=RAHI", headers=door)
    assert r.status_code == 200
    assert [v["name"] for v in r.json()] == ["Ahmad Rahimi"]
    audit_rows = await current_engine().fetch(
        "SELECT action FROM audit_entry WHERE action = 'visitor.found_at_door'")
    assert len(audit_rows) == 1
    r = await client.get("/api/v1/events/festival-today/visitors?q=a", headers=door)
    assert r.status_code == 400 and r.json()["error"] == "query_too_short"
    r = await client.get("/api/v1/events/festival-today/visitors?q=%25", headers=door)
    assert r.json() == [] if r.status_code == 200 else r.status_code == 400
    r = await client.get("/api/v1/events/festival-today/visitors?q=anna")
    assert r.status_code == 401


async def test_check_in_by_id_after_search(client, event):
    v = await visitor(event, 1)
    door = await bearer(event)
    r = await client.post("/api/v1/events/festival-today/checkins", headers=door,
                          json={"registration_id": v.registration_id})
    assert r.json()["status"] == "ok"


async def test_walk_in_registers_and_checks_in(client, event):
    door = await bearer(event, label="Door West")
    r = await client.post("/api/v1/events/festival-today/walkins", headers=door, json={
        "name": "Piotr Kowalski", "email": "piotr@example.nl", "consent_terms": True})
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["status"] == "registered" and data["checkin"]["status"] == "ok"
    assert data["badge_url"].endswith(".png")
    r = await client.post("/api/v1/events/festival-today/walkins", headers=door, json={
        "name": "Piotr Kowalski", "email": "piotr@example.nl", "consent_terms": True})
    assert r.status_code == 409


async def test_walk_in_with_a_known_address_gets_no_badge_link(client, event):
    """Issue 12 #1 at the door: a walk-in typed with the address of a visitor we know
    (from another event) gets no badge link; the badge goes to that address by e-mail."""
    other = await open_event("other-day")
    await visitor(other, 7, name="Vera Victimson")
    door = await bearer(event)
    r = await client.post("/api/v1/events/festival-today/walkins", headers=door, json={
        "name": "Attacker", "email": "v7@example.nl", "consent_terms": True})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "registered" and r.json()["badge_url"] is None
    mails = await current_engine().fetch(
        "SELECT recipient FROM outbox_mail WHERE registration_id = ?",
        [r.json()["registration_id"]])
    assert [m["recipient"] for m in mails] == ["v7@example.nl"]


async def test_pairing_gives_a_device_token_once(client, event):
    organiser = await bearer(event, "organiser", label="Organiser")
    r = await client.post("/api/v1/events/festival-today/pairings", headers=organiser,
                          json={"role": "door", "label": "Door North"})
    assert r.status_code == 201
    code = r.json()["code"]
    assert r.json()["pair_url"].endswith("/pair#" + code)
    r = await client.post(f"/api/v1/pair/{code}")
    assert r.status_code == 201
    paired = r.json()
    assert paired["role"] == "door" and paired["event"] == "festival-today"
    r2 = await client.post(f"/api/v1/pair/{code}")
    assert r2.status_code == 404 and r2.json()["error"] == "pairing_invalid"
    stats = await client.get("/api/v1/events/festival-today/stats",
                             headers={"Authorization": f"Bearer {paired['token']}"})
    assert stats.status_code == 200
    door = await bearer(event)
    r = await client.post("/api/v1/events/festival-today/pairings", headers=door,
                          json={"role": "door", "label": "x"})
    assert r.status_code == 403
