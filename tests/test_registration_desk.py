"""The registrations desk: the list (search, every filter, sort, paging, counts), its API
contract, the CSV/XLSX exports, the detail page and every action on it, end to end, with
the audit log and the mails (a real SMTP server), and who may do what."""

from __future__ import annotations

import csv
import io
import re

import msgspec
import pytest
from openpyxl import load_workbook

from event_ops.core.db import current_engine
from event_ops.mail.outbox import send_due
from event_ops.people.registration import RegistrationInput, register
from tests.helpers import badge, bearer, open_event, signed_in

SLUG = "festival-today"
API = f"/api/v1/events/{SLUG}/registrations"
PAGE = f"/admin/events/{SLUG}/registrations"
CONTRACT_KEYS = {"id", "name", "email", "phone", "status", "checked_in_at", "source"}


async def sign_up(event, n: int, name: str, *, phone: str | None = None, share: bool = False):
    return await register(event, RegistrationInput(
        name=name, email=f"v{n}@example.nl", phone=phone, consent_terms=True,
        consent_share_profile=share, sectors=["care"]))


@pytest.fixture
async def desk(db):
    """Capacity 3: Sara, Jan and the formula name get a place; Ahmed and Noor wait."""
    event = await open_event(capacity=3)
    sara = await sign_up(event, 1, "Sara Bakker", phone="06 12345678", share=True)
    jan = await sign_up(event, 2, "Jan de Vries")
    evil = await sign_up(event, 3, '=HYPERLINK("http://evil.example","klik")')
    ahmed = await sign_up(event, 4, "Ahmed Yılmaz", phone="+32 470 12 34 56", share=True)
    noor = await sign_up(event, 5, "Noor Visser")
    return {"event": event, "sara": sara, "jan": jan, "evil": evil, "ahmed": ahmed,
            "noor": noor, "organiser": await signed_in("organiser_admin")}


