"""The live dashboard websocket, against real server processes, with the `websockets` client."""

from __future__ import annotations

import asyncio
import os

import httpx
import msgspec
import pytest
import websockets

from tests.helpers import NO_DESK_COUNTS, badge, bearer, open_event, require_redis, visitor
from tests.own_redis import own_redis  # noqa: F401 (a fixture)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REDIS_URL = os.environ.get("EVENTOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def ws_url(base: str, slug: str, token: str) -> str:
    return base.replace("http://", "ws://") + f"/ws/events/{slug}/live?token={token}"


async def receive(ws, timeout: float = 5.0) -> dict:
    return msgspec.json.decode(await asyncio.wait_for(ws.recv(), timeout))


async def test_dashboard_gets_snapshot_then_each_scan(live_server, db):
    event = await open_event()
    v = await visitor(event, 1)
    door = await bearer(event, label="Door North")
    token = door["Authorization"][7:]
    async with websockets.connect(ws_url(live_server, event.slug, token)) as ws:
        snapshot = await receive(ws)
        assert snapshot == {"type": "snapshot",
                            "stats": {"registered": 1, "checked_in": 0, "by_door": {},
                                      **NO_DESK_COUNTS}}
        async with httpx.AsyncClient(base_url=live_server, headers=door) as http:
            r = await http.post(f"/api/v1/events/{event.slug}/checkins",
                                json={"token": await badge(event, v.registration_id)})
            assert r.json()["status"] == "ok"
        message = await receive(ws)
        assert message["type"] == "checkin"
        assert message["status"] == "ok" and message["door"] == "Door North"
        assert message["stats"]["checked_in"] == 1
        assert message["stats"]["by_door"] == {"Door North": 1}
        # Dashboards need no registration ids (tablets get theirs in-process).
        assert "registration_id" not in message


async def test_burst_of_scans_is_coalesced_into_batches(live_server, db):
    event = await open_event()
    door = await bearer(event)
    token = door["Authorization"][7:]
    async with websockets.connect(ws_url(live_server, event.slug, token)) as ws:
        await receive(ws)
        async with httpx.AsyncClient(base_url=live_server, headers=door) as http:
            await asyncio.gather(*[
                http.post(f"/api/v1/events/{event.slug}/checkins", json={"token": "bad"})
                for _ in range(40)
            ])
        seen, messages = 0, 0
        while seen < 40:
            m = await receive(ws)
            messages += 1
            seen += len(m["items"]) if m["type"] == "batch" else 1
        assert seen == 40
        assert messages < 40  # coalesced


async def test_websocket_refuses_foreign_origin_and_bad_tokens(live_server, db):
    event = await open_event()
    door = await bearer(event)
    token = door["Authorization"][7:]
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(ws_url(live_server, event.slug, token),
                                      origin="https://evil.example"):
            pass
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(ws_url(live_server, event.slug, "eot_wrong")):
            pass
    from event_ops.employers.service import add_employer

    employer = await add_employer(event, name="Techniek BV")
    emp = (await bearer(event, "employer", employer_id=employer.id))["Authorization"][7:]
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(ws_url(live_server, event.slug, emp)):
            pass
    # Our own origin is fine.
    async with websockets.connect(ws_url(live_server, event.slug, token),
                                  origin=live_server) as ws:
        assert (await receive(ws))["type"] == "snapshot"


@pytest.mark.redis
@pytest.mark.postgres
async def test_scan_through_process_b_reaches_dashboard_on_process_a(server_factory, db):
    """Two app processes share the live feed over Redis; the double scan stays exactly-once."""
    # Runs in both passes: SQLite shared by two processes, and PostgreSQL (the scale-out).
    require_redis()
    event = await open_event()
    v = await visitor(event, 1)
    door = await bearer(event, label="Door B")
    token = door["Authorization"][7:]
    a = server_factory(EVENTOPS_REDIS_URL=REDIS_URL)
    b = server_factory(EVENTOPS_REDIS_URL=REDIS_URL)
    async with websockets.connect(ws_url(a, event.slug, token)) as ws:
        assert (await receive(ws))["type"] == "snapshot"
        token_v = await badge(event, v.registration_id)
        # Two doors on two processes scan the same badge at once: still exactly one "ok".
        async with httpx.AsyncClient(base_url=b, headers=door) as hb, \
                httpx.AsyncClient(base_url=a, headers=door) as ha:
            answers = await asyncio.gather(*[
                http.post(f"/api/v1/events/{event.slug}/checkins", json={"token": token_v})
                for http in (hb, ha, hb, ha)
            ])
        assert sorted(r.json()["status"] for r in answers) == [
            "already_checked_in", "already_checked_in", "already_checked_in", "ok"]
        seen = []
        while len(seen) < 4:
            m = await receive(ws)
            seen += m["items"] if m["type"] == "batch" else [m]
        assert sorted(m["status"] for m in seen)[-1] == "ok"
        assert m["stats"]["checked_in"] == 1


