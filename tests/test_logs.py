"""The server's log (issue 20): one JSON object per line with ``EVENTOPS_LOG_FORMAT=json``,
with the request id; and after a realistic set of requests (sign-ups, mails with their
links, /me/ pages, badge files, check-ins, pairing, the live feed, a session, errors on a
secret link) not one of the tokens or secret links handed out is in it."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest
import websockets

from event_ops.core.db import current_engine
from tests.helpers import bearer, open_event, signed_in

LINK = re.compile(r"https?://[^\s\"'<>]+/(?:me|badges|pair)[/#][^\s\"'<>]+")


def mail_links(messages) -> set[str]:
    links: set[str] = set()
    for message in messages:
        for part in message.walk():
            # Not the calendar attachment: iCalendar folds long lines.
            if part.get_content_type() in ("text/plain", "text/html"):
                links.update(LINK.findall(part.get_content()))
    return links


async def test_a_realistic_run_logs_one_json_line_per_event_and_no_secret(
        server_factory, smtp_server, settings, tmp_path):
    smtp_url, sink = smtp_server
    log_file = tmp_path / "server.log"
    base = server_factory(log_file=log_file, EVENTOPS_LOG_FORMAT="json",
                          EVENTOPS_SMTP_URL=smtp_url)
    event = await open_event()
    door_header = await bearer(event)
    organiser_header = await bearer(event, role="organiser", label="Organiser")
    session_headers = await signed_in("organiser_admin", [event])
    secrets = {door_header["Authorization"][7:], organiser_header["Authorization"][7:],
               re.search(r"eo_session=([^;]+)", session_headers["Cookie"]).group(1)}

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        # Sign-ups: the answer carries the badge link; the mails carry the /me/ link.
        badge_links, registration_ids = [], []
        for n in range(3):
            r = await http.post(f"/api/v1/events/{event.slug}/registrations", json={
                "name": f"Log Test {n}", "email": f"logtest{n}@example.nl",
                "consent_terms": True, "consent_share_profile": True})
            assert r.status_code == 201, r.text
            badge_links.append(r.json()["badge_url"])
            registration_ids.append(r.json()["id"])
        for _ in range(100):  # the server's own outbox worker sends them
            if len(sink.messages) >= 3:
                break
            await asyncio.sleep(0.1)
        links = mail_links(sink.messages) | set(badge_links)
        me_links = [link for link in links if "/me/" in link and "/me/new-link" not in link]
        assert me_links and badge_links, links

        # The visitor's page and data, badge files and the print page.
        for link in me_links:
            path = link.removeprefix(base)
            assert (await http.get(path)).status_code == 200
            assert (await http.get(f"{path}/export")).status_code == 200
            assert (await http.get(f"{path}/export.json")).status_code == 200
        for link in badge_links:
            path = link.removeprefix(base)
            assert (await http.get(path)).status_code in (200, 503)
            await http.get(path.removesuffix(".png") + ".pdf")
            await http.get(path.removesuffix(".png") + "/print")
        # A guessed link and a bad token: refused, and logged (if at all) without them.
        await http.get("/me/12.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP")
        await http.get(f"/api/v1/events/{event.slug}/stats",
                       headers={"Authorization": "Bearer eot_guessed-token-value"})
        secrets.add("eot_guessed-token-value")

        # Check-ins with the badges' QR tokens.
        from badges.service import token_for

        for registration_id in registration_ids:
            qr = await token_for(event.id, registration_id, 1, settings)
            secrets.add(qr)
            r = await http.post(f"/api/v1/events/{event.slug}/checkins", json={"token": qr},
                                headers=door_header)
            assert r.json()["status"] == "ok"

        # Pairing: the code in the QR, and the device token it is redeemed for.
        r = await http.post(f"/api/v1/events/{event.slug}/pairings",
                            json={"role": "door", "label": "Door West"},
                            headers=organiser_header)
        assert r.status_code == 201, r.text
        code = r.json()["code"]
        r = await http.post(f"/api/v1/pair/{code}")
        assert r.status_code == 201
        device_token = r.json()["token"]
        secrets |= {code, device_token}
        assert (await http.post(f"/api/v1/pair/{code}")).status_code == 404  # used once

        # The back office with a session cookie, and the live feed with ?token=.
        assert (await http.get("/organiser", headers=session_headers)).status_code == 200
        ws = base.replace("http://", "ws://") + f"/ws/events/{event.slug}/live?token="
        async with websockets.connect(ws + device_token) as socket:
            await asyncio.wait_for(socket.recv(), 5)

        # A server error on a secret link: logged with its request id, the link redacted.
        engine = current_engine()
        await engine.fetch("ALTER TABLE profile_competency RENAME TO profile_competency_away")
        try:
            r = await http.get(me_links[0].removeprefix(base))
            assert r.status_code == 500
            failed_request = r.headers["x-request-id"]
        finally:
            await engine.fetch("ALTER TABLE profile_competency_away RENAME TO "
                               "profile_competency")

    secrets |= {link.rsplit("/", 1)[-1].removesuffix(".png") for link in links}
    secrets |= {link.split("/")[-1] for link in links}
    await asyncio.sleep(0.5)
    text = log_file.read_text(errors="replace")
    lines = text.splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all(list(r)[:5] == ["time", "level", "logger", "request_id", "message"]
               for r in records)
    assert any(r["request_id"] == failed_request and "unhandled error" in r["message"]
               and "Traceback" in r.get("exception", "") for r in records), text[-3000:]
    assert any("WebSocket /ws/events/" in r["message"] for r in records)
    for secret in sorted(secrets):
        assert len(secret) >= 8
        assert secret not in text, f"{secret} found in the log"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_record_with_a_traceback_is_one_line(fmt):
    import logging

    from app.logs import LineFormatter, request_id

    try:
        raise ValueError("bad link /me/12.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")
    except ValueError as exc:
        record = logging.LogRecord("eventops.http", logging.ERROR, __file__, 1,
                                   "unhandled error on %s\nsecond line", ("/badges/x.png",),
                                   (type(exc), exc, exc.__traceback__))
    token = request_id.set("abc123-7")
    try:
        line = LineFormatter(json_lines=fmt == "json").format(record)
    finally:
        request_id.reset(token)
    assert "\n" not in line and "abcdefghijklmnop" not in line and "/badges/x" not in line
    if fmt == "json":
        assert json.loads(line)["request_id"] == "abc123-7"
    else:
        assert " ERROR eventops.http rid=abc123-7 unhandled error on " in line
        assert "Traceback" in line
