"""Small-cell suppression: the one rule every breakdown of people goes through.

The partnership reports on groups of job seekers (by education level, by sector; a proper
target-group field will come later). A count of fewer than 5 people in such a group is
never shown: it could point at a person. Rules:

* *primary*: every count below ``THRESHOLD`` (0 included: an exact 0 next to "<5" would
  tell 0 apart from 1-4) is shown as ``"<5"``;
* *secondary*: when the column's total is published elsewhere and exactly one cell of the
  column is suppressed, that cell could be worked out by subtraction, so the smallest other
  cell is hidden too (shown as ``"x"``);
* a *rate* is only shown when both of its counts are shown.

Headline totals of a whole event (registered, checked in, matches, hired, ...) are not a
breakdown by group and are not suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping

THRESHOLD = 5
SUPPRESSED = "<5"
HIDDEN = "x"

Cell = int | str


def suppress(n: int, threshold: int = THRESHOLD) -> Cell:
    """One count: itself, or ``"<5"`` when it is below the threshold."""
    return n if n >= threshold else SUPPRESSED


def suppress_breakdown(counts: Mapping[str, int], *, total_published: bool = True,
                       threshold: int = THRESHOLD) -> dict[str, Cell]:
    """Suppress one column of a breakdown (category → count), keeping the order given."""
    out: dict[str, Cell] = {key: suppress(n, threshold) for key, n in counts.items()}
    hidden = [key for key, cell in out.items() if cell == SUPPRESSED]
    if total_published and len(hidden) == 1:
        shown = [(n, key) for key, n in counts.items() if out[key] != SUPPRESSED]
        if shown:
            out[min(shown)[1]] = HIDDEN
    return out


def suppress_table(rows: Mapping[str, Mapping[str, int]], columns: list[str], *,
                   published_totals: set[str] | None = None,
                   threshold: int = THRESHOLD) -> dict[str, dict[str, Cell]]:
    """Suppress a table (row key → column → count) column by column.

    ``published_totals``: the columns whose total appears elsewhere on the report (they get
    secondary suppression); by default all of them.
    """
    published = set(columns) if published_totals is None else published_totals
    out: dict[str, dict[str, Cell]] = {key: {} for key in rows}
    for column in columns:
        cells = suppress_breakdown({key: row.get(column, 0) for key, row in rows.items()},
                                   total_published=column in published, threshold=threshold)
        for key, cell in cells.items():
            out[key][column] = cell
    return out


def safe_rate(numerator: Cell, denominator: Cell) -> float | None:
    """``numerator / denominator`` when both are shown numbers (and the denominator is not 0)."""
    if isinstance(numerator, int) and isinstance(denominator, int) and denominator > 0:
        return round(numerator / denominator, 4)
    return None
