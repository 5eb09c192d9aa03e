"""Lock-out per account and client (finding 6): a stranger's wrong passwords lock out the
stranger, the owner's own browser keeps working, a mailed unlock link lets a new browser
in, and repeated lock-outs alert the admins."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from event_ops import clock
from event_ops.access import accounts, credentials
from event_ops.access.accounts import create_account
from event_ops.core.db import current_engine
from event_ops.mail.outbox import build_message
from tests.helpers import PASSWORD, csrf_token, signed_in
from tests.test_rate_limits import running


def _csrf(http: httpx.AsyncClient) -> str:
    """A CSRF token for the session this client holds (tokens are bound to it)."""
    return csrf_token(http.cookies.get("eo_session", ""))
OWNER = "anna@gemeente.example.nl"


async def login(http: httpx.AsyncClient, password: str = PASSWORD) -> httpx.Response:
    csrf = _csrf(http)
    http.cookies.set("csrftoken", csrf)
    return await http.post("/login", data={"email": OWNER, "password": password,
                                           "next": "/organiser", "_csrf_token": csrf})


async def guess(http: httpx.AsyncClient, times: int = accounts.MAX_FAILED_LOGINS) -> None:
    for n in range(times):
        assert (await login(http, f"guess number {n}")).status_code == 401


def device_of(response: httpx.Response) -> str:
    return re.search(r"eo_device=([^;]+)", response.headers["set-cookie"]).group(1)


async def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out(db, settings):
    await create_account(OWNER, "Anna", "organiser_admin", PASSWORD)
    async with running(settings, rate_limit=0) as client_from:
        stranger = client_from("198.51.100.66")
        await guess(stranger)
        locked = await login(stranger)  # even with the right password
        assert locked.status_code == 429 and "Wacht 15 minuten" in locked.text
        owner = client_from("192.0.2.10")
        assert (await login(owner)).status_code in (302, 303)


async def test_the_owners_browser_gets_in_even_from_the_strangers_network(db, settings):
    await create_account(OWNER, "Anna", "organiser_admin", PASSWORD)
    async with running(settings, rate_limit=0) as client_from:
        owner = client_from("203.0.113.1")  # festival Wi-Fi: one address for everyone
        first = await login(owner)
        assert first.status_code in (302, 303)
        device = device_of(first)
        stranger = client_from("203.0.113.1")
        await guess(stranger)
        assert (await login(stranger)).status_code == 429
        # A made-up browser id is no way around the lock.
        stranger.cookies.set("eo_device", accounts.new_device_id())
        assert (await login(stranger)).status_code == 429
        owner.cookies.clear()
        owner.cookies.set("eo_device", device)
        assert (await login(owner)).status_code in (302, 303)


async def unlock_link(settings) -> str:
    mails = await current_engine().fetch(
        "SELECT id, kind, registration_id, recipient FROM outbox_mail"
        " WHERE kind = 'account.unlock'", [])
    assert len(mails) == 1 and mails[0]["recipient"] == OWNER
    message = await build_message(settings, dict(mails[0]))
    body = message.get_content()
    assert "15 minuten" in body and "15 minutes" in body
    return re.search(r"http://\S+(/login/unlock/\S+)", body).group(1)


async def test_a_lock_out_mails_the_owner_an_unlock_link_that_works_once(
        db, settings, monkeypatch):
    await create_account(OWNER, "Anna", "organiser_admin", PASSWORD)
    async with running(settings, rate_limit=0) as client_from:
        stranger = client_from("203.0.113.1")
        await guess(stranger)
        owner = client_from("203.0.113.1")  # a new laptop on the same Wi-Fi
        assert (await login(owner)).status_code == 429
        link = await unlock_link(settings)

        page = await owner.get(link)  # opening the mail does not unlock anything yet
        assert page.status_code == 200 and "Deze computer van slot halen" in page.text
        csrf = _csrf(owner)
        owner.cookies.set("csrftoken", csrf)
        done = await owner.post(link, data={"_csrf_token": csrf})
        assert done.status_code in (302, 303)
        assert done.headers["location"].startswith("/login?unlocked=1")
        owner.cookies.set("eo_device", device_of(done))
        assert "weer inloggen" in (await owner.get(done.headers["location"])).text
        assert (await login(owner)).status_code in (302, 303)
        # The stranger, still guessing from the same address, stays locked out.
        assert (await login(stranger)).status_code == 429

        # Once only; and not for someone else's browser.
        again = client_from("203.0.113.1")
        csrf = _csrf(again)
        again.cookies.set("csrftoken", csrf)
        assert (await again.post(link, data={"_csrf_token": csrf})).status_code == 404
        forged = re.sub(r"\.[A-Za-z0-9_-]+$", "." + "A" * 43, link)
        assert (await again.post(forged, data={"_csrf_token": csrf})).status_code == 404

        # More lock-outs within 15 minutes send no more mails (no flooding the inbox).
        unlock_mails = "SELECT COUNT(*) AS n FROM outbox_mail WHERE kind = 'account.unlock'"
        await guess(client_from("203.0.113.2"))
        assert (await current_engine().fetch(unlock_mails, []))[0]["n"] == 1
        later = clock.now() + dt.timedelta(minutes=16)
        monkeypatch.setattr(clock, "now", lambda: later)
        await guess(client_from("203.0.113.3"))
        assert (await current_engine().fetch(unlock_mails, []))[0]["n"] == 2


async def test_an_unlock_link_expires_after_an_hour(db, settings, monkeypatch):
    await create_account(OWNER, "Anna", "organiser_admin", PASSWORD)
    async with running(settings, rate_limit=0) as client_from:
        stranger = client_from("203.0.113.1")
        await guess(stranger)
        link = await unlock_link(settings)
        later = clock.now() + dt.timedelta(minutes=61)
        monkeypatch.setattr(clock, "now", lambda: later)
        owner = client_from("203.0.113.1")
        csrf = _csrf(owner)
        owner.cookies.set("csrftoken", csrf)
        assert (await owner.post(link, data={"_csrf_token": csrf})).status_code == 404


async def test_the_unlock_link_also_frees_the_owners_own_browser(db, settings):
    """Five typos of the owner lock their own browser; the mailed link frees it."""
    await create_account(OWNER, "Anna", "organiser_admin", PASSWORD)
    async with running(settings, rate_limit=0) as client_from:
        owner = client_from("192.0.2.10")
        owner.cookies.set("eo_device", device_of(await login(owner)))
        await guess(owner)
        assert (await login(owner)).status_code == 429
        csrf = _csrf(owner)
        owner.cookies.set("csrftoken", csrf)
        link = await unlock_link(settings)
        assert (await owner.post(link, data={"_csrf_token": csrf})).status_code in (302, 303)
        assert (await login(owner)).status_code in (302, 303)


async def test_repeated_lock_outs_alert_the_admins(db, settings):
    await create_account(OWNER, "Anna de Vries", "organiser_staff", PASSWORD)
    admin = await signed_in("organiser_admin", email="admin@gemeente.example.nl")
    async with running(settings, rate_limit=0) as client_from:
        for n in range(accounts.REPEATED_LOCKOUTS + 1):
            await guess(client_from(f"198.51.100.{n + 1}"))
        rows = await current_engine().fetch(
            "SELECT action, subject_id FROM audit_entry WHERE action LIKE 'login.lock%'"
            " ORDER BY id", [])
        actions = [r["action"] for r in rows]
        assert actions.count("login.locked") == accounts.REPEATED_LOCKOUTS + 1
        assert actions.count("login.lockout_alert") == 1  # once, not at every lock-out
        home = await client_from("192.0.2.1").get("/organiser", headers=admin)
        assert "iemand probeert wachtwoorden te raden" in home.text
        assert "Anna de Vries (anna@gemeente.example.nl): 4 keer op slot" in home.text
        staff = await signed_in("organiser_staff", email="bo@gemeente.example.nl")
        assert "wachtwoorden te raden" not in (
            await client_from("192.0.2.2").get("/organiser", headers=staff)).text


async def test_guesses_from_many_addresses_stop_strangers_but_not_the_owner(
        db, settings, monkeypatch):
    """Per-client counting must not give a botnet unlimited guesses."""
    monkeypatch.setattr(credentials, "ACCOUNT_WIDE_FAILURES", 12)
    await create_account(OWNER, "Anna", "organiser_admin", PASSWORD)
    async with running(settings, rate_limit=0) as client_from:
        owner = client_from("192.0.2.10")
        first = await login(owner)
        device = device_of(first)
        for n in range(3):
            await guess(client_from(f"198.51.100.{n + 1}"), 4)  # never 5 from one address
        assert (await login(client_from("198.51.100.99"))).status_code == 429
        assert (await login(client_from("198.51.100.98"))).status_code == 429
        # The owner hears of it once, with a link to let a new browser in.
        assert await unlock_link(settings)
        owner.cookies.clear()
        owner.cookies.set("eo_device", device)
        assert (await login(owner)).status_code in (302, 303)


@pytest.mark.browser
async def test_unlock_pages_have_no_wcag_violations(live_server, db):
    from tests.browser import chromium
    from tests.test_accessibility import violations

    found = {}
    async with chromium() as browser:
        page = await (await browser.new_context(bypass_csp=True, locale="nl-NL")).new_page()
        for path in ("/login/unlock/1." + "A" * 43, "/login?unlocked=1",
                     "/login?lang=en&unlocked=1"):
            await page.goto(live_server + path)
            if bad := await violations(page):
                found[path] = bad
    assert found == {}
