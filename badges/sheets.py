"""Bulk badge print sheets: many badges per A4 page, with cut marks, streamed to a PDF.

Contract
--------
* :func:`render_sheets` consumes ``badges`` lazily, one page at a time, and writes each page to
  ``out`` as soon as it is full, so memory does not grow with the number of badges (10,000
  badges: the same peak RSS as 1,000; see ``benchmarks/badges.py``). Fonts are subset to the
  characters actually used and written once, at the end.
* Imposition on A4 portrait (210 x 297 mm), badges edge to edge so one straight cut separates
  two neighbours:

  - ``"a6"`` (105 x 148 mm): 2 x 2 per page. Four A6 fill an A4 sheet, so there is no outer
    margin; cut marks are short ticks on the two centre lines at the paper edge plus a cross
    in the middle. Everything that matters on an A6 badge stays 5 mm from its edges, so a
    printer's unprintable border only trims the colour band.
  - ``"card"`` (86 x 54 mm): 2 x 5 per page, centred (19 mm / 13.5 mm margins); cut marks in
    the margin, in line with every cut.

* Every badge is rendered at the sheet's ``size``, whatever its own ``BadgeData.size`` says: the
  sheet decides the stock it is printed on.
* ``progress(n)`` is called after every page with the number of badges on that page (an
  increment, as click's and tqdm's ``bar.update`` expect; the sum is the total written).
* An empty iterable still yields a valid PDF (one blank page); the return value is then 0.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from typing import BinaryIO

from badges.render import (
    MM_PT,
    SIZES,
    BadgeData,
    PdfWriter,
    badge_content,
    layout_badge,
)

__all__ = ["A4", "GRIDS", "render_sheets", "render_sheets_file"]

A4 = (210.0, 297.0)
GRIDS: dict[str, tuple[int, int]] = {"a6": (2, 2), "card": (2, 5)}  # (columns, rows)

_MARK_LEN = 6.0  # mm
_MARK_GAP = 2.0  # mm between the card grid and its cut marks, so marks never touch a badge
_MARK_STYLE = "0.45 G 0.3 w"  # grey hairline: visible for cutting, unobtrusive if trimmed


def _origin(size: str) -> tuple[float, float]:
    """Top-left corner of the badge grid on the page (mm), grid centred on A4."""
    cols, rows = GRIDS[size]
    width, height = SIZES[size]
    return (A4[0] - cols * width) / 2, (A4[1] - rows * height) / 2


def _cut_marks(size: str) -> str:
    """Content-stream operators for the cut marks of one page (identical on every page)."""
    cols, rows = GRIDS[size]
    width, height = SIZES[size]
    ox, oy = _origin(size)
    right, bottom = ox + cols * width, oy + rows * height
    segments: list[tuple[float, float, float, float]] = []
    if ox >= _MARK_GAP + _MARK_LEN / 2 and oy >= _MARK_GAP + _MARK_LEN / 2:
        # Room around the grid: marks outside it, in line with every cut.
        for i in range(cols + 1):
            x = ox + i * width
            segments.append((x, oy - _MARK_GAP, x, max(0.0, oy - _MARK_GAP - _MARK_LEN)))
            segments.append((x, bottom + _MARK_GAP, x,
                             min(A4[1], bottom + _MARK_GAP + _MARK_LEN)))
        for j in range(rows + 1):
            y = oy + j * height
            segments.append((ox - _MARK_GAP, y, max(0.0, ox - _MARK_GAP - _MARK_LEN), y))
            segments.append((right + _MARK_GAP, y, min(A4[0], right + _MARK_GAP + _MARK_LEN), y))
    else:
        # Grid fills the page (A6): ticks on the inner cut lines at the paper edges, and a
        # cross where they meet. They lie exactly on the cut, so they vanish when cut.
        for i in range(1, cols):
            x = ox + i * width
            segments += [(x, 0.0, x, _MARK_LEN), (x, A4[1] - _MARK_LEN, x, A4[1])]
        for j in range(1, rows):
            y = oy + j * height
            segments += [(0.0, y, _MARK_LEN, y), (A4[0] - _MARK_LEN, y, A4[0], y)]
        for i in range(1, cols):
            for j in range(1, rows):
                x, y = ox + i * width, oy + j * height
                half = _MARK_LEN / 2
                segments += [(x - half, y, x + half, y), (x, y - half, x, y + half)]
    k = MM_PT
    ops = [f"q {_MARK_STYLE}"]
    ops += [
        f"{x1 * k:.2f} {(A4[1] - y1) * k:.2f} m {x2 * k:.2f} {(A4[1] - y2) * k:.2f} l"
        for x1, y1, x2, y2 in segments
    ]
    ops.append("S Q")
    return "\n".join(ops)


def render_sheets(
    badges: Iterable[BadgeData],
    out: BinaryIO | str | os.PathLike[str],
    *,
    size: str = "a6",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``badges`` as A4 print sheets to ``out`` (a path, or a writable binary stream).

    Returns the number of badges written. A path is created or truncated and closed again; a
    stream is written to (it need not be seekable) and left open. If rendering fails midway
    the exception propagates and the output is an incomplete PDF: write to a temporary name
    and rename on success if that matters. See the module docstring for imposition, memory
    and progress guarantees.
    """
    if size not in GRIDS:
        raise ValueError(f"size must be one of {sorted(GRIDS)}, got {size!r}")
    cols, rows = GRIDS[size]
    per_page = cols * rows
    width, height = SIZES[size]
    ox, oy = _origin(size)
    page_w, page_h = A4[0] * MM_PT, A4[1] * MM_PT
    marks = _cut_marks(size)
    # Translation of each slot's bottom-left corner, in points (PDF y grows upwards).
    slots = [
        (f"{(ox + c * width) * MM_PT:.2f}", f"{(A4[1] - oy - (r + 1) * height) * MM_PT:.2f}")
        for r in range(rows)
        for c in range(cols)
    ]
    with ExitStack() as stack:
        if isinstance(out, str | os.PathLike):
            stream: BinaryIO = stack.enter_context(open(out, "wb"))  # noqa: SIM115
        else:
            stream = out
        writer = PdfWriter(stream)
        parts: list[str] = []
        count = 0
        for data in badges:
            if data.size != size:
                data = dataclasses.replace(data, size=size)
            tx, ty = slots[count % per_page]
            parts.append(f"q 1 0 0 1 {tx} {ty} cm\n{badge_content(layout_badge(data), writer.used)}"
                         "\nQ")
            count += 1
            if len(parts) == per_page:
                parts.append(marks)
                writer.add_page(page_w, page_h, "\n".join(parts))
                parts.clear()
                if progress is not None:
                    progress(per_page)
        if parts or count == 0:
            rest = len(parts)
            parts.append(marks)
            writer.add_page(page_w, page_h, "\n".join(parts))
            if progress is not None and rest:
                progress(rest)
        writer.close()
    return count


def render_sheets_file(badges: Iterable[BadgeData], path: str, size: str,
                       progress_path: str) -> int:
    """:func:`render_sheets` to the file ``path``, writing the number of badges done so far
    to the small file ``progress_path`` after every page (a number padded to 12 places, so
    a reader never sees a shorter, older number's tail). This is what a bulk print job's
    worker process runs (``event_ops/printing/badge_runs.py``): it lives here, with no
    imports beyond the renderer, so a freshly spawned worker starts fast and small."""
    written = 0
    with open(progress_path, "w") as progress:

        def step(n: int) -> None:
            nonlocal written
            written += n
            progress.seek(0)
            progress.write(f"{written:>12}")
            progress.flush()

        return render_sheets(badges, path, size=size, progress=step)
