"""The gettext catalogs of the visitors' languages (issue #19), read with Babel.

Format (fixed; translators write it): ``event_ops/locale/<lang>/LC_MESSAGES/messages.po``,
template ``event_ops/locale/messages.pot``. One entry per text: ``msgctxt`` = the text key
("event.register"), ``msgid`` = the Dutch text (Dutch is the source language), ``msgstr`` =
the translation, ``{placeholders}`` kept as they are. The header says
``X-Reviewed-By-Native-Speaker: yes|no``.

Dutch and English are written by the developers as ``(nl, en)`` tuples in the ``TEXTS``
dicts (``event_ops/i18n.py``, ``event_ops/texts/<area>.py``); ``make messages``
(``scripts/messages.py``) writes ``nl.po`` and ``en.po`` from them and updates the other
catalogs. At run time:

* ``nl`` and ``en`` are read from the tuples themselves (the source ``nl.po``/``en.po`` are
  generated from, kept in sync by a test), so a text a developer has just added shows at
  once, before anyone ran ``make messages``.
* ``ar``, ``uk``, ``tr``, ``pl`` come from the compiled catalog (``messages.mo``,
  ``gettext.GNUTranslations``, looked up as ``pgettext(key, dutch)``). A text that is
  missing, fuzzy (Babel never compiles fuzzy entries) or translated from an older Dutch
  text (its ``msgid`` no longer matches) falls back to **English**: a visitor who chose
  Arabic or Ukrainian more likely reads English than Dutch.

A missing or stale ``.mo`` (a fresh clone: ``.mo`` files are not checked in) is compiled
from its ``.po`` on first use of that language, written next to it when the directory is
writable, otherwise kept in memory. Each language is loaded once, on first use, into a plain
``dict`` of key → text, so ``t()`` stays a dict lookup.
"""

from __future__ import annotations

import gettext
import io
import threading
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
#: Languages whose catalog is written by translators (not generated from the tuples).
TRANSLATED = ("ar", "uk", "tr", "pl")

_lock = threading.Lock()


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(po: Path, mo: Path | None = None) -> bytes:
    """``.po`` → ``.mo`` bytes with Babel (fuzzy entries left out, as ``pybabel compile``
    does); also written to ``mo`` when given and writable."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    if mo is not None:
        try:
            tmp = mo.with_suffix(".mo.tmp")
            tmp.write_bytes(data)
            tmp.replace(mo)
        except OSError:
            pass  # a read-only install: keep it in memory
    return data


def load_translations(lang: str, locale_dir: Path = LOCALE_DIR) -> gettext.GNUTranslations | None:
    """The compiled catalog of ``lang``, compiling a missing or stale ``.mo`` first; None
    when there is no catalog for ``lang``."""
    po = po_path(lang, locale_dir)
    mo = po.with_suffix(".mo")
    if not po.exists() and not mo.exists():
        return None
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        data = compile_catalog(po, mo)
    else:
        data = mo.read_bytes()
    return gettext.GNUTranslations(io.BytesIO(data))


def translated_table(
    lang: str, texts: dict[str, tuple[str, str]], locale_dir: Path = LOCALE_DIR
) -> dict[str, str]:
    """key → text in ``lang`` for every key of ``texts``: the catalog's translation of the
    current Dutch text, else the English text."""
    translations = load_translations(lang, locale_dir)
    if translations is None:
        return {key: english for key, (_dutch, english) in texts.items()}
    # pgettext(key, dutch) answers the Dutch itself when there is no translation, which
    # cannot be told apart from a translation that happens to equal the Dutch ("Festival"):
    # the compiled table gettext keeps ("context\x04msgid" → msgstr) can.
    compiled: dict[str, str] = translations._catalog  # type: ignore[attr-defined]
    return {key: compiled.get(f"{key}\x04{dutch}") or english
            for key, (dutch, english) in texts.items()}
