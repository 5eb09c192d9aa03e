"""``/metrics`` in Prometheus' text format (``prometheus-client``), and the request id.

What is measured, and what MUST hold:

* **No personal data and no secrets in labels.** Requests are labelled by *route group*
  (``api:checkins``, ``page:me``, ``ws:live``, …), derived from the route's template, never
  from the path (no slugs, links or tokens); methods and status classes (``2xx``) only.
  Unrouted requests (404 before routing) are not counted.
* **Cheap on the hot path.** Per request: the request id, one dict lookup for the group
  (cached per route template), two clock reads, and plain-int counts that ``flush`` hands to
  prometheus-client at the scrape: about 2 us of CPU per request in all, under 1 % of a
  check-in (benchmarks/metrics_overhead.py).
* **Several worker processes** (``eventops serve --workers N``): the serve command gives
  them one ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multiprocess mode), so a scrape
  of any worker reports the sum over all of them: counters and histograms summed, live
  gauges (subscribers, pool use) summed over the processes alive, backlog and lag as the
  maximum. Each process flushes its counts and refreshes its gauges every second, so a
  scrape may miss the last second of the other workers. Without that directory
  (one process), a scrape reports this process, refreshed at the scrape.
* **Read from the database at the scrape** (the same for every process): the outbox by
  status (``pending`` is the queue, ``failed`` the failures).

Access: an organiser (account or token) or ``Authorization: Bearer <EVENTOPS_METRICS_TOKEN>``.
"""

from __future__ import annotations

import hmac
import itertools
import os
import re
import time
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from litestar import MediaType, Request, Response, get
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from app.api.auth import caller, requires
from app.errors import STATUS_BY_CODE
from app.logs import request_id

MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None

REQUESTS = Counter("eventops_http_requests", "HTTP requests answered, by route group",
                   ["group", "method", "status"])
