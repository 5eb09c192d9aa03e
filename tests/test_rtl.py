"""Right-to-left groundwork: ``<html dir>`` from the page language, and a visitor style sheet
with logical properties only, so a right-to-left page mirrors (checked in Chromium by
switching a real page to ``dir="rtl"``; no Arabic page texts exist yet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from event_ops.texts.direction import text_direction
from tests.browser import chromium
from tests.helpers import open_event
from tests.test_accessibility import violations

APP_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "app.css"


@pytest.mark.parametrize(("lang", "direction"), [
    ("ar", "rtl"), ("ar-SY", "rtl"), ("fa", "rtl"), ("he", "rtl"), ("ur", "rtl"),
    ("nl", "ltr"), ("en", "ltr"), ("uk", "ltr"), ("am", "ltr"), ("tr", "ltr"), ("", "ltr"),
    (None, "ltr"),
])
def test_text_direction(lang, direction) -> None:
    assert text_direction(lang) == direction


@pytest.mark.parametrize("sheet", ["app.css", "kiosk.css", "schedule-print.css"])
def test_visitor_style_sheet_has_no_left_or_right(sheet: str) -> None:
    """Physical sides would not mirror; use inline-start/-end and text-align: start/end.
    (kiosk.css once put the pictogram's gap on its outer side in right-to-left.)"""
    css = re.sub(r"/\*.*?\*/", "", (APP_CSS.parent / sheet).read_text(), flags=re.S)
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:"
        r"|text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)", css)
    assert physical == []


@pytest.mark.browser
async def test_pages_say_their_direction_and_mirror_in_rtl(live_server, db):
    event = await open_event()
    async with chromium() as browser:
        for width in (375, 768, 1280):
            context = await browser.new_context(bypass_csp=True, locale="nl-NL",
                                                viewport={"width": width, "height": 900})
            page = await context.new_page()
            await page.goto(f"{live_server}/events/{event.slug}/register")
            assert await page.evaluate("document.documentElement.dir") == "ltr"
            # What an Arabic page will be: same markup, dir="rtl".
            await page.evaluate("document.documentElement.lang = 'ar';"
                                "document.documentElement.dir = 'rtl'")
            scroll = await page.evaluate("[document.documentElement.scrollWidth,"
                                         " document.documentElement.clientWidth]")
            assert scroll[0] <= scroll[1], f"sideways scroll at {width}px in rtl"
            # A checkbox sits at the start of its label: on the right in rtl.
            label = page.locator("label.check").first
            box = await label.locator("input").bounding_box()
            whole = await label.bounding_box()
            assert box and whole
            assert box["x"] > whole["x"] + whole["width"] / 2
            assert whole["x"] + whole["width"] - (box["x"] + box["width"]) < 8
            # The skip link appears at the start edge (right) when focused.
            await page.keyboard.press("Tab")
            skip = await page.locator(".skip").bounding_box()
            assert skip and skip["x"] + skip["width"] == pytest.approx(width, abs=2)
            if width == 375:
                assert await violations(page) == []
            await context.close()
