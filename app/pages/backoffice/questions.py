"""The questions of an event's sign-up form (``/admin/events/{slug}/questions``): add one,
or a suggested one in one click; change, reorder and remove them. A question that has
answers is archived instead of deleted. Organisers of the event (``questions.manage``).
The rules and the audit entries are ``event_ops.questions.service``'s."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events.service import get_event
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.questions import service
from event_ops.questions.tables import QUESTION_KINDS, QUESTION_SHARES
from event_ops.types import parse_db_id

PERMISSION = "questions.manage"
DONE = ("added", "saved", "deleted", "archived", "moved")


async def _caller(request: Request, slug: str) -> tuple[Event, Principal | Redirect]:
    event = await get_event(slug)  # no such event: the error page, 404
    return event, await page_caller(request, event.id, PERMISSION)


def _input(form) -> service.QuestionInput:
    return service.QuestionInput(
        kind=str(form.get("kind", "")), label_nl=str(form.get("label_nl", "")),
        label_en=str(form.get("label_en", "")), help_nl=str(form.get("help_nl", "")),
        help_en=str(form.get("help_en", "")), options=str(form.get("options", "")),
        required=form.get("required") == "yes", share=str(form.get("share", "")))


def _values(data: service.QuestionInput) -> dict:
    return {"kind": data.kind, "label_nl": data.label_nl, "label_en": data.label_en,
            "help_nl": data.help_nl, "help_en": data.help_en, "options": data.options,
            "required": data.required, "share": data.share}


def _errors(exc: DomainError, lang: str) -> dict[str, str]:
    if isinstance(exc, ValidationFailed):
        return {name: t(key, lang) for name, key in exc.errors.items()}
    return {exc.field or "form": t(message_key_for(exc.code), lang)}


async def _list_page(request: Request, event: Event, *, values: dict | None = None,
                     errors: dict | None = None, status_code: int = 200) -> Template:
    questions = await service.questions_for(event.id, include_archived=True)
    done = request.query_params.get("done")
    return render(request, "backoffice/questions.html", status_code=status_code,
                  event=event, bo_section="questions",
                  questions=[q for q in questions if not q.archived],
                  archived=[q for q in questions if q.archived],
                  # A suggestion already on the form is not offered again.
                  presets=[key for key, preset in service.PRESETS.items()
                           if all(q.label_nl != preset.label_nl for q in questions
                                  if not q.archived)],
                  kinds=QUESTION_KINDS, shares=QUESTION_SHARES,
                  values=values or {"kind": "short_text", "share": "never"},
                  errors=errors or {}, done=done if done in DONE else None)


@get("/admin/events/{slug:str}/questions", name="bo_questions", include_in_schema=False)
async def questions_page(request: Request, slug: str) -> Template | Redirect:
    event, principal = await _caller(request, slug)
    if not isinstance(principal, Principal):
        return principal
    return await _list_page(request, event)


@post("/admin/events/{slug:str}/questions", name="bo_questions_add", include_in_schema=False)
async def question_add(request: Request, slug: str) -> Template | Redirect:
    event, principal = await _caller(request, slug)
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    data = _input(await request.form())
    try:
        await service.create_question(event.id, data, actor=principal.actor)
    except DomainError as exc:
        return await _list_page(request, event, values=_values(data),
                                errors=_errors(exc, lang), status_code=status_for(exc.code))
    return Redirect(f"/admin/events/{slug}/questions?done=added&lang={lang}", status_code=303)


@post("/admin/events/{slug:str}/questions/preset", name="bo_questions_preset",
      include_in_schema=False)
async def question_preset(request: Request, slug: str) -> Template | Redirect:
    event, principal = await _caller(request, slug)
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    try:
        await service.add_preset(event.id, str((await request.form()).get("preset", "")),
                                 actor=principal.actor)
    except DomainError as exc:
        if exc.code == "question_not_found":
            raise
        return await _list_page(request, event, errors=_errors(exc, lang),
                                status_code=status_for(exc.code))
    return Redirect(f"/admin/events/{slug}/questions?done=added&lang={lang}", status_code=303)


async def _question(event: Event, text: str) -> service.QuestionView:
    question_id = parse_db_id(text)
    if question_id is None:
        raise DomainError("question_not_found", "This event has no such question.")
    return await service.get_question(event.id, question_id)


async def _edit_page(request: Request, event: Event, question: service.QuestionView, *,
                     values: dict | None = None, errors: dict | None = None,
                     status_code: int = 200) -> Template:
    if values is None:
        values = {"kind": question.kind, "label_nl": question.label_nl,
                  "label_en": question.label_en, "help_nl": question.help_nl,
                  "help_en": question.help_en, "options": question.options_text(),
                  "required": question.required, "share": question.share}
    return render(request, "backoffice/question_edit.html", status_code=status_code,
                  event=event, bo_section="questions", question=question, values=values,
                  kinds=QUESTION_KINDS, shares=QUESTION_SHARES, errors=errors or {})


@get("/admin/events/{slug:str}/questions/{question:str}", name="bo_question",
     include_in_schema=False)
async def question_page(request: Request, slug: str, question: str) -> Template | Redirect:
    event, principal = await _caller(request, slug)
    if not isinstance(principal, Principal):
        return principal
    return await _edit_page(request, event, await _question(event, question))


@post("/admin/events/{slug:str}/questions/{question:str}", name="bo_question_save",
      include_in_schema=False)
async def question_save(request: Request, slug: str, question: str) -> Template | Redirect:
    event, principal = await _caller(request, slug)
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    view = await _question(event, question)
    data = _input(await request.form())
    try:
        await service.update_question(event.id, view.id, data, actor=principal.actor)
    except DomainError as exc:
        if exc.code == "question_not_found":
            raise
        return await _edit_page(request, event, view, values=_values(data),
                                errors=_errors(exc, lang), status_code=status_for(exc.code))
    return Redirect(f"/admin/events/{slug}/questions?done=saved&lang={lang}", status_code=303)


@post("/admin/events/{slug:str}/questions/{question:str}/{action:str}",
      name="bo_question_action", include_in_schema=False)
async def question_action(request: Request, slug: str, question: str, action: str
                          ) -> Redirect:
    """``up`` / ``down`` (reorder) or ``remove`` (delete, or archive when answered)."""
    event, principal = await _caller(request, slug)
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    view = await _question(event, question)
    if action in ("up", "down"):
        await service.move_question(event.id, view.id, action, actor=principal.actor)
        done = "moved"
    elif action == "remove":
        done = await service.remove_question(event.id, view.id, actor=principal.actor)
    else:
        raise DomainError("not_found", "There is no such action.")
    return Redirect(f"/admin/events/{slug}/questions?done={done}&lang={lang}#questions-list",
                    status_code=303)


ROUTES = [questions_page, question_add, question_preset, question_page, question_save,
          question_action]
