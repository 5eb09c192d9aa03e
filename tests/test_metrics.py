"""/metrics (issue 20): scraped from a real server during a short rush, its counters match
what was sent; it names route groups, never a slug, link, token or e-mail address; only
organisers and the metrics token may read it; with several workers every scrape counts
the requests of all of them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest
import websockets
from prometheus_client.parser import text_string_to_metric_families

from app.metrics import route_group
from tests.conftest import ROOT, free_port, wait_for_port
from tests.helpers import badge, bearer, open_event, visitor

METRICS_TOKEN = "metrics-scraper-token-0123456789"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape: (name, sorted labels) → value."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def rush(base: str, event, door: dict, tokens: list[str], signups: int) -> dict[str, int]:
    """Sign-ups and scans from concurrent clients; what the server answered, by kind."""
    sent = {"signup": 0, "ok": 0, "already_checked_in": 0, "invalid": 0}
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        async def sign_up(n: int) -> None:
            r = await client.post(f"/api/v1/events/{event.slug}/registrations", json={
                "name": f"Metric {n}", "email": f"metric{n}@example.nl",
                "consent_terms": True, "consent_share_profile": False})
            assert r.status_code == 201, r.text
            sent["signup"] += 1

        async def scan(token: str) -> None:
            r = await client.post(f"/api/v1/events/{event.slug}/checkins",
                                  json={"token": token}, headers=door)
            assert r.status_code == 200, r.text
            sent[r.json()["status"]] += 1

        jobs = [sign_up(n) for n in range(signups)]
        jobs += [scan(t) for t in tokens]  # first scans: ok
        jobs += [scan(t) for t in tokens[:5]]  # again: already_checked_in (after the first)
        jobs += [scan("EO1.not-a-badge") for _ in range(3)]
        await asyncio.gather(*jobs[:signups + len(tokens)])
        await asyncio.gather(*jobs[signups + len(tokens):])
    return sent


async def test_a_scrape_during_a_rush_matches_what_was_sent(server_factory, db, settings):
    event = await open_event()
    door = await bearer(event)
    organiser = await bearer(event, role="organiser", label="Organiser")
    tokens = []
    for n in range(20):
        registered = await visitor(event, n)
        tokens.append(await badge(event, registered.registration_id))
    base = server_factory(EVENTOPS_METRICS_TOKEN=METRICS_TOKEN)

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        # Access: organisers and the metrics token; not the door, not anonymous.
        assert (await client.get("/metrics")).status_code == 401
        assert (await client.get("/metrics", headers=door)).status_code == 403
        wrong = {"Authorization": "Bearer metrics-scraper-token-wrong"}
        assert (await client.get("/metrics", headers=wrong)).status_code == 401

        ws = base.replace("http://", "ws://") + f"/ws/events/{event.slug}/live?token=" \
            + organiser["Authorization"].removeprefix("Bearer ")
        async with websockets.connect(ws) as socket:
            await asyncio.wait_for(socket.recv(), 5)
            # A scrape in the middle of the rush answers, and is well-formed.
            during, sent = await asyncio.gather(
                client.get("/metrics", headers=organiser),
                rush(base, event, door, tokens, signups=30))
            assert during.status_code == 200
            samples(during.text)
            await asyncio.sleep(0.3)
            r = await client.get("/metrics",
                                 headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
            found = samples(r.text)
            assert value(found, "eventops_live_subscribers") == 1

    assert sent == {"signup": 30, "ok": 20, "already_checked_in": 5, "invalid": 3}
    for status in ("ok", "already_checked_in", "invalid"):
        assert value(found, "eventops_checkins_total", status=status) == sent[status], status
    assert value(found, "eventops_http_requests_total", group="api:registrations",
                 method="POST", status="2xx") == 30
    assert value(found, "eventops_http_requests_total", group="api:checkins",
                 method="POST", status="2xx") == 28
    assert value(found, "eventops_http_request_duration_seconds_count",
                 group="api:checkins") == 28
    assert value(found, "eventops_http_requests_total", group="page:metrics",
                 method="GET", status="4xx") == 3
    # Each sign-up queued its confirmation (no SMTP server configured: it stays queued).
    assert value(found, "eventops_outbox_mails", status="pending") >= 30
    assert ("eventops_verifier_restarts_total", ()) in found
    if not settings.is_sqlite:  # the asyncpg pool of the server process
        assert value(found, "eventops_db_pool_max_connections") == settings.postgres_pool_size
        assert 1 <= value(found, "eventops_db_pool_connections") <= settings.postgres_pool_size

    # No personal data or secrets: no slug, e-mail, name or token anywhere in the scrape.
    for secret in (event.slug, "example.nl", "Metric ", "Sara", METRICS_TOKEN,
                   door["Authorization"][7:], tokens[0][4:30]):
        assert secret not in r.text, secret


async def test_several_workers_each_scrape_counts_them_all(db, tmp_path):
    event = await open_event()
    door = await bearer(event)
    tokens = []
    for n in range(24):
        registered = await visitor(event, n)
        tokens.append(await badge(event, registered.registration_id))
    port = free_port()
    env = {**os.environ, "EVENTOPS_BASE_URL": f"http://127.0.0.1:{port}",
           "EVENTOPS_METRICS_TOKEN": METRICS_TOKEN}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2",
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        await asyncio.to_thread(wait_for_port, port)
        base = f"http://127.0.0.1:{port}"
        auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
        # New connections each time, so both workers answer some of them.
        for token in tokens:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                r = await client.post(f"/api/v1/events/{event.slug}/checkins",
                                      json={"token": token}, headers=door)
                assert r.json()["status"] == "ok"
        await asyncio.sleep(1.5)  # each worker flushes its counts every second
        pids = set()
        for _ in range(6):
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                r = await client.get("/metrics", headers=auth)
                found = samples(r.text)
                assert value(found, "eventops_checkins_total", status="ok") == 24
                assert value(found, "eventops_http_requests_total", group="api:checkins",
                             method="POST", status="2xx") == 24
                pids.add(r.headers["x-request-id"].split("-")[0])
        assert len(pids) == 2, "both workers answered a scrape"
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 15)


@pytest.mark.parametrize("template, group", [
    ("/api/v1/events/{slug:str}/checkins", "api:checkins"),
    ("/api/v1/events/{slug:str}/registrations/{registration_id:int}/reissue",
     "api:registrations"),
    ("/me/{link:str}/export", "page:me"),
    ("/badges/{link:str}.png", "page:badges"),
    ("/events/{slug:str}", "page:event"),
    ("/ws/events/{slug:str}/live", "ws:live"),
    ("/admin/events/{slug:str}/questions", "admin:questions"),
    ("/", "page:home"),
])
def test_route_groups_come_from_the_template_only(template, group):
    assert route_group(template) == group