async def listed(client, headers, **query) -> dict:
    r = await client.get(API, params=query, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def names(body: dict) -> list[str]:
    return [item["name"] for item in body["items"]]


async def check_in(client, event, registration_id: int) -> None:
    r = await client.post(f"/api/v1/events/{SLUG}/checkins", headers=await bearer(event),
                          json={"token": await badge(event, registration_id)})
    assert r.json()["status"] == "ok", r.text


async def audit(action: str) -> list[dict]:
    return await current_engine().fetch(
        "SELECT actor, subject_id, fields FROM audit_entry WHERE action = ? ORDER BY id",
        [action])


# ---- the list: search, filters, sort, paging ---------------------------------------------


async def test_the_list_answers_the_contract_shape_with_totals_and_counts(client, desk):
    body = await listed(client, desk["organiser"])
    assert body["total"] == 5
    assert body["counts"] == {"registered": 3, "waiting_list": 2, "cancelled": 0}
    assert all(set(item) >= CONTRACT_KEYS for item in body["items"])
    sara = next(i for i in body["items"] if i["name"] == "Sara Bakker")
    assert sara["email"] == "v1@example.nl" and sara["phone"] == "+31612345678"
    assert sara["status"] == "registered" and sara["source"] == "self"
    assert sara["checked_in_at"] is None
    # Sorted by name (case-insensitive), the formula name first ("=" sorts before letters).
    assert names(body) == sorted(names(body), key=str.lower)


@pytest.mark.parametrize(("q", "expected"), [
    ("sara", ["Sara Bakker"]),
    ("BAKKER", ["Sara Bakker"]),
    ("de vr", ["Jan de Vries"]),
    ("v2@example", ["Jan de Vries"]),
    ("V4@EXAMPLE.NL", ["Ahmed Yılmaz"]),
    ("06 1234 5678", ["Sara Bakker"]),  # a Dutch number as people type it
    ("0612345678", ["Sara Bakker"]),
    ("+31 6 1234", ["Sara Bakker"]),
    ("0032 470 12", ["Ahmed Yılmaz"]),  # international with 00
    ("470-12-34", ["Ahmed Yılmaz"]),
    ("100%", []),  # a LIKE wildcard is just a character
    ("nobody", []),
])
async def test_search_by_name_email_or_phone(client, desk, q, expected):
    body = await listed(client, desk["organiser"], q=q)
    assert names(body) == expected
    assert body["total"] == len(expected)


async def test_each_filter_narrows_the_list(client, desk):
    headers, event = desk["organiser"], desk["event"]
    assert names(await listed(client, headers, status="waiting_list")) == [
        "Ahmed Yılmaz", "Noor Visser"]
    assert len((await listed(client, headers, status="registered"))["items"]) == 3

    await check_in(client, event, desk["sara"].registration_id)
    checked = await listed(client, headers, checked_in="yes")
    assert names(checked) == ["Sara Bakker"] and checked["items"][0]["checked_in_at"]
    assert "Sara Bakker" not in names(await listed(client, headers, checked_in="no"))
    assert (await listed(client, headers, checked_in="no"))["total"] == 4

    assert names(await listed(client, headers, share_profile="yes")) == [
        "Ahmed Yılmaz", "Sara Bakker"]
    assert (await listed(client, headers, share_profile="no"))["total"] == 3

    await current_engine().fetch("UPDATE registration SET source = 'walkin' WHERE id = ?",
                                 [desk["jan"].registration_id])
    walkins = await listed(client, headers, source="walkin")
    assert names(walkins) == ["Jan de Vries"] and walkins["items"][0]["source"] == "walkin"
    assert (await listed(client, headers, source="self"))["total"] == 4

    r = await client.post(f"{PAGE}/{desk['jan'].registration_id}/no-show", headers=headers)
    assert r.status_code == 303
    assert names(await listed(client, headers, no_show="yes")) == ["Jan de Vries"]
    assert (await listed(client, headers, no_show="no"))["total"] == 4

    # Filters combine, and the counts per status leave the status filter aside.
    both = await listed(client, headers, share_profile="yes", status="waiting_list")
    assert names(both) == ["Ahmed Yılmaz"]
    assert both["counts"] == {"registered": 1, "waiting_list": 1, "cancelled": 0}


async def test_sorting(client, desk):
    headers = desk["organiser"]
    by_name = names(await listed(client, headers, sort="name"))
    assert names(await listed(client, headers, sort="-name")) == by_name[::-1]
    newest = names(await listed(client, headers, sort="-created"))
    assert newest[0] == "Noor Visser" and newest[-1] == "Sara Bakker"
    await check_in(client, desk["event"], desk["jan"].registration_id)
    assert names(await listed(client, headers, sort="checked_in"))[0] == "Jan de Vries"
    # Not checked in sorts last in both directions.
    assert names(await listed(client, headers, sort="-checked_in"))[0] == "Jan de Vries"


async def test_paging_keeps_the_total_and_never_repeats_or_skips(client, desk):
    headers = desk["organiser"]
    seen: list[int] = []
    for offset in (0, 2, 4):
        body = await listed(client, headers, limit=2, offset=offset)
        assert body["total"] == 5
        seen += [item["id"] for item in body["items"]]
    assert len(seen) == len(set(seen)) == 5
    everything = await listed(client, headers)
    assert seen == [item["id"] for item in everything["items"]]
    assert (await listed(client, headers, offset=50))["items"] == []


@pytest.mark.parametrize("query", [
    {"status": "gone"}, {"checked_in": "maybe"}, {"source": "mail"}, {"sort": "email"},
    {"limit": "0"}, {"limit": "201"}, {"offset": "-1"}, {"q": "x" * 101},
])
async def test_wrong_filters_are_a_clear_422(client, desk, query):
    r = await client.get(API, params=query, headers=desk["organiser"])
    assert r.status_code == 422
    assert r.json()["error"] == "validation_failed"
    assert set(r.json()["fields"]) == set(query)


async def test_the_public_sign_up_on_the_same_path_still_works(client, desk):
    r = await client.post(API, json={"name": "Bram de Groot", "email": "bram@example.nl",
                                     "consent_terms": True})
    assert r.status_code == 201 and r.json()["status"] == "waiting_list"
    assert (await client.get(API)).status_code == 401  # the list is not public
    assert (await listed(client, desk["organiser"]))["total"] == 6


# ---- who may see what ---------------------------------------------------------------------


async def test_roles_on_the_list_and_the_exports(client, desk):
    from event_ops.employers.service import add_employer

    event = desk["event"]
    employer = await add_employer(event, name="Zorg BV", stand_label="A1", sector="care")
    coach = await signed_in("job_coach", [event])
    refused = {
        "door": await bearer(event, "door"),
        "employer": await bearer(event, "employer", employer_id=employer.id),
        "employer_tablet": await bearer(event, "employer_tablet", employer_id=employer.id),
        "job coach": coach,
        "staff of another event": await signed_in("organiser_staff",
                                                  [await open_event("other-event")]),
    }
    for who, headers in refused.items():
        for suffix in (".csv", ".xlsx"):
            r = await client.get(API + suffix, headers=headers)
            assert r.status_code == 403, (who, suffix)
    for who in ("door", "employer", "employer_tablet", "staff of another event"):
        assert (await client.get(API, headers=refused[who])).status_code == 403, who
    for headers in (await bearer(event, "organiser"), await signed_in("organiser_staff", [event])):
        assert (await client.get(API + ".csv", headers=headers)).status_code == 200
        assert (await listed(client, headers))["total"] == 5
    assert await audit("registration.exported") and all(
        "rows=5" in e["fields"] for e in await audit("registration.exported"))


async def test_a_job_coach_sees_only_their_own_clients(client, desk):
    coach = await signed_in("job_coach", [desk["event"]], email="coach@werk.example.nl")
    assert (await listed(client, coach))["total"] == 0
    account = (await current_engine().fetch(
        "SELECT id FROM account WHERE email = 'coach@werk.example.nl'"))[0]["id"]
    await current_engine().fetch(
        "UPDATE registration SET coach_account = ?, source = 'coach' WHERE id = ?",
        [account, desk["noor"].registration_id])
    mine = await listed(client, coach)
    assert names(mine) == ["Noor Visser"] and mine["counts"]["waiting_list"] == 1
    # A query string cannot widen it.
    assert names(await listed(client, coach, coach_account_id="")) == ["Noor Visser"]
    # The coach's list page works too, without links to the organisers' detail page.
    page = await client.get(PAGE, headers=coach)
    assert page.status_code == 200 and "Noor Visser" in page.text
    assert "Sara Bakker" not in page.text
    assert f"{PAGE}/{desk['noor'].registration_id}" not in page.text
    detail = await client.get(f"{PAGE}/{desk['noor'].registration_id}", headers=coach)
    assert detail.status_code == 403


# ---- exports -------------------------------------------------------------------------------


async def test_csv_export_opens_right_in_dutch_excel(client, desk):
    r = await client.get(API + ".csv", params={"status": "registered"},
                         headers=desk["organiser"])
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["cache-control"] == "no-store"
    assert "festival-today-registrations.csv" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Nummer", "Naam", "E-mail", "Telefoon"]
    assert "Profiel delen met werkgevers" in header
    assert len(body) == 3  # the filter holds: registered only
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert by_name["Sara Bakker"]["Profiel delen met werkgevers"] == "ja"
    assert by_name["Jan de Vries"]["Profiel delen met werkgevers"] == "nee"
    assert by_name["Sara Bakker"]["Status"] == "Aangemeld"
    assert by_name["Sara Bakker"]["Telefoon"] == "'+31612345678"  # text, not a formula
    # The formula name is defused: Excel shows it as text.
    assert "'=HYPERLINK(\"http://evil.example\",\"klik\")" in by_name
    assert not any(cell.startswith(("=", "+", "@")) for row in body for cell in row)
    entry = (await audit("registration.exported"))[-1]
    fields = msgspec.json.decode(entry["fields"]) if isinstance(entry["fields"], str) \
        else entry["fields"]
    assert fields == ["format=csv", "rows=3", "status=registered"]
    assert entry["actor"].startswith("account:")


async def test_csv_export_in_english_and_with_a_search(client, desk):
    r = await client.get(API + ".csv", params={"q": "sara", "lang": "en"},
                         headers=desk["organiser"])
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1] == "Name" and "Share profile with employers" in rows[0]
    assert [row[1] for row in rows[1:]] == ["Sara Bakker"]
    fields = (await audit("registration.exported"))[-1]["fields"]
    assert "q=*" in str(fields) and "sara" not in str(fields)  # the search text stays out


