"""Walk-ins, print stations and the kiosk in headless Chromium against the real server:
a desk walk-in without e-mail, a print station printing its jobs in order, a kiosk check-in
from a fake camera showing a badge QR, a kiosk sign-up that clears itself. Each page is
checked at 375, 768 and 1280 px (no sideways scrolling) and with axe-core."""

from __future__ import annotations

import asyncio
import json

import pytest
from playwright.async_api import expect

from badges.content import badge_data
from badges.render import render_png
from event_ops.core.db import current_engine
from event_ops.core.settings import get_settings
from tests.badge_video import write_y4m
from tests.browser import ARTIFACTS, chromium
from tests.helpers import bearer, open_event, visitor
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser

TIMEOUT = 10_000
WIDTHS = (375, 768, 1280)
IDLE_SECONDS = 6


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"][len("Bearer "):]


async def paired(browser, base: str, slug: str, headers: dict, role: str, label: str,
                 extra: dict[str, str] | None = None, **options):
    """A browser context that holds a paired device (as /pair stores it)."""
    context = await browser.new_context(base_url=base, **options)
    record = json.dumps({"token": token_of(headers), "event": slug, "role": role,
                         "label": label})
    script = f"localStorage.setItem('eventops.device', {json.dumps(record)});"
    for key, value in (extra or {}).items():
        script += f"localStorage.setItem({json.dumps(key)}, {json.dumps(value)});"
    await context.add_init_script(
        f"try {{ if (location.origin !== 'null') {{ {script} }} }} catch (e) {{}}")
    return context


async def check_layout_and_axe(page, name: str) -> None:
    """No sideways scrolling at phone, tablet and desktop widths; no WCAG 2.1 AA issues."""
    for width in WIDTHS:
        await page.keyboard.press("Shift")  # a touch: the kiosk's idle timer starts again
        await page.set_viewport_size({"width": width, "height": 900})
        scroll = await page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} scrolls sideways at {width}px ({scroll}px)"
        await page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    assert await violations(page) == [], name
    await page.keyboard.press("Shift")


async def station_id(label: str) -> int:
    return (await current_engine().fetch("SELECT id FROM access_token WHERE label = ?",
                                         [label]))[0]["id"]


async def test_desk_walk_in_without_email_then_print_at_a_station(live_server, db):
    event = await open_event()
    desk = await bearer(event, label="Balie 1")
    await bearer(event, "print_station", label="Printer 1")
    ARTIFACTS.mkdir(exist_ok=True)
    async with chromium() as browser:
        context = await paired(browser, live_server, event.slug, desk, "door", "Balie 1",
                               viewport={"width": 390, "height": 844}, bypass_csp=True)
        page = await context.new_page()
        await page.goto(f"/door/{event.slug}?lang=en")
        await expect(page.locator("#door")).to_have_attribute("data-ready", "true",
                                                              timeout=TIMEOUT)
        await page.get_by_text("Register a new visitor").click()
        await page.get_by_label("Name *").fill("Wim Zonder Mail")
        await expect(page.get_by_label("E-mail address (optional)")).to_have_value("")
        await page.get_by_label("Care and welfare", exact=True).check()
        await page.get_by_label("I agree to the terms", exact=False).check()
        await check_layout_and_axe(page, "door-walkin")
        await page.get_by_role("button", name="Register and check in").click()
        await expect(page.locator("#result")).to_have_attribute("data-status", "ok",
                                                                timeout=TIMEOUT)
        await expect(page.locator("#badge-message")).to_have_text("Wim's badge is ready.")
        href = await page.locator("#badge-open").get_attribute("href")
        assert href and "/badges/" in href and href.endswith(".png")
        await expect(page.locator("#badge-print-form")).to_be_visible()
        await page.get_by_label("Label type").select_option("dymo54x101")
        await page.get_by_role("button", name="Print").click()
        await expect(page.locator("#badge-print-message")).to_have_text("Sent to Printer 1.",
                                                                        timeout=TIMEOUT)
        await check_layout_and_axe(page, "door-badge-ready")

        # Lost it already: found by phone? Wim gave none; by name, a new badge.
        await page.get_by_label("Name or phone number").fill("zonder")
        await page.get_by_role("button", name="Search").click()
        await page.get_by_role("button", name="New badge for Wim Zonder Mail").click()
        await expect(page.locator("#badge-message")).to_have_text(
            "New badge for Wim. The old badge no longer works.", timeout=TIMEOUT)

    rows = await current_engine().fetch(
        "SELECT v.email, v.sectors, r.source, r.badge_serial, r.checked_in_door"
        " FROM registration r JOIN visitor v ON v.id = r.visitor")
    assert len(rows) == 1 and rows[0]["email"] is None
    assert rows[0]["source"] == "walkin" and rows[0]["checked_in_door"] == "Balie 1"
    assert rows[0]["badge_serial"] == 2 and "care" in str(rows[0]["sectors"])
    jobs = await current_engine().fetch("SELECT format, status FROM print_job")
    assert [(j["format"], j["status"]) for j in jobs] == [("dymo54x101", "queued")]


