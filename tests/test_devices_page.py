"""The devices page in headless Chromium: with 250 employers the stand's employer is found
by typing (with JavaScript) and chosen from the plain list (without)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account, log_in
from event_ops.core.db import current_engine
from tests.browser import chromium
from tests.helpers import PASSWORD, open_event

pytestmark = pytest.mark.browser
EMPLOYERS = 250


async def setup() -> tuple[str, str]:
    event = await open_event()
    db = current_engine()
    # 250 employers, one of them "Zorggroep Noord" (inserted directly: the page reads names).
    names = [f"Werkgever {n:03d} BV" for n in range(EMPLOYERS - 2)]
    names += ["Zorggroep Noord", "Zorgcentrum De Linde"]
    for name in names:
        await db.fetch("INSERT INTO employer (event, name, sector, is_training_provider,"
                       " contact_email, created_at) VALUES (?, ?, 'care', ?, '', ?)",
                       [event.id, name, False, event.starts_at])
    await create_account("anna@gemeente.example.nl", "Anna de Vries", "organiser_admin",
                         PASSWORD)
    return event.slug, await log_in("anna@gemeente.example.nl", PASSWORD)


async def paired_employer() -> str:
    rows = await current_engine().fetch(
        "SELECT e.name FROM pairing_code p JOIN employer e ON e.id = p.employer ORDER BY p.id")
    return rows[-1]["name"]


async def test_employer_filter_with_and_without_javascript(live_server, db):
    slug, session = await setup()
    async with chromium() as browser:
        for scripts in (True, False):
            context = await browser.new_context(base_url=live_server,
                                                java_script_enabled=scripts)
            await context.add_cookies([{"name": "eo_session", "value": session,
                                        "url": live_server}])
            page = await context.new_page()
            await page.goto(f"/events/{slug}/devices?lang=en")
            picker = page.get_by_label("Employer", exact=True)
            await expect(picker.locator("option")).to_have_count(EMPLOYERS + 1)
            await page.get_by_label("What is this device for?").select_option("employer")
            await page.get_by_label("Name of this device").fill(f"Tablet {scripts}")
            search = page.get_by_label("Find an employer")
            if scripts:
                await search.fill("zorg")
                await expect(picker.locator("option")).to_have_count(3)  # "–" and two
                await expect(page.locator("#employer-filter-count")).to_have_text(
                    "2 employers found")
                await search.fill("zorggroep")
                await expect(page.locator("#employer-filter-count")).to_have_text(
                    "1 employer found")
                # One match is chosen at once; Enter in the box does not submit the form.
                await search.press("Enter")
                await expect(picker).to_be_focused()
                assert await picker.evaluate("s => s.selectedOptions[0].textContent") == (
                    "Zorggroep Noord")
                await search.fill("xyz")
                await expect(page.locator("#employer-filter-count")).to_have_text(
                    "No employer found")
                await search.fill("zorggroep")
            else:
                await expect(search).to_be_hidden()
                await picker.select_option(label="Zorggroep Noord")
            await page.get_by_role("button", name="Make a QR code").click()
            await expect(page.get_by_alt_text("QR code to pair the device")).to_be_visible()
            assert await paired_employer() == "Zorggroep Noord"
            assert re.search(r"/pair#", await page.content())
            await context.close()
