"""Issue 15's first "Done when", as one organiser would live it: an empty database with one
admin account (made as a real install makes it, ``create_account`` behind ``eventops account
create``) and from then on only a browser. The admin logs in, makes a programme with targets
and a matching day with two sign-up questions, imports employers and vacancies from an XLSX
(a broken sheet first: row and column named, nothing stored), invites a staff member (the
mail comes over real SMTP from the server process) who sets a password and logs in; visitors
sign up on the public form on a phone; the organiser reads their answers, enters wishes,
builds and publishes the meeting schedule (a visitor then sees her meeting on her own page,
from the link in her mail) and reads the report against the programme's targets. The
organiser walks in from the start page and the menus, as a person would, not by address.

Every assertion is something a person sees on the page; the database is only read, at the
end, to check that what the pages said is what was stored.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from event_ops.access.accounts import create_account
from event_ops.core.db import current_engine
from event_ops.programmes.targets import event_target_rows
from tests.browser import ARTIFACTS, chromium
from tests.test_accessibility import violations
from tests.test_employer_import import HEADER, ROWS, xlsx

pytestmark = pytest.mark.browser
TIMEOUT = 15_000
ADMIN, ADMIN_PASSWORD = "anna@gemeente.example.nl", "een lange wandeling langs zee"
STAFF, STAFF_PASSWORD = "bram@gemeente.example.nl", "a quiet walk in the dunes"
SLUG = "zorg-techniek"
VISITORS = [("Noor Visser", "noor@example.nl", "Arabic"),
            ("Sem de Boer", "sem@example.nl", "Ukrainian"),
            ("Lotte Smit", "lotte@example.nl", "Arabic")]


async def log_in(page, email: str, password: str) -> None:
    await page.goto("/login")
    await expect(page.get_by_role("heading", name="Inloggen voor organisatoren")).to_be_visible()
    await page.get_by_label("E-mailadres").fill(email)
    await page.get_by_label("Wachtwoord").fill(password)
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_url("**/organiser**", timeout=TIMEOUT)


async def main_menu(page, name: str) -> None:
    await page.get_by_role("navigation", name="Menu organisatie").get_by_role(
        "link", name=name, exact=True).click()


async def event_menu(page, name: str) -> None:
    await page.get_by_role("navigation", name="Menu van Matchingsdag Zorg en Techniek"
                           ).get_by_role("link", name=name, exact=True).click()


async def mail_to(sink, address: str, page):
    """The newest mail to ``address`` the server process sent over SMTP (it sends from its
    outbox in the background, so wait for it a little)."""
    for _ in range(150):
        found = [m for m in sink.messages if m["To"] == address]
        if found:
            return found[-1]
        await page.wait_for_timeout(100)
    raise AssertionError(f"no mail to {address} reached the SMTP server")


async def sideways(page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth")


async def test_an_organiser_sets_up_and_runs_a_matching_day_from_an_empty_database(
        server_factory, db, smtp_server, tmp_path):
    smtp_url, sink = smtp_server
    base = server_factory(EVENTOPS_SMTP_URL=smtp_url)
    # The only thing not done in the browser: the first admin, as `eventops account create`.
    await create_account(ADMIN, "Anna de Vries", "organiser_admin", ADMIN_PASSWORD)
    day = (dt.datetime.now(ZoneInfo("Europe/Amsterdam")) + dt.timedelta(days=14)).date()
    broken_rows = [list(r) for r in ROWS]
    broken_rows[1][5] = "Assen"  # Excel row 3: a town where the postcode belongs
    broken, good = tmp_path / "werkgevers-fout.xlsx", tmp_path / "werkgevers.xlsx"
    broken.write_bytes(xlsx(HEADER, broken_rows))
    good.write_bytes(xlsx(HEADER, ROWS))
    found: dict[str, object] = {}

    async with chromium() as browser:
        context = await browser.new_context(base_url=base, locale="nl-NL", bypass_csp=True,
                                            viewport={"width": 1280, "height": 900})
        page = await context.new_page()

        # 1. Log in; a programme with targets.
        await log_in(page, ADMIN, ADMIN_PASSWORD)
        # The start page leads into the back office (it had no link there before).
        await expect(page.get_by_text("Er zijn nog geen evenementen. Maak het eerste")
                     ).to_be_visible()
        await expect(page.get_by_role("link", name="Nieuw evenement")).to_be_visible()
        await page.get_by_role("link", name="Programma's", exact=True).click()
        await expect(page.get_by_text("Er is nog geen programma.")).to_be_visible()
        await page.get_by_label("Naam", exact=True).fill("Perspectief op Werk 2027")
        await page.get_by_label("Begindatum").fill(f"{day.year}-01-01")
        await page.get_by_label("Einddatum").fill(f"{day.year}-12-31")
        await page.get_by_label("Begin met de standaard doelen").uncheck()
        await page.get_by_role("button", name="Programma maken").click()
        await expect(page.get_by_role("status")).to_have_text("Opgeslagen.", timeout=TIMEOUT)
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Programma Perspectief op Werk 2027")
        await page.locator("#f-targets-0-label").fill("Aanmeldingen")
        await page.locator("#f-targets-0-measure").select_option("registered")
        await page.locator("#f-targets-0-target").fill("10")
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.get_by_role("status")).to_have_text("Opgeslagen.", timeout=TIMEOUT)
        await page.locator("#f-targets-1-label").fill("Werkgevers")
        await page.locator("#f-targets-1-measure").select_option("employers")
        await page.locator("#f-targets-1-target").fill("4")
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.get_by_role("status")).to_have_text("Opgeslagen.", timeout=TIMEOUT)
        # A target shared by the programme's four matching days.
        await page.locator("#f-targets-2-label").fill("Matches op matchingsdagen")
        await page.locator("#f-targets-2-measure").select_option("matches")
        await page.locator("#f-targets-2-target").fill("40")
        await page.locator("#f-targets-2-event_kind").select_option("matching")
        await page.locator("#f-targets-2-events_planned").fill("4")
        await page.get_by_role("button", name="Opslaan").click()
        await expect(page.get_by_role("status")).to_have_text("Opgeslagen.", timeout=TIMEOUT)
        await expect(page.locator("fieldset legend")).to_have_text(
            ["Doel 1: Aanmeldingen", "Doel 2: Werkgevers", "Doel 3: Matches op matchingsdagen",
             "Nieuw doel"])
        programme_url = page.url.split("?")[0]

        # 2. A matching day in that programme, with two questions on its sign-up form.
        await main_menu(page, "Evenementen")
        await page.get_by_role("link", name="Nieuw evenement").click()
        await page.get_by_label("Korte naam in de link").fill(SLUG)
        await page.get_by_label("Naam", exact=True).fill("Matchingsdag Zorg en Techniek")
        await page.get_by_label("Soort", exact=True).select_option("matching")
        await page.get_by_label("Programma").select_option(label="Perspectief op Werk 2027")
        await page.get_by_label("Begin (tijd in Nederland)").fill(f"{day}T09:00")
        await page.get_by_label("Einde (tijd in Nederland)").fill(f"{day}T12:00")
        await page.get_by_label("Locatie").fill("Alfa-college, Groningen")
        await page.get_by_role("button", name="Evenement maken").click()
        await expect(page.get_by_role("status").first).to_have_text(
            "Het evenement is gemaakt.", timeout=TIMEOUT)

        await event_menu(page, "Vragen")
        await expect(page.get_by_text("Er zijn nog geen vragen.")).to_be_visible()
        await page.get_by_role("button", name="Voeg toe: Mag werken in Nederland").click()
        await expect(page.get_by_role("status")).to_contain_text("staat op het formulier")
        await page.get_by_role("link", name="English").click()  # the page in English
        await expect(page.get_by_role("heading", name="Questions on the sign-up form")
                     ).to_be_visible()
        await page.get_by_label("Kind of question").select_option("one_choice")
        await page.get_by_label("Question in Dutch").fill("Welke tolk wil je?")
        await page.get_by_label("Question in English").fill("Which interpreter would you like?")
        await page.get_by_label("Choices").fill("Arabisch | Arabic\nOekraïens | Ukrainian")
        await page.get_by_label("Visitors must answer this question").check()
        await page.get_by_role("button", name="Add question").click()
        await expect(page.get_by_role("status")).to_contain_text("is on the form")
        await expect(page.locator("table tbody tr")).to_have_count(2)
        await page.get_by_role("link", name="Nederlands").click()

        # 3. Employers and vacancies from a spreadsheet: the broken one first.
        await event_menu(page, "Werkgevers")
        await page.get_by_role("link", name="Importeren").click()
        await page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(broken)
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.get_by_role("alert")).to_contain_text("Er is niets opgeslagen",
                                                                timeout=TIMEOUT)
        problem = page.locator("table.import-problems tbody tr")
        await expect(problem).to_have_count(1)
        await expect(problem.locator("td").nth(0)).to_have_text("3")
        await expect(problem.locator("td").nth(1)).to_have_text("vacancy_postcode")
        await event_menu(page, "Werkgevers")
        await expect(page.get_by_text("Nog geen werkgevers.")).to_be_visible()
        await page.get_by_role("link", name="Importeren").click()
        await page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(good)
        await page.get_by_role("button", name="Controleren").click()
        await expect(page.get_by_role("status").first).to_contain_text(
            "2 nieuwe en 0 bestaande werkgevers", timeout=TIMEOUT)
        await page.get_by_role("button", name="Opslaan").click()
        await page.wait_for_url(f"**/admin/events/{SLUG}/employers?**", timeout=TIMEOUT)
        await expect(page.locator(".success")).to_contain_text("Opgeslagen: 2 nieuwe")
        await expect(page.get_by_role("row", name=re.compile("Zorggroep Noord"))
                     ).to_contain_text("2")

        # 4. Invite a staff member; the mail comes over SMTP from the server process.
        await main_menu(page, "Accounts")
        await page.locator("#name").fill("Bram Jansen")
        await page.locator("#email").fill(STAFF)
        await page.locator("#role").select_option("organiser_staff")
        await page.get_by_label("Matchingsdag Zorg en Techniek").check()
        await page.get_by_role("button", name="Uitnodiging versturen").click()
        await expect(page.get_by_role("status")).to_contain_text("De uitnodiging is verstuurd.")
        await expect(page.get_by_role("row", name=re.compile("Bram Jansen"))
                     ).to_contain_text("Uitgenodigd")
        mail = await mail_to(sink, STAFF, page)
        link = re.search(r"(/invite/\S+)", mail.get_body(("plain",)).get_content()).group(1)

        invited = await browser.new_context(base_url=base, locale="nl-NL", bypass_csp=True)
        staff = await invited.new_page()
        await staff.goto(link + "?lang=en")
        await staff.get_by_label("New password").fill(STAFF_PASSWORD)
        await staff.get_by_label("Type the password again").fill(STAFF_PASSWORD)
        await staff.get_by_role("button", name="Save password").click()
        await staff.wait_for_url("**/organiser**", timeout=TIMEOUT)
        await invited.close()
        # And later, on another computer, with that password.
        later = await browser.new_context(base_url=base, locale="nl-NL", bypass_csp=True)
        staff = await later.new_page()
        await log_in(staff, STAFF, STAFF_PASSWORD)
        await expect(staff.get_by_text("Bram Jansen")).to_be_visible()
        await expect(staff.get_by_role("heading", name="Matchingsdag Zorg en Techniek")
                     ).to_be_visible()
        await expect(staff.get_by_role("link", name="Accounts")).to_have_count(0)
        await staff.get_by_role("link", name="Evenement beheren").click()
        await expect(staff.get_by_label("Naam", exact=True)).to_have_value(
            "Matchingsdag Zorg en Techniek")
        await later.close()
        await page.reload()
        await expect(page.get_by_role("row", name=re.compile("Bram Jansen"))
                     ).to_contain_text("Actief")

        # 5. Visitors sign up on the public form, on a phone, answering both questions.
        phone = await browser.new_context(base_url=base, locale="en-GB", bypass_csp=True,
                                          viewport={"width": 375, "height": 740},
                                          is_mobile=True, has_touch=True)
        form = await phone.new_page()
        # The first finds the day on the public home page; the others follow a shared link.
        await form.goto("/?lang=en")
        await form.get_by_role("link", name="Matchingsdag Zorg en Techniek").click()
        await form.get_by_role("link", name="Sign up").click()
        for n, (name, email, interpreter) in enumerate(VISITORS):
            if n:
                await form.goto(f"/events/{SLUG}/register?lang=en")
            await expect(form.get_by_role("heading", level=1)).to_contain_text(
                "Matchingsdag Zorg en Techniek")
            if await sideways(form):
                found["register@375"] = "scrolls sideways"
            await form.locator("#name").fill(name)
            await form.locator("#email").fill(email)
            await form.get_by_label(interpreter, exact=True).check()
            await form.get_by_role("group", name=re.compile("allowed to work")
                                   ).get_by_label("Yes").check()
            await form.locator("#consent_terms").check()
            await form.locator("input[name=consent_share_profile]").check()
            await form.get_by_role("button", name="Sign up").click()
            await form.wait_for_url(re.compile("/registered"), timeout=TIMEOUT)
            await expect(form.get_by_role("heading", level=1)).to_have_text(
                "You are signed up!")
            # The day and its time as people in the Netherlands read them.
            await expect(form.locator("main")).to_contain_text("Alfa-college, Groningen")
            await expect(form.locator("main")).to_contain_text("09:00")
        await phone.close()

        # The organiser sees them, with their answers (the answers were stored but shown
        # nowhere in the back office before).
        await page.goto("/admin/events")
        await page.get_by_role("link", name="Matchingsdag Zorg en Techniek").click()
        await event_menu(page, "Aanmeldingen")
        await expect(page.get_by_text("3 aanmeldingen gevonden.")).to_be_visible()
        await page.get_by_role("link", name="Noor Visser").first.click()
        await expect(page.get_by_role("heading", name="Antwoorden op de vragen")).to_be_visible()
        answers = page.locator("h2:has-text('Antwoorden op de vragen') + dl")
        await expect(answers.locator("dt")).to_have_text(
            ["Mag je in Nederland werken?", "Welke tolk wil je?"])
        await expect(answers.locator("dd")).to_have_text(["Ja", "Arabisch"])
        await page.set_viewport_size({"width": 375, "height": 740})
        if await sideways(page):
            found["registration@375"] = "scrolls sideways"
        if bad := await violations(page):
            found["registration"] = bad
        await page.set_viewport_size({"width": 1280, "height": 900})

        # 6. Wishes on the matching page, then build and publish the schedule.
        await event_menu(page, "Matchingsdag")
        await page.get_by_label("Werkgever", exact=True).first.select_option(
            label="Zorggroep Noord")
        await page.locator("#employer-wishes ~ form.bo-pick button").click()
        card = page.locator("#employer-wishes-form li").filter(has_text="Noor Visser")
        await card.get_by_label("Moet spreken").check()
        await page.get_by_role("button", name="Wensen van werkgever opslaan").click()
        await expect(page.get_by_role("status")).to_have_text(
            "De wensen van de werkgever zijn opgeslagen.")
        await page.get_by_label("Werkzoekende", exact=True).first.select_option(
            label="Sem de Boer")
        await page.locator("#visitor-wishes ~ form.bo-pick button").click()
        card = page.locator("#visitor-wishes-form li").filter(has_text="Bouwbedrijf Hoekstra")
        await card.get_by_label("Moet spreken").check()
        await page.get_by_role("button", name="Wensen van werkzoekende opslaan").click()
        await expect(page.get_by_role("status")).to_have_text(
            "De wensen van de werkzoekende zijn opgeslagen.")
        await page.get_by_label("Aantal rondes").fill("2")
        await page.get_by_role("button", name="Rooster maken").click()
        await expect(page.locator("#schedule-state")).to_contain_text("Concept:")
        await expect(page.locator(".bo-round li").filter(has_text="Noor Visser").filter(
            has_text="Zorggroep Noord").first).to_be_visible()
        await page.get_by_role("link", name="Rooster publiceren…").click()
        await expect(page.get_by_role("heading", name="Rooster publiceren?")).to_be_visible()
        await page.get_by_role("button", name="Ja, publiceren").click()
        await expect(page.get_by_role("status")).to_have_text("Het rooster is gepubliceerd.")

        # What Noor then sees: her own page, from the link in her confirmation mail.
        mail = await mail_to(sink, "noor@example.nl", page)
        me = re.search(r"(/me/[^\s/]+)", mail.get_body(("plain",)).get_content()).group(1)
        phone = await browser.new_context(base_url=base, locale="en-GB", bypass_csp=True,
                                          viewport={"width": 375, "height": 740},
                                          is_mobile=True, has_touch=True)
        mine = await phone.new_page()
        await mine.goto(me)
        await mine.get_by_role("link", name=re.compile(
            "Mijn gesprekken en stands|My meetings and stands")).click()
        await expect(mine.get_by_role("heading", level=1)).to_have_text(
            "Matchingsdag Zorg en Techniek")
        await expect(mine.locator("#my-meetings")).to_contain_text("Zorggroep Noord")
        if await sideways(mine):
            found["my meetings@375"] = "scrolls sideways"
        await phone.close()

        # 7. The report against the programme's targets: the event's, then the programme's.
        await page.goto(f"/admin/events/{SLUG}")
        await event_menu(page, "Rapport")
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Rapportage: Matchingsdag Zorg en Techniek")
        rows = page.locator("#targets table tbody tr")
        await expect(rows).to_have_count(3, timeout=TIMEOUT)
        # name, reached, target, progress: 3 of 10 sign-ups, 2 of 4 employers, and this
        # day's quarter of the 40 matches planned over four days.
        await expect(rows.nth(0)).to_contain_text(re.compile(r"Aanmeldingen\s*3\s*10\s*30"))
        await expect(rows.nth(1)).to_contain_text(re.compile(r"Werkgevers\s*2\s*4\s*50"))
        await expect(rows.nth(2)).to_contain_text(
            re.compile(r"Matches op matchingsdagen\s*0\s*10\s*0"))
        # The hint says what the programme says (it said "all 16 matching days" before).
        await expect(page.locator("#targets-share")).to_have_text(
            "Matches op matchingsdagen: het doel is voor 4 evenementen samen."
            " Hier zie je 1/4 daarvan.")
        await page.screenshot(path=str(ARTIFACTS / "journey-report.png"), full_page=True)
        if bad := await violations(page):
            found["report"] = bad

        await page.goto(programme_url)
        await page.get_by_role("link", name="Rapport van dit programma").click()
        await expect(page.locator("#report-programme")).to_have_text(
            "Perspectief op Werk 2027", timeout=TIMEOUT)
        rows = page.locator("#targets table tbody tr")
        await expect(rows).to_have_count(3, timeout=TIMEOUT)
        await expect(rows.nth(0)).to_contain_text(re.compile(r"Aanmeldingen\s*3\s*10"))
        await expect(rows.nth(1)).to_contain_text(re.compile(r"Werkgevers\s*2\s*4"))
        await expect(rows.nth(2)).to_contain_text(
            re.compile(r"Matches op matchingsdagen\s*0\s*40"))
        await expect(page.locator("#targets-share")).to_be_empty()
        if bad := await violations(page):
            found["programme report"] = bad
        await context.close()
    assert not found, found

    # What the pages said is what was stored (read only; nothing above wrote to it).
    db = current_engine()

    async def count(sql: str) -> int:
        return (await db.fetch(f"SELECT COUNT(*) AS n FROM {sql}"))[0]["n"]

    assert (await count("employer"), await count("vacancy"), await count("registration"),
            await count("answer"), await count("question")) == (2, 3, 3, 6, 2)
    published = await db.fetch(
        "SELECT v.name AS visitor, e.name AS employer FROM meeting m"
        " JOIN registration r ON r.id = m.registration JOIN visitor v ON v.id = r.visitor"
        " JOIN employer e ON e.id = m.employer"
        " WHERE m.published = ?", [True])
    pairs = {(row["visitor"], row["employer"]) for row in published}
    assert {("Noor Visser", "Zorggroep Noord"),
            ("Sem de Boer", "Bouwbedrijf Hoekstra B.V.")} <= pairs


def test_a_days_share_of_a_programme_target_names_the_programmes_own_number():
    """The fix the journey found: the report's hint said "1/16" on every matching day. The
    rows now say over how many events a programme-wide target is shared (None: whole)."""
    targets = [
        {"key": "a", "label": "Aanmeldingen", "measure": "registered", "event": None,
         "event_kind": "", "events_planned": 1, "target": 10},
        {"key": "b", "label": "Matches", "measure": "matches", "event": None,
         "event_kind": "matching", "events_planned": 4, "target": 40},
        {"key": "c", "label": "Festival", "measure": "direct", "event": None,
         "event_kind": "festival", "events_planned": 1, "target": 100},
    ]
    rows = event_target_rows(targets, 7, "matching", {"registered": 3, "matches": 1},
                             lambda t: t["label"])
    assert [(r["label"], r["target"], r["actual"], r["shared_over"]) for r in rows] == [
        ("Aanmeldingen", 10, 3, None), ("Matches", 10, 1, 4)]
