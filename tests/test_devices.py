"""Paired devices: organisers list and revoke them; an employer admin pairs and revokes
only its own scan-only tablets; a revoked token stops working at once."""

from __future__ import annotations

import re

from event_ops.access.pairing import redeem_pairing
from event_ops.employers.service import add_employer
from tests.helpers import bearer, open_event, signed_in

E = "/api/v1/events/festival-today"


async def test_organiser_lists_and_revokes_a_door(client, db):
    event = await open_event()
    organiser = await bearer(event, "organiser", label="Organisation")
    door = await bearer(event, "door", label="Door North")
    assert (await client.get(f"{E}/stats", headers=door)).status_code == 200
    devices = (await client.get(f"{E}/devices", headers=organiser)).json()
    assert [(d["role"], d["label"]) for d in devices] == [
        ("organiser", "Organisation"), ("door", "Door North")]
    assert all("token" not in d and "token_hash" not in d for d in devices)
    door_id = devices[1]["id"]
    r = await client.post(f"{E}/devices/{door_id}/revoke", headers=organiser)
    assert r.status_code == 201 and r.json() == {"revoked": door_id}
    refused = await client.get(f"{E}/stats", headers=door)
    assert refused.status_code == 401  # at once, not after the 10 s cache
    again = await client.post(f"{E}/devices/{door_id}/revoke", headers=organiser)
    assert again.status_code == 404 and again.json()["error"] == "device_not_found"


async def test_employer_admin_manages_only_its_own_tablets(client, db):
    event = await open_event()
    mine = await add_employer(event, name="Zorg BV", stand_label="A1", sector="care")
    theirs = await add_employer(event, name="Bouw BV", stand_label="B1", sector="construction")
    admin = await bearer(event, "employer", label="Zorg admin", employer_id=mine.id)
    await bearer(event, "employer_tablet", label="Bouw tablet", employer_id=theirs.id)
    await bearer(event, "door", label="Door North")

    r = await client.post(f"{E}/pairings", headers=admin,
                          json={"role": "employer_tablet", "label": "Tablet 2"})
    assert r.status_code == 201
    token, info = await redeem_pairing(r.json()["code"])
    assert info["role"] == "employer_tablet" and info["employer_id"] == mine.id
    for body in ({"role": "door", "label": "x"},
                 {"role": "employer_tablet", "label": "x", "employer_id": theirs.id},
                 {"role": "employer", "label": "x"}):
        r = await client.post(f"{E}/pairings", headers=admin, json=body)
        assert r.status_code == 403, body

    devices = (await client.get(f"{E}/devices", headers=admin)).json()
    assert [(d["label"], d["employer"]) for d in devices] == [("Tablet 2", mine.id)]
    all_ids = [d["id"] for d in (await client.get(
        f"{E}/devices", headers=await bearer(event, "organiser"))).json()]
    for other in set(all_ids) - {devices[0]["id"]}:
        r = await client.post(f"{E}/devices/{other}/revoke", headers=admin)
        assert r.status_code == 404, other  # not theirs: as if it did not exist
    tablet = {"Authorization": f"Bearer {token}"}
    assert (await client.get(f"{E}/keys", headers=tablet)).status_code == 200
    r = await client.post(f"{E}/devices/{devices[0]['id']}/revoke", headers=admin)
    assert r.status_code == 201
    assert (await client.get(f"{E}/keys", headers=tablet)).status_code == 401


async def test_a_stand_device_needs_its_employer(client, db):
    event = await open_event()
    organiser = await bearer(event, "organiser")
    r = await client.post(f"{E}/pairings", headers=organiser,
                          json={"role": "employer_tablet", "label": "Tablet"})
    assert r.status_code == 422 and r.json()["error"] == "employer_required"


async def test_organiser_pairs_and_revokes_from_the_devices_page(client, db):
    event = await open_event()
    await open_event("other-event")
    staff = await signed_in("organiser_staff", [event])
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    csrf = staff["X-CSRFToken"]
    page = await client.get("/events/festival-today/devices?lang=en", headers=staff)
    assert page.status_code == 200 and "Pair a new device" in page.text
    r = await client.post("/events/festival-today/devices?lang=en", headers={**staff, **form},
                          content=f"role=door&label=Door+North&employer_id=&_csrf_token={csrf}")
    assert r.status_code == 201
    assert 'src="data:image/png;base64,' in r.text  # the QR code to scan
    code = re.search(r'href="http://[^"]+/pair#([^"]+)"', r.text).group(1)
    token, info = await redeem_pairing(code)
    assert info["role"] == "door" and info["label"] == "Door North"
    door = {"Authorization": f"Bearer {token}"}
    assert (await client.get(f"{E}/stats", headers=door)).status_code == 200

    page = await client.get("/events/festival-today/devices?lang=en", headers=staff)
    device_id = re.search(r'/devices/(\d+)/revoke', page.text).group(1)
    r = await client.post(f"/events/festival-today/devices/{device_id}/revoke",
                          headers={**staff, **form}, content=f"_csrf_token={csrf}")
    assert r.status_code in (302, 303)
    assert (await client.get(f"{E}/stats", headers=door)).status_code == 401
    # Without the form's CSRF token nothing happens.
    no_token = {"Cookie": staff["Cookie"], **form}
    r = await client.post("/events/festival-today/devices", headers=no_token,
                          content="role=door&label=Sneaky")
    assert r.status_code == 403
    # Staff of another event, and anyone not logged in, do not get the page.
    assert (await client.get("/events/other-event/devices", headers=staff)).status_code == 403
    assert (await client.get("/events/festival-today/devices")).status_code in (302, 303)


async def test_pairing_input_is_checked_when_the_code_is_made(client, db):
    event = await open_event()
    other = await open_event("other-event")
    theirs = await add_employer(other, name="Elders BV", stand_label="Z9", sector="care")
    mine = await add_employer(event, name="Zorg BV", stand_label="A1", sector="care")
    organiser = await bearer(event, "organiser")
    for body, status, code in (
        ({"role": "door", "label": "Door", "employer_id": mine.id}, 422, "employer_not_allowed"),
        ({"role": "employer_tablet", "label": "T", "employer_id": theirs.id}, 404,
         "employer_not_found"),
        ({"role": "employer_tablet", "label": "T", "employer_id": 99999}, 404,
         "employer_not_found"),
        ({"role": "printer", "label": "T"}, 422, "bad_role"),
        ({"role": "door", "label": "  "}, 422, "bad_label"),
    ):
        r = await client.post(f"{E}/pairings", headers=organiser, json=body)
        assert (r.status_code, r.json()["error"]) == (status, code), body


async def test_only_an_organiser_admin_pairs_an_organiser_device(client, db):
    event = await open_event()
    staff = await signed_in("organiser_staff", [event])
    r = await client.post(f"{E}/pairings", headers=staff,
                          json={"role": "organiser", "label": "Laptop"})
    assert r.status_code == 403
    admin = await signed_in("organiser_admin")
    r = await client.post(f"{E}/pairings", headers=admin,
                          json={"role": "organiser", "label": "Laptop"})
    assert r.status_code == 201
