"""Satisfaction rates equal a hand computation, for both cut-offs (research/standard.md §4.4)."""

from __future__ import annotations

import pytest

from haofuwu.feedback.satisfaction import Rate, distribution, satisfaction

# Four households rate three lines; household 4 left repairs unanswered (None: not a valid answer).
ANSWERS = [
    ("customer_service", 5), ("repairs", 4), ("security", 3),
    ("customer_service", 4), ("repairs", 3), ("security", 2),
    ("customer_service", 3), ("repairs", 2), ("security", 1),
    ("customer_service", 5), ("repairs", None), ("security", 3),
]  # fmt: skip


def test_without_basically_satisfied_only_satisfied_and_very_satisfied_count() -> None:
    result = satisfaction(ANSWERS, counts_basically_satisfied=False)
    # By hand: customer service 5,4,5 of 4 answers; repairs 4 of 3; security none of 4; overall 4 of 11.
    assert result.by_line == {
        "customer_service": Rate(3, 4),
        "repairs": Rate(1, 3),
        "security": Rate(0, 4),
    }
    assert result.overall == Rate(4, 11)
    assert result.overall.value == pytest.approx(4 / 11)


def test_with_basically_satisfied_level_three_counts_too() -> None:
    result = satisfaction(ANSWERS, counts_basically_satisfied=True)
    # By hand: customer service 4 of 4; repairs 4,3 of 3; security 3,3 of 4; overall 8 of 11.
    assert result.by_line == {
        "customer_service": Rate(4, 4),
        "repairs": Rate(2, 3),
        "security": Rate(2, 4),
    }
    assert result.overall == Rate(8, 11)


def test_no_valid_answer_has_no_rate() -> None:
    result = satisfaction([("repairs", None)], counts_basically_satisfied=False)
    assert result.overall.value is None
    assert result.by_line == {}


def test_distribution_counts_each_level_from_five_down() -> None:
    assert distribution([5, 5, 3, None, 1]) == {5: 2, 4: 0, 3: 1, 2: 0, 1: 1}
