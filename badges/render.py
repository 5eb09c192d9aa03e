"""Badge rendering: one visitor's matching badge as PNG or PDF. Pure functions, no I/O but fonts.

Contract
--------
* :class:`BadgeData` is everything a badge shows. Only ``token`` goes into the QR code; the
  personal fields are printed as text and nothing else.
* :func:`layout_badge` places everything in millimetres (origin top-left). It is the single
  source of truth: :func:`render_png` (Pillow) and :func:`render_pdf` (vector PDF) only paint
  its output, so both look the same and the tests can check geometry without decoding pixels.
* Every text item fits its box by construction: it is measured with :func:`text_width_mm` (the
  font's own advance widths; both painters use the same font file and no kerning), shrunk,
  wrapped (first name only) and finally cut with an ellipsis.
* The QR code uses error correction M, keeps its 4-module quiet zone free of anything else,
  and is at least 30 mm (A6) / 25 mm (card) wide without the quiet zone.

Fonts: DejaVu Sans Condensed (regular and bold), subset to Latin, Greek and Cyrillic and
vendored in ``badges/fonts/`` (licence there) so rendering does not depend on system fonts;
fontTools reads their metrics and cmap and subsets them for PDFs. Characters the font lacks
are never drawn as the font's ``.notdef`` box: letters of other scripts (Arabic, Hebrew,
CJK ...) are transliterated to Latin (``anyascii``), symbols the font lacks (emoji) are left
out (:func:`printable`); ``needs_check`` tells the organiser's side which badges differ from
the name as typed. Text is not shaped (no bidi, no Arabic joining): see
``badges/fonts/README.md``.

PDF output comes from a small streaming writer (:class:`PdfWriter`) shared with
``badges/sheets.py``: pages are written as they are made, fonts are subset (keeping glyph ids;
fontTools, cached per process, see :func:`_font_program`) and written once at the end, so
memory stays flat for any number of badges.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import qrcode
from anyascii import anyascii
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

if TYPE_CHECKING:
    from fontTools.subset import Options

__all__ = [
    "LANGUAGES",
    "SECTOR_COLOURS",
    "SIZES",
    "BadgeData",
    "BadgeLayout",
    "BoxItem",
    "PdfWriter",
    "QrItem",
    "TextItem",
    "badge_content",
    "layout_badge",
    "qr_matrix",
    "render_pdf",
    "render_png",
    "text_width_mm",
]

SIZES: dict[str, tuple[float, float]] = {"a6": (105.0, 148.0), "card": (86.0, 54.0)}
LANGUAGES = ("nl", "en")
PT_MM = 25.4 / 72  # one typographic point in millimetres
MM_PT = 72 / 25.4

Colour = tuple[int, int, int]
BLACK: Colour = (0, 0, 0)
WHITE: Colour = (255, 255, 255)
INK: Colour = (26, 32, 44)
MUTED: Colour = (74, 85, 104)
CHIP_FILL: Colour = (228, 233, 240)
UNKNOWN_SECTOR: Colour = (112, 112, 112)

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies. Colour is never
# the only signal: each band also carries the sector's name in black or white, whichever
# contrasts more (see _label_colour).
SECTOR_COLOURS: dict[str, Colour] = {
    "construction": (230, 159, 0),  # orange
    "care": (204, 121, 167),  # reddish purple
    "technology": (0, 114, 178),  # blue
    "hospitality": (213, 94, 0),  # vermillion
    "logistics": (0, 158, 115),  # bluish green
    "ict": (86, 180, 233),  # sky blue
    "business": (240, 228, 66),  # yellow
}
_SECTOR_NAMES = {
    "nl": {
        "construction": "Bouw",
        "care": "Zorg",
        "technology": "Techniek",
        "hospitality": "Horeca",
        "logistics": "Logistiek",
        "ict": "ICT",
        "business": "Zakelijk",
    },
    "en": {
        "construction": "Construction",
        "care": "Care",
        "technology": "Technology",
        "hospitality": "Hospitality",
        "logistics": "Logistics",
        "ict": "ICT",
        "business": "Business",
    },
}
_WORDS = {
    "nl": {
        "recommendations": "Stands voor jou",
        "schedule": "Jouw gesprekken",
        "placeholder": "Deze lijst komt later",
        "more": "+{n} meer",
    },
    "en": {
        "recommendations": "Stands for you",
        "schedule": "Your meetings",
        "placeholder": "This list comes later",
        "more": "+{n} more",
    },
}
ELLIPSIS = "\u2026"


@dataclass(frozen=True, slots=True)
class BadgeData:
    """What one badge shows. Validated on construction (size, language, token type).

    ``full_name`` is ``None`` and ``competencies`` empty when the visitor did not consent to
    share them; the renderer prints exactly what it is given. ``schedule`` (matching events)
    takes the list area when non-empty; otherwise ``recommendations`` (festival) do, with a
    "recommendations follow" placeholder while there are none.
    """

    token: str
    first_name: str
    full_name: str | None
    event_name: str
    event_when: str
    sectors: tuple[str, ...]
    competencies: tuple[str, ...]
    recommendations: tuple[str, ...] = ()
    schedule: tuple[tuple[str, str], ...] = ()
    size: str = "a6"
    language: str = "nl"

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"size must be one of {sorted(SIZES)}, got {self.size!r}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {self.language!r}")
        if not isinstance(self.token, str) or not self.token:
            raise ValueError("token must be a non-empty string")


# --------------------------------------------------------------------------------------------
# Fonts: fontTools reads the metrics and the cmap and makes the glyph-id-preserving subsets.
# Pillow draws with the same file, so PNG and PDF widths agree; no kerning tables are kept in
# the vendored fonts, so both use plain advance widths.
# --------------------------------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parent / "fonts"

# What a PDF CIDFontType2 program needs (PDF 32000-1, 9.9); the fonts carry no hinting, hence
# no cvt/fpgm/prep. Everything else (cmap, name, post, OS/2 ...) stays out of the PDF.
_PDF_TABLES = frozenset({"glyf", "head", "hhea", "hmtx", "loca", "maxp"})


def _subset_options() -> Options:
    from fontTools.subset import Options  # see _Face.subset_program

    options = Options()
    options.retain_gids = True  # the PDF's content strings are glyph ids: no remapping
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.glyph_names = False
    # Bounds, average width and Unicode ranges describe the whole font and are not read from
    # an embedded PDF font; recomputing them expands every kept glyph (~5x the subset time).
    options.recalc_bounds = False
    options.recalc_average_width = False
    options.recalc_max_context = False
    options.prune_unicode_ranges = False
    return options


class _Face:
    """One TrueType face: advance widths, char -> glyph map, and subsets for embedding."""

    def __init__(self, path: Path, pdf_name: str) -> None:
        self.path = path
        self.pdf_name = pdf_name
        self._data = path.read_bytes()
        font = TTFont(io.BytesIO(self._data), lazy=True)
        head, hhea = font["head"], font["hhea"]
        self.upem: int = head.unitsPerEm
        self.bbox: tuple[int, int, int, int] = (head.xMin, head.yMin, head.xMax, head.yMax)
        self.ascent: int = hhea.ascent
        self.descent: int = hhea.descent
        order = font.getGlyphOrder()
        self.num_glyphs = len(order)
        hmtx = font["hmtx"]
        self.advances: list[int] = [hmtx[name][0] for name in order]
        os2 = font.get("OS/2")
        self.cap_height: int = (
            os2.sCapHeight if os2 is not None and os2.version >= 2 else int(self.ascent * 0.7)
        )
        ids = font.getReverseGlyphMap()
        # Code point -> glyph id; a code point mapped to .notdef is not covered.
        self.cmap: dict[int, int] = {
            cp: ids[name] for cp, name in (font.getBestCmap() or {}).items() if ids[name]
        }
        if not self.cmap:
            raise ValueError(f"{path.name} has no usable Unicode cmap")
        # gid -> first code point, for the PDF ToUnicode map (copy/paste and search).
        self.unicode_of: dict[int, int] = {}
        for cp in sorted(self.cmap):
            self.unicode_of.setdefault(self.cmap[cp], cp)
        # TTFont is a mapping without __iter__, hence keys().
        self._drop = [tag for tag in font.keys()  # noqa: SIM118
                      if tag not in _PDF_TABLES | {"GlyphOrder"}]
        # Per-character caches; text is short and repetitive, so these stay small.
        self._em: dict[str, float] = {}
        self._hex: dict[str, str] = {}

    def gid(self, ch: str) -> int:
        return self.cmap.get(ord(ch), 0)  # 0 is .notdef: drawn as a box, never an error

    def width_em(self, text: str) -> float:
        """Advance width of ``text`` in ems (no kerning, one glyph per code point)."""
        em = self._em
        total = 0.0
        for ch in text:
            w = em.get(ch)
            if w is None:
                w = em[ch] = self.advances[self.gid(ch)] / self.upem
            total += w
        return total

    def hex_glyphs(self, text: str) -> str:
        """``text`` as 2-byte glyph ids in hex, for ``<...> Tj`` with Identity-H encoding."""
        cache = self._hex
        parts = []
        for ch in text:
            h = cache.get(ch)
            if h is None:
                h = cache[ch] = f"{self.gid(ch):04X}"
            parts.append(h)
        return "".join(parts)

    def subset_program(self, gids: Iterable[int]) -> bytes:
        """A TrueType program with only ``gids`` (and their components) drawn, ids unchanged.

        fontTools' subsetter with ``retain_gids``: unused glyphs become empty, so the PDF's
        glyph ids need no remapping. Only the tables in ``_PDF_TABLES`` are kept. About 9 ms
        per call, twice a badge's whole layout and painting: see :func:`_font_program` for
        why that is paid once per process, not once per PDF.
        """
        # Imported here: fontTools.subset takes ~9 MB and a few hundred ms to import, which
        # processes that only measure text or paint PNGs (the CLI, the app) need not pay.
        from fontTools.subset import Subsetter

        font = TTFont(io.BytesIO(self._data), lazy=True, recalcBBoxes=False,
                      recalcTimestamp=False)
        for tag in self._drop:
            del font[tag]
        subsetter = Subsetter(_subset_options())
        subsetter.populate(gids=sorted({0} | {g for g in gids if 0 <= g < self.num_glyphs}))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()

    def blocks(self, chars: Iterable[str]) -> frozenset[int]:
        """The ``_BLOCK``-code-point blocks that ``chars`` fall in (see :func:`_font_program`)."""
        return frozenset(ord(ch) // _BLOCK for ch in chars)

    def block_gids(self, blocks: frozenset[int]) -> list[int]:
        """Glyph ids of every character of the font in ``blocks``, plus .notdef, sorted."""
        return sorted({0} | {g for cp, g in self.cmap.items() if cp // _BLOCK in blocks})


# A PDF embeds the glyphs of whole blocks of 16 code points, not only the characters it uses.
_BLOCK = 16


@functools.lru_cache(maxsize=64)
def _font_program(bold: bool, blocks: frozenset[int]) -> tuple[bytes, str]:
    """The embedded font program for a document whose characters fall in ``blocks``.

    Subsetting takes fontTools ~9 ms per face, where a whole one-badge PDF took ~4 ms with
    exact subsets. Rounding a document's characters up to blocks of 16 code points lets
    documents share subsets: 1,000 varied Dutch/Turkish badges need 19 (regular) and 12 (bold)
    different ones, so after the first few badges a PDF costs no subsetting at all. The price
    is a larger font in the PDF (~6 KB instead of ~3 KB per face, compressed). Deterministic:
    the output depends only on the document's own text. Returns the program and its PDF name.
    """
    face = _face(bold)
    gids = face.block_gids(blocks)
    # Subset fonts must be named TAG+Name with a tag that depends on the subset.
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(repr(gids).encode()).digest()[:6])
    return face.subset_program(gids), f"{tag}+{face.pdf_name}"


@functools.cache
def _faces() -> tuple[_Face, _Face]:
    """(regular, bold), loaded once per process."""
    return (
        _Face(FONT_DIR / "DejaVuSansCondensed.ttf", "DejaVuSansCondensed"),
        _Face(FONT_DIR / "DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed-Bold"),
    )


def _face(bold: bool) -> _Face:
    return _faces()[1 if bold else 0]


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Printed width of ``text`` in millimetres at ``size_pt``: the one measure layout uses."""
    return _face(bold).width_em(text) * size_pt * PT_MM


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _normal(text: str) -> str:
    """NFC (precomposed accents render better than combining marks), controls -> spaces."""
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)).split())


