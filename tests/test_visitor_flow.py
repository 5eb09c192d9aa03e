"""Issue 13 (visitor side, HTTP level): named errors in the summary, redirect after POST to a
confirmation page with the event, cancelling with a confirmation step, a readable data page."""

from __future__ import annotations

import datetime as dt
import re

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.mail.render import format_when, visitor_page_url
from tests.helpers import open_event, visitor

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def csrf(client, path: str = "/") -> str:
    await client.get(path)
    return client.cookies.get("csrftoken")


async def sign_up(client, slug: str, email: str, name: str = "Sanne de Vries",
                  lang: str = "nl"):
    token = await csrf(client, f"/events/{slug}/register")
    return await client.post(
        f"/events/{slug}/register?lang={lang}",
        data={"name": name, "email": email, "consent_terms": "yes", "language": lang,
              "_csrf_token": token})


async def test_error_summary_names_each_field_and_links_to_it(client, db):
    event = await open_event()
    token = await csrf(client, f"/events/{event.slug}/register")
    r = await client.post(f"/events/{event.slug}/register", data={"_csrf_token": token})
    assert r.status_code == 422
    summary = r.text.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#name">Naam: Vul dit in.</a>' in summary
    assert '<a href="#email">E-mailadres: Vul dit in.</a>' in summary
    assert '<a href="#consent_terms">Voorwaarden:' in summary
    r = await client.post(f"/events/{event.slug}/register?lang=en",
                          data={"_csrf_token": token, "email": "x", "sectors": "nope"})
    summary = r.text.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#name">Name: Please fill this in.</a>' in summary
    assert '<a href="#sectors">Kind of work:' in summary and 'id="sectors"' in r.text


async def test_sign_up_redirects_to_a_confirmation_with_the_event_and_date(client, db):
    event = await open_event()
    r = await sign_up(client, event.slug, "sanne@example.nl")
    assert r.status_code == 303
    location = r.headers["location"]
    assert re.fullmatch(rf"/events/{event.slug}/registered/\d+\.\d+\.[\w-]{{43}}\?lang=nl",
                        location)
    page = await client.get(location)
    assert page.status_code == 200
    title = re.search(r"<title>(.*?)</title>", page.text).group(1)
    assert title == f"Je bent aangemeld! – {event.name}"
    # The date and times keep their left-to-right order inside right-to-left text.
    when = format_when(event.starts_at, event.ends_at, "nl")
    assert f'<dd><bdi dir="ltr">{when}</bdi></dd>' in page.text
    assert "sanne@example.nl" in page.text and "/badges/" in page.text
    # A reload only shows the page again: no second sign-up, no second mail.
    assert (await client.get(location)).status_code == 200
    db_ = current_engine()
    assert len(await db_.fetch("SELECT id FROM registration")) == 1
    assert len(await db_.fetch("SELECT id FROM outbox_mail")) == 1


async def test_confirmation_url_reveals_nothing_about_a_known_address(client, db, monkeypatch):
    first, second = await open_event(), await open_event("second-event")
    await visitor(first, 1)  # v1@example.nl is known already
    r = await sign_up(client, second.slug, "v1@example.nl", lang="en")
    assert r.status_code == 303
    assert r.headers["location"] == f"/events/{second.slug}/registered?lang=en"
    page = await client.get(r.headers["location"])
    assert "Check your e-mail" in page.text and second.name in page.text
    assert "v1@example.nl" not in page.text and "/badges/" not in page.text
    assert "/me/" not in page.text  # never a link to a visitor's own page

    # A brand-new visitor's link stops working after an hour, and cannot be tampered with.
    location = (await sign_up(client, second.slug, "nieuw@example.nl")).headers["location"]
    path = location.split("?")[0]
    head, expires, mac = path.rsplit("/", 1)[1].split(".")
    stretched = f"{path.rsplit('/', 1)[0]}/{head}.{int(expires) + 3600}.{mac}"
    assert "nieuw@example.nl" not in (await client.get(stretched)).text
    later = clock.now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(clock, "now", lambda: later)
    expired = await client.get(location)
    assert expired.status_code == 200 and "nieuw@example.nl" not in expired.text
    assert "/badges/" not in expired.text


