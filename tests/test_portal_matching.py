"""Matching days in the employer portal (issue 18): a contact person marks whom they want
to meet among anonymised, consented candidates the engine recommends, and after the
organiser publishes sees their timetable, a print view and a calendar file.

What must hold: no name, e-mail, phone, exact postcode, free text or answer of a visitor
reaches the employer on these pages before the visitor agrees (one test per field); the
schedule shows a name only with the visitor's consent (as the tablet's API does); an
employer of organisation A never sees or changes anything of organisation B (per route);
every listing, view and change is audited."""

from __future__ import annotations

import datetime as dt
import json
import re

import icalendar
import pytest

from event_ops.core.db import current_engine
from event_ops.matching.portal import pseudonym
from event_ops.questions import service as questions
from event_ops.questions.service import QuestionInput
from tests.helpers import contact_signed_in, signed_in
from tests.test_bo_matching import CARE, ICT
from tests.test_matching import make_employer, make_event, make_visitor

START = "2030-07-01T13:00"  # summer time: 11:00 UTC
CODE = re.compile(r"Kandidaat ([0-9A-Z]{4}-[0-9A-Z]{4})")


class Day:
    """A matching day: Zorggroep (organisation A) and Techniek (B); Anna and Bram share
    their profile, Cees does not. Anna has a phone, a postcode, a note and answers."""

    async def setup(self) -> Day:
        self.event = await make_event()
        self.zorg = await make_employer(self.event, "Zorggroep Noord", "A1", "care", CARE,
                                        postcode="9401")
        self.tech = await make_employer(self.event, "Techniek BV", "A2", "ict", ICT)
        question = await questions.create_question(self.event.id, QuestionInput(
            kind="short_text", label_nl="Wat heb je nodig?", label_en="What do you need?",
            share="with_consent"), actor="account:0")
        self.anna = await make_visitor(
            self.event, 1, {"car-personal-care": 3, "car-medication": 2},
            name="Annabel Jansen-Kwikkel", postcode="9402 KL")
        await current_engine().fetch(
            "UPDATE visitor SET phone = ?, education_level = ?, availability = ? WHERE id = ?",
            ["06-98765432", "mbo3", json.dumps(["parttime", "evenings"]),
             self.anna.visitor_id])
        await current_engine().fetch("UPDATE registration SET note = ? WHERE id = ?",
                                     ["Notitie-over-rolstoel", self.anna.registration_id])
        from event_ops.questions.service import store_answers
        await store_answers(self.anna.registration_id, {question: "Antwoord-gehoorapparaat"})
        self.bram = await make_visitor(self.event, 2, {"car-personal-care": 2},
                                       name="Bram de Vries")
        self.cees = await make_visitor(self.event, 3, {"car-personal-care": 3, "ict-java": 4},
                                       name="Ceesje Bosma-Stroo", sectors=("ict",),
                                       share=False, postcode="9403 AB")
        self.a = await contact_signed_in(self.zorg.organisation, "anja@zorg.example.nl")
        self.b = await contact_signed_in(self.tech.organisation, "bert@tech.example.nl")
        self.base = f"/employer/events/{self.event.slug}/matching"
        return self

    def code(self, settings, who, employer=None) -> str:
        org = (employer or self.zorg).organisation
        return pseudonym(settings.secret_key, org, who.registration_id)


@pytest.fixture
async def day(db) -> Day:
    return await Day().setup()


async def publish(client, day: Day, start: str = START) -> None:
    """The organiser builds (3 rounds of 10 minutes, 5 minutes pause) and publishes."""
    admin = await signed_in("organiser_admin")
    base = f"/admin/events/{day.event.slug}/matching"
    built = await client.post(f"{base}/build", headers=admin, data={
        "rounds": "3", "minutes": "10", "pause": "5", "starts_at": start})
    assert built.status_code == 303, built.text
    assert (await client.post(f"{base}/publish", headers=admin, data={})).status_code == 303


