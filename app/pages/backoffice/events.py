"""Back-office pages for events: the list (with archived ones on request), a new event, an
event's details (every field, with optimistic locking), copy, archive and bring back.

Times are typed and shown in Europe/Amsterdam and stored in UTC (``editing.local_input``).
Saving a form always keeps what the person typed on the page when it is refused: field
errors (422), someone else's save in between (409, their values next to the fields), or the
question what to do with a published meeting schedule (409, a choice to make).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.errors import message_key_for, status_for
from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops.access.permissions import PERMISSIONS
from event_ops.access.tokens import Principal
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events import editing
from event_ops.events.tables import BADGE_SIZES, EVENT_KINDS, LANGUAGES, VISIBILITIES
from event_ops.i18n import t
from event_ops.programmes.service import list_programmes
from event_ops.types import MAX_DB_ID

LABEL_KEYS = {
    "slug": "bo.ev.slug", "name": "bo.ev.name", "kind": "bo.ev.kind",
    "programme": "bo.ev.programme", "starts": "bo.ev.starts", "ends": "bo.ev.ends",
    "venue": "bo.ev.venue", "address": "bo.ev.address", "route": "bo.ev.route",
    "description": "bo.ev.description", "capacity": "bo.ev.capacity",
    "registration_opens": "bo.ev.registration_opens",
    "registration_closes": "bo.ev.registration_closes", "languages": "bo.ev.languages",
    "retention_months": "bo.ev.retention_months", "visibility": "bo.ev.visibility",
    "badge_size": "bo.ev.badge_size", "schedule": "bo.ev.schedule_question",
}
PAGE_SIZE = 50  # events per page of the list
FORM_FIELDS = ("name", "kind", "programme", "starts", "ends", "venue", "address", "route",
               "description", "capacity", "registration_opens", "registration_closes",
               "retention_months", "visibility", "badge_size")


def form_values(row: dict) -> dict[str, Any]:
    """A stored event as the form shows it (Amsterdam times, languages as a list)."""
    return {
        "slug": row["slug"], "name": row["name"], "kind": row["kind"],
        "programme": row["programme"], "starts": editing.local_value(row["starts_at"]),
        "ends": editing.local_value(row["ends_at"]), "venue": row["location"],
        "address": row["address"], "route": row["route"], "description": row["description"],
        "capacity": row["capacity"],
        "registration_opens": editing.local_value(row["registration_opens_at"]),
        "registration_closes": editing.local_value(row["registration_closes_at"]),
        "languages": [c for c in (row["languages"] or "").split(",") if c],
        "retention_months": row["retention_months"], "visibility": row["visibility"],
        "badge_size": row["badge_size"], "version": row["version"],
    }


def _typed(form: Any) -> dict[str, Any]:
    """What the form sent, as ``editing`` takes it (empty capacity: no limit)."""
    raw: dict[str, Any] = {name: str(form.get(name, "")) for name in FORM_FIELDS}
    raw["languages"] = form.getall("languages", [])
    return raw


def _labels(lang: str) -> dict[str, str]:
    return {name: t(key, lang) for name, key in LABEL_KEYS.items()}


async def _choices(lang: str) -> dict[str, list[tuple[Any, str]]]:
    programmes = await list_programmes()
    return {
        "kinds": [(k, t(f"bo.ev.kind.{k}", lang)) for k in EVENT_KINDS],
        "visibilities": [(v, t(f"bo.ev.visibility.{v}", lang)) for v in VISIBILITIES],
        "badge_sizes": [(b, t(f"bo.ev.badge_size.{b}", lang)) for b in BADGE_SIZES],
        "languages": [(code, t(f"bo.ev.lang.{code}", lang)) for code in LANGUAGES],
        "programmes": [(p["id"], p["name"]) for p in programmes],
    }


def _errors(exc: ValidationFailed, lang: str) -> dict[str, str]:
    return {name: t(key, lang) for name, key in exc.errors.items()}


async def _caller(request: Request, event_id: int | None, permission: str
                  ) -> Principal | Redirect:
    return await page_caller(request, event_id, permission)


@get("/admin/events", name="bo_events", include_in_schema=False)
async def events_list(request: Request) -> Template | Redirect:
    principal = await _caller(request, None, "events.read")
    if not isinstance(principal, Principal):
        return principal
    query = request.query_params
    show = query.get("show", "current")
    archived = {"current": False, "archived": True, "all": None}.get(show, False)
    show = {False: "current", True: "archived", None: "all"}[archived]
    programme_text = query.get("programme", "")
    programme = int(programme_text) if programme_text.isdigit() and \
        int(programme_text) <= MAX_DB_ID else None
    page_text = query.get("page", "1")
    page = max(1, min(int(page_text), 100_000)) if page_text.isdigit() else 1
    scope = {"archived": archived, "programme": programme, "event_ids": principal.events}
    total = await editing.count_events(**scope)
    events = await editing.list_events(**scope, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    lang = page_language(request)
    return render(request, "backoffice/events.html", lang=lang, events=events, show=show,
                  programme=programme, page=page, total=total,
                  pages=max(1, -(-total // PAGE_SIZE)),
                  programmes=(await _choices(lang))["programmes"], bo_section="events",
                  may_create=principal.role in PERMISSIONS["events.create"])


async def _form(request: Request, *, status_code: int = 200, event: dict | None,
                values: dict, errors: dict | None = None, **context: Any) -> Template:
    lang = page_language(request)
    return render(request, "backoffice/event_form.html", status_code=status_code, lang=lang,
                  event=event, values=values, errors=errors or {}, labels=_labels(lang),
                  bo_section="details" if event else "events", **await _choices(lang),
                  **context)


@get("/admin/events/new", name="bo_event_new", include_in_schema=False)
async def event_new(request: Request) -> Template | Redirect:
    principal = await _caller(request, None, "events.create")
    if not isinstance(principal, Principal):
        return principal
    return await _form(request, event=None, values={
        "kind": "matching", "languages": ["nl"], "retention_months": 12,
        "visibility": "public"})


@post("/admin/events/new", name="bo_event_create", include_in_schema=False)
async def event_create(request: Request) -> Template | Redirect:
    principal = await _caller(request, None, "events.create")
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    form = await request.form()
    raw = {**_typed(form), "slug": str(form.get("slug", "")).strip()}
    if not raw["programme"]:
        raw.pop("programme")
    if not raw["badge_size"]:
        raw.pop("badge_size")
    try:
        row = await editing.create(principal.actor, raw)
    except ValidationFailed as exc:
        return await _form(request, status_code=422, event=None, values=raw,
                           errors=_errors(exc, lang))
    except DomainError as exc:
        if exc.code != "slug_taken":
            raise
        return await _form(request, status_code=409, event=None, values=raw,
                           errors={"slug": t("bo.ev.slug_taken", lang)})
    return Redirect(f"/admin/events/{row['slug']}?lang={lang}&created=1", status_code=303)


async def _event_for(request: Request, slug: str, permission: str
                     ) -> tuple[Principal | Redirect, dict]:
    row = await editing.event_row(slug)  # no such event: the 404 error page
    return await _caller(request, row["id"], permission), row


@get("/admin/events/{slug:str}", name="bo_event", include_in_schema=False)
async def event_edit(request: Request, slug: str) -> Template | Redirect:
    principal, row = await _event_for(request, slug, "events.read")
    if not isinstance(principal, Principal):
        return principal
    query = request.query_params
    notes = [key for flag, key in (("created", "bo.ev.created"), ("saved", "bo.ev.saved"),
                                   ("moved", "bo.ev.schedule_moved")) if query.get(flag)]
    return await _form(request, event=row, values=form_values(row), notes=notes,
                       warning="bo.ev.schedule_kept" if query.get("kept") else None,
                       copied=query.get("copied"), may_manage=principal.role in
                       PERMISSIONS["events.manage"])


@post("/admin/events/{slug:str}", name="bo_event_save", include_in_schema=False)
async def event_save(request: Request, slug: str) -> Template | Redirect:
    principal, row = await _event_for(request, slug, "events.manage")
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    form = await request.form()
    raw = _typed(form)
    if not raw["programme"]:
        raw.pop("programme")
    version_text = str(form.get("version", ""))
    version = int(version_text) if version_text.isdigit() else -1
    schedule = str(form.get("schedule", "")) or None
    typed = {**raw, "slug": slug, "version": version}
    try:
        saved, warnings = await editing.update(principal.actor, slug, raw, version=version,
                                               schedule=schedule)
    except ValidationFailed as exc:
        return await _form(request, status_code=422, event=row, values=typed,
                           errors=_errors(exc, lang), may_manage=True)
    except DomainError as exc:
        if exc.code == "edit_conflict":
            # Nothing is lost: the page shows what this person typed, what is saved now
            # next to each field that differs, and the new version, so saving again is a
            # choice made knowing the other change.
            current = await editing.event_row(slug)
            theirs = form_values(current)
            differs = {name: _shown(theirs.get(name), lang) for name in (*FORM_FIELDS,
                                                                          "languages")
                       if _shown(theirs.get(name), lang) != _shown(typed.get(name), lang)}
            return await _form(request, status_code=status_for(exc.code), event=current,
                               values={**typed, "version": current["version"]},
                               conflict=True, theirs=differs, may_manage=True)
        if exc.code == "schedule_published":
            return await _form(request, status_code=status_for(exc.code), event=row,
                               values=typed, ask_schedule=True, may_manage=True,
                               errors={"schedule": t(message_key_for(exc.code), lang)})
        raise
    flags = "&saved=1"
    if "schedule_kept" in warnings:
        flags += "&kept=1"
    elif schedule == "move":
        flags += "&moved=1"
    return Redirect(f"/admin/events/{saved['slug']}?lang={lang}{flags}", status_code=303)


def _shown(value: object, lang: str) -> str:
    """A value as the conflict note shows it (lists joined, None empty)."""
    if isinstance(value, list):
        return ", ".join(t(f"bo.ev.lang.{v}", lang) for v in value)
    return "" if value is None else str(value)


@post("/admin/events/{slug:str}/archive", name="bo_event_archive", include_in_schema=False)
async def event_archive(request: Request, slug: str) -> Redirect:
    return await _set_archived(request, slug, True)


@post("/admin/events/{slug:str}/unarchive", name="bo_event_unarchive",
      include_in_schema=False)
async def event_unarchive(request: Request, slug: str) -> Redirect:
    return await _set_archived(request, slug, False)


async def _set_archived(request: Request, slug: str, archived: bool) -> Redirect:
    principal, _ = await _event_for(request, slug, "events.manage")
    if not isinstance(principal, Principal):
        return principal
    await editing.set_archived(principal.actor, slug, archived)
    return Redirect(f"/admin/events/{slug}?lang={page_language(request)}&saved=1",
                    status_code=303)


@get("/admin/events/{slug:str}/copy", name="bo_event_copy", include_in_schema=False)
async def event_copy_form(request: Request, slug: str) -> Template | Redirect:
    principal, row = await _event_for(request, slug, "events.read")
    if not isinstance(principal, Principal):
        return principal
    if principal.role not in PERMISSIONS["events.create"]:
        raise DomainError("forbidden", "Only an admin may make events.")
    return _copy_page(request, row, {"with_employers": "yes"}, {})


def _copy_page(request: Request, row: dict, values: dict, errors: dict,
               status_code: int = 200) -> Template:
    lang = page_language(request)
    return render(request, "backoffice/event_copy.html", status_code=status_code, lang=lang,
                  event=row, source=row, values=values, errors=errors, labels=_labels(lang),
                  bo_section="details")


@post("/admin/events/{slug:str}/copy", name="bo_event_copy_save", include_in_schema=False)
async def event_copy(request: Request, slug: str) -> Template | Redirect:
    principal, row = await _event_for(request, slug, "events.read")
    if not isinstance(principal, Principal):
        return principal
    if principal.role not in PERMISSIONS["events.create"]:
        raise DomainError("forbidden", "Only an admin may make events.")
    lang = page_language(request)
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in ("slug", "name", "starts", "ends")}
    with_employers = form.get("with_employers") == "yes"
    try:
        new, counts = await editing.copy(principal.actor, slug, values,
                                         with_employers=with_employers)
    except ValidationFailed as exc:
        return _copy_page(request, row, {**values, "with_employers": form.get("with_employers")},
                          _errors(exc, lang), 422)
    except DomainError as exc:
        if exc.code != "slug_taken":
            raise
        return _copy_page(request, row, {**values, "with_employers": form.get("with_employers")},
                          {"slug": t("bo.ev.slug_taken", lang)}, 409)
    copied = f"{counts.get('employers', 0)}.{counts.get('vacancies', 0)}"
    return Redirect(f"/admin/events/{new['slug']}?lang={lang}&created=1&copied={copied}",
                    status_code=303)


ROUTES = [events_list, event_new, event_create, event_edit, event_save, event_archive,
          event_unarchive, event_copy_form, event_copy]
