"""The door scanner and the employer tablet read a 401 and a 403 the same way (one rule, in
static/js/device.js):

* 401 (no token, or one the server does not know): the status bar asks to pair again.
* 403 (the token is valid but may not do this, e.g. a code of another event): the status
  bar says the code may not do this; it does not ask to pair again.
* 403 ``wrong_event`` (a badge of another event) is an answer about the badge, not about
  the device.
Either way the page keeps its token and stays on the scanner, so nothing is lost."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import expect

from event_ops.employers.service import add_employer
from tests.browser import chromium
from tests.helpers import badge, bearer, open_event, visitor
from tests.test_door_page import PHONE, device_context, token_of
from tests.test_tablet_page import scan, tablet_context

pytestmark = pytest.mark.browser

TIMEOUT = 8_000  # ms, for anything the page has to show

PAIR_AGAIN = {"door": "Pair this device again.", "stand": "Pair this tablet again."}
NOT_ALLOWED = "This access code may not do this. Ask the organisers for help."
ROOTS = {"door": "#door", "stand": "#stand-tablet"}


async def open_device(browser, base: str, kind: str, slug: str, token: str):
    """The door or stand page of event ``slug`` with ``token`` as its paired device."""
    if kind == "door":
        context = await device_context(browser, base, slug, token, "door", "Door A",
                                       viewport=PHONE, service_workers="block")
    else:
        context = await tablet_context(browser, base, slug, token, service_workers="block")
    page = await context.new_page()
    await page.goto(f"/{kind}/{slug}?lang=en")
    await expect(page.locator(ROOTS[kind])).to_have_attribute("data-ready", "true",
                                                              timeout=TIMEOUT)
    return page


async def stored_token(page) -> str:
    return json.loads(await page.evaluate("localStorage.getItem('eventops.device')"))["token"]


async def test_a_403_and_a_401_mean_the_same_on_the_door_and_the_stand(live_server, db):
    event = await open_event()
    eva = await visitor(event, 1, name="Eva Mulder")
    other = await open_event("other-fest")
    other_stand = await add_employer(other, name="Bakkerij Zuid", stand_label="B1")
    # Valid tokens, but of another event: every call for this event answers 403.
    tokens = {
        "door": token_of(await bearer(other, "door", label="Door A")),
        "stand": token_of(await bearer(other, "employer", label="Tablet A1",
                                       employer_id=other_stand.id)),
    }
    code = await badge(event, eva.registration_id)
    async with chromium() as browser:
        for kind in ("door", "stand"):
            page = await open_device(browser, live_server, kind, event.slug, tokens[kind])
            net = page.locator("#net")
            await scan(page, code)
            await expect(net).to_have_attribute("data-auth", "forbidden", timeout=TIMEOUT)
            await expect(net).to_contain_text(NOT_ALLOWED)
            await expect(net).not_to_contain_text(PAIR_AGAIN[kind])
            # The token stays and the page stays on the scanner: only "Unpair" removes it.
            assert await stored_token(page) == tokens[kind], kind
            await expect(page.locator("#unpaired")).to_be_hidden()

            # A token the server does not know: 401, pair again.
            page = await open_device(browser, live_server, kind, event.slug, "eot_unknown")
            net = page.locator("#net")
            await scan(page, code)
            await expect(net).to_have_attribute("data-auth", "unauthorized", timeout=TIMEOUT)
            await expect(net).to_contain_text(PAIR_AGAIN[kind])
            assert await stored_token(page) == "eot_unknown", kind

            # The rule itself, as both pages import it.
            verdicts = await page.evaluate(
                """async () => {
                  const { authProblem } = await import("/static/js/device.js");
                  return [authProblem(401, {error: "unauthorized"}),
                          authProblem(403, {error: "forbidden"}),
                          authProblem(403, null),
                          authProblem(403, {error: "wrong_event"}),
                          authProblem(404, {error: "unknown"}),
                          authProblem(200, {})];
                }"""
            )
            assert verdicts == ["unauthorized", "forbidden", "forbidden", None, None, None]


async def test_a_badge_of_another_event_is_about_the_badge_not_the_tablet(live_server, db):
    event = await open_event()
    stand = await add_employer(event, name="Zorggroep Noord", stand_label="A1")
    other = await open_event("other-fest")
    stranger = await visitor(other, 9, name="Sem de Wit")
    token = token_of(await bearer(event, "employer", label="Tablet A1", employer_id=stand.id))
    async with chromium() as browser:
        page = await open_device(browser, live_server, "stand", event.slug, token)
        await scan(page, await badge(other, stranger.registration_id))
        await expect(page.locator("#result")).to_have_attribute("data-status", "wrong_event",
                                                                timeout=TIMEOUT)
        await expect(page.locator("#net")).to_have_attribute("data-auth", "")
        await expect(page.locator("#net-problems")).to_be_hidden()
