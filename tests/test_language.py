"""Every Dutch text a visitor reads is at B1 level (issue #7), and every text has both languages.
The texts are read from the Dutch catalog ``event_ops/locale/nl/LC_MESSAGES/messages.po``.

Our visitors include long-term unemployed people, refugees with a residence permit, people
with a disability and school leavers, so the Dutch must be B1 (taalniveau 1F/2F). A reviewer
cannot read 500 texts on every change; these checks catch the usual slips: long sentences,
hard words, officialese, the passive voice, "u" instead of "je", a text without its English.

How the figures are measured (``python -m tests.test_language`` prints them):

* Text: the Dutch of one key. A ``{placeholder}`` counts as one word of two syllables (a first
  name, a number, a time). Running text is a text with a sentence mark (. ! ? …); labels and
  headings such as "Opslaan" are not running text and are left out of the averages, because
  one-word labels would make the averages look easier than the sentences are.
* Sentence: ends at . ! ? … followed by a space, or at a line break. A colon does not end a
  sentence, so "Opgeslagen: {employer} ziet dat je interesse hebt." is one sentence.
* Word: a piece between spaces with at least one letter or digit ("e-mail", "QR-code", "06").
* Syllables (Dutch vowel-group rule): "ij" counts as one vowel; every run of vowels
  (a e i o u y, also with accents) is one syllable, except that a vowel with a diaeresis
  (ë ï ö ü ä) starts a new one ("geïnteresseerd" = ge-ïn-te-res-seerd = 5, "ideeën" = 3). A word
  without vowels ("06", "QR") is one syllable. The rule is right for Dutch words; for English
  loan words it mostly counts one syllable too many ("badge" 2, "online" 3), which makes
  the score a little lower, never higher.
* Flesch–Douma reading ease: 206.84 − 0.77 × syllables per 100 words − 0.93 × words per
  sentence. 60–70 is "normal" Dutch, 70–80 "fairly easy"; B1 texts usually score 60 or more.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from event_ops.catalogs import po_path
from event_ops.texts.audience import is_visitor_text

ROOT = Path(__file__).resolve().parent.parent


def catalog_texts() -> dict[str, tuple[str, str]]:
    """key → (Dutch, English) as the Dutch catalog (nl.po) and en.po hold them (issue #19:
    the B1 check reads what translators and the pages get; tests/test_catalogs.py fails
    when the catalogs lag behind the tuples in code)."""
    with po_path("nl").open("rb") as nl_file, po_path("en").open("rb") as en_file:
        dutch, english = read_po(nl_file), read_po(en_file)
    return {m.context: (m.string, english.get(m.id, m.context).string)
            for m in dutch if m.id and m.context}


TEXTS = catalog_texts()

#: No sentence a visitor reads is longer than this. B1 advice (Direct Duidelijk, Stichting
#: Makkelijk Lezen) is to aim for 15 words or fewer; we allow 15 because a placeholder such
#: as an event name may stand for two or three words, so a sentence of 15 counted words can
#: be 17 real words, which is still fine to read.
MAX_SENTENCE_WORDS = 15
#: Staff texts may keep a few necessary terms, but no sentence is longer than this.
MAX_STAFF_SENTENCE_WORDS = 20
#: Average sentence length over all visitor running text. B1 texts average 8–12 words.
MAX_AVERAGE_SENTENCE_WORDS = 10.0
#: Flesch–Douma over all visitor running text taken together (70 = "fairly easy"), and for
#: each page or mail and each long text (60 = the usual lower bound for B1).
MIN_READING_EASE = 70.0
MIN_READING_EASE_LONG_TEXT = 60.0
#: A "long" text: at least this many words. Shorter texts are too small for a stable score.
LONG_TEXT_WORDS = 15

#: What a visitor reads in one go: the texts of a page or a mail, in the order they appear.
#: Key prefixes end with a dot; the running text of the keys is scored together.
DOCUMENTS = {
    "events list and event page": ("events.", "event."),
    "sign-up form, its errors, confirmation page": ("form.", "field.", "err.", "done."),
    "visitor page /me and privacy": ("me.", "export.", "schedule."),
    "terms, privacy and the lost-link page": ("legal.", "link.request."),
    "mail with a new link": ("mail.hello", "mail.link.", "mail.legal"),
    "stand page on the visitor's phone": ("stand.",),
    "confirmation mail": ("mail.hello", "mail.registered", "mail.when_where", "mail.badge",
                          "mail.my_page", "mail.calendar", "mail.bye"),
    "waiting-list mail": ("mail.hello", "mail.waiting_list", "mail.when_where", "mail.my_page",
                          "mail.bye"),
    "follow-up mail to a visitor": ("mail.hello", "fu.visitor.", "mail.my_page", "fu.bye"),
    "error pages": ("error.",),
}

#: Words visitors should not have to know, with what to write instead. Checked as
#: case-insensitive regular expressions on the visitor texts.
BANNED = {
    r"token": "code of link",
    r"authenticat": "inloggen, inlogcode",
    r"retentie": "hoe lang we iets bewaren",
    r"consent": "toestemming",
    r"\bderden\b": "andere bedrijven of mensen",
    r"profielgegevens": "je profiel",
    r"persoonsgegevens": "je gegevens",
    r"gegevensverwerking|\bverwerk": "gebruiken, bewaren",
    r"\bavg\b": "privacywet, of laat weg",
    r"privacybeleid|privacyverklaring": "privacyregels",
    r"\bjson\b|\bcsv\b|\bxlsx\b": "bestand",
    r"export": "downloaden",
    r"\bsync|synchronis": "versturen",
    r"valid": "goed, klopt",
    r"registratie|registreren": "aanmelding, aanmelden",
    r"notificatie": "bericht",
    r"ongedaan": "terugdraaien, terugzetten",
    r"aanbevel|aanbevol": "passen bij jou, tip",
    r"\bindien\b": "als",
    r"\bteneinde\b|\bopdat\b": "om, zodat",
    r"\bmiddels\b|\bdoor middel van\b|d\.m\.v\.": "met",
    r"\bdient\b|\bdienen te\b": "moet",
    r"\binzake\b|\bbetreffende\b|\bdesbetreffende\b|\bten behoeve van\b": "over, voor",
    r"\balsmede\b|\bevenals\b": "en, ook",
    r"\bconform\b|\bovereenkomstig\b": "volgens",
    r"\bi\.v\.m\.|\bm\.b\.t\.|\bt\.a\.v\.": "schrijf het woord uit",
}

#: Passive voice: B1 texts say who does what ("we sturen", not "er wordt gestuurd").
PASSIVE = re.compile(r"\b(wordt|worden|werd|werden)\b", re.IGNORECASE)
#: Visitors are addressed with "je", never with the formal "u".
FORMAL_YOU = re.compile(r"\b(u|uw)\b", re.IGNORECASE)

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDER_STAND_IN = "Sanne"  # one word, two syllables
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
VOWELS = set("aeiouyáàâéèêíìîóòôúùû")
DIAERESIS = set("äëïöü")


def is_visitor_key(key: str) -> bool:
    """The one rule of who reads what (event_ops/texts/audience.py)."""
    return is_visitor_text(key)


def visitor_keys() -> list[str]:
    return [k for k in TEXTS if is_visitor_key(k)]


def staff_keys() -> list[str]:
    return [k for k in TEXTS if not is_visitor_key(k)]


def sentences(text: str) -> list[list[str]]:
    """The words of each sentence, placeholders replaced by a stand-in word."""
    text = PLACEHOLDER.sub(PLACEHOLDER_STAND_IN, text)
    result = []
    for part in SENTENCE_END.split(text):
        words = [w for w in part.split() if re.search(r"\w", w)]
        if words:
            result.append(words)
    return result


def syllables(word: str) -> int:
    word = word.lower().replace("ij", "y")
    count, previous_vowel = 0, False
    for ch in word:
        if ch in DIAERESIS:
            count, previous_vowel = count + 1, True
        elif ch in VOWELS:
            count += not previous_vowel
            previous_vowel = True
        else:
            previous_vowel = False
    return max(count, 1)


def is_running_text(text: str) -> bool:
    return re.search(r"[.!?…]", PLACEHOLDER.sub("", text)) is not None


def figures(texts: list[str]) -> dict[str, float]:
    """Sentences, words, syllables, averages and Flesch–Douma over ``texts`` taken together."""
    sents = [s for text in texts for s in sentences(text)]
    words = [w for s in sents for w in s]
    n_syll = sum(syllables(w) for w in words)
    if not words:
        return {"texts": len(texts), "sentences": 0, "words": 0, "syllables": 0,
                "words_per_sentence": 0.0, "syllables_per_word": 0.0, "reading_ease": 0.0,
                "longest_sentence": 0}
    wps = len(words) / len(sents)
    spw = n_syll / len(words)
    return {
        "texts": len(texts), "sentences": len(sents), "words": len(words), "syllables": n_syll,
        "words_per_sentence": wps, "syllables_per_word": spw,
        "reading_ease": 206.84 - 0.77 * 100 * spw - 0.93 * wps,
        "longest_sentence": max(len(s) for s in sents),
    }


def dutch(keys: list[str]) -> list[str]:
    return [TEXTS[k][0] for k in keys]


def document_keys(parts: tuple[str, ...]) -> list[str]:
    keys = []
    for part in parts:
        if part.endswith("."):
            keys += [k for k in visitor_keys() if k.startswith(part)]
        else:
            keys.append(part)
    return keys


def long_keys(keys: list[str]) -> list[str]:
    return [k for k in keys if figures([TEXTS[k][0]])["words"] >= LONG_TEXT_WORDS]


# -- the measuring rules themselves


@pytest.mark.parametrize(("word", "expected"), [
    ("aangemeld", 3), ("evenement", 4), ("wachtlijst", 2), ("bijlage", 3), ("mij", 1),
    ("geïnteresseerd", 5), ("ideeën", 3), ("e-mail", 2), ("organisatie", 5),
    ("toestemming", 3), ("uitnodiging", 4), ("je", 1), ("06", 1), ("Nederlands", 3),
])
def test_dutch_syllable_rule(word, expected):
    assert syllables(word) == expected


def test_sentences_split_on_marks_and_line_breaks_not_on_colons_or_addresses():
    assert [len(s) for s in sentences("Wanneer: {when}\nWaar: {where}")] == [2, 2]
    assert [len(s) for s in sentences("Dit klopt niet. Bijvoorbeeld: naam@voorbeeld.nl")] == [3, 2]
    assert [len(s) for s in sentences("Komt er een plek vrij? Dan mailen we je!")] == [5, 4]


def test_reading_ease_formula_matches_flesch_douma():
    # je bent aan-ge-meld. tot dan: 2 sentences, 5 words, 7 syllables
    got = figures(["Je bent aangemeld. Tot dan!"])
    assert got["words"] == 5 and got["sentences"] == 2 and got["syllables"] == 7
    assert got["reading_ease"] == pytest.approx(206.84 - 0.77 * 140 - 0.93 * 2.5)


def test_visitor_key_list_covers_the_visitor_pages():
    keys = set(visitor_keys())
    for key in ("field.consent_share_profile.hint", "me.erase_hint", "mail.my_page",
                "fu.visitor.private", "error.link_invalid", "stand.open_link_first",
                "schedule.prefs.intro"):
        assert key in keys
    for key in ("door.r.ok", "tablet.r.nokeys_hint", "schedule.print.draft", "totp.step1",
                "fu.checkpoint.intro", "pool.coach.heading", "pool.figures.heading"):
        assert key not in keys


# -- both languages, same placeholders


def test_texts_have_no_duplicate_keys():
    """A key written twice in TEXTS silently loses the first text."""
    tree = ast.parse((ROOT / "event_ops" / "i18n.py").read_text(encoding="utf-8"))
    texts = next(node.value for node in ast.walk(tree)
                 if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "TEXTS")
    keys = [k.value for k in texts.keys]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []


def test_every_key_has_dutch_and_english_with_the_same_placeholders():
    problems = []
    for key, pair in TEXTS.items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(
                isinstance(s, str) and s.strip() for s in pair)):
            problems.append(f"{key}: needs a Dutch and an English text")
            continue
        nl, en = (sorted(set(PLACEHOLDER.findall(s))) for s in pair)
        if nl != en:
            problems.append(f"{key}: placeholders nl {nl} en {en}")
        for lang, text in zip(("nl", "en"), pair, strict=True):
            if re.search(r"[{}]", PLACEHOLDER.sub("", text)):
                problems.append(f"{key} ({lang}): a brace that is not a {{placeholder}}")
            if text != text.strip():
                problems.append(f"{key} ({lang}): space at the start or end")
    assert problems == []


def test_validation_messages_map_back_from_english():
    """Page scripts turn the API's English field errors back into the page language
    (app/pages/common.py ``_errors``), so two err.* texts may not share their English."""
    english = [TEXTS[k][1] for k in TEXTS if k.startswith("err.")]
    assert sorted({e for e in english if english.count(e) > 1}) == []


def test_every_literal_key_used_in_code_exists():
    """``t()`` shows a missing key as the key itself ("me.heading"), which a visitor
    must never see. Keys built at run time ("me.status." ~ status) are not checked here."""
    used: dict[str, str] = {}
    pattern = re.compile(r"""\btr?\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
    files = [*ROOT.glob("templates/*.html"), *ROOT.glob("static/js/*.js"),
             *ROOT.glob("app/**/*.py"), *ROOT.glob("event_ops/**/*.py"), *ROOT.glob("badges/*.py")]
    for path in files:
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(ROOT)))
    missing = {k: where for k, where in used.items() if k not in TEXTS}
    assert missing == {}


