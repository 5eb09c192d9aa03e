"""The "Lees voor" / "Read aloud" button on the sign-up form and the visitor's own page
(templates/_read_aloud.html, static/js/read-aloud.js), in headless Chromium.

The browser's speech synthesis is replaced (``add_init_script``, before any page script runs)
by a recorder with the same interface, so the test hears what would be spoken and in which
language; everything else is the real page, server and browser.
"""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from event_ops.mail.render import visitor_page_url
from tests.browser import chromium
from tests.helpers import open_event, visitor
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser

RECORDER = """
window.__spoken = [];
window.__cancelled = 0;
const recorder = {
  speaking: false, pending: false, paused: false,
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); window.__last = u; },
  cancel() { window.__cancelled += 1; },
  pause() {}, resume() {},
  getVoices() { return []; },
  addEventListener() {}, removeEventListener() {},
};
Object.defineProperty(window, "speechSynthesis", {value: recorder, configurable: true});
"""
NO_SPEECH = """
Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});
"""
WIDTHS = (375, 768, 1280)


async def spoken(page) -> list[dict]:
    return await page.evaluate("window.__spoken")


async def no_sideways_scroll(page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize(("lang", "start", "stop", "heading"), [
    ("nl", "Lees voor", "Stop met voorlezen", "Aanmelden voor"),
    ("en", "Read aloud", "Stop reading", "Sign up for"),
])
async def test_sign_up_form_reads_its_text_aloud_in_the_page_language(
        live_server, db, lang, start, stop, heading):
    event = await open_event()
    async with chromium() as browser:
        for width in WIDTHS:
            # axe-core is injected inline, which the page's CSP refuses: at 375 px the CSP is
            # bypassed for it; at the other widths it holds, and the button still appears
            # (the script is served from 'self').
            context = await browser.new_context(
                bypass_csp=width == 375, locale="nl-NL", viewport={"width": width, "height": 900})
            await context.add_init_script(RECORDER)
            page = await context.new_page()
            await page.goto(f"{live_server}/events/{event.slug}/register?lang={lang}")
            button = page.get_by_role("button", name=start)
            await expect(button).to_be_visible()
            assert await no_sideways_scroll(page), width
            if width == 375:
                assert await violations(page) == []
                await button.focus()  # reachable and usable from the keyboard
                await page.keyboard.press("Enter")
                await expect(page.get_by_role("button", name=stop)).to_be_visible()
                said = await spoken(page)
                texts = [s["text"] for s in said]
                assert {s["lang"] for s in said} == {lang}
                assert texts[0].startswith(heading) and event.name in texts[0]
                h1 = await page.locator("h1").inner_text()
                hint = await page.locator("main > p.hint").first.inner_text()
                name_label = await page.locator("label[for=name]").inner_text()
                assert texts[:2] == [h1.strip(), hint.strip()]
                assert name_label.strip() in texts
                assert start not in " ".join(texts)  # not the button or its own hint
                # Pressing again stops the voice and the button says so.
                await page.get_by_role("button", name=stop).click()
                assert await page.evaluate("window.__cancelled") >= 1
                await expect(page.get_by_role("button", name=start)).to_be_visible()
                # When the last piece has been read, the button goes back by itself.
                await page.get_by_role("button", name=start).click()
                await page.evaluate("window.__last.onend && window.__last.onend()")
                await expect(page.get_by_role("button", name=start)).to_be_visible()
            await context.close()


async def test_visitor_page_reads_aloud_without_the_typed_values(live_server, db, settings):
    event = await open_event()
    v = await visitor(event, 1, name="Noor Visser")
    me = visitor_page_url(settings, v.visitor_id, 1).split("8000", 1)[-1]
    async with chromium() as browser:
        context = await browser.new_context(bypass_csp=True, locale="nl-NL",
                                            viewport={"width": 375, "height": 800})
        await context.add_init_script(RECORDER)
        page = await context.new_page()
        await page.goto(live_server + me)
        assert await violations(page) == []
        await page.get_by_role("button", name="Lees voor").click()
        said = await spoken(page)
        texts = [s["text"] for s in said]
        assert {s["lang"] for s in said} == {"nl"}
        assert texts[0] == (await page.locator("h1").inner_text()).strip()
        assert event.name in " ".join(texts)  # the registration card is read
        assert "Noor Visser" not in " ".join(texts)  # form values are not
        assert await no_sideways_scroll(page)


async def test_no_button_without_speech_synthesis(live_server, db):
    event = await open_event()
    async with chromium() as browser:
        context = await browser.new_context(locale="nl-NL")
        await context.add_init_script(NO_SPEECH)
        page = await context.new_page()
        await page.goto(f"{live_server}/events/{event.slug}/register")
        await page.wait_for_load_state("load")
        await expect(page.locator("[data-read-aloud]")).to_be_hidden()
        assert await page.get_by_role("button", name="Lees voor").count() == 0
