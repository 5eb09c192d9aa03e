"""Public pages about the visitor's rights: the terms, the privacy statement, and asking
for the link to one's own page again."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.pages.common import page_language, render
from event_ops.localtime import local_time
from event_ops.people.lost_link import request_new_link
from event_ops.privacy.legal import legal_text


async def _legal_page(request: Request, kind: str) -> Template:
    lang = page_language(request)
    text = await legal_text(kind, lang, version=request.query_params.get("version"))
    if text is None:
        return render(request, "error.html", status_code=404, lang=lang,
                      message_key="legal.not_found")
    return render(request, "legal.html", lang=lang, kind=kind, text=text,
                  published=local_time(text.published_at, lang, "date"))


@get("/terms", name="terms")
async def terms_page(request: Request) -> Template:
    """The terms a visitor accepts when signing up (``?version=`` shows an older one)."""
    return await _legal_page(request, "terms")


@get("/privacy", name="privacy")
async def privacy_page(request: Request) -> Template:
    """The privacy statement: what we keep, why, who sees it, how long, your rights."""
    return await _legal_page(request, "privacy")


# Under /me/ on purpose: the rate limit for public secret-link pages covers it
# (app/security.py, PUBLIC_THROTTLED), besides the one-mail-per-10-minutes per address.
# The POST names the "mail" bucket of the per-purpose limits (app/ratelimit.py, being
# merged): it sends mail to a typed-in address.
@get("/me/new-link", name="link_request")
async def link_request_form(request: Request) -> Template:
    sent = request.query_params.get("sent") == "1"
    return render(request, "link_request.html", sent=sent)


@post("/me/new-link", name="link_request_submit", opt={"rate_limit": "mail"})
async def link_request_submit(request: Request) -> Redirect:
    """The same answer whether or not the address is known (no one learns who signed up)."""
    form = await request.form()
    await request_new_link(str(form.get("email", "")))
    return Redirect(f"/me/new-link?sent=1&lang={page_language(request)}", status_code=303)


ROUTES = [terms_page, privacy_page, link_request_form, link_request_submit]
