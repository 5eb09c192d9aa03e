"""Organisations, employers, vacancies and the spreadsheet import (back office)."""

# The same limits as event_ops/employers/spreadsheet.py (MAX_BYTES, MAX_ROWS); not imported,
# because the texts are merged while event_ops.i18n loads (tests/test_employer_import.py
# checks they agree).
_MB = 2
MAX_ROWS = 5000

TEXTS: dict[str, tuple[str, str]] = {
    # errors (app/errors.py ERRORS)
    "error.bad_kvk": ("Een KvK-nummer heeft 8 cijfers.", "A KvK number has 8 digits."),
    "error.bad_contact": ("Kijk de gegevens van de contactpersoon na.",
                          "Check the contact person's details."),
    "error.bad_stand": ("Een standnummer heeft hoogstens 32 tekens.",
                        "A stand label has at most 32 characters."),
    "error.organisation_exists": ("Er is al een organisatie met dit KvK-nummer of deze naam.",
                                  "There is already an organisation with this KvK number or"
                                  " name."),
    "error.organisation_not_found": ("Deze organisatie bestaat niet.",
                                     "There is no such organisation."),
    "error.employer_in_use": (
        "Deze werkgever heeft al gesprekken, matches of apparaten bij dit evenement. U kunt"
        " hem niet meer weghalen.",
        "This employer already has entries, matches or devices at this event. It cannot be"
        " removed."),
    "error.vacancy_not_found": ("Deze vacature bestaat niet.", "There is no such vacancy."),
    "error.vacancy_in_use": ("Bij de stand is deze vacature al gekozen. U kunt hem niet"
                             " weghalen.",
                             "Entries at the stand name this vacancy. It cannot be removed."),
    "error.import_empty": ("Het bestand is leeg.", "The file is empty."),
    "error.import_no_file": ("Kies een bestand.", "Choose a file."),
    "error.import_too_large": (f"Het bestand is groter dan {_MB} MB.",
                               f"The file is larger than {_MB} MB."),
    "error.import_not_spreadsheet": (
        "Dit is geen CSV- of XLSX-bestand. Sla het blad op als .xlsx of .csv.",
        "This is not a CSV or XLSX file. Save the sheet as .xlsx or .csv."),
    "error.import_too_many_rows": (f"Het blad heeft meer dan {MAX_ROWS} rijen. Splits het op.",
                                   f"The sheet has more than {MAX_ROWS} rows. Split it up."),
    "error.import_expired": ("Deze controle is verlopen. Upload het bestand opnieuw.",
                             "This preview has expired. Upload the file again."),
    # problems in a sheet: row and column are shown next to them
    "imp.err.unknown_column": ("Onbekende kolom. Bekende kolommen: {columns}.",
                               "Unknown column. Known columns: {columns}."),
    "imp.err.duplicate_column": ("Deze kolom staat er twee keer in.",
                                 "This column is there twice."),
    "imp.err.missing_column": ("Deze kolom ontbreekt.", "This column is missing."),
    "imp.err.no_header": ("Deze rij heeft een waarde in een kolom zonder naam.",
                          "This row has a value in a column without a name."),
    "imp.err.no_rows": ("Het blad heeft geen werkgevers.", "The sheet has no employers."),
    "imp.err.required": ("Vul dit in.", "Fill this in."),
    "imp.err.name": ("Een naam heeft 1 tot 200 tekens.", "A name has 1 to 200 characters."),
    "imp.err.kvk": ("Een KvK-nummer heeft 8 cijfers.", "A KvK number has 8 digits."),
    "imp.err.kvk_other_name": ("Dit KvK-nummer staat in rij {row} bij {name}.",
                               "This KvK number is in row {row} for {name}."),
    "imp.err.stand": ("Een standnummer heeft hoogstens 32 tekens.",
                      "A stand label has at most 32 characters."),
    "imp.err.sector": ("Onbekende sector '{value}'. Kies uit: {sectors}.",
                       "Unknown sector '{value}'. Choose from: {sectors}."),
    "imp.err.email": ("Dit is geen geldig e-mailadres.", "This is not a valid e-mail address."),
    "imp.err.conflict": ("Anders dan in rij {row} ({value}).",
                         "Differs from row {row} ({value})."),
    "imp.err.title_missing": ("Deze rij heeft vacaturegegevens maar geen titel.",
                              "This row has vacancy details but no title."),
    "imp.err.title": ("Een titel heeft 1 tot 200 tekens.", "A title has 1 to 200 characters."),
    "imp.err.duplicate_vacancy": ("Deze vacature staat ook in rij {row}.",
                                  "This vacancy is also in row {row}."),
    "imp.err.postcode": ("Geen Nederlandse postcode. Schrijf bijvoorbeeld 9711 of 9711 AB.",
                         "Not a Dutch postcode. Write for example 9711 or 9711 AB."),
    "imp.err.positions": ("Schrijf een heel getal van 0 tot {high}.",
                          "Write a whole number from 0 to {high}."),
    "imp.err.hours": ("Schrijf een heel getal van 1 tot {high}.",
                      "Write a whole number from 1 to {high}."),
    "imp.err.skill_unknown": ("Onbekende vaardigheid '{code}'.", "Unknown skill '{code}'."),
    "imp.err.skill_level": ("Het niveau van {code} moet 1, 2, 3 of 4 zijn.",
                            "The level of {code} must be 1, 2, 3 or 4."),
}
