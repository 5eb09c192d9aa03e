"""Badge files rendered beside the event loop, each one once.

Why: a badge PNG costs 35-50 ms of CPU (Pillow, qrcode, the layout), a PDF 3-5 ms. Rendered
on the event loop that time is taken from every other request: eight clients fetching one
badge PNG took door check-ins from p50 5.5 ms to 2.6 s. A thread is not enough: the QR mask
choice and the layout are pure Python and Pillow keeps the GIL for much of its drawing, so
the loop keeps waiting for the GIL (``benchmarks/badge_flood.py --distinct``, every request
another badge: check-in p99 ~560 ms with a render thread against ~170 ms with a render
process; the verifier in ``badges/verifier.py`` made the same finding). A child process has
an interpreter and a GIL of its own, and on the 2-core server one render process next to the
event loop leaves one core for the loop.

Contract (``BadgeRenderer``):

* ``await render(data, kind)`` returns exactly ``render_png(data)`` (``kind="png"``) or
  ``render_pdf(data)`` (``kind="pdf"``); the rendering runs in a worker (process, or thread
  with ``pool="thread"``), never on the calling thread.
* Results are cached by ``(kind, data)``, least recently used out first, at most
  ``cache_bytes`` in all. ``BadgeData`` holds the signed token, which carries the badge
  serial and the signing key's id, and everything printed on the badge: a re-issued badge
  (new serial), a rotated key or a changed profile is a different key, so an older render is
  never served for it. There is nothing to invalidate by hand.
* Single flight: concurrent calls for the same ``(kind, data)`` share one render.
* Bounded: at most ``workers`` renders run and ``max_waiting`` more wait; a call that would
  need one more raises ``RenderBusy`` at once (the HTTP layer answers 503 with
  ``Retry-After``) instead of queueing without end. Cache hits and joins of a render in
  progress are never refused.
* A caller that goes away (cancelled) does not cancel the render others wait for.
* A worker process that dies (killed, out of memory) breaks the pool: it is replaced and the
  render tried once more; if that fails too, the error goes to the caller.
* ``close()`` ends the workers; the next render starts new ones.

One renderer per process (``renderer``), shared by every event loop in it: the state is
guarded by a lock and results reach each waiting loop through ``asyncio.wrap_future``.
"""

from __future__ import annotations

import asyncio
import collections
import multiprocessing
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Literal

from badges.labels import qr_path
from badges.render import BadgeData, render_pdf, render_png
from event_ops.core import caches

__all__ = ["KINDS", "BadgeRenderer", "RenderBusy", "renderer"]

# "qr": the QR code of a label page as an SVG path (badges/labels.py ``qr_path``).
Kind = Literal["png", "pdf", "qr"]
KINDS: tuple[Kind, ...] = ("png", "pdf", "qr")
CacheKey = tuple[str, BadgeData]

WORKERS = 1
MAX_WAITING = 16  # renders queued behind the running one: ~0.8 s of PNG work
CACHE_BYTES = 32 * 1024 * 1024  # ~500 PNGs (60-70 kB each at 200 dpi)


class RenderBusy(Exception):
    """Every render slot is taken; try again in a moment."""


def render_file(kind: str, data: BadgeData) -> bytes:
    """What a worker runs (module level, so a process pool can call it by name)."""
    if kind == "png":
        return render_png(data)
    if kind == "qr":
        return qr_path(data.token)
    if kind == "pdf":
        return render_pdf(data)
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def _warm_up() -> None:
    # Fonts and the QR tables are loaded on first use; do it once when the worker starts,
    # not in the first visitor's render.
    render_file("png", BadgeData(token="warm-up", first_name="", full_name=None,
                                 event_name="", event_when="", sectors=(), competencies=()))


