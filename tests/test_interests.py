"""Employer tablets: logging interest, consent field by field, isolation between employers."""

from __future__ import annotations

import pytest

from app.db import current_engine
from event_ops.employers.service import add_employer
from event_ops.interests.service import visitor_says_interested
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
    assert "Open eerst de link" in fresh.text
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
