"""Websockets: the live dashboard feed and the employer tablet's "who is here" feed.

CSRF and rate limits do not cover websockets, so each handler checks the Origin (when a
browser sends one it must be our own) and the token itself before accepting. While open,
each socket is watched (``event_ops.access.watch``): when its token is revoked, its session
ends (logout) or its account is disabled, it is closed with ``CLOSE_ACCESS_ENDED`` and the
reason ``token_revoked`` or ``session_ended``, in whichever process it is open.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import msgspec
from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect

from app.api.auth import SESSION_COOKIE
from checkin.live import FeedHub, FeedMessage
from event_ops import notices
from event_ops.access.permissions import authorize
from event_ops.access.tokens import Principal
from event_ops.access.watch import Watch, Watcher
from event_ops.core.errors import DomainError
from event_ops.events.service import cached_event
from event_ops.events.tables import Event
from event_ops.interests.arrivals import recommended_visitors
from event_ops.interests.service import visitor_card
from event_ops.printing import jobs as print_jobs

CLOSE_FORBIDDEN = 4403
# The credential the socket was opened with no longer counts (revoked, logged out, disabled).
CLOSE_ACCESS_ENDED = 4401
_encode = msgspec.json.Encoder().encode

Send = Callable[[bytes], Awaitable[None]]


def _origin_allowed(origin: str | None, host: str | None, base_url: str) -> bool:
    if origin is None:
        return True  # not a browser: no ambient credentials to abuse
    netloc = urlsplit(origin).netloc
    return netloc in {urlsplit(base_url).netloc, host}


def _watcher(socket: WebSocket) -> Watcher:
    """This app's watcher of open websockets (one per app, made on first use)."""
    state = socket.app.state
    watcher = state.get("access_watch")
    if watcher is None:
        watcher = state["access_watch"] = Watcher()
    return watcher


async def _admit(socket: WebSocket, slug: str, permission: str) -> tuple[Event, Principal] | None:
    """Check Origin and token; close (HTTP 403) and return None when refused."""
    if not _origin_allowed(socket.headers.get("origin"), socket.headers.get("host"),
                           socket.app.state.settings.base_url):
        await socket.close(code=CLOSE_FORBIDDEN, reason="origin not allowed")
        return None
    try:
        event = await cached_event(slug)
        # Devices pass their token in the query (browsers cannot set headers on a
        # websocket); a signed-in organiser's browser sends its session cookie.
        token = socket.query_params.get("token", "")
        principal = await authorize(f"Bearer {token}" if token else None, event.id, permission,
                                    _session(socket))
    except DomainError as exc:
        await socket.close(code=CLOSE_FORBIDDEN, reason=exc.code)
        return None
    await socket.accept()
    return event, principal


def _session(socket: WebSocket) -> str | None:
    return socket.cookies.get(SESSION_COOKIE)


