"""How a programme's targets are counted. Pure functions: the report collects the numbers.

A target counts one *measure* (``MEASURES``):

* ``matches``: every match; ``job_matches``: direct + follow-up (a job match);
  ``direct`` / ``follow_up`` / ``training``: matches of that level;
* ``registered`` / ``checked_in``: registrations with status registered / with a check-in;
* ``employers``: employers taking part.

A programme-wide target (no event) counts the programme's events of its ``event_kind``
(empty: all). One event's report shows the event's own target for a measure when it has
one; otherwise the share of the programme-wide target, ``target / events_planned`` (the
matching days' 380 matches over 16 planned days: 23.75 a day, the rule of old).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from event_ops.programmes.tables import MEASURES

MATCH_MEASURES: dict[str, tuple[str, ...]] = {
    "matches": ("direct", "follow_up", "training"),
    "job_matches": ("direct", "follow_up"),
    "direct": ("direct",),
    "follow_up": ("follow_up",),
    "training": ("training",),
}
assert set(MATCH_MEASURES) | {"registered", "checked_in", "employers"} == set(MEASURES)


def measure_counts(levels: Mapping[str, int], *, registered: int, checked_in: int,
                   employers: int) -> dict[str, int]:
    """Every measure's count for one event (or any group of events)."""
    counts = {m: sum(levels.get(level, 0) for level in lv) for m, lv in MATCH_MEASURES.items()}
    counts.update(registered=registered, checked_in=checked_in, employers=employers)
    return counts


def _row(target: Mapping, goal: float, actual: int, label: str,
         shared_over: int | None = None) -> dict:
    """``shared_over``: the number of planned events a programme-wide target is split over
    when one event shows its share (None: the row is the whole target)."""
    return {
        "key": target["key"], "label": label, "measure": target["measure"],
        "kind": target["event_kind"] or None, "levels": list(MATCH_MEASURES.get(
            target["measure"], ())), "target": goal, "actual": actual,
        "progress": round(actual / goal, 4) if goal else None,
        "shared_over": shared_over,
    }


def event_target_rows(targets: Iterable[Mapping], event_id: int, kind: str,
                      counts: Mapping[str, int], label: Callable[[Mapping], str]) -> list[dict]:
    """One event's progress: its own targets, and for every other measure the share of the
    programme-wide targets that apply to its kind. ``label(target)``: the shown name."""
    targets = list(targets)
    own = [t for t in targets if t["event"] == event_id]
    own_measures = {t["measure"] for t in own}
    rows = [_row(t, t["target"], counts.get(t["measure"], 0), label(t)) for t in own]
    for t in targets:
        if t["event"] is not None or t["measure"] in own_measures:
            continue
        if t["event_kind"] and t["event_kind"] != kind:
            continue
        planned = max(t["events_planned"], 1)
        rows.append(_row(t, round(t["target"] / planned, 2), counts.get(t["measure"], 0),
                         label(t), planned if planned > 1 else None))
    return rows


def programme_target_rows(targets: Iterable[Mapping], kinds: Mapping[int, str],
                          counts: Mapping[int, Mapping[str, int]],
                          label: Callable[[Mapping], str]) -> list[dict]:
    """The programme-wide targets against the sums over the programme's events of their
    kind. ``kinds``/``counts``: by event id (the programme's events only)."""
    rows = []
    for t in targets:
        if t["event"] is not None:
            continue
        actual = sum(c.get(t["measure"], 0) for event_id, c in counts.items()
                     if not t["event_kind"] or kinds.get(event_id) == t["event_kind"])
        rows.append(_row(t, t["target"], actual, label(t)))
    return rows
