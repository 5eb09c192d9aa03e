"""Matching days: the speed-meeting schedule (R rounds of N minutes, one-to-one).

Hard rules (checked by :func:`violations` before anything is stored)
--------------------------------------------------------------------
* each visitor and each employer has at most one meeting per round;
* no pair meets twice;
* no pair that either side (or an organiser) said "no" to;
* pinned meetings stay exactly where they were pinned;
* tables are unique per round: an employer keeps one table all day, visitors move.

How it is optimised (:func:`optimise`, pure)
--------------------------------------------
1. Which pairs meet: a maximum-weight *b-matching* (every person in at most R meetings,
   pinned pairs fixed) solved exactly as an integer program with ``scipy.optimize.milp``
   (HiGHS). Meetings are shared out fairly: a visitor's k-th meeting earns a bonus that
   shrinks with k (``BALANCE`` per step), so a third meeting for one visitor never beats a
   second for another on match score alone (4 visitors, 3 employers, 3 rounds: 3-2-2-2, not
   3-3-2-1); only a "must" choice can outweigh it. As a flow network (source → visitor with
   one arc per k, visitor → employer, employer → sink) the constraint matrix stays totally
   unimodular, so the LP relaxation is already integral and this is fast. When the counts
   still differ by more than one, :func:`balance_note` says why in the summary.
2. When they meet: any bipartite graph in which no one has more than R meetings can be
   edge-coloured with R colours (König), one colour per round. We colour with alternating
   path (Kempe chain) swaps, never moving a pinned meeting.
3. In the rare case pins block a colouring, the pair is dropped and each round's free
   people are paired again with ``linear_sum_assignment`` over the pairs not met yet.

So without pins the result is optimal for the objective below, and with pins it is optimal
whenever the colouring succeeds (the summary reports the upper bound to compare).

Objective: per meeting ``BASE + SCORE_WEIGHT × score + points(visitor's choice) +
points(employer's choice)``; ``BASE`` > 0 so that a meeting always beats an empty slot.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from event_ops import audit, clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.mail.render import AMSTERDAM
from event_ops.matching.engine import employer_scores, load_event, to_percent
from event_ops.matching.preferences import (
    HAPPY,
    MUST,
    preference_matrices,
    require_matching,
    set_staff_block,
)

BASE = 1.0
SCORE_WEIGHT = 4.0
# Bonus step per meeting a visitor already has: above SCORE_WEIGHT (the largest difference
# match scores make), below one side's "must" (CHOICE_POINTS[MUST]).
BALANCE = 5.0
CHOICE_POINTS = {MUST: 6.0, HAPPY: 2.0}
DEFAULT_ROUNDS = 8
DEFAULT_MINUTES = 10
DEFAULT_PAUSE = 5
MAX_ROUNDS = 24
COLOUR_RETRIES = 50

Meeting = tuple[int, int, int]  # (round 0-based, visitor index, employer index)


# ---- pure ------------------------------------------------------------------------------


def utility_matrix(scores: np.ndarray, visitor_side: np.ndarray,
                   employer_side: np.ndarray) -> np.ndarray:
    """(visitors, employers) value of one meeting; see the module docstring."""
    points = np.zeros(scores.shape, dtype=np.float64)
    for code, value in CHOICE_POINTS.items():
        points += value * (visitor_side == code) + value * (employer_side == code)
    return BASE + SCORE_WEIGHT * scores.astype(np.float64) + points


def violations(meetings: Iterable[Meeting], allowed: np.ndarray, rounds: int,
               pinned: Iterable[Meeting] = ()) -> list[str]:
    """Every broken hard rule, in words (empty when the schedule is valid)."""
    problems: list[str] = []
    busy: set[tuple[str, int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    got = set()
    for r, v, e in meetings:
        got.add((r, v, e))
        if not 0 <= r < rounds:
            problems.append(f"round {r + 1} is outside 1-{rounds}")
        if not allowed[v, e]:
            problems.append(f"visitor {v} and employer {e} may not meet")
        for key in (("v", v, r), ("e", e, r)):
            if key in busy:
                problems.append(f"{'visitor' if key[0] == 'v' else 'employer'} {key[1]}"
                                f" has two meetings in round {r + 1}")
            busy.add(key)
        if (v, e) in pairs:
            problems.append(f"visitor {v} meets employer {e} twice")
        pairs.add((v, e))
    problems += [f"pinned meeting {p} was moved" for p in pinned if tuple(p) not in got]
    return problems


def optimise(utility: np.ndarray, allowed: np.ndarray, rounds: int,
             pinned: Sequence[Meeting] = ()) -> list[Meeting]:
    """The schedule as (round, visitor, employer) with 0-based indices; see module doc."""
    n_v, n_e = utility.shape
    check_pins(pinned, allowed, rounds)
    pinned_pairs = {(v, e) for _, v, e in pinned}
    load_v = np.bincount([v for _, v, _ in pinned], minlength=n_v)
    load_e = np.bincount([e for _, _, e in pinned], minlength=n_e)
    free = allowed.copy()
    for v, e in pinned_pairs:
        free[v, e] = False
    chosen = _b_matching(np.where(free, utility, 0.0), free, rounds - load_v, rounds - load_e,
                         done_v=load_v, rounds=rounds)
    chosen.sort(key=lambda p: -utility[p])  # colour the most valuable first
    best, left = _colour(chosen, pinned, n_v, n_e, rounds)
    # Without pins ``left`` is always 0 (König). Pins can block every alternating path for
    # a pair; another order usually gets around that, so try a few (seeded: reproducible).
    rng = np.random.default_rng(0)
    for _ in range(COLOUR_RETRIES if left else 0):
        order = [chosen[i] for i in rng.permutation(len(chosen))]
        meetings, short = _colour(order, pinned, n_v, n_e, rounds)
        if short < left:
            best, left = meetings, short
            if not left:
                break
    return _fill(best, utility, allowed, rounds)


def check_pins(pinned: Sequence[Meeting], allowed: np.ndarray, rounds: int) -> None:
    problems = violations(pinned, allowed, rounds)
    if problems:
        raise DomainError("pin_conflict", "Pinned meetings conflict: " + "; ".join(problems))


def _b_matching(weight: np.ndarray, allowed: np.ndarray, cap_v: np.ndarray,
                cap_e: np.ndarray, done_v: np.ndarray | None = None,
                rounds: int | None = None) -> list[tuple[int, int]]:
    """Pairs maximising total weight plus the fairness bonus, with at most cap_v / cap_e
    pairs per person. ``done_v``: meetings a visitor has already (pins); the bonus for a
    visitor's k-th meeting overall is ``BALANCE × (rounds − k + 1)``."""
    vs, es = np.nonzero(allowed)
    if len(vs) == 0:
        return []
    n_v, n_e = weight.shape
    k = len(vs)
    cap_v = np.maximum(cap_v, 0).astype(int)
    done_v = np.zeros(n_v, dtype=int) if done_v is None else np.asarray(done_v, dtype=int)
    rounds = int(cap_v.max() + done_v.max()) if rounds is None else rounds
    # One "slot" variable per visitor and possible further meeting: y[v, j] = 1 when v gets
    # at least j + 1 meetings besides the pinned ones. Decreasing bonuses fill them in order.
    slot_v = np.repeat(np.arange(n_v), cap_v)
    slot_j = np.concatenate([np.arange(c) for c in cap_v]) if n_v else np.zeros(0, int)
    bonus = BALANCE * (rounds - (done_v[slot_v] + slot_j)).astype(float)
    m = len(slot_v)
    ones_x, ones_y = np.ones(k), np.ones(m)
    # Visitor rows: sum of v's pairs − sum of v's slots = 0; employer rows: pairs ≤ cap_e.
    visitor_rows = sparse.hstack([
        sparse.csr_matrix((ones_x, (vs, np.arange(k))), shape=(n_v, k)),
        sparse.csr_matrix((-ones_y, (slot_v, np.arange(m))), shape=(n_v, m)),
    ])
    employer_rows = sparse.hstack([
        sparse.csr_matrix((ones_x, (es, np.arange(k))), shape=(n_e, k)),
        sparse.csr_matrix((n_e, m)),
    ])
    result = milp(
        c=-np.concatenate([weight[vs, es], bonus]), integrality=np.ones(k + m),
        bounds=Bounds(0, 1),
        constraints=[LinearConstraint(visitor_rows.tocsr(), 0, 0),
                     LinearConstraint(employer_rows.tocsr(), -np.inf,
                                      np.maximum(cap_e, 0).astype(float))],
    )
    if result.x is None:  # cannot happen for this problem (x = 0 is feasible); be safe
        raise RuntimeError(f"schedule optimiser failed: {result.message}")
    take = result.x[:k] > 0.5
    return list(zip(vs[take].tolist(), es[take].tolist(), strict=True))


