"""The partnership's targets, and which numbers count towards them. One place to change.

* Werkfestival (events of kind ``festival``): 100 direct matches, 200 follow-up matches and
  100 training matches (matches by level).
* The 16 matching days (kind ``matching``) together: 380 matches and 100 extra trainings.
  "Extra" trainings come on top of the matches, so a *match* here is a job match (level
  direct or follow_up) and a *training* is a match of level training.

A single matching day's report shows its pro-rata share (1/16) of the matching-day targets;
the programme report shows the sums of all events of each kind against the full targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MATCHING_DAYS = 16


@dataclass(frozen=True)
class Target:
    key: str
    kind: str  # the event kind it applies to
    levels: tuple[str, ...]  # match levels that count
    target: float


TARGETS: tuple[Target, ...] = (
    Target("festival.direct", "festival", ("direct",), 100),
    Target("festival.follow_up", "festival", ("follow_up",), 200),
    Target("festival.training", "festival", ("training",), 100),
    Target("matching.matches", "matching", ("direct", "follow_up"), 380),
    Target("matching.trainings", "matching", ("training",), 100),
)


def target_rows(kind_levels: Mapping[str, Mapping[str, int]], *, per_event_kind: str | None = None
                ) -> list[dict]:
    """Progress against the targets.

    ``kind_levels``: event kind → match level → count. With ``per_event_kind`` (one event's
    report) only that kind's targets are shown, matching-day targets as a 1/16 share.
    """
    rows = []
    for target in TARGETS:
        if per_event_kind is not None and target.kind != per_event_kind:
            continue
        goal = target.target
        if per_event_kind == "matching":
            goal = round(goal / MATCHING_DAYS, 2)
        actual = sum(kind_levels.get(target.kind, {}).get(level, 0) for level in target.levels)
        rows.append({
            "key": target.key, "kind": target.kind, "levels": list(target.levels),
            "target": goal, "actual": actual,
            "progress": round(actual / goal, 4) if goal else None,
        })
    return rows