async def test_print_station_prints_its_jobs_in_order(live_server, db):
    event = await open_event()
    desk = await bearer(event, label="Balie 1")
    station = await bearer(event, "print_station", label="Printer 1")
    sid = await station_id("Printer 1")
    people = [await visitor(event, n, name=f"Persoon{n} Achternaam") for n in range(1, 5)]
    import httpx

    async with httpx.AsyncClient(base_url=live_server) as http:
        async def send(registration_id: int, fmt: str) -> int:
            r = await http.post(f"/api/v1/events/{event.slug}/print", headers=desk, json={
                "registration_id": registration_id, "station": sid, "format": fmt})
            assert r.status_code == 201, r.text
            return r.json()["id"]

        first = [await send(people[0].registration_id, "ql62"),
                 await send(people[1].registration_id, "a6")]
        # The third one's badge is revoked before it prints: that job fails, with the reason.
        doomed = await send(people[2].registration_id, "zebra4x6")
        await current_engine().fetch(
            "UPDATE registration SET status = 'cancelled' WHERE id = ?",
            [people[2].registration_id])

        async with chromium() as browser:
            context = await paired(browser, live_server, event.slug, station, "print_station",
                                   "Printer 1", bypass_csp=True)
            # Chromium's print dialog does not exist headless: record what would be printed.
            await context.add_init_script(
                "window.__printed = []; window.print = () => { const a ="
                " document.getElementById('print-area'); window.__printed.push([a.dataset.job,"
                " a.querySelector('.label-name').textContent,"
                " getComputedStyle(a.querySelector('.label')).width]); };")
            page = await context.new_page()
            await page.goto(f"/print/{event.slug}?lang=en")
            await expect(page.locator("#station")).to_have_attribute("data-ready", "true",
                                                                     timeout=TIMEOUT)
            await expect(page.locator("#recent li")).to_have_count(3, timeout=TIMEOUT)
            # A job sent while the page is open arrives by itself (websocket) and prints.
            last = await send(people[3].registration_id, "card54x86")
            await expect(page.locator("#recent li")).to_have_count(4, timeout=TIMEOUT)
            printed = await page.evaluate("window.__printed")
            assert [int(p[0]) for p in printed] == [*first, last]
            assert [p[1] for p in printed] == ["Persoon1", "Persoon2", "Persoon4"]
            # Each printed with its own format's size (62 mm, A6 105 mm, card 86 mm).
            assert [round(float(p[2].removesuffix("px")) * 25.4 / 96) for p in printed] == [
                62, 105, 86]
            await expect(page.locator("#queue-none")).to_be_visible()
            failed = page.locator(f"#recent li[data-job='{doomed}']")
            await expect(failed).to_contain_text("failed: The badge could not be loaded (404)")
            await check_layout_and_axe(page, "print-station")
            # Nothing about visitors is kept in the browser.
            storage = await page.evaluate("JSON.stringify(localStorage)")
            assert "Persoon" not in storage
    jobs = await current_engine().fetch("SELECT id, status FROM print_job ORDER BY id")
    assert [(j["id"], j["status"]) for j in jobs] == [
        (first[0], "done"), (first[1], "done"), (doomed, "failed"), (last, "done")]


