"""The visitor's own page, reached by the secret link from the confirmation e-mail."""

from __future__ import annotations

import msgspec
from litestar import Request, get, post
from litestar.datastructures import Cookie, State
from litestar.response import Redirect, Response, Template

from app.api.params import PathId
from app.errors import status_for
from app.pages.common import page_language, render
from app.pages.data_page import readable_export
from app.pages.pool_visitor import pool_summary
from app.pages.registration import form_context, form_values, input_from_form
from app.pages.stand import VISITOR_COOKIE
from event_ops.core.errors import ValidationFailed
from event_ops.i18n import t
from event_ops.mail.render import badge_url, format_when
from event_ops.messaging.service import set_opt_out
from event_ops.people.profile import (
    cancel_registration,
    load_view,
    update_profile,
    visitor_for_link,
)
from event_ops.people.registration import waiting_rank
from event_ops.privacy.erasure import erase_visitor
from event_ops.privacy.export import visitor_export
from event_ops.taxonomy.esco import esco_uri
from event_ops.taxonomy.service import competencies_by_code


async def _visitor(state: State, token: str) -> dict:
    """The visitor of this secret link; a wrong or old link raises ``link_invalid``: the
    error page (app/errors.py), 404, with the way to ask for a new link."""
    return await visitor_for_link(state.settings, token)


async def _page(request: Request, state: State, token: str, visitor: dict, *,
                errors: dict | None = None, message: str | None = None,
                status_code: int = 200, values: dict | None = None) -> Template:
    lang = page_language(request, saved=visitor["language"])
    view = await load_view(visitor)
    for reg in view.registrations:
        reg["when"] = format_when(reg["starts_at"], reg["ends_at"], lang)
        reg["rank"] = (
            await waiting_rank(reg["event_id"], reg["waiting_position"])
            if reg["status"] == "waiting_list" else None
        )
        reg["badge_url"] = (
            badge_url(state.settings, reg["id"], reg["badge_serial"])
            if reg["status"] == "registered" else None
        )
    if values is None:
        values = {
            "name": visitor["name"], "email": visitor["email"], "phone": visitor["phone"],
            "postcode": visitor["postcode"], "competencies": list(view.competencies),
            "competency_levels": view.competencies, "sectors": visitor["sectors"],
            "education_level": visitor["education_level"],
            "availability": visitor["availability"],
            "consent_share_profile": bool(visitor["share_profile"]),
            "language": visitor["language"],
        }
    return render(
        request, "me.html", status_code=status_code, lang=lang, token=token, view=view,
        values=values, errors=errors or {}, message=message, **await form_context(lang),
        opted_out=bool(visitor.get("messages_opt_out")),
        pool=await pool_summary(visitor["id"]),
    )


@get("/me/{token:str}", name="me")
async def my_page(request: Request, state: State, token: str) -> Template:
    visitor = await _visitor(state, token)
    saved = request.query_params.get("saved")
    lang = page_language(request, saved=visitor["language"])
    message = t("me.saved", lang) if saved == "1" else t("me.cancelled", lang) if saved == "c" \
        else None
    page = await _page(request, state, token, visitor, message=message)
    # Remember the visitor on this phone, so scanning a stand QR can say "I'm interested".
    page.cookies.append(Cookie(
        key=VISITOR_COOKIE, value=token, httponly=True, samesite="lax", path="/",
        secure=state.settings.base_url.startswith("https://"), max_age=60 * 60 * 24 * 60,
    ))
    return page


@post("/me/{token:str}", name="me_save")
async def my_page_save(request: Request, state: State, token: str) -> Template | Redirect:
    visitor = await _visitor(state, token)
    data = input_from_form(await request.form())
    try:
        await update_profile(visitor, data)
    except ValidationFailed as exc:
        lang = page_language(request, saved=visitor["language"])
        return await _page(
            request, state, token, visitor, status_code=status_for(exc.code),
            errors={k: t(v, lang) for k, v in exc.errors.items()},
            values={**form_values(data), "email": visitor["email"]},
        )
    return Redirect(f"/me/{token}?saved=1", status_code=303)


@post("/me/{token:str}/messages", name="me_messages")
async def my_messages_choice(request: Request, state: State, token: str) -> Redirect:
    """Reminders and organisers' messages off (or on again); mails the registration needs
    still come (event_ops/messaging/service.py)."""
    visitor = await _visitor(state, token)
    form = await request.form()
    await set_opt_out(visitor["id"], form.get("messages") != "on", actor="visitor:self")
    return Redirect(f"/me/{token}?saved=1#messages", status_code=303)


@get("/me/{token:str}/cancel/{registration_id:int}", name="me_cancel_confirm")
async def my_registration_cancel_confirm(
    request: Request, state: State, token: str, registration_id: PathId
) -> Template:
    """The confirmation step before cancelling (a plain page: works without JavaScript)."""
    visitor = await _visitor(state, token)
    lang = page_language(request, saved=visitor["language"])
    view = await load_view(visitor)
    reg = next((r for r in view.registrations
                if r["id"] == registration_id and r["status"] != "cancelled"), None)
    if reg is None:
        return render(request, "error.html", status_code=404, message_key="error.generic",
                      lang=lang)
    # Only a place at an event with a limit can go to someone on the waiting list.
    gives_place = reg["status"] == "registered" and reg["capacity"] is not None
    return render(request, "me_cancel.html", lang=lang, token=token, reg=reg,
                  when=format_when(reg["starts_at"], reg["ends_at"], lang),
                  gives_place=gives_place)


@post("/me/{token:str}/cancel/{registration_id:int}", name="me_cancel")
async def my_registration_cancel(
    request: Request, state: State, token: str, registration_id: PathId
) -> Template | Redirect:
    visitor = await _visitor(state, token)
    await cancel_registration(visitor, registration_id)  # not theirs: the error page, 404
    return Redirect(f"/me/{token}?saved=c", status_code=303)


@get("/me/{token:str}/export.json", name="me_export_json")
async def my_data_json(request: Request, state: State, token: str) -> Response | Template:
    """Everything we hold about the visitor, as a JSON download."""
    visitor = await _visitor(state, token)
    data = await visitor_export(visitor["id"])
    # Readable by other systems: each competency with its ESCO skill ("" when not linked).
    data["competencies"] = [{**dict(c), "esco_uri": esco_uri(c["code"])}
                            for c in data["competencies"]]
    return Response(
        msgspec.json.encode(data), media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="mijn-gegevens.json"',
                 "Cache-Control": "no-store"},
    )


@get("/me/{token:str}/export", name="me_export")
async def my_data_page(request: Request, state: State, token: str) -> Template:
    """The same data as a page a person can read."""
    visitor = await _visitor(state, token)
    lang = page_language(request, saved=visitor["language"])
    names = {code: item.name(lang) for code, item in (await competencies_by_code()).items()}
    sections = readable_export(await visitor_export(visitor["id"]), lang, names)
    return render(request, "me_export.html", token=token, sections=sections, lang=lang)


@post("/me/{token:str}/erase", name="me_erase")
async def my_data_erase(request: Request, state: State, token: str) -> Template:
    visitor = await _visitor(state, token)
    form = await request.form()
    lang = page_language(request, saved=visitor["language"])
    if form.get("confirm") != "yes":
        return await _page(request, state, token, visitor, status_code=422,
                           errors={"confirm": t("me.erase_confirm_needed", lang)})
    await erase_visitor(visitor["id"], "visitor:self")
    page = render(request, "error.html", message_key="me.erased", lang=lang)
    page.cookies.append(Cookie(key=VISITOR_COOKIE, value="", max_age=0, path="/"))
    return page
