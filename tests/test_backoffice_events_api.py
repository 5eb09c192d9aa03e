"""The events and programmes API (contract v1.1): create, change with optimistic locking,
a published meeting schedule, archive, copy, the admin token's scope, programme targets and
the programme report that counts only its own events."""

from __future__ import annotations

import asyncio
import datetime as dt

from event_ops.access.tokens import create_token
from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer, add_vacancy
from event_ops.events import editing
from tests.helpers import bearer, open_event, signed_in

CODE = "con-bricklaying"
BODY = {"slug": "zorg-maart-2027", "name": "Matchingsdag Zorg", "kind": "matching",
        "starts": "2027-03-04T09:00:00+01:00", "ends": "2027-03-04T12:00:00+01:00",
        "capacity": 30, "venue": "Stadhuis Assen", "description": "Zorg en welzijn"}


async def admin_token() -> dict[str, str]:
    return {"Authorization": f"Bearer {await create_token(None, role='admin', label='HR')}"}


async def test_admin_token_creates_an_event_with_the_contract_fields(client):
    admin = await admin_token()
    r = await client.post("/api/v1/events", json=BODY, headers=admin)
    assert r.status_code == 201, r.text
    event = r.json()
    assert {k: event[k] for k in ("slug", "name", "kind", "capacity", "venue")} == {
        "slug": "zorg-maart-2027", "name": "Matchingsdag Zorg", "kind": "matching",
        "capacity": 30, "venue": "Stadhuis Assen"}
    # Amsterdam 09:00 in winter is 08:00 UTC.
    assert event["starts"] == "2027-03-04T08:00:00+00:00"
    assert event["version"] == 1 and event["visibility"] == "public"
    assert event["programme"] is not None  # joined the (standard) programme

    again = await client.post("/api/v1/events", json=BODY, headers=admin)
    assert again.status_code == 409 and again.json()["error"] == "slug_taken"

    bad = await client.post("/api/v1/events", headers=admin, json={
        "slug": "X!", "kind": "concert", "starts": "morgen", "ends": "2027-03-04T08:00+01:00"})
    assert bad.status_code == 422
    body = bad.json()
    assert body["error"] == "validation_failed"
    assert set(body["fields"]) >= {"slug", "name", "kind", "starts"}

    listed = await client.get("/api/v1/events", headers=admin)
    assert [e["slug"] for e in listed.json()] == ["zorg-maart-2027"]
    one = await client.get("/api/v1/events/zorg-maart-2027", headers=admin)
    assert one.json()["description"] == "Zorg en welzijn"


async def test_event_tokens_stay_scoped_to_their_event(client):
    mine = await open_event("mine")
    other = await open_event("other")
    organiser = await bearer(mine, "organiser", label="Org")
    r = await client.post("/api/v1/events", json=BODY, headers=organiser)
    assert r.status_code == 403
    r = await client.patch("/api/v1/events/other", json={"name": "Hacked"}, headers=organiser)
    assert r.status_code == 403
    r = await client.patch("/api/v1/events/mine", json={"name": "Mijn dag"}, headers=organiser)
    assert r.status_code == 200 and r.json()["name"] == "Mijn dag"
    staff = await signed_in("organiser_staff", [mine])
    r = await client.post("/api/v1/events", json=BODY, headers=staff)
    assert r.status_code == 403
    listed = await client.get("/api/v1/events", headers=organiser)
    assert [e["slug"] for e in listed.json()] == ["mine"]
    assert other.slug == "other"


async def test_patch_with_an_old_version_is_refused_and_changes_nothing(client):
    admin = await admin_token()
    await client.post("/api/v1/events", json=BODY, headers=admin)
    path = "/api/v1/events/zorg-maart-2027"
    first = await client.patch(path, json={"version": 1, "capacity": 40}, headers=admin)
    assert first.status_code == 200 and first.json()["version"] == 2
    second = await client.patch(path, json={"version": 1, "capacity": 50}, headers=admin)
    assert second.status_code == 409 and second.json()["error"] == "edit_conflict"
    by_header = await client.patch(path, json={"capacity": 50},
                                   headers={**admin, "If-Match": '"1"'})
    assert by_header.status_code == 409
    now = (await client.get(path, headers=admin)).json()
    assert now["capacity"] == 40 and now["version"] == 2


async def test_two_concurrent_edits_one_wins_the_other_gets_a_conflict(client):
    admin = await admin_token()
    await client.post("/api/v1/events", json=BODY, headers=admin)
    path = "/api/v1/events/zorg-maart-2027"
    answers = await asyncio.gather(
        client.patch(path, json={"version": 1, "name": "Versie A"}, headers=admin),
        client.patch(path, json={"version": 1, "name": "Versie B"}, headers=admin))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409], [a.text for a in answers]
    winner = next(a for a in answers if a.status_code == 200).json()["name"]
    now = (await client.get(path, headers=admin)).json()
    assert now["name"] == winner and now["version"] == 2


