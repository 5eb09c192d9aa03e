"""An event's vacancies as a table for a spreadsheet (organisers): one row per vacancy with
its employer, fields, competencies and the three distance-to-the-labour-market flags
(``service.VACANCY_FLAGS``), so other systems and partners read the same facts."""

from __future__ import annotations

from typing import Any

from event_ops.employers.service import VACANCY_FLAGS as FLAGS
from event_ops.employers.service import competency_text, list_employers, vacancies_of
from event_ops.i18n import t

COLUMNS = ("employer", "title", "sector", "postcode", "hours_per_week", "positions",
           "competencies", *FLAGS, "job_profile")


def vacancy_table(employers: dict[int, str], vacancies: list[dict[str, Any]], lang: str
                  ) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) in ``lang``; competencies as "code:level;…" with nice-to-have ones
    marked "?" (as the import reads them), flags as Ja/Nee. Pure."""
    header = [t(f"vacancy_export.{c}", lang) for c in COLUMNS]
    yes, no = t("export.yes", lang), t("export.no", lang)
    rows = [[employers.get(v["employer"], ""), v["title"], v["sector"], v["postcode"],
             v["hours_per_week"] if v["hours_per_week"] is not None else "", v["positions"],
             competency_text(v["wanted"]), *(yes if v[f] else no for f in FLAGS),
             v["job_profile"] if v["job_profile"] is not None else ""]
            for v in vacancies]
    rows.sort(key=lambda r: (str(r[0]).lower(), str(r[1]).lower()))
    return header, rows


async def event_vacancies(event_id: int, lang: str) -> tuple[list[str], list[list[Any]]]:
    employers = {e["id"]: e["name"] for e in await list_employers(event_id)}
    return vacancy_table(employers, await vacancies_of(list(employers)), lang)
