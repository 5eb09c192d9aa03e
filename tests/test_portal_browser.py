"""The employer sign-up form and the employer's own page in real Chromium: phone, tablet
and desktop widths without sideways scrolling, axe-core's WCAG 2.1 AA rules, Dutch and
English; the form filled in and sent as a person would."""

from __future__ import annotations

import json
import re

import pytest

from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer, add_vacancy
from tests.browser import chromium
from tests.helpers import contact_signed_in, open_event
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
WIDTHS = (375, 768, 1280)


async def sideways(page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth")


async def test_sign_up_form_and_portal_page(live_server, db):
    event = await open_event()
    employer = await add_employer(event, name="Zorggroep Noord", sector="care",
                                  kvk_number="12345678")
    await add_vacancy(employer.id, title="Verzorgende IG in de wijk met een lange titel")
    headers = await contact_signed_in(employer.organisation)
    secret = re.search(r"eo_session=([^;]+)", headers["Cookie"]).group(1)
    found: dict[str, object] = {}
    async with chromium() as browser:
        for width in WIDTHS:
            for lang in ("nl", "en"):
                context = await browser.new_context(
                    bypass_csp=True, viewport={"width": width, "height": 800})
                page = await context.new_page()
                where = f"{width}-{lang}"
                await page.goto(f"{live_server}/events/{event.slug}/employer-signup?lang={lang}")
                if await sideways(page):
                    found[f"signup-scroll-{where}"] = True
                if bad := await violations(page):
                    found[f"signup-{where}"] = bad
                # Sent empty: the error summary, announced, each error at its field.
                await page.get_by_role("button", name="Aanmelding versturen" if lang == "nl"
                                       else "Send application").click()
                summary = page.get_by_role("alert")
                await summary.wait_for()
                if await sideways(page):
                    found[f"errors-scroll-{where}"] = True
                if bad := await violations(page):
                    found[f"errors-{where}"] = bad

                await context.add_cookies([{"name": "eo_session", "value": secret,
                                            "url": live_server}])
                await page.goto(f"{live_server}/employer?lang={lang}")
                assert "Zorggroep Noord" in await page.content()
                if await sideways(page):
                    found[f"portal-scroll-{where}"] = True
                if bad := await violations(page):
                    found[f"portal-{where}"] = bad
                await context.close()

        # Filled in and sent, as a person would (Dutch, on a phone).
        context = await browser.new_context(viewport={"width": 375, "height": 800},
                                            locale="nl-NL")
        page = await context.new_page()
        await page.goto(f"{live_server}/events/{event.slug}/employer-signup")
        await page.get_by_label("Naam van de organisatie").fill("Bouw BV")
        await page.get_by_label("KvK-nummer").fill("87654321")
        await page.get_by_label("Sector").select_option("construction")
        await page.get_by_label("Naam", exact=True).fill("Piet Bouw")
        await page.get_by_label("E-mailadres op het werk").fill("piet@bouw.example.nl")
        await page.get_by_label("Telefoonnummer").fill("06 1234 5678")
        await page.get_by_label("Stroom").check()
        await page.get_by_label("Met hoeveel mensen kom je?").fill("2")
        await page.get_by_role("button", name="Aanmelding versturen").click()
        await page.get_by_role("heading", name="Bedankt voor je aanmelding").wait_for()
        await context.close()
    assert not found, json.dumps(found, indent=1)
    rows = await current_engine().fetch("SELECT * FROM employer_application")
    assert len(rows) == 1 and rows[0]["kvk_number"] == "87654321" and rows[0]["needs_power"]
