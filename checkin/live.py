"""The live feed: scans go out over Litestar channels (in-process, or Redis for several
processes); each dashboard connection coalesces them into a few messages per second.

Per connection, at most one message per ``COALESCE_SECONDS``: the first scan after a quiet
spell is sent at once; anything arriving in the next interval goes out together as one
``batch``. Stats are computed at most once per interval per event per process, however
many dashboards are watching.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable

import msgspec
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend

from app.settings import Settings
from checkin.scan import ScanRecord, event_stats

COALESCE_SECONDS = 0.2
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
    """Event stats, recomputed at most once per interval however many ask."""

    def __init__(self, interval: float = COALESCE_SECONDS) -> None:
        self.interval = interval
        self._values: dict[int, tuple[float, dict]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def get(self, event_id: int) -> dict:
        hit = self._values.get(event_id)
        if hit is not None and time.monotonic() - hit[0] < self.interval:
            return hit[1]
        lock = self._locks.setdefault(event_id, asyncio.Lock())
        async with lock:
            hit = self._values.get(event_id)
            if hit is not None and time.monotonic() - hit[0] < self.interval:
                return hit[1]
            stats = await event_stats(event_id)
            self._values[event_id] = (time.monotonic(), stats)
            return stats


_item_decoder = msgspec.json.Decoder(FeedItem)


async def stream_to(
    send: Callable[[bytes], Awaitable[None]],
    events: asyncio.Queue[bytes],
    stats: Callable[[], Awaitable[dict]],
) -> None:
    """Forward feed items to one dashboard, coalesced. Runs until cancelled."""
    await send(_encoder.encode({"type": "snapshot", "stats": await stats()}))
    while True:
        first = await events.get()
        started = time.monotonic()
        batch = [first]
        while (left := COALESCE_SECONDS - (time.monotonic() - started)) > 0:
            try:
                batch.append(await asyncio.wait_for(events.get(), left))
            except TimeoutError:
                break
        items = [_item_decoder.decode(raw) for raw in batch]
        current = await stats()
        if len(items) == 1:
            message = {**msgspec.structs.asdict(items[0]), "stats": current}
        else:
            message = {"type": "batch", "items": items, "stats": current}
        await send(_encoder.encode(message))
