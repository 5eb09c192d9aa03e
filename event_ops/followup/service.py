"""Matches: made from interests, moved through the pipeline, owned by a coach, listed on the board.

Every status change is one transaction: a conditional ``UPDATE … WHERE status = <old>`` (so
two coaches clicking at once cannot both move the same match), a ``match_change`` row and an
audit entry. The table is called ``match`` (an SQL keyword), so it is always quoted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import msgspec

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.followup.pipeline import (
    FINAL_STATUSES,
    FINAL_STATUSES_SQL,
    MATCH_LEVELS,
    allowed_next,
    check_transition,
)
from event_ops.matching.tables import MATCH_STATUSES
from event_ops.types import MAX_DB_ID

DEFAULT_IDLE_DAYS = 5
#: How an interest downgraded to ``info`` is noted in a match's history (status unchanged).
DOWNGRADE_NOTE = "The employer changed the interest to info; the match is kept."
UPGRADE_NOTE = "The employer changed the interest back to {level}."



# ---- the interest hook ---------------------------------------------------------------------


async def sync_match_for_interest(
    *, event_id: int, interest_id: int, employer_id: int, registration_id: int, level: str,
    actor: str,
) -> int | None:
    """Keep the match of one (employer, visitor) in step with the employer's interest.

    * level direct / follow_up / training: create the match (status ``new``), or update
      the level of the existing one;
    * level info: never creates a match; an existing match is left alone (a coach may
      already be working on it) but the downgrade is noted in its history.

    Returns the match id, or None when there is no match. Idempotent: a re-scan with the
    same level changes nothing.
    """
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch(
            'SELECT id, level, status, interest FROM "match" WHERE employer = ?'
            " AND registration = ?", [employer_id, registration_id],
        )
        if level not in MATCH_LEVELS:
            if rows:
                await _note_once(rows[0], DOWNGRADE_NOTE, actor, event_id)
                return rows[0]["id"]
            return None
        if not rows:
            now = clock.now()
            created = await db.fetch(
                'INSERT INTO "match" (event, interest, employer, registration, level, status,'
                " reason, owner_name, owner_email, created_at, status_changed_at)"
                " VALUES (?, ?, ?, ?, ?, 'new', '', '', '', ?, ?)"
                " ON CONFLICT (employer, registration) DO NOTHING RETURNING id",
                [event_id, interest_id, employer_id, registration_id, level, now, now],
            )
            if created:
                match_id = created[0]["id"]
                await _record_change(match_id, "", "new", f"interest: {level}", actor, now)
                await audit.record(actor, "match.created", event_id=event_id,
                                   subject_type="match", subject_id=match_id, fields=["level"])
                return match_id
            # Another tablet of the same employer created it a moment ago: update that one.
            rows = await db.fetch(
                'SELECT id, level, status, interest FROM "match" WHERE employer = ?'
                " AND registration = ?", [employer_id, registration_id],
            )
        match = rows[0]
        await _note_once(match, UPGRADE_NOTE.format(level=level), actor, event_id,
                         only_after=DOWNGRADE_NOTE)
        if match["level"] != level or match["interest"] != interest_id:
            await db.fetch('UPDATE "match" SET level = ?, interest = ? WHERE id = ?',
                           [level, interest_id, match["id"]])
            if match["level"] != level:
                await audit.record(actor, "match.level_changed", event_id=event_id,
                                   subject_type="match", subject_id=match["id"],
                                   fields=["level"])
        return match["id"]


async def _note_once(match: dict, note: str, actor: str, event_id: int, *,
                     only_after: str | None = None) -> None:
    """Add a history note (status unchanged) unless it is already the latest entry.

    With ``only_after``, add it only when the latest entry is that note (an upgrade is only
    worth noting after a downgrade).
    """
    last = await current_engine().fetch(
        "SELECT reason FROM match_change WHERE \"match\" = ? AND kind = 'status'"
        " ORDER BY id DESC LIMIT 1",
        [match["id"]],
    )
    latest = last[0]["reason"] if last else None
    if latest == note or (only_after is not None and latest != only_after):
        return
    await _record_change(match["id"], match["status"], match["status"], note, actor, clock.now())
    await audit.record(actor, "match.noted", event_id=event_id, subject_type="match",
                       subject_id=match["id"], fields=["level"])


async def _record_change(match_id: int, from_status: str, to_status: str, reason: str,
                         actor: str, at: dt.datetime, *, kind: str = "status",
                         owner_name: str = "") -> None:
    await current_engine().fetch(
        'INSERT INTO match_change ("match", from_status, to_status, reason, actor, at, kind,'
        " owner_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [match_id, from_status, to_status, reason, actor, at, kind, owner_name],
    )


# ---- status and owner ----------------------------------------------------------------------


def is_id(value: int) -> bool:
    """A value that can be a row id (asking the database about others is an error)."""
    return 0 < value <= MAX_DB_ID


async def match_event_id(match_id: int) -> int | None:
    """The event a match belongs to (None if there is no such match): tokens are per event."""
    if not is_id(match_id):
        return None
    rows = await current_engine().fetch('SELECT event FROM "match" WHERE id = ?', [match_id])
    return rows[0]["event"] if rows else None


async def change_status(match_id: int, to_status: str, reason: str, actor: str) -> None:
    """Move a match one step along the pipeline (see ``pipeline.TRANSITIONS``).

    Raises ``match_not_found``, ``bad_status``, ``bad_transition``, ``reason_required``,
    ``reason_too_long``, or ``match_changed`` when someone else moved it at the same moment.
    """
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch('SELECT id, event, status FROM "match" WHERE id = ?', [match_id])
        if not rows:
            raise DomainError("match_not_found", "There is no such match.")
        current = rows[0]
        cleaned = check_transition(current["status"], to_status, reason)
        now = clock.now()
        updated = await db.fetch(
            'UPDATE "match" SET status = ?, reason = ?, status_changed_at = ?'
            " WHERE id = ? AND status = ? RETURNING id",
            [to_status, cleaned, now, match_id, current["status"]],
        )
        if not updated:
            raise DomainError("match_changed",
                              "Someone else changed this match just now. Reload and try again.")
        await _record_change(match_id, current["status"], to_status, cleaned, actor, now)
        await audit.record(actor, "match.status_changed", event_id=current["event"],
                           subject_type="match", subject_id=match_id,
                           fields=["status", "reason"])


# Who may own a match: organiser admins (every event), and the event's organiser staff and
# job coaches; never a disabled account.
_OWNER_CANDIDATES = (
    "SELECT a.id, a.name, a.email, a.role FROM account a WHERE a.disabled_at IS NULL AND"
    " (a.role = 'organiser_admin' OR (a.role IN ('organiser_staff', 'job_coach') AND"
    " EXISTS (SELECT 1 FROM account_event ae WHERE ae.account = a.id AND ae.event = ?)))"
)


async def owner_candidates(event_id: int) -> list[dict]:
    """The accounts that may own a match of this event, by name: ``id``, ``name``,
    ``email``, ``role``. The board's owner list."""
    rows = await current_engine().fetch(_OWNER_CANDIDATES + " ORDER BY a.name, a.id",
                                        [event_id])
    return [dict(r) for r in rows]


