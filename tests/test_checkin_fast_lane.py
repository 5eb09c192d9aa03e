"""The check-in fast lane (``app.api.checkins.checkin_fast_lane``) answers exactly as the
normal Litestar handler does, and still passes through the app's middleware."""

from __future__ import annotations

import pytest

from app.api import checkins
from tests.helpers import badge, bearer, open_event, signed_in, visitor

URL = "/api/v1/events/festival-today/checkins"


async def _scenario(client) -> list[tuple[int, dict]]:
    event = await open_event()
    first = await visitor(event, 1, name="Sara Bakker")
    second = await visitor(event, 2, name="Ahmed Yilmaz")
    door = await bearer(event, label="Door North")
    token = await badge(event, first.registration_id)
    session = await signed_in("organiser_admin")
    requests = [
        (door, {"token": token}),
        (door, {"token": token, "door": "South"}),
        (door, {"token": "hello"}),
        (door, {"token": await badge(event, 987654)}),
        (door, {"registration_id": second.registration_id, "nonce": "n-1"}),
        (door, {"registration_id": second.registration_id, "nonce": "n-1"}),  # replay
        (door, {"token": token, "scanned_at": "2027-04-15T10:02:00"}),  # no time zone
        (door, {"token": 42}),
        (door, b"{not json"),
        (door, b'{"token": "x"}' + b" " * 300_000),  # over the app's 256 kB: 413
        ({}, {"token": token}),
        (session, {"token": token}),
        ({**session, "Authorization": ""}, {"token": token}),  # empty: the session counts
    ]
    answers = []
    for headers, body in requests:
        if isinstance(body, bytes):
            r = await client.post(URL, content=body, headers={**headers,
                                                              "Content-Type": "application/json"})
        else:
            r = await client.post(URL, json=body, headers=headers)
        data = r.json()
        for key in ("first_checkin_at",):  # times differ between the two runs
            data.pop(key, None)
        answers.append((r.status_code, data, r.headers.get("content-security-policy"),
                        sorted(r.headers.keys())))
    return answers


async def test_both_lanes_give_the_same_answers(client, monkeypatch):
    fast = await _scenario(client)
    # Same scenario with the fast lane handing every request to the normal handler.
    from tests.conftest import _empty_tables, _forget_caches

    await _empty_tables()
    _forget_caches()
    monkeypatch.setattr(checkins, "MAX_SCAN_BYTES", -1)
    normal = await _scenario(client)
    assert fast == normal
    statuses = [(code, body.get("status") or body.get("error")) for code, body, *_ in fast]
    assert statuses == [
        (200, "ok"), (200, "already_checked_in"), (200, "invalid"), (200, "unknown"),
        (200, "ok"), (200, "ok"), (400, "bad_request"), (400, "bad_request"),
        (400, "bad_request"), (413, "too_large"), (401, "unauthorized"), (403, "forbidden"),
        (403, "forbidden"),
    ]
    assert all(csp for _, _, csp, _ in fast), "security headers on every answer"


async def test_unexpected_errors_get_the_same_500_in_both_lanes(client, monkeypatch):
    event = await open_event()
    v = await visitor(event, 1)
    door = await bearer(event)

    async def broken(*_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(checkins, "scan", broken)
    answers = []
    for limit in (checkins.MAX_SCAN_BYTES, -1):  # fast lane, then the normal handler
        monkeypatch.setattr(checkins, "MAX_SCAN_BYTES", limit)
        r = await client.post(URL, headers=door,
                              json={"token": await badge(event, v.registration_id)})
        answers.append((r.status_code, r.json(), r.headers.get("content-security-policy")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 500 and answers[0][1]["error"] == "internal_error" and answers[0][2]


@pytest.mark.parametrize("chunks", [[b'{"token":', b' "x"}'], [b"", b'{"token": "x"}', b""]])
async def test_body_in_several_parts(chunks):
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
                for i, c in enumerate(chunks)]

    async def receive():
        return messages.pop(0)

    assert await checkins._read_body(receive, 1024) == (b"".join(chunks), True)


async def test_too_large_body_is_replayed_whole_to_the_normal_handler():
    parts = [b"a" * 100, b"b" * 100, b"c" * 100]
    messages = [{"type": "http.request", "body": p, "more_body": i < 2}
                for i, p in enumerate(parts)]

    async def receive():
        return messages.pop(0)

    body, complete = await checkins._read_body(receive, 150)
    assert (body, complete) == (b"a" * 100 + b"b" * 100, False)
    again = checkins._replay(body, complete, receive)
    seen = b""
    while True:
        message = await again()
        seen += message["body"]
        if not message["more_body"]:
            break
    assert seen == b"".join(parts)
