"""Staff accounts in the back office: an admin invites by e-mail, the mail (real SMTP)
carries a one-time link, the invited person chooses a password and is logged in; links
expire, work once, stop on re-send and revoke; role, events and organisation change with
before → after in the audit log; a disabled account's session ends at once; only organiser
admins manage accounts."""

from __future__ import annotations

import datetime as dt
import re

import msgspec
import pytest

from event_ops import clock
from event_ops.access import accounts, invitations
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.mail.outbox import send_due
from tests.helpers import PASSWORD, csrf_token, open_event, signed_in

NEW_PASSWORD = "a long walk by the sea"


def form(headers: dict[str, str], **data) -> dict:
    """What a browser with this session posts: the form plus its CSRF field."""
    return {"headers": headers, "data": {**data, "_csrf_token": headers["X-CSRFToken"]}}


async def invite(client, admin, **fields):
    data = {"name": "Bram Jansen", "email": "bram@gemeente.example.nl",
            "role": "organiser_staff", **fields}
    return await client.post("/admin/accounts?lang=en", **form(admin, **data))


async def mailed_link(settings, smtp_server) -> tuple[str, object]:
    url, sink = smtp_server
    sink.messages.clear()
    sent, failed = await send_due(msgspec.structs.replace(settings, smtp_url=url))
    assert failed == 0 and sent >= 1
    message = sink.messages[-1]
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/invite/(\S+)", text)
    assert link, text
    return link.group(1), message


async def accept(client, token: str, password: str = NEW_PASSWORD, repeat: str | None = None):
    """Choose a password on the invitation page as a browser with no session does."""
    client.cookies.clear()
    csrf = csrf_token("")
    client.cookies.set("csrftoken", csrf)
    return await client.post(f"/invite/{token}?lang=en", data={
        "password": password, "repeat": password if repeat is None else repeat,
        "_csrf_token": csrf})


async def test_invite_mail_set_password_and_log_in(client, db, settings, smtp_server):
    event = await open_event()
    admin = await signed_in("organiser_admin", email="admin@gemeente.example.nl")
    r = await invite(client, admin, events=[str(event.id)])
    assert r.status_code == 303 and "done=invited" in r.headers["location"]

    listing = await client.get("/admin/accounts?lang=en", headers=admin)
    assert listing.status_code == 200
    assert "Bram Jansen" in listing.text and "Invited" in listing.text
    assert event.name in listing.text

    token, message = await mailed_link(settings, smtp_server)
    assert message["To"] == "bram@gemeente.example.nl"
    assert "Bram Jansen" in message.get_body(("plain",)).get_content()
    # Not usable before the password is set: there is none.
    for guess in ("", "anything at all"):
        with pytest.raises(DomainError, match="not right"):
            await accounts.log_in("bram@gemeente.example.nl", guess)

    page = await client.get(f"/invite/{token}?lang=en")
    assert page.status_code == 200 and "Choose your password" in page.text
    assert page.headers["cache-control"] == "no-store"  # a secret link
    too_short = await accept(client, token, "short")
    assert too_short.status_code == 422 and "12 characters" in too_short.text
    differ = await accept(client, token, NEW_PASSWORD, "something else entirely")
    assert differ.status_code == 422 and "not the same" in differ.text

    done = await accept(client, token)
    assert done.status_code == 303 and done.headers["location"].startswith("/organiser")
    session = re.search(r"eo_session=([^;]+)", done.headers["set-cookie"]).group(1)
    home = await client.get("/organiser?lang=en", cookies={"eo_session": session})
    assert home.status_code == 200 and "Bram Jansen" in home.text
    # The password works at the login form too, and the account sees only its event.
    secret = await accounts.log_in("bram@gemeente.example.nl", NEW_PASSWORD)
    principal = await accounts.resolve_session(secret)
    assert principal is not None and principal.role == "organiser_staff"
    assert principal.events == frozenset({event.id})
    # The link worked once.
    again = await client.get(f"/invite/{token}?lang=en")
    assert again.status_code == 404
    assert (await accept(client, token, "another long password")).status_code == 404
    listing = await client.get("/admin/accounts?lang=en", headers=admin)
    assert "Active" in listing.text and "Never" not in listing.text.split("Bram Jansen")[1]


async def test_an_expired_link_and_a_made_up_link_do_not_work(client, db, settings,
                                                              smtp_server, monkeypatch):
    admin = await signed_in("organiser_admin")
    await invite(client, admin)
    token, _ = await mailed_link(settings, smtp_server)
    later = clock.now() + invitations.INVITATION_LIFETIME + dt.timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert (await client.get(f"/invite/{token}")).status_code == 404
    assert (await accept(client, token)).status_code == 404
    monkeypatch.undo()
    invitation_id = token.split(".")[0]
    for bad in (f"{invitation_id}.{'A' * 43}", "1.nope", "x" * 300):
        assert (await client.get(f"/invite/{bad}")).status_code == 404
    # Expired: the list says so, and a new mail gives a working link again.
    account_id = await accounts.account_id_for("bram@gemeente.example.nl")
    monkeypatch.setattr(clock, "now", lambda: later)
    assert (await accounts.account_detail(account_id))["status"] == "invitation_ended"
    monkeypatch.undo()


