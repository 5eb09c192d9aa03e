"""Door check-in over HTTP, and the dashboard's reads.

The check-in is the hottest endpoint there is: at the festival, thousands of scans a minute
come from the doors. Litestar's request pipeline (a ``Request``, the signature model, the
keyword arguments, a ``Response`` object) costs ~60 us per call, as much as the check-in's
database work. So the route keeps a normal handler (routing, the API schema, browser sessions
with their CSRF check, Litestar's own answers to bad input) and a *fast lane* in front of it,
``checkin_fast_lane``, which answers the common case itself: a device with a bearer token
sending a well-formed scan. Both lanes run the same ``scan`` below and give the same answers
(``tests/test_checkin_fast_lane.py`` compares them); errors raised in either go through the
app's one error table.
"""

from __future__ import annotations

import msgspec
from litestar import get, post
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.api.auth import api_router, requires
from app.errors import domain_error_answer, unexpected_error_answer
from app.input_limits import json_too_deep
from app.metrics import count_checkin
from checkin import reports
from checkin.scan import CheckinResult, ScanInput, check_in, event_stats, undo_check_in
from event_ops.access.permissions import authorize
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.events.service import cached_event
from event_ops.events.tables import Event
from event_ops.types import DbId

# A scan is ~200 bytes: a longer body is not one, and goes the normal way (which answers 413
# above the app's limit of 256 kB).
MAX_SCAN_BYTES = 16 * 1024
_decode_scan = msgspec.json.Decoder(ScanInput).decode
# The permission of a scan: the route declares it, the fast lane checks the same one.
SCAN = "checkin.scan"
_encode = msgspec.json.Encoder().encode


async def scan(event: Event, principal: Principal, data: ScanInput) -> CheckinResult:
    result, _ = await check_in(event, principal, data)  # it publishes to the live feed
    count_checkin(result.status)
    return result


def checkin_fast_lane(app: ASGIApp) -> ASGIApp:
    """Route middleware of ``create_checkin``: answers bearer-token scans directly; hands
    everything else (no token, a body that is not a scan) to ``app``, the normal handler."""

    async def fast_lane(scope: Scope, receive: Receive, send: Send) -> None:
        authorization = length = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
            elif name == b"content-length":
                length = value
        # No token: a browser session (cookies and CSRF), the normal way. An announced body
        # larger than a scan: the normal way too, unread (Litestar checks the app's limit).
        if not authorization or (length is not None and not _at_most(length, MAX_SCAN_BYTES)):
            await app(scope, receive, send)
            return
        body, complete = await _read_body(receive, MAX_SCAN_BYTES)
        data = _scan_or_none(body) if complete and len(body) <= MAX_SCAN_BYTES else None
        if data is None:  # Litestar gives its own answer to what is not a scan
            await app(scope, _replay(body, complete, receive), send)
            return
        # Errors are answered here, not raised: the app's error handler sits outside the
        # middleware that adds the security headers.
        try:
            event = await cached_event(scope["path_params"]["slug"])
            principal = await authorize(authorization.decode("latin-1"), event.id, SCAN, None)
            result = await scan(event, principal, data)
        except DomainError as exc:
            status, answer = domain_error_answer(exc)
            await _send_json(send, status, _encode(answer))
            return
        except Exception as exc:
            status, answer, headers = unexpected_error_answer(exc, "POST", scope["path"])
            await _send_json(send, status, _encode(answer), headers)
            return
        await _send_json(send, 200, _encode(result))

    return fast_lane


def _at_most(content_length: bytes, limit: int) -> bool:
    return content_length.isdigit() and int(content_length) <= limit


def _scan_or_none(body: bytes) -> ScanInput | None:
    if json_too_deep(body):  # the normal handler refuses it (BoundedRequest)
        return None
    try:
        return _decode_scan(body)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


async def _send_json(send: Send, status: int, payload: bytes,
                     headers: dict[str, str] | None = None) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
    ]})
    await send({"type": "http.response.body", "body": payload})


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request body, until it ends or passes ``limit`` bytes: (what was read, whether
    that is all of it). A body that passes the limit in its last part comes back whole."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > limit:
            return b"".join(chunks), False


def _replay(body: bytes, complete: bool, receive: Receive) -> Receive:
    """``receive`` for the normal handler: what the fast lane read, then the rest."""
    replayed = False

    async def again() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return again


@post("/events/{slug:str}/checkins", status_code=200, middleware=[checkin_fast_lane],
      opt=requires(SCAN))
async def create_checkin(event: Event, principal: Principal, data: ScanInput) -> CheckinResult:
    return await scan(event, principal, data)


class UndoInput(msgspec.Struct):
    registration_id: DbId


@post("/events/{slug:str}/checkins/undo", status_code=200, opt=requires("checkin.undo"))
async def undo_checkin(event: Event, principal: Principal, data: UndoInput) -> dict:
    await undo_check_in(event, principal, data.registration_id)
    return {"status": "undone"}


@get("/events/{slug:str}/stats", opt=requires("stats.read"))
async def stats(event: Event) -> dict:
    return await event_stats(event.id)


@get("/events/{slug:str}/arrivals", opt=requires("stats.read"))
async def arrivals(event: Event, bucket_minutes: int = 5) -> list[dict]:
    """Arrivals per door per time bucket, for the dashboard chart."""
    return await reports.arrivals_per_door(event.id, max(1, min(bucket_minutes, 60)))


@get("/events/{slug:str}/scans", opt=requires("stats.read"))
async def scans(event: Event, failed: bool = False, limit: int = 50) -> list[dict]:
    """Newest scans; ``failed=true`` for the failed ones only (and offline conflicts)."""
    return await reports.recent_scans(event.id, failed_only=failed, limit=limit)


ROUTER = api_router("/api/v1", [create_checkin, undo_checkin, stats, arrivals, scans],
                    tags=["checkin"])
