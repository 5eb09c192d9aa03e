"""Back-office pages for programmes (seasons): the list with a form for a new one, and one
programme's fields and targets (for the whole programme and per event).

The targets form works without JavaScript: one group of fields per target, a "remove" box
on each, and one empty group for a new target. Saving replaces the programme's targets with
what the form holds, all or nothing.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from app.pages.account import page_caller
from app.pages.common import page_language, render
from event_ops.access.permissions import PERMISSIONS
from event_ops.access.tokens import Principal
from event_ops.core.errors import ValidationFailed
from event_ops.events import editing
from event_ops.events.tables import EVENT_KINDS
from event_ops.i18n import t
from event_ops.pool.membership import EMPLOYERS_TARGET, pool_figures
from event_ops.programmes import service
from event_ops.programmes.tables import MEASURES
from event_ops.types import MAX_DB_ID

LABEL_KEYS = {"name": "bo.prog.name", "description": "bo.prog.description",
              "starts_on": "bo.prog.starts_on", "ends_on": "bo.prog.ends_on"}
TARGET_LABELS = {"label": "bo.prog.target.label", "measure": "bo.prog.target.measure",
                 "target": "bo.prog.target.number", "event": "bo.prog.target.event",
                 "event_kind": "bo.prog.target.kind", "events_planned": "bo.prog.target.planned",
                 "key": "bo.prog.target.label"}
TARGET_FIELDS = ("label", "measure", "target", "event", "event_kind", "events_planned")


def _labels(lang: str, count: int = 0) -> dict[str, str]:
    labels = {name: t(key, lang) for name, key in LABEL_KEYS.items()}
    for n in range(count):
        for field, key in TARGET_LABELS.items():
            labels[f"targets.{n}.{field}"] = (t("bo.prog.target.n", lang, n=n + 1) + " – "
                                              + t(key, lang))
    return labels


def _errors(exc: ValidationFailed, lang: str) -> dict[str, str]:
    return {name: t(key, lang) for name, key in exc.errors.items()}


@get("/admin/programmes", name="bo_programmes", include_in_schema=False)
async def programmes_list(request: Request) -> Template | Redirect:
    principal = await page_caller(request, None, "programmes.read")
    if not isinstance(principal, Principal):
        return principal
    return _list_page(request, principal, await service.list_programmes(), {}, {
        "standard": "yes"}, pool=await pool_figures())


def _list_page(request: Request, principal: Principal, programmes: list[dict], errors: dict,
               values: dict, status_code: int = 200, pool: dict | None = None) -> Template:
    lang = page_language(request)
    return render(request, "backoffice/programmes.html", status_code=status_code, lang=lang,
                  programmes=programmes, errors=errors, values=values, labels=_labels(lang),
                  bo_section="programmes", pool=pool, pool_target=EMPLOYERS_TARGET,
                  may_manage=principal.role in PERMISSIONS["programmes.manage"])


@post("/admin/programmes", name="bo_programme_create", include_in_schema=False)
async def programme_create(request: Request) -> Template | Redirect:
    principal = await page_caller(request, None, "programmes.manage")
    if not isinstance(principal, Principal):
        return principal
    lang = page_language(request)
    form = await request.form()
    raw: dict[str, Any] = {name: str(form.get(name, "")) for name in LABEL_KEYS}
    if form.get("standard") == "yes":
        raw["targets"] = [{"key": key, "label": label, "measure": measure, "event_kind": kind,
                           "events_planned": planned, "target": target}
                          for key, label, measure, kind, planned, target
                          in service.STANDARD_TARGETS]
    try:
        row = await service.create_programme(principal.actor, raw)
    except ValidationFailed as exc:
        return _list_page(request, principal, await service.list_programmes(),
                          _errors(exc, lang), {**raw, "standard": form.get("standard")}, 422)
    return Redirect(f"/admin/programmes/{row['id']}?lang={lang}&saved=1", status_code=303)


def _programme_id(value: int) -> int:
    from event_ops.core.errors import DomainError

    if not 1 <= value <= MAX_DB_ID:
        raise DomainError("programme_not_found", "There is no such programme.")
    return value


async def _edit_page(request: Request, programme_id: int, *, values: dict, targets: list[dict],
                     errors: dict, status_code: int = 200, saved: bool = False,
                     may_manage: bool = True) -> Template:
    lang = page_language(request)
    events = await editing.list_events(archived=None, programme=programme_id)
    rows = [*targets, {"label": "", "measure": "", "target": "", "event": "",
                       "event_kind": "", "events_planned": 1, "new": True}]
    return render(
        request, "backoffice/programme.html", status_code=status_code, lang=lang,
        programme=await service.programme(programme_id), values=values, targets=rows,
        errors=errors, labels=_labels(lang, len(rows)), bo_section="programmes", saved=saved,
        measures=[(m, t(f"bo.measure.{m}", lang)) for m in MEASURES],
        kinds=[("", t("bo.prog.target.any_kind", lang))]
        + [(k, t(f"bo.ev.kind.{k}", lang)) for k in EVENT_KINDS],
        events=[("", t("bo.prog.target.whole", lang))] + [(e["slug"], e["name"]) for e in events],
        may_manage=may_manage)


@get("/admin/programmes/{programme_id:int}", name="bo_programme", include_in_schema=False)
async def programme_edit(request: Request, programme_id: int) -> Template | Redirect:
    principal = await page_caller(request, None, "programmes.read")
    if not isinstance(principal, Principal):
        return principal
    row = await service.programme(_programme_id(programme_id))
    values = {"name": row["name"], "description": row["description"],
              "starts_on": row["starts_on"] or "", "ends_on": row["ends_on"] or "",
              "archived": row["archived"]}
    targets = [{**tgt, "event": tgt["event_slug"] or ""}
               for tgt in await service.targets_of(programme_id)]
    return await _edit_page(request, programme_id, values=values, targets=targets, errors={},
                            saved=bool(request.query_params.get("saved")),
                            may_manage=principal.role in PERMISSIONS["programmes.manage"])


@post("/admin/programmes/{programme_id:int}", name="bo_programme_save",
      include_in_schema=False)
async def programme_save(request: Request, programme_id: int) -> Template | Redirect:
    principal = await page_caller(request, None, "programmes.manage")
    if not isinstance(principal, Principal):
        return principal
    await service.programme(_programme_id(programme_id))  # 404 page for an unknown one
    lang = page_language(request)
    form = await request.form()
    raw: dict[str, Any] = {name: str(form.get(name, "")) for name in LABEL_KEYS}
    raw["archived"] = form.get("archived") == "yes"
    typed: list[dict] = []
    n = 0
    while f"t{n}-measure" in form:
        item = {field: str(form.get(f"t{n}-{field}", "")) for field in TARGET_FIELDS}
        item["key"] = str(form.get(f"t{n}-key", ""))
        n += 1
        if form.get(f"t{n - 1}-remove") == "yes":
            continue
        if not item["measure"] and not item["label"] and not item["target"]:
            continue  # the empty group for a new target, left empty
        typed.append(item)
    raw["targets"] = [{**item, "event": item["event"] or None,
                       "event_kind": item["event_kind"] or None} for item in typed]
    try:
        await service.update_programme(principal.actor, programme_id, raw)
    except ValidationFailed as exc:
        return await _edit_page(request, programme_id, values=raw, targets=typed,
                                errors=_errors(exc, lang), status_code=422)
    return Redirect(f"/admin/programmes/{programme_id}?lang={lang}&saved=1", status_code=303)


ROUTES = [programmes_list, programme_create, programme_edit, programme_save]
