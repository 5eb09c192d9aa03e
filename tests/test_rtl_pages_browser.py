"""Every visitor page laid out right to left, as an Arabic reader gets it, in Chromium.

The pages are asked for with ``?lang=ar``; where the runtime does not serve Arabic yet the
test switches the page to ``<html dir="rtl" lang="ar">`` itself, so it checks the markup and
style sheets either way. At 375, 768 and 1280 px: no sideways scrolling, axe-core clean,
the heading at the right-hand (start) edge, and the things that must stay left to right
(date and times, e-mail, phone, postcode) still read left to right. Screenshots go to
``$EVENTOPS_RTL_SHOTS`` (default ``test-artifacts/rtl``) for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from playwright.async_api import expect

from event_ops.i18n import TEXTS
from event_ops.mail.render import visitor_page_url
from event_ops.messaging.render import unsubscribe_url
from event_ops.people.registration import RegistrationInput, register
from tests.browser import ARTIFACTS, chromium
from tests.helpers import bearer, open_event
from tests.test_accessibility import violations
from tests.test_walkins_browser import TIMEOUT, paired

pytestmark = pytest.mark.browser

WIDTHS = (375, 768, 1280)
SHOTS = Path(os.environ.get("EVENTOPS_RTL_SHOTS", ARTIFACTS / "rtl"))
ARABIC_PO = Path(__file__).resolve().parent.parent / "event_ops/locale/ar/LC_MESSAGES/messages.po"

FORCE_RTL = "document.documentElement.lang = 'ar'; document.documentElement.dir = 'rtl'"

# Where, in the element matching the selector, substring a must show left of substring b.
IN_ORDER = """([selector, a, b]) => {
  const el = document.querySelector(selector);
  if (!el) return `no ${selector}`;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const x = {};
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (const s of [a, b]) {
      const i = n.data.indexOf(s);
      if (i >= 0 && !(s in x)) {
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + s.length);
        x[s] = r.getBoundingClientRect().x;
      }
    }
  }
  if (!(a in x) || !(b in x)) return `not found in ${selector}: ${a} / ${b}`;
  return x[a] < x[b] ? true : `${b} shows left of ${a} in ${selector}`;
}"""


async def check_rtl(page, name: str, ltr_runs: list[tuple[str, str, str]] = (),
                    ltr_inputs: list[str] = ()) -> None:
    """The page as right-to-left, at every width: layout, order of LTR data, axe."""
    await page.evaluate(FORCE_RTL)
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        sizes = await page.evaluate("[document.documentElement.scrollWidth,"
                                    " document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], f"{name} scrolls sideways at {width}px: {sizes}"
        # The main heading starts at the right-hand edge of the content.
        edges = await page.evaluate("""() => {
          const h = document.querySelector('main h1'), m = document.querySelector('main');
          const r = document.createRange(); r.selectNodeContents(h);
          const t = r.getBoundingClientRect(), b = m.getBoundingClientRect();
          return [t.right, b.right - parseFloat(getComputedStyle(m).paddingRight)];
        }""")
        assert edges[0] == pytest.approx(edges[1], abs=3), f"{name} h1 not at the start edge"
        for selector, first, second in ltr_runs:
            assert await page.evaluate(IN_ORDER, [selector, first, second]) is True, name
        for selector in ltr_inputs:
            assert await page.eval_on_selector(
                selector, "el => getComputedStyle(el).direction") == "ltr", (name, selector)
        await page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    assert await violations(page) == [], name


@pytest.fixture(autouse=True)
def shots_dir() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)


def times_of(text: str) -> tuple[str, str]:
    start, end = re.findall(r"\d\d:\d\d", text)[:2]
    return start, end


async def test_visitor_pages_in_right_to_left(live_server, db, settings):
    event = await open_event()
    outcome = await register(event, RegistrationInput(
        name="Samira Haddad", email="samira@example.nl", phone="06 12345678",
        postcode="9712 AB", consent_terms=True, consent_share_profile=True, sectors=["care"]))
    me = urlsplit(visitor_page_url(settings, outcome.visitor_id, 1)).path
    stop = urlsplit(unsubscribe_url(settings, outcome.visitor_id)).path
    async with chromium() as browser:
        context = await browser.new_context(bypass_csp=True, locale="ar",
                                            viewport={"width": 1280, "height": 900})
        page = await context.new_page()

        await page.goto(f"{live_server}/?lang=ar")
        await check_rtl(page, "events")

        await page.goto(f"{live_server}/events/{event.slug}?lang=ar")
        when = await page.locator("dl.facts dd").first.inner_text()
        start, end = times_of(when)
        await check_rtl(page, "event", ltr_runs=[("dl.facts dd", start, end)])

        await page.goto(f"{live_server}/events/{event.slug}/register?lang=ar")
        await check_rtl(page, "register", ltr_inputs=["#email", "#phone", "#postcode"])
        # With the errors shown (an empty form sent), then filled in and sent.
        await page.locator("form button[type=submit]").click()
        await expect(page.locator(".error-summary")).to_be_visible()
        await check_rtl(page, "register-errors", ltr_inputs=["#email", "#phone", "#postcode"])
        await page.fill("#name", "Yusuf Amin")
        await page.fill("#email", "yusuf@example.nl")
        await page.check("#consent_terms")
        await page.locator("form button[type=submit]").click()
        await page.wait_for_url(re.compile(r"/registered/"))
        await check_rtl(page, "registered", ltr_runs=[("dl.facts", start, end)])

        await page.goto(f"{live_server}{me}?lang=ar")
        await check_rtl(page, "me", ltr_runs=[(".card .meta", start, end)],
                        ltr_inputs=["#email", "#phone", "#postcode"])
        await page.goto(f"{live_server}{me}/export?lang=ar")
        # The phone number is stored as +31612345678: without isolation the "+" jumps to
        # the far end of the number in right-to-left text.
        await check_rtl(page, "me-export", ltr_runs=[("#data-visitor", "+", "31612345678"),
                                                     ("#data-visitor", "9712", "AB")])
        await page.goto(f"{live_server}{me}/preferences/{event.slug}?lang=ar")
        await check_rtl(page, "me-schedule")
        await page.goto(f"{live_server}{me}/cancel/{outcome.registration_id}?lang=ar")
        await check_rtl(page, "me-cancel")
        await page.goto(f"{live_server}/me/new-link?lang=ar")
        await check_rtl(page, "new-link", ltr_inputs=["#email"])
        await page.goto(f"{live_server}{stop}?lang=ar")
        await check_rtl(page, "unsubscribe")
        await page.goto(f"{live_server}/me/1.nope?lang=ar")
        await check_rtl(page, "error")
        await context.close()


async def test_kiosk_in_right_to_left(live_server, db):
    event = await open_event()
    kiosk = await bearer(event, "kiosk", label="Kiosk Entree")
    async with chromium() as browser:
        context = await paired(browser, live_server, event.slug, kiosk, "kiosk",
                               "Kiosk Entree", bypass_csp=True,
                               viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        await page.goto(f"/kiosk/{event.slug}?lang=ar")
        await expect(page.locator("#kiosk")).to_have_attribute("data-ready", "true",
                                                               timeout=TIMEOUT)
        await check_rtl(page, "kiosk-start")
        await page.click("#go-form")
        await check_rtl(page, "kiosk-form", ltr_inputs=["#k-phone", "#k-email"],
                        ltr_runs=[(".kiosk-url", "/", "terms")])
        # A pictogram stands before its words: to their right, with the gap between them.
        gap = await page.evaluate("""() => {
          const label = document.querySelector('label[for=k-name]');
          const icon = label.querySelector('svg').getBoundingClientRect();
          const r = document.createRange(); r.selectNodeContents(label);
          r.setStartAfter(label.querySelector('svg'));
          return icon.left - r.getBoundingClientRect().right;
        }""")
        assert 4 <= gap <= 12
        await context.close()


async def test_arabic_sentences_keep_numbers_and_addresses_in_order():
    """The Arabic catalog's own texts, with values filled in, in Chromium's bidi: the date
    with its times, a phone number and a postcode keep their order inside Arabic text."""
    with ARABIC_PO.open("rb") as fh:
        catalog = read_po(fh)

    def arabic(key: str, **values: str) -> str:
        return catalog.get(TEXTS[key][0], context=key).string.format(**values)

    lines = {
        "mail": arabic("done.mail_sent", email="samira@example.nl"),
        "phone": arabic("field.phone.hint"),
        "postcode": arabic("err.postcode"),
        "when": arabic("mail.when_where", when="06-12-2026 10:00 - 16:00", where="Groningen"),
        "wait": arabic("me.status.waiting_list", n="12"),
        "version": arabic("legal.version", version="2", date="06-12-2026 10:00"),
    }
    html = "".join(f'<p id="{k}">{v}</p>'.replace("\n", "<br>") for k, v in lines.items())
    async with chromium() as browser:
        page = await browser.new_page()
        await page.set_content(f'<html dir="rtl" lang="ar"><body>{html}</body></html>')
        for selector, first, second in [
            ("#mail", "samira", "example"), ("#phone", "06", "12345678"),
            ("#postcode", "9712", "AB"), ("#when", "10:00", "16:00"),
            ("#when", "06-12-2026", "10:00"), ("#version", "06-12-2026", "10:00"),
        ]:
            assert await page.evaluate(IN_ORDER, [selector, first, second]) is True
        # Without the isolating marks the same date shows with its times swapped: the check
        # above is a real one.
        await page.set_content('<html dir="rtl"><p id="x">متى: 06-12-2026 10:00 - 16:00</p>')
        assert await page.evaluate(IN_ORDER, ["#x", "10:00", "16:00"]) is not True
