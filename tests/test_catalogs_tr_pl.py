"""The Turkish and Polish catalogs cover every visitor text (issue #19).

Format (decided for all translated languages): one entry per text key, with
``msgctxt`` = the key in ``TEXTS``, ``msgid`` = the Dutch text exactly as in
``TEXTS[key][0]`` and ``msgstr`` = the translation. These checks catch what a
visitor would notice: a text missing or left empty (they would see English),
a Dutch text changed after translating (the translation may now say something
else), a ``{placeholder}`` lost or renamed (the page would show a raw brace or
fail), a line break lost in a mail, a sentence too long to read easily.
They also check the header says honestly that no native speaker has reviewed
the text yet.

A catalog may hold entries for keys that are not (yet) in ``TEXTS``: translations of
texts on their way in from another branch. Lookups go by key and Dutch text, so such an
entry is never shown by mistake; ``make messages`` marks it obsolete if the text never
comes.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from event_ops.i18n import TEXTS
from tests.test_language import is_running_text, sentences

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("tr", "pl")

try:  # the runtime's own rule, once it exists (i18n-catalogs)
    from event_ops.texts.audience import (  # type: ignore[import-not-found]
        is_visitor_text as _is_visitor_text,
    )
except ImportError:  # the prefix list the translators were given
    _is_visitor_text = None
VISITOR_PREFIXES = (
    "avail", "done", "edu", "err", "error", "event", "events", "export", "field", "form",
    "invite", "kiosk", "label", "lang", "legal", "level", "link", "mail", "me", "nav",
    "read_aloud", "schedule", "site", "sms", "summary", "unsubscribe",
)

PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")
#: Same limit as for Dutch visitor sentences in tests/test_language.py.
MAX_WORDS = 15
PLURAL_FORMS = {
    "tr": "nplurals=2;",
    "pl": "nplurals=3;",
}


def is_visitor_key(key: str) -> bool:
    """The runtime's rule when there is one; else the translators' prefix list. The
    catalogs translate the whole prefix list (a superset: it includes schedule.print.*)."""
    if _is_visitor_text is not None:
        return bool(_is_visitor_text(key))
    return key.split(".")[0] in VISITOR_PREFIXES


def visitor_keys() -> list[str]:
    return [k for k in TEXTS if is_visitor_key(k)]


def po_path(lang: str) -> Path:
    return ROOT / "event_ops" / "locale" / lang / "LC_MESSAGES" / "messages.po"


def load(lang: str) -> Catalog:
    with po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def entries(lang: str) -> dict[str, tuple[str, str, bool]]:
    """key -> (msgid, msgstr, fuzzy) for the active (not obsolete) entries; when a key has
    two entries (an old and a new Dutch text), the one for the current Dutch text."""
    out: dict[str, tuple[str, str, bool]] = {}
    for message in load(lang):
        if message.id and message.context:
            key = message.context
            current = key in TEXTS and message.id == TEXTS[key][0]
            if key not in out or current:
                out[key] = (str(message.id), str(message.string), message.fuzzy)
    return out


def test_visitor_key_list_is_not_empty():
    assert len(visitor_keys()) > 300


@pytest.mark.parametrize("lang", LANGS)
def test_header_names_language_plural_forms_charset_and_review_status(lang):
    catalog = load(lang)
    assert str(catalog.locale) == lang
    assert catalog.charset == "utf-8"
    raw = po_path(lang).read_text(encoding="utf-8")
    assert f'"Language: {lang}\\n"' in raw
    assert f'"Plural-Forms: {PLURAL_FORMS[lang]}' in raw
    # Babel's Catalog drops unknown header fields, so read the raw text.
    assert '"X-Reviewed-By-Native-Speaker: no\\n"' in raw
    assert not catalog.fuzzy, "a fuzzy header makes compilers skip the whole catalog"


@pytest.mark.parametrize("lang", LANGS)
def test_every_visitor_text_is_translated_from_the_current_dutch(lang):
    found = entries(lang)
    missing = [k for k in visitor_keys() if k not in found]
    stale = [k for k in visitor_keys() if k in found and found[k][0] != TEXTS[k][0]]
    empty = [k for k in visitor_keys() if k in found and not found[k][1].strip()]
    fuzzy = [k for k in visitor_keys() if k in found and found[k][2]]
    assert (missing, stale, empty, fuzzy) == ([], [], [], [])


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_placeholders_and_line_breaks(lang):
    problems = []
    for key, (dutch, translated, _fuzzy) in entries(lang).items():
        if sorted(PLACEHOLDER.findall(dutch)) != sorted(PLACEHOLDER.findall(translated)):
            problems.append(f"{key}: placeholders {PLACEHOLDER.findall(translated)}")
        if re.search(r"[{}]", PLACEHOLDER.sub("", translated)):
            problems.append(f"{key}: a brace that is not a {{placeholder}}")
        if dutch.count("\n") != translated.count("\n"):
            problems.append(f"{key}: line breaks differ")
        if translated != translated.strip():
            problems.append(f"{key}: space at the start or end")
        names = {name: "x" for name in PLACEHOLDER.findall(translated)}
        try:
            translated.format(**names)
        except (KeyError, IndexError, ValueError) as error:
            problems.append(f"{key}: does not format: {error}")
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_translated_sentence_is_too_long(lang):
    long = [
        (key, " ".join(sentence))
        for key, (_dutch, translated, _fuzzy) in entries(lang).items()
        for sentence in sentences(translated)
        if len(sentence) > MAX_WORDS
    ]
    assert long == []


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_compiles_and_answers_by_key_and_dutch(lang):
    """What the runtime will do: compile to .mo and look a text up with pgettext."""
    buffer = io.BytesIO()
    write_mo(buffer, load(lang))
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    key = "event.register"
    assert translations.pgettext(key, TEXTS[key][0]) == entries(lang)[key][1]
    assert translations.pgettext(key, TEXTS[key][0]) not in TEXTS[key]
    # The plural rule in the header: Polish 1 plik, 2-4 pliki, 5-21 plików, 22-24 pliki.
    forms = [translations.plural(n) for n in (1, 2, 4, 5, 12, 21, 22, 112, 124)]
    assert forms == {"tr": [0, 1, 1, 1, 1, 1, 1, 1, 1],
                     "pl": [0, 1, 1, 2, 2, 2, 1, 2, 1]}[lang]


def test_polish_and_turkish_legal_links_survive_lower():
    """Templates lower() legal.terms/legal.privacy inside legal.consent_links; a capital
    dotted İ would lowercase to i plus a combining dot."""
    for lang in LANGS:
        found = entries(lang)
        for key in ("legal.terms", "legal.privacy"):
            assert "\u0307" not in found[key][1].lower()


# -- reading ease of the running text (sentences), with each language's own formula.
# Ateşman (1997) for Turkish: 198.825 - 40.175 x syllables per word - 2.610 x words per
# sentence; 70-89 is "easy". A Turkish syllable is exactly one vowel.
# FOG-PL (Pisarek, used by Jasnopis) for Polish: 0.4 x (words per sentence + 100 x share of
# words with four or more syllables); up to 9 is "easy" (primary school). A Polish syllable
# is a group of vowels, "i" before a vowel only softens ("nie", "się" have one).
# Sentences and words are split as for the Dutch B1 check (tests/test_language.py).

TURKISH_VOWELS = set("aeıioöuüâîû")


def turkish_syllables(word: str) -> int:
    return max(1, sum(ch in TURKISH_VOWELS for ch in word.lower()))


def polish_syllables(word: str) -> int:
    word = re.sub(r"i(?=[aąeęoóuy])", "", word.lower())
    return max(1, len(re.findall(r"[aąeęioóuy]+", word)))


def running_sentences(lang: str) -> list[list[str]]:
    return [
        sentence
        for _dutch, translated, _fuzzy in entries(lang).values()
        if is_running_text(translated)
        for sentence in sentences(translated)
    ]


def atesman(lang: str = "tr") -> float:
    found = running_sentences(lang)
    words = [word for sentence in found for word in sentence]
    syllables = sum(turkish_syllables(word) for word in words)
    return 198.825 - 40.175 * syllables / len(words) - 2.610 * len(words) / len(found)


def fog_pl(lang: str = "pl") -> float:
    found = running_sentences(lang)
    words = [word for sentence in found for word in sentence]
    hard = sum(polish_syllables(word) >= 4 for word in words)
    return 0.4 * (len(words) / len(found) + 100 * hard / len(words))


@pytest.mark.parametrize(("word", "expected"), [
    ("değiştirebilirsiniz", 8), ("QR", 1), ("şifre", 2),
])
def test_turkish_syllable_rule(word, expected):
    assert turkish_syllables(word) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("identyfikator", 6), ("się", 1), ("pracodawców", 4), ("niedziela", 3), ("QR", 1),
])
def test_polish_syllable_rule(word, expected):
    assert polish_syllables(word) == expected


def test_turkish_reads_easily():
    assert atesman() >= 70


def test_polish_reads_easily():
    assert fog_pl() <= 9


if __name__ == "__main__":  # python -m tests.test_catalogs_tr_pl prints the figures
    for lang in LANGS:
        found = running_sentences(lang)
        words = sum(len(sentence) for sentence in found)
        print(f"{lang}: {len(found)} sentences, {words / len(found):.1f} words per sentence, "
              f"longest {max(len(sentence) for sentence in found)}")
    print(f"tr: Ateşman reading ease {atesman():.1f} (70-89 easy)")
    print(f"pl: FOG-PL {fog_pl():.1f} (up to 9 easy)")


# -- what a visitor sees, once the runtime reads the catalogs (the i18n-catalogs branch)


def _runtime_reads_catalogs() -> bool:
    from event_ops import i18n

    return "tr" in i18n.LANGUAGES and "pl" in i18n.LANGUAGES


@pytest.mark.parametrize("lang", LANGS)
async def test_sign_up_page_shows_the_translation(client, festival, lang):
    if not _runtime_reads_catalogs():
        pytest.skip("the runtime does not serve tr/pl yet (i18n-catalogs not merged)")
    response = await client.get(f"/events/werkfestival/register?lang={lang}")
    assert response.status_code == 200
    page = response.text
    assert f'lang="{lang}"' in page
    found = entries(lang)
    for key in ("field.name", "field.competencies.search", "form.submit", "nav.skip"):
        assert found[key][1] in page, key
    heading = found["form.heading"][1].format(event="Werkfestival 2.0")
    assert heading in page
    # Neither the Dutch nor the English of these texts leaks through.
    for key in ("field.competencies.search", "form.required_note"):
        assert TEXTS[key][0] not in page and TEXTS[key][1] not in page, key
