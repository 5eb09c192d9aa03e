"""Fuzz the public API from its own OpenAPI schema (schemathesis): no 5xx, no crash."""

from __future__ import annotations

import asyncio

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from app.factory import create_app
from tests.helpers import bearer, open_event, visitor

EXAMPLES = 40
# Page routes render HTML and are covered by the browser tests; the schema itself is served
# by Litestar. Everything under /api/v1 with a JSON body or parameters is fuzzed.
SKIP_PREFIXES = ("/api/v1/schema",)


def api_operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/") and not operation.path.startswith(SKIP_PREFIXES):
            yield operation


async def test_public_and_staff_api_never_answers_5xx(live_server, db):
    event = await open_event("fuzz-event")
    await visitor(event, 1)
    organiser = await bearer(event, "organiser")
    door = await bearer(event, "door")
    schema = schemathesis.openapi.from_dict(create_app().openapi_schema.to_schema())
    failures: list[str] = []

    def fuzz(operation, headers: dict[str, str]) -> None:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            if "slug" in (case.path_parameters or {}) and case.path_parameters["slug"] != "x":
                # Half the cases against the real event, so deeper code paths run too.
                case.path_parameters["slug"] = event.slug
            response = case.call(base_url=live_server, headers=headers, timeout=10)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> "
                                f"{response.status_code}: {response.text[:200]}")

        check()

    for operation in api_operations(schema):
        for headers in ({}, organiser, door):
            await asyncio.to_thread(fuzz, operation, headers)
    assert not failures, "\n".join(failures[:20])


pytestmark = pytest.mark.fuzz
