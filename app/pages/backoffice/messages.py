"""Organisers write to a selection of an event's visitors: write → preview (per language,
with the number of recipients per channel) → send through the outbox → progress and the
list of recipients. Rules live in ``event_ops/messaging/service.py``."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.errors import message_key_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.mail.outbox import failed_mails, retry_failed
from event_ops.messaging.selection import ATTENDANCE, CHANNELS, LANGUAGES, STATUSES, Selection
from event_ops.messaging.service import (
    Draft,
    count_recipients,
    get_message,
    list_messages,
    message_progress,
    send_message,
)

PERMISSION = "messages.send"


async def _caller(request: Request, slug: str) -> tuple[Event, Principal] | Redirect:
    event = await get_event(slug)
    principal = await page_caller(request, event.id, PERMISSION)
    if not isinstance(principal, Principal):
        return principal
    return event, principal


async def _read_form(request: Request) -> tuple[Draft, Selection | None, dict[str, str]]:
    form = await request.form()
    draft = Draft(**{f: str(form.get(f) or "").strip()
                     for f in ("subject_nl", "body_nl", "subject_en", "body_en")})
    problems = {field: f"messages.error.{code}" for field, code in draft.check().items()}
    try:
        selection: Selection | None = Selection.from_form(
            form, [str(s) for s in form.getall("statuses", [])])
    except DomainError:
        selection = None
        problems["statuses"] = "messages.error.required"
    return draft, selection, problems


async def _page(request: Request, event: Event, *, status_code: int = 200, **context: object
                ) -> Template:
    context.setdefault("draft", Draft(subject_nl="", body_nl=""))
    context.setdefault("selection", Selection())
    context.setdefault("problems", {})
    return render(request, "backoffice/messages.html", status_code=status_code, event=event,
                  bo_section="messages", sms_on=bool(request.app.state.settings.sms_url),
                  statuses=STATUSES, attendance=ATTENDANCE, languages=LANGUAGES,
                  channels=CHANNELS, sent=await list_messages(event.id),
                  failed=await failed_mails(event.id), **context)


@get("/admin/events/{slug:str}/messages", name="messages", include_in_schema=False)
async def messages_page(request: Request, slug: str) -> Template | Redirect:
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    return await _page(request, found[0])


@post("/admin/events/{slug:str}/messages/preview", name="messages_preview",
      include_in_schema=False, status_code=200)
async def messages_preview(request: Request, slug: str) -> Template | Redirect:
    """The message as each language's readers get it, and how many it reaches; nothing is
    stored or sent yet."""
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, _ = found
    draft, selection, problems = await _read_form(request)
    if problems or selection is None:
        return await _page(request, event, status_code=422, draft=draft,
                           selection=selection or Selection(), problems=problems)
    counts = await count_recipients(event.id, selection,
                                    sms_on=bool(request.app.state.settings.sms_url))
    if not counts["total"]:
        return await _page(request, event, status_code=422, draft=draft, selection=selection,
                           problems={"selection": "messages.error.no_recipients"})
    return render(request, "backoffice/messages_preview.html", event=event,
                  bo_section="messages", draft=draft, selection=selection, counts=counts)


@post("/admin/events/{slug:str}/messages/edit", name="messages_edit", include_in_schema=False,
      status_code=200)
async def messages_edit(request: Request, slug: str) -> Template | Redirect:
    """Back from the preview to the form, with everything as it was typed."""
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    draft, selection, _ = await _read_form(request)
    return await _page(request, found[0], draft=draft, selection=selection or Selection())


@post("/admin/events/{slug:str}/messages", name="messages_send", include_in_schema=False)
async def messages_send(request: Request, slug: str) -> Template | Redirect:
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, principal = found
    draft, selection, problems = await _read_form(request)
    if problems or selection is None:
        return await _page(request, event, status_code=422, draft=draft,
                           selection=selection or Selection(), problems=problems)
    try:
        message_id = await send_message(event.id, draft, selection, actor=principal.actor,
                                        sms_on=bool(request.app.state.settings.sms_url))
    except DomainError as exc:
        return await _page(request, event, status_code=422, draft=draft, selection=selection,
                           problems={"selection": message_key_for(exc.code)})
    return Redirect(f"/admin/events/{event.slug}/messages/{message_id}"
                    f"?lang={page_language(request)}", status_code=303)


@get("/admin/events/{slug:str}/messages/{message_id:int}", name="message_detail",
     include_in_schema=False)
async def message_detail(request: Request, slug: str, message_id: int) -> Template | Redirect:
    """The message, its progress (refreshes itself while mails are waiting) and recipients."""
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    event, _ = found
    message = await get_message(event.id, message_id)
    return render(request, "backoffice/message.html", event=event, bo_section="messages",
                  message=message, progress=await message_progress(message_id))


@post("/admin/events/{slug:str}/messages/retry", name="messages_retry",
      include_in_schema=False)
async def messages_retry(request: Request, slug: str) -> Redirect:
    """Put the event's failed mails and text messages back in the queue (after the mail
    server or SMS gateway is fixed)."""
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    await retry_failed(found[0].id)
    return Redirect(f"/admin/events/{slug}/messages?lang={page_language(request)}#failed",
                    status_code=303)


@get("/admin/events/{slug:str}/messages/{message_id:int}/progress",
     name="message_progress", include_in_schema=False)
async def message_progress_json(request: Request, slug: str, message_id: int
                                ) -> dict[str, int] | Redirect:
    """The progress bar's numbers (static/js/message-progress.js asks every 2 s)."""
    found = await _caller(request, slug)
    if not isinstance(found, tuple):
        return found
    await get_message(found[0].id, message_id)  # another event's message: 404
    return await message_progress(message_id)


ROUTES = [message_progress_json, messages_retry, messages_page, messages_preview, messages_edit,
          messages_send, message_detail]
