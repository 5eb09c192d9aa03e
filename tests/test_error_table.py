"""One error table (app/errors.py) knows every code the project raises, and the API and the
pages answer from it: the right status, the contract's JSON on the API, the error page in
Dutch or English elsewhere."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from litestar import get

from app.errors import HTTP_STATUS_CODES, STATUS_BY_CODE
from event_ops.i18n import TEXTS

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("event_ops", "badges", "checkin", "app")


# -- the scan: every code a DomainError (or a subclass) is raised with, or an answer names --

def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr \
        if isinstance(func, ast.Attribute) else None


def _error_classes(trees: dict[str, ast.Module]) -> dict[str, bool]:
    """DomainError and its subclasses in the source → does the class take ``code`` as its
    first argument (TokenError does; ValidationFailed sets its own)?"""
    classes = {"DomainError": True}
    changed = True
    while changed:
        changed = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if (isinstance(node, ast.ClassDef) and node.name not in classes
                        and any(isinstance(b, ast.Name) and b.id in classes
                                for b in node.bases)):
                    init = next((f for f in node.body if isinstance(f, ast.FunctionDef)
                                 and f.name == "__init__"), None)
                    params = [a.arg for a in init.args.args[1:]] if init else ["code"]
                    classes[node.name] = bool(params) and params[0] == "code"
                    changed = True
    return classes


def _table_codes(module: str, tree: ast.Module) -> dict[str, set[str]]:
    """Names assigned from a module-level table (``refusal = STAND[state]``) → every code
    that table holds: a code looked up in a table is any of its values."""
    tables: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Subscript)
                and isinstance(node.value.value, ast.Name)):
            table = getattr(importlib.import_module(module), node.value.value.id, None)
            if isinstance(table, dict):
                tables[node.targets[0].id] = {v for v in table.values() if isinstance(v, str)}
    return tables


def _codes_of(expr: ast.expr, module: str, where: str,
              tables: dict[str, set[str]]) -> set[str]:
    """The codes an argument can name: a literal, a module constant (badges.token.INVALID),
    or a value of a module-level table. ``exc.code`` passes on a code raised elsewhere."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.Name):
        value = getattr(importlib.import_module(module), expr.id, None)
        if isinstance(value, str):
            return {value}
        if expr.id in tables:
            return tables[expr.id]
    if isinstance(expr, ast.Attribute) and expr.attr == "code":
        return set()
    raise AssertionError(f"{where}: cannot tell which error code {ast.unparse(expr)!r} is; "
                         "raise DomainError with a literal code, a module constant or a "
                         "value of a module-level table")


def raised_codes(trees: dict[str, ast.Module]) -> dict[str, list[str]]:
    """code → where it is raised or answered (``module:line``)."""
    classes = _error_classes(trees)
    found: dict[str, list[str]] = {}
    for module, tree in trees.items():
        tables = _table_codes(module, tree)
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
            if cls.name not in classes:
                continue
            for call in ast.walk(cls):  # super().__init__("validation_failed", …)
                if (isinstance(call, ast.Call) and _call_name(call) == "__init__"
                        and call.args and isinstance(call.args[0], ast.Constant)):
                    found.setdefault(call.args[0].value, []).append(f"{module}:{call.lineno}")
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name, where = _call_name(call), f"{module}:{call.lineno}"
            if name in classes and classes[name]:
                arg = call.args[0] if call.args else next(
                    (k.value for k in call.keywords if k.arg in ("code", "error_code")), None)
                codes = _codes_of(arg, module, where, tables) if arg is not None else set()
            elif name == "error_body" and call.args and isinstance(call.args[0], ast.Constant):
                codes = {call.args[0].value}  # an answer the HTTP layer makes itself
            else:
                continue
            for code in codes:
                found.setdefault(code, []).append(where)
    return found


def _project_trees() -> dict[str, ast.Module]:
    return {_module_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path))
            for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def test_every_raised_code_is_in_the_error_table():
    found = raised_codes(_project_trees())
    assert len(found) > 50, sorted(found)  # the scan sees the project's codes at all
    missing = {code: where for code, where in found.items() if code not in STATUS_BY_CODE}
    assert not missing, f"add these codes to ERRORS in app/errors.py: {missing}"


def test_the_scan_finds_a_new_code_however_it_is_raised():
    source = '''
from badges.token import INVALID
class LinkError(DomainError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
class Fixed(DomainError):
    def __init__(self) -> None:
        super().__init__("fixed_code", "fixed")
raise DomainError("brand_new", "new")
raise LinkError(INVALID, "x")
raise errors.DomainError(code="by_keyword", message="y")
error_body("answered", "z")
'''
    found = raised_codes({"badges.token": ast.parse(source)})
    assert set(found) == {"brand_new", "invalid", "by_keyword", "fixed_code", "answered"}
    # A code looked up in a module-level table: each of the table's values.
    from app import errors

    errors.PROBE_TABLE = {"a": "from_table", "b": None}  # type: ignore[attr-defined]
    try:
        found = raised_codes({"app.errors": ast.parse(
            "code = PROBE_TABLE[key]\nraise DomainError(code, 'x')")})
    finally:
        del errors.PROBE_TABLE  # type: ignore[attr-defined]
    assert set(found) == {"from_table"}
    with pytest.raises(AssertionError, match="cannot tell"):
        raised_codes({"x": ast.parse('raise DomainError(f"bad_{x}", "z")')})


