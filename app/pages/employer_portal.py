"""The employer portal (issue 18): the public sign-up form for an event, the employers'
login with a mailed one-time link, and their own page (events, stand, vacancies, leads
download, tablet pairing). Server-rendered forms that work without script.

Every page after login is scoped to the contact person's organisation: the event's
employer is looked up by event AND organisation (``_own_employer``), so a contact of
organisation A reaches nothing of organisation B."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Response, Template

from app.api.auth import SESSION_COOKIE
from app.api.reports import XLSX, download
from app.pages.account import _client  # the organisers' client address, for the lock-out
from app.pages.common import page_language, render, session_principal
from badges.qr import qr_data_uri
from event_ops.access import contacts
from event_ops.access.devices import pairing_request
from event_ops.access.pairing import create_pairing
from event_ops.access.permissions import check
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.employers import organisations as orgs
from event_ops.employers.applications import NEEDS, ApplicationInvalid, submit_application
from event_ops.employers.service import vacancies_of
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.interests.service import list_interests
from event_ops.reports.export import interest_table, rows_to_csv, rows_to_xlsx
from event_ops.taxonomy.service import SECTORS, sector_name

PERMISSION = "employer.portal"
NO_STORE = {"Cache-Control": "no-store"}


def _sectors(lang: str) -> list[tuple[str, str]]:
    return [(s, sector_name(s, lang)) for s in SECTORS]


# ---- the public sign-up form -------------------------------------------------------------

def _signup(request: Request, event: Event, *, status_code: int = 200,
            errors: dict[str, str] | None = None, values: dict | None = None) -> Template:
    lang = page_language(request)
    return render(request, "employer_signup.html", status_code=status_code, event=event,
                  sectors=_sectors(lang), needs=NEEDS, errors=errors or {},
                  values=values or {})


@get("/events/{slug:str}/employer-signup", name="employer_signup", include_in_schema=False)
async def signup_form(request: Request, slug: str) -> Template:
    return _signup(request, await get_event(slug))


@post("/events/{slug:str}/employer-signup", name="employer_signup_send",
      include_in_schema=False)
async def signup_send(request: Request, slug: str) -> Template:
    event = await get_event(slug)
    lang = page_language(request)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "_csrf_token"}
    try:
        await submit_application(event, values, lang)
    except ApplicationInvalid as exc:
        errors = {p.field or "organisation_name": t(f"portal.field.{p.field}", lang)
                  for p in exc.problems}
        return _signup(request, event, status_code=422, errors=errors, values=values)
    return render(request, "employer_message.html", status_code=201,
                  title_key="portal.received.title", text_key="portal.received.text")


# ---- login with a mailed link -------------------------------------------------------------

def _cookie(request: Request, value: str, max_age: int) -> Cookie:
    secure = request.app.state.settings.base_url.startswith("https://")
    return Cookie(key=SESSION_COOKIE, value=value, max_age=max_age, path="/", httponly=True,
                  secure=secure, samesite="lax")


@get("/employer/login", name="employer_login", include_in_schema=False)
async def login_form(request: Request) -> Template:
    return render(request, "employer_login.html", token="")


@post("/employer/login", name="employer_login_send", include_in_schema=False)
async def login_send(request: Request) -> Template:
    """The same answer whether or not the address is known."""
    form = await request.form()
    await contacts.request_login_link(str(form.get("email", "")))
    return render(request, "employer_message.html", title_key="portal.login.title",
                  text_key="portal.login.sent")


@get("/employer/login/{token:str}", name="employer_login_link", include_in_schema=False)
async def login_link(request: Request, token: str) -> Template:
    """A button, not the login itself: a mail program that opens links to check them must
    not use up the one-time link. With two-step login on, the button asks for the code."""
    ask_code = await contacts.link_needs_code(request.app.state.settings.secret_key, token)
    page = render(request, "employer_login.html", token=token, ask_code=ask_code)
    page.headers.update(NO_STORE)
    return page


@post("/employer/login/{token:str}", name="employer_login_use", include_in_schema=False)
async def login_use(request: Request, token: str) -> Template | Redirect:
    form = await request.form()
    try:
        secret = await contacts.redeem_link(request.app.state.settings.secret_key, token,
                                            str(form.get("code", "")),
                                            client=_client(request))
    except DomainError as exc:
        if exc.code in ("totp_required", "totp_failed", "account_locked"):
            # The link stays unused: the same button again, with the code asked.
            page = render(request, "employer_login.html", token=token, ask_code=True,
                          status_code=429 if exc.code == "account_locked" else 401,
                          link_error={"totp_required": "pa.err.code_needed",
                                      "totp_failed": "pa.err.code",
                                      "account_locked": "pa.login.locked"}[exc.code])
            page.headers.update(NO_STORE)
            return page
        return render(request, "employer_message.html", status_code=410,
                      title_key="portal.login.title", text_key="portal.err.link", again=True)
    redirect = Redirect(f"/employer?lang={page_language(request)}")
    redirect.cookies.append(_cookie(request, secret,
                                    int(contacts.SESSION_LIFETIME.total_seconds())))
    return redirect


@post("/employer/logout", name="employer_logout", include_in_schema=False)
async def logout(request: Request) -> Redirect:
    secret = request.cookies.get(SESSION_COOKIE, "")
    if secret.startswith(contacts.CONTACT_PREFIX):
        await contacts.log_out(secret)
    redirect = Redirect(f"/employer/login?lang={page_language(request)}")
    redirect.cookies.append(_cookie(request, "", 0))
    return redirect


# ---- the employer's own page --------------------------------------------------------------

async def _contact(request: Request) -> Principal | Redirect:
    """The logged-in contact person, or the redirect to the employer login; a staff
    session gets ``forbidden`` (the role table says who may)."""
    principal = await session_principal(request)
    if principal is None:
        return Redirect(f"/employer/login?lang={page_language(request)}")
    check(principal, None, PERMISSION)
    return contacts.require_contact(principal)


async def _events(org_id: int) -> list[dict[str, Any]]:
    events = [dict(e) for e in await orgs.organisation_events(org_id)]
    vacancies = await vacancies_of([e["employer_id"] for e in events])
    for e in events:
        e["vacancies"] = [v for v in vacancies if v["employer"] == e["employer_id"]]
    return events


async def _home(request: Request, principal: Principal, *, status_code: int = 200,
                pairing: dict | None = None) -> Template:
    assert principal.organisation_id is not None
    page = render(request, "employer_portal.html", status_code=status_code,
                  principal=principal,
                  organisation=await orgs.get_organisation(principal.organisation_id),
                  events=await _events(principal.organisation_id), pairing=pairing)
    page.headers.update(NO_STORE)
    return page


@get("/employer", name="employer_home", include_in_schema=False)
async def home(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    return await _home(request, principal)


async def _own_employer(principal: Principal, slug: str) -> tuple[Event, Principal]:
    """The event and, as the caller the reused export and pairing expect, this
    organisation's employer admin there; ``forbidden`` when the organisation does not take
    part in that event (another organisation's event gives nothing away)."""
    event = await get_event(slug)
    check(principal, event.id, PERMISSION)
    rows = await current_engine().fetch(
        "SELECT id FROM employer WHERE event = ? AND organisation = ? ORDER BY id LIMIT 1",
        [event.id, principal.organisation_id])
    if not rows:
        raise DomainError("forbidden", "Your organisation does not take part in this event.")
    return event, Principal(actor=principal.actor, role="employer",
                            events=frozenset({event.id}), employer_id=rows[0]["id"],
                            label=principal.label, organisation_id=principal.organisation_id)


async def _leads(request: Request, slug: str, ext: str) -> Response | Redirect:
    """The organisation's own leads at this event: the same export as the stand's admin
    code (``interest.export``), consent applied, cells defused."""
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    event, employer = await _own_employer(principal, slug)
    lang = "en" if page_language(request) == "en" else "nl"
    entries = await list_interests(event.id, employer)
    header, rows = interest_table(entries, lang, for_csv=ext == "csv")
    if ext == "csv":
        return download(rows_to_csv(header, rows, delimiter=";"), "text/csv; charset=utf-8",
                        f"{event.slug}-interests.csv")
    return download(rows_to_xlsx(t("interest_export.sheet", lang), header, rows), XLSX,
                    f"{event.slug}-interests.xlsx")


@get("/employer/events/{slug:str}/leads.csv", name="employer_leads_csv",
     include_in_schema=False)
async def leads_csv(request: Request, slug: str) -> Response | Redirect:
    return await _leads(request, slug, "csv")


@get("/employer/events/{slug:str}/leads.xlsx", name="employer_leads_xlsx",
     include_in_schema=False)
async def leads_xlsx(request: Request, slug: str) -> Response | Redirect:
    return await _leads(request, slug, "xlsx")


@post("/employer/events/{slug:str}/pair", name="employer_pair", include_in_schema=False)
async def pair(request: Request, slug: str) -> Template | Redirect:
    """A one-time pairing code for a scan-only tablet of this organisation's stand."""
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    event, employer = await _own_employer(principal, slug)
    form = await request.form()
    label = str(form.get("label", "")).strip() or "Tablet"
    role, employer_id = pairing_request(employer, "employer_tablet", employer.employer_id)
    code, expires = await create_pairing(event, role=role, label=label,
                                         actor=principal.actor, employer_id=employer_id)
    url = f"{request.app.state.settings.base_url}/pair#{code}"
    return await _home(request, principal, status_code=201, pairing={
        "url": url, "qr": qr_data_uri(url), "expires_at": expires, "label": label})


ROUTES = [signup_form, signup_send, login_form, login_send, login_link, login_use, logout,
          home, leads_csv, leads_xlsx, pair]