LATENCY = Histogram("eventops_http_request_duration_seconds",
                    "Time to answer an HTTP request, by route group", ["group"],
                    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
CHECKINS = Counter("eventops_checkins", "Door scans answered, by status", ["status"])
VERIFIER_RESTARTS = Counter("eventops_verifier_restarts",
                            "Badge signature helper processes started again after one ended")
LIVE_SUBSCRIBERS = Gauge("eventops_live_subscribers",
                         "Dashboards and tablets connected to the live feed",
                         multiprocess_mode="livesum")
LIVE_BACKLOG = Gauge("eventops_live_backlog_messages",
                     "Longest queue of unsent live-feed messages of one subscriber",
                     multiprocess_mode="livemax")
LIVE_LAG = Gauge("eventops_live_lag_seconds",
                 "How long the last scans waited in a process before the live feed sent them",
                 multiprocess_mode="livemax")
POOL_IN_USE = Gauge("eventops_db_pool_connections_in_use",
                    "PostgreSQL connections in use (SQLite: not reported)",
                    multiprocess_mode="livesum")
POOL_SIZE = Gauge("eventops_db_pool_connections",
                  "PostgreSQL connections open in the pool", multiprocess_mode="livesum")
POOL_MAX = Gauge("eventops_db_pool_max_connections", "PostgreSQL pool size limit",
                 multiprocess_mode="livesum")

# The hot path counts into plain ints and lists on the event loop's thread; ``flush`` moves
# the increments into prometheus-client's metrics at each scrape (and every second with
# several workers). Updating prometheus-client per request takes a lock per value (a
# Histogram two, and an mmap write each in multiprocess mode): 1.1 us of CPU per request in
# one process, 3.1 us in multiprocess mode, against 0.1 us counted here
# (benchmarks/metrics_overhead.py).
_checkins: dict[str, int] = {}
_requests: dict[tuple[str, str, str], int] = {}
_BOUNDS = LATENCY._upper_bounds  # the buckets above, with +Inf last
_latency: dict[str, list[float]] = {}  # group -> [count per bucket…, sum of seconds]


def count_checkin(status: str) -> None:
    """One door scan answered with ``status``."""
    _checkins[status] = _checkins.get(status, 0) + 1


def flush() -> None:
    """Move what the hot path counted into the Prometheus metrics (on the loop's thread)."""
    global _checkins, _requests, _latency
    checkins, requests, latency = _checkins, _requests, _latency
    _checkins, _requests, _latency = {}, {}, {}
    for status, n in checkins.items():
        CHECKINS.labels(status).inc(n)
    for key, n in requests.items():
        REQUESTS.labels(*key).inc(n)
    for group, counts in latency.items():
        child = LATENCY.labels(group)
        # Histogram.observe takes one value; its buckets and sum (prometheus-client's own
        # value objects, also in multiprocess mode) take the counted increments at once.
        for i, n in enumerate(counts[:-1]):
            if n:
                child._buckets[i].inc(n)
        child._sum.inc(counts[-1])


# -- route groups --------------------------------------------------------------------------

_groups: dict[str, str] = {}
_PARAM = re.compile(r"\{[^}]*\}")


def route_group(template: str) -> str:
    """The group of a route template: ``api:<area>`` under /api/v1 (the segment after the
    event), ``admin:<area>``, ``ws:<feed>``, ``static``, else ``page:<first segment>``.
    Only literal parts of the template, so never a slug, link or token."""
    literals = [seg for seg in template.split("/") if seg and not _PARAM.search(seg)]
    if template.startswith("/static"):
        return "static"
    if literals[:2] == ["api", "v1"]:
        kind, rest = "api", literals[2:]
    elif literals[:1] in (["admin"], ["ws"]):
        kind, rest = literals[0], literals[1:]
    else:
        kind, rest = "page", literals
    if len(rest) > 1 and rest[0] == "events":
        rest = rest[1:]
    if kind == "page" and rest[:1] == ["events"] and "{" in template:
        rest = ["event"]
    return f"{kind}:{rest[0] if rest else 'home'}"


# -- the request id ------------------------------------------------------------------------

_ids = itertools.count(1)
_PREFIX = os.urandom(3).hex()
_GOOD_ID = re.compile(rb"^[A-Za-z0-9._\-]{1,64}$")


def _new_request_id(scope: Scope) -> str:
    # A proxy's X-Request-ID (nginx: $request_id) is kept when it looks like an id, so one
    # id follows the request through the proxy's log and ours.
    for name, value in scope["headers"]:
        if name == b"x-request-id" and _GOOD_ID.match(value):
            return value.decode()
    return f"{_PREFIX}-{next(_ids)}"


# -- the middleware ------------------------------------------------------------------------

_CLASSES = {n: f"{n}xx" for n in range(1, 6)}


def observe_middleware(app: ASGIApp) -> ASGIApp:
    """Counts and times every routed HTTP request by route group, and gives every request
    (and websocket) a request id: in the log (app/logs.py) and the ``X-Request-ID`` answer
    header. A proxy's well-formed ``X-Request-ID`` is kept."""

    async def observe(scope: Scope, receive: Receive, send: Send) -> None:
        rid = _new_request_id(scope)
        # Not reset afterwards: Litestar's outer error handler logs after this returns, in
        # the same task; every request runs in a task (and context) of its own.
        request_id.set(rid)
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        template = scope.get("path_template") or ""
        group = _groups.get(template)
        if group is None:
            group = _groups[template] = route_group(template)
        status = 500
        header = (b"x-request-id", rid.encode())

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        started = time.perf_counter()
        try:
            await app(scope, receive, send_observed)
        except BaseException as exc:
            # Answered by Litestar's outer error handler (a middleware's DomainError, say).
            status = getattr(exc, "status_code", None) or \
                STATUS_BY_CODE.get(getattr(exc, "code", ""), 500)
            raise
        finally:
            elapsed = time.perf_counter() - started
            key = (group, scope["method"], _CLASSES[status // 100])
            _requests[key] = _requests.get(key, 0) + 1
            counts = _latency.get(group)
            if counts is None:
                counts = _latency[group] = [0.0] * (len(_BOUNDS) + 1)
            counts[bisect_left(_BOUNDS, elapsed)] += 1
            counts[-1] += elapsed

    return observe


# -- per-process gauges --------------------------------------------------------------------

_restarts_counted = 0


def refresh_process_gauges(state: Any) -> None:
    """This process's counts, live feed, database pool and verifier, into the metrics."""
    global _restarts_counted
    flush()
    from badges.verifier import verifier
    from event_ops.core.db import current_engine

    subscribers, backlog, lag = state["feed"].gauges()
    LIVE_SUBSCRIBERS.set(subscribers)
    LIVE_BACKLOG.set(backlog)
    LIVE_LAG.set(lag)
    pool = getattr(current_engine(), "pool", None)
    if pool is not None:
        POOL_SIZE.set(pool.get_size())
        POOL_IN_USE.set(pool.get_size() - pool.get_idle_size())
        POOL_MAX.set(pool.get_max_size())
    restarts = max(verifier.children_started - 1, 0)
    if restarts > _restarts_counted:
        VERIFIER_RESTARTS.inc(restarts - _restarts_counted)
        _restarts_counted = restarts


def forget_dead_processes() -> None:
    """Multiprocess mode: drop the live gauges of worker processes that are gone (uvicorn
    restarts a worker that died; its last values must not count forever)."""
    if not MULTIPROCESS_DIR:
        return
    for name in os.listdir(MULTIPROCESS_DIR):
        found = re.match(r"^gauge_live\w*_(\d+)\.db$", name)
        if found and not _alive(int(found.group(1))):
            mark_process_dead(int(found.group(1)), MULTIPROCESS_DIR)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- the endpoint --------------------------------------------------------------------------


class _Snapshot:
    """Families read once per scrape (the outbox), for a throwaway registry."""

    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self) -> Iterator[GaugeMetricFamily]:
        return iter(self.families)


async def _outbox_family() -> GaugeMetricFamily:
    from event_ops.core.db import current_engine

    rows = await current_engine().fetch(
        "SELECT status, count(*) AS n FROM outbox_mail GROUP BY status")
    family = GaugeMetricFamily("eventops_outbox_mails",
                               "Mails in the outbox by status: pending is the queue, failed "
                               "gave up after every retry", labels=["status"])
    counts = {"pending": 0, "sent": 0, "failed": 0, **{r["status"]: r["n"] for r in rows}}
    for status, n in sorted(counts.items()):
        family.add_metric([status], n)
    return family


async def metrics_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The metrics token (constant-time compare), else an organiser: 401/403 otherwise."""
    token = connection.app.state.settings.metrics_token
    sent = connection.headers.get("authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return
    await caller(connection, None, "metrics.read")


@get("/metrics", guards=[metrics_guard], opt=requires("metrics.read"), include_in_schema=False,
     media_type=MediaType.TEXT)
async def metrics(request: Request) -> Response:
    """Prometheus text format: this app's counters, histograms and gauges."""
    refresh_process_gauges(request.app.state)
    snapshot = CollectorRegistry()
    snapshot.register(_Snapshot([await _outbox_family()]))
    if MULTIPROCESS_DIR:
        forget_dead_processes()
        combined = CollectorRegistry()
        MultiProcessCollector(combined, MULTIPROCESS_DIR)
        body = generate_latest(combined)
    else:
        body = generate_latest(REGISTRY)
    return Response(body + generate_latest(snapshot),
                    headers={"Content-Type": CONTENT_TYPE_LATEST})
