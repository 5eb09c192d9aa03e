"""The candidate pool, the visitor's and coach's side (issue 18): consent and choices, end date,
renewal reminder exactly once, withdrawing expires requests, accepting releases exactly the
chosen contact details (and declining nothing), a coach acts only for their own clients,
organisations see only their own requests, erasure and export include pool data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.employers.organisations import add_contact, create_organisation
from event_ops.pool import membership, requests
from event_ops.pool.membership import PoolChoices, choices_from_form, join, withdraw
from event_ops.pool.requests import decide, released_details, request_contact
from event_ops.pool.rules import POOL_WORDING_VERSION, add_months, today
from event_ops.privacy.erasure import erase_visitor
from event_ops.privacy.export import visitor_export
from tests.helpers import open_event, visitor

PHONE = "0612345678"


async def fetch(sql: str, args: list | None = None) -> list[dict]:
    return await current_engine().fetch(sql, args or [])


@pytest.fixture
async def person(db) -> int:
    event = await open_event("pool-event")
    outcome = await visitor(event, 1, name="Sara Bakker")
    await fetch("UPDATE visitor SET phone = ? WHERE id = ?", [PHONE, outcome.visitor_id])
    return outcome.visitor_id


async def employer(name: str = "Zorggroep Noord", email: str = "anja@zorg.example.nl"
                   ) -> tuple[int, int]:
    org = await create_organisation(name, None, "test")
    contact = await add_contact(org, {"name": "Anja", "email": email, "phone": "",
                                      "role": ""}, "test")
    return org, contact


def choices(*share: str, months: int = 12) -> PoolChoices:
    return PoolChoices(consent=True, months=months, hours_min=16, hours_max=32,
                       max_distance_km=25, share_fields=list(share or ("email",)))


class Form(dict):
    def getall(self, name: str, default: list) -> list:
        value = self.get(name, default)
        return value if isinstance(value, list) else [value]


# ---- consent and choices -------------------------------------------------------------------

def test_the_form_needs_consent_one_contact_detail_and_a_known_duration():
    with pytest.raises(ValidationFailed) as exc:
        choices_from_form(Form(months="24", hours_min="40", hours_max="20"))
    assert set(exc.value.errors) == {"consent", "share_fields", "months", "hours_max"}
    ok = choices_from_form(Form(consent="yes", months="6", share_fields=["phone", "bogus"],
                                hours_min="", max_distance_km="30"))
    assert (ok.months, ok.share_fields, ok.hours_min, ok.max_distance_km) == (6, ["phone"],
                                                                              None, 30)
    with pytest.raises(ValidationFailed):
        choices_from_form(Form(consent="yes", share_fields=["email"], max_distance_km="0"))


async def test_joining_writes_a_pool_consent_and_ends_after_the_chosen_months(person):
    member = await join(person, choices("email", months=3), actor="visitor:self")
    assert member["findable"] and member["ends_on"] == add_months(today(), 3)
    assert len(member["ref"]) == 8 and str(person) not in member["ref"]
    consents = await fetch("SELECT kind, granted, wording_version, channel FROM consent_record"
                           " WHERE visitor = ? AND kind = 'pool'", [person])
    assert consents == [{"kind": "pool", "granted": True, "wording_version": POOL_WORDING_VERSION,
                         "channel": ""}]
    default = await join(person, PoolChoices(consent=True, share_fields=["name"]),
                         actor="visitor:self")
    assert default["ends_on"] == add_months(today(), 12)
    with pytest.raises(ValidationFailed):
        await join(person, PoolChoices(consent=False, share_fields=["name"]), actor="x")


def test_months_are_calendar_months():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 6), 12) == dt.date(2027, 12, 6)


async def test_renewing_sets_a_new_end_and_a_new_consent_record(person):
    first = await join(person, choices(months=3), actor="visitor:self")
    await fetch("UPDATE pool_member SET ends_on = ?, reminded_at = ? WHERE id = ?",
                [today() + dt.timedelta(days=5), clock.now(), first["id"]])
    renewed = await membership.renew(person, 12, actor="visitor:self")
    assert renewed["ref"] == first["ref"]
    assert renewed["ends_on"] == add_months(today(), 12) and renewed["reminded_at"] is None
    assert len(await fetch("SELECT id FROM consent_record WHERE kind = 'pool'")) == 2


# ---- reminder, end, deletion ---------------------------------------------------------------

async def test_the_renewal_reminder_goes_once_fourteen_days_before_the_end(person):
    member = await join(person, choices(), actor="visitor:self")
    await fetch("UPDATE pool_member SET ends_on = ? WHERE id = ?",
                [today() + dt.timedelta(days=15), member["id"]])
    assert (await membership.run_maintenance()).reminded == 0
    await fetch("UPDATE pool_member SET ends_on = ? WHERE id = ?",
                [today() + dt.timedelta(days=14), member["id"]])
    assert (await membership.run_maintenance()).reminded == 1
    assert (await membership.run_maintenance()).reminded == 0  # run twice: still one mail
    mails = await fetch("SELECT kind, recipient FROM outbox_mail WHERE kind = 'pool.reminder'")
    assert mails == [{"kind": "pool.reminder", "recipient": "v1@example.nl"}]
    from event_ops.core.settings import get_settings
    message = await membership.reminder_message(
        get_settings(), {"registration_id": member["id"], "recipient": "v1@example.nl"})
    assert message is not None and "/pool" in message.get_content()
    assert "verwijderen" in message.get_content()


async def test_an_ended_membership_is_not_findable_and_is_deleted_after_30_days(person):
    member = await join(person, choices(), actor="visitor:self")
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Helpende", None, "",
                                       "account:1")
    await fetch("UPDATE pool_member SET ends_on = ? WHERE id = ?",
                [today() - dt.timedelta(days=1), member["id"]])
    assert not (await membership.member_of(person))["findable"]
    with pytest.raises(DomainError) as exc:
        await request_contact(member["ref"], org, contact, "Helpende", None, "", "account:1")
    assert exc.value.code == "pool_not_found"
    result = await membership.run_maintenance()
    assert result.expired_requests == 1 and result.deleted == 0
    assert (await fetch("SELECT status FROM pool_contact_request WHERE id = ?",
                        [request_id]))[0]["status"] == "expired"
    await fetch("UPDATE pool_member SET ends_on = ? WHERE id = ?",
                [today() - dt.timedelta(days=31), member["id"]])
    assert (await membership.run_maintenance()).deleted == 1
    assert await membership.member_of(person) is None
    assert not await fetch("SELECT id FROM pool_contact_request")


# ---- withdrawing ---------------------------------------------------------------------------

async def test_withdrawing_hides_at_once_and_expires_open_requests(person):
    member = await join(person, choices(), actor="visitor:self")
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Helpende", None,
                                       "Wil je bellen?", "account:1")
    assert await withdraw(person, actor="visitor:self")
    after = await membership.member_of(person)
    assert after is not None and not after["findable"]
    assert (await fetch("SELECT status FROM pool_contact_request WHERE id = ?",
                        [request_id]))[0]["status"] == "expired"
    with pytest.raises(DomainError):
        await decide(request_id, person, True, by="self", actor="visitor:self")
    granted = [r["granted"] for r in await fetch(
        "SELECT granted FROM consent_record WHERE kind = 'pool' ORDER BY id")]
    assert [bool(g) for g in granted] == [True, False]
    rejoined = await join(person, choices(), actor="visitor:self")
    assert rejoined["ref"] != member["ref"]  # a new pseudonym: not linkable to the old one


# ---- requests: accept releases exactly the chosen details ---------------------------------

@pytest.mark.parametrize("chosen", [("name",), ("email",), ("phone",), ("name", "phone")])
async def test_accepting_releases_exactly_the_chosen_details(person, chosen):
    member = await join(person, choices(*chosen), actor="visitor:self")
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Helpende", None, "",
                                       "account:1")
    assert await released_details(request_id, org) is None  # nothing before acceptance
    assert await decide(request_id, person, True, by="self", actor="visitor:self") == "accepted"
    values = {"name": "Sara Bakker", "email": "v1@example.nl", "phone": PHONE}
    released = await released_details(request_id, org, actor="account:1")
    assert released == {f: values[f] for f in chosen}
    from event_ops.core.settings import get_settings
    mail = await requests.pool_message(get_settings(), {
        "kind": requests.MAIL_ACCEPTED, "registration_id": request_id,
        "recipient": "anja@zorg.example.nl"})
    assert mail is not None
    text = mail.get_content()
    for name, value in values.items():
        assert (value in text) == (name in chosen), name
    row = (await fetch("SELECT released_fields FROM pool_contact_request WHERE id = ?",
                       [request_id]))[0]
    fields = row["released_fields"]
    assert (json.loads(fields) if isinstance(fields, str) else fields) == list(chosen)
    seen = await fetch("SELECT actor, fields FROM audit_entry WHERE action ="
                       " 'pool.details_viewed'")
    assert seen[0]["actor"] == "account:1"


async def test_declining_releases_nothing(person):
    member = await join(person, choices("name", "email", "phone"), actor="visitor:self")
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Helpende", None, "",
                                       "account:1")
    assert await decide(request_id, person, False, by="self", actor="visitor:self") \
        == "declined"
    assert await released_details(request_id, org) is None
    assert not await fetch("SELECT id FROM outbox_mail WHERE kind = 'pool.accepted'")
    assert [r["status"] for r in await requests.requests_of_organisation(org)] == ["declined"]
    with pytest.raises(DomainError) as exc:  # no asking again straight away
        await request_contact(member["ref"], org, contact, "Helpende", None, "", "account:1")
    assert exc.value.code == "pool_request_open"


async def test_an_organisation_sees_only_its_own_requests(person):
    member = await join(person, choices("email"), actor="visitor:self")
    org_a, contact_a = await employer()
    org_b, contact_b = await employer("Bouw BV", "piet@bouw.example.nl")
    request_id = await request_contact(member["ref"], org_a, contact_a, "Helpende", None, "",
                                       "account:1")
    await decide(request_id, person, True, by="self", actor="visitor:self")
    assert await released_details(request_id, org_b) is None
    assert await requests.requests_of_organisation(org_b) == []
    with pytest.raises(DomainError):  # a contact of another organisation
        await request_contact(member["ref"], org_b, contact_a, "Timmerman", None, "", "x")
    with pytest.raises(DomainError):
        await requests.withdraw_request(request_id, org_b, "account:2")


async def test_the_member_is_told_and_their_page_lists_who_asked(person):
    member = await join(person, choices("email"), actor="visitor:self")
    org, contact = await employer()
    await request_contact(member["ref"], org, contact, "Helpende zorg", 7,
                          "We zoeken iemand voor de avond.", "account:1")
    listed = await requests.requests_of_visitor(person)
    assert [(r["organisation"], r["about"], r["message"], r["status"]) for r in listed] == [
        ("Zorggroep Noord", "Helpende zorg", "We zoeken iemand voor de avond.", "requested")]
    assert await fetch("SELECT recipient FROM outbox_mail WHERE kind = 'pool.requested'") \
        == [{"recipient": "v1@example.nl"}]


# ---- job coach -----------------------------------------------------------------------------

async def test_a_coach_acts_only_for_their_own_clients(db):
    from event_ops.access.accounts import create_account
    from event_ops.people.caseload import register_client
    from event_ops.people.registration import RegistrationInput

    event = await open_event("pool-coach")
    coach_a = await create_account("a@coach.example.nl", "Coach A", "job_coach",
                                   "correct horse battery", [event.id], organisation="Werkpad")
    coach_b = await create_account("b@coach.example.nl", "Coach B", "job_coach",
                                   "correct horse battery", [event.id], organisation="Anders")
    outcome = await register_client(event, RegistrationInput(
        name="Client Een", email="client@example.nl", consent_terms=True), coach_a)
    client_id = outcome.visitor_id
    assert await membership.coach_may_act(coach_a, client_id)
    assert not await membership.coach_may_act(coach_b, client_id)
    with pytest.raises(DomainError):
        await membership.require_client(coach_b, client_id)
    member = await join(client_id, choices("email"), actor=f"account:{coach_a}",
                        coach_account=coach_a)
    assert member["consent_by"] == f"coach:{coach_a}"
    consent = (await fetch("SELECT channel, device FROM consent_record WHERE kind = 'pool'"))[0]
    assert consent == {"channel": "coach", "device": f"account:{coach_a}"}


# ---- erasure, export, figures --------------------------------------------------------------

async def test_erasing_the_visitor_removes_pool_data_and_export_shows_it(person):
    member = await join(person, choices("email"), actor="visitor:self")
    org, contact = await employer()
    await request_contact(member["ref"], org, contact, "Helpende", None, "Hallo", "account:1")
    data = await visitor_export(person)
    assert data["candidate_pool"]["ref"] == member["ref"]
    assert data["pool_contact_requests"][0]["organisation"] == "Zorggroep Noord"
    await erase_visitor(person, "visitor:self")
    assert not await fetch("SELECT id FROM pool_member")
    assert not await fetch("SELECT id FROM pool_contact_request")


async def test_figures_count_members_and_employers_using_the_pool(person):
    member = await join(person, choices("email"), actor="visitor:self")
    org, contact = await employer()
    org_b, _ = await employer("Bouw BV", "piet@bouw.example.nl")
    await request_contact(member["ref"], org, contact, "Helpende", None, "", "account:1")
    from event_ops import audit
    await audit.record("account:9", "pool.searched", subject_type="organisation",
                       subject_id=org_b)
    await audit.record("account:9", "pool.searched", subject_type="organisation",
                       subject_id=org)
    assert await membership.pool_figures() == {"members": 1, "employers": 2}


# ---- pages ---------------------------------------------------------------------------------

def _me(settings, visitor_id: int) -> str:
    from event_ops.mail.render import visitor_page_url

    return visitor_page_url(settings, visitor_id, 1).removeprefix(settings.base_url)


async def test_the_visitor_joins_on_their_page_and_answers_a_request(client, person, settings):
    me = _me(settings, person)
    own = await client.get(me)
    assert own.status_code == 200 and f'href="{me}/pool"' in own.text
    page = await client.get(f"{me}/pool")
    assert page.status_code == 200 and "precieze postcode" in page.text
    csrf = client.cookies.get("csrftoken")
    # No consent, no contact detail chosen: the form says so, nobody joins.
    r = await client.post(f"{me}/pool", data={"_csrf_token": csrf, "months": "6"})
    assert r.status_code == 422 and "Zet een vinkje" in r.text and "minstens" in r.text
    assert await membership.member_of(person) is None
    r = await client.post(f"{me}/pool", data={
        "_csrf_token": csrf, "months": "6", "consent": "yes", "share_fields": ["email"],
        "hours_min": "16", "hours_max": "24", "max_distance_km": "20"})
    assert r.status_code == 303
    member = await membership.member_of(person)
    assert member["ends_on"] == add_months(today(), 6) and member["share_fields"] == ["email"]
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Helpende zorg", None,
                                       "Wij zoeken iemand voor de avond.", "account:1")
    own = await client.get(me)
    assert "Open vragen om contact: 1" in own.text
    page = await client.get(f"{me}/pool")
    assert "Zorggroep Noord" in page.text and "Wij zoeken iemand voor de avond." in page.text
    r = await client.post(f"{me}/pool/requests/{request_id}",
                          data={"_csrf_token": csrf, "decision": "accept"})
    assert r.status_code == 303
    page = await client.get(r.headers["location"])
    assert "Je hebt ja gezegd" in page.text
    assert await released_details(request_id, org) == {"email": "v1@example.nl"}
    r = await client.post(f"{me}/pool/withdraw", data={"_csrf_token": csrf})
    assert r.status_code == 303
    assert "Je staat niet in de pool" in (await client.get(f"{me}/pool")).text


async def test_a_coach_page_serves_only_their_own_clients(client, db):
    from event_ops.people.caseload import register_client
    from event_ops.people.registration import RegistrationInput
    from tests.test_coach import coach

    event = await open_event("pool-coach")
    coach_a, headers_a = await coach("a@coach.example.nl", "Werkpad", [event])
    _, headers_b = await coach("b@coach.example.nl", "Anders", [event])
    outcome = await register_client(event, RegistrationInput(
        name="Client Een", email="client@example.nl", consent_terms=True), coach_a)
    url = f"/admin/caseload/clients/{outcome.visitor_id}/pool"
    assert (await client.get("/admin/caseload", headers=headers_a)).text.count(url) == 1
    assert (await client.get(url, headers=headers_b)).status_code == 404
    r = await client.post(url, headers=headers_b, data={
        "months": "12", "consent": "yes", "share_fields": ["email"]})
    assert r.status_code == 404 and await membership.member_of(outcome.visitor_id) is None
    page = await client.get(url, headers=headers_a)
    assert page.status_code == 200 and "Mijn cliënt heeft mij toestemming" in page.text
    r = await client.post(url, headers=headers_a, data={
        "months": "12", "consent": "yes", "share_fields": ["name", "phone"]})
    assert r.status_code == 303
    member = await membership.member_of(outcome.visitor_id)
    assert member["consent_by"] == f"coach:{coach_a}"
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Magazijn", None, "",
                                       "account:1")
    r = await client.post(f"{url}/requests/{request_id}", headers=headers_b,
                          data={"decision": "accept"})
    assert r.status_code == 404
    r = await client.post(f"{url}/requests/{request_id}", headers=headers_a,
                          data={"decision": "decline"})
    assert r.status_code == 303
    row = (await fetch("SELECT status, decided_by FROM pool_contact_request"))[0]
    assert row == {"status": "declined", "decided_by": f"coach:{coach_a}"}


async def test_organisers_see_pool_members_and_employers_against_the_target(client, person):
    from tests.helpers import signed_in

    member = await join(person, choices("email"), actor="visitor:self")
    org, contact = await employer()
    await request_contact(member["ref"], org, contact, "Helpende", None, "", "account:1")
    page = await client.get("/admin/programmes", headers=await signed_in("organiser_staff"))
    assert page.status_code == 200
    assert '<span id="pool-employers">1</span> (Doel: 50)' in page.text
    assert '<dd id="pool-members">1</dd>' in page.text


async def test_the_outbox_builds_every_pool_mail(person, settings):
    from event_ops.mail.outbox import build_message

    member = await join(person, choices("name"), actor="visitor:self")
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Helpende", None, "",
                                       "account:1")
    await decide(request_id, person, True, by="self", actor="visitor:self")
    await fetch("UPDATE pool_member SET ends_on = ? WHERE id = ?",
                [today() + dt.timedelta(days=3), member["id"]])
    await membership.run_maintenance()
    subjects = {}
    for mail in await fetch("SELECT id, event_id, kind, registration_id, recipient, channel"
                            " FROM outbox_mail WHERE kind LIKE 'pool.%' ORDER BY id"):
        message = await build_message(settings, mail)
        subjects[mail["kind"]] = (mail["recipient"], message)
    assert set(subjects) == {"pool.requested", "pool.accepted", "pool.reminder"}
    # The request was answered since it was queued: that mail is no longer sent.
    assert subjects["pool.requested"][1] is None
    to, accepted = subjects["pool.accepted"]
    assert to == "anja@zorg.example.nl" and "Sara Bakker" in accepted.get_content()
    assert "v1@example.nl" not in accepted.get_content()
    assert subjects["pool.reminder"][1]["To"] == "v1@example.nl"


async def test_the_data_page_shows_pool_data_and_who_did_what(client, person, settings):
    member = await join(person, choices("email"), actor="visitor:self")
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Helpende", None, "",
                                       "account:1")
    await decide(request_id, person, True, by="self", actor="visitor:self")
    await released_details(request_id, org, actor="account:1")
    page = await client.get(_me(settings, person) + "/export")
    assert page.status_code == 200
    for text in ("Kandidatenpool", member["ref"], "Zorggroep Noord",
                 "Werkgever bekeek je gedeelde gegevens", "e-mailadres"):
        assert text in page.text, text


async def test_eventops_pool_remind_reminds_once(person):
    from tests.test_cli_errors import cli

    member = await join(person, choices("email"), actor="visitor:self")
    await fetch("UPDATE pool_member SET ends_on = ? WHERE id = ?",
                [today() + dt.timedelta(days=10), member["id"]])
    first, second = cli("pool", "remind"), cli("pool", "remind")
    assert first.returncode == 0, first.stderr
    assert "reminded: 1" in first.stdout and "reminded: 0" in second.stdout
    assert len(await fetch("SELECT id FROM outbox_mail WHERE kind = 'pool.reminder'")) == 1


# ---- mails in the member's own language ----------------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en", "ar", "uk", "tr", "pl"])
async def test_the_pool_mails_reach_the_member_in_their_own_language(person, settings, lang):
    """The member reads the request and the reminder in the language they chose (as the
    registration mail); the employer's mail is Dutch and English whatever the member reads."""
    from event_ops.i18n import t
    from event_ops.localtime import local_time

    await fetch("UPDATE visitor SET language = ? WHERE id = ?", [lang, person])
    member = await join(person, choices("name"), actor="visitor:self")
    org, contact = await employer()
    request_id = await request_contact(member["ref"], org, contact, "Helpende", None, "",
                                       "account:1")
    asked = await requests.pool_message(settings, {
        "kind": requests.MAIL_REQUESTED, "registration_id": request_id,
        "recipient": "v1@example.nl"})
    assert asked is not None
    text = asked.get_content()
    assert asked["Subject"] == t("mail.pool.requested.subject", lang)
    assert t("mail.hello", lang, name="Sara") in text
    assert t("mail.pool.requested.who", lang, org="Zorggroep Noord", about="Helpende") in text
    assert f"/terms?lang={lang}" in text and "/pool" in text
    assert asked["Content-Language"] == lang
    # Dutch or English only where t() shows them for this language (nl, en, or a fallback
    # while a catalog lacks the text): never both, never the other one.
    key = "mail.pool.requested.not_yet"
    assert ("would like to contact you" in text) == _shows(lang, "en", key)
    assert ("wil graag contact met je" in text) == _shows(lang, "nl", key)

    ends = today() + dt.timedelta(days=14)
    await fetch("UPDATE pool_member SET ends_on = ? WHERE id = ?", [ends, member["id"]])
    await membership.run_maintenance()
    reminder = await membership.reminder_message(
        settings, {"registration_id": member["id"], "recipient": "v1@example.nl"})
    assert reminder is not None
    text = reminder.get_content()
    assert reminder["Subject"] == t("mail.pool.reminder.subject", lang)
    shown = ends.strftime("%Y-%m-%d" if lang == "en" else "%d-%m-%Y")  # as on the pool page
    assert local_time(ends, lang, "date") == shown
    assert t("mail.pool.reminder.until", lang, date=shown) in text
    assert ("Renew on your own page" in text) == _shows(lang, "en", "mail.pool.reminder.otherwise")

    await decide(request_id, person, True, by="self", actor="visitor:self")
    accepted = await requests.pool_message(settings, {
        "kind": requests.MAIL_ACCEPTED, "registration_id": request_id,
        "recipient": "anja@zorg.example.nl"})
    assert accepted is not None
    text = accepted.get_content()
    assert accepted["Subject"] == "Een kandidaat wil contact / A candidate accepted your request"
    assert accepted["Content-Language"] == "nl, en"
    assert "Naam: Sara Bakker" in text and "Name: Sara Bakker" in text
    assert "Gebruik ze alleen hiervoor." in text and "Use them for this only." in text
    assert "E-mail:" not in text and "Telefoon" not in text  # only the released detail


def _shows(lang: str, source: str, key: str) -> bool:
    """Does ``t`` give the ``source`` language's text (nl or en) for ``key`` in ``lang``?"""
    from event_ops.i18n import t

    return t(key, lang) == t(key, source)
