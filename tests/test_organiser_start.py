"""The organiser's start page (/organiser, where logging in lands) leads into the back
office: an admin of a fresh install is told to make the first event and gets links to the
programmes, events, employers and accounts; staff get only what they may open."""

from __future__ import annotations

from tests.helpers import open_event, signed_in


async def test_a_fresh_admin_finds_the_back_office_from_the_start_page(client, db):
    page = await client.get("/organiser", headers=await signed_in("organiser_admin"))
    assert page.status_code == 200
    assert "Er zijn nog geen evenementen. Maak het eerste evenement." in page.text
    for href in ("/admin/programmes?", "/admin/events?", "/admin/organisations?",
                 "/admin/accounts?", "/admin/events/new?"):
        assert f'href="{href}lang=nl"' in page.text, href
    assert "<h2>Beheer</h2>" in page.text
    english = await client.get("/organiser?lang=en",
                               headers=await signed_in("organiser_admin"))
    assert "<h2>Manage</h2>" in english.text and "Create the first event." in english.text


async def test_staff_get_their_event_and_no_accounts_link(client, db):
    event = await open_event("techniek")
    page = await client.get("/organiser", headers=await signed_in("organiser_staff", [event]))
    assert page.status_code == 200
    assert 'href="/admin/events/techniek?lang=nl">Evenement beheren</a>' in page.text
    assert "/admin/events?lang=nl" in page.text and "/admin/accounts" not in page.text
    assert "/admin/events/new" not in page.text  # only admins create events
