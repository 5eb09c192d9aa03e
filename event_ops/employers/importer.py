"""Importing employers and vacancies from a spreadsheet: check every row, show what would
change, and store it all in one transaction or nothing at all.

Contracts:
- Nothing is stored when any row has a problem, and nothing with ``dry_run``.
- An employer is the one at this event whose organisation has the row's KvK number, else
  whose name has the same key (``organisations.name_key``); a vacancy is the employer's
  one with the same title (case and spaces ignored). So importing the same sheet again
  updates what is there and creates nothing.
- An empty cell keeps what is stored (a sheet never blanks a stand or an e-mail address);
  vacancies not in the sheet are kept.
- Two imports of one event run one after the other (the event row is locked on
  PostgreSQL; SQLite serialises write transactions), so two uploads of the same sheet at
  once never make an employer or vacancy twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from event_ops import audit
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.employers.organisations import (
    clean_name,
    find_organisation,
    name_key,
    normalise_kvk,
    organisation_for,
)
from event_ops.employers.service import (
    MAX_HOURS,
    MAX_POSITIONS,
    _forget_cached_vacancies,
    competency_text,
    normalise_email,
    normalise_pc4,
    rewrite_vacancy,
    stand_for,
    vacancies_of,
    vacancy_audit,
)
from event_ops.employers.service import (
    VACANCY_FLAGS as FLAGS,
)
from event_ops.employers.spreadsheet import Problem, Sheet, read_sheet
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.taxonomy.service import SECTORS, CompetencyItem, competencies_by_code

EMPLOYER_CELLS = ("kvk", "stand", "sector", "email")
_SKILL_SPLIT = re.compile(r"[;,|\n]+")
# A flag's cell: yes or no in Dutch or English; empty keeps what is stored.
_YES = frozenset({"ja", "yes", "j", "y", "x", "1", "true", "waar"})
_NO = frozenset({"", "nee", "no", "n", "0", "false", "onwaar"})


@dataclass
class VacancyPlan:
    row: int
    title: str
    postcode: str | None  # None: the cell was empty (keep what is stored)
    positions: int | None
    hours: int | None
    wanted: dict[str, tuple[int, bool]] | None  # None: no skills given (keep)
    # The distance-to-the-labour-market flags given (an empty cell: keep what is stored).
    flags: dict[str, bool] = field(default_factory=dict)


@dataclass
class EmployerPlan:
    row: int  # its first row
    name: str
    values: dict[str, str] = field(default_factory=dict)  # kvk, stand, sector, email
    value_rows: dict[str, int] = field(default_factory=dict)
    vacancies: dict[str, VacancyPlan] = field(default_factory=dict)  # by title key


@dataclass
class ImportResult:
    employers_created: int = 0
    employers_updated: int = 0
    vacancies_created: int = 0
    vacancies_updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    # For the preview: per employer {"name", "action": "create"|"update", "changes",
    # "vacancies": [{"title", "action", "changes"}]}.
    actions: list[dict[str, Any]] = field(default_factory=list)
    stored: bool = False
    stands: dict[str, int] = field(default_factory=dict)  # label → id, while importing
    # Audit entries written together at the end of the import's transaction.
    audit_entries: list[tuple[str, int | None, str, int | None, dict]] = field(
        default_factory=list)

    def errors(self, lang: str) -> list[dict[str, Any]]:
        """The problems as the API shows them: row, column, plain message."""
        return [{"row": p.row, "column": p.column, "message": t(p.key, lang, **dict(p.values))}
                for p in self.problems]

    def summary(self, lang: str) -> dict[str, Any]:
        return {"employers_created": self.employers_created,
                "employers_updated": self.employers_updated,
                "vacancies_created": self.vacancies_created,
                "vacancies_updated": self.vacancies_updated,
                "errors": self.errors(lang)}


def title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _int_cell(text: str, low: int, high: int) -> int | None:
    text = text.strip().replace(" ", "")
    if re.fullmatch(r"[0-9]{1,6}([.,]0+)?", text):
        value = int(re.split(r"[.,]", text)[0])
        if low <= value <= high:
            return value
    raise ValueError(text)


def parse_skills(cell: str, known: dict[str, CompetencyItem], required: bool,
                 row: int, column: str, problems: list[Problem]
                 ) -> dict[str, tuple[int, bool]]:
    """"code" or "code:level" separated by ``;`` (also ``,``); the level 1-4 defaults to
    the taxonomy's. Unknown codes and bad levels become problems."""
    wanted: dict[str, tuple[int, bool]] = {}
    for part in _SKILL_SPLIT.split(cell):
        part = part.strip()
        if not part:
            continue
        code, _, level_text = part.partition(":")
        code = code.strip().lower()
        if code not in known:
            problems.append(Problem(row, column, "imp.err.skill_unknown", (("code", code),)))
            continue
        level = known[code].level
        if level_text.strip():
            try:
                level = _int_cell(level_text, 1, 4) or 0
            except ValueError:
                problems.append(Problem(row, column, "imp.err.skill_level",
                                        (("code", code),)))
                continue
        wanted[code] = (level, required)
    return wanted


