"""``make messages``: the gettext catalogs from the ``(nl, en)`` tuples (issue #19).

1. Extract: ``event_ops/locale/messages.pot`` from every ``TEXTS`` dict (``event_ops/i18n.py``
   and ``event_ops/texts/<area>.py``): ``msgctxt`` = key, ``msgid`` = Dutch, the English as
   a translator comment, the file as location (no line numbers: they would change the
   catalog on every edit above a text).
2. ``nl.po`` and ``en.po`` written from the tuples (``msgstr`` = Dutch, English).
3. ``ar``, ``uk``, ``tr``, ``pl`` (only the texts a visitor reads: staff pages are Dutch and
   English): Babel's ``Catalog.update`` against the template, matched on
   the key (``msgctxt``): a text whose Dutch changed keeps its translation marked
   ``fuzzy`` (with the old Dutch as ``#| msgid``), so it shows in English until a
   translator checks it; a renamed key with the same Dutch keeps its translation, fuzzy.
   Header fields the translators set (``X-Reviewed-By-Native-Speaker``, ``Last-Translator``)
   stay. A language without a catalog is left alone (``--init ar`` starts an empty one).
4. Compile every ``.po`` to ``.mo`` (``--no-compile`` skips; ``--compile-only`` only does this,
   as ``make install`` and the package build do).

Idempotent: a second run changes nothing (no dates are written unless a text changed).

    python scripts/messages.py [--check] [--compile-only] [--no-compile]

``--check`` writes nothing and exits 1 when a catalog is not what the tuples give (CI).
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from babel.messages.catalog import Catalog, Message  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from event_ops.catalogs import DOMAIN, LOCALE_DIR, TRANSLATED, po_path  # noqa: E402
from event_ops.texts.audience import is_visitor_text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: The dates in the generated headers: fixed, so that a run without changes changes nothing.
_FIXED_DATE = datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC)
PROJECT = "event-ops"
#: Plural-Forms per language (CLDR/gettext); no text uses plural forms yet, but a translator's
#: tool wants the header.
PLURALS = {
    "nl": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 "
          "|| n%100>=20) ? 1 : 2);",
    "tr": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) "
          "? 1 : 2);",
}
#: The Dutch and English are the developers' own (nl is the source; en reviewed by them).
REVIEWED = {"nl": "yes", "en": "no"}
REVIEW_FIELD = "X-Reviewed-By-Native-Speaker"


def texts_by_file() -> Iterator[tuple[str, str, str, str]]:
    """(file, key, Dutch, English) for every text, in the order ``TEXTS`` holds them."""
    import importlib
    import pkgutil

    from event_ops import i18n, texts

    where: dict[str, str] = {}
    for info in pkgutil.iter_modules(texts.__path__):
        module = importlib.import_module(f"{texts.__name__}.{info.name}")
        for key in module.TEXTS:
            where[key] = f"event_ops/texts/{info.name}.py"
    for key, (dutch, english) in i18n.TEXTS.items():
        yield where.get(key, "event_ops/i18n.py"), key, dutch, english


def extract_texts(fileobj, keywords, comment_tags, options):  # noqa: ANN001 (Babel's API)
    """A Babel extraction method (``babel.cfg``: ``[extractors] texts = scripts.messages:
    extract_texts``) for ``pybabel extract``: the ``TEXTS`` dict literals of one file, as
    ``pgettext(key, dutch)`` with the English as comment."""
    import ast

    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            if (isinstance(key, ast.Constant) and isinstance(key.value, str)
                    and isinstance(value, ast.Tuple) and len(value.elts) == 2
                    and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                            for e in value.elts)):
                dutch, english = (e.value for e in value.elts)  # type: ignore[attr-defined]
                yield key.lineno, "pgettext", (key.value, dutch), [
                    f"en: {line}" for line in english.split("\n")]


def new_catalog(lang: str | None) -> Catalog:
    catalog = Catalog(locale=lang, domain=DOMAIN, project=PROJECT, version="1",
                      copyright_holder="event-ops", msgid_bugs_address="",
                      charset="utf-8", fuzzy=False)
    catalog.creation_date = catalog.revision_date = _FIXED_DATE
    return catalog


def template() -> Catalog:
    pot = new_catalog(None)
    for path, key, dutch, english in texts_by_file():
        pot.add(dutch, context=key, locations=[(path, None)],
                auto_comments=[f"en: {line}" for line in english.split("\n")])
    return pot


def own_catalog(lang: str, pot: Catalog) -> Catalog:
    """nl.po / en.po: every entry translated from the tuples."""
    catalog = new_catalog(lang)
    english = {key: en for _path, key, _nl, en in texts_by_file()}
    for message in pot:
        if message.id:
            text = message.id if lang == "nl" else english[message.context]
            catalog.add(message.id, text, context=message.context,
                        locations=message.locations, auto_comments=message.auto_comments)
    return catalog


def updated_catalog(lang: str, pot: Catalog, old: Catalog | None) -> Catalog:
    """A translators' catalog brought up to the template, matched on the key."""
    if old is None:
        old = new_catalog(lang)
    by_context = {m.context: m for m in old if m.id and m.context}
    by_dutch: dict[str, Message] = {}
    for m in old:
        if m.id and m.string:
            by_dutch.setdefault(m.id, m)
    wanted = {m.context for m in pot if m.id}
    previous: dict[str, str] = {}
    for message in pot:
        if not message.id or old.get(message.id, message.context) is not None:
            continue
        source = by_context.get(message.context)
        if source is None:  # a renamed key: the same Dutch under a key that is gone
            candidate = by_dutch.get(message.id)
            if candidate is not None and candidate.context not in wanted:
                source = candidate
        if source is None or not source.string:
            continue
        # Move the translation onto the new Dutch (or key), marked fuzzy for a translator.
        previous[message.context] = source.id
        old.add(message.id, source.string, context=message.context,
                flags={*source.flags, "fuzzy"}, user_comments=source.user_comments)
    old.update(pot, no_fuzzy_matching=True, update_header_comment=False,
               update_creation_date=False)
    old.obsolete.clear()  # a removed key's translation is not needed any more
    for message in old:
        if message.context in previous:
            message.previous_id = [previous[message.context]]
    return old




