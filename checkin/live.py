"""The live feed: scans go out over Litestar channels (in-process, or Redis for several
processes); each process coalesces them into a few messages per second per event.

At most one message per ``COALESCE_SECONDS``: a scan is sent at once when the last message
went out at least that long ago, otherwise it waits for the rest of the interval and goes out
with everything else that arrived meanwhile, as one ``batch``. The interval is measured from
the start of one message to the start of the next, so the time spent sending does not
stretch it. Stats are read from the database at most once per ``STATS_SECONDS`` per event
per process, however many dashboards are watching, on a thread so the event loop does not
wait for the count (the scan items themselves are never delayed by that).

Scans finished in the same turn of the event loop are published as one channels message (a
JSON list of items): a group commit lets dozens of check-ins answer at once, and each
channels message costs several task switches on its way to the feed.

With Redis, the link to it may drop (a restart, a network blip). ``ResilientRedisBackend``
then keeps the feed alive: it reconnects with capped, jittered backoff, logs one line when
the link goes down and one when it is back, and meanwhile hands this process's own scans
straight to its own dashboards. Dashboards are told with ``{"type": "status", "feed":
"degraded"}`` and, once the link is back, ``{"type": "status", "feed": "ok", "stats": …}``
with numbers read fresh from the database (scans of other processes made during the outage
never reach this one). Check-ins never wait for Redis: publishing only queues the message.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import time
import weakref
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend

from checkin.scan import ScanRecord, event_stats
from event_ops import notices
from event_ops.core.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub

log = logging.getLogger("eventops.live")

# 150 ms: with 200 dashboards and thousands of scans a second, sending one message to every
# dashboard takes ~60 ms (each connection compresses it on its own), so a scan waits up to an
# interval plus that; 200 ms gave a p99 delivery delay of ~290 ms, 150 ms keeps it under
# 250 ms. That is at most ~7 messages a second per dashboard.
COALESCE_SECONDS = 0.15
STATS_SECONDS = 1.0
SUBSCRIBER_BACKLOG = 2000


def channel_name(event_id: int) -> str:
    return f"event-{event_id}"


# Reconnecting to Redis: after 0.5, 1, 2, 4, 5, 5 … seconds, each wait somewhere between half
# and all of that, so the processes that lost Redis together do not all knock at the same
# moment. 5 s at most: dashboards are live again within 5 s of Redis, and a process knocks
# at a down Redis (a refused connection, nothing more) at most 24 times a minute.
RECONNECT_FIRST_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 5.0
# How long one read on the subscription waits for a message: also how soon the read loop
# notices that publishing found the link broken.
READ_SECONDS = 0.5
# A link can be cut without either end hearing of it (a hung Redis, a dropped route): when
# the subscription has heard nothing for this long it asks Redis for a PONG, and when that
# does not come within as long again, it reconnects.
LIVENESS_SECONDS = 10.0
# Always subscribed (nobody publishes on it), so the subscription's connection, and with it
# the link state, exists even while no dashboard is watching.
LINK_CHANNEL = "eventops-link"


def reconnect_delay(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before reconnect attempt ``attempt`` (1, 2, …) after a failed one:
    doubling from ``RECONNECT_FIRST_SECONDS``, capped at ``RECONNECT_MAX_SECONDS``, and
    jittered to between half and all of that."""
    # The exponent stays small: 0.5 * 2 ** 1100 overflows, and an outage of hours gets there.
    doublings = min(max(attempt - 1, 0), 16)
    ceiling = min(RECONNECT_MAX_SECONDS, RECONNECT_FIRST_SECONDS * 2 ** doublings)
    return ceiling * (0.5 + rand() / 2)


