"""The control channel: carries ``event_ops.notices`` between app processes.

Every app process listens on ``CONTROL_CHANNEL`` over the same Litestar channels as the live
feed (Redis when ``EVENTOPS_REDIS_URL`` is set, in-process otherwise) and passes what it
hears to ``notices.deliver``; its own notices go out on it. The command line has no app: it
publishes straight to Redis (``publish_from_cli``). Without Redis, other processes rely on
their own timers (badge keys: ``KEYS_RECHECK_SECONDS``; open websockets:
``RECHECK_SECONDS``; the HTTP token cache: ``TOKEN_CACHE_SECONDS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from litestar.channels import ChannelsPlugin
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol

from event_ops import notices

log = logging.getLogger("eventops.control")

CONTROL_CHANNEL = "eventops-control"
# Listening again after the subscription failed: waits double up to this.
MAX_BACKOFF_SECONDS = 10.0


class ControlChannel(InitPluginProtocol):
    """Plugin: listens on the control channel while the app runs. List it after the channels
    plugin, so it starts after it and stops before it."""

    def __init__(self, channels: ChannelsPlugin) -> None:
        self.channels = channels

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.lifespan.append(self._lifespan)
        return app_config

    def _publish(self, raw: bytes) -> None:
        self.channels.publish(raw, channels=[CONTROL_CHANNEL])

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: object) -> AsyncIterator[None]:
        subscribed = asyncio.Event()
        task = asyncio.create_task(self._listen(subscribed), name="control-channel")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(subscribed.wait(), 5.0)  # Redis may be down: start anyway
        notices.add_outbox(self._publish)
        try:
            yield
        finally:
            notices.remove_outbox(self._publish)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _listen(self, subscribed: asyncio.Event) -> None:
        backoff = 0.5
        while True:
            try:
                async with self.channels.start_subscription([CONTROL_CHANNEL]) as sub:
                    subscribed.set()
                    backoff = 0.5
                    async for raw in sub.iter_events():
                        notices.deliver(raw)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("control channel: subscription failed; trying again in %.1f s",
                            backoff, exc_info=True)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


async def publish_from_cli(redis_url: str | None, raws: list[bytes]) -> None:
    """Publish notices made by a command-line run to the app processes (Redis only)."""
    if not redis_url or not raws:
        return
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        for raw in raws:
            await client.publish(CONTROL_CHANNEL, raw)
    except Exception as exc:  # the servers then pick the change up by their own timers
        log.warning("control channel: could not tell the servers (%s)", exc)
    finally:
        await client.aclose()
