"""Names on badges: Arabic, Hebrew, Cyrillic, Ethiopic and Latin are printed as typed (see
tests/test_badge_scripts.py); scripts the badge fonts lack (CJK ...) and emoji never print
the font's .notdef box, and the organiser is told which badges to check."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.async_api import expect

from badges.content import badge_data, badges_to_check
from badges.render import _shape, layout_badge, render_png
from event_ops.access.accounts import create_account, log_in
from event_ops.core.settings import get_settings
from tests.browser import chromium
from tests.helpers import PASSWORD, open_event, visitor


def notdef(layout) -> list[str]:
    """Text items drawn with a .notdef glyph (a box) anywhere."""
    return [item.text for item in layout.texts
            if any(0 in run.gids for run in _shape(item.text, item.bold).runs)]


@pytest.mark.parametrize(("name", "first", "checked"), [
    ("محمد العلي", "محمد", False),  # Arabic: printed as typed, nothing to check
    ("王小明 Wang", "Wang", True),  # a script the fonts lack: the Latin part of the name
    ("王小明", "WangXiaoMing", True),  # ... or a transliteration
    ("Zoë 👍 de Vries", "Zoë", True),  # the emoji is left out
])
async def test_badge_never_prints_boxes(db, name, first, checked):
    event = await open_event()
    v = await visitor(event, 1, name=name, share=True)
    data = await badge_data(v.registration_id, get_settings())
    layout = layout_badge(data)
    assert notdef(layout) == []
    assert [t.text for t in layout.role("first_name")] == [first]
    assert Image.open(io.BytesIO(render_png(data))).size[0] > 0
    checks = await badges_to_check(event.id)
    if checked:
        (check,) = checks
        assert check["registration_id"] == v.registration_id and check["first_name"] == first
    else:
        assert checks == []


async def test_latin_names_need_no_check(db):
    event = await open_event()
    await visitor(event, 1, name="Anne-Marie van den Heuvel-Wijnberg")
    await visitor(event, 2, name="İlkay Şahin Øster")
    await visitor(event, 3, name="Олена Шевченко")
    await visitor(event, 4, name="አበበ ቢቂላ")
    await visitor(event, 5, name="שרה כהן")
    assert await badges_to_check(event.id) == []


async def test_arabic_visitor_gets_arabic_badge_words_and_unknown_language_english(db):
    """Issue #19: an Arabic visitor's badge has its words in Arabic (from the catalog)
    around the name as typed; a language the badge does not know gives English words,
    not a failed badge."""
    from event_ops.i18n import t
    from event_ops.people.tables import Visitor

    event = await open_event()
    v = await visitor(event, 1, name="محمد العلي")
    await Visitor.update({Visitor.language: "ar"}).where(Visitor.id == v.visitor_id)
    data = await badge_data(v.registration_id, get_settings())
    assert data.language == "ar"
    layout = layout_badge(data)
    assert [t.text for t in layout.role("first_name")] == ["محمد"]
    texts = [item.text for item in layout.texts]
    assert t("label.badge.recommendations", "ar") in texts or \
        t("label.badge.schedule", "ar") in texts
    assert "Stands for you" not in texts

    await Visitor.update({Visitor.language: "xx"}).where(Visitor.id == v.visitor_id)
    data = await badge_data(v.registration_id, get_settings())
    assert data.language == "en"
    assert "Stands for you" in [item.text for item in layout_badge(data).texts]


@pytest.mark.browser
async def test_organiser_sees_which_badges_to_check(live_server, db):
    event = await open_event()
    await visitor(event, 1, name="王小明")
    await visitor(event, 2, name="Sara Bakker")
    await visitor(event, 3, name="محمد العلي")
    await create_account("anna@gemeente.example.nl", "Anna de Vries", "organiser_admin",
                         PASSWORD)
    session = await log_in("anna@gemeente.example.nl", PASSWORD)
    async with chromium() as browser:
        context = await browser.new_context(base_url=live_server, locale="nl-NL")
        await context.add_cookies([{"name": "eo_session", "value": session,
                                    "url": live_server}])
        page = await context.new_page()
        await page.goto("/organiser")
        summary = page.get_by_text("Controleer 1 badge(s) voor het printen")
        await expect(summary).to_be_visible()
        await summary.click()
        item = page.locator(".badge-checks li")
        await expect(item).to_have_count(1)
        await expect(item).to_contain_text("王小明")
        await expect(item).to_contain_text("WangXiaoMing")
        await expect(page.locator(".badge-checks")).not_to_contain_text("Sara")
        await expect(page.locator(".badge-checks")).not_to_contain_text("محمد")


async def test_cli_lists_badges_to_check(db):
    import asyncio
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    event = await open_event()
    v = await visitor(event, 1, name="王小明")
    await visitor(event, 2, name="Sara Bakker")
    await visitor(event, 3, name="محمد العلي")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "badges", "check", "--event", event.slug,
        cwd=ROOT, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, stderr.decode()
    lines = stdout.decode().splitlines()
    assert lines == [f"{v.registration_id}\t王小明\tWangXiaoMing\tWangXiaoMing",
                     "1 badge(s) to check"]