# -- B1: visitor texts


def test_no_visitor_sentence_is_too_long():
    long = {k: " ".join(s) for k in visitor_keys() for s in sentences(TEXTS[k][0])
            if len(s) > MAX_SENTENCE_WORDS}
    assert long == {}


def test_no_staff_sentence_is_too_long():
    long = {k: " ".join(s) for k in staff_keys() for s in sentences(TEXTS[k][0])
            if len(s) > MAX_STAFF_SENTENCE_WORDS}
    assert long == {}


def test_visitor_sentences_are_short_on_average():
    running = [t for t in dutch(visitor_keys()) if is_running_text(t)]
    assert figures(running)["words_per_sentence"] <= MAX_AVERAGE_SENTENCE_WORDS


def test_visitor_texts_together_are_easy_to_read():
    running = [t for t in dutch(visitor_keys()) if is_running_text(t)]
    assert figures(running)["reading_ease"] >= MIN_READING_EASE


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_visitor_page_and_mail_is_easy_to_read(name):
    keys = document_keys(DOCUMENTS[name])
    assert keys and all(k in TEXTS and is_visitor_key(k) for k in keys)
    running = [t for t in dutch(keys) if is_running_text(t)]
    assert figures(running)["reading_ease"] >= MIN_READING_EASE_LONG_TEXT


