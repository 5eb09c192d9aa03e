"""Regenerate the vendored badge fonts from the Noto TTFs that Debian ships.

Run from the repo root (fontTools is a project dependency)::

    apt-get download fonts-noto-core fonts-noto-ui-core    # 20201225-1 (Debian 12)
    for f in fonts-noto-*.deb; do dpkg-deb -x "$f" /tmp/noto; done
    python -m badges.fonts.build /tmp/noto/usr/share/fonts/truetype/noto

Each face is subset to the scripts the badge needs, keeps its OpenType layout tables (GSUB,
GPOS, GDEF: HarfBuzz needs them for Arabic joining, marks and kerning) and drops hinting
(badges are drawn at 200 dpi or as vectors). One addition: a format-12 cmap subtable that
also maps U+F0000 + glyph id to every glyph, so Pillow (which can only draw characters)
can draw a glyph that HarfBuzz chose by its id (``badges.render.PUA_BASE``). Private-use
characters in names are never drawn, so this map is never reached from text.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

HERE = Path(__file__).resolve().parent
PUA_BASE = 0xF0000  # Supplementary Private Use Area-A: room for 65,534 glyphs

# Source file stem -> Unicode ranges kept ("*": the whole font).
FACES: dict[str, str] = {
    # Latin (with Extended-A/B, IPA, Additional, Vietnamese), Greek, Cyrillic (+ Extended
    # and Supplement), punctuation, currency, arrows, shapes, ligatures fi/fl.
    "NotoSans": "U+0020-007E,U+00A0-024F,U+0250-02FF,U+0300-036F,U+0370-03FF,U+0400-052F,"
                "U+1AB0-1AFF,U+1C80-1C8F,U+1DC0-1DFF,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,"
                "U+2100-214F,U+2190-21FF,U+2212,U+25A0-25FF,U+25CC,U+2DE0-2DFF,U+A640-A69F,"
                "U+A720-A7FF,U+FB00-FB06,U+FFFD",
    # Arabic, Arabic Supplement, Extended-A, presentation forms (Persian, Urdu, Pashto ...).
    # The UI variant: its vertical metrics match Noto Sans, so lines keep one pitch.
    "NotoSansArabicUI": "U+0020,U+00A0,U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,"
                        "U+FE70-FEFF,U+200C-200F,U+25CC",
    "NotoSansHebrew": "*",
    # Ethiopic (Amharic, Tigrinya, Oromo in Ge'ez ...): the main block and its supplement;
    # the extended blocks are for minority languages and double the size.
    "NotoSansEthiopic": "U+0020,U+00A0,U+1200-139F,U+25CC",
}
WEIGHTS = ("Regular", "Bold")


def _options() -> Options:
    options = Options()
    options.layout_features = ["*"]
    options.hinting = False
    options.drop_tables += ["DSIG"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    return options


def _unicodes(spec: str, font: TTFont) -> list[int]:
    if spec == "*":
        return sorted(font.getBestCmap())
    out: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        start = int(lo.removeprefix("U+"), 16)
        end = int(hi.removeprefix("U+"), 16) if hi else start
        out.extend(range(start, end + 1))
    return out


def _add_glyph_id_map(font: TTFont) -> None:
    """A (3, 10) format-12 subtable: the Unicode map plus U+F0000 + gid for every glyph."""
    order = font.getGlyphOrder()
    mapping = dict(font.getBestCmap())
    mapping.update({PUA_BASE + gid: name for gid, name in enumerate(order) if gid})
    table = CmapSubtable.newSubtable(12)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    table.cmap = mapping
    cmap = font["cmap"] if "cmap" in font else newTable("cmap")
    cmap.tables = [t for t in cmap.tables if (t.platformID, t.platEncID) != (3, 10)] + [table]


def build(source: Path, out: Path = HERE) -> list[Path]:
    written = []
    for stem, spec in FACES.items():
        for weight in WEIGHTS:
            font = TTFont(source / f"{stem}-{weight}.ttf")
            subsetter = Subsetter(_options())
            subsetter.populate(unicodes=_unicodes(spec, font))
            subsetter.subset(font)
            _add_glyph_id_map(font)
            path = out / f"{stem}-{weight}.ttf"
            font.save(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for p in build(Path(sys.argv[1])):
        print(f"{p.name}: {p.stat().st_size:,} bytes")
