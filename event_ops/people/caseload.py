"""A job coach's caseload: their clients across events, and the coaches' notes on them.

Who counts as "the coach's clients" (one rule, one place — the registration list, the
caseload, the notes and the exports all ask ``team_accounts``):

* a client is a visitor with a registration whose ``coach_account`` is the coach **or a
  coach of the same organisation** (an account's ``organisation``). Coaches of one
  organisation share their visitors: they stand in for each other at events, and a
  client's follow-up must not stop when their coach is ill. A coach without an
  organisation has only their own clients.
* Notes (``coach_note``) are stored with the author's organisation (``team_key``) and are
  read only by accounts with that same key: a coach of organisation A never sees a
  client or a note of organisation B. Organisers do not read coaches' notes.

Reads only: interests (``interest``) and matches (``match``) are read with plain SQL, so
this module imports none of those contexts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.events.tables import Event
from event_ops.people.registration import (
    ConsentContext,
    RegistrationInput,
    RegistrationOutcome,
    register,
)

MAX_NOTE = 2000


# The accounts whose clients the coach ``?`` (given twice) shares: the coach and every
# account of the same organisation. Disabled colleagues count too: their clients stay in
# the organisation's care. Used by the registration list as well (one rule, one place).
TEAM_ACCOUNTS_SQL = (
    "(SELECT ta.id FROM account ta WHERE ta.id = ? OR (ta.organisation <> ''"
    " AND ta.organisation = (SELECT tb.organisation FROM account tb WHERE tb.id = ?)))")


def team_condition(column: str, account_id: int) -> tuple[str, list[object]]:
    """SQL (and its arguments): ``column`` (a registration's ``coach_account``) is the
    coach's or a colleague's of the same organisation."""
    return f"{column} IN {TEAM_ACCOUNTS_SQL}", [account_id, account_id]


@dataclass(frozen=True, slots=True)
class Team:
    """A coach, and the key their notes are kept under."""

    account_id: int
    key: str  # the organisation, or ``account:<id>`` for a coach without one


async def team_for(account_id: int) -> Team:
    rows = await current_engine().fetch("SELECT organisation FROM account WHERE id = ?",
                                        [account_id])
    organisation = (rows[0]["organisation"] or "").strip() if rows else ""
    return Team(account_id, organisation or f"account:{account_id}")


@dataclass(slots=True)
class Client:
    visitor_id: int
    name: str
    email: str
    phone: str
    registrations: list[dict] = field(default_factory=list)
    interests: dict[str, int] = field(default_factory=dict)  # level → count
    matches: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)

    @property
    def attended(self) -> int:
        return sum(1 for r in self.registrations if r["checked_in_at"] is not None)

    @property
    def interest_total(self) -> int:
        return sum(self.interests.values())


async def caseload(team: Team) -> list[Client]:
    """Every client of the team, by name: their registrations (event, status, checked in),
    employers' interests per level, matches with their follow-up status, and the team's
    notes (newest first). Each reading goes to the audit log (``caseload.viewed``, with
    the number of clients shown)."""
    db = current_engine()
    team_sql, team_args = team_condition("r.coach_account", team.account_id)
    regs = await db.fetch(
        "SELECT r.id, r.visitor, r.status, r.checked_in_at, r.no_show_at, r.coach_account,"
        " r.created_at, e.name AS event_name, e.slug, e.starts_at, v.name, v.email, v.phone,"
        " a.name AS coach_name FROM registration r JOIN visitor v ON v.id = r.visitor"
        " JOIN event e ON e.id = r.event LEFT JOIN account a ON a.id = r.coach_account"
        f" WHERE {team_sql} ORDER BY LOWER(v.name), v.id, e.starts_at", team_args)
    clients: dict[int, Client] = {}
    by_registration: dict[int, Client] = {}
    for row in regs:
        client = clients.get(row["visitor"])
        if client is None:
            client = clients[row["visitor"]] = Client(
                row["visitor"], row["name"], row["email"] or "", row["phone"] or "")
        client.registrations.append(row)
        by_registration[row["id"]] = client
    if not clients:
        await _record_view(team, 0)
        return []
    interests = await db.fetch(
        "SELECT i.registration, i.level, COUNT(*) AS n FROM interest i"
        " JOIN registration r ON r.id = i.registration"
        f" WHERE {team_sql} GROUP BY i.registration, i.level", team_args)
    for row in interests:
        levels = by_registration[row["registration"]].interests
        levels[row["level"]] = levels.get(row["level"], 0) + int(row["n"])
    matches = await db.fetch(
        "SELECT m.registration, m.level, m.status, em.name AS employer, e.name AS event_name"
        " FROM match m JOIN registration r ON r.id = m.registration"
        " JOIN employer em ON em.id = m.employer JOIN event e ON e.id = m.event"
        f" WHERE {team_sql} ORDER BY m.id", team_args)
    for row in matches:
        by_registration[row["registration"]].matches.append(row)
    for note in await _notes(team, list(clients)):
        clients[note["visitor"]].notes.append(note)
    await _record_view(team, len(clients))
    return list(clients.values())


async def _record_view(team: Team, clients: int) -> None:
    # Like the desk's detail view: who read the personal data of how many clients.
    await audit.record(f"account:{team.account_id}", "caseload.viewed",
                       subject_type="account", subject_id=team.account_id,
                       fields=[f"clients={clients}"])


async def _notes(team: Team, visitor_ids: list[int]) -> list[dict]:
    if not visitor_ids:
        return []
    return await current_engine().fetch(
        "SELECT n.id, n.visitor, n.body, n.created_at, a.name AS author_name FROM coach_note n"
        " LEFT JOIN account a ON a.id = n.author WHERE n.organisation = ?"
        f" AND n.visitor IN ({', '.join('?' for _ in visitor_ids)})"
        " ORDER BY n.created_at DESC, n.id DESC", [team.key, *visitor_ids])


async def is_client(team: Team, visitor_id: int) -> bool:
    team_sql, team_args = team_condition("coach_account", team.account_id)
    rows = await current_engine().fetch(
        f"SELECT 1 AS x FROM registration WHERE visitor = ? AND {team_sql} LIMIT 1",
        [visitor_id, *team_args])
    return bool(rows)


async def add_note(team: Team, visitor_id: int, body: str) -> int:
    """Store a note on a client of the team; ``client_not_found`` (404) for anyone else's
    visitor (the same answer as for no visitor at all: it tells nothing)."""
    text = body.strip()
    if not text:
        raise ValidationFailed({"body": "err.required"})
    if len(text) > MAX_NOTE:
        raise ValidationFailed({"body": "coach.err.note_long"})
    if not await is_client(team, visitor_id):
        raise DomainError("client_not_found", "This person is not one of your clients.")
    note_id: int = (await current_engine().fetch(
        "INSERT INTO coach_note (visitor, registration, author, organisation, body, created_at)"
        " VALUES (?, NULL, ?, ?, ?, ?) RETURNING id",
        [visitor_id, team.account_id, team.key, text, clock.now()]))[0]["id"]
    # The note's text is about a visitor: only that a note was written goes to the log.
    await audit.record(f"account:{team.account_id}", "coach_note.created",
                       subject_type="visitor", subject_id=visitor_id,
                       fields=[f"note={note_id}"])
    return note_id


async def signed_up_client(event_id: int, registration_id: int,
                           coach_account_id: int | None) -> dict | None:
    """One sign-up as the coach's page after registering shows it (name, address, status,
    waiting rank, badge serial); None unless it is of this event and — for a coach
    (``coach_account_id``) — a client of the coach's team. Organisers: ``None`` id."""
    db = current_engine()
    sql = ("SELECT r.id, r.status, r.badge_serial, r.waiting_position, v.name, v.email"
           " FROM registration r JOIN visitor v ON v.id = r.visitor"
           " WHERE r.id = ? AND r.event = ?")
    args: list[object] = [registration_id, event_id]
    if coach_account_id is not None:
        team_sql, team_args = team_condition("r.coach_account", coach_account_id)
        sql += f" AND {team_sql}"
        args += team_args
    rows = await db.fetch(sql, args)
    if not rows:
        return None
    row = rows[0]
    row["rank"] = None
    if row["status"] == "waiting_list":
        rank = await db.fetch(
            "SELECT COUNT(*) AS n FROM registration WHERE event = ? AND status = 'waiting_list'"
            " AND waiting_position <= ?", [event_id, row["waiting_position"]])
        row["rank"] = int(rank[0]["n"])
    return row


async def coach_events(account_id: int) -> list[dict]:
    """The events a coach is assigned to (``account_event``) that are not over, soonest
    first: where they may sign clients up."""
    return await current_engine().fetch(
        "SELECT e.id, e.slug, e.name, e.starts_at FROM account_event ae"
        " JOIN event e ON e.id = ae.event WHERE ae.account = ? AND e.ends_at >= ?"
        " ORDER BY e.starts_at, e.id", [account_id, clock.now()])


async def register_client(event: Event, data: RegistrationInput, coach_account_id: int
                          ) -> RegistrationOutcome:
    """A job coach (or an organiser) signs a client up: the sign-up's own rules
    (``register``), with ``source = 'coach'``, the coach on the registration, and each
    consent record saying it was given to that coach (``channel = 'coach'``, ``device =
    'account:<id>'``) on this date for the current wording version. The e-mail address
    is optional (phone only, or neither); without one no mail is queued. The audit entry
    names the coach."""
    return await register(
        event, data, source="coach", coach_account=coach_account_id,
        consent=ConsentContext("coach", f"account:{coach_account_id}"),
        actor=f"account:{coach_account_id}")
