"""The offline shell (/sw.js): the door scanner and the employer tablet open again after a
reload without network, keep their token, keys and queue, and sync when the network is back.
Nothing but the page shells and their static files is ever kept in the browser's cache."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import expect

from app.pages import offline
from event_ops.core.db import current_engine
from event_ops.core.settings import get_settings
from event_ops.mail.render import visitor_page_url
from tests.browser import ARTIFACTS, chromium
from tests.helpers import badge, bearer, open_event, visitor
from tests.test_door_page import (
    PHONE,
    device_context,
    registration,
    token_of,
    type_code,
)
from tests.test_tablet_page import (
    check_in,
    interests,
    open_tablet,
    scan,
    stand_setup,
    tablet_context,
    until,
)

TIMEOUT = 8_000  # ms, for anything the page has to show

# Every request the page makes goes through the worker once it controls the page.
CONTROLLED = "() => navigator.serviceWorker.controller !== null"

CACHED = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
  }
  return out;
}"""


def static_loads(page) -> list[str]:
    """Collects the /static paths the page loads (to compare with the precache list)."""
    seen: list[str] = []

    def record(request) -> None:
        path = urlsplit(request.url).path
        if path.startswith("/static/"):
            seen.append(path)

    page.on("request", record)
    return seen


async def goto_ready(page, url: str, root: str):
    """Open a device page and wait until its script has started (data-ready)."""
    await page.goto(url)
    await expect(page.locator(root)).to_have_attribute("data-ready", "true", timeout=TIMEOUT)
    return page


def parse_head(script: str) -> dict:
    """The build line app/pages/offline.py puts in front of sw.js: {version, assets}."""
    first = script.split("\n", 1)[0]
    return json.loads(first.removeprefix("self.EVENTOPS_SW = ").removesuffix(";"))


async def build_head(client) -> dict:
    return parse_head((await client.get("/sw.js")).text)


async def build_head_from(page) -> dict:
    return parse_head(await page.evaluate("fetch('/sw.js').then((r) => r.text())"))


# ---- the script itself -----------------------------------------------------------------------


