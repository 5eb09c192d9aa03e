"""Issue 13 visitor pages in headless Chromium, on a phone (390 px) and a desktop (1366 px):
named errors, the confirmation after a redirect, terms and privacy, cancelling with a
confirmation step (without JavaScript), the readable data page, a lost link, and the
devices page in Amsterdam time. Every page: no sideways scrolling, no axe-core violations."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from event_ops.core.db import current_engine
from event_ops.mail.render import visitor_page_url
from tests.browser import ARTIFACTS, chromium
from tests.helpers import open_event, signed_in, visitor
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
WIDTHS = [390, 1366]
TIMEOUT = 15_000


async def check_page(page, name: str, width: int) -> None:
    """No sideways scrolling, no WCAG violations; a screenshot for people to look at."""
    assert await page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"), f"{name} overflows"
    assert await violations(page) == [], name
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def viewport(width: int) -> dict:
    return {"width": width, "height": 844 if width < 800 else 900}


@pytest.mark.parametrize("width", WIDTHS)
async def test_sign_up_names_errors_links_terms_and_confirms_after_a_redirect(
        live_server, db, width):
    event = await open_event(capacity=100)
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, viewport=viewport(width),
                                            locale="nl-NL", bypass_csp=True)
        page = await context.new_page()
        await page.goto(f"/events/{event.slug}/register")
        await page.get_by_role("button", name="Aanmelden").click()
        summary = page.locator("#error-summary")
        await expect(summary.get_by_role("link", name="Naam: Vul dit in.")).to_be_visible()
        await expect(summary.get_by_role("link", name="E-mailadres: Vul dit in.")).to_be_visible()
        await check_page(page, "register-errors", width)
        await summary.get_by_role("link", name="Naam: Vul dit in.").click()
        assert await page.evaluate("document.activeElement.id") == "name"

        # The terms and the privacy statement, from the consent.
        async with context.expect_page() as tab:
            await page.get_by_role("link", name="privacyregels").click()
        privacy = await tab.value
        await expect(privacy.get_by_role("heading", level=1)).to_have_text("Privacyregels")
        await expect(privacy.get_by_role("heading", name="Hoe lang we je gegevens bewaren")
                     ).to_be_visible()
        await check_page(privacy, "privacy", width)
        await privacy.close()

        await page.get_by_role("textbox", name="Naam").fill("Sanne de Vries")
        await page.get_by_role("textbox", name="E-mailadres").fill("sanne@example.nl")
        await page.get_by_label("voorwaarden", exact=False).first.check()
        await page.get_by_role("button", name="Aanmelden").click()
        await page.get_by_role("heading", name="Je bent aangemeld!").wait_for()
        assert re.search(r"/registered/\d+\.\d+\.", page.url)
        assert await page.title() == f"Je bent aangemeld! – {event.name}"
        when = event.starts_at.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%d-%m-%Y %H:%M")
        await expect(page.locator(".event-facts")).to_contain_text(event.name)
        await expect(page.locator(".event-facts")).to_contain_text(when)
        await check_page(page, "registered", width)
        await page.reload()  # a GET: no second sign-up
        await page.get_by_role("heading", name="Je bent aangemeld!").wait_for()
    assert len(await current_engine().fetch("SELECT id FROM registration")) == 1


@pytest.mark.parametrize("width", WIDTHS)
async def test_cancel_has_a_confirmation_step_without_javascript_and_data_is_readable(
        live_server, db, settings, width):
    event, full = await open_event(capacity=100), await open_event("vol-event", capacity=1)
    v = await visitor(event, 1, name="Mira Jansen")
    await visitor(full, 2)
    await visitor(full, 1)  # Mira waits at the full event
    me = visitor_page_url(settings, v.visitor_id, 1).removeprefix("http://127.0.0.1:8000")
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, viewport=viewport(width),
                                            locale="nl-NL", java_script_enabled=False)
        page = await context.new_page()
        await page.goto(me)
        cards = page.locator("li.card")
        await expect(cards).to_have_count(2)
        await expect(page.get_by_text("Je plek gaat naar iemand op de wachtlijst")).to_have_count(0)
        await expect(page.get_by_role("link", name="Privacyregels")).to_be_visible()

        waiting = cards.filter(has_text=full.name)
        await waiting.get_by_role("link", name="Afmelden voor dit evenement").click()
        await expect(page.get_by_text("Je gaat dan van de wachtlijst af.")).to_be_visible()
        await expect(page.get_by_text("Je plek gaat naar iemand op de wachtlijst")).to_have_count(0)
        await page.get_by_role("link", name="Nee, terug").click()

        await cards.filter(has_text=event.name).get_by_role(
            "link", name="Afmelden voor dit evenement").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Afmelden voor {event.name}?")
        await expect(page.get_by_text("Je plek gaat naar iemand op de wachtlijst")).to_be_visible()
        await context.close()
        # axe needs scripts: check the step with JavaScript on.
        context = await browser.new_context(base_url=live_server, viewport=viewport(width),
                                            locale="nl-NL", bypass_csp=True)
        page = await context.new_page()
        await page.goto(f"{me}/cancel/{v.registration_id}")
        await check_page(page, "cancel-step", width)
        await page.get_by_role("button", name="Ja, meld mij af").click()
        await expect(page.get_by_role("status")).to_have_text("Je bent afgemeld.")

        await page.get_by_role("link", name="Bekijk alles wat we van je weten").click()
        await expect(page.get_by_role("heading", name="Jouw gegevens", level=2)).to_be_visible()
        text = await page.locator("main").inner_text()
        for raw in ("True", "None", "share_profile", "+00:00"):
            assert raw not in text
        await expect(page.locator("dd", has_text="Mira Jansen").first).to_be_visible()
        await check_page(page, "my-data", width)
    status = await current_engine().fetch(
        "SELECT status FROM registration WHERE id = ?", [v.registration_id])
    assert status[0]["status"] == "cancelled"


@pytest.mark.parametrize("width", WIDTHS)
async def test_a_lost_link_can_be_asked_for_again(live_server, db, width):
    event = await open_event()
    await visitor(event, 1)
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, viewport=viewport(width),
                                            locale="nl-NL", bypass_csp=True)
        page = await context.new_page()
        await page.goto("/me/1." + "A" * 43)
        await page.get_by_role("link", name="Stuur mijn link opnieuw").click()
        await check_page(page, "new-link", width)
        await page.get_by_role("textbox", name="E-mailadres").fill("v1@example.nl")
        await page.get_by_role("button", name="Stuur de link").click()
        await expect(page.get_by_role("status")).to_contain_text("Kennen we dit e-mailadres?")
        await check_page(page, "new-link-sent", width)
    mails = await current_engine().fetch("SELECT kind FROM outbox_mail WHERE kind = ?",
                                         ["visitor.link"])
    assert len(mails) == 1


@pytest.mark.parametrize("width", WIDTHS)
async def test_devices_page_shows_expiry_in_amsterdam_time(live_server, db, width):
    event = await open_event()
    staff = await signed_in("organiser_staff", [event])
    cookies = dict(part.split("=", 1) for part in staff["Cookie"].split("; "))
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, viewport=viewport(width),
                                            locale="nl-NL", timezone_id="UTC")
        await context.add_cookies([{"name": k, "value": v, "url": live_server}
                                   for k, v in cookies.items()])
        page = await context.new_page()
        await page.goto(f"/events/{event.slug}/devices")
        await page.get_by_label("Naam", exact=False).first.fill("Deur Noord")
        await page.get_by_role("button", name="Maak een QR-code").click()
        expiry = page.get_by_text(re.compile(r"Geldig tot \d\d:\d\d"))
        await expect(expiry).to_be_visible()
        shown = re.search(r"\d\d:\d\d", await expiry.inner_text()).group(0)
        assert "UTC" not in await expiry.inner_text()
        now = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
        assert shown in {(now + dt.timedelta(minutes=m)).strftime("%H:%M") for m in range(61)}
