"""The employer tablet page (/stand/<event>) in headless Chromium against the real server:
a scan opens the card and saves nothing, consent on the card and in the export, one-tap
outcomes, re-scans that edit, undo, the not-checked-in message, the offline queue and "who
is here"."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.async_api import expect

from badges.content import badge_data
from badges.render import render_png
from event_ops.access.pairing import redeem_pairing
from event_ops.core.db import current_engine
from event_ops.core.settings import get_settings
from event_ops.employers.service import add_employer
from event_ops.people.registration import RegistrationInput, register
from tests.badge_video import write_y4m
from tests.browser import ARTIFACTS, chromium
from tests.helpers import badge, bearer, open_event

pytestmark = pytest.mark.browser

TABLET = {"width": 1024, "height": 1366}
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT = 8_000  # ms, for anything the page has to show


# ---- data --------------------------------------------------------------------------------


async def person(event, n: int, name: str, share: bool, phone: str):
    return await register(event, RegistrationInput(
        name=name, email=f"v{n}@example.nl", phone=phone, consent_terms=True,
        consent_share_profile=share, sectors=["care"], education_level="mbo2",
        competencies=["car-personal-care", "car-hygiene", "car-companionship"],
        competency_levels={"car-personal-care": 3, "car-hygiene": 2, "car-companionship": 1},
    ))


async def stand_setup(n_visitors: int = 3) -> dict:
    """A care stand with one vacancy; Eva shares her profile, Yonas does not, Noor has not
    checked in at the door. Eva and Yonas are checked in through the door API."""
    event = await open_event()
    care = await add_employer(event, name="Zorggroep Noord", stand_label="A1", sector="care")
    db = current_engine()
    vacancy = (await db.fetch(
        "INSERT INTO vacancy (employer, title, description, sector, positions)"
        " VALUES (?, 'Helpende zorg', '', 'care', 1) RETURNING id", [care.id]))[0]["id"]
    for code, level, required in (("car-personal-care", 2, True), ("car-hygiene", 1, True),
                                  ("car-lifting", 2, False)):
        await db.fetch("INSERT INTO vacancy_competency (vacancy, code, level, required)"
                       " VALUES (?, ?, ?, ?)", [vacancy, code, level, required])
    eva = await person(event, 1, "Eva Mulder", True, "06 11112222")
    yonas = await person(event, 2, "Yonas Tesfay", False, "06 98765432")
    noor = await person(event, 3, "Noor Visser", True, "06 33334444")
    tablet = await bearer(event, "employer", label="Tablet A1", employer_id=care.id)
    return {"event": event, "care": care, "vacancy": vacancy, "eva": eva, "yonas": yonas,
            "noor": noor, "tablet": tablet["Authorization"][7:],
            "badges": {key: await badge(event, who.registration_id)
                       for key, who in (("eva", eva), ("yonas", yonas), ("noor", noor))}}


async def check_in(base: str, event, *tokens: str) -> None:
    door = await bearer(event, label="Door North")
    async with httpx.AsyncClient(base_url=base, headers=door) as http:
        for token in tokens:
            r = await http.post(f"/api/v1/events/{event.slug}/checkins", json={"token": token})
            assert r.json()["status"] == "ok", r.text


async def interests() -> list[dict]:
    return await current_engine().fetch(
        "SELECT registration, level, note, rating, vacancy FROM interest ORDER BY registration")


async def until(check, timeout: float = 8.0):
    """Poll the database until ``check(rows)`` holds (the page saves asynchronously)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        rows = await interests()
        if check(rows):
            return rows
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"database never got there: {rows}")
        await asyncio.sleep(0.1)


def by_reg(rows: list[dict]) -> dict[int, dict]:
    return {r["registration"]: r for r in rows}


# ---- browser ------------------------------------------------------------------------------


async def tablet_context(browser, base: str, slug: str, token: str, label: str = "Tablet A1",
                         role: str = "employer", **options):
    """A context whose localStorage holds a paired employer device (as /pair stores it)."""
    context = await browser.new_context(base_url=base, viewport=TABLET, accept_downloads=True,
                                        **options)
    record = json.dumps({"token": token, "event": slug, "role": role, "label": label})
    await context.add_init_script(
        "try { if (location.origin !== 'null') "
        f"localStorage.setItem('eventops.device', {json.dumps(record)}); }} catch (e) {{}}"
    )
    return context


