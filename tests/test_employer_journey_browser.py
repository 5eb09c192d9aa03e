"""The issue 18 employer journey in headless Chromium at 375 px (a phone), every page checked
for sideways scrolling and axe-core's WCAG 2.1 AA rules:

public employer sign-up → the organiser approves it in the back office → the contact person
logs in with the link from the approval mail (real SMTP: aiosmtpd) → makes a job profile and
adds it to the matching day (the event's vacancy) → searches the candidate pool starting
from that profile.

Where it stops: marking wishes in the portal and the schedule are not part of this journey
yet, because the portal has no wishes pages on main (no ``/employer/.../wishes`` route);
the organisers enter wishes on the employer's behalf in the back office (matching page)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.async_api import expect

from event_ops.core.db import current_engine
from event_ops.events.service import create_event
from event_ops.pool import search
from tests.browser import chromium
from tests.helpers import signed_in
from tests.test_pool_search import seed_person
from tests.test_portal import login_token, mails
from tests.test_visitor_browser import check_page, viewport

pytestmark = pytest.mark.browser
WIDTH = 375
EMAIL = "piet@bouwbedrijf.example.nl"


async def matching_day():
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=20)
    return await create_event(slug="matchingsdag-bouw", name="Matchingsdag Bouw",
                              kind="matching", starts_at=starts,
                              ends_at=starts + dt.timedelta(hours=4), capacity=None,
                              location="Groningen")


async def test_sign_up_approval_mailed_link_job_profile_and_pool(live_server, db, settings,
                                                                 smtp_server):
    event = await matching_day()
    _, ref = await seed_person(event, name="Sara Bakker", email="sara@example.nl")
    search.invalidate()
    organiser = await signed_in("organiser_admin")
    organiser_secret = re.search(r"eo_session=([^;]+)", organiser["Cookie"]).group(1)
    async with chromium() as browser:
        # 1. The employer signs up on the public form.
        employer = await browser.new_context(base_url=live_server, viewport=viewport(WIDTH),
                                             locale="nl-NL", bypass_csp=True)
        page = await employer.new_page()
        await page.goto(f"/events/{event.slug}/employer-signup")
        await check_page(page, "journey-signup", WIDTH)
        await page.get_by_label("Naam van de organisatie").fill("Bouwbedrijf Noord")
        await page.get_by_label("KvK-nummer").fill("87654321")
        await page.get_by_label("Sector").select_option("construction")
        await page.get_by_label("Naam", exact=True).fill("Piet Bouw")
        await page.get_by_label("E-mailadres op het werk").fill(EMAIL)
        await page.get_by_label("Telefoonnummer").fill("06 1234 5678")
        await page.get_by_label("Met hoeveel mensen kom je?").fill("2")
        await page.get_by_role("button", name="Aanmelding versturen").click()
        await expect(page.get_by_role("heading", name="Bedankt voor je aanmelding")
                     ).to_be_visible()
        await check_page(page, "journey-signup-sent", WIDTH)

        # 2. The organiser approves it in the back office.
        staff = await browser.new_context(base_url=live_server, viewport=viewport(WIDTH),
                                          locale="nl-NL", bypass_csp=True)
        await staff.add_cookies([{"name": "eo_session", "value": organiser_secret,
                                  "url": live_server}])
        office = await staff.new_page()
        await office.goto(f"/admin/events/{event.slug}/employer-applications?lang=nl")
        await expect(office.get_by_text("Bouwbedrijf Noord").first).to_be_visible()
        await check_page(office, "journey-applications", WIDTH)
        await office.get_by_role("button", name="Goedkeuren").click()
        await expect(office.get_by_role("status")).to_contain_text("Goedgekeurd")
        await check_page(office, "journey-approved", WIDTH)
        await staff.close()

        # 3. The contact person logs in with the link from the approval mail.
        sent = [m for m in await mails(settings, smtp_server) if m["To"] == EMAIL]
        assert len(sent) == 3  # application received, approved, the login link
        await page.goto(f"/employer/login/{login_token(sent)}")
        await check_page(page, "journey-login-link", WIDTH)
        await page.get_by_role("button", name="Nu inloggen").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Je werkgeverspagina")
        await expect(page.get_by_text("Bouwbedrijf Noord").first).to_be_visible()
        await check_page(page, "journey-portal", WIDTH)

        # 4. A job profile, added to the matching day: the event's vacancy.
        await page.get_by_role("link", name="Functieprofielen beheren").click()
        await page.get_by_role("link", name="Nieuw functieprofiel").click()
        await check_page(page, "journey-job-form", WIDTH)
        await page.get_by_label("Titel", exact=True).fill("Timmerman in opleiding")
        await page.locator("#v_postcode").fill("9711")
        await page.locator("#v_hours_per_week").fill("32")
        await page.get_by_label("Leren op de werkvloer").check()
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.get_by_role("status")).to_be_visible()
        await page.get_by_role("link", name="Terug naar de functieprofielen").click()
        await page.get_by_role("button", name=re.compile(
            r"Toevoegen aan evenement\s*: Timmerman in opleiding$")).click()
        await expect(page.get_by_role("status")).to_contain_text(event.name)
        await check_page(page, "journey-job-used", WIDTH)

        # 5. The pool search starts from that profile (the choice lists profiles).
        await page.goto("/employer?lang=nl")
        await page.get_by_role("link", name="Zoeken in de talentenpool").click()
        await page.get_by_label("Begin bij een functieprofiel van jullie").select_option(
            label="Timmerman in opleiding")
        await page.get_by_role("button", name="Zoeken").click()
        await expect(page.get_by_role("heading", name="1 mensen gevonden")).to_be_visible()
        await expect(page.get_by_role("article").filter(has_text=ref)).to_be_visible()
        await check_page(page, "journey-pool", WIDTH)
        await employer.close()

    rows = await current_engine().fetch(
        "SELECT v.title, v.postcode, v.training_on_the_job, p.organisation"
        " FROM vacancy v JOIN employer e ON e.id = v.employer"
        " JOIN job_profile p ON p.id = v.job_profile WHERE e.event = ?", [event.id])
    assert [(r["title"], r["postcode"], bool(r["training_on_the_job"])) for r in rows] == [
        ("Timmerman in opleiding", "9711", True)]