async def assign_owner(match_id: int, actor: str, *, account_id: int | None = None,
                       email: str = "") -> None:
    """Make an account the owner (the coach or account manager who follows up), or with
    neither ``account_id`` nor ``email`` clear the owner. ``email`` finds the account by
    its address (scripts). The owner must be one of :func:`owner_candidates`; its name and
    e-mail are copied onto the match (mails and the board). The change goes into the
    match's history with the acting account.

    Raises ``match_not_found`` or ``bad_owner`` (not an account that may own this match).
    """
    email = (email or "").strip().lower()
    if "\x00" in email or len(email) > 254:  # PostgreSQL refuses NUL in text
        raise DomainError("bad_owner", "There is no account with this e-mail.", field="email")
    if account_id is not None and not is_id(account_id):
        raise DomainError("bad_owner", "There is no such account.", field="account_id")
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch('SELECT event, status FROM "match" WHERE id = ?', [match_id])
        if not rows:
            raise DomainError("match_not_found", "There is no such match.")
        match = rows[0]
        owner = {"id": None, "name": "", "email": ""}
        if account_id is not None or email:
            clause, arg = ("a.id = ?", account_id) if account_id is not None else (
                "a.email = ?", email)
            found = await db.fetch(f"{_OWNER_CANDIDATES} AND {clause}", [match["event"], arg])
            if not found:
                raise DomainError(
                    "bad_owner", "The owner must be an organiser or job coach account of"
                    " this event.", field="account_id" if account_id is not None else "email")
            owner = found[0]
        await db.fetch(
            'UPDATE "match" SET owner_account = ?, owner_name = ?, owner_email = ? WHERE id = ?',
            [owner["id"], owner["name"], owner["email"], match_id],
        )
        await _record_change(match_id, match["status"], match["status"], "", actor,
                             clock.now(), kind="owner", owner_name=owner["name"])
        await audit.record(actor, "match.owner_changed", event_id=match["event"],
                           subject_type="match", subject_id=match_id,
                           fields=["owner_account", "owner_name", "owner_email"])


