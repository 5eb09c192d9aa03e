"""The accounts page, the invitation page, the questions page and the sign-up form with
questions, in headless Chromium: at 375, 768 and 1280 px without sideways scrolling, and
axe-core (WCAG 2.1 A/AA) in Dutch and English. An admin invites a staff member in the
browser; the mail goes over real SMTP from the server process; the staff member opens the
link, chooses a password and lands on their start page."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account, log_in
from event_ops.core.db import current_engine
from event_ops.questions import service
from event_ops.questions.service import QuestionInput
from tests.browser import ARTIFACTS, chromium
from tests.helpers import PASSWORD, open_event
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
WIDTHS = {375: 740, 768: 1024, 1280: 900}
NEW_PASSWORD = "a long walk by the sea"


async def check_page(page, name: str, found: dict) -> None:
    """No sideways scrolling at any width, and no axe-core violation."""
    for width, height in WIDTHS.items():
        await page.set_viewport_size({"width": width, "height": height})
        sizes = await page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        if sizes[0] > sizes[1]:
            found[f"{name}@{width}: scrolls sideways"] = sizes
        if width == 375:
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / f"bo-{name}-375.png"), full_page=True)
    if bad := await violations(page):
        found[name] = bad


async def session_context(browser, base: str, email: str):
    secret = await log_in(email, PASSWORD)
    context = await browser.new_context(base_url=base, bypass_csp=True, locale="nl-NL")
    await context.add_cookies([{"name": "eo_session", "value": secret, "url": base}])
    return context


async def test_admin_invites_staff_who_sets_a_password_and_logs_in(server_factory, db,
                                                                   smtp_server):
    smtp_url, sink = smtp_server
    base = server_factory(EVENTOPS_SMTP_URL=smtp_url)
    event = await open_event()
    await create_account("admin@gemeente.example.nl", "Anna Admin", "organiser_admin",
                         PASSWORD)
    found: dict = {}
    async with chromium() as browser:
        context = await session_context(browser, base, "admin@gemeente.example.nl")
        page = await context.new_page()
        for lang in ("nl", "en"):
            await page.goto(f"/admin/accounts?lang={lang}")
            await check_page(page, f"accounts-{lang}", found)

        await page.goto("/admin/accounts?lang=en")
        await page.get_by_role("button", name="Send invitation").click()
        await expect(page.get_by_role("alert")).to_contain_text("Fill in the name")
        await check_page(page, "accounts-errors", found)
        await page.locator("#name").fill("Bram Jansen")
        await page.locator("#email").fill("bram@gemeente.example.nl")
        await page.locator("#role").select_option("organiser_staff")
        await page.get_by_label(re.compile(event.name)).check()
        await page.get_by_role("button", name="Send invitation").click()
        await expect(page.get_by_role("status")).to_contain_text("The invitation was sent.")
        await expect(page.get_by_role("cell", name="Invited")).to_be_visible()

        await page.get_by_role("link", name="Bram Jansen").click()
        await expect(page.get_by_role("heading", name="Account of Bram Jansen")).to_be_visible()
        await check_page(page, "account-edit-en", found)
        await page.goto(page.url.replace("lang=en", "lang=nl"))
        await check_page(page, "account-edit-nl", found)

        # The server's outbox sends the mail over SMTP.
        for _ in range(100):
            if sink.messages:
                break
            await page.wait_for_timeout(100)
        text = sink.messages[-1].get_body(("plain",)).get_content()
        link = re.search(r"(/invite/\S+)", text).group(1)

        invited = await browser.new_context(base_url=base, bypass_csp=True, locale="nl-NL")
        staff = await invited.new_page()
        for lang in ("nl", "en"):
            await staff.goto(f"{link}?lang={lang}")
            await check_page(staff, f"invite-{lang}", found)
        await staff.get_by_label("New password").fill("too short")
        await staff.get_by_label("Type the password again").fill("too short")
        await staff.get_by_role("button", name="Save password").click()
        await expect(staff.get_by_role("alert")).to_contain_text("at least 12 characters")
        await check_page(staff, "invite-errors", found)
        await staff.get_by_label("New password").fill(NEW_PASSWORD)
        await staff.get_by_label("Type the password again").fill(NEW_PASSWORD)
        await staff.get_by_role("button", name="Save password").click()
        await staff.wait_for_url("**/organiser**", timeout=TIMEOUT)
        await expect(staff.get_by_text("Bram Jansen")).to_be_visible()
        await expect(staff.get_by_role("heading", name=event.name)).to_be_visible()
        # The link worked once.
        await staff.goto(link)
        assert "/invite/" in staff.url
        await expect(staff.locator("h1")).not_to_have_text("Kies je wachtwoord")

        await page.goto("/admin/accounts?lang=en")
        await expect(page.get_by_role("row", name=re.compile("Bram Jansen"))
                     ).to_contain_text("Active")
    assert not found, found


async def test_questions_page_and_sign_up_form_with_questions(live_server, db):
    event = await open_event()
    await create_account("staff@gemeente.example.nl", "Sam Staff", "organiser_staff",
                         PASSWORD, [event.id])
    found: dict = {}
    async with chromium() as browser:
        context = await session_context(browser, live_server, "staff@gemeente.example.nl")
        page = await context.new_page()
        base = f"/admin/events/{event.slug}/questions"
        await page.goto(base + "?lang=nl")
        await check_page(page, "questions-empty-nl", found)
        await page.get_by_role("button", name="Voeg toe: Mag werken in Nederland").click()
        await expect(page.get_by_role("status")).to_contain_text("staat op het formulier")

        await page.goto(base + "?lang=en")
        await page.get_by_label("Kind of question").select_option("one_choice")
        await page.get_by_label("Question in Dutch").fill("Welke tolk wil je?")
        await page.get_by_label("Question in English").fill("Which interpreter would you like?")
        await page.get_by_role("button", name="Add question").click()
        await expect(page.get_by_role("alert")).to_contain_text("at least 2 choices")
        await check_page(page, "questions-errors-en", found)
        await page.get_by_label("Choices").fill("Arabisch | Arabic\nOekraïens | Ukrainian")
        await page.get_by_label("Visitors must answer this question").check()
        await page.get_by_label("Never").check()
        await page.get_by_role("button", name="Add question").click()
        await expect(page.get_by_role("status")).to_contain_text("is on the form")
        await check_page(page, "questions-en", found)
        await page.get_by_role("button", name="Which interpreter would you like?: one place up"
                               ).click()
        await expect(page.get_by_role("row").nth(1)).to_contain_text("Which interpreter")
        await page.get_by_role("link", name="Which interpreter would you like?: edit").click()
        await check_page(page, "question-edit-en", found)
        await page.goto(base + "?lang=nl")
        await check_page(page, "questions-nl", found)

        questions = await service.questions_for(event.id)
        interpreter = next(q for q in questions if q.kind == "one_choice")
        visitor = await browser.new_context(bypass_csp=True, locale="nl-NL",
                                            base_url=live_server)
        form = await visitor.new_page()
        for lang in ("nl", "en"):
            await form.goto(f"/events/{event.slug}/register?lang={lang}")
            await check_page(form, f"register-questions-{lang}", found)
        await form.goto(f"/events/{event.slug}/register?lang=en")
        await form.locator("#name").fill("Noor Visser")
        await form.locator("#email").fill("noor@example.nl")
        await form.locator("#consent_terms").check()
        await form.get_by_role("button", name="Sign up").click()
        summary = form.get_by_role("alert")
        await expect(summary).to_contain_text("Which interpreter would you like?")
        await check_page(form, "register-questions-errors", found)
        assert not await current_engine().fetch("SELECT id FROM registration", [])
        await summary.get_by_role("link", name=re.compile("Which interpreter")).click()
        await form.get_by_label("Ukrainian").check()
        await form.get_by_role("group", name=re.compile("allowed to work")
                               ).get_by_label("Yes").check()
        await form.locator("#consent_terms").check()
        await form.get_by_role("button", name="Sign up").click()
        await form.wait_for_url(re.compile("/registered"), timeout=TIMEOUT)
        rows = await current_engine().fetch("SELECT question, value FROM answer", [])
        assert {r["question"]: r["value"] for r in rows}[interpreter.id] in ('"o2"', "o2")
    assert not found, found


async def test_a_question_of_another_kind_can_be_added_without_javascript(live_server, db):
    """The questions page is plain HTML forms: it works with JavaScript off."""
    event = await open_event()
    await create_account("staff@gemeente.example.nl", "Sam Staff", "organiser_staff",
                         PASSWORD, [event.id])
    await service.create_question(event.id, QuestionInput(
        kind="short_text", label_nl="Wat heb je nodig?", label_en="What do you need?"),
        actor="cli")
    async with chromium() as browser:
        secret = await log_in("staff@gemeente.example.nl", PASSWORD)
        context = await browser.new_context(base_url=live_server, java_script_enabled=False)
        await context.add_cookies([{"name": "eo_session", "value": secret,
                                    "url": live_server}])
        page = await context.new_page()
        await page.goto(f"/admin/events/{event.slug}/questions?lang=en")
        await page.get_by_role("button", name="What do you need?: remove").click()
        await expect(page.get_by_role("status")).to_contain_text("was removed")
    assert await service.questions_for(event.id) == []
