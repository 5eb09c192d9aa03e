"""The events and programmes back office in headless Chromium: an admin sets up a programme
and an event with the keyboard and mouse only, two organisers edit one event at once (the
second is told, nothing is lost), and every page passes axe-core at phone, tablet and
desktop width in Dutch and English without scrolling sideways."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account, log_in
from event_ops.employers.service import add_employer
from event_ops.events import editing
from tests.browser import chromium
from tests.helpers import PASSWORD, open_event
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
WIDTHS = (375, 768, 1280)


async def session_for(email: str, role: str, events: list | None = None) -> str:
    await create_account(email, email.split("@")[0].title(), role, PASSWORD,
                         [e.id for e in events or []])
    return await log_in(email, PASSWORD)


async def signed_in_context(browser, live_server: str, secret: str, width: int = 1280):
    context = await browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True,
                                        viewport={"width": width, "height": 900})
    await context.add_cookies([{"name": "eo_session", "value": secret,
                                "url": live_server, "httpOnly": True, "sameSite": "Lax"}])
    return context


async def test_admin_sets_up_a_programme_and_an_event_in_the_browser(live_server, db):
    secret = await session_for("anna@gemeente.example.nl", "organiser_admin")
    async with chromium() as browser:
        context = await signed_in_context(browser, live_server, secret)
        page = await context.new_page()
        await page.goto("/admin/programmes")
        await page.get_by_label("Naam", exact=True).fill("Perspectief op Werk 2028")
        await page.get_by_label("Begindatum").fill("2028-01-01")
        await page.get_by_label("Einddatum").fill("2028-12-31")
        await page.get_by_label("Begin met de standaard doelen").check()
        await page.get_by_role("button", name="Programma maken").click()
        await expect(page.get_by_role("status")).to_have_text("Opgeslagen.", timeout=TIMEOUT)
        await expect(page.locator("fieldset")).to_have_count(6)
        # One more target: 25 employers for the whole programme.
        await page.locator("#f-targets-5-label").fill("Werkgevers")
        await page.locator("#f-targets-5-measure").select_option("employers")
        await page.locator("#f-targets-5-target").fill("25")
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.get_by_role("status")).to_have_text("Opgeslagen.", timeout=TIMEOUT)
        await expect(page.locator("fieldset")).to_have_count(7)

        await page.goto("/admin/events/new")
        await page.get_by_label("Korte naam in de link").fill("techniek-april")
        await page.get_by_label("Naam", exact=True).fill("Matchingsdag Techniek")
        await page.get_by_label("Programma").select_option(label="Perspectief op Werk 2028")
        await page.get_by_label("Begin (tijd in Nederland)").fill("2028-04-06T09:00")
        await page.get_by_label("Einde (tijd in Nederland)").fill("2028-04-06T12:00")
        await page.get_by_label("Locatie").fill("Alfa-college")
        await page.get_by_label("Route: zo kom je er").fill("Bus 15 tot Zernike")
        await page.get_by_label("Engels").check()
        await page.get_by_label("Alleen op uitnodiging").check()
        await page.get_by_role("button", name="Evenement maken").click()
        await expect(page.get_by_role("status").first).to_have_text(
            "Het evenement is gemaakt.", timeout=TIMEOUT)
        row = await editing.event_row("techniek-april")
        assert editing.local_value(row["starts_at"]) == "2028-04-06T09:00"
        assert row["visibility"] == "invitation_only" and row["languages"] == "nl,en"

        # A wrong end: the error summary names the field and focuses nothing away.
        await page.get_by_label("Einde (tijd in Nederland)").fill("2028-04-06T08:00")
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.get_by_role("alert")).to_contain_text(
            "Het einde moet na het begin liggen.")
        await expect(page.get_by_label("Route: zo kom je er")).to_have_value(
            "Bus 15 tot Zernike")
        await context.close()


async def test_two_organisers_edit_the_same_event_at_once(live_server, db):
    event = await open_event("techniek")
    anna = await session_for("anna@gemeente.example.nl", "organiser_admin")
    bram = await session_for("bram@gemeente.example.nl", "organiser_staff", [event])
    async with chromium() as browser:
        first = await (await signed_in_context(browser, live_server, anna)).new_page()
        second = await (await signed_in_context(browser, live_server, bram)).new_page()
        await first.goto("/admin/events/techniek")
        await second.goto("/admin/events/techniek?lang=en")
        await first.get_by_label("Locatie").fill("Martiniplaza")
        await second.get_by_label("Venue").fill("Stadhuis")
        await second.get_by_label("Places (empty: no limit)").fill("55")
        await first.get_by_role("button", name="Opslaan").click()
        await expect(first.get_by_role("status").first).to_have_text("Opgeslagen.",
                                                                      timeout=TIMEOUT)
        await second.get_by_role("button", name="Save").click()
        alert = second.get_by_role("alert")
        await expect(alert).to_contain_text("Someone else changed this event", timeout=TIMEOUT)
        await expect(second.get_by_label("Venue")).to_have_value("Stadhuis")  # kept
        await expect(second.get_by_label("Places (empty: no limit)")).to_have_value("55")
        await expect(second.locator("#f-venue-theirs")).to_have_text("Saved now: Martiniplaza")
        assert not await violations(second)
        row = await editing.event_row("techniek")
        assert row["location"] == "Martiniplaza" and row["capacity"] is None
        # Bram saves again knowing Anna's change: now his values stand.
        await second.get_by_role("button", name="Save").click()
        await expect(second.get_by_role("status").first).to_have_text("Saved.",
                                                                       timeout=TIMEOUT)
        row = await editing.event_row("techniek")
        assert row["location"] == "Stadhuis" and row["capacity"] == 55


MEASURE = "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"


async def test_every_page_is_accessible_at_every_width_in_both_languages(live_server, db):
    event = await open_event("zorg-jan")
    await add_employer(event, name="Zorgcentrum De Linde met een heel lange naam BV",
                       stand_label="A1", sector="care")
    secret = await session_for("anna@gemeente.example.nl", "organiser_admin")
    pages = ["/admin/events", "/admin/events?show=all", "/admin/events/new",
             "/admin/events/zorg-jan", "/admin/events/zorg-jan/copy", "/admin/programmes",
             f"/admin/programmes/{event.programme}"]
    found: dict[str, object] = {}
    async with chromium() as browser:
        for width in WIDTHS:
            context = await signed_in_context(browser, live_server, secret, width)
            page = await context.new_page()
            for path in pages:
                for lang in ("nl", "en"):
                    url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
                    response = await page.goto(url)
                    assert response is not None and response.status == 200, url
                    size = await page.evaluate(MEASURE)
                    if size["scroll"] > size["inner"]:
                        found[f"{url} @{width}: scrolls sideways"] = size
                    # axe at every width in Dutch, and on the phone in English too
                    if (width == 375 or lang == "nl") and (bad := await violations(page)):
                        found[f"{url} @{width}"] = bad
            # A form with errors is a page too.
            await page.goto("/admin/events/new?lang=en")
            await page.get_by_role("button", name="Create event").click()
            await expect(page.get_by_role("alert")).to_be_visible(timeout=TIMEOUT)
            if bad := await violations(page):
                found[f"new-with-errors @{width}"] = bad
            size = await page.evaluate(MEASURE)
            if size["scroll"] > size["inner"]:
                found[f"new-with-errors @{width}: scrolls sideways"] = size
            await context.close()
    assert not found, json.dumps(found, indent=1)
