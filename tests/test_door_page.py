"""Door scanner, pairing and live dashboard pages in headless Chromium against the real server:
fake camera, keyboard wedge, offline queue with sync, offline conflicts, live numbers."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import httpx
import pytest
from playwright.async_api import expect

from badges.content import badge_data
from badges.render import render_png
from badges.service import reissue
from event_ops.core.db import current_engine
from event_ops.core.settings import get_settings
from tests.badge_video import write_y4m
from tests.browser import ARTIFACTS, chromium
from tests.helpers import badge, bearer, open_event, visitor

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TIMEOUT = 8_000  # ms, for anything the page has to show


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"][len("Bearer "):]


async def device_context(browser, base: str, slug: str, token: str, role: str, label: str,
                         **options):
    """A browser context whose localStorage holds a paired device (as /pair would store it)."""
    context = await browser.new_context(base_url=base, **options)
    record = json.dumps({"token": token, "event": slug, "role": role, "label": label})
    await context.add_init_script(
        "try { if (location.origin !== 'null') "
        f"localStorage.setItem('eventops.device', {json.dumps(record)}); }} catch (e) {{}}"
    )
    return context


async def open_door(context, slug: str, lang: str = "en"):
    page = await context.new_page()
    await page.goto(f"/door/{slug}?lang={lang}")
    await expect(page.locator("#door")).to_have_attribute("data-ready", "true", timeout=TIMEOUT)
    return page


async def open_dashboard(context, slug: str, lang: str = "en"):
    page = await context.new_page()
    await page.goto(f"/dashboard/{slug}?lang={lang}")
    await expect(page.locator("#dashboard")).to_have_attribute("data-ready", "true",
                                                               timeout=TIMEOUT)
    await expect(page.locator("#live")).to_have_attribute("data-live", "true", timeout=TIMEOUT)
    return page


async def type_code(page, token: str) -> None:
    """What a hand scanner does when the code field has focus: type fast, then Enter."""
    field = page.get_by_label("Badge code")
    await field.focus()
    await page.keyboard.type(token)
    await page.keyboard.press("Enter")


async def registration(registration_id: int) -> dict:
    rows = await current_engine().fetch(
        "SELECT checked_in_at, checked_in_door FROM registration WHERE id = ?",
        [registration_id],
    )
    return rows[0]


def as_utc(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def test_pairing_then_scanner_wedge_field_undo_search_and_walk_in(live_server, db):
    event = await open_event()
    sara = await visitor(event, 1, name="Sara Bakker")
    tom = await visitor(event, 2, name="Tom de Vries")
    await visitor(event, 3, name="Fatima el Amrani")
    organiser = await bearer(event, "organiser", label="Organisation")
    south = await bearer(event, label="Door South")
    async with httpx.AsyncClient(base_url=live_server) as http:
        r = await http.post(f"/api/v1/events/{event.slug}/pairings", headers=organiser,
                            json={"role": "door", "label": "Door A"})
        assert r.status_code == 201, r.text
        pair_url = r.json()["pair_url"]
        # Tom came in through the south door already.
        r = await http.post(f"/api/v1/events/{event.slug}/checkins", headers=south,
                            json={"token": await badge(event, tom.registration_id)})
        assert r.json()["status"] == "ok"

    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, viewport=PHONE,
                                            locale="nl-NL")
        page = await context.new_page()
        # The pairing QR opens /pair#<code>: the page redeems it and goes on to the door.
        await page.goto(pair_url)
        await page.wait_for_url(f"**/door/{event.slug}", timeout=TIMEOUT)
        await expect(page.locator("#door")).to_have_attribute("data-ready", "true",
                                                              timeout=TIMEOUT)
        await expect(page.locator("#device-label")).to_have_text("Dit apparaat: Door A")
        stored = json.loads(await page.evaluate("localStorage.getItem('eventops.device')"))
        assert stored["role"] == "door" and stored["event"] == event.slug
        assert stored["label"] == "Door A" and stored["token"].startswith("eot_")
        # The code was used once; it is no longer in the address bar.
        assert "#" not in page.url

        # A hand scanner types while no field has focus (keyboard wedge): still a scan.
        await page.locator("h1").click()
        await page.keyboard.type(await badge(event, sara.registration_id))
        await page.keyboard.press("Enter")
        result = page.locator("#result")
        await expect(result).to_have_attribute("data-status", "ok", timeout=TIMEOUT)
        await expect(result).to_have_class("result result--ok")
        await expect(page.locator("#result-title")).to_have_text("Welkom, Sara!")
        await expect(result).to_have_attribute("aria-live", "assertive")
        await expect(page.locator("#count-door")).to_have_text("1", timeout=TIMEOUT)
        row = await registration(sara.registration_id)
        assert row["checked_in_at"] is not None and row["checked_in_door"] == "Door A"

        # English from here on; the device stays paired.
        await page.get_by_role("link", name="English").click()
        await expect(page.locator("#door")).to_have_attribute("data-ready", "true",
                                                              timeout=TIMEOUT)

        # Typed into the code field: Tom is in already, through the south door: orange.
        await type_code(page, await badge(event, tom.registration_id))
        await expect(result).to_have_attribute("data-status", "already_checked_in",
                                                timeout=TIMEOUT)
        await expect(result).to_have_class("result result--warn")
        await expect(page.locator("#result-title")).to_have_text("Tom is already in")
        await expect(page.locator("#result-detail")).to_contain_text("at Door South")

        # Not a badge of ours: red.
        await type_code(page, "EO1." + "A" * 100)
        await expect(result).to_have_attribute("data-status", "invalid", timeout=TIMEOUT)
        await expect(result).to_have_class("result result--error")

        # No badge with her: find Fatima by name and check her in by id.
        await page.get_by_label("Name or phone number").fill("fati")
        await page.get_by_role("button", name="Search").click()
        await page.get_by_role("button", name="Check in Fatima el Amrani").click()
        await expect(page.locator("#result-title")).to_have_text("Welcome, Fatima!",
                                                                 timeout=TIMEOUT)

        # Undo the last check-in (a mis-scan).
        await page.get_by_role("button", name="Undo last check-in").click()
        await expect(result).to_have_attribute("data-status", "undone", timeout=TIMEOUT)
        fatima = (await current_engine().fetch(
            "SELECT r.id FROM registration r JOIN visitor v ON v.id = r.visitor"
            " WHERE v.name = 'Fatima el Amrani'"))[0]["id"]
        assert (await registration(fatima))["checked_in_at"] is None

        # A walk-in registers at the door, ticks the terms themselves, and is checked in.
        await page.get_by_text("Register a new visitor").click()
        await page.get_by_role("textbox", name="Name").fill("Noah Jansen")
        await page.get_by_role("textbox", name="E-mail address").fill("noah@example.nl")
        await page.get_by_label("I agree to the terms").check()
        await page.get_by_role("button", name="Register and check in").click()
        await expect(page.locator("#result-title")).to_have_text("Welcome, Noah!",
                                                                 timeout=TIMEOUT)
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "door-phone.png"), full_page=True)
        await context.close()

    rows = await current_engine().fetch(
        "SELECT r.checked_in_door, r.status FROM registration r JOIN visitor v"
        " ON v.id = r.visitor WHERE v.email = 'noah@example.nl'")
    assert rows == [{"checked_in_door": "Door A", "status": "registered"}]


async def test_fake_camera_reads_a_rendered_badge(server_factory, db, tmp_path: Path):
    event = await open_event()
    sara = await visitor(event, 1, name="Sara Bakker")
    door = await bearer(event, label="Door Camera")
    png = render_png(await badge_data(sara.registration_id, get_settings()))
    video = write_y4m(tmp_path / "badge.y4m", png)
    base = server_factory()
    args = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]
    async with chromium(args) as browser:
        context = await device_context(browser, base, event.slug, token_of(door),
                                       "door", "Door Camera", viewport=PHONE)
        await context.grant_permissions(["camera"], origin=base)
        page = await open_door(context, event.slug)
        await page.get_by_role("button", name="Camera on").click()
        await expect(page.get_by_role("button", name="Camera off")).to_be_visible()
        result = page.locator("#result")
        await expect(result).to_have_attribute("data-status", "ok", timeout=15_000)
        await expect(page.locator("#result-title")).to_have_text("Welcome, Sara!")
        # The badge stays in view: it is scanned once, not again and again.
        await page.wait_for_timeout(1500)
        await expect(result).to_have_attribute("data-status", "ok")
        await page.get_by_role("button", name="Camera off").click()
        await context.close()
    row = await registration(sara.registration_id)
    assert row["checked_in_at"] is not None and row["checked_in_door"] == "Door Camera"
    scans = await current_engine().fetch("SELECT status FROM scan_log")
    assert [s["status"] for s in scans] == ["ok"]


async def test_offline_scans_are_kept_and_synced_with_their_original_time(live_server, db):
    event = await open_event()
    first = await visitor(event, 1, name="Sara Bakker")
    second = await visitor(event, 2, name="Tom de Vries")
    lost = await visitor(event, 3, name="Eva Smit")
    old_badge = await badge(event, lost.registration_id, serial=1)
    await reissue(event.id, lost.registration_id, "test")  # she lost it: serial 1 is revoked
    door = await bearer(event, label="Door North")
    scanned = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=2)

    async with chromium() as browser:
        context = await device_context(browser, live_server, event.slug,
                                       token_of(door), "door", "Door North",
                                       viewport=PHONE)
        page = await open_door(context, event.slug)
        await expect(page.locator("#keys-state")).to_contain_text(
            "Checking without internet: updated")
        net = page.locator("#net")
        await context.set_offline(True)
        await expect(net).to_have_attribute("data-online", "false", timeout=TIMEOUT)
        await expect(net).to_contain_text("Offline")
        await page.clock.set_fixed_time(scanned)

        result = page.locator("#result")
        await type_code(page, await badge(event, first.registration_id))
        await expect(result).to_have_attribute("data-status", "ok", timeout=TIMEOUT)
        await expect(page.locator("#result-title")).to_have_text(
            "Badge is good (checked without internet). Welcome!")
        await type_code(page, await badge(event, second.registration_id))
        await expect(net).to_contain_text("2 waiting", timeout=TIMEOUT)
        # The same badge again on this device while offline: already in.
        await type_code(page, await badge(event, first.registration_id))
        await expect(result).to_have_attribute("data-status", "already_checked_in",
                                                timeout=TIMEOUT)
        await expect(net).to_contain_text("3 waiting", timeout=TIMEOUT)
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "door-offline.png"))
        # A re-issued (revoked) badge is refused offline too, from the downloaded list.
        await type_code(page, old_badge)
        await expect(result).to_have_attribute("data-status", "revoked", timeout=TIMEOUT)
        assert await current_engine().fetch(
            "SELECT id FROM registration WHERE checked_in_at IS NOT NULL") == []

        await context.set_offline(False)
        await expect(net).to_have_attribute("data-pending", "0", timeout=15_000)
        await expect(net).to_have_attribute("data-online", "true")
        await context.close()

    for reg in (first, second):
        row = await registration(reg.registration_id)
        assert as_utc(row["checked_in_at"]) == scanned
        assert row["checked_in_door"] == "Door North"
    log = await current_engine().fetch("SELECT status, nonce FROM scan_log ORDER BY id")
    assert [r["status"] for r in log] == ["ok", "ok", "already_checked_in", "revoked"]
    assert len({r["nonce"] for r in log}) == 4


async def test_two_offline_doors_let_the_same_badge_in_and_the_dashboard_warns(live_server, db):
    event = await open_event()
    sara = await visitor(event, 1, name="Sara Bakker")
    token = await badge(event, sara.registration_id)
    door_a = token_of(await bearer(event, label="Door A"))
    door_b = token_of(await bearer(event, label="Door B"))
    organiser = token_of(await bearer(event, "organiser", label="Organisation"))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    async with chromium() as browser:
        contexts = [
            await device_context(browser, live_server, event.slug, door_a, "door", "Door A"),
            await device_context(browser, live_server, event.slug, door_b, "door", "Door B"),
        ]
        doors = [await open_door(context, event.slug) for context in contexts]
        for context, page, ago in zip(contexts, doors, (90, 60), strict=True):
            await context.set_offline(True)
            await expect(page.locator("#net")).to_have_attribute("data-online", "false",
                                                                 timeout=TIMEOUT)
            await page.clock.set_fixed_time(now - dt.timedelta(seconds=ago))
            await type_code(page, token)
            await expect(page.locator("#result")).to_have_attribute("data-status", "ok",
                                                                    timeout=TIMEOUT)
            await expect(page.locator("#net")).to_contain_text("1 waiting")

        dash_context = await device_context(browser, live_server, event.slug, organiser,
                                            "organiser", "Organisation")
        dashboard = await open_dashboard(dash_context, event.slug)
        await expect(page.locator("#conflicts li")).to_have_count(0)

        for context, page in zip(contexts, doors, strict=True):
            await context.set_offline(False)
            await expect(page.locator("#net")).to_have_attribute("data-pending", "0",
                                                                 timeout=15_000)
        alert = dashboard.locator("#conflicts li")
        await expect(alert).to_have_count(1, timeout=TIMEOUT)
        await expect(alert).to_contain_text("Badge let in at Door B")
        await expect(dashboard.locator("#stat-checked-in")).to_have_text("1")
        # Door B hears that one of its offline scans was not good.
        await expect(doors[1].locator("#net")).to_contain_text("1 scans without internet")
        # A dashboard opened later finds the conflict in the scan log.
        later = await open_dashboard(dash_context, event.slug)
        await expect(later.locator("#conflicts li")).to_have_count(1, timeout=TIMEOUT)
        ARTIFACTS.mkdir(exist_ok=True)
        await later.screenshot(path=str(ARTIFACTS / "dashboard-conflict.png"), full_page=True)

    row = await registration(sara.registration_id)
    assert row["checked_in_door"] == "Door A"
    conflicts = await current_engine().fetch(
        "SELECT door, status FROM scan_log WHERE conflict = ?", [True])
    assert conflicts == [{"door": "Door B", "status": "already_checked_in"}]


async def test_dashboard_numbers_and_chart_update_live(live_server, db):
    event = await open_event()
    people = [await visitor(event, n, name=f"Gast {n}") for n in range(1, 4)]
    # Badges first: the event's signing key is made with the first badge, and the server
    # caches the (then empty) key ring for a few seconds when a device reads it earlier.
    tokens = [await badge(event, person.registration_id) for person in people]
    door = await bearer(event, label="Door North")
    organiser = token_of(await bearer(event, "organiser", label="Organisation"))

    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server,
                                            viewport={"width": 1280, "height": 900})
        # The manual fallback of the pairing page: paste a token from `eventops token create`.
        page = await context.new_page()
        await page.goto("/pair?lang=en")
        form = page.locator("#pair-manual")
        await form.get_by_label("Access code").fill("eot_not-a-real-token")
        await form.get_by_label("Event").fill(event.slug)
        await form.get_by_label("What is this device for?").select_option("organiser")
        await form.get_by_role("button", name="Save and continue").click()
        await expect(page.locator("#pair-manual-error")).to_be_visible()
        await form.get_by_label("Access code").fill(organiser)
        await form.get_by_role("button", name="Save and continue").click()
        await page.wait_for_url(f"**/dashboard/{event.slug}?lang=en", timeout=TIMEOUT)
        await expect(page.locator("#dashboard")).to_have_attribute("data-ready", "true",
                                                                   timeout=TIMEOUT)
        await expect(page.locator("#live")).to_have_attribute("data-live", "true",
                                                              timeout=TIMEOUT)
        await expect(page.locator("#stat-registered")).to_have_text("3")
        await expect(page.locator("#stat-checked-in")).to_have_text("0")
        started = time.monotonic()
        async with httpx.AsyncClient(base_url=live_server, headers=door) as http:
            for token in tokens[:2]:
                r = await http.post(f"/api/v1/events/{event.slug}/checkins",
                                    json={"token": token})
                assert r.json()["status"] == "ok"
            r = await http.post(f"/api/v1/events/{event.slug}/checkins", json={"token": "x"})
            assert r.json()["status"] == "invalid"
        await expect(page.locator("#stat-checked-in")).to_have_text("2", timeout=TIMEOUT)
        assert time.monotonic() - started < 5
        await expect(page.locator("#feed li")).to_have_count(3)
        await expect(page.locator("#feed li").first).to_contain_text("Invalid")
        await expect(page.locator("#failed li")).to_have_count(1)
        await expect(page.locator("#by-door")).to_contain_text("Door North 2")
        await expect(page.locator("#chart svg rect")).to_have_count(1, timeout=TIMEOUT)
        await expect(page.locator("#legend")).to_contain_text("Door North")
        await expect(page.locator("#conflicts li")).to_have_count(0)
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
