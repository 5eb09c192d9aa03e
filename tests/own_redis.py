"""A redis-server of the test's own, on a free port, to kill and start again: outage tests
must never stop the shared Redis other tests (and other developers) use."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import free_port, wait_for_port

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


class OwnRedis:
    """``start()`` (again) on the same port, ``kill()`` with SIGKILL: a real blip."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def own_redis():
    """A running ``OwnRedis``; skipped where redis-server is not installed (never in CI)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("CI=true: redis-server must be installed for the Redis outage tests")
        pytest.skip("redis-server is not installed")
    redis = OwnRedis(binary)
    redis.start()
    try:
        yield redis
    finally:
        redis.kill()
