"""Background jobs that every app process runs on a timer (idempotent, so several
processes running them is harmless)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("eventops.tasks")


class Periodic:
    """Run ``job`` every ``interval`` seconds (first run after ``delay``) until stopped."""

    def __init__(self, name: str, interval: float, job: Callable[[], Awaitable[object]],
                 delay: float = 60.0) -> None:
        self.name, self.interval, self.job, self.delay = name, interval, job, delay
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        await asyncio.sleep(self.delay)
        while True:
            try:
                await self.job()
            except Exception:
                log.exception("periodic job %s failed", self.name)
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
