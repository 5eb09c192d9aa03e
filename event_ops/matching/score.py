"""An explainable match score between one visitor and one vacancy.

This is the per-pair rule the employer tablet shows ("73% — matches: forklift, VCA").
Each required competency weighs 2, each nice-to-have 1; a competency counts fully when the
visitor's level reaches the vacancy's level and half when it is lower.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VacancyMatch:
    vacancy_id: int
    title: str
    score: int  # 0-100
    matched: tuple[str, ...]
    missing_required: tuple[str, ...]


def score_vacancy(
    profile: Mapping[str, int],
    vacancy_id: int,
    title: str,
    wanted: Iterable[tuple[str, int, bool]],
) -> VacancyMatch:
    """``profile``: code -> level; ``wanted``: (code, level, required) of the vacancy."""
    total = got = 0.0
    matched: list[str] = []
    missing: list[str] = []
    for code, level, required in wanted:
        weight = 2.0 if required else 1.0
        total += weight
        have = profile.get(code)
        if have is None:
            if required:
                missing.append(code)
            continue
        matched.append(code)
        got += weight if have >= level else weight / 2
    score = round(100 * got / total) if total else 0
    return VacancyMatch(vacancy_id, title, score, tuple(matched), tuple(missing))
