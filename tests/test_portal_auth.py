"""Employer portal (issue 18): contact persons may add a password and two-step login (TOTP),
checked by the organisers' rules (event_ops/access/credentials.py); the mailed link asks
for the code too when it is on; colleagues are added and removed by the organisation's own
contact persons; and a contact of organisation A gets nothing of organisation B on any
portal route (taken from the app's own route table)."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest

from event_ops import clock
from event_ops.access import credentials
from event_ops.core.db import current_engine
from event_ops.employers.job_profiles import create_profile
from event_ops.employers.service import add_employer, add_vacancy
from tests.helpers import contact_signed_in, open_event
from tests.test_portal import anonymous, as_browser, body, login_token, mails, session_headers

PASSWORD = "lange zin als wachtwoord"
EMAIL = "anja@zorgnoord.example.nl"


class Clock:
    """The time moves on by hand: a TOTP code works once per 30-second step."""

    def __init__(self, monkeypatch) -> None:
        self.now = clock.now()
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def step(self, seconds: int = 31) -> None:
        self.now += dt.timedelta(seconds=seconds)


async def organisation_with_contact(event, email: str = EMAIL, name: str = "Zorggroep Noord",
                                    kvk: str = "12345678"):
    employer = await add_employer(event, name=name, sector="care", kvk_number=kvk)
    return employer, await contact_signed_in(employer.organisation, email)


async def post(client, path: str, who: dict, **data):
    return await client.post(path, headers=as_browser(who),
                             data={**data, "_csrf_token": who["X-CSRFToken"]})


async def password_login(client, email: str, password: str, code: str = ""):
    csrf = anonymous(client)
    r = await client.post("/employer/login/password?lang=en", data={
        "email": email, "password": password, "code": code, "_csrf_token": csrf})
    client.cookies.clear()
    return r


def same_page(html: str, email: str) -> str:
    """The page without what differs anyway: the typed address and the CSRF token."""
    return re.sub(r'value="[0-9a-f]{40,}"', "", html.replace(email, ""))


async def actions() -> list[str]:
    return [r["action"] for r in await current_engine().fetch(
        "SELECT action FROM audit_entry ORDER BY id")]


async def turn_on_totp(client, who) -> str:
    page = await client.get("/employer/security?lang=en", headers=as_browser(who))
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page.text).group(1)
    assert secret in page.text and 'alt="QR code to set up two-step login"' in page.text
    r = await post(client, "/employer/security/totp?lang=en", who, secret=secret,
                   code=pyotp.TOTP(secret).at(clock.now()))
    assert r.status_code in (302, 303), r.text
    return secret


async def test_password_and_two_step_login(client, db, settings, smtp_server, monkeypatch):
    time = Clock(monkeypatch)
    event = await open_event()
    _, anja = await organisation_with_contact(event)
    page = await client.get("/employer/security?lang=en", headers=as_browser(anja))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "You have no password yet." in page.text and "Two-step login is off." in page.text
    assert "Beveiliging" in (await client.get("/employer/security",
                                              headers=as_browser(anja))).text
    # Without a password there is no password login (same answer as a wrong one).
    r = await password_login(client, EMAIL, PASSWORD)
    assert r.status_code == 401 and "The e-mail address or password is not right." in r.text

    r = await post(client, "/employer/security/password?lang=en", anja, password="kort",
                   repeat="kort")
    assert r.status_code == 422 and "at least 12 characters" in r.text
    assert 'aria-invalid="true"' in r.text
    r = await post(client, "/employer/security/password?lang=en", anja, password=PASSWORD,
                   repeat=PASSWORD + "x")
    assert r.status_code == 422 and "The two passwords are not the same." in r.text
    r = await post(client, "/employer/security/password?lang=en", anja, password=PASSWORD,
                   repeat=PASSWORD)
    assert r.status_code in (302, 303)
    stored = (await current_engine().fetch("SELECT password_hash FROM contact_person"))[0]
    assert stored["password_hash"].startswith("$argon2id$") and PASSWORD not in str(stored)
    assert "Your password is saved." in (await client.get(
        r.headers["location"], headers=as_browser(anja))).text
    # A change of the login is told by mail (if it was not Anja, she knows).
    notice = await mails(settings, smtp_server)
    assert [m["To"] for m in notice] == [EMAIL]
    assert "Your password for the employer page was changed." in body(notice[0])

    r = await password_login(client, EMAIL, PASSWORD)
    assert r.status_code in (302, 303), r.text
    home = await client.get("/employer?lang=en", headers=as_browser(session_headers(r)))
    assert home.status_code == 200 and "Zorggroep Noord" in home.text
    wrong = await password_login(client, EMAIL, PASSWORD + "!")
    unknown = await password_login(client, "nobody@example.nl", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert same_page(wrong.text, EMAIL) == same_page(unknown.text, "nobody@example.nl")

    # Two-step login on: the QR code's secret and a first code.
    secret = await turn_on_totp(client, anja)
    page = await client.get("/employer/security?lang=en", headers=as_browser(anja))
    assert "Two-step login is on." in page.text and secret not in page.text
    time.step()
    r = await password_login(client, EMAIL, PASSWORD)
    assert r.status_code == 401 and 'name="code"' in r.text and "code from your app" in r.text
    assert "eo_session" not in r.headers.get("set-cookie", "")
    code = pyotp.TOTP(secret).at(clock.now())
    assert (await password_login(client, EMAIL, PASSWORD, code)).status_code in (302, 303)
    # A code works once.
    r = await password_login(client, EMAIL, PASSWORD, code)
    assert r.status_code == 401 and "This code is not right" in r.text

    # The mailed link asks for the code as well; without it the link stays unused.
    time.step()
    await mails(settings, smtp_server)
    csrf = anonymous(client)
    await client.post("/employer/login", data={"email": EMAIL, "_csrf_token": csrf})
    token = login_token(await mails(settings, smtp_server))
    link_page = await client.get(f"/employer/login/{token}?lang=en")
    assert 'name="code"' in link_page.text
    csrf = anonymous(client)
    r = await client.post(f"/employer/login/{token}?lang=en", data={"_csrf_token": csrf})
    assert r.status_code == 401 and "Enter the code from your app." in r.text
    r = await client.post(f"/employer/login/{token}?lang=en",
                          data={"_csrf_token": csrf, "code": "000000"})
    assert r.status_code == 401 and "This code is not right" in r.text
    r = await client.post(f"/employer/login/{token}?lang=en", data={
        "_csrf_token": csrf, "code": pyotp.TOTP(secret).at(clock.now())})
    assert r.status_code in (302, 303), r.text
    client.cookies.clear()

    # Changing the password and turning TOTP off need a fresh code.
    time.step()
    r = await post(client, "/employer/security/password?lang=en", anja,
                   password=PASSWORD + " 2", repeat=PASSWORD + " 2")
    assert r.status_code == 422 and "Enter the code from your app." in r.text
    r = await post(client, "/employer/security/totp/off?lang=en", anja, code="123456")
    assert r.status_code == 422
    r = await post(client, "/employer/security/totp/off?lang=en", anja,
                   code=pyotp.TOTP(secret).at(clock.now()))
    assert r.status_code in (302, 303)
    r = await password_login(client, EMAIL, PASSWORD)
    assert r.status_code in (302, 303)
    notice = await mails(settings, smtp_server)
    assert "Two-step login is now off for your employer page." in body(notice[-1])
    done = await actions()
    for action in ("contact.password_set", "contact.totp_enabled", "contact.totp_failed",
                   "contact.login_failed", "contact.totp_disabled"):
        assert action in done, action
    assert done.count("contact.login") >= 4


async def test_the_organisers_lock_out_rule_holds_for_contacts(client, db, monkeypatch):
    Clock(monkeypatch)
    event = await open_event()
    _, anja = await organisation_with_contact(event)
    await post(client, "/employer/security/password", anja, password=PASSWORD,
               repeat=PASSWORD)
    for _ in range(credentials.MAX_FAILED_LOGINS):
        assert (await password_login(client, EMAIL, "fout wachtwoord!")).status_code == 401
    r = await password_login(client, EMAIL, PASSWORD)
    assert r.status_code == 429 and "Wait 15 minutes or log in with a link" in r.text
    assert "contact.login_locked" in await actions()
    # The same rule in one place: organisers' accounts read the same numbers.
    from event_ops.access import accounts
    assert accounts.MAX_FAILED_LOGINS is credentials.MAX_FAILED_LOGINS
    assert accounts.LOCKOUT is credentials.LOCKOUT
    assert accounts.check_password_strength is credentials.check_password_strength


async def test_colleagues_added_and_removed(client, db, settings, smtp_server):
    event = await open_event()
    employer, anja = await organisation_with_contact(event)
    page = await client.get("/employer/colleagues?lang=en", headers=as_browser(anja))
    assert page.status_code == 200 and "Anja de Vries" in page.text and "(you)" in page.text
    assert "Remove: Anja" not in page.text  # never oneself

    r = await post(client, "/employer/colleagues?lang=en", anja, name="Karin Smit",
                   email="nope", phone="", role="HR")
    assert r.status_code == 422 and "Fill in a valid e-mail address" in r.text
    assert 'href="#email"' in r.text and "Karin Smit" in r.text  # typed input stays
    r = await post(client, "/employer/colleagues?lang=en", anja, name="Karin Smit",
                   email="Karin@ZorgNoord.example.nl", phone="050 123 4567", role="HR")
    assert r.status_code in (302, 303), r.text
    r = await post(client, "/employer/colleagues?lang=en", anja, name="Karin 2",
                   email="karin@zorgnoord.example.nl", phone="", role="")
    assert r.status_code == 422 and "on the list already" in r.text
    sent = await mails(settings, smtp_server)
    assert [m["To"] for m in sent] == ["karin@zorgnoord.example.nl"]
    karin_login = await client.post(f"/employer/login/{login_token(sent)}",
                                    data={"_csrf_token": anonymous(client)})
    assert karin_login.status_code in (302, 303)
    karin = session_headers(karin_login)
    client.cookies.clear()
    home = await client.get("/employer?lang=en", headers=as_browser(karin))
    assert "Karin Smit" in home.text and "Zorggroep Noord" in home.text

    # The organisers see both on the organisation page.
    from tests.helpers import signed_in
    organiser = await signed_in("organiser_admin")
    org_page = await client.get(f"/admin/organisations/{employer.organisation}?lang=en",
                                headers=organiser)
    assert "Karin Smit" in org_page.text and "Anja de Vries" in org_page.text

    rows = await current_engine().fetch("SELECT id, name FROM contact_person ORDER BY id")
    anja_id, karin_id = rows[0]["id"], rows[1]["id"]
    r = await post(client, f"/employer/colleagues/{anja_id}/remove?lang=en", anja)
    assert r.status_code == 409 and "You cannot remove yourself." in r.text
    r = await post(client, f"/employer/colleagues/{karin_id}/remove?lang=en", anja)
    assert r.status_code in (302, 303)
    # Karin's session ends at once, and her data is gone.
    gone = await client.get("/employer", headers=as_browser(karin))
    assert gone.status_code in (302, 303) and "/employer/login" in gone.headers["location"]
    assert not await current_engine().fetch(
        "SELECT id FROM contact_person WHERE id = ?", [karin_id])
    done = await current_engine().fetch(
        "SELECT actor, action, fields FROM audit_entry WHERE action LIKE 'contact_person.%'"
        " ORDER BY id")
    assert [r["action"] for r in done] == ["contact_person.created", "contact_person.created",
                                           "contact_person.removed"]
    assert done[-1]["actor"] == f"contact:{anja_id}"
    assert "karin" not in str(done).lower()  # who, never their data


# ---- organisation A against organisation B, on every portal route -------------------------

PORTAL_PREFIXES = ("/employer",)
PUBLIC = {"/employer/login", "/employer/login/{token:str}", "/employer/login/password",
          "/employer/logout"}


def portal_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route an employer contact may use: the portal's pages and
    any API route whose guard lets ``employer_contact`` in."""
    from app.api.auth import PERMISSION
    from event_ops.access.permissions import PERMISSIONS

    found: list[tuple[str, str]] = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):  # not websockets
            methods = sorted(m for m in handler.http_methods if m in ("GET", "POST",
                                                                      "PUT", "PATCH",
                                                                      "DELETE"))
            perm = (handler.opt or {}).get(PERMISSION)
            contact_api = route.path.startswith("/api/") and perm and (
                "employer_contact" in PERMISSIONS.get(perm, frozenset()))
            if route.path.startswith(PORTAL_PREFIXES) or contact_api:
                found += [(m, route.path) for m in methods]
    return sorted(set(found))