class BadgeRenderer:
    """See the module docstring for what MUST hold."""

    def __init__(self, *, pool: Literal["process", "thread"] = "process",
                 workers: int = WORKERS, max_waiting: int = MAX_WAITING,
                 cache_bytes: int = CACHE_BYTES) -> None:
        self.configure(pool=pool, workers=workers, max_waiting=max_waiting,
                       cache_bytes=cache_bytes)
        self._lock = threading.Lock()
        self._executor: Executor | None = None
        self._cache: collections.OrderedDict[CacheKey, bytes] = collections.OrderedDict()
        self._cached_bytes = 0
        self._in_flight: dict[CacheKey, Future[bytes]] = {}
        self.renders = 0  # renders started (a cache hit or a joined render starts none)

    def configure(self, *, pool: Literal["process", "thread"] | None = None,
                  workers: int | None = None, max_waiting: int | None = None,
                  cache_bytes: int | None = None) -> None:
        """Change the settings; a running pool keeps going until ``close()``."""
        if pool is not None:
            if pool not in ("process", "thread"):
                raise ValueError(f"pool must be 'process' or 'thread', got {pool!r}")
            self.pool = pool
        if workers is not None:
            self.workers = max(1, workers)
        if max_waiting is not None:
            self.max_waiting = max(0, max_waiting)
        if cache_bytes is not None:
            self.cache_bytes = max(0, cache_bytes)

    async def render(self, data: BadgeData, kind: Kind) -> bytes:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        key: CacheKey = (kind, data)
        for attempt in (1, 2):
            future = self._cached_or_started(key)
            if isinstance(future, bytes):
                return future
            try:
                # shield: this caller's cancellation must not cancel the shared render.
                return await asyncio.shield(asyncio.wrap_future(future))
            except BrokenProcessPool:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _cached_or_started(self, key: CacheKey) -> bytes | Future[bytes]:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
            running = self._in_flight.get(key)
            if running is not None:
                return running
            if len(self._in_flight) >= self.workers + self.max_waiting:
                raise RenderBusy("All badge render slots are taken.")
            executor = self._executor_locked()
            try:
                future = executor.submit(render_file, *key)
            except BrokenProcessPool:  # a worker died since the last render: start afresh
                self._drop_executor_locked(executor)
                executor = self._executor_locked()
                future = executor.submit(render_file, *key)
            self.renders += 1
            self._in_flight[key] = future
        future.add_done_callback(lambda f: self._finished(key, f, executor))
        return future

    def _finished(self, key: CacheKey, future: Future[bytes], executor: Executor) -> None:
        # Runs on a pool thread (or at once if the future is already done).
        with self._lock:
            if self._in_flight.get(key) is future:
                del self._in_flight[key]
            if future.cancelled():
                return
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                self._drop_executor_locked(executor)
                return
            if error is not None:
                return
            body = future.result()
            if len(body) > self.cache_bytes or key in self._cache:
                return
            self._cache[key] = body
            self._cached_bytes += len(body)
            while self._cached_bytes > self.cache_bytes:
                _, old = self._cache.popitem(last=False)
                self._cached_bytes -= len(old)

    def _executor_locked(self) -> Executor:
        if self._executor is None:
            if self.pool == "process":
                # spawn, not fork: the server process has threads (database, verifier) that
                # a forked child would inherit in whatever state they were.
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm_up)
            else:
                self._executor = ThreadPoolExecutor(max_workers=self.workers,
                                                    thread_name_prefix="badge-render",
                                                    initializer=_warm_up)
        return self._executor

    def _drop_executor_locked(self, executor: Executor) -> None:
        if self._executor is executor:
            self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)

    def forget(self) -> None:
        """Empty the cache (tests, through ``event_ops.core.caches.clear_all``; nothing in
        the app needs it, see the contract)."""
        with self._lock:
            self._cache.clear()
            self._cached_bytes = 0

    def close(self) -> None:
        """End the workers. Renders not started yet are cancelled (their callers get
        ``CancelledError``); the next ``render`` starts a new pool."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


renderer = BadgeRenderer()
# Its cache stays inside the renderer (single flight, bounded by bytes, under its lock).
caches.register("badges.renders", renderer.forget)
