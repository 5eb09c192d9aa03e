"""Open websockets and the credential each one stands on: when the credential ends, so
does the websocket.

A websocket's token or session is checked once, when it opens. A device token revoked, a
session ended (logout, expiry) or an account disabled must also end the feeds that are
already open, in every process: a revoked door must not keep watching the live feed, and a
revoked stand tablet must not get one more visitor card.

Each app process keeps one ``Watcher``. Every open websocket registers its credential with
it (``watch``). While any are open, the watcher checks them all, one query per kind, every
``RECHECK_SECONDS``, and at once when a notice (``notices.ACCESS``) says access was taken
away here or in another process. A watch whose credential no longer counts is *ended*
(``Watch.ended`` is set, ``Watch.reason`` says why); the websocket handler then closes the
socket. Before sending personal data, a handler asks ``confirm``, which checks that one
credential in the database right then, so a revoked tablet gets nothing even in the moment
before the next round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator

from event_ops import notices
from event_ops.access.accounts import live_sessions, session_key
from event_ops.access.tokens import Principal, unrevoked_token_ids

log = logging.getLogger("eventops.access")

# How long an open websocket can outlive its credential when no notice arrives (a change
# made by the command line without Redis, or a lost notice): one indexed query per second
# per process, only while websockets are open.
RECHECK_SECONDS = 1.0
TOKEN = "token"
SESSION = "session"
# Why a watch ended; the websocket's close reason.
TOKEN_REVOKED = "token_revoked"
SESSION_ENDED = "session_ended"


class Watch:
    """One open websocket's credential: a token id, or a session's key."""

    __slots__ = ("ended", "key", "kind", "reason")

    def __init__(self, kind: str, key: int | str) -> None:
        self.kind, self.key = kind, key
        self.ended = asyncio.Event()
        self.reason: str | None = None

    def end(self) -> None:
        if not self.ended.is_set():
            self.reason = TOKEN_REVOKED if self.kind == TOKEN else SESSION_ENDED
            self.ended.set()


async def _still_valid(watches: list[Watch]) -> set[int | str]:
    tokens = {w.key for w in watches if w.kind == TOKEN}
    sessions = {w.key for w in watches if w.kind == SESSION}
    valid: set[int | str] = set()
    if tokens:
        valid |= await unrevoked_token_ids(tokens)  # type: ignore[arg-type]
    if sessions:
        valid |= await live_sessions(sessions)  # type: ignore[arg-type]
    return valid


class Watcher:
    """The open websockets of one app process (see the module docstring)."""

    def __init__(self, interval: float = RECHECK_SECONDS) -> None:
        self.interval = interval
        self._open: set[Watch] = set()
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        _watchers.add(self)

    @contextlib.asynccontextmanager
    async def watch(self, principal: Principal, session: str | None) -> AsyncIterator[Watch]:
        """Watch the credential ``principal`` was admitted with while the block runs:
        its token, else the session cookie ``session``."""
        if principal.token_id is not None:
            watch = Watch(TOKEN, principal.token_id)
        elif session:
            watch = Watch(SESSION, session_key(session))
        else:
            raise ValueError("a websocket stands on a token or a session")
        self._open.add(watch)
        self._start()
        try:
            yield watch
        finally:
            self._open.discard(watch)

    async def confirm(self, watch: Watch) -> bool:
        """Whether the credential counts right now (one query); ends the watch if not."""
        if watch.ended.is_set():
            return False
        if watch.key not in await _still_valid([watch]):
            watch.end()
            return False
        return True

    async def check(self) -> None:
        """One round: end every watch whose credential no longer counts."""
        watches = list(self._open)
        if not watches:
            return
        valid = await _still_valid(watches)
        for watch in watches:
            if watch.key not in valid:
                watch.end()

    def nudge(self) -> None:
        """Check now rather than at the end of the interval (from any thread)."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            wake.set()
        else:
            loop.call_soon_threadsafe(wake.set)

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._loop = asyncio.get_running_loop()
            self._wake = asyncio.Event()
            self._task = self._loop.create_task(self._run(self._wake), name="access-watch")

    async def _run(self, wake: asyncio.Event) -> None:
        # Runs while websockets are open; the next one to open starts it again.
        while self._open:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), self.interval)
            wake.clear()
            try:
                await self.check()
            except Exception:  # the database is away: the next round tries again
                log.warning("could not check the credentials of open websockets",
                            exc_info=True)


_watchers: weakref.WeakSet[Watcher] = weakref.WeakSet()


def _nudge_all(_notice: dict) -> None:
    for watcher in list(_watchers):
        watcher.nudge()


notices.on(notices.ACCESS, _nudge_all)
