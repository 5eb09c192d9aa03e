"""Organiser accounts: log in with e-mail + password (+ TOTP), sessions, CSRF on cookie
calls, lock-out, event scope, the audit-log viewer, the OpenAPI guard and allowed hosts."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pyotp
import pytest

from event_ops import clock
from event_ops.access import accounts, credentials
from event_ops.access.accounts import create_account, disable_account
from event_ops.core.db import current_engine
from tests.helpers import PASSWORD, bearer, csrf_token, open_event, signed_in, visitor

ROOT = Path(__file__).resolve().parent.parent


async def login(client, email: str, password: str = PASSWORD, code: str = "",
                next_: str = "/organiser"):
    """Submit the login form as a browser does: CSRF cookie + hidden field, made for the
    session this browser already holds (if any)."""
    csrf = csrf_token(client.cookies.get("eo_session", ""))
    client.cookies.set("csrftoken", csrf)
    return await client.post("/login", data={"email": email, "password": password,
                                             "code": code, "next": next_,
                                             "_csrf_token": csrf})


def session_of(response) -> str:
    cookie = response.headers["set-cookie"]
    return re.search(r"eo_session=([^;]+)", cookie).group(1)


async def test_login_sets_a_safe_session_cookie_and_shows_only_my_events(client, db):
    mine = await open_event("care-day")
    await open_event("ict-day")
    await create_account("Anna@Gemeente.example.nl", "Anna de Vries", "organiser_staff",
                         PASSWORD, [mine.id])
    r = await login(client, "anna@gemeente.example.nl")
    assert r.status_code in (302, 303) and r.headers["location"] == "/organiser"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    home = await client.get("/organiser", cookies={"eo_session": session_of(r)})
    assert home.status_code == 200
    assert "Anna de Vries" in home.text and "Event care-day" in home.text
    assert "Event ict-day" not in home.text
    assert "/admin/audit" not in home.text  # staff do not read the audit log


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, db):
    await create_account("anna@gemeente.example.nl", "Anna", "organiser_admin", PASSWORD)
    wrong = await login(client, "anna@gemeente.example.nl", "not the password")
    unknown = await login(client, "nobody@gemeente.example.nl")
    assert wrong.status_code == unknown.status_code == 401
    assert "Het e-mailadres of het wachtwoord klopt niet." in wrong.text
    assert "Het e-mailadres of het wachtwoord klopt niet." in unknown.text
    assert "set-cookie" not in wrong.headers or "eo_session" not in wrong.headers["set-cookie"]
    # The typed e-mail stays in the form; the password does not.
    assert 'value="anna@gemeente.example.nl"' in wrong.text
    assert "not the password" not in wrong.text


async def test_five_wrong_passwords_lock_the_account_for_15_minutes(client, db, monkeypatch):
    await create_account("anna@gemeente.example.nl", "Anna", "organiser_admin", PASSWORD)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        assert (await login(client, "anna@gemeente.example.nl", "guess guess guess")
                ).status_code == 401
    locked = await login(client, "anna@gemeente.example.nl")  # even the right password
    assert locked.status_code == 429 and "Wacht 15 minuten" in locked.text
    later = clock.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert (await login(client, "anna@gemeente.example.nl")).status_code in (302, 303)


def wrong_code(secret: str) -> str:
    """A 6-digit code that is valid for none of the steps around now."""
    totp, now = pyotp.TOTP(secret), clock.now()
    valid = {totp.at(now + dt.timedelta(seconds=s)) for s in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555")
                if c not in valid)


async def test_totp_set_up_then_required_at_login_and_each_code_works_once(
        client, db, monkeypatch):
    await create_account("anna@gemeente.example.nl", "Anna", "organiser_admin", PASSWORD)
    session = session_of(await login(client, "anna@gemeente.example.nl"))
    csrf = csrf_token(session)  # made for this session
    cookies = {"eo_session": session, "csrftoken": csrf}
    page = await client.get("/account/totp", cookies=cookies)
    assert page.status_code == 200 and 'src="data:image/png;base64,' in page.text
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page.text).group(1)
    wrong = await client.post("/account/totp", cookies=cookies,
                              data={"secret": secret, "code": wrong_code(secret),
                                    "_csrf_token": csrf})
    assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.text
    ok = await client.post("/account/totp", cookies=cookies, data={
        "secret": secret, "code": pyotp.TOTP(secret).at(clock.now()), "_csrf_token": csrf})
    assert ok.status_code in (302, 303)
    # Once on, a session cannot move it to another phone.
    assert (await client.get("/account/totp", cookies=cookies)).status_code in (302, 303)
    other = pyotp.random_base32()
    again = await client.post("/account/totp", cookies=cookies, data={
        "secret": other, "code": pyotp.TOTP(other).at(clock.now()), "_csrf_token": csrf})
    assert again.status_code == 422 and "staat al aan" in again.text

    later = clock.now() + dt.timedelta(seconds=30)  # the set-up code is used up
    monkeypatch.setattr(clock, "now", lambda: later)
    asked = await login(client, "anna@gemeente.example.nl")
    assert asked.status_code == 401 and 'id="code"' in asked.text
    bad = await login(client, "anna@gemeente.example.nl", code=wrong_code(secret))
    assert bad.status_code == 401 and "Deze code klopt niet" in bad.text
    code = pyotp.TOTP(secret).at(later)
    good = await login(client, "anna@gemeente.example.nl", code=code)
    assert good.status_code in (302, 303) and "eo_session=" in good.headers["set-cookie"]
    replay = await login(client, "anna@gemeente.example.nl", code=code)
    assert replay.status_code == 401  # RFC 6238: a code is accepted once
    rows = await current_engine().fetch("SELECT action FROM audit_entry ORDER BY id", [])
    assert [r["action"] for r in rows].count("login.totp_failed") == 2


async def test_parallel_guesses_and_wrong_codes_all_count_towards_the_lock(client, db):
    await create_account("anna@gemeente.example.nl", "Anna", "organiser_admin", PASSWORD)
    # From the address the test client calls from (httpx's ASGI transport: 127.0.0.1).
    await asyncio.gather(*(accounts.log_in("anna@gemeente.example.nl", f"guess {n:02d} xxxx",
                                           client="127.0.0.1")
                           for n in range(10)), return_exceptions=True)
    locked = await login(client, "anna@gemeente.example.nl")
    assert locked.status_code == 429

    secret = pyotp.random_base32()
    await create_account("bo@gemeente.example.nl", "Bo", "organiser_admin", PASSWORD)
    await current_engine().fetch("UPDATE account SET totp_secret = ? WHERE email = ?",
                                 [secret, "bo@gemeente.example.nl"])
    for _ in range(accounts.MAX_FAILED_LOGINS):
        r = await login(client, "bo@gemeente.example.nl", code=wrong_code(secret))
        assert r.status_code == 401
    r = await login(client, "bo@gemeente.example.nl", code=pyotp.TOTP(secret).now())
    assert r.status_code == 429  # guessing codes locks like guessing passwords


async def test_passwords_are_stored_as_argon2id_never_in_clear(db):
    await create_account("anna@gemeente.example.nl", "Anna", "organiser_admin", PASSWORD)
    stored = (await current_engine().fetch("SELECT password_hash FROM account", []))[0]
    assert stored["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in stored["password_hash"]
    # The production hasher uses the library's recommended cost (tests use a cheaper one).
    assert credentials.PasswordHasher().time_cost >= 2
    assert credentials.PasswordHasher().memory_cost >= 19 * 1024


async def test_short_passwords_and_duplicate_accounts_are_refused(db):
    with pytest.raises(accounts.DomainError) as short:
        await create_account("a@gemeente.example.nl", "A", "organiser_staff", "short")
    assert short.value.code == "weak_password"
    await create_account("a@gemeente.example.nl", "A", "organiser_staff", PASSWORD)
    with pytest.raises(accounts.DomainError) as twice:
        await create_account("A@gemeente.example.nl", "A", "organiser_staff", PASSWORD)
    assert twice.value.code == "account_exists"


async def test_login_never_redirects_to_another_site(client, db):
    await create_account("anna@gemeente.example.nl", "Anna", "organiser_admin", PASSWORD)
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        r = await login(client, "anna@gemeente.example.nl", next_=target)
        assert r.headers["location"] == "/organiser", target


async def test_cookie_calls_that_change_something_need_the_csrf_header(client, db):
    event = await open_event()
    headers = await signed_in("organiser_staff", [event])
    assert (await client.get(f"/api/v1/events/{event.slug}/stats", headers=headers)
            ).status_code == 200
    no_header = {k: v for k, v in headers.items() if k != "X-CSRFToken"}
    r = await client.post(f"/api/v1/events/{event.slug}/pairings", headers=no_header,
                          json={"role": "door", "label": "Door North"})
    assert r.status_code == 403 and r.json()["error"] == "csrf_failed"
    wrong = {**no_header, "X-CSRFToken": "not-the-cookie"}
    r = await client.post(f"/api/v1/events/{event.slug}/pairings", headers=wrong,
                          json={"role": "door", "label": "Door North"})
    assert r.status_code == 403
    r = await client.post(f"/api/v1/events/{event.slug}/pairings", headers=headers,
                          json={"role": "door", "label": "Door North"})
    assert r.status_code == 201, r.text


async def test_logout_and_disabling_end_the_session_at_once(client, db):
    event = await open_event()
    headers = await signed_in("organiser_staff", [event], email="anna@gemeente.example.nl")
    stats = f"/api/v1/events/{event.slug}/stats"
    assert (await client.get(stats, headers=headers)).status_code == 200
    out = await client.post("/logout", headers={**headers, "Content-Type":
                                                "application/x-www-form-urlencoded"},
                            content=f"_csrf_token={headers['X-CSRFToken']}")
    assert out.status_code in (302, 303)
    assert (await client.get(stats, headers=headers)).status_code == 401

    second = await signed_in("job_coach", [event], email="bo@gemeente.example.nl")
    assert (await client.get(f"/api/v1/events/{event.slug}/matches", headers=second)
            ).status_code == 200
    await disable_account(await accounts.account_id_for("bo@gemeente.example.nl"), actor="cli")
    assert (await client.get(f"/api/v1/events/{event.slug}/matches", headers=second)
            ).status_code == 401
    assert (await login(client, "bo@gemeente.example.nl")).status_code == 401


async def test_an_expired_session_no_longer_works(client, db, monkeypatch):
    event = await open_event()
    headers = await signed_in("organiser_admin")
    later = clock.now() + accounts.SESSION_LIFETIME + dt.timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    r = await client.get(f"/api/v1/events/{event.slug}/stats", headers=headers)
    assert r.status_code == 401


async def test_audit_log_is_for_organiser_admins_and_records_its_readers(client, db):
    event = await open_event()
    await visitor(event, 1, name="Sara Bakker")
    door = await bearer(event, "door", label="Door North")
    r = await client.get(f"/api/v1/events/{event.slug}/visitors?q=sara", headers=door)
    assert r.status_code == 200
    assert (await client.get("/admin/audit")).status_code in (302, 303)  # to /login
    staff = await signed_in("organiser_staff", [event])
    assert (await client.get("/admin/audit", headers=staff)).status_code == 403
    admin = await signed_in("organiser_admin", email="admin@gemeente.example.nl")
    page = await client.get("/admin/audit?lang=en", headers=admin)
    assert page.status_code == 200
    assert "Door North" in page.text  # the actor's label, so people can read the log
    assert "Sara Bakker" not in page.text  # ids only, never a visitor's name
    filtered = await client.get("/admin/audit?action=login.", headers=admin)
    assert "login.succeeded" in filtered.text and "Door North" not in filtered.text
    readers = await current_engine().fetch(
        "SELECT actor FROM audit_entry WHERE action = 'audit.viewed'", [])
    assert len(readers) == 2


async def test_audit_log_pages_back_through_older_entries(client, db):
    from event_ops import audit

    for n in range(150):
        await audit.record("cli", "test.entry", subject_type="thing", subject_id=n)
    admin = await signed_in("organiser_admin")
    first = await client.get("/admin/audit?action=test.", headers=admin)
    assert first.text.count("test.entry") == 100
    older = re.search(r'href="(/admin/audit\?[^"]*before=\d+)"', first.text).group(1)
    second = await client.get(older.replace("&amp;", "&"), headers=admin)
    assert second.text.count("test.entry") == 50


async def test_openapi_schema_for_organisers_only(client, db):
    event = await open_event()
    schema = "/api/v1/schema/openapi.json"
    assert (await client.get(schema)).status_code == 401
    assert (await client.get(schema, headers=await signed_in("job_coach", [event]))
            ).status_code == 403
    assert (await client.get(schema, headers=await bearer(event, "door"))).status_code == 403
    assert (await client.get(schema, headers=await signed_in("organiser_admin"))
            ).status_code == 200
    assert (await client.get(schema, headers=await bearer(event, "organiser"))
            ).status_code == 200


async def test_unknown_host_names_are_refused(client, db):
    r = await client.get("/", headers={"Host": "evil.example"})
    assert r.status_code == 400 and r.json()["error"] == "bad_host"
    assert (await client.get("/", headers={"Host": "127.0.0.1:8000"})).status_code == 200
    assert (await client.get("/", headers={"Host": "localhost"})).status_code == 200


async def test_websocket_with_a_foreign_host_is_refused(live_server, db):
    event = await open_event()
    token = (await bearer(event, "organiser"))["Authorization"][7:]
    path = f"/ws/events/{event.slug}/live?token={token}"
    host, port = live_server.removeprefix("http://").split(":")

    async def handshake(host_header: str) -> bytes:
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode())
        status = await reader.readline()
        writer.close()
        return status

    assert b" 403 " in await handshake("evil.example")
    assert b" 101 " in await handshake(f"{host}:{port}")


async def test_cli_creates_an_account_without_the_password_on_the_command_line(db, settings):
    event = await open_event()
    email = f"coach.{secrets.token_hex(3)}@gemeente.example.nl"
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "app.cli", "account", "create", "--email", email,
         "--name", "Bo Coach", "--role", "job_coach", "--event", event.slug,
         "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert await accounts.log_in(email, PASSWORD)
    listed = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "app.cli", "account", "list"],
        capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert f"{email}\tjob_coach\ttotp=off\tevents=1\tactive" in listed.stdout


@pytest.mark.parametrize("host", ["evil.example", "[::1]evil.example", "[localhostx",
                                  "127.0.0.1.evil.example", "localhost:80:80", ""])
async def test_malformed_or_foreign_hosts_are_refused(client, db, host):
    r = await client.get("/", headers={"Host": host})
    assert r.status_code == 400, host


@pytest.mark.parametrize("host", ["LOCALHOST", "localhost.", "[::1]:8000", "127.0.0.1"])
async def test_spellings_of_our_own_host_are_accepted(client, db, host):
    assert (await client.get("/", headers={"Host": host})).status_code == 200, host


async def test_audit_filters_ignore_odd_numbers(client, db):
    admin = await signed_in("organiser_admin")
    for query in ("event=²", "subject_id=١٢", "before=99999999999999"):
        assert (await client.get(f"/admin/audit?{query}", headers=admin)).status_code == 200
