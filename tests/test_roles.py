"""The role table, cell by cell: every staff endpoint against every role.

One mechanism (``event_ops.access.permissions.authorize``) guards them all; this test walks
the endpoints and checks that each role gets exactly what ``PERMISSIONS`` grants: a
forbidden role gets 403, an allowed one gets past the check (any answer but 401/403), and
no token at all gets 401.
"""

from __future__ import annotations

import pytest

from event_ops.access.permissions import PERMISSIONS
from event_ops.employers.service import add_employer
from tests.helpers import bearer, open_event

E = "/api/v1/events/festival-today"
ENDPOINTS: list[tuple[str, str, dict | None, str]] = [
    ("POST", f"{E}/checkins", {"token": "x"}, "checkin.scan"),
    ("POST", f"{E}/walkins", {"name": "Ab Cd", "email": "w@example.nl", "consent_terms": True},
     "checkin.scan"),
    ("POST", f"{E}/checkins/undo", {"registration_id": 1}, "checkin.undo"),
    ("GET", f"{E}/stats", None, "stats.read"),
    ("GET", f"{E}/arrivals", None, "stats.read"),
    ("GET", f"{E}/scans", None, "stats.read"),
    ("GET", f"{E}/keys", None, "keys.read"),
    ("POST", f"{E}/registrations/1/reissue", None, "badge.reissue"),
    ("GET", f"{E}/visitors?q=ab", None, "visitor.search"),
    ("POST", f"{E}/pairings", {"role": "door", "label": "x"}, "devices.pair"),
    ("POST", f"{E}/interests", {"token": "x", "level": "info"}, "interest.write"),
    ("GET", f"{E}/interests", None, "interest.write"),
    ("GET", f"{E}/interests.csv", None, "interest.write"),
    ("POST", f"{E}/interests/undo", {"interest_id": 1}, "interest.write"),
    ("GET", f"{E}/stand-qr.png", None, "interest.write"),
    ("POST", f"{E}/recommendations", None, "matching.manage"),
    ("POST", f"{E}/schedule/build", {}, "matching.manage"),
    ("GET", f"{E}/schedule", None, "matching.manage"),
    ("GET", f"{E}/recommended-visitors", None, "matching.employer"),
    ("GET", f"{E}/preferences", None, "matching.employer"),
    ("POST", f"{E}/preferences", {"preferences": []}, "matching.employer"),
    ("GET", f"{E}/schedule/mine", None, "matching.employer"),
    ("GET", f"{E}/matches", None, "matches.read"),
    ("GET", f"{E}/report", None, "reports.read"),
    ("GET", f"{E}/report.csv", None, "reports.read"),
    ("GET", "/api/v1/reports/programme", None, "reports.programme"),
    ("GET", f"{E}/mail", None, "mail.status"),
    ("POST", f"{E}/mail/retry", None, "mail.status"),
]
ROLES = ("organiser", "door", "employer")


@pytest.fixture
async def tokens(db):
    event = await open_event()
    employer = await add_employer(event, name="Zorg BV", stand_label="A1", sector="care")
    return {
        "organiser": await bearer(event, "organiser"),
        "door": await bearer(event, "door"),
        "employer": await bearer(event, "employer", employer_id=employer.id),
    }


@pytest.mark.parametrize(("method", "path", "body", "permission"), ENDPOINTS,
                         ids=[f"{m} {p.removeprefix(E)}" for m, p, _, _ in ENDPOINTS])
async def test_each_role_gets_exactly_its_permissions(client, tokens, method, path, body,
                                                      permission):
    anonymous = await client.request(method, path, json=body)
    assert anonymous.status_code == 401, anonymous.text
    for role in ROLES:
        r = await client.request(method, path, json=body, headers=tokens[role])
        if role in PERMISSIONS[permission]:
            assert r.status_code not in (401, 403), (role, r.status_code, r.text)
        else:
            assert r.status_code == 403, (role, r.status_code, r.text)
            assert r.json()["error"] == "forbidden"


async def test_every_permission_is_exercised():
    assert {p for _, _, _, p in ENDPOINTS} >= set(PERMISSIONS) - {
        "live.watch",  # websocket: tests/test_live.py
        "matches.write",  # per-match URLs: tests/test_followup.py
    }
