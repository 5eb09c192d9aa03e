"""Invitations of visitors (issue 16): the import (all or nothing, row and column named, no
duplicates), the personal link by e-mail over real SMTP (aiosmtpd) and by SMS through a
real local HTTP gateway, invited → opened → registered, invitation-only events, and who
may see what."""

from __future__ import annotations

import io
import re

import msgspec
import pytest
from openpyxl import Workbook

from event_ops import clock
from event_ops.access.tokens import Principal
from event_ops.core import caches
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.mail.outbox import send_due
from event_ops.people import invitations as inv
from tests.helpers import csrf_token, open_event, signed_in
from tests.test_employer_import import dutch_csv
from tests.test_messaging import gateway  # noqa: F401 (the fixture)

HEADER = ["naam", "e-mail", "telefoon", "jobcoach", "taal"]
PAGE = "/admin/events/banendag/invitations"


def upload_id(html: str) -> str:
    found = re.search(r'name="upload_id" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def xlsx(header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def rows_of(table: str) -> list[dict]:
    return await current_engine().fetch(f"SELECT * FROM {table} ORDER BY id")


async def import_page(client, headers, content: bytes, filename: str = "lijst.csv"):
    """Upload, then confirm the preview, as the page's two forms do."""
    r = await client.post(f"{PAGE}/import", headers=headers,
                          files={"file": (filename, content, "text/csv")})
    assert r.status_code == 200, r.text
    r = await client.post(f"{PAGE}/import/confirm", headers=headers,
                          data={"upload_id": upload_id(r.text)})
    assert r.status_code in (302, 303), r.text
    return r


def public_form(client, data: dict) -> dict:
    """A visitor's form post: the CSRF cookie their browser got with the form, and the field."""
    csrf = csrf_token()
    client.cookies.set("csrftoken", csrf)
    return {**data, "_csrf_token": csrf}


def organiser() -> Principal:
    return Principal(actor="account:999", role="organiser_admin", events=None, account_id=999)


def link_in(text: str) -> str:
    found = re.search(r"http://[^\s]+/i/([0-9]+\.[A-Za-z0-9_-]{43})", text)
    assert found, text
    return found.group(1)


async def test_a_sheet_with_broken_rows_stores_nothing_and_names_row_and_column(client, db):
    await open_event("banendag")
    headers = await signed_in("organiser_admin")
    sheet = dutch_csv(HEADER, [
        ["Sara Bakker", "sara@example.nl", "", "", "nl"],
        ["Piet Jansen", "piet@@example", "", "", ""],
        ["Ali Yilmaz", "", "", "", ""],
        ["Anna de Vries", "anna@example.nl", "12", "", ""],
        ["Eva Smit", "eva@example.nl", "", "niemand@example.nl", ""],
        ["Tom Bos", "tom@example.nl", "", "", "frans"],
        ["Sara B.", "SARA@example.nl", "", "", ""],
    ])
    r = await client.post(f"{PAGE}/import", headers=headers,
                          files={"file": ("lijst.csv", sheet, "text/csv")})
    assert r.status_code == 422 and 'role="alert"' in r.text
    problems = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", r.text)
    assert [(row, column) for row, column, _ in problems] == [
        ("3", "e-mail"), ("4", "e-mail"), ("5", "telefoon"), ("6", "jobcoach"), ("7", "taal"),
        ("8", "e-mail")]
    assert "Vul een e-mailadres of een telefoonnummer in." in r.text
    assert "Deze persoon staat ook in rij 2." in r.text
    assert "Er is niets opgeslagen of verstuurd" in r.text
    # English, and an XLSX with the same faults: the same rows and columns.
    r = await client.post(f"{PAGE}/import?lang=en", headers=headers, files={
        "file": ("list.xlsx", xlsx(["name", "email", "phone"],
                                   [["Sara Bakker", "sara@example.nl", None],
                                    ["X", None, "0612345678"]]), "application/octet-stream")})
    assert r.status_code == 422 and "A name has 2 to 200 characters." in r.text
    assert "<tr><td>3</td><td>name</td>" in r.text
    assert await rows_of("visitor_invitation") == [] and await rows_of("outbox_mail") == []
    # Not a sheet at all, or no way to reach anyone: plain errors, nothing stored.
    r = await client.post(f"{PAGE}/import", headers=headers,
                          files={"file": ("a.csv", b"\x00\x01garbage", "text/csv")})
    assert r.status_code == 422 and "CSV" in r.text
    r = await client.post(f"{PAGE}/import", headers=headers,
                          files={"file": ("a.csv", dutch_csv(["naam"], [["Sara"]]), "text/csv")})
    assert r.status_code == 422 and "email of phone" in r.text
    assert await rows_of("visitor_invitation") == []


async def test_e_mail_invitations_over_smtp_then_opened_and_registered(
        client, db, settings, smtp_server):
    url, sink = smtp_server
    await open_event("banendag")
    headers = await signed_in("organiser_admin")
    sheet = dutch_csv(HEADER, [
        ["Sara Bakker", "sara@example.nl", "06 1234 5678", "", "nl"],
        ["Anna Kowalska", "anna@example.com", "", "", "en"],
        ["Youssef El Amrani", "", "0612345679", "", ""],
    ])
    r = await client.post(f"{PAGE}/import", headers=headers,
                          files={"file": ("lijst.csv", sheet, "text/csv")})
    assert r.status_code == 200
    # The preview: nothing stored or sent yet; the phone-only row cannot go (SMS is off).
    assert "3 nieuwe mensen (2 per e-mail, 0 per sms, 1 niet te versturen)" in r.text
    assert "Sms staat uit" in r.text
    assert await rows_of("visitor_invitation") == []
    r = await client.post(f"{PAGE}/import/confirm", headers=headers,
                          data={"upload_id": upload_id(r.text)})
    assert r.status_code in (302, 303)
    page = (await client.get(r.headers["location"], headers=headers)).text
    assert "Klaar: 3 mensen uitgenodigd, 0 waren al uitgenodigd." in page
    assert "3 uitgenodigd: 3 nog niet geopend, 0 geopend, 0 aangemeld." in page
    assert "1 uitnodigingen zijn niet verstuurd." in page and "niet verstuurd" in page

    sent, failed = await send_due(msgspec.structs.replace(settings, smtp_url=url))
    assert (sent, failed) == (2, 0)
    mails = {m["To"]: m for m in sink.messages}
    assert set(mails) == {"sara@example.nl", "anna@example.com"}
    assert mails["anna@example.com"]["Subject"] == "Invitation: Event banendag"
    body = mails["sara@example.nl"].get_body(preferencelist=("plain",)).get_content()
    assert "Beste Sara Bakker" in body
    token = link_in(body)
    # The link carries a number and a MAC, nothing personal.
    assert "sara" not in token.lower() and "@" not in token

    r = await client.get(f"/i/{token}")
    assert r.status_code == 200
    assert 'value="Sara Bakker"' in r.text and 'value="sara@example.nl"' in r.text
    assert 'value="+31612345678"' in r.text and f'action="/i/{token}?lang=nl"' in r.text
    status = {i["name"]: i["status"] for i in await rows_of("visitor_invitation")}
    assert status["Sara Bakker"] == "opened" and status["Anna Kowalska"] == "invited"
    r = await client.post(f"/i/{token}?lang=nl", data=public_form(client, {
        "name": "Sara Bakker", "email": "sara@example.nl", "phone": "06 1234 5678",
        "language": "nl", "consent_terms": "yes"}))
    assert r.status_code == 303, r.text
    registration = (await rows_of("registration"))[0]
    assert registration["source"] == "invitation"
    row = next(i for i in await rows_of("visitor_invitation") if i["name"] == "Sara Bakker")
    assert row["status"] == "registered" and row["registration_id"] == registration["id"]
    page = (await client.get(f"{PAGE}?lang=en", headers=headers)).text
    assert "3 invited: 2 not opened yet, 0 opened, 1 signed up." in page
    # A wrong link is a plain 404 page, and changes nothing.
    r = await client.get(f"/i/{token[:-2]}xx")
    assert r.status_code == 404 and "Deze uitnodiging bestaat niet" in r.text


async def test_sms_invitations_through_the_gateway_and_resend_once_sms_is_on(
        db, settings, gateway):  # noqa: F811 (the fixture)
    event = await open_event("banendag")
    sheet = dutch_csv(["name", "phone"], [["Youssef El Amrani", "0612345679"]])
    # SMS off: stored, marked not sent, nothing queued; resending cannot go either.
    result = await inv.import_invitations(event, sheet, principal=organiser(), sms_on=False)
    assert (result.created, result.not_sent) == (1, 1) and await rows_of("outbox_mail") == []
    invitation = (await rows_of("visitor_invitation"))[0]
    assert invitation["channel"] == "none" and invitation["sent_count"] == 0
    with pytest.raises(DomainError) as refused:
        await inv.resend(event.id, invitation["id"], organiser(), sms_on=False)
    assert refused.value.code == "invitation_unsendable"
    # SMS on: the resend goes through the outbox's SMS channel to the gateway.
    assert await inv.resend(event.id, invitation["id"], organiser(), sms_on=True) == "sms"
    cfg = msgspec.structs.replace(settings, sms_url=gateway.url, sms_token="k3y")
    assert await send_due(cfg) == (1, 0)
    [got] = gateway.received
    assert got["json"]["recipients"] == ["+31612345679"] and got["auth"] == "AccessKey k3y"
    assert "Event banendag" in got["json"]["body"]
    token = link_in(got["json"]["body"])
    assert (await inv.invitation_for_token(settings.secret_key, token))["id"] == invitation["id"]
    row = (await rows_of("visitor_invitation"))[0]
    assert row["channel"] == "sms" and row["sent_count"] == 1
    # A later import with SMS on sends at once; a gateway that is down loses nothing.
    more = dutch_csv(["name", "phone"], [["Fatima Ouali", "+31 6 11122233"]])
    await inv.import_invitations(event, more, principal=organiser(), sms_on=True)
    gateway.status = 503
    assert await send_due(cfg) == (0, 1)
    pending = [m for m in await rows_of("outbox_mail") if m["status"] == "pending"]
    assert len(pending) == 1 and pending[0]["channel"] == "sms"
    actions = [a["action"] for a in await rows_of("audit_entry")]
    assert actions.count("invitations.imported") == 2 and "invitation.resent" in actions
    assert not any("Youssef" in str(a["changes"]) or "0612" in str(a["changes"])
                   for a in await rows_of("audit_entry"))


async def test_re_importing_the_same_people_does_not_duplicate(db):
    event = await open_event("banendag")
    sheet = dutch_csv(HEADER, [["Sara Bakker", "sara@example.nl", "", "", ""],
                               ["Youssef El Amrani", "", "06-12345679", "", ""]])
    first = await inv.import_invitations(event, sheet, principal=organiser(), sms_on=False)
    assert (first.created, first.known) == (2, 0)
    again = dutch_csv(HEADER, [["Sara B.", "SARA@example.nl ", "", "", ""],
                               ["Y. El Amrani", "", "+31612345679", "", ""],
                               ["Nieuw Iemand", "nieuw@example.nl", "", "", ""]])
    preview = await inv.import_invitations(event, again, principal=organiser(), sms_on=False,
                                           dry_run=True)
    assert (preview.created, preview.known) == (1, 2)
    second = await inv.import_invitations(event, again, principal=organiser(), sms_on=False)
    assert (second.created, second.known) == (1, 2)
    assert len(await rows_of("visitor_invitation")) == 3
    # One invitation mail each: nobody got a second one by importing again.
    assert sorted(m["recipient"] for m in await rows_of("outbox_mail")) == [
        "nieuw@example.nl", "sara@example.nl"]
    # Another event is another invitation.
    other = await open_event("zorgdag")
    assert (await inv.import_invitations(other, sheet, principal=organiser(),
                                         sms_on=False)).created == 2


async def test_an_invitation_only_event_is_reachable_through_the_link_only(client, db, settings):
    event = await open_event("banendag")
    await current_engine().fetch("UPDATE event SET visibility = 'invitation_only' WHERE id = ?",
                                 [event.id])
    caches.clear_all()
    await inv.import_invitations(event, dutch_csv(["name", "email"],
                                                  [["Sara Bakker", "sara@example.nl"]]),
                                 principal=organiser(), sms_on=False)
    invitation = (await rows_of("visitor_invitation"))[0]
    token = inv.invitation_token(settings.secret_key, invitation["id"])
    form = public_form(client, {"name": "Sara Bakker", "email": "sara@example.nl",
                                "language": "nl", "consent_terms": "yes"})
    # Without the link: refused, nothing stored.
    assert (await client.get("/events/banendag/register")).status_code == 403
    r = await client.post("/events/banendag/register", data=form)
    assert r.status_code == 403 and await rows_of("registration") == []
    # With it: the form, and the sign-up.
    r = await client.get(f"/i/{token}?lang=en")
    assert r.status_code == 200 and "You are invited" in r.text
    r = await client.post(f"/i/{token}", data=form)
    assert r.status_code == 303, r.text
    [registration] = await rows_of("registration")
    assert registration["source"] == "invitation" and registration["status"] == "registered"
    # Someone else's token for another id does not verify.
    forged = f"{invitation['id'] + 1}.{token.split('.')[1]}"
    assert (await client.get(f"/i/{forged}")).status_code == 404


async def test_who_may_see_and_resend_which_invitations(client, db):
    event = await open_event("banendag")
    other = await open_event("zorgdag")
    coach_a = await signed_in("job_coach", [event], email="coach.a@gemeente.example.nl")
    coach_b = await signed_in("job_coach", [event], email="coach.b@gemeente.example.nl")
    coach_c = await signed_in("job_coach", [event], email="coach.c@gemeente.example.nl")
    organiser_headers = await signed_in("organiser_staff", [event])
    # Coach A imports two people; one names coach C as their coach.
    await import_page(client, coach_a, dutch_csv(HEADER, [
        ["Sara Bakker", "sara@example.nl", "", "", ""],
        ["Piet Jansen", "piet@example.nl", "", "coach.c@gemeente.example.nl", ""]]))
    seen = {}
    for who, headers in (("a", coach_a), ("b", coach_b), ("c", coach_c),
                         ("organiser", organiser_headers)):
        page = (await client.get(PAGE, headers=headers)).text
        seen[who] = {name for name in ("Sara Bakker", "Piet Jansen") if name in page}
    assert seen == {"a": {"Sara Bakker", "Piet Jansen"}, "b": set(), "c": {"Piet Jansen"},
                    "organiser": {"Sara Bakker", "Piet Jansen"}}
    sara = next(i for i in await rows_of("visitor_invitation") if i["name"] == "Sara Bakker")
    assert sara["coach_account"] == sara["imported_by"]  # a coach's import names the coach
    # Coach B cannot resend what they cannot see (and learns nothing of it).
    r = await client.post(f"{PAGE}/{sara['id']}/resend", headers=coach_b)
    assert r.status_code == 404
    r = await client.post(f"{PAGE}/{sara['id']}/resend", headers=coach_a)
    assert r.status_code in (302, 303)
    to_sara = [m for m in await rows_of("outbox_mail") if m["recipient"] == "sara@example.nl"]
    assert len(to_sara) == 2
    # Other roles, other events, and nobody logged in.
    elsewhere = await signed_in("organiser_staff", [other])
    assert (await client.get(PAGE, headers=elsewhere)).status_code == 403
    coach_elsewhere = await signed_in("job_coach", [other])
    assert (await client.get(PAGE, headers=coach_elsewhere)).status_code == 403
    r = await client.post(f"{PAGE}/import", headers=coach_elsewhere,
                          files={"file": ("a.csv", b"naam;email\nX Y;x@y.nl\n", "text/csv")})
    assert r.status_code == 403
    r = await client.get(PAGE)
    assert r.status_code in (302, 303) and "/login" in r.headers["location"]
    assert len(await rows_of("visitor_invitation")) == 2


async def test_erasure_and_retention_remove_the_invitations(db):
    import datetime as dt

    from event_ops.privacy.erasure import erase_visitor, purge_expired_invitations
    from tests.helpers import visitor

    event = await open_event("banendag")
    await inv.import_invitations(event, dutch_csv(["name", "email", "phone"], [
        ["Sara Bakker", "v1@example.nl", ""], ["Piet Jansen", "piet@example.nl", "0612345678"]]),
        principal=organiser(), sms_on=False)
    outcome = await visitor(event, 1)  # v1@example.nl signs up and later asks to be erased
    await erase_visitor(outcome.visitor_id, "visitor:self")
    assert [i["name"] for i in await rows_of("visitor_invitation")] == ["Piet Jansen"]
    # Past the event's retention period, the rest goes too.
    assert await purge_expired_invitations(clock.now()) == 0
    assert await purge_expired_invitations(clock.now() + dt.timedelta(days=3 * 366)) == 1
    assert await rows_of("visitor_invitation") == []


async def test_two_imports_of_one_sheet_at_once_invite_each_person_once(db):
    import asyncio

    event = await open_event("banendag")
    sheet = dutch_csv(["name", "email"], [[f"Persoon {n}", f"p{n}@example.nl"]
                                          for n in range(40)])
    results = await asyncio.gather(*[
        inv.import_invitations(event, sheet, principal=organiser(), sms_on=False)
        for _ in range(3)])
    assert sorted(r.created for r in results) == [0, 0, 40]
    assert len(await rows_of("visitor_invitation")) == 40
    assert len(await rows_of("outbox_mail")) == 40


async def test_no_invitation_for_someone_who_opted_out(db, settings, smtp_server):
    from event_ops.messaging.service import set_opt_out
    from tests.helpers import visitor

    url, sink = smtp_server
    event = await open_event("banendag")
    other = await open_event("zorgdag")
    sara = await visitor(other, 1)
    await visitor(other, 2)
    await set_opt_out(sara.visitor_id, True, actor="visitor:self")
    await inv.import_invitations(event, dutch_csv(["name", "email"], [
        ["Sara Bakker", "v1@example.nl"], ["Tom Bos", "v2@example.nl"]]),
        principal=organiser(), sms_on=False)
    before = len(sink.messages)
    await send_due(msgspec.structs.replace(settings, smtp_url=url))
    invitations = [m for m in sink.messages[before:] if "Uitnodiging" in m["Subject"]]
    assert [m["To"] for m in invitations] == ["v2@example.nl"]
    # A known visitor's invitation carries the unsubscribe headers.
    assert invitations[0]["List-Unsubscribe"].startswith("<http")


async def test_the_templates_import_as_they_are(client, db):
    await open_event("banendag")
    headers = await signed_in("job_coach", [await open_event("zorgdag")])
    assert (await client.get(f"{PAGE}/template.csv", headers=headers)).status_code == 403
    headers = await signed_in("organiser_admin")
    for kind in ("csv", "xlsx"):
        r = await client.get(f"{PAGE}/template.{kind}", headers=headers)
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
        people, problems = await inv.check_sheet(r.content, None)
        assert not problems and len(people) == len(inv.TEMPLATE_ROWS)
    assert r.content.startswith(b"PK")
    csv_body = (await client.get(f"{PAGE}/template.csv", headers=headers)).content
    assert csv_body.startswith(b"\xef\xbb\xbfname;email;phone;coach;language")
