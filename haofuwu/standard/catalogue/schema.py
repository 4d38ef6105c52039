"""The catalogue as typed, immutable data (what the loader returns once a file is valid)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from haofuwu.standard.scoring import Rule

KINDS = ("metric", "evidence", "survey", "veto")
CERTAINTIES = ("S", "S*", "U", "J", "I")
NO_DATA_POLICIES = ("exclude", "zero")


@dataclass(frozen=True)
class Title:
    zh: str
    en: str

    def text(self, language: str | None) -> str:
        return self.en if (language or "").startswith("en") and self.en else self.zh


@dataclass(frozen=True)
class Group:
    """A section, dimension or category."""

    code: str
    title: Title
    points: float | None = None


@dataclass(frozen=True)
class AppliesTo:
    """Which projects an indicator applies to; an empty filter applies to all."""

    has_elevators: bool | None = None
    project_types: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    min_households: int | None = None

    def matches(self, facts: Any) -> bool:
        if self.has_elevators is not None and bool(facts.has_elevators) != self.has_elevators:
            return False
        if self.project_types and facts.project_type not in self.project_types:
            return False
        if self.districts and facts.district not in self.districts:
            return False
        return not (self.min_households is not None and facts.households < self.min_households)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.has_elevators is not None:
            found["has_elevators"] = self.has_elevators
        if self.project_types:
            found["project_types"] = list(self.project_types)
        if self.districts:
            found["districts"] = list(self.districts)
        if self.min_households is not None:
            found["min_households"] = self.min_households
        return found


@dataclass(frozen=True)
class Indicator:
    id: str
    title: Title
    requirement: Title
    section: str
    dimensions: tuple[str, ...]
    category: str
    source: str
    certainty: str
    points: float
    kind: str
    metric: str | None
    provided_by: str
    rule: Rule
    applies_to: AppliesTo
    period: str
    no_data: str
    notes: str = ""

    @property
    def is_veto(self) -> bool:
        return self.kind == "veto"

    @property
    def reads_evidence(self) -> bool:
        """Scored from uploaded evidence and a person's verdict rather than from a metric."""
        return self.metric is None and self.rule.type == "verified"


@dataclass(frozen=True)
class Catalogue:
    code: str
    version: str
    title: Title
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    total_points: float
    sections: tuple[Group, ...]
    dimensions: tuple[Group, ...]
    categories: tuple[Group, ...]
    grades: tuple[tuple[int, float], ...]
    veto_caps_stars_at: int
    no_data: str
    indicators: tuple[Indicator, ...]
    path: str = ""
    content_hash: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    def indicator(self, indicator_id: str) -> Indicator | None:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        return None

    def metric_names(self) -> list[str]:
        return sorted({indicator.metric for indicator in self.indicators if indicator.metric})

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"
