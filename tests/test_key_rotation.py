"""Badge key rotation and retirement from the command line reach running servers.

Real processes: the app serves in its own process (``eventops serve``) and the key is rotated
or retired by ``eventops badges …`` in another one, as an operator does it. With Redis the
servers hear of it over the control channel at once; without, they read the keys again every
``KEYS_RECHECK_SECONDS``.
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import time

import httpx
import pytest
import zxingcpp
from PIL import Image

from badges.service import KEYS_RECHECK_SECONDS
from badges.token import parse_token
from tests.conftest import ROOT
from tests.helpers import bearer, open_event, require_redis

REDIS_URL = os.environ.get("EVENTOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# "Within seconds": the recheck interval plus room for a busy test machine.
PICKUP_SECONDS = KEYS_RECHECK_SECONDS + 3.0


def cli(*args: str, **env: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


class Visitors:
    """Registers visitors on the live server and reads their badges as a phone would."""

    def __init__(self, http: httpx.AsyncClient, slug: str) -> None:
        self.http, self.slug, self.n = http, slug, 0

    async def badge_path(self) -> str:
        self.n += 1
        r = await self.http.post(f"/api/v1/events/{self.slug}/registrations", json={
            "name": f"Visitor {self.n}", "email": f"rot{self.n}@example.nl",
            "consent_terms": True, "consent_share_profile": True, "sectors": ["care"]})
        assert r.status_code == 201, r.text
        return httpx.URL(r.json()["badge_url"]).path

    async def token(self, path: str) -> str:
        r = await self.http.get(path)
        assert r.status_code == 200
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(r.content)))
        assert len(found) == 1
        return found[0].text

    async def scan(self, token: str, door: dict[str, str]) -> str:
        r = await self.http.post(f"/api/v1/events/{self.slug}/checkins", headers=door,
                                 json={"token": token})
        assert r.status_code == 200, r.text
        return r.json()["status"]


def key_of(token: str) -> int:
    return parse_token(token)[0].key_id


async def eventually(check, seconds: float = PICKUP_SECONDS):
    """Run ``check`` until it returns something true; that value, or the last one."""
    deadline = time.monotonic() + seconds
    while True:
        value = await check()
        if value or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.2)


@pytest.mark.parametrize("channel", ["timer", "redis"])
async def test_rotation_and_retirement_from_the_cli_reach_a_running_server(
        server_factory, db, channel):
    extra = {}
    if channel == "redis":
        require_redis()
        extra = {"EVENTOPS_REDIS_URL": REDIS_URL}
    event = await open_event()
    door = await bearer(event)
    base = server_factory(**extra)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        people = Visitors(http, event.slug)
        early = await people.badge_path()
        old_token = await people.token(early)
        assert key_of(old_token) == 1
        # Another badge with key 1, downloaded before the rotation, and not yet scanned.
        kept = await people.token(await people.badge_path())

        assert "new signing key 2" in cli("badges", "rotate-key", "--event", event.slug, **extra)
        started = time.monotonic()
        after = await people.badge_path()

        async def signed_with_new_key() -> str | None:
            token = await people.token(after)
            return token if key_of(token) == 2 else None

        new_token = await eventually(signed_with_new_key)
        assert new_token, "the server still signs new badges with the old key"
        if channel == "redis":  # the control channel tells the server at once
            assert time.monotonic() - started < KEYS_RECHECK_SECONDS
        assert await people.scan(new_token, door) == "ok"
        # Until it is retired, the old key keeps verifying.
        assert await people.scan(old_token, door) == "ok"

        assert "key 1 retired" in cli("badges", "retire-key", "--event", event.slug,
                                      "--key-id", "1", **extra)
        # New and re-downloaded badges carry key 2 and scan; badges of key 1 are refused
        # like any badge that is not ours.
        assert key_of(await people.token(early)) == 2
        fresh = await people.token(await people.badge_path())
        assert key_of(fresh) == 2

        async def refused() -> bool:
            return await people.scan(kept, door) == "invalid"

        assert await eventually(refused), "a retired key still verifies"
        assert await people.scan(fresh, door) == "ok"
        assert await people.scan(await people.token(early), door) == "already_checked_in"