def plan_sheet(sheet: Sheet, known: dict[str, CompetencyItem]
               ) -> tuple[dict[str, EmployerPlan], list[Problem]]:
    """Check every cell and group the rows into employers (by name key) and their
    vacancies (by title). Pure: the problems name row and column."""
    problems = list(sheet.problems)
    label = sheet.labels
    employers: dict[str, EmployerPlan] = {}
    kvk_owner: dict[str, tuple[str, int, str]] = {}
    for number, cells in sheet.rows:
        def bad(column: str, key: str, **values: object) -> None:
            problems.append(Problem(number, label.get(column, column), key,  # noqa: B023
                                    tuple(values.items())))

        try:
            name = clean_name(cells.get("name", ""))
        except DomainError:
            bad("name", "imp.err.required" if not cells.get("name") else "imp.err.name")
            continue
        key = name_key(name)
        plan = employers.setdefault(key, EmployerPlan(row=number, name=name))
        values: dict[str, str] = {}
        try:
            kvk = normalise_kvk(cells.get("kvk"))
            if kvk:
                values["kvk"] = kvk
                owner = kvk_owner.setdefault(kvk, (key, number, name))
                if owner[0] != key:
                    bad("kvk", "imp.err.kvk_other_name", row=owner[1], name=owner[2])
        except DomainError:
            bad("kvk", "imp.err.kvk")
        stand = " ".join(cells.get("stand", "").split())
        if len(stand) > 32:
            bad("stand", "imp.err.stand")
        elif stand:
            values["stand"] = stand
        sector = cells.get("sector", "").strip().lower()
        if sector and sector not in SECTORS:
            bad("sector", "imp.err.sector", value=sector, sectors=", ".join(SECTORS))
        elif sector:
            values["sector"] = sector
        try:
            email = normalise_email(cells.get("email"))
            if email:
                values["email"] = email
        except DomainError:
            bad("email", "imp.err.email")
        for column, value in values.items():
            if column in plan.values and plan.values[column] != value:
                bad(column, "imp.err.conflict", row=plan.value_rows[column],
                    value=plan.values[column])
            elif column not in plan.values:
                plan.values[column] = value
                plan.value_rows[column] = number
        _plan_vacancy(plan, number, cells, known, bad, problems, label)
    return employers, problems