async def until(ws, done, what: str, timeout: float = 15.0) -> list[dict]:
    """Messages from ``ws`` (batches unpacked into their items, each keeping the batch's
    stats) until ``done(seen)``; fails naming ``what`` the dashboard never got."""
    seen: list[dict] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done(seen):
        left = deadline - loop.time()
        try:
            m = await receive(ws, timeout=max(left, 0.01))
        except TimeoutError:
            pytest.fail(f"the dashboard never got {what}; it got {seen}")
        if m["type"] == "batch":  # batch items leave out "type": they are check-ins
            seen += [{"type": "checkin", **item, "stats": m["stats"]} for item in m["items"]]
        else:
            seen.append(m)
    return seen


def scans_from(*doors: str):
    return lambda seen: set(doors) <= {m.get("door") for m in seen if m["type"] == "checkin"}


def feed_is(state: str):
    return lambda seen: any(m["type"] == "status" and m["feed"] == state for m in seen)


@pytest.mark.redis
@pytest.mark.postgres
async def test_dashboards_on_both_processes_hear_scans_again_after_redis_restarts(
        server_factory, own_redis, db):  # noqa: F811 (the fixture)
    """A Redis blip (killed, started again): both processes tell their dashboards the feed
    is degraded, keep answering and storing scans (and showing their own), and once Redis is
    back every dashboard hears the scans of both processes again, with numbers that match
    /stats."""
    # Runs in both passes: SQLite shared by two processes, and PostgreSQL (the scale-out).
    event = await open_event()
    badges = [await badge(event, (await visitor(event, n)).registration_id) for n in range(5)]
    door_a, door_b = await bearer(event, label="Door A"), await bearer(event, label="Door B")
    a = server_factory(EVENTOPS_REDIS_URL=own_redis.url)
    b = server_factory(EVENTOPS_REDIS_URL=own_redis.url)
    token = door_a["Authorization"][7:]
    path = f"/api/v1/events/{event.slug}"
    async with websockets.connect(ws_url(a, event.slug, token)) as wa, \
            websockets.connect(ws_url(b, event.slug, token)) as wb, \
            httpx.AsyncClient(base_url=a, headers=door_a) as ha, \
            httpx.AsyncClient(base_url=b, headers=door_b) as hb:
        for ws in (wa, wb):
            assert (await receive(ws))["type"] == "snapshot"

        async def scan(http: httpx.AsyncClient, n: int) -> str:
            r = await http.post(f"{path}/checkins", json={"token": badges[n]}, timeout=10)
            assert r.status_code == 200, r.text
            return r.json()["status"]

        assert await scan(ha, 0) == "ok" and await scan(hb, 1) == "ok"
        for ws in (wa, wb):
            await until(ws, scans_from("Door A", "Door B"), "the scans before the blip")

        own_redis.kill()
        for ws in (wa, wb):
            await until(ws, feed_is("degraded"), 'a {"type": "status", "feed": "degraded"}')
        # Check-ins never depend on Redis: answered and stored while it is down.
        assert await scan(ha, 2) == "ok" and await scan(hb, 3) == "ok"
        # A dashboard still hears the scans of its own process.
        await until(wa, scans_from("Door A"), "its own process's scan during the outage")
        # One that connects during the outage is told at once.
        async with websockets.connect(ws_url(b, event.slug, token)) as late:
            assert (await receive(late))["type"] == "snapshot"
            assert (await receive(late)) == {"type": "status", "feed": "degraded"}

        own_redis.start()
        for ws in (wa, wb):
            await until(ws, feed_is("ok"), 'a {"type": "status", "feed": "ok"} after the blip')
        assert await scan(ha, 4) == "ok" and await scan(hb, 0) == "already_checked_in"
        stats = (await ha.get(f"{path}/stats")).json()
        assert stats["checked_in"] == 5  # the scans made during the outage are stored
        for ws in (wa, wb):
            seen = await until(ws, scans_from("Door A", "Door B"),
                               "the scans of both processes after the blip")
            assert seen[-1]["stats"] == stats


