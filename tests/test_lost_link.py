"""Issue 13.6: "send me my link again" by e-mail address. The same answer whether or not the
address is known; one mail per address per 10 minutes; the route is rate limited."""

from __future__ import annotations

import datetime as dt

import httpx
import msgspec

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.mail.outbox import send_due
from event_ops.mail.render import visitor_page_url
from tests.helpers import early_in_the_minute, open_event, visitor


async def ask(client, email: str, lang: str = "nl") -> httpx.Response:
    await client.get(f"/me/new-link?lang={lang}")
    r = await client.post(f"/me/new-link?lang={lang}",
                          data={"email": email, "_csrf_token": client.cookies.get("csrftoken")})
    return r


async def test_the_invalid_link_page_leads_to_the_request_form(client, db):
    r = await client.get("/me/1." + "A" * 43)
    assert r.status_code == 404 and "Vraag een nieuwe link aan" in r.text
    assert 'href="/me/new-link?lang=nl"' in r.text
    form = await client.get("/me/new-link")
    assert form.status_code == 200 and 'name="email"' in form.text


async def test_same_answer_for_known_and_unknown_address_and_one_mail_per_10_minutes(
        client, db, settings, smtp_server, monkeypatch):
    event = await open_event()
    v = await visitor(event, 1, name="Mira Jansen")
    db_ = current_engine()
    await db_.fetch("DELETE FROM outbox_mail")  # the sign-up's own confirmation
    known, unknown = await ask(client, " V1@Example.nl "), await ask(client, "nobody@example.nl")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["location"] == unknown.headers["location"]
    page_known = await client.get(known.headers["location"])
    page_unknown = await client.get(unknown.headers["location"])
    assert page_known.text.replace(client.cookies.get("csrftoken") or "", "") == \
        page_unknown.text.replace(client.cookies.get("csrftoken") or "", "")
    assert "Kennen we dit e-mailadres?" in page_known.text
    mails = await db_.fetch("SELECT kind, recipient FROM outbox_mail")
    assert mails == [{"kind": "visitor.link", "recipient": "v1@example.nl"}]

    await ask(client, "v1@example.nl")  # again at once: no second mail
    assert len(await db_.fetch("SELECT id FROM outbox_mail")) == 1
    url, sink = smtp_server
    assert await send_due(msgspec.structs.replace(settings, smtp_url=url)) == (1, 0)
    body = sink.messages[0].get_body(preferencelist=("plain",)).get_content()
    link = visitor_page_url(settings, v.visitor_id, 1)
    assert link in body and "Hallo Mira," in body
    assert sink.messages[0]["To"] == "v1@example.nl"
    assert (await client.get(link.removeprefix("http://127.0.0.1:8000"))).status_code == 200

    later = clock.now() + dt.timedelta(minutes=11)
    monkeypatch.setattr(clock, "now", lambda: later)
    await ask(client, "v1@example.nl")
    assert len(await db_.fetch("SELECT id FROM outbox_mail")) == 2


async def test_link_requests_are_rate_limited(server_factory, db):
    base = server_factory(EVENTOPS_RATE_LIMIT="3")
    await early_in_the_minute()  # a flooding client's refusals also wait a second each
    async with httpx.AsyncClient(base_url=base) as http:
        codes = [(await http.post("/me/new-link", data={"email": f"x{i}@example.nl"})).status_code
                 for i in range(5)]
    # The first ones reach the route (and fail only the CSRF check); then the limit holds
    # (3 a minute here; a stricter bucket for mail-sending routes may allow fewer).
    assert codes[0] == 403 and codes[-2:] == [429, 429]
    assert codes == sorted(codes)  # once refused, refused
