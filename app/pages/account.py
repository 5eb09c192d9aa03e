"""Pages for people who log in: the login form, the organiser's start page, the second
factor (TOTP) set-up, and the audit log for organiser admins.

The session cookie is HttpOnly (scripts cannot read it), SameSite=Lax, Secure behind https,
and ends on logout. Forms carry the CSRF token like every other form.
"""

from __future__ import annotations

import datetime as dt

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Response, Template

from app.api.auth import SESSION_COOKIE
from app.errors import message_key_for, status_for
from app.pages.common import page_language, render, session_principal
from app.ratelimit import client_address, client_key, parse_networks
from badges.content import badges_to_check
from badges.qr import qr_data_uri
from event_ops import clock
from event_ops.access import accounts, unlock
from event_ops.access.permissions import PERMISSIONS, check
from event_ops.access.tokens import Principal
from event_ops.audit import AuditFilter, read_entries
from event_ops.core.errors import DomainError
from event_ops.i18n import t

LOGIN_ERRORS = {"login_failed", "totp_required", "totp_failed", "account_locked"}
# A random id per browser: a browser an account logged in from has its own lock-out count.
DEVICE_COOKIE = "eo_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to somewhere else."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/organiser"


def _session_cookie(request: Request, value: str, max_age: int) -> Cookie:
    secure = request.app.state.settings.base_url.startswith("https://")
    return Cookie(key=SESSION_COOKIE, value=value, max_age=max_age, path="/", httponly=True,
                  secure=secure, samesite="lax")


def _device(request: Request) -> str:
    """This browser's id from its cookie, or a new one."""
    device = request.cookies.get(DEVICE_COOKIE, "")
    return device if accounts.DEVICE_ID.fullmatch(device) else accounts.new_device_id()


def _device_cookie(request: Request, device: str) -> Cookie:
    secure = request.app.state.settings.base_url.startswith("https://")
    return Cookie(key=DEVICE_COOKIE, value=device, max_age=DEVICE_COOKIE_AGE, path="/",
                  httponly=True, secure=secure, samesite="lax")


def _client(request: Request) -> str:
    settings = request.app.state.settings
    return client_key(client_address(request.scope, parse_networks(settings.trusted_proxies)))


@get("/login", name="login", include_in_schema=False)
async def login_form(request: Request) -> Template:
    return render(request, "login.html", values={}, error=None,
                  next=_safe_next(request.query_params.get("next")), ask_code=False,
                  unlocked=request.query_params.get("unlocked") == "1")


@post("/login", name="login_submit", include_in_schema=False)
async def login_submit(request: Request) -> Template | Response:
    lang = page_language(request)
    form = await request.form()
    email, code = str(form.get("email", "")), str(form.get("code", ""))
    target = _safe_next(str(form.get("next", "")))
    device = _device(request)
    try:
        secret = await accounts.log_in(email, str(form.get("password", "")), code,
                                       client=_client(request), device=device)
    except DomainError as exc:
        if exc.code not in LOGIN_ERRORS:
            raise
        return render(request, "login.html", status_code=status_for(exc.code), lang=lang,
                      values={"email": email}, error=t(message_key_for(exc.code), lang),
                      next=target, ask_code=exc.code in ("totp_required", "totp_failed"))
    lifetime = int(accounts.SESSION_LIFETIME.total_seconds())
    return Redirect(target, cookies=[_session_cookie(request, secret, lifetime),
                                     _device_cookie(request, device)])


@get("/login/unlock/{token:str}", name="login_unlock", include_in_schema=False,
     opt={"rate_limit": "page"})
async def unlock_form(request: Request, token: str) -> Template:
    """A button, not the unlock itself: mail scanners open links in mails too."""
    return render(request, "login_unlock.html", token=token)


@post("/login/unlock/{token:str}", name="login_unlock_submit", include_in_schema=False,
      opt={"rate_limit": "login"})
async def unlock_submit(request: Request, token: str) -> Template | Redirect:
    device = _device(request)
    # A wrong, used or expired link: the error page (app/errors.py), 404.
    await unlock.redeem_unlock(request.app.state.settings.secret_key, token, device)
    return Redirect(f"/login?unlocked=1&lang={page_language(request)}",
                    cookies=[_device_cookie(request, device)])


