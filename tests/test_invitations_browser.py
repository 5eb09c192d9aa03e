"""Invitations in headless Chromium, as a job coach does it: a sheet with a broken row
(nothing stored, row and column named), then the corrected sheet, preview, confirm, and the
list with invited → opened → registered; at phone, tablet and desktop width without
sideways scrolling, with axe-core (WCAG 2.1 AA), in Dutch and English."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account
from event_ops.core.db import current_engine
from event_ops.core.settings import get_settings
from event_ops.people.invitations import invitation_token
from tests.browser import ARTIFACTS, chromium
from tests.helpers import PASSWORD, open_event
from tests.test_accessibility import violations
from tests.test_employer_import_browser import no_sideways_scroll
from tests.test_invitations import HEADER, xlsx

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
WIDTHS = (375, 768, 1280)
ROWS = [["Sara Bakker", "sara@example.nl", "06 12345678", "", "nl"],
        ["Youssef El Amrani", "", "0612345679", "", ""],
        ["Anna Kowalska", "anna.k@example.com", "", "", "en"]]


async def test_import_and_list_in_the_browser(live_server, db, tmp_path):
    event = await open_event("banendag")
    await create_account("coach@gemeente.example.nl", "Karin Coach", "job_coach", PASSWORD,
                         [event.id])
    broken_rows = [list(r) for r in ROWS]
    broken_rows[1][2] = "bel me"  # row 3 in Excel: no phone number
    broken, good = tmp_path / "lijst-fout.xlsx", tmp_path / "lijst.xlsx"
    broken.write_bytes(xlsx(HEADER, broken_rows))
    good.write_bytes(xlsx(HEADER, ROWS))
    path = "/admin/events/banendag/invitations"
    found: dict[str, list] = {}
    sideways: list[str] = []

    async def check(page, name: str) -> None:
        if bad := await violations(page):
            found[name] = bad
        if not await no_sideways_scroll(page):
            sideways.append(name)

    async def stored() -> int:
        return len(await current_engine().fetch("SELECT id FROM visitor_invitation"))

    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, locale="nl-NL",
                                            bypass_csp=True,
                                            viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        await page.goto("/login")
        await page.get_by_label("E-mailadres").fill("coach@gemeente.example.nl")
        await page.get_by_label("Wachtwoord").fill(PASSWORD)
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/organiser", timeout=TIMEOUT)

        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": 900})
            await page.goto(path)
            await check(page, f"invitations-empty-{width}")
            await page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(broken)
            await page.get_by_role("button", name="Controleren").click()
            await expect(page.get_by_role("alert")).to_contain_text(
                "Er is niets opgeslagen of verstuurd", timeout=TIMEOUT)
            row = page.locator("table.import-problems tbody tr")
            await expect(row).to_have_count(1)
            await expect(row.locator("td").nth(0)).to_have_text("3")
            await expect(row.locator("td").nth(1)).to_have_text("telefoon")
            await check(page, f"invitations-problems-{width}")
        assert await stored() == 0

        await page.set_viewport_size({"width": 375, "height": 800})
        await page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(good)
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.get_by_role("status").first).to_contain_text(
            "3 nieuwe mensen (2 per e-mail, 0 per sms, 1 niet te versturen)", timeout=TIMEOUT)
        await check(page, "invitations-preview-375")
        assert await stored() == 0  # a preview stores nothing
        await page.get_by_role("button", name="Uitnodigen").click()
        await page.wait_for_url("**/invitations?**imported=3.0", timeout=TIMEOUT)
        await expect(page.locator(".success")).to_contain_text("Klaar: 3 mensen uitgenodigd")
        await expect(page.locator("#invitation-counts")).to_contain_text(
            "3 uitgenodigd: 3 nog niet geopend")
        assert await stored() == 3
        await page.screenshot(path=str(ARTIFACTS / "invitations-375.png"), full_page=True)

        # Sara opens her link: the list shows it.
        await current_engine().fetch(
            "UPDATE visitor_invitation SET status = 'opened' WHERE email = 'sara@example.nl'")
        for width in WIDTHS:
            for lang, counts in (("nl", "1 geopend"), ("en", "1 opened")):
                await page.set_viewport_size({"width": width, "height": 900})
                await page.goto(f"{path}?lang={lang}")
                await expect(page.locator("#invitation-counts")).to_contain_text(counts)
                await expect(page.locator("table.invitations tbody tr")).to_have_count(3)
                await check(page, f"invitations-list-{lang}-{width}")
        # Resend from the list (one button per person, named after them).
        await page.goto(f"{path}?lang=en")
        await page.get_by_role("button", name="Send again to Anna Kowalska").click()
        await expect(page.locator(".success")).to_contain_text("The invitation was sent again.")
        await check(page, "invitations-resent-en")
        # The invited person's form, filled in, at phone width.
        anna = (await current_engine().fetch(
            "SELECT id FROM visitor_invitation WHERE email = 'anna.k@example.com'"))[0]["id"]
        await page.set_viewport_size({"width": 375, "height": 800})
        await page.goto(f"/i/{invitation_token(get_settings().secret_key, anna)}")
        await expect(page.locator("#name")).to_have_value("Anna Kowalska")
        await expect(page.get_by_text("You are invited.")).to_be_visible()
        await check(page, "invited-form-en-375")
    assert not found, found
    assert not sideways, f"sideways scrolling on: {sideways}"
