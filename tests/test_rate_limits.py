"""Rate limits per purpose and per client (app/ratelimit.py): separate buckets, trusted
proxies, unthrottled networks, public GETs, and Redis going away (never a 500).

The suite runs with ``EVENTOPS_RATE_LIMIT=0``; these tests build apps with explicit
settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
import subprocess
from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest

from app import ratelimit
from app.factory import create_app
from event_ops.core.settings import Settings
from event_ops.mail.render import visitor_page_url
from tests.conftest import free_port
from tests.helpers import csrf_token, open_event, service_missing, visitor

REDIS_DB = "redis://127.0.0.1:6379/5"


@pytest.fixture(autouse=True)
def one_window(monkeypatch) -> None:
    """Every count of a test falls in one one-minute window, whenever the test runs."""
    start = ratelimit._now()
    monkeypatch.setattr(ratelimit, "_now", lambda: start // 60 * 60 + 1)


@contextlib.asynccontextmanager
async def running(settings: Settings, **changes) -> AsyncIterator:
    """The app with these settings, its lifespan running in this loop; yields a function
    that gives an HTTP client coming from a given address."""
    app_ = create_app(msgspec.structs.replace(settings, **changes))
    started, stop = asyncio.Event(), asyncio.Event()

    async def run_lifespan() -> None:
        async with app_.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run_lifespan())
    await started.wait()
    clients: list[httpx.AsyncClient] = []

    def client_from(address: str, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app_, client=(address, 50000)),
            base_url="http://127.0.0.1:8000", headers=headers)
        clients.append(http)
        return http

    try:
        yield client_from
    finally:
        for http in clients:
            await http.aclose()
        stop.set()
        await task


CSRF = csrf_token()


def wrong_login(http: httpx.AsyncClient):
    """The login form as a browser sends it (CSRF cookie + field), with a wrong password."""
    http.cookies.set("csrftoken", CSRF)
    return http.post("/login", data={"email": "x@example.nl", "password": "not it",
                                     "_csrf_token": CSRF})


def sign_up(http: httpx.AsyncClient, slug: str, n: int):
    return http.post(f"/api/v1/events/{slug}/registrations",
                     json={"name": "Festival Guest", "email": f"guest{n}@example.nl",
                           "consent_terms": True})


async def test_a_sign_up_rush_from_one_address_leaves_login_pairing_and_visitor_pages(
        db, settings):
    """Finding 7: 65 sign-ups from a festival NAT locked everything else for a minute."""
    event = await open_event()
    guest = await visitor(event, 1)
    me = visitor_page_url(settings, guest.visitor_id, 1).split("8000", 1)[1]
    async with running(settings, rate_limit=60) as client_from:
        nat = client_from("198.51.100.7")
        codes = [(await sign_up(nat, event.slug, n)).status_code for n in range(65)]
        assert codes[:60] == [201] * 60 and codes[60:] == [429] * 5
        # Sign-ups are full for this address; nothing else it does is.
        assert (await nat.get(me)).status_code == 200
        assert (await wrong_login(nat)).status_code == 401
        assert (await nat.post("/api/v1/pair/not-a-code")).status_code == 404
        assert (await nat.get(f"/events/{event.slug}")).status_code == 200
        # Another address signs up as usual.
        assert (await sign_up(client_from("198.51.100.8"), event.slug, 99)).status_code == 201


async def test_public_pages_and_badge_downloads_are_throttled(db, settings):
    """Finding 2: the badge PNG and the sign-up page were not throttled at all."""
    event = await open_event()
    async with running(settings, rate_limit=5) as client_from:
        http = client_from("203.0.113.5")
        made = await sign_up(http, event.slug, 1)
        badge = made.json()["badge_url"].split("8000", 1)[1]
        badge_codes = [(await http.get(badge)).status_code for _ in range(7)]
        assert badge_codes == [200] * 5 + [429] * 2
        page_codes = [(await http.get(f"/events/{event.slug}/register")).status_code
                      for _ in range(12)]  # public pages: twice the limit
        assert page_codes == [200] * 10 + [429] * 2
        limited = await http.get(f"/events/{event.slug}")  # a page for people, in Dutch
        assert limited.status_code == 429 and "Wacht een minuut" in limited.text
        assert 0 < int(limited.headers["retry-after"]) <= 61
        assert "default-src 'self'" in limited.headers["content-security-policy"]
        assert "Wait a minute" in (await http.get(f"/events/{event.slug}?lang=en")).text
        api = await http.post(f"/api/v1/events/{event.slug}/registrations", json={})
        assert api.status_code == 400  # the sign-up bucket is another one
        assert (await http.get("/health")).status_code == 200  # never throttled
        # Another client is not affected.
        assert (await client_from("203.0.113.6").get(badge)).status_code == 200


async def test_a_trusted_proxy_tells_clients_apart_and_others_cannot_pretend(db, settings):
    event = await open_event()
    async with running(settings, rate_limit=3, trusted_proxies="10.0.0.0/24") as client_from:
        proxy = client_from("10.0.0.2")
        for visitor_address in ("192.0.2.10", "192.0.2.11"):
            codes = [(await proxy.get(f"/events/{event.slug}", headers={
                "X-Forwarded-For": f"{visitor_address}, 10.0.0.9"})).status_code
                for _ in range(7)]
            assert codes == [200] * 6 + [429], visitor_address  # its own bucket each
        # A client that is not a trusted proxy cannot choose its address by header.
        stranger = client_from("192.0.2.50")
        codes = [(await stranger.get(f"/events/{event.slug}", headers={
            "X-Forwarded-For": f"192.0.2.{100 + n}"})).status_code for n in range(7)]
        assert codes == [200] * 6 + [429]


async def test_an_unthrottled_network_signs_up_without_limit(db, settings):
    event = await open_event()
    async with running(settings, rate_limit=3, unthrottled_networks="192.0.2.0/24, 2001:db8::/32",
                       trusted_proxies="10.0.0.1") as client_from:
        desk = client_from("192.0.2.40")
        assert [(await sign_up(desk, event.slug, n)).status_code for n in range(8)] == [201] * 8
        # Behind the venue's proxy, the desk's address counts, not the proxy's.
        proxied = client_from("10.0.0.1", headers={"X-Forwarded-For": "2001:db8::5"})
        codes = [(await sign_up(proxied, event.slug, 10 + n)).status_code for n in range(5)]
        assert codes == [201] * 5
        outside = client_from("198.51.100.3")
        codes = [(await sign_up(outside, event.slug, 20 + n)).status_code for n in range(4)]
        assert codes == [201] * 3 + [429]


async def test_ipv6_clients_count_per_64(db, settings):
    event = await open_event()
    async with running(settings, rate_limit=2) as client_from:
        codes = [(await sign_up(client_from(f"2001:db8:1:2::{n + 1}"), event.slug, n)
                  ).status_code for n in range(3)]
        assert codes == [201, 201, 429]
        assert (await sign_up(client_from("2001:db8:1:3::1"), event.slug, 9)).status_code == 201


def test_bad_network_settings_stop_the_server_with_a_clear_message(settings):
    with pytest.raises(ValueError, match="EVENTOPS_TRUSTED_PROXIES: 'venue-proxy'"):
        create_app(msgspec.structs.replace(settings, rate_limit=5,
                                           trusted_proxies="10.0.0.1, venue-proxy"))


def test_every_route_in_the_bucket_table_exists(settings):
    """A renamed route would silently fall out of its bucket."""
    app_ = create_app(settings)
    templates = {(method, re.sub(r":\w+}", "}", route.path))
                 for route in app_.routes for handler in getattr(route, "route_handlers", [])
                 for method in (getattr(handler, "http_methods", None) or ())}
    assert set(ratelimit.ROUTE_BUCKETS) <= templates
    assert set(ratelimit.ROUTE_BUCKETS.values()) <= set(ratelimit.BUCKET_FACTORS)


@pytest.fixture
def own_redis() -> AsyncIterator:
    """A redis-server of this test's own on a free port, to stop and start at will."""
    binary = shutil.which("redis-server")
    if binary is None:
        service_missing("redis-server is not installed")
    port = free_port()
    procs: list[subprocess.Popen] = []

    def start() -> None:
        procs.append(subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from tests.conftest import wait_for_port
        wait_for_port(port)

    def stop() -> None:
        proc = procs[-1]
        proc.terminate()
        proc.wait(10)

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", start, stop
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


async def test_with_redis_down_rate_limited_routes_still_answer(
        db, settings, own_redis, monkeypatch):
    """Finding 4: with Redis down, sign-up, /me/, /login and pairing answered 500."""
    url, start, stop = own_redis
    monkeypatch.setattr(ratelimit, "REDIS_RETRY_SECONDS", 0.0)  # try Redis on every request
    event = await open_event()
    guest = await visitor(event, 1)
    me = visitor_page_url(settings, guest.visitor_id, 1).split("8000", 1)[1]
    records: list[logging.LogRecord] = []
    catch = logging.Handler(logging.WARNING)
    catch.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("eventops.ratelimit").addHandler(catch)
    try:
        async with running(settings, rate_limit=5, redis_url=url) as client_from:
            http = client_from("198.51.100.20")
            assert (await sign_up(http, event.slug, 1)).status_code == 201
            stop()
            codes = [(await sign_up(http, event.slug, n)).status_code for n in range(2, 8)]
            # Counted in this process meanwhile: still a limit, never a 500.
            assert codes == [201] * 5 + [429]
            assert (await http.get(me)).status_code == 200
            assert (await wrong_login(http)).status_code == 401
            assert (await http.post("/api/v1/pair/not-a-code")).status_code == 404
            outage = [r for r in records if "does not answer" in r.getMessage()]
            assert len(outage) == 1  # once per outage, not once per request
            start()
            other = client_from("198.51.100.21")
            assert (await sign_up(other, event.slug, 50)).status_code == 201
            assert any("answers again" in r.getMessage() for r in records)
    finally:
        logging.getLogger("eventops.ratelimit").removeHandler(catch)


async def test_limits_in_redis_hold_across_processes(db, settings):
    """Two app instances (as two processes) share one count per client through Redis."""
    import redis.asyncio as redis

    event = await open_event()
    store = redis.Redis.from_url(REDIS_DB)
    try:
        await store.ping()
    except Exception:
        service_missing("no Redis at 127.0.0.1:6379")
    try:
        for key in await store.keys("ratelimit:signup:198.51.100.30:*"):
            await store.delete(key)
        async with running(settings, rate_limit=4, redis_url=REDIS_DB) as first, \
                running(settings, rate_limit=4, redis_url=REDIS_DB) as second:
            one, two = first("198.51.100.30"), second("198.51.100.30")
            codes = [(await sign_up(one if n % 2 else two, event.slug, n)).status_code
                     for n in range(6)]
            assert codes == [201] * 4 + [429] * 2
    finally:
        for key in await store.keys("ratelimit:signup:198.51.100.30:*"):
            await store.delete(key)
        await store.aclose()


async def test_a_flooding_client_waits_for_its_refusals_and_nobody_else_does(
        db, settings, monkeypatch):
    """Issue 12 #2: thousands of cheap 429s a second still kept the one event loop busy and
    slowed the door to p50 30 ms. Past twice its limit a client waits for each refusal
    (benchmarks/badge_flood.py --rate-limit 60 measures the door during such a flood)."""
    monkeypatch.setattr(ratelimit, "FLOOD_DELAY_SECONDS", 0.5)
    event = await open_event()
    async with running(settings, rate_limit=2) as client_from:
        flooder = client_from("203.0.113.9")
        page = f"/events/{event.slug}"
        codes = [(await flooder.get(page)).status_code for _ in range(8)]  # page bucket: 4
        assert codes == [200] * 4 + [429] * 4
        loop = asyncio.get_running_loop()
        started = loop.time()
        refused = asyncio.create_task(flooder.get(page))  # the 9th: over twice the limit
        await asyncio.sleep(0.05)
        other = await client_from("198.51.100.20").get(page)
        assert other.status_code == 200 and loop.time() - started < 0.45  # not held up
        assert not refused.done()
        assert (await refused).status_code == 429 and loop.time() - started >= 0.5
