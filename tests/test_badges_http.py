"""Badges over HTTP: the badge link, re-issue, offline verification data, bulk sheets."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys

import pytest
import zxingcpp
from PIL import Image

from badges.content import badge_data
from badges.keys import KeyRing, load_public_key_b64
from badges.token import RevocationList, TokenError, verify_token
from event_ops.core.settings import get_settings
from tests.conftest import ROOT
from tests.helpers import bearer, open_event, visitor


@pytest.fixture
async def event(db):
    return await open_event()


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return results[0].text


async def register(client, email="lisa@example.nl", share=True):
    r = await client.post("/api/v1/events/festival-today/registrations", json={
        "name": "Lisa Hoekstra", "email": email, "consent_terms": True,
        "consent_share_profile": share, "sectors": ["care"]})
    assert r.status_code == 201
    return r.json()


async def test_badge_link_serves_png_with_verifiable_qr_and_pdf(client, event):
    reg = await register(client)
    path = reg["badge_url"].removeprefix("http://127.0.0.1:8000")
    r = await client.get(path)
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    token = decode_qr(r.content)
    assert len(token) <= 120 and "Lisa" not in token
    door = await bearer(event)
    keys = (await client.get("/api/v1/events/festival-today/keys", headers=door)).json()
    ring = KeyRing()
    for key_id, b64 in keys["keys"].items():
        ring.add(event.id, int(key_id), load_public_key_b64(b64))
    claim = verify_token(token, ring, event_id=event.id)
    assert claim.registration_id == reg["id"]
    pdf = await client.get(path.removesuffix(".png") + ".pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await client.get(path.removesuffix(".png") + ".gif")).status_code == 404
    assert (await client.get("/badges/1.AAAA.png")).status_code == 404


async def test_reissue_revokes_old_badge_and_old_link(client, event):
    reg = await register(client)
    old_path = reg["badge_url"].removeprefix("http://127.0.0.1:8000")
    old_token = decode_qr((await client.get(old_path)).content)
    door = await bearer(event)
    r = await client.post(f"/api/v1/events/festival-today/registrations/{reg['id']}/reissue",
                          headers=door)
    assert r.status_code == 200 and r.json()["serial"] == 2
    assert (await client.get(old_path)).status_code == 404
    new_path = r.json()["badge_url"].removeprefix("http://127.0.0.1:8000")
    new_token = decode_qr((await client.get(new_path)).content)
    keys = (await client.get("/api/v1/events/festival-today/keys", headers=door)).json()
    assert keys["current_serial"] == {str(reg["id"]): 2}
    ring = KeyRing()
    for key_id, b64 in keys["keys"].items():
        ring.add(event.id, int(key_id), load_public_key_b64(b64))
    revoked = RevocationList({int(k): v for k, v in keys["current_serial"].items()},
                             {int(k): v for k, v in keys["cancelled"].items()})
    with pytest.raises(TokenError) as exc:
        verify_token(old_token, ring, event_id=event.id, revoked=revoked)
    assert exc.value.code == "revoked"
    verify_token(new_token, ring, event_id=event.id, revoked=revoked)
    scan = await client.post("/api/v1/events/festival-today/checkins", headers=door,
                             json={"token": old_token})
    assert scan.json()["status"] == "revoked"
    employer_scope = await client.post(
        f"/api/v1/events/festival-today/registrations/{reg['id']}/reissue")
    assert employer_scope.status_code == 401


async def test_badge_shows_only_consented_details(event):
    shared = await visitor(event, 1, name="Kees van Dijk", share=True)
    private = await visitor(event, 2, name="Amal Haddad", share=False)
    a = await badge_data(shared.registration_id, get_settings())
    b = await badge_data(private.registration_id, get_settings())
    assert a.first_name == "Kees" and a.full_name == "Kees van Dijk"
    assert b.first_name == "Amal" and b.full_name is None and b.competencies == ()


async def test_cli_renders_print_sheets(event):
    for n in range(5):
        await visitor(event, n)
    out = ROOT / "test-artifacts" / "sheets.pdf"
    out.parent.mkdir(exist_ok=True)
    proc = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "app.cli", "badges", "render", "--event", event.slug,
         "--out", str(out)],
        cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "wrote 5 badges" in proc.stdout
    assert out.read_bytes().startswith(b"%PDF")


async def test_keys_exist_before_the_first_badge(client, event):
    door = await bearer(event)
    keys = (await client.get("/api/v1/events/festival-today/keys", headers=door)).json()
    assert len(keys["keys"]) == 1


async def test_key_added_by_another_process_is_picked_up(client, event):
    import time

    from badges import service

    v = await visitor(event, 1)
    door = await bearer(event)
    await client.get("/api/v1/events/festival-today/keys", headers=door)  # makes key 1
    await service.keyring(event.id)
    stale = service._ring_cache[event.id]
    await service.add_key(event.id, get_settings())  # "another process" rotates the key
    token = await service.token_for(event.id, v.registration_id, 1, get_settings())
    # This process still holds the old ring in its cache, as a second worker would.
    stale.checked_at = time.monotonic() + 60
    service._ring_cache[event.id] = stale
    r = await client.post("/api/v1/events/festival-today/checkins", headers=door,
                          json={"token": token})
    assert r.json()["status"] == "ok"


async def test_a_new_events_first_badges_asked_at_once_make_one_key(client, event):
    """Eight badges of a new event asked for at the same moment made eight keys on SQLite and
    answered 500 (unique key id) on PostgreSQL: the first key is made once."""
    from badges import service
    from event_ops.core.db import current_engine

    results = await asyncio.gather(
        *(service.signing_key(event.id, get_settings()) for _ in range(8)))
    assert {key_id for key_id, _ in results} == {1}
    rows = await current_engine().fetch(
        "SELECT key_id FROM event_key WHERE event = ?", [event.id])
    assert [r["key_id"] for r in rows] == [1]
    service._ring_cache.clear()  # another process: it finds the key and makes none
    assert (await service.signing_key(event.id, get_settings()))[0] == 1