def _clean(text: str) -> str:
    """What is drawn for ``text``: normalised, and only glyphs both faces have."""
    return " ".join(printable(_normal(text)).split())


@functools.cache
def _covered(ch: str) -> bool:
    cp = ord(ch)
    return all(cp in face.cmap for face in _faces())


def printable(text: str) -> str:
    """``text`` with every character the badge font lacks replaced, never a box.

    A run of letters/digits the font lacks (a script it does not cover) becomes its Latin
    transliteration, capitalised at the start of a word ("محمد" -> "Mhmd"); anything else
    it lacks (emoji, rare symbols) is left out. Until text shaping lands this is what door
    staff and employers can read; ``needs_check`` flags such badges for the organiser."""
    if all(_covered(ch) for ch in text):
        return text
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            latin = "".join(ch for ch in anyascii("".join(run)) if _covered(ch))
            if latin and (not out or not out[-1][-1:].isalnum()):
                latin = latin[0].upper() + latin[1:]
            out.append(latin)
            run.clear()

    for ch in text:
        if _covered(ch):
            flush()
            out.append(ch)
        elif unicodedata.category(ch)[0] in "LN":
            run.append(ch)
        else:  # an emoji, a symbol or a mark the font lacks: nothing is better than a box
            flush()
    flush()
    return "".join(out)


