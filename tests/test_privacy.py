"""A visitor's rights: see everything held about them, and be forgotten; retention."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer
from event_ops.mail.render import visitor_page_url
from event_ops.privacy.erasure import purge_expired
from tests.conftest import ROOT
from tests.helpers import badge, bearer, open_event, visitor


async def setup_visitor(client, settings):
    event = await open_event()
    v = await visitor(event, 1, name="Mira Jansen", share=True)
    door = await bearer(event)
    token = await badge(event, v.registration_id)
    await client.post(f"/api/v1/events/{event.slug}/checkins", headers=door, json={"token": token})
    employer = await add_employer(event, name="Zorg BV", stand_label="A1", sector="care")
    tablet = await bearer(event, "employer", employer_id=employer.id)
    r = await client.post(f"/api/v1/events/{event.slug}/interests", headers=tablet,
                          json={"token": token, "level": "direct", "note": "Mira is sterk"})
    assert r.status_code == 201
    page = visitor_page_url(settings, v.visitor_id, 1).removeprefix("http://127.0.0.1:8000")
    return event, v, page


async def test_export_holds_everything_including_who_saw_the_profile(client, db, settings):
    _, v, page = await setup_visitor(client, settings)
    r = await client.get(page + "/export.json")
    assert r.status_code == 200
    data = r.json()
    assert data["visitor"]["name"] == "Mira Jansen"
    assert data["registrations"][0]["checked_in_door"] == "Door North"
    assert data["employer_notes"][0]["note"] == "Mira is sterk"
    assert any(a["action"] == "profile.viewed" for a in data["who_saw_your_profile"])
    assert {c["kind"] for c in data["consents"]} == {"terms", "share_profile"}
    readable = await client.get(page + "/export")
    assert readable.status_code == 200 and "Mira is sterk" in readable.text


async def test_erasure_removes_personal_data_but_keeps_counts(client, db, settings):
    event, v, page = await setup_visitor(client, settings)
    await client.get(page)
    csrf = client.cookies.get("csrftoken")
    r = await client.post(page + "/erase", data={"confirm": "no"}, headers={"x-csrftoken": csrf})
    assert r.status_code == 422
    r = await client.post(page + "/erase", data={"confirm": "yes"},
                          headers={"x-csrftoken": csrf})
    assert r.status_code == 200
    db_ = current_engine()
    row = (await db_.fetch("SELECT * FROM visitor WHERE id = ?", [v.visitor_id]))[0]
    assert "Mira" not in row["name"] and "example.nl" not in row["email"]
    assert row["phone"] == "" and row["postcode"] == ""
    assert await db_.fetch("SELECT * FROM profile_competency") == []
    assert (await db_.fetch("SELECT note FROM interest"))[0]["note"] == ""
    # Counts survive: the registration (checked in) and the interest still exist.
    assert len(await db_.fetch("SELECT id FROM registration WHERE checked_in_at IS NOT NULL")) == 1
    assert len(await db_.fetch("SELECT id FROM interest")) == 1
    # The secret link is dead.
    assert (await client.get(page)).status_code == 404


async def test_retention_purge_dry_run_then_apply_with_faked_time(db, monkeypatch):
    event = await open_event()
    await visitor(event, 1, name="Old Visitor")
    later = event.ends_at + dt.timedelta(days=30.44 * 12 + 1)
    assert await purge_expired(apply=False, now=event.ends_at + dt.timedelta(days=30)) == []
    due = await purge_expired(apply=False, now=later)
    assert len(due) == 1
    assert (await current_engine().fetch("SELECT name FROM visitor"))[0]["name"] == "Old Visitor"
    monkeypatch.setattr(clock, "now", lambda: later)
    await purge_expired(apply=True, now=later)
    assert (await current_engine().fetch("SELECT name FROM visitor"))[0]["name"] != "Old Visitor"


def test_retention_cli_is_a_dry_run_by_default(db):
    proc = subprocess.run([sys.executable, "-m", "app.cli", "retention", "purge"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "dry run" in proc.stdout


def test_audit_changes_keep_before_and_after_of_changed_fields_only():
    from event_ops.audit import changes

    assert changes({"name": "A", "capacity": 30}, {"name": "B", "capacity": 30, "venue": "X"}) \
        == {"name": ["A", "B"], "venue": [None, "X"]}
