"""Load a catalogue file and validate every field; each error names the file, the indicator and the field.

A catalogue is data written by people (docs/standard-catalogue.md): the loader never trusts it. It collects every
error it finds instead of stopping at the first, so that one run of ``haofuwu standard validate FILE`` lists them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from haofuwu.standard.catalogue.schema import (
    CERTAINTIES,
    KINDS,
    NO_DATA_POLICIES,
    AppliesTo,
    Catalogue,
    Group,
    Indicator,
    Title,
)
from haofuwu.standard.periods import KINDS as PERIOD_KINDS
from haofuwu.standard.scoring import DIRECTIONS, RULE_TYPES, Rule, Step

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,48}$")
METRIC_PATTERN = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z0-9_]+$")
INDICATOR_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._*-]{0,31}$")


@dataclass(frozen=True)
class CatalogueProblem:
    """One thing wrong with a catalogue file."""

    file: str
    indicator: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"indicator {self.indicator}: " if self.indicator else ""
        return f"{self.file}: {where}{self.field}: {self.message}"


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[CatalogueProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[CatalogueProblem] = []
        self.indicator: str | None = None

    def fail(self, field: str, message: str) -> None:
        self.problems.append(CatalogueProblem(self.file, self.indicator, field, message))

    def text(self, data: dict, key: str, *, required: bool = True, default: str = "") -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(key, "must be text")
            return default
        return str(value)

    def number(
        self, data: dict, key: str, *, required: bool = True, minimum: float | None = None, positive: bool = False
    ) -> float | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"must be a number, not {value!r}")
            return None
        if positive and value <= 0:
            self.fail(key, f"must be greater than 0, not {value}")
            return None
        if minimum is not None and value < minimum:
            self.fail(key, f"must be at least {minimum:g}, not {value}")
            return None
        return float(value)

    def title(self, data: dict, key: str, *, required: bool = True) -> Title:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return Title("", "")
        if isinstance(value, str):
            return Title(value, value)
        if not isinstance(value, dict) or not isinstance(value.get("zh"), str) or not value.get("zh"):
            self.fail(key, "must be {zh: ..., en: ...} with the Chinese text")
            return Title("", "")
        english = value.get("en")
        if english is not None and not isinstance(english, str):
            self.fail(f"{key}.en", "must be text")
            english = None
        return Title(value["zh"], english or value["zh"])

    def date(self, data: dict, key: str, *, required: bool = True) -> dt.date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "is required (a date like 2025-07-01)")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(key, f"must be a date like 2025-07-01, not {value!r}")
        return None

    def choice(self, data: dict, key: str, choices: tuple[str, ...] | list[str], *, default: str | None = None) -> str:
        value = data.get(key, default)
        if value is None:
            self.fail(key, f"is required (one of {', '.join(choices)})")
            return ""
        if value not in choices:
            self.fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
            return ""
        return str(value)


def _groups(check: _Checker, data: dict, key: str, *, with_points: bool = False) -> tuple[Group, ...]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        check.fail(key, "must be a non-empty list")
        return ()
    groups: list[Group] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            check.fail(f"{key}[{index}]", "must be a mapping with code and title")
            continue
        code = item.get("code")
        if not isinstance(code, str) or not code:
            check.fail(f"{key}[{index}].code", "is required")
            continue
        if code in seen:
            check.fail(f"{key}[{index}].code", f"{code!r} appears twice")
        seen.add(code)
        title = check.title(item, "title")
        points = check.number(item, "points", required=False, minimum=0) if with_points else None
        groups.append(Group(code, title, points))
    return tuple(groups)


def _rule(check: _Checker, data: Any, points: float) -> Rule:
    if not isinstance(data, dict):
        check.fail("rule", "is required: a mapping with a type")
        return Rule("threshold", target=1.0)
    kind = data.get("type")
    if kind not in RULE_TYPES:
        check.fail("rule.type", f"must be one of {', '.join(RULE_TYPES)}, not {kind!r}")
        return Rule("threshold", target=1.0)
    direction = data.get("direction", "higher")
    if direction not in DIRECTIONS:
        check.fail("rule.direction", f"must be higher or lower, not {direction!r}")
        direction = "higher"

    def number(key: str, *, required: bool = True, positive: bool = False) -> float | None:
        value = data.get(key)
        if value is None:
            if required:
                check.fail(f"rule.{key}", f"is required for a {kind} rule")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            check.fail(f"rule.{key}", f"must be a number, not {value!r}")
            return None
        if positive and value <= 0:
            check.fail(f"rule.{key}", f"must be greater than 0, not {value}")
            return None
        return float(value)

    if kind == "threshold":
        return Rule(kind, direction, target=number("target"))
    if kind == "linear":
        floor, target = number("floor"), number("target")
        if floor is not None and target is not None:
            if direction == "higher" and not floor < target:
                check.fail("rule.floor", f"must be below the target {target:g} when higher is better")
            if direction == "lower" and not floor > target:
                check.fail("rule.floor", f"must be above the target {target:g} when lower is better")
        return Rule(kind, direction, target=target, floor=floor)
    if kind == "steps":
        raw = data.get("steps")
        bound_key = "max" if direction == "lower" else "min"
        if not isinstance(raw, list) or not raw:
            check.fail("rule.steps", f"must be a non-empty list of {{{bound_key}: ..., share: ...}}")
            return Rule(kind, direction)
        steps: list[Step] = []
        for index, step in enumerate(raw):
            where = f"rule.steps[{index}]"
            if not isinstance(step, dict):
                check.fail(where, "must be a mapping")
                continue
            bound, share = step.get(bound_key), step.get("share")
            if isinstance(bound, bool) or not isinstance(bound, int | float):
                check.fail(f"{where}.{bound_key}", f"is required (a number) for direction {direction}")
                continue
            if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
                check.fail(f"{where}.share", f"must be a number from 0 to 1, not {share!r}")
                continue
            steps.append(Step(float(bound), float(share)))
        # The first step reached wins, so the best step must come first.
        ordered = sorted(steps, key=lambda s: s.bound, reverse=direction == "higher")
        if steps and ordered != steps:
            check.fail("rule.steps", "must be ordered from the best step to the worst")
        return Rule(kind, direction, steps=tuple(steps))
    if kind == "deduction":
        per_finding = number("per_finding", positive=True)
        max_deduction = number("max_deduction", required=False, positive=True)
        if max_deduction is not None and points and max_deduction > points:
            check.fail("rule.max_deduction", f"must not exceed the indicator's points ({points:g})")
        return Rule(kind, direction, per_finding=per_finding, max_deduction=max_deduction)
    return Rule(kind, direction)


def _applies_to(check: _Checker, data: Any) -> AppliesTo:
    if data is None or data == {}:
        return AppliesTo()
    if not isinstance(data, dict):
        check.fail("applies_to", "must be a mapping")
        return AppliesTo()
    known = {"has_elevators", "project_types", "districts", "min_households"}
    for key in data:
        if key not in known:
            check.fail(f"applies_to.{key}", f"is not a known filter ({', '.join(sorted(known))})")
    has_elevators = data.get("has_elevators")
    if has_elevators is not None and not isinstance(has_elevators, bool):
        check.fail("applies_to.has_elevators", "must be true or false")
        has_elevators = None
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("project_types", "districts"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            check.fail(f"applies_to.{key}", "must be a list of codes")
            value = []
        lists[key] = tuple(value)
    min_households = data.get("min_households")
    if min_households is not None and (isinstance(min_households, bool) or not isinstance(min_households, int)):
        check.fail("applies_to.min_households", "must be a whole number")
        min_households = None
    return AppliesTo(has_elevators, lists["project_types"], lists["districts"], min_households)


def _indicator(
    check: _Checker, data: Any, index: int, codes: dict[str, set[str]], catalogue_no_data: str
) -> Indicator | None:
    check.indicator = None
    if not isinstance(data, dict):
        check.fail(f"indicators[{index}]", "must be a mapping")
        return None
    raw_id = data.get("id")
    if not isinstance(raw_id, str) or not INDICATOR_ID_PATTERN.match(raw_id):
        check.indicator = f"#{index + 1}"
        check.fail("id", f"is required: letters, digits, '-', '.', '*' (up to 32), not {raw_id!r}")
        raw_id = f"#{index + 1}"
    check.indicator = raw_id
    title = check.title(data, "title")
    requirement = check.title(data, "requirement", required=False)
    section = check.choice(data, "section", sorted(codes["sections"]))
    dimensions = data.get("dimensions")
    if isinstance(dimensions, str):
        dimensions = [dimensions]
    if not isinstance(dimensions, list) or not dimensions:
        check.fail("dimensions", "must be a non-empty list of dimension codes")
        dimensions = []
    for dimension in dimensions:
        if dimension not in codes["dimensions"]:
            check.fail("dimensions", f"{dimension!r} is not one of {', '.join(sorted(codes['dimensions']))}")
    category = check.choice(data, "category", sorted(codes["categories"]))
    source = check.text(data, "source")
    certainty = check.choice(data, "certainty", CERTAINTIES)
    kind = check.choice(data, "kind", KINDS)
    points = check.number(data, "points", minimum=0)
    if points is not None and points == 0 and kind != "veto":
        check.fail("points", "must be greater than 0 (only a veto item may have 0)")
    points = points or 0.0
    metric = data.get("metric")
    if metric is not None and (not isinstance(metric, str) or not METRIC_PATTERN.match(metric)):
        check.fail("metric", f"must be a metric name like workorders.reopen_rate, not {metric!r}")
        metric = None
    if kind in ("metric", "survey") and not metric:
        check.fail("metric", f"is required for a {kind} indicator")
    if kind == "evidence" and metric:
        check.fail("metric", "must be left out for an evidence indicator (a person checks the evidence)")
        metric = None
    provided_by = data.get("provided_by")
    if provided_by is None:
        provided_by = metric.split(".", 1)[0] if metric else "standard"
    elif not isinstance(provided_by, str) or not provided_by:
        check.fail("provided_by", "must be an app name")
        provided_by = "standard"
    if metric and provided_by != metric.split(".", 1)[0]:
        check.fail("provided_by", f"must be the metric's app {metric.split('.', 1)[0]!r}, not {provided_by!r}")
    rule = _rule(check, data.get("rule"), points)
    if not metric and rule.type not in ("verified", "deduction"):
        check.fail("rule.type", f"a {rule.type} rule needs a metric; evidence takes verified or deduction")
    if metric and rule.type == "verified" and kind != "veto":
        # A yes/no metric (0 or 1) read with `verified` is allowed; say so in the docs rather than here.
        pass
    period = check.choice(data, "period", PERIOD_KINDS, default="quarter")
    no_data = check.choice(data, "no_data", NO_DATA_POLICIES, default=catalogue_no_data)
    notes = data.get("notes") or ""
    if not isinstance(notes, str):
        check.fail("notes", "must be text")
        notes = ""
    applies_to = _applies_to(check, data.get("applies_to"))
    return Indicator(
        id=raw_id,
        title=title,
        requirement=requirement,
        section=section,
        dimensions=tuple(str(d) for d in dimensions),
        category=category,
        source=source,
        certainty=certainty,
        points=points,
        kind=kind,
        metric=metric,
        provided_by=provided_by,
        rule=rule,
        applies_to=applies_to,
        period=period,
        no_data=no_data,
        notes=notes,
    )


def parse_catalogue(data: Any, *, file: str, content_hash: str = "") -> Catalogue:
    """Validate the parsed YAML of a catalogue; :class:`CatalogueError` lists every problem."""
    check = _Checker(file)
    if not isinstance(data, dict):
        check.fail("(file)", "must be a YAML mapping with code, version, sections and indicators")
        raise CatalogueError(check.problems)
    code = check.text(data, "code")
    if code and not CODE_PATTERN.match(code):
        check.fail("code", f"must be lower-case letters, digits and hyphens, not {code!r}")
    version = check.text(data, "version")
    title = check.title(data, "title")
    effective_from = check.date(data, "effective_from")
    effective_to = check.date(data, "effective_to", required=False)
    if effective_from and effective_to and effective_to <= effective_from:
        check.fail("effective_to", f"must be after effective_from ({effective_from})")
    source = check.text(data, "source", required=False)
    total_points = check.number(data, "total_points", required=False, positive=True) or 100.0
    sections = _groups(check, data, "sections", with_points=True)
    dimensions = _groups(check, data, "dimensions")
    categories = _groups(check, data, "categories")
    grades: list[tuple[int, float]] = []
    raw_grades = data.get("grades")
    if not isinstance(raw_grades, list) or not raw_grades:
        check.fail("grades", "must be a non-empty list of {stars, min_score}")
    else:
        for index, grade in enumerate(raw_grades):
            if not isinstance(grade, dict):
                check.fail(f"grades[{index}]", "must be a mapping")
                continue
            stars, min_score = grade.get("stars"), grade.get("min_score")
            if isinstance(stars, bool) or not isinstance(stars, int) or not 0 <= stars <= 5:
                check.fail(f"grades[{index}].stars", f"must be a whole number from 0 to 5, not {stars!r}")
                continue
            if isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0 <= min_score <= 100:
                check.fail(f"grades[{index}].min_score", f"must be a number from 0 to 100, not {min_score!r}")
                continue
            grades.append((stars, float(min_score)))
    veto_cap = data.get("veto_caps_stars_at", 1)
    if isinstance(veto_cap, bool) or not isinstance(veto_cap, int) or not 0 <= veto_cap <= 5:
        check.fail("veto_caps_stars_at", f"must be a whole number from 0 to 5, not {veto_cap!r}")
        veto_cap = 1
    no_data = check.choice(data, "no_data", NO_DATA_POLICIES, default="exclude")
    codes = {
        "sections": {group.code for group in sections},
        "dimensions": {group.code for group in dimensions},
        "categories": {group.code for group in categories},
    }
    raw_indicators = data.get("indicators")
    indicators: list[Indicator] = []
    if not isinstance(raw_indicators, list) or not raw_indicators:
        check.fail("indicators", "must be a non-empty list")
    else:
        seen: set[str] = set()
        for index, raw in enumerate(raw_indicators):
            indicator = _indicator(check, raw, index, codes, no_data or "exclude")
            if indicator is None:
                continue
            if indicator.id in seen:
                check.fail("id", "appears more than once in the catalogue")
            seen.add(indicator.id)
            indicators.append(indicator)
        check.indicator = None
    if check.problems:
        raise CatalogueError(check.problems)
    known = {
        "code", "version", "title", "effective_from", "effective_to", "source", "total_points", "sections",
        "dimensions", "categories", "grades", "veto_caps_stars_at", "no_data", "indicators",
    }  # fmt: skip
    assert effective_from is not None
    return Catalogue(
        code=code,
        version=version,
        title=title,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
        total_points=total_points,
        sections=sections,
        dimensions=dimensions,
        categories=categories,
        grades=tuple(grades),
        veto_caps_stars_at=veto_cap,
        no_data=no_data or "exclude",
        indicators=tuple(indicators),
        path=file,
        content_hash=content_hash,
        extra={key: value for key, value in data.items() if key not in known},
    )


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate one catalogue file; :class:`CatalogueError` when it cannot be used."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CatalogueError([CatalogueProblem(name, None, "(file)", f"cannot be read: {error.strerror}")]) from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise CatalogueError([CatalogueProblem(name, None, "(file)", f"is not valid YAML{where}: {problem}")]) from None
    return parse_catalogue(data, file=name, content_hash=hashlib.sha256(raw).hexdigest())
