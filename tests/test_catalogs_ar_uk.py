"""The Arabic and Ukrainian catalogs cover every visitor-facing text, with the right placeholders.

A visitor who reads Arabic or Ukrainian must never see a Dutch text, a broken "{name}" or a
missing line break in a mail; and the catalog must say honestly that no native speaker checked it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from event_ops.i18n import TEXTS
from event_ops.texts.audience import is_visitor_text

LOCALE_DIR = Path(__file__).resolve().parent.parent / "event_ops" / "locale"

# The visitor-facing keys: the one rule (event_ops/texts/audience.py).
VISITOR_KEYS = sorted(k for k in TEXTS if is_visitor_text(k))

# Per language: gettext plural count, and the script the translation must be written in.
LANGS = {
    "ar": (6, re.compile(r"[\u0600-\u06FF]")),
    "uk": (3, re.compile(r"[\u0400-\u04FF]")),
}
# Language names on the language switch stay in their own script, so they need no Arabic/Cyrillic.
OWN_SCRIPT_KEYS = {"lang.switch", "kiosk.language"}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML = re.compile(r"<[^>]+>|&[a-z]+;|&#\d+;")


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def _catalog(lang: str):
    with _po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def _header_fields(lang: str) -> dict[str, str]:
    """The raw header fields: Babel keeps only the standard ones, not X-Reviewed-By-...."""
    text = _po_path(lang).read_text("utf-8")
    header = text.split('msgid ""\nmsgstr ""\n', 1)[1].split("\n\n", 1)[0]
    joined = "".join(re.findall(r'^"(.*)"$', header, flags=re.M)).replace("\\n", "\n")
    return dict(line.split(": ", 1) for line in joined.splitlines() if ": " in line)


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_header_states_language_plurals_charset_and_review(lang: str) -> None:
    fields = _header_fields(lang)
    assert fields["Language"] == lang
    assert "charset=utf-8" in fields["Content-Type"]
    assert f"nplurals={LANGS[lang][0]};" in fields["Plural-Forms"].replace(" ", "")
    # Honest: nobody who speaks the language natively has checked it yet.
    assert fields["X-Reviewed-By-Native-Speaker"] == "no"
    assert _catalog(lang).fuzzy is False  # a fuzzy header would make pybabel skip the file


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_every_visitor_text_is_translated_from_the_current_dutch(lang: str) -> None:
    catalog = _catalog(lang)
    missing, stale, empty, untranslated = [], [], [], []
    for key in VISITOR_KEYS:
        dutch = TEXTS[key][0]
        message = catalog.get(dutch, context=key)
        if message is None:
            # Either the key is new, or the Dutch text changed since the translation.
            known = [m for m in catalog if m.context == key]
            (stale if known else missing).append(key)
        elif not message.string:
            empty.append(key)
        elif key not in OWN_SCRIPT_KEYS and not LANGS[lang][1].search(message.string):
            untranslated.append(key)
        elif message.fuzzy:
            stale.append(key)
    assert (missing, stale, empty, untranslated) == ([], [], [], [])
    assert len(VISITOR_KEYS) > 350  # the prefix list above still matches the texts


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_placeholders_markup_and_line_breaks_are_kept(lang: str) -> None:
    """Against the entry's own Dutch, so entries for keys another branch adds are checked too."""
    catalog = _catalog(lang)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        source, translation = message.id, message.string
        if (
            sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation))
            or sorted(HTML.findall(source)) != sorted(HTML.findall(translation))
            or source.count("\n") != translation.count("\n")
        ):
            wrong.append(message.context)
    assert wrong == []


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_a_placeholder_filled_in_reads_as_the_language(lang: str) -> None:
    """Formatting with the values t() gets must work (no stray braces, no unknown names)."""
    catalog = _catalog(lang)
    for key in VISITOR_KEYS:
        message = catalog.get(TEXTS[key][0], context=key)
        assert message is not None
        names = {name.strip("{}"): "X" for name in PLACEHOLDER.findall(TEXTS[key][0])}
        assert "{" not in message.string.format(**names), key


def test_ukrainian_says_polite_vy_everywhere() -> None:
    """The brief: one form of address. Mixing "ти" into "ви" texts reads as careless or rude."""
    informal = re.compile(
        r"(?<![\w'])(ти|тебе|тобі|тобою|твій|твоя|твоє|твої|твого|твоєї|твоїх)(?![\w'])", re.I
    )
    found = [m.context for m in _catalog("uk") if m.id and informal.search(m.string)]
    assert found == []


def test_arabic_keeps_inserted_values_left_to_right() -> None:
    """In right-to-left text "06 12345678" shows as "12345678 06", "9712 AB" as "AB 9712" and
    "06-12-2026 10:00 - 16:00" with its times swapped, unless the value is isolated: every
    inserted value sits between FSI and PDI, the examples between LRI and PDI. Link targets
    are left bare, because a mail program could take the invisible mark into the link."""
    links = {"{url}", "{terms}", "{privacy}", "{route}"}
    bare = []
    for message in _catalog("ar"):
        for name in PLACEHOLDER.findall(message.string) if message.id else ():
            isolated = f"\u2068{name}\u2069" in message.string
            if isolated == (name in links):
                bare.append((message.context, name))
    assert bare == []
    examples = {"field.phone.hint": "06 12345678", "err.phone": "06 12345678",
                "err.postcode": "9712 AB", "err.email": "naam@voorbeeld.nl"}
    catalog = _catalog("ar")
    for key, example in examples.items():
        assert f"\u2066{example}\u2069" in catalog.get(TEXTS[key][0], context=key).string
