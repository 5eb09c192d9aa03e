"""The employer portal's own account pages (issue 18): log in with e-mail + password (+ the
TOTP code), "Beveiliging / Security" to set a password and turn two-step login on and off,
and "Collega's / Colleagues" to add and remove the organisation's contact persons.

Every page is behind ``_contact`` (the portal's one check: role ``employer_contact``, the
``employer.portal`` permission) and works on the caller's own row or own organisation
only; the rules live in ``event_ops.access.contacts``."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.pages.account import _client, _device, _device_cookie  # the organisers' helpers
from app.pages.common import page_language, render
from app.pages.employer_portal import NO_STORE, _contact, _cookie
from badges.qr import qr_data_uri
from event_ops.access import contacts, credentials
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.employers import organisations as orgs

# A failed login's error code → the text shown (one message for every wrong credential).
LOGIN_TEXT = {"login_failed": "pa.login.failed", "account_locked": "pa.login.locked",
              "totp_required": "pa.err.code_needed", "totp_failed": "pa.err.code"}
CODE_TEXT = {"totp_required": "pa.err.code_needed", "totp_failed": "pa.err.code",
             "bad_request": "pa.err.code"}
LOGIN_STATUS = {"login_failed": 401, "totp_required": 401, "totp_failed": 401,
                "account_locked": 429}


# ---- logging in with a password -----------------------------------------------------------

@post("/employer/login/password", name="employer_login_password", include_in_schema=False,
      opt={"rate_limit": "login"})  # the organisers' login bucket
async def login_password(request: Request) -> Template | Redirect:
    form = await request.form()
    email = str(form.get("email", ""))
    device = _device(request)
    try:
        secret = await contacts.log_in(email, str(form.get("password", "")),
                                       str(form.get("code", "")), client=_client(request),
                                       device=device)
    except DomainError as exc:
        if exc.code not in LOGIN_TEXT:
            raise
        return render(request, "employer_login.html", status_code=LOGIN_STATUS[exc.code],
                      token="", email=email, password_error=LOGIN_TEXT[exc.code],
                      ask_code=exc.code in ("totp_required", "totp_failed"))
    redirect = Redirect(f"/employer?lang={page_language(request)}")
    redirect.cookies.append(_cookie(request, secret,
                                    int(contacts.SESSION_LIFETIME.total_seconds())))
    redirect.cookies.append(_device_cookie(request, device))
    return redirect


# ---- Beveiliging / Security ---------------------------------------------------------------

async def _security(request: Request, principal: Principal, *, status_code: int = 200,
                    errors: dict[str, str] | None = None, done: str = "",
                    secret: str = "") -> Template:
    me = await contacts.security_of(contacts.contact_id_of(principal))
    if not me["totp"]:
        secret = secret or credentials.new_totp_secret()
    page = render(request, "employer_security.html", status_code=status_code,
                  principal=principal, me=me, errors=errors or {}, done=done, secret=secret,
                  qr=qr_data_uri(credentials.totp_uri(secret, me["email"])) if secret else "")
    page.headers.update(NO_STORE)
    return page


@get("/employer/security", name="employer_security", include_in_schema=False)
async def security(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    return await _security(request, principal, done=request.query_params.get("done", ""))


def _done(request: Request, what: str, path: str = "/employer/security") -> Redirect:
    return Redirect(f"{path}?lang={page_language(request)}&done={what}")


@post("/employer/security/password", name="employer_security_password",
      include_in_schema=False)
async def security_password(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    form = await request.form()
    try:
        await contacts.set_password(contacts.contact_id_of(principal),
                                    str(form.get("password", "")), str(form.get("repeat", "")),
                                    str(form.get("code", "")))
    except DomainError as exc:
        errors = {"weak_password": {"password": "pa.err.weak"},
                  "passwords_differ": {"repeat": "error.passwords_differ"}}.get(exc.code) or (
            {"password_code": CODE_TEXT[exc.code]} if exc.code in CODE_TEXT else None)
        if errors is None:
            raise
        return await _security(request, principal, status_code=422, errors=errors)
    return _done(request, "password")


@post("/employer/security/totp", name="employer_security_totp", include_in_schema=False)
async def security_totp_on(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    form = await request.form()
    secret = str(form.get("secret", ""))
    try:
        await contacts.enable_totp(contacts.contact_id_of(principal), secret,
                                   str(form.get("code", "")))
    except DomainError as exc:
        if exc.code not in CODE_TEXT:
            raise
        return await _security(request, principal, status_code=422,
                               errors={"totp_code": CODE_TEXT[exc.code]},
                               secret=secret if exc.code != "bad_request" else "")
    return _done(request, "totp_on")


@post("/employer/security/totp/off", name="employer_security_totp_off",
      include_in_schema=False)
async def security_totp_off(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    form = await request.form()
    try:
        await contacts.disable_totp(contacts.contact_id_of(principal),
                                    str(form.get("code", "")))
    except DomainError as exc:
        if exc.code not in CODE_TEXT:
            raise
        return await _security(request, principal, status_code=422,
                               errors={"off_code": CODE_TEXT[exc.code]})
    return _done(request, "totp_off")


# ---- Collega's / Colleagues ---------------------------------------------------------------

COLLEAGUE_FIELDS = ("name", "email", "phone", "role")


async def _colleagues(request: Request, principal: Principal, *, status_code: int = 200,
                      errors: dict[str, str] | None = None, values: dict | None = None,
                      done: str = "") -> Template:
    assert principal.organisation_id is not None
    page = render(request, "employer_colleagues.html", status_code=status_code,
                  principal=principal,
                  organisation=await orgs.get_organisation(principal.organisation_id),
                  colleagues=await contacts.colleagues(principal), errors=errors or {},
                  values=values or {}, done=done)
    page.headers.update(NO_STORE)
    return page


@get("/employer/colleagues", name="employer_colleagues", include_in_schema=False)
async def colleagues(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    return await _colleagues(request, principal, done=request.query_params.get("done", ""))


@post("/employer/colleagues", name="employer_colleague_add", include_in_schema=False)
async def colleague_add(request: Request) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in COLLEAGUE_FIELDS}
    try:
        await contacts.add_colleague(principal, orgs.check_contact(**values))
    except DomainError as exc:
        if exc.code != "bad_contact":
            raise
        field = exc.field or "name"
        key = "pa.err.email_taken" if "already" in str(exc) else f"pa.err.{field}"
        return await _colleagues(request, principal, status_code=422, errors={field: key},
                                 values=values)
    return _done(request, "added", "/employer/colleagues")


@post("/employer/colleagues/{contact_id:int}/remove", name="employer_colleague_remove",
      include_in_schema=False)
async def colleague_remove(request: Request, contact_id: int) -> Template | Redirect:
    principal = await _contact(request)
    if not isinstance(principal, Principal):
        return principal
    await contacts.remove_colleague(principal, contact_id)
    return _done(request, "removed", "/employer/colleagues")


ROUTES = [login_password, security, security_password, security_totp_on, security_totp_off,
          colleagues, colleague_add, colleague_remove]
