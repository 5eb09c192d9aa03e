"""The role table, cell by cell: every API route against every role.

The routes come from the app itself (``app.routes``), with the permission each one names
in its ``opt`` (app/api/auth.py): a new route under /api that names none fails
``test_every_api_route_declares_its_permission``, and once it names one it is walked here
like every other. One guard (``permission_guard``) checks them all; each role must get
exactly what ``PERMISSIONS`` grants: a forbidden role gets 403, an allowed one gets past the
check (any answer but 401/403), and no credential at all gets 401.
"""

from __future__ import annotations

import re

import pytest
from litestar import Litestar, get
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from app.api.auth import PERMISSION, PUBLIC, api_router, requires
from app.errors import domain_error_handler
from event_ops.access.permissions import PERMISSIONS
from event_ops.access.tokens import create_token
from event_ops.core.errors import DomainError
from event_ops.employers.service import add_employer
from event_ops.matching.tables import Match
from tests.helpers import bearer, open_event, signed_in, visitor

SLUG = "festival-today"
E = f"/api/v1/events/{SLUG}"
# Bodies that get an allowed caller past the body's validation too, so the call does its
# real work (the guard answers 401/403 before the body is read, whatever it holds).
BODIES: dict[tuple[str, str], dict] = {
    ("POST", f"{E}/checkins"): {"token": "x"},
    ("POST", f"{E}/walkins"): {"name": "Ab Cd", "email": "w@example.nl", "consent_terms": True},
    ("POST", f"{E}/checkins/undo"): {"registration_id": 1},
    ("POST", f"{E}/pairings"): {"role": "employer_tablet", "label": "x", "employer_id": 1},
    ("POST", f"{E}/interests"): {"token": "x", "level": "info"},
    ("POST", f"{E}/interests/card"): {"token": "x"},
    ("POST", f"{E}/interests/undo"): {"interest_id": 1},
    ("POST", f"{E}/schedule/build"): {},
    ("POST", f"{E}/schedule/pin"): {"round": 1, "registration_id": 1, "employer_id": 1},
    ("POST", f"{E}/schedule/unpin"): {"registration_id": 1, "employer_id": 1},
    ("POST", f"{E}/schedule/remove"): {"registration_id": 1, "employer_id": 1},
    ("POST", f"{E}/preferences"): {"preferences": []},
    ("POST", "/api/v1/matches/{match}/status"): {"status": "contacted"},
    ("POST", "/api/v1/matches/{match}/owner"): {},
    ("POST", f"{E}/print"): {"registration_id": 1, "station": 1},
    ("POST", f"{E}/print/jobs/1/done"): {"ok": True},
    ("POST", f"{E}/kiosk/checkin"): {"token": "x"},
    ("POST", f"{E}/kiosk/walkins"): {"name": "Ab Cd", "consent_terms": True},
}
# The cells this test checked when its list was written by hand: each must still be
# walked, with the same permission (the app's list may only grow).
CHECKED_BY_HAND: list[tuple[str, str, str]] = [
    ("POST", f"{E}/checkins", "checkin.scan"),
    ("POST", f"{E}/walkins", "checkin.scan"),
    ("POST", f"{E}/checkins/undo", "checkin.undo"),
    ("GET", f"{E}/stats", "stats.read"),
    ("GET", f"{E}/arrivals", "stats.read"),
    ("GET", f"{E}/scans", "stats.read"),
    ("GET", f"{E}/keys", "keys.read"),
    ("POST", f"{E}/registrations/1/reissue", "badge.reissue"),
    ("GET", f"{E}/visitors", "visitor.search"),
    ("POST", f"{E}/pairings", "devices.pair"),
    ("GET", f"{E}/devices", "devices.manage"),
    ("POST", f"{E}/devices/1/revoke", "devices.manage"),
    ("POST", f"{E}/interests", "interest.write"),
    ("POST", f"{E}/interests/card", "interest.write"),
    ("GET", f"{E}/interests", "interest.write"),
    ("GET", f"{E}/interests.csv", "interest.export"),
    ("GET", f"{E}/interests.xlsx", "interest.export"),
    ("POST", f"{E}/interests/undo", "interest.write"),
    ("GET", f"{E}/stand-qr.png", "interest.write"),
    ("POST", f"{E}/recommendations", "matching.manage"),
    ("POST", f"{E}/schedule/build", "matching.manage"),
    ("GET", f"{E}/schedule", "matching.manage"),
    ("GET", f"{E}/recommended-visitors", "matching.employer"),
    ("GET", f"{E}/preferences", "matching.employer"),
    ("POST", f"{E}/preferences", "matching.preferences"),
    ("GET", f"{E}/schedule/mine", "matching.employer"),
    ("GET", f"{E}/matches", "matches.read"),
    ("GET", f"{E}/owners", "matches.read"),
    ("GET", f"{E}/report", "reports.read"),
    ("GET", f"{E}/report.csv", "reports.read"),
    ("GET", "/api/v1/reports/programme", "reports.programme"),
    ("GET", f"{E}/mail", "mail.status"),
    ("POST", f"{E}/mail/retry", "mail.status"),
]
ROLES = tuple(sorted(set().union(*PERMISSIONS.values())))
_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def api_routes(app: Litestar) -> list[tuple[str, str, dict]]:
    """(method, path template, opt) of every handler under /api, from the app's own routes.
    Litestar's automatic OPTIONS answers (204 naming the methods) are not ours."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"} and PERMISSION not in handler.opt:
                continue
            found.extend((method, route.path, handler.opt) for method in handler.http_methods)
    return sorted(found, key=lambda r: (r[1], r[0]))


def concrete(template: str, **ids: str) -> str:
    """A path to call: the test event's slug, id 1 (or as given in ``ids``), ``{match}`` for
    the test's match (its id is known only once the fixture ran), ``openapi.json`` for the
    schema's file name."""
    values = {"slug": SLUG, "match_id": "{match}", "path": "openapi.json", **ids}
    return _PARAM.sub(lambda m: values.get(m.group(1), "1"), template)


