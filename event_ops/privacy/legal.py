"""The terms and the privacy statement: versioned texts, and which versions a consent names.

A text is one row of ``legal_document`` per kind, version and language; the newest
``published_at`` of a kind is the current one. Without any row the defaults shipped in
``texts/`` apply (version :data:`DEFAULT_VERSION`). Organisers may later publish their own
versions (per ``scope``) without a code change: consent records keep the version ids.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

from event_ops.core.caches import TTLCache
from event_ops.events.tables import Event
from event_ops.privacy.tables import LegalDocument

KINDS = ("terms", "privacy")
DEFAULT_VERSION = "2026-12-v1"
DEFAULT_PUBLISHED = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
TEXTS = Path(__file__).resolve().parent / "texts"
# Sign-ups are hot: the current versions are looked up at most this often per process.
_CACHE_SECONDS = 30.0
_versions_cache: TTLCache[str, str] = TTLCache("privacy.legal_versions",
                                               seconds=_CACHE_SECONDS)


@dataclass(frozen=True, slots=True)
class LegalText:
    kind: str
    version: str
    language: str
    title: str
    body: str  # a small Markdown subset: "# ", "## ", "- " lines and paragraphs
    published_at: dt.datetime

    def html(self) -> str:
        """The body as HTML, every text escaped (the title is shown apart)."""
        return markdown_lite(self.body)


def _placeholders() -> dict[str, str]:
    # What the code really does: the retention purge erases visitors this many months
    # after their last event (event_ops/privacy/erasure.py), unless an event says otherwise.
    return {"months": str(Event.retention_months.default)}


def default_text(kind: str, language: str) -> LegalText:
    raw = (TEXTS / f"{kind}.{language}.md").read_text("utf-8")
    for name, value in _placeholders().items():
        raw = raw.replace("{" + name + "}", value)
    first, _, body = raw.partition("\n")
    return LegalText(kind, DEFAULT_VERSION, language, first.removeprefix("# ").strip(),
                     body.strip(), DEFAULT_PUBLISHED)


async def legal_text(kind: str, language: str, version: str | None = None,
                     scope: str = "") -> LegalText | None:
    """The current text of ``kind`` (or the given ``version``) in ``language``; None when
    the kind or version does not exist."""
    if kind not in KINDS:
        return None
    if not (TEXTS / f"{kind}.{language}.md").exists():
        # A visitor language without its own legal text (yet) reads the English one, as
        # with the catalogs' texts (event_ops/catalogs.py); an unknown language, Dutch.
        language = "en" if language in ("ar", "uk", "tr", "pl") else "nl"
    query = LegalDocument.select(
        LegalDocument.kind, LegalDocument.version, LegalDocument.language,
        LegalDocument.title, LegalDocument.body, LegalDocument.published_at,
    ).where((LegalDocument.kind == kind) & (LegalDocument.language == language)
            & (LegalDocument.scope == scope))
    if version is not None:
        query = query.where(LegalDocument.version == version)
    rows = await query.order_by(LegalDocument.published_at, LegalDocument.id,
                                ascending=False).limit(1)
    if rows:
        return LegalText(**rows[0])
    if version is None or version == DEFAULT_VERSION:
        return default_text(kind, language)
    return None


async def current_versions(scope: str = "") -> str:
    """What a consent given now accepts, e.g. "terms:2026-12-v1 privacy:2026-12-v1"
    (stored in ``consent_record.documents``)."""
    cached = _versions_cache.get(scope)
    if cached is not None:
        return cached
    parts = []
    for kind in KINDS:
        text = await legal_text(kind, "nl", scope=scope)
        parts.append(f"{kind}:{text.version if text else DEFAULT_VERSION}")
    value = " ".join(parts)
    _versions_cache.put(scope, value)
    return value


def forget_cached_versions() -> None:
    _versions_cache.clear()


async def publish_text(kind: str, version: str, language: str, title: str, body: str,
                       scope: str = "", at: dt.datetime | None = None) -> None:
    """Store a new version (the organisers' editor will call this). Existing versions stay:
    consents given before keep pointing at the text they accepted."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    await LegalDocument.insert(LegalDocument(
        kind=kind, version=version, language=language, scope=scope, title=title, body=body,
        published_at=at or dt.datetime.now(dt.UTC)))
    forget_cached_versions()


def markdown_lite(text: str) -> str:
    """Headings ("## "), bullet lists ("- ") and paragraphs; everything else is escaped."""
    out: list[str] = []
    in_list = False
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{html.escape(' '.join(paragraph))}</p>")
            paragraph.clear()

    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- "):
            flush()
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{html.escape(line[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            out.append(f"<h2>{html.escape(line[3:])}</h2>")
        else:
            paragraph.append(line)
    flush()
    if in_list:
        out.append("</ul>")
    return "\n".join(out)
