"""Rate limits per purpose and per client, and who "the client" is behind a proxy.

Every throttled request is counted in one *bucket* (what it is for) for one *client* (its
address). Buckets are separate, so 65 sign-ups from a festival Wi-Fi behind one NAT do not
lock that address out of door pairing, organiser login or visitor pages.

Limits come from ``EVENTOPS_RATE_LIMIT`` (R, requests per minute per client on public
endpoints; ``0`` turns every limit off): each bucket allows ``max(1, round(R × factor))``
requests per client per minute (``BUCKET_FACTORS``).

**Putting a route in a bucket.** Give its handler ``opt={"rate_limit": "<bucket>"}``
(``"none"``: never throttled), or add it to ``ROUTE_BUCKETS`` (method + path template) for
a route defined elsewhere. Every path under ``/me/`` and ``/s/`` (secret links of visitors)
is in ``visitor`` unless its handler says otherwise. Routes in no bucket are not throttled.

**The client.** The peer address of the connection; when that peer is one of
``EVENTOPS_TRUSTED_PROXIES`` (comma-separated addresses or CIDR networks), the address it
reports in ``X-Forwarded-For`` instead (read from the right, skipping further trusted
proxies), so clients behind a venue's reverse proxy are counted apart. Clients in
``EVENTOPS_UNTHROTTLED_NETWORKS`` (CIDR list, e.g. the sign-up desk's LAN or the venue's
public NAT address) are never throttled. IPv6 clients are counted per /64.

**Counting.** Fixed one-minute windows: in Redis when ``EVENTOPS_REDIS_URL`` is set (one
``INCR`` + ``EXPIRE``, so the limit holds across processes), else in this process. When
Redis does not answer, the limits fall back to counting in this process (never a 500); the
outage is logged once, and Redis is tried again every ``REDIS_RETRY_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ipaddress
import logging
import time
from collections.abc import Iterable
from typing import Any

from litestar.exceptions import TooManyRequestsException
from litestar.types import ASGIApp, Receive, Scope, Send

from event_ops.core.caches import Cache
from event_ops.core.settings import Settings

log = logging.getLogger("eventops.ratelimit")

WINDOW_SECONDS = 60
# Bucket → share of EVENTOPS_RATE_LIMIT per client per minute.
BUCKET_FACTORS: dict[str, float] = {
    "signup": 1.0,    # sign-up form and API
    "visitor": 1.0,   # a visitor's own pages behind their secret link (/me/…, /s/…)
    "page": 2.0,      # public page GETs: event list, event page, sign-up form, login form
    "badge": 1.0,     # badge PNG / PDF / print page (rendering costs 35-80 ms of CPU)
    "login": 0.5,     # the login form's POST (guessing is also limited per account)
    "pairing": 0.5,   # redeeming a device pairing code
    "mail": 0.1,      # anything that sends a mail to a typed-in address ("send my link")
}
NO_BUCKET = "none"

ROUTE_BUCKETS: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/events/{slug}/registrations"): "signup",
    ("POST", "/events/{slug}/register"): "signup",
    ("GET", "/events/{slug}/register"): "page",
    ("GET", "/events/{slug}"): "page",
    ("GET", "/"): "page",
    ("GET", "/login"): "page",
    ("GET", "/pair"): "page",
    ("POST", "/login"): "login",
    ("GET", "/events/{slug}/employer-signup"): "page",
    ("POST", "/events/{slug}/employer-signup"): "signup",
    ("GET", "/employer/login"): "page",
    ("POST", "/employer/login"): "mail",
    ("GET", "/employer/login/{token}"): "page",
    ("POST", "/employer/login/{token}"): "login",
    ("POST", "/api/v1/pair/{code}"): "pairing",
    ("GET", "/badges/{name}"): "badge",
    ("GET", "/badges/{token}/print"): "badge",
}
PREFIX_BUCKETS: tuple[tuple[str, str], ...] = (("/me/", "visitor"), ("/s/", "visitor"))

REDIS_RETRY_SECONDS = 5.0
_now = time.time  # the tests hold the clock inside one window
REDIS_TIMEOUT_SECONDS = 0.5
# A client far over its limit (more than FLOOD_FACTOR times it in one window) is flooding,
# not a crowd behind one NAT: each of its refusals waits FLOOD_DELAY_SECONDS before it is
# answered. A flood of back-to-back requests then sends one request per connection per
# delay instead of thousands a second of refusals, which would still keep the one event loop
# busy and slow the door (benchmarks/badge_flood.py). A waiting refusal is a sleeping
# coroutine, nothing more.
FLOOD_FACTOR = 2
FLOOD_DELAY_SECONDS = 1.0

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def bucket_limits(rate_limit: int) -> dict[str, int]:
    """Requests per client per minute for each bucket; empty when limits are off."""
    if rate_limit <= 0:
        return {}
    return {name: max(1, round(rate_limit * factor)) for name, factor in BUCKET_FACTORS.items()}


def bucket_for(scope: Scope) -> str | None:
    """The bucket this request counts in, or None (not throttled)."""
    handler = scope.get("route_handler")
    chosen = getattr(handler, "opt", {}).get("rate_limit") if handler is not None else None
    if chosen is not None:
        return None if chosen == NO_BUCKET else str(chosen)
    template = scope.get("path_template", "")
    bucket = ROUTE_BUCKETS.get((scope.get("method", ""), template))
    if bucket is not None:
        return bucket
    return next((b for prefix, b in PREFIX_BUCKETS if template.startswith(prefix)), None)


@functools.lru_cache(maxsize=16)
def parse_networks(text: str, setting: str = "") -> tuple[Network, ...]:
    """``"10.0.0.0/8, 192.0.2.7, 2001:db8::/32"`` → networks. A bad entry raises
    ValueError naming the setting, so a typo stops the server instead of trusting nobody
    (or everybody) silently."""
    networks = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"{setting or 'network list'}: {part!r} is not an IP address"
                             " or network (e.g. 10.0.0.0/8)") from exc
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _within(address: Any, networks: Iterable[Network]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(scope: Scope, trusted_proxies: tuple[Network, ...]) -> str:
    """The address of the client that sent this request (see the module text). Only a
    trusted peer's X-Forwarded-For counts: anyone else could write any address there."""
    peer = (scope.get("client") or ("", 0))[0] or "unknown"
    address = _address(peer)
    if address is None or not trusted_proxies or not _within(address, trusted_proxies):
        return str(address) if address is not None else peer
    forwarded = ",".join(v.decode("latin-1") for k, v in scope.get("headers", ())
                         if k == b"x-forwarded-for")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        if not _within(address, trusted_proxies):
            break
        parsed = _address(hop)
        if parsed is None:
            break  # garbage in the header: the last proxy we trust is the client
        address = parsed
    return str(address)


