"""Badges in every script: Arabic, Hebrew, Cyrillic, Ethiopic and Latin names are shaped with
HarfBuzz and printed as typed (no transliteration, no .notdef boxes), right-to-left text in
the right order, and the PDF's text extracts in logical order with the QR code still decoding.

Plain sync tests, no database (rendering only). PDFs are read back with PDFium (pypdfium2)
and QR codes with zxing-cpp, as in ``tests/test_badge_render.py``.
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from badges.render import (
    _faces,
    _shape,
    layout_badge,
    needs_check,
    render_pdf,
    render_png,
    visual_order,
)
from badges.sheets import render_sheets
from tests.test_badge_render import (
    PX_PER_MM,
    assert_text_inside,
    badge,
    decode,
    keys,  # noqa: F401 - fixture
    pdf_pages,
    pdf_text,
    save_artifact,
    token,  # noqa: F401 - fixture
)

# (first name, full name): what a visitor types, printed exactly like this.
NAMES = {
    "arabic": ("محمد", "محمد العلي"),
    "arabic_marks": ("مُحَمَّد", "مُحَمَّد لاله"),  # harakat, a shadda and a lam-alef
    "persian": ("فاطمه", "فاطمه رضایی"),
    "hebrew": ("שרה", "שרה כהן"),
    "cyrillic": ("Олена", "Олена Шевченко-Їжакевич"),
    "ethiopic": ("አበበ", "አበበ ቢቂላ"),
    "tigrinya": ("ሰላም", "ሰላም ገብረመድህን"),
    "latin": ("Łucja", "Łucja Żółć-Nguyễn Đức"),
    "mixed": ("محمد", "محمد Mohammed العلي 2"),
}


def glyphs(text: str, bold: bool) -> list[tuple[int, int]]:
    """(face index, glyph id) of every glyph the painters draw for ``text``, left to right."""
    return [(run.face, gid) for run in _shape(text, bold).runs for gid in run.gids]


@pytest.fixture(scope="module")
def outlines() -> dict[int, TTFont]:
    return {i: TTFont(face.path) for i, face in enumerate(_faces())}


@pytest.mark.parametrize("script", sorted(NAMES))
@pytest.mark.parametrize("size", ["a6", "card"])
def test_name_is_printed_as_typed_with_real_glyphs(token, script, size, outlines) -> None:  # noqa: F811
    first, full = NAMES[script]
    data = badge(token, size=size, first_name=first, full_name=full)
    lay = layout_badge(data)
    assert [t.text for t in lay.role("first_name")] == [first]
    assert [t.text for t in lay.role("full_name")] == [full]
    assert not needs_check(full)  # nothing for the organiser to check
    assert_text_inside(lay)
    for item in lay.texts:
        drawn = glyphs(item.text, item.bold)
        assert drawn, item
        for face, gid in drawn:
            assert gid != 0, f"{item.text!r} uses .notdef (a box) in {_faces()[face].path.name}"
        inked = [(f, g) for f, g in drawn if outlines[f]["glyf"][
            outlines[f].getGlyphOrder()[g]].numberOfContours != 0]
        assert len(inked) >= len(item.text.replace(" ", "")) / 2, item  # ligatures may merge
    # The PNG shows ink where the first name is, and the QR code still decodes.
    png = Image.open(io.BytesIO(render_png(data)))
    (name,) = lay.role("first_name")
    box = [round(v * PX_PER_MM) for v in (name.x, name.y - name.size * 0.35 * 0.8,
                                          name.x + name.width, name.y)]
    assert png.convert("L").crop(tuple(box)).getextrema()[0] < 100, "no ink for the name"
    assert decode(png) == [token]
    save_artifact(f"badge_{size}_{script}.png", render_png(data))


def test_arabic_letters_join_and_run_right_to_left() -> None:
    regular = _faces()[0:4]
    arabic = next(i for i, f in enumerate(regular) if ord("م") in f.cmap)
    shaped = _shape("محمد", False)
    (run,) = shaped.runs
    assert run.face == arabic
    nominal = [regular[arabic].cmap[ord(ch)] for ch in "محمد"]
    # Joined forms, not the isolated letters the cmap maps to; drawn right to left, so the
    # last glyph (rightmost) is the first letter.
    assert list(run.gids) != nominal[::-1]
    assert run.texts == tuple("محمد")[::-1]
    # Lam + alef becomes one ligature glyph standing for both letters (stored reversed, as
    # PDF readers reverse a right-to-left run character by character).
    (lam_alef,) = _shape("لا", False).runs
    assert len(lam_alef.gids) == 1 and lam_alef.texts == ("ال",)


@pytest.mark.parametrize(("text", "expected"), [
    ("abc", ["abc"]),
    ("אבג", ["גבא"]),
    ("abc אבג def", ["abc ", "גבא", " def"]),
    # Brackets in a right-to-left run are mirrored when drawn (HarfBuzz), not here.
    ("محمد (Mohammed) العلي", ["يلعلا )", "Mohammed", "( دمحم"]),
    ("אבג 123 דה", ["הד ", "123", " גבא"]),
    ("B12 \u200fשלום", ["B12 ", "םולש\u200f"]),
])
def test_bidi_visual_order(text, expected) -> None:
    """Runs in visual order (left to right), each run's characters as they appear."""
    assert visual_order(text) == expected