def balance(meetings: Iterable[Meeting], allowed: np.ndarray) -> dict:
    """How evenly the visitors' meetings are shared: ``fewest``, ``most``, ``even`` (they
    differ by at most one) and, when not even, ``reason``: ``"limited"`` (``limited``
    visitors with the fewest met every employer they may meet: the others said no) or
    ``"choices"`` ("must" choices and pins outweighed the balance)."""
    n_v = allowed.shape[0]
    per = np.bincount([v for _, v, _ in meetings], minlength=n_v)
    fewest, most = (int(per.min()), int(per.max())) if n_v else (0, 0)
    out: dict = {"fewest": fewest, "most": most, "even": most - fewest <= 1}
    if not out["even"]:
        limited = sum(1 for v in range(n_v)
                      if per[v] == fewest and int(allowed[v].sum()) == fewest)
        out["reason"] = "limited" if limited else "choices"
        out["limited"] = limited
    return out


def balance_text(shared: dict, lang: str) -> str:
    """``balance`` in words for the organiser (empty when even)."""
    if shared["even"]:
        return ""
    text = t("schedule.balance.uneven", lang, fewest=shared["fewest"], most=shared["most"])
    if shared["reason"] == "limited":
        return text + " " + t("schedule.balance.limited", lang, n=shared["limited"],
                              fewest=shared["fewest"])
    return text + " " + t("schedule.balance.choices", lang)


