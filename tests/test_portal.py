"""The employer portal (issue 18, first part): an employer signs up for an event on the
public form, an organiser approves (or declines, with a reason), the employer gets mails
(real SMTP), logs in with a one-time link, sees its own page and downloads its own leads,
pairs a tablet. A contact of organisation A never reaches anything of organisation B."""

from __future__ import annotations

import datetime as dt
import re

import msgspec
import pytest

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.employers.service import add_vacancy
from event_ops.mail.outbox import send_due
from tests.helpers import badge, bearer, csrf_token, open_event, signed_in, visitor

SLUG = "festival-today"
FORM = {"organisation_name": "Zorggroep Noord B.V.", "kvk_number": "12 34 56 78",
        "contact_name": "Anja de Vries", "contact_email": "anja@zorgnoord.example.nl",
        "contact_phone": "050 123 4567", "sector": "care", "needs_power": "yes",
        "needs_screen": "yes", "staff_count": "3", "stand_wishes": "Bij de ingang",
        "note": ""}


def anonymous(client) -> str:
    """A browser with no session: its CSRF token."""
    client.cookies.clear()
    csrf = csrf_token("")
    client.cookies.set("csrftoken", csrf)
    return csrf


async def sign_up(client, slug: str = SLUG, lang: str = "en", **changes):
    csrf = anonymous(client)
    return await client.post(f"/events/{slug}/employer-signup?lang={lang}",
                             data={**FORM, **changes, "_csrf_token": csrf})


async def mails(settings, smtp_server) -> list:
    url, sink = smtp_server
    sink.messages.clear()
    sent, failed = await send_due(msgspec.structs.replace(settings, smtp_url=url))
    assert failed == 0
    return list(sink.messages)


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def login_token(messages) -> str:
    for message in messages:
        found = re.search(r"/employer/login/(\S+)", body(message))
        if found:
            return found.group(1)
    raise AssertionError("no login link in " + repr([m["Subject"] for m in messages]))


async def decide(client, organiser, slug: str, application_id: int, decision: str,
                 reason: str = ""):
    return await client.post(
        f"/admin/events/{slug}/employer-applications/{application_id}/{decision}?lang=en",
        headers=organiser, data={"reason": reason, "_csrf_token": organiser["X-CSRFToken"]})


async def pending_id(slug_event_id: int) -> int:
    rows = await current_engine().fetch(
        "SELECT id FROM employer_application WHERE event = ? AND status = 'pending'"
        " ORDER BY id DESC", [slug_event_id])
    return rows[0]["id"]


async def use_link(client, token: str):
    csrf = anonymous(client)
    return await client.post(f"/employer/login/{token}?lang=en",
                             data={"_csrf_token": csrf})


def session_headers(response) -> dict[str, str]:
    secret = response.cookies.get("eo_session") or re.search(
        r"eo_session=([^;]+)", response.headers["set-cookie"]).group(1)
    csrf = csrf_token(secret)
    return {"Cookie": f"eo_session={secret}; csrftoken={csrf}", "X-CSRFToken": csrf,
            "secret": secret}


async def approved_contact(client, settings, smtp_server, organiser, event, **changes):
    """Sign up, approve, log in with the mailed link: the contact's browser headers."""
    assert (await sign_up(client, event.slug, **changes)).status_code == 201
    r = await decide(client, organiser, event.slug, await pending_id(event.id), "approve")
    assert r.status_code in (302, 303), r.text
    token = login_token(await mails(settings, smtp_server))
    r = await use_link(client, token)
    assert r.status_code in (302, 303), r.text
    client.cookies.clear()
    return session_headers(r)


async def check_in(client, event, registration_id: int) -> None:
    door = await bearer(event, "door")
    r = await client.post(f"/api/v1/events/{event.slug}/checkins", headers=door,
                          json={"token": await badge(event, registration_id)})
    assert r.json()["status"] == "ok"


def as_browser(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k != "secret"}


