"""Job coaches in the back office: sign a client up for an event
(``/admin/events/{slug}/coach/register``, for coaches assigned to the event and organisers),
the page after it with the badge to print or hand over, and the caseload
(``/admin/caseload``) with the notes of the coach's organisation.

The rules live in ``event_ops.people.caseload`` (who is whose client, the notes) and
``event_ops.people.registration`` (the sign-up itself); this module reads forms, calls them
and renders."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template

from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from app.pages.registration import form_context, form_values, input_from_form, question_context
from event_ops import clock
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.links import (
    PURPOSE_BADGE,
    check_expiring_token,
    make_expiring_token,
    make_link_token,
)
from event_ops.people import caseload as cases
from event_ops.types import parse_db_id

# The page after a sign-up is reached by a signed, expiring link (a reload never signs up
# twice). Only a sign-up that made a new visitor may show the badge (anyone can type
# someone else's address: ``RegistrationOutcome.answer_may_link``), so the link says which.
PURPOSE_NEW = "coach-registered-new"
PURPOSE_KNOWN = "coach-registered-known"
DONE_SECONDS = 12 * 60 * 60  # the coach may come back to print within the working day


def _coach_id(principal: Principal) -> int | None:
    """The coach whose team's clients the caller sees; None for organisers (all)."""
    return principal.account_id if principal.role == "job_coach" else None


async def _form(request: Request, event: Event, *, values: dict | None = None,
                errors: dict | None = None, status_code: int = 200) -> Template:
    lang = page_language(request)
    return render(request, "backoffice/coach_register.html", status_code=status_code,
                  event=event, bo_section="coach", values=values or {"language": lang},
                  errors=errors or {}, email_optional=True,
                  **await form_context(lang), **await question_context(event, lang))


@get("/admin/events/{slug:str}/coach/register", name="coach_register_form",
     include_in_schema=False)
async def coach_register_form(request: Request, slug: str) -> Template | Redirect:
    event = await get_event(slug)  # no such event: the error page, 404
    principal = await page_caller(request, event.id, "coach.register")
    if not isinstance(principal, Principal):
        return principal
    return await _form(request, event)


@post("/admin/events/{slug:str}/coach/register", name="coach_register_submit",
      include_in_schema=False)
async def coach_register_submit(request: Request, slug: str,
                                state: State) -> Template | Redirect:
    event = await get_event(slug)
    principal = await page_caller(request, event.id, "coach.register")
    if not isinstance(principal, Principal):
        return principal
    assert principal.account_id is not None  # page callers are signed-in accounts
    lang = page_language(request)
    data = input_from_form(await request.form())
    try:
        outcome = await cases.register_client(event, data, principal.account_id)
    except ValidationFailed as exc:
        return await _form(request, event, values=form_values(data),
                           errors={k: t(v, lang) for k, v in exc.errors.items()},
                           status_code=status_for(exc.code))
    except DomainError as exc:
        key = "coach.already" if exc.code == "already_registered" else message_key_for(exc.code)
        return await _form(request, event, values=form_values(data),
                           errors={exc.field or "form": t(key, lang)},
                           status_code=status_for(exc.code))
    purpose = PURPOSE_NEW if outcome.answer_may_link else PURPOSE_KNOWN
    token = make_expiring_token(state.settings.secret_key, purpose, outcome.registration_id,
                                int(clock.now().timestamp()) + DONE_SECONDS)
    return Redirect(f"/admin/events/{slug}/coach/registered/{token}?lang={lang}",
                    status_code=303)


@get("/admin/events/{slug:str}/coach/registered/{token:str}", name="coach_registered",
     include_in_schema=False)
async def coach_registered(request: Request, slug: str, token: str,
                           state: State) -> Template | Redirect:
    """The sign-up just made: status, whether a mail goes out, and the badge to print or
    hand over (a new visitor only). Only the coach's team (or an organiser) may open it."""
    event = await get_event(slug)
    principal = await page_caller(request, event.id, "coach.register")
    if not isinstance(principal, Principal):
        return principal
    secret = state.settings.secret_key
    now = int(clock.now().timestamp())
    registration_id = check_expiring_token(secret, PURPOSE_NEW, token, now)
    may_link = registration_id is not None
    if registration_id is None:
        registration_id = check_expiring_token(secret, PURPOSE_KNOWN, token, now)
    row = None
    if registration_id is not None:
        row = await cases.signed_up_client(event.id, registration_id, _coach_id(principal))
    if row is None:
        raise DomainError("not_found", "This link has expired or is not yours.")
    badge = None
    if may_link and row["status"] == "registered":
        badge = make_link_token(secret, PURPOSE_BADGE, row["id"], row["badge_serial"])
    return render(request, "backoffice/coach_registered.html", event=event,
                  bo_section="coach", row=row, badge=badge,
                  base_url=state.settings.base_url)


# ---- caseload -------------------------------------------------------------------------------

@get("/admin/caseload", name="caseload", include_in_schema=False)
async def caseload_page(request: Request) -> Template | Redirect:
    principal = await page_caller(request, None, "caseload.read")
    if not isinstance(principal, Principal):
        return principal
    return await _caseload(request, principal)


async def _caseload(request: Request, principal: Principal, *, errors: dict | None = None,
                    note_for: int | None = None, note_text: str = "",
                    status_code: int = 200) -> Template:
    assert principal.account_id is not None
    team = await cases.team_for(principal.account_id)
    clients = await cases.caseload(team)
    done = request.query_params.get("done")
    return render(request, "backoffice/caseload.html", status_code=status_code,
                  bo_section="caseload", clients=clients,
                  organisation=None if team.key.startswith("account:") else team.key,
                  events=await cases.coach_events(principal.account_id),
                  errors=errors or {}, note_for=note_for, note_text=note_text,
                  saved=done == "note")


@post("/admin/caseload/clients/{visitor:str}/notes", name="caseload_note",
      include_in_schema=False)
async def caseload_note(request: Request, visitor: str) -> Template | Redirect:
    principal = await page_caller(request, None, "caseload.write")
    if not isinstance(principal, Principal):
        return principal
    assert principal.account_id is not None
    visitor_id = parse_db_id(visitor)
    if visitor_id is None:
        raise DomainError("client_not_found", "This person is not one of your clients.")
    lang = page_language(request)
    body = str((await request.form()).get("body", ""))
    team = await cases.team_for(principal.account_id)
    try:
        await cases.add_note(team, visitor_id, body)
    except ValidationFailed as exc:
        return await _caseload(request, principal, note_for=visitor_id, note_text=body,
                               errors={f"note-{visitor_id}": t(v, lang)
                                       for v in exc.errors.values()},
                               status_code=422)
    return Redirect(f"/admin/caseload?done=note&lang={lang}#client-{visitor_id}",
                    status_code=303)


ROUTES = [coach_register_form, coach_register_submit, coach_registered, caseload_page,
          caseload_note]