@pytest.fixture
def app(settings) -> Litestar:
    from app.factory import create_app

    return create_app(settings)


def test_every_api_route_declares_its_permission(app):
    routes = api_routes(app)
    assert len(routes) > 50
    undeclared = [f"{m} {p}" for m, p, opt in routes if PERMISSION not in opt]
    assert not undeclared, f"API routes without opt={{'permission': ...}}: {undeclared}"
    unknown = [f"{m} {p}: {opt[PERMISSION]}" for m, p, opt in routes
               if opt[PERMISSION] is not PUBLIC and opt[PERMISSION] not in PERMISSIONS]
    assert not unknown


def test_the_public_api_routes_are_the_ones_meant_to_be(app):
    public = {(m, p) for m, p, opt in api_routes(app) if opt[PERMISSION] is PUBLIC}
    assert public == {("POST", "/api/v1/events/{slug:str}/registrations"),
                      ("POST", "/api/v1/pair/{code:str}")}


def test_every_cell_checked_by_hand_is_still_walked(app):
    walked = {(m, concrete(p), opt[PERMISSION]) for m, p, opt in api_routes(app)}
    assert set(CHECKED_BY_HAND) <= walked


async def test_a_route_that_names_no_permission_is_refused():
    """Fail closed: a handler put in an API router without a permission answers 403."""

    @get("/forgotten", sync_to_thread=False)
    def forgotten() -> dict:
        return {"secret": True}

    @get("/open", opt=requires(PUBLIC), sync_to_thread=False)
    def open_route() -> dict:
        return {"ok": True}

    app = Litestar([api_router("/api/v1", [forgotten, open_route], tags=["test"])],
                   exception_handlers={DomainError: domain_error_handler})
    async with AsyncTestClient(app) as client:
        r = await client.get("/api/v1/forgotten")
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
        assert (await client.get("/api/v1/open")).json() == {"ok": True}
    with pytest.raises(ValueError, match="unknown permission"):
        requires("checkin.sacn")


