"""Every device page (door, dashboard, stand tablet, board, devices, pair, reports, the
organiser's start page and the printable schedule) in headless Chromium at phone, tablet
and desktop widths: nothing is wider than the screen, the stand's visitor card holds its
buttons, and an element with the `hidden` attribute is never shown."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account, log_in
from event_ops.events.service import create_event
from tests.browser import ARTIFACTS, chromium
from tests.helpers import PASSWORD
from tests.test_tablet_page import check_in, stand_setup

pytestmark = pytest.mark.browser

WIDTHS = (360, 390, 768, 820, 1024, 1366)
HEIGHTS = {360: 740, 390: 844, 768: 1024, 820: 1180, 1024: 1366, 1366: 1024}
TIMEOUT = 10_000

# What overflows, measured in the page: the document, and (for the stand) any element that
# sticks out of the visitor card on the right.
MEASURE = """() => {
  const doc = document.documentElement;
  const out = {scroll: doc.scrollWidth, inner: window.innerWidth, card: [], shownHidden: []};
  const card = document.getElementById('visitor');
  if (card && !card.hidden) {
    const right = card.getBoundingClientRect().right;
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > right + 0.5) {
        const name = `${el.tagName.toLowerCase()}#${el.id}.${el.className}`;
        out.card.push(`${name}: ${Math.round(r.right - right)}px`);
      }
    }
  }
  for (const el of document.querySelectorAll('[hidden]')) {
    if (getComputedStyle(el).display !== 'none') out.shownHidden.push(el.outerHTML.slice(0, 80));
  }
  const search = document.getElementById('list-q');
  if (search && search.offsetParent) out.search = search.getBoundingClientRect().width;
  return out;
}"""


def device_script(token: str, slug: str, role: str, label: str) -> str:
    record = json.dumps({"token": token, "event": slug, "role": role, "label": label})
    return ("try { if (location.origin !== 'null') "
            f"localStorage.setItem('eventops.device', {json.dumps(record)}); }} catch (e) {{}}")


async def settle(page) -> None:
    await page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                        "requestAnimationFrame(r)))")


async def test_no_device_page_is_wider_than_the_screen(live_server, db):
    import datetime as dt

    s = await stand_setup()
    event = s["event"]
    await check_in(live_server, event, s["badges"]["eva"], s["badges"]["yonas"])
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=5)
    matching = await create_event(slug="matching-dag", name="Matchingsdag Techniek",
                                  kind="matching", starts_at=starts,
                                  ends_at=starts + dt.timedelta(hours=3), location="Assen")
    await create_account("anna@gemeente.example.nl", "Anna de Vries", "organiser_admin",
                         PASSWORD)
    session = await log_in("anna@gemeente.example.nl", PASSWORD)
    from tests.helpers import bearer

    door = (await bearer(event, "door", label="Deur Noord"))["Authorization"][7:]

    slug = event.slug
    staff_pages = {
        "organiser": "/organiser", "board": f"/events/{slug}/board",
        "devices": f"/events/{slug}/devices", "reports": f"/events/{slug}/reports",
        "programme-reports": "/reports", "dashboard": f"/dashboard/{slug}",
        "schedule-print": f"/events/{matching.slug}/schedule/print", "pair": "/pair",
    }
    problems: dict[str, object] = {}

    def check(name: str, width: int, found: dict) -> None:
        if found["scroll"] > found["inner"]:
            problems[f"{name}@{width}"] = f"{found['scroll']} px wide in {found['inner']} px"
        if found["card"]:
            problems[f"{name}@{width} card"] = found["card"]
        if found["shownHidden"]:
            problems[f"{name}@{width} hidden"] = found["shownHidden"]
        if "search" in found and found["search"] < 150:
            problems[f"{name}@{width} search"] = f"list search {found['search']} px"

    async with chromium() as browser:
        # Staff pages on the organiser's session.
        context = await browser.new_context(base_url=live_server, locale="nl-NL")
        await context.add_cookies([{"name": "eo_session", "value": session,
                                    "url": live_server}])
        page = await context.new_page()
        for name, path in staff_pages.items():
            await page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHTS[WIDTHS[0]]})
            await page.goto(path)
            await page.wait_for_load_state("networkidle")
            for width in WIDTHS:
                await page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
                await settle(page)
                check(name, width, await page.evaluate(MEASURE))
        await context.close()

        # The door on a paired door device.
        context = await browser.new_context(base_url=live_server, locale="nl-NL")
        await context.add_init_script(device_script(door, slug, "door", "Deur Noord"))
        page = await context.new_page()
        await page.goto(f"/door/{slug}")
        await expect(page.locator("#door")).to_have_attribute("data-ready", "true",
                                                              timeout=TIMEOUT)
        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
            await settle(page)
            check("door", width, await page.evaluate(MEASURE))
        await context.close()

        # The stand tablet with a visitor's card open, loaded at each width.
        context = await browser.new_context(base_url=live_server, locale="nl-NL")
        await context.add_init_script(device_script(s["tablet"], slug, "employer", "Tablet A1"))
        page = await context.new_page()
        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
            await page.goto(f"/stand/{slug}")
            await expect(page.locator("#stand-tablet")).to_have_attribute(
                "data-ready", "true", timeout=TIMEOUT)
            field = page.get_by_label("Badgecode")
            await field.fill(s["badges"]["eva"])
            await field.press("Enter")
            await expect(page.locator("#visitor-name")).to_have_text("Eva Mulder",
                                                                     timeout=TIMEOUT)
            if width == WIDTHS[0]:  # one saved outcome: today's list has an entry
                direct = page.get_by_role("button", name="Directe match")
                await direct.click()
                await expect(direct).to_have_attribute("aria-pressed", "true",
                                                       timeout=TIMEOUT)
            await page.get_by_text("Meer vastleggen").click()
            await settle(page)
            check("stand", width, await page.evaluate(MEASURE))
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / f"stand-{width}.png"), full_page=True)
        await context.close()
    assert not problems, json.dumps(problems, indent=1)