async def everything_a_sees(client, day: Day) -> str:
    """The employer's matching page, print view and calendar file, after publishing."""
    texts = []
    for url in (day.base, f"{day.base}?lang=en", f"{day.base}/print",
                f"{day.base}/schedule.ics"):
        r = await client.get(url, headers=day.a)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        texts.append(r.text)
    return "\n".join(texts)


# ---- wishes ----------------------------------------------------------------------------


async def test_candidates_are_consented_anonymous_explained_and_the_listing_audited(
        client, day, settings):
    page = await client.get(day.base + "?lang=en", headers=day.a)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    codes = CODE.findall(page.text.replace("Candidate", "Kandidaat"))
    anna, bram = day.code(settings, day.anna), day.code(settings, day.bram)
    # Consented and fitting, best first; Cees did not consent: not on the list at all.
    assert codes[:2] == [anna, bram] and day.code(settings, day.cees) not in page.text
    card = page.text[page.text.index(f"Candidate {anna}"):page.text.index(f"Candidate {bram}")]
    assert "Personal care (level 3), Administering medication (level 2)" in card
    assert "Vocational level 3 (mbo 3)" in card and "Part-time, Evenings" in card
    assert "less than 1 km" in card  # 9402 to the vacancy's 9401, rounded
    assert "Has: Personal care, Administering medication" in card
    assert "Fits best: Vacature Zorggroep Noord" in card
    assert "Misses" in page.text  # Bram lacks medication, a required skill
    # The registration id is not the form's key: the pseudonym is.
    assert f'name="choice-{anna}"' in page.text
    assert f'name="choice-{day.anna.registration_id}"' not in page.text
    listed = await current_engine().fetch(
        "SELECT actor, action, subject_id, fields FROM audit_entry"
        " WHERE action = 'candidates.listed'")
    assert len(listed) == 1 and listed[0]["actor"].startswith("contact:")
    assert listed[0]["subject_id"] == day.zorg.id
    assert "pseudonym" in listed[0]["fields"] and "name" not in json.loads(listed[0]["fields"])