@pytest.fixture
async def callers(db):
    """One caller per role, all for this event, plus an organiser staff member and a door
    of another event (right role, wrong event), and one match of this event."""
    event = await open_event()
    other = await open_event("other-event")
    employer = await add_employer(event, name="Zorg BV", stand_label="A1", sector="care")
    registered = await visitor(event, 1)
    rows = await Match(event=event.id, employer=employer.id,
                       registration=registered.registration_id, level="direct").save()
    return {
        "match": rows[0]["id"],
        "organiser": await bearer(event, "organiser"),
        # Programme-wide: no event of its own, every event.
        "admin": {"Authorization": "Bearer " + await create_token(None, role="admin",
                                                                  label="Admin")},
        "door": await bearer(event, "door"),
        "employer": await bearer(event, "employer", employer_id=employer.id),
        "employer_tablet": await bearer(event, "employer_tablet", employer_id=employer.id),
        "print_station": await bearer(event, "print_station"),
        "kiosk": await bearer(event, "kiosk"),
        "organiser_admin": await signed_in("organiser_admin"),
        "organiser_staff": await signed_in("organiser_staff", [event]),
        "job_coach": await signed_in("job_coach", [event]),
        "other event: organiser_staff": await signed_in("organiser_staff", [other]),
        "other event: door": await bearer(other, "door"),
    }


async def test_each_role_gets_exactly_its_permissions(client, callers, app):
    """Every guarded API route of the app, every role; the failures are listed together."""
    wrong: list[str] = []
    for method, template, opt in api_routes(app):
        permission = opt[PERMISSION]
        if permission is PUBLIC:
            continue
        # No such device: an allowed caller must not revoke the callers' own tokens.
        path = concrete(template, device_id="999999")
        body = BODIES.get((method, path))
        path = path.format(match=callers["match"])

        async def call(who: str | None, path: str = path, method: str = method,
                       body: dict | None = body):
            headers = callers[who] if who else None
            return await client.request(method, path, json=body, headers=headers)

        r = await call(None)
        if r.status_code != 401:
            wrong.append(f"{method} {path} anonymous: {r.status_code} {r.text[:100]}")
        for role in ROLES:
            r = await call(role)
            if role in PERMISSIONS[permission]:
                if r.status_code in (401, 403):
                    wrong.append(f"{method} {path} {role} (allowed): {r.status_code} {r.text}")
            elif r.status_code != 403 or r.json()["error"] != "forbidden":
                wrong.append(f"{method} {path} {role} (refused): {r.status_code} {r.text}")
        if "{slug" in template or "{match_id" in template:
            # Event-bound: the right role of another event is refused.
            for who in ("other event: organiser_staff", "other event: door"):
                r = await call(who)
                if r.status_code != 403:
                    wrong.append(f"{method} {path} {who}: {r.status_code} {r.text[:100]}")
    assert not wrong, "\n".join(wrong)


async def test_every_role_is_covered():
    assert set(ROLES) == {"organiser_admin", "organiser_staff", "organiser", "job_coach",
                          "door", "employer", "employer_tablet", "admin", "print_station",
                          "kiosk"}


def test_every_permission_is_exercised(app):
    named = {opt[PERMISSION] for _, _, opt in api_routes(app)}
    assert named >= set(PERMISSIONS) - {
        "live.watch",  # websocket: tests/test_live.py
        "audit.read",  # a page: tests/test_accounts.py
        "metrics.read",  # /metrics, beside the API (token or organiser): tests/test_metrics.py
        "messages.send",  # pages: tests/test_messaging.py
        "registrations.manage",  # pages: tests/test_registration_desk.py
    }
