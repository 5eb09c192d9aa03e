"""The registration list of one event, for the desk: search, filters, sort, paging, counts.

One filter (``RegistrationFilter``) serves the page, the API and both exports, so an
export always holds exactly what the list shows (without the paging). The filter is
turned into SQL in one place (``_where``); every value is a bound parameter.

Contract:

* ``q`` matches the name or e-mail address (case-insensitive, anywhere in the text) or the
  phone number by its digits only ("06 12 34" finds "+31612345678").
* Job coaches see only their own clients: ``coach_account_id`` is set by the caller from
  the coach's account (never from the query string), and then only registrations whose
  ``coach_account`` is that account, or an account of the same organisation (coaches of
  one organisation share their clients: ``event_ops.people.caseload``), are counted or
  listed.
* ``total`` counts every registration that matches the filter; ``counts`` gives the same
  per status, ignoring the status filter itself (the page's tabs).

Hook for later: answers to an event's questions. A package that stores answers adds a
function to ``EXTRA_CONDITIONS``; it gets the filter's ``extra`` mapping (the query-string
parameters this module does not know, e.g. ``answer.12=ja``) and returns SQL conditions on
``r`` (registration) / ``v`` (visitor) with their arguments. Nothing here has to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import msgspec

from event_ops import audit
from event_ops.core.db import current_engine, dialect
from event_ops.core.errors import ValidationFailed
from event_ops.i18n import t
from event_ops.localtime import as_datetime, local_time
from event_ops.people.caseload import team_condition
from event_ops.people.tables import REGISTRATION_SOURCES, REGISTRATION_STATUSES
from event_ops.questions.service import QuestionView, answer_conditions

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_QUERY = 100
# Sort keys people can choose → the ORDER BY. Every order ends with the id, so paging is
# stable; missing times sort last in both directions (SQLite and PostgreSQL alike).
SORTS: dict[str, str] = {
    "name": "LOWER(v.name), r.id",
    "-name": "LOWER(v.name) DESC, r.id DESC",
    "created": "r.created_at, r.id",
    "-created": "r.created_at DESC, r.id DESC",
    "checked_in": "(r.checked_in_at IS NULL), r.checked_in_at, r.id",
    "-checked_in": "(r.checked_in_at IS NULL), r.checked_in_at DESC, r.id DESC",
}
_YES = {"yes", "true", "1", "ja"}
_NO = {"no", "false", "0", "nee"}
_KNOWN = {"q", "status", "checked_in", "share_profile", "source", "no_show", "sort",
          "limit", "offset", "lang"}
_DIGITS = re.compile(r"[0-9]")

# Functions (filter's extra parameters) → (SQL conditions, arguments); see the module doc.
ExtraCondition = Callable[[Mapping[str, str]], tuple[list[str], list[object]]]
EXTRA_CONDITIONS: list[ExtraCondition] = [answer_conditions]  # answer.<question>=<choice>


class RegistrationFilter(msgspec.Struct, frozen=True, kw_only=True):
    """What the list narrows down to. ``None`` / empty: does not filter."""

    q: str = ""
    status: str = ""  # registered | waiting_list | cancelled
    checked_in: bool | None = None
    share_profile: bool | None = None  # the consent "employers may see my profile"
    source: str = ""  # self | coach | walkin | invitation
    no_show: bool | None = None
    # Set by the caller for a job coach (their account id): only their own clients.
    coach_account_id: int | None = None
    sort: str = "name"
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    # Parameters for EXTRA_CONDITIONS (answers to event questions, later).
    extra: dict[str, str] = {}

    @classmethod
    def from_query(cls, query: Mapping[str, str], *,
                   coach_account_id: int | None = None) -> RegistrationFilter:
        """From a query string. Wrong values raise ``ValidationFailed`` naming each field
        (an API caller gets 422 with ``fields``; a page shows the list unfiltered)."""
        errors: dict[str, str] = {}

        def choice(name: str, allowed: tuple[str, ...]) -> str:
            value = (query.get(name) or "").strip()
            if value and value not in allowed:
                errors[name] = "err.choice"
                return ""
            return value

        def yes_no(name: str) -> bool | None:
            value = (query.get(name) or "").strip().lower()
            if not value or value == "all":
                return None
            if value in _YES:
                return True
            if value in _NO:
                return False
            errors[name] = "err.choice"
            return None

        def number(name: str, default: int, low: int, high: int) -> int:
            raw = (query.get(name) or "").strip()
            if not raw:
                return default
            if not raw.isdigit() or not low <= int(raw) <= high:
                errors[name] = "desk.err.range"
                return default
            return int(raw)

        q = " ".join((query.get("q") or "").split())
        if len(q) > MAX_QUERY:
            errors["q"] = "desk.err.too_long"
        result = cls(
            q=q[:MAX_QUERY],
            status=choice("status", REGISTRATION_STATUSES),
            checked_in=yes_no("checked_in"),
            share_profile=yes_no("share_profile"),
            source=choice("source", REGISTRATION_SOURCES),
            no_show=yes_no("no_show"),
            coach_account_id=coach_account_id,
            sort=choice("sort", tuple(SORTS)) or "name",
            limit=number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
            offset=number("offset", 0, 0, 10_000_000),
            extra={k: v for k, v in query.items() if k not in _KNOWN},
        )
        if errors:
            raise ValidationFailed(errors)
        return result

    def described(self) -> list[str]:
        """The filter as the audit log keeps it: ``name=value`` for each filter in use.
        The search text is left out (it may be a visitor's name): only that there was one."""
        parts = []
        if self.q:
            parts.append("q=*")
        for name in ("status", "source", "checked_in", "share_profile", "no_show",
                     "coach_account_id"):
            value = getattr(self, name)
            if value not in ("", None):
                parts.append(f"{name}={value}")
        parts += [f"{k}={v}" for k, v in sorted(self.extra.items())]
        return parts


@dataclass(slots=True)
class RegistrationPage:
    total: int
    items: list[dict]
    counts: dict[str, int] = field(default_factory=dict)  # per status, status filter aside


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _phone_digits(q: str) -> list[str]:
    """The digits of a phone number as we store them (+31…, without the +): a Dutch
    "06…" also as "316…", an international "00…" without the zeros. Too few digits: none
    (a year or a house number in a name search must not match every phone)."""
    digits = "".join(_DIGITS.findall(q))
    if len(digits) < 4 or len(digits) < len(q.replace(" ", "")) - 4:
        return []  # mostly letters: a name or an address, not a number
    found = [digits]
    if digits.startswith("00"):
        found = [digits[2:]]
    elif digits.startswith("0"):
        found.append("31" + digits[1:])
    return found


def _where(event_id: int, f: RegistrationFilter, *, with_status: bool = True
           ) -> tuple[str, list[object], bool]:
    """(WHERE clause, arguments, needs the visitor join)."""
    where: list[str] = ["r.event = ?"]
    args: list[object] = [event_id]
    visitor = False
    if f.q:
        # Case-insensitive. E-mail addresses are stored lower-cased. SQLite's LIKE folds
        # ASCII letters itself (as far as its LOWER() would, at a third of the cost); on
        # PostgreSQL, LOWER() + LIKE is 2-3 times faster than ILIKE (measured).
        name = "v.name" if dialect() == "sqlite" else "LOWER(v.name)"
        text = [f"{name} LIKE ? ESCAPE '\\'", "v.email LIKE ? ESCAPE '\\'"]
        args += [_like(f.q.lower()), _like(f.q.lower())]
        for digits in _phone_digits(f.q):
            # Stored as "+31612345678": the digits follow the "+", so no REPLACE is needed.
            text.append("v.phone LIKE ?")
            args.append(f"%{digits}%")
        where.append("(" + " OR ".join(text) + ")")
        visitor = True
    if with_status and f.status:
        where.append("r.status = ?")
        args.append(f.status)
    if f.checked_in is not None:
        where.append("r.checked_in_at IS NOT NULL" if f.checked_in else "r.checked_in_at IS NULL")
    if f.no_show is not None:
        # A no-show who came after all (checked in later) is not a no-show any more.
        where.append("(r.no_show_at IS NOT NULL AND r.checked_in_at IS NULL)" if f.no_show
                     else "(r.no_show_at IS NULL OR r.checked_in_at IS NOT NULL)")
    if f.share_profile is not None:
        where.append("v.share_profile = ?")
        args.append(f.share_profile)
        visitor = True
    if f.source:
        where.append("r.source = ?")
        args.append(f.source)
    if f.coach_account_id is not None:
        # The coach's clients and their organisation's colleagues' (event_ops/people/caseload.py).
        team_sql, team_args = team_condition("r.coach_account", f.coach_account_id)
        where.append(team_sql)
        args += team_args
    for condition in EXTRA_CONDITIONS:
        extra_where, extra_args = condition(f.extra)
        where += extra_where
        args += extra_args
        visitor = True  # a condition may name v; the join costs little
    return " AND ".join(where), args, visitor


_COLUMNS = ("r.id, v.name, v.email, v.phone, r.status, r.checked_in_at, r.source,"
            " r.created_at, r.checked_in_door, r.no_show_at, r.waiting_position,"
            " v.share_profile")


async def status_counts(event_id: int, f: RegistrationFilter) -> dict[str, int]:
    """How many registrations match the filter, per status (the status filter aside)."""
    where, args, visitor = _where(event_id, f, with_status=False)
    join = " JOIN visitor v ON v.id = r.visitor" if visitor else ""
    rows = await current_engine().fetch_off_loop(
        f"SELECT r.status, COUNT(*) AS n FROM registration r{join} WHERE {where}"
        " GROUP BY r.status", args)
    counts = dict.fromkeys(REGISTRATION_STATUSES, 0)
    counts.update({row["status"]: int(row["n"]) for row in rows})
    return counts


def is_no_show(row: dict) -> bool:
    """Marked a no-show and not checked in since (the same rule as the filter)."""
    return row["no_show_at"] is not None and row["checked_in_at"] is None


def _item(row: dict) -> dict:
    row["share_profile"] = bool(row["share_profile"])
    return row


async def list_registrations(event_id: int, f: RegistrationFilter) -> RegistrationPage:
    """One page of the list, the total that matches and the counts per status.

    A search usually finds fewer people than fit on one page: then that page holds every
    match, and the counts per status are taken from it instead of a second scan."""
    where, args, visitor = _where(event_id, f)
    order = SORTS[f.sort]
    join = " JOIN visitor v ON v.id = r.visitor" if visitor or "v." in order else ""
    # A deferred join: the page's ids are chosen by sorting narrow rows (id and sort key),
    # and only those rows are read in full; half the work for a deep page on SQLite.
    rows = await current_engine().fetch_off_loop(
        f"SELECT {_COLUMNS} FROM registration r JOIN visitor v ON v.id = r.visitor"
        f" WHERE r.id IN (SELECT r.id FROM registration r{join} WHERE {where}"
        f" ORDER BY {order} LIMIT ? OFFSET ?) ORDER BY {order}",
        [*args, f.limit, f.offset])
    if f.offset == 0 and not f.status and len(rows) < f.limit:
        counts = dict.fromkeys(REGISTRATION_STATUSES, 0)
        for row in rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
    else:
        counts = await status_counts(event_id, f)
    total = counts.get(f.status, 0) if f.status else sum(counts.values())
    return RegistrationPage(total=total, items=[_item(row) for row in rows], counts=counts)


async def all_matching(event_id: int, f: RegistrationFilter) -> list[dict]:
    """Every registration that matches the filter, in its order (exports: no paging)."""
    where, args, _ = _where(event_id, f)
    rows = await current_engine().fetch_off_loop(
        f"SELECT {_COLUMNS} FROM registration r JOIN visitor v ON v.id = r.visitor"
        f" WHERE {where} ORDER BY {SORTS[f.sort]}", args)
    return [_item(row) for row in rows]


# ---- exports ------------------------------------------------------------------------------

EXPORT_COLUMNS = ("id", "name", "email", "phone", "status", "source", "created_at",
                  "checked_in_at", "checked_in_door", "no_show", "share_profile")


def export_table(rows: list[dict], lang: str, *, for_csv: bool,
                 questions: Sequence[QuestionView] = (),
                 answers: Mapping[int, Mapping[int, str]] | None = None,
                 ) -> tuple[list[str], list[list]]:
    """The list for a spreadsheet: headers in ``lang``, statuses and sources in words,
    the consent in plain words ("Profiel delen met werkgevers": ja/nee), Amsterdam times
    (text in a CSV, date cells in an XLSX), then one column per question of the event
    (``questions``, in form order) with each registration's answer as text (``answers``:
    registration id → question id → text, from ``answers_for``; empty: not answered)."""
    answers = answers or {}
    header = [t(f"desk.col.{c}", lang) for c in EXPORT_COLUMNS]
    header += [q.label(lang) for q in questions]
    yes, no = t("desk.yes", lang), t("desk.no", lang)
    table = []
    for row in rows:
        line: list[object] = []
        for c in EXPORT_COLUMNS:
            value: object
            if c == "status":
                value = t(f"desk.status.{row['status']}", lang)
            elif c == "source":
                value = t(f"desk.source.{row['source']}", lang)
            elif c == "no_show":
                value = yes if is_no_show(row) else no
            elif c == "share_profile":
                value = yes if row["share_profile"] else no
            elif c.endswith("_at"):
                value = local_time(row[c], lang) if for_csv else as_datetime(row[c])
            else:
                value = row[c]
            line.append(value)
        given = answers.get(row["id"], {})
        line += [given.get(q.id, "") for q in questions]
        table.append(line)
    return header, table


async def record_export(actor: str, event_id: int, f: RegistrationFilter, rows: int,
                        file_format: str) -> None:
    """Every export goes to the audit log: who, which filter, how many rows, which file."""
    await audit.record(actor, "registration.exported", event_id=event_id,
                       subject_type="event", subject_id=event_id,
                       fields=[f"format={file_format}", f"rows={rows}", *f.described()])
