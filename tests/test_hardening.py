"""Input that used to answer 500 with a traceback, and headers that were missing (issue 12,
findings 9 and 13). Run on SQLite and on PostgreSQL (where ids past 32 bits overflowed the
driver): ``EVENTOPS_DATABASE_URL=postgresql://… pytest tests/test_hardening.py``."""

from __future__ import annotations

import json

import pytest

from app.input_limits import MAX_JSON_DEPTH, json_too_deep
from event_ops.links import PURPOSE_VISITOR_PAGE, link_token_id, make_link_token
from event_ops.mail.render import visitor_page_url
from event_ops.types import MAX_DB_ID, parse_db_id
from tests.helpers import badge, bearer, open_event, signed_in, visitor

MAC = "A" * 43
BIG_IDS = (2**31, 99_999_999_999, 999_999_999_999)


def _deep(levels: int, kind: str = "[") -> bytes:
    if kind == "[":
        return b"[" * levels + b"]" * levels
    return b'{"a":' * levels + b"1" + b"}" * levels


def _assert_refused(r, *statuses: int) -> None:
    assert r.status_code in statuses, (r.status_code, r.text[:300])


# --- ids past 32 bits ------------------------------------------------------------------


def test_ids_from_outside_are_read_in_one_place():
    assert parse_db_id("1") == 1 and parse_db_id(str(MAX_DB_ID)) == MAX_DB_ID
    for text in ("", "0", str(MAX_DB_ID + 1), "99999999999", "-1", "1e3", "١٢", " 1", "01" * 6):
        assert parse_db_id(text) is None, text
    assert link_token_id(f"{2**31}.{MAC}") is None
    assert link_token_id(f"7.{MAC}") == 7


@pytest.mark.parametrize("big", BIG_IDS)
async def test_links_with_ids_past_32_bits_are_not_found(client, db, big):
    link = f"{big}.{MAC}"
    signed = make_link_token("whatever", PURPOSE_VISITOR_PAGE, big)
    for path in (f"/me/{link}", f"/me/{signed}", f"/me/{link}/export", f"/me/{link}/export.json",
                 f"/badges/{link}.png", f"/badges/{link}.pdf", f"/badges/{link}/print",
                 f"/me/{link}/preferences/anything"):
        _assert_refused(await client.get(path), 404)


async def test_visitor_cookie_with_an_id_past_32_bits_is_ignored(client, db, settings):
    from app.pages.stand import stand_url
    from event_ops.employers.service import add_employer

    event = await open_event()
    employer = await add_employer(event, name="Bakkerij Jansen")
    stand = stand_url(settings, employer.id)
    path = stand.removeprefix(settings.base_url)
    client.cookies.set("eo_me", f"{2**31}.{MAC}")
    r = await client.get(path)
    assert r.status_code == 200, r.text[:300]
    r = await client.post(path, headers={"x-csrftoken": client.cookies.get("csrftoken")})
    _assert_refused(r, 403)


async def test_preference_form_with_an_id_past_32_bits_is_ignored(client, small_event, settings):
    registered = await visitor(small_event, 1)
    link = visitor_page_url(settings, registered.visitor_id, 1).removeprefix(settings.base_url)
    page = f"{link}/preferences/{small_event.slug}"
    r = await client.get(page)
    assert r.status_code == 200, r.text[:300]
    r = await client.post(page, data={f"choice-{2**31}": "must", "choice-99999999999": "happy",
                                      "_csrf_token": client.cookies.get("csrftoken")})
    assert r.status_code < 500, r.text[:300]


async def test_path_ids_past_32_bits_are_refused(client, db):
    event = await open_event()
    organiser = await bearer(event, "organiser")
    for big in BIG_IDS:
        r = await client.post(f"/api/v1/events/{event.slug}/registrations/{big}/reissue",
                              headers=organiser)
        _assert_refused(r, 400, 404)
        r = await client.get(f"/api/v1/matches/{big}/history", headers=organiser)
        _assert_refused(r, 400, 404)


async def test_device_form_with_an_employer_id_past_32_bits(client, db):
    event = await open_event()
    session = await signed_in("organiser_admin", [event])
    r = await client.post(
        f"/events/{event.slug}/devices",
        headers={**session, "Content-Type": "application/x-www-form-urlencoded"},
        content=f"role=employer&label=Stand&employer_id={2**31}"
                f"&_csrf_token={session['X-CSRFToken']}")
    _assert_refused(r, 422)


# --- JSON nested too deep --------------------------------------------------------------


