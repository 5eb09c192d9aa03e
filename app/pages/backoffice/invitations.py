"""Back office: invitations of visitors for one event (organisers and the event's job
coaches). Import a sheet (upload → preview → confirm), the list with invited → opened →
registered per person, and resending a link. Every change goes through
``event_ops.people.invitations`` (checked and audited)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State, UploadFile
from litestar.response import Redirect, Response, Template

from app.api.auth import SESSION_COOKIE
from app.api.employers import IMPORT_BODY_LIMIT
from app.api.params import PathId
from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.employers.uploads import forget_upload, keep_upload, kept_upload
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.people import invitations as inv

PERMISSION = "invitations.manage"


async def _event_and_caller(request: Request, slug: str) -> tuple[Event, Principal] | Redirect:
    event = await get_event(slug)  # none: the 404 error page
    principal = await page_caller(request, event.id, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    return event, principal


async def _page(request: Request, state: State, event: Event, principal: Principal, *,
                status_code: int = 200, errors: list[dict] | None = None,
                result: Any = None, upload_id: str = "", filename: str = "") -> Template:
    rows, counts = await inv.list_invitations(event.id, principal)
    query = request.query_params
    done = None
    if query.get("imported"):
        created, _, known = query["imported"].partition(".")
        if created.isdigit() and known.isdigit():
            done = t("inv.imported", page_language(request), created=created, known=known)
    elif query.get("resent"):
        done = t("inv.resent", page_language(request))
    return render(request, "backoffice/invitations.html", status_code=status_code,
                  event=event, bo_section="invitations", errors=errors or [], result=result,
                  upload_id=upload_id, filename=filename, columns=inv.COLUMNS,
                  invitations=rows, counts=counts, sms_on=bool(state.settings.sms_url),
                  coach_view=principal.role == inv.COACH_ROLE, done=done)


@get("/admin/events/{slug:str}/invitations", name="bo_invitations", include_in_schema=False)
async def invitations_page(request: Request, slug: str, state: State) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _page(request, state, *found)


@get(["/admin/events/{slug:str}/invitations/template.csv",
      "/admin/events/{slug:str}/invitations/template.xlsx"], name="bo_invitations_template",
     include_in_schema=False)
async def invitations_template(request: Request, slug: str) -> Response | Redirect:
    """The sheet to fill in, with example rows: CSV for Dutch Excel or XLSX."""
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    kind = request.url.path.rsplit(".", 1)[-1]
    if kind == "csv":
        body, media = inv.template_csv(), "text/csv; charset=utf-8"
    else:
        body = inv.template_xlsx()
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="uitnodigingen-sjabloon.{kind}"'})


@post("/admin/events/{slug:str}/invitations/import", name="bo_invitations_upload",
      include_in_schema=False, request_max_body_size=IMPORT_BODY_LIMIT)
async def invitations_upload(request: Request, slug: str, state: State) -> Template | Redirect:
    """Check the sheet and show the preview (or every problem with row and column).
    Nothing is stored or sent yet; the file is kept for the confirmation."""
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    lang = page_language(request)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _page(request, state, event, principal, status_code=422, errors=[
            {"field": "file", "message": t("error.import_no_file", lang)}])
    content = await upload.read()
    sms_on = bool(state.settings.sms_url)
    try:
        result = await inv.import_invitations(event, content, principal=principal,
                                              sms_on=sms_on, dry_run=True)
    except DomainError as exc:
        return await _page(request, state, event, principal,
                           status_code=status_for(exc.code), errors=[
                               {"field": "file", "message": t(message_key_for(exc.code), lang)}])
    if result.problems:
        return await _page(request, state, event, principal, status_code=422, result=result,
                           filename=upload.filename)
    upload_id = await keep_upload(event.id, request.cookies.get(SESSION_COOKIE, ""),
                                  upload.filename, content)
    return await _page(request, state, event, principal, result=result, upload_id=upload_id,
                       filename=upload.filename)


@post("/admin/events/{slug:str}/invitations/import/confirm", name="bo_invitations_confirm",
      include_in_schema=False)
async def invitations_confirm(request: Request, slug: str, state: State) -> Template | Redirect:
    """Store the previewed sheet and send the links (checked again: all or nothing)."""
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    lang = page_language(request)
    upload_id = str((await request.form()).get("upload_id", ""))[:100]
    try:
        filename, content = await kept_upload(event.id, request.cookies.get(SESSION_COOKIE, ""),
                                              upload_id)
    except DomainError as exc:
        return await _page(request, state, event, principal,
                           status_code=status_for(exc.code), errors=[
                               {"field": "file", "message": t(message_key_for(exc.code), lang)}])
    result = await inv.import_invitations(event, content, principal=principal,
                                          sms_on=bool(state.settings.sms_url))
    if result.problems:  # the accounts changed since the preview
        return await _page(request, state, event, principal, status_code=422, result=result,
                           filename=filename)
    await forget_upload(upload_id)
    return Redirect(f"/admin/events/{slug}/invitations?lang={lang}"
                    f"&imported={result.created}.{result.known}")


@post("/admin/events/{slug:str}/invitations/{invitation_id:int}/resend",
      name="bo_invitation_resend", include_in_schema=False)
async def invitation_resend(request: Request, slug: str, invitation_id: PathId,
                            state: State) -> Template | Redirect:
    found = await _event_and_caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    lang = page_language(request)
    try:
        await inv.resend(event.id, invitation_id, principal, sms_on=bool(state.settings.sms_url))
    except DomainError as exc:
        return await _page(request, state, event, principal,
                           status_code=status_for(exc.code),
                           errors=[{"field": "", "message": t(message_key_for(exc.code), lang)}])
    return Redirect(f"/admin/events/{slug}/invitations?lang={lang}&resent=1")


ROUTES = [invitations_page, invitations_template, invitations_upload, invitations_confirm,
          invitation_resend]
