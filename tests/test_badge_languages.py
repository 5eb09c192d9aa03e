"""Badges in every visitor language (issue #19): the badge's own words, the sector names on
its bands and the date line come from the catalogs (``t()``) in the visitor's language, read
back from the PDF with PDFium in reading order; the QR code still decodes (zxing-cpp); a
language the badge does not know gets English.

Plain sync tests, no database (rendering and ``_compose`` only)."""

from __future__ import annotations

import datetime as dt
import re

import pypdfium2 as pdfium
import pytest
import zxingcpp

from badges.content import _compose
from badges.keys import decrypt_private_key, encrypt_private_key, generate_keypair
from badges.render import LANGUAGES, BadgeData, render_pdf
from badges.token import BadgeClaim, sign_token
from badges.when import badge_when
from event_ops.i18n import t
from event_ops.mail.render import format_when
from event_ops.taxonomy.service import CompetencyItem

ARABIC = re.compile(r"[\u0600-\u06FF]")
STARTS = dt.datetime(2027, 3, 13, 9, 0, tzinfo=dt.UTC)  # 10:00 in Amsterdam
ENDS = dt.datetime(2027, 3, 13, 15, 0, tzinfo=dt.UTC)
#: One word each language's badge must show, as the translators wrote it (a guard against
#: the catalogs silently falling back to English).
EXPECTED = {"ar": "البناء", "uk": "Будівництво", "tr": "İnşaat", "pl": "Budownictwo"}


@pytest.fixture(scope="module")
def token() -> str:
    private_raw, _public = generate_keypair()
    key = decrypt_private_key(encrypt_private_key(private_raw, "s" * 32), "s" * 32)
    return sign_token(BadgeClaim(7, 1001, 0, 0), key)


def badge(token: str, lang: str, **overrides: object) -> BadgeData:
    fields: dict = dict(
        token=token, first_name="Olena", full_name="Olena Kovalenko",
        event_name="Banenmarkt Groningen 2027", event_when=badge_when(STARTS, ENDS, lang),
        sectors=("construction", "ict"), competencies=("Excel",),
        recommendations=("B12 Zorggroep Noorderlicht", "C3 Gemeente Groningen"),
        language=lang)
    fields.update(overrides)
    return BadgeData(**fields)


def read_pdf(pdf: bytes) -> tuple[list[str], list[str]]:
    """(text lines in extraction order, decoded QR codes) of the first page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        text = doc[0].get_textpage().get_text_range()
        image = doc[0].render(scale=4).to_pil()
    finally:
        doc.close()
    codes = [c.text for c in zxingcpp.read_barcodes(image)]
    return [line.strip() for line in text.splitlines() if line.strip()], codes


def find_in_order(lines: list[str], wanted: list[str]) -> None:
    """Each of ``wanted`` is (part of) a line, in this order down the badge (words on one
    line, such as the sector bands, may share it)."""
    at = 0
    for word in wanted:
        hits = [i for i, line in enumerate(lines) if word in line and i >= at]
        assert hits, f"{word!r} not found after line {at} in {lines}"
        at = hits[0]


@pytest.mark.parametrize("lang", ["ar", "uk", "tr", "pl"])
def test_badge_words_sectors_and_date_in_the_visitors_language(token, lang):
    assert lang in LANGUAGES
    words = {k: t(f"label.badge.{k}", lang) for k in (
        "sector.construction", "sector.ict", "recommendations")}
    assert words["sector.construction"] == EXPECTED[lang]
    for key, word in words.items():  # really translated, not the English fallback
        assert word != t(f"label.badge.{key}", "en")
    when = badge_when(STARTS, ENDS, lang)
    assert "10:00–16:00" in when and when != format_when(STARTS, ENDS, "en")

    lines, codes = read_pdf(render_pdf(badge(token, lang)))
    # Reading order, top to bottom: sector bands, name, date line, list heading, list.
    find_in_order(lines, [words["sector.construction"], words["sector.ict"], "Olena",
                          when, words["recommendations"], "Zorggroep Noorderlicht"])
    assert "Construction" not in " ".join(lines) and "Stands for you" not in lines
    assert codes == [token]


def test_arabic_words_extract_in_logical_order_not_reversed(token):
    lines, codes = read_pdf(render_pdf(badge(token, "ar", first_name="سارة",
                                             full_name="سارة أحمد")))
    heading = t("label.badge.recommendations", "ar")
    assert ARABIC.search(heading)
    assert heading in lines, lines  # whole phrase, word order as written
    assert heading[::-1] not in " ".join(lines)
    assert "سارة" in lines and "البناء" in " ".join(lines)
    assert codes == [token]


@pytest.mark.parametrize("lang", ["ar", "uk", "tr", "pl"])
def test_placeholder_and_more_in_the_visitors_language(token, lang):
    lines, _codes = read_pdf(render_pdf(badge(token, lang, recommendations=())))
    assert t("label.badge.placeholder", lang) in lines
    many = tuple(f"A{i} Employer {i}" for i in range(1, 30))
    lines, _codes = read_pdf(render_pdf(badge(token, lang, recommendations=many)))
    more = [line for line in lines if re.search(r"\d", line) and "Employer" not in line
            and "2027" not in line]
    template = t("label.badge.more", lang)
    fixed = [part for part in re.split(r"\{n\}|[\u2066-\u2069]", template) if part.strip()]
    assert any(all(part.strip() in line for part in fixed) for line in more), (more, template)


def _row(lang: str | None, share: bool = True) -> dict:
    return {"id": 5, "name": "Andrij Shevchenko", "share_profile": share,
            "sectors": ["construction"], "language": lang, "event_name": "Banenmarkt",
            "kind": "festival", "starts_at": STARTS, "ends_at": ENDS, "badge_size": "a6"}


KNOWN = {"c1": CompetencyItem("c1", "construction", 2, "Metselen", "Bricklaying", "")}


@pytest.mark.parametrize("lang", ["nl", "en", "ar", "uk", "tr", "pl"])
def test_compose_keeps_every_visitor_language(token, lang):
    data = _compose(_row(lang), token, [{"code": "c1", "level": 3}], KNOWN, [])
    assert data.language == lang
    assert data.event_when == badge_when(STARTS, ENDS, lang)
    # The taxonomy has Dutch and English names only: English for ar/uk/tr/pl.
    assert data.competencies == (("Metselen",) if lang == "nl" else ("Bricklaying",))


@pytest.mark.parametrize("lang", ["de", "xx", None])
def test_unknown_language_gets_english(token, lang):
    data = _compose(_row(lang), token, [], KNOWN, [])
    assert data.language == ("nl" if lang is None else "en")
    if lang is None:
        return
    lines, codes = read_pdf(render_pdf(data))
    assert "Construction" in lines and t("label.badge.placeholder", "en") in lines
    assert format_when(STARTS, ENDS, "en") in lines
    assert codes == [token]


def test_badge_data_still_refuses_a_language_it_cannot_print(token):
    with pytest.raises(ValueError):
        badge(token, "de")
