"""An organiser logs in in headless Chromium, typing and submitting with the keyboard, and
the organiser pages work on the session alone (no token pasted); the account pages pass
axe-core."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account
from tests.browser import chromium
from tests.helpers import PASSWORD, open_event, visitor
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
TIMEOUT = 15_000


async def test_organiser_logs_in_with_the_keyboard_and_watches_the_dashboard(live_server, db):
    event = await open_event()
    for n in range(3):
        await visitor(event, n, name=f"Gast {n}")
    await create_account("anna@gemeente.example.nl", "Anna de Vries", "organiser_admin",
                         PASSWORD)
    found: dict[str, list] = {}
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, locale="nl-NL",
                                            bypass_csp=True)
        page = await context.new_page()
        await page.goto("/dashboard/festival-today?lang=en")
        await expect(page.locator("#unpaired")).to_be_visible(timeout=TIMEOUT)  # no session

        await page.goto("/login?lang=en")
        await page.get_by_label("E-mail address").focus()
        await page.keyboard.type("anna@gemeente.example.nl")
        await page.keyboard.press("Tab")
        await page.keyboard.type("wrong password!")
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("alert")).to_contain_text("not right")
        if bad := await violations(page):
            found["login-error"] = bad
        await page.get_by_label("Password").fill(PASSWORD)
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/organiser", timeout=TIMEOUT)
        cookies = {c["name"]: c for c in await context.cookies()}
        assert cookies["eo_session"]["httpOnly"] is True
        assert cookies["eo_session"]["sameSite"] == "Lax"
        if bad := await violations(page):
            found["organiser"] = bad

        await page.get_by_role("link", name="Live overzicht").click()
        await expect(page.locator("#dashboard")).to_have_attribute("data-ready", "true",
                                                                   timeout=TIMEOUT)
        await expect(page.locator("#unpaired")).to_be_hidden()
        await expect(page.locator("#stat-registered")).to_have_text("3", timeout=TIMEOUT)
        await expect(page.locator("#live")).to_have_attribute("data-live", "true",
                                                              timeout=TIMEOUT)

        # Pair a door from the devices page: the QR code shows.
        await page.goto("/events/festival-today/devices?lang=en")
        await page.get_by_label("What is this device for?").select_option("door")
        await page.get_by_label("Name of this device").fill("Door North")
        await page.get_by_role("button", name="Make a QR code").click()
        await expect(page.get_by_alt_text("QR code to pair the device")).to_be_visible()
        if bad := await violations(page):
            found["devices"] = bad

        for name, path in {"totp": "/account/totp", "audit": "/admin/audit?lang=en",
                           "login": "/login"}.items():
            await page.goto(path)
            if bad := await violations(page):
                found[name] = bad
    assert not found, found
