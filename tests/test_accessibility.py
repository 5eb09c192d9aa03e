"""Every public page passes axe-core's WCAG 2.1 A/AA rules in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.pages.stand import stand_url
from event_ops.employers.service import add_employer
from event_ops.mail.render import badge_url, visitor_page_url
from tests.browser import chromium
from tests.helpers import open_event, visitor

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


async def violations(page) -> list[dict]:
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))",
        WCAG_TAGS,
    )
    return result


async def test_public_pages_have_no_wcag_violations(live_server, db, settings):
    event = await open_event()
    v = await visitor(event, 1, name="Noor Visser")
    employer = await add_employer(event, name="Zorg BV", stand_label="A1", sector="care")
    me = visitor_page_url(settings, v.visitor_id, 1).split("8000", 1)[-1]
    badge = badge_url(settings, v.registration_id, 1).split("8000", 1)[-1]
    stand = stand_url(settings, employer.id).split("8000", 1)[-1]
    pages = {
        "events": "/", "events-en": "/?lang=en", "event": f"/events/{event.slug}",
        "register": f"/events/{event.slug}/register",
        "register-en": f"/events/{event.slug}/register?lang=en",
        "me": me, "me-export": me + "/export", "badge-print": badge.removesuffix(".png") + "/print",
        "stand": stand, "not-found": "/me/1.nope",
    }
    found: dict[str, list] = {}
    async with chromium() as browser:
        context = await browser.new_context(bypass_csp=True, locale="nl-NL")
        page = await context.new_page()
        for name, path in pages.items():
            await page.goto(live_server + path)
            bad = await violations(page)
            if bad:
                found[name] = bad
        # A form with errors shown is a page too.
        await page.goto(live_server + f"/events/{event.slug}/register")
        await page.get_by_role("button", name="Aanmelden").click()
        await page.get_by_role("heading", name="Kijk nog eens naar deze vragen:").wait_for()
        bad = await violations(page)
        if bad:
            found["register-with-errors"] = bad
    assert not found, json.dumps(found, indent=1)


async def test_registration_works_with_keyboard_only(live_server, db):
    from event_ops.core.db import current_engine

    event = await open_event()
    async with chromium() as browser:
        page = await browser.new_page(locale="nl-NL")
        await page.goto(live_server + f"/events/{event.slug}/register")
        await page.keyboard.press("Tab")  # skip link
        focused = await page.evaluate("document.activeElement.textContent")
        assert "inhoud" in focused
        await page.focus("#name")
        await page.keyboard.type("Bram de Groot")
        await page.keyboard.press("Tab")
        await page.keyboard.type("bram@example.nl")
        await page.focus("#consent_terms")
        await page.keyboard.press("Space")
        await page.keyboard.press("Enter")  # submits the form
        await page.get_by_role("heading", name="Je bent aangemeld!").wait_for()
    assert len(await current_engine().fetch("SELECT id FROM registration")) == 1
