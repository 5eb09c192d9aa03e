"""The server options ``eventops serve`` runs with (``app/server.py``)."""

from __future__ import annotations

import websockets

from app.server import UVICORN_OPTIONS, uvicorn_args
from tests.helpers import bearer, open_event


async def test_live_feed_is_not_compressed_even_when_the_browser_offers_it(live_server, db):
    event = await open_event()
    token = (await bearer(event))["Authorization"][7:]
    url = live_server.replace("http://", "ws://") + f"/ws/events/{event.slug}/live?token={token}"
    async with websockets.connect(url, compression="deflate") as ws:
        await ws.recv()
        assert ws.protocol.extensions == []


def test_command_line_matches_the_options():
    args = uvicorn_args()
    assert args[args.index("--ws") + 1] == UVICORN_OPTIONS["ws"]
    assert args[args.index("--ws-per-message-deflate") + 1] == "false"
    assert not UVICORN_OPTIONS["ws_per_message_deflate"]
    assert "--no-proxy-headers" in args and UVICORN_OPTIONS["proxy_headers"] is False
