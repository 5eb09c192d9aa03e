"""The competency taxonomy: a CSV in the repo, loadable and replaceable by organisers."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from event_ops.core.caches import TTLCache
from event_ops.core.errors import DomainError
from event_ops.taxonomy.esco import esco_uri
from event_ops.taxonomy.tables import Competency
from event_ops.texts.sectors import TEXTS as SECTOR_TEXTS

DEFAULT_CSV = Path(__file__).resolve().parent.parent / "data" / "competencies.csv"
CSV_COLUMNS = ("code", "sector", "level", "name_nl", "name_en", "esco_uri")
SECTORS = ("construction", "care", "technology", "hospitality", "logistics", "ict", "business")
# The names are texts (event_ops/texts/sectors.py, translated in the catalogs); this
# (Dutch, English) view stays for staff pages and reports, which are Dutch and English only.
SECTOR_NAMES = {code.removeprefix("field.sector."): pair for code, pair in SECTOR_TEXTS.items()}


def sector_name(code: str, lang: str) -> str:
    """A sector's name in any page language (a visitor's: from the catalogs)."""
    from event_ops.i18n import t

    key = f"field.sector.{code}"
    return t(key, lang) if key in SECTOR_TEXTS else code


@dataclass(frozen=True, slots=True)
class CompetencyItem:
    code: str
    sector: str
    level: int
    name_nl: str
    name_en: str
    esco_uri: str

    def name(self, lang: str) -> str:
        """Dutch for Dutch pages, else English: the taxonomy (data from a CSV) has only
        these two columns, and visitors reading ar/uk/tr/pl get English, as the texts do."""
        return self.name_nl if lang == "nl" else self.name_en


def read_csv(path: Path) -> list[CompetencyItem]:
    """Parse and check a taxonomy file; raises DomainError naming the bad line."""
    items: list[CompetencyItem] = []
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = set(CSV_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise DomainError("bad_taxonomy", f"Columns missing: {', '.join(sorted(missing))}.")
        for lineno, row in enumerate(reader, start=2):
            code = (row["code"] or "").strip()
            if not code or code in seen:
                raise DomainError("bad_taxonomy", f"Line {lineno}: empty or repeated code.")
            try:
                level = int(row["level"])
            except ValueError:
                level = 0
            if not 1 <= level <= 4:
                raise DomainError("bad_taxonomy", f"Line {lineno}: level must be 1 to 4.")
            if not row["name_nl"].strip() or not row["name_en"].strip():
                raise DomainError("bad_taxonomy", f"Line {lineno}: a name is empty.")
            seen.add(code)
            items.append(
                CompetencyItem(
                    code=code,
                    sector=row["sector"].strip(),
                    level=level,
                    name_nl=row["name_nl"].strip(),
                    name_en=row["name_en"].strip(),
                    # The file's own link first, else the vendored ESCO link.
                    esco_uri=esco_uri(code, (row.get("esco_uri") or "").strip()),
                )
            )
    return items


async def load_taxonomy(path: Path = DEFAULT_CSV) -> int:
    """Insert or update every competency in the file. Codes not in the file are kept,
    because profiles and vacancies may still refer to them."""
    items = read_csv(path)
    existing = {row["code"] for row in await Competency.select(Competency.code).run()}
    async with Competency._meta.db.transaction():
        for item in items:
            values = {
                Competency.sector: item.sector,
                Competency.level: item.level,
                Competency.name_nl: item.name_nl,
                Competency.name_en: item.name_en,
                Competency.esco_uri: item.esco_uri,
            }
            if item.code in existing:
                await Competency.update(values).where(Competency.code == item.code).run()
            else:
                fields = {c._meta.name: v for c, v in values.items()}
                await Competency(code=item.code, **fields).save()
    _cache.clear()
    return len(items)


_CACHE_SECONDS = 30.0
# One entry, "all"; ``load_taxonomy`` empties it.
_cache: TTLCache[str, dict[str, CompetencyItem]] = TTLCache("taxonomy.competencies",
                                                             seconds=_CACHE_SECONDS)


async def competencies_by_code() -> dict[str, CompetencyItem]:
    """All competencies, cached briefly: read on every registration, changed rarely."""
    hit = _cache.get("all")
    if hit is not None:
        return hit
    rows = await Competency.select().order_by(Competency.sector).order_by(Competency.name_nl).run()
    items = {
        r["code"]: CompetencyItem(
            code=r["code"], sector=r["sector"], level=r["level"], name_nl=r["name_nl"],
            name_en=r["name_en"], esco_uri=esco_uri(r["code"], r["esco_uri"]),
        )
        for r in rows
    }
    _cache.put("all", items)
    return items