async def test_resend_kills_the_old_link_and_revoke_ends_it(client, db, settings, smtp_server):
    admin = await signed_in("organiser_admin")
    await invite(client, admin)
    first, _ = await mailed_link(settings, smtp_server)
    account_id = await accounts.account_id_for("bram@gemeente.example.nl")
    r = await client.post(f"/admin/accounts/{account_id}/resend?lang=en", **form(admin))
    assert r.status_code == 303
    second, _ = await mailed_link(settings, smtp_server)
    assert first != second
    assert (await client.get(f"/invite/{first}")).status_code == 404
    assert (await client.get(f"/invite/{second}")).status_code == 200

    r = await client.post(f"/admin/accounts/{account_id}/revoke?lang=en", **form(admin))
    assert r.status_code == 303
    assert (await client.get(f"/invite/{second}")).status_code == 404
    page = await client.get(f"/admin/accounts/{account_id}?lang=en", headers=admin)
    assert "Invitation ended" in page.text
    # An active account gets no new invitation.
    await client.post(f"/admin/accounts/{account_id}/resend", **form(admin))
    third, _ = await mailed_link(settings, smtp_server)
    assert (await accept(client, third)).status_code == 303
    r = await client.post(f"/admin/accounts/{account_id}/resend?lang=en", **form(admin))
    assert r.status_code == 409 and "chosen a password already" in r.text


async def test_invite_form_errors_name_each_field_and_store_nothing(client, db):
    admin = await signed_in("organiser_admin")
    r = await invite(client, admin, email="not an address")
    assert r.status_code == 422 and "valid e-mail address" in r.text
    assert 'aria-invalid="true"' in r.text and 'role="alert"' in r.text
    r = await invite(client, admin, role="job_coach")
    assert r.status_code == 422 and "organisation" in r.text
    r = await invite(client, admin, role="superuser")
    assert r.status_code == 422
    r = await invite(client, admin, events=["99999"])
    assert r.status_code == 404 or r.status_code == 422
    assert "Choose existing events" in r.text
    rows = await current_engine().fetch("SELECT COUNT(*) AS n FROM account", [])
    assert rows[0]["n"] == 1  # the admin only
    assert not await current_engine().fetch("SELECT id FROM outbox_mail", [])
    await invite(client, admin)
    r = await invite(client, admin, name="Someone Else")
    assert r.status_code == 409 and "already an account" in r.text


async def test_changes_are_audited_before_and_after_and_shown_on_the_audit_page(client, db):
    first = await open_event("matchday-one")
    second = await open_event("matchday-two")
    admin = await signed_in("organiser_admin", email="admin@gemeente.example.nl")
    await invite(client, admin, role="job_coach", organisation="Gemeente Assen",
                 events=[str(first.id)])
    account_id = await accounts.account_id_for("bram@gemeente.example.nl")
    r = await client.post(f"/admin/accounts/{account_id}?lang=en", **form(
        admin, name="Bram Jansen", role="job_coach", organisation="Werkplein Groningen",
        events=[str(first.id), str(second.id)]))
    assert r.status_code == 303
    detail = await accounts.account_detail(account_id)
    assert detail["organisation"] == "Werkplein Groningen"
    assert detail["event_ids"] == sorted([first.id, second.id])
    entry = (await current_engine().fetch(
        "SELECT actor, changes FROM audit_entry WHERE action = 'account.updated'", []))[0]
    changes = entry["changes"] if isinstance(entry["changes"], dict) else \
        msgspec.json.decode(entry["changes"])
    assert changes == {"organisation": ["Gemeente Assen", "Werkplein Groningen"],
                       "events": ["matchday-one", "matchday-one, matchday-two"]}
    # The audit page shows the change as before → after.
    page = await client.get(f"/admin/audit?subject_type=account&subject_id={account_id}",
                            headers=admin)
    assert page.status_code == 200
    assert "organisation: Gemeente Assen → Werkplein Groningen" in page.text
    assert "account.invited" in page.text
    # Role changes too; an admin cannot change their own role or disable themselves.
    await client.post(f"/admin/accounts/{account_id}", **form(
        admin, name="Bram Jansen", role="organiser_staff", events=[str(first.id)]))
    assert (await accounts.account_detail(account_id))["role"] == "organiser_staff"
    me = await accounts.account_id_for("admin@gemeente.example.nl")
    r = await client.post(f"/admin/accounts/{me}?lang=en", **form(
        admin, name="Admin", role="organiser_staff"))
    assert r.status_code == 409 and "own role" in r.text
    r = await client.post(f"/admin/accounts/{me}/disable?lang=en", **form(admin))
    assert r.status_code == 409
    assert (await accounts.account_detail(me))["role"] == "organiser_admin"