async def test_xlsx_export_opens_with_text_cells_never_formulas(client, desk):
    await check_in(client, desk["event"], desk["sara"].registration_id)
    r = await client.get(API + ".xlsx", headers=desk["organiser"])
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.title == "Aanmeldingen"
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 6
    evil = next(row for row in rows[1:] if str(row[1]).startswith("=HYPERLINK"))
    assert all(cell.data_type == "s" for cell in sheet[rows.index(evil) + 1]
               if isinstance(cell.value, str))
    sara = dict(zip(header, next(row for row in rows if row[1] == "Sara Bakker"), strict=True))
    assert sara["Telefoon"] == "+31612345678"
    assert sara["Binnen om"] is not None and sara["Binnen om"].tzinfo is None  # Amsterdam
    assert (await audit("registration.exported"))[-1]["fields"]


# ---- the pages -------------------------------------------------------------------------------


async def test_list_page_shows_counts_search_and_paging(client, desk):
    headers = desk["organiser"]
    r = await client.get(PAGE, headers=headers)
    assert r.status_code == 200
    text = r.text
    assert "Aanmeldingen" in text and "5 aanmeldingen gevonden." in text
    assert re.search(r"Wachtlijst <span class=\"n\">2</span>", text)
    assert 'aria-current="page"' in text  # the event menu marks this page
    assert f"/api/v1/events/{SLUG}/registrations.csv?" in text
    r = await client.get(PAGE, params={"q": "bakker", "lang": "en"}, headers=headers)
    assert "1 registrations found." in r.text and "Sara Bakker" in r.text
    assert "Jan de Vries" not in r.text
    assert "registrations.csv?q=bakker&amp;lang=en" in r.text
    r = await client.get(PAGE, params={"limit": "2"}, headers=headers)
    assert "1 / 3" in r.text and 'rel="next"' in r.text and 'rel="prev"' not in r.text
    r = await client.get(PAGE, params={"status": "nonsense"}, headers=headers)
    assert r.status_code == 200 and "Dit filter klopt niet" in r.text


