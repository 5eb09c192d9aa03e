"""The registration page of the back office shows the visitor's answers to the event's
sign-up questions, in form order and in the page language; a question left open says so.
(HTTP level, so it runs on SQLite and PostgreSQL; the browser journey checks it too.)"""

from __future__ import annotations

import re

from tests.helpers import open_event, signed_in
from tests.test_questions import body, make_questions


def answers_shown(html: str) -> list[tuple[str, str]]:
    section = html.split('<h2>Antwoorden op de vragen</h2>', 1)[1].split("</dl>", 1)[0]
    return re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section)


async def test_the_registration_page_shows_the_answers(client, db):
    event = await open_event()
    q = await make_questions(event)
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, {
        str(q["one"]): "o2", str(q["several"]): ["o1", "o2"], str(q["yes_no"]): False}))
    assert r.status_code == 201, r.text
    organiser = await signed_in("organiser_admin")
    url = f"/admin/events/{event.slug}/registrations/{r.json()['id']}"
    page = await client.get(url, headers=organiser)
    assert page.status_code == 200
    assert answers_shown(page.text) == [
        ("Wat heb je nodig?", "Geen antwoord"), ("Welke tolk?", "Turks"),
        ("Welk rijbewijs?", "Auto (B), Heftruck"), ("Mag je hier werken?", "Nee")]
    english = await client.get(url + "?lang=en", headers=organiser)
    assert "<h2>Answers to the questions</h2>" in english.text
    assert "<dt>Which interpreter?</dt><dd>Turkish</dd>" in english.text


async def test_an_event_without_questions_shows_no_answers_section(client, db):
    event = await open_event()
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, {}))
    assert r.status_code == 201, r.text
    page = await client.get(f"/admin/events/{event.slug}/registrations/{r.json()['id']}",
                            headers=await signed_in("organiser_admin"))
    assert page.status_code == 200 and "Antwoorden op de vragen" not in page.text
