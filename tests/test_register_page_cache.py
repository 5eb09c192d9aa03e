"""The public sign-up page is cheap (issue 12, finding 2): the 227-competency picker of the
empty form is rendered once per language, not on every request."""

from __future__ import annotations

import re

import pytest

from app.pages import registration as pages
from event_ops.taxonomy import service as taxonomy
from event_ops.taxonomy.tables import Competency


@pytest.fixture(autouse=True)
def _fresh_fields_cache():
    getattr(pages, "_empty_fields", {}).clear()
    taxonomy._cache.clear()
    yield
    getattr(pages, "_empty_fields", {}).clear()
    taxonomy._cache.clear()


def counting_form_context(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = pages.form_context

    async def counted(lang: str) -> dict:
        calls.append(lang)
        return await real(lang)

    monkeypatch.setattr(pages, "form_context", counted)
    return calls


async def test_sign_up_page_renders_the_competency_picker_once_per_language(
        client, festival, monkeypatch):
    calls = counting_form_context(monkeypatch)
    pages_seen = []
    for lang in ("nl", "en", "nl", "en", "nl"):
        r = await client.get(f"/events/werkfestival/register?lang={lang}")
        assert r.status_code == 200
        pages_seen.append(r.text)
    assert calls == ["nl", "en"]
    nl, en = pages_seen[0], pages_seen[1]
    assert nl.count('name="competencies"') == len(await taxonomy.competencies_by_code())
    assert 'lang="nl"' in nl and "Zoek wat je kunt" in nl
    assert "Zoek wat je kunt" not in en
    # Every copy carries its own CSRF token; the rest of the page is the same.
    strip = re.compile(r'name="_csrf_token" value="[^"]*"')
    assert strip.sub("", pages_seen[0]) == strip.sub("", pages_seen[2])


async def test_cached_fields_are_exactly_what_the_template_renders(client, festival):
    r = await client.get("/events/werkfestival/register?lang=en")
    import jinja2

    from app.factory import ROOT
    from event_ops.i18n import t

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "templates"),
                             autoescape=True)
    env.globals["t"] = t
    fields = env.get_template("_profile_fields.html").render(
        lang="en", values={"language": "en"}, errors={}, **await pages.form_context("en"))
    assert fields in r.text


async def test_a_changed_taxonomy_reaches_the_sign_up_page(client, festival):
    first = await client.get("/events/werkfestival/register?lang=nl")
    code, item = next(iter((await taxonomy.competencies_by_code()).items()))
    assert item.name_nl in first.text
    await Competency.update({Competency.name_nl: "Nieuwe vaardigheid XYZ"}).where(
        Competency.code == code).run()
    try:
        taxonomy._cache.clear()  # what load_taxonomy does after a change
        second = await client.get("/events/werkfestival/register?lang=nl")
        assert "Nieuwe vaardigheid XYZ" in second.text
    finally:
        await Competency.update({Competency.name_nl: item.name_nl}).where(
            Competency.code == code).run()


async def test_a_form_with_errors_still_shows_what_was_filled_in(client, festival):
    from tests.helpers import csrf_token

    csrf = csrf_token()
    code = next(iter(await taxonomy.competencies_by_code()))
    await client.get("/events/werkfestival/register?lang=nl")  # fills the cache
    client.cookies.set("csrftoken", csrf)
    r = await client.post(
        "/events/werkfestival/register?lang=nl",
        data={"name": "Lisa", "email": "not-an-address", "competencies": code,
              f"level_{code}": "4", "_csrf_token": csrf})
    assert r.status_code == 422
    assert re.search(rf'value="{code}" id="c-{code}"\s*checked', r.text)
    assert 'value="4" selected' in r.text
    assert 'value="Lisa"' in r.text


async def test_each_browser_gets_its_own_csrf_field_and_an_event_edit_shows(client, festival):
    from event_ops.events.service import forget_cached_events
    from event_ops.events.tables import Event

    first = await client.get("/events/werkfestival/register?lang=nl")
    client.cookies.clear()  # another browser
    second = await client.get("/events/werkfestival/register?lang=nl")
    field = re.compile(r'name="_csrf_token" value="([^"]+)"')
    one, two = field.search(first.text), field.search(second.text)
    assert one and two and one.group(1) != two.group(1)
    assert second.cookies.get("csrftoken") == two.group(1)
    await Event.update({Event.name: "Werkfestival 3.0"}).where(
        Event.slug == "werkfestival").run()
    forget_cached_events()  # as the cached copy running out after a few seconds
    third = await client.get("/events/werkfestival/register?lang=nl")
    assert "Werkfestival 3.0" in third.text and "Werkfestival 2.0" not in third.text