async def test_pages_need_a_login_and_the_right_role(client, desk):
    r = await client.get(PAGE)
    assert r.status_code in (302, 303) and r.headers["location"].startswith("/login")
    door = await bearer(desk["event"], "door")
    assert (await client.get(PAGE, headers=door)).status_code in (302, 303)  # no session
    assert (await client.get(f"{PAGE}/999999", headers=desk["organiser"])).status_code == 404
    other = await open_event("other-event")
    other_reg = await sign_up(other, 9, "Elders Persoon")
    r = await client.get(f"{PAGE}/{other_reg.registration_id}", headers=desk["organiser"])
    assert r.status_code == 404  # an id of another event is not found here


async def test_detail_page_shows_everything_and_records_the_view(client, desk):
    reg = desk["sara"].registration_id
    r = await client.get(f"{PAGE}/{reg}", headers=desk["organiser"])
    assert r.status_code == 200
    text = r.text
    for expected in ("Sara Bakker", "v1@example.nl", "+31612345678", "Aangemeld", "Zelf",
                     "Nog niet binnen", "Badge-nummer", "Toestemmingen",
                     "Profiel delen met werkgevers (naam, e-mail, telefoon, profiel)",
                     "Voorwaarden en privacyregels", "2026-11-v1", "Geschiedenis"):
        assert expected in text, expected
    viewed = await audit("registration.viewed")
    assert [e["subject_id"] for e in viewed] == [reg]
    assert viewed[0]["actor"].startswith("account:")
    # A person on the waiting list shows their place.
    r = await client.get(f"{PAGE}/{desk['noor'].registration_id}?lang=en",
                         headers=desk["organiser"])
    assert "place 2 on the waiting list" in r.text
    assert "Move up from the waiting list" in r.text


