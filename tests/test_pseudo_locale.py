"""No hard-coded text on any page (issue #19): a pseudo-locale run over every page.

A pseudo locale is made in the test (never shipped) from the template ``messages.pot``:
every text becomes "⟦ŵéĺķöɱ {name}⟧" — each ASCII letter swapped for an accented one,
``{placeholders}`` kept, wrapped in markers. Every GET page of the app (its own route table;
staff pages with an organiser admin logged in, visitor pages with a visitor's link) is
rendered with it; any visible text, ``title``, ``aria-label``, ``placeholder``, ``alt`` or
``value`` of a button that still holds a plain ASCII word did not come from a catalog — unless
it is data from the seed (names, places, e-mail addresses, the event's name), listed below.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from litestar.routes import HTTPRoute

from event_ops import i18n
from event_ops.catalogs import LOCALE_DIR, translated_table
from event_ops.pool.rules import POOL_WORDING_VERSION
from event_ops.privacy.legal import TEXTS as LEGAL_DIR
from event_ops.texts.audience import LANGUAGE_NAMES
from tests.helpers import open_event, signed_in, visitor

PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
PSEUDO = "àƀçďéƒĝĥîĵķĺɱñöþǫŕšţüṽŵẋýžÀɃÇĎÉƑĜĤÎĴĶĹⱮÑÖÞǪŔŠŢÜṼŴẊÝŽ"
_SWAP = str.maketrans(PLAIN, PSEUDO)
_KEEP = re.compile(r"(\{[a-z_0-9]*\}|<[^>]*>|&[a-z]+;)")


def pseudo(text: str) -> str:
    """"Aanmelden voor {event}" → "⟦Ààñɱéĺďéñ ṽöör {event}⟧"."""
    parts = _KEEP.split(text)
    return "⟦" + "".join(p if _KEEP.fullmatch(p) else p.translate(_SWAP) for p in parts) + "⟧"


def pseudo_catalog(tmp_path) -> dict[str, str]:
    """The pseudo locale as a compiled catalog in ``tmp_path``, read back like any other."""
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        catalog = read_po(handle, locale="pl")
    for message in catalog:
        if message.id:
            message.string = pseudo(message.id)
    target = tmp_path / "pl" / "LC_MESSAGES"
    target.mkdir(parents=True)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    (target / "messages.mo").write_bytes(buffer.getvalue())
    return translated_table("pl", i18n.TEXTS, tmp_path)


class Visible(HTMLParser):
    """Visible text and the attributes people read (or hear from a screen reader)."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        values = dict(attrs)
        for name in self.ATTRIBUTES:
            if values.get(name):
                self.found.append(f"@{name}: {values[name]}")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.found.append(f"@value: {values['value']}")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.found.append(data.strip())


WORD = re.compile(r"[A-Za-z]{2,}")
#: Not words: addresses, paths, numbers, identifiers shown as they are (audit actions
#: "registration.created", fields "contact_email:", versions "terms:2026-12-v1"), a TOTP
#: key, a shell command line.
EMAIL_OR_URL = re.compile(
    r"\S+@\S+|https?://\S+|/[\w/.-]+|\b\d[\w:.-]*|\b\w+[._:]\S*|\b[A-Z2-7]{32}\b"
    r"|\bchromium --.*")
#: Words that are data, not texts: the seed's names and places, the languages' own names,
#: brand-like words shown as they are. Grows only with data, never with a sentence.
DATA_WORDS = {
    "Event", "festival", "today", "Groningen", "Sara", "Bakker", "Ahmed", "Yilmaz",
    "Zorgpunt", "Stand", "QR", "ID", "PDF", "CSV", "XLSX", "JSON", "TOTP", "nl", "en",
    "Organiser", "Admin",  # the staff account's name (tests/helpers.py signed_in)
    "Kiosk", "printing",  # Chromium's own option name, quoted in the print-station help
    # The audit log shows what a row is about as stored: subject types.
    "account", "registration", "employer", "organisation", "cli",
    # Column names of the import files (CSV/XLSX headers a spreadsheet must carry).
    "name", "email", "phone", "coach", "language", "consents", "stand", "sector", "skills",
    "kvk", "nice_skills",
    # A wording version as recorded with the consent (event_ops/pool/rules.py), shown as is.
    *WORD.findall(POOL_WORDING_VERSION),
    *{w for name in LANGUAGE_NAMES.values() for w in WORD.findall(name)},
}


