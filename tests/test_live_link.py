"""The live feed's link to Redis, in-process against a redis-server of the test's own that
is killed and started again: reconnect with backoff, one log line each way, nothing lost
for this process's own subscribers, no dead workers and no hang at shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal

import pytest
from litestar.channels import ChannelsPlugin

from checkin import live
from checkin.live import reconnect_delay
from tests.own_redis import own_redis  # noqa: F401 (a fixture)

pytestmark = pytest.mark.redis


def test_reconnect_delay_doubles_up_to_a_cap_with_jitter():
    top = [reconnect_delay(n, rand=lambda: 1.0) for n in range(1, 9)]
    assert top == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0]
    bottom = [reconnect_delay(n, rand=lambda: 0.0) for n in range(1, 9)]
    assert bottom == [t / 2 for t in top]
    assert reconnect_delay(10**6) <= live.RECONNECT_MAX_SECONDS  # no overflow after days


def plugin_on(url: str) -> ChannelsPlugin:
    return live.build_channels(type("S", (), {"redis_url": url})())


async def next_event(stream, timeout: float = 5.0) -> bytes:
    return await asyncio.wait_for(anext(stream), timeout)


async def eventually(check, what: str, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            pytest.fail(f"never: {what}")
        await asyncio.sleep(0.05)


async def test_feed_survives_a_redis_restart_and_says_so_once_each_way(own_redis, caplog):  # noqa: F811
    caplog.set_level(logging.INFO, logger="eventops.live")
    a, b = plugin_on(own_redis.url), plugin_on(own_redis.url)  # two processes, as it were
    link_a = live._links[a]
    states: list[bool] = []
    link_a.watchers.append(states.append)
    async with a, b, a.start_subscription(["event-1"]) as sub:
        stream = sub.iter_events()
        await eventually(lambda: link_a._pubsub is not None, "connected")
        await asyncio.sleep(0.2)  # the SUBSCRIBE is through
        b.publish(b"before", "event-1")
        assert await next_event(stream) == b"before"

        own_redis.kill()
        await eventually(lambda: states == [False], "the link is reported down")
        # This process's own messages still reach its own subscribers, all of them.
        for n in range(20):
            a.publish(f"own {n}".encode(), "event-1")
        assert [await next_event(stream) for _ in range(20)] == [
            f"own {n}".encode() for n in range(20)]
        await asyncio.sleep(2)  # a few failed attempts: still one line in the log

        own_redis.start()
        await eventually(lambda: states == [False, True], "the link is reported back")
        await eventually(lambda: live._links[b]._pubsub is not None, "b reconnected")
        b.publish(b"after", "event-1")
        assert await next_event(stream) == b"after"
        a.publish(b"from a", "event-1")
        assert await next_event(stream) == b"from a"
        # Litestar's own workers are still alive (they died on the first error before).
        assert not a._sub_task.done() and not a._pub_task.done()
    lines = [(r.levelname, r.getMessage(), r.exc_info) for r in caplog.records
             if r.name == "eventops.live"]
    # One line down and one back per process (a and b both log here), however many
    # messages and reconnect attempts there were; no tracebacks.
    assert ["lost Redis" in m for _, m, _ in lines] == [True, True, False, False], lines
    assert all("back after" in m for _, m, _ in lines[2:]), lines
    assert all(exc_info is None for _, _, exc_info in lines)


async def test_feed_starts_while_redis_is_down_and_connects_when_it_comes(own_redis):  # noqa: F811
    own_redis.kill()
    plugin = plugin_on(own_redis.url)
    link = live._links[plugin]
    loop = asyncio.get_running_loop()
    # Neither startup nor shutdown may hang on Redis. (The timeout only bounds the test:
    # the plugin's shutdown swallows its cancellation, so the time is checked as well.)
    async with asyncio.timeout(30):
        async with plugin:
            async with plugin.start_subscription(["event-2"]) as sub:
                stream = sub.iter_events()
                await eventually(lambda: not link.up, "the link is reported down")
                plugin.publish(b"own", "event-2")
                assert await next_event(stream) == b"own"
                own_redis.start()
                await eventually(lambda: link.up, "connected once Redis is there")
                await asyncio.sleep(0.2)
                plugin.publish(b"through redis", "event-2")
                assert await next_event(stream) == b"through redis"
            own_redis.kill()
            plugin.publish(b"nobody listens", "event-2")
            closing = loop.time()
    assert loop.time() - closing < 5, "shutdown hung"


async def test_a_hung_redis_is_noticed_and_left_when_it_answers_again(own_redis, monkeypatch):  # noqa: F811
    """SIGSTOP: the connection stays open but nothing answers, as when a route drops."""
    monkeypatch.setattr(live, "LIVENESS_SECONDS", 0.5)
    plugin = plugin_on(own_redis.url)
    link = live._links[plugin]
    async with plugin, plugin.start_subscription(["event-3"]) as sub:
        stream = sub.iter_events()
        await eventually(lambda: link._pubsub is not None, "connected")
        await asyncio.sleep(1.5)  # quiet but answering PINGs: still up
        assert link.up
        own_redis.proc.send_signal(signal.SIGSTOP)
        await eventually(lambda: not link.up, "the hung Redis is noticed", timeout=10)
        own_redis.proc.send_signal(signal.SIGCONT)
        await eventually(lambda: link.up, "connected again")
        await asyncio.sleep(0.2)
        plugin.publish(b"after", "event-3")
        assert await next_event(stream) == b"after"