async def test_actions_need_the_csrf_token(client, desk):
    headers = {k: v for k, v in desk["organiser"].items() if k != "X-CSRFToken"}
    r = await client.post(f"{PAGE}/{desk['jan'].registration_id}/cancel", headers=headers)
    assert r.status_code == 403
    status = (await current_engine().fetch("SELECT status FROM registration WHERE id = ?",
                                           [desk["jan"].registration_id]))[0]["status"]
    assert status == "registered"


async def test_change_of_e_mail_address_mails_the_old_and_the_new_address(
        client, desk, settings, smtp_server):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url)
    await send_due(cfg)  # the sign-up confirmations
    sink.messages.clear()
    reg = desk["jan"].registration_id
    r = await client.post(f"{PAGE}/{reg}/contact", headers=desk["organiser"], data={
        "name": "Jan  de Vries-Smit", "email": "Jan.Nieuw@Example.nl", "phone": "0687654321"})
    assert r.status_code == 303 and r.headers["location"].endswith("done=contact&lang=nl")
    row = (await current_engine().fetch(
        "SELECT name, email, phone, link_version FROM visitor WHERE id = ?",
        [desk["jan"].visitor_id]))[0]
    assert row == {"name": "Jan de Vries-Smit", "email": "jan.nieuw@example.nl",
                   "phone": "+31687654321", "link_version": 2}
    assert await send_due(cfg) == (2, 0)
    by_to = {m["To"]: m for m in sink.messages}
    new, old = by_to["jan.nieuw@example.nl"], by_to["v2@example.nl"]
    new_body = new.get_body(("plain",)).get_content()
    old_body = old.get_body(("plain",)).get_content()
    assert "We hebben je gegevens voor Event festival-today aangepast" in new["Subject"]
    assert "Jan de Vries-Smit" in new_body and "+31687654321" in new_body
    assert "/me/" in new_body
    assert "We mailen niet meer naar dit adres." in old_body
    # The old mailbox learns nothing new: not the new address, phone or a link.
    assert "jan.nieuw" not in old_body and "+31687654321" not in old_body
    assert "/me/" not in old_body
    entry = (await audit("registration.contact_changed"))[-1]
    assert entry["subject_id"] == reg and "email" in str(entry["fields"])
    assert "jan.nieuw" not in str(entry["fields"])  # names of fields, never the values
    page = await client.get(r.headers["location"], headers=desk["organiser"])
    assert "De gegevens zijn opgeslagen." in page.text
    assert "Contactgegevens aangepast" in page.text  # the history


async def test_contact_change_without_a_new_address_mails_only_that_address(
        client, desk, settings, smtp_server):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url)
    await send_due(cfg)
    sink.messages.clear()
    reg = desk["sara"].registration_id
    r = await client.post(f"{PAGE}/{reg}/contact", headers=desk["organiser"], data={
        "name": "Sara Bakker", "email": "v1@example.nl", "phone": ""})
    assert r.status_code == 303
    await send_due(cfg)
    assert [m["To"] for m in sink.messages] == ["v1@example.nl"]
    assert "Telefoon: -" in sink.messages[0].get_body(("plain",)).get_content()
    # Nothing changed: nothing stored, nothing sent.
    r = await client.post(f"{PAGE}/{reg}/contact", headers=desk["organiser"], data={
        "name": "Sara Bakker", "email": "v1@example.nl", "phone": ""})
    assert r.headers["location"].endswith("done=unchanged&lang=nl")
    assert await send_due(cfg) == (0, 0)


async def test_contact_change_refuses_bad_input_and_a_taken_address(client, desk):
    reg = desk["jan"].registration_id
    r = await client.post(f"{PAGE}/{reg}/contact", headers=desk["organiser"], data={
        "name": "", "email": "not-an-address", "phone": "12"})
    assert r.status_code == 422
    assert 'role="alert"' in r.text and 'aria-invalid="true"' in r.text
    assert 'value="not-an-address"' in r.text  # what was typed stays
    r = await client.post(f"{PAGE}/{reg}/contact?lang=en", headers=desk["organiser"], data={
        "name": "Jan de Vries", "email": "v1@example.nl", "phone": ""})
    assert r.status_code == 409
    assert "Another visitor already has this e-mail address." in r.text
    row = (await current_engine().fetch("SELECT name, email FROM visitor WHERE id = ?",
                                        [desk["jan"].visitor_id]))[0]
    assert row == {"name": "Jan de Vries", "email": "v2@example.nl"}
    assert not await audit("registration.contact_changed")