async def test_arrival_notice_reaches_the_right_tablet_only(live_server, db):
    from event_ops.employers.service import add_employer

    event = await open_event()
    care = await add_employer(event, name="Zorggroep Noord", stand_label="A1", sector="care")
    build = await add_employer(event, name="Bouw BV", stand_label="B1", sector="construction")
    fan = await visitor(event, 1, name="Eva Mulder", share=True)
    shy = await visitor(event, 2, name="Yonas Tesfay", share=False)
    door = await bearer(event)
    care_tab = (await bearer(event, "employer", employer_id=care.id))["Authorization"][7:]
    build_tab = (await bearer(event, "employer", employer_id=build.id))["Authorization"][7:]
    base = live_server.replace("http://", "ws://") + f"/ws/events/{event.slug}/stand?token="
    async with websockets.connect(base + care_tab) as ws_care, \
            websockets.connect(base + build_tab) as ws_build:
        assert (await receive(ws_care)) == {"type": "hello", "recommended": 1}
        assert (await receive(ws_build)) == {"type": "hello", "recommended": 0}
        async with httpx.AsyncClient(base_url=live_server, headers=door) as http:
            for v in (shy, fan):
                r = await http.post(f"/api/v1/events/{event.slug}/checkins",
                                    json={"token": await badge(event, v.registration_id)})
                assert r.json()["status"] == "ok"
        arrival = await receive(ws_care)
        assert arrival["type"] == "arrival"
        assert arrival["visitor"]["first_name"] == "Eva"
        assert arrival["visitor"]["name"] == "Eva Mulder"
        with pytest.raises(TimeoutError):
            await receive(ws_care, timeout=0.7)  # the non-consenting visitor is not announced
        with pytest.raises(TimeoutError):
            await receive(ws_build, timeout=0.3)


async def test_dashboard_numbers_follow_undo_and_cancellation(live_server, db, settings):
    """After a check-in, its undo at the door and a cancellation by a visitor who had come
    in, the live feed's numbers are exactly what ``/stats`` says (they once kept "inside 3"
    after an undo, and showed "registered 4 / inside 5" after a cancellation)."""
    from event_ops.mail.render import visitor_page_url
    from tests.helpers import csrf_token

    event = await open_event()
    people = [await visitor(event, n, name=f"Gast {n}") for n in range(1, 4)]
    tokens = [await badge(event, p.registration_id) for p in people]
    door = await bearer(event, label="Door North")
    url = ws_url(live_server, event.slug, door["Authorization"][7:])

    async def next_stats(ws) -> dict:
        """The stats of the next message (several may come; the newest counts)."""
        message = await receive(ws)
        while True:
            try:
                message = await receive(ws, timeout=0.4)
            except TimeoutError:
                return message["stats"]

    async with websockets.connect(url) as ws, \
            httpx.AsyncClient(base_url=live_server, headers=door) as http:
        stats_url = f"/api/v1/events/{event.slug}/stats"
        assert (await receive(ws))["stats"] == (await http.get(stats_url)).json()
        for token in tokens[:2]:
            r = await http.post(f"/api/v1/events/{event.slug}/checkins", json={"token": token})
            assert r.json()["status"] == "ok"
        live = await next_stats(ws)
        assert live == (await http.get(stats_url)).json()
        assert live["checked_in"] == 2

        r = await http.post(f"/api/v1/events/{event.slug}/checkins/undo",
                            json={"registration_id": people[1].registration_id})
        assert r.status_code == 200, r.text
        live = await next_stats(ws)
        assert live == (await http.get(stats_url)).json()
        assert live == {"registered": 3, "checked_in": 1, "by_door": {"Door North": 1},
                        **NO_DESK_COUNTS}

        # The visitor who is inside cancels on her own page.
        page = visitor_page_url(settings, people[0].visitor_id, 1).split("8000", 1)[-1]
        csrf = csrf_token()
        r = await http.post(f"{page}/cancel/{people[0].registration_id}",
                            headers={"Cookie": f"csrftoken={csrf}", "X-CSRFToken": csrf},
                            data={"_csrf_token": csrf})
        assert r.status_code in (200, 303), r.text
        live = await next_stats(ws)
        assert live == (await http.get(stats_url)).json()
        assert live["registered"] == 2
        assert live["checked_in"] <= live["registered"]
        assert live["checked_in"] == 0