async def test_worker_is_served_from_the_root_as_javascript_and_never_from_a_cache(client):
    r = await client.get("/sw.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "no-cache"
    # The site's CSP (no inline script) is on it too; it allows a same-origin worker.
    assert "script-src 'self'" in r.headers["content-security-policy"]
    head = await build_head(client)
    assert len(head["version"]) == 16
    for path in head["assets"]:
        asset = await client.get(path)
        assert asset.status_code == 200, path
    # Only static files: no page, no API, no visitor link is ever precached.
    assert all(path.startswith("/static/") for path in head["assets"])


def test_a_changed_asset_gives_a_new_version(tmp_path: Path, monkeypatch):
    """A deploy that changes any page file changes /sw.js: browsers install the new worker,
    which fills a new cache and deletes the old one."""
    copy = tmp_path / "static"
    shutil.copytree(offline.STATIC, copy)
    monkeypatch.setattr(offline, "STATIC", copy)
    monkeypatch.setattr(offline, "WORKER", copy / "js" / "sw.js")
    before = offline.worker_script()
    assert offline.worker_script() == before  # same files, same build
    target = copy / "js" / "scanner.js"
    target.write_text(target.read_text() + "\n// changed\n")
    after = offline.worker_script()
    assert parse_head(after.decode())["version"] != parse_head(before.decode())["version"]


# ---- in Chromium ------------------------------------------------------------------------------


@pytest.mark.browser
async def test_door_reloads_offline_queues_a_scan_and_syncs_it_later(live_server, db):
    event = await open_event()
    sara = await visitor(event, 1, name="Sara Bakker")
    tom = await visitor(event, 2, name="Tom de Vries")
    tokens = [await badge(event, who.registration_id) for who in (sara, tom)]
    door = await bearer(event, label="Door North")

    async with chromium() as browser:
        context = await device_context(browser, live_server, event.slug, token_of(door),
                                       "door", "Door North", viewport=PHONE)
        # A cache from an older version, as a deploy leaves it behind: the new worker
        # deletes it, but keeps the page it had (fetched fresh).
        blank = await context.new_page()
        await blank.goto("/health")
        await blank.evaluate(
            """async (url) => {
                const old = await caches.open("eventops-door-0000000000000000");
                await old.put(url, new Response("<p>old</p>",
                                                {headers: {"Content-Type": "text/html"}}));
            }""", f"/door/{event.slug}?lang=nl")
        await blank.close()

        page = await context.new_page()
        loaded = static_loads(page)
        await goto_ready(page, f"/door/{event.slug}?lang=en", "#door")
        await expect(page.locator("#keys-state")).to_contain_text(
            "Checking without internet: updated")
        # The first visit installs the worker, and it takes over this page at once.
        await page.wait_for_function(CONTROLLED, timeout=TIMEOUT)
        head = await build_head_from(page)
        assert set(loaded) <= set(head["assets"]), "a page file is missing from the precache"
        cached = await page.evaluate(CACHED)
        assert list(cached) == [f"eventops-door-{head['version']}"]
        assert sorted(cached[f"eventops-door-{head['version']}"]) == sorted(
            [*head["assets"], f"/door/{event.slug}?lang=en", f"/door/{event.slug}?lang=nl"])
        kept_nl = await page.evaluate(
            f"caches.match('/door/{event.slug}?lang=nl').then((r) => r.text())")
        assert '<html lang="nl" dir="ltr">' in kept_nl and 'id="door"' in kept_nl

        # Online, the page comes from the server (network first), not from the stored copy.
        await current_engine().fetch("UPDATE event SET name = 'Banenmarkt Noord' WHERE id = ?",
                                     [event.id])
        answer = await page.reload()
        assert answer is not None and answer.from_service_worker
        await expect(page.locator("h1")).to_contain_text("Banenmarkt Noord", timeout=TIMEOUT)
        # The app is down behind its proxy (502): the stored copy, as when offline.
        await context.route(f"**/door/{event.slug}*", lambda route: route.fulfill(status=502))
        await page.reload()
        await expect(page.locator("#door")).to_have_attribute("data-ready", "true",
                                                              timeout=TIMEOUT)
        await expect(page.locator("h1")).to_contain_text("Banenmarkt Noord")
        await context.unroute(f"**/door/{event.slug}*")

        # No network: a reload still opens the scanner, with its token and its keys.
        await context.set_offline(True)
        # (The worker's own requests are cut too: a page it never stored does not open.)
        other = await context.new_page()
        with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
            await other.goto("/door/another-event")
        await other.close()
        answer = await page.reload()
        assert answer is not None and answer.from_service_worker
        await expect(page.locator("#door")).to_have_attribute("data-ready", "true",
                                                              timeout=TIMEOUT)
        net = page.locator("#net")
        await expect(net).to_have_attribute("data-online", "false", timeout=TIMEOUT)
        await expect(net).to_contain_text("Offline")
        await expect(page.locator("#device-label")).to_contain_text("Door North")
        await expect(page.locator("#keys-state")).to_contain_text(
            "Checking without internet: updated")
        result = page.locator("#result")
        await type_code(page, tokens[0])
        await expect(result).to_have_attribute("data-status", "ok", timeout=TIMEOUT)
        await expect(page.locator("#result-title")).to_have_text(
            "Badge is good (checked without internet). Welcome!")
        await expect(net).to_contain_text("1 waiting", timeout=TIMEOUT)

        # Another reload, still offline: the queued scan is still there, the next one joins.
        await page.reload()
        await expect(page.locator("#door")).to_have_attribute("data-ready", "true",
                                                              timeout=TIMEOUT)
        await expect(net).to_contain_text("1 waiting", timeout=TIMEOUT)
        await type_code(page, tokens[1])
        await expect(result).to_have_attribute("data-status", "ok", timeout=TIMEOUT)
        await expect(net).to_contain_text("2 waiting", timeout=TIMEOUT)
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "door-offline-reload.png"))
        for who in (sara, tom):
            assert (await registration(who.registration_id))["checked_in_at"] is None

        # Network back: both scans reach the server.
        await context.set_offline(False)
        await expect(net).to_have_attribute("data-pending", "0", timeout=15_000)
        await expect(net).to_have_attribute("data-online", "true")
        await context.close()

    for who in (sara, tom):
        row = await registration(who.registration_id)
        assert row["checked_in_at"] is not None and row["checked_in_door"] == "Door North"


