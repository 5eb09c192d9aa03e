"""The matching-day and bulk-badge pages of the back office in headless Chromium: the
whole matching flow by clicking (without JavaScript), the badge job with its progress bar
(with JavaScript), and both pages at 375, 768 and 1280 px wide (no sideways scrolling)
with axe-core's WCAG 2.1 A/AA rules, in Dutch and in English."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from playwright.async_api import expect

from badges.service import verify_badge
from event_ops.access.accounts import create_account, log_in
from event_ops.core.db import current_engine
from tests.browser import ARTIFACTS, chromium
from tests.helpers import PASSWORD
from tests.test_accessibility import violations
from tests.test_bo_badges import pages_of, tokens_on
from tests.test_bo_matching import matching_day

pytestmark = pytest.mark.browser
WIDTHS = (375, 768, 1280)


async def admin_session() -> str:
    await create_account("anna@gemeente.example.nl", "Anna de Vries", "organiser_admin",
                         PASSWORD)
    return await log_in("anna@gemeente.example.nl", PASSWORD)


async def check_layout_and_axe(page, name: str, found: dict) -> None:
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        scroll = await page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found[f"{name}@{width}"] = f"scrolls sideways: {scroll} > {width}"
        bad = await violations(page)
        if bad:
            found[f"{name}@{width}:axe"] = bad
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"bo-{name}-{width}.png"), full_page=True)


async def test_matching_flow_by_clicking_without_javascript(live_server, db):
    event, zorg, tech, anna, bram, cees = await matching_day()
    session = await admin_session()
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, java_script_enabled=False,
                                            locale="nl-NL")
        await context.add_cookies([{"name": "eo_session", "value": session,
                                    "url": live_server}])
        page = await context.new_page()
        await page.goto(f"/admin/events/{event.slug}/matching")
        # Employer's wishes on its behalf.
        await page.get_by_label("Werkgever", exact=True).first.select_option(
            label="Zorggroep Noord")
        await page.locator("#employer-wishes ~ form.bo-pick button").click()
        await expect(page.get_by_text("Beste vacature: Vacature Zorggroep Noord").first
                     ).to_be_visible()
        card = page.locator("#employer-wishes-form li").filter(has_text="Bram de Vries")
        await card.get_by_label("Nee").check()
        card = page.locator("#employer-wishes-form li").filter(has_text="Anna Jansen")
        await card.get_by_label("Moet spreken").check()
        await page.get_by_role("button", name="Wensen van werkgever opslaan").click()
        await expect(page.get_by_role("status")).to_have_text(
            "De wensen van de werkgever zijn opgeslagen.")
        # A job seeker's wishes on their behalf.
        await page.get_by_label("Werkzoekende", exact=True).first.select_option(
            label="Cees Bos")
        await page.locator("#visitor-wishes ~ form.bo-pick button").click()
        card = page.locator("#visitor-wishes-form li").filter(has_text="Techniek BV")
        await card.get_by_label("Moet spreken").check()
        await page.get_by_role("button", name="Wensen van werkzoekende opslaan").click()
        await expect(page.get_by_role("status")).to_have_text(
            "De wensen van de werkzoekende zijn opgeslagen.")
        # Build three rounds.
        await page.get_by_label("Aantal rondes").fill("3")
        await page.get_by_role("button", name="Rooster maken").click()
        await expect(page.locator("#schedule-state")).to_contain_text("Concept:")
        # Pin the first meeting, then remove Cees's meeting with Techniek.
        first = page.locator(".bo-round li").first
        await first.get_by_role("button", name="Vastzetten").click()
        await expect(page.get_by_role("status")).to_have_text("Het gesprek staat vast.")
        await page.get_by_role("button", name="Verwijderen: Cees Bos bij Techniek BV"
                               ).click()
        await expect(page.get_by_role("status")).to_contain_text("Het gesprek is verwijderd.")
        # Publish after the confirmation step.
        await page.get_by_role("link", name="Rooster publiceren…").click()
        await expect(page.get_by_role("heading", name="Rooster publiceren?")).to_be_visible()
        await page.get_by_role("button", name="Ja, publiceren").click()
        await expect(page.get_by_role("status")).to_have_text("Het rooster is gepubliceerd.")
        await context.close()
    rows = await current_engine().fetch(
        "SELECT registration, employer, pinned FROM meeting WHERE event = ? AND published = ?",
        [event.id, True])
    pairs = {(r["registration"], r["employer"]) for r in rows}
    assert rows and any(r["pinned"] for r in rows)
    assert (bram.registration_id, zorg.id) not in pairs
    assert (cees.registration_id, tech.id) not in pairs
    assert (anna.registration_id, zorg.id) in pairs


async def test_badge_job_progress_bar_and_download_with_javascript(live_server, db):
    from tests.helpers import open_event, visitor

    event = await open_event("badges-browser")
    for n in range(60):
        await visitor(event, n, name=f"Persoon{n:03d} Test")
    session = await admin_session()
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, locale="en-GB",
                                            accept_downloads=True)
        await context.add_cookies([{"name": "eo_session", "value": session,
                                    "url": live_server}])
        page = await context.new_page()
        await page.goto(f"/admin/events/{event.slug}/badges?lang=en")
        await page.get_by_label("All badges (60)").check()
        await page.get_by_role("button", name="Make the print sheet").click()
        await expect(page.locator("#print-progress")).to_be_attached()
        # The script moves the bar and reloads the page when the job is done.
        download = page.get_by_role("link", name="Download the PDF (60 badges)")
        await expect(download).to_be_visible(timeout=60_000)
        assert await page.locator("#print-progress").get_attribute("value") == "60"
        await expect(page.locator("#print-state")).to_have_text("Done: 15 pages.")
        async with page.expect_download() as info:
            await download.click()
        saved = await (await info.value).path()
        pdf = await asyncio.to_thread(Path(saved).read_bytes)
        await context.close()
        # Without JavaScript the page reloads itself until the file is there.
        context = await browser.new_context(base_url=live_server, locale="nl-NL",
                                            java_script_enabled=False)
        await context.add_cookies([{"name": "eo_session", "value": session,
                                    "url": live_server}])
        page = await context.new_page()
        await page.goto(f"/admin/events/{event.slug}/badges")
        await page.get_by_label("Alle badges (60)").check()
        await page.get_by_role("button", name="Maak de printversie").click()
        await expect(page.get_by_role("heading", name="Printopdracht 2")).to_be_visible()
        await expect(page.get_by_role("link", name="Download de PDF (60 badges)")).to_be_visible(
            timeout=60_000)
        await context.close()
    pages = pages_of(pdf)
    assert len(pages) == 15
    claims = [await verify_badge(token, event.id) for token in tokens_on(pages[-1])]
    assert len(claims) == 4 and all(c.event_id == event.id for c in claims)


async def test_pages_fit_every_width_and_pass_axe_in_dutch_and_english(live_server, db):
    from event_ops.matching.schedule import build_schedule, publish_schedule
    from tests.helpers import visitor

    event, zorg, *_ = await matching_day()
    await build_schedule(event, rounds=3)
    for n in range(5):
        await visitor(event, 100 + n, name=f"Extra{n} Persoon")
    session = await admin_session()
    base = f"/admin/events/{event.slug}"
    # A finished print run, so the list and the download show too.
    await current_engine().fetch(
        "INSERT INTO badge_print_run (event, scope, status, total, done, pages, badge_size,"
        " actor, created_at, heartbeat_at, file_name, file_bytes, error, finished_at)"
        " VALUES (?, 'all', 'done', 8, 8, 2, 'a6', 'x', ?, ?, '', 0, '', ?)",
        [event.id, event.starts_at, event.starts_at, event.starts_at])
    pages = {
        "matching": f"{base}/matching?employer={zorg.id}&visitor=1",
        "publish": f"{base}/matching/publish",
        "badges": f"{base}/badges",
    }
    found: dict = {}
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, bypass_csp=True,
                                            locale="nl-NL")
        await context.add_cookies([{"name": "eo_session", "value": session,
                                    "url": live_server}])
        page = await context.new_page()
        for lang in ("nl", "en"):
            for name, path in pages.items():
                await page.goto(path + ("&" if "?" in path else "?") + f"lang={lang}")
                await check_layout_and_axe(page, f"{name}-{lang}", found)
        # A refusal shown on the page: publishing when there is no draft (any more).
        await publish_schedule(event)
        for lang in ("nl", "en"):
            await page.goto(f"{base}/matching?lang={lang}")
            await page.evaluate(
                "() => { const f = document.createElement('form'); f.method = 'post';"
                " f.action = location.pathname + '/publish' + location.search;"
                " f.appendChild(document.querySelector('input[name=_csrf_token]').cloneNode());"
                " document.body.appendChild(f); f.submit(); }")
            await expect(page.locator("#error-summary")).to_contain_text(
                "Maak eerst een rooster." if lang == "nl" else "Build a schedule first.")
            await check_layout_and_axe(page, f"matching-error-{lang}", found)
        await context.close()
    assert not found, json.dumps(found, indent=1)