async def _published_schedule(slug: str) -> int:
    row = await editing.event_row(slug)
    starts = row["starts_at"]
    await current_engine().fetch(
        "INSERT INTO meeting_plan (event, rounds, minutes, pause, starts_at, published_rounds,"
        " published_minutes, published_pause, published_starts_at, updated_at)"
        " VALUES (?, 8, 10, 5, ?, 8, 10, 5, ?, ?)",
        [row["id"], starts, starts, dt.datetime.now(dt.UTC)])
    return row["id"]


async def _plan(event_id: int) -> dict:
    from event_ops.localtime import as_datetime

    row = (await current_engine().fetch(
        "SELECT starts_at, published_starts_at FROM meeting_plan WHERE event = ?",
        [event_id]))[0]
    return {k: as_datetime(v) for k, v in row.items()}


async def test_moving_a_matching_day_with_a_published_schedule_asks_first(client):
    admin = await admin_token()
    await client.post("/api/v1/events", json=BODY, headers=admin)
    event_id = await _published_schedule("zorg-maart-2027")
    path = "/api/v1/events/zorg-maart-2027"
    later = {"starts": "2027-03-04T10:00:00+01:00", "ends": "2027-03-04T13:00:00+01:00"}
    r = await client.patch(path, json=later, headers=admin)
    assert r.status_code == 409 and r.json()["error"] == "schedule_published"
    assert (await client.get(path, headers=admin)).json()["version"] == 1  # nothing written

    r = await client.patch(path, json={**later, "schedule": "move"}, headers=admin)
    assert r.status_code == 200, r.text
    plan = await _plan(event_id)
    moved = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    assert plan["starts_at"] == moved and plan["published_starts_at"] == moved

    r = await client.patch(path, headers=admin, json={
        "starts": "2027-03-04T11:00:00+01:00", "ends": "2027-03-04T14:00:00+01:00",
        "schedule": "keep"})
    assert r.status_code == 200 and r.json()["warnings"] == ["schedule_kept"]
    assert (await _plan(event_id))["published_starts_at"] == moved  # kept

    # Changing something else never asks.
    r = await client.patch(path, json={"venue": "Zaal 2"}, headers=admin)
    assert r.status_code == 200


async def test_every_change_is_in_the_audit_log_with_before_and_after(client):
    admin = await admin_token()
    await client.post("/api/v1/events", json=BODY, headers=admin)
    await client.patch("/api/v1/events/zorg-maart-2027", json={"capacity": 45}, headers=admin)
    rows = await current_engine().fetch(
        "SELECT action, changes FROM audit_entry WHERE subject_type = 'event' ORDER BY id")
    import json

    changes = [json.loads(r["changes"]) if isinstance(r["changes"], str) else r["changes"]
               for r in rows]
    assert [r["action"] for r in rows] == ["event.created", "event.updated"]
    assert changes[1] == {"capacity": [30, 45]}


async def test_invitation_only_and_the_sign_up_window(client):
    admin = await admin_token()
    event = await open_event("open-day")
    path = "/api/v1/events/open-day"
    sign_up = {"name": "Sara Bakker", "email": "sara@example.nl", "consent_terms": True,
               "consent_share_profile": False}
    await client.patch(path, json={"visibility": "invitation_only"}, headers=admin)
    r = await client.post(f"{path}/registrations", json=sign_up)
    assert r.status_code == 403 and r.json()["error"] == "invitation_only"
    listed = await client.get("/")
    assert "open-day" not in listed.text
    page = await client.get("/events/open-day/register")
    assert page.status_code == 403 and "uitnodiging" in page.text

    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)).isoformat()
    await client.patch(path, json={"visibility": "public", "registration_opens": soon},
                       headers=admin)
    r = await client.post(f"{path}/registrations", json=sign_up)
    assert r.status_code == 409 and r.json()["error"] == "registration_not_open"

    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)).isoformat()
    await client.patch(path, headers=admin, json={
        "registration_opens": None, "registration_closes": past})
    r = await client.post(f"{path}/registrations", json=sign_up)
    assert r.status_code == 409 and r.json()["error"] == "registration_closed"

    await client.patch(path, json={"registration_closes": None}, headers=admin)
    assert (await client.post(f"{path}/registrations", json=sign_up)).status_code == 201
    await client.patch(path, json={"archived": True}, headers=admin)
    assert "open-day" not in (await client.get("/")).text
    r = await client.post(f"{path}/registrations", json={**sign_up, "email": "b@example.nl"})
    assert r.status_code == 409 and r.json()["error"] == "registration_closed"
    assert event.slug == "open-day"