def needs_check(text: str) -> bool:
    """True when the badge cannot show ``text`` as typed (a transliteration or a left-out
    symbol): someone should look at that badge before it is printed."""
    normal = _normal(text)
    return " ".join(printable(normal).split()) != normal


# --------------------------------------------------------------------------------------------
# QR: qrcode builds the symbol; the mask is chosen here, ~6x faster, with the same result.
# --------------------------------------------------------------------------------------------

_BITS = bytes.maketrans(b"\x00\x01", b"01")
_FINDER = "10111010000"  # 1:1:3:1:1 dark/light plus 4 light; its mirror image is counted too


def _line_bits(line: Iterable[bool | None]) -> bytes:
    """A row or column of modules as ASCII ``0``/``1``.

    After ``make()`` qrcode's modules are all ``True``/``False``, and ``bytes()`` of bools
    gives 1/0 bytes directly (a generator here would cost more than the rest of the scoring).
    """
    # qrcode types modules as bool | None; None (not yet placed) never remains after make().
    return bytes(line).translate(_BITS)  # type: ignore[arg-type]


def _packed(modules: list[list[bool | None]]) -> int:
    """All rows, then all columns, as one big int: each line is ``n`` bits plus a 0 bit.

    The spacer bit is 0 in both the dark and the light plane, so no run or pattern can cross
    from one line into the next. Packing commutes with XOR, which is what makes masks cheap.
    """
    lines = [_line_bits(r) for r in modules] + [_line_bits(c) for c in zip(*modules, strict=True)]
    return int(b"0".join(lines), 2)


class _MaskTables:
    """Per QR version: XOR deltas from mask 0 to mask k, and bit masks for the penalty rules."""

    def __init__(self, qr: qrcode.QRCode) -> None:
        symbols = {}
        for test in (False, True):
            for k in range(8):
                qr.makeImpl(test, k)
                symbols[test, k] = (_packed(qr.modules), _rows(qr.modules))
        # Data modules are data XOR mask, and the format bits depend only on the mask, so for
        # a fixed version symbol_k = symbol_0 ^ delta_k whatever the payload. qrcode scores
        # masks on "test" symbols (format bits blank): to_test turns a final symbol into one.
        n = self.n = qr.modules_count
        (f0, f0_rows), (t0, _) = symbols[False, 0], symbols[True, 0]
        self.to_test = f0 ^ t0
        self.test_deltas = [t0 ^ symbols[True, k][0] for k in range(8)]
        self.final_deltas = [[a ^ b for a, b in zip(f0_rows, symbols[False, k][1], strict=True)]
                             for k in range(8)]
        line = (1 << n) - 1
        stride = n + 1
        self.valid = sum(line << (stride * i) for i in range(2 * n))  # all module bits
        self.rows_only = self.valid >> (stride * n) << (stride * n)  # columns are low bits
        self.stride = stride
        self.area = n * n


_TABLES: dict[int, _MaskTables] = {}
_VERSIONS: dict[tuple[tuple[int, int], ...], int] = {}


def _penalty(dark: int, t: _MaskTables) -> int:
    """ISO/IEC 18004 mask penalty of a packed symbol, equal to qrcode's ``util.lost_point``.

    Bit-parallel over all rows and columns at once: each rule is a few big-int operations.
    """
    light = t.valid & ~dark
    # N1: every run of >= 5 equal modules scores 3 + (length - 5) = windows of 5 + 2.
    eq = (dark & (dark >> 1)) | (light & (light >> 1))
    win = eq & (eq >> 1) & (eq >> 2) & (eq >> 3)
    score = win.bit_count() + 2 * (win & ~(win >> 1)).bit_count()
    # N2: 2x2 blocks of one colour, on the row half only (columns would count them twice).
    rd, rl = dark >> t.stride * t.n, light >> t.stride * t.n
    below_d, below_l = rd >> t.stride, rl >> t.stride
    blocks = (rd & (rd >> 1) & below_d & (below_d >> 1)) | (rl & (rl >> 1) & below_l
                                                            & (below_l >> 1))
    score += 3 * blocks.bit_count()
    # N3: the finder-like pattern or its mirror image, in rows and columns.
    fwd = rev = -1
    width = len(_FINDER)
    for i, ch in enumerate(_FINDER):
        plane = dark if ch == "1" else light
        fwd &= plane >> i
        rev &= plane >> (width - 1 - i)
    score += 40 * ((fwd & t.valid).bit_count() + (rev & t.valid).bit_count())
    # N4: balance of dark and light.
    dark_count = (dark & t.rows_only).bit_count()
    score += int(abs(float(dark_count) / t.area * 100 - 50) / 5) * 10
    return score


