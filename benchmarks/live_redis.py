"""The live feed's Redis link: Litestar's ``RedisChannelsPubSubBackend`` (before) against
``ResilientRedisBackend`` (now), in one process through a redis-server of its own.

Per run and backend: the CPU the idle read loop takes (2 s, nothing published), and how many
channels messages per second go from ``publish`` to a subscriber (N messages of 200 bytes;
the app publishes one message per event per turn of the event loop, so this is far above
what a festival needs). Runs alternate between the backends; medians and the ratio are
printed. The reconnecting backend must cost no more than the one it replaces.

    python -m benchmarks.live_redis --runs 3 --messages 20000
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import socket
import statistics
import subprocess
import time

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis

from checkin.live import ResilientRedisBackend


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(kind: str, url: str, messages: int) -> tuple[float, float]:
    backend = (RedisChannelsPubSubBackend(redis=Redis.from_url(url)) if kind == "before"
               else ResilientRedisBackend.from_url(url))
    plugin = ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True)
    async with plugin, plugin.start_subscription(["event-1"]) as sub:
        await asyncio.sleep(0.3)
        start = cpu_seconds()
        await asyncio.sleep(2)
        idle = (cpu_seconds() - start) / 2
        stream = sub.iter_events()
        started = time.perf_counter()
        for n in range(messages):
            plugin.publish(b"x" * 200, "event-1")
            if n % 100 == 99:
                await asyncio.sleep(0)
        for _ in range(messages):
            await anext(stream)
        return idle, messages / (time.perf_counter() - started)


async def compare(url: str, runs: int, messages: int) -> None:
    results: dict[str, list[tuple[float, float]]] = {"before": [], "now": []}
    for run in range(1, runs + 1):
        for kind in results:
            results[kind].append(await measure(kind, url, messages))
            idle, rate = results[kind][-1]
            print(f"run {run} {kind:6}: idle {idle * 100:.1f} % of a core, {rate:,.0f} msgs/s")
    rate = {k: statistics.median(r for _, r in rows) for k, rows in results.items()}
    idle = {k: statistics.median(i for i, _ in rows) for k, rows in results.items()}
    for kind in results:
        print(f"median {kind:6}: idle {idle[kind] * 100:.1f} % of a core, "
              f"{rate[kind]:,.0f} msgs/s publish -> subscriber")
    print(f"now / before: {rate['now'] / rate['before']:.2f} x the messages per second")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    redis = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        asyncio.run(compare(f"redis://127.0.0.1:{port}/0", args.runs, args.messages))
    finally:
        redis.kill()
        redis.wait()


if __name__ == "__main__":
    main()
