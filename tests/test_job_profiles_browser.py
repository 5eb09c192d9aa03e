"""Job profiles in the employer portal in real Chromium: at phone, tablet and desktop
widths a contact person makes a profile (with a mistake first: the error is named and
nothing typed is lost), ticks a distance-to-the-labour-market flag and adds the profile to
their event; no sideways scrolling, axe-core's WCAG 2.1 AA rules on every page."""

from __future__ import annotations

import json
import re

import pytest

from event_ops.core.db import current_engine
from event_ops.employers.organisations import organisation_for
from event_ops.employers.service import add_employer
from tests.browser import chromium
from tests.helpers import contact_signed_in, signed_in
from tests.test_accessibility import violations
from tests.test_job_profiles import future_event
from tests.test_portal_browser import WIDTHS, sideways

pytestmark = pytest.mark.browser


async def test_create_profile_and_add_it_to_an_event(live_server, db):
    org, _ = await organisation_for("Zorggroep Noord", None, "test")
    event = await future_event()
    await add_employer(event, name="Zorggroep Noord", organisation_id=org)
    headers = await contact_signed_in(org)
    secret = re.search(r"eo_session=([^;]+)", headers["Cookie"]).group(1)
    found: dict[str, object] = {}

    async def check(page, name: str) -> None:
        if await sideways(page):
            found[f"{name}-scroll"] = True
        if bad := await violations(page):
            found[name] = bad

    async with chromium() as browser:
        for width in WIDTHS:
            lang = "en" if width == 768 else "nl"
            en = lang == "en"
            context = await browser.new_context(bypass_csp=True,
                                                viewport={"width": width, "height": 800})
            await context.add_cookies([{"name": "eo_session", "value": secret,
                                        "url": live_server}])
            page = await context.new_page()
            await page.goto(f"{live_server}/employer?lang={lang}")
            await page.get_by_role("link", name="Manage job profiles" if en
                                   else "Functieprofielen beheren").click()
            await check(page, f"list-{width}")
            await page.get_by_role("link", name="New job profile" if en
                                   else "Nieuw functieprofiel").click()
            await check(page, f"form-{width}")
            title = f"Helpende zorg {width}"
            await page.get_by_label("Title" if en else "Titel", exact=True).fill(title)
            await page.locator("#v_postcode").fill("97")  # a mistake
            await page.locator("#v_hours_per_week").fill("20")
            await page.locator("#description").fill("Koffie zetten en een praatje maken.")
            await page.get_by_label("Supported employment" if en else "Begeleid werken").check()
            await page.get_by_role("button", name="Save" if en else "Opslaan").click()
            await page.get_by_role("alert").wait_for()
            await check(page, f"errors-{width}")
            assert await page.locator("#v_title").input_value() == title
            assert await page.locator("#description").input_value() == (
                "Koffie zetten en een praatje maken.")
            assert await page.get_by_label("Supported employment" if en
                                           else "Begeleid werken").is_checked()
            await page.get_by_role("link", name=re.compile("postcode")).click()
            await page.locator("#v_postcode").fill("9711 AB")
            await page.get_by_role("button", name="Save" if en else "Opslaan").click()
            await page.get_by_role("status").wait_for()
            await check(page, f"saved-{width}")
            await page.get_by_role("link", name="Back to the job profiles" if en
                                   else "Terug naar de functieprofielen").click()
            await page.get_by_role("button", name=re.compile(
                ("Add to event" if en else "Toevoegen aan evenement") + rf"\s*: {title}$")).click()
            status = page.get_by_role("status")
            await status.wait_for()
            assert event.name in await status.inner_text()
            await check(page, f"used-{width}")
            await context.close()
        # The organisers' organisation page lists the profiles with their flags.
        admin = await signed_in("organiser_admin")
        admin_secret = re.search(r"eo_session=([^;]+)", admin["Cookie"]).group(1)
        for width in WIDTHS:
            context = await browser.new_context(bypass_csp=True,
                                                viewport={"width": width, "height": 800})
            await context.add_cookies([{"name": "eo_session", "value": admin_secret,
                                        "url": live_server}])
            page = await context.new_page()
            await page.goto(f"{live_server}/admin/organisations/{org}?lang=nl")
            table = page.locator("section[aria-labelledby=org-jobs] table")
            assert "Begeleid werken" in await table.inner_text()
            assert "Helpende zorg 1280" in await table.inner_text()
            await check(page, f"organisation-{width}")
            await context.close()
    assert not found, json.dumps(found, indent=1)
    rows = await current_engine().fetch(
        "SELECT v.title, v.postcode, v.supported_employment, v.job_profile FROM vacancy v"
        " ORDER BY v.id")
    assert [r["title"] for r in rows] == [f"Helpende zorg {w}" for w in WIDTHS]
    assert all(r["postcode"] == "9711" and r["supported_employment"] and r["job_profile"]
               for r in rows)
