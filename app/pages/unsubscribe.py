"""Unsubscribing from reminders and organisers' messages: the link at the end of every
visitor mail and SMS, and the one-click ``POST`` mail programs send (RFC 8058).

The token in the path is the authorisation (an HMAC link, see ``event_ops/links.py``), so
these routes are left out of the CSRF check: a mail program's one-click POST has no cookie.
A ``GET`` never changes anything (mail scanners open links), it shows the button.
"""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Template

from app.pages.common import page_language, render
from event_ops.links import check_link_token, link_token_id
from event_ops.messaging.render import PURPOSE_UNSUBSCRIBE
from event_ops.messaging.service import set_opt_out


def _visitor_id(request: Request, token: str) -> int | None:
    secret = request.app.state.settings.secret_key
    if not check_link_token(secret, PURPOSE_UNSUBSCRIBE, token, 1):
        return None
    return link_token_id(token)


@get("/unsubscribe/{token:str}", name="unsubscribe", opt={"rate_limit": "visitor"},
     include_in_schema=False)
async def unsubscribe_form(request: Request, token: str) -> Template:
    if _visitor_id(request, token) is None:
        return render(request, "unsubscribe.html", status_code=404, invalid=True, token="")
    return render(request, "unsubscribe.html", token=token, state="")


@post("/unsubscribe/{token:str}", name="unsubscribe_submit", opt={"rate_limit": "visitor"},
      include_in_schema=False, status_code=200)
async def unsubscribe_submit(request: Request, token: str) -> Template:
    visitor_id = _visitor_id(request, token)
    if visitor_id is None:
        return render(request, "unsubscribe.html", status_code=404, invalid=True, token="")
    form = await request.form()
    opt_in = form.get("action") == "opt_in"
    await set_opt_out(visitor_id, not opt_in, actor="visitor:self")
    return render(request, "unsubscribe.html", token=token,
                  state="back_on" if opt_in else "done", lang=page_language(request))


ROUTES = [unsubscribe_form, unsubscribe_submit]
