"""Door check-in over HTTP: every status, exactly-once, nonce replay, undo, scopes."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from badges.service import add_key, reissue
from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.people.profile import cancel_registration
from tests.helpers import NO_DESK_COUNTS, badge, bearer, open_event, visitor

URL = "/api/v1/events/festival-today/checkins"


@pytest.fixture
async def event(db):
    return await open_event()


async def scan(client, headers, token, **extra):
    r = await client.post(URL, json={"token": token, **extra}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_ok_then_already_checked_in_with_first_time_and_door(client, event):
    v = await visitor(event, 1, name="Sara Bakker")
    token = await badge(event, v.registration_id)
    north = await bearer(event, label="Door North")
    south = await bearer(event, label="Door South")
    first = await scan(client, north, token)
    assert first["status"] == "ok"
    assert first["registration"] == {"id": v.registration_id, "name": "Sara"}
    again = await scan(client, south, token, door="South")
    assert again["status"] == "already_checked_in"
    assert again["first_door"] == "Door North"
    assert again["first_checkin_at"] == first["first_checkin_at"]


async def test_garbage_and_tampered_tokens_are_invalid(client, event):
    v = await visitor(event, 1)
    token = await badge(event, v.registration_id)
    door = await bearer(event)
    assert (await scan(client, door, "hello"))["status"] == "invalid"
    assert (await scan(client, door, ""))["status"] == "invalid"
    flipped = token[:50] + ("A" if token[50] != "A" else "B") + token[51:]
    assert (await scan(client, door, flipped))["status"] == "invalid"
    # Nothing was checked in by the failed scans.
    rows = await current_engine().fetch("SELECT checked_in_at FROM registration")
    assert rows[0]["checked_in_at"] is None


async def test_unknown_registration(client, event):
    await visitor(event, 1)
    door = await bearer(event)
    token = await badge(event, 987654)
    assert (await scan(client, door, token))["status"] == "unknown"


async def test_waiting_list_badge_is_unknown(client, db):
    event = await open_event("full-today", capacity=1)
    await visitor(event, 1)
    waiting = await visitor(event, 2)
    door = await bearer(event)
    r = await client.post("/api/v1/events/full-today/checkins", headers=door,
                          json={"token": await badge(event, waiting.registration_id)})
    assert r.json()["status"] == "unknown"


async def test_badge_of_another_event(client, event):
    other = await open_event("other-event")
    v = await visitor(other, 1)
    door = await bearer(event)
    assert (await scan(client, door, await badge(other, v.registration_id)))["status"] == \
        "wrong_event"


async def test_reissued_and_cancelled_badges_are_revoked(client, event):
    v1 = await visitor(event, 1)
    v2 = await visitor(event, 2)
    door = await bearer(event)
    old = await badge(event, v1.registration_id)
    serial = await reissue(event.id, v1.registration_id, "test")
    assert (await scan(client, door, old))["status"] == "revoked"
    assert (await scan(client, door, await badge(event, v1.registration_id, serial)))[
        "status"] == "ok"
    token2 = await badge(event, v2.registration_id)
    visitor_row = (await current_engine().fetch(
        "SELECT * FROM visitor WHERE id = ?", [v2.visitor_id]))[0]
    await cancel_registration(visitor_row, v2.registration_id)
    assert (await scan(client, door, token2))["status"] == "revoked"


async def test_retired_key_no_longer_verifies_but_rotated_one_does(client, event):
    from badges.service import retire_key

    v1 = await visitor(event, 1)
    v2 = await visitor(event, 2)
    door = await bearer(event)
    token_key1 = await badge(event, v1.registration_id)
    await add_key(event.id, __import__("event_ops.core.settings").core.settings.get_settings())
    token_key2 = await badge(event, v2.registration_id)
    assert token_key1 != token_key2
    assert (await scan(client, door, token_key2))["status"] == "ok"
    await retire_key(event.id, 1)
    assert (await scan(client, door, token_key1))["status"] == "invalid"


async def test_not_open_before_checkin_window(client, festival):
    v = await visitor(festival, 1)
    door = await bearer(festival)
    r = await client.post("/api/v1/events/werkfestival/checkins", headers=door,
                          json={"token": await badge(festival, v.registration_id)})
    assert r.json()["status"] == "not_open"


async def test_nonce_replay_returns_the_first_answer(client, event):
    v = await visitor(event, 1)
    token = await badge(event, v.registration_id)
    door = await bearer(event)
    first = await scan(client, door, token, nonce="n-1")
    assert first["status"] == "ok"
    replay = await scan(client, door, token, nonce="n-1")
    assert replay == first  # not "already_checked_in"
    assert (await scan(client, door, token, nonce="n-2"))["status"] == "already_checked_in"
    log = await current_engine().fetch("SELECT status FROM scan_log ORDER BY id")
    assert [r["status"] for r in log] == ["ok", "already_checked_in"]


async def test_same_nonce_concurrently_is_answered_once(client, event):
    v = await visitor(event, 1)
    token = await badge(event, v.registration_id)
    door = await bearer(event)
    answers = await asyncio.gather(*[scan(client, door, token, nonce="same") for _ in range(5)])
    assert all(a == answers[0] for a in answers)
    assert answers[0]["status"] == "ok"


async def test_two_doors_scan_one_badge_at_once_exactly_one_ok(client, event):
    doors = [await bearer(event, label=f"Door {i}") for i in range(10)]
    for n in range(5):
        v = await visitor(event, n)
        token = await badge(event, v.registration_id)
        answers = await asyncio.gather(*[scan(client, d, token) for d in doors])
        statuses = sorted(a["status"] for a in answers)
        assert statuses.count("ok") == 1, statuses
        assert statuses.count("already_checked_in") == 9
        winner = next(a for a in answers if a["status"] == "ok")
        losers = [a for a in answers if a["status"] != "ok"]
        assert {a["first_door"] for a in losers} == {winner["first_door"]}


async def test_every_scan_is_logged_with_device_and_times(client, event):
    v = await visitor(event, 1)
    door = await bearer(event, label="Door East")
    await scan(client, door, await badge(event, v.registration_id))
    await scan(client, door, "garbage")
    log = await current_engine().fetch("SELECT * FROM scan_log ORDER BY id")
    assert [r["status"] for r in log] == ["ok", "invalid"]
    assert all(r["door"] == "Door East" and r["received_at"] is not None for r in log)


async def test_late_offline_scan_keeps_original_time_and_flags_conflict(client, event):
    v = await visitor(event, 1)
    token = await badge(event, v.registration_id)
    a = await bearer(event, label="Door A")
    b = await bearer(event, label="Door B")
    t0 = clock.now() - dt.timedelta(minutes=10)
    first = await scan(client, a, token, scanned_at=t0.isoformat(), nonce="a1")
    assert first["status"] == "ok"
    assert dt.datetime.fromisoformat(first["first_checkin_at"]) == t0
    second = await scan(client, b, token, scanned_at=(t0 + dt.timedelta(minutes=1)).isoformat(),
                        nonce="b1")
    assert second["status"] == "already_checked_in"
    assert second["conflict"] is True
    rows = await current_engine().fetch("SELECT conflict FROM scan_log ORDER BY id")
    assert [bool(r["conflict"]) for r in rows] == [False, True]


async def test_undo_by_same_device_within_15_minutes(client, event, monkeypatch):
    v = await visitor(event, 1)
    token = await badge(event, v.registration_id)
    door = await bearer(event)
    other = await bearer(event, label="Door 2")
    await scan(client, door, token)
    r = await client.post(URL + "/undo", json={"registration_id": v.registration_id},
                          headers=other)
    assert r.status_code == 409 and r.json()["error"] == "undo_not_allowed"
    r = await client.post(URL + "/undo", json={"registration_id": v.registration_id},
                          headers=door)
    assert r.status_code == 200
    assert (await scan(client, door, token))["status"] == "ok"
    later = clock.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    r = await client.post(URL + "/undo", json={"registration_id": v.registration_id},
                          headers=door)
    assert r.status_code == 409


async def test_scopes(client, event):
    from event_ops.employers.service import add_employer

    other = await open_event("other-event")
    v = await visitor(event, 1)
    token = await badge(event, v.registration_id)
    r = await client.post(URL, json={"token": token})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    r = await client.post(URL, json={"token": token}, headers={"Authorization": "Bearer eot_x"})
    assert r.status_code == 401
    r = await client.post(URL, json={"token": token}, headers=await bearer(other))
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    employer = await add_employer(event, name="Zorg BV")
    r = await client.post(URL, json={"token": token},
                          headers=await bearer(event, "employer", employer_id=employer.id))
    assert r.status_code == 403
    r = await client.post(URL, json={"token": token}, headers=await bearer(event, "organiser"))
    assert r.status_code == 403
    assert (await current_engine().fetch("SELECT checked_in_at FROM registration"))[0][
        "checked_in_at"] is None


async def test_bad_scan_bodies(client, event):
    door = await bearer(event)
    r = await client.post(URL, content=b"nope", headers={**door, "content-type": "text/plain"})
    assert r.status_code == 400
    future = (clock.now() + dt.timedelta(hours=1)).isoformat()
    r = await client.post(URL, json={"token": "x", "scanned_at": future}, headers=door)
    assert r.status_code == 400
    r = await client.post(URL, json={"token": "x", "nonce": "n" * 65}, headers=door)
    assert r.status_code == 400


async def test_stats(client, event):
    door = await bearer(event, label="Door North")
    for n in range(3):
        v = await visitor(event, n)
        if n < 2:
            await scan(client, door, await badge(event, v.registration_id))
    r = await client.get("/api/v1/events/festival-today/stats", headers=door)
    assert r.json() == {"registered": 3, "checked_in": 2, "by_door": {"Door North": 2},
                        **NO_DESK_COUNTS}


async def test_arrivals_and_failed_scans_for_the_dashboard(client, event):
    door = await bearer(event, label="Door North")
    v = await visitor(event, 1)
    await scan(client, door, await badge(event, v.registration_id))
    await scan(client, door, "garbage")
    r = await client.get("/api/v1/events/festival-today/arrivals", headers=door)
    assert [(a["door"], a["count"]) for a in r.json()] == [("Door North", 1)]
    r = await client.get("/api/v1/events/festival-today/scans?failed=true", headers=door)
    assert [s["status"] for s in r.json()] == ["invalid"]


async def test_badge_scanned_before_is_refused_once_its_key_is_retired(client, event):
    # A good scan is remembered so repeat scans skip the signature check; retiring the key
    # must still end that badge at once, as it does for a badge never scanned before.
    from badges.service import retire_key

    v1 = await visitor(event, 1)
    door = await bearer(event)
    token = await badge(event, v1.registration_id)
    assert (await scan(client, door, token))["status"] == "ok"
    assert (await scan(client, door, token))["status"] == "already_checked_in"
    await add_key(event.id, __import__("event_ops.core.settings").core.settings.get_settings())
    await retire_key(event.id, 1)
    assert (await scan(client, door, token))["status"] == "invalid"


async def test_many_scans_at_once_each_get_their_own_verdict(client, event):
    # Signatures are checked in batches on a helper thread: answers must not get mixed up.
    door = await bearer(event)
    other = await open_event("other-festival")
    good = [await badge(event, (await visitor(event, n)).registration_id) for n in range(12)]
    foreign = await badge(other, (await visitor(other, 99)).registration_id)
    tampered = good[0][:-2] + ("AA" if good[0][-2:] != "AA" else "BB")
    tokens = [*good, tampered, foreign, tampered]
    answers = await asyncio.gather(*[scan(client, door, t) for t in tokens])
    assert [a["status"] for a in answers] == ["ok"] * 12 + ["invalid", "wrong_event", "invalid"]