async def test_sign_up_approve_mail_login_portal_and_leads(client, db, settings, smtp_server):
    event = await open_event()
    page = await client.get(f"/events/{SLUG}/employer-signup")
    assert page.status_code == 200 and "KvK-nummer" in page.text  # Dutch first
    english = await client.get(f"/events/{SLUG}/employer-signup?lang=en")
    assert "KvK number" in english.text and "Power" in english.text

    r = await sign_up(client)
    assert r.status_code == 201 and "We received your application" in r.text
    received = await mails(settings, smtp_server)
    assert [m["To"] for m in received] == ["anja@zorgnoord.example.nl"]
    assert "Zorggroep Noord" in body(received[0]) and "We received" in body(received[0])

    organiser = await signed_in("organiser_admin")
    employers = await client.get(f"/admin/events/{SLUG}/employers?lang=en", headers=organiser)
    assert f"/admin/events/{SLUG}/employer-applications" in employers.text
    listing = await client.get(f"/admin/events/{SLUG}/employer-applications?lang=en",
                               headers=organiser)
    assert listing.status_code == 200
    assert "Zorggroep Noord" in listing.text and "12345678" in listing.text
    assert "Power, Screen" in listing.text

    r = await decide(client, organiser, SLUG, await pending_id(event.id), "approve")
    assert r.status_code in (302, 303) and "done=approved" in r.headers["location"]
    db_ = current_engine()
    org = (await db_.fetch("SELECT * FROM organisation"))[0]
    assert org["kvk_number"] == "12345678"
    employer = (await db_.fetch("SELECT * FROM employer WHERE organisation = ?",
                                [org["id"]]))[0]
    assert employer["sector"] == "care" and employer["stand"] is None
    contact = (await db_.fetch("SELECT * FROM contact_person"))[0]
    assert contact["email"] == "anja@zorgnoord.example.nl"
    audit = {r["action"] for r in await db_.fetch("SELECT action FROM audit_entry")}
    assert {"employer_application.approved", "organisation.created",
            "employer.created"} <= audit
    # Deciding again: refused, nothing changes.
    again = await decide(client, organiser, SLUG, employer["id"], "approve")
    assert again.status_code in (404, 409)

    sent = await mails(settings, smtp_server)
    subjects = " ".join(m["Subject"] for m in sent)
    assert "approved" in subjects and "Log in" in subjects
    token = login_token(sent)

    # What the stand logs is what the portal's download holds.
    await add_vacancy(employer["id"], title="Verzorgende IG", postcode="9711")
    seen = await visitor(event, 1, name="Eva Mulder")
    tablet = await bearer(event, "employer", employer_id=employer["id"])
    await check_in(client, event, seen.registration_id)
    scan = await client.post(f"/api/v1/events/{SLUG}/interests", headers=tablet, json={
        "token": await badge(event, seen.registration_id), "level": "direct"})
    assert scan.status_code == 201, scan.text

    link_page = await client.get(f"/employer/login/{token}?lang=en")
    assert link_page.status_code == 200 and "Log in now" in link_page.text
    assert link_page.headers["cache-control"] == "no-store"
    r = await use_link(client, token)
    assert r.status_code in (302, 303) and r.headers["location"].startswith("/employer")
    contact_browser = session_headers(r)
    client.cookies.clear()
    # Once only.
    assert (await use_link(client, token)).status_code == 410

    home = await client.get("/employer?lang=en", headers=as_browser(contact_browser))
    assert home.status_code == 200, home.text
    assert "Anja de Vries" in home.text and event.name in home.text
    assert "Not known yet" in home.text and "Verzorgende IG" in home.text
    leads = await client.get(f"/employer/events/{SLUG}/leads.csv?lang=en",
                             headers=as_browser(contact_browser))
    assert leads.status_code == 200 and leads.headers["cache-control"] == "no-store"
    assert "Eva Mulder" in leads.content.decode("utf-8-sig")
    xlsx = await client.get(f"/employer/events/{SLUG}/leads.xlsx",
                            headers=as_browser(contact_browser))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    paired = await client.post(f"/employer/events/{SLUG}/pair?lang=en",
                               headers=as_browser(contact_browser),
                               data={"label": "Tablet 2",
                                     "_csrf_token": contact_browser["X-CSRFToken"]})
    assert paired.status_code == 201 and "/pair#" in paired.text
    code = re.search(r"/pair#([A-Za-z0-9_-]+)", paired.text).group(1)
    redeemed = await client.post(f"/api/v1/pair/{code}")
    assert redeemed.status_code in (200, 201), redeemed.text
    token_row = (await db_.fetch("SELECT role, employer FROM access_token WHERE label = ?",
                                 ["Tablet 2"]))[0]
    assert token_row == {"role": "employer_tablet", "employer": employer["id"]}

    # Logged out: the session ends.
    out = await client.post("/employer/logout", headers=as_browser(contact_browser),
                            data={"_csrf_token": contact_browser["X-CSRFToken"]})
    assert out.status_code in (302, 303)
    client.cookies.clear()
    gone = await client.get("/employer", headers=as_browser(contact_browser))
    assert gone.status_code in (302, 303) and "/employer/login" in gone.headers["location"]


