"""The follow-up pipeline as a transition table. Pure functions, no database.

    new → contacted → interview       → hired
                    → training_intake → started_training
    any non-final state → no_match (needs a reason)

``hired``, ``started_training`` and ``no_match`` are final: nothing leaves them (an outcome
that later turns out wrong is a new match, not an edit of history).
"""

from __future__ import annotations

from event_ops.core.errors import DomainError
from event_ops.matching.tables import MATCH_STATUSES

#: Interest levels that make a match (``info`` does not).
MATCH_LEVELS = ("direct", "follow_up", "training")

FINAL_STATUSES = frozenset({"hired", "started_training", "no_match"})
# For ``status NOT IN (…)`` in SQL: fixed strings of ours, not input.
FINAL_STATUSES_SQL = ", ".join(f"'{s}'" for s in sorted(FINAL_STATUSES))

#: Forward moves only; ``no_match`` is added for every non-final state below.
_FORWARD: dict[str, frozenset[str]] = {
    "new": frozenset({"contacted"}),
    "contacted": frozenset({"interview", "training_intake"}),
    "interview": frozenset({"hired"}),
    "training_intake": frozenset({"started_training"}),
}

TRANSITIONS: dict[str, frozenset[str]] = {
    status: (_FORWARD.get(status, frozenset()) | {"no_match"})
    if status not in FINAL_STATUSES else frozenset()
    for status in MATCH_STATUSES
}

#: Statuses whose change must say why.
REASON_REQUIRED = frozenset({"no_match"})
MAX_REASON = 1000


def allowed_next(status: str) -> list[str]:
    """The statuses a match in ``status`` may move to, in pipeline order."""
    nexts = TRANSITIONS.get(status, frozenset())
    return [s for s in MATCH_STATUSES if s in nexts]


def check_transition(from_status: str, to_status: str, reason: str) -> str:
    """Validate one move; returns the cleaned reason.

    Raises ``DomainError`` with code ``bad_status`` (not a status), ``bad_transition`` (not
    an edge of the table, including any move out of a final status), ``reason_required``,
    ``reason_too_long`` or ``bad_reason``.
    """
    if to_status not in MATCH_STATUSES:
        raise DomainError("bad_status", f"Status must be one of {', '.join(MATCH_STATUSES)}.",
                          field="status")
    if from_status in FINAL_STATUSES:
        raise DomainError("bad_transition",
                          f"This match is closed ({from_status}); its status cannot change.")
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise DomainError(
            "bad_transition",
            f"A match cannot go from {from_status} to {to_status}. "
            f"Allowed: {', '.join(allowed_next(from_status)) or 'nothing'}.",
            field="status",
        )
    cleaned = (reason or "").strip()
    if to_status in REASON_REQUIRED and not cleaned:
        raise DomainError("reason_required", f"Say why when you set {to_status}.",
                          field="reason")
    if "\x00" in cleaned:  # PostgreSQL refuses NUL in text
        raise DomainError("bad_reason", "A reason cannot contain NUL characters.",
                          field="reason")
    if len(cleaned) > MAX_REASON:
        raise DomainError("reason_too_long", f"A reason has at most {MAX_REASON} characters.",
                          field="reason")
    return cleaned
