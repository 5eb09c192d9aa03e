"""Reading an employers spreadsheet (CSV or XLSX) into rows, and the template to fill in.

The employers' columns and example rows; reading the file (formats, limits, row numbers)
is ``event_ops/core/spreadsheet.py``, shared with the other imports.
"""

from __future__ import annotations

from event_ops.core import spreadsheet as _sheet
from event_ops.core.spreadsheet import MAX_BYTES, MAX_ROWS, MAX_UNPACKED, Problem, Sheet

__all__ = ["ALIASES", "COLUMNS", "MAX_BYTES", "MAX_ROWS", "MAX_UNPACKED", "Problem", "Sheet",
           "TEMPLATE_ROWS", "column_for", "read_sheet", "template_csv", "template_xlsx"]

# The contract's columns (v1.1) first, then the optional ones.
COLUMNS = ("name", "stand", "sector", "email", "vacancy_title", "vacancy_postcode",
           "vacancy_positions", "skills", "kvk", "vacancy_hours", "nice_skills",
           "job_carving", "supported_employment", "training_on_the_job")
# What people also call them (Dutch headers, spaces); compared in lower case.
ALIASES = {
    "naam": "name", "werkgever": "name", "organisatie": "name", "bedrijf": "name",
    "standnummer": "stand", "e-mail": "email", "e-mailadres": "email", "mail": "email",
    "vacature": "vacancy_title", "vacaturetitel": "vacancy_title", "functie": "vacancy_title",
    "postcode": "vacancy_postcode", "werkplek postcode": "vacancy_postcode",
    "plaatsen": "vacancy_positions", "aantal plaatsen": "vacancy_positions",
    "uren": "vacancy_hours", "uren per week": "vacancy_hours",
    "vaardigheden": "skills", "competenties": "skills",
    "extra vaardigheden": "nice_skills", "kvk-nummer": "kvk", "kvk nummer": "kvk",
    "kvk_number": "kvk",
    # Fits people with a distance to the labour market (job_profiles.FLAGS): ja / nee.
    "jobcarving": "job_carving", "job carving": "job_carving",
    "begeleid werken": "supported_employment",
    "leren op de werkvloer": "training_on_the_job",
}



def read_sheet(content: bytes) -> Sheet:
    """An employers sheet: the columns above, ``name`` required."""
    return _sheet.read_sheet(content, COLUMNS, ALIASES, ("name",))


def column_for(header: str) -> str | None:
    return _sheet.column_for(header, COLUMNS, ALIASES)


TEMPLATE_ROWS = [
    ["Zorggroep Noord", "A01", "care", "vacatures@zorggroep-noord.example.nl",
     "Verzorgende IG", "9401", "3", "car-medication:3;gen-dutch-b1", "12345678", "32", "",
     "", "", ""],
    ["Zorggroep Noord", "A01", "care", "vacatures@zorggroep-noord.example.nl",
     "Helpende", "9401 AB", "2", "car-personal-care", "12345678", "24", "gen-dutch-b1",
     "ja", "ja", "ja"],
    ["Bouwbedrijf Hoekstra", "B02", "construction", "", "Timmerman", "9711", "1",
     "con-carpentry:3", "", "40", "", "nee", "nee", "ja"],
]


def template_csv() -> bytes:
    """The template as CSV for Dutch Excel: ``;`` between cells, UTF-8 with a BOM."""
    return _sheet.template_csv(COLUMNS, TEMPLATE_ROWS)


def template_xlsx() -> bytes:
    """The template as XLSX; every cell is text (a postcode or KvK number keeps its zeros
    and nothing is run as a formula)."""
    return _sheet.template_xlsx(COLUMNS, TEMPLATE_ROWS, "employers")
