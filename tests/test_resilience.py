"""Kill the server mid-rush: every answered scan and sign-up is still there afterwards."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import httpx

from event_ops.core.db import current_engine
from tests.conftest import ROOT, free_port, wait_for_port
from tests.helpers import badge, bearer, open_event, visitor


def start(port: int) -> subprocess.Popen:
    env = {**os.environ, "EVENTOPS_BASE_URL": f"http://127.0.0.1:{port}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for_port(port)
    return proc


async def test_kill_and_restart_mid_rush_loses_no_acknowledged_write(db):
    event = await open_event()
    door = await bearer(event)
    tokens: list[str] = []
    registration_of: dict[str, int] = {}
    for n in range(300):
        v = await visitor(event, n)
        tokens.append(await badge(event, v.registration_id))
        registration_of[tokens[-1]] = v.registration_id
    port = free_port()
    proc = start(port)
    acknowledged_checkins: set[str] = set()
    acknowledged_signups: set[str] = set()
    enough = asyncio.Event()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=door,
                                     timeout=5) as http:
            async def scan(token: str) -> None:
                try:
                    r = await http.post(f"/api/v1/events/{event.slug}/checkins",
                                        json={"token": token})
                except httpx.HTTPError:
                    return
                if r.status_code == 200 and r.json()["status"] == "ok":
                    acknowledged_checkins.add(token)
                    if len(acknowledged_checkins) >= 60:
                        enough.set()

            async def sign_up(n: int) -> None:
                email = f"rush{n}@example.nl"
                try:
                    r = await http.post(f"/api/v1/events/{event.slug}/registrations",
                                        json={"name": "Rush Visitor", "email": email,
                                              "consent_terms": True})
                except httpx.HTTPError:
                    return
                if r.status_code == 201:
                    acknowledged_signups.add(email)

            async def killer() -> None:
                await enough.wait()
                os.killpg(proc.pid, signal.SIGKILL)  # no shutdown, no flush: a crash

            await asyncio.gather(killer(), *[scan(t) for t in tokens],
                                 *[sign_up(n) for n in range(100)])
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    assert 60 <= len(acknowledged_checkins) < len(tokens)  # the kill really hit mid-rush
    restarted = start(port)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=door) as http:
            stats = (await http.get(f"/api/v1/events/{event.slug}/stats")).json()
    finally:
        restarted.terminate()
        restarted.wait()
    assert stats["checked_in"] >= len(acknowledged_checkins)
    db = current_engine()
    checked_in = {r["id"] for r in await db.fetch(
        "SELECT id FROM registration WHERE checked_in_at IS NOT NULL")}
    assert {registration_of[t] for t in acknowledged_checkins} <= checked_in
    emails = {r["email"] for r in await db.fetch("SELECT email FROM visitor")}
    assert acknowledged_signups <= emails
