"""Job coaches: signing a client up (with e-mail, phone only, neither), consent recorded as
given to the coach, the badge to print or hand over, the caseload (attendance, employers'
interest, matches and follow-up) and the notes, private per organisation cell by cell."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from event_ops.access.accounts import create_account, log_in
from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer
from event_ops.people.registration import CONSENT_WORDING_VERSION
from event_ops.privacy.legal import current_versions
from tests.helpers import PASSWORD, badge, bearer, csrf_token, open_event, signed_in

SLUG = "festival-today"
FORM = f"/admin/events/{SLUG}/coach/register"
CASELOAD = "/admin/caseload"
LIST_API = f"/api/v1/events/{SLUG}/registrations"
LIST_PAGE = f"/admin/events/{SLUG}/registrations"


async def coach(email: str, organisation: str | None, events) -> tuple[int, dict[str, str]]:
    """A job coach of ``organisation`` on ``events``, logged in: (account id, headers)."""
    account_id = await create_account(
        email, email.split("@")[0].title(), "job_coach",
        PASSWORD, [e.id for e in events], organisation=organisation)
    session = await log_in(email, PASSWORD)
    csrf = csrf_token(session)
    return account_id, {"Cookie": f"eo_session={session}; csrftoken={csrf}",
                        "X-CSRFToken": csrf}


def form(name: str, email: str = "", phone: str = "", **extra) -> dict:
    return {"name": name, "email": email, "phone": phone, "consent_terms": "yes",
            "language": "nl", "sectors": "care", **extra}


async def sign_up(client, headers, data: dict, slug: str = SLUG):
    r = await client.post(f"/admin/events/{slug}/coach/register", headers=headers, data=data)
    assert r.status_code == 303, r.text
    done = await client.get(r.headers["location"], headers=headers)
    assert done.status_code == 200
    return done


async def fetch(sql: str, args: list | None = None) -> list[dict]:
    return await current_engine().fetch(sql, args or [])


@pytest.fixture
async def event(db):
    return await open_event(SLUG)


# ---- signing a client up -------------------------------------------------------------------


async def test_the_form_has_the_sign_up_fields_with_the_address_optional(client, event):
    _, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    for lang, heading in (("nl", "Cliënt aanmelden voor"), ("en", "Sign a client up for")):
        page = await client.get(f"{FORM}?lang={lang}", headers=headers)
        assert page.status_code == 200 and heading in page.text
        email = re.search(r'<input id="email"[^>]*>', page.text)
        assert email and "required" not in email.group(0)
        assert 'name="competencies"' in page.text and 'name="sectors"' in page.text
        assert 'name="consent_terms"' in page.text


async def test_a_coach_signs_up_a_client_with_an_email_address(client, event):
    coach_id, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    done = await sign_up(client, headers, form("Sara Bakker", "sara@example.nl",
                                               consent_share_profile="yes"))
    assert "Sara Bakker is aangemeld" in done.text
    assert "De bevestiging gaat per e-mail naar sara@example.nl" in done.text
    # A new visitor: the badge can be printed at once or its link handed over.
    printed = re.search(r'href="(/badges/[^"]+/print)[^"]*"', done.text)
    assert printed, done.text
    assert (await client.get(printed.group(1))).status_code == 200
    handover = re.search(r'id="handover"[^>]*value="[^"]*(/badges/[^"]+\.png)"', done.text)
    assert handover and (await client.get(handover.group(1))).status_code == 200

    reg = (await fetch("SELECT r.id, r.source, r.coach_account, r.status, v.id AS visitor,"
                       " v.email FROM registration r JOIN visitor v ON v.id = r.visitor"))[0]
    assert (reg["source"], reg["coach_account"], reg["status"]) == ("coach", coach_id,
                                                                     "registered")
    consents = await fetch("SELECT kind, granted, wording_version, documents, at, channel,"
                           " device FROM consent_record WHERE visitor = ? ORDER BY kind",
                           [reg["visitor"]])
    assert [(c["kind"], bool(c["granted"])) for c in consents] == [
        ("share_profile", True), ("terms", True)]
    for c in consents:
        # Given to this coach, today, for this wording and these documents.
        assert (c["channel"], c["device"]) == ("coach", f"account:{coach_id}")
        assert c["wording_version"] == CONSENT_WORDING_VERSION
        assert c["documents"] == await current_versions()
        at = c["at"] if isinstance(c["at"], dt.datetime) else dt.datetime.fromisoformat(c["at"])
        assert at.date() == dt.datetime.now(dt.UTC).date()
    mails = await fetch("SELECT kind, recipient FROM outbox_mail")
    assert mails == [{"kind": "registration.confirmation", "recipient": "sara@example.nl"}]
    audit = await fetch("SELECT actor FROM audit_entry WHERE action = 'registration.created'")
    assert audit == [{"actor": f"account:{coach_id}"}]


@pytest.mark.parametrize("phone", ["06 12 34 56 78", ""], ids=["phone only", "neither"])
async def test_a_coach_signs_up_a_client_without_an_email_address(client, event, phone):
    coach_id, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    done = await sign_up(client, headers, form("Kees Zonder Mail", "", phone))
    assert "Kees Zonder Mail is aangemeld" in done.text
    assert "Je cliënt heeft geen e-mailadres opgegeven" in done.text
    printed = re.search(r'href="(/badges/[^"]+/print)[^"]*"', done.text)
    assert printed and (await client.get(printed.group(1))).status_code == 200
    # Two clients without an address are two people (nobody is recognised without one).
    await sign_up(client, headers, form("Kees Zonder Mail", "", phone))
    rows = await fetch("SELECT r.source, r.coach_account, v.email, v.phone FROM registration r"
                       " JOIN visitor v ON v.id = r.visitor ORDER BY r.id")
    assert len(rows) == 2
    for row in rows:
        assert (row["source"], row["coach_account"], row["email"]) == ("coach", coach_id, None)
        assert row["phone"] == ("+31612345678" if phone else "")
    consents = await fetch("SELECT channel, device, wording_version FROM consent_record")
    assert consents and all(
        (c["channel"], c["device"], c["wording_version"])
        == ("coach", f"account:{coach_id}", CONSENT_WORDING_VERSION) for c in consents)
    assert await fetch("SELECT id FROM outbox_mail") == []  # no address: no mail
    page = await client.get(CASELOAD, headers=headers)
    assert page.text.count("Kees Zonder Mail</h3>") == 2


async def test_a_known_address_gets_no_badge_on_the_coach_page(client, event):
    _, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    other = await open_event("other-day")
    from event_ops.people.registration import RegistrationInput, register
    await register(other, RegistrationInput(name="Sara Bakker", email="sara@example.nl",
                                            consent_terms=True))
    done = await sign_up(client, headers, form("Someone Else", "sara@example.nl"))
    assert "/badges/" not in done.text
    assert "De badge gaat alleen per e-mail naar dat adres" in done.text
    # Signed up twice: the form says so and stores nothing new.
    again = await client.post(FORM, headers=headers, data=form("Sara", "sara@example.nl"))
    assert again.status_code == 409 and "al aangemeld voor dit event" in again.text
    assert len(await fetch("SELECT id FROM registration")) == 2


async def test_bad_input_keeps_what_was_typed_and_stores_nothing(client, event):
    _, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    data = form("S", "not-an-address", "12")
    del data["consent_terms"]
    r = await client.post(f"{FORM}?lang=en", headers=headers, data=data)
    assert r.status_code == 422
    assert 'role="alert"' in r.text and 'value="not-an-address"' in r.text
    assert await fetch("SELECT id FROM visitor") == []


async def test_a_coach_of_another_event_is_refused(client, event):
    other = await open_event("other-day")
    _, headers = await coach("piet@werkpunt.example.nl", "Werkpunt", [other])
    assert (await client.get(FORM, headers=headers)).status_code == 403
    r = await client.post(FORM, headers=headers, data=form("Sara Bakker", "sara@example.nl"))
    assert r.status_code == 403
    assert await fetch("SELECT id FROM visitor") == []
    # Not logged in: to the login page. Door tokens and employers: refused.
    assert (await client.get(FORM)).status_code in (302, 303)
    for role in ("organiser_staff", "job_coach"):
        assert (await client.get(FORM, headers=await signed_in(role, [other]))).status_code == 403
    # Organisers of the event may use the form; the coach's own event works.
    assert (await client.get(FORM, headers=await signed_in("organiser_admin"))).status_code == 200
    _, mine = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    assert (await client.get(FORM, headers=mine)).status_code == 200


# ---- the caseload --------------------------------------------------------------------------


async def test_the_caseload_shows_attendance_interest_and_matches(client, event):
    _, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    await sign_up(client, headers, form("Eva Mulder", "eva@example.nl",
                                        consent_share_profile="yes"))
    await sign_up(client, headers, form("Yonas Tesfay", "yonas@example.nl"))
    eva = (await fetch("SELECT r.id FROM registration r JOIN visitor v ON v.id = r.visitor"
                       " WHERE v.name = 'Eva Mulder'"))[0]["id"]
    token = await badge(event, eva)
    r = await client.post(f"/api/v1/events/{SLUG}/checkins", headers=await bearer(event),
                          json={"token": token})
    assert r.json()["status"] == "ok"
    employer = await add_employer(event, name="Zorggroep Noord", stand_label="A1",
                                  sector="care")
    tablet = await bearer(event, "employer", label="Tablet A", employer_id=employer.id)
    r = await client.post(f"/api/v1/events/{SLUG}/interests", headers=tablet,
                          json={"token": token, "level": "direct"})
    assert r.status_code == 201, r.text
    match = (await fetch("SELECT id FROM match"))[0]["id"]
    moved = await client.post(f"/api/v1/matches/{match}/status", headers=headers,
                              json={"status": "contacted", "reason": ""})
    assert moved.status_code == 200, moved.text

    page = await client.get(CASELOAD, headers=headers)
    assert page.status_code == 200
    html = page.text
    eva_card = html[html.index("Eva Mulder"):html.index("Yonas Tesfay")]
    assert "2 cliënten" in html
    assert "1 events, 1 keer geweest" in eva_card
    assert "Direct (baan): 1" in eva_card
    assert "Zorggroep Noord" in eva_card and "Contact gehad" in eva_card
    yonas_card = html[html.index("Yonas Tesfay"):]
    assert "1 events, 0 keer geweest" in yonas_card
    assert "Nog geen interesse van werkgevers." in yonas_card
    assert "Nog geen matches." in yonas_card
    english = await client.get(CASELOAD + "?lang=en", headers=headers)
    assert "Direct (job): 1" in english.text and "Contacted" in english.text


async def test_organisers_and_devices_have_no_caseload(client, event):
    for role in ("organiser_admin", "organiser_staff"):
        headers = await signed_in(role, [event])
        assert (await client.get(CASELOAD, headers=headers)).status_code == 403
        r = await client.post(f"{CASELOAD}/clients/1/notes", headers=headers,
                              data={"body": "x"})
        assert r.status_code == 403
    # A device token is no login: the page sends it to the login page.
    r = await client.get(CASELOAD, headers=await bearer(event, "organiser"))
    assert r.status_code in (302, 303) and "/login" in r.headers["location"]


# ---- privacy between organisations, cell by cell ---------------------------------------------


async def test_coaches_of_one_organisation_share_clients_and_notes_others_see_nothing(
        client, event):
    a1_id, a1 = await coach("anna@werkpunt.example.nl", "Werkpunt", [event])
    _, a2 = await coach("ali@werkpunt.example.nl", "Werkpunt", [event])
    _, b1 = await coach("bea@gemeente.example.nl", "Gemeente Groningen", [event])
    _, alone = await coach("zelf@example.nl", None, [event])
    client_a = {"name": "Anouk Aalders", "email": "anouk@example.nl", "phone": "+31611111111"}
    client_b = {"name": "Bram Bos", "email": "bram@example.nl", "phone": "+31622222222"}
    await sign_up(client, a1, form(client_a["name"], client_a["email"], "06 11111111"))
    await sign_up(client, b1, form(client_b["name"], client_b["email"], "06 22222222"))
    visitor_a = (await fetch("SELECT id FROM visitor WHERE name = ?", [client_a["name"]]))[0]["id"]
    visitor_b = (await fetch("SELECT id FROM visitor WHERE name = ?", [client_b["name"]]))[0]["id"]

    note_a = "Anouk zoekt werk in de zorg, 24 uur"
    note_b = "Bram heeft een rijbewijs C"
    r = await client.post(f"{CASELOAD}/clients/{visitor_a}/notes", headers=a1,
                          data={"body": note_a})
    assert r.status_code == 303
    r = await client.post(f"{CASELOAD}/clients/{visitor_b}/notes", headers=b1,
                          data={"body": note_b})
    assert r.status_code == 303
    # Another organisation's client: refused, nothing stored (the same as no such person).
    for headers, visitor in ((b1, visitor_a), (a2, visitor_b), (alone, visitor_a)):
        r = await client.post(f"{CASELOAD}/clients/{visitor}/notes", headers=headers,
                              data={"body": "geheim"})
        assert r.status_code == 404
    assert len(await fetch("SELECT id FROM coach_note")) == 2
    written = (await fetch("SELECT author, organisation FROM coach_note WHERE visitor = ?",
                           [visitor_a]))[0]
    assert written == {"author": a1_id, "organisation": "Werkpunt"}

    cells_a = [client_a["name"], client_a["email"], client_a["phone"], note_a]
    cells_b = [client_b["name"], client_b["email"], client_b["phone"], note_b]

    async def seen(headers) -> str:
        """Everything a coach can read: caseload (nl, en), the list page, the list API."""
        parts = []
        for path in (CASELOAD, CASELOAD + "?lang=en", LIST_PAGE, LIST_API,
                     LIST_API + "?q=a", LIST_API + "?source=coach"):
            r = await client.get(path, headers=headers)
            assert r.status_code == 200, (path, r.text)
            parts.append(r.text)
        # Exports are organisers' only.
        for path in (LIST_API + ".csv", LIST_API + ".xlsx"):
            assert (await client.get(path, headers=headers)).status_code == 403
        return "\n".join(parts)

    for who, headers, visible, hidden in (
            ("a1", a1, cells_a, cells_b), ("a2", a2, cells_a, cells_b),
            ("b1", b1, cells_b, cells_a), ("alone", alone, [], cells_a + cells_b)):
        text = await seen(headers)
        for cell in visible:
            assert cell in text, (who, cell)
        for cell in hidden:
            assert cell not in text, (who, cell)
    # The registration list's totals agree (A's coaches: one client each way).
    for headers, total in ((a1, 1), (a2, 1), (b1, 1), (alone, 0)):
        assert (await client.get(LIST_API, headers=headers)).json()["total"] == total
    # Organisers see every registration on the list, but no coach's notes anywhere.
    organiser = await signed_in("organiser_admin")
    listed = (await client.get(LIST_API, headers=organiser)).json()
    assert {i["name"] for i in listed["items"]} == {client_a["name"], client_b["name"]}
    for path in (LIST_PAGE, LIST_API, LIST_API + ".csv"):
        body = (await client.get(path, headers=organiser)).text
        assert note_a not in body and note_b not in body
    # Writing a note is in the audit log, without its text.
    entries = await fetch("SELECT actor, subject_id, fields FROM audit_entry"
                          " WHERE action = 'coach_note.created' ORDER BY id")
    assert [(e["actor"], e["subject_id"]) for e in entries] == [
        (f"account:{a1_id}", visitor_a), (entries[1]["actor"], visitor_b)]
    assert all(note_a not in e["fields"] and note_b not in e["fields"] for e in entries)
    viewed = await fetch("SELECT fields FROM audit_entry WHERE action = 'caseload.viewed'"
                         " AND actor = ?", [f"account:{a1_id}"])
    assert viewed and all("clients=1" in v["fields"] for v in viewed)


async def test_an_empty_or_long_note_is_refused_and_kept_in_the_form(client, event):
    _, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    await sign_up(client, headers, form("Eva Mulder", "eva@example.nl"))
    visitor = (await fetch("SELECT id FROM visitor"))[0]["id"]
    r = await client.post(f"{CASELOAD}/clients/{visitor}/notes", headers=headers,
                          data={"body": "   "})
    assert r.status_code == 422 and 'role="alert"' in r.text and "Vul dit in." in r.text
    long = "x" * 2001
    r = await client.post(f"{CASELOAD}/clients/{visitor}/notes", headers=headers,
                          data={"body": long})
    assert r.status_code == 422 and long in r.text
    assert await fetch("SELECT id FROM coach_note") == []
    r = await client.post(f"{CASELOAD}/clients/abc/notes", headers=headers,
                          data={"body": "x"})
    assert r.status_code == 404


async def test_the_events_questions_are_asked_and_answered_on_the_coach_form(client, event):
    from event_ops.questions import service
    from event_ops.questions.service import QuestionInput

    question = await service.create_question(event.id, QuestionInput(
        kind="short_text", label_nl="Wat heeft je cliënt nodig?",
        label_en="What does your client need?", required=True), actor="account:0")
    _, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    page = await client.get(FORM, headers=headers)
    assert "Wat heeft je cliënt nodig?" in page.text
    # Required: refused without it, named in the summary; nothing stored.
    r = await client.post(FORM, headers=headers, data=form("Eva Mulder", "", "0612345678"))
    assert r.status_code == 422 and "Wat heeft je cliënt nodig?:" in r.text
    assert await fetch("SELECT id FROM visitor") == []
    await sign_up(client, headers, form("Eva Mulder", "", "0612345678",
                                        **{f"q_{question}": "Een tolk Arabisch"}))
    answers = await fetch("SELECT question, value FROM answer")
    assert len(answers) == 1 and answers[0]["question"] == question
    assert "Een tolk Arabisch" in str(answers[0]["value"])


async def test_notes_are_in_the_clients_data_export_and_erased_with_them(client, event):
    from event_ops.privacy.erasure import erase_visitor

    _, headers = await coach("joke@werkpunt.example.nl", "Werkpunt", [event])
    await sign_up(client, headers, form("Eva Mulder", "eva@example.nl"))
    visitor = (await fetch("SELECT id FROM visitor"))[0]["id"]
    r = await client.post(f"{CASELOAD}/clients/{visitor}/notes", headers=headers,
                          data={"body": "Eva heeft een rijbewijs B"})
    assert r.status_code == 303
    # The client's own data export shows the note, who it is with, and the consent given
    # to the coach.
    from event_ops.privacy.export import visitor_export
    exported = await visitor_export(visitor)
    assert [n["body"] for n in exported["job_coach_notes"]] == ["Eva heeft een rijbewijs B"]
    assert exported["job_coach_notes"][0]["organisation"] == "Werkpunt"
    assert {c["channel"] for c in exported["consents"]} == {"coach"}
    await erase_visitor(visitor, "account:0")
    assert await fetch("SELECT id FROM coach_note") == []
    page = await client.get(CASELOAD, headers=headers)
    assert "Eva Mulder" not in page.text and "rijbewijs" not in page.text


async def test_the_page_after_a_sign_up_is_for_the_coachs_organisation_only(client, event):
    _, a1 = await coach("anna@werkpunt.example.nl", "Werkpunt", [event])
    _, a2 = await coach("ali@werkpunt.example.nl", "Werkpunt", [event])
    _, b1 = await coach("bea@gemeente.example.nl", "Gemeente Groningen", [event])
    r = await client.post(FORM, headers=a1, data=form("Anouk Aalders", "", "0611111111"))
    done = r.headers["location"]
    assert (await client.get(done, headers=a2)).status_code == 200
    other = await client.get(done, headers=b1)
    assert other.status_code == 404 and "Anouk" not in other.text
    # A link that was tampered with shows nothing either.
    assert (await client.get(done[:-8] + "AAAAAAAA", headers=a1)).status_code == 404
