"""A report as CSV (one long table) or XLSX (one sheet per part). Suppressed cells stay "<5".

Both are built from the report dict only, so an export never shows more than the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from event_ops.i18n import t
from event_ops.localtime import AMSTERDAM, local_time

LOCAL_TIME = AMSTERDAM
CSV_COLUMNS = ("section", "key", "label", "metric", "value")
# Spreadsheet apps run cells that start with these as formulas (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START) and value != "-":
        return "'" + value
    return "" if value is None else value


def _excel_time(value: object) -> object:
    """Excel has no time zones: show the time as the events' local (Dutch) time."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(LOCAL_TIME).replace(tzinfo=None)
    return value


def _metric(name: str, lang: str) -> str:
    return t(f"report.metric.{name}", lang)


def long_rows(report: dict, lang: str) -> Iterator[tuple]:
    """(section, key, label, metric, value) for every number in the report."""
    for name, value in report["totals"].items():
        yield "totals", name, _metric(name, lang), name, value
    for name, value in report["conversion"].items():
        yield "conversion", name, _metric(name, lang), name, value
    for row in report["targets"]:
        label = row["label"]
        for metric in ("target", "actual", "progress"):
            yield "targets", row["key"], label, metric, row[metric]
    for point in report["checkins"]["points"]:
        yield "checkins", point["start"], point["start"], "checked_in", point["count"]
    for section in ("interests_by_level", "matches_by_level", "matches_by_status"):
        prefix = "fu.status" if section == "matches_by_status" else "fu.level"
        for key, value in report[section].items():
            yield section, key, t(f"{prefix}.{key}", lang), "count", value
    for breakdown in report["breakdowns"]:
        for row in breakdown["rows"]:
            for column in breakdown["columns"]:
                yield breakdown["key"], row["key"], row["label"], column, row[column]
    for event in report.get("events") or []:
        for metric, value in event.items():
            if metric not in ("slug", "name", "kind", "starts_at"):
                yield "events", event["slug"], event["name"], metric, value


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[object]],
                delimiter: str = ";") -> bytes:
    """Any table as CSV for spreadsheet users: formulas defused, UTF-8 with a BOM.
    ``;`` is what Excel with Dutch settings expects: with ``,`` it shows one column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def rows_to_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    """Any table as a one-sheet XLSX; text cells are typed as text, so never formulas."""
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, title, header, rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _decimal(value: object, lang: str) -> object:
    """Dutch Excel reads "0,75" as a number and "0.75" as text (or a date): fractions get the
    decimal comma in a Dutch export."""
    if isinstance(value, float) and lang == "nl":
        return repr(value).replace(".", ",")
    return value


def to_csv(report: dict, lang: str = "nl") -> bytes:
    """The report as one long table: ``;``-separated, fractions with a decimal comma in Dutch."""
    rows = (row[:-1] + (_decimal(row[-1], lang),) for row in long_rows(report, lang))
    return rows_to_csv(CSV_COLUMNS, rows)


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(title[:31])
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(["" if v is None else _excel_time(v) for v in row])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            # A text cell is never run as a formula: no apostrophe needed (a phone number
            # stays "+316…", a name starting with "=" stays that text).
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for column in ws.columns:
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 50)


def to_xlsx(report: dict, lang: str = "nl") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    metric, value = t("report.col.metric", lang), t("report.col.value", lang)
    _sheet(wb, t("report.sheet.summary", lang), [metric, value],
           [[_metric(k, lang), v] for k, v in report["totals"].items()]
           + [[_metric(k, lang), v] for k, v in report["conversion"].items()])
    _sheet(wb, t("report.sheet.targets", lang),
           [t("report.col.target", lang), _metric("target", lang), _metric("actual", lang),
            _metric("progress", lang)],
           [[r["label"], r["target"], r["actual"], r["progress"]]
            for r in report["targets"]])
    _sheet(wb, t("report.sheet.checkins", lang), [t("report.col.time", lang), value],
           [[p["start"], p["count"]] for p in report["checkins"]["points"]])
    levels = [[t("report.section.interests_by_level", lang), t(f"fu.level.{k}", lang), v]
              for k, v in report["interests_by_level"].items()]
    levels += [[t("report.section.matches_by_level", lang), t(f"fu.level.{k}", lang), v]
               for k, v in report["matches_by_level"].items()]
    levels += [[t("report.section.matches_by_status", lang), t(f"fu.status.{k}", lang), v]
               for k, v in report["matches_by_status"].items()]
    _sheet(wb, t("report.sheet.levels", lang),
           [t("report.col.section", lang), t("report.col.category", lang), value], levels)
    for breakdown in report["breakdowns"]:
        _sheet(wb, t(f"report.breakdown.{breakdown['key']}", lang),
               [t("report.col.category", lang), *[_metric(c, lang) for c in breakdown["columns"]]],
               [[row["label"], *[row[c] for c in breakdown["columns"]]]
                for row in breakdown["rows"]])
    if report.get("events"):
        names = [k for k in report["events"][0] if k not in ("slug",)]
        _sheet(wb, t("report.sheet.events", lang), [_metric(k, lang) for k in names],
               [[e[k] for k in names] for e in report["events"]])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


INTEREST_COLUMNS = ("first_name", "name", "email", "phone", "level", "rating", "note",
                    "vacancy_title", "mutual", "created_at", "updated_at")


def interest_table(entries: list[dict], lang: str, *, for_csv: bool) -> tuple[list[str], list]:
    """An employer's list of visitors (``list_interests``) as header and rows for people:
    headers and levels in ``lang``, Ja/Nee, the vacancy's title, Amsterdam times (text in
    a CSV, real date cells in XLSX)."""
    header = [t(f"interest_export.{c}", lang) for c in INTEREST_COLUMNS]
    rows = []
    for e in entries:
        row: list = []
        for c in INTEREST_COLUMNS:
            value = e.get(c)
            if c == "level" and value:
                value = t(f"fu.level.{value}", lang)
            elif c == "mutual":
                value = t("export.yes" if value else "export.no", lang)
            elif c.endswith("_at") and for_csv:
                value = local_time(value, lang)
            row.append(value)
        rows.append(row)
    return header, rows