def _rows(modules: list[list[bool | None]]) -> list[int]:
    """Rows as ints, leftmost module in the highest bit."""
    return [int(_line_bits(row), 2) for row in modules]


@functools.lru_cache(maxsize=64)  # small: bulk runs must not accumulate symbols
def qr_matrix(token: str) -> tuple[str, ...]:
    """The QR symbol for ``token`` at error correction M, without quiet zone.

    Rows of ``"0"``/``"1"`` (1 = dark), top to bottom. Identical to what
    ``qrcode.QRCode(error_correction=M).make()`` builds, including its choice of mask (a test
    checks this), but ~6x faster: qrcode encodes the data twice and lays it out 9 times (once per
    candidate mask, then the winner); here it is encoded and laid out once, the other masks are
    derived by XOR and scored bit-parallel. A few are cached, for PNG + PDF of one badge.
    """
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    qr.add_data(token)
    # The version depends only on the segments' modes and lengths; best_fit encodes all the
    # data just to find it, so remember it per shape.
    shape = tuple((d.mode, len(d)) for d in qr.data_list)
    version = _VERSIONS.get(shape)
    if version is None:
        qr.make(fit=True)
        version = _VERSIONS[shape] = qr.version
    else:
        qr.version = version
        qr.make(fit=False)
    tables = _TABLES.get(version)
    if tables is None:
        probe = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0)
        probe.add_data(token)
        tables = _TABLES[version] = _MaskTables(probe)
    test0 = _packed(qr.modules) ^ tables.to_test
    scores = [_penalty(test0 ^ delta, tables) for delta in tables.test_deltas]
    best = scores.index(min(scores))  # first minimum: ties keep the lower mask, like qrcode
    n = tables.n
    final = [a ^ b for a, b in zip(_rows(qr.modules), tables.final_deltas[best], strict=True)]
    return tuple(format(r, f"0{n}b") for r in final)


# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextItem:
    """One line of text. ``y`` is the baseline; ``width <= max_width`` always holds (mm)."""

    text: str
    x: float
    y: float
    size: float  # points
    bold: bool
    colour: Colour
    width: float
    max_width: float
    role: str  # "first_name", "full_name", "event", "when", "chip", "sector", "list", ...


@dataclass(frozen=True, slots=True)
class BoxItem:
    """A filled rectangle (mm), optionally with rounded corners."""

    x: float
    y: float
    w: float
    h: float
    colour: Colour
    radius: float = 0.0


@dataclass(frozen=True, slots=True)
class QrItem:
    """The QR code: ``size`` mm square at (x, y) *including* the 4-module quiet zone."""

    x: float
    y: float
    size: float
    rows: tuple[str, ...]
    quiet: int = 4

    @property
    def module(self) -> float:
        return self.size / (len(self.rows) + 2 * self.quiet)

    @property
    def symbol_size(self) -> float:
        """Printed width of the code itself, quiet zone excluded (mm)."""
        return self.module * len(self.rows)


@dataclass(frozen=True, slots=True)
class BadgeLayout:
    """Everything on one badge in millimetres, origin top-left; painted in this order."""

    width: float
    height: float
    boxes: tuple[BoxItem, ...]
    texts: tuple[TextItem, ...]
    qr: QrItem

    def role(self, role: str) -> list[TextItem]:
        """The text items with this ``TextItem.role``, in painting order."""
        return [t for t in self.texts if t.role == role]


@dataclass(frozen=True, slots=True)
class _Spec:
    """Geometry of one badge size (mm, font sizes in pt)."""

    margin: float
    band_h: float
    band_pt: float
    band_baseline: float
    text_right: float  # text column's right edge (stays out of the QR quiet zone)
    text_top: float
    text_bottom: float
    name_max: float
    name_min_one_line: float
    name_min: float
    full_pt: tuple[float, float]  # (preferred, smallest) before ellipsis
    event_pt: tuple[float, float]
    when_pt: tuple[float, float]
    chip_pt: float
    chip_h: float
    chip_pad: float
    chip_gap: float
    chip_rows: int
    qr_size: float  # incl. quiet zone
    qr_x: float
    qr_y: float | None  # None: below the text, centred between it and the list
    list_x: float
    list_right: float
    list_bottom: float  # lists are pinned to the bottom, as many lines as fit above it
    list_heading_pt: float
    list_pt: float
    list_pitch: float


_SPECS = {
    "a6": _Spec(
        margin=6, band_h=10, band_pt=7.5, band_baseline=8.1,
        text_right=99, text_top=14, text_bottom=75,
        name_max=32, name_min_one_line=20, name_min=15,
        full_pt=(11, 8.5), event_pt=(10, 8), when_pt=(9, 7.5),
        chip_pt=8, chip_h=5.2, chip_pad=1.7, chip_gap=1.5, chip_rows=2,
        qr_size=48, qr_x=28.5, qr_y=None,
        list_x=6, list_right=99, list_bottom=143,
        list_heading_pt=8.5, list_pt=8.5, list_pitch=4.2,
    ),
    "card": _Spec(
        margin=4, band_h=5.5, band_pt=5, band_baseline=4.1,
        text_right=52, text_top=7.5, text_bottom=38,
        name_max=17, name_min_one_line=11, name_min=9,
        full_pt=(7, 5.5), event_pt=(6.5, 5.5), when_pt=(6, 5),
        chip_pt=5.5, chip_h=3.5, chip_pad=1.1, chip_gap=1, chip_rows=1,
        qr_size=32, qr_x=52.5, qr_y=13.75,
        list_x=4, list_right=52, list_bottom=52,
        list_heading_pt=5.5, list_pt=6, list_pitch=2.75,
    ),
}

# Vertical metrics as fractions of the font size: DejaVu's ascender (incl. accents on
# capitals) and descender; line pitch for wrapped names.
_ASCENT, _DESCENT, _LEADING = 0.93, 0.24, 1.08