def _colour(pairs: Sequence[tuple[int, int]], pinned: Sequence[Meeting], n_v: int, n_e: int,
            rounds: int) -> tuple[list[Meeting], int]:
    """Give every pair a round (colour) by Kempe-chain swaps; pinned meetings never move.
    Returns (meetings including the pins, number of pairs left without a round).

    ``at_v[v][r]`` is the employer v meets in round r (or -1), ``at_e`` likewise.
    """
    at_v = np.full((n_v, rounds), -1, dtype=np.int64)
    at_e = np.full((n_e, rounds), -1, dtype=np.int64)
    fixed: set[tuple[int, int]] = set()
    for r, v, e in pinned:
        at_v[v, r], at_e[e, r] = e, v
        fixed.add((v, e))
    left = 0
    for v, e in pairs:
        free_v = np.flatnonzero(at_v[v] < 0).tolist()
        free_e = np.flatnonzero(at_e[e] < 0).tolist()
        both = sorted(set(free_v) & set(free_e))
        if both:
            at_v[v, both[0]], at_e[e, both[0]] = e, v
            continue
        if not _recolour_for(v, e, free_v, free_e, fixed, at_v, at_e):
            left += 1  # _fill uses the free slots instead
    meetings = [(r, v, int(e)) for v in range(n_v) for r in range(rounds)
                if (e := at_v[v, r]) >= 0]
    return meetings, left


def _recolour_for(v: int, e: int, free_v: list[int], free_e: list[int],
                  fixed: set[tuple[int, int]], at_v: np.ndarray, at_e: np.ndarray) -> bool:
    """Free a common round for (v, e) by swapping two rounds along an alternating path,
    from e's side or from v's side, and give it to them. False if pins block every path."""
    for a in free_v:  # free at v, busy at e
        for b in free_e:  # free at e, busy at v
            for start, on_employer, first, second in ((e, True, a, b), (v, False, b, a)):
                path = _kempe_path(start, on_employer, first, second, at_v, at_e)
                if any(p in fixed for p in path):
                    continue
                _swap(path, a, b, at_v, at_e)
                at_v[v, first], at_e[e, first] = e, v
                return True
    return False


def _kempe_path(start: int, on_employer: bool, first: int, second: int, at_v: np.ndarray,
                at_e: np.ndarray) -> list[tuple[int, int]]:
    """The path alternating rounds ``first``/``second`` from ``start``'s round-``first``
    meeting, as (visitor, employer) pairs. ``first`` is free at the other end of the pair
    being placed, so in a bipartite graph the path never reaches it, and swapping the two
    rounds along it frees ``first`` at ``start``."""
    path: list[tuple[int, int]] = []
    node, colour = start, first
    for _ in range(at_v.shape[0] + at_e.shape[0] + 1):  # a path visits each person once
        other = int(at_e[node, colour] if on_employer else at_v[node, colour])
        if other < 0:
            break
        path.append((other, node) if on_employer else (node, other))
        node, on_employer = other, not on_employer
        colour = second if colour == first else first
    return path


def _swap(path: Sequence[tuple[int, int]], a: int, b: int, at_v: np.ndarray,
          at_e: np.ndarray) -> None:
    moves = []
    for v, e in path:
        old = a if at_v[v, a] == e else b
        moves.append((v, e, b if old == a else a, old))
    for v, e, _, old in moves:
        at_v[v, old] = at_e[e, old] = -1
    for v, e, new, _ in moves:
        at_v[v, new], at_e[e, new] = e, v