def client_key(client: str) -> str:
    """What one client is for counting: its address, or for IPv6 its /64 (one home or
    phone gets a whole /64 and could otherwise step through addresses)."""
    address = _address(client)
    if address is None or address.version == 4:
        return client
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


class Counter:
    """Fixed-window counts: Redis when configured and answering, else this process."""

    def __init__(self, redis_url: str | None) -> None:
        self._redis_url = redis_url
        self._redis: Any = None
        self._redis_down_until = 0.0
        self._outage = False
        self._local: dict[str, tuple[int, int]] = {}

    def _local_hit(self, key: str, window: int) -> int:
        seen_window, count = self._local.get(key, (window, 0))
        count = count + 1 if seen_window == window else 1
        if len(self._local) > 50_000:  # forget finished windows now and then
            self._local = {k: v for k, v in self._local.items() if v[0] == window}
        self._local[key] = (window, count)
        return count

    async def hit(self, key: str) -> tuple[int, int]:
        """Count one request for ``key``; returns (count in this window, seconds left)."""
        now = _now()
        window = int(now // WINDOW_SECONDS)
        left = int((window + 1) * WINDOW_SECONDS - now) + 1
        if self._redis_url and now >= self._redis_down_until:
            try:
                return await self._redis_hit(f"{key}:{window}"), left
            except Exception as exc:  # any failure of Redis: count here, never a 500
                self._redis_down_until = now + REDIS_RETRY_SECONDS
                if not self._outage:
                    self._outage = True
                    log.warning("rate limits: Redis does not answer (%s); counting in this"
                                " process until it is back", type(exc).__name__)
        return self._local_hit(key, window), left

    async def _redis_hit(self, key: str) -> int:
        if self._redis is None:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(
                self._redis_url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                socket_timeout=REDIS_TIMEOUT_SECONDS, retry_on_timeout=False)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(f"ratelimit:{key}")
            pipe.expire(f"ratelimit:{key}", WINDOW_SECONDS + 5)
            count, _ = await pipe.execute()
        if self._outage:
            self._outage = False
            log.warning("rate limits: Redis answers again; counting there")
        return int(count)

    async def close(self) -> None:
        if self._redis is not None:
            redis, self._redis = self._redis, None
            with contextlib.suppress(Exception):  # a client of a dead server: nothing to save
                await redis.aclose()


class RateLimiter:
    """The middleware (``RateLimiter(settings).middleware``) and its counter."""

    def __init__(self, settings: Settings) -> None:
        self.limits = bucket_limits(settings.rate_limit)
        self.trusted = parse_networks(settings.trusted_proxies, "EVENTOPS_TRUSTED_PROXIES")
        self.unthrottled = parse_networks(settings.unthrottled_networks,
                                          "EVENTOPS_UNTHROTTLED_NETWORKS")
        self.counter = Counter(settings.redis_url)

    async def check(self, scope: Scope) -> None:
        """Raise 429 (with Retry-After) when this request is over its bucket's limit."""
        bucket = bucket_for(scope)
        if bucket is None:
            return
        # A bucket name not in BUCKET_FACTORS (a typo in a route's opt) still counts, at R.
        limit = self.limits.get(bucket, self.limits["signup"])
        client = client_address(scope, self.trusted)
        if self.unthrottled and (address := _address(client)) is not None \
                and _within(address, self.unthrottled):
            return
        try:
            count, left = await self.counter.hit(f"{bucket}:{client_key(client)}")
        except Exception:  # counting must never break the request it counts
            log.exception("rate limits: counting failed; letting the request through")
            return
        if count > limit:
            if count > FLOOD_FACTOR * limit:
                await asyncio.sleep(FLOOD_DELAY_SECONDS)
            raise TooManyRequestsException(headers={"Retry-After": str(left)})

    def middleware(self, app: ASGIApp) -> ASGIApp:
        async def rate_limited(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and self.limits:
                try:
                    await self.check(scope)
                except TooManyRequestsException as exc:
                    if scope["path"].startswith(("/api/", "/badges/")):
                        raise  # the JSON error of the API (app/errors.py)
                    await _refuse_page(scope, send, exc.headers or {})
                    return
            await app(scope, receive, send)

        return rate_limited


async def _refuse_page(scope: Scope, send: Send, headers: dict[str, str]) -> None:
    """A person on a page gets a page (Dutch or English), not a JSON error."""
    from litestar import Request

    from app.pages.common import page_language

    body = _refusal_page(scope["litestar_app"], page_language(Request(scope)))
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"),
        *((k.lower().encode(), v.encode()) for k, v in headers.items())]})
    await send({"type": "http.response.body", "body": body})


# By (id of the app, language).
_refusal_pages: Cache[tuple[int, str], bytes] = Cache("ratelimit.refusal_pages")


def _refusal_page(app: Any, lang: str) -> bytes:
    """The 429 page in one language, rendered once per app (a flood gets thousands)."""
    key = (id(app), lang)
    body = _refusal_pages.get(key)
    if body is None:
        html = app.template_engine.get_template("error.html").render(
            lang=lang, other_lang="en" if lang == "nl" else "nl", path="/",
            message_key="error.rate_limited")
        body = _refusal_pages[key] = html.encode()
    return body