def test_the_table_holds_the_codes_of_http_answers_and_texts_that_exist():
    from app.errors import ERRORS

    assert set(HTTP_STATUS_CODES.values()) <= set(ERRORS)
    for code, kind in ERRORS.items():
        assert 400 <= kind.status <= 599, code
        nl, en = TEXTS[kind.message_key]  # a page can show it in both languages
        assert nl and en, code


# -- the codes that fell through to a default 400: each now has its own status --------------

_STARTS = dt.datetime(2027, 4, 15, 10, tzinfo=dt.UTC)


def _event(**changes: object) -> Callable[[], Awaitable[object]]:
    from event_ops.events.service import create_event

    fields: dict = {"slug": "probe-event", "name": "Probe", "kind": "festival",
                    "starts_at": _STARTS, "ends_at": _STARTS + dt.timedelta(hours=6)}
    return lambda: create_event(**{**fields, **changes})


async def _unknown_sector() -> None:
    from event_ops.employers.service import check_sector

    check_sector("space-travel")


async def _bad_taxonomy() -> None:
    import tempfile

    from event_ops.taxonomy.service import read_csv

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "taxonomy.csv"
        path.write_text("code,sector\nx,care\n", encoding="utf-8")  # columns missing
        read_csv(path)


# code → what the domain does that raises it (today from the command line; soon from the
# organiser back office's API and pages).
REFUSALS: dict[str, Callable[[], Awaitable[object]]] = {
    "bad_slug": _event(slug="Not A Slug!"),
    "bad_kind": _event(kind="party"),
    "bad_time": _event(starts_at=_STARTS.replace(tzinfo=None)),
    "bad_capacity": _event(capacity=-1),
    "bad_badge_size": _event(badge_size="a0"),
    "sector_unknown": _unknown_sector,
    "bad_taxonomy": _bad_taxonomy,
}


@get("/api/v1/error-probe/{code:str}", include_in_schema=False)
async def api_probe(code: str) -> None:
    await REFUSALS[code]()


@get("/error-probe/{code:str}", include_in_schema=False)
async def page_probe(code: str) -> None:
    await REFUSALS[code]()


@pytest.fixture
async def probe(db, settings):
    """The real app (its exception handlers and templates) with two routes that let the
    domain refuse: one on the API, one a page."""
    from app.factory import create_app

    app_ = create_app(settings)
    app_.register(api_probe)
    app_.register(page_probe)
    transport = httpx.ASGITransport(app=app_)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.mark.parametrize("code", sorted(REFUSALS))
async def test_a_refused_field_of_an_event_employer_or_taxonomy_is_422_not_400(probe, code):
    r = await probe.get(f"/api/v1/error-probe/{code}")
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == code and body["detail"]  # the contract's shape
    page = await probe.get(f"/error-probe/{code}")
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "Er ging iets mis" in page.text
    english = await probe.get(f"/error-probe/{code}?lang=en")
    assert english.status_code == 422 and "Something went wrong" in english.text


# -- pages: the error page from the table, and forms that take their status from it --------

async def test_a_page_for_an_event_that_does_not_exist_is_404_in_dutch_or_english(client, db):
    for path in ("/events/nope", "/events/nope/register", "/door/nope", "/events/nope/board"):
        r = await client.get(path)
        assert r.status_code == 404 and "Dit evenement bestaat niet" in r.text, path
        assert r.headers["content-type"].startswith("text/html"), path
    r = await client.get("/events/nope?lang=en")
    assert r.status_code == 404 and "This event does not exist" in r.text


async def test_signing_up_after_the_event_is_over_shows_the_form_with_409(client, db):
    from event_ops.events.service import create_event
    from tests.helpers import csrf_token

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    await create_event(slug="past-event", name="Voorbij", kind="festival",
                       starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1))
    csrf = csrf_token()
    client.cookies.set("csrftoken", csrf)
    r = await client.post("/events/past-event/register", data={
        "name": "Sara Bakker", "email": "sara@example.nl", "consent_terms": "yes",
        "_csrf_token": csrf})
    # Was 400 (the form's hand-picked status); the table says 409, as the API answers.
    assert r.status_code == 409
    assert "Dit evenement is voorbij" in r.text and 'name="email"' in r.text


async def test_the_devices_form_answers_with_the_status_the_api_gives(client, db):
    from event_ops.employers.service import add_employer
    from tests.helpers import open_event, signed_in

    event = await open_event()
    other = await open_event("other-event")
    theirs = await add_employer(other, name="Elders BV", stand_label="Z9", sector="care")
    staff = await signed_in("organiser_staff", [event])
    form = {**staff, "Content-Type": "application/x-www-form-urlencoded"}
    csrf = staff["X-CSRFToken"]
    path = f"/events/{event.slug}/devices?lang=en"
    # Was 422 for every refusal; now as on the API (tests/test_devices.py): the form again,
    # with the reason, and the refusal's own status.
    for body, status, text in (
        ("role=organiser&label=Laptop", 403, ""),  # staff may not pair an organiser device
        (f"role=employer_tablet&label=T&employer_id={theirs.id}", 404,
         "This employer is not part of this event."),
        ("role=door&label=+", 422, "Give the device a name"),
    ):
        r = await client.post(path, headers=form, content=f"{body}&_csrf_token={csrf}")
        assert r.status_code == status and text in r.text, body
        assert "Pair a new device" in r.text, body


async def test_errors_of_badge_files_stay_json(client, db):
    r = await client.get("/badges/1.AAAA.png")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
