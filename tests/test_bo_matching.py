"""The back office's matching-day page (/admin/events/{slug}/matching): wishes entered on
behalf of employers and visitors, build, pin, unpin, remove and publish with plain forms;
what visitors and employers then see; the refusals people read; who may use it."""

from __future__ import annotations

import json
import re

from event_ops.core.db import current_engine
from event_ops.mail.render import visitor_page_url
from tests.helpers import bearer, signed_in
from tests.test_matching import make_employer, make_event, make_visitor

CARE = [("car-personal-care", 3, True), ("car-medication", 2, True), ("gen-dutch-b1", 1, False)]
ICT = [("ict-java", 3, True), ("ict-linux", 2, False)]


async def matching_day():
    event = await make_event()
    zorg = await make_employer(event, "Zorggroep Noord", "A1", "care", CARE)
    tech = await make_employer(event, "Techniek BV", "A2", "ict", ICT, )
    anna = await make_visitor(event, 1, {"car-personal-care": 3, "car-medication": 2},
                              name="Anna Jansen")
    bram = await make_visitor(event, 2, {"car-personal-care": 2}, name="Bram de Vries")
    cees = await make_visitor(event, 3, {"ict-java": 4, "ict-linux": 2}, name="Cees Bos",
                              sectors=("ict",), share=False)
    return event, zorg, tech, anna, bram, cees


def page_of(event) -> str:
    return f"/admin/events/{event.slug}/matching"


async def meetings(event, published: bool) -> set[tuple[int, int, int, bool]]:
    rows = await current_engine().fetch(
        "SELECT round, registration, employer, pinned FROM meeting WHERE event = ?"
        " AND published = ?", [event.id, published])
    return {(r["round"], r["registration"], r["employer"], bool(r["pinned"])) for r in rows}


