"""Bare Litestar app: the ceiling other benchmarks compare app endpoints against.

Run: ``python -m uvicorn benchmarks.bare_app:app --loop uvloop --http httptools``.

``POST /bare`` takes ``{"name": str, "email": str}`` (decoded by Litestar with msgspec into a
Struct, as real endpoints do) and returns a small JSON object. ``POST /bare-raw`` does the same
with ``msgspec.json.decode`` on the raw body (no Litestar body parsing), for reference.
"""

from __future__ import annotations

import msgspec
from litestar import Litestar, Request, get, post


class BareIn(msgspec.Struct):
    name: str
    email: str


class BareOut(msgspec.Struct):
    ok: bool
    name: str
    email: str


_decode = msgspec.json.Decoder(BareIn).decode


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


@post("/bare", status_code=200)
async def bare(data: BareIn) -> BareOut:
    return BareOut(ok=True, name=data.name, email=data.email)


@post("/bare-raw", status_code=200)
async def bare_raw(request: Request) -> BareOut:
    data = _decode(await request.body())
    return BareOut(ok=True, name=data.name, email=data.email)


app = Litestar(route_handlers=[health, bare, bare_raw], openapi_config=None)
