"""No credential or secret link in the log (issue 12, finding 8): a real server process is
made to log what used to leak (uvicorn's websocket lines with ``?token=``, the 500 handler
with ``/me/<link>``), and its log is searched for the secrets."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
import websockets

from app.logs import REDACTED, RedactingFilter, redact
from event_ops.access.pairing import create_pairing
from event_ops.core.db import current_engine
from event_ops.mail.render import badge_url, visitor_page_url
from tests.helpers import bearer, open_event, visitor

LINK = "12.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"


@pytest.mark.parametrize("text, secret", [
    ("WebSocket /ws/events/x/live?token=eot_abcDEF123-_x [accepted]", "eot_abcDEF123-_x"),
    ("GET /ws/events/x/live?door=1&token=whatever123 HTTP/1.1", "whatever123"),
    ("Authorization: Bearer eot_secret-value", "eot_secret-value"),
    ("authorization=bearer s3cr3t.value", "s3cr3t.value"),
    (f"unhandled error on GET /me/{LINK}/export", LINK),
    (f"GET /badges/{LINK}.png", LINK),
    (f"GET /badges/{LINK}/print", LINK),
    ("https://festival.example.nl/pair#Xy_12-abcdefghijklmnop", "Xy_12-abcdefghijklmnop"),
    ("POST /api/v1/pair/Xy_12-abcdefghijklmnop", "Xy_12-abcdefghijklmnop"),
    ("see https://festival.example.nl/me/not-a-link-but-secret", "not-a-link-but-secret"),
    ("'/badges/guessed-link.png'", "guessed-link"),
    (f"cookie: eo_session=eos_abc; eo_me={LINK}; csrftoken=deadbeef", "deadbeef"),
    (f"cookie: eo_me={LINK}", LINK),
    ("session eos_AbC123_-xyz expired", "eos_AbC123_-xyz"),
    (f"link {LINK} in a sentence", LINK),
])
def test_redact_removes_every_secret_shape(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned and REDACTED in cleaned, cleaned


def test_redact_keeps_ordinary_text():
    for text in ("GET /events/werkfestival/register 200", "close code=1008",
                 "checked in 42 visitors at 12.5 per minute", "/static/js/door.js",
                 'File "/srv/event-ops/badges/content.py", line 93, in badge_data',
                 'File "/srv/app/pages/me/x.py"'):
        assert redact(text) == text


def test_filter_redacts_message_arguments_and_traceback():
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1,
                               '%s - "WebSocket %s" [accepted]',
                               ("127.0.0.1:5000", "/ws/events/x/live?token=eot_abc"), None)
    try:
        raise ValueError(f"bad link /me/{LINK}")
    except ValueError as exc:
        failed = logging.LogRecord("eventops.http", logging.ERROR, __file__, 1,
                                   "unhandled error on %s %s", ("GET", f"/me/{LINK}"),
                                   (type(exc), exc, exc.__traceback__))
    for rec in (record, failed):
        RedactingFilter().filter(rec)
        text = logging.Formatter().format(rec)
        assert "eot_abc" not in text and LINK not in text and REDACTED in text, text


async def test_a_running_server_logs_no_token_or_secret_link(server_factory, db, settings,
                                                            tmp_path):
    log_file = tmp_path / "server.log"
    base = server_factory(log_file=log_file)
    event = await open_event()
    registered = await visitor(event, 1)
    door = (await bearer(event))["Authorization"].removeprefix("Bearer ")
    me_link = visitor_page_url(settings, registered.visitor_id, 1).removeprefix(settings.base_url)
    badge = badge_url(settings, registered.registration_id, 1).removeprefix(settings.base_url)
    pairing, _ = await create_pairing(event, role="door", label="Door South", actor="test")
    secrets = [door, me_link.split("/")[-1], badge.split("/")[-1].removesuffix(".png"), pairing]
    ws = base.replace("http://", "ws://") + f"/ws/events/{event.slug}/live?token="

    # uvicorn logs every websocket's path and query, accepted or refused.
    async with websockets.connect(ws + door) as socket:
        await asyncio.wait_for(socket.recv(), 5)
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(ws + door[:-3] + "xyz"):
            pass
    secrets.append(door[:-3] + "xyz")

    # A 500 on a secret link: the error handler logs the path (and the traceback).
    engine = current_engine()
    await engine.fetch("ALTER TABLE profile_competency RENAME TO profile_competency_away")
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            for path in (me_link, f"{me_link}/export", f"{me_link}/export.json"):
                r = await http.get(path, headers={"Authorization": f"Bearer {door}",
                                                  "Cookie": f"eo_me={secrets[1]}"})
                assert r.status_code == 500, (path, r.status_code)
            r = await http.post(f"/api/v1/pair/{pairing}")
            assert r.status_code == 201
            r = await http.get(badge)
            assert r.status_code in (200, 500)
    finally:
        await engine.fetch("ALTER TABLE profile_competency_away RENAME TO profile_competency")

    await asyncio.sleep(0.5)
    log = log_file.read_text(errors="replace")
    assert "WebSocket /ws/events/" in log and "unhandled error on GET /me/" in log, log[-2000:]
    assert "Traceback" in log
    for secret in secrets:
        assert secret not in log, f"{secret} found in the log"