class ResilientRedisBackend(ChannelsBackend):
    """Redis pub/sub for the channels plugin that outlives Redis going away.

    Litestar's ``RedisChannelsPubSubBackend`` raises out of ``publish`` and
    ``stream_events`` when the connection drops; the plugin's publish and subscribe workers
    die with it and the live feed stays silent until a restart (litestar#5008). Here:

    - ``publish`` never raises. Without a working link the message goes to this process's
      own subscribers only: its dashboards keep hearing its own scans.
    - ``stream_events`` never ends: on a broken link it reconnects after growing pauses
      (``reconnect_delay``), subscribes to every channel again and goes on.
    - A subscription that heard nothing for ``LIVENESS_SECONDS`` sends a PING; no PONG
      within as long again counts as a broken link (a hung Redis sends no reset).
    - ``subscribe``/``unsubscribe`` never raise either: the channels are remembered and
      subscribed to on every (re)connect.
    - ``up`` is the link state; ``watchers`` are called with it on every change, and the log
      gets one line per change (not one per message).

    Scans published by other processes while the link was down are lost to this process;
    ``FeedHub`` has dashboards read the numbers again when it comes back.
    """

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._channels: set[str] = set()
        self._pubsub: PubSub | None = None  # the working subscription; None: (re)connect
        self._local: deque[tuple[str, bytes]] = deque()
        self._local_waiting = asyncio.Event()
        self._attempt = 0
        self._retry_at = 0.0  # loop time of the next connection attempt
        self._down_since: float | None = None
        self._heard = 0.0  # loop time the subscription last got anything from Redis
        self._pinged: float | None = None  # loop time of the unanswered PING, if any
        self.up = True  # nothing went wrong yet
        self.watchers: list[Callable[[bool], None]] = []

    @classmethod
    def from_url(cls, url: str) -> ResilientRedisBackend:
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        # One quick retry (a pooled connection may predate a Redis restart); longer waits
        # are ours, in the read loop. Timeouts so a hung Redis cannot hold a publish long.
        return cls(Redis.from_url(url, retry=Retry(NoBackoff(), 1), socket_timeout=5,
                                  socket_connect_timeout=2, socket_keepalive=True))

    async def on_startup(self) -> None:
        pass  # the read loop (``stream_events``) connects

    async def on_shutdown(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
        with contextlib.suppress(Exception):
            await self._redis.aclose()

    async def subscribe(self, channels: Iterable[str]) -> None:
        channels = set(channels) - self._channels
        self._channels |= channels
        pubsub = self._pubsub
        if pubsub is not None and channels:
            try:
                await pubsub.subscribe(*channels)
            except Exception as exc:
                await self._drop(pubsub, exc)  # the reconnect subscribes to them

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        channels = set(channels) & self._channels
        self._channels -= channels
        pubsub = self._pubsub
        if pubsub is not None and channels:
            try:
                await pubsub.unsubscribe(*channels)
            except Exception as exc:
                await self._drop(pubsub, exc)

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        pubsub = self._pubsub
        if pubsub is not None:
            try:
                for channel in channels:
                    await self._redis.publish(channel, data)
                return
            except Exception as exc:
                await self._drop(pubsub, exc)
        for channel in channels:
            if channel in self._channels:
                self._local.append((channel, data))
                self._local_waiting.set()

    async def stream_events(self) -> AsyncGenerator[tuple[str, bytes], None]:
        loop = asyncio.get_running_loop()
        while True:
            while self._local:
                yield self._local.popleft()
            pubsub = self._pubsub
            if pubsub is None:
                wait = self._retry_at - loop.time()
                if wait > 0:
                    await self._pause(wait)
                else:
                    await self._connect()
                continue
            try:
                await self._check_alive(pubsub, loop.time())
                message = await pubsub.get_message(ignore_subscribe_messages=True,
                                                   timeout=READ_SECONDS)
            except Exception as exc:
                await self._drop(pubsub, exc)
                continue
            if message is None or self._pubsub is not pubsub:
                continue
            self._heard, self._pinged = loop.time(), None
            if message["type"] != "message":
                continue  # our PONG
            channel = message["channel"].decode()
            # Unsubscribing takes effect at Redis a moment later: skip what arrives meanwhile.
            if channel in self._channels:
                yield channel, message["data"]

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        raise NotImplementedError("Redis pub/sub keeps no history")

    async def _pause(self, seconds: float) -> None:
        """Wait ``seconds``, or less when messages for this process's subscribers arrive."""
        self._local_waiting.clear()
        if self._local:
            return
        # A timer rather than wait_for: on Python 3.11, wait_for can swallow the task's
        # cancellation when the event is set at the same moment, and shutdown then hangs.
        timer = asyncio.get_running_loop().call_later(seconds, self._local_waiting.set)
        try:
            await self._local_waiting.wait()
        finally:
            timer.cancel()

    async def _check_alive(self, pubsub: PubSub, now: float) -> None:
        """PING a quiet subscription; raise when the last PING went unanswered too long."""
        if now - self._heard < LIVENESS_SECONDS:
            return
        if self._pinged is None:
            self._pinged = now
            await pubsub.ping()  # the PONG comes in as a message
        elif now - self._pinged > LIVENESS_SECONDS:
            raise TimeoutError(f"no answer from Redis in {LIVENESS_SECONDS:.0f} s")

    async def _connect(self) -> None:
        pubsub = self._redis.pubsub()
        try:
            wanted = {LINK_CHANNEL, *self._channels}
            await pubsub.subscribe(*wanted)
            # Dashboards may have come or gone while this was under way.
            while missing := self._channels - wanted:
                wanted |= missing
                await pubsub.subscribe(*missing)
            if gone := wanted - self._channels - {LINK_CHANNEL}:
                await pubsub.unsubscribe(*gone)
        except Exception as exc:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
            self._attempt += 1
            self._retry_at = asyncio.get_running_loop().time() + reconnect_delay(self._attempt)
            self._set_up(False, exc)
            return
        self._pubsub, self._attempt = pubsub, 0
        self._heard, self._pinged = asyncio.get_running_loop().time(), None
        self._set_up(True)

    async def _drop(self, pubsub: PubSub, exc: BaseException) -> None:
        """The link through ``pubsub`` broke: reconnect (from the read loop) after a pause."""
        if self._pubsub is not pubsub:
            return  # already dropped
        self._pubsub = None
        self._attempt = 1
        self._retry_at = asyncio.get_running_loop().time() + reconnect_delay(1)
        self._set_up(False, exc)
        with contextlib.suppress(Exception):
            await pubsub.aclose()

    def _set_up(self, up: bool, exc: BaseException | None = None) -> None:
        if up == self.up:
            return
        self.up = up
        if up:
            down_for = time.monotonic() - (self._down_since or time.monotonic())
            log.warning("live feed: Redis is back after %.0f s; dashboards are live again",
                        down_for)
        else:
            self._down_since = time.monotonic()
            # One line, no traceback: the cause is always the same kind of thing.
            log.warning("live feed: lost Redis (%s: %s); check-ins go on, dashboards only "
                        "see this process's scans until it is back (retrying)",
                        type(exc).__name__, exc)
        for watcher in self.watchers:
            watcher(up)


# The Redis backend of each channels plugin, for the FeedHub to watch its link.
_links: weakref.WeakKeyDictionary[ChannelsPlugin, ResilientRedisBackend] = (
    weakref.WeakKeyDictionary())


def build_channels(settings: Settings) -> ChannelsPlugin:
    backend: ChannelsBackend
    if settings.redis_url:
        backend = ResilientRedisBackend.from_url(settings.redis_url)
    else:
        backend = MemoryChannelsBackend()
    plugin = ChannelsPlugin(
        backend=backend,
        arbitrary_channels_allowed=True,
        # A slow dashboard must not make the server hold every scan for it: keep the
        # newest, drop the oldest (the stats in the next message are complete anyway).
        subscriber_max_backlog=SUBSCRIBER_BACKLOG,
        subscriber_backlog_strategy="dropleft",
    )
    # Scans, undo, cancel and erasure tell the feed through the domain's hook (they import
    # nothing of us): the newest app in this process gets them.
    notices.listen(notices.SCANNED, lambda record: publish(plugin, record))
    notices.listen(notices.STATS, lambda event_id, reason: announce(plugin, event_id, reason))
    if isinstance(backend, ResilientRedisBackend):
        _links[plugin] = backend
    return plugin


class FeedItem(msgspec.Struct, omit_defaults=True):
    status: str
    door: str
    at: dt.datetime
    # Left out of the items of a ``batch`` (always "checkin"): every dashboard's connection
    # compresses every byte of every message, so bytes per item are CPU per scan.
    # "stats": no scan, the event's numbers changed (``status`` says why: "undone",
    # "cancelled"); never sent as an item, it makes the feed read fresh stats and send them.
    type: str = "checkin"
    conflict: bool = False
    late: bool = False
    # Set for "ok" only, so employer tablets can tell their recommended visitors arrived.
    # Never sent to dashboards: they do not need it, and it is a quarter of an item's bytes.
    registration_id: int | None = None


@dataclass(frozen=True, slots=True)
class FeedMessage:
    """One coalesced message: the bytes every dashboard gets, and the items themselves
    (registration ids included) for listeners in this process that pick their own."""

    encoded: bytes
    items: list[FeedItem]


_encoder = msgspec.json.Encoder()
# Scans waiting for the end of this turn of the event loop, per channels plugin: the loop
# that will publish them, and the items per event.
_unpublished: weakref.WeakKeyDictionary[
    ChannelsPlugin, tuple[asyncio.AbstractEventLoop, dict[int, list[FeedItem]]]
] = weakref.WeakKeyDictionary()


def publish(channels: ChannelsPlugin, record: ScanRecord) -> None:
    item = FeedItem(record.status, record.door, record.at, conflict=record.conflict,
                    late=record.late, registration_id=record.registration_id)
    _queue(channels, record.event_id, item)


def announce(channels: ChannelsPlugin, event_id: int, reason: str) -> None:
    """The event's numbers changed without a scan (``event_ops.notices.STATS``): every
    feed of the event, in every process, reads the stats again and sends them."""
    _queue(channels, event_id, FeedItem(reason, "", dt.datetime.now(dt.UTC), type="stats"))


def _queue(channels: ChannelsPlugin, event_id: int, item: FeedItem) -> None:
    loop = asyncio.get_running_loop()
    waiting = _unpublished.get(channels)
    if waiting is None or waiting[0] is not loop:
        waiting = _unpublished[channels] = (loop, {})
        loop.call_soon(_publish_waiting, channels, waiting)
    waiting[1].setdefault(event_id, []).append(item)


def _publish_waiting(channels: ChannelsPlugin, waiting: tuple) -> None:
    if _unpublished.get(channels) is waiting:
        del _unpublished[channels]
    for event_id, items in waiting[1].items():
        channels.publish(_encoder.encode(items), channels=[channel_name(event_id)])


class StatsCache:
    """Event stats from the database at most once per interval, however many ask.

    Between two reads the feed keeps the numbers current by counting the ``ok`` scans it
    passes on (``after``): the database is asked once a second, not once per message. A read
    that lands between a scan's commit and its feed item counts that scan twice for at most
    one interval, after which the next read sets it right.
    """

    def __init__(self, interval: float = STATS_SECONDS) -> None:
        self.interval = interval
        self._values: dict[int, tuple[float, dict]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def _fresh(self, event_id: int) -> tuple[dict, bool]:
        hit = self._values.get(event_id)
        if hit is not None and time.monotonic() - hit[0] < self.interval:
            return hit[1], False
        lock = self._locks.setdefault(event_id, asyncio.Lock())
        async with lock:
            hit = self._values.get(event_id)
            if hit is not None and time.monotonic() - hit[0] < self.interval:
                return hit[1], False
            stats = await event_stats(event_id)
            self._values[event_id] = (time.monotonic(), stats)
            return stats, True

    async def get(self, event_id: int) -> dict:
        return (await self._fresh(event_id))[0]

    async def reread(self, event_id: int) -> dict:
        """Stats read now, whatever the cache holds (after the feed may have missed scans)."""
        async with self._locks.setdefault(event_id, asyncio.Lock()):
            stats = await event_stats(event_id)
            self._values[event_id] = (time.monotonic(), stats)
            return stats

    async def after(self, event_id: int, items: list[FeedItem]) -> dict:
        """Stats that include these just-published scans (and changes: an undo or a
        cancellation cannot be counted here, so any of those means a fresh read)."""
        if any(item.type == "stats" for item in items):
            self._values.pop(event_id, None)
        stats, fresh = await self._fresh(event_id)
        if fresh:
            return stats  # read after the scans were committed: they are in it
        by_door = dict(stats["by_door"])
        added = 0
        for item in items:
            if item.status == "ok":
                by_door[item.door] = by_door.get(item.door, 0) + 1
                added += 1
        if not added:
            return stats
        updated = {**stats, "checked_in": stats["checked_in"] + added, "by_door": by_door}
        self._values[event_id] = (self._values[event_id][0], updated)
        return updated


_items_decoder = msgspec.json.Decoder(list[FeedItem])
# A dashboard that cannot keep up loses its oldest messages, not the server's memory: each
# message carries complete stats, so the newest one is always enough to be right.
LISTENER_BACKLOG = 50


DEGRADED = FeedMessage(_encoder.encode({"type": "status", "feed": "degraded"}), [])


class _EventFeed:
    """One channels subscription and one coalescing loop for one event in this process."""

    def __init__(self, channels: ChannelsPlugin, event_id: int, stats: StatsCache,
                 link: ResilientRedisBackend | None = None) -> None:
        self.channels, self.event_id, self.stats, self.link = channels, event_id, stats, link
        self.listeners: set[asyncio.Queue[FeedMessage]] = set()
        self.pending: list[FeedItem] = []
        # For /metrics: when the oldest item now waiting arrived (loop time), and how long
        # the last message's oldest item waited in this process before it went out.
        self.pending_since = 0.0
        self.lag = 0.0
        self.wake = asyncio.Event()
        self.ready = asyncio.Event()
        self.tasks = [asyncio.create_task(self._receive()), asyncio.create_task(self._send())]

    def _broadcast(self, message: FeedMessage) -> None:
        for queue in self.listeners:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(message)

    def link_changed(self, up: bool) -> None:
        """Tell the listeners the feed is degraded, or (with fresh numbers) that it is back."""
        if up:
            task = asyncio.create_task(self._announce_back())
            self.tasks.append(task)
            task.add_done_callback(self.tasks.remove)
        else:
            self._broadcast(DEGRADED)

    async def _announce_back(self) -> None:
        body: dict = {"type": "status", "feed": "ok"}
        try:
            # Scans other processes made while the link was down never reached this one.
            body["stats"] = await self.stats.reread(self.event_id)
        except Exception:
            log.warning("live feed: could not read the stats of event %s after Redis came "
                        "back; dashboards reload them themselves", self.event_id)
        if self.link is None or self.link.up:  # not down again meanwhile
            self._broadcast(FeedMessage(_encoder.encode(body), []))

    async def _receive(self) -> None:
        async with self.channels.start_subscription([channel_name(self.event_id)]) as sub:
            self.ready.set()
            async for raw in sub.iter_events():
                if not self.pending:
                    self.pending_since = asyncio.get_running_loop().time()
                self.pending.extend(_items_decoder.decode(raw))
                self.wake.set()

    async def _send(self) -> None:
        loop = asyncio.get_running_loop()
        last_sent = float("-inf")
        while True:
            await self.wake.wait()
            # Leading edge: at once if the last message is an interval old, else at its end.
            wait = last_sent + COALESCE_SECONDS - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            last_sent = loop.time()
            self.wake.clear()
            items, self.pending = self.pending, []
            waited_since = self.pending_since
            current = await self.stats.after(self.event_id, items)
            items = [item for item in items if item.type != "stats"]
            public = [msgspec.structs.replace(item, registration_id=None)
                      if item.registration_id is not None else item for item in items]
            if not public:  # only numbers changed (undo, cancellation)
                body: dict = {"type": "stats", "stats": current}
            elif len(public) == 1:
                body = {**msgspec.structs.asdict(public[0]), "stats": current}
                body.pop("registration_id")
            else:
                body = {"type": "batch", "items": public, "stats": current}
            self._broadcast(FeedMessage(_encoder.encode(body), items))  # once, for everyone
            self.lag = loop.time() - waited_since

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


class FeedHub:
    """Fans the live feed out to every dashboard and tablet connected to this process.

    Work per scan does not grow with the number of connections: one subscription per event,
    one decode, one stats lookup and one encoded message per interval, and the same
    ``FeedMessage`` goes to every listener's bounded queue (tablets pick their visitors from
    its items; nobody decodes it again).
    """

    def __init__(self, channels: ChannelsPlugin, stats: StatsCache) -> None:
        self.channels, self.stats = channels, stats
        self._feeds: dict[int, _EventFeed] = {}
        # With Redis: its link state, told to every listener (in-process channels never fail).
        self.link = _links.get(channels)
        if self.link is not None:
            self.link.watchers.append(self._link_changed)

    @property
    def degraded(self) -> bool:
        """True while scans of other processes cannot reach this one."""
        return self.link is not None and not self.link.up

    def _link_changed(self, up: bool) -> None:
        for feed in self._feeds.values():
            feed.link_changed(up)

    def gauges(self) -> tuple[int, int, float]:
        """For /metrics, in this process: (listeners, the longest backlog of one listener in
        messages, the longest time a scan waited here before it went out, in seconds)."""
        feeds = list(self._feeds.values())
        listeners = [q for f in feeds for q in f.listeners]
        return (len(listeners), max((q.qsize() for q in listeners), default=0),
                max((f.lag for f in feeds), default=0.0))

    @contextlib.asynccontextmanager
    async def listen(self, event_id: int) -> AsyncIterator[asyncio.Queue[FeedMessage]]:
        """A queue of the event's feed messages; while the feed is degraded its first
        message says so (a ``status`` message, with no items)."""
        feed = self._feeds.get(event_id)
        if feed is None:
            feed = self._feeds[event_id] = _EventFeed(self.channels, event_id, self.stats,
                                                      self.link)
        await feed.ready.wait()  # subscribed: nothing published from now on is missed
        queue: asyncio.Queue[FeedMessage] = asyncio.Queue(maxsize=LISTENER_BACKLOG)
        if self.degraded:
            queue.put_nowait(DEGRADED)
        feed.listeners.add(queue)
        try:
            yield queue
        finally:
            feed.listeners.discard(queue)
            if not feed.listeners and self._feeds.get(event_id) is feed:
                del self._feeds[event_id]
                await feed.close()
