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
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass

import msgspec
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from app.settings import Settings
from checkin.scan import ScanRecord, event_stats
from event_ops import stats_changes

# 150 ms: with 200 dashboards and thousands of scans a second, sending one message to every
# dashboard takes ~60 ms (each connection compresses it on its own), so a scan waits up to an
# interval plus that; 200 ms gave a p99 delivery delay of ~290 ms, 150 ms keeps it under
# 250 ms. That is at most ~7 messages a second per dashboard.
COALESCE_SECONDS = 0.15
STATS_SECONDS = 1.0
SUBSCRIBER_BACKLOG = 2000


def channel_name(event_id: int) -> str:
    return f"event-{event_id}"


def build_channels(settings: Settings) -> ChannelsPlugin:
    if settings.redis_url:
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        backend = RedisChannelsPubSubBackend(redis=Redis.from_url(settings.redis_url))
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
    # Undo, cancel and erasure tell the feed through the domain's hook (no import of us).
    stats_changes.listen(lambda event_id, reason: announce(plugin, event_id, reason))
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
    """The event's numbers changed without a scan (see ``event_ops.stats_changes``): every
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


class _EventFeed:
    """One channels subscription and one coalescing loop for one event in this process."""

    def __init__(self, channels: ChannelsPlugin, event_id: int, stats: StatsCache) -> None:
        self.channels, self.event_id, self.stats = channels, event_id, stats
        self.listeners: set[asyncio.Queue[FeedMessage]] = set()
        self.pending: list[FeedItem] = []
        self.wake = asyncio.Event()
        self.ready = asyncio.Event()
        self.tasks = [asyncio.create_task(self._receive()), asyncio.create_task(self._send())]

    async def _receive(self) -> None:
        async with self.channels.start_subscription([channel_name(self.event_id)]) as sub:
            self.ready.set()
            async for raw in sub.iter_events():
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
            message = FeedMessage(_encoder.encode(body), items)  # once, for every listener
            for queue in self.listeners:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(message)

    async def close(self) -> None:
        for task in self.tasks:
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

    @contextlib.asynccontextmanager
    async def listen(self, event_id: int) -> AsyncIterator[asyncio.Queue[FeedMessage]]:
        feed = self._feeds.get(event_id)
        if feed is None:
            feed = self._feeds[event_id] = _EventFeed(self.channels, event_id, self.stats)
        await feed.ready.wait()  # subscribed: nothing published from now on is missed
        queue: asyncio.Queue[FeedMessage] = asyncio.Queue(maxsize=LISTENER_BACKLOG)
        feed.listeners.add(queue)
        try:
            yield queue
        finally:
            feed.listeners.discard(queue)
            if not feed.listeners and self._feeds.get(event_id) is feed:
                del self._feeds[event_id]
                await feed.close()
