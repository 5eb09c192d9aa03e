"""The questions of an event's sign-up form, for integrations (organisers of the event).
Visitors answer them in ``POST /api/v1/events/{slug}/registrations`` (``answers``)."""

from __future__ import annotations

import msgspec
from litestar import get

from app.api.auth import api_router, requires
from event_ops.events.tables import Event
from event_ops.questions.service import questions_for


class OptionOut(msgspec.Struct):
    key: str
    nl: str
    en: str


class QuestionOut(msgspec.Struct):
    id: int
    kind: str  # short_text | one_choice | several_choices | yes_no
    label: dict[str, str]
    help: dict[str, str]
    options: list[OptionOut]
    required: bool
    share: str  # with_consent | never
    position: int
    archived: bool


@get("/events/{slug:str}/questions", opt=requires("questions.manage"))
async def list_questions(event: Event) -> list[QuestionOut]:
    """The questions in form order, archived ones last (their answers are kept)."""
    return [QuestionOut(id=q.id, kind=q.kind, label={"nl": q.label_nl, "en": q.label_en},
                        help={"nl": q.help_nl, "en": q.help_en},
                        options=[OptionOut(k, nl, en) for k, nl, en in q.options],
                        required=q.required, share=q.share, position=q.position,
                        archived=q.archived)
            for q in await questions_for(event.id, include_archived=True)]


ROUTER = api_router("/api/v1", [list_questions], tags=["questions"])