async def test_wishes_build_pin_remove_publish_and_what_people_then_see(client, db, settings):
    event, zorg, tech, anna, bram, cees = await matching_day()
    admin = await signed_in("organiser_admin")
    base = page_of(event)

    page = await client.get(base, headers=admin)
    assert page.status_code == 200
    assert "Zorggroep Noord" in page.text and "Anna Jansen" in page.text
    assert "Er is nog geen rooster." in page.text

    # The employer's wishes: best fit first, with the engine's reasons.
    page = await client.get(f"{base}?employer={zorg.id}", headers=admin)
    assert page.status_code == 200
    assert page.text.index("Anna Jansen ·") < page.text.index("Cees Bos ·")
    assert "Beste vacature: Vacature Zorggroep Noord" in page.text
    assert "Mist" in page.text  # Bram lacks medication, a required skill
    saved = await client.post(f"{base}/employer-wishes", headers=admin, data={
        "employer_id": str(zorg.id), f"choice-{anna.registration_id}": "must",
        f"choice-{bram.registration_id}": "no", f"choice-{cees.registration_id}": "none"})
    assert saved.status_code == 303
    assert "done=employer_saved" in saved.headers["location"]
    page = await client.get(saved.headers["location"], headers=admin)
    assert "De wensen van de werkgever zijn opgeslagen." in page.text
    assert re.search(rf'name="choice-{anna.registration_id}" value="must"\s+checked', page.text)

    # A visitor's wishes, on their behalf.
    saved = await client.post(f"{base}/visitor-wishes", headers=admin, data={
        "registration_id": str(cees.registration_id), f"choice-{tech.id}": "must",
        f"choice-{zorg.id}": "no"})
    assert saved.status_code == 303
    prefs = await current_engine().fetch(
        "SELECT registration, employer, side, choice FROM meeting_preference ORDER BY id")
    assert {(p["registration"], p["employer"], p["side"], p["choice"]) for p in prefs} == {
        (anna.registration_id, zorg.id, "employer", "must"),
        (bram.registration_id, zorg.id, "employer", "no"),
        (cees.registration_id, tech.id, "visitor", "must"),
        (cees.registration_id, zorg.id, "visitor", "no"),
    }
    # Audited as before -> after, by the organiser, with ids only.
    audit = await current_engine().fetch(
        "SELECT actor, action, subject_id, changes FROM audit_entry WHERE action LIKE"
        " 'preferences.%' ORDER BY id")
    assert [a["action"] for a in audit] == ["preferences.employer.set_by_organiser",
                                            "preferences.visitor.set_by_organiser"]
    assert json.loads(audit[0]["changes"]) == {
        f"registration:{anna.registration_id}": [None, "must"],
        f"registration:{bram.registration_id}": [None, "no"]}
    assert audit[0]["actor"].startswith("account:")
    assert "Anna" not in audit[0]["changes"]

    # Build: 3 rounds; nobody said no is met.
    built = await client.post(f"{base}/build", headers=admin, data={
        "rounds": "3", "minutes": "10", "pause": "5", "starts_at": "2030-03-01T13:00"})
    assert built.status_code == 303
    draft = await meetings(event, published=False)
    pairs = {(r, e) for _, r, e, _ in draft}
    assert (anna.registration_id, zorg.id) in pairs and (cees.registration_id, tech.id) in pairs
    assert (bram.registration_id, zorg.id) not in pairs
    assert (cees.registration_id, zorg.id) not in pairs
    page = await client.get(f"{base}?lang=en", headers=admin)
    assert f"Draft: {len(draft)} meetings. Not published yet." in page.text
    assert "Round 1 · 13:00" in page.text and "Round 3 · 13:30" in page.text
    assert 'id="schedule-grid"' in page.text and 'class="table-scroll bo-wide"' in page.text

    # Pin Anna with Zorggroep in round 3; it stays there after another build.
    pinned = await client.post(f"{base}/pin", headers=admin, data={
        "round": "3", "registration_id": str(anna.registration_id),
        "employer_id": str(zorg.id)})
    assert pinned.status_code == 303
    await client.post(f"{base}/build", headers=admin, data={})
    assert (3, anna.registration_id, zorg.id, True) in await meetings(event, published=False)
    unpinned = await client.post(f"{base}/unpin", headers=admin, data={
        "registration_id": str(anna.registration_id), "employer_id": str(zorg.id)})
    assert unpinned.status_code == 303
    assert not any(p for *_, p in await meetings(event, published=False))

    # Remove Cees with Techniek: gone, and it stays out of the next build.
    removed = await client.post(f"{base}/remove", headers=admin, data={
        "registration_id": str(cees.registration_id), "employer_id": str(tech.id)})
    assert removed.status_code == 303
    await client.post(f"{base}/build", headers=admin, data={})
    final = await meetings(event, published=False)
    assert (cees.registration_id, tech.id) not in {(r, e) for _, r, e, _ in final}

    # Publish: a confirmation step first (a GET changes nothing), then the button.
    confirm = await client.get(f"{base}/publish", headers=admin)
    assert confirm.status_code == 200 and "Ja, publiceren" in confirm.text
    assert await meetings(event, published=True) == set()
    published = await client.post(f"{base}/publish", headers=admin, data={})
    assert published.status_code == 303
    assert {m[:3] for m in await meetings(event, published=True)} == {m[:3] for m in final}
    page = await client.get(published.headers["location"], headers=admin)
    assert "Het rooster is gepubliceerd." in page.text

    # What the visitor sees on their own page, and the employer on its tablet's API.
    anna_meetings = sorted((r, e) for r, g, e, _ in final if g == anna.registration_id)
    me = visitor_page_url(settings, anna.visitor_id, 1).split("8000", 1)[-1]
    mine = await client.get(f"{me}/preferences/{event.slug}")
    assert mine.status_code == 200
    # The time sits in <bdi dir="ltr"> so it reads the same inside a right-to-left page.
    times = re.findall(r'<td><bdi dir="ltr">(\d\d:\d\d)</bdi></td><td>(\d+)</td><td>([^<]+)</td>',
                       mine.text)
    assert [name for *_, name in times] == [
        {zorg.id: "Zorggroep Noord", tech.id: "Techniek BV"}[e] for _, e in anna_meetings]
    tablet = await client.get(f"/api/v1/events/{event.slug}/schedule/mine",
                              headers=await bearer(event, "employer", "Zorg", zorg.id))
    assert tablet.status_code == 200
    assert sorted((m["round"], m["registration_id"]) for m in tablet.json()) == sorted(
        (r, g) for r, g, e, _ in final if e == zorg.id)

    # Every change is in the audit log.
    actions = [a["action"] for a in await current_engine().fetch(
        "SELECT action FROM audit_entry WHERE action LIKE 'schedule.%' ORDER BY id")]
    for action in ("schedule.built", "schedule.pinned", "schedule.unpinned",
                   "schedule.removed", "schedule.published"):
        assert action in actions