@post("/logout", name="logout", include_in_schema=False)
async def logout(request: Request) -> Redirect:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        await accounts.log_out(secret)
    return Redirect("/login", cookies=[_session_cookie(request, "", 0)])


@get("/organiser", name="organiser_home", include_in_schema=False)
async def organiser_home(request: Request) -> Template | Redirect:
    principal = await page_caller(request)
    if not isinstance(principal, Principal):
        return principal
    may = lambda permission: principal.role in PERMISSIONS[permission]  # noqa: E731
    events = await accounts.events_for(principal)
    # Badges whose name the badge font cannot show as typed (another script, emoji): the
    # organiser checks them before printing. Current and coming events only.
    badge_checks: dict[str, list[dict]] = {}
    if may("badge.reissue"):
        recent = clock.now() - dt.timedelta(days=2)
        for e in events:
            if e["starts_at"] >= recent:
                badge_checks[e["slug"]] = await badges_to_check(e["id"])
    return render(request, "organiser.html",
                  me=await accounts.account_summary(principal.account_id),
                  events=events, badge_checks=badge_checks, may=may,
                  lockout_alerts=await accounts.lockout_alerts() if may("audit.read") else [])


@get("/account/totp", name="totp_form", include_in_schema=False)
async def totp_form(request: Request) -> Template | Redirect:
    principal = await page_caller(request)
    if not isinstance(principal, Principal):
        return principal
    if (await accounts.account_summary(principal.account_id))["totp"]:
        return Redirect("/organiser")  # on already: an admin resets it, not a session
    return await _totp_page(request, principal, accounts.new_totp_secret(), error=None)


@post("/account/totp", name="totp_submit", include_in_schema=False)
async def totp_submit(request: Request) -> Template | Redirect:
    principal = await page_caller(request)
    if not isinstance(principal, Principal):
        return principal
    form = await request.form()
    secret = str(form.get("secret", ""))
    try:
        await accounts.enable_totp(principal.account_id, secret, str(form.get("code", "")))
    except DomainError as exc:
        # 422 for every refusal: the form's input was wrong, while the person is logged
        # in (not the 401 the table gives a wrong code at login).
        return await _totp_page(request, principal, secret, status_code=422,
                                error=t(message_key_for(exc.code), page_language(request)))
    return Redirect("/organiser?totp=on")


async def _totp_page(request: Request, principal: Principal, secret: str, *,
                     error: str | None, status_code: int = 200) -> Template:
    me = await accounts.account_summary(principal.account_id)
    return render(request, "totp.html", status_code=status_code, me=me, secret=secret,
                  qr=qr_data_uri(accounts.totp_uri(secret, me["email"])), error=error)


async def page_caller(request: Request, event_id: int | None = None,
                      permission: str | None = None) -> Principal | Redirect:
    """For server-rendered pages of logged-in people: the caller, or the redirect to the
    login page; raises ``forbidden`` (the 403 error page) when the account may not.
    ``permission=None``: any logged-in account. Forms on these pages are CSRF-checked by
    the middleware."""
    principal = await session_principal(request)
    if principal is None:
        return Redirect(f"/login?next={request.url.path}")
    if permission is None:
        return principal
    check(principal, event_id, permission)
    return principal


@get("/admin/audit", name="audit_log", include_in_schema=False)
async def audit_log(request: Request) -> Template | Redirect:
    """Who did or saw what, newest first, 100 rows a page; organiser admins only. Reading
    the audit log is itself written to it."""
    principal = await page_caller(request, None, "audit.read")
    if not isinstance(principal, Principal):
        return principal
    query = request.query_params
    filters = AuditFilter.from_query(query)
    entries = await read_entries(filters, principal.actor)
    return render(request, "audit.html", entries=entries, filters=filters,
                  older=entries[-1]["id"] if len(entries) == filters.limit else None,
                  query=dict(query))


ROUTES = [login_form, login_submit, unlock_form, unlock_submit, logout, organiser_home,
          totp_form, totp_submit, audit_log]
