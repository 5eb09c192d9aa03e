"""Websockets: the live dashboard feed and the employer tablet's "who is here" feed.

CSRF and rate limits do not cover websockets, so each handler checks the Origin (when a
browser sends one it must be our own) and the token itself before accepting.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import msgspec
from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.exceptions import WebSocketDisconnect

from checkin import live
from event_ops.access.permissions import authorize
from event_ops.access.tokens import Principal
from event_ops.errors import DomainError
from event_ops.events.service import cached_event
from event_ops.events.tables import Event
from event_ops.interests.arrivals import recommended_visitors
from event_ops.interests.service import visitor_card

CLOSE_FORBIDDEN = 4403

Send = Callable[[bytes], Awaitable[None]]


def _origin_allowed(origin: str | None, host: str | None, base_url: str) -> bool:
    if origin is None:
        return True  # not a browser: no ambient credentials to abuse
    netloc = urlsplit(origin).netloc
    return netloc in {urlsplit(base_url).netloc, host}


async def _admit(socket: WebSocket, slug: str, permission: str) -> tuple[Event, Principal] | None:
    """Check Origin and token; close (HTTP 403) and return None when refused."""
    if not _origin_allowed(socket.headers.get("origin"), socket.headers.get("host"),
                           socket.app.state.settings.base_url):
        await socket.close(code=CLOSE_FORBIDDEN, reason="origin not allowed")
        return None
    try:
        event = await cached_event(slug)
        principal = await authorize(f"Bearer {socket.query_params.get('token', '')}",
                                    event.id, permission)
    except DomainError as exc:
        await socket.close(code=CLOSE_FORBIDDEN, reason=exc.code)
        return None
    await socket.accept()
    return event, principal


async def _follow(
    socket: WebSocket, channels: ChannelsPlugin, event_id: int,
    stream: Callable[[asyncio.Queue[bytes], Send], Awaitable[None]],
) -> None:
    """Subscribe to the event's feed and run ``stream`` until the client goes away."""
    async with channels.start_subscription([live.channel_name(event_id)]) as subscriber:
        queue: asyncio.Queue[bytes] = asyncio.Queue()

        async def pump() -> None:
            async for raw in subscriber.iter_events():
                queue.put_nowait(raw)

        async def watch_disconnect() -> None:
            with contextlib.suppress(WebSocketDisconnect):
                while True:
                    await socket.receive_data(mode="text")

        async def send(data: bytes) -> None:
            await socket.send_data(data, mode="text")

        tasks = [asyncio.create_task(pump()), asyncio.create_task(watch_disconnect()),
                 asyncio.create_task(stream(queue, send))]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    with contextlib.suppress(Exception):
        await socket.close()


@websocket("/ws/events/{slug:str}/live")
async def live_feed(socket: WebSocket, slug: str, channels: ChannelsPlugin) -> None:
    admitted = await _admit(socket, slug, "live.watch")
    if admitted is None:
        return
    event, _ = admitted
    stats = socket.app.state.stats

    async def stream(queue: asyncio.Queue[bytes], send: Send) -> None:
        await live.stream_to(send, queue, lambda: stats.get(event.id))

    await _follow(socket, channels, event.id, stream)


_feed_item = msgspec.json.Decoder(live.FeedItem)
_encode = msgspec.json.Encoder().encode


@websocket("/ws/events/{slug:str}/stand")
async def stand_feed(socket: WebSocket, slug: str, channels: ChannelsPlugin) -> None:
    """An employer tablet hears when one of its recommended (consenting) visitors arrives."""
    admitted = await _admit(socket, slug, "interest.write")
    if admitted is None:
        return
    event, principal = admitted
    assert principal.employer_id is not None
    wanted = await recommended_visitors(event.id, principal.employer_id)
    lang = socket.query_params.get("lang", "nl")

    async def stream(queue: asyncio.Queue[bytes], send: Send) -> None:
        await send(_encode({"type": "hello", "recommended": len(wanted)}))
        while True:
            item = _feed_item.decode(await queue.get())
            if item.status == "ok" and item.registration_id in wanted:
                card = await visitor_card(item.registration_id, principal.employer_id, principal,
                                          lang)
                await send(_encode({"type": "arrival", "at": item.at, "visitor": card}))

    await _follow(socket, channels, event.id, stream)