def _plan_vacancy(plan: EmployerPlan, number: int, cells: dict[str, str],
                  known: dict[str, CompetencyItem], bad: Any, problems: list[Problem],
                  label: dict[str, str]) -> None:
    vacancy_cells = ("vacancy_postcode", "vacancy_positions", "vacancy_hours", "skills",
                     "nice_skills", *FLAGS)
    title = " ".join(cells.get("vacancy_title", "").split())
    if not title:
        if any(cells.get(c) for c in vacancy_cells):
            bad("vacancy_title", "imp.err.title_missing")
        return
    if len(title) > 200:
        bad("vacancy_title", "imp.err.title")
        return
    tkey = title_key(title)
    if tkey in plan.vacancies:
        bad("vacancy_title", "imp.err.duplicate_vacancy", row=plan.vacancies[tkey].row)
        return
    postcode: str | None = None
    if cells.get("vacancy_postcode"):
        try:
            postcode = normalise_pc4(cells["vacancy_postcode"])
        except DomainError:
            bad("vacancy_postcode", "imp.err.postcode")
    positions = hours = None
    if cells.get("vacancy_positions"):
        try:
            positions = _int_cell(cells["vacancy_positions"], 0, MAX_POSITIONS)
        except ValueError:
            bad("vacancy_positions", "imp.err.positions", high=MAX_POSITIONS)
    if cells.get("vacancy_hours"):
        try:
            hours = _int_cell(cells["vacancy_hours"], 1, MAX_HOURS)
        except ValueError:
            bad("vacancy_hours", "imp.err.hours", high=MAX_HOURS)
    wanted: dict[str, tuple[int, bool]] | None = None
    if cells.get("skills") or cells.get("nice_skills"):
        nice = parse_skills(cells.get("nice_skills", ""), known, False, number,
                            label.get("nice_skills", "nice_skills"), problems)
        wanted = {**nice, **parse_skills(cells.get("skills", ""), known, True, number,
                                         label.get("skills", "skills"), problems)}
    flags: dict[str, bool] = {}
    for flag in FLAGS:
        cell = cells.get(flag, "").strip().lower()
        if cell in _YES:
            flags[flag] = True
        elif cell not in _NO:
            bad(flag, "imp.err.yes_no")
        elif cell:
            flags[flag] = False
    plan.vacancies[tkey] = VacancyPlan(row=number, title=title, postcode=postcode,
                                       positions=positions, hours=hours, wanted=wanted,
                                       flags=flags)


async def import_employers(event: Event, content: bytes, *, actor: str,
                           dry_run: bool = False) -> ImportResult:
    """Check the sheet and (unless ``dry_run`` or a problem) store it in one transaction.
    Raises ``DomainError`` for a file that is no sheet at all (empty, too large, too many
    rows, not CSV/XLSX); returns the problems of a sheet whose rows are wrong."""
    sheet = read_sheet(content)
    employers, problems = plan_sheet(sheet, await competencies_by_code())
    result = ImportResult(problems=problems)
    if problems:
        return result
    if not employers:
        result.problems.append(Problem(2, "name", "imp.err.no_rows"))
        return result
    if dry_run:
        await _resolve(event, employers, result, write=False, actor=actor)
        return result
    db = current_engine()
    async with db.transaction():
        if db.engine_type == "postgres":
            # One import of an event at a time: the second waits here and then finds what
            # the first one stored (SQLite's write transaction already serialises).
            await db.fetch("SELECT id FROM event WHERE id = ? FOR UPDATE", [event.id])
        await _resolve(event, employers, result, write=True, actor=actor)
        await audit.record_many(actor, result.audit_entries)
        await audit.record(actor, "employers.imported", event_id=event.id,
                           subject_type="event", subject_id=event.id,
                           changes={"employers_created": [0, result.employers_created],
                                    "employers_updated": [0, result.employers_updated],
                                    "vacancies_created": [0, result.vacancies_created],
                                    "vacancies_updated": [0, result.vacancies_updated]})
    result.stored = True
    _forget_cached_vacancies()
    return result


