"""Issue 12 #1: the sign-up form never shows what we hold about an address someone types.

For an address that belongs to a visitor already, the confirmation page has no badge, no
stored name and no sign-up status: one neutral "check your e-mail" page, the same whether
the address was signed up for this event before or not. No confirmation page links to the
visitor's own page: that link goes to the mailbox only.
"""

from __future__ import annotations

import re

from event_ops.core.db import current_engine
from event_ops.people.registration import RegistrationInput, register


def _main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


async def _submit(client, slug: str, name: str, email: str):
    await client.get(f"/events/{slug}/register")
    return await client.post(
        f"/events/{slug}/register",
        data={"name": name, "email": email, "consent_terms": "yes", "language": "nl"},
        headers={"x-csrftoken": client.cookies.get("csrftoken")},
        follow_redirects=True,
    )


async def test_form_with_a_known_address_shows_no_badge_and_no_stored_data(
    client, festival, small_event
):
    await register(festival, RegistrationInput(
        name="Vera Victimson", email="vera@example.nl", consent_terms=True,
        consent_share_profile=True))

    # Another event, someone else's address: a neutral page, nothing stored is shown.
    r = await _submit(client, "zorg-matching", "Attacker", "vera@example.nl")
    assert r.status_code == 200, r.text
    page = _main(r.text)
    assert "Kijk in je e-mail" in page
    assert "/badges/" not in r.text and "/me/" not in r.text
    assert "Vera" not in r.text and "Victimson" not in r.text
    assert "wachtlijst" not in page and "aangemeld!" not in page
    names = await current_engine().fetch("SELECT name FROM visitor")
    assert [n["name"] for n in names] == ["Vera Victimson"]  # not overwritten
    regs = await current_engine().fetch(
        "SELECT r.id FROM registration r JOIN event e ON e.id = r.event"
        " WHERE e.slug = 'zorg-matching'")
    mails = await current_engine().fetch(
        "SELECT recipient FROM outbox_mail WHERE registration_id = ?", [regs[0]["id"]])
    assert [m["recipient"] for m in mails] == ["vera@example.nl"]  # the badge goes there

    # The same address again for the same event: the very same page, not "already
    # signed up" (the page does not tell anyone who is signed up for what).
    again = await _submit(client, "zorg-matching", "Attacker", "vera@example.nl")
    assert again.status_code == 200
    assert _main(again.text) == page
    other = await _submit(client, "werkfestival", "Vera Victimson", "VERA@example.nl")
    assert other.status_code == 200 and "Kijk in je e-mail" in _main(other.text)
    assert "/badges/" not in other.text and "Victimson" not in other.text

    # A brand-new address still gets its badge straight away.
    fresh = await _submit(client, "werkfestival", "Nieuw Mens", "nieuw@example.nl")
    assert fresh.status_code == 200 and "/badges/" in fresh.text


async def test_confirmation_page_never_links_to_the_visitors_own_page(client, festival):
    """Whoever types an address first must not keep a key to what its owner stores later:
    the own-page link shows every later sign-up with its badge and the profile the owner
    fills in. It goes to the mailbox only, also for a brand-new address."""
    r = await _submit(client, "werkfestival", "Eerste Typer", "owner@example.nl")
    assert r.status_code == 200 and "/badges/" in r.text
    assert "/me/" not in r.text
