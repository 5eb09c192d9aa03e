"""The registration pages, in a real headless Chromium against the real server."""

from __future__ import annotations

import pytest

from event_ops.core.db import current_engine
from tests.browser import ARTIFACTS, chromium

pytestmark = pytest.mark.browser


async def test_full_registration_through_the_form(live_server, festival):
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
        await page.goto(live_server + "/")
        await page.get_by_role("link", name="Werkfestival 2.0").click()
        await page.get_by_role("link", name="Aanmelden").click()
        await page.get_by_role("textbox", name="Naam").fill("Anne-Marie van den Heuvel-Wijnberg")
        await page.get_by_role("textbox", name="E-mailadres").fill("annemarie@example.nl")
        await page.get_by_role("textbox", name="Telefoonnummer").fill("06-12345678")
        await page.get_by_role("textbox", name="Postcode").fill("9712 cp")
        await page.get_by_role("checkbox", name="Zorg en welzijn", exact=True).check()
        search = page.get_by_label("Zoek wat je kunt")
        await search.fill("verzorg")
        first = page.locator(".competency:not([hidden]) input[type=checkbox]").first
        code = await first.get_attribute("value")
        await first.check()
        await page.locator(f"select[name='level_{code}']").select_option("3")
        await page.get_by_label("Hoogste opleiding").select_option("mbo3")
        await page.get_by_label("voorwaarden").check()
        await page.get_by_role("button", name="Aanmelden").click()
        await page.get_by_role("heading", name="Je bent aangemeld!").wait_for()
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "registered.png"), full_page=True)

    db = current_engine()
    visitor = (await db.fetch("SELECT * FROM visitor"))[0]
    assert visitor["name"] == "Anne-Marie van den Heuvel-Wijnberg"
    assert visitor["phone"] == "+31612345678"
    assert visitor["postcode"] == "9712 CP"
    assert not visitor["share_profile"]
    comps = await db.fetch("SELECT code, level FROM profile_competency")
    assert comps == [{"code": code, "level": 3}]
    assert len(await db.fetch("SELECT id FROM registration")) == 1


async def test_form_errors_show_next_to_the_field_and_keep_input(live_server, festival):
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(live_server + "/events/werkfestival/register?lang=en")
        await page.get_by_role("textbox", name="E-mail address").fill("not-an-email")
        await page.get_by_role("textbox", name="Phone number").fill("06 1234 5678")
        await page.get_by_role("button", name="Sign up").click()
        await page.get_by_role("heading", name="Please look at these questions again:").wait_for()
        assert "not a valid e-mail address" in await page.locator("#email-error").inner_text()
        assert "Please fill this in" in await page.locator("#name-error").inner_text()
        consent_error = await page.locator("#consent_terms-error").inner_text()
        assert "Tick the box for the terms" in consent_error
        phone = page.get_by_role("textbox", name="Phone number")
        assert await phone.input_value() == "06 1234 5678"
        email = page.get_by_role("textbox", name="E-mail address")
        assert await email.get_attribute("aria-invalid") == "true"
    assert await current_engine().fetch("SELECT id FROM registration") == []


async def test_competency_search_hides_what_does_not_match(live_server, festival):
    """Typing in "Zoek wat je kunt" leaves only the matching competencies visible (the
    `hidden` attribute once lost against `.competency{display:grid}`)."""
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")
        await page.goto(live_server + "/events/werkfestival/register")
        items = page.locator("li.competency")
        total = await items.count()
        assert total > 100
        await page.get_by_label("Zoek wat je kunt").fill("lassen")
        names = await page.evaluate(
            "() => [...document.querySelectorAll('li.competency')]"
            ".filter(li => li.checkVisibility())"
            ".map(li => li.querySelector('label').textContent.trim())")
        assert names, "nothing matches 'lassen'"
        assert len(names) < 10, names
        assert all("lassen" in n.lower() for n in names), names
        # Keyboard users no longer walk through every item: the first competency that Tab
        # reaches from the search box (past the group's summary) is a matching one.
        await page.get_by_label("Zoek wat je kunt").focus()
        focused = None
        for _ in range(4):
            await page.keyboard.press("Tab")
            focused = await page.evaluate("document.activeElement.closest('li.competency')"
                                          "?.querySelector('label').textContent")
            if focused:
                break
        assert focused and "lassen" in focused.lower(), focused