async def _resolve(event: Event, employers: dict[str, EmployerPlan], result: ImportResult,
                   *, write: bool, actor: str) -> None:
    """Match each planned employer and vacancy with what is stored, count and describe the
    changes, and (``write``) make them. Runs inside the import's transaction."""
    db = current_engine()
    stored = await db.fetch(
        "SELECT e.id, e.name, e.sector, e.contact_email, e.organisation, o.kvk_number,"
        " COALESCE(s.label, '') AS stand FROM employer e LEFT JOIN stand s ON s.id = e.stand"
        " LEFT JOIN organisation o ON o.id = e.organisation WHERE e.event = ? ORDER BY e.id",
        [event.id])
    by_kvk = {r["kvk_number"]: r for r in stored if r["kvk_number"]}
    by_org = {r["organisation"]: r for r in stored if r["organisation"]}
    by_name: dict[str, dict[str, Any]] = {}
    for r in stored:
        by_name.setdefault(name_key(r["name"]), r)
    # The event's stands, read once (an import places 250 employers).
    result.stands = {r["label"]: r["id"] for r in await db.fetch(
        "SELECT id, label FROM stand WHERE event = ?", [event.id])}
    matched = {}
    for key, plan in employers.items():
        kvk = plan.values.get("kvk")
        existing = by_kvk.get(kvk) if kvk else None
        if existing is None and kvk:
            org = await find_organisation(plan.name, kvk)
            existing = by_org.get(org["id"]) if org else None
        if existing is None:
            existing = by_name.get(key)
        matched[key] = existing
    old_vacancies: dict[int, dict[str, dict[str, Any]]] = {}
    for v in await vacancies_of([r["id"] for r in matched.values() if r]):
        old_vacancies.setdefault(v["employer"], {}).setdefault(title_key(v["title"]), v)
    for key, plan in employers.items():
        existing = matched[key]
        action = await (_update_employer(event, plan, existing, old_vacancies, result,
                                         write, actor) if existing
                        else _create_employer(event, plan, result, write, actor))
        result.actions.append(action)


def _employer_after(plan: EmployerPlan) -> dict[str, Any]:
    return {"stand": plan.values.get("stand", ""), "sector": plan.values.get("sector", ""),
            "contact_email": plan.values.get("email", "")}


async def _create_employer(event: Event, plan: EmployerPlan, result: ImportResult,
                           write: bool, actor: str) -> dict[str, Any]:
    result.employers_created += 1
    after = {"name": plan.name, "kvk_number": plan.values.get("kvk"), **_employer_after(plan)}
    employer_id = None
    if write:
        organisation_id, _ = await organisation_for(plan.name, plan.values.get("kvk"), actor)
        stand_id = await stand_for(event.id, after["stand"], result.stands)
        from event_ops import clock

        employer_id = (await current_engine().fetch(
            "INSERT INTO employer (event, name, sector, is_training_provider, stand,"
            " contact_email, created_at, organisation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id", [event.id, plan.name, after["sector"], False, stand_id,
                              after["contact_email"], clock.now(), organisation_id]))[0]["id"]
        result.audit_entries.append(("employer.created", event.id, "employer", employer_id,
                                     audit.changes({}, after)))
    vacancies = await _create_vacancies(event, employer_id, after["sector"],
                                        list(plan.vacancies.values()), result, write)
    return {"name": plan.name, "row": plan.row, "action": "create",
            "changes": audit.changes({}, after), "vacancies": vacancies}


