"""Helpers every server-rendered page uses: language choice and the template context."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from event_ops.i18n import pick_language


def page_language(request: Request) -> str:
    return pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> Template:
    lang = context.pop("lang", None) or page_language(request)
    other = "en" if lang == "nl" else "nl"
    return Template(
        template_name=template,
        context={"lang": lang, "other_lang": other, "path": request.url.path, **context},
        status_code=status_code,
    )
