"""Print the README's table of who may do what, from ``event_ops/access/permissions.py``.

    python scripts/permissions_table.py            # print the table
    python scripts/permissions_table.py --write    # replace it in README.md

The table in README.md sits between the two ``permissions-table`` markers;
``tests/test_readme.py`` fails when it differs from what this prints, so the README always
shows the one table the code checks against.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from event_ops.access.permissions import PERMISSIONS  # noqa: E402

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- permissions-table: begin (scripts/permissions_table.py --write) -->"
END = "<!-- permissions-table: end -->"
COLUMNS = (
    ("organiser_admin", "org. admin"), ("organiser_staff", "org. staff"),
    ("organiser", "org. token"), ("admin", "admin token"), ("job_coach", "job coach"),
    ("door", "door"), ("employer", "employer admin"), ("employer_tablet", "employer tablet"),
    ("print_station", "print station"), ("kiosk", "kiosk"),
)


def table() -> str:
    missing = set().union(*PERMISSIONS.values()) - {role for role, _ in COLUMNS}
    if missing:
        raise SystemExit(f"roles without a column: {sorted(missing)}")
    lines = ["| permission | " + " | ".join(label for _, label in COLUMNS) + " |",
             "|---|" + ":-:|" * len(COLUMNS)]
    for permission in sorted(PERMISSIONS):
        roles = PERMISSIONS[permission]
        cells = " | ".join("✔" if role in roles else " " for role, _ in COLUMNS)
        lines.append(f"| `{permission}` | {cells} |")
    return "\n".join(lines)


def block() -> str:
    return f"{BEGIN}\n{table()}\n{END}"


def main() -> None:
    if "--write" not in sys.argv:
        print(table())
        return
    text = README.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    README.write_text(text[:start] + block() + text[end:])


if __name__ == "__main__":
    main()
