"""``run_followup_tasks(now)``: the periodic follow-up work (CLI ``eventops followup run``, and
hourly in every app process).

Each step claims its work with one conditional ``UPDATE … RETURNING`` (or checks the outbox
for what was already queued) and queues mail in the same transaction, so running it twice,
or in several processes at once, sends nothing twice. On PostgreSQL the steps also take one
advisory lock, because "not yet in the outbox" checks are not safe under READ COMMITTED.

What it does:

1. *reconcile*: an interest of a match level without a match (made before the hook existed,
   or the hook failed after the interest was saved) gets its match; a match whose interest
   the employer undid, and that nobody has touched, is removed;
2. *idle reminders*: a match with an owner and no status change for ``idle_days`` days
   (default 5) is mailed to its owner once per idle period (``reminded_at`` is stamped; a
   status change starts a new period);
3. *checkpoints* 2 and 8 weeks after the event: owners are asked for the outcome of their
   open matches (one mail per owner and event);
4. *after the event* (2 hours after it ends, for up to 14 days): every checked-in visitor
   gets the employers they met and what happens next. Each employer with a contact e-mail
   gets its own list of the visitors it met, at that address (employers sharing an address
   get one mail); the lists of employers without one go to the owners of their matches,
   written to be forwarded. Consent applies to both (see ``mail``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from event_ops import audit, clock
from event_ops.core.db import current_engine, dialect
from event_ops.followup.pipeline import FINAL_STATUSES_SQL, MATCH_LEVELS
from event_ops.followup.service import DEFAULT_IDLE_DAYS
from event_ops.mail.queue import queue_mail

ACTOR = "system:followup"
KIND_REMINDER = "followup.reminder"
KIND_CHECKPOINT = "followup.checkpoint"
KIND_VISITOR = "followup.visitor"
KIND_EMPLOYERS = "followup.employers"  # to an owner: lists of employers without an address
KIND_EMPLOYER_LIST = "followup.employer_list"  # to an employer's own contact address

CHECKPOINT_2W = dt.timedelta(weeks=2)
CHECKPOINT_8W = dt.timedelta(weeks=8)
# After this, asking for an 8-week outcome is no longer useful.
CHECKPOINT_END = dt.timedelta(weeks=12)
# Employer tablets keep logging for a while after closing time.
POST_EVENT_DELAY = dt.timedelta(hours=2)
# An old event (say, when this feature is first switched on) gets no after-event mail.
POST_EVENT_WINDOW = dt.timedelta(days=14)

# What an employer's list shows of a visitor who agreed to share (others: first name only).
LIST_FIELDS = ["first_name", "name", "email", "phone"]

_ADVISORY_LOCK_KEY = 4_242_001
_LEVELS_SQL = ", ".join(f"'{s}'" for s in MATCH_LEVELS)


@dataclass
class FollowupRun:
    """What one run did (numbers of matches touched and mails queued)."""

    matches_created: int = 0
    matches_removed: int = 0
    reminded_matches: int = 0
    reminder_mails: int = 0
    checkpoint_matches: int = 0
    checkpoint_mails: int = 0
    visitor_mails: int = 0
    employer_mails: int = 0  # employer lists: to employers' own addresses and to owners

    @property
    def mails_queued(self) -> int:
        return (self.reminder_mails + self.checkpoint_mails + self.visitor_mails
                + self.employer_mails)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def run_followup_tasks(now: dt.datetime | None = None, *,
                             idle_days: int = DEFAULT_IDLE_DAYS) -> FollowupRun:
    """Do every due follow-up step once; safe to call as often as you like."""
    now = now or clock.now()
    result = FollowupRun()
    db = current_engine()
    for step in (_reconcile, _remind_idle, _checkpoints, _after_event):
        async with db.transaction():
            await _serialise()
            await step(now, result, idle_days)
    return result


async def _serialise() -> None:
    if dialect() == "postgres":
        await current_engine().fetch("SELECT pg_advisory_xact_lock(?)", [_ADVISORY_LOCK_KEY])
    # SQLite: write transactions are already serialised (writer lock / BEGIN IMMEDIATE).


async def _reconcile(now: dt.datetime, result: FollowupRun, _: int) -> None:
    db = current_engine()
    # SQLite needs a WHERE in INSERT … SELECT … ON CONFLICT (parsing ambiguity); it has one.
    created = await db.fetch(
        'INSERT INTO "match" (event, interest, employer, registration, level, status, reason,'
        " owner_name, owner_email, created_at, status_changed_at)"
        " SELECT i.event, i.id, i.employer, i.registration, i.level, 'new', '', '', '',"
        " i.updated_at, i.updated_at FROM interest i"
        f" WHERE i.level IN ({_LEVELS_SQL}) AND NOT EXISTS ("
        '  SELECT 1 FROM "match" m WHERE m.employer = i.employer'
        "  AND m.registration = i.registration)"
        " ON CONFLICT (employer, registration) DO NOTHING RETURNING id, event, level",
    )
    for row in created:
        await db.fetch(
            'INSERT INTO match_change ("match", from_status, to_status, reason, actor, at)'
            " VALUES (?, '', 'new', ?, ?, ?)",
            [row["id"], f"interest: {row['level']}", ACTOR, now],
        )
        await audit.record(ACTOR, "match.created", event_id=row["event"], subject_type="match",
                           subject_id=row["id"], fields=["level"])
    removed = await db.fetch(
        "DELETE FROM \"match\" WHERE interest IS NULL AND status = 'new' AND owner_email = ''"
        ' AND NOT EXISTS (SELECT 1 FROM interest i WHERE i.employer = "match".employer'
        ' AND i.registration = "match".registration) RETURNING id, event',
    )
    for row in removed:
        await audit.record(ACTOR, "match.removed", event_id=row["event"], subject_type="match",
                           subject_id=row["id"])
    result.matches_created += len(created)
    result.matches_removed += len(removed)


async def _remind_idle(now: dt.datetime, result: FollowupRun, idle_days: int) -> None:
    claimed = await current_engine().fetch(
        'UPDATE "match" SET reminded_at = ?'
        f" WHERE status NOT IN ({FINAL_STATUSES_SQL}) AND owner_email <> ''"
        " AND status_changed_at <= ?"
        " AND (reminded_at IS NULL OR reminded_at < status_changed_at)"
        " RETURNING id, event, owner_email",
        [now, now - dt.timedelta(days=idle_days)],
    )
    result.reminded_matches += len(claimed)
    result.reminder_mails += await _queue_per_owner(claimed, KIND_REMINDER, now)


async def _checkpoints(now: dt.datetime, result: FollowupRun, _: int) -> None:
    db = current_engine()
    open_owned = f"status NOT IN ({FINAL_STATUSES_SQL}) AND owner_email <> ''"
    # Two windows that do not overlap, so one run asks each owner at most once per event.
    two = await db.fetch(
        f'UPDATE "match" SET checkpoint_2w_at = ? WHERE checkpoint_2w_at IS NULL AND {open_owned}'
        " AND event IN (SELECT id FROM event WHERE ends_at <= ? AND ends_at > ?)"
        " RETURNING id, event, owner_email",
        [now, now - CHECKPOINT_2W, now - CHECKPOINT_8W],
    )
    # A match first seen after 8 weeks skips the 2-week question (both are stamped).
    eight = await db.fetch(
        'UPDATE "match" SET checkpoint_8w_at = ?, checkpoint_2w_at = COALESCE(checkpoint_2w_at, ?)'
        f" WHERE checkpoint_8w_at IS NULL AND {open_owned}"
        " AND event IN (SELECT id FROM event WHERE ends_at <= ? AND ends_at > ?)"
        " RETURNING id, event, owner_email",
        [now, now, now - CHECKPOINT_8W, now - CHECKPOINT_END],
    )
    result.checkpoint_matches += len(two) + len(eight)
    result.checkpoint_mails += await _queue_per_owner(two + eight, KIND_CHECKPOINT, now)


async def _queue_per_owner(claimed: list[dict], kind: str, now: dt.datetime) -> int:
    """One digest per (event, owner); the mail finds its matches by ``created_at == now``."""
    owners: dict[tuple[int, str], int] = defaultdict(int)
    for row in claimed:
        owners[(row["event"], row["owner_email"])] += 1
    for event_id, email in sorted(owners):
        await queue_mail(event_id, None, kind, email, at=now)
    return len(owners)


async def _after_event(now: dt.datetime, result: FollowupRun, _: int) -> None:
    db = current_engine()
    events = await db.fetch(
        "SELECT id FROM event WHERE ends_at <= ? AND ends_at > ? ORDER BY id",
        [now - POST_EVENT_DELAY, now - POST_EVENT_WINDOW],
    )
    for event in events:
        # What this event already queued, read once: a NOT EXISTS per visitor would scan the
        # (unindexed) outbox 10,000 times for a festival.
        done = await db.fetch(
            "SELECT kind, registration_id, recipient FROM outbox_mail WHERE event_id = ?"
            " AND kind IN (?, ?, ?)",
            [event["id"], KIND_VISITOR, KIND_EMPLOYERS, KIND_EMPLOYER_LIST])
        mailed = {d["registration_id"] for d in done if d["kind"] == KIND_VISITOR}
        owners_done = {d["recipient"] for d in done if d["kind"] == KIND_EMPLOYERS}
        employers_done = {d["recipient"] for d in done if d["kind"] == KIND_EMPLOYER_LIST}
        visitors = [v for v in await db.fetch(
            "SELECT r.id, v.email FROM registration r JOIN visitor v ON v.id = r.visitor"
            " WHERE r.event = ? AND r.checked_in_at IS NOT NULL AND r.status <> 'cancelled'"
            " ORDER BY r.id", [event["id"]]) if v["id"] not in mailed]
        for v in visitors:
            await queue_mail(event["id"], v["id"], KIND_VISITOR, v["email"], at=now)
        # Employers with their own address and at least one visitor logged: one mail per
        # address. The mail says which visitors shared their contact details, so each
        # employer is audited as shown those fields.
        direct = await db.fetch(
            "SELECT e.id, e.contact_email FROM employer e WHERE e.event = ?"
            " AND e.contact_email <> '' AND EXISTS (SELECT 1 FROM interest i"
            " WHERE i.employer = e.id) ORDER BY e.contact_email, e.id", [event["id"]])
        addresses = sorted({d["contact_email"] for d in direct} - employers_done)
        for address in addresses:
            await queue_mail(event["id"], None, KIND_EMPLOYER_LIST, address, at=now)
        for d in direct:
            if d["contact_email"] in addresses:
                await audit.record(ACTOR, "employer.list_mailed", event_id=event["id"],
                                   subject_type="employer", subject_id=d["id"],
                                   fields=LIST_FIELDS)
        # The rest falls back to the owners of their matches, to forward.
        owners = [o["owner_email"] for o in await db.fetch(
            'SELECT DISTINCT m.owner_email FROM "match" m JOIN employer e ON e.id = m.employer'
            " WHERE m.event = ? AND m.owner_email <> '' AND e.contact_email = ''"
            " ORDER BY m.owner_email", [event["id"]]) if o["owner_email"] not in owners_done]
        for owner in owners:
            await queue_mail(event["id"], None, KIND_EMPLOYERS, owner, at=now)
        result.visitor_mails += len(visitors)
        result.employer_mails += len(addresses) + len(owners)