# ---- the board -----------------------------------------------------------------------------


class VisitorShown(msgspec.Struct):
    """The visitor as the organiser's follow-up staff see them (they contact the visitor)."""

    first_name: str
    name: str
    email: str
    phone: str
    consented: bool  # may *employers* see the contact details (not: may we)


class MatchView(msgspec.Struct):
    """One row of ``GET /api/v1/events/{slug}/matches``. The first five fields are the public
    contract; the rest may grow."""

    id: int
    visitor_id: int
    employer_id: int
    level: str
    status: str
    registration_id: int
    interest_id: int | None
    employer_name: str
    reason: str
    owner_name: str
    owner_email: str
    created_at: dt.datetime
    status_changed_at: dt.datetime
    idle_days: int
    overdue: bool
    allowed_next: list[str]
    note: str
    visitor: VisitorShown


class HistoryEntry(msgspec.Struct):
    """One change of a match. ``actor`` as the audit log has it (``account:<id>``,
    ``token:<id>``, ``reminders`` ...); ``actor_name`` who that is for people to read (the
    account's name, the device's label). ``kind`` "owner": ``owner_name`` became the owner
    (empty: nobody), the status did not change."""

    from_status: str
    to_status: str
    reason: str
    actor: str
    at: dt.datetime
    actor_name: str = ""
    kind: str = "status"
    owner_name: str = ""


@dataclass(frozen=True)
class MatchFilter:
    """Board filters. ``owner``: an e-mail address, or ``"-"`` for matches nobody owns yet.
    ``overdue``: not final and no status change for ``idle_days`` days."""

    employer_id: int | None = None
    owner: str | None = None
    statuses: tuple[str, ...] = ()
    overdue: bool = False
    idle_days: int = DEFAULT_IDLE_DAYS


def parse_statuses(value: str | None) -> tuple[str, ...]:
    """``"new,contacted"`` → ("new", "contacted"); raises ``bad_status`` for unknown ones."""
    wanted = tuple(s for s in (value or "").replace(" ", "").split(",") if s)
    unknown = [s for s in wanted if s not in MATCH_STATUSES]
    if unknown:
        raise DomainError("bad_status", f"Unknown status: {', '.join(unknown)}.", field="status")
    return wanted


_SELECT = (
    "SELECT m.id, m.event, m.interest, m.employer, m.registration, m.level, m.status, m.reason,"
    " m.owner_name, m.owner_email, m.created_at, m.status_changed_at, e.name AS employer_name,"
    " r.visitor AS visitor_id, v.name, v.email, v.phone, v.share_profile,"
    " i.note AS interest_note"
    ' FROM "match" m JOIN employer e ON e.id = m.employer'
    " JOIN registration r ON r.id = m.registration JOIN visitor v ON v.id = r.visitor"
    " LEFT JOIN interest i ON i.id = m.interest"
)