def _fill(meetings: list[Meeting], utility: np.ndarray, allowed: np.ndarray,
          rounds: int) -> list[Meeting]:
    """Pair each round's free people over allowed pairs that have not met yet."""
    met = {(v, e) for _, v, e in meetings}
    busy_v = {(r, v) for r, v, _ in meetings}
    busy_e = {(r, e) for r, _, e in meetings}
    out = list(meetings)
    n_v, n_e = utility.shape
    for r in range(rounds):
        fv = [v for v in range(n_v) if (r, v) not in busy_v]
        fe = [e for e in range(n_e) if (r, e) not in busy_e]
        if not fv or not fe:
            continue
        sub = utility[np.ix_(fv, fe)].copy()
        ok = allowed[np.ix_(fv, fe)].copy()
        for i, v in enumerate(fv):
            for j, e in enumerate(fe):
                if (v, e) in met:
                    ok[i, j] = False
        if not ok.any():
            continue
        rows, cols = linear_sum_assignment(np.where(ok, sub, -1e6), maximize=True)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if ok[i, j]:
                v, e = fv[i], fe[j]
                out.append((r, v, e))
                met.add((v, e))
    return out


def objective(meetings: Iterable[Meeting], utility: np.ndarray) -> float:
    return float(sum(utility[v, e] for _, v, e in meetings))


# ---- timing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timing:
    """When round r (1-based) starts: ``starts_at + (r - 1) × (minutes + pause)``."""

    rounds: int
    minutes: int
    pause: int
    starts_at: dt.datetime

    def start(self, round_no: int) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=(round_no - 1) * (self.minutes + self.pause))

    def clock(self, round_no: int) -> str:
        return self.start(round_no).astimezone(AMSTERDAM).strftime("%H:%M")

    def fields(self) -> list[str]:
        """The settings as audit-entry fields (a record of who built what; never read back)."""
        return [f"rounds={self.rounds}", f"minutes={self.minutes}", f"pause={self.pause}",
                f"starts_at={self.starts_at.isoformat()}"]


async def timing(event_id: int, starts_at: dt.datetime, published: bool) -> Timing:
    """The settings of the draft (as last built) or of the published schedule, from the
    event's ``meeting_plan`` row; the defaults from ``starts_at`` when there is none yet."""
    rows = await current_engine().fetch(
        "SELECT rounds, minutes, pause, starts_at, published_rounds, published_minutes,"
        " published_pause, published_starts_at FROM meeting_plan WHERE event = ?", [event_id])
    prefix = "published_" if published else ""
    if not rows or rows[0][prefix + "rounds"] is None:
        return Timing(DEFAULT_ROUNDS, DEFAULT_MINUTES, DEFAULT_PAUSE, starts_at)
    row = rows[0]
    return Timing(row[prefix + "rounds"], row[prefix + "minutes"], row[prefix + "pause"],
                  row[prefix + "starts_at"])


async def _save_plan(event_id: int, plan: Timing, *, published: bool) -> None:
    """Store ``plan`` as the draft settings or (on publishing) as the published ones; call
    inside the transaction that stores the meetings they time."""
    now = clock.now()
    if published:
        await current_engine().fetch(
            "INSERT INTO meeting_plan (event, rounds, minutes, pause, starts_at,"
            " published_rounds, published_minutes, published_pause, published_starts_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event) DO UPDATE"
            " SET published_rounds = excluded.published_rounds,"
            " published_minutes = excluded.published_minutes,"
            " published_pause = excluded.published_pause,"
            " published_starts_at = excluded.published_starts_at,"
            " updated_at = excluded.updated_at",
            [event_id, plan.rounds, plan.minutes, plan.pause, plan.starts_at,
             plan.rounds, plan.minutes, plan.pause, plan.starts_at, now])
    else:
        await current_engine().fetch(
            "INSERT INTO meeting_plan (event, rounds, minutes, pause, starts_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event) DO UPDATE"
            " SET rounds = excluded.rounds, minutes = excluded.minutes,"
            " pause = excluded.pause, starts_at = excluded.starts_at,"
            " updated_at = excluded.updated_at",
            [event_id, plan.rounds, plan.minutes, plan.pause, plan.starts_at, now])


# ---- the database side ------------------------------------------------------------------
# Rows with ``published = false`` are the organiser's draft; rows with ``published = true``
# are what visitors, employers and badges see. Publishing swaps the draft in. Editing after
# publishing starts a new draft as a copy of the published schedule.


