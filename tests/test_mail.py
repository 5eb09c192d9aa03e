"""Confirmation mail over real SMTP (aiosmtpd), with retry when the server is down."""

from __future__ import annotations

import datetime as dt

import icalendar
import msgspec

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.mail.outbox import send_due
from event_ops.people.registration import RegistrationInput, register
from tests.conftest import free_port


def visitor(email="jan@example.nl", **kw) -> RegistrationInput:
    return RegistrationInput(name="Jan de Vries", email=email, consent_terms=True, **kw)


async def test_confirmation_delivered_with_valid_ics(festival, settings, smtp_server):
    url, sink = smtp_server
    cfg = msgspec.structs.replace(settings, smtp_url=url)
    outcome = await register(festival, visitor(language="en"))
    sent, failed = await send_due(cfg)
    assert (sent, failed) == (1, 0)
    assert len(sink.messages) == 1
    msg = sink.messages[0]
    assert msg["To"] == "jan@example.nl"
    assert "Werkfestival 2.0" in msg["Subject"]
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Hello Jan," in text
    assert f"/badges/{outcome.registration_id}." in text
    assert "/me/" in text
    ics_parts = [p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(ics_parts) == 1
    cal = icalendar.Calendar.from_ical(ics_parts[0].get_payload(decode=True))
    events = cal.walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart") == festival.starts_at
    assert events[0].decoded("dtend") == festival.ends_at
    assert str(events[0]["summary"]) == "Werkfestival 2.0"
    pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_filename() == "badge.pdf"
    import pypdfium2
    import zxingcpp

    page = pypdfium2.PdfDocument(pdfs[0].get_payload(decode=True))[0]
    qr = zxingcpp.read_barcodes(page.render(scale=4).to_pil())
    assert len(qr) == 1 and qr[0].text.startswith("EO1.")  # scans like the printed one
    rows = await current_engine().fetch("SELECT status, sent_at FROM outbox_mail")
    assert rows[0]["status"] == "sent" and rows[0]["sent_at"] is not None
    # Nothing is sent twice.
    assert await send_due(cfg) == (0, 0)


async def test_dutch_mail_by_default(festival, settings, smtp_server):
    url, sink = smtp_server
    await register(festival, visitor())
    await send_due(msgspec.structs.replace(settings, smtp_url=url))
    assert "Hallo Jan," in sink.messages[0].get_body(("plain",)).get_content()


async def test_smtp_down_keeps_registration_and_sends_later(
    festival, settings, smtp_server, monkeypatch
):
    url, sink = smtp_server
    dead = msgspec.structs.replace(settings, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    outcome = await register(festival, visitor())
    assert await send_due(dead) == (0, 1)
    rows = await current_engine().fetch("SELECT * FROM outbox_mail")
    assert rows[0]["status"] == "pending" and rows[0]["attempts"] == 1
    assert "ConnectionRefused" in rows[0]["last_error"]
    regs = await current_engine().fetch("SELECT id, status FROM registration")
    assert regs == [{"id": outcome.registration_id, "status": "registered"}]

    # Not due yet: backoff holds it back.
    assert await send_due(msgspec.structs.replace(settings, smtp_url=url)) == (0, 0)
    later = clock.now() + dt.timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert await send_due(msgspec.structs.replace(settings, smtp_url=url)) == (1, 0)
    assert len(sink.messages) == 1


async def test_gives_up_after_max_attempts_and_organiser_can_retry(
    festival, settings, smtp_server, monkeypatch
):
    from event_ops.mail import outbox

    url, sink = smtp_server
    dead = msgspec.structs.replace(settings, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    await register(festival, visitor())
    t = clock.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        t += dt.timedelta(hours=2)
        monkeypatch.setattr(clock, "now", lambda t=t: t)
        await send_due(dead, now=t)
    assert await outbox.mail_status(festival.id) == {"failed": 1}
    assert await outbox.retry_failed(festival.id) == 1
    assert await send_due(msgspec.structs.replace(settings, smtp_url=url), now=t) == (1, 0)
    assert len(sink.messages) == 1


async def test_organisers_see_failed_sends_and_can_retry(client, festival, settings, monkeypatch):
    from event_ops.mail import outbox
    from tests.helpers import bearer

    dead = msgspec.structs.replace(settings, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    await register(festival, visitor())
    t = clock.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        t += dt.timedelta(hours=2)
        await send_due(dead, now=t)
    organiser = await bearer(festival, "organiser")
    r = await client.get("/api/v1/events/werkfestival/mail", headers=organiser)
    assert r.json()["counts"] == {"failed": 1}
    failed = r.json()["failed"][0]
    assert failed["recipient"] == "jan@example.nl" and "ConnectionRefused" in failed["last_error"]
    r = await client.post("/api/v1/events/werkfestival/mail/retry", headers=organiser)
    assert r.json() == {"queued": 1}
    door = await bearer(festival, "door")
    assert (await client.get("/api/v1/events/werkfestival/mail", headers=door)).status_code == 403
