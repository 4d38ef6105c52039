"""Every scoring rule of docs/standard-catalogue.md on a table of values."""

from __future__ import annotations

import pytest

from haofuwu.standard.scoring import (
    Rule,
    Status,
    Step,
    Verdict,
    percent,
    score_findings,
    score_value,
    score_verdict,
    score_veto,
    stars_for,
)

THRESHOLD = Rule("threshold", target=0.9)
THRESHOLD_LOWER = Rule("threshold", direction="lower", target=2.0)
LINEAR = Rule("linear", floor=0.8, target=0.95)
LINEAR_LOWER = Rule("linear", direction="lower", floor=0.0, target=-0.05)
STEPS = Rule("steps", steps=(Step(0.95, 1.0), Step(0.9, 0.6), Step(0.8, 0.3)))
STEPS_LOWER = Rule("steps", direction="lower", steps=(Step(1.0, 1.0), Step(5.0, 0.5)))
DEDUCTION = Rule("deduction", per_finding=2.0, max_deduction=5.0)


@pytest.mark.parametrize(
    ("rule", "value", "share", "status"),
    [
        (THRESHOLD, 0.95, 1.0, Status.PASS),
        (THRESHOLD, 0.9, 1.0, Status.PASS),
        (THRESHOLD, 0.89, 0.0, Status.FAIL),
        (THRESHOLD_LOWER, 1.5, 1.0, Status.PASS),
        (THRESHOLD_LOWER, 2.5, 0.0, Status.FAIL),
        (LINEAR, 0.8, 0.0, Status.FAIL),
        (LINEAR, 0.5, 0.0, Status.FAIL),
        (LINEAR, 0.875, 0.5, Status.PARTIAL),
        (LINEAR, 0.95, 1.0, Status.PASS),
        (LINEAR, 1.0, 1.0, Status.PASS),
        (LINEAR_LOWER, 0.0, 0.0, Status.FAIL),
        (LINEAR_LOWER, -0.025, 0.5, Status.PARTIAL),
        (LINEAR_LOWER, -0.10, 1.0, Status.PASS),
        (LINEAR_LOWER, 0.10, 0.0, Status.FAIL),
        (STEPS, 0.97, 1.0, Status.PASS),
        (STEPS, 0.92, 0.6, Status.PARTIAL),
        (STEPS, 0.85, 0.3, Status.PARTIAL),
        (STEPS, 0.5, 0.0, Status.FAIL),
        (STEPS_LOWER, 0.5, 1.0, Status.PASS),
        (STEPS_LOWER, 3.0, 0.5, Status.PARTIAL),
        (STEPS_LOWER, 6.0, 0.0, Status.FAIL),
    ],
)
def test_rule_turns_a_value_into_a_share(rule, value, share, status):
    outcome = score_value(rule, value)
    assert outcome.share == pytest.approx(share)
    assert outcome.status == status
    assert outcome.explanation


@pytest.mark.parametrize("rule", [THRESHOLD, LINEAR, STEPS, STEPS_LOWER, DEDUCTION])
def test_no_data_is_never_scored_as_passed(rule):
    outcome = score_value(rule, None)
    assert outcome.share is None
    assert outcome.status == Status.NO_DATA


@pytest.mark.parametrize(
    ("findings", "share", "status"),
    [
        (0, 1.0, Status.PASS),
        (1, 0.8, Status.PARTIAL),
        (2, 0.6, Status.PARTIAL),
        (3, 0.5, Status.PARTIAL),
        (9, 0.5, Status.PARTIAL),
    ],
)
def test_deduction_takes_points_per_finding_up_to_the_maximum(findings, share, status):
    outcome = score_findings(DEDUCTION, findings, points=10)
    assert outcome.share == pytest.approx(share)
    assert outcome.status == status


def test_deduction_never_goes_below_zero():
    outcome = score_findings(Rule("deduction", per_finding=3.0), 5, points=4)
    assert outcome.share == 0.0
    assert outcome.status == Status.FAIL


@pytest.mark.parametrize(
    ("verdict", "share", "status"),
    [
        (Verdict.VERIFIED, 1.0, Status.PASS),
        (Verdict.REJECTED, 0.0, Status.FAIL),
        (Verdict.PENDING, 0.0, Status.FAIL),
        (Verdict.MISSING, 0.0, Status.FAIL),
    ],
)
def test_verified_rule_scores_only_verified_evidence(verdict, share, status):
    outcome = score_verdict(Rule("verified"), verdict)
    assert (outcome.share, outcome.status) == (share, status)


def test_veto_passes_fails_or_has_no_data():
    assert score_veto(score_value(THRESHOLD, 0.95)).status == Status.PASS
    failed = score_veto(score_value(LINEAR, 0.9))  # partial counts as failed for a veto
    assert (failed.share, failed.status) == (0.0, Status.FAIL)
    assert "capped" in failed.explanation
    assert score_veto(score_value(THRESHOLD, None)).status == Status.NO_DATA


GRADES = [(5, 90.0), (4, 80.0), (3, 70.0), (2, 60.0), (1, 0.0)]


@pytest.mark.parametrize(
    ("score", "vetoed", "stars"),
    [
        (95, False, 5),
        (90, False, 5),
        (89.99, False, 4),
        (70, False, 3),
        (10, False, 1),
        (95, True, 1),
        (None, False, 0),
    ],
)
def test_grades_pick_the_highest_reached_and_a_veto_caps_them(score, vetoed, stars):
    assert stars_for(score, GRADES, vetoed=vetoed, veto_cap=1) == stars


def test_score_is_points_earned_out_of_points_that_applied():
    assert percent(45, 60) == 75.0
    assert percent(0, 0) is None