async def test_a_second_event_reuses_the_organisation(client, db, settings, smtp_server):
    first, second = await open_event(), await open_event("second-event")
    organiser = await signed_in("organiser_admin")
    for event in (first, second):
        assert (await sign_up(client, event.slug)).status_code == 201
        r = await decide(client, organiser, event.slug, await pending_id(event.id), "approve")
        assert r.status_code in (302, 303)
    db_ = current_engine()
    assert len(await db_.fetch("SELECT id FROM organisation")) == 1
    assert len(await db_.fetch("SELECT id FROM contact_person")) == 1
    assert len(await db_.fetch("SELECT id FROM employer")) == 2


async def test_decline_needs_a_reason_and_mails_it(client, db, settings, smtp_server):
    event = await open_event()
    assert (await sign_up(client)).status_code == 201
    await mails(settings, smtp_server)
    organiser = await signed_in("organiser_staff", [event])
    application = await pending_id(event.id)
    r = await decide(client, organiser, SLUG, application, "decline", reason="  ")
    assert r.status_code == 422 and "Write a reason" in r.text and 'role="alert"' in r.text
    r = await decide(client, organiser, SLUG, application, "decline",
                     reason="Alle standplaatsen zijn vol.")
    assert r.status_code in (302, 303)
    sent = await mails(settings, smtp_server)
    assert len(sent) == 1 and "Alle standplaatsen zijn vol." in body(sent[0])
    db_ = current_engine()
    row = (await db_.fetch("SELECT * FROM employer_application"))[0]
    assert row["status"] == "declined" and row["decided_by"] == organiser_actor(row)
    assert not await db_.fetch("SELECT id FROM employer")
    assert not await db_.fetch("SELECT id FROM organisation")
    # A declined organisation's contact gets no login link (same answer as unknown).
    csrf = anonymous(client)
    r = await client.post("/employer/login?lang=en", data={
        "email": FORM["contact_email"], "_csrf_token": csrf})
    assert r.status_code == 201 or r.status_code == 200
    assert await mails(settings, smtp_server) == []


def organiser_actor(row: dict) -> str:
    assert row["decided_by"].startswith("account:")
    return row["decided_by"]


@pytest.mark.parametrize("changes, field, message", [
    ({"kvk_number": "1234567"}, "kvk_number", "Fill in your KvK number: 8 digits."),
    ({"kvk_number": "1234567X"}, "kvk_number", "Fill in your KvK number: 8 digits."),
    ({"kvk_number": ""}, "kvk_number", "Fill in your KvK number: 8 digits."),
    ({"contact_email": ""}, "contact_email", "Fill in a valid e-mail address"),
    ({"contact_email": "anja@"}, "contact_email", "Fill in a valid e-mail address"),
    ({"organisation_name": " "}, "organisation_name", "Fill in the name of your organisation"),
    ({"contact_phone": "12"}, "contact_phone", "Fill in a phone number"),
    ({"sector": ""}, "sector", "Choose a sector."),
    ({"sector": "space"}, "sector", "Choose a sector."),
    ({"staff_count": "0"}, "staff_count", "1 to 50"),
    ({"staff_count": "veel"}, "staff_count", "1 to 50"),
])
async def test_bad_fields_are_named_and_nothing_is_stored(client, db, settings, smtp_server,
                                                          changes, field, message):
    await open_event()
    r = await sign_up(client, **changes)
    assert r.status_code == 422
    assert 'role="alert"' in r.text and f'href="#{field}"' in r.text and message in r.text
    assert 'aria-invalid="true"' in r.text
    # What was typed stays in the form.
    assert "Anja de Vries" in r.text or field == "contact_name"
    assert not await current_engine().fetch("SELECT id FROM employer_application")
    assert await mails(settings, smtp_server) == []


