"""The registrations desk in headless Chromium: the list and the detail page at phone,
tablet and desktop width, in Dutch and English, never scroll sideways and pass axe-core;
an organiser searches, pages, opens someone and marks them a no-show with the keyboard."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import expect

from event_ops.people.registration import RegistrationInput, register
from tests.browser import ARTIFACTS, chromium
from tests.helpers import open_event, signed_in
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
WIDTHS = (375, 768, 1280)
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


async def organiser_context(browser, live_server: str, headers: dict[str, str], width: int):
    context = await browser.new_context(base_url=live_server, locale="nl-NL",
                                        bypass_csp=True,
                                        viewport={"width": width, "height": 900})
    cookies = dict(part.split("=", 1) for part in headers["Cookie"].split("; "))
    await context.add_cookies([{"name": k, "value": v, "url": live_server}
                               for k, v in cookies.items()])
    return context


async def test_list_and_detail_at_every_width_in_both_languages(live_server, db):
    event = await open_event(capacity=40)
    long_name = "Maria Anna Josephina van den Berg-Hoogeveen de la Fuente"
    first = await register(event, RegistrationInput(
        name=long_name,
        email="maria.anna.josephina.vandenberg-hoogeveen@zorgorganisatie-noord.example.nl",
        phone="0612345678", consent_terms=True, consent_share_profile=True))
    for n in range(55):
        await register(event, RegistrationInput(
            name=f"Bezoeker {n:02d} Jansen", email=f"bezoeker{n}@example.nl",
            consent_terms=True))
    headers = await signed_in("organiser_admin")
    base = f"/admin/events/{event.slug}/registrations"
    found: dict[str, object] = {}
    async with chromium() as browser:
        for width in WIDTHS:
            context = await organiser_context(browser, live_server, headers, width)
            page = await context.new_page()
            for lang in ("nl", "en"):
                for name, path in (("list", f"{base}?lang={lang}"),
                                   ("filtered", f"{base}?lang={lang}&status=waiting_list"),
                                   ("detail", f"{base}/{first.registration_id}?lang={lang}")):
                    response = await page.goto(path)
                    assert response is not None and response.status == 200, path
                    if (overflow := await page.evaluate(SIDEWAYS)) > 0:
                        found[f"{name} {lang} {width}px scrolls sideways"] = overflow
                    if bad := await violations(page):
                        found[f"{name} {lang} {width}px"] = bad
                    if lang == "nl":
                        ARTIFACTS.mkdir(exist_ok=True)
                        await page.screenshot(path=ARTIFACTS / f"desk-{name}-{width}.png",
                                              full_page=True)
            await context.close()
    assert not found, json.dumps(found, indent=1)


async def test_an_organiser_searches_pages_and_marks_a_no_show(live_server, db):
    event = await open_event()
    for n in range(60):
        await register(event, RegistrationInput(
            name=f"Gast {n:02d} de Boer", email=f"gast{n}@example.nl", consent_terms=True))
    await register(event, RegistrationInput(name="Fatima El Amrani", email="fatima@example.nl",
                                            phone="06 11 22 33 44", consent_terms=True))
    headers = await signed_in("organiser_staff", [event])
    async with chromium() as browser:
        context = await organiser_context(browser, live_server, headers, 375)
        page = await context.new_page()
        await page.goto(f"/admin/events/{event.slug}/registrations")
        await expect(page.get_by_role("status")).to_have_text("61 aanmeldingen gevonden.")
        await page.get_by_role("link", name="Volgende pagina").click()
        await expect(page.get_by_text("2 / 2")).to_be_visible(timeout=TIMEOUT)

        # Search by phone number as people type it, with the keyboard only.
        await page.get_by_label("Zoek op naam, e-mail of telefoon").focus()
        await page.keyboard.type("06 1122")
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("status")).to_have_text("1 aanmeldingen gevonden.",
                                                              timeout=TIMEOUT)
        await page.get_by_role("link", name="Fatima El Amrani").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Fatima El Amrani",
                                                                        timeout=TIMEOUT)
        await page.get_by_role("button", name="Markeer als niet gekomen").click()
        await expect(page.get_by_role("status")).to_have_text("Gemarkeerd als niet gekomen.",
                                                              timeout=TIMEOUT)
        await expect(page.get_by_role("cell", name="Gemarkeerd als niet gekomen")).to_be_visible()

        # The filter finds her among the no-shows.
        await page.get_by_role("link", name="Terug naar de lijst").click()
        await page.get_by_text("Filters").click()
        await page.get_by_label("Niet gekomen").select_option("yes")
        await page.get_by_role("button", name="Zoeken").click()
        await expect(page.get_by_role("status")).to_have_text("1 aanmeldingen gevonden.",
                                                              timeout=TIMEOUT)
        await expect(page.get_by_role("link", name="Fatima El Amrani")).to_be_visible()
        await context.close()