def _ellipsize(text: str, size: float, bold: bool, max_w: float) -> str:
    """``text`` if it fits in ``max_w`` mm, else its longest prefix that fits plus an ellipsis."""
    if text_width_mm(text, size, bold=bold) <= max_w:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # binary search: widths grow monotonically with prefix length
        mid = (lo + hi + 1) // 2
        if text_width_mm(text[:mid].rstrip(" -,") + ELLIPSIS, size, bold=bold) <= max_w:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip(" -,") + ELLIPSIS if lo else ""


def _fit_size(text: str, bold: bool, max_w: float, largest: float, smallest: float) -> float:
    """Largest size in 0.5 pt steps (between the bounds) at which ``text`` fits ``max_w``."""
    em = _face(bold).width_em(text)
    if em <= 0:
        return largest
    size = max_w / (em * PT_MM)
    size = min(largest, int(size * 2) / 2)
    # Step down while rounding leaves it a hair too wide.
    while size > smallest and text_width_mm(text, size, bold=bold) > max_w:
        size -= 0.5
    return max(size, smallest)


def _fit_line(
    text: str, bold: bool, max_w: float, sizes: tuple[float, float]
) -> tuple[str, float]:
    """One line: shrink down to ``sizes[1]``, then ellipsize."""
    size = _fit_size(text, bold, max_w, *sizes)
    return _ellipsize(text, size, bold, max_w), size


def _break_points(text: str) -> list[int]:
    """Indices where a name may wrap: after a space or after a hyphen."""
    return [i + 1 for i, ch in enumerate(text[:-1]) if ch in " -\u2010"]


def _fit_name(text: str, max_w: float, spec: _Spec) -> tuple[list[str], float]:
    """First name: shrink on one line, then wrap to two lines, then ellipsize (bold)."""
    size = _fit_size(text, True, max_w, spec.name_max, spec.name_min_one_line)
    if text_width_mm(text, size, bold=True) <= max_w:
        return [text], size
    breaks = _break_points(text)
    if breaks:
        face = _face(True)

        def split(i: int) -> tuple[str, str]:
            return text[:i].rstrip(), text[i:].lstrip()

        # The most balanced split; widths scale with size, so choose it once in ems.
        best = min(breaks, key=lambda i: max(face.width_em(part) for part in split(i)))
        lines = split(best)
        widest = max(lines, key=face.width_em)
        size = _fit_size(widest, True, max_w, spec.name_max * 0.8, spec.name_min)
        if text_width_mm(widest, size, bold=True) <= max_w:
            return list(lines), size
        # Even the balanced split is too wide: fill line 1 greedily, cut line 2.
        size = spec.name_min
        fitting = [i for i in breaks if text_width_mm(split(i)[0], size, bold=True) <= max_w]
        cut = fitting[-1] if fitting else best
        first, rest = split(cut)
        return [_ellipsize(first, size, True, max_w), _ellipsize(rest, size, True, max_w)], size
    size = spec.name_min
    return [_ellipsize(text, size, True, max_w)], size


def _label_colour(background: Colour) -> Colour:
    """Black or white text, whichever has the higher WCAG contrast on ``background``."""

    def lum(c: Colour) -> float:
        chans = [v / 255 for v in c]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in chans]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    bg = lum(background)
    return BLACK if (bg + 0.05) / 0.05 >= 1.05 / (bg + 0.05) else WHITE


@dataclass(slots=True)
class _Builder:
    boxes: list[BoxItem] = field(default_factory=list)
    texts: list[TextItem] = field(default_factory=list)

    def text(
        self, text: str, x: float, y: float, size: float, bold: bool, colour: Colour,
        max_w: float, role: str,
    ) -> TextItem:
        item = TextItem(text, x, y, size, bold, colour, text_width_mm(text, size, bold=bold),
                        max_w, role)
        if text:
            self.texts.append(item)
        return item


