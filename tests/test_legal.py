"""Issue 13.4: terms and a privacy statement people can read, linked from the form, the mails
and the visitor's page, versioned with the consent records."""

from __future__ import annotations

import re

import msgspec
import pytest

from event_ops.core.db import current_engine
from event_ops.mail.outbox import send_due
from event_ops.mail.render import visitor_page_url
from event_ops.privacy.legal import DEFAULT_VERSION, KINDS, default_text, publish_text
from tests import test_language as lang_rules
from tests.helpers import open_event, visitor


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_terms_and_privacy_pages_say_what_the_code_does(client, db, lang):
    terms = await client.get(f"/terms?lang={lang}")
    privacy = await client.get(f"/privacy?lang={lang}")
    assert terms.status_code == privacy.status_code == 200
    assert f'data-version="{DEFAULT_VERSION}"' in terms.text
    title = re.search(r"<title>(.*?)</title>", privacy.text).group(1)
    assert title == ("Privacyregels" if lang == "nl" else "Privacy statement")
    text = privacy.text
    if lang == "nl":
        for heading in ("Wat we van je bewaren", "Waarom", "Wie je gegevens ziet",
                        "Hoe lang we je gegevens bewaren", "Jouw rechten"):
            assert f"<h2>{heading}</h2>" in text
        assert "tot 12 maanden na het laatste evenement" in text  # the retention purge
    else:
        for heading in ("What we keep", "Why", "Who sees your data",
                        "How long we keep your data", "Your rights"):
            assert f"<h2>{heading}</h2>" in text
        assert "until 12 months after the last event" in text
    assert 'href="/me/new-link' in text


def test_legal_texts_are_plain_language():
    """The same B1 rules as every visitor text (tests/test_language.py)."""
    for kind in KINDS:
        doc = default_text(kind, "nl")
        # A proper name may keep its word: the regulator is called this.
        body = doc.body.replace("Autoriteit Persoonsgegevens", "toezichthouder")
        plain = "\n".join(line.lstrip("#- ").strip() for line in body.splitlines())
        for words in lang_rules.sentences(plain):
            assert len(words) <= lang_rules.MAX_SENTENCE_WORDS, " ".join(words)
        for pattern, instead in lang_rules.BANNED.items():
            assert not re.search(pattern, plain, re.IGNORECASE), f"{pattern}: {instead}"
        assert not lang_rules.PASSIVE.search(plain)
        assert not lang_rules.FORMAL_YOU.search(plain)
        ease = lang_rules.figures([line for line in plain.splitlines() if line])["reading_ease"]
        assert ease >= lang_rules.MIN_READING_EASE
        assert default_text(kind, "en").title


async def test_form_mail_and_visitor_page_link_to_both_texts(client, db, settings, smtp_server):
    event = await open_event()
    form = await client.get(f"/events/{event.slug}/register")
    consent = form.text.split('id="consent_terms"')[1].split("</div>")[0]
    assert 'href="/terms?lang=nl"' in consent and 'href="/privacy?lang=nl"' in consent
    v = await visitor(event, 1)
    page = visitor_page_url(settings, v.visitor_id, 1).removeprefix("http://127.0.0.1:8000")
    me = await client.get(page)
    assert 'href="/terms?lang=nl"' in me.text and 'href="/privacy?lang=nl"' in me.text
    url, sink = smtp_server
    await send_due(msgspec.structs.replace(settings, smtp_url=url))
    body = sink.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert f"{settings.base_url}/terms?lang=nl" in body
    assert f"{settings.base_url}/privacy?lang=nl" in body


async def test_consent_records_name_the_versions_accepted(client, db, settings):
    event = await open_event()
    await visitor(event, 1)
    db_ = current_engine()
    rows = await db_.fetch("SELECT kind, documents FROM consent_record ORDER BY id")
    assert {r["kind"] for r in rows} == {"terms", "share_profile"}
    expected = f"terms:{DEFAULT_VERSION} privacy:{DEFAULT_VERSION}"
    assert all(r["documents"] == expected for r in rows)

    # A new privacy text: new sign-ups accept it, the old one stays readable by version.
    await publish_text("privacy", "2027-01-v2", "nl", "Privacyregels",
                       "## Nieuw\n\nWe bewaren minder.")
    await visitor(event, 2)
    newest = await db_.fetch("SELECT documents FROM consent_record ORDER BY id DESC LIMIT 1")
    assert newest[0]["documents"] == f"terms:{DEFAULT_VERSION} privacy:2027-01-v2"
    current = await client.get("/privacy?lang=nl")
    assert "We bewaren minder." in current.text and 'data-version="2027-01-v2"' in current.text
    old = await client.get(f"/privacy?lang=nl&version={DEFAULT_VERSION}")
    assert "Wat we van je bewaren" in old.text
    assert (await client.get("/privacy?version=nope")).status_code == 404
    # The visitor sees which versions they accepted on their data page.
    v1 = (await db_.fetch("SELECT id FROM visitor WHERE email = 'v1@example.nl'"))[0]["id"]
    data = await client.get(visitor_page_url(settings, v1, 1).removeprefix(
        "http://127.0.0.1:8000") + "/export.json")
    assert data.json()["consents"][0]["documents"] == expected