#: Data that is not text of the app: the programme and report targets a migration seeds
#: (organisers edit them in the back office), shown as typed.
DATA_PHRASES = ("Perspectief op Werk", "16 matchingsdagen en het Werkfestival 2.0.",
                "Festival: directe matches", "Festival: matches voor later contact",
                "Festival: matches op opleiding", "Matchingsdagen: matches",
                "Matchingsdagen: extra opleidingen")


def leaks(html: str, data_words: set[str]) -> list[str]:
    # The terms and the privacy statement are versioned documents (consents name their
    # version; event_ops/privacy/texts), not catalog texts: left out, by their wrapper.
    html = re.sub(r'<div class="legal-document".*?</div>', "", html, flags=re.S)
    for document in LEGAL_DIR.glob("*.md"):
        title = document.read_text("utf-8").split("\n")[0].removeprefix("# ")
        html = html.replace(f"<title>{title}", "<title>")
    for phrase in DATA_PHRASES:
        html = html.replace(phrase, "")
    parser = Visible()
    parser.feed(html)
    found = []
    for text in parser.found:
        shown = text.split(": ", 1)[1] if text.startswith("@") else text
        words = [w for w in WORD.findall(EMAIL_OR_URL.sub(" ", shown)) if w not in data_words]
        if words:
            found.append(text[:120])
    return found


def page_routes(app) -> list[str]:
    paths = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(("/api", "/static")):
            continue
        if route.path in ("/health", "/metrics", "/sw.js", "/schema") or "{path" in route.path:
            continue
        if any("GET" in handler.http_methods for handler in route.route_handlers):
            paths.append(route.path)
    return sorted(set(paths))


#: Pages whose answer is a file (CSV, XLSX, JSON, PDF, image), not HTML.
FILES = re.compile(r"\.(csv|xlsx|json|pdf|png)$|/label/|/export\.json$")
_PARAM = re.compile(r"\{(\w+):\w+\}")


@pytest.fixture
async def pseudo_locale(tmp_path, monkeypatch):
    """Every text of every language replaced by its pseudo text, for this test only."""
    table = pseudo_catalog(tmp_path)
    pseudo_texts = {key: (table[key], table[key]) for key in i18n.TEXTS}
    monkeypatch.setattr(i18n, "TEXTS", pseudo_texts)
    monkeypatch.setitem(i18n._TABLES, "pl", table)
    yield table


async def test_every_page_shows_only_catalog_texts(client, pseudo_locale, settings):
    from event_ops.employers.service import add_employer
    from event_ops.links import PURPOSE_STAND, PURPOSE_VISITOR_PAGE, make_link_token

    event = await open_event("festival-today")
    first = await visitor(event, 1, name="Sara Bakker")
    await visitor(event, 2, name="Ahmed Yilmaz")
    employer = await add_employer(event, name="Zorgpunt", stand_label="Stand 1")
    staff = await signed_in("organiser_admin", [event])
    me = make_link_token(settings.secret_key, PURPOSE_VISITOR_PAGE, first.visitor_id, 1)
    stand = make_link_token(settings.secret_key, PURPOSE_STAND, employer.id)
    values = {"slug": event.slug, "event_slug": event.slug, "registration_id":
              str(first.registration_id), "event_id": str(event.id),
              "employer_id": str(employer.id), "fmt": "html"}
    data_words = set(DATA_WORDS) | set(WORD.findall(f"{event.name} {event.location}"))
    # The competency taxonomy is data (hundreds of names from a CSV, with their own nl/en
    # columns), not texts of the app: its names are allowed as they are.
    from event_ops.taxonomy.service import competencies_by_code

    for item in (await competencies_by_code()).values():
        data_words |= set(WORD.findall(f"{item.name('nl')} {item.name('en')}"))

    problems: dict[str, list[str]] = {}  # text → pages
    checked = 0
    for template in page_routes(client._transport.app):  # type: ignore[attr-defined]
        def fill(match: re.Match, template: str = template) -> str:
            name = match.group(1)
            if name == "token":
                return me if template.startswith("/me/") else stand if \
                    template.startswith("/s/") else "not-a-token"
            return values.get(name, "1")

        path = _PARAM.sub(fill, template)
        if FILES.search(path):
            continue
        for lang in ("nl", "pl"):
            r = await client.get(f"{path}?lang={lang}", headers=staff)
            if "text/html" not in r.headers.get("content-type", ""):
                continue
            checked += 1
            for text in leaks(r.text, data_words):
                problems.setdefault(text, []).append(f"{template} ({lang}, {r.status_code})")
    assert checked > 40
    assert {text: pages[:3] for text, pages in problems.items()} == {}