async def test_a_contact_of_a_gets_nothing_of_b_on_any_route(client, db, settings):
    shared, only_b = await open_event(), await open_event("only-b")
    a_employer, a = await organisation_with_contact(shared)
    b_employer, b = await organisation_with_contact(shared, "piet@bouw.example.nl",
                                                    "Bouw BV", "87654321")
    await add_employer(only_b, name="Bouw BV", sector="construction", kvk_number="87654321")
    b_vacancy = await add_vacancy(b_employer.id, title="Timmerman")
    b_contact = (await current_engine().fetch(
        "SELECT id FROM contact_person WHERE email = 'piet@bouw.example.nl'"))[0]["id"]
    # Every id or slug of B a path can name.
    b_values = {"slug": "only-b", "token": "x", "contact_id": str(b_contact),
                "employer_id": str(b_employer.id), "org_id": str(b_employer.organisation),
                "vacancy_id": str(b_vacancy),
                # Pool members belong to no organisation: a ref no search can show (no
                # such member) must be refused like B's objects.
                "ref": "ZZZZ2222",
                "profile_id": str(await create_profile(
                    b_employer.organisation, {"title": "Timmerman", "positions": 1}, [],
                    "test"))}
    # A new portal route with another path parameter fails here (KeyError) until B's value
    # for it is added: no route slips past this test.
    routes = portal_routes(client._transport.app)
    assert ("GET", "/employer/security") in routes and (
        "POST", "/employer/colleagues/{contact_id:int}/remove") in routes
    tried = 0
    for method, path in routes:
        if path in PUBLIC or "{" not in path:
            continue  # public, or about the caller's own organisation only (tested above)
        url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: b_values[m.group(1)], path)
        if method == "GET":
            r = await client.get(url, headers=as_browser(a))
        elif path.startswith("/api/"):
            body = ({"about": "x", "message": "x"} if "/pool/" in path
                    else {"event": "only-b"} if path.endswith("/events")
                    else {"title": "x", "positions": 1})  # a valid body: only B's id is wrong
            r = await client.request(method, url, headers=as_browser(a), json=body)
        else:
            r = await post(client, url, a, label="x", name="x", email="x@example.nl")
        assert r.status_code in (403, 404), (method, path, r.status_code)
        assert "Bouw" not in r.text and "Timmerman" not in r.text, (method, path)
        tried += 1
    assert tried >= 4
    # Nothing of B changed: its contact is there, no pairing for A's session.
    assert await current_engine().fetch("SELECT id FROM contact_person WHERE id = ?",
                                         [b_contact])
    assert not await current_engine().fetch("SELECT id FROM pairing_code")
    # And the pages without an id show A's own organisation only.
    for path in ("/employer", "/employer/colleagues", "/employer/security"):
        page = await client.get(path, headers=as_browser(a))
        assert page.status_code == 200 and "Bouw" not in page.text
        assert "piet@bouw" not in page.text, path
    assert a_employer.organisation != b_employer.organisation
    assert b  # B's own session is a separate browser


