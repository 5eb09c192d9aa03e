"""Reading an uploaded spreadsheet (CSV or XLSX) into rows, and writing a template to fill
in: the one place every import (employers, visitors' invitations) reads its sheet.

Pure: bytes in, rows out; nothing here touches the database. What a file may be:
- XLSX (the first sheet), or CSV in UTF-8 (with or without the BOM Excel writes) or
  Windows-1252 (Excel's "CSV (gescheiden door lijstscheidingsteken)"), separated by ``;``
  (Excel with Dutch settings), ``,`` or a tab: the header row decides;
- at most ``MAX_BYTES`` bytes and ``MAX_ROWS`` rows below the header;
- an XLSX is a zip file: its parts may unpack to at most ``MAX_UNPACKED`` bytes, so a small
  upload cannot unpack to gigabytes.

Which columns a sheet has is the caller's (``read_sheet(content, columns, aliases,
required)``). Row numbers are the ones the user sees in Excel: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from event_ops.core.errors import DomainError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED = 40 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the sheet: the row (as Excel numbers it), the column (its name in
    the sheet, "" for the whole row), a text key (``event_ops/texts/employers.py``) and the
    values the text names."""

    row: int
    column: str
    key: str
    values: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class Sheet:
    """The header's known columns (cell index → column) and the data rows as
    (row number, {column: text}); empty rows are left out but keep their numbers."""

    columns: dict[int, str]
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem]
    labels: dict[str, str]  # column → its name as the sheet's header writes it

    def label(self, column: str) -> str:
        return self.labels.get(column, column)


def read_sheet(content: bytes, columns: Sequence[str], aliases: Mapping[str, str],
               required: Sequence[str] = ("name",)) -> Sheet:
    """Parse an uploaded file whose header names some of ``columns`` (or their
    ``aliases``: other name in lower case → column); each of ``required`` must be there.
    Raises ``DomainError`` for what is no sheet at all
    (``import_empty``, ``import_too_large``, ``import_not_spreadsheet``,
    ``import_too_many_rows``); problems in the header or cells are returned."""
    if len(content) > MAX_BYTES:
        raise DomainError("import_too_large",
                          f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if not content.strip():
        raise DomainError("import_empty", "The file is empty.")
    if content.startswith(b"PK\x03\x04"):
        cells = _xlsx_rows(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0") or b"\x00" in content[:8192]:
        # Old .xls (OLE), PDF with NUL bytes, images: not a sheet we read.
        raise DomainError("import_not_spreadsheet",
                          "This is not a CSV or XLSX file. Save the sheet as .xlsx or .csv.")
    else:
        cells = _csv_rows(content)
    return _to_sheet(cells, columns, aliases, required)


def _csv_rows(content: bytes) -> Iterable[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","  # one column only
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterable[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
        if "xl/workbook.xml" not in names or unpacked > MAX_UNPACKED:
            raise zipfile.BadZipFile("not a workbook, or too large unpacked")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DomainError("import_not_spreadsheet",
                          "This is not an XLSX file we can read. Save the sheet as .xlsx "
                          "or .csv.") from exc
    sheet = book.worksheets[0]
    try:
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as the text the user typed: 32.0 → "32", a date as ISO, None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def column_for(header: str, columns: Sequence[str], aliases: Mapping[str, str]) -> str | None:
    """The column a header cell names (its own name, or an alias), or None."""
    name = " ".join(header.replace("\ufeff", "").split()).lower()
    if name in columns:
        return name
    return aliases.get(name) or aliases.get(name.replace("_", " "))


def _to_sheet(cells: Iterable[list[str]], known: Sequence[str], aliases: Mapping[str, str],
              required: Sequence[str]) -> Sheet:
    rows_iter = iter(cells)
    problems: list[Problem] = []
    header = next(rows_iter, None)
    if header is not None and not any(c.strip() for c in header):
        raise DomainError("import_empty", "The first row must name the columns.")
    if header is None:
        raise DomainError("import_empty", "The file is empty.")
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, raw in enumerate(header):
        label = raw.strip()
        if not label:
            continue
        column = column_for(label, known, aliases)
        if column is None:
            problems.append(Problem(1, label, "imp.err.unknown_column",
                                    (("columns", ", ".join(known)),)))
        elif column in seen:
            problems.append(Problem(1, label, "imp.err.duplicate_column"))
        else:
            seen[column] = index
            columns[index] = column
            labels[column] = label
    for needed in required:
        if needed not in seen:
            problems.append(Problem(1, needed, "imp.err.missing_column"))
    rows: list[tuple[int, dict[str, str]]] = []
    width = max(columns, default=-1)
    for number, cells_in_row in enumerate(rows_iter, start=2):
        if not any(c.strip() for c in cells_in_row):
            continue
        if len(rows) >= MAX_ROWS:
            raise DomainError("import_too_many_rows",
                              f"The sheet has more than {MAX_ROWS} rows; split it up.")
        row = {column: (cells_in_row[i].strip() if i < len(cells_in_row) else "")
               for i, column in columns.items()}
        for i in range(width + 1, len(cells_in_row)):
            if cells_in_row[i].strip() and i not in columns:
                problems.append(Problem(number, "", "imp.err.no_header"))
                break
        rows.append((number, row))
    return Sheet(columns=columns, rows=rows, problems=problems, labels=labels)


def template_csv(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """The template as CSV for Dutch Excel: ``;`` between cells, UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(columns: Sequence[str], rows: Sequence[Sequence[str]],
                  title: str) -> bytes:
    """The template as XLSX; every cell is text (a postcode or KvK number keeps its zeros
    and nothing is run as a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"
            cell.number_format = "@"
    for cells in sheet.columns:
        width = max(len(str(c.value or "")) for c in cells)
        sheet.column_dimensions[cells[0].column_letter].width = min(max(width + 2, 8), 40)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