def set_headers(catalog: Catalog, lang: str) -> None:
    catalog.locale = lang  # type: ignore[assignment]
    catalog.language_team = f"{lang} <>"
    # Plural-Forms as gettext writes them (Babel's own, from CLDR, differ in spelling).
    catalog._num_plurals, catalog._plural_expr = _plural(lang)  # type: ignore[attr-defined]
    catalog.fuzzy = False


def _plural(lang: str) -> tuple[int, str]:
    forms = PLURALS[lang]
    number = int(forms.split(";")[0].split("=")[1])
    expr = forms.split("plural=", 1)[1].rstrip(";")
    return number, expr


def po_text(catalog: Catalog, lang: str | None, reviewed: str | None = None) -> bytes:
    """The .po text as ``pybabel`` writes it (width 76, as translators' tools keep it)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, omit_header=False, ignore_obsolete=True,
             include_previous=True)
    text = buffer.getvalue().decode("utf-8")
    # Babel drops header fields it does not know; ours goes after Content-Transfer-Encoding.
    if reviewed is not None:
        head, sep, rest = text.partition('"Content-Transfer-Encoding: 8bit\\n"\n')
        text = f'{head}{sep}"{REVIEW_FIELD}: {reviewed}\\n"\n{rest}'
    # Babel stamps its own version into the header; a Babel upgrade must not rewrite every
    # catalog, so the line is left out.
    text = "\n".join(line for line in text.split("\n") if not line.startswith('"Generated-By'))
    return text.encode("utf-8")


def reviewed_of(po: Path) -> str:
    """The translators' ``X-Reviewed-By-Native-Speaker`` answer ("no" when not there)."""
    # The header ends at the first entry; translators' comments before it may be long.
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt"):
            break
        if line.startswith(f'"{REVIEW_FIELD}:'):
            return line.split(":", 1)[1].strip().removesuffix('\\n"').strip()
    return "no"


def read_catalog(po: Path) -> Catalog | None:
    if not po.exists():
        return None
    with po.open("rb") as handle:
        return read_po(handle)


def build(locale_dir: Path = LOCALE_DIR, init: tuple[str, ...] = ()) -> dict[Path, bytes]:
    """Every catalog file's wanted content."""
    pot = template()
    files = {locale_dir / f"{DOMAIN}.pot": po_text(pot, None)}
    for lang in ("nl", "en"):
        catalog = own_catalog(lang, pot)
        set_headers(catalog, lang)
        files[po_path(lang, locale_dir)] = po_text(catalog, lang, REVIEWED[lang])
    # Staff pages are Dutch and English only: the translators' catalogs hold the texts a
    # visitor reads (event_ops/texts/audience.py), not the back office's.
    visitor_pot = new_catalog(None)
    for message in pot:
        if message.id and is_visitor_text(message.context):
            visitor_pot[message.id] = message
    for lang in TRANSLATED:
        po = po_path(lang, locale_dir)
        if not po.exists() and lang not in init:
            continue  # the translators add it (``--init LANG`` starts an empty one)
        old = read_catalog(po)
        kept = _translator_headers(old)
        catalog = updated_catalog(lang, visitor_pot, old)
        reviewed = reviewed_of(po) if po.exists() else "no"
        set_headers(catalog, lang)
        _restore_translator_headers(catalog, kept)
        files[po] = po_text(catalog, lang, reviewed)
    return files


def _translator_headers(old: Catalog | None) -> dict[str, object]:
    """What the translators wrote in their header: it stays as they wrote it."""
    if old is None:
        return {}
    return {"last_translator": old.last_translator, "language_team": old.language_team,
            "revision_date": old.revision_date,
            "plural": (old._num_plurals, old._plural_expr)}  # type: ignore[attr-defined]


def _restore_translator_headers(catalog: Catalog, kept: dict[str, object]) -> None:
    for name in ("last_translator", "language_team", "revision_date"):
        if kept.get(name):
            setattr(catalog, name, kept[name])
    plural = kept.get("plural")
    if isinstance(plural, tuple) and plural[0] and plural[1]:
        catalog._num_plurals, catalog._plural_expr = plural  # type: ignore[attr-defined]


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    written = []
    for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != buffer.getvalue():
            mo.write_bytes(buffer.getvalue())
            written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--compile-only", action="store_true")
    parser.add_argument("--no-compile", action="store_true")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    parser.add_argument("--init", action="append", default=[], choices=TRANSLATED,
                        help="start an empty catalog for this language")
    args = parser.parse_args(argv)
    if not args.compile_only:
        stale = []
        for path, content in build(args.locale_dir, tuple(args.init)).items():
            if not path.exists() or path.read_bytes() != content:
                stale.append(path)
                if not args.check:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(content)
        for path in stale:
            print(f"{'out of date' if args.check else 'wrote'}: {path}")
        if args.check and stale:
            print("run `make messages`", file=sys.stderr)
            return 1
    if not args.check and not args.no_compile:
        for mo in compile_all(args.locale_dir):
            print(f"compiled: {mo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