def layout_badge(data: BadgeData) -> BadgeLayout:
    """Place every element of ``data``'s badge (see the module docstring for the rules)."""
    spec = _SPECS[data.size]
    width, height = SIZES[data.size]
    words = _WORDS[data.language]
    b = _Builder()
    col_x, col_w = spec.margin, spec.text_right - spec.margin

    # Sector bands: equal segments along the top edge, each with its name if it fits.
    sectors = list(dict.fromkeys(data.sectors))
    if sectors:
        seg = width / len(sectors)
        for i, code in enumerate(sectors):
            colour = SECTOR_COLOURS.get(code, UNKNOWN_SECTOR)
            b.boxes.append(BoxItem(i * seg, 0, seg, spec.band_h, colour))
            label = _SECTOR_NAMES[data.language].get(code, _clean(code))
            label_w = text_width_mm(label, spec.band_pt, bold=True)
            if label_w <= seg - 2:
                b.text(label, i * seg + (seg - label_w) / 2, spec.band_baseline, spec.band_pt,
                       True, _label_colour(colour), seg - 2, "sector")

    # First name: large, shrink / wrap / ellipsis.
    y = spec.text_top
    lines, size = _fit_name(_clean(data.first_name), col_w, spec)
    size_mm = size * PT_MM
    y += size_mm * _ASCENT
    for i, name_line in enumerate(lines):
        if i:
            y += size_mm * _LEADING
        b.text(name_line, col_x, y, size, True, INK, col_w, "first_name")
    y += size_mm * _DESCENT

    def line(text: str, sizes: tuple[float, float], bold: bool, colour: Colour, role: str,
             gap: float) -> None:
        nonlocal y
        fitted, size = _fit_line(_clean(text), bold, col_w, sizes)
        if not fitted:
            return
        top = y + gap * sizes[0] * PT_MM
        if top + size * PT_MM * (_ASCENT + _DESCENT) > spec.text_bottom:
            return
        y = top + size * PT_MM * _ASCENT
        b.text(fitted, col_x, y, size, bold, colour, col_w, role)
        y += size * PT_MM * _DESCENT

    if data.full_name is not None and _clean(data.full_name):
        line(data.full_name, spec.full_pt, False, MUTED, "full_name", 0.25)
    line(data.event_name, spec.event_pt, True, INK, "event", 0.6)
    line(data.event_when, spec.when_pt, False, MUTED, "when", 0.1)

    # Competency chips: flow left to right, as many as fit in the allowed rows, in order.
    chip_texts = [t for t in (_clean(c) for c in data.competencies) if t]
    if chip_texts:
        text_h = spec.chip_pt * PT_MM
        row_top = y + spec.chip_gap * 1.5
        x, row = col_x, 0
        for chip in chip_texts:
            inner = col_w - 2 * spec.chip_pad
            chip = _ellipsize(chip, spec.chip_pt, False, inner)
            w = text_width_mm(chip, spec.chip_pt) + 2 * spec.chip_pad
            if x > col_x and x + w > col_x + col_w:
                row += 1
                x = col_x
                row_top += spec.chip_h + spec.chip_gap
            if row >= spec.chip_rows or row_top + spec.chip_h > spec.text_bottom:
                break
            b.boxes.append(BoxItem(x, row_top, w, spec.chip_h, CHIP_FILL, spec.chip_h / 2))
            # Optical centring: cap height ~0.73 em sits centred in the chip.
            baseline = row_top + (spec.chip_h + 0.73 * text_h) / 2
            b.text(chip, x + spec.chip_pad, baseline, spec.chip_pt, False, INK, inner, "chip")
            x += w + spec.chip_gap
            y = row_top + spec.chip_h  # the text stack now ends below this row

    # The list is pinned to the bottom; on A6 the QR code sits between text and list, centred
    # in the space left, and the list gives up lines (ending in "+N more") if space is short.
    items, heading = _list_items(data, words)
    list_h = _list_height(spec, max(1, len(items)))
    text_end = y
    if spec.qr_y is None:
        qr_top = text_end + 1.0  # the quiet zone adds the rest of the visual gap
        list_top = spec.list_bottom - list_h
        spare = list_top - 0.5 - spec.qr_size - qr_top
        if spare > 0:
            qr_top += spare / 2
        else:
            list_top = qr_top + spec.qr_size + 0.5
        qr = QrItem(spec.qr_x, qr_top, spec.qr_size, qr_matrix(data.token))
    else:
        qr = QrItem(spec.qr_x, spec.qr_y, spec.qr_size, qr_matrix(data.token))
        list_top = max(text_end + 1.5, spec.list_bottom - list_h)
    _layout_list(b, spec, items, heading, words, list_top)
    return BadgeLayout(width, height, tuple(b.boxes), tuple(b.texts), qr)


def _list_items(data: BadgeData, words: dict[str, str]) -> tuple[list[tuple[str, str]], str]:
    """(lines as (bold lead, rest), heading): the schedule, else the recommendations."""
    schedule = [(_clean(t), _clean(s)) for t, s in data.schedule]
    if schedule:
        return schedule, words["schedule"]
    recs = [r for r in (_clean(r) for r in data.recommendations) if r]
    return [_split_stand(r) for r in recs], words["recommendations"]


def _list_height(spec: _Spec, lines: int) -> float:
    return (spec.list_heading_pt * PT_MM * _ASCENT + lines * spec.list_pitch
            + spec.list_pt * PT_MM * _DESCENT)


def _layout_list(
    b: _Builder, spec: _Spec, items: list[tuple[str, str]], heading: str,
    words: dict[str, str], top: float,
) -> None:
    """Heading plus one line per item from ``top``; a placeholder when there are none."""
    x, max_w = spec.list_x, spec.list_right - spec.list_x
    y = top + spec.list_heading_pt * PT_MM * _ASCENT
    b.text(_ellipsize(heading, spec.list_heading_pt, True, max_w), x, y, spec.list_heading_pt,
           True, MUTED, max_w, "list_heading")
    # +0.01: list_top may have been computed as exactly n lines above the bottom.
    slots = int((spec.list_bottom - y - spec.list_pt * PT_MM * _DESCENT + 0.01)
                // spec.list_pitch)
    if slots <= 0:
        return
    if not items:
        y += spec.list_pitch
        b.text(_ellipsize(words["placeholder"], spec.list_pt, False, max_w), x, y,
               spec.list_pt, False, MUTED, max_w, "list")
        return
    if len(items) > slots:  # keep the last slot for "+N more" so nothing is silently lost
        more = words["more"].format(n=len(items) - slots + 1)
        items = items[: slots - 1] + [("", more)]
    # A common column for the bold first part (times, stand numbers), sized to the widest.
    lead_w = max((text_width_mm(a, spec.list_pt, bold=True) for a, _ in items), default=0)
    lead_w = min(lead_w, max_w / 3)
    gap = 1.5 if lead_w else 0
    for lead, rest in items:
        y += spec.list_pitch
        if lead:
            lead = _ellipsize(lead, spec.list_pt, True, lead_w)
            b.text(lead, x, y, spec.list_pt, True, INK, lead_w, "list")
        rx = x + lead_w + gap
        b.text(_ellipsize(rest, spec.list_pt, False, x + max_w - rx), rx, y, spec.list_pt,
               False, INK, x + max_w - rx, "list")


_STAND = re.compile(r"(?=\S*\d)(\S{1,6})\s+(.+)")  # a first word of <= 6 chars with a digit


def _split_stand(line: str) -> tuple[str, str]:
    """``"B12 Zorggroep X"`` -> ``("B12", "Zorggroep X")``: a leading stand number goes bold."""
    m = _STAND.fullmatch(line)
    return (m.group(1), m.group(2)) if m else ("", line)


# --------------------------------------------------------------------------------------------
# PNG painter (Pillow)
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _pil_font(bold: bool, px: float) -> ImageFont.FreeTypeFont:
    # BASIC layout: no shaping, so Pillow advances match text_width_mm (raqm would apply bidi
    # and fallback rules the PDF cannot reproduce).
    return ImageFont.truetype(str(_face(bold).path), px, layout_engine=ImageFont.Layout.BASIC)


def _draw_text(img: Image.Image, t: TextItem, s: float) -> None:
    """Draw ``t`` at ``s`` px/mm, never wider than the layout measured it.

    Pillow rounds hinted advances to whole pixels, which makes small text up to ~10% wider
    than the font's true advances (what layout and PDF use). So the line is drawn with
    Pillow's own spacing into a mask and, if too wide, squeezed to the measured width.
    """
    font = _pil_font(t.bold, t.size * PT_MM * s)
    # Pillow types the box as floats (for fractional stroke widths); with no stroke, as here,
    # it is whole pixels, which Image.new and paste need.
    box: tuple[int, int, int, int] = font.getbbox(t.text, anchor="ls")  # type: ignore[assignment]
    left, top, right, bottom = box
    if right <= left or bottom <= top:
        return  # only spaces (or glyphs with no ink)
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), t.text, font=font, fill=255, anchor="ls")
    factor = min(1.0, t.width * s / max(font.getlength(t.text), 1e-9))
    if factor < 1.0:
        width = max(1, round(mask.width * factor))
        mask = mask.resize((width, mask.height), Image.Resampling.LANCZOS)
    img.paste(t.colour, (round(t.x * s + left * factor), round(t.y * s) + top), mask)


