"""Scoring rules as pure functions: a value and a rule give a share of an indicator's points, a status and the
sentence that explains it (docs/standard-catalogue.md, "Scoring rules"). No database, no Django models."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

RULE_TYPES = ("threshold", "linear", "steps", "deduction", "verified")
DIRECTIONS = ("higher", "lower")


class Status(StrEnum):
    PASS = "pass"
    PARTIAL = "partial"
    FAIL = "fail"
    NO_DATA = "no_data"
    NOT_APPLICABLE = "not_applicable"


class Verdict(StrEnum):
    """What a person decided about the evidence of an indicator."""

    VERIFIED = "verified"  # checked and meets the requirement
    REJECTED = "rejected"  # checked and does not
    PENDING = "pending"  # uploaded, not checked yet
    MISSING = "missing"  # nothing uploaded


@dataclass(frozen=True)
class Step:
    bound: float  # `min` for direction higher, `max` for direction lower
    share: float


@dataclass(frozen=True)
class Rule:
    """A scoring rule of the catalogue, validated by the catalogue loader."""

    type: str
    direction: str = "higher"
    target: float | None = None
    floor: float | None = None
    steps: tuple[Step, ...] = field(default_factory=tuple)
    per_finding: float | None = None
    max_deduction: float | None = None

    def as_dict(self) -> dict[str, object]:
        """The rule as JSON-ready data, with its one-line description."""
        found: dict[str, object] = {"type": self.type, "direction": self.direction, "text": self.describe()}
        for name in ("target", "floor", "per_finding", "max_deduction"):
            if getattr(self, name) is not None:
                found[name] = getattr(self, name)
        if self.steps:
            found["steps"] = [{"bound": step.bound, "share": step.share} for step in self.steps]
        return found

    def describe(self) -> str:
        """The rule in one line, e.g. ``linear 0.8 → 0.95``."""
        arrow = "≤" if self.direction == "lower" else "≥"
        if self.type == "threshold":
            return f"threshold {arrow} {_fmt(self.target)}"
        if self.type == "linear":
            return f"linear {_fmt(self.floor)} → {_fmt(self.target)}"
        if self.type == "steps":
            return "steps " + ", ".join(f"{arrow}{_fmt(s.bound)}: {_fmt(s.share)}" for s in self.steps)
        if self.type == "deduction":
            return f"deduction {_fmt(self.per_finding)} per finding, at most {_fmt(self.max_deduction)}"
        return "verified evidence"


@dataclass(frozen=True)
class Outcome:
    """The result of one rule on one value: ``share`` of the points in [0, 1] (None when not scored)."""

    share: float | None
    status: Status
    explanation: str


def _fmt(number: float | None) -> str:
    if number is None:
        return "—"
    return f"{number:.4g}"


def status_of(share: float) -> Status:
    if share >= 1 - 1e-9:
        return Status.PASS
    if share <= 1e-9:
        return Status.FAIL
    return Status.PARTIAL


def _meets(value: float, bound: float, direction: str) -> bool:
    return value <= bound if direction == "lower" else value >= bound


def score_value(rule: Rule, value: float | None, *, points: float = 1.0) -> Outcome:
    """Score a metric value (or, for ``deduction``, a number of findings) by ``rule``."""
    if value is None:
        return Outcome(None, Status.NO_DATA, "no data")
    if rule.type == "threshold":
        assert rule.target is not None
        met = _meets(value, rule.target, rule.direction)
        relation = ("≤" if met else ">") if rule.direction == "lower" else ("≥" if met else "<")
        share = 1.0 if met else 0.0
        return Outcome(share, status_of(share), f"{_fmt(value)} {relation} target {_fmt(rule.target)} → {share:.0%}")
    if rule.type == "linear":
        assert rule.target is not None and rule.floor is not None
        span = rule.target - rule.floor
        share = (value - rule.floor) / span if span else float(_meets(value, rule.target, rule.direction))
        share = min(1.0, max(0.0, share))
        return Outcome(
            share,
            status_of(share),
            f"{_fmt(value)} between floor {_fmt(rule.floor)} and target {_fmt(rule.target)} → {share:.0%}",
        )
    if rule.type == "steps":
        for step in rule.steps:
            if _meets(value, step.bound, rule.direction):
                word = "max" if rule.direction == "lower" else "min"
                return Outcome(
                    step.share,
                    status_of(step.share),
                    f"{_fmt(value)} reaches the step {word} {_fmt(step.bound)} → {step.share:.0%}",
                )
        return Outcome(0.0, Status.FAIL, f"{_fmt(value)} reaches no step → 0%")
    if rule.type == "deduction":
        return score_findings(rule, int(value), points=points)
    if rule.type == "verified":
        # A metric read as a yes/no (1 or 0): 1 counts as verified.
        return score_verdict(rule, Verdict.VERIFIED if value >= 1 else Verdict.REJECTED)
    raise ValueError(f"unknown rule type {rule.type!r}")


def score_findings(rule: Rule, findings: int, *, points: float) -> Outcome:
    """``deduction``: the points minus ``per_finding`` for each finding, at most ``max_deduction`` off, never
    below zero."""
    per_finding = rule.per_finding or 0.0
    cap = rule.max_deduction if rule.max_deduction is not None else points
    deducted = min(per_finding * max(findings, 0), cap, points)
    share = (points - deducted) / points if points > 0 else (0.0 if findings else 1.0)
    share = min(1.0, max(0.0, share))
    return Outcome(
        share,
        status_of(share),
        f"{findings} finding(s) × {_fmt(per_finding)} = {_fmt(deducted)} of {_fmt(points)} points deducted → {share:.0%}",
    )


def score_verdict(rule: Rule, verdict: Verdict) -> Outcome:
    """``verified``: 1 if the evidence was verified as meeting the requirement, 0 if rejected, missing or not yet
    checked."""
    if verdict == Verdict.VERIFIED:
        return Outcome(1.0, Status.PASS, "evidence verified → 100%")
    if verdict == Verdict.REJECTED:
        return Outcome(0.0, Status.FAIL, "evidence rejected → 0%")
    if verdict == Verdict.PENDING:
        return Outcome(0.0, Status.FAIL, "evidence awaiting verification → 0%")
    return Outcome(0.0, Status.FAIL, "no evidence uploaded → 0%")


def score_veto(outcome: Outcome) -> Outcome:
    """A veto item earns no points: it passes, or it fails and caps the grade. Partial shares count as failed."""
    if outcome.status in (Status.NO_DATA, Status.NOT_APPLICABLE):
        return outcome
    if outcome.status == Status.PASS:
        return Outcome(1.0, Status.PASS, f"veto item met ({outcome.explanation})")
    return Outcome(0.0, Status.FAIL, f"veto item failed: the grade is capped ({outcome.explanation})")


def stars_for(score: float | None, grades: list[tuple[int, float]], *, vetoed: bool, veto_cap: int) -> int:
    """The stars of the highest grade whose minimum the score reaches; a failed veto caps them at ``veto_cap``."""
    if score is None:
        return 0
    stars = 0
    for grade_stars, min_score in sorted(grades, key=lambda grade: -grade[1]):
        if score >= min_score - 1e-9:
            stars = grade_stars
            break
    if vetoed:
        stars = min(stars, veto_cap)
    return stars


def percent(earned: float, possible: float) -> float | None:
    """Points earned out of the points that applied, × 100 (None when nothing applied)."""
    if possible <= 0:
        return None
    return round(100.0 * earned / possible, 2)