@pytest.mark.browser
async def test_tablet_reloads_offline_and_sends_what_it_kept(live_server, db):
    s = await stand_setup()
    event = s["event"]
    await check_in(live_server, event, s["badges"]["eva"])
    eva = s["eva"].registration_id

    async with chromium() as browser:
        context = await tablet_context(browser, live_server, event.slug, s["tablet"])
        page = await context.new_page()
        loaded = static_loads(page)
        await goto_ready(page, f"/stand/{event.slug}?lang=en", "#stand-tablet")
        await expect(page.locator("#keys-state")).to_contain_text("Checking without internet")
        await page.wait_for_function(CONTROLLED, timeout=TIMEOUT)
        cached = await page.evaluate(CACHED)
        assert len(cached) == 1
        (name, urls), = cached.items()
        assert name.startswith("eventops-stand-")
        assert set(loaded) <= set(urls), "a page file is missing from the precache"
        assert f"/stand/{event.slug}?lang=en" in urls

        await context.set_offline(True)
        await page.reload()
        await expect(page.locator("#stand-tablet")).to_have_attribute("data-ready", "true",
                                                                      timeout=TIMEOUT)
        net = page.locator("#net")
        await expect(net).to_have_attribute("data-online", "false", timeout=TIMEOUT)
        await expect(net).to_contain_text("Offline")
        await expect(page.locator("#device-label")).to_contain_text("Tablet A1")
        # The badge is checked with the kept keys; the tap is kept on the tablet.
        await scan(page, s["badges"]["eva"])
        await page.get_by_role("button", name="Direct match").click()
        await expect(net).to_have_attribute("data-pending", "1", timeout=TIMEOUT)
        await expect(net).to_contain_text("1 waiting")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "stand-tablet-offline-reload.png"))
        assert await interests() == []

        await context.set_offline(False)
        await expect(net).to_have_attribute("data-pending", "0", timeout=15_000)
        rows = await until(lambda rows: len(rows) == 1)
        assert (rows[0]["registration"], rows[0]["level"]) == (eva, "direct")
        await context.close()


@pytest.mark.browser
async def test_api_answers_visitor_pages_and_exports_are_never_cached(live_server, db):
    s = await stand_setup()
    event = s["event"]
    await check_in(live_server, event, s["badges"]["eva"])
    door = token_of(await bearer(event, label="Door North"))
    settings = get_settings()
    me_path = visitor_page_url(settings, s["eva"].visitor_id, 1).removeprefix(
        settings.base_url)

    async with chromium() as browser:
        # The tablet shows a visitor card (API), the stand's list and its CSV export.
        context = await tablet_context(browser, live_server, event.slug, s["tablet"])
        tablet = await open_tablet(context, event.slug)
        await tablet.wait_for_function(CONTROLLED, timeout=TIMEOUT)
        await scan(tablet, s["badges"]["eva"])
        await expect(tablet.locator("#visitor-name")).to_have_text("Eva Mulder",
                                                                   timeout=TIMEOUT)
        async with tablet.expect_download() as download:
            await tablet.get_by_role("button", name="Download list (CSV)").click()
        assert (await download.value).suggested_filename.endswith(".csv")
        await tablet.get_by_role("button", name="Show the stand QR code").click()
        await expect(tablet.locator("#qr-image")).to_have_attribute("src", re.compile("^blob:"),
                                                                    timeout=TIMEOUT)
        await tablet.get_by_role("button", name="Close").click()

        # The door page on the same browser reads stats and keys; then a visitor's own page
        # is opened (as on a shared device) and an API answer is fetched from the page.
        door_page = await context.new_page()
        record = json.dumps({"token": door, "event": event.slug, "role": "door",
                             "label": "Door North"})
        await door_page.goto("/health")
        await door_page.evaluate(
            "(r) => { const all = {}; const d = JSON.parse(r);"
            " all[`${d.event}|door`] = d;"
            " localStorage.setItem('eventops.devices', JSON.stringify(all)); }", record)
        await goto_ready(door_page, f"/door/{event.slug}?lang=en", "#door")
        await door_page.wait_for_function(CONTROLLED, timeout=TIMEOUT)
        status = await door_page.evaluate(
            f"fetch('/api/v1/events/{event.slug}/stats',"
            f" {{headers: {{Authorization: 'Bearer {door}'}}}}).then((r) => r.status)")
        assert status == 200
        me = await context.new_page()
        answer = await me.goto(me_path)
        assert answer is not None and answer.status == 200
        assert "Eva Mulder" in await me.content()  # her own data, in the form
        assert await me.evaluate("navigator.serviceWorker.controller") is None

        cached = await tablet.evaluate(CACHED)
        urls = [url for names in cached.values() for url in names]
        assert all(name.startswith(("eventops-door-", "eventops-stand-")) for name in cached)
        assert not [u for u in urls if u.startswith(("/api/", "/me/", "/ws/"))], urls
        # Only the listed static files and the two page shells: not the CSV export, not the
        # stand QR code, not the visitor card.
        assets = set((await build_head_from(tablet))["assets"])
        assert {u for u in urls if u.startswith("/static/")} <= assets
        assert {u for u in urls if not u.startswith("/static/")} == {
            f"/stand/{event.slug}?lang=en", f"/door/{event.slug}?lang=en"}
        # And no copy of anything personal hides in a cached page.
        for url in urls:
            if url.startswith("/static/"):
                continue
            text = await tablet.evaluate(f"caches.match({json.dumps(url)}).then(r => r.text())")
            for secret in ("Eva", "v1@example.nl", "06 1111", me_path):
                assert secret not in text, (url, secret)

        # Offline, the visitor page is not there: it was never stored.
        await context.set_offline(True)
        with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
            await me.reload()
        await context.close()