@dataclass(frozen=True, slots=True)
class ScheduleSummary:
    meetings: int
    rounds: int
    minutes: int
    pause: int
    starts_at: str  # ISO time of round 1
    visitors: int
    employers: int
    fewest_meetings: int  # per visitor
    most_meetings: int
    balance_note: str  # empty when every visitor's count is within one of the others'
    must_requested: int  # allowed pairs where at least one side said "must"
    must_scheduled: int
    pinned: int
    objective: float
    seconds: float

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__slots__}  # type: ignore[attr-defined]


async def _people(event_id: int) -> tuple[list[int], list[int]]:
    """(registered registration ids, employer ids), both ascending: index = position."""
    db = current_engine()
    regs = await db.fetch("SELECT id FROM registration WHERE event = ?"
                          " AND status = 'registered' ORDER BY id", [event_id])
    emps = await db.fetch("SELECT id FROM employer WHERE event = ? ORDER BY id", [event_id])
    return [r["id"] for r in regs], [e["id"] for e in emps]


async def _ensure_draft(event_id: int) -> None:
    db = current_engine()
    async with db.transaction():
        draft = await db.fetch("SELECT COUNT(*) AS n FROM meeting WHERE event = ?"
                               " AND published = ?", [event_id, False])
        if draft[0]["n"] == 0:
            await db.fetch(
                "INSERT INTO meeting (event, round, table_no, registration, employer, pinned,"
                " published, score) SELECT event, round, table_no, registration, employer,"
                " pinned, ?, score FROM meeting WHERE event = ? AND published = ?",
                [False, event_id, True])
            # The new draft is the published schedule, so it has the published timing.
            await db.fetch(
                "UPDATE meeting_plan SET rounds = published_rounds,"
                " minutes = published_minutes, pause = published_pause,"
                " starts_at = published_starts_at WHERE event = ?"
                " AND published_rounds IS NOT NULL", [event_id])


async def _pins(event_id: int) -> list[tuple[int, int, int]]:
    rows = await current_engine().fetch(
        "SELECT round, registration, employer FROM meeting WHERE event = ? AND published = ?"
        " AND pinned = ? ORDER BY round, registration", [event_id, False, True])
    return [(r["round"], r["registration"], r["employer"]) for r in rows]


def _check_settings(rounds: int, minutes: int, pause: int) -> None:
    if not 1 <= rounds <= MAX_ROUNDS:
        raise DomainError("bad_schedule", f"Rounds must be 1 to {MAX_ROUNDS}.", field="rounds")
    if not 1 <= minutes <= 120:
        raise DomainError("bad_schedule", "A meeting lasts 1 to 120 minutes.", field="minutes")
    if not 0 <= pause <= 60:
        raise DomainError("bad_schedule", "A pause lasts 0 to 60 minutes.", field="pause")


