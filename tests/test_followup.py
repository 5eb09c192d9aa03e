"""Follow-up: matches from interests, the status pipeline, the board API and its role checks,
idle reminders and checkpoints with faked time, and the after-event mails (consent)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import subprocess
import sys

import msgspec
import pytest

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.employers.service import add_employer
from event_ops.followup.pipeline import FINAL_STATUSES, TRANSITIONS, check_transition
from event_ops.followup.tasks import run_followup_tasks
from event_ops.mail.outbox import send_due
from event_ops.matching.tables import MATCH_STATUSES
from tests.conftest import ROOT
from tests.helpers import badge, bearer, open_event, visitor

SLUG = "festival-today"
INTERESTS = f"/api/v1/events/{SLUG}/interests"
MATCHES = f"/api/v1/events/{SLUG}/matches"
CONTRACT_KEYS = {"id", "visitor_id", "employer_id", "level", "status"}


@pytest.fixture
async def setup(db, client):
    event = await open_event(SLUG)
    a = await add_employer(event, name="Zorggroep Noord", stand_label="A1", sector="care")
    b = await add_employer(event, name="Bouw BV", stand_label="B1", sector="construction")
    door = await bearer(event)
    organiser = await bearer(event, "organiser", label="Organiser")
    tablet_a = await bearer(event, "employer", label="Tablet A", employer_id=a.id)
    tablet_b = await bearer(event, "employer", label="Tablet B", employer_id=b.id)
    people = {}
    for n, (key, name, share) in enumerate(
        (("open", "Eva Mulder", True), ("private", "Yonas Tesfay", False)), start=1
    ):
        outcome = await visitor(event, n, name=name, share=share)
        token = await badge(event, outcome.registration_id)
        r = await client.post(f"/api/v1/events/{SLUG}/checkins", headers=door,
                              json={"token": token})
        assert r.json()["status"] == "ok"
        people[key] = {"registration_id": outcome.registration_id,
                       "visitor_id": outcome.visitor_id, "token": token}
    # Registration confirmations are not what these tests look at.
    await current_engine().fetch("UPDATE outbox_mail SET status = 'skipped'")
    await owner_accounts(event)
    return {"event": event, "a": a, "b": b, "door": door, "organiser": organiser,
            "tablet_a": tablet_a, "tablet_b": tablet_b, **people}


async def owner_accounts(event) -> dict[str, int]:
    """The accounts that follow matches up: a job coach and an organiser staff member of
    this event (owners are accounts)."""
    from event_ops.access.accounts import create_account

    return {
        "joke": await create_account("joke@werkpunt.nl", "Joke Coach", "job_coach",
                                     "correct horse battery", [event.id]),
        "ali": await create_account("ali@werkpunt.nl", "Ali Accountmanager",
                                    "organiser_staff", "correct horse battery", [event.id]),
    }


async def log_interest(client, tablet, token, level):
    r = await client.post(INTERESTS, headers=tablet, json={"token": token, "level": level})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def matches(client, headers, query=""):
    r = await client.get(MATCHES + query, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def move(client, headers, match_id, status, reason=""):
    return await client.post(f"/api/v1/matches/{match_id}/status", headers=headers,
                             json={"status": status, "reason": reason})


async def own(client, headers, match_id, name="Joke Coach", email="joke@werkpunt.nl"):
    r = await client.post(f"/api/v1/matches/{match_id}/owner", headers=headers,
                          json={"name": name, "email": email})
    assert r.status_code == 200, r.text
    return r.json()


def later(monkeypatch, when: dt.datetime) -> dt.datetime:
    monkeypatch.setattr(clock, "now", lambda: when)
    return when


def smtp(settings, smtp_server):
    url, sink = smtp_server
    return msgspec.structs.replace(settings, smtp_url=url), sink


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def reminders(sink) -> list:
    return [m for m in sink.messages if "wachten op jou" in m["Subject"]]


# ---- matches from interests --------------------------------------------------------------------


async def test_interest_levels_make_and_update_matches(client, setup):
    org = setup["organiser"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "info")
    assert await matches(client, org) == []  # info alone makes no match

    interest_id = await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    [m] = await matches(client, org)
    assert m["level"] == "direct" and m["status"] == "new" and m["interest_id"] == interest_id
    assert m["visitor_id"] == setup["open"]["visitor_id"] and m["employer_id"] == setup["a"].id

    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "training")
    [again] = await matches(client, org)
    assert again["id"] == m["id"] and again["level"] == "training"

    # Downgrade to info: the match stays as it was, the downgrade is noted in its history.
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "info")
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "info")
    [kept] = await matches(client, org)
    assert kept["id"] == m["id"] and kept["level"] == "training" and kept["status"] == "new"
    history = (await client.get(f"/api/v1/matches/{m['id']}/history", headers=org)).json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [("", "new"), ("new", "new")]
    assert "info" in history[1]["reason"]

    # A second employer for the same visitor is a second match.
    await log_interest(client, setup["tablet_b"], setup["open"]["token"], "follow_up")
    assert len(await matches(client, org)) == 2
    audit = await current_engine().fetch(
        "SELECT action FROM audit_entry WHERE action LIKE 'match.%' ORDER BY id")
    assert [a["action"] for a in audit] == [
        "match.created", "match.level_changed", "match.noted", "match.created"]


async def test_undone_interest_removes_untouched_match_and_reconcile_fills_gaps(client, setup):
    interest_id = await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    r = await client.post(INTERESTS + "/undo", headers=setup["tablet_a"],
                          json={"interest_id": interest_id})
    assert r.status_code == 200
    # The undo takes the match its interest made with it, at once (issue 12 #11): the
    # board never shows a match without its entry, and the reconcile has nothing left.
    assert await matches(client, setup["organiser"]) == []
    assert (await run_followup_tasks()).matches_removed == 0
    # An interest saved without the hook (older data) gets its match on the next run.
    db = current_engine()
    await db.fetch(
        "INSERT INTO interest (event, employer, registration, level, note, created_at,"
        " updated_at) VALUES (?, ?, ?, 'follow_up', '', ?, ?)",
        [setup["event"].id, setup["b"].id, setup["private"]["registration_id"], clock.now(),
         clock.now()])
    assert (await run_followup_tasks()).matches_created == 1
    assert (await run_followup_tasks()).matches_created == 0
    [m] = await matches(client, setup["organiser"])
    assert m["level"] == "follow_up" and m["employer_id"] == setup["b"].id


# ---- the pipeline ----------------------------------------------------------------------------


EXPECTED = {
    "new": {"contacted", "no_match"},
    "contacted": {"interview", "training_intake", "no_match"},
    "interview": {"hired", "no_match"},
    "training_intake": {"started_training", "no_match"},
    "hired": set(), "started_training": set(), "no_match": set(),
}


def test_transition_table_is_exactly_the_pipeline():
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED
    for src, dst in itertools.product(MATCH_STATUSES, MATCH_STATUSES):
        if dst in EXPECTED[src]:
            assert check_transition(src, dst, "because") == "because"
        else:
            with pytest.raises(DomainError) as err:
                check_transition(src, dst, "because")
            assert err.value.code == "bad_transition"
    with pytest.raises(DomainError) as err:
        check_transition("contacted", "no_match", "   ")
    assert err.value.code == "reason_required"
    with pytest.raises(DomainError) as err:
        check_transition("new", "married", "")
    assert err.value.code == "bad_status"
    assert {"hired", "started_training", "no_match"} == FINAL_STATUSES


async def test_status_changes_enforce_the_pipeline_over_http(client, setup):
    org = setup["organiser"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    await log_interest(client, setup["tablet_b"], setup["private"]["token"], "training")
    job, training = sorted(await matches(client, org), key=lambda m: m["employer_id"])

    r = await move(client, org, job["id"], "interview")
    assert r.status_code == 409 and r.json()["error"] == "bad_transition"
    r = await move(client, org, job["id"], "contacted", "Gebeld")
    assert r.status_code == 200 and r.json()["status"] == "contacted"
    assert r.json()["allowed_next"] == ["interview", "training_intake", "no_match"]
    r = await move(client, org, job["id"], "hired")
    assert r.status_code == 409 and r.json()["error"] == "bad_transition"
    for status in ("interview", "hired"):
        assert (await move(client, org, job["id"], status)).status_code == 200
    r = await move(client, org, job["id"], "no_match", "Toch niet")
    assert r.status_code == 409 and r.json()["error"] == "bad_transition"  # final is final

    r = await move(client, org, training["id"], "no_match")
    assert r.status_code == 422 and r.json()["error"] == "reason_required"
    r = await move(client, org, training["id"], "no_match", "Verhuisd naar Utrecht")
    assert r.status_code == 200 and r.json()["reason"] == "Verhuisd naar Utrecht"
    r = await move(client, org, training["id"], "contacted")
    assert r.status_code == 409
    r = await move(client, org, training["id"], "bogus")
    assert r.status_code == 422 and r.json()["error"] == "bad_status"
    r = await client.post(f"/api/v1/matches/{job['id']}/status", headers=org, content=b"{")
    assert r.status_code == 400

    history = (await client.get(f"/api/v1/matches/{job['id']}/history", headers=org)).json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("", "new"), ("new", "contacted"), ("contacted", "interview"), ("interview", "hired")]
    assert history[1]["reason"] == "Gebeld"
    assert all(h["actor"].startswith("token:") for h in history)
    audit = await current_engine().fetch(
        "SELECT subject_id FROM audit_entry WHERE action = 'match.status_changed'")
    assert len(audit) == 4


async def test_concurrent_moves_only_one_wins(client, setup):
    from event_ops.followup.service import change_status

    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    [m] = await matches(client, setup["organiser"])
    results = await asyncio.gather(
        *[change_status(m["id"], "contacted", "", f"test:{i}") for i in range(5)],
        return_exceptions=True)
    assert sum(1 for r in results if r is None) == 1
    assert {r.code for r in results if r is not None} <= {"bad_transition", "match_changed"}
    rows = await current_engine().fetch("SELECT to_status FROM match_change WHERE to_status"
                                        " = 'contacted'")
    assert len(rows) == 1


# ---- the board API ---------------------------------------------------------------------------


async def test_matches_contract_shape_and_filters(client, setup, monkeypatch):
    org = setup["organiser"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    await log_interest(client, setup["tablet_b"], setup["private"]["token"], "follow_up")
    await log_interest(client, setup["tablet_b"], setup["open"]["token"], "training")
    rows = await matches(client, org)
    assert len(rows) == 3
    for m in rows:
        assert set(m) >= CONTRACT_KEYS
        assert all(isinstance(m[k], int) for k in ("id", "visitor_id", "employer_id"))
        assert m["level"] in ("direct", "follow_up", "training") and m["status"] == "new"
    private = next(m for m in rows if m["visitor_id"] == setup["private"]["visitor_id"])
    assert private["visitor"]["consented"] is False

    by_b = await matches(client, org, f"?employer={setup['b'].id}")
    assert {m["employer_id"] for m in by_b} == {setup["b"].id} and len(by_b) == 2
    owned = await own(client, org, by_b[0]["id"], email="Joke@Werkpunt.nl")
    assert owned["owner_email"] == "joke@werkpunt.nl"
    assert [m["id"] for m in await matches(client, org, "?owner=joke@werkpunt.nl")] == \
        [by_b[0]["id"]]
    assert len(await matches(client, org, "?owner=-")) == 2
    await move(client, org, by_b[0]["id"], "contacted")
    assert len(await matches(client, org, "?status=contacted")) == 1
    assert len(await matches(client, org, "?status=new,contacted")) == 3
    r = await client.get(MATCHES + "?status=married", headers=org)
    assert r.status_code == 422
    assert await matches(client, org, "?overdue=true") == []

    later(monkeypatch, clock.now() + dt.timedelta(days=6))
    overdue = await matches(client, org, "?overdue=true")
    assert len(overdue) == 3 and all(m["overdue"] and m["idle_days"] == 6 for m in overdue)
    assert await matches(client, org, "?overdue=true&idle_days=7") == []
    await move(client, org, by_b[0]["id"], "interview")
    assert len(await matches(client, org, "?overdue=true")) == 2


async def test_owner_validation(client, setup):
    org = setup["organiser"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    [m] = await matches(client, org)
    r = await client.post(f"/api/v1/matches/{m['id']}/owner", headers=org,
                          json={"name": "Joke", "email": "not-an-address"})
    assert r.status_code == 422 and r.json()["error"] == "bad_owner"
    # Free text is not an owner: only an account of the event's organisers and coaches.
    r = await client.post(f"/api/v1/matches/{m['id']}/owner", headers=org,
                          json={"name": "Piet", "email": "piet@werkpunt.nl"})
    assert r.status_code == 422 and r.json()["error"] == "bad_owner"
    assert (await own(client, org, m["id"]))["owner_name"] == "Joke Coach"
    cleared = await own(client, org, m["id"], name="", email="")
    assert cleared["owner_name"] == "" and cleared["owner_email"] == ""


async def test_owner_is_an_account_and_history_says_who_changed_what(client, setup):
    from event_ops.access.accounts import create_account
    from tests.helpers import signed_in

    org, event = setup["organiser"], setup["event"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    [m] = await matches(client, org)
    other = await open_event("other-event")
    elsewhere = await create_account("kees@werkpunt.nl", "Kees Elders", "job_coach",
                                     "correct horse battery", [other.id])
    r = await client.get(f"/api/v1/events/{SLUG}/owners", headers=org)
    assert r.status_code == 200
    assert [(o["name"], o["role"]) for o in r.json()] == [
        ("Ali Accountmanager", "organiser_staff"), ("Joke Coach", "job_coach")]
    joke = next(o["id"] for o in r.json() if o["name"] == "Joke Coach")
    # A coach of another event, or no account at all, cannot own this match.
    for body in ({"account_id": elsewhere}, {"account_id": 999999},
                 {"email": "kees@werkpunt.nl"}):
        r = await client.post(f"/api/v1/matches/{m['id']}/owner", headers=org, json=body)
        assert r.status_code == 422 and r.json()["error"] == "bad_owner", body
    # A signed-in organiser makes Joke the owner; Joke (signed in) moves the match on.
    anna = await signed_in("organiser_staff", [event], email="anna@werkpunt.nl")
    await current_engine().fetch("UPDATE account SET name = 'Anna de Vries' WHERE email = ?",
                                 ["anna@werkpunt.nl"])
    r = await client.post(f"/api/v1/matches/{m['id']}/owner", headers=anna,
                          json={"account_id": joke})
    assert r.status_code == 200, r.text
    assert (r.json()["owner_name"], r.json()["owner_email"]) == ("Joke Coach",
                                                                 "joke@werkpunt.nl")
    row = (await current_engine().fetch('SELECT owner_account FROM "match"'))[0]
    assert row["owner_account"] == joke
    assert (await move(client, anna, m["id"], "contacted")).status_code == 200
    r = await client.post(f"/api/v1/matches/{m['id']}/owner", headers=org, json={})
    assert r.json()["owner_email"] == ""
    history = (await client.get(f"/api/v1/matches/{m['id']}/history", headers=org)).json()
    assert [(h["kind"], h["owner_name"], h["to_status"], h["actor_name"])
            for h in history] == [
        ("status", "", "new", "Tablet A"),  # made by the stand's tablet scan
        ("owner", "Joke Coach", "new", "Anna de Vries"),
        ("status", "", "contacted", "Anna de Vries"),
        ("owner", "", "contacted", "Organiser"),
    ]


async def test_role_checks(client, setup):
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    [m] = await matches(client, setup["organiser"])
    for headers in (setup["door"], setup["tablet_a"]):
        r = await client.get(MATCHES, headers=headers)
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
        r = await move(client, headers, m["id"], "contacted")
        assert r.status_code == 403
        r = await client.post(f"/api/v1/matches/{m['id']}/owner", headers=headers,
                              json={"name": "X Y", "email": "x@y.nl"})
        assert r.status_code == 403
        r = await client.get(f"/api/v1/matches/{m['id']}/history", headers=headers)
        assert r.status_code == 403
    assert (await client.get(MATCHES)).status_code == 401
    assert (await move(client, {}, m["id"], "contacted")).status_code == 401
    assert (await move(client, {"Authorization": "Bearer eot_nope"}, 999999,
                       "contacted")).status_code == 401
    r = await move(client, setup["organiser"], 999999, "contacted")
    assert r.status_code == 404 and r.json()["error"] == "match_not_found"
    other = await open_event("other-event")
    other_org = await bearer(other, "organiser", label="Other organiser")
    assert (await client.get(MATCHES, headers=other_org)).status_code == 403
    assert (await move(client, other_org, m["id"], "contacted")).status_code == 403
    [still] = await matches(client, setup["organiser"])
    assert still["status"] == "new"


async def test_board_page_shell(client, setup):
    r = await client.get(f"/events/{SLUG}/board?lang=en")
    assert r.status_code == 200
    assert 'data-event="festival-today"' in r.text and "/static/js/board.js" in r.text
    assert "Follow-up" in r.text
    assert (await client.get("/events/nope/board")).status_code == 404
    assert (await client.get("/static/js/board.js")).status_code == 200


# ---- reminders and checkpoints -------------------------------------------------------------------


async def test_idle_reminder_fires_once_per_idle_period(client, setup, settings, smtp_server,
                                                        monkeypatch):
    cfg, sink = smtp(settings, smtp_server)
    org = setup["organiser"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    await log_interest(client, setup["tablet_b"], setup["open"]["token"], "follow_up")
    first, unowned = sorted(await matches(client, org), key=lambda m: m["employer_id"])
    await own(client, org, first["id"])
    start = clock.now()

    later(monkeypatch, start + dt.timedelta(days=4))
    assert (await run_followup_tasks(clock.now())).reminder_mails == 0

    later(monkeypatch, start + dt.timedelta(days=5, minutes=1))
    result = await run_followup_tasks(clock.now())
    assert (result.reminded_matches, result.reminder_mails) == (1, 1)  # the unowned one: no one
    await send_due(cfg)
    # (The event is over by now, so the after-event mails go out as well.)
    coach = reminders(sink)
    [mail] = coach
    text = body(mail)
    assert "Hallo Joke Coach" in text and "Eva M." in text and "Zorggroep Noord" in text
    assert "Mulder" not in text  # a short name in an inbox is enough
    assert f"/events/{SLUG}/board?owner=joke%40werkpunt.nl" in text

    # Not twice for the same idle period, however often the task runs.
    later(monkeypatch, start + dt.timedelta(days=9))
    assert (await run_followup_tasks(clock.now())).reminder_mails == 0
    await send_due(cfg)
    assert len(reminders(sink)) == 1

    # A status change starts a new idle period: another reminder 5 days later.
    assert (await move(client, org, first["id"], "contacted")).status_code == 200
    later(monkeypatch, start + dt.timedelta(days=14, minutes=5))
    assert (await run_followup_tasks(clock.now())).reminder_mails == 1
    await send_due(cfg)
    coach = reminders(sink)
    assert len(coach) == 2 and "Contact gehad" in body(coach[1])
    assert unowned["owner_email"] == ""


async def test_reminder_skipped_when_match_moved_before_sending(client, setup, settings,
                                                                smtp_server, monkeypatch):
    cfg, sink = smtp(settings, smtp_server)
    org = setup["organiser"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    [m] = await matches(client, org)
    await own(client, org, m["id"])
    later(monkeypatch, clock.now() + dt.timedelta(days=6))
    assert (await run_followup_tasks(clock.now())).reminder_mails == 1
    await move(client, org, m["id"], "contacted")  # the coach acted before the mail went out
    await send_due(cfg)
    assert reminders(sink) == []
    rows = await current_engine().fetch(
        "SELECT status FROM outbox_mail WHERE kind = 'followup.reminder'")
    assert rows == [{"status": "skipped"}]


async def test_checkpoints_at_two_and_eight_weeks(client, setup, settings, smtp_server,
                                                  monkeypatch):
    cfg, sink = smtp(settings, smtp_server)
    org = setup["organiser"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    await log_interest(client, setup["tablet_b"], setup["private"]["token"], "training")
    job, training = sorted(await matches(client, org), key=lambda m: m["employer_id"])
    for m in (job, training):
        await own(client, org, m["id"], name="Ali Accountmanager", email="ali@werkpunt.nl")
    ends = setup["event"].ends_at

    later(monkeypatch, ends + dt.timedelta(days=13))
    assert (await run_followup_tasks(clock.now())).checkpoint_mails == 0
    later(monkeypatch, ends + dt.timedelta(days=14, hours=1))
    result = await run_followup_tasks(clock.now())
    assert (result.checkpoint_matches, result.checkpoint_mails) == (2, 1)  # one digest
    assert (await run_followup_tasks(clock.now())).checkpoint_mails == 0
    await send_due(cfg)
    checkpoint = [m for m in sink.messages if "2 weken" in m["Subject"]]
    assert len(checkpoint) == 1 and checkpoint[0]["To"] == "ali@werkpunt.nl"
    assert "Eva M." in body(checkpoint[0]) and "Yonas T." in body(checkpoint[0])

    # The job ends in a hire; at 8 weeks only the training is still open.
    for status in ("contacted", "interview", "hired"):
        assert (await move(client, org, job["id"], status)).status_code == 200
    later(monkeypatch, ends + dt.timedelta(weeks=8, hours=1))
    result = await run_followup_tasks(clock.now())
    assert (result.checkpoint_matches, result.checkpoint_mails) == (1, 1)
    await send_due(cfg)
    eight = [m for m in sink.messages if "8 weken" in m["Subject"]]
    assert len(eight) == 1
    assert "Yonas T." in body(eight[0]) and "Eva M." not in body(eight[0])
    later(monkeypatch, ends + dt.timedelta(weeks=9))
    assert (await run_followup_tasks(clock.now())).checkpoint_mails == 0


# ---- after the event -----------------------------------------------------------------------------


async def test_after_event_mails_respect_consent(client, setup, settings, smtp_server,
                                                 monkeypatch):
    cfg, sink = smtp(settings, smtp_server)
    org = setup["organiser"]
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "direct")
    await log_interest(client, setup["tablet_a"], setup["private"]["token"], "follow_up")
    await log_interest(client, setup["tablet_b"], setup["open"]["token"], "info")
    for m in await matches(client, org):
        await own(client, org, m["id"], name="Ali Accountmanager", email="ali@werkpunt.nl")
    ends = setup["event"].ends_at

    later(monkeypatch, ends + dt.timedelta(minutes=30))  # tablets may still be logging
    assert (await run_followup_tasks(clock.now())).visitor_mails == 0
    later(monkeypatch, ends + dt.timedelta(hours=3))
    result = await run_followup_tasks(clock.now())
    assert (result.visitor_mails, result.employer_mails) == (2, 1)
    again = await run_followup_tasks(clock.now())
    assert (again.visitor_mails, again.employer_mails) == (0, 0)
    await send_due(cfg)
    by_to = {}
    for message in sink.messages:
        by_to.setdefault(message["To"], []).append(message)

    [eva] = by_to["v1@example.nl"]
    text = body(eva)
    assert "Hallo Eva" in text and "Zorggroep Noord" in text and "Bouw BV" in text
    assert "jobcoach" in text and "/me/" in text
    assert "/privacy?lang=nl" in text and "/terms?lang=nl" in text  # issue 13: in every mail
    [yonas] = by_to["v2@example.nl"]
    assert "Zorggroep Noord" in body(yonas) and "eigen pagina" in body(yonas)  # may opt in

    [lists] = by_to["ali@werkpunt.nl"]
    text = body(lists)
    assert "Zorggroep Noord" in text
    assert "Eva Mulder" in text and "v1@example.nl" in text
    assert "Yonas" in text
    assert "Tesfay" not in text and "v2@example.nl" not in text  # no consent: first name only

    # Long after the event nothing new is sent (e.g. when this is first switched on).
    later(monkeypatch, ends + dt.timedelta(days=30))
    assert (await run_followup_tasks(clock.now())).visitor_mails == 0


async def test_employer_list_goes_to_its_own_address_with_consent(client, setup, settings,
                                                                 smtp_server, monkeypatch):
    cfg, sink = smtp(settings, smtp_server)
    org, event = setup["organiser"], setup["event"]
    db = current_engine()
    for key, phone in (("open", "+31611112222"), ("private", "+31633334444")):
        await db.fetch("UPDATE visitor SET phone = ? WHERE id = ?",
                       [phone, setup[key]["visitor_id"]])
    own_address = await add_employer(event, name="Techniek Noord", stand_label="C1",
                                     sector="technology",
                                     contact_email=" Vacatures@Techniek-Noord.example.nl ")
    tablet_c = await bearer(event, "employer", label="Tablet C", employer_id=own_address.id)
    await log_interest(client, tablet_c, setup["open"]["token"], "direct")
    await log_interest(client, tablet_c, setup["private"]["token"], "follow_up")
    await log_interest(client, setup["tablet_a"], setup["open"]["token"], "training")
    for m in await matches(client, org):  # Ali owns every match, Techniek Noord's too
        await own(client, org, m["id"], name="Ali Accountmanager", email="ali@werkpunt.nl")

    later(monkeypatch, event.ends_at + dt.timedelta(hours=3))
    result = await run_followup_tasks(clock.now())
    assert result.employer_mails == 2  # the employer's own address, and Ali for Zorggroep
    assert (await run_followup_tasks(clock.now())).employer_mails == 0
    await send_due(cfg)
    by_to = {}
    for message in sink.messages:
        by_to.setdefault(message["To"], []).append(message)

    [mail] = by_to["vacatures@techniek-noord.example.nl"]
    text = body(mail)
    assert "Techniek Noord" in text and event.name in mail["Subject"]
    assert "Eva Mulder" in text and "v1@example.nl" in text and "+31611112222" in text
    assert "Yonas" in text  # did not agree to share: first name only
    for secret in ("Tesfay", "v2@example.nl", "+31633334444"):
        assert secret not in text
    assert "Zorggroep Noord" not in text  # only this employer's own visitors

    [lists] = by_to["ali@werkpunt.nl"]  # the fallback for the employer without an address
    text = body(lists)
    assert "Zorggroep Noord" in text and "Eva Mulder" in text
    assert "Techniek Noord" not in text  # it got its own list
    audited = await db.fetch("SELECT subject_id, fields FROM audit_entry"
                             " WHERE action = 'employer.list_mailed'")
    assert [a["subject_id"] for a in audited] == [own_address.id]


async def test_employer_contact_email_is_checked(setup):
    with pytest.raises(DomainError) as err:
        await add_employer(setup["event"], name="Bouw Twee", contact_email="not an address")
    assert err.value.code == "bad_email" and err.value.field == "email"
    none = await add_employer(setup["event"], name="Bouw Drie", contact_email="  ")
    assert none.contact_email == ""


async def test_cli_followup_run(setup):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "followup", "run", "--idle-days", "3",
        cwd=ROOT, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, stderr.decode()
    assert "reminder_mails: 0" in stdout.decode() and "visitor_mails: 0" in stdout.decode()


# ---- the board in a real browser ---------------------------------------------------------------


@pytest.mark.browser
async def test_board_in_the_browser_moves_a_match(live_server, db):
    from event_ops.access.tokens import create_token, resolve_token
    from event_ops.interests.service import InterestInput, record_interest
    from tests.browser import ARTIFACTS, chromium

    event = await open_event(SLUG)
    await owner_accounts(event)
    employer = await add_employer(event, name="Zorggroep Noord", sector="care")
    tablet = await resolve_token(await create_token(event, role="employer", label="Tablet",
                                                    employer_id=employer.id))
    outcome = await visitor(event, 1, name="Eva Mulder")
    await current_engine().fetch("UPDATE registration SET checked_in_at = ? WHERE id = ?",
                                 [clock.now(), outcome.registration_id])
    await record_interest(event, tablet, InterestInput(
        token=await badge(event, outcome.registration_id), level="direct"))
    token = await create_token(event, role="organiser", label="Organiser")

    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        await page.goto(f"{live_server}/events/{SLUG}/board?lang=en")
        await page.fill("#token-input", token)
        await page.click("#token-form button[type=submit]")
        await page.wait_for_selector("#board[data-ready=true]")
        row = page.locator("#match-rows tr")
        assert await row.count() == 1
        assert "Eva Mulder" in await row.inner_text()
        await row.locator("select[name=status]").select_option("contacted")
        await row.locator("form.row-form button").first.click()
        await page.wait_for_selector("#match-rows .st-contacted")
        # The owner is picked from the event's accounts, not typed.
        await row.get_by_label("Who follows this up?").select_option(
            label="Joke Coach (joke@werkpunt.nl)")
        await row.locator("form.row-form button").nth(1).click()
        await page.wait_for_selector('#f-owner option[value="joke@werkpunt.nl"]', state="attached")
        # The history says what changed and who did it.
        await page.locator("#match-rows tr details summary", has_text="History").first.click()
        history = page.locator("#match-rows ol.history li")
        await history.nth(2).wait_for()
        lines = await history.all_inner_texts()
        assert lines[0].endswith("by Tablet"), lines  # the scan that made the match
        assert "Contacted" in lines[1] and lines[1].endswith("by Organiser"), lines
        assert "Owner: Joke Coach" in lines[2] and lines[2].endswith("by Organiser"), lines
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "followup-board.png"), full_page=True)
        await page.goto(f"{live_server}/events/{SLUG}/reports?lang=en")
        await page.wait_for_selector("#report[data-ready=true]")
        assert await page.locator("[data-metric=matches]").inner_text() == "1"
        assert "<5" in await page.locator("[data-breakdown=education]").inner_text()
    rows = await current_engine().fetch('SELECT status, owner_email FROM "match"')
    assert rows == [{"status": "contacted", "owner_email": "joke@werkpunt.nl"}]
