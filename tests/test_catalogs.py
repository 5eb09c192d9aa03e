"""The gettext catalogs (issue #19): in sync with the (nl, en) tuples, ``make messages``
idempotent, a changed Dutch text turning a translation fuzzy, the run-time fallback to
English, the language choice, and complete catalogs for every visitor language."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from event_ops import i18n
from event_ops.catalogs import LOCALE_DIR, TRANSLATED, po_path, translated_table
from event_ops.i18n import TEXTS, choose_language, t
from event_ops.texts.audience import LANGUAGE_NAMES, VISITOR_LANGUAGES, is_visitor_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts import messages  # noqa: E402


def catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


# -- the catalogs and the tuples


def test_catalogs_are_in_sync_with_the_texts_in_code():
    """Fails when someone added or changed a (nl, en) tuple and forgot `make messages`."""
    stale = [str(path.relative_to(ROOT)) for path, content in messages.build().items()
             if not path.exists() or path.read_bytes() != content]
    assert stale == [], "run `make messages`"


def test_the_template_has_every_text_once_keyed_by_context_with_the_dutch_as_msgid():
    pot = catalog(LOCALE_DIR / "messages.pot")
    entries = {m.context: m for m in pot if m.id}
    assert set(entries) == set(TEXTS)
    register = entries["event.register"]
    assert register.id == "Aanmelden" and register.auto_comments == ["en: Sign up"]
    assert entries["event.places_left"].id == "Nog {n} plekken vrij"  # placeholders verbatim
    nl, en = catalog(po_path("nl")), catalog(po_path("en"))
    assert en.get("Aanmelden", "event.register").string == "Sign up"
    assert nl.get("Aanmelden", "event.register").string == "Aanmelden"


def test_every_catalog_says_whether_a_native_speaker_reviewed_it():
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")):
        assert messages.reviewed_of(po) in ("yes", "no"), po
        text = po.read_text(encoding="utf-8")
        start = text.index('msgid ""\nmsgstr ""')
        head = text[start:text.index("\n\n", start)]  # the header entry
        assert f'"Language: {po.parts[-3]}\\n"' in head and '"Plural-Forms: ' in head


@pytest.fixture
def locale_copy(tmp_path):
    target = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def run_messages(locale_dir: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "messages.py"), "--locale-dir", str(locale_dir),
         *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout


def test_make_messages_is_idempotent(locale_copy):
    run_messages(locale_copy, "--init", "tr")
    first = {p: p.read_bytes() for p in sorted(locale_copy.rglob("*")) if p.is_file()}
    assert "wrote" not in run_messages(locale_copy)
    second = {p: p.read_bytes() for p in sorted(locale_copy.rglob("*")) if p.is_file()}
    assert first == second
    assert any(p.suffix == ".mo" for p in second)  # compiled


def test_a_changed_dutch_text_turns_its_translation_fuzzy_and_shows_english(
        locale_copy, monkeypatch):
    shutil.rmtree(locale_copy / "pl", ignore_errors=True)  # start from an empty catalog
    messages.main(["--locale-dir", str(locale_copy), "--init", "pl", "--no-compile"])
    po = po_path("pl", locale_copy)
    pl = catalog(po)
    pl.get("Aanmelden", "event.register").string = "Zapisz się"
    pl.get("Wanneer", "event.when").string = "Kiedy"
    with po.open("wb") as handle:
        write_po(handle, pl, width=100)
    assert translated_table("pl", TEXTS, locale_copy)["event.register"] == "Zapisz się"

    monkeypatch.setitem(TEXTS, "event.register", ("Meld je aan", "Sign up"))
    messages.main(["--locale-dir", str(locale_copy), "--no-compile"])
    entry = catalog(po).get("Meld je aan", "event.register")
    assert entry.string == "Zapisz się" and entry.fuzzy  # translation kept, to be checked
    assert '#| msgid "Aanmelden"\nmsgctxt "event.register"\nmsgid "Meld je aan"' in \
        po.read_text(encoding="utf-8")  # the old Dutch, for the translator
    assert catalog(po).get("Wanneer", "event.when").string == "Kiedy"  # others untouched
    table = translated_table("pl", TEXTS, locale_copy)
    assert table["event.register"] == "Sign up"  # fuzzy: English until checked
    assert table["event.when"] == "Kiedy"
    assert table["event.where"] == "Where"  # never translated: English


def test_the_runtime_compiles_a_missing_mo_from_its_po(locale_copy):
    messages.main(["--locale-dir", str(locale_copy), "--init", "uk", "--no-compile"])
    po = po_path("uk", locale_copy)
    uk = catalog(po)
    uk.get("Wanneer", "event.when").string = "Коли"
    with po.open("wb") as handle:
        write_po(handle, uk, width=100)
    assert not po.with_suffix(".mo").exists()
    assert translated_table("uk", TEXTS, locale_copy)["event.when"] == "Коли"
    assert po.with_suffix(".mo").exists()


# -- t() and the language choice


def test_t_falls_back_to_english_for_an_untranslated_text_and_fills_placeholders(monkeypatch):
    monkeypatch.setitem(i18n._TABLES, "tr", {"event.places_left": "{n} yer kaldı"})
    assert t("event.places_left", "tr", n=3) == "3 yer kaldı"
    assert t("event.when", "tr") == "When"  # not in the table: English
    assert t("event.when", "nl") == "Wanneer" and t("event.when", "xx") == "Wanneer"
    assert t("no.such.key", "tr") == "no.such.key"
    monkeypatch.setitem(i18n._TABLES, "tr", {"event.places_left": "{m} yer kaldı"})
    assert t("event.places_left", "tr", n=3) == "3 places left"  # broken placeholder


@pytest.mark.parametrize(("explicit", "saved", "accept", "allowed", "expected"), [
    ("ar", (), "en", VISITOR_LANGUAGES, "ar"),  # the explicit choice first
    (None, ("uk", "pl"), "en", VISITOR_LANGUAGES, "uk"),  # then what was saved
    ("xx", (None, "pl"), "en", VISITOR_LANGUAGES, "pl"),  # an unknown choice does not count
    (None, (), "fr-FR,fr;q=0.9,ar;q=0.8,en;q=0.7", VISITOR_LANGUAGES, "ar"),  # q-values
    (None, (), "en;q=0.5, tr", VISITOR_LANGUAGES, "tr"),  # q defaults to 1
    (None, (), "pl;q=0, en;q=0.1", VISITOR_LANGUAGES, "en"),  # q=0 means "not this"
    (None, (), "de, fr", VISITOR_LANGUAGES, "nl"),  # nothing we have: Dutch
    ("ar", ("ar",), "ar, en;q=0.8", ("nl", "en"), "en"),  # staff page: nl or en only
    (None, (), None, VISITOR_LANGUAGES, "nl"),
])
def test_choose_language(explicit, saved, accept, allowed, expected):
    assert choose_language(explicit, saved, accept, allowed) == expected


async def test_the_language_menu_names_each_language_in_its_own_script(client, festival):
    r = await client.get("/events/werkfestival")
    for code, name in LANGUAGE_NAMES.items():
        direction = "rtl" if code == "ar" else "ltr"
        assert f'lang="{code}" dir="{direction}" hreflang="{code}"' in r.text
        assert f">{name}</a>" in r.text
    assert "العربية" in r.text and "Українська" in r.text


async def test_pages_choose_language_by_menu_cookie_and_browser(client, festival):
    r = await client.get("/events/werkfestival", headers={"accept-language": "ar,en;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in r.text
    # A staff page asked for Arabic: English or Dutch by the browser's next choice.
    r = await client.get("/login?lang=ar", headers={"accept-language": "ar,en;q=0.5"})
    assert '<html lang="en" dir="ltr">' in r.text
    assert 'lang="ar"' not in r.text.split("<main")[0]  # the menu offers nl and en only
    # The menu's choice is remembered in a cookie for pages opened without ?lang=.
    r = await client.get("/events/werkfestival?lang=uk&remember=1")
    assert r.cookies.get("lang") == "uk" or client.cookies.get("lang") == "uk"
    r = await client.get("/events/werkfestival", headers={"accept-language": "en"})
    assert '<html lang="uk" dir="ltr">' in r.text


# -- the translators' catalogs


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_visitor_text_is_translated_in_each_visitor_language(lang):
    """Must pass once the translators' catalogs are merged; skipped only while the
    catalog file of ``lang`` does not exist yet."""
    po = po_path(lang)
    if not po.exists():
        pytest.skip(f"no catalog for {lang} yet ({po.relative_to(ROOT)})")
    entries = {m.context: m for m in catalog(po) if m.id}
    missing = sorted(key for key, (dutch, _en) in TEXTS.items() if is_visitor_text(key) and (
        key not in entries or not entries[key].string or entries[key].fuzzy
        or entries[key].id != dutch))
    assert missing == []


async def test_a_visitors_own_page_opens_in_their_saved_language(client, festival, settings):
    from event_ops.links import PURPOSE_VISITOR_PAGE, make_link_token
    from event_ops.people.registration import RegistrationInput, register

    outcome = await register(festival, RegistrationInput(
        name="Olena Koval", email="olena@example.nl", consent_terms=True, language="uk"))
    token = make_link_token(settings.secret_key, PURPOSE_VISITOR_PAGE, outcome.visitor_id, 1)
    r = await client.get(f"/me/{token}", headers={"accept-language": "nl"})
    assert '<html lang="uk" dir="ltr">' in r.text
    assert 'value="uk" selected' in r.text  # the mail language menu names Українська
    r = await client.get(f"/me/{token}?lang=en")  # an explicit choice still wins
    assert '<html lang="en" dir="ltr">' in r.text
