"""Badge rendering (badges/render.py) and print sheets (badges/sheets.py).

Plain sync tests, no database. QR codes are read back with a real decoder (zxing-cpp) from the
PNG and from the PDFs rasterised by PDFium (pypdfium2: a wheel, no system packages), and the
decoded text must verify as a signed token. Sample images go to ``test-artifacts/`` for a
human look.
"""

from __future__ import annotations

import base64
import io
import math
import os
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import qrcode
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from badges.keys import decrypt_private_key, encrypt_private_key, generate_keypair, load_public_key
from badges.render import (
    SECTOR_COLOURS,
    SIZES,
    BadgeData,
    BadgeLayout,
    layout_badge,
    qr_matrix,
    render_pdf,
    render_png,
    text_width_mm,
)
from badges.sheets import A4, GRIDS, render_sheets
from badges.token import TOKEN_LENGTH, BadgeClaim, sign_token, verify_token

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EVENT_ID, KEY_ID = 41, 0
DPI = 200
PX_PER_MM = DPI / 25.4
LONG_NAME = "Anne-Marie van den Heuvel-Wijnberg"


@pytest.fixture(scope="module")
def keys() -> tuple[Ed25519PrivateKey, dict]:
    private_raw, public_raw = generate_keypair()
    # The way production gets its key: encrypted at rest, decrypted with the app secret.
    private = decrypt_private_key(encrypt_private_key(private_raw, "s" * 32), "s" * 32)
    return private, {(EVENT_ID, KEY_ID): load_public_key(public_raw)}


@pytest.fixture(scope="module")
def token(keys) -> str:
    return sign_token(BadgeClaim(EVENT_ID, 1001, 0, KEY_ID), keys[0])


def badge(token: str, **overrides) -> BadgeData:
    fields = dict(
        token=token,
        first_name="Fatma",
        full_name="Fatma Yılmaz-Öztürk",
        event_name="Banenmarkt Groningen 2027",
        event_when="za 13 maart 2027 · 10:00–16:00",
        sectors=("care", "ict"),
        competencies=("Klantgericht", "Plannen", "Excel", "Rijbewijs B", "Nederlands B2"),
        recommendations=(
            "B12 Zorggroep Noorderlicht",
            "C3 Gemeente Groningen",
            "A7 Bouwbedrijf Van der Veen & Zonen B.V.",
        ),
    )
    fields.update(overrides)
    return BadgeData(**fields)


SCHEDULE = (
    ("13:10", "Tafel 4 · Zorggroep Noorderlicht"),
    ("13:30", "Tafel 9 · Bouwbedrijf Van der Veen"),
    ("13:50", "Tafel 2 · Gemeente Groningen"),
    ("14:10", "Tafel 7 · Albert Heijn Distributiecentrum Zwolle"),
)