async def list_matches(event_id: int, filters: MatchFilter, actor: str,
                       now: dt.datetime | None = None) -> list[MatchView]:
    """The event's matches, oldest status change first (what waits longest comes first)."""
    now = now or clock.now()
    where, args = ["m.event = ?"], [event_id]
    if filters.employer_id is not None:
        if not is_id(filters.employer_id):
            raise DomainError("bad_request", "employer must be an employer id.",
                              field="employer")
        where.append("m.employer = ?")
        args.append(filters.employer_id)
    if filters.owner == "-":
        where.append("m.owner_email = ''")
    elif filters.owner:
        if "\x00" in filters.owner:  # PostgreSQL refuses NUL in text
            raise DomainError("bad_request", "owner must be an e-mail address.", field="owner")
        where.append("m.owner_email = ?")
        args.append(filters.owner.strip().lower())
    if filters.statuses:
        where.append(f"m.status IN ({', '.join('?' * len(filters.statuses))})")
        args.extend(filters.statuses)
    if filters.overdue:
        where.append(f"m.status NOT IN ({FINAL_STATUSES_SQL}) AND m.status_changed_at <= ?")
        args.append(now - dt.timedelta(days=filters.idle_days))
    rows = await current_engine().fetch(
        f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY m.status_changed_at, m.id", args)
    await audit.record(actor, "matches.listed", event_id=event_id, subject_type="event",
                       subject_id=event_id, fields=["name", "email", "phone"])
    return [_view(r, now, filters.idle_days) for r in rows]


async def get_match(match_id: int, idle_days: int = DEFAULT_IDLE_DAYS) -> MatchView:
    rows = await current_engine().fetch(f"{_SELECT} WHERE m.id = ?", [match_id])
    if not rows:
        raise DomainError("match_not_found", "There is no such match.")
    return _view(rows[0], clock.now(), idle_days)


async def match_history(match_id: int) -> list[HistoryEntry]:
    db = current_engine()
    rows = await db.fetch(
        "SELECT from_status, to_status, reason, actor, at, kind, owner_name FROM match_change"
        ' WHERE "match" = ? ORDER BY id', [match_id])
    names = await actor_names({r["actor"] for r in rows})
    return [HistoryEntry(**r, actor_name=names.get(r["actor"], r["actor"])) for r in rows]


async def actor_names(actors: set[str]) -> dict[str, str]:
    """``account:<id>`` -> the account's name, ``token:<id>`` -> the token's label."""
    ids: dict[str, list[int]] = {"account": [], "token": []}
    for actor in actors:
        kind, _, number = actor.partition(":")
        if kind in ids and number.isdigit():
            ids[kind].append(int(number))
    names: dict[str, str] = {}
    for kind, table, column in (("account", "account", "name"),
                                ("token", "access_token", "label")):
        if ids[kind]:
            found = await current_engine().fetch(
                f"SELECT id, {column} AS name FROM {table}"
                f" WHERE id IN ({', '.join('?' * len(ids[kind]))})", ids[kind])
            names.update({f"{kind}:{r['id']}": r["name"] for r in found})
    return names


def is_overdue(status: str, status_changed_at: dt.datetime, now: dt.datetime,
               idle_days: int) -> bool:
    """Not final and no status change for ``idle_days`` days (the same rule as reminders)."""
    return status not in FINAL_STATUSES and now - status_changed_at >= dt.timedelta(idle_days)


def _view(r: dict, now: dt.datetime, idle_days: int) -> MatchView:
    changed = r["status_changed_at"]
    return MatchView(
        id=r["id"], visitor_id=r["visitor_id"], employer_id=r["employer"], level=r["level"],
        status=r["status"], registration_id=r["registration"], interest_id=r["interest"],
        employer_name=r["employer_name"], reason=r["reason"] or "",
        owner_name=r["owner_name"] or "", owner_email=r["owner_email"] or "",
        created_at=r["created_at"], status_changed_at=changed,
        idle_days=max((now - changed).days, 0),
        overdue=is_overdue(r["status"], changed, now, idle_days),
        allowed_next=allowed_next(r["status"]), note=r["interest_note"] or "",
        visitor=VisitorShown(
            first_name=r["name"].split(" ")[0], name=r["name"], email=r["email"],
            phone=r["phone"] or "", consented=bool(r["share_profile"]),
        ),
    )