async def test_cancel_moves_the_waiting_list_up_with_the_existing_rule(
        client, desk, settings, smtp_server):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url)
    await send_due(cfg)
    sink.messages.clear()
    r = await client.post(f"{PAGE}/{desk['jan'].registration_id}/cancel",
                          headers=desk["organiser"])
    assert r.status_code == 303
    rows = {row["id"]: row["status"] for row in await current_engine().fetch(
        "SELECT id, status FROM registration")}
    assert rows[desk["jan"].registration_id] == "cancelled"
    assert rows[desk["ahmed"].registration_id] == "registered"  # first in line
    assert rows[desk["noor"].registration_id] == "waiting_list"
    await send_due(cfg)
    assert [m["To"] for m in sink.messages] == ["v4@example.nl"]
    entry = (await audit("registration.cancelled"))[-1]
    assert entry["actor"].startswith("account:")  # the organiser, not "visitor:self"
    # Cancelled twice: a clear refusal.
    r = await client.post(f"{PAGE}/{desk['jan'].registration_id}/cancel",
                          headers=desk["organiser"])
    assert r.status_code == 409 and "Deze aanmelding is afgemeld." in r.text


async def test_move_up_by_hand_and_resend_the_confirmation(client, desk, settings,
                                                            smtp_server):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url)
    await send_due(cfg)
    sink.messages.clear()
    noor = desk["noor"].registration_id
    r = await client.post(f"{PAGE}/{noor}/promote", headers=desk["organiser"])
    assert r.status_code == 303
    status = (await current_engine().fetch("SELECT status, waiting_position FROM registration"
                                           " WHERE id = ?", [noor]))[0]
    assert status == {"status": "registered", "waiting_position": None}
    r = await client.post(f"{PAGE}/{noor}/promote", headers=desk["organiser"])
    assert r.status_code == 409  # not on the waiting list any more
    r = await client.post(f"{PAGE}/{desk['sara'].registration_id}/resend",
                          headers=desk["organiser"])
    assert r.status_code == 303
    await send_due(cfg)
    by_to = {m["To"]: m for m in sink.messages}
    assert set(by_to) == {"v5@example.nl", "v1@example.nl"}
    resent = by_to["v1@example.nl"]
    assert "Je bent aangemeld" in resent.get_body(("plain",)).get_content() or \
        "aangemeld" in resent.get_body(("plain",)).get_content()
    assert any(part.get_filename() == "badge.pdf" for part in resent.iter_attachments())
    assert [e["subject_id"] for e in await audit("registration.promoted")] == [noor]
    assert [e["subject_id"] for e in await audit("registration.confirmation_resent")] == [
        desk["sara"].registration_id]


async def test_reissue_makes_the_old_badge_stop_working(client, desk):
    event, reg = desk["event"], desk["sara"].registration_id
    old = await badge(event, reg, 1)
    r = await client.post(f"{PAGE}/{reg}/reissue", headers=desk["organiser"])
    assert r.status_code == 303
    serial = (await current_engine().fetch("SELECT badge_serial FROM registration WHERE id = ?",
                                           [reg]))[0]["badge_serial"]
    assert serial == 2
    door = await bearer(event)
    scan = await client.post(f"/api/v1/events/{SLUG}/checkins", headers=door,
                             json={"token": old})
    assert scan.json()["status"] == "revoked"
    scan = await client.post(f"/api/v1/events/{SLUG}/checkins", headers=door,
                             json={"token": await badge(event, reg, 2)})
    assert scan.json()["status"] == "ok"
    assert [e["subject_id"] for e in await audit("badge.reissued")] == [reg]


