"""The service worker of the door and tablet pages: ``GET /sw.js``.

It lets ``/door/{slug}`` and ``/stand/{slug}`` open again without network (a reload, a
browser restart). The script is ``static/js/sw.js``; it is served here, from the site root,
because a service worker may only control pages under the folder it is served from, and
``/static/js/`` is not where the pages live. Each page registers it for its own scope
(``/door/`` or ``/stand/``), so it never sees the visitor pages (``/me/``) at all.

The first line we put in front of the script names the build: a hash of the script and of
every file the two pages load. A deploy that changes any of them changes ``/sw.js``, so the
browser installs the new worker, which fills a new cache and deletes the old one.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from litestar import MediaType, Response, get

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
WORKER = STATIC / "js" / "sw.js"

# Every /static file the door and tablet pages load (scripts, their imports, styles, the
# vendored QR decoder). The pages make their beeps with WebAudio, so there are no sound
# files. tests/test_offline_reload.py fails when a page loads a /static file not listed here.
SHELL_ASSETS: tuple[str, ...] = (
    "css/app.css",
    "css/door.css",
    "css/stand.css",
    "js/sw-register.js",
    "js/door.js",
    "js/door-badge.js",
    "js/stand.js",
    "js/stand-card.js",
    "js/stand-context.js",
    "js/stand-here.js",
    "js/stand-list.js",
    "js/stand-outcome.js",
    "js/stand-queue.js",
    "js/stand-tablets.js",
    "js/device.js",
    "js/badge-verify.js",
    "js/offline-queue.js",
    "js/pair.js",
    "js/scanner.js",
    "vendor/jsqr-1.4.0/jsQR.js",
)


def _stamp() -> tuple[tuple[str, int, int], ...]:
    """Size and modification time of every file the build hash covers (cheap to check)."""
    files = [WORKER, *(STATIC / name for name in SHELL_ASSETS)]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


@lru_cache(maxsize=4)
def _build(stamp: tuple[tuple[str, int, int], ...]) -> bytes:
    digest = hashlib.sha256()
    for path, _mtime, _size in stamp:
        # The path inside static/, not the absolute one: every server of a deploy must
        # give the same version, wherever its checkout lives.
        digest.update(Path(path).relative_to(STATIC).as_posix().encode())
        digest.update(Path(path).read_bytes())
    head = {
        "version": digest.hexdigest()[:16],
        "assets": [f"/static/{name}" for name in SHELL_ASSETS],
    }
    return f"self.EVENTOPS_SW = {json.dumps(head)};\n".encode() + WORKER.read_bytes()


def worker_script() -> bytes:
    """``static/js/sw.js`` with its build line in front."""
    return _build(_stamp())


@get("/sw.js", name="service_worker", include_in_schema=False, media_type=MediaType.TEXT)
async def service_worker() -> Response[bytes]:
    return Response(
        content=worker_script(),
        media_type="text/javascript; charset=utf-8",
        # The browser checks for a new worker on every visit; never answer from a cache.
        headers={"Cache-Control": "no-cache"},
    )
