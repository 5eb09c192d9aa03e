"""The visitor's side of a stand: scanning the employer's stand QR says "I'm interested"."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.response import Template

from app.pages.common import page_language, render
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings
from event_ops.interests.service import visitor_says_interested
from event_ops.links import PURPOSE_STAND, check_link_token, link_token_id, make_link_token
from event_ops.people.profile import visitor_for_link

VISITOR_COOKIE = "eo_me"


def stand_url(settings: Settings, employer_id: int) -> str:
    token = make_link_token(settings.secret_key, PURPOSE_STAND, employer_id)
    return f"{settings.base_url}/s/{token}"


async def _stand(settings: Settings, token: str) -> dict | None:
    from event_ops.core.db import current_engine

    employer_id = link_token_id(token)
    if employer_id is None or not check_link_token(settings.secret_key, PURPOSE_STAND, token):
        return None
    rows = await current_engine().fetch(
        "SELECT e.id, e.name, e.event, s.label FROM employer e"
        " LEFT JOIN stand s ON s.id = e.stand WHERE e.id = ?", [employer_id])
    return rows[0] if rows else None


async def _visitor_registration(request: Request, settings: Settings, event_id: int):
    link = request.cookies.get(VISITOR_COOKIE)
    if not link:
        return None, None
    try:
        visitor = await visitor_for_link(settings, link)
    except DomainError:
        return None, None
    from event_ops.core.db import current_engine

    rows = await current_engine().fetch(
        "SELECT id FROM registration WHERE event = ? AND visitor = ? AND status = 'registered'",
        [event_id, visitor["id"]])
    return visitor, (rows[0]["id"] if rows else None)


@get("/s/{token:str}", name="stand")
async def stand_page(request: Request, token: str, state: State) -> Template:
    stand = await _stand(state.settings, token)
    if stand is None:
        return render(request, "error.html", status_code=404, message_key="error.link_invalid")
    visitor, registration_id = await _visitor_registration(request, state.settings,
                                                           stand["event"])
    return render(request, "stand.html", stand=stand, token=token,
                  known=visitor is not None, registered=registration_id is not None,
                  lang=page_language(request, (visitor or {}).get("language")))


@post("/s/{token:str}", name="stand_interest")
async def stand_interest(request: Request, token: str, state: State) -> Template:
    stand = await _stand(state.settings, token)
    if stand is None:
        return render(request, "error.html", status_code=404, message_key="error.link_invalid")
    visitor, registration_id = await _visitor_registration(request, state.settings,
                                                           stand["event"])
    if registration_id is None:
        return render(request, "stand.html", status_code=403, stand=stand, token=token,
                      known=visitor is not None, registered=False)
    mutual = await visitor_says_interested(stand["event"], registration_id, stand["id"])
    return render(request, "stand.html", stand=stand, token=token, known=True,
                  registered=True, saved=True, mutual=mutual,
                  lang=page_language(request, visitor["language"]))