async def test_cancel_asks_for_confirmation_and_warns_only_where_it_applies(
        client, db, settings):
    event, full = await open_event(capacity=50), await open_event("full-event", capacity=1)
    unlimited = await open_event("no-limit")
    v = await visitor(event, 1)
    await visitor(full, 2)
    waiting = await visitor(full, 1)  # same person, now on the waiting list there
    assert waiting.status == "waiting_list"
    free = await visitor(unlimited, 1)
    page = visitor_page_url(settings, v.visitor_id, 1).removeprefix("http://127.0.0.1:8000")
    me = await client.get(page)
    warning = "Je plek gaat naar iemand op de wachtlijst"
    cards = me.text.split('<li class="card">')[1:]
    registered_card = next(c for c in cards if event.name in c)
    waiting_card = next(c for c in cards if full.name in c)
    # The list itself only offers the step; the warning is said on the confirmation step.
    assert warning not in waiting_card
    confirm = re.search(rf'href="({page}/cancel/{v.registration_id})"', registered_card)
    assert confirm, "cancelling starts with a link to a confirmation step"
    step = await client.get(confirm.group(1))
    assert step.status_code == 200 and event.name in step.text and warning in step.text
    assert (await current_engine().fetch(
        "SELECT status FROM registration WHERE id = ?", [v.registration_id]))[0]["status"] \
        == "registered"  # looking at the step cancels nothing
    waiting_step = await client.get(f"{page}/cancel/{waiting.registration_id}")
    assert warning not in waiting_step.text and "van de wachtlijst af" in waiting_step.text
    # Without a limit on places nobody is waiting for this place either.
    assert warning not in (await client.get(f"{page}/cancel/{free.registration_id}")).text
    token = client.cookies.get("csrftoken")
    r = await client.post(f"{page}/cancel/{v.registration_id}", data={"_csrf_token": token})
    assert r.status_code == 303
    assert (await current_engine().fetch(
        "SELECT status FROM registration WHERE id = ?", [v.registration_id]))[0]["status"] \
        == "cancelled"


async def test_data_page_is_readable_in_the_visitors_language(client, db, settings):
    from tests.test_privacy import setup_visitor

    _, v, page = await setup_visitor(client, settings)
    r = await client.get(page + "/export")
    assert r.status_code == 200
    text = re.sub(r"<[^>]+>", " ", r.text)
    for raw in ("True", "False", "None", "share_profile", "created_at", "wording_version",
                "+00:00", "checked_in_door", "registration_id"):
        assert raw not in text, raw
    assert re.search(r"\.\d{6}", text) is None  # no microseconds
    assert "<dt>Naam</dt><dd><bdi>Mira Jansen</bdi></dd>" in r.text
    assert "<dt>Werkgevers mogen je naam en contact zien</dt><dd><bdi>Ja</bdi></dd>" in r.text
    assert "<h2 id=\"h-employer_notes\">Wat werkgevers over je noteerden</h2>" in r.text
    assert "<dt>Notitie</dt><dd><bdi>Mira is sterk</bdi></dd>" in r.text
    checked_in = (await current_engine().fetch(
        "SELECT checked_in_at FROM registration WHERE id = ?", [v.registration_id]))[0]
    from event_ops.localtime import local_time

    came_in = local_time(checked_in["checked_in_at"])
    assert f"<dt>Binnengekomen op</dt><dd><bdi>{came_in}</bdi></dd>" in r.text
    en = await client.get(page + "/export?lang=en")
    assert "<dt>Name</dt><dd><bdi>Mira Jansen</bdi></dd>" in en.text
    assert "<dd><bdi>Yes</bdi></dd>" in en.text
    # The JSON download keeps the machine keys.
    data = (await client.get(page + "/export.json")).json()
    assert data["visitor"]["share_profile"] is True