async def build_schedule(event: Event, *, rounds: int | None = None,
                         minutes: int | None = None, pause: int | None = None,
                         starts_at: dt.datetime | None = None,
                         actor: str = "cli") -> ScheduleSummary:
    """(Re)build the draft schedule: pinned draft meetings stay, the rest is optimised.

    A setting left out (None) keeps what the event's meeting plan says (the last build), or
    the default on the first build; the settings used are saved with the draft.
    """
    require_matching(event)
    saved = await timing(event.id, event.starts_at, published=False)
    plan = Timing(saved.rounds if rounds is None else rounds,
                  saved.minutes if minutes is None else minutes,
                  saved.pause if pause is None else pause,
                  saved.starts_at if starts_at is None else starts_at)
    rounds = plan.rounds
    _check_settings(plan.rounds, plan.minutes, plan.pause)
    if plan.starts_at.tzinfo is None:
        raise DomainError("bad_schedule", "Give the start with a time zone.", field="starts_at")
    started = time.perf_counter()
    await _ensure_draft(event.id)
    regs, emps = await _people(event.id)
    if not regs or not emps:
        raise DomainError("nothing_to_schedule",
                          "A schedule needs registered visitors and employers.")
    row, col = {r: i for i, r in enumerate(regs)}, {e: j for j, e in enumerate(emps)}
    pins_db = await _pins(event.id)
    if any(r > rounds for r, _, _ in pins_db):
        raise DomainError("pin_out_of_range",
                          f"A pinned meeting lies after round {rounds}; unpin it first.")
    # Pins of people who cancelled (or employers who left) no longer count.
    pins = [(r - 1, row[g], col[e]) for r, g, e in pins_db if g in row and e in col]
    data = await load_event(event.id)
    visitor_side, employer_side, blocked = await preference_matrices(event.id, regs, emps)

    def compute() -> tuple[list[Meeting], np.ndarray, np.ndarray]:
        ids, by_employer = employer_scores(data.visitors, data.vacancies)
        scores = np.zeros((len(regs), len(emps)), dtype=np.float32)
        reg_pos = np.searchsorted(data.visitors.ids, regs)
        have = {int(e): k for k, e in enumerate(ids)}
        for j, e in enumerate(emps):
            if e in have:
                scores[:, j] = by_employer[reg_pos, have[e]]
        utility = utility_matrix(scores, visitor_side, employer_side)
        meetings = optimise(utility, ~blocked, rounds, pins)
        problems = violations(meetings, ~blocked, rounds, pins)
        if problems:  # a bug, never a user error: refuse to store a broken schedule
            raise RuntimeError("schedule breaks hard rules: " + "; ".join(problems[:5]))
        return meetings, scores, utility

    meetings, scores, utility = await asyncio.to_thread(compute)
    pinned_set = set(pins)
    db = current_engine()
    async with db.transaction():
        if await _pins(event.id) != pins_db:
            raise DomainError("schedule_changed",
                              "Pins changed while the schedule was built; build again.")
        await db.fetch("DELETE FROM meeting WHERE event = ? AND published = ?",
                       [event.id, False])
        for r, v, e in sorted(meetings):
            await db.fetch(
                "INSERT INTO meeting (event, round, table_no, registration, employer, pinned,"
                " published, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [event.id, r + 1, e + 1, regs[v], emps[e], (r, v, e) in pinned_set, False,
                 to_percent(scores[v, e])])
        await _save_plan(event.id, plan, published=False)
        await audit.record(actor, "schedule.built", event_id=event.id, subject_type="event",
                           subject_id=event.id, fields=plan.fields())
    per_visitor = np.bincount([v for _, v, _ in meetings], minlength=len(regs))
    wants = ((visitor_side == MUST) | (employer_side == MUST)) & ~blocked
    met = np.zeros(wants.shape, dtype=bool)
    for _, v, e in meetings:
        met[v, e] = True
    return ScheduleSummary(
        meetings=len(meetings), rounds=rounds, minutes=plan.minutes, pause=plan.pause,
        starts_at=plan.starts_at.isoformat(), visitors=len(regs), employers=len(emps),
        fewest_meetings=int(per_visitor.min()), most_meetings=int(per_visitor.max()),
        balance_note=balance_text(balance(meetings, ~blocked), "en"),
        must_requested=int(wants.sum()), must_scheduled=int((wants & met).sum()),
        pinned=len(pins), objective=round(objective(meetings, utility), 2),
        seconds=round(time.perf_counter() - started, 3),
    )


async def _pair_ids(event: Event, registration_id: int, employer_id: int) -> None:
    db = current_engine()
    if not await db.fetch("SELECT id FROM registration WHERE id = ? AND event = ?"
                          " AND status = 'registered'", [registration_id, event.id]):
        raise DomainError("not_found", "This visitor is not registered for this event.")
    if not await db.fetch("SELECT id FROM employer WHERE id = ? AND event = ?",
                          [employer_id, event.id]):
        raise DomainError("not_found", "This employer is not part of this event.")


async def pin_meeting(event: Event, round_no: int, registration_id: int, employer_id: int,
                      actor: str = "cli") -> None:
    """Fix a meeting in the draft at this round. Unpinned draft meetings in the way are
    removed (build again to fill the gaps); other pins in the way are a conflict."""
    require_matching(event)
    if not 1 <= round_no <= MAX_ROUNDS:
        raise DomainError("bad_schedule", f"Round must be 1 to {MAX_ROUNDS}.", field="round")
    await _pair_ids(event, registration_id, employer_id)
    db = current_engine()
    said_no = await db.fetch(
        "SELECT side FROM meeting_preference WHERE registration = ? AND employer = ?"
        " AND choice = 'no' AND side IN ('visitor', 'employer')", [registration_id, employer_id])
    if said_no:
        raise DomainError("pair_blocked",
                          f"The {said_no[0]['side']} said no to this meeting; it cannot be pinned.")
    await _ensure_draft(event.id)
    _, emps = await _people(event.id)
    async with db.transaction():
        clash = await db.fetch(
            "SELECT round, registration, employer FROM meeting WHERE event = ? AND published = ?"
            " AND pinned = ? AND ((round = ? AND (registration = ? OR employer = ?))"
            " OR (registration = ? AND employer = ?))",
            [event.id, False, True, round_no, registration_id, employer_id, registration_id,
             employer_id])
        clash = [c for c in clash if (c["round"], c["registration"], c["employer"])
                 != (round_no, registration_id, employer_id)]
        if clash:
            raise DomainError("pin_conflict", "Another pinned meeting is in the way; unpin it.")
        await db.fetch(
            "DELETE FROM meeting WHERE event = ? AND published = ? AND ((round = ? AND"
            " (registration = ? OR employer = ?)) OR (registration = ? AND employer = ?))",
            [event.id, False, round_no, registration_id, employer_id, registration_id,
             employer_id])
        await db.fetch(
            "INSERT INTO meeting (event, round, table_no, registration, employer, pinned,"
            " published, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [event.id, round_no, emps.index(employer_id) + 1, registration_id, employer_id,
             True, False, 0])
        await set_staff_block(event.id, registration_id, employer_id, blocked=False)
        await audit.record(actor, "schedule.pinned", event_id=event.id,
                           subject_type="registration", subject_id=registration_id)


