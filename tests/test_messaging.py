"""Organisers' messages, reminders, the SMS channel and unsubscribing: over real SMTP
(aiosmtpd) and a real local HTTP server standing in for the SMS gateway."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import msgspec
import pytest

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.events.service import create_event
from event_ops.localtime import AMSTERDAM
from event_ops.mail.outbox import failed_mails, send_due
from event_ops.messaging.selection import Selection
from event_ops.messaging.service import (
    Draft,
    count_recipients,
    message_progress,
    queue_due_reminders,
    reminder_due,
    send_message,
)
from event_ops.people.registration import RegistrationInput, register
from tests.conftest import free_port
from tests.helpers import signed_in

DRAFT = Draft(subject_nl="Parkeren", body_nl="Parkeer bij de P+R.",
              subject_en="Parking", body_en="Park at the P+R.")


class Gateway:
    """A local SMS gateway: records every JSON POST; ``status`` is what it answers."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append({"json": json.loads(body),
                                         "auth": self.headers.get("Authorization")})
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/messages"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    g = Gateway()
    yield g
    g.close()


async def sign_up(event, n: int, *, lang: str = "nl", email: bool = True, phone: str = ""):
    return await register(event, RegistrationInput(
        name=f"Bezoeker {n}", email=f"b{n}@example.nl" if email else f"b{n}@example.nl",
        phone=phone, consent_terms=True, language=lang))


async def test_message_reaches_the_selection_in_each_language_once(festival, settings,
                                                                   smtp_server):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url)
    await sign_up(festival, 1)
    await sign_up(festival, 2, lang="en")
    checked = await sign_up(festival, 3)
    await current_engine().fetch("UPDATE registration SET checked_in_at = ? WHERE id = ?",
                                 [clock.now(), checked.registration_id])
    await send_due(cfg)  # the confirmations
    sink.messages.clear()

    selection = Selection(statuses=("registered",), attendance="not_checked_in")
    assert (await count_recipients(festival.id, selection, sms_on=False))["total"] == 2
    message_id = await send_message(festival.id, DRAFT, selection, actor="account:1",
                                    sms_on=False)
    assert (await message_progress(message_id))["pending"] == 2
    assert await send_due(cfg) == (2, 0)
    by_to = {m["To"]: m for m in sink.messages}
    assert set(by_to) == {"b1@example.nl", "b2@example.nl"}
    assert by_to["b1@example.nl"]["Subject"] == "Parkeren"
    assert by_to["b2@example.nl"]["Subject"] == "Parking"
    assert "Park at the P+R." in by_to["b2@example.nl"].get_body(("plain",)).get_content()
    progress = await message_progress(message_id)
    assert (progress["sent"], progress["done"], progress["total"]) == (2, 2, 2)
    assert await send_due(cfg) == (0, 0)  # sent once
    stored = await current_engine().fetch(
        "SELECT COUNT(*) AS n FROM message_recipient WHERE message = ?", [message_id])
    assert stored[0]["n"] == 2


async def test_message_to_nobody_is_refused_and_nothing_stored(festival):
    from event_ops.core.errors import DomainError

    await sign_up(festival, 1)
    with pytest.raises(DomainError) as refused:
        await send_message(festival.id, DRAFT, Selection(statuses=("waiting_list",)),
                           actor="account:1", sms_on=False)
    assert refused.value.code == "no_recipients"
    db = current_engine()
    assert (await db.fetch("SELECT COUNT(*) AS n FROM message"))[0]["n"] == 0
    assert (await db.fetch(
        "SELECT COUNT(*) AS n FROM outbox_mail WHERE kind LIKE 'message.%'"))[0]["n"] == 0


async def test_every_visitor_mail_unsubscribes_and_opted_out_get_no_messages(
        festival, settings, smtp_server, client):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url)
    await sign_up(festival, 1)
    await sign_up(festival, 2)
    await send_due(cfg)
    confirmation = next(m for m in sink.messages if m["To"] == "b1@example.nl")
    header = confirmation["List-Unsubscribe"]
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header.strip("<>")
    assert link in confirmation.get_body(("plain",)).get_content()
    path = link.split("8000", 1)[-1]

    # Opening the link changes nothing (mail scanners open links); the button does.
    page = await client.get(path)
    assert page.status_code == 200 and "Stop met berichten" in page.text
    assert (await current_engine().fetch(
        "SELECT messages_opt_out FROM visitor WHERE email = 'b1@example.nl'"))[0][
        "messages_opt_out"] in (False, 0)
    # A mail program's one-click POST: no cookie, no CSRF token.
    done = await client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Klaar" in done.text
    assert (await client.get(path.replace(".", ".x", 1))).status_code == 404

    sink.messages.clear()
    await send_message(festival.id, DRAFT, Selection(), actor="account:1", sms_on=False)
    await send_due(cfg)
    assert [m["To"] for m in sink.messages] == ["b2@example.nl"]
    assert sink.messages[0]["List-Unsubscribe"]