async def test_several_problems_at_once_in_dutch(client, db):
    await open_event()
    r = await sign_up(client, lang="nl", kvk_number="12", contact_email="", staff_count="")
    assert r.status_code == 422
    for text in ("Vul je KvK-nummer in: 8 cijfers.", "Vul een goed e-mailadres in",
                 "Vul in met hoeveel mensen je komt"):
        assert text in r.text


async def test_login_answer_is_the_same_and_links_expire(client, db, settings, smtp_server,
                                                         monkeypatch):
    event = await open_event()
    organiser = await signed_in("organiser_admin")
    assert (await sign_up(client)).status_code == 201
    await decide(client, organiser, SLUG, await pending_id(event.id), "approve")
    await mails(settings, smtp_server)
    soon = clock.now() + dt.timedelta(minutes=2)  # past the approval link's resend pause
    monkeypatch.setattr(clock, "now", lambda: soon)
    answers = []
    for email in ("nobody@example.nl", FORM["contact_email"], "not an address"):
        csrf = anonymous(client)
        r = await client.post("/employer/login?lang=en",
                              data={"email": email, "_csrf_token": csrf})
        answers.append((r.status_code, r.text.replace(email, "")))
    assert len(set(answers)) == 1
    sent = await mails(settings, smtp_server)
    assert [m["To"] for m in sent] == [FORM["contact_email"]]
    token = login_token(sent)
    later = soon + dt.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert (await use_link(client, token)).status_code == 410
    # A tampered link never works.
    assert (await use_link(client, token[:-2] + "xx")).status_code == 410


async def test_organisation_a_never_reaches_organisation_b(client, db, settings, smtp_server):
    shared, only_b = await open_event(), await open_event("only-b")
    organiser = await signed_in("organiser_admin")
    a = await approved_contact(client, settings, smtp_server, organiser, shared)
    b_form = {"organisation_name": "Bouw BV", "kvk_number": "87654321",
              "contact_email": "piet@bouw.example.nl", "contact_name": "Piet Bouw"}
    b = await approved_contact(client, settings, smtp_server, organiser, shared, **b_form)
    assert (await sign_up(client, "only-b", **b_form)).status_code == 201
    await decide(client, organiser, "only-b", await pending_id(only_b.id), "approve")
    db_ = current_engine()
    b_employer = (await db_.fetch("SELECT e.id FROM employer e JOIN organisation o ON"
                                  " o.id = e.organisation WHERE o.kvk_number = '87654321'"
                                  " AND e.event = ?", [shared.id]))[0]["id"]
    await add_vacancy(b_employer, title="Timmerman")
    seen = await visitor(shared, 1, name="Eva Mulder")
    tablet_b = await bearer(shared, "employer", employer_id=b_employer)
    await check_in(client, shared, seen.registration_id)
    await client.post(f"/api/v1/events/{SLUG}/interests", headers=tablet_b, json={
        "token": await badge(shared, seen.registration_id), "level": "direct"})
    browser_a = as_browser(a)

    home = await client.get("/employer?lang=en", headers=browser_a)
    assert "Zorggroep Noord" in home.text
    assert "Bouw" not in home.text and "Timmerman" not in home.text
    assert "only-b" not in home.text
    # Leads at the shared event: only A's (none), never B's visitor.
    leads = await client.get(f"/employer/events/{SLUG}/leads.csv", headers=browser_a)
    assert leads.status_code == 200 and "Eva Mulder" not in leads.content.decode("utf-8-sig")
    b_leads = await client.get(f"/employer/events/{SLUG}/leads.csv", headers=as_browser(b))
    assert "Eva Mulder" in b_leads.content.decode("utf-8-sig")
    # B's own event: refused for A, by route.
    assert (await client.get("/employer/events/only-b/leads.csv",
                             headers=browser_a)).status_code == 403
    assert (await client.get("/employer/events/only-b/leads.xlsx",
                             headers=browser_a)).status_code == 403
    r = await client.post("/employer/events/only-b/pair", headers=browser_a,
                          data={"label": "x", "_csrf_token": a["X-CSRFToken"]})
    assert r.status_code == 403
    assert not await db_.fetch("SELECT id FROM pairing_code")
    # A pairing at the shared event is for A's own stand.
    r = await client.post(f"/employer/events/{SLUG}/pair", headers=browser_a,
                          data={"label": "A tablet", "_csrf_token": a["X-CSRFToken"]})
    assert r.status_code == 201
    pairing = (await db_.fetch("SELECT employer, role FROM pairing_code"))[0]
    assert pairing["employer"] != b_employer and pairing["role"] == "employer_tablet"
    # The organisers' pages, the organisers' API and the applications: refused.
    for path in (f"/admin/events/{SLUG}/employer-applications", f"/admin/events/{SLUG}/employers",
                 "/admin/organisations", f"/admin/events/{SLUG}/employers/{b_employer}"):
        assert (await client.get(path, headers=browser_a)).status_code == 403, path
    application = (await db_.fetch("SELECT id FROM employer_application WHERE"
                                   " kvk_number = '87654321' AND event = ?", [only_b.id]))[0]
    r = await client.post(
        f"/admin/events/only-b/employer-applications/{application['id']}/decline",
        headers=browser_a, data={"reason": "x", "_csrf_token": a["X-CSRFToken"]})
    assert r.status_code == 403
    api = await client.get(f"/api/v1/events/{SLUG}/interests.csv", headers=browser_a)
    assert api.status_code == 403
    # A staff session never opens the employer page.
    staff = await client.get("/employer", headers=organiser)
    assert staff.status_code == 403


