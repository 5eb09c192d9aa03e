"""Fuzz the public API from its own OpenAPI schema (schemathesis): no 5xx, no crash."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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



# --- The shapes an attack on a running instance answered 500 to (issue 12, finding 9) ---
# Every operation in the schema (API and pages) gets: ids past 32 bits in its id parameters
# and in secret links (asyncpg overflowed), JSON nested far deeper than any request of ours
# (RecursionError), NUL in the slug or the address (static files, PostgreSQL text), a Host
# header with a port past 65535 (URL building), and the visitor cookie with a huge id.

BIG_ID = st.integers(min_value=2**31, max_value=10**15)
MAC = "A" * 43


def _path_value(name: str, kind: str | None, data, slug: str) -> str:
    if kind == "integer":
        return str(data.draw(BIG_ID))
    if name == "token":
        return data.draw(st.one_of(BIG_ID.map(lambda n: f"{n}.{MAC}"),
                                   st.just(f"1\x00.{MAC}")))
    return data.draw(st.sampled_from([slug, f"{slug}\x00", "a\x00b", "\x00"]))


def _deep_json(levels: int, kind: str) -> bytes:
    if kind == "[":
        return b"[" * levels + b"]" * levels
    return b'{"a":' * levels + b"1" + b"}" * levels


async def test_hostile_shapes_never_answer_5xx(live_server, db):
    import httpx

    event = await open_event("fuzz-event")
    await visitor(event, 1)
    organiser = await bearer(event, "organiser")
    door = await bearer(event, "door")
    schema = create_app().openapi_schema.to_schema()
    failures: list[str] = []
    operations = [(method.upper(), path, [(p["name"], p.get("schema", {}).get("type"))
                                          for p in op.get("parameters", []) if p["in"] == "path"])
                  for path, ops in schema["paths"].items() for method, op in ops.items()
                  if not path.startswith(SKIP_PREFIXES)]

    def fuzz(method: str, template: str, params: list[tuple[str, str | None]]) -> None:
        http = httpx.Client(base_url=live_server, timeout=10)

        @given(data=st.data())
        @settings(max_examples=HOSTILE_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(data) -> None:
            path = template
            for name, kind in params:
                value = _path_value(name, kind, data, event.slug)
                path = path.replace("{" + name + "}", quote(value, safe="."))
            callers = [{}, organiser, door, {"Authorization": "x"}]
            headers = dict(data.draw(st.sampled_from(callers)))
            if data.draw(st.booleans()):
                headers["Host"] = data.draw(st.sampled_from(
                    ["127.0.0.1:99999", "127.0.0.1:65536", "localhost:123456"]))
            headers["Cookie"] = f"eo_me={data.draw(BIG_ID)}.{MAC}"
            body = None
            if method in ("POST", "PUT", "PATCH"):
                body = _deep_json(data.draw(st.integers(min_value=33, max_value=3000)),
                                  data.draw(st.sampled_from(["[", "{"])))
                headers["Content-Type"] = "application/json"
            query = data.draw(st.sampled_from(["", "?q=%00", "?limit=99999999999"]))
            response = http.request(method, path + query, headers=headers, content=body)
            if response.status_code >= 500:
                failures.append(f"{method} {path}{query} {headers.get('Host', '')} -> "
                                f"{response.status_code}: {response.text[:200]}")

        try:
            check()
        finally:
            http.close()

    for method, template, params in operations:
        await asyncio.to_thread(fuzz, method, template, params)
    # Pages outside the schema that read ids from links, forms and files.
    extra = [("GET", "/badges/{token}", [("token", None)]),
             ("GET", "/badges/{token}/print", [("token", None)]),
             ("GET", "/me/{token}/preferences/{slug}", [("token", None), ("slug", None)]),
             ("POST", "/me/{token}/preferences/{slug}", [("token", None), ("slug", None)]),
             ("GET", "/static/{slug}", [("slug", None)])]
    for method, template, params in extra:
        await asyncio.to_thread(fuzz, method, template, params)
    assert not failures, "\n".join(failures[:20])


HOSTILE_EXAMPLES = 8


pytestmark = pytest.mark.fuzz