async def _create_vacancies(event: Event, employer_id: int | None, sector: str,
                            plans: list[VacancyPlan], result: ImportResult,
                            write: bool) -> list[dict[str, Any]]:
    """New vacancies of one employer: one INSERT for the vacancies and one for all their
    competencies (titles are unique among them: the sheet's check)."""
    made = []
    for vacancy in plans:
        result.vacancies_created += 1
        fields = {"title": vacancy.title, "postcode": vacancy.postcode or "", "sector": sector,
                  "positions": 1 if vacancy.positions is None else vacancy.positions,
                  "hours_per_week": vacancy.hours,
                  **{f: True for f, on in vacancy.flags.items() if on}}
        made.append((vacancy, fields, vacancy.wanted or {}))
    if write and employer_id is not None and made:
        db = current_engine()
        args: list[Any] = []
        for _, fields, _ in made:
            args += [employer_id, fields["title"], "", fields["sector"], fields["positions"],
                     fields["hours_per_week"], fields["postcode"],
                     *(bool(fields.get(f)) for f in FLAGS)]
        rows = await db.fetch(
            "INSERT INTO vacancy (employer, title, description, sector, positions,"
            " hours_per_week, postcode, job_carving, supported_employment,"
            " training_on_the_job) VALUES "
            + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(made))
            + " RETURNING id, title", args)
        ids = {r["title"]: r["id"] for r in rows}
        skill_args: list[Any] = []
        for _, fields, wanted in made:
            vacancy_id = ids[fields["title"]]
            for code, (level, required) in wanted.items():
                skill_args += [vacancy_id, code, level, required]
            result.audit_entries.append(("vacancy.created", event.id, "vacancy", vacancy_id,
                                         audit.changes({}, vacancy_audit(fields, wanted))))
        if skill_args:
            await db.fetch("INSERT INTO vacancy_competency (vacancy, code, level, required)"
                           " VALUES " + ", ".join(["(?, ?, ?, ?)"] * (len(skill_args) // 4)),
                           skill_args)
    return [{"title": v.title, "row": v.row, "action": "create",
             "changes": audit.changes({}, vacancy_audit(fields, wanted))}
            for v, fields, wanted in made]


async def _update_employer(event: Event, plan: EmployerPlan, existing: dict[str, Any],
                           old_vacancies: dict[int, dict[str, dict[str, Any]]],
                           result: ImportResult, write: bool, actor: str) -> dict[str, Any]:
    result.employers_updated += 1
    before = {"stand": existing["stand"], "sector": existing["sector"],
              "contact_email": existing["contact_email"]}
    # An empty cell keeps what is stored.
    after = {k: v for k, v in _employer_after(plan).items() if v}
    changed = audit.changes(before, after)
    kvk = plan.values.get("kvk")
    if kvk and not existing["kvk_number"]:
        changed["kvk_number"] = [None, kvk]
    db = current_engine()
    if write and changed:
        if "stand" in changed:
            await db.fetch("UPDATE employer SET stand = ? WHERE id = ?",
                           [await stand_for(event.id, after["stand"], result.stands),
                            existing["id"]])
        for column in ("sector", "contact_email"):
            if column in changed:
                await db.fetch(f"UPDATE employer SET {column} = ? WHERE id = ?",
                               [after[column], existing["id"]])
        if "kvk_number" in changed:
            organisation_id, _ = await organisation_for(plan.name, kvk, actor)
            await db.fetch("UPDATE employer SET organisation = ? WHERE id = ?",
                           [organisation_id, existing["id"]])
        result.audit_entries.append(("employer.updated", event.id, "employer",
                                     existing["id"], changed))
    sector = after.get("sector", existing["sector"])
    vacancies = []
    stored = old_vacancies.get(existing["id"], {})
    new_ones = []
    for tkey, vacancy in plan.vacancies.items():
        old = stored.get(tkey)
        if old is None:
            new_ones.append(vacancy)
            continue
        result.vacancies_updated += 1
        fields = {"title": old["title"],
                  "postcode": old["postcode"] if vacancy.postcode is None else vacancy.postcode,
                  "sector": old["sector"],
                  "positions": old["positions"] if vacancy.positions is None
                  else vacancy.positions,
                  "hours_per_week": old["hours_per_week"] if vacancy.hours is None
                  else vacancy.hours,
                  **{f: vacancy.flags.get(f, old[f]) for f in FLAGS}}
        fields_before = {k: old[k] for k in fields}
        vchanged = audit.changes(vacancy_audit(fields_before, old["wanted"]),
                                 vacancy_audit(fields, vacancy.wanted if vacancy.wanted
                                               is not None else old["wanted"]))
        if write and vchanged:
            await rewrite_vacancy(old["id"], fields, vacancy.wanted)
            if any(f in vchanged for f in FLAGS):
                await db.fetch("UPDATE vacancy SET job_carving = ?, supported_employment = ?,"
                               " training_on_the_job = ? WHERE id = ?",
                               [*(fields[f] for f in FLAGS), old["id"]])
            result.audit_entries.append(("vacancy.updated", event.id, "vacancy", old["id"],
                                         vchanged))
        vacancies.append({"title": old["title"], "row": vacancy.row, "action": "update",
                          "changes": vchanged})
    vacancies += await _create_vacancies(event, existing["id"], sector, new_ones, result,
                                         write)
    return {"name": existing["name"], "row": plan.row, "action": "update", "changes": changed,
            "vacancies": vacancies}


__all__ = ["ImportResult", "competency_text", "import_employers", "plan_sheet"]
