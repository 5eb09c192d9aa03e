"""The employer portal's "Beveiliging / Security" and "Collega's / Colleagues" pages, and
the login page with its password form, in real Chromium: phone, tablet and desktop widths
without sideways scrolling, axe-core's WCAG 2.1 AA rules, Dutch and English; two-step login
turned on as a person would (QR key typed into an "app": pyotp)."""

from __future__ import annotations

import json
import re

import pyotp
import pytest

from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer
from tests.browser import chromium
from tests.helpers import contact_signed_in, open_event
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
WIDTHS = (375, 768, 1280)
LONG_EMAIL = "anja.de.vries-van-den-berg@zorggroep-noord-en-omstreken.example.nl"


async def sideways(page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth")


async def test_security_and_colleagues_pages(live_server, db):
    event = await open_event()
    employer = await add_employer(event, name="Zorggroep Noord", sector="care",
                                  kvk_number="12345678")
    headers = await contact_signed_in(employer.organisation, LONG_EMAIL)
    secret = re.search(r"eo_session=([^;]+)", headers["Cookie"]).group(1)
    found: dict[str, object] = {}
    async with chromium() as browser:
        for width in WIDTHS:
            for lang in ("nl", "en"):
                context = await browser.new_context(
                    bypass_csp=True, viewport={"width": width, "height": 800})
                page = await context.new_page()
                where = f"{width}-{lang}"
                await page.goto(f"{live_server}/employer/login?lang={lang}")
                for name, check in (("login", None), ("login-error", "submit")):
                    if check:
                        await page.locator("#password-email").fill("x@example.nl")
                        await page.locator("#password").fill("wrong password")
                        await page.locator("form[action^='/employer/login/password'] button"
                                           ).click()
                        await page.get_by_role("alert").wait_for()
                    if await sideways(page):
                        found[f"{name}-scroll-{where}"] = True
                    if bad := await violations(page):
                        found[f"{name}-{where}"] = bad
                await context.add_cookies([{"name": "eo_session", "value": secret,
                                            "url": live_server}])
                for path in ("/employer", "/employer/security", "/employer/colleagues"):
                    await page.goto(f"{live_server}{path}?lang={lang}")
                    name = path.rsplit("/", 1)[-1]
                    if await sideways(page):
                        found[f"{name}-scroll-{where}"] = True
                    if bad := await violations(page):
                        found[f"{name}-{where}"] = bad
                # A wrong code: the error summary and the field's error, still accessible.
                await page.goto(f"{live_server}/employer/security?lang={lang}")
                await page.locator("#totp_code").fill("000000")
                await page.locator("form[action^='/employer/security/totp'] button").click()
                await page.get_by_role("alert").wait_for()
                if await sideways(page):
                    found[f"security-error-scroll-{where}"] = True
                if bad := await violations(page):
                    found[f"security-error-{where}"] = bad
                await context.close()

        # Two-step login turned on as a person would, on a phone, in Dutch.
        context = await browser.new_context(viewport={"width": 375, "height": 800},
                                            locale="nl-NL")
        await context.add_cookies([{"name": "eo_session", "value": secret,
                                    "url": live_server}])
        page = await context.new_page()
        await page.goto(f"{live_server}/employer")
        await page.get_by_role("link", name="Beveiliging").click()
        await page.get_by_label("Nieuw wachtwoord", exact=True).fill("lange zin als wachtwoord")
        await page.get_by_label("Nieuw wachtwoord nog een keer").fill("lange zin als wachtwoord")
        await page.get_by_role("button", name="Wachtwoord opslaan").click()
        await page.get_by_text("Je wachtwoord is opgeslagen.").wait_for()
        key = (await page.locator("code.secret").inner_text()).strip()
        await page.locator("#totp_code").fill(pyotp.TOTP(key).now())
        await page.get_by_role("button", name="Inloggen in 2 stappen aanzetten").click()
        await page.get_by_text("Inloggen in 2 stappen staat nu aan.").wait_for()
        await context.close()
    assert not found, json.dumps(found, indent=1)
    row = (await current_engine().fetch(
        "SELECT password_hash, totp_secret FROM contact_person"))[0]
    assert row["password_hash"].startswith("$argon2id$") and row["totp_secret"] == key