async def test_disabling_ends_the_session_at_once_and_enabling_lets_in_again(client, db):
    event = await open_event()
    admin = await signed_in("organiser_admin")
    staff = await signed_in("organiser_staff", [event], email="anna@gemeente.example.nl")
    stats = f"/api/v1/events/{event.slug}/stats"
    assert (await client.get(stats, headers=staff)).status_code == 200
    account_id = await accounts.account_id_for("anna@gemeente.example.nl")
    r = await client.post(f"/admin/accounts/{account_id}/disable?lang=en", **form(admin))
    assert r.status_code == 303
    assert (await client.get(stats, headers=staff)).status_code == 401
    assert (await client.get("/organiser", headers=staff)).status_code in (302, 303)
    listing = await client.get("/admin/accounts?lang=en", headers=admin)
    assert "Disabled" in listing.text
    with pytest.raises(DomainError, match="not right"):
        await accounts.log_in("anna@gemeente.example.nl", PASSWORD)
    r = await client.post(f"/admin/accounts/{account_id}/enable?lang=en", **form(admin))
    assert r.status_code == 303
    assert await accounts.log_in("anna@gemeente.example.nl", PASSWORD)
    actions = [r["action"] for r in await current_engine().fetch(
        "SELECT action FROM audit_entry WHERE subject_type = 'account' AND subject_id = ?"
        " ORDER BY id", [account_id])]
    assert "account.disabled" in actions and "account.enabled" in actions


@pytest.mark.parametrize("role", ["organiser_staff", "job_coach"])
async def test_only_organiser_admins_manage_accounts(client, db, role):
    event = await open_event()
    other = await signed_in(role, [event])
    assert (await client.get("/admin/accounts", headers=other)).status_code == 403
    r = await invite(client, other)
    assert r.status_code == 403
    account_id = await accounts.account_id_for(
        (await current_engine().fetch("SELECT email FROM account", []))[0]["email"])
    for action in ("disable", "resend", "revoke", "enable"):
        r = await client.post(f"/admin/accounts/{account_id}/{action}", **form(other))
        assert r.status_code == 403, action
    assert (await client.get("/api/v1/accounts", headers=other)).status_code == 403
    # Without logging in: to the login page.
    client.cookies.clear()
    r = await client.get("/admin/accounts")
    assert r.status_code in (302, 303) and "/login" in r.headers["location"]
    rows = await current_engine().fetch("SELECT COUNT(*) AS n FROM account", [])
    assert rows[0]["n"] == 1


async def test_accounts_api_lists_and_invites(client, db, settings, smtp_server):
    event = await open_event()
    admin = await signed_in("organiser_admin", email="admin@gemeente.example.nl")
    r = await client.post("/api/v1/accounts/invitations", headers=admin, json={
        "email": "coach@werkplein.example.nl", "name": "Cas Coach", "role": "job_coach",
        "events": [event.id], "organisation": "Werkplein"})
    assert r.status_code == 201, r.text
    listed = {a["email"]: a for a in (await client.get("/api/v1/accounts",
                                                         headers=admin)).json()}
    coach = listed["coach@werkplein.example.nl"]
    assert coach["status"] == "invited" and coach["organisation"] == "Werkplein"
    assert coach["events"] == [event.name] and coach["last_login"] is None
    assert listed["admin@gemeente.example.nl"]["last_login"] is not None
    token, _ = await mailed_link(settings, smtp_server)
    assert (await accept(client, token)).status_code == 303


async def test_cli_still_creates_the_first_admin_who_then_invites(client, db, settings,
                                                                  smtp_server):
    """The first admin of an empty database comes from `eventops account create`; every
    later account can come from the browser."""
    await accounts.create_account("first@gemeente.example.nl", "First Admin",
                                  "organiser_admin", PASSWORD)
    secret = await accounts.log_in("first@gemeente.example.nl", PASSWORD)
    csrf = csrf_token(secret)
    headers = {"Cookie": f"eo_session={secret}; csrftoken={csrf}", "X-CSRFToken": csrf}
    assert (await invite(client, headers)).status_code == 303
    token, _ = await mailed_link(settings, smtp_server)
    assert (await accept(client, token)).status_code == 303


async def test_invite_page_is_rate_limited(server_factory, db, settings):
    """The public invitation page sits in the page and login buckets: guessing links
    gets 429 after the limit."""
    import httpx

    from tests.helpers import early_in_the_minute

    base = server_factory(EVENTOPS_RATE_LIMIT="10")
    await early_in_the_minute()
    async with httpx.AsyncClient(base_url=base) as http:
        codes = [(await http.get(f"/invite/{n}.{'A' * 43}")).status_code for n in range(30)]
    assert codes[0] == 404
    assert 429 in codes  # the page bucket: 2 × 10 a minute