def test_reminder_times():
    starts = dt.datetime(2027, 3, 10, 9, 0, tzinfo=AMSTERDAM).astimezone(dt.UTC)
    at = lambda day, hour: dt.datetime(2027, 3, day, hour, 0, tzinfo=AMSTERDAM)  # noqa: E731
    assert not reminder_due("reminder.two_days", starts, at(8, 8))
    assert reminder_due("reminder.two_days", starts, at(8, 9))
    assert not reminder_due("reminder.morning", starts, at(9, 23))
    # Morning of the day: from 07:00, or an hour before an early start.
    assert reminder_due("reminder.morning", starts, at(10, 7))
    assert not reminder_due("reminder.two_days", starts, at(10, 7))
    assert not reminder_due("reminder.morning", starts, at(10, 9))  # started
    early = dt.datetime(2027, 3, 10, 7, 30, tzinfo=AMSTERDAM)
    assert reminder_due("reminder.morning", early, early - dt.timedelta(minutes=59))


async def test_reminders_go_once_with_badge_and_skip_the_opted_out(
        db, settings, smtp_server, monkeypatch):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url)
    starts = clock.now().replace(microsecond=0) + dt.timedelta(days=2, hours=-1)
    event = await create_event(slug="zorgdag", name="Matchingsdag Zorg", kind="matching",
                               starts_at=starts, ends_at=starts + dt.timedelta(hours=3),
                               location="Assen")
    for n in range(5):
        await sign_up(event, n)
    await current_engine().fetch(
        "UPDATE visitor SET messages_opt_out = ? WHERE email = 'b4@example.nl'", [True])
    await send_due(cfg)
    sink.messages.clear()

    # Two processes' task loops look at the same moment: each reminder is queued once.
    counts = await asyncio.gather(*(queue_due_reminders() for _ in range(4)))
    assert sum(counts) == 4
    assert await queue_due_reminders() == 0
    assert await send_due(cfg) == (4, 0)
    assert sorted(m["To"] for m in sink.messages) == [f"b{n}@example.nl" for n in range(4)]
    mail = sink.messages[0]
    assert mail["Subject"] == "Over twee dagen: Matchingsdag Zorg"
    assert any(p.get_filename() == "badge.pdf" for p in mail.iter_attachments())
    assert mail["List-Unsubscribe"]


async def test_sms_through_the_gateway_retries_and_shows_failures(
        festival, settings, smtp_server, gateway):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url, sms_url=gateway.url,
                                  sms_token="k3y", sms_sender="Werkfest")
    await register(festival, RegistrationInput(name="Piet Mulder", email="p@example.nl",
                                               phone="06 1234 5678", consent_terms=True))
    await send_due(cfg)
    sink.messages.clear()
    selection = Selection(channels="sms")
    message_id = await send_message(festival.id, DRAFT, selection, actor="account:1",
                                    sms_on=True)
    gateway.status = 503  # the gateway is down: nothing lost, tried again later
    assert await send_due(cfg) == (0, 1)
    assert (await message_progress(message_id))["pending"] == 1
    gateway.status = 200
    later = clock.now() + dt.timedelta(minutes=5)
    import event_ops.clock as clock_module

    real_now = clock_module.now
    clock_module.now = lambda: later  # type: ignore[assignment]
    try:
        assert await send_due(cfg) == (1, 0)
    finally:
        clock_module.now = real_now  # type: ignore[assignment]
    sent = gateway.received[-1]
    assert sent["auth"] == "AccessKey k3y"
    assert sent["json"]["recipients"] == ["+31612345678"]
    assert sent["json"]["originator"] == "Werkfest"
    assert sent["json"]["body"].startswith("Parkeren\nParkeer bij de P+R.")
    assert "/unsubscribe/" in sent["json"]["body"] and len(sent["json"]["body"]) <= 480
    assert sink.messages == []

    # A gateway that keeps failing: the organisers see it in the failure list.
    gateway.status = 500
    await send_message(festival.id, DRAFT, selection, actor="account:1", sms_on=True)
    rows = await current_engine().fetch("SELECT id FROM outbox_mail WHERE channel = 'sms'"
                                        " AND status = 'pending'")
    await current_engine().fetch("UPDATE outbox_mail SET attempts = 8 WHERE id = ?",
                                 [rows[0]["id"]])
    assert await send_due(cfg) == (0, 1)
    failed = await failed_mails(festival.id)
    assert failed and failed[0]["channel"] == "sms" and "500" in failed[0]["last_error"]