@pytest.mark.parametrize("field, value, message", [
    ("name", " ", "Fill in your colleague"),
    ("email", "", "Fill in a valid e-mail address"),
    ("phone", "12", "Fill in a phone number"),
    ("role", "x" * 101, "The job title is too long"),
])
async def test_colleague_form_names_the_field(client, db, field, value, message):
    event = await open_event()
    _, anja = await organisation_with_contact(event)
    values = {"name": "Karin Smit", "email": "karin@zorgnoord.example.nl", "phone": "",
              "role": "", field: value}
    r = await post(client, "/employer/colleagues?lang=en", anja, **values)
    assert r.status_code == 422 and message in r.text and f'href="#{field}"' in r.text
    assert len(await current_engine().fetch("SELECT id FROM contact_person")) == 1


async def test_an_organiser_turns_off_a_lost_phone(client, db, monkeypatch):
    """With two-step login on, even the mailed link needs the code: when the phone is lost,
    an organiser turns it off (organisation page), for that organisation's contact only."""
    from tests.helpers import signed_in

    time = Clock(monkeypatch)
    event = await open_event()
    employer, anja = await organisation_with_contact(event)
    other, _ = await organisation_with_contact(event, "piet@bouw.example.nl", "Bouw BV",
                                               "87654321")
    await post(client, "/employer/security/password", anja, password=PASSWORD,
               repeat=PASSWORD)
    await turn_on_totp(client, anja)
    time.step()
    organiser = await signed_in("organiser_admin")
    page = await client.get(f"/admin/organisations/{employer.organisation}?lang=en",
                            headers=organiser)
    assert "Turn off two-step login: Anja de Vries" in page.text
    anja_id = (await current_engine().fetch(
        "SELECT id FROM contact_person WHERE email = ?", [EMAIL]))[0]["id"]
    wrong_org = await client.post(
        f"/admin/organisations/{other.organisation}/contacts/{anja_id}/reset-totp",
        headers=organiser, data={"_csrf_token": organiser["X-CSRFToken"]})
    assert wrong_org.status_code == 404
    r = await client.post(
        f"/admin/organisations/{employer.organisation}/contacts/{anja_id}/reset-totp?lang=en",
        headers=organiser, data={"_csrf_token": organiser["X-CSRFToken"]})
    assert r.status_code in (302, 303)
    done = await client.get(r.headers["location"], headers=organiser)
    assert "Two-step login is off for this contact person." in done.text
    assert (await password_login(client, EMAIL, PASSWORD)).status_code in (302, 303)
    assert "contact.totp_reset" in await actions()
    # A contact's session never reaches it.
    r = await post(client, f"/admin/organisations/{employer.organisation}/contacts/{anja_id}"
                   "/reset-totp", anja)
    assert r.status_code == 403