async def test_mark_and_unmark_a_no_show(client, desk):
    jan, headers = desk["jan"].registration_id, desk["organiser"]
    r = await client.post(f"{PAGE}/{jan}/no-show", headers=headers)
    assert r.status_code == 303
    page = await client.get(r.headers["location"], headers=headers)
    assert "Gemarkeerd als niet gekomen." in page.text
    assert "Toch gekomen: markering weghalen" in page.text
    r = await client.post(f"{PAGE}/{jan}/no-show-clear", headers=headers)
    assert r.status_code == 303
    assert (await listed(client, headers, no_show="yes"))["total"] == 0
    assert len(await audit("registration.no_show")) == 1
    assert len(await audit("registration.no_show_cleared")) == 1
    # Someone who checked in did come; someone waiting has no place to miss.
    await check_in(client, desk["event"], desk["sara"].registration_id)
    r = await client.post(f"{PAGE}/{desk['sara'].registration_id}/no-show", headers=headers)
    assert r.status_code == 409
    r = await client.post(f"{PAGE}/{desk['noor'].registration_id}/no-show", headers=headers)
    assert r.status_code == 409
    r = await client.post(f"{PAGE}/{jan}/explode", headers=headers)
    assert r.status_code == 404


async def test_a_later_filter_plugs_in_through_the_extra_conditions_hook(client, desk):
    """How answers to event questions will filter the list: a package adds a condition
    for its own query parameters; the API, the page and the exports all apply it."""
    from event_ops.people import registration_list

    def by_postcode(extra):
        wanted = extra.get("postcode")
        return (["v.postcode = ?"], [wanted]) if wanted else ([], [])

    await current_engine().fetch("UPDATE visitor SET postcode = '9711 AB' WHERE id = ?",
                                 [desk["noor"].visitor_id])
    registration_list.EXTRA_CONDITIONS.append(by_postcode)
    try:
        body = await listed(client, desk["organiser"], postcode="9711 AB")
        assert names(body) == ["Noor Visser"] and body["counts"]["waiting_list"] == 1
        r = await client.get(API + ".csv", params={"postcode": "9711 AB"},
                             headers=desk["organiser"])
        assert len(r.content.decode("utf-8-sig").strip().splitlines()) == 2
        assert "postcode=9711 AB" in str((await audit("registration.exported"))[-1]["fields"])
        assert (await listed(client, desk["organiser"]))["total"] == 5  # not asked: no filter
    finally:
        registration_list.EXTRA_CONDITIONS.remove(by_postcode)


async def test_two_desks_at_once_give_each_place_once(client, desk):
    """Two organisers press the same button at the same moment (PostgreSQL runs them in
    parallel): one cancellation, one promotion, one mail; two cancellations of different
    people give two different people a place."""
    import asyncio

    headers, db = desk["organiser"], current_engine()
    noor = desk["noor"].registration_id
    answers = await asyncio.gather(*[client.post(f"{PAGE}/{noor}/promote", headers=headers)
                                     for _ in range(2)])
    assert sorted(r.status_code for r in answers) == [303, 409]
    promoted_mails = await db.fetch(
        "SELECT id FROM outbox_mail WHERE kind = 'registration.promoted'")
    assert len(promoted_mails) == 1

    # Someone new waits; two registered people cancel at once: Ahmed and the newcomer
    # both get a place, nobody twice.
    late = await sign_up(desk["event"], 6, "Laat Komer")
    jan, sara = desk["jan"].registration_id, desk["sara"].registration_id
    answers = await asyncio.gather(
        client.post(f"{PAGE}/{jan}/cancel", headers=headers),
        client.post(f"{PAGE}/{sara}/cancel", headers=headers),
        client.post(f"{PAGE}/{sara}/cancel", headers=headers))
    # Sara's second cancel either sees she is cancelled (409) or loses the race inside
    # (nothing changes, and the page says she is cancelled, which is true).
    assert [r.status_code for r in answers[:2]] == [303, 303]
    assert answers[2].status_code in (303, 409)
    status = {r["id"]: r["status"] for r in await db.fetch("SELECT id, status FROM registration")}
    assert status[desk["ahmed"].registration_id] == status[late.registration_id] == "registered"
    assert len(await db.fetch(
        "SELECT id FROM outbox_mail WHERE kind = 'registration.promoted'")) == 3
    assert len(await audit("registration.cancelled")) == 2


