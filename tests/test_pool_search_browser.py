"""The candidate pool from the employer's side in headless Chromium at 375, 768 and 1280 px:
a contact person logs in with a one-time link, searches the pool starting from one of their
job profiles, opens a result and asks for contact; the visitor says yes on their own pool page;
the employer then sees exactly the released details. Every page: no sideways scrolling, no
axe-core violations."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from event_ops.access.contacts import LINK_LIFETIME, issue_link, link_token
from event_ops.core.db import current_engine
from event_ops.employers.job_profiles import create_profile
from event_ops.employers.organisations import add_contact
from event_ops.employers.service import add_employer
from event_ops.mail.render import visitor_page_url
from event_ops.pool import search
from tests.browser import chromium
from tests.helpers import open_event
from tests.test_pool_search import seed_person
from tests.test_visitor_browser import check_page, viewport

pytestmark = pytest.mark.browser
WIDTHS = [375, 768, 1280]


async def login_path(settings, contact_id: int, email: str) -> str:
    """A fresh one-time login link of this contact person, as the mail holds it."""
    await issue_link(contact_id, LINK_LIFETIME, email)
    row = (await current_engine().fetch(
        "SELECT id, nonce FROM contact_login_link WHERE contact = ? AND used_at IS NULL",
        [contact_id]))[0]
    return "/employer/login/" + link_token(settings.secret_key, row["id"], row["nonce"])


async def test_search_ask_for_contact_accept_and_see_the_details(live_server, db, settings):
    event = await open_event("pool-search-browser")
    employer = await add_employer(event, name="Zorggroep Noord", sector="care",
                                  kvk_number="12345678")
    await create_profile(employer.organisation, {
        "title": "Helpende zorg", "sector": "care", "hours_per_week": 24, "postcode": "9711",
        "positions": 1}, [("car-hygiene", 2, True)], "test")
    email = "anja@zorg.example.nl"
    contact = await add_contact(employer.organisation, {"name": "Anja", "email": email,
                                                        "phone": "", "role": ""}, "test")
    async with chromium() as browser:
        for n, width in enumerate(WIDTHS, start=1):
            visitor_id, ref = await seed_person(
                event, name=f"Sara Bakker {n}", email=f"sara{n}@example.nl",
                phone="0612345678")
            search.invalidate()
            boss = await browser.new_context(base_url=live_server, viewport=viewport(width),
                                             locale="nl-NL", bypass_csp=True)
            page = await boss.new_page()
            await page.goto(await login_path(settings, contact, email))
            await page.get_by_role("button", name="Nu inloggen").click()
            await page.get_by_role("link", name="Zoeken in de talentenpool").click()
            await expect(page.get_by_role("heading", level=1)).to_have_text("Talentenpool")
            await check_page(page, "pool-search-form", width)
            await page.get_by_label("Begin bij een functieprofiel van jullie").select_option(
                label="Helpende zorg")
            await page.get_by_label("Postcode van het werk").fill("9711")
            await page.get_by_role("button", name="Zoeken").click()
            await expect(page.get_by_role("heading", name=f"{n} mensen gevonden")).to_be_visible()
            result = page.get_by_role("article").filter(has_text=ref)
            await expect(result).to_contain_text(f"Kandidaat {ref}")
            await expect(result).to_contain_text("Hygiëne in de zorg")
            for secret in (f"Sara Bakker {n}", f"sara{n}@example.nl", "0612345678"):
                assert secret not in await page.content()
            await check_page(page, "pool-search-results", width)

            await page.get_by_role("link", name=f"Bekijk kandidaat {ref}").click()
            await expect(page.get_by_role("heading", level=1)).to_have_text(f"Kandidaat {ref}")
            await check_page(page, "pool-search-card", width)
            await page.get_by_label("Je bericht aan deze persoon").fill("Kom je kennismaken?")
            await page.get_by_role("button", name="Contactverzoek versturen").click()
            await expect(page.get_by_role("status")).to_have_text(
                "Je contactverzoek is verstuurd.")
            await expect(page.get_by_role("article").first).to_contain_text("Wacht op antwoord")
            await check_page(page, "pool-search-requests", width)

            # The visitor answers on their own pool page.
            me = visitor_page_url(settings, visitor_id, 1).removeprefix(settings.base_url)
            own = await browser.new_context(base_url=live_server, viewport=viewport(width),
                                            locale="nl-NL", bypass_csp=True)
            mine = await own.new_page()
            await mine.goto(me)
            await mine.get_by_role("link", name="Naar de kandidatenpool").click()
            await mine.get_by_role("button", name="Ja, deel mijn gegevens").click()
            await expect(mine.get_by_role("status")).to_contain_text("Je hebt ja gezegd")
            await own.close()

            await page.reload()
            card = page.get_by_role("article").first
            await expect(card).to_contain_text("Ja, contact mag")
            await expect(card).to_contain_text(f"sara{n}@example.nl")
            assert "0612345678" not in await page.content()  # not chosen: not released
            assert f"Sara Bakker {n}" not in await page.content()
            await check_page(page, "pool-search-accepted", width)
            await boss.close()
