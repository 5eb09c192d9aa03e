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
from tests.helpers import bearer, open_event, signed_in

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
    ("POST", f"{E}/pairings", {"role": "employer_tablet", "label": "x", "employer_id": 1},
     "devices.pair"),
    ("GET", f"{E}/devices", None, "devices.manage"),
    ("POST", f"{E}/devices/1/revoke", None, "devices.manage"),
    ("POST", f"{E}/interests", {"token": "x", "level": "info"}, "interest.write"),
    ("POST", f"{E}/interests/card", {"token": "x"}, "interest.write"),
    ("GET", f"{E}/interests", None, "interest.write"),
    ("GET", f"{E}/interests.csv", None, "interest.export"),
    ("GET", f"{E}/interests.xlsx", None, "interest.export"),
    ("POST", f"{E}/interests/undo", {"interest_id": 1}, "interest.write"),
    ("GET", f"{E}/stand-qr.png", None, "interest.write"),
    ("POST", f"{E}/recommendations", None, "matching.manage"),
    ("POST", f"{E}/schedule/build", {}, "matching.manage"),
    ("GET", f"{E}/schedule", None, "matching.manage"),
    ("GET", f"{E}/recommended-visitors", None, "matching.employer"),
    ("GET", f"{E}/preferences", None, "matching.employer"),
    ("POST", f"{E}/preferences", {"preferences": []}, "matching.preferences"),
    ("GET", f"{E}/schedule/mine", None, "matching.employer"),
    ("GET", f"{E}/matches", None, "matches.read"),
    ("GET", f"{E}/owners", None, "matches.read"),
    ("GET", f"{E}/report", None, "reports.read"),
    ("GET", f"{E}/report.csv", None, "reports.read"),
    ("GET", "/api/v1/reports/programme", None, "reports.programme"),
    ("GET", f"{E}/mail", None, "mail.status"),
    ("POST", f"{E}/mail/retry", None, "mail.status"),
]
ROLES = tuple(sorted(set().union(*PERMISSIONS.values())))


@pytest.fixture
async def callers(db):
    """One caller per role, all for this event, plus an organiser staff member and a door
    of another event (right role, wrong event)."""
    event = await open_event()
    other = await open_event("other-event")
    employer = await add_employer(event, name="Zorg BV", stand_label="A1", sector="care")
    return {
        "organiser": await bearer(event, "organiser"),
        "door": await bearer(event, "door"),
        "employer": await bearer(event, "employer", employer_id=employer.id),
        "employer_tablet": await bearer(event, "employer_tablet", employer_id=employer.id),
        "organiser_admin": await signed_in("organiser_admin"),
        "organiser_staff": await signed_in("organiser_staff", [event]),
        "job_coach": await signed_in("job_coach", [event]),
        "other event: organiser_staff": await signed_in("organiser_staff", [other]),
        "other event: door": await bearer(other, "door"),
    }


@pytest.mark.parametrize(("method", "path", "body", "permission"), ENDPOINTS,
                         ids=[f"{m} {p.removeprefix(E)}" for m, p, _, _ in ENDPOINTS])
async def test_each_role_gets_exactly_its_permissions(client, callers, method, path, body,
                                                      permission):
    anonymous = await client.request(method, path, json=body)
    assert anonymous.status_code == 401, anonymous.text
    for role in ROLES:
        r = await client.request(method, path, json=body, headers=callers[role])
        if role in PERMISSIONS[permission]:
            assert r.status_code not in (401, 403), (role, r.status_code, r.text)
        else:
            assert r.status_code == 403, (role, r.status_code, r.text)
            assert r.json()["error"] == "forbidden"
    if path.startswith(E):  # event-bound: the right role of another event is refused
        for who in ("other event: organiser_staff", "other event: door"):
            r = await client.request(method, path, json=body, headers=callers[who])
            assert r.status_code == 403, (who, r.status_code, r.text)


async def test_every_role_is_covered():
    assert set(ROLES) == {"organiser_admin", "organiser_staff", "organiser", "job_coach",
                          "door", "employer", "employer_tablet"}


async def test_every_permission_is_exercised():
    assert {p for _, _, _, p in ENDPOINTS} >= set(PERMISSIONS) - {
        "live.watch",  # websocket: tests/test_live.py
        "matches.write",  # per-match URLs: tests/test_followup.py
        "api.schema",  # tests/test_accounts.py
        "audit.read",  # a page: tests/test_accounts.py
    }
