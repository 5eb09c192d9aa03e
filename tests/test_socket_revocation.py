"""Open websockets end with their credential: a revoked token, a logout, a disabled account.

Real server processes and the ``websockets`` client, as the door, the dashboard and the
stand tablet use them. A socket whose access ended is closed with code 4401 and a reason.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import httpx
import msgspec
import pytest
import websockets

from event_ops.employers.service import add_employer
from tests.conftest import ROOT
from tests.helpers import (
    badge,
    bearer,
    open_event,
    require_redis,
    signed_in,
    visitor,
)

REDIS_URL = os.environ.get("EVENTOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CLOSE_ACCESS_ENDED = 4401
# Revoked in this process: at once. Elsewhere without Redis: the 1 s recheck. Plus room for a
# busy test machine.
PROMPT = 2.5


def ws_url(base: str, slug: str, feed: str = "live", token: str | None = None) -> str:
    url = base.replace("http://", "ws://") + f"/ws/events/{slug}/{feed}"
    return url + (f"?token={token}" if token else "")


async def receive(ws, timeout: float = 5.0) -> dict:
    return msgspec.json.decode(await asyncio.wait_for(ws.recv(), timeout))


async def closed_within(ws, seconds: float) -> tuple[int, str, list[dict]]:
    """Wait until the server closes ``ws``: (code, reason, messages received before).
    Fails when it is still open after ``seconds``."""
    got: list[dict] = []
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"still open {seconds} s later, after receiving {got}")
            got.append(await receive(ws, left))
    except TimeoutError:
        pytest.fail(f"still open {seconds} s later, after receiving {got}")
    except websockets.exceptions.ConnectionClosed as closed:
        assert closed.rcvd is not None, "the connection dropped without a close frame"
        return closed.rcvd.code, closed.rcvd.reason, got


async def device_id(base: str, slug: str, manager: dict, label: str) -> int:
    async with httpx.AsyncClient(base_url=base, headers=manager) as http:
        devices = (await http.get(f"/api/v1/events/{slug}/devices")).json()
    return next(d["id"] for d in devices if d["label"] == label)


async def revoke(base: str, slug: str, manager: dict, label: str) -> None:
    number = await device_id(base, slug, manager, label)
    async with httpx.AsyncClient(base_url=base, headers=manager) as http:
        r = await http.post(f"/api/v1/events/{slug}/devices/{number}/revoke")
    assert r.status_code == 201, r.text


async def test_a_revoked_door_loses_the_live_feed_at_once(live_server, db):
    event = await open_event()
    organiser = await bearer(event, "organiser", label="Organisation")
    door = await bearer(event, label="Door North")
    async with websockets.connect(ws_url(live_server, event.slug,
                                         token=door["Authorization"][7:])) as ws:
        assert (await receive(ws))["type"] == "snapshot"
        await revoke(live_server, event.slug, organiser, "Door North")
        code, reason, _ = await closed_within(ws, PROMPT)
    assert (code, reason) == (CLOSE_ACCESS_ENDED, "token_revoked")
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(ws_url(live_server, event.slug,
                                             token=door["Authorization"][7:])):
            pass


async def test_a_revoked_stand_tablet_gets_no_more_visitor_cards(live_server, db):
    event = await open_event()
    care = await add_employer(event, name="Zorggroep Noord", stand_label="A1", sector="care")
    fan = await visitor(event, 1, name="Eva Mulder", share=True)
    admin = await bearer(event, "employer", label="Zorg admin", employer_id=care.id)
    tablet = await bearer(event, "employer_tablet", label="Tablet A2", employer_id=care.id)
    door = await bearer(event)
    async with websockets.connect(ws_url(live_server, event.slug, "stand",
                                         tablet["Authorization"][7:])) as ws:
        assert await receive(ws) == {"type": "hello", "recommended": 1}
        await revoke(live_server, event.slug, admin, "Tablet A2")
        # The visitor arrives right after the revocation: the card must not go out.
        async with httpx.AsyncClient(base_url=live_server, headers=door) as http:
            r = await http.post(f"/api/v1/events/{event.slug}/checkins",
                                json={"token": await badge(event, fan.registration_id)})
            assert r.json()["status"] == "ok"
        code, reason, before = await closed_within(ws, PROMPT)
    assert before == []  # no arrival card with Eva's name, e-mail and phone
    assert (code, reason) == (CLOSE_ACCESS_ENDED, "token_revoked")


@pytest.mark.parametrize("channel", ["timer", "redis"])
async def test_revoking_through_another_process_closes_the_socket_here(
        server_factory, db, channel):
    """Several processes (workers or machines): the socket is open on A, the organiser
    revokes on B. With Redis, A hears it at once (and its token cache forgets the token);
    without, A's watcher finds it within a second."""
    extra = {}
    if channel == "redis":
        require_redis()
        extra = {"EVENTOPS_REDIS_URL": REDIS_URL}
    event = await open_event()
    organiser = await bearer(event, "organiser", label="Organisation")
    door = await bearer(event, label="Door North")
    a, b = server_factory(**extra), server_factory(**extra)
    stats = f"/api/v1/events/{event.slug}/stats"
    async with httpx.AsyncClient(base_url=a, headers=door) as on_a:
        assert (await on_a.get(stats)).status_code == 200  # the token is in A's cache now
        async with websockets.connect(ws_url(a, event.slug,
                                             token=door["Authorization"][7:])) as ws:
            assert (await receive(ws))["type"] == "snapshot"
            await revoke(b, event.slug, organiser, "Door North")
            code, reason, _ = await closed_within(ws, PROMPT)
        assert (code, reason) == (CLOSE_ACCESS_ENDED, "token_revoked")
        if channel == "redis":  # the HTTP token cache too: not the 10 s of its timer
            assert (await on_a.get(stats)).status_code == 401