def test_each_long_visitor_text_is_easy_to_read():
    keys = long_keys(visitor_keys())
    assert len(keys) >= 10  # the check must actually look at something
    hard = {k: round(figures([TEXTS[k][0]])["reading_ease"], 1) for k in keys
            if figures([TEXTS[k][0]])["reading_ease"] < MIN_READING_EASE_LONG_TEXT}
    assert hard == {}


def test_visitor_texts_use_no_jargon():
    found = {}
    for key in visitor_keys():
        for pattern, instead in BANNED.items():
            if re.search(pattern, TEXTS[key][0], re.IGNORECASE):
                found[key] = f"{pattern!r}: write {instead!r}"
    assert found == {}


def test_badge_words_use_no_jargon():
    """The badge renderer has its own few words (badges/render.py), printed for the visitor."""
    from badges.render import _WORDS

    found = {w: p for w in _WORDS["nl"].values() for p in BANNED if re.search(p, w, re.I)}
    assert found == {}
    assert set(_WORDS["nl"]) == set(_WORDS["en"])


def test_visitor_texts_are_active_and_say_je():
    found = {k: TEXTS[k][0] for k in visitor_keys()
             if PASSIVE.search(TEXTS[k][0]) or FORMAL_YOU.search(TEXTS[k][0])}
    assert found == {}


