"""Writing direction of a page language: the one place that says which languages are written
right to left. ``base.html`` sets ``<html dir>`` from it (the ``text_dir`` filter) and the
style sheets use logical properties (``margin-inline-start``, ``border-inline-start``,
``text-align: start``), so a right-to-left page mirrors without a second style sheet.

No texts of its own (``TEXTS`` is empty): it lives here beside the texts because it is part
of what a language means for a page.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {}

# Arabic, Persian, Urdu, Pashto, Sorani Kurdish, Hebrew, Yiddish, Dhivehi, Syriac.
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "ckb", "he", "yi", "dv", "syr"})


def text_direction(lang: str | None) -> str:
    """``"rtl"`` for a language written right to left, else ``"ltr"``. Takes a BCP 47 tag
    ("ar", "ar-SY", "fa-IR"); only its language part counts."""
    primary = (lang or "").split("-")[0].split("_")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"
