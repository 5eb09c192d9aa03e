"""Staff accounts in the back office: the list, inviting by e-mail, changing role, events
and organisation, disabling and enabling, re-sending and revoking invitations (organiser
admins only, ``accounts.manage``); and the public invitation page where the invited person
chooses a password (rate-limited like the login form).

Every change is made by ``event_ops.access.accounts`` / ``invitations``, which write the
audit log (before → after) and queue the invitation mail.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from app.errors import message_key_for, status_for
from app.pages.account import _session_cookie, page_caller
from app.pages.common import page_language, render
from event_ops.access import accounts, invitations
from event_ops.access.tables import ACCOUNT_ROLES
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.i18n import t
from event_ops.types import parse_db_id

PERMISSION = "accounts.manage"
DONE = ("invited", "saved", "resent", "revoked", "disabled", "enabled")
def _field_error(exc: DomainError, lang: str) -> dict[str, str]:
    """Every refused field's text (``ValidationFailed``), or the one broken rule's."""
    if isinstance(exc, ValidationFailed):
        return {name: t(key, lang) for name, key in exc.errors.items()}
    return {exc.field or "form": t(message_key_for(exc.code), lang)}


def _form_input(form) -> dict:
    event_ids = [i for i in (parse_db_id(str(v)) for v in form.getall("events", [])) if i]
    return {"name": str(form.get("name", "")), "email": str(form.get("email", "")),
            "role": str(form.get("role", "")), "organisation": str(form.get("organisation", "")),
            "event_ids": event_ids}


async def _list_page(request: Request, principal: Principal, *, values: dict | None = None,
                     errors: dict | None = None, status_code: int = 200) -> Template:
    done = request.query_params.get("done")
    return render(request, "backoffice/accounts.html", status_code=status_code,
                  bo_section="accounts", accounts=await accounts.list_accounts(),
                  events=await accounts.events_for(principal), roles=ACCOUNT_ROLES,
                  organisations=await accounts.coach_organisations(),
                  values=values or {"role": "organiser_staff", "event_ids": []},
                  errors=errors or {}, done=done if done in DONE else None)


@get("/admin/accounts", name="bo_accounts", include_in_schema=False)
async def accounts_page(request: Request) -> Template | Redirect:
    principal = await page_caller(request, None, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    return await _list_page(request, principal)


@post("/admin/accounts", name="bo_accounts_invite", include_in_schema=False)
async def invite_submit(request: Request) -> Template | Redirect:
    principal = await page_caller(request, None, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    values = _form_input(await request.form())
    try:
        await accounts.invite_account(values["email"], values["name"], values["role"],
                                      values["event_ids"], values["organisation"],
                                      actor=principal.actor)
    except DomainError as exc:
        return await _list_page(request, principal, values=values,
                                errors=_field_error(exc, lang),
                                status_code=status_for(exc.code))
    return Redirect(f"/admin/accounts?done=invited&lang={lang}", status_code=303)


def _account_id(text: str) -> int:
    account_id = parse_db_id(text)
    if account_id is None:
        raise DomainError("not_found", "There is no such account.")
    return account_id


async def _edit_page(request: Request, principal: Principal, account_id: int, *,
                     values: dict | None = None, errors: dict | None = None,
                     status_code: int = 200) -> Template:
    account = await accounts.account_detail(account_id)
    done = request.query_params.get("done")
    return render(request, "backoffice/account_edit.html", status_code=status_code,
                  bo_section="accounts", account=account, values=values or account,
                  events=await accounts.events_for(principal), roles=ACCOUNT_ROLES,
                  organisations=await accounts.coach_organisations(),
                  errors=errors or {}, done=done if done in DONE else None,
                  is_me=principal.account_id == account_id)


@get("/admin/accounts/{account:str}", name="bo_account", include_in_schema=False)
async def account_page(request: Request, account: str) -> Template | Redirect:
    principal = await page_caller(request, None, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    return await _edit_page(request, principal, _account_id(account))


@post("/admin/accounts/{account:str}", name="bo_account_save", include_in_schema=False)
async def account_save(request: Request, account: str) -> Template | Redirect:
    principal = await page_caller(request, None, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    account_id = _account_id(account)
    lang = page_language(request)
    values = _form_input(await request.form())
    try:
        await accounts.update_account(account_id, name=values["name"], role=values["role"],
                                      event_ids=values["event_ids"],
                                      organisation=values["organisation"],
                                      actor=principal.actor)
    except DomainError as exc:
        if exc.code == "not_found":
            raise
        return await _edit_page(request, principal, account_id, values=values,
                                errors=_field_error(exc, lang),
                                status_code=status_for(exc.code))
    return Redirect(f"/admin/accounts/{account_id}?done=saved&lang={lang}", status_code=303)


ACTIONS = {"resend": "resent", "revoke": "revoked", "disable": "disabled", "enable": "enabled"}


@post("/admin/accounts/{account:str}/{action:str}", name="bo_account_action",
      include_in_schema=False)
async def account_action(request: Request, account: str, action: str
                         ) -> Template | Redirect:
    """Re-send or revoke the invitation, disable or enable the account."""
    principal = await page_caller(request, None, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    account_id = _account_id(account)
    if action not in ACTIONS:
        raise DomainError("not_found", "There is no such action.")
    lang = page_language(request)
    try:
        if action == "resend":
            await accounts.resend_invitation(account_id, actor=principal.actor)
        elif action == "revoke":
            await invitations.revoke_invitation(account_id, actor=principal.actor)
        elif action == "disable":
            await accounts.disable_account(account_id, actor=principal.actor)
        else:
            await accounts.enable_account(account_id, actor=principal.actor)
    except DomainError as exc:
        if exc.code == "not_found":
            raise
        return await _edit_page(request, principal, account_id,
                                errors={"form": t(message_key_for(exc.code), lang)},
                                status_code=status_for(exc.code))
    return Redirect(f"/admin/accounts/{account_id}?done={ACTIONS[action]}&lang={lang}",
                    status_code=303)


# ---- the invited person --------------------------------------------------------------

@get("/invite/{token:str}", name="invite_form", include_in_schema=False,
     opt={"rate_limit": "page"})
async def invite_form(request: Request, token: str) -> Template:
    """The form to choose a password. A wrong, used, revoked or expired link: the error
    page (404, "this link does not work")."""
    invitation = await invitations.open_invitation(request.app.state.settings.secret_key,
                                                   token)
    return render(request, "invite.html", invitation=invitation, token=token, errors={})


@post("/invite/{token:str}", name="invite_submit", include_in_schema=False,
      opt={"rate_limit": "login"})
async def invite_password(request: Request, token: str) -> Template | Response:
    secret_key = request.app.state.settings.secret_key
    lang = page_language(request)
    form = await request.form()
    try:
        secret = await invitations.accept_invitation(
            secret_key, token, str(form.get("password", "")), str(form.get("repeat", "")))
    except DomainError as exc:
        if exc.code == "link_invalid":
            raise
        invitation = await invitations.open_invitation(secret_key, token)
        field = exc.field or "password"
        key = "error.weak_password" if exc.code == "weak_password" else message_key_for(exc.code)
        return render(request, "invite.html", status_code=status_for(exc.code),
                      invitation=invitation, token=token, errors={field: t(key, lang)})
    lifetime = int(accounts.SESSION_LIFETIME.total_seconds())
    return Redirect(f"/organiser?lang={lang}", status_code=303,
                    cookies=[_session_cookie(request, secret, lifetime)])


ROUTES = [accounts_page, invite_submit, account_page, account_save, account_action,
          invite_form, invite_password]