async def test_exports_carry_the_answers_to_the_events_questions(client, db):
    """One column per question (form order), each registration's answer as text; defused."""
    from event_ops.questions import service
    from event_ops.questions.service import QuestionInput

    event = await open_event()
    licence = await service.create_question(event.id, QuestionInput(
        kind="several_choices", label_nl="Welk rijbewijs?", label_en="Which licence?",
        options="Auto (B) | Car (B)\nHeftruck | Forklift", share="with_consent"),
        actor="account:0")
    support = await service.create_question(event.id, QuestionInput(
        kind="short_text", label_nl="Wat heb je nodig?", label_en="What do you need?",
        share="never"), actor="account:0")
    car = next(key for key, nl, _ in (await service.questions_for(event.id))[0].options
               if nl.startswith("Auto"))
    await register(event, RegistrationInput(
        name="Sara Bakker", email="s@example.nl", consent_terms=True,
        answers={str(licence): [car], str(support): "=1+1 rolstoel"}))
    await register(event, RegistrationInput(name="Jan de Vries", email="j@example.nl",
                                            consent_terms=True))
    organiser = await signed_in("organiser_admin")
    r = await client.get(API + ".csv", headers=organiser)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[-2:] == ["Welk rijbewijs?", "Wat heb je nodig?"]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_name["Sara Bakker"]["Welk rijbewijs?"] == "Auto (B)"
    assert by_name["Sara Bakker"]["Wat heb je nodig?"] == "'=1+1 rolstoel"  # defused
    assert by_name["Jan de Vries"]["Welk rijbewijs?"] == ""
    english = await client.get(API + ".xlsx", params={"lang": "en"}, headers=organiser)
    sheet = load_workbook(io.BytesIO(english.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-2:] == ["Which licence?", "What do you need?"]
    assert [row[-2] for row in values[1:] if row[1] == "Sara Bakker"] == ["Car (B)"]


async def test_the_list_filters_on_answers_to_the_events_questions(client, db):
    from event_ops.questions import service
    from event_ops.questions.service import QuestionInput

    event = await open_event()
    licence = await service.create_question(event.id, QuestionInput(
        kind="several_choices", label_nl="Welk rijbewijs?", label_en="Which licence?",
        options="Auto (B) | Car (B)\nHeftruck | Forklift", share="with_consent"),
        actor="account:0")
    permit = await service.create_question(event.id, QuestionInput(
        kind="yes_no", label_nl="Mag je hier werken?", label_en="May you work here?",
        share="never"), actor="account:0")
    keys = {nl: key for key, nl, _ in (await service.questions_for(event.id))[0].options}
    car, forklift = keys["Auto (B)"], keys["Heftruck"]
    for n, (name, licences, may_work) in enumerate((
            ("Sara Bakker", [car, forklift], True), ("Jan de Vries", [car], False),
            ("Noor Visser", [], True))):
        await register(event, RegistrationInput(
            name=name, email=f"a{n}@example.nl", consent_terms=True,
            answers={str(licence): licences, str(permit): may_work}))
    organiser = await signed_in("organiser_admin")
    assert names(await listed(client, organiser, **{f"answer.{licence}": forklift})) \
        == ["Sara Bakker"]
    assert names(await listed(client, organiser, **{f"answer.{licence}": car})) \
        == ["Jan de Vries", "Sara Bakker"]
    assert names(await listed(client, organiser, **{f"answer.{permit}": "no"})) \
        == ["Jan de Vries"]
    both = await listed(client, organiser, **{f"answer.{licence}": car,
                                               f"answer.{permit}": "yes"})
    assert names(both) == ["Sara Bakker"] and both["total"] == 1
    page = await client.get(PAGE, params={f"answer.{licence}": forklift}, headers=organiser)
    assert page.status_code == 200
    assert "Welk rijbewijs?" in page.text and "Sara Bakker" in page.text
    assert "Jan de Vries" not in page.text
