"""A visitor's personal invitation link ``/i/<token>`` (``event_ops/people/invitations.py``):
the event's sign-up form, filled in with what the sheet knew, also for an event that is by
invitation only. Opening it marks the invitation opened; signing up through it marks it
registered and stores the registration with ``source = 'invitation'``.

(Staff account invitations are ``/invite/<token>``, a different thing.)"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.response import Redirect, Template

from app.errors import message_key_for, status_for
from app.pages.common import page_language, render
from app.pages.registration import (
    confirmation_path,
    form_context,
    form_values,
    input_from_form,
    question_context,
)
from event_ops import clock
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events.service import check_invited_signup
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.people import invitations as inv
from event_ops.people.registration import register


async def _invitation(state: State, token: str) -> tuple[dict, Event]:
    """The invitation and its event; ``invitation_not_found`` (404 page) for a wrong link,
    the sign-up rules' own errors (closed, archived) otherwise."""
    invitation = await inv.invitation_for_token(state.settings.secret_key, token)
    event = None
    if invitation is not None:
        event = await Event.objects().where(Event.id == invitation["event"]).first()
    if invitation is None or event is None:
        raise DomainError("invitation_not_found", "There is no such invitation.")
    check_invited_signup(event, clock.now())
    return invitation, event


def _lang(request: Request, invitation: dict) -> str:
    return page_language(request, saved=invitation["language"])


@get("/i/{token:str}", name="invitation_form", opt={"rate_limit": "visitor"},
     include_in_schema=False)
async def invitation_form(request: Request, token: str, state: State) -> Template:
    invitation, event = await _invitation(state, token)
    await inv.mark_opened(invitation["id"])
    lang = _lang(request, invitation)
    values = {"name": invitation["name"], "email": invitation["email"],
              "phone": invitation["phone"], "language": lang}
    return render(request, "register.html", lang=lang, event=event, values=values, errors={},
                  form_action=f"{inv.LINK_PREFIX}{token}", invited=True,
                  **await form_context(lang), **await question_context(event, lang))


@post("/i/{token:str}", name="invitation_submit", opt={"rate_limit": "signup"},
      include_in_schema=False)
async def invitation_submit(request: Request, token: str, state: State
                            ) -> Template | Redirect:
    invitation, event = await _invitation(state, token)
    lang = _lang(request, invitation)
    data = input_from_form(await request.form())
    invitation_id = invitation["id"]

    async def registered(registration_id: int) -> None:
        await inv.mark_registered(invitation_id, registration_id)

    context = {"form_action": f"{inv.LINK_PREFIX}{token}", "invited": True}
    try:
        outcome = await register(event, data, source="invitation", after=registered)
    except ValidationFailed as exc:
        return render(
            request, "register.html", status_code=status_for(exc.code), lang=lang, event=event,
            values=form_values(data), errors={k: t(v, lang) for k, v in exc.errors.items()},
            **context, **await form_context(lang), **await question_context(event, lang))
    except DomainError as exc:
        if exc.code == "already_registered":
            return Redirect(f"/events/{event.slug}/registered?lang={lang}", status_code=303)
        return render(
            request, "register.html", status_code=status_for(exc.code), lang=lang,
            event=event, values=form_values(data),
            errors={exc.field or "form": t(message_key_for(exc.code), lang)},
            **context, **await form_context(lang), **await question_context(event, lang))
    return Redirect(confirmation_path(state.settings, event, outcome, lang), status_code=303)


ROUTES = [invitation_form, invitation_submit]