async def test_without_a_gateway_sms_is_off(festival, settings):
    await register(festival, RegistrationInput(name="Piet Mulder", email="p@example.nl",
                                               phone="0612345678", consent_terms=True))
    counts = await count_recipients(festival.id, Selection(channels="sms"), sms_on=False)
    assert (counts["mail"], counts["sms"]) == (1, 0)  # falls back to e-mail


async def test_messages_page_preview_send_and_progress(festival, client, settings):
    await sign_up(festival, 1)
    await sign_up(festival, 2, lang="en")
    headers = await signed_in("organiser_staff", [festival])
    page = await client.get(f"/admin/events/{festival.slug}/messages", headers=headers)
    assert page.status_code == 200
    assert "Sms staat uit" in page.text
    form = {"statuses": "registered", "attendance": "any", "language": "any",
            "channels": "mail", "subject_nl": "Parkeren", "body_nl": "Parkeer bij de P+R.",
            "subject_en": "", "body_en": "", "_csrf_token": headers["X-CSRFToken"]}
    preview = await client.post(f"/admin/events/{festival.slug}/messages/preview",
                                data=form, headers=headers)
    assert preview.status_code == 200
    assert "2 mensen krijgen dit bericht: 2 per e-mail, 0 per sms." in preview.text
    assert (await current_engine().fetch("SELECT COUNT(*) AS n FROM message"))[0]["n"] == 0
    sent = await client.post(f"/admin/events/{festival.slug}/messages", data=form,
                             headers=headers)
    assert sent.status_code == 303
    detail = await client.get(sent.headers["location"], headers=headers)
    assert "Verstuurd: 0 van 2" in detail.text and 'data-pending="2"' in detail.text
    progress = await client.get(sent.headers["location"].split("?")[0] + "/progress",
                                headers=headers)
    assert progress.json()["pending"] == 2
    assert "Bezoeker 1" in detail.text and "Bezoeker 2" in detail.text

    nobody = {**form, "statuses": "cancelled"}
    refused = await client.post(f"/admin/events/{festival.slug}/messages/preview",
                                data=nobody, headers=headers)
    assert refused.status_code == 422 and "Niemand past bij deze keuze" in refused.text
    empty = await client.post(f"/admin/events/{festival.slug}/messages/preview",
                              data={**form, "body_nl": ""}, headers=headers)
    assert empty.status_code == 422 and "Vul dit in." in empty.text


async def test_job_coaches_and_devices_cannot_send_messages(festival, client):
    headers = await signed_in("job_coach", [festival])
    page = await client.get(f"/admin/events/{festival.slug}/messages", headers=headers)
    assert page.status_code == 403


async def test_organisers_see_failed_sends_and_queue_them_again(festival, client):
    await sign_up(festival, 1)
    await current_engine().fetch(
        "UPDATE outbox_mail SET status = 'failed', last_error = 'SMTPServerDisconnected: x'")
    headers = await signed_in("organiser_staff", [festival])
    page = await client.get(f"/admin/events/{festival.slug}/messages", headers=headers)
    assert "1 berichten konden niet weg" in page.text and "SMTPServerDisconnected" in page.text
    again = await client.post(f"/admin/events/{festival.slug}/messages/retry",
                              data={"_csrf_token": headers["X-CSRFToken"]}, headers=headers)
    assert again.status_code == 303
    rows = await current_engine().fetch("SELECT status FROM outbox_mail")
    assert [r["status"] for r in rows] == ["pending"]


async def test_visitor_turns_messages_off_on_own_page_and_sees_it_in_the_export(
        festival, client, settings):
    from event_ops.mail.render import visitor_page_url
    from event_ops.privacy.export import visitor_export
    from tests.helpers import csrf_token

    outcome = await sign_up(festival, 1)
    me = visitor_page_url(settings, outcome.visitor_id, 1).split("8000", 1)[-1]
    page = await client.get(me)
    assert "Zet herinneringen en berichten uit" in page.text
    csrf = csrf_token()
    off = await client.post(me + "/messages", data={"messages": "off", "_csrf_token": csrf},
                            headers={"Cookie": f"csrftoken={csrf}"})
    assert off.status_code == 303
    page = await client.get(me)
    assert "Je krijgt geen herinneringen en berichten." in page.text
    export = await visitor_export(outcome.visitor_id)
    assert export["visitor"]["messages_opt_out"] in (True, 1)
    assert await count_recipients(festival.id, Selection(), sms_on=False) == {
        "mail": 0, "sms": 0, "unreachable": 0, "nl": 0, "en": 0, "total": 0}