async def test_copying_an_event_copies_employers_stands_and_vacancies(db):
    source = await open_event("zorg-jan")
    employer = await add_employer(source, name="Zorg BV", stand_label="A1", sector="care",
                                  contact_email="hr@zorg.example.nl")
    await add_vacancy(employer.id, title="Verzorgende", postcode="9401",
                      competencies=[(CODE, 2, True)])
    row, counts = await editing.copy("cli", "zorg-jan", {
        "slug": "zorg-feb", "name": "Zorg februari", "starts": "2027-02-04T09:00",
        "ends": "2027-02-04T12:00"}, with_employers=True)
    assert counts == {"stands": 1, "employers": 1, "vacancies": 1, "vacancy_competencies": 1}
    copied = await current_engine().fetch(
        "SELECT e.name, e.contact_email, s.label FROM employer e JOIN stand s ON s.id = e.stand"
        " WHERE e.event = ?", [row["id"]])
    assert copied == [{"name": "Zorg BV", "contact_email": "hr@zorg.example.nl",
                       "label": "A1"}]
    bare, counts = await editing.copy("cli", "zorg-jan", {
        "slug": "zorg-mrt", "name": "Zorg maart", "starts": "2027-03-04T09:00",
        "ends": "2027-03-04T12:00"}, with_employers=False)
    assert counts == {} and not await current_engine().fetch(
        "SELECT id FROM employer WHERE event = ?", [bare["id"]])
    assert bare["location"] == source.location


async def test_programmes_api_and_a_report_of_one_programme(client):
    admin = await admin_token()
    first = await open_event("festival-a")  # joins the standard programme
    r = await client.post("/api/v1/programmes", headers=admin, json={
        "name": "Seizoen 2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31",
        "targets": [{"label": "Bezoekers", "measure": "registered", "target": 500}]})
    assert r.status_code == 201, r.text
    programme = r.json()
    assert programme["targets"][0]["measure"] == "registered"
    body = {**BODY, "slug": "dag-2028", "starts": "2028-03-04T09:00+01:00",
            "ends": "2028-03-04T12:00+01:00", "programme": programme["id"]}
    assert (await client.post("/api/v1/events", json=body, headers=admin)).status_code == 201
    sign_up = {"name": "Sara Bakker", "email": "s@example.nl", "consent_terms": True,
               "consent_share_profile": False}
    assert (await client.post("/api/v1/events/dag-2028/registrations",
                              json=sign_up)).status_code == 201
    assert (await client.post("/api/v1/events/festival-a/registrations",
                              json={**sign_up, "email": "t@example.nl"})).status_code == 201

    r = await client.patch(f"/api/v1/programmes/{programme['id']}", headers=admin, json={
        "targets": [{"label": "Bezoekers", "measure": "registered", "target": 400},
                    {"label": "Dag 1", "measure": "registered", "target": 20,
                     "event": "dag-2028"}]})
    assert r.status_code == 200, r.text
    bad = await client.patch(f"/api/v1/programmes/{programme['id']}", headers=admin,
                             json={"targets": [{"label": "x", "measure": "cake",
                                                "target": -1}]})
    assert bad.status_code == 422 and "targets.0.measure" in bad.json()["fields"]

    # The newest programme is the default; only its own event counts.
    report = (await client.get("/api/v1/reports/programme", headers=admin)).json()
    assert report["programme"]["name"] == "Seizoen 2028"
    assert report["totals"]["registered"] == 1
    assert [e["slug"] for e in report["events"]] == ["dag-2028"]
    assert [(t["label"], t["target"], t["actual"]) for t in report["targets"]] == [
        ("Bezoekers", 400, 1)]
    day = (await client.get("/api/v1/events/dag-2028/report", headers=admin)).json()
    assert [(t["label"], t["target"], t["actual"]) for t in day["targets"]] == [
        ("Dag 1", 20, 1)]
    older = (await client.get(f"/api/v1/reports/programme?programme={first.programme}",
                              headers=admin)).json()
    assert [e["slug"] for e in older["events"]] == ["festival-a"]
    assert {t["key"] for t in older["targets"]} >= {"festival.direct", "matching.matches"}
    staff = await signed_in("organiser_staff", [first])
    r = await client.post("/api/v1/programmes", json={"name": "x"}, headers=staff)
    assert r.status_code == 403


async def test_cli_makes_a_programme_wide_admin_token_that_creates_events(client):
    from tests.test_cli_errors import cli

    proc = await asyncio.to_thread(cli, "token", "create", "--role", "admin", "--label",
                                   "HR-koppeling")
    assert proc.returncode == 0, proc.stderr
    token = proc.stdout.strip().splitlines()[-1]
    r = await client.post("/api/v1/events", json=BODY,
                          headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    refused = await asyncio.to_thread(cli, "token", "create", "--role", "door", "--label", "x")
    assert refused.returncode != 0 and "needs --event" in refused.stderr
    rows = await current_engine().fetch("SELECT event, role FROM access_token")
    assert rows == [{"event": None, "role": "admin"}]


async def test_the_openapi_schema_lists_the_new_endpoints(client):
    admin = await admin_token()
    schema = (await client.get("/api/v1/schema/openapi.json", headers=admin)).json()
    paths = schema["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/events"])
    assert "patch" in paths["/api/v1/events/{slug}"]
    assert {"get", "post"} <= set(paths["/api/v1/programmes"])
    assert "patch" in paths["/api/v1/programmes/{programme_id}"]