async def test_refusals_are_shown_in_plain_words_and_change_nothing(client, db):
    event, zorg, tech, anna, bram, cees = await matching_day()
    admin = await signed_in("organiser_admin")
    base = page_of(event)
    # Publishing with nothing built.
    refused = await client.post(f"{base}/publish", headers=admin, data={})
    assert refused.status_code == 409
    assert "Er is geen concept. Maak eerst een rooster." in refused.text
    assert 'role="alert"' in refused.text
    # A "no" blocks pinning.
    await client.post(f"{base}/employer-wishes", headers=admin, data={
        "employer_id": str(zorg.id), f"choice-{bram.registration_id}": "no"})
    refused = await client.post(f"{base}/pin?lang=en", headers=admin, data={
        "round": "1", "registration_id": str(bram.registration_id),
        "employer_id": str(zorg.id)})
    assert refused.status_code == 409
    assert "One of them said no to this meeting. It cannot be pinned." in refused.text
    # Bad settings: the form keeps what was typed.
    refused = await client.post(f"{base}/build", headers=admin, data={
        "rounds": "99", "minutes": "10", "pause": "5"})
    assert refused.status_code == 422
    assert "1 tot 24 rondes" in refused.text and 'value="99"' in refused.text
    refused = await client.post(f"{base}/build", headers=admin, data={"rounds": "drie"})
    assert refused.status_code == 422
    # Two pins in the way of each other.
    await client.post(f"{base}/build", headers=admin, data={"rounds": "2"})
    await client.post(f"{base}/pin", headers=admin, data={
        "round": "1", "registration_id": str(anna.registration_id),
        "employer_id": str(zorg.id)})
    refused = await client.post(f"{base}/pin", headers=admin, data={
        "round": "1", "registration_id": str(cees.registration_id),
        "employer_id": str(zorg.id)})
    assert refused.status_code == 409 and "Een ander vast gesprek zit in de weg." in refused.text
    # A choice that is not offered; an unknown employer.
    refused = await client.post(f"{base}/employer-wishes", headers=admin, data={
        "employer_id": str(zorg.id), f"choice-{anna.registration_id}": "maybe"})
    assert refused.status_code == 422
    refused = await client.post(f"{base}/employer-wishes", headers=admin, data={
        "employer_id": "999999", f"choice-{anna.registration_id}": "must"})
    assert refused.status_code == 404
    assert await current_engine().fetch(
        "SELECT id FROM meeting_preference WHERE choice IN ('maybe', 'must')") == []
    # A festival has no matching page.
    from tests.helpers import open_event

    festival = await open_event("festival-x")
    refused = await client.get(page_of(festival), headers=admin)
    assert refused.status_code == 409 and "Dit kan alleen bij een matchingsdag." in refused.text


async def test_only_organisers_of_the_event_may(client, db):
    event, zorg, *_ = await matching_day()
    other = await make_event("andere-dag")
    base = page_of(event)
    # Not logged in: to the login page.
    anonymous = await client.get(base)
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["location"]
    for role, events in (("job_coach", [event]), ("organiser_staff", [other])):
        headers = await signed_in(role, events)
        assert (await client.get(base, headers=headers)).status_code == 403
        posted = await client.post(f"{base}/build", headers=headers, data={})
        assert posted.status_code == 403
    assert await current_engine().fetch("SELECT id FROM meeting") == []
    staff = await signed_in("organiser_staff", [event])
    assert (await client.get(base, headers=staff)).status_code == 200
    # Device tokens do not open back-office pages: they are sent to the login page.
    for role, employer in (("door", None), ("employer", zorg.id)):
        headers = await bearer(event, role, role, employer)
        answer = await client.get(base, headers=headers)
        assert answer.status_code in (302, 303) and "/login" in answer.headers["location"]
        posted = await client.post(f"{base}/build", headers=headers, data={})
        assert posted.status_code in (302, 303, 403)
    # A form without the CSRF token is refused.
    cookie_only = {"Cookie": staff["Cookie"]}
    assert (await client.post(f"{base}/build", headers=cookie_only,
                              data={})).status_code == 403
    assert await current_engine().fetch("SELECT id FROM meeting") == []
