"""Badge rendering: one visitor's matching badge as PNG or PDF. Pure functions, no I/O but fonts.

Contract
--------
* :class:`BadgeData` is everything a badge shows. Only ``token`` goes into the QR code; the
  personal fields are printed as text and nothing else.
* :func:`layout_badge` places everything in millimetres (origin top-left). It is the single
  source of truth: :func:`render_png` (Pillow) and :func:`render_pdf` (vector PDF) only paint
  its output, so both look the same and the tests can check geometry without decoding pixels.
* Every text item fits its box by construction: it is measured with :func:`text_width_mm` (the
  shaped advances; both painters draw the same shaped glyphs at the same positions), shrunk,
  wrapped (first name only) and finally cut with an ellipsis.
* The QR code uses error correction M, keeps its 4-module quiet zone free of anything else,
  and is at least 30 mm (A6) / 25 mm (card) wide without the quiet zone.

Fonts: Noto Sans, Noto Sans Arabic UI, Hebrew and Ethiopic (regular and bold), subset and
vendored in ``badges/fonts/`` (licence there) so rendering does not depend on system fonts.
Text is shaped with HarfBuzz (``uharfbuzz``) in runs of one face and one direction, ordered
by the Unicode bidi algorithm (:func:`_bidi_levels`); layout measures the shaped advances and
both painters draw exactly the shaped glyphs, so Arabic joins, marks sit where the font puts
them and right-to-left names read right to left. Characters no face has are never drawn as
``.notdef`` boxes: letters of other scripts (CJK ...) are transliterated to Latin
(``anyascii``), symbols (emoji) left out (:func:`printable`); ``needs_check`` tells the
organiser's side which badges differ from the name as typed. See ``badges/fonts/README.md``.

PDF output comes from a small streaming writer (:class:`PdfWriter`) shared with
``badges/sheets.py``: pages are written as they are made, fonts are subset (keeping glyph ids;
fontTools, cached per process, see :func:`_font_program`) and written once at the end, each
with a ToUnicode map from glyphs to the letters they stand for, so memory stays flat for any
number of badges and the text extracts in logical order.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import qrcode
import uharfbuzz as hb
from anyascii import anyascii
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from event_ops.texts.audience import VISITOR_LANGUAGES
from event_ops.texts.badge_words import TEXTS as BADGE_TEXTS

if TYPE_CHECKING:
    from fontTools.subset import Options

__all__ = [
    "LANGUAGES",
    "SECTOR_COLOURS",
    "SIZES",
    "BadgeData",
    "BadgeLayout",
    "BoxItem",
    "GlyphRun",
    "PdfWriter",
    "QrItem",
    "Shaped",
    "TextItem",
    "badge_content",
    "layout_badge",
    "qr_matrix",
    "render_pdf",
    "render_png",
    "text_width_mm",
    "visual_order",
]

SIZES: dict[str, tuple[float, float]] = {"a6": (105.0, 148.0), "card": (86.0, 54.0)}
# Every language a visitor may choose (event_ops/texts/audience.py): nl en ar uk tr pl.
LANGUAGES = VISITOR_LANGUAGES
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
# The badge's own words and short sector names are texts (event_ops/texts/badge_words.py,
# in the catalogs with every other text); a badge prints them in the visitor's language, any
# of the visitor languages, through ``t()`` (English where a catalog lacks a translation).
# Looked up once per language per process, on first use: a render worker that only ever
# prints Dutch badges never loads a catalog, and the streaming writer pays a dict lookup.


class _ByLanguage(dict[str, dict[str, str]]):
    """language -> {short key -> text}, filled on first use of a language."""

    def __init__(self, sectors: bool) -> None:
        super().__init__()
        self._sectors = sectors

    def __missing__(self, lang: str) -> dict[str, str]:
        from event_ops.i18n import t  # the whole text table: only when a badge needs it

        prefix = "label.badge.sector." if self._sectors else "label.badge."
        table = {key.removeprefix(prefix): t(key, lang) for key in BADGE_TEXTS
                 if key.startswith("label.badge.sector.") == self._sectors}
        self[lang] = table
        return table


_SECTOR_NAMES = _ByLanguage(sectors=True)
_WORDS = _ByLanguage(sectors=False)
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
# Fonts and text shaping. Four Noto families (Latin/Greek/Cyrillic, Arabic, Hebrew, Ethiopic),
# regular and bold; HarfBuzz (uharfbuzz) shapes each run of one face and one direction;
# the runs are ordered by the Unicode bidi algorithm (:func:`_bidi_levels`). Layout measures
# with the shaped advances and both painters draw exactly those glyphs at those positions,
# so PNG and PDF agree with the layout to the rounding of a pixel.
# --------------------------------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# Fallback order: a letter is drawn with the first family that has it; spaces, digits,
# punctuation and marks stay with the face of the letter before them when it has them, so an
# Arabic name keeps its spaces (and joining) in the Arabic face. See badges/fonts/README.md.
FAMILIES = ("NotoSans", "NotoSansArabicUI", "NotoSansHebrew", "NotoSansEthiopic")
# The vendored fonts also map U+F0000 + glyph id to each glyph (badges/fonts/build.py), so
# Pillow, which draws characters, can draw the glyph HarfBuzz chose by its id.
PUA_BASE = 0xF0000

# What a PDF CIDFontType2 program needs (PDF 32000-1, 9.9); the fonts carry no hinting, hence
# no cvt/fpgm/prep. Everything else (cmap, name, post, OS/2, GSUB ...) stays out of the PDF.
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
    """One TrueType face: metrics, char -> glyph map, a HarfBuzz font, subsets for PDFs."""

    def __init__(self, path: Path, index: int) -> None:
        self.path = path
        self.index = index  # position in _faces(); the PDF resource is /F<index>
        self.pdf_name = path.stem.replace("-", "")
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
        # Code point -> glyph id; a code point mapped to .notdef is not covered, and the
        # glyph-id map above PUA_BASE is for Pillow only.
        self.cmap: dict[int, int] = {
            cp: ids[name] for cp, name in (font.getBestCmap() or {}).items()
            if ids[name] and cp < PUA_BASE
        }
        if not self.cmap:
            raise ValueError(f"{path.name} has no usable Unicode cmap")
        # gid -> its own character (the first, if several map to it).
        self.unicode_of: dict[int, int] = {}
        for cp in sorted(self.cmap):
            self.unicode_of.setdefault(self.cmap[cp], cp)
        # TTFont is a mapping without __iter__, hence keys().
        self._drop = [tag for tag in font.keys()  # noqa: SIM118
                      if tag not in _PDF_TABLES | {"GlyphOrder"}]
        # HarfBuzz at the font's own units (the default scale): advances in font units.
        self.hb_font = hb.Font(hb.Face(self._data))

    def gid(self, ch: str) -> int:
        """The nominal glyph of ``ch`` (0, .notdef, when the face lacks it)."""
        return self.cmap.get(ord(ch), 0)

    def subset_program(self, gids: Iterable[int],
                       shifted: Sequence[tuple[int, int, int]] = ()) -> bytes:
        """A TrueType program with only ``gids`` (and their components) drawn, ids unchanged.

        fontTools' subsetter with ``retain_gids``: unused glyphs become empty, so the PDF's
        glyph ids need no remapping. Only the tables in ``_PDF_TABLES`` are kept (no GSUB, so
        no closure over substitutions: the glyphs are the shaped ones already). ``shifted``
        are extra glyphs appended after the font's own, each a composite of (glyph, dx, dy):
        see :func:`_shifted_gid`. ~10-20 ms per call: see :func:`_font_program` for why that
        is paid once per process, not once per PDF.
        """
        # Imported here: fontTools.subset takes ~9 MB and a few hundred ms to import, which
        # processes that only measure text or paint PNGs (the CLI, the app) need not pay.
        from fontTools.subset import Subsetter
        from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

        wanted = set(gids)
        own = {0} | {g for g in wanted if 0 <= g < self.num_glyphs}
        own |= {base for j, (base, _, _) in enumerate(shifted)
                if self.num_glyphs + j in wanted}
        font = TTFont(io.BytesIO(self._data), lazy=True, recalcBBoxes=False,
                      recalcTimestamp=False)
        for tag in self._drop:
            del font[tag]
        subsetter = Subsetter(_subset_options())
        subsetter.populate(gids=sorted(own))
        subsetter.subset(font)
        if shifted:
            glyf, hmtx = font["glyf"], font["hmtx"]
            order = list(font.getGlyphOrder())
            for j, (base, dx, dy) in enumerate(shifted):
                name = f"shifted.{j}"
                glyph = Glyph()
                source = glyf[order[base]]
                if self.num_glyphs + j in wanted and source.numberOfContours != 0:
                    component = GlyphComponent()
                    component.glyphName, component.x, component.y = order[base], dx, dy
                    component.flags = 0
                    glyph.numberOfContours = -1
                    glyph.components = [component]
                    glyph.xMin, glyph.yMin = source.xMin + dx, source.yMin + dy
                    glyph.xMax, glyph.yMax = source.xMax + dx, source.yMax + dy
                glyf.glyphs[name] = glyph
                hmtx.metrics[name] = (self.advances[base], getattr(glyph, "xMin", 0))
                order.append(name)
            font.setGlyphOrder(order)
            glyf.glyphOrder = order
            maxp = font["maxp"]
            maxp.numGlyphs = len(order)
            maxp.maxComponentDepth = max(getattr(maxp, "maxComponentDepth", 0), 1) + 1
            maxp.maxComponentElements = max(getattr(maxp, "maxComponentElements", 0), 1)
        out = io.BytesIO()
        font.save(out, reorderTables=False)
        return out.getvalue()

    def pdf_advance(self, gid: int) -> int:
        """Advance width of a glyph of the embedded program, shifted copies included."""
        if gid < self.num_glyphs:
            return self.advances[gid]
        return self.advances[_SHIFTED_DEFS[self.index][gid - self.num_glyphs][0]]


# Glyphs that HarfBuzz places off their pen position (Arabic harakat, stacked marks ...)
# get a copy in the embedded font: a composite glyph of (glyph, dx, dy), appended after the
# font's own glyphs. The PDF then draws every glyph of a run on the baseline in one TJ, which
# keeps PDF readers' text extraction in one piece (a separate TJ with a text rise per mark
# breaks PDFium's line into pieces). Per process, append-only, so an id always means the
# same glyph; bounded by the few distinct mark placements the fonts produce.
_SHIFTED: dict[tuple[int, int, int, int], int] = {}
_SHIFTED_DEFS: dict[int, list[tuple[int, int, int]]] = {}
_MAX_SHIFTED = 8192  # per face; beyond it marks are drawn unshifted rather than failing


def _shifted_gid(face: _Face, gid: int, dx: int, dy: int) -> int:
    key = (face.index, gid, dx, dy)
    new = _SHIFTED.get(key)
    if new is None:
        defs = _SHIFTED_DEFS.setdefault(face.index, [])
        if len(defs) >= _MAX_SHIFTED:
            return gid
        new = _SHIFTED[key] = face.num_glyphs + len(defs)
        defs.append((gid, dx, dy))
    return new


# A PDF embeds whole blocks of 32 glyph ids, not only the glyphs it uses.
_BLOCK = 32


def _blocks(gids: Iterable[int]) -> frozenset[int]:
    return frozenset(g // _BLOCK for g in gids)


def _font_program(face_index: int, blocks: frozenset[int]) -> tuple[bytes, str]:
    """The embedded font program for a document whose glyph ids fall in ``blocks``.

    Subsetting takes fontTools 10-20 ms per face, several times a whole one-badge PDF.
    Rounding a document's glyphs up to blocks of 32 ids lets documents share subsets: after
    the first few badges a PDF costs no subsetting at all. The price is a somewhat larger
    font in the PDF. Deterministic: the output depends only on the document's own glyphs
    (and, for shifted mark copies, on which copies this process has made so far).
    Returns the program and its PDF name.
    """
    face = _faces()[face_index]
    shifted = _SHIFTED_DEFS.get(face_index, [])
    top = max(blocks, default=0) * _BLOCK + _BLOCK
    count = min(len(shifted), max(0, top - face.num_glyphs))
    return _font_program_cached(face_index, blocks, count)


@functools.lru_cache(maxsize=64)
def _font_program_cached(face_index: int, blocks: frozenset[int],
                         shifted_count: int) -> tuple[bytes, str]:
    face = _faces()[face_index]
    limit = face.num_glyphs + shifted_count
    gids = sorted({0} | {g for b in blocks for g in range(b * _BLOCK, (b + 1) * _BLOCK)
                         if g < limit})
    shifted = tuple(_SHIFTED_DEFS.get(face_index, [])[:shifted_count])
    # Subset fonts must be named TAG+Name with a tag that depends on the subset.
    digest = hashlib.sha256(repr((gids, shifted)).encode()).digest()
    tag = "".join(chr(65 + b % 26) for b in digest[:6])
    return face.subset_program(gids, shifted), f"{tag}+{face.pdf_name}"


@functools.cache
def _faces() -> tuple[_Face, ...]:
    """Every face, loaded once per process: the regular ones in ``FAMILIES`` order, then the
    bold ones (see :func:`_family`)."""
    paths = [FONT_DIR / f"{family}-{weight}.ttf"
             for weight in ("Regular", "Bold") for family in FAMILIES]
    return tuple(_Face(path, i) for i, path in enumerate(paths))


def _family(bold: bool) -> tuple[_Face, ...]:
    faces = _faces()
    n = len(FAMILIES)
    return faces[n:] if bold else faces[:n]


# --- Bidi ------------------------------------------------------------------------------------
# The Unicode Bidirectional Algorithm (UAX #9) for one line of plain text: explicit embeddings
# and isolates are removed beforehand (_normal), so rules X1-X10 reduce to one level run at
# the paragraph level; W1-W7, N1-N2, I1-I2 and L2 follow. Written here rather than taken from
# python-bidi: that library returns only a reordered string, and shaping needs the levels,
# to give each run its direction and face. ~60 lines, tested in tests/test_badge_scripts.py.

_NEUTRAL = frozenset({"B", "S", "WS", "ON", "BN"})


def _bidi_levels(text: str) -> list[int]:
    """The embedding level of every character of ``text`` (even: left to right)."""
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    base = 0
    for t in types:  # P2/P3: the first strong character decides the paragraph direction
        if t == "L":
            break
        if t in ("R", "AL"):
            base = 1
            break
    sos = "R" if base else "L"
    n = len(types)
    prev = sos
    for i, t in enumerate(types):  # W1: a mark takes the type before it
        if t == "NSM":
            types[i] = prev
        prev = types[i]
    last = sos
    for i, t in enumerate(types):  # W2, W3
        if t in ("L", "R", "AL"):
            last = t
        elif t == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    for i in range(1, n - 1):  # W4
        a, t, b = types[i - 1], types[i], types[i + 1]
        if t == "ES" and a == b == "EN":
            types[i] = "EN"
        elif t == "CS" and a == b and a in ("EN", "AN"):
            types[i] = a
    i = 0
    while i < n:  # W5: terminators next to European digits join them
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]  # W6
    last = sos
    for i, t in enumerate(types):  # W7
        if t in ("L", "R"):
            last = t
        elif t == "EN" and last == "L":
            types[i] = "L"
    i = 0
    while i < n:  # N1/N2: neutrals between two of one direction take it, else the base's
        if types[i] in _NEUTRAL:
            j = i
            while j < n and types[j] in _NEUTRAL:
                j += 1
            before = sos if i == 0 else ("R" if types[i - 1] in ("R", "EN", "AN") else "L")
            after = sos if j == n else ("R" if types[j] in ("R", "EN", "AN") else "L")
            types[i:j] = [before if before == after else sos] * (j - i)
            i = j
        else:
            i += 1
    levels = []
    for t in types:  # I1/I2
        if base == 0:
            levels.append(0 if t == "L" else 1 if t == "R" else 2)
        else:
            levels.append(1 if t == "R" else 2)
    return levels


def _reorder(levels: list[int]) -> list[int]:
    """L2: indices of items with these levels, in visual (left-to-right) order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    odd = [lv for lv in levels if lv % 2]
    lowest = min(odd) if odd else max(levels) + 1
    for level in range(max(levels), lowest - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def _level_runs(levels: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each maximal run of one level, in logical order."""
    runs, start = [], 0
    for i in range(1, len(levels) + 1):
        if i == len(levels) or levels[i] != levels[start]:
            runs.append((start, i))
            start = i
    return runs


def visual_order(text: str) -> list[str]:
    """``text``'s runs of one direction, left to right as printed, each run's characters as
    they appear (right-to-left runs reversed; mirroring of brackets is left to HarfBuzz)."""
    levels = _bidi_levels(text)
    runs = _level_runs(levels)
    out = []
    for k in _reorder([levels[s] for s, _ in runs]):
        s, e = runs[k]
        out.append(text[s:e][::-1] if levels[s] % 2 else text[s:e])
    return out


# --- Shaping ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Glyphs of one face, left to right as drawn, in that face's font units.

    ``texts[i]`` is the text glyph ``i`` stands for (for the PDF's ToUnicode map): a letter,
    two for a ligature, ``""`` for the second glyph of a cluster."""

    face: int
    gids: tuple[int, ...]
    advances: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Shaped:
    """A line of text as glyph runs in visual order, and its width in ems."""

    runs: tuple[GlyphRun, ...]
    em: float


def _pick_face(ch: str, family: tuple[_Face, ...], prev: _Face | None) -> _Face:
    cp = ord(ch)
    if prev is not None and not unicodedata.category(ch).startswith("L") and cp in prev.cmap:
        return prev
    for face in family:
        if cp in face.cmap:
            return face
    return prev or family[0]  # nothing has it: .notdef (printable() keeps this from happening)


def _shape_run(face: _Face, text: str, rtl: bool) -> GlyphRun:
    buf = hb.Buffer()
    buf.add_codepoints([ord(ch) for ch in text])  # cluster = index into ``text``
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    hb.shape(face.hb_font, buf)
    infos, positions = buf.glyph_infos, buf.glyph_positions
    # Each cluster's text; glyphs of a cluster in logical order (buffer order is visual).
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    members: dict[int, list[int]] = {}
    for i, info in enumerate(infos):
        members.setdefault(info.cluster, []).append(i)
    texts = [""] * len(infos)
    for start, idx in members.items():
        chunk = text[start:ends[start]]
        if rtl:
            idx = idx[::-1]
        # One letter per glyph in logical order; with fewer glyphs than letters (lam-alef,
        # shadda + fatha as one mark) the last glyph takes the rest; extra glyphs (a letter
        # drawn in two pieces) stand for nothing.
        k = len(idx)
        parts = list(chunk[:k - 1]) + [chunk[k - 1:]] if k < len(chunk) else \
            list(chunk) + [""] * (k - len(chunk))
        for i, part in zip(idx, parts, strict=True):
            own = face.unicode_of.get(infos[i].codepoint)
            if rtl and len(part) == 1 and own is not None and unicodedata.mirrored(part):
                # A mirrored bracket: its glyph is the other bracket, and PDF readers
                # mirror it back when they put the run in logical order.
                part = chr(own)
            # Readers reverse a right-to-left run character by character, so a glyph
            # that stands for several letters stores them reversed.
            texts[i] = part[::-1] if rtl else part
    return GlyphRun(
        face.index,
        tuple(info.codepoint for info in infos),
        tuple(pos.x_advance for pos in positions),
        tuple((pos.x_offset, pos.y_offset) for pos in positions),
        tuple(texts),
    )


@functools.lru_cache(maxsize=1024)  # small: bulk runs must not accumulate every name
def _shape(text: str, bold: bool) -> Shaped:
    """``text`` (one line, as :func:`_clean` leaves it) shaped: runs of one face and one
    direction, each shaped by HarfBuzz, placed left to right in bidi order."""
    if not text:
        return Shaped((), 0.0)
    family = _family(bold)
    levels = _bidi_levels(text)
    faces: list[_Face] = []
    prev: _Face | None = None
    for ch in text:
        prev = _pick_face(ch, family, prev)
        faces.append(prev)
    spans, start = [], 0
    for i in range(1, len(text) + 1):
        if i == len(text) or faces[i] is not faces[start] or levels[i] != levels[start]:
            spans.append((start, i))
            start = i
    runs = []
    em = 0.0
    for k in _reorder([levels[s] for s, _ in spans]):
        s, e = spans[k]
        run = _shape_run(faces[s], text[s:e], bool(levels[s] % 2))
        runs.append(run)
        em += sum(run.advances) / faces[s].upem
    return Shaped(tuple(runs), em)


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Printed width of ``text`` in millimetres at ``size_pt``: the one measure layout uses."""
    return _shape(text, bold).em * size_pt * PT_MM


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Explicit bidi embeddings, overrides and isolates: invisible, and the bidi code here does
# not implement them (names do not need them); LRM/RLM stay, they are plain strong marks.
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _normal(text: str) -> str:
    """NFC (precomposed accents render better than combining marks), controls -> spaces."""
    text = _BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text))
    return " ".join(_CONTROL.sub(" ", text).split())


def _clean(text: str) -> str:
    """What is drawn for ``text``: normalised, and only characters the fonts have."""
    return " ".join(printable(_normal(text)).split())


@functools.cache
def _covered(ch: str) -> bool:
    """Both weights have a glyph for ``ch`` in some family (private-use characters never)."""
    if unicodedata.category(ch) == "Co":
        return False
    cp = ord(ch)
    return all(any(cp in face.cmap for face in _family(bold)) for bold in (False, True))


def printable(text: str) -> str:
    """``text`` with every character the badge fonts lack replaced, never a box.

    The fonts cover Latin, Greek, Cyrillic, Arabic, Hebrew and Ethiopic. A run of
    letters/digits of another script (CJK, Devanagari ...) becomes its Latin
    transliteration, capitalised at the start of a word ("王小明" -> "WangXiaoMing");
    anything else the fonts lack (emoji, rare symbols) is left out. ``needs_check`` flags
    such badges for the organiser."""
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
        else:  # an emoji, a symbol or a mark the fonts lack: nothing is better than a box
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

# Vertical metrics as fractions of the font size: the ascender (incl. accents on
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
    em = _shape(text, bold).em
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

        def em(part: str) -> float:
            return _shape(part, True).em

        def split(i: int) -> tuple[str, str]:
            return text[:i].rstrip(), text[i:].lstrip()

        # The most balanced split; widths scale with size, so choose it once in ems.
        best = min(breaks, key=lambda i: max(em(part) for part in split(i)))
        lines = split(best)
        widest = max(lines, key=em)
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
        more = _more(words["more"], len(items) - slots + 1)
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


def _more(template: str, n: int) -> str:
    """"+N more" from a (translated) template; a translation with a broken placeholder must
    not break a print run, so it falls back to the English text."""
    try:
        return template.format(n=n)
    except (KeyError, IndexError, ValueError):
        return BADGE_TEXTS["label.badge.more"][1].format(n=n)


_STAND = re.compile(r"(?=\S*\d)(\S{1,6})\s+(.+)")  # a first word of <= 6 chars with a digit


def _split_stand(line: str) -> tuple[str, str]:
    """``"B12 Zorggroep X"`` -> ``("B12", "Zorggroep X")``: a leading stand number goes bold."""
    m = _STAND.fullmatch(line)
    return (m.group(1), m.group(2)) if m else ("", line)


# --------------------------------------------------------------------------------------------
# PNG painter (Pillow)
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _pil_font(face_index: int, px: float) -> ImageFont.FreeTypeFont:
    # BASIC layout, one glyph per call: HarfBuzz has shaped and placed the glyphs already,
    # Pillow only rasterises each one (by its U+F0000 + gid character, see PUA_BASE).
    return ImageFont.truetype(str(_faces()[face_index].path), px,
                              layout_engine=ImageFont.Layout.BASIC)


def _draw_text(draw: ImageDraw.ImageDraw, t: TextItem, s: float) -> None:
    """Draw ``t`` at ``s`` px/mm: the shaped glyphs at their shaped positions.

    Glyph origins are fractional pixels (Pillow renders from the fraction), so the line is
    exactly as wide as the layout measured it, whatever the font's hinting would round to.
    """
    px = t.size * PT_MM * s  # pixels per em
    x, y = t.x * s, t.y * s
    faces = _faces()
    for run in _shape(t.text, t.bold).runs:
        font = _pil_font(run.face, px)
        k = px / faces[run.face].upem
        for gid, adv, (ox, oy) in zip(run.gids, run.advances, run.offsets, strict=True):
            if gid:
                draw.text((x + ox * k, y - oy * k), chr(PUA_BASE + gid), fill=t.colour,
                          font=font, anchor="ls")
            x += adv * k


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
        _draw_text(draw, t, s)
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


# Glyphs a document draws, per face: glyph id -> the text it stands for (for ToUnicode).
Used = dict[int, dict[int, str]]


@functools.lru_cache(maxsize=512)  # small, as _shape: names are drawn once
def _pdf_text(text: str, bold: bool, size: float) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """Text-showing operators for one shaped line (after a ``Td`` to its origin), and the
    (face, glyph id, text) of every glyph, for the writer's subsets and ToUnicode maps.

    Strings are 2-byte glyph ids (Identity-H), one ``TJ`` per run. The PDF advances each
    glyph by its ``/W`` width (the font's hmtx); ``TJ`` numbers make up the difference to
    HarfBuzz's advance (kerning); glyphs with an offset are drawn as shifted copies
    (:func:`_shifted_gid`).
    """
    faces = _faces()
    ops: list[str] = []
    glyphs: list[tuple[int, int, str]] = []
    for run in _shape(text, bold).runs:
        face = faces[run.face]
        k = 1000 / face.upem
        ops.append(f"/F{run.face} {size:g} Tf")
        tj: list[str] = []  # glyph-id strings and the numbers between them
        hexes: list[str] = []
        for gid, adv, (ox, oy), glyph_text in zip(run.gids, run.advances, run.offsets,
                                                  run.texts, strict=True):
            drawn = _shifted_gid(face, gid, ox, oy) if ox or oy else gid
            glyphs.append((run.face, drawn, glyph_text))
            hexes.append(f"{drawn:04X}")
            rest = (face.advances[gid] - adv) * k
            if rest:
                tj += ["<" + "".join(hexes) + ">", f"{rest:.4g}"]
                hexes.clear()
        if hexes:
            tj.append("<" + "".join(hexes) + ">")
        ops.append("[" + " ".join(tj) + "] TJ")
    return " ".join(ops), tuple(glyphs)


def _note_glyphs(used: Used, glyphs: Iterable[tuple[int, int, str]]) -> None:
    for face, gid, text in glyphs:
        seen = used.setdefault(face, {})
        if text and not seen.get(gid):
            seen[gid] = text  # the first text wins; a bare glyph waits for one
        else:
            seen.setdefault(gid, "")


def badge_content(lay: BadgeLayout, used: Used) -> str:
    """PDF content-stream operators for one badge, in points, origin at its bottom-left.

    Text uses the resource names ``/F<face index>`` of :class:`PdfWriter`; every glyph
    drawn is added to ``used`` so the writer can subset the fonts and map glyphs back to
    text. Everything is clipped to the badge, so nothing can stray onto a neighbour.
    """
    h = lay.height
    k = MM_PT
    out = [f"0 0 {lay.width * k:.2f} {h * k:.2f} re W n"]
    for box in lay.boxes:
        x, y, w, hh = box.x * k, (h - box.y - box.h) * k, box.w * k, box.h * k
        path = _round_rect(x, y, w, hh, box.radius * k) if box.radius else (
            f"{x:.2f} {y:.2f} {w:.2f} {hh:.2f} re")
        out.append(f"{_rg(box.colour)} {path} f")
    for t in lay.texts:
        ops, glyphs = _pdf_text(t.text, t.bold, t.size)
        _note_glyphs(used, glyphs)
        out.append(f"BT {_rg(t.colour)} {t.x * k:.2f} {(h - t.y) * k:.2f} Td {ops} ET")
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
        self._kids: list[int] = []
        self.used: Used = {}
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
        # Only the faces the document drew with; each written once, subset to its glyphs.
        font_ids = {i: self._reserve() for i in sorted(self.used) if self.used[i]}
        fonts = " ".join(f"/F{i} {obj} 0 R" for i, obj in font_ids.items())
        self._obj(self._resources, f"<< /Font << {fonts} >> >>".encode())
        for i, obj in font_ids.items():
            self._write_font(obj, i, self.used[i])
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

    def _write_font(self, obj: int, face_index: int, glyphs: dict[int, str]) -> None:
        """A Type0 / CIDFontType2 font with Identity-H: content strings are glyph ids."""
        face = _faces()[face_index]
        gids = sorted(set(glyphs) | {0})
        program, name = _font_program(face_index, _blocks(gids))
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
        widths = " ".join(f"{g} [{round(face.pdf_advance(g) * scale)}]" for g in gids)
        cid = self._reserve()
        self._obj(cid, (
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo "
            f"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
            f"{desc} 0 R /W [{widths}] /CIDToGIDMap /Identity >>").encode())
        to_unicode = self._stream(_to_unicode_cmap(glyphs))
        self._obj(obj, (
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>").encode())


def _to_unicode_cmap(glyphs: dict[int, str]) -> bytes:
    """CMap from glyph ids back to text, so the PDF's text can be searched and copied.

    A glyph maps to what it stood for when shaped: a letter, both letters of a ligature
    (Arabic lam-alef), the positional form's base letter. Right-to-left runs are drawn in
    visual order; readers (PDFium, Acrobat) put them back in logical order by the bidi
    classes of these characters, as for any right-to-left PDF."""
    pairs = [f"<{g:04X}> <{text.encode('utf-16-be').hex().upper()}>"
             for g, text in sorted(glyphs.items()) if text]
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
