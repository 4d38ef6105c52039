"""Satisfaction rates from survey answers, as pure functions on plain data (research/standard.md §4.4).

Satisfaction rate = satisfied answers ÷ valid answers. "Satisfied" is 很满意 (5) and 满意 (4); whether 基本满意 (3)
counts too differs by source, so it is the survey's setting ``counts_basically_satisfied``. A question left
unanswered is not a valid answer. The overall rate pools every satisfaction answer of every service line (each
rated item is one observation, as the company procedures of R-01/R-02 report "total and per-item rates"); the rate of
a service line pools the answers to that line's questions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

SATISFIED_LEVEL = 4
BASICALLY_SATISFIED_LEVEL = 3


@dataclass(frozen=True)
class Rate:
    """``satisfied`` of ``valid`` answers; ``value`` is None without any valid answer."""

    satisfied: int
    valid: int

    @property
    def value(self) -> float | None:
        return self.satisfied / self.valid if self.valid else None


@dataclass(frozen=True)
class SatisfactionResult:
    """The overall rate and the rate of each service line that had answers."""

    overall: Rate
    by_line: dict[str, Rate] = field(default_factory=dict)


def cut_off(*, counts_basically_satisfied: bool) -> int:
    """The lowest level that counts as satisfied."""
    return BASICALLY_SATISFIED_LEVEL if counts_basically_satisfied else SATISFIED_LEVEL


def is_satisfied(level: int, *, counts_basically_satisfied: bool) -> bool:
    return level >= cut_off(counts_basically_satisfied=counts_basically_satisfied)


def satisfaction(answers: Iterable[tuple[str, int | None]], *, counts_basically_satisfied: bool) -> SatisfactionResult:
    """Rates from ``(service_line, level)`` pairs; a ``None`` or out-of-scale level is not a valid answer."""
    lowest = cut_off(counts_basically_satisfied=counts_basically_satisfied)
    counts: dict[str, list[int]] = {}
    for line, level in answers:
        if level is None or not 1 <= level <= 5:
            continue
        tally = counts.setdefault(line, [0, 0])
        tally[1] += 1
        if level >= lowest:
            tally[0] += 1
    by_line = {line: Rate(satisfied, valid) for line, (satisfied, valid) in sorted(counts.items())}
    overall = Rate(sum(rate.satisfied for rate in by_line.values()), sum(rate.valid for rate in by_line.values()))
    return SatisfactionResult(overall=overall, by_line=by_line)


def distribution(levels: Iterable[int | None]) -> dict[int, int]:
    """How many answers gave each level, 5 down to 1 (levels nobody chose count 0)."""
    found = dict.fromkeys(range(5, 0, -1), 0)
    for level in levels:
        if level in found:
            found[level] += 1
    return found