def render_png(data: BadgeData, dpi: int = 200) -> bytes:
    """The badge as a PNG at ``dpi`` (image size = badge size; 200 dpi: 827x1166 px for A6).

    Geometry is the layout's, to the nearest pixel; 200 dpi gives 7-8 px per QR module (A6)
    and 5 px (card), plenty for screens and printers.
    """
    if dpi < 72:
        raise ValueError("dpi must be at least 72 for a scannable code")
    lay = layout_badge(data)
    s = dpi / 25.4
    img = Image.new("RGB", (round(lay.width * s), round(lay.height * s)), WHITE)
    draw = ImageDraw.Draw(img)
    for box in lay.boxes:
        xy = (box.x * s, box.y * s, (box.x + box.w) * s - 1, (box.y + box.h) * s - 1)
        if box.radius:
            draw.rounded_rectangle(xy, radius=box.radius * s, fill=box.colour)
        else:
            draw.rectangle(xy, fill=box.colour)
    for t in lay.texts:
        _draw_text(img, t, s)
    qr = lay.qr
    n = len(qr.rows) + 2 * qr.quiet
    symbol = Image.new("L", (n, n), 255)
    symbol.putdata([0 if c == "1" else 255 for c in _with_quiet_zone(qr)])
    # Exactly the layout's block: modules may differ by one pixel (7 or 8 px at 200 dpi), which
    # decoders do not mind, whereas rounding the module size would grow or shrink the code.
    x0, y0 = round(qr.x * s), round(qr.y * s)
    side = round((qr.x + qr.size) * s) - x0
    img.paste(symbol.resize((side, side), Image.Resampling.NEAREST), (x0, y0))
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def _with_quiet_zone(qr: QrItem) -> str:
    n = len(qr.rows) + 2 * qr.quiet
    blank = "0" * n
    pad = "0" * qr.quiet
    return blank * qr.quiet + "".join(pad + r + pad for r in qr.rows) + blank * qr.quiet


# --------------------------------------------------------------------------------------------
# PDF painter and streaming writer
# --------------------------------------------------------------------------------------------

_RUNS = re.compile(r"1+")


@functools.lru_cache(maxsize=64)
def _rg(colour: Colour) -> str:
    return "{:.3f} {:.3f} {:.3f} rg".format(*(c / 255 for c in colour))


def _round_rect(x: float, y: float, w: float, h: float, r: float) -> str:
    """Path of a rounded rectangle in PDF points, (x, y) bottom-left."""
    r = min(r, w / 2, h / 2)
    k = r * 0.5523  # Bezier control distance for a quarter circle
    x1, y1 = x + w, y + h
    return (
        f"{x + r:.2f} {y:.2f} m {x1 - r:.2f} {y:.2f} l "
        f"{x1 - r + k:.2f} {y:.2f} {x1:.2f} {y + r - k:.2f} {x1:.2f} {y + r:.2f} c "
        f"{x1:.2f} {y1 - r:.2f} l {x1:.2f} {y1 - r + k:.2f} {x1 - r + k:.2f} {y1:.2f} "
        f"{x1 - r:.2f} {y1:.2f} c {x + r:.2f} {y1:.2f} l {x + r - k:.2f} {y1:.2f} {x:.2f} "
        f"{y1 - r + k:.2f} {x:.2f} {y1 - r:.2f} c {x:.2f} {y + r:.2f} l {x:.2f} {y + r - k:.2f} "
        f"{x + r - k:.2f} {y:.2f} {x + r:.2f} {y:.2f} c h"
    )


def badge_content(lay: BadgeLayout, used: dict[bool, set[str]]) -> str:
    """PDF content-stream operators for one badge, in points, origin at its bottom-left.

    Text uses the resource names ``/F0`` (regular) and ``/F1`` (bold) of :class:`PdfWriter`;
    every character drawn is added to ``used[bold]`` so the writer can subset the fonts.
    Everything is clipped to the badge, so nothing can stray onto a neighbour on a sheet.
    """
    h = lay.height
    k = MM_PT
    out = [f"0 0 {lay.width * k:.2f} {h * k:.2f} re W n"]
    for box in lay.boxes:
        x, y, w, hh = box.x * k, (h - box.y - box.h) * k, box.w * k, box.h * k
        path = _round_rect(x, y, w, hh, box.radius * k) if box.radius else (
            f"{x:.2f} {y:.2f} {w:.2f} {hh:.2f} re")
        out.append(f"{_rg(box.colour)} {path} f")
    faces = _faces()
    for t in lay.texts:
        used[t.bold].update(t.text)
        out.append(
            f"BT {_rg(t.colour)} /F{int(t.bold)} {t.size:g} Tf {t.x * k:.2f} {(h - t.y) * k:.2f}"
            f" Td <{faces[t.bold].hex_glyphs(t.text)}> Tj ET"
        )
    qr = lay.qr
    m = qr.module * k
    # One path of run-length rectangles in module units: compact, and a single fill has no
    # hairline seams between modules in anti-aliasing viewers.
    x0 = qr.x * k + qr.quiet * m
    y0 = (h - qr.y) * k - qr.quiet * m
    out.append(f"q 0 g {m:.4f} 0 0 {-m:.4f} {x0:.3f} {y0:.3f} cm")
    for r, row in enumerate(qr.rows):
        for run in _RUNS.finditer(row):
            out.append(f"{run.start()} {r} {run.end() - run.start()} 1 re")
    out.append("f Q")
    return "\n".join(out)