async def test_several_contacts_of_one_organisation(client, db, settings, smtp_server):
    event = await open_event()
    organiser = await signed_in("organiser_admin")
    first = await approved_contact(client, settings, smtp_server, organiser, event)
    org_id = (await current_engine().fetch("SELECT id FROM organisation"))[0]["id"]
    from event_ops.employers.organisations import add_contact
    await add_contact(org_id, {"name": "Karin Smit", "email": "karin@zorgnoord.example.nl",
                               "phone": "", "role": "HR"}, "test")
    csrf = anonymous(client)
    await client.post("/employer/login", data={"email": "karin@zorgnoord.example.nl",
                                               "_csrf_token": csrf})
    r = await use_link(client, login_token(await mails(settings, smtp_server)))
    second = session_headers(r)
    client.cookies.clear()
    for who, name in ((first, "Anja de Vries"), (second, "Karin Smit")):
        home = await client.get("/employer?lang=en", headers=as_browser(who))
        assert name in home.text and "Zorggroep Noord" in home.text


async def test_public_sign_up_and_login_are_rate_limited(db, settings, monkeypatch):
    """The sign-up form counts in the sign-up bucket, the login mail in the (smallest)
    mail bucket: a flood from one address gets 429 and stores or mails nothing more."""
    from app import ratelimit
    from tests.test_rate_limits import running

    start = ratelimit._now()
    monkeypatch.setattr(ratelimit, "_now", lambda: start // 60 * 60 + 1)
    await open_event()
    csrf = csrf_token("")
    async with running(settings, rate_limit=3) as client_from:
        http = client_from("203.0.113.9", {"Cookie": f"csrftoken={csrf}"})
        codes = [(await http.post(f"/events/{SLUG}/employer-signup", data={
            **FORM, "_csrf_token": csrf})).status_code for _ in range(5)]
        assert codes == [201] * 3 + [429] * 2
        logins = [(await http.post("/employer/login", data={
            "email": "x@example.nl", "_csrf_token": csrf})).status_code for _ in range(2)]
        assert logins == [200, 429]  # mail bucket: 0.1 x 3, at least 1 a minute
        other = client_from("203.0.113.10", {"Cookie": f"csrftoken={csrf}"})
        assert (await other.get(f"/events/{SLUG}/employer-signup")).status_code == 200
    assert len(await current_engine().fetch("SELECT id FROM employer_application")) == 3


async def test_approve_and_decline_at_once_decide_once(client, db, settings, smtp_server):
    """Two organisers at the same moment: one decision wins, the other is told."""
    import asyncio

    from event_ops.core.errors import DomainError
    from event_ops.employers import applications

    event = await open_event()
    assert (await sign_up(client)).status_code == 201
    application = await pending_id(event.id)
    results = await asyncio.gather(
        applications.approve(event, application, "account:1"),
        applications.decline(event, application, "Vol", "account:2"),
        return_exceptions=True)
    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == 1 and errors[0].code == "application_decided", results
    row = (await current_engine().fetch("SELECT status, employer FROM employer_application"))[0]
    employers = await current_engine().fetch("SELECT id FROM employer")
    assert (row["status"] == "approved") == bool(employers) == (row["employer"] is not None)
