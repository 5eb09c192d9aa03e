"""Who reads which texts, and in which languages (issue #19).

Visitors (event pages, sign-up, their own page, mails, badge texts, kiosk) read Dutch,
English, Arabic, Ukrainian, Turkish or Polish; staff pages stay Dutch and English. Which
texts are a visitor's is decided by key prefix here, in one place: the translators translate
exactly these keys, and tests check that each visitor language's catalog has them all.

No texts of its own (``TEXTS`` is empty): it lives beside the texts it classifies.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {}

#: Every language a visitor may choose, Dutch (the source and the default) first.
VISITOR_LANGUAGES = ("nl", "en", "ar", "uk", "tr", "pl")
#: Staff pages (back office, door, tablets, dashboard, reports) are Dutch and English only.
STAFF_LANGUAGES = ("nl", "en")
#: Each language named in its own script, for the language menu.
LANGUAGE_NAMES = {
    "nl": "Nederlands", "en": "English", "ar": "العربية", "uk": "Українська",
    "tr": "Türkçe", "pl": "Polski",
}

#: Key prefixes of texts a visitor reads (the translators' list, and the texts the plain-Dutch
#: check in tests/test_language.py holds to B1): on a public page, on their own pages, in a
#: mail to them, on a badge, at the kiosk or on their phone at a stand.
VISITOR_PREFIXES = (
    "avail.", "done.", "edu.", "err.", "error.", "event.", "events.", "export.", "field.",
    "form.", "invite.", "kiosk.", "label.", "lang.", "legal.", "level.", "link.", "mail.",
    "me.", "nav.", "read_aloud.", "schedule.", "site.", "sms.", "summary.", "unsubscribe.",
    "stand.",  # the page on the visitor's own phone after scanning a stand's QR code
    "fu.visitor.",  # the follow-up mail to the visitor
    "pool.",  # the candidate pool on the visitor's own page (not its coach/organiser parts)
)
#: Single visitor texts under a staff prefix.
VISITOR_KEYS = frozenset({"fu.hello", "fu.bye"})  # greeting and closing of the follow-up mail
#: Under a visitor prefix, but only staff read them: a coach's and the organisers' parts of
#: the pool, the table plan organisers print, and an import error that must name the formats.
STAFF_PREFIXES = ("pool.coach.", "pool.figures.", "schedule.print.")
STAFF_KEYS = frozenset({"error.import_not_spreadsheet"})


def is_visitor_text(key: str) -> bool:
    """Does a visitor read the text ``key`` (so it needs all visitor languages and plain
    Dutch)? The one rule for this: the catalogs, ``make messages`` and the B1 check use it."""
    if key.startswith(STAFF_PREFIXES) or key in STAFF_KEYS:
        return False
    return key.startswith(VISITOR_PREFIXES) or key in VISITOR_KEYS