async def unpin_meeting(event: Event, registration_id: int, employer_id: int,
                        actor: str = "cli") -> int:
    """Let the optimiser move this draft meeting again. Returns how many rows changed."""
    require_matching(event)
    await _ensure_draft(event.id)
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch(
            "UPDATE meeting SET pinned = ? WHERE event = ? AND published = ?"
            " AND registration = ? AND employer = ? RETURNING id",
            [False, event.id, False, registration_id, employer_id])
        await audit.record(actor, "schedule.unpinned", event_id=event.id,
                           subject_type="registration", subject_id=registration_id)
    return len(rows)


async def remove_meeting(event: Event, registration_id: int, employer_id: int,
                         actor: str = "cli") -> int:
    """Take this pair out of the draft and keep it out of later builds (an organiser's
    "no"); pinning the pair again lifts that. Returns how many meetings were removed."""
    require_matching(event)
    await _pair_ids(event, registration_id, employer_id)
    await _ensure_draft(event.id)
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch(
            "DELETE FROM meeting WHERE event = ? AND published = ? AND registration = ?"
            " AND employer = ? RETURNING id", [event.id, False, registration_id, employer_id])
        await set_staff_block(event.id, registration_id, employer_id, blocked=True)
        await audit.record(actor, "schedule.removed", event_id=event.id,
                           subject_type="registration", subject_id=registration_id)
    return len(rows)


async def publish_schedule(event: Event, actor: str = "cli") -> int:
    """Make the draft the schedule everyone sees. Refuses a draft that a later "no" or a
    cancellation has made invalid: build again first. Returns the number of meetings."""
    require_matching(event)
    db = current_engine()
    draft = await db.fetch(
        "SELECT m.round, m.registration, m.employer, r.status FROM meeting m"
        " JOIN registration r ON r.id = m.registration"
        " WHERE m.event = ? AND m.published = ?", [event.id, False])
    if not draft:
        raise DomainError("nothing_to_publish", "There is no draft schedule; build one first.")
    regs, emps = await _people(event.id)
    if any(d["status"] != "registered" for d in draft):
        raise DomainError("schedule_outdated",
                          "Someone in the draft has cancelled; build the schedule again.")
    row, col = {r: i for i, r in enumerate(regs)}, {e: j for j, e in enumerate(emps)}
    _, _, blocked = await preference_matrices(event.id, regs, emps)
    plan = await timing(event.id, event.starts_at, published=False)
    meetings = [(d["round"] - 1, row[d["registration"]], col[d["employer"]]) for d in draft]
    if violations(meetings, ~blocked, plan.rounds):
        raise DomainError("schedule_outdated",
                          "Preferences changed since the draft was built; build it again.")
    async with db.transaction():
        await db.fetch("DELETE FROM meeting WHERE event = ? AND published = ?",
                       [event.id, True])
        await db.fetch("UPDATE meeting SET published = ? WHERE event = ? AND published = ?",
                       [True, event.id, False])
        # Read again inside the transaction: a build may have just saved new settings.
        plan = await timing(event.id, event.starts_at, published=False)
        await _save_plan(event.id, plan, published=True)
        await audit.record(actor, "schedule.published", event_id=event.id,
                           subject_type="event", subject_id=event.id, fields=plan.fields())
    return len(draft)


# ---- reading it back ---------------------------------------------------------------------


