"""The employers import in headless Chromium, as an organiser does it: an XLSX with a broken
row (nothing stored, row and column named), then the corrected sheet, preview, confirm; the
employers pages at phone, tablet and desktop width without sideways scrolling, and axe-core
(WCAG 2.1 AA) on every one of them."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account
from tests.browser import ARTIFACTS, chromium
from tests.helpers import PASSWORD, open_event
from tests.test_accessibility import violations
from tests.test_employer_import import HEADER, ROWS, counts, xlsx

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
WIDTHS = (375, 768, 1280)


async def no_sideways_scroll(page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


async def test_import_flow_in_the_browser(live_server, db, tmp_path):
    await open_event("banendag")
    await create_account("anna@gemeente.example.nl", "Anna de Vries", "organiser_admin",
                         PASSWORD)
    broken_rows = [list(r) for r in ROWS]
    broken_rows[2][5] = "Groningen"  # row 4 in Excel: no postcode
    broken, good = tmp_path / "werkgevers-fout.xlsx", tmp_path / "werkgevers.xlsx"
    broken.write_bytes(xlsx(HEADER, broken_rows))
    good.write_bytes(xlsx(HEADER, ROWS))
    import_path = "/admin/events/banendag/employers/import"
    found: dict[str, list] = {}
    sideways: list[str] = []

    async def check(page, name: str) -> None:
        if bad := await violations(page):
            found[name] = bad
        if not await no_sideways_scroll(page):
            sideways.append(name)

    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, locale="nl-NL",
                                            bypass_csp=True,
                                            viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        await page.goto("/login")
        await page.get_by_label("E-mailadres").fill("anna@gemeente.example.nl")
        await page.get_by_label("Wachtwoord").fill(PASSWORD)
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/organiser", timeout=TIMEOUT)

        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": 900})
            await page.goto(import_path)
            await check(page, f"import-{width}")
            await page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(broken)
            await page.get_by_role("button", name="Controleren").click()
            alert = page.get_by_role("alert")
            await expect(alert).to_contain_text("Er is niets opgeslagen", timeout=TIMEOUT)
            row = page.locator("table.import-problems tbody tr")
            await expect(row).to_have_count(1)
            await expect(row.locator("td").nth(0)).to_have_text("4")
            await expect(row.locator("td").nth(1)).to_have_text("vacancy_postcode")
            await check(page, f"import-problems-{width}")
        assert await counts() == (0, 0, 0, 0)

        await page.set_viewport_size({"width": 375, "height": 800})
        await page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(good)
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.get_by_role("status").first).to_contain_text(
            "2 nieuwe en 0 bestaande werkgevers", timeout=TIMEOUT)
        await check(page, "preview-375")
        assert await counts() == (0, 0, 0, 0)  # a preview stores nothing
        await page.get_by_role("button", name="Opslaan").click()
        await page.wait_for_url("**/admin/events/banendag/employers?**", timeout=TIMEOUT)
        await expect(page.locator(".success")).to_contain_text("Opgeslagen: 2 nieuwe")
        assert await counts() == (2, 3, 4, 2)
        await page.screenshot(path=str(ARTIFACTS / "employer-import-375.png"), full_page=True)

        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": 900})
            await page.goto("/admin/events/banendag/employers")
            await check(page, f"employers-{width}")
            await page.get_by_role("link", name="Zorggroep Noord").click()
            await expect(page.get_by_role("heading", level=1)).to_have_text("Zorggroep Noord")
            await check(page, f"employer-{width}")
            await page.get_by_role("link", name="Organisatie en contactpersonen").click()
            await check(page, f"organisation-{width}")
            await page.goto("/admin/organisations?lang=en")
            await check(page, f"organisations-en-{width}")

        # The competency picker works without script: open a sector, tick, choose a level.
        await page.set_viewport_size({"width": 375, "height": 800})
        await page.goto("/admin/events/banendag/employers")
        await page.get_by_role("link", name="Bouwbedrijf Hoekstra B.V.").click()
        await page.locator("#v_title").fill("Metselaar")
        await page.locator("#v_postcode").fill("9401")
        await page.locator("details.group summary", has_text="Bouw").first.click()
        await page.get_by_label("Metselen", exact=True).check()
        await page.get_by_label("Niveau van Metselen").select_option("3")
        await page.get_by_role("button", name="Vacature toevoegen").click()
        await expect(page.locator(".success")).to_contain_text("De vacature is toegevoegd")
        await expect(page.locator("table.audit")).to_contain_text("Metselen (Goed)")
        await check(page, "employer-with-vacancy-375")
    assert not found, found
    assert not sideways, f"sideways scrolling on: {sideways}"
