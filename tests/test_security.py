"""Security defaults a visitor or organiser would rely on."""

from __future__ import annotations

import httpx

from event_ops.core.db import current_engine
from event_ops.mail.render import visitor_page_url
from tests.helpers import bearer, early_in_the_minute, open_event, visitor


async def test_schema_is_for_organisers_only(client, db):
    event = await open_event()
    assert (await client.get("/api/v1/schema/openapi.json")).status_code == 401
    door = await bearer(event)
    assert (await client.get("/api/v1/schema/openapi.json", headers=door)).status_code == 403
    organiser = await bearer(event, "organiser")
    r = await client.get("/api/v1/schema/openapi.json", headers=organiser)
    assert r.status_code == 200 and "/api/v1/events/{slug}/checkins" in r.json()["paths"]


async def test_security_headers_on_pages_and_api(client, db):
    for path in ("/", "/health"):
        r = await client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"


async def test_forms_need_csrf(client, db):
    event = await open_event()
    r = await client.post(f"/events/{event.slug}/register",
                          data={"name": "Eve", "email": "eve@example.nl", "consent_terms": "yes"})
    assert r.status_code == 403
    assert await current_engine().fetch("SELECT id FROM registration") == []


async def test_tokens_and_links_are_not_stored_or_guessable(client, db, settings):
    event = await open_event()
    headers = await bearer(event)
    raw = headers["Authorization"][7:]
    stored = await current_engine().fetch("SELECT token_hash FROM access_token")
    assert raw not in str(stored) and len(stored[0]["token_hash"]) == 64
    v = await visitor(event, 1)
    link = visitor_page_url(settings, v.visitor_id, 1).rsplit("/", 1)[1]
    assert len(link.split(".", 1)[1]) >= 43  # 256-bit HMAC
    guessed = link[:-1] + ("A" if link[-1] != "A" else "B")
    assert (await client.get(f"/me/{guessed}")).status_code == 404


async def test_public_endpoints_are_rate_limited(server_factory, db):
    event = await open_event()
    base = server_factory(EVENTOPS_RATE_LIMIT="5")
    await early_in_the_minute()
    async with httpx.AsyncClient(base_url=base) as http:
        codes = [
            (await http.post(f"/api/v1/events/{event.slug}/registrations",
                             json={"name": "X Y", "email": f"r{i}@example.nl",
                                   "consent_terms": True})).status_code
            for i in range(7)
        ]
        assert codes[:5] == [201] * 5
        assert codes[5:] == [429, 429]
        r = await http.post(f"/api/v1/events/{event.slug}/registrations", json={})
        assert r.json()["error"] == "rate_limited"
        assert (await http.get("/health")).status_code == 200  # not a throttled endpoint