class PdfWriter:
    """A small PDF 1.4 writer that streams pages to ``out`` as they are added.

    Memory is bounded: a page's bytes are written and dropped immediately; what stays is one
    offset per object and one id per page, plus the set of characters used (for the font
    subset, written once by :meth:`close`). Offsets are counted, not asked of ``out``, so any
    writable binary stream works, seekable or not. Fonts: ``/F0`` regular, ``/F1`` bold.
    """

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pos = 0
        self._offsets: dict[int, int] = {}
        self._next_id = 1
        self._catalog = self._reserve()
        self._pages = self._reserve()
        self._resources = self._reserve()
        self._font_ids = [self._reserve() for _ in _faces()]
        self._kids: list[int] = []
        self.used: dict[bool, set[str]] = {False: set(), True: set()}
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _reserve(self) -> int:
        obj = self._next_id
        self._next_id += 1
        return obj

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._pos += len(data)

    def _obj(self, obj: int, body: bytes, stream: bytes | None = None) -> None:
        self._offsets[obj] = self._pos
        parts = [b"%d 0 obj\n" % obj, body]
        if stream is not None:
            parts += [b"\nstream\n", stream, b"\nendstream"]
        parts.append(b"\nendobj\n")
        self._write(b"".join(parts))

    def _stream(self, data: bytes, extra: str = "") -> int:
        obj = self._reserve()
        packed = zlib.compress(data, 6)
        self._obj(obj, f"<< /Length {len(packed)} /Filter /FlateDecode{extra} >>".encode(), packed)
        return obj

    def add_page(self, width_pt: float, height_pt: float, content: str) -> None:
        """Write one page now. ``content`` is ASCII operators (see :func:`badge_content`)."""
        contents = self._stream(content.encode("ascii"))
        page = self._reserve()
        self._obj(
            page,
            (
                f"<< /Type /Page /Parent {self._pages} 0 R /MediaBox [0 0 {width_pt:.2f} "
                f"{height_pt:.2f}] /Resources {self._resources} 0 R /Contents {contents} 0 R >>"
            ).encode(),
        )
        self._kids.append(page)

    @property
    def page_count(self) -> int:
        return len(self._kids)

    def close(self) -> None:
        """Write fonts, page tree, catalogue and cross-reference table. ``out`` stays open."""
        fonts = " ".join(f"/F{i} {obj} 0 R" for i, obj in enumerate(self._font_ids))
        self._obj(self._resources, f"<< /Font << {fonts} >> >>".encode())
        for obj, bold in zip(self._font_ids, (False, True), strict=True):
            self._write_font(obj, bold, self.used[bold])
        kids = " ".join(f"{k} 0 R" for k in self._kids)
        self._obj(self._pages, f"<< /Type /Pages /Kids [{kids}] /Count {len(self._kids)} >>"
                  .encode())
        self._obj(self._catalog, f"<< /Type /Catalog /Pages {self._pages} 0 R >>".encode())
        info = self._reserve()
        self._obj(info, b"<< /Producer (event-ops badges) >>")
        xref_at = self._pos
        rows = [f"xref\n0 {self._next_id}\n0000000000 65535 f \n"]
        rows += [f"{self._offsets[i]:010d} 00000 n \n" for i in range(1, self._next_id)]
        rows.append(
            f"trailer\n<< /Size {self._next_id} /Root {self._catalog} 0 R /Info {info} 0 R >>\n"
            f"startxref\n{xref_at}\n%%EOF\n"
        )
        self._write("".join(rows).encode())
        self._out.flush()

    def _write_font(self, obj: int, bold: bool, chars: set[str]) -> None:
        """A Type0 / CIDFontType2 font with Identity-H: content strings are glyph ids."""
        face = _face(bold)
        gids = sorted({face.gid(ch) for ch in chars} | {0})
        program, name = _font_program(bold, face.blocks(chars))
        scale = 1000 / face.upem
        file_obj = self._stream(program, f" /Length1 {len(program)}")
        desc = self._reserve()
        bbox = " ".join(str(round(v * scale)) for v in face.bbox)
        self._obj(desc, (
            # Flags 4 (symbolic): glyphs are addressed by id, not by a standard Latin encoding.
            f"<< /Type /FontDescriptor /FontName /{name} /Flags 4 /FontBBox [{bbox}] "
            f"/ItalicAngle 0 /Ascent {round(face.ascent * scale)} /Descent "
            f"{round(face.descent * scale)} /CapHeight {round(face.cap_height * scale)} "
            f"/StemV 80 /FontFile2 {file_obj} 0 R >>").encode())
        widths = " ".join(f"{g} [{round(face.advances[g] * scale)}]" for g in gids)
        cid = self._reserve()
        self._obj(cid, (
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo "
            f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
            f"{desc} 0 R /W [{widths}] /CIDToGIDMap /Identity >>").encode())
        to_unicode = self._stream(_to_unicode_cmap(face, gids))
        self._obj(obj, (
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>").encode())


def _to_unicode_cmap(face: _Face, gids: Iterable[int]) -> bytes:
    """CMap from glyph ids back to Unicode, so text in the PDF can be searched and copied."""
    pairs = []
    for g in gids:
        cp = face.unicode_of.get(g)
        if cp is not None:
            pairs.append(f"<{g:04X}> <{chr(cp).encode('utf-16-be').hex().upper()}>")
    chunks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]
    body = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def render_pdf(data: BadgeData) -> bytes:
    """One badge as a one-page PDF whose page is the badge size (A6 or 86x54 mm)."""
    lay = layout_badge(data)
    buf = io.BytesIO()
    writer = PdfWriter(buf)
    writer.add_page(lay.width * MM_PT, lay.height * MM_PT, badge_content(lay, writer.used))
    writer.close()
    return buf.getvalue()
