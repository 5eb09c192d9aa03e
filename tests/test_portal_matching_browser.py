"""A matching day in the employer portal in real Chromium, as an employer would use it:
log in with the mailed one-time link, mark whom to meet, (the organiser publishes), read
the timetable, print it on A4 and add it to the calendar. Phone, tablet and desktop widths
without sideways scrolling, axe-core's WCAG 2.1 AA rules, Dutch and English."""

from __future__ import annotations

import datetime as dt
import json
import re

import icalendar
import pytest

from event_ops.access.contacts import LOGIN_MAIL, login_message
from event_ops.core.db import current_engine
from event_ops.localtime import AMSTERDAM
from event_ops.matching.schedule import build_schedule, publish_schedule
from tests.browser import chromium
from tests.test_accessibility import violations
from tests.test_portal_matching import Day

pytestmark = pytest.mark.browser
WIDTHS = (375, 768, 1280)
EMAIL = "anja@zorg.example.nl"


async def sideways(page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth")


async def check(page, where: str, found: dict) -> None:
    if await sideways(page):
        found[f"scroll-{where}"] = True
    if bad := await violations(page):
        found[where] = bad


async def test_login_wishes_schedule_print_and_calendar(live_server, db, settings, tmp_path):
    day = await Day().setup()
    code = day.code(settings, day.anna)
    found: dict[str, object] = {}
    async with chromium() as browser:
        context = await browser.new_context(bypass_csp=True, locale="nl-NL",
                                            viewport={"width": 375, "height": 800},
                                            accept_downloads=True)
        page = await context.new_page()
        # Log in: ask for a link, open the link from the mail, press the button.
        await page.goto(f"{live_server}/employer/login")
        await page.locator("#email").fill(EMAIL)
        await page.get_by_role("button", name="Stuur mij een link").click()
        await page.get_by_role("heading", name="Inloggen als werkgever").wait_for()
        mail = await login_message(settings, {"recipient": EMAIL, "kind": LOGIN_MAIL})
        assert mail is not None
        link = re.search(r"/employer/login/\S+", mail.get_content()).group(0)
        await page.goto(live_server + link)
        await page.get_by_role("button", name="Nu inloggen").click()
        await page.wait_for_url(re.compile(r"/employer\?"))
        await check(page, "home-375", found)

        # Wishes: the anonymised list, one candidate marked "must".
        await page.get_by_role("link", name="Wie wil je spreken op de matchingsdag?").click()
        await page.get_by_role("heading", name="Wie wil je spreken?").wait_for()
        assert "Annabel" not in await page.content()
        assert await page.get_by_text("Het rooster is nog niet klaar.").is_visible()
        await check(page, "wishes-375", found)
        card = page.get_by_role("group", name=re.compile(f"Kandidaat {code}"))
        await card.get_by_label("Wil ik zeker spreken").check()
        await page.get_by_role("button", name="Keuzes opslaan").click()
        await page.get_by_role("status").filter(has_text="Je keuzes zijn opgeslagen.").wait_for()
        assert await card.get_by_label("Wil ik zeker spreken").is_checked()
        await check(page, "saved-375", found)

        # The organiser builds and publishes the schedule (summer time: 13:00 = 11:00 UTC).
        await build_schedule(day.event, rounds=3, minutes=10, pause=5,
                             starts_at=dt.datetime(2030, 7, 1, 13, 0, tzinfo=AMSTERDAM),
                             actor="test")
        await publish_schedule(day.event, actor="test")
        mine = await current_engine().fetch(
            "SELECT round, table_no, registration FROM meeting WHERE employer = ?"
            " AND published = ? ORDER BY round", [day.zorg.id, True])
        assert any(m["registration"] == day.anna.registration_id for m in mine)

        await page.reload()
        table = page.locator("#my-schedule")
        await table.wait_for()
        assert await table.locator("tbody tr").count() == len(mine)
        first = {1: "13:00–13:10", 2: "13:15–13:25", 3: "13:30–13:40"}[mine[0]["round"]]
        assert first in await table.locator("tbody tr").first.inner_text()
        await check(page, "schedule-375", found)

        # The calendar file: one event per meeting at the right Amsterdam times.
        async with page.expect_download() as info:
            await page.locator("#ics-link").click()
        download = await info.value
        path = tmp_path / "schedule.ics"
        await download.save_as(path)
        events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert len(events) == len(mine)
        for m, ev in zip(mine, events, strict=True):
            start = ev.decoded("dtstart")
            assert str(start.tzinfo) == "Europe/Amsterdam"
            assert start == dt.datetime(2030, 7, 1, 11, tzinfo=dt.UTC) + dt.timedelta(
                minutes=15 * (m["round"] - 1))

        # The print view: A4, without the site's header and the links.
        await page.get_by_role("link", name="Rooster afdrukken (A4)").click()
        await page.get_by_role("heading", name=re.compile("Rooster Event")).wait_for()
        await check(page, "print-375", found)
        assert await page.locator("#print-button").is_visible()
        await page.emulate_media(media="print")
        assert not await page.locator("header.top").is_visible()
        assert not await page.locator("#print-button").is_visible()
        assert await page.locator("#print-schedule tbody tr").count() == len(mine)
        pdf = await page.pdf(prefer_css_page_size=True)
        boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        assert boxes and len(boxes) == 1, boxes  # one sheet
        width, height = (float(x) for x in boxes[0])
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
        cookies = await context.cookies()
        await context.close()

        # The other widths and English: the same pages, logged in with the same session.
        session = next(c for c in cookies if c["name"] == "eo_session")
        for width in WIDTHS:
            for lang in ("nl", "en"):
                context = await browser.new_context(bypass_csp=True,
                                                    viewport={"width": width, "height": 800})
                await context.add_cookies([{"name": "eo_session", "value": session["value"],
                                            "url": live_server}])
                page = await context.new_page()
                for name, url in (("wishes", day.base), ("print", f"{day.base}/print")):
                    await page.goto(f"{live_server}{url}?lang={lang}")
                    await page.locator("main h1").wait_for()
                    await check(page, f"{name}-{width}-{lang}", found)
                await context.close()
    assert not found, json.dumps(found, indent=1)


async def test_journey_from_public_sign_up_to_the_timetable(live_server, db, settings):
    """Issue 18's whole path for a new employer: the public sign-up form, the organiser's
    approval, the mailed login link, a job profile made in the portal and added to the
    matching day as a vacancy, the wishes among the engine's candidates, the published
    timetable. Phone width, Dutch; axe on every page."""
    from event_ops.access.contacts import APPROVED_LINK_MAIL
    from tests.helpers import signed_in
    from tests.test_matching import make_event, make_visitor

    event = await make_event()
    anna = await make_visitor(event, 1, {"car-personal-care": 3}, name="Annabel Jansen")
    await make_visitor(event, 2, {"ict-java": 3}, name="Bram de Vries")
    email = "piet@zorgnoord.example.nl"
    found: dict[str, object] = {}
    async with chromium() as browser:
        context = await browser.new_context(bypass_csp=True, locale="nl-NL",
                                            viewport={"width": 375, "height": 800})
        page = await context.new_page()
        await page.goto(f"{live_server}/events/{event.slug}/employer-signup")
        await page.get_by_label("Naam van de organisatie").fill("Zorggroep Noord")
        await page.get_by_label("KvK-nummer").fill("87654321")
        await page.get_by_label("Sector").select_option("care")
        await page.get_by_label("Naam", exact=True).fill("Piet de Zorg")
        await page.get_by_label("E-mailadres op het werk").fill(email)
        await page.get_by_label("Telefoonnummer").fill("06 1234 5678")
        await page.get_by_label("Met hoeveel mensen kom je?").fill("2")
        await page.get_by_role("button", name="Aanmelding versturen").click()
        await page.get_by_role("heading", name="Bedankt voor je aanmelding").wait_for()

        # The organiser approves in the back office.
        organiser = await signed_in("organiser_admin")
        staff = await browser.new_context(bypass_csp=True, locale="nl-NL",
                                          viewport={"width": 1280, "height": 800})
        await staff.add_cookies([{"name": "eo_session", "url": live_server, "value": re.search(
            r"eo_session=([^;]+)", organiser["Cookie"]).group(1)}])
        bo = await staff.new_page()
        await bo.goto(f"{live_server}/admin/events/{event.slug}/employer-applications")
        await check(bo, "journey-applications", found)
        await bo.get_by_role("button", name="Goedkeuren").click()
        await bo.wait_for_url(re.compile("done=approved"))
        await staff.close()

        # The approval mail's link logs the contact person in.
        mail = await login_message(settings, {"recipient": email, "kind": APPROVED_LINK_MAIL})
        assert mail is not None
        await page.goto(live_server + re.search(r"/employer/login/\S+",
                                                mail.get_content()).group(0))
        await page.get_by_role("button", name="Nu inloggen").click()
        await page.wait_for_url(re.compile(r"/employer\?"))

        # A job profile, added to the matching day as its vacancy.
        await page.get_by_role("link", name="Functieprofielen beheren").click()
        await page.get_by_role("link", name="Nieuw functieprofiel").click()
        await page.get_by_label("Titel", exact=True).fill("Helpende zorg")
        await page.locator("details:has(#vc-car-personal-care) > summary").click()
        await page.locator("#vc-car-personal-care").check()
        await page.locator("#v_postcode").fill("9401 AB")
        await page.locator("#v_hours_per_week").fill("24")
        await page.get_by_role("button", name="Opslaan").click()
        await page.get_by_role("status").wait_for()
        await check(page, "journey-profile", found)
        await page.get_by_role("link", name="Terug naar de functieprofielen").click()
        await page.get_by_role("button", name=re.compile(
            r"Toevoegen aan evenement\s*: Helpende zorg$")).click()
        await page.get_by_role("status").wait_for()

        # Wishes: Annabel (care) is recommended; Bram (ICT only) fits nothing.
        await page.goto(f"{live_server}/employer")
        await page.get_by_role("link", name="Wie wil je spreken op de matchingsdag?").click()
        cards = page.get_by_role("group", name=re.compile("Kandidaat"))
        assert await cards.count() == 1 and "Annabel" not in await page.content()
        await check(page, "journey-wishes", found)
        await cards.first.get_by_label("Wil ik zeker spreken").check()
        await page.get_by_role("button", name="Keuzes opslaan").click()
        await page.get_by_role("status").filter(has_text="Je keuzes zijn opgeslagen.").wait_for()

        await build_schedule(event, rounds=2, minutes=10, pause=5,
                             starts_at=dt.datetime(2030, 1, 15, 10, 0, tzinfo=AMSTERDAM),
                             actor="test")
        await publish_schedule(event, actor="test")
        await page.reload()
        row = page.locator("#my-schedule tbody tr").filter(has_text="Annabel Jansen")
        assert "10:00–10:10" in await row.inner_text() or "10:15–10:25" in await row.inner_text()
        await check(page, "journey-schedule", found)
        await context.close()
    assert not found, json.dumps(found, indent=1)
    rows = await current_engine().fetch(
        "SELECT choice FROM meeting_preference WHERE registration = ? AND side = 'employer'",
        [anna.registration_id])
    assert [r["choice"] for r in rows] == ["must"]
