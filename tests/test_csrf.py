"""CSRF tokens are bound to the session (issue 12, finding 12): an attacker's own CSRF
cookie and field pair does not pass together with the victim's session cookie; the
normal form flow, from the login form before any session to the forms after it, works."""

from __future__ import annotations

import re

from event_ops.access.accounts import create_account, log_in
from tests.helpers import PASSWORD, open_event

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _field(page: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


async def _attacker_pair(client) -> tuple[str, str]:
    """What an attacker gets from our own login page: a valid cookie and its field."""
    client.cookies.clear()
    page = await client.get("/login")
    cookie = client.cookies.get("csrftoken")
    client.cookies.clear()
    return cookie, _field(page.text)


async def _victim_session() -> str:
    await create_account("victim@gemeente.example.nl", "Vera", "organiser_admin", PASSWORD)
    return await log_in("victim@gemeente.example.nl", PASSWORD)


async def test_an_attackers_pair_with_the_victims_session_is_refused_on_forms(client, db):
    event = await open_event()
    cookie, field = await _attacker_pair(client)
    assert cookie == field  # a working pair for a browser without a session
    session = await _victim_session()
    r = await client.post(
        f"/events/{event.slug}/devices",
        headers={**FORM, "Cookie": f"eo_session={session}; csrftoken={cookie}"},
        content=f"role=door&label=Door+North&employer_id=&_csrf_token={field}")
    assert r.status_code == 403, r.text[:300]
    r = await client.post("/logout", headers={
        **FORM, "Cookie": f"eo_session={session}; csrftoken={cookie}"},
        content=f"_csrf_token={field}")
    assert r.status_code == 403
    # The attacker's pair made with their *own* session does not pass either.
    await create_account("mallory@gemeente.example.nl", "Mallory", "organiser_admin", PASSWORD)
    own = await log_in("mallory@gemeente.example.nl", PASSWORD)
    page = await client.get("/organiser", cookies={"eo_session": own})
    assert page.status_code == 200
    mallory_pair = client.cookies.get("csrftoken")
    client.cookies.clear()
    r = await client.post("/logout", headers={
        **FORM, "Cookie": f"eo_session={session}; csrftoken={mallory_pair}"},
        content=f"_csrf_token={mallory_pair}")
    assert r.status_code == 403


async def test_an_attackers_pair_with_the_victims_session_is_refused_by_the_api(client, db):
    event = await open_event()
    cookie, _ = await _attacker_pair(client)
    session = await _victim_session()
    r = await client.post(f"/api/v1/events/{event.slug}/pairings",
                          headers={"Cookie": f"eo_session={session}; csrftoken={cookie}",
                                   "X-CSRFToken": cookie},
                          json={"role": "door", "label": "Door North"})
    assert r.status_code == 403 and r.json()["error"] == "csrf_failed"


async def test_the_normal_form_flow_works_from_the_login_form_on(client, db):
    event = await open_event()
    await create_account("anna@gemeente.example.nl", "Anna", "organiser_admin", PASSWORD)
    page = await client.get("/login")  # no session yet
    r = await client.post("/login", data={"email": "anna@gemeente.example.nl",
                                          "password": PASSWORD, "next": "/organiser",
                                          "_csrf_token": _field(page.text)})
    assert r.status_code in (302, 303), r.text[:300]
    before = client.cookies.get("csrftoken")
    # The next page gets a token for the new session; its forms work.
    page = await client.get(f"/events/{event.slug}/devices")
    assert page.status_code == 200
    token = client.cookies.get("csrftoken")
    assert token != before and _field(page.text) == token
    r = await client.post(f"/events/{event.slug}/devices", headers=FORM,
                          content=f"role=door&label=Door+North&employer_id=&_csrf_token={token}")
    assert r.status_code == 201, r.text[:300]
    # So does the API with the header, as the pages' scripts send it.
    r = await client.post(f"/api/v1/events/{event.slug}/pairings", headers={"X-CSRFToken": token},
                          json={"role": "door", "label": "Door South"})
    assert r.status_code == 201, r.text[:300]
    # The token stays the same while the session does (several tabs keep working).
    again = await client.get("/organiser")
    assert again.status_code == 200 and client.cookies.get("csrftoken") == token
    r = await client.post("/logout", headers=FORM, content=f"_csrf_token={token}")
    assert r.status_code in (302, 303)
    # Logged out: the login form works again with a token for no session.
    page = await client.get("/login")
    assert client.cookies.get("csrftoken") != token
    r = await client.post("/login", data={"email": "anna@gemeente.example.nl",
                                          "password": PASSWORD, "next": "/organiser",
                                          "_csrf_token": _field(page.text)})
    assert r.status_code in (302, 303)
