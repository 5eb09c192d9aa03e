"""A job coach in headless Chromium signs clients up (phone only, no e-mail) at phone,
tablet and desktop width, in Dutch and English: the form, the page after it (badge to
print, link to hand over) and the caseload never scroll sideways and pass axe-core."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account, log_in
from tests.browser import ARTIFACTS, chromium
from tests.helpers import PASSWORD, csrf_token, open_event
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
WIDTHS = (375, 768, 1280)
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"
HEADING = {"nl": "{name} is aangemeld", "en": "{name} is signed up"}
PRINT = {"nl": "Badge printen", "en": "Print the badge"}


async def test_a_coach_signs_clients_up_at_every_width_in_both_languages(live_server, db):
    event = await open_event()
    await create_account("joke@werkpunt.example.nl", "Joke de Coach", "job_coach", PASSWORD,
                         [event.id], organisation="Werkpunt Groningen")
    session = await log_in("joke@werkpunt.example.nl", PASSWORD)
    found: dict[str, object] = {}

    async def check(page, name: str) -> None:
        if (overflow := await page.evaluate(SIDEWAYS)) > 0:
            found[f"{name} scrolls sideways"] = overflow
        if bad := await violations(page):
            found[name] = bad

    async with chromium() as browser:
        for width in WIDTHS:
            context = await browser.new_context(base_url=live_server, locale="nl-NL",
                                                bypass_csp=True,
                                                viewport={"width": width, "height": 900})
            await context.add_cookies([
                {"name": "eo_session", "value": session, "url": live_server},
                {"name": "csrftoken", "value": csrf_token(session), "url": live_server}])
            page = await context.new_page()
            for lang in ("nl", "en"):
                response = await page.goto(f"/admin/events/{event.slug}/coach/register"
                                            f"?lang={lang}")
                assert response is not None and response.status == 200
                await check(page, f"form {lang} {width}px")
                # Submitted without anything: the error summary, itself accessible.
                await page.locator("form button[type=submit]").last.click()
                await expect(page.get_by_role("alert")).to_be_visible(timeout=TIMEOUT)
                await check(page, f"form errors {lang} {width}px")

                name = f"Klant {width} {lang} Zonder-E-mailadres-Met-Een-Lange-Achternaam"
                await page.fill("#name", name)
                await page.fill("#phone", f"06 {width:04d}{1 if lang == 'nl' else 2}111")
                await page.check("#consent_terms")
                await page.locator("form button[type=submit]").last.click()
                await expect(page.get_by_role("heading", level=1)).to_have_text(
                    HEADING[lang].format(name=name), timeout=TIMEOUT)
                await expect(page.get_by_role("link", name=PRINT[lang])).to_be_visible()
                # The badge itself shows (the coach can let the client photograph it).
                await page.wait_for_function(
                    "document.querySelector('img.coach-badge').naturalWidth > 0",
                    timeout=TIMEOUT)
                handover = await page.locator("#handover").input_value()
                assert "/badges/" in handover and handover.endswith(".png")
                await check(page, f"registered {lang} {width}px")
                if lang == "nl":
                    ARTIFACTS.mkdir(exist_ok=True)
                    await page.screenshot(path=ARTIFACTS / f"coach-registered-{width}.png",
                                          full_page=True)

                response = await page.goto(f"/admin/caseload?lang={lang}")
                assert response is not None and response.status == 200
                await expect(page.get_by_role("heading", name=name)).to_be_visible()
                await check(page, f"caseload {lang} {width}px")
            await context.close()
    assert not found, json.dumps(found, indent=1)