async def _forward(socket: WebSocket, hub: FeedHub, event_id: int,
                   first: bytes | None,
                   relay: Callable[[FeedMessage, Send], Awaitable[None]],
                   watch: Watch) -> None:
    """Relay the event's feed to this client until it goes away or its access ends."""

    async def send(data: bytes) -> None:
        await socket.send_data(data, mode="text")

    async def watch_disconnect() -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await socket.receive_data(mode="text")

    async with hub.listen(event_id) as queue:
        if first is not None:
            await send(first)

        async def pump() -> None:
            while True:
                await relay(await queue.get(), send)

        tasks = [asyncio.create_task(pump()), asyncio.create_task(watch_disconnect()),
                 asyncio.create_task(watch.ended.wait())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    with contextlib.suppress(Exception):
        if watch.ended.is_set():
            await socket.close(code=CLOSE_ACCESS_ENDED, reason=watch.reason or "")
        else:
            await socket.close()


@websocket("/ws/events/{slug:str}/live")
async def live_feed(socket: WebSocket, slug: str) -> None:
    admitted = await _admit(socket, slug, "live.watch")
    if admitted is None:
        return
    event, principal = admitted
    state = socket.app.state
    snapshot = _encode({"type": "snapshot", "stats": await state.stats.get(event.id)})

    async def relay(message: FeedMessage, send: Send) -> None:
        await send(message.encoded)

    async with _watcher(socket).watch(principal, _session(socket)) as watch:
        await _forward(socket, state.feed, event.id, snapshot, relay, watch)


@websocket("/ws/events/{slug:str}/stand")
async def stand_feed(socket: WebSocket, slug: str) -> None:
    """An employer tablet hears when one of its recommended (consenting) visitors arrives."""
    admitted = await _admit(socket, slug, "interest.write")
    if admitted is None:
        return
    event, principal = admitted
    assert principal.employer_id is not None
    wanted = await recommended_visitors(event.id, principal.employer_id)
    lang = socket.query_params.get("lang", "nl")
    hello = _encode({"type": "hello", "recommended": len(wanted)})

    watcher = _watcher(socket)

    async def relay(message: FeedMessage, send: Send) -> None:
        for item in message.items:
            if item.status == "ok" and item.registration_id in wanted:
                # A card holds personal data: only for a tablet that may still have it.
                if not await watcher.confirm(watch):
                    return
                card = await visitor_card(item.registration_id, principal.employer_id,
                                          principal, lang)
                await send(_encode({"type": "arrival", "at": item.at, "visitor": card}))

    async with watcher.watch(principal, _session(socket)) as watch:
        await _forward(socket, socket.app.state.feed, event.id, hello, relay, watch)


# Print stations: each open station socket waits on its event; a notice that the station's
# queue changed (from any process: ``notices.announce``) sets it, and the socket sends the
# queue again, read fresh. A notice lost on the way is made good by the next look, at most
# ``PRINT_LOOK_SECONDS`` later.
PRINT_LOOK_SECONDS = 10.0
_station_wakers: dict[int, set[asyncio.Event]] = {}


def _wake_station(notice: dict) -> None:
    for waker in _station_wakers.get(notice.get("station"), ()):  # type: ignore[arg-type]
        waker.set()


notices.on(print_jobs.PRINT_JOBS, _wake_station)


@websocket("/ws/events/{slug:str}/print")
async def print_feed(socket: WebSocket, slug: str) -> None:
    """A print station's queue: ``{"type": "jobs", "queued": […], "recent": […]}`` at once
    and again whenever it changes (new job, done, failed), oldest job first."""
    admitted = await _admit(socket, slug, "print.station")
    if admitted is None:
        return
    _, principal = admitted
    station = principal.token_id
    assert station is not None  # print stations are device tokens
    from app.api.printing import with_label_urls

    waker = asyncio.Event()
    _station_wakers.setdefault(station, set()).add(waker)

    secret = socket.app.state.settings.secret_key

    async def send_queue() -> None:
        queue = with_label_urls(secret, await print_jobs.station_jobs(station))
        await socket.send_data(_encode({"type": "jobs", **queue}), mode="text")

    async def pump() -> None:
        while True:
            waker.clear()
            await send_queue()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waker.wait(), PRINT_LOOK_SECONDS)

    async def watch_disconnect() -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await socket.receive_data(mode="text")

    try:
        async with _watcher(socket).watch(principal, _session(socket)) as watch:
            tasks = [asyncio.create_task(pump()), asyncio.create_task(watch_disconnect()),
                     asyncio.create_task(watch.ended.wait())]
            try:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                if watch.ended.is_set():
                    await socket.close(code=CLOSE_ACCESS_ENDED, reason=watch.reason or "")
                else:
                    await socket.close()
    finally:
        wakers = _station_wakers.get(station, set())
        wakers.discard(waker)
        if not wakers:
            _station_wakers.pop(station, None)