async def test_kiosk_check_in_from_a_fake_camera_prints_the_badge(server_factory, db, tmp_path):
    base = server_factory(EVENTOPS_KIOSK_IDLE_SECONDS=str(IDLE_SECONDS))
    event = await open_event()
    kiosk = await bearer(event, "kiosk", label="Kiosk Entree")
    await bearer(event, "print_station", label="Printer Entree")
    sid = await station_id("Printer Entree")
    sara = await visitor(event, 1, name="Sara Bakker")
    png = render_png(await badge_data(sara.registration_id, get_settings()))
    video = write_y4m(tmp_path / "badge.y4m", png)
    async with chromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                         f"--use-file-for-fake-video-capture={video}"]) as browser:
        context = await paired(browser, base, event.slug, kiosk, "kiosk", "Kiosk Entree",
                               extra={"eventops.kiosk": json.dumps({"station": sid,
                                                                    "format": "ql62x100"})},
                               viewport={"width": 768, "height": 1024})
        await context.grant_permissions(["camera"], origin=base)
        page = await context.new_page()
        await page.goto(f"/kiosk/{event.slug}?lang=nl")
        await expect(page.locator("#kiosk")).to_have_attribute("data-ready", "true",
                                                               timeout=TIMEOUT)
        await page.get_by_role("button", name="Ik heb een badge").click()
        await expect(page.locator("#done-heading")).to_have_text("Welkom, Sara!",
                                                                 timeout=TIMEOUT)
        await expect(page.locator("#done-text")).to_have_text("Je badge komt uit de printer.")
        # Left alone, it clears itself: back to the start, the name gone.
        await expect(page.locator("#kiosk")).to_have_attribute(
            "data-screen", "start", timeout=(IDLE_SECONDS + 5) * 1000)
        assert "Sara" not in await page.locator("body").inner_text()
    row = (await current_engine().fetch(
        "SELECT checked_in_at, checked_in_door FROM registration WHERE id = ?",
        [sara.registration_id]))[0]
    assert row["checked_in_at"] is not None and row["checked_in_door"] == "Kiosk Entree"
    jobs = await current_engine().fetch("SELECT registration, station, format FROM print_job")
    assert [(j["registration"], j["station"], j["format"]) for j in jobs] == [
        (sara.registration_id, sid, "ql62x100")]


