"""The back-office pages for events and programmes over HTTP: create, edit with optimistic
locking (two people editing at once), the published-schedule question, copy, archive, and
programmes with targets. Browser checks (widths, axe-core) are in
tests/test_backoffice_events_browser.py."""

from __future__ import annotations

import datetime as dt
import re

from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer
from event_ops.events import editing
from tests.helpers import open_event, signed_in


def csrf_of(page: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


FORM = {"name": "Matchingsdag Techniek", "kind": "matching", "starts": "2027-04-08T09:00",
        "ends": "2027-04-08T12:00", "venue": "Alfa-college", "address": "Zernikeplein 1",
        "route": "Bus 15 tot Zernike", "description": "Techniek en ICT", "capacity": "30",
        "registration_opens": "", "registration_closes": "2027-04-07T23:59",
        "languages": ["nl", "en"], "retention_months": "12", "visibility": "public",
        "badge_size": "card"}


async def post_form(client, path, headers, data):
    page = await client.get(path, headers=headers)
    assert page.status_code == 200, page.text[:300]
    return await client.post(path, headers=headers,
                             data={**data, "_csrf_token": csrf_of(page.text)})


async def test_an_admin_creates_an_event_in_amsterdam_time(client):
    admin = await signed_in("organiser_admin")
    r = await post_form(client, "/admin/events/new", admin, {**FORM, "slug": "techniek-april"})
    assert r.status_code == 303, r.text[:2000]
    assert r.headers["location"].startswith("/admin/events/techniek-april")
    row = await editing.event_row("techniek-april")
    # 09:00 in Amsterdam on 8 April 2027 (summer time) is 07:00 UTC.
    assert editing.local_value(row["starts_at"]) == "2027-04-08T09:00"
    assert row["languages"] == "nl,en" and row["route"] == "Bus 15 tot Zernike"
    page = await client.get(r.headers["location"], headers=admin)
    assert 'value="2027-04-08T09:00"' in page.text and "Het evenement is gemaakt." in page.text
    # The page's language menu still names its languages (the form's own list of an event's
    # languages once took its place: links without a name).
    assert re.search(r'<a href="[^"]*lang=en&amp;remember=1" lang="en"[^>]*>English</a>',
                     page.text)

    listed = await client.get("/admin/events?lang=en", headers=admin)
    assert "Matchingsdag Techniek" in listed.text


async def test_bad_input_is_shown_next_to_the_fields_and_kept(client):
    admin = await signed_in("organiser_admin")
    r = await post_form(client, "/admin/events/new", admin, {
        **FORM, "slug": "Te Kort!", "name": "", "ends": "2027-04-08T08:00"})
    assert r.status_code == 422
    assert 'role="alert"' in r.text and "Vul dit in." in r.text
    assert "Het einde moet na het begin liggen." in r.text
    assert 'value="Te Kort!"' in r.text and 'value="Alfa-college"' in r.text  # kept
    assert not await current_engine().fetch("SELECT id FROM event")


async def test_two_people_edit_at_once_the_second_save_is_refused_and_nothing_is_lost(client):
    event = await open_event("techniek")
    anna = await signed_in("organiser_admin")
    bram = await signed_in("organiser_staff", [event])
    path = "/admin/events/techniek"
    anna_page = await client.get(path, headers=anna)
    bram_page = await client.get(path, headers=bram)
    for page in (anna_page, bram_page):
        assert 'name="version" value="1"' in page.text
    current = (await editing.event_row("techniek"))
    base = {**FORM, "kind": "festival", "starts": editing.local_value(current["starts_at"]),
            "ends": editing.local_value(current["ends_at"]), "registration_closes": "",
            "version": "1"}
    r = await client.post(path, headers=anna, data={
        **base, "venue": "Martiniplaza", "_csrf_token": csrf_of(anna_page.text)})
    assert r.status_code == 303
    r = await client.post(path, headers=bram, data={
        **base, "venue": "Stadhuis", "capacity": "55", "_csrf_token": csrf_of(bram_page.text)})
    assert r.status_code == 409
    assert "Iemand anders heeft dit evenement veranderd" in r.text
    assert 'value="Stadhuis"' in r.text and 'value="55"' in r.text  # Bram's input kept
    assert "Nu opgeslagen: Martiniplaza" in r.text  # Anna's value shown next to it
    assert 'name="version" value="2"' in r.text
    row = await editing.event_row("techniek")
    assert row["location"] == "Martiniplaza" and row["version"] == 2
    # Saving again, now knowing, works.
    r = await client.post(path, headers=bram, data={
        **base, "venue": "Stadhuis", "version": "2", "_csrf_token": csrf_of(r.text)})
    assert r.status_code == 303
    assert (await editing.event_row("techniek"))["location"] == "Stadhuis"


async def test_the_page_asks_what_to_do_with_a_published_schedule(client):
    admin = await signed_in("organiser_admin")
    r = await post_form(client, "/admin/events/new", admin, {**FORM, "slug": "techniek-april"})
    row = await editing.event_row("techniek-april")
    await current_engine().fetch(
        "INSERT INTO meeting_plan (event, rounds, minutes, pause, starts_at, published_rounds,"
        " published_minutes, published_pause, published_starts_at, updated_at)"
        " VALUES (?, 8, 10, 5, ?, 8, 10, 5, ?, ?)",
        [row["id"], row["starts_at"], row["starts_at"], dt.datetime.now(dt.UTC)])
    path = "/admin/events/techniek-april"
    later = {**FORM, "starts": "2027-04-08T10:00", "ends": "2027-04-08T13:00", "version": "1"}
    r = await post_form(client, path, admin, later)
    assert r.status_code == 409
    assert "Schuif alle gesprekken even ver mee" in r.text and 'value="2027-04-08T10:00"' in r.text
    assert (await editing.event_row("techniek-april"))["version"] == 1
    r = await client.post(path, headers=admin, data={
        **later, "schedule": "keep", "_csrf_token": csrf_of(r.text)})
    assert r.status_code == 303 and "kept=1" in r.headers["location"]
    page = await client.get(r.headers["location"], headers=admin)
    assert "de gesprekken houden hun oude tijden" in page.text
    kept = (await current_engine().fetch(
        "SELECT published_starts_at FROM meeting_plan WHERE event = ?", [row["id"]]))[0]
    assert editing.local_value(kept["published_starts_at"]) == "2027-04-08T09:00"

    # Later again, and this time the meetings move along: 11:00 → round 1 at 10:00.
    later = {**later, "starts": "2027-04-08T11:00", "ends": "2027-04-08T14:00", "version": "2"}
    r = await post_form(client, path, admin, later)
    assert r.status_code == 409
    r = await client.post(path, headers=admin, data={
        **later, "schedule": "move", "_csrf_token": csrf_of(r.text)})
    assert r.status_code == 303 and "moved=1" in r.headers["location"]
    moved = (await current_engine().fetch(
        "SELECT starts_at, published_starts_at FROM meeting_plan WHERE event = ?",
        [row["id"]]))[0]
    assert editing.local_value(moved["published_starts_at"]) == "2027-04-08T10:00"
    assert editing.local_value(moved["starts_at"]) == "2027-04-08T10:00"


async def test_copy_with_employers_and_archive(client):
    source = await open_event("zorg-jan")
    await add_employer(source, name="Zorg BV", stand_label="A1", sector="care")
    admin = await signed_in("organiser_admin")
    r = await post_form(client, "/admin/events/zorg-jan/copy", admin, {
        "slug": "zorg-feb", "name": "Zorg februari", "starts": "2027-02-04T09:00",
        "ends": "2027-02-04T12:00", "with_employers": "yes"})
    assert r.status_code == 303, r.text[:1500]
    page = await client.get(r.headers["location"], headers=admin)
    assert "Mee gekopieerd: 1 werkgevers en 0 vacatures." in page.text
    r = await client.post("/admin/events/zorg-feb/archive", headers=admin,
                          data={"_csrf_token": csrf_of(page.text)})
    assert r.status_code == 303
    assert "Zorg februari" not in (await client.get("/admin/events", headers=admin)).text
    assert "Zorg februari" in (await client.get("/admin/events?show=archived",
                                                headers=admin)).text
    staff = await signed_in("organiser_staff", [source])
    assert (await client.get("/admin/events/zorg-jan/copy", headers=staff)).status_code == 403
    assert (await client.get("/admin/events/new", headers=staff)).status_code == 403


async def test_programme_pages_create_and_set_targets(client):
    event = await open_event("festival-x")
    admin = await signed_in("organiser_admin")
    r = await post_form(client, "/admin/programmes", admin, {
        "name": "Seizoen 2028", "description": "", "starts_on": "2028-01-01",
        "ends_on": "2027-01-01", "standard": "yes"})
    assert r.status_code == 422 and "Het einde moet na het begin liggen." in r.text
    r = await client.post("/admin/programmes", headers=admin, data={
        "name": "Seizoen 2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31",
        "standard": "yes", "_csrf_token": csrf_of(r.text)})
    assert r.status_code == 303
    path = r.headers["location"].split("?")[0]
    page = await client.get(path, headers=admin)
    assert page.text.count("<fieldset") == 6  # 5 standard targets + a new one
    r = await client.post(path, headers=admin, data={
        "name": "Seizoen 2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31",
        "t0-key": "festival.direct", "t0-label": "Direct", "t0-measure": "direct",
        "t0-target": "150", "t0-event": "", "t0-event_kind": "festival",
        "t0-events_planned": "1",
        "t1-key": "", "t1-label": "Oud", "t1-measure": "training", "t1-target": "5",
        "t1-event": "", "t1-event_kind": "", "t1-events_planned": "1", "t1-remove": "yes",
        "t2-key": "", "t2-label": "Bezoekers", "t2-measure": "registered", "t2-target": "x",
        "t2-event": "", "t2-event_kind": "", "t2-events_planned": "1",
        "_csrf_token": csrf_of(page.text)})
    assert r.status_code == 422 and "Vul een geldig getal in." in r.text
    assert 'value="Bezoekers"' in r.text
    r = await client.post(path, headers=admin, data={
        "name": "Seizoen 2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31",
        "t0-key": "festival.direct", "t0-label": "Direct", "t0-measure": "direct",
        "t0-target": "150", "t0-event": "", "t0-event_kind": "festival",
        "t0-events_planned": "1",
        "t1-key": "", "t1-label": "Bezoekers", "t1-measure": "registered", "t1-target": "40",
        "t1-event": "", "t1-event_kind": "", "t1-events_planned": "1",
        "_csrf_token": csrf_of(r.text)})
    assert r.status_code == 303
    rows = await current_engine().fetch(
        "SELECT key, measure, target FROM programme_target t JOIN programme p"
        " ON p.id = t.programme WHERE p.name = 'Seizoen 2028' ORDER BY t.id")
    assert rows == [{"key": "festival.direct", "measure": "direct", "target": 150},
                    {"key": "bezoekers", "measure": "registered", "target": 40}]
    listed = await client.get("/admin/programmes?lang=en", headers=admin)
    assert "Seizoen 2028" in listed.text and "Perspectief op Werk" in listed.text
    assert event.programme is not None


async def test_the_list_shows_fifty_events_a_page_and_filters_by_programme(client):
    admin = await signed_in("organiser_admin")
    start = dt.datetime(2027, 1, 5, 8, tzinfo=dt.UTC)
    for n in range(55):
        await editing.create("test", {
            "slug": f"dag-{n:02d}", "name": f"Dag {n:02d}", "kind": "matching",
            "starts": (start + dt.timedelta(days=n)).isoformat(),
            "ends": (start + dt.timedelta(days=n, hours=3)).isoformat()})
    first = await client.get("/admin/events", headers=admin)
    assert first.text.count('<th scope="row">') == 50
    assert "Pagina 1 van 2 (55 evenementen)" in first.text and "Dag 00" in first.text
    second = await client.get("/admin/events?page=2&show=nonsense", headers=admin)
    assert second.text.count('<th scope="row">') == 5 and "Dag 54" in second.text
    other = await client.post("/api/v1/programmes", headers=admin,
                              json={"name": "Seizoen 2028"})
    moved = await client.patch("/api/v1/events/dag-03", headers=admin,
                               json={"programme": other.json()["id"]})
    assert moved.status_code == 200, moved.text
    only = await client.get(f"/admin/events?programme={other.json()['id']}", headers=admin)
    assert only.text.count('<th scope="row">') == 1 and "Dag 03" in only.text