def test_json_depth_is_counted_outside_strings():
    assert not json_too_deep(b'{"a": [1, 2, {"b": "[[[[[[[[[["}]}')
    assert not json_too_deep(json.dumps({"note": "[" * 500}).encode())
    assert not json_too_deep(json.dumps({"note": '\\"' + "{" * 500}).encode())
    assert not json_too_deep(_deep(MAX_JSON_DEPTH))
    assert json_too_deep(_deep(MAX_JSON_DEPTH + 1))
    assert json_too_deep(_deep(1000, "{"))
    assert json_too_deep(b"[" * 100_000)  # unclosed


@pytest.mark.parametrize("kind", ["[", "{"])
async def test_deeply_nested_json_is_a_bad_request(client, db, kind):
    event = await open_event()
    door = await bearer(event)
    organiser = await bearer(event, "organiser")
    body = _deep(1000, kind)
    cases = [
        ({}, f"/api/v1/events/{event.slug}/registrations"),
        # The check-in fast lane takes over with any Authorization header.
        ({"Authorization": "x"}, f"/api/v1/events/{event.slug}/checkins"),
        (door, f"/api/v1/events/{event.slug}/checkins"),
        (door, f"/api/v1/events/{event.slug}/walkins"),
        (organiser, f"/api/v1/events/{event.slug}/checkins/undo"),
    ]
    for headers, path in cases:
        r = await client.post(path, content=body,
                              headers={**headers, "Content-Type": "application/json"})
        _assert_refused(r, 400)
        assert r.json()["error"] == "bad_request", (path, r.text)
        assert "content-security-policy" in r.headers


async def test_normal_json_still_works_on_the_fast_lane(client, db):
    event = await open_event()
    registered = await visitor(event, 1)
    door = await bearer(event)
    token = await badge(event, registered.registration_id)
    r = await client.post(f"/api/v1/events/{event.slug}/checkins", json={"token": token},
                          headers=door)
    assert r.status_code == 200 and r.json()["status"] == "ok"


# --- NUL and broken Host headers -------------------------------------------------------


async def test_nul_in_the_address_is_a_bad_request(client, db):
    event = await open_event()
    organiser = await bearer(event, "organiser")
    door = await bearer(event)
    for path, headers in [("/static/%00", {}), ("/static/js/%00.js", {}),
                          ("/events/a%00b", {}), ("/events/a%00b/register", {}),
                          ("/api/v1/events/a%00b/stats", organiser),
                          (f"/api/v1/events/{event.slug}/visitors?q=ab%00cd", door),
                          ("/me/1%00.x", {}), ("/badges/%00.png", {})]:
        r = await client.get(path, headers=headers)
        _assert_refused(r, 400)
        assert r.json()["error"] == "bad_request"


@pytest.mark.parametrize("host", ["127.0.0.1:99999", "127.0.0.1:65536", "localhost:00000099999"])
async def test_host_with_a_port_out_of_range_is_refused(client, db, host):
    for path in ("/", "/login", "/events/x", "/health"):
        r = await client.get(path, headers={"Host": host})
        _assert_refused(r, 400)
        assert r.json()["error"] == "bad_host"


# --- finding 13: headers ---------------------------------------------------------------


async def test_router_level_404_and_405_carry_the_security_headers(client, db):
    for method, path in [("GET", "/no/such/page"), ("DELETE", "/health"), ("PUT", "/login"),
                         ("GET", "/static/no-such-file.js")]:
        r = await client.request(method, path)
        assert r.status_code in (404, 405), (method, path, r.status_code)
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], (method, path)
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"


async def test_pages_behind_a_secret_link_are_not_cached(client, db, settings):
    event = await open_event()
    registered = await visitor(event, 1)
    link = visitor_page_url(settings, registered.visitor_id, 1).removeprefix(settings.base_url)
    for path in (link, f"{link}/export", f"{link}/export.json", f"/me/1.{MAC}"):
        r = await client.get(path)
        assert r.status_code in (200, 404), (path, r.status_code)
        assert "no-store" in r.headers.get("cache-control", ""), path


async def test_employer_exports_are_not_cached(client, db):
    from event_ops.employers.service import add_employer

    event = await open_event()
    employer = await add_employer(event, name="Bakkerij Jansen")
    employer_id = employer.id
    admin = await bearer(event, "employer", employer_id=employer_id)
    for suffix in ("csv", "xlsx"):
        r = await client.get(f"/api/v1/events/{event.slug}/interests.{suffix}", headers=admin)
        assert r.status_code == 200, r.text[:200]
        assert r.headers["cache-control"] == "no-store"