async def test_kiosk_walk_in_sign_up_then_it_forgets_the_visitor(server_factory, db):
    base = server_factory(EVENTOPS_KIOSK_IDLE_SECONDS=str(IDLE_SECONDS))
    event = await open_event()
    kiosk = await bearer(event, "kiosk", label="Kiosk Entree")
    await bearer(event, "print_station", label="Printer Entree")
    sid = await station_id("Printer Entree")
    async with chromium() as browser:
        context = await paired(browser, base, event.slug, kiosk, "kiosk", "Kiosk Entree",
                               bypass_csp=True)
        page = await context.new_page()
        await page.goto(f"/kiosk/{event.slug}?lang=en")
        await expect(page.locator("#kiosk")).to_have_attribute("data-ready", "true",
                                                               timeout=TIMEOUT)
        # Set up by the organisers: this kiosk's print station.
        await page.get_by_text("Set up (organisers)").click()
        await page.get_by_label("Print station for this kiosk").select_option(str(sid))
        await page.get_by_role("button", name="Save").click()
        await check_layout_and_axe(page, "kiosk-start")

        await page.get_by_role("button", name="I am new here").click()
        await page.get_by_role("button", name="Sign up and print my badge").click()
        await expect(page.locator("#form-errors")).to_be_visible(timeout=TIMEOUT)
        await check_layout_and_axe(page, "kiosk-form-errors")
        await page.get_by_label("Your name *").fill("Kees Kiosk")
        await page.get_by_label("Your phone number (optional)").fill("06 1111 2222")
        await page.get_by_role("checkbox", name="Logistics and trade").check()
        await page.get_by_label("I agree to the terms and the privacy rules.").check()
        await page.get_by_role("button", name="Sign up and print my badge").click()
        await expect(page.locator("#done-heading")).to_have_text("Welcome, Kees!",
                                                                 timeout=TIMEOUT)
        await expect(page.locator("#done-text")).to_have_text(
            "Your badge comes out of the printer.")
        await check_layout_and_axe(page, "kiosk-done")
        # No touch for the idle time: cleared. Nothing of Kees on screen or in storage.
        await expect(page.locator("#kiosk")).to_have_attribute(
            "data-cleared", "1", timeout=(IDLE_SECONDS + 5) * 1000)
        await expect(page.locator("#kiosk")).to_have_attribute("data-screen", "start")
        html = await page.content()
        assert "Kees" not in html and "1111" not in html
        assert await page.locator("#k-name").input_value() == ""
        assert await page.locator("#k-phone").input_value() == ""
        stored = await page.evaluate(
            "async () => ({local: Object.keys(localStorage).sort(),"
            " localText: JSON.stringify(localStorage), session: sessionStorage.length,"
            " idb: (await indexedDB.databases()).map(d => d.name)})")
        assert stored["local"] == ["eventops.device", "eventops.kiosk"]
        assert "Kees" not in stored["localText"] and "1111" not in stored["localText"]
        assert stored["session"] == 0 and stored["idb"] == []
        await asyncio.sleep(0)
    rows = await current_engine().fetch(
        "SELECT v.email, v.phone, r.source FROM registration r JOIN visitor v"
        " ON v.id = r.visitor")
    assert [(r["email"], r["phone"], r["source"]) for r in rows] == [
        (None, "+31611112222", "walkin")]
    jobs = await current_engine().fetch("SELECT station FROM print_job")
    assert [j["station"] for j in jobs] == [sid]


async def test_dashboard_counts_walk_ins_per_desk_and_prints_per_station(live_server, db):
    import httpx

    event = await open_event()
    organiser = await bearer(event, "organiser", label="Organisatie")
    desk = await bearer(event, label="Balie 1")
    station = await bearer(event, "print_station", label="Printer 1")
    sid = await station_id("Printer 1")
    base = f"/api/v1/events/{event.slug}"
    async with chromium() as browser:
        context = await paired(browser, live_server, event.slug, organiser, "organiser",
                               "Organisatie", bypass_csp=True)
        page = await context.new_page()
        await page.goto(f"/dashboard/{event.slug}?lang=en")
        await expect(page.locator("#live")).to_have_attribute("data-live", "true",
                                                              timeout=TIMEOUT)
        await expect(page.locator("#walkins-none")).to_be_visible()
        async with httpx.AsyncClient(base_url=live_server) as http:
            ids = []
            for n in range(2):
                r = await http.post(f"{base}/walkins", headers=desk, json={
                    "name": f"Loper{n} Binnen", "consent_terms": True})
                rid = r.json()["registration_id"]
                r = await http.post(f"{base}/print", headers=desk, json={
                    "registration_id": rid, "station": sid, "format": "ql62"})
                ids.append(r.json()["id"])
            await expect(page.locator("#walkins-by-desk")).to_have_text("Balie 1 2",
                                                                        timeout=TIMEOUT)
            await expect(page.locator("#stat-print-queue")).to_have_text("2", timeout=TIMEOUT)
            await http.post(f"{base}/print/jobs/{ids[0]}/done", headers=station,
                            json={"ok": True})
            await http.post(f"{base}/print/jobs/{ids[1]}/done", headers=station,
                            json={"ok": False, "error": "paper jam"})
        await expect(page.locator("#prints-by-station")).to_have_text(
            "Printer 1: 1 printed, 0 waiting, 1 failed", timeout=TIMEOUT)
        await expect(page.locator("#stat-print-queue")).to_have_text("0")
        await expect(page.locator("#stat-prints-failed")).to_have_text("1")
        await check_layout_and_axe(page, "dashboard-desks")
