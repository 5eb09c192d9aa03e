"""How the app is served: uvicorn's options in one place, for ``eventops serve`` and the
benchmarks (which must measure the app as it runs)."""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any


def _if_installed(module: str) -> str:
    # uvloop and httptools have no builds for Windows or PyPy; uvicorn then picks its own.
    return module if find_spec(module) is not None else "auto"


UVICORN_OPTIONS: dict[str, Any] = {
    "loop": _if_installed("uvloop"),
    "http": _if_installed("httptools"),
    "ws": "websockets-sansio",
    # No permessage-deflate on websockets. The live feed sends the same message to every
    # dashboard, but deflate keeps a context per connection, so each connection compresses
    # it again: with 200 dashboards at 5,000 check-ins/s that was 26 % of the event loop
    # (zlib level 6; level 1 still half of it), and check-ins fell from 4,300/s to 3,000/s.
    # What it saves is bandwidth a dashboard does not miss: at a busy festival door (50
    # scans/s) the feed is about 4 kB/s uncompressed.
    "ws_per_message_deflate": False,
    "access_log": False,
    # We run behind nothing, or behind a proxy we configure ourselves; never trust
    # X-Forwarded-* from whoever connects.
    "proxy_headers": False,
}


def uvicorn_args() -> list[str]:
    """``UVICORN_OPTIONS`` as ``uvicorn`` command-line arguments."""
    return ["--loop", UVICORN_OPTIONS["loop"], "--http", UVICORN_OPTIONS["http"],
            "--ws", UVICORN_OPTIONS["ws"], "--ws-per-message-deflate", "false",
            "--no-access-log", "--no-proxy-headers"]