async def test_logging_out_closes_the_dashboard_of_that_session(live_server, db):
    event = await open_event()
    headers = await signed_in("organiser_staff", [event])
    cookie = {"Cookie": headers["Cookie"]}
    async with websockets.connect(ws_url(live_server, event.slug),
                                  additional_headers=cookie) as ws:
        assert (await receive(ws))["type"] == "snapshot"
        async with httpx.AsyncClient(base_url=live_server) as http:
            out = await http.post("/logout", headers={
                **headers, "Content-Type": "application/x-www-form-urlencoded"},
                content=f"_csrf_token={headers['X-CSRFToken']}")
            assert out.status_code in (302, 303)
        code, reason, _ = await closed_within(ws, PROMPT)
    assert (code, reason) == (CLOSE_ACCESS_ENDED, "session_ended")


async def test_disabling_the_account_on_the_command_line_closes_its_dashboards(
        live_server, db):
    event = await open_event()
    email = "anna@gemeente.example.nl"
    headers = await signed_in("organiser_staff", [event], email=email)
    async with websockets.connect(ws_url(live_server, event.slug),
                                  additional_headers={"Cookie": headers["Cookie"]}) as ws:
        assert (await receive(ws))["type"] == "snapshot"
        proc = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "app.cli", "account", "disable",
                             "--email", email], cwd=ROOT, env=os.environ,
            capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        code, reason, _ = await closed_within(ws, PROMPT)
    assert (code, reason) == (CLOSE_ACCESS_ENDED, "session_ended")


async def test_a_tablet_revoked_in_another_process_gets_no_card_there(server_factory, db):
    """No Redis, two processes: the token cache of A would still accept the tablet for up to
    10 s, but what hands out personal data looks the token up afresh."""
    event = await open_event()
    care = await add_employer(event, name="Zorggroep Noord", stand_label="A1", sector="care")
    eva = await visitor(event, 1, name="Eva Mulder", share=True)
    admin = await bearer(event, "employer", label="Zorg admin", employer_id=care.id)
    tablet = await bearer(event, "employer_tablet", label="Tablet A2", employer_id=care.id)
    door = await bearer(event)
    a, b = server_factory(), server_factory()
    token = await badge(event, eva.registration_id)
    card = f"/api/v1/events/{event.slug}/interests/card"
    async with httpx.AsyncClient(base_url=a) as on_a:
        r = await on_a.post(f"/api/v1/events/{event.slug}/checkins", headers=door,
                            json={"token": token})
        assert r.json()["status"] == "ok"
        first = await on_a.post(card, headers=tablet, json={"token": token})
        assert first.status_code == 200 and first.json()["visitor"]["name"] == "Eva Mulder"
        # A's token cache now holds the tablet; the admin revokes it on B.
        await revoke(b, event.slug, admin, "Tablet A2")
        again = await on_a.post(card, headers=tablet, json={"token": token})
        assert again.status_code == 401
        assert "Eva" not in again.text