def report() -> str:
    """The figures, for a reviewer or a pull request."""
    lines = []
    groups = {"visitor": visitor_keys(), "staff": staff_keys()}
    for name, keys in groups.items():
        texts = dutch(keys)
        for label, sample in (("all texts", texts),
                              ("running text", [t for t in texts if is_running_text(t)])):
            f = figures(sample)
            lines.append(
                f"{name:7} {label:12}: {f['texts']:3} texts, {f['sentences']:3} sentences, "
                f"{f['words']:4} words, {f['words_per_sentence']:.1f} words/sentence, "
                f"{f['syllables_per_word']:.2f} syllables/word, longest {f['longest_sentence']}, "
                f"Flesch-Douma {f['reading_ease']:.1f}")
        longest = max((len(s), k) for k in keys for s in sentences(TEXTS[k][0]))
        lines.append(f"{name:7} longest sentence: {longest[0]} words ({longest[1]})")
    for name, parts in DOCUMENTS.items():
        f = figures([t for t in dutch(document_keys(parts)) if is_running_text(t)])
        lines.append(f"  {name}: {f['words']} words, {f['words_per_sentence']:.1f} words/sentence,"
                     f" Flesch-Douma {f['reading_ease']:.1f}")
    scores = sorted((figures([TEXTS[k][0]])["reading_ease"], k) for k in long_keys(visitor_keys()))
    lines.append(f"visitor long texts (>= {LONG_TEXT_WORDS} words): {len(scores)}, lowest "
                 + ", ".join(f"{k} {s:.1f}" for s, k in scores[:5]))
    over = [(len(s), k) for k in visitor_keys() for s in sentences(TEXTS[k][0])
            if len(s) > MAX_SENTENCE_WORDS]
    lines.append(f"visitor sentences over {MAX_SENTENCE_WORDS} words: {len(over)}")
    jargon = sorted({k for k in visitor_keys() for p in BANNED
                     if re.search(p, TEXTS[k][0], re.IGNORECASE)})
    lines.append(f"visitor texts with banned words: {len(jargon)} {jargon}")
    passive = sorted(k for k in visitor_keys() if PASSIVE.search(TEXTS[k][0]))
    lines.append(f"visitor texts with passive 'worden': {len(passive)} {passive}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