async def open_tablet(context, slug: str):
    page = await context.new_page()
    await page.goto(f"/stand/{slug}?lang=en")
    await expect(page.locator("#stand-tablet")).to_have_attribute("data-ready", "true",
                                                                  timeout=TIMEOUT)
    return page


async def wcag_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA findings (the context needs bypass_csp to inject it)."""
    await page.add_script_tag(path=str(AXE))
    return await page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))", WCAG_TAGS)


async def scan(page, token: str) -> None:
    """A code in the badge field, then Enter (a hand scanner with the field focused)."""
    field = page.get_by_label("Badge code")
    await field.fill(token)
    await field.press("Enter")


async def test_card_respects_consent_one_tap_is_stored_and_the_export_too(live_server, db):
    s = await stand_setup()
    event = s["event"]
    await check_in(live_server, event, s["badges"]["eva"], s["badges"]["yonas"])
    eva, yonas = s["eva"].registration_id, s["yonas"].registration_id

    async with chromium() as browser:
        context = await tablet_context(browser, live_server, event.slug, s["tablet"])
        page = await context.new_page()
        urls: list[str] = []
        errors: list[str] = []  # script errors and CSP violations
        page.on("request", lambda request: urls.append(request.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(f"{m.text} {m.location.get('url')}")
                if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
                else None)
        await page.goto(f"/stand/{event.slug}?lang=en")
        await expect(page.locator("#stand-tablet")).to_have_attribute("data-ready", "true",
                                                                      timeout=TIMEOUT)
        result, card = page.locator("#result"), page.locator("#visitor")

        # A consenting visitor: the scan shows her card and saves nothing yet. The hand
        # scanner types while no field has focus (keyboard wedge): still a scan.
        await page.locator("h1").click()
        await page.keyboard.type(s["badges"]["eva"])
        await page.keyboard.press("Enter")
        await expect(result).to_have_attribute("data-status", "card", timeout=TIMEOUT)
        await expect(page.locator("#result-title")).to_have_text("Not saved yet: Eva")
        await expect(page.locator("#visitor-name")).to_have_text("Eva Mulder")
        await expect(card).to_contain_text("Eva shares name, e-mail and phone with you.")
        await expect(card).to_contain_text("v1@example.nl")
        await expect(page.locator("#match-title")).to_have_text(
            "Match with Helpende zorg: 80%")
        await expect(page.locator("#match-matched")).to_have_text(
            "Matches on: Personal care, Hygiene in care")
        await expect(page.locator("#visitor-skills li")).to_have_count(3)
        outcomes = page.locator("#outcome [data-level]")
        await expect(outcomes).to_have_count(4)
        for i in range(4):  # no outcome chosen for her
            await expect(outcomes.nth(i)).to_have_attribute("aria-pressed", "false")
        await expect(page.get_by_role("button", name="Undo last entry")).to_be_disabled()
        await page.wait_for_timeout(300)
        assert await interests() == []

        # One tap stores the outcome.
        direct = page.get_by_role("button", name="Direct match")
        await direct.click()
        await expect(direct).to_have_attribute("aria-pressed", "true", timeout=TIMEOUT)
        await expect(page.locator("#result-title")).to_have_text("Saved: Direct match")
        await until(lambda rows: by_reg(rows)[eva]["level"] == "direct")

        # Optional extras: rating, vacancy, note.
        await page.get_by_text("Add more (optional)").click()
        await page.get_by_role("radio", name="4").check(force=True)
        await page.get_by_label("Vacancy").select_option(label="Helpende zorg")
        await page.get_by_label("Note").fill("Sterk in de zorg")
        await page.get_by_role("button", name="Save details").click()
        rows = await until(lambda rows: by_reg(rows)[eva]["rating"] == 4)
        assert by_reg(rows)[eva] == {"registration": eva, "level": "direct",
                                     "note": "Sterk in de zorg", "rating": 4,
                                     "vacancy": s["vacancy"]}

        # A visitor who shares nothing: first name and skills only, said in plain words.
        await scan(page, s["badges"]["yonas"])
        await expect(page.locator("#visitor-name")).to_have_text("Yonas", timeout=TIMEOUT)
        await expect(card).to_contain_text(
            "Yonas does not share a last name, e-mail or phone. You only see the first name"
            " and what Yonas can do.")
        await expect(page.locator("#visitor-contact")).to_be_hidden()
        await expect(page.locator("#visitor-skills li")).to_have_count(3)
        # Details before an outcome are not saved on their own; the tap saves them too.
        await page.get_by_label("Note").fill("Wil eerst stage lopen")
        await page.get_by_role("button", name="Save details").click()
        await expect(result).to_have_attribute("data-status", "choose_level", timeout=TIMEOUT)
        await expect(page.locator("#result-title")).to_have_text("Choose the next step first")
        assert yonas not in by_reg(await interests())
        await page.get_by_role("button", name="Follow-up talk").click()
        rows = await until(lambda rows: by_reg(rows).get(yonas, {}).get("level") == "follow_up")
        assert by_reg(rows)[yonas]["note"] == "Wil eerst stage lopen"

        entries = page.locator("#entries li")
        await expect(entries).to_have_count(2, timeout=TIMEOUT)
        await expect(entries.filter(has_text="Yonas")).to_contain_text(
            "does not share contact details")
        await expect(entries.filter(has_text="Eva Mulder")).to_contain_text("v1@example.nl")

        # The export, fetched with the header and saved from a Blob.
        async with page.expect_download() as info:
            await page.get_by_role("button", name="Download list (CSV)").click()
        download = await info.value
        assert download.suggested_filename == f"{event.slug}-interests.csv"
        csv_text = (await download.path()).read_text(encoding="utf-8-sig")
        assert "Eva Mulder" in csv_text and "v1@example.nl" in csv_text and "Yonas" in csv_text

        # The stand QR for visitors' own phones, in a dialog.
        await page.get_by_role("button", name="Show the stand QR code").click()
        dialog = page.get_by_role("dialog")
        await expect(dialog).to_be_visible()
        qr = page.get_by_role("img", name="QR code of your stand")
        await expect(qr).to_be_visible()
        assert await qr.evaluate("img => img.complete && img.naturalWidth > 100")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "stand-tablet-qr.png"))
        await page.get_by_role("button", name="Close").click()
        await expect(dialog).to_be_hidden()
        await page.screenshot(path=str(ARTIFACTS / "stand-tablet.png"), full_page=True)

        # Whatever happened on the page, Yonas's last name, e-mail and phone never got there.
        html = await page.content()
        for secret in ("Tesfay", "v2@example.nl", "98765432"):
            assert secret not in html
            assert secret not in csv_text
        stored = json.dumps(await page.evaluate("""async () => {
            const out = [];
            const req = indexedDB.open(`eventops-stand-${location.pathname.split('/')[2]}`);
            const db = await new Promise((ok) => { req.onsuccess = () => ok(req.result); });
            const tx = db.transaction('meta');
            const all = tx.objectStore('meta').getAll();
            await new Promise((ok) => { all.onsuccess = ok; });
            return all.result;
        }"""))
        assert "Tesfay" not in stored and "v1@example.nl" not in stored  # no contacts at rest
        # The device token and the badge tokens never travel in a page or API URL.
        assert urls and not any(s["tablet"] in url for url in urls)
        assert any(url.endswith("/interests/card?lang=en") for url in urls)
        assert not any(s["badges"][k] in url for k in ("eva", "yonas") for url in urls)
        assert errors == []
        await context.close()


async def test_rescan_edits_the_same_entry_undo_and_not_checked_in(live_server, db):
    s = await stand_setup()
    event = s["event"]
    await check_in(live_server, event, s["badges"]["eva"], s["badges"]["yonas"])
    eva, yonas = s["eva"].registration_id, s["yonas"].registration_id

    async with chromium() as browser:
        context = await tablet_context(browser, live_server, event.slug, s["tablet"],
                                       bypass_csp=True)  # to inject axe-core
        page = await open_tablet(context, event.slug)
        title = page.locator("#result-title")
        await scan(page, s["badges"]["eva"])
        await expect(title).to_have_text("Not saved yet: Eva", timeout=TIMEOUT)
        await page.get_by_role("button", name="Direct match").click()
        await expect(title).to_have_text("Saved: Direct match", timeout=TIMEOUT)
        await page.get_by_text("Add more (optional)").click()
        await page.get_by_label("Note").fill("Maandag bellen")
        await page.get_by_role("button", name="Save details").click()
        await until(lambda rows: rows and rows[0]["note"] == "Maandag bellen")

        # A new session (reload): the re-scan is prefilled from the list and edits in place.
        await page.reload()
        await expect(page.locator("#stand-tablet")).to_have_attribute("data-ready", "true",
                                                                      timeout=TIMEOUT)
        await scan(page, s["badges"]["eva"])
        await expect(title).to_have_text("Already in your list: Direct match", timeout=TIMEOUT)
        await expect(page.get_by_role("button", name="Direct match")).to_have_attribute(
            "aria-pressed", "true")
        await expect(page.get_by_label("Note")).to_have_value("Maandag bellen")
        await expect(page.get_by_role("button", name="Undo last entry")).to_be_disabled()
        assert await wcag_violations(page) == []  # card, outcome, details, list, who is here
        # Keyboard only works too: focus the outcome and press Enter.
        await page.get_by_role("button", name="Training route").focus()
        await page.keyboard.press("Enter")
        await expect(title).to_have_text("Saved: Training route", timeout=TIMEOUT)
        rows = await until(lambda rows: rows[0]["level"] == "training")
        assert len(rows) == 1 and rows[0]["note"] == "Maandag bellen"

        # Undo the last entry: a change goes back to what it was before.
        await page.get_by_role("button", name="Undo last entry").click()
        await expect(title).to_have_text("Change undone. Eva Mulder: back to Direct match.",
                                         timeout=TIMEOUT)
        rows = await until(lambda rows: rows[0]["level"] == "direct")
        assert len(rows) == 1 and rows[0]["note"] == "Maandag bellen"
        await expect(page.locator("#visitor")).to_be_hidden()

        # … and a new entry is taken out again.
        await scan(page, s["badges"]["yonas"])
        await expect(title).to_have_text("Not saved yet: Yonas", timeout=TIMEOUT)
        await page.get_by_role("button", name="Info only").click()
        await expect(title).to_have_text("Saved: Info only", timeout=TIMEOUT)
        await until(lambda rows: yonas in by_reg(rows))
        await page.get_by_role("button", name="Undo last entry").click()
        await expect(title).to_have_text("Yonas is taken out of your list.", timeout=TIMEOUT)
        await until(lambda rows: [r["registration"] for r in rows] == [eva])

        # Not checked in at the door: a clear message, nothing stored, no card.
        await scan(page, s["badges"]["noor"])
        result = page.locator("#result")
        await expect(result).to_have_attribute("data-status", "not_checked_in", timeout=TIMEOUT)
        await expect(title).to_have_text("Not checked in at the entrance yet")
        await expect(page.locator("#result-detail")).to_have_text(
            "Ask the visitor to check in at the entrance first. Then scan the badge again.")
        await expect(page.locator("#visitor")).to_be_hidden()
        assert [r["registration"] for r in await interests()] == [eva]

        # Not a badge at all.
        await scan(page, "https://example.org/not-a-badge")
        await expect(result).to_have_attribute("data-status", "invalid", timeout=TIMEOUT)

        # Search today's list.
        await scan(page, s["badges"]["yonas"])
        await expect(title).to_have_text("Not saved yet: Yonas", timeout=TIMEOUT)
        await page.get_by_role("button", name="Info only").click()
        await expect(page.locator("#entries li")).to_have_count(2, timeout=TIMEOUT)
        await page.get_by_label("Search your list").fill("eva")
        await page.get_by_role("button", name="Search").click()
        await expect(page.locator("#entries li")).to_have_count(1, timeout=TIMEOUT)
        await expect(page.locator("#entries li")).to_contain_text("Eva Mulder")
        await context.close()


async def test_scan_only_tablet_undo_gives_the_admins_entry_back(live_server, db):
    """Issue 12 #11 on the tablet: the admin code wrote a note and a rating; a scan-only
    tablet scans the visitor again, taps another outcome and undoes. The admin's entry is
    back, and the match still points at it. An entry the tablet made with two saves (an
    outcome, then details) is taken out completely by one undo."""
    s = await stand_setup()
    event = s["event"]
    await check_in(live_server, event, s["badges"]["eva"], s["badges"]["yonas"])
    admin = {"Authorization": f"Bearer {s['tablet']}"}
    async with httpx.AsyncClient(base_url=live_server, headers=admin) as http:
        r = await http.post(f"/api/v1/events/{event.slug}/interests", json={
            "token": s["badges"]["eva"], "level": "follow_up", "note": "Belt maandag",
            "rating": 4})
        assert r.status_code == 201, r.text
    scan_only = (await bearer(event, "employer_tablet", label="Tablet 2",
                              employer_id=s["care"].id))["Authorization"][7:]

    async with chromium() as browser:
        context = await tablet_context(browser, live_server, event.slug, scan_only,
                                       label="Tablet 2", role="employer_tablet")
        page = await open_tablet(context, event.slug)
        title = page.locator("#result-title")
        await scan(page, s["badges"]["eva"])
        await expect(title).to_have_text("Already in your list: Follow-up talk",
                                         timeout=TIMEOUT)
        await page.get_by_role("button", name="Direct match").click()
        await expect(title).to_have_text("Saved: Direct match", timeout=TIMEOUT)
        await until(lambda rows: rows and rows[0]["level"] == "direct")
        await page.get_by_role("button", name="Undo last entry").click()
        await expect(title).to_have_text(
            "Change undone. Eva Mulder: back to Follow-up talk.", timeout=TIMEOUT)
        rows = await until(lambda rows: rows and rows[0]["level"] == "follow_up")
        assert (rows[0]["note"], rows[0]["rating"]) == ("Belt maandag", 4)
        match = await current_engine().fetch('SELECT level, interest FROM "match"')
        interest = await current_engine().fetch("SELECT id FROM interest")
        assert match == [{"level": "follow_up", "interest": interest[0]["id"]}]

        await scan(page, s["badges"]["yonas"])
        await expect(title).to_have_text("Not saved yet: Yonas", timeout=TIMEOUT)
        await page.get_by_role("button", name="Info only").click()
        await expect(title).to_have_text("Saved: Info only", timeout=TIMEOUT)
        await page.get_by_text("Add more (optional)").click()
        await page.get_by_label("Note").fill("Wil eerst stage lopen")
        await page.get_by_role("button", name="Save details").click()
        await until(lambda rows: any(r["note"] == "Wil eerst stage lopen" for r in rows))
        await page.get_by_role("button", name="Undo last entry").click()
        await expect(title).to_have_text("Yonas is taken out of your list.", timeout=TIMEOUT)
        rows = await until(lambda rows: len(rows) == 1)
        assert rows[0]["registration"] == s["eva"].registration_id
        await context.close()


async def test_offline_entries_are_queued_and_synced_without_duplicates(live_server, db):
    s = await stand_setup()
    event = s["event"]
    await check_in(live_server, event, s["badges"]["eva"], s["badges"]["yonas"])
    eva, yonas, noor = (s[k].registration_id for k in ("eva", "yonas", "noor"))

    async with chromium() as browser:
        context = await tablet_context(browser, live_server, event.slug, s["tablet"])
        page = await open_tablet(context, event.slug)
        await expect(page.locator("#keys-state")).to_contain_text("Checking without internet")
        title, net = page.locator("#result-title"), page.locator("#net")
        # Eva was entered before the network dropped.
        await scan(page, s["badges"]["eva"])
        await expect(title).to_have_text("Not saved yet: Eva", timeout=TIMEOUT)
        await page.get_by_role("button", name="Info only").click()
        await expect(title).to_have_text("Saved: Info only", timeout=TIMEOUT)
        await until(lambda rows: len(rows) == 1)
        await expect(page.locator("#entries li")).to_have_count(1, timeout=TIMEOUT)

        await context.set_offline(True)
        await expect(net).to_have_attribute("data-online", "false", timeout=TIMEOUT)
        await expect(net).to_contain_text("Offline")
        await expect(page.locator("#here-state")).to_have_attribute("data-live", "false")
        # Without the card from the server: the badge is checked here, the card shows what
        # the tablet knows (Eva's card from earlier, her saved outcome), and the tap queues.
        await scan(page, s["badges"]["eva"])
        await expect(page.locator("#result")).to_have_attribute("data-status", "offline_card",
                                                                timeout=TIMEOUT)
        await expect(title).to_have_text("Valid badge (checked without internet)")
        await expect(page.locator("#visitor-name")).to_have_text("Eva Mulder")
        await expect(page.get_by_role("button", name="Info only")).to_have_attribute(
            "aria-pressed", "true")
        await expect(net).to_have_attribute("data-pending", "0")
        await page.get_by_role("button", name="Direct match").click()
        await expect(title).to_have_text("Kept on this tablet: Direct match", timeout=TIMEOUT)
        await expect(net).to_contain_text("1 waiting", timeout=TIMEOUT)
        await scan(page, s["badges"]["yonas"])
        await expect(title).to_have_text("Valid badge (checked without internet)",
                                         timeout=TIMEOUT)
        await expect(page.locator("#visitor-name")).to_have_text(f"Visitor {yonas}")
        await expect(page.locator("#visitor-offline")).to_have_text(
            "The profile shows when the internet is back.")
        for level in ("Direct match", "Follow-up talk", "Training route", "Info only"):
            await expect(page.get_by_role("button", name=level)).to_have_attribute(
                "aria-pressed", "false")
        await expect(net).to_have_attribute("data-pending", "1")
        await page.get_by_role("button", name="Info only").click()
        await expect(title).to_have_text("Kept on this tablet: Info only", timeout=TIMEOUT)
        await expect(net).to_contain_text("2 waiting", timeout=TIMEOUT)
        await expect(page.locator("#entries li.tablet-entry")).to_have_count(2)
        # Noor has not checked in yet (the door may be offline too): kept, not lost.
        await scan(page, s["badges"]["noor"])
        await expect(title).to_have_text("Valid badge (checked without internet)",
                                         timeout=TIMEOUT)
        await page.get_by_role("button", name="Info only").click()
        await expect(net).to_contain_text("3 waiting", timeout=TIMEOUT)
        # A forged badge is refused here too, from the downloaded keys.
        await scan(page, "EO1." + "A" * 100)
        await expect(page.locator("#result")).to_have_attribute("data-status", "invalid",
                                                                timeout=TIMEOUT)
        await expect(net).to_have_attribute("data-pending", "3")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "stand-tablet-offline.png"), full_page=True)
        assert len(await interests()) == 1

        await context.set_offline(False)
        await expect(net).to_have_attribute("data-pending", "1", timeout=15_000)
        await expect(net).to_contain_text("checked in at the entrance")
        rows = await until(lambda rows: len(rows) == 2)
        assert {r["registration"]: r["level"] for r in rows} == {eva: "direct", yonas: "info"}
        await expect(page.locator("#here-state")).to_have_attribute("data-live", "true",
                                                                    timeout=TIMEOUT)

        # Noor checks in; the next time the tablet is online her entry goes through.
        await check_in(live_server, event, s["badges"]["noor"])
        await context.set_offline(True)
        await context.set_offline(False)
        await expect(net).to_have_attribute("data-pending", "0", timeout=15_000)
        await context.close()

    rows = await interests()
    assert {r["registration"]: r["level"] for r in rows} == {
        eva: "direct", yonas: "info", noor: "info"}


async def test_pairing_arrival_on_the_right_tablet_only_then_camera_scan(live_server, db,
                                                                          tmp_path: Path):
    event = await open_event()
    care = await add_employer(event, name="Zorggroep Noord", stand_label="A1", sector="care")
    build = await add_employer(event, name="Bouw BV", stand_label="B1", sector="construction")
    fan = await person(event, 1, "Eva Mulder", True, "06 11112222")
    shy = await person(event, 2, "Yonas Tesfay", False, "06 98765432")
    care_tab = (await bearer(event, "employer", label="Care", employer_id=care.id))
    build_tab = (await bearer(event, "employer", label="Build", employer_id=build.id))
    door = (await bearer(event, label="Door North"))["Authorization"][7:]
    # Badges first: the event's signing key is made with the first badge, and the server
    # caches the (then empty) key ring for a few seconds when a device reads it earlier.
    badges = [await badge(event, v.registration_id) for v in (shy, fan)]
    # The care tablet's camera sees Eva's printed badge (Chromium's fake camera).
    video = write_y4m(tmp_path / "badge.y4m",
                      render_png(await badge_data(fan.registration_id, get_settings())))
    camera = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"]

    async with chromium(camera) as browser:
        care_ctx = await tablet_context(browser, live_server, event.slug,
                                        care_tab["Authorization"][7:], "Care")
        await care_ctx.grant_permissions(["camera"], origin=live_server)
        care_page = await open_tablet(care_ctx, event.slug)
        # The build tablet is not paired yet: it takes an access code, but only a stand's.
        build_ctx = await browser.new_context(base_url=live_server, viewport=TABLET,
                                              bypass_csp=True, locale="nl-NL")
        build_page = await build_ctx.new_page()
        await build_page.goto(f"/stand/{event.slug}")
        await expect(build_page.get_by_role("heading", name="Deze tablet is niet gekoppeld"))\
            .to_be_visible()
        assert await wcag_violations(build_page) == []
        await build_page.goto(f"/stand/{event.slug}?lang=en")
        await build_page.get_by_label("Access code").fill(door)
        await build_page.get_by_role("button", name="Save").click()
        await expect(build_page.locator("#token-error")).to_have_text(
            "This access code does not work for a stand.")
        await build_page.get_by_label("Access code").fill(build_tab["Authorization"][7:])
        await build_page.get_by_label("Name of this tablet (optional)").fill("Build")
        await build_page.get_by_role("button", name="Save").click()
        await expect(build_page.locator("#stand-tablet")).to_have_attribute(
            "data-ready", "true", timeout=TIMEOUT)
        await expect(build_page.locator("#device-label")).to_have_text("This device: Build")

        await expect(care_page.locator("#here-state")).to_have_text(
            "Live. Visitors who fit your stand: 1.", timeout=TIMEOUT)
        await expect(build_page.locator("#here-state")).to_have_attribute(
            "data-live", "true", timeout=TIMEOUT)
        await check_in(live_server, event, *badges)
        here = care_page.locator("#here-list li")
        await expect(here).to_have_count(1, timeout=TIMEOUT)
        await expect(here).to_contain_text("Eva Mulder")
        await expect(here).to_contain_text("in at")
        await expect(care_page.locator("#here-announce")).to_have_text("Eva just came in.")
        await care_page.wait_for_timeout(500)
        await expect(build_page.locator("#here-list li")).to_have_count(0)
        assert "Tesfay" not in await care_page.content()

        # Eva comes to the stand: the camera reads her badge and her card opens.
        await care_page.get_by_role("button", name="Camera on").click()
        await expect(care_page.locator("#visitor-name")).to_have_text("Eva Mulder",
                                                                      timeout=15_000)
        await care_page.get_by_role("button", name="Camera off").click()
        assert await interests() == []  # the card only; the tap saves
        await care_page.get_by_role("button", name="Direct match").click()
        rows = await until(lambda rows: len(rows) == 1)
        assert (rows[0]["registration"], rows[0]["level"]) == (fan.registration_id, "direct")
        await care_ctx.close()
        await build_ctx.close()
    async with httpx.AsyncClient(base_url=live_server) as http:
        assert (await http.get("/stand/no-such-event")).status_code == 404


async def test_employer_admin_pairs_and_revokes_a_scan_only_tablet(live_server, db):
    setup = await stand_setup(0)
    slug = setup["event"].slug
    async with chromium() as browser:
        admin = await tablet_context(browser, live_server, slug, setup["tablet"],
                                     bypass_csp=True)
        page = await open_tablet(admin, slug)
        panel = page.locator("#tablets")
        await expect(panel).to_be_visible()
        await expect(panel).to_contain_text("No extra tablets yet.")
        await page.get_by_label("Name of the tablet").fill("Tablet A2")
        await page.get_by_role("button", name="Add a tablet").click()
        qr = page.get_by_alt_text("QR code to pair the tablet")
        await expect(qr).to_be_visible(timeout=TIMEOUT)
        assert not await wcag_violations(page)

        # The new tablet scans the QR code (decoded here as a camera would) and redeems it:
        # it becomes a scan-only device of this stand.
        src = await qr.get_attribute("src")
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        url = zxingcpp.read_barcodes(image)[0].text
        token, info = await redeem_pairing(url.split("#", 1)[1])
        assert info["role"] == "employer_tablet" and info["label"] == "Tablet A2"
        assert info["employer_id"] == setup["care"].id
        scan_only = await tablet_context(browser, live_server, slug, token, "Tablet A2",
                                         role="employer_tablet")
        second = await open_tablet(scan_only, slug)
        await expect(second.locator("#export")).to_be_hidden()
        await expect(second.locator("#tablets")).to_be_hidden()

        await page.reload()
        await expect(panel.locator("li")).to_have_text(["Tablet A2 Revoke"], timeout=TIMEOUT)
        await panel.get_by_role("button", name="Revoke: Tablet A2").click()
        await expect(panel.locator("li")).to_have_text(["Tablet A2 (revoked)"],
                                                      timeout=TIMEOUT)
    async with httpx.AsyncClient(base_url=live_server) as http:
        r = await http.get(f"/api/v1/events/{slug}/keys",
                           headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401