async def schedule_view(event: Event, published: bool | None = None) -> dict:
    """The whole schedule for organisers (and the print page): the draft when there is one
    (unless ``published`` says which), with names, tables and clock times."""
    require_matching(event)
    db = current_engine()
    if published is None:
        draft = await db.fetch("SELECT COUNT(*) AS n FROM meeting WHERE event = ?"
                               " AND published = ?", [event.id, False])
        published = draft[0]["n"] == 0
    plan = await timing(event.id, event.starts_at, published)
    rows = await db.fetch(
        "SELECT m.id, m.round, m.table_no, m.registration, m.employer, m.pinned, m.score,"
        " v.name AS visitor, e.name AS employer_name FROM meeting m"
        " JOIN registration r ON r.id = m.registration JOIN visitor v ON v.id = r.visitor"
        " JOIN employer e ON e.id = m.employer"
        " WHERE m.event = ? AND m.published = ? ORDER BY m.round, m.table_no",
        [event.id, published])
    emps = await db.fetch("SELECT id, name FROM employer WHERE event = ? ORDER BY id",
                          [event.id])
    rounds = max([plan.rounds, *(r["round"] for r in rows)])
    regs, emp_ids = await _people(event.id)
    _, _, blocked = await preference_matrices(event.id, regs, emp_ids)
    row, col = {g: i for i, g in enumerate(regs)}, {e: j for j, e in enumerate(emp_ids)}
    shared = balance([(r["round"] - 1, row[r["registration"]], col[r["employer"]])
                      for r in rows if r["registration"] in row and r["employer"] in col],
                     ~blocked)
    return {
        "event": {"slug": event.slug, "name": event.name},
        "state": "published" if published else "draft",
        "balance": shared,
        "timing": {"rounds": rounds, "minutes": plan.minutes, "pause": plan.pause,
                   "starts_at": plan.starts_at.isoformat()},
        "rounds": [{"round": r, "time": plan.clock(r), "starts_at": plan.start(r).isoformat()}
                   for r in range(1, rounds + 1)],
        "tables": [{"table_no": j + 1, "employer_id": e["id"], "employer": e["name"]}
                   for j, e in enumerate(emps)],
        "meetings": [
            {"id": r["id"], "round": r["round"], "time": plan.clock(r["round"]),
             "table_no": r["table_no"], "registration_id": r["registration"],
             "visitor": r["visitor"], "employer_id": r["employer"],
             "employer": r["employer_name"], "pinned": bool(r["pinned"]), "score": r["score"]}
            for r in rows
        ],
    }


async def visitor_meetings(event_id: int, starts_at: dt.datetime,
                           registration_ids: Sequence[int] | None = None,
                           ) -> dict[int, list[dict]]:
    """registration id -> its published meetings in round order (time, table, employer)."""
    sql = ("SELECT m.registration, m.round, m.table_no, m.employer, e.name FROM meeting m"
           " JOIN employer e ON e.id = m.employer WHERE m.event = ? AND m.published = ?")
    args: list = [event_id, True]
    if registration_ids is not None:
        if not registration_ids:
            return {}
        sql += f" AND m.registration IN ({', '.join('?' * len(registration_ids))})"
        args += list(registration_ids)
    rows = await current_engine().fetch(sql + " ORDER BY m.registration, m.round", args)
    if not rows:
        return {}
    plan = await timing(event_id, starts_at, published=True)
    out: dict[int, list[dict]] = {}
    for r in rows:
        out.setdefault(r["registration"], []).append(
            {"round": r["round"], "time": plan.clock(r["round"]), "table_no": r["table_no"],
             "employer_id": r["employer"], "employer": r["name"]})
    return out


def badge_lines(meetings: Sequence[dict], lang: str) -> tuple[tuple[str, str], ...]:
    """What ``BadgeData.schedule`` wants: ("13:10", "Tafel 4 · Employer")."""
    return tuple((m["time"], f"{t('schedule.table', lang, n=m['table_no'])} · {m['employer']}")
                 for m in meetings)


async def employer_meetings(event: Event, employer_id: int) -> list[dict]:
    """This employer's published meetings. Visitors' names only with their consent."""
    require_matching(event)
    rows = await current_engine().fetch(
        "SELECT m.round, m.table_no, m.registration, v.name, v.share_profile FROM meeting m"
        " JOIN registration r ON r.id = m.registration JOIN visitor v ON v.id = r.visitor"
        " WHERE m.event = ? AND m.employer = ? AND m.published = ? ORDER BY m.round",
        [event.id, employer_id, True])
    plan = await timing(event.id, event.starts_at, published=True)
    return [
        {"round": r["round"], "time": plan.clock(r["round"]), "table_no": r["table_no"],
         "registration_id": r["registration"],
         "first_name": r["name"].split(" ")[0] if r["share_profile"] else None,
         "name": r["name"] if r["share_profile"] else None}
        for r in rows
    ]
