"""The live feed: scans go out over Litestar channels (in-process, or Redis for several
processes); each process coalesces them into a few messages per second per event.

At most one message per ``COALESCE_SECONDS``: the first scan after a quiet spell is sent
at once; anything arriving in the next interval goes out together as one ``batch``. Stats
are recomputed at most once per ``STATS_SECONDS`` per event per process, however many
dashboards are watching (the scan items themselves are never delayed by that).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator

import msgspec
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from app.settings import Settings
from checkin.scan import ScanRecord, event_stats

COALESCE_SECONDS = 0.2
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
    return ChannelsPlugin(
        backend=backend,
        arbitrary_channels_allowed=True,
        # A slow dashboard must not make the server hold every scan for it: keep the
        # newest, drop the oldest (the stats in the next message are complete anyway).
        subscriber_max_backlog=SUBSCRIBER_BACKLOG,
        subscriber_backlog_strategy="dropleft",
    )


class FeedItem(msgspec.Struct, omit_defaults=True):
    type: str
    status: str
    door: str
    at: dt.datetime
    conflict: bool = False
    late: bool = False
    # Set for "ok" only, so employer tablets can tell their recommended visitors arrived.
    registration_id: int | None = None


_encoder = msgspec.json.Encoder()


def publish(channels: ChannelsPlugin, record: ScanRecord) -> None:
    item = FeedItem("checkin", record.status, record.door, record.at, record.conflict, record.late,
                    record.registration_id)
    channels.publish(_encoder.encode(item), channels=[channel_name(record.event_id)])


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
        """Stats that include these just-published scans."""
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


_item_decoder = msgspec.json.Decoder(FeedItem)
# A dashboard that cannot keep up loses its oldest messages, not the server's memory: each
# message carries complete stats, so the newest one is always enough to be right.
LISTENER_BACKLOG = 50


class _EventFeed:
    """One channels subscription and one coalescing loop for one event in this process."""

    def __init__(self, channels: ChannelsPlugin, event_id: int, stats: StatsCache) -> None:
        self.channels, self.event_id, self.stats = channels, event_id, stats
        self.listeners: set[asyncio.Queue[bytes]] = set()
        self.pending: list[bytes] = []
        self.wake = asyncio.Event()
        self.ready = asyncio.Event()
        self.tasks = [asyncio.create_task(self._receive()), asyncio.create_task(self._send())]

    async def _receive(self) -> None:
        async with self.channels.start_subscription([channel_name(self.event_id)]) as sub:
            self.ready.set()
            async for raw in sub.iter_events():
                self.pending.append(raw)
                self.wake.set()

    async def _send(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            batch, self.pending = self.pending, []
            items = [_item_decoder.decode(raw) for raw in batch]
            current = await self.stats.after(self.event_id, items)
            if len(items) == 1:
                message = {**msgspec.structs.asdict(items[0]), "stats": current}
            else:
                message = {"type": "batch", "items": items, "stats": current}
            encoded = _encoder.encode(message)  # once, for every listener
            for queue in self.listeners:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(encoded)
            # At most one message per interval; scans arriving meanwhile wait for the next.
            await asyncio.sleep(COALESCE_SECONDS)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


class FeedHub:
    """Fans the live feed out to every dashboard and tablet connected to this process.

    Work per scan does not grow with the number of connections: one subscription per event,
    one decode, one stats lookup and one encoded message per interval, and the same bytes
    go to every listener's bounded queue.
    """

    def __init__(self, channels: ChannelsPlugin, stats: StatsCache) -> None:
        self.channels, self.stats = channels, stats
        self._feeds: dict[int, _EventFeed] = {}

    @contextlib.asynccontextmanager
    async def listen(self, event_id: int) -> AsyncIterator[asyncio.Queue[bytes]]:
        feed = self._feeds.get(event_id)
        if feed is None:
            feed = self._feeds[event_id] = _EventFeed(self.channels, event_id, self.stats)
        await feed.ready.wait()  # subscribed: nothing published from now on is missed
        queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=LISTENER_BACKLOG)
        feed.listeners.add(queue)
        try:
            yield queue
        finally:
            feed.listeners.discard(queue)
            if not feed.listeners and self._feeds.get(event_id) is feed:
                del self._feeds[event_id]
                await feed.close()


def decode_message(raw: bytes) -> list[FeedItem]:
    """The feed items in one coalesced message (for listeners that filter, like tablets)."""
    data = msgspec.json.decode(raw)
    items = data["items"] if data.get("type") == "batch" else [data]
    return [msgspec.convert({k: v for k, v in i.items() if k != "stats"}, FeedItem)
            for i in items]