@pytest.mark.parametrize("kind", ["single", "sheet"])
def test_pdf_text_extracts_in_logical_order_and_qr_decodes(keys, token, kind) -> None:  # noqa: F811
    datas = [badge(token, first_name=f, full_name=full, language="en")
             for f, full in NAMES.values()]
    if kind == "single":
        pdfs = [render_pdf(d) for d in datas]
    else:
        buf = io.BytesIO()
        render_sheets(datas, buf, size="a6")
        pdfs = [buf.getvalue()]
    text = "\n".join(pdf_text(p) for p in pdfs)
    # Compared canonically (NFC): stacked marks may come back in another, equivalent order.
    lines = [unicodedata.normalize("NFC", line.strip()) for line in text.splitlines()]
    for _first, full in NAMES.values():
        full = unicodedata.normalize("NFC", full)  # as printed: marks in canonical order
        assert full in lines, (full, [ln for ln in lines if ln and ln[0] == full[0]])
    decoded = [code for pdf in pdfs for image, _ in pdf_pages(pdf) for code in decode(image)]
    assert decoded == [token] * len(datas)


def test_every_covered_script_needs_no_check_but_cjk_and_emoji_still_do() -> None:
    for _first, full in NAMES.values():
        assert not needs_check(full), full
    assert needs_check("王小明")
    assert needs_check("Zoë 👍")


def test_long_arabic_name_shrinks_and_ellipsizes_inside(token) -> None:  # noqa: F811
    long = "عبد الرحمن بن محمد بن عبد الله آل سعود الهاشمي القرشي"
    for size in ("a6", "card"):
        lay = layout_badge(badge(token, size=size, first_name=long.replace(" ", ""),
                                 full_name=long * 2))
        assert_text_inside(lay)


def test_sheet_of_mixed_scripts_embeds_each_face_once(token) -> None:  # noqa: F811
    datas = [badge(token, first_name=f, full_name=full) for f, full in NAMES.values()]
    buf = io.BytesIO()
    render_sheets(datas, buf, size="card")
    pdf = buf.getvalue()
    # One font per face used (regular and bold of four families at most), not one per badge.
    assert pdf.count(b"/Subtype /Type0") <= 8
    assert pdf.count(b"/ToUnicode") == pdf.count(b"/Subtype /Type0")
    (image, _), = pdf_pages(pdf)
    save_artifact("sheet_card_scripts.png", _as_png(image))


def _as_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