async def test_marks_are_saved_with_the_back_office_rules_and_audited(client, day, settings):
    anna, bram = day.code(settings, day.anna), day.code(settings, day.bram)
    saved = await client.post(day.base + "?lang=en", headers=day.a, data={
        f"choice-{anna}": "must", f"choice-{bram}": "no"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("#wishes")
    page = await client.get(saved.headers["location"], headers=day.a)
    assert "Your choices are saved." in page.text
    assert re.search(rf'name="choice-{anna}" value="must"\s+checked', page.text)
    rows = await current_engine().fetch(
        "SELECT registration, employer, side, choice FROM meeting_preference ORDER BY id")
    assert {(r["registration"], r["employer"], r["side"], r["choice"]) for r in rows} == {
        (day.anna.registration_id, day.zorg.id, "employer", "must"),
        (day.bram.registration_id, day.zorg.id, "employer", "no")}
    # Unmark: "none" clears; the organiser's page shows the same wishes (one storage).
    assert (await client.post(day.base, headers=day.a, data={
        f"choice-{bram}": "none"})).status_code == 303
    admin = await signed_in("organiser_admin")
    bo = await client.get(f"/admin/events/{day.event.slug}/matching?employer={day.zorg.id}",
                          headers=admin)
    assert re.search(rf'name="choice-{day.anna.registration_id}" value="must"\s+checked',
                     bo.text)
    assert re.search(rf'name="choice-{day.bram.registration_id}" value="none"\s+checked',
                     bo.text)
    audit = await current_engine().fetch(
        "SELECT actor, action, changes FROM audit_entry WHERE action LIKE 'preferences.%'"
        " ORDER BY id")
    assert [a["action"] for a in audit] == ["preferences.employer.set_by_contact"] * 2
    assert json.loads(audit[0]["changes"]) == {
        f"registration:{day.anna.registration_id}": [None, "must"],
        f"registration:{day.bram.registration_id}": [None, "no"]}
    assert audit[0]["actor"].startswith("contact:") and "Jansen" not in audit[0]["changes"]


async def test_refused_marks_change_nothing(client, day, settings):
    anna = day.code(settings, day.anna)
    for data in ({f"choice-{day.code(settings, day.cees)}": "must"},  # no consent
                 {f"choice-{day.code(settings, day.anna, day.tech)}": "must"},  # B's code
                 {f"choice-{day.anna.registration_id}": "must"},  # an id, not a code
                 {f"choice-{anna}": "maybe"}):  # not a choice
        r = await client.post(day.base + "?lang=en", headers=day.a, data=data)
        assert r.status_code in (404, 422), (data, r.status_code)
        assert 'role="alert"' in r.text and "Not saved" in r.text
    assert await current_engine().fetch("SELECT id FROM meeting_preference") == []
    assert not await current_engine().fetch(
        "SELECT id FROM audit_entry WHERE action LIKE 'preferences.%'")


async def test_a_mark_on_someone_who_withdrew_consent_can_only_be_taken_back(
        client, day, settings):
    anna = day.code(settings, day.anna)
    await client.post(day.base, headers=day.a, data={f"choice-{anna}": "must"})
    await current_engine().fetch("UPDATE visitor SET share_profile = ? WHERE id = ?",
                                 [False, day.anna.visitor_id])
    page = await client.get(day.base + "?lang=en", headers=day.a)
    card = page.text[page.text.index(f"Candidate {anna}"):]
    card = card[:card.index("</fieldset>")]
    assert "no longer shares their profile" in card
    assert "level" not in card and "Fits best" not in card and "km" not in card
    assert re.search(rf'name="choice-{anna}" value="must"\s+checked', card)
    refused = await client.post(day.base + "?lang=en", headers=day.a,
                                data={f"choice-{anna}": "happy"})
    assert refused.status_code == 404
    assert (await client.post(day.base, headers=day.a,
                              data={f"choice-{anna}": "none"})).status_code == 303
    assert await current_engine().fetch("SELECT id FROM meeting_preference") == []
    page = await client.get(day.base + "?lang=en", headers=day.a)
    assert anna not in page.text


# ---- the timetable --------------------------------------------------------------------


async def test_schedule_page_print_and_calendar_in_amsterdam_time(client, day, settings):
    before = await client.get(day.base + "?lang=en", headers=day.a)
    assert "The timetable is not ready yet." in before.text
    assert 'id="my-schedule"' not in before.text
    assert (await client.get(f"{day.base}/schedule.ics", headers=day.a)).status_code == 404
    await publish(client, day)
    mine = await current_engine().fetch(
        "SELECT round, table_no, registration FROM meeting WHERE employer = ? AND published = ?"
        " ORDER BY round", [day.zorg.id, True])
    assert mine
    page = await client.get(day.base + "?lang=en", headers=day.a)
    assert "<p>2030-07-01</p>" in page.text
    assert "If you change your choices, they only count when the organisers" in page.text
    assert "If you change your choices" not in before.text
    rows = re.findall(r"<tr><td>(\d\d:\d\d)–(\d\d:\d\d)</td><td>(\d+)</td>\s*<td>([^<]+)</td>",
                      page.text)
    name_or_code = {day.anna.registration_id: "Annabel Jansen-Kwikkel",  # consented
                    day.bram.registration_id: "Bram de Vries",
                    day.cees.registration_id: f"Candidate {day.code(settings, day.cees)}"}
    clock = {1: ("13:00", "13:10"), 2: ("13:15", "13:25"), 3: ("13:30", "13:40")}
    assert rows == [(*clock[m["round"]], str(m["table_no"]), name_or_code[m["registration"]])
                    for m in mine]
    printed = await client.get(f"{day.base}/print?lang=en", headers=day.a)
    assert printed.status_code == 200 and "/static/css/employer-matching.css" in printed.text
    assert "Timetable Event matchingsdag" in printed.text
    assert "Zorggroep Noord · 2030-07-01" in printed.text
    assert rows == re.findall(
        r"<tr><td>(\d\d:\d\d)–(\d\d:\d\d)</td><td>(\d+)</td>\s*<td>([^<]+)</td>", printed.text)
    ics = await client.get(f"{day.base}/schedule.ics?lang=en", headers=day.a)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    first = clock[mine[0]["round"]][0].replace(":", "")
    assert f"DTSTART;TZID=Europe/Amsterdam:20300701T{first}00" in ics.text
    calendar = icalendar.Calendar.from_ical(ics.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == len(mine)
    for m, ev in zip(mine, events, strict=True):
        start = ev.decoded("dtstart")
        assert str(start.tzinfo) == "Europe/Amsterdam"
        assert start == dt.datetime(2030, 7, 1, 11, 0, tzinfo=dt.UTC) + dt.timedelta(
            minutes=15 * (m["round"] - 1))
        assert ev.decoded("dtend") - start == dt.timedelta(minutes=10)
        assert f"Table {m['table_no']}" in str(ev.get("summary"))
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"
    views = await current_engine().fetch(
        "SELECT fields FROM audit_entry WHERE action = 'schedule.viewed' ORDER BY id")
    assert {json.loads(v["fields"])[0] for v in views} == {"view=page", "view=print",
                                                           "view=ics"}


# ---- field by field: nothing personal before the visitor agrees --------------------------

FIELDS = {
    "full name": lambda d: [d.anna_name],
    "first name": lambda d: ["Annabel", "Ceesje"],
    "surname": lambda d: ["Jansen-Kwikkel", "Bosma-Stroo"],
    "e-mail": lambda d: ["p1@example.nl", "p3@example.nl"],
    "phone": lambda d: ["06-98765432", "98765432"],
    "exact postcode": lambda d: ["9402 KL", "9402KL", "9403 AB", "9403AB"],
    "free text (note)": lambda d: ["Notitie-over-rolstoel"],
    "answers": lambda d: ["Antwoord-gehoorapparaat", "Wat heb je nodig"],
    "registration id": lambda d: [f"choice-{d.anna.registration_id}\"",
                                  f"choice-{d.cees.registration_id}\""],
}


@pytest.mark.parametrize("field", list(FIELDS))
async def test_no_personal_field_reaches_the_employer_before_consent(client, day, field):
    """Wishes page: nobody's name or details (Anna and Bram consented to share their
    PROFILE, not their identity). Timetable, print and calendar: Cees did not consent,
    so nothing of his; Anna's name is allowed there (the tablet's rule), her contact
    details, postcode, note and answers never."""
    day.anna_name = "Annabel Jansen-Kwikkel"
    before = await client.get(day.base, headers=day.a)
    before_en = await client.get(day.base + "?lang=en", headers=day.a)
    await publish(client, day)
    after = await everything_a_sees(client, day)
    for value in FIELDS[field](day):
        assert value not in before.text and value not in before_en.text, (field, value)
        cees_value = any(part in value for part in ("Ceesje", "Bosma", "p3@", "9403"))
        anna_name = field in ("full name", "first name", "surname") and not cees_value
        if not anna_name:
            assert value not in after, (field, value)


# ---- organisation A never sees or changes anything of B (per route) ----------------------


async def test_each_route_is_scoped_to_the_own_organisation(client, day, settings):
    anna_a, anna_b = day.code(settings, day.anna), day.code(settings, day.anna, day.tech)
    assert anna_a != anna_b  # another organisation cannot match up the lists
    # A marks Anna; B's page does not show it, and B's codes differ.
    await client.post(day.base, headers=day.a, data={f"choice-{anna_a}": "must"})
    page_b = await client.get(day.base, headers=day.b)
    assert page_b.status_code == 200 and anna_a not in page_b.text
    assert not re.search(r'value="must"\s+checked', page_b.text)
    # B posts A's code: refused, nothing of A's changes.
    r = await client.post(day.base, headers=day.b, data={f"choice-{anna_a}": "no"})
    assert r.status_code == 404
    rows = await current_engine().fetch("SELECT employer, choice FROM meeting_preference")
    assert [(x["employer"], x["choice"]) for x in rows] == [(day.zorg.id, "must")]

    await publish(client, day)
    b_meetings = await current_engine().fetch(
        "SELECT table_no FROM meeting WHERE employer = ? AND published = ?", [day.tech.id, True])
    for url in (day.base, f"{day.base}/print"):
        r = await client.get(url, headers=day.b)
        tables = re.findall(r"</td><td>(\d+)</td>", r.text)
        assert tables and set(tables) == {str(m["table_no"]) for m in b_meetings}, url
        assert anna_a not in r.text
    ics = await client.get(f"{day.base}/schedule.ics", headers=day.b)
    assert len(icalendar.Calendar.from_ical(ics.content).walk("VEVENT")) == len(b_meetings)
    assert anna_a not in ics.text

    # An organisation without an employer at this event: refused on every route, and
    # nobody logged in goes to the login page.
    from event_ops.employers.organisations import organisation_for
    other_org, _ = await organisation_for("Derde BV", None, "test")
    other = await contact_signed_in(other_org, "derde@example.nl")
    routes = [("GET", day.base), ("POST", day.base), ("GET", f"{day.base}/print"),
              ("GET", f"{day.base}/schedule.ics")]
    for method, url in routes:
        r = await client.request(method, url, headers=other,
                                 data={f"choice-{anna_a}": "no"} if method == "POST" else None)
        assert r.status_code == 403, (method, url, r.status_code)
        assert anna_a not in r.text
        r = await client.request(method, url, data={} if method == "POST" else None)
        assert r.status_code in (302, 303, 403), (method, url, r.status_code)
        if r.status_code != 403:  # a POST without a session fails the CSRF check first
            assert r.headers["location"].startswith("/employer/login")
    staff = await signed_in("organiser_admin")
    assert (await client.get(day.base, headers=staff)).status_code == 403
    rows = await current_engine().fetch("SELECT employer, choice FROM meeting_preference"
                                        " WHERE side = 'employer'")
    assert [(x["employer"], x["choice"]) for x in rows] == [(day.zorg.id, "must")]


async def test_portal_links_matching_days_only_and_refuses_other_kinds(client, db):
    from event_ops.employers.service import add_employer
    event = await make_event()
    festival = await make_event("festival-dag", kind="festival")
    zorg = await make_employer(event, "Zorggroep Noord", "A1", "care", CARE)
    await add_employer(festival, name="Zorggroep Noord", organisation_id=zorg.organisation)
    contact = await contact_signed_in(zorg.organisation)
    home = await client.get("/employer?lang=en", headers=contact)
    assert home.text.count("/matching?lang=en") == 1
    assert f"/employer/events/{event.slug}/matching" in home.text
    r = await client.get("/employer/events/festival-dag/matching", headers=contact)
    assert r.status_code == 409


async def test_only_the_shown_candidates_are_explained(day, settings, monkeypatch):
    """``explain`` costs milliseconds a pair: with 1,000 visitors, explaining everyone made
    the page take 8 s; now only the list shown (at most MAX_SHOWN) is explained."""
    from event_ops.matching import portal, preferences
    calls: list[int] = []
    real = preferences._best_explanation

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(preferences, "_best_explanation", counted)
    monkeypatch.setattr(portal, "MAX_SHOWN", 1)
    shown = await portal.portal_candidates(day.event, day.zorg.id, day.zorg.organisation,
                                           "contact:1", settings.secret_key, "en")
    assert [c["pseudonym"] for c in shown] == [day.code(settings, day.anna)]
    assert shown[0]["explanation"]["matched"] == ["Personal care", "Administering medication"]
    assert len(calls) == 1
