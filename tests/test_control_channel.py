"""The control channel: what the command line (or another process) changes reaches a running
app at once over Redis, instead of when the app's own timers look again."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import msgspec
import pytest

from badges import service
from event_ops.access import permissions
from tests.conftest import ROOT
from tests.helpers import bearer, open_event, require_redis, signed_in

REDIS_URL = os.environ.get("EVENTOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def app_on_redis(db, settings):
    """The app running in this process with its channels on Redis."""
    require_redis()
    from app.factory import create_app

    app_ = create_app(msgspec.structs.replace(settings, redis_url=REDIS_URL))
    started, stop = asyncio.Event(), asyncio.Event()

    async def run_lifespan() -> None:
        async with app_.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run_lifespan())
    await started.wait()
    try:
        yield app_
    finally:
        stop.set()
        await task


async def cli(*args: str) -> None:
    proc = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "app.cli", *args], cwd=ROOT,
        env={**os.environ, "EVENTOPS_REDIS_URL": REDIS_URL}, capture_output=True, text=True,
        timeout=60)
    assert proc.returncode == 0, proc.stderr


async def soon(check, seconds: float = 1.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


@pytest.mark.redis
async def test_a_key_rotated_on_the_command_line_is_noticed_at_once(app_on_redis):
    event = await open_event()
    await service.signing_key(event.id, app_on_redis.state.settings)
    await service.keyring(event.id)
    assert event.id in service._ring_cache
    await cli("badges", "rotate-key", "--event", event.slug)
    # The copy is dropped at once (the timer alone would keep it up to 2 s, then re-read).
    assert await soon(lambda: event.id not in service._ring_cache)
    key_id, _ = await service.signing_key(event.id, app_on_redis.state.settings)
    assert key_id == 2


@pytest.mark.redis
async def test_an_account_disabled_on_the_command_line_empties_the_token_cache(app_on_redis):
    event = await open_event()
    door = await bearer(event)
    email = "bo@gemeente.example.nl"
    await signed_in("organiser_staff", [event], email=email)
    assert await permissions.principal_for(door["Authorization"][7:]) is not None
    assert permissions._cache
    await cli("account", "disable", "--email", email)
    assert await soon(lambda: not permissions._cache)
