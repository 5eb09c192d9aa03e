"""The candidate pool on the visitor's own page in headless Chromium at 375, 768 and 1280 px:
the visitor opts in, sees a request for contact (made with request_contact) and says yes.
Every page: no sideways scrolling, no axe-core violations."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from event_ops.core.db import current_engine
from event_ops.employers.organisations import add_contact, create_organisation
from event_ops.mail.render import visitor_page_url
from event_ops.pool.membership import member_of
from event_ops.pool.requests import released_details, request_contact
from tests.browser import chromium
from tests.helpers import open_event, visitor
from tests.test_visitor_browser import check_page, viewport

pytestmark = pytest.mark.browser
WIDTHS = [375, 768, 1280]


async def test_a_visitor_opts_in_sees_a_request_and_accepts(live_server, db, settings):
    event = await open_event("pool-browser")
    org = await create_organisation("Zorggroep Noord", None, "test")
    contact = await add_contact(org, {"name": "Anja", "email": "anja@zorg.example.nl",
                                      "phone": "", "role": ""}, "test")
    async with chromium() as browser:
        for n, width in enumerate(WIDTHS, start=1):
            v = await visitor(event, n, name=f"Sara Bakker {n}")
            me = visitor_page_url(settings, v.visitor_id, 1).removeprefix(settings.base_url)
            context = await browser.new_context(base_url=live_server, viewport=viewport(width),
                                                locale="nl-NL", bypass_csp=True)
            page = await context.new_page()
            await page.goto(me)
            await page.get_by_role("link", name="Naar de kandidatenpool").click()
            await expect(page.get_by_role("heading", level=1)).to_have_text("Kandidatenpool")
            await check_page(page, "pool-empty", width)
            # Without consent and a detail to share: both named, nobody joins.
            await page.get_by_role("button", name="In de pool").click()
            summary = page.locator("#error-summary")
            await expect(summary).to_contain_text("Zet een vinkje")
            await expect(summary).to_contain_text("Kies minstens één")
            await check_page(page, "pool-errors", width)
            await page.get_by_label("6 maanden").check()
            await page.get_by_label("Minimaal (uren)").fill("16")
            await page.get_by_label("Maximaal (uren)").fill("24")
            await page.get_by_label("Mijn e-mailadres").check()
            await page.get_by_label("Ja, ik wil in de kandidatenpool").check()
            await page.get_by_role("button", name="In de pool").click()
            await expect(page.get_by_role("status")).to_have_text("Je staat in de pool.")
            member = await member_of(v.visitor_id)
            assert member is not None and member["findable"]

            request_id = await request_contact(member["ref"], org, contact, "Helpende zorg",
                                               None, "Wij zoeken iemand voor de avond.",
                                               "account:1")
            await page.goto(me)
            await expect(page.get_by_text("Open vragen om contact: 1")).to_be_visible()
            await page.get_by_role("link", name="Naar de kandidatenpool").click()
            card = page.locator(f"#request-{request_id}")
            await expect(card).to_contain_text("Zorggroep Noord")
            await expect(card).to_contain_text("Wij zoeken iemand voor de avond.")
            await expect(card).to_contain_text("krijgt Zorggroep Noord: e-mailadres")
            await check_page(page, "pool-request", width)
            await card.get_by_role("button", name="Ja, deel mijn gegevens").click()
            await expect(page.get_by_role("status")).to_contain_text("Je hebt ja gezegd")
            await expect(page.locator(f"#request-{request_id}")).to_contain_text("Je zei ja")
            await check_page(page, "pool-accepted", width)
            assert await released_details(request_id, org) == {
                "email": f"v{n}@example.nl"}
            await context.close()
    assert len(await current_engine().fetch(
        "SELECT id FROM pool_contact_request WHERE status = 'accepted'")) == 3