def decode(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [b.text for b in found]


def pdf_pages(pdf: bytes, dpi: int = DPI) -> Iterator[tuple[Image.Image, tuple[float, float]]]:
    """Each page rasterised, with its size in mm."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for page in doc:
            w, h = page.get_size()
            yield page.render(scale=dpi / 72).to_pil(), (w * 25.4 / 72, h * 25.4 / 72)
    finally:
        doc.close()


def pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def save_artifact(name: str, data: bytes) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(data)


def assert_text_inside(lay: BadgeLayout) -> None:
    for t in lay.texts:
        assert t.width <= t.max_width + 1e-6, t
        # Re-measure independently of what layout recorded.
        assert text_width_mm(t.text, t.size, bold=t.bold) <= t.max_width + 1e-6, t
        assert t.x >= 0 and t.x + t.width <= lay.width, t
        assert t.size * 25.4 / 72 * 0.93 <= t.y <= lay.height, t


def assert_quiet_zone_free(lay: BadgeLayout) -> None:
    """Nothing but the code itself inside the QR block (which includes its quiet zone)."""
    q = lay.qr
    for t in lay.texts:
        top = t.y - t.size * 25.4 / 72
        overlaps = t.x < q.x + q.size and t.x + t.width > q.x and top < q.y + q.size and t.y > q.y
        assert not overlaps, t
    for box in lay.boxes:
        assert (box.x + box.w <= q.x or box.x >= q.x + q.size or box.y + box.h <= q.y
                or box.y >= q.y + q.size), box


# --- QR -------------------------------------------------------------------------------------


def test_qr_matrix_is_exactly_what_qrcode_builds(token) -> None:
    """The fast mask choice must match qrcode's own, symbol for symbol."""
    rng = [token] + [
        "EO1." + base64.urlsafe_b64encode(os.urandom(75)).decode() for _ in range(60)
    ] + ["x", "HELLO 123", "é" * 40]
    for text in rng:
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        qr.add_data(text)
        qr.make()
        expected = tuple("".join("1" if m else "0" for m in row) for row in qr.modules)
        assert qr_matrix(text) == expected, text


@pytest.mark.parametrize("size", ["a6", "card"])
def test_png_qr_decodes_to_a_verifiable_token(keys, token, size) -> None:
    png = render_png(badge(token, size=size), dpi=DPI)
    image = Image.open(io.BytesIO(png))
    w_mm, h_mm = SIZES[size]
    assert image.size == (round(w_mm * PX_PER_MM), round(h_mm * PX_PER_MM))
    assert decode(image) == [token]
    claim = verify_token(decode(image)[0], keys[1], event_id=EVENT_ID)
    assert claim == BadgeClaim(EVENT_ID, 1001, 0, KEY_ID)
    assert len(token) == TOKEN_LENGTH


@pytest.mark.parametrize(("size", "min_symbol_mm"), [("a6", 30), ("card", 25)])
def test_qr_is_big_enough_and_keeps_its_quiet_zone(token, size, min_symbol_mm) -> None:
    data = badge(token, size=size, first_name=LONG_NAME, schedule=SCHEDULE * 3)
    lay = layout_badge(data)
    assert lay.qr.symbol_size >= min_symbol_mm
    assert lay.qr.quiet == 4
    assert_quiet_zone_free(lay)
    # In the PNG: the dark pixels of the code span at least the minimum, and the 4-module
    # ring around them is white.
    for dpi in (150, DPI, 300):
        image = Image.open(io.BytesIO(render_png(data, dpi=dpi))).convert("L")
        px = dpi / 25.4
        q = lay.qr
        block = [round(v * px) for v in (q.x, q.y, q.x + q.size, q.y + q.size)]
        dark = image.crop(block).point(lambda v: 255 if v < 128 else 0)
        left, top, right, bottom = dark.getbbox()
        assert (right - left) / px >= min_symbol_mm
        # 4 modules of white around the symbol, measured on the whole image.
        ring = math.floor(4 * (right - left) / len(q.rows))
        sym = (block[0] + left, block[1] + top, block[0] + right, block[1] + bottom)
        around = image.crop((sym[0] - ring, sym[1] - ring, sym[2] + ring, sym[3] + ring))
        inner = Image.new("L", (sym[2] - sym[0], sym[3] - sym[1]), 255)
        around.paste(inner, (ring, ring))  # blank out the symbol; what is left is the ring
        assert around.getextrema()[0] > 250, f"quiet zone not clear at {dpi} dpi"
        assert decode(image) == [token]


@pytest.mark.parametrize("size", ["a6", "card"])
def test_single_badge_pdf_is_badge_sized_and_decodes(keys, token, size) -> None:
    pdf = render_pdf(badge(token, size=size, schedule=SCHEDULE))
    pages = list(pdf_pages(pdf))
    assert len(pages) == 1
    image, (w_mm, h_mm) = pages[0]
    assert (w_mm, h_mm) == pytest.approx(SIZES[size], abs=0.05)
    assert decode(image) == [token]
    verify_token(token, keys[1], event_id=EVENT_ID)
    text = pdf_text(pdf)  # the embedded font subsets map back to Unicode
    assert "Fatma Yılmaz-Öztürk" in text and "Tafel 4" in text
    assert token not in text  # the token is only in the QR


# --- Sheets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "count"), [("a6", 6), ("card", 13)])
def test_sheet_pages_decode_every_badge(keys, size, count) -> None:
    tokens = [sign_token(BadgeClaim(EVENT_ID, 2000 + i, 0, KEY_ID), keys[0])
              for i in range(count)]
    seen: list[int] = []
    buf = io.BytesIO()
    n = render_sheets((badge(t, size="a6") for t in tokens), buf, size=size,
                      progress=seen.append)
    assert n == count
    cols, rows = GRIDS[size]
    per_page = cols * rows
    # Increments per page (click/tqdm bar.update style), summing to the total.
    full, rest = divmod(count, per_page)
    assert seen == [per_page] * full + ([rest] if rest else [])
    w, h = SIZES[size]
    ox, oy = (A4[0] - cols * w) / 2, (A4[1] - rows * h) / 2
    decoded: list[str] = []
    pages = list(pdf_pages(buf.getvalue()))
    assert len(pages) == math.ceil(count / per_page)
    for page_no, (image, page_mm) in enumerate(pages):
        assert page_mm == pytest.approx(A4, abs=0.05)
        if page_no == 0:
            save_artifact(f"sheet_{size}_page1.png", _png(image))
        for slot in range(min(per_page, count - page_no * per_page)):
            c, r = slot % cols, slot // cols
            box = [ox + c * w, oy + r * h, ox + (c + 1) * w, oy + (r + 1) * h]
            found = decode(image.crop(tuple(round(v * PX_PER_MM) for v in box)))
            assert len(found) == 1, (page_no, slot)
            decoded += found
    assert decoded == tokens  # every badge, in order, in its slot
    for t in decoded:
        verify_token(t, keys[1], event_id=EVENT_ID)


def test_sheets_consume_lazily_and_stream_to_a_path(token, tmp_path) -> None:
    pulled = 0
    pulled_at_progress: list[int] = []

    def badges() -> Iterator[BadgeData]:
        nonlocal pulled
        for _ in range(9):
            pulled += 1
            yield badge(token)

    out = tmp_path / "sheets.pdf"
    n = render_sheets(badges(), out, progress=lambda step: pulled_at_progress.append(pulled))
    assert n == 9
    # Page 1 was written after 4 badges were pulled, not after all 9.
    assert pulled_at_progress == [4, 8, 9]
    assert len(list(pdf_pages(out.read_bytes(), dpi=30))) == 3


def test_sheets_accept_a_non_seekable_stream_and_empty_input() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def write(self, b) -> int:
            self.data += b
            return len(b)

    pipe = Pipe()
    assert render_sheets([], pipe, size="card") == 0
    assert len(list(pdf_pages(bytes(pipe.data), dpi=30))) == 1  # valid, one blank page
    with pytest.raises(ValueError):
        render_sheets([], io.BytesIO(), size="a4")


# --- Text fitting ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["a6", "card"])
def test_long_dutch_name_shrinks_wraps_and_stays_inside(token, size) -> None:
    data = badge(token, size=size, first_name=LONG_NAME, full_name=LONG_NAME + " MSc",
                 event_name="Regionale Banenmarkt Zorg, Welzijn en Techniek Noord-Nederland",
                 competencies=("Verpleegkundige vaardigheden niveau 4",) * 8)
    lay = layout_badge(data)
    assert_text_inside(lay)
    names = lay.role("first_name")
    assert 1 <= len(names) <= 2
    assert " ".join(t.text for t in names).replace("- ", "-") == LONG_NAME  # wrapped, not cut
    # The painted PNG agrees: the right margin column is blank below the colour band.
    image = Image.open(io.BytesIO(render_png(data, dpi=DPI))).convert("L")
    band_bottom = max(b.y + b.h for b in lay.boxes if b.y == 0)
    margin = 4.0 if size == "a6" else 1.0
    strip = image.crop((round((lay.width - margin) * PX_PER_MM), round(band_bottom * PX_PER_MM)
                        + 1, image.width, image.height))
    assert strip.getextrema()[0] > 250, "something was painted in the right margin"


@pytest.mark.parametrize("size", ["a6", "card"])
def test_unbreakable_long_name_gets_an_ellipsis(token, size) -> None:
    name = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessen"
    lay = layout_badge(badge(token, size=size, first_name=name))
    assert_text_inside(lay)
    (line,) = lay.role("first_name")
    assert line.text.endswith("…") and name.startswith(line.text[:-1])


def test_latin_extended_has_real_glyphs() -> None:
    from badges.render import _family

    text = "ĲsselmeerĳsÅåÆæØøİıĞğŞşÇçÖöÜüÉéËëÏïÓóÔôŁłŽžČčŠšĆćŃńŻźẞßÀàñ€–—·…‘’“”"
    for face in (_family(False)[0], _family(True)[0]):  # Noto Sans, regular and bold
        missing = [ch for ch in text if face.gid(ch) == 0]
        assert not missing, (face.pdf_name, missing)


def test_embedded_font_draws_every_character_at_its_own_glyph_id() -> None:
    """The PDF addresses glyphs by the full font's ids (Identity CIDToGIDMap): the embedded
    subset must keep those ids and draw every glyph used, accents included."""
    from fontTools.ttLib import TTFont

    from badges.render import _blocks, _faces, _font_program, _shape

    text = "Zoë Çelik-Öztürk Jérôme d’Hondt ĲsselmeerÅæØŁłŽžẞ€–·… Олена مُحَمَّد አበበ"
    for bold in (False, True):
        for run in _shape(text, bold).runs:
            face = _faces()[run.face]
            program, name = _font_program(face.index, _blocks(run.gids))
            subset = TTFont(io.BytesIO(program))
            full = TTFont(face.path)
            assert name.endswith("+" + face.pdf_name)
            for gid in set(run.gids) - {face.gid(" ")}:
                drawn = subset["glyf"][subset.getGlyphOrder()[gid]]
                original = full["glyf"][full.getGlyphOrder()[gid]]
                assert drawn.numberOfContours == original.numberOfContours, gid
                assert drawn.getCoordinates(subset["glyf"])[0] == \
                    original.getCoordinates(full["glyf"])[0], gid


@pytest.mark.parametrize("size", ["a6", "card"])
def test_scripts_the_font_lacks_do_not_crash(keys, token, size) -> None:
    data = badge(token, size=size, first_name="محمد", full_name="محمد العلي 王小明",
                 event_name="Banenmarkt\u200f \U0001f600", competencies=("עברית", "\x00\n\t"),
                 recommendations=("B12 ‏שלום",))
    assert_text_inside(layout_badge(data))
    assert decode(Image.open(io.BytesIO(render_png(data)))) == [token]
    (image, _), = pdf_pages(render_pdf(data))
    assert decode(image) == [token]
    # Decomposed input (e + combining acute) is composed and drawn with the é glyph.
    composed = layout_badge(badge(token, first_name="Rene\u0301e")).role("first_name")[0]
    assert composed.text == "Renée"


# --- Consent, lists, languages --------------------------------------------------------------


@pytest.mark.parametrize("size", ["a6", "card"])
def test_without_consent_no_full_name_and_no_competencies(token, size) -> None:
    data = badge(token, size=size, full_name=None, competencies=())
    lay = layout_badge(data)
    assert lay.role("full_name") == [] and lay.role("chip") == []
    assert all("Yılmaz" not in t.text for t in lay.texts)
    assert "Yılmaz" not in pdf_text(render_pdf(data))
    consented = layout_badge(badge(token, size=size))
    assert [t.text for t in consented.role("full_name")] == ["Fatma Yılmaz-Öztürk"]
    assert consented.role("chip")


def test_list_headings_placeholder_and_overflow(token) -> None:
    def texts(**kw) -> list[str]:
        return [t.text for t in layout_badge(badge(token, **kw)).texts
                if t.role.startswith("list")]

    assert texts(recommendations=())[:2] == ["Stands voor jou", "Deze lijst komt later"]
    assert texts(recommendations=(), language="en")[:2] == [
        "Stands for you", "This list comes later"]
    assert texts(language="en")[:3] == ["Stands for you", "B12", "Zorggroep Noorderlicht"]
    assert texts(schedule=SCHEDULE)[:3] == ["Jouw gesprekken", "13:10",
                                           "Tafel 4 · Zorggroep Noorderlicht"]
    assert texts(schedule=SCHEDULE, language="en")[0] == "Your meetings"
    # More meetings than fit on a card: the last line says how many are not shown.
    card = texts(schedule=SCHEDULE * 3, size="card")
    assert card[-1].startswith("+") and card[-1].endswith("meer")
    shown = sum(1 for t in card if ":" in t)
    assert shown + int(card[-1].split()[0][1:]) == len(SCHEDULE) * 3


def test_sector_bands_one_colour_each(token) -> None:
    sectors = tuple(SECTOR_COLOURS)
    lay = layout_badge(badge(token, sectors=sectors + ("care", "unknown")))
    band = [b for b in lay.boxes if b.y == 0]
    assert [b.colour for b in band[:7]] == list(SECTOR_COLOURS.values())
    assert len(band) == 8  # duplicate dropped, unknown code gets a neutral band
    assert sum(b.w for b in band) == pytest.approx(lay.width)
    assert len(set(SECTOR_COLOURS.values())) == len(SECTOR_COLOURS)


def test_invalid_data_is_refused(token) -> None:
    with pytest.raises(ValueError):
        badge(token, size="a5")
    with pytest.raises(ValueError):
        badge(token, language="de")
    with pytest.raises(ValueError):
        badge("")


# --- Visual samples -------------------------------------------------------------------------


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def test_save_sample_images(token) -> None:
    samples = {
        "badge_a6_festival.png": badge(token),
        "badge_card_festival.png": badge(token, size="card"),
        "badge_a6_long_name.png": badge(token, first_name=LONG_NAME, full_name=LONG_NAME,
                                        sectors=tuple(SECTOR_COLOURS), recommendations=()),
        "badge_card_long_name.png": badge(token, size="card", first_name=LONG_NAME,
                                          full_name=None, competencies=()),
        "badge_a6_matching_schedule.png": badge(token, full_name=None, competencies=(),
                                                schedule=SCHEDULE, language="en",
                                                sectors=("logistics",)),
        "badge_card_matching_schedule.png": badge(token, size="card", schedule=SCHEDULE),
    }
    for name, data in samples.items():
        png = render_png(data)
        save_artifact(name, png)
        assert decode(Image.open(io.BytesIO(png))) == [token], name
    (image, _), = pdf_pages(render_pdf(samples["badge_a6_festival.png"]))
    save_artifact("badge_a6_festival_from_pdf.png", _png(image))
