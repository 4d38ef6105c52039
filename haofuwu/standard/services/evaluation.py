"""Evaluate many projects for one period under one catalogue version and store immutable scorecards.

The shape of the work is fixed however many projects there are: the facts of all projects in two queries, each
metric the catalogue reads called once for every project it applies to (through the metric registry, never a
domain model; metrics read for the same projects and window go through ``metrics.compute_many`` so that an app
can share queries among them), the evidence and the sampling-inspection findings in one query each, scoring in
Python, and the scorecards and their indicator rows written with ``COPY`` on PostgreSQL (``bulk_create`` and an
``INSERT`` run otherwise). See docs/standard.md, "Speed (B8)".
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit, metrics
from haofuwu.core.errors import PermissionDenied, ValidationFailed
from haofuwu.core.metrics import MetricValue
from haofuwu.estates import selectors as estates
from haofuwu.standard import permissions, scoring
from haofuwu.standard.catalogue import Catalogue, CatalogueNotFound, Indicator, catalogue_for
from haofuwu.standard.choices import EvidenceStatus, RectificationStatus
from haofuwu.standard.models import Evidence, Finding, IndicatorResult, Rectification, Scorecard
from haofuwu.standard.periods import Period, PeriodError, parse_period
from haofuwu.standard.scoring import Outcome, Status, Verdict

BATCH_SIZE = 2000
EVIDENCE_RECORD_TYPE = "standard.evidence"
FINDING_RECORD_TYPE = "standard.finding"
# Days a company has to fix a failing indicator unless settings say otherwise.
DEFAULT_RECTIFICATION_DAYS = 30

NOT_ALLOWED_TO_EVALUATE = _("Only the company, the project's managers or a regulator of its district may evaluate it.")
BAD_PERIOD = _("Give a period like 2026, 2026Q3 or 2026-09.")
NO_CATALOGUE = _("No catalogue of this code is in force for the period.")


@dataclass(slots=True)
class _Row:
    """One indicator's result for one project before it is stored."""

    indicator: Indicator
    outcome: Outcome
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    earned: float = 0.0
    possible: float = 0.0
    record_type: str = ""
    record_ids: Sequence[int] = field(default_factory=list)
    notes: Sequence[str] = ()
    vetoed: bool = False


@dataclass
class _Inputs:
    """Everything an evaluation read, per project: metric values, evidence verdicts and findings."""

    metric_values: dict[tuple[str, dt.datetime], dict[int, MetricValue]]
    evidence: dict[tuple[int, str], list[tuple[int, str, dt.datetime]]]
    findings: dict[tuple[int, str], list[tuple[int, dt.datetime, float | None, str]]]


def _applicable(catalogue: Catalogue, facts: dict[int, estates.ProjectFacts]) -> dict[str, list[int]]:
    return {
        indicator.id: [pk for pk, fact in facts.items() if indicator.applies_to.matches(fact)]
        for indicator in catalogue.indicators
    }


def _read_inputs(
    catalogue: Catalogue,
    period: Period,
    applicable: dict[str, list[int]],
    project_ids: list[int],
    now: dt.datetime,
) -> _Inputs:
    """Call each metric once per measurement window for every project it applies to; read evidence and findings
    of all projects in one query each."""
    wanted: dict[tuple[str, dt.datetime], set[int]] = defaultdict(set)
    for indicator in catalogue.indicators:
        if indicator.metric:
            start, _end = period.window(indicator.period)
            wanted[(indicator.metric, start)].update(applicable[indicator.id])
    values: dict[tuple[str, dt.datetime], dict[int, MetricValue]] = {}
    # Metrics read for the same projects and window are computed together, so that an app's batch function
    # (metrics.register_batch) can share one query among them.
    together: dict[tuple[dt.datetime, tuple[int, ...]], list[str]] = defaultdict(list)
    for (name, start), ids in sorted(wanted.items()):
        values[(name, start)] = {}
        if ids and metrics.get(name) is not None:
            together[(start, tuple(sorted(ids)))].append(name)
    for (start, ids_key), names in together.items():
        found = metrics.compute_many(names, project_ids=ids_key, start=start, end=period.end, now=now)
        for name in names:
            values[(name, start)] = found[name]
    earliest = min((period.window(indicator.period)[0] for indicator in catalogue.indicators), default=period.start)
    evidence: dict[tuple[int, str], list[tuple[int, str, dt.datetime]]] = defaultdict(list)
    findings: dict[tuple[int, str], list[tuple[int, dt.datetime, float | None, str]]] = defaultdict(list)
    if project_ids:
        rows = (
            Evidence.objects.filter(
                metrics.projects_in("project_id", project_ids),
                catalogue_code=catalogue.code,
                uploaded_at__gte=earliest,
                uploaded_at__lt=period.end,
            )
            .order_by("pk")
            .values_list("project_id", "indicator_id", "pk", "status", "uploaded_at")
        )
        for project_id, indicator_id, pk, status, uploaded_at in rows:
            evidence[(project_id, indicator_id)].append((pk, status, uploaded_at))
        finding_rows = (
            Finding.objects.filter(
                metrics.projects_in("project_id", project_ids),
                catalogue_code=catalogue.code,
                found_at__gte=earliest,
                found_at__lt=period.end,
            )
            .order_by("pk")
            .values_list("project_id", "indicator_id", "pk", "found_at", "deduction", "reason")
        )
        for project_id, indicator_id, pk, found_at, deduction, reason in finding_rows:
            findings[(project_id, indicator_id)].append((pk, found_at, deduction, reason))
    return _Inputs(values, evidence, findings)


def _verdict(items: Sequence[tuple[int, str, dt.datetime]]) -> Verdict:
    statuses = {status for _pk, status, _at in items}
    if EvidenceStatus.VERIFIED in statuses:
        return Verdict.VERIFIED
    if EvidenceStatus.PENDING in statuses:
        return Verdict.PENDING
    if EvidenceStatus.REJECTED in statuses:
        return Verdict.REJECTED
    return Verdict.MISSING


_NO_DATA_CACHE: dict[tuple[str, bool], Outcome] = {}


def _no_data(indicator: Indicator) -> Outcome:
    registered = indicator.metric is None or metrics.get(indicator.metric) is not None
    key = (indicator.provided_by, registered)
    outcome = _NO_DATA_CACHE.get(key)
    if outcome is None:
        reason = "" if registered else " (module not installed yet)"
        outcome = _NO_DATA_CACHE[key] = Outcome(
            None, Status.NO_DATA, f"no data, provided by {indicator.provided_by}{reason}"
        )
    return outcome


@functools.lru_cache(maxsize=100_000)
def _score_cached(rule: scoring.Rule, value: float, points: float) -> Outcome:
    # Many projects share a value (0, 1, a whole number of findings): score each distinct one once.
    return scoring.score_value(rule, value, points=points)


NOT_APPLICABLE = Outcome(None, Status.NOT_APPLICABLE, "does not apply to this project")
_EMPTY: tuple = ()


def score_indicator(
    indicator: Indicator,
    project_id: int,
    period: Period,
    inputs: _Inputs,
    *,
    is_applicable: bool,
    start: dt.datetime | None = None,
) -> _Row:
    """One indicator of one project from the inputs already read (no queries)."""
    if not is_applicable:
        return _Row(indicator, NOT_APPLICABLE)
    if start is None:
        start = period.window(indicator.period)[0]
    key = (project_id, indicator.id)
    found = inputs.findings.get(key)
    in_window = [f for f in found if start <= f[1] < period.end] if found else _EMPTY
    row = _Row(indicator, NO_DATA_OUTCOME)
    rule = indicator.rule
    if indicator.metric:
        value = inputs.metric_values.get((indicator.metric, start), {}).get(project_id, metrics.NO_DATA)
        metric = metrics.get(indicator.metric)
        row.value, row.numerator, row.denominator = value.value, value.numerator, value.denominator
        row.record_type = metric.record_type if metric else ""
        row.record_ids = value.record_ids
        outcome = _no_data(indicator) if value.value is None else _score_cached(rule, value.value, indicator.points)
    elif rule.type == "deduction":
        row.value = float(len(in_window))
        row.record_type, row.record_ids = FINDING_RECORD_TYPE, [f[0] for f in in_window]
        outcome = scoring.score_findings(rule, len(in_window), points=indicator.points or 1.0)
    else:
        uploaded = inputs.evidence.get(key)
        evidence = [e for e in uploaded if start <= e[2] < period.end] if uploaded else _EMPTY
        verdict = _verdict(evidence) if evidence else Verdict.MISSING
        row.record_type, row.record_ids = EVIDENCE_RECORD_TYPE, [e[0] for e in evidence]
        if indicator.is_veto:
            # A veto on evidence fails only when a finding says it was violated; without any it is no data.
            if in_window:
                outcome = Outcome(0.0, Status.FAIL, f"violation found in {len(in_window)} sampling inspection(s)")
                row.record_type, row.record_ids = FINDING_RECORD_TYPE, [f[0] for f in in_window]
            elif verdict == Verdict.VERIFIED:
                outcome = scoring.score_verdict(rule, verdict)
            else:
                outcome = _no_data(indicator)
        else:
            outcome = _VERDICT_OUTCOMES[verdict]
            row.value = 1.0 if verdict == Verdict.VERIFIED else 0.0
    if indicator.is_veto:
        outcome = scoring.score_veto(outcome)
        row.vetoed = outcome.status == Status.FAIL
        row.outcome = outcome
        return row
    if outcome.share is None:
        row.possible = indicator.points if indicator.no_data == "zero" else 0.0
        row.outcome = outcome
        return row
    row.possible = indicator.points
    row.earned = outcome.share * indicator.points
    # Sampling-inspection findings with a stated deduction take points off any other indicator, with the reason.
    if in_window and rule.type != "deduction":
        notes = []
        for _pk, found_at, deduction, reason in in_window:
            if deduction:
                row.earned = max(0.0, row.earned - deduction)
                notes.append(f"{found_at:%Y-%m-%d} sampling inspection −{deduction:g}: {reason}")
        if notes:
            row.notes = notes
            share = row.earned / indicator.points if indicator.points else 0.0
            outcome = Outcome(
                share, scoring.status_of(share), outcome.explanation + "; less sampling-inspection deductions"
            )
    row.outcome = outcome
    return row


NO_DATA_OUTCOME = Outcome(None, Status.NO_DATA, "")
_VERDICT_OUTCOMES = {verdict: scoring.score_verdict(scoring.Rule("verified"), verdict) for verdict in Verdict}


@dataclass(slots=True)
class _Plan:
    """What one indicator needs to score every project, worked out once per evaluation: the common cases (not
    applicable, a metric value, no evidence or findings at all) take no lookups beyond the project's value; the
    rest go through :func:`score_indicator`."""

    indicator: Indicator
    ids: set[int]
    start: dt.datetime
    values: dict[int, MetricValue]
    record_type: str
    no_data: Outcome
    no_data_possible: float
    special: set[int]
    simple: _Row | None

    @classmethod
    def make(cls, indicator: Indicator, ids: set[int], period: Period, inputs: _Inputs, special: set[int]) -> _Plan:
        start = period.window(indicator.period)[0]
        metric = metrics.get(indicator.metric) if indicator.metric else None
        return cls(
            indicator=indicator,
            ids=ids,
            start=start,
            values=inputs.metric_values.get((indicator.metric, start), {}) if indicator.metric else {},
            record_type=metric.record_type if metric else "",
            no_data=_no_data(indicator),
            no_data_possible=indicator.points if indicator.no_data == "zero" else 0.0,
            # Projects with findings or evidence for this indicator take the full path.
            special=special,
            # Without a metric and without evidence or findings, every applicable project gets the same row.
            simple=score_indicator(indicator, 0, period, _NO_INPUTS, is_applicable=True, start=start)
            if not indicator.metric and not indicator.is_veto
            else None,
        )

    def score(self, project_id: int, period: Period, inputs: _Inputs) -> _Row:
        indicator = self.indicator
        if project_id not in self.ids:
            return _Row(indicator, NOT_APPLICABLE)
        if project_id in self.special or indicator.is_veto:
            return score_indicator(indicator, project_id, period, inputs, is_applicable=True, start=self.start)
        simple = self.simple
        if simple is not None:
            return _Row(
                indicator,
                simple.outcome,
                simple.value,
                None,
                None,
                simple.earned,
                simple.possible,
                simple.record_type,
                [],
            )
        value = self.values.get(project_id, metrics.NO_DATA)
        if value.value is None:
            return _Row(
                indicator, self.no_data, None, value.numerator, value.denominator, 0.0, self.no_data_possible,
                self.record_type, value.record_ids,
            )  # fmt: skip
        outcome = _score_cached(indicator.rule, value.value, indicator.points)
        return _Row(
            indicator, outcome, value.value, value.numerator, value.denominator,
            outcome.share * indicator.points,  # type: ignore[operator]
            indicator.points, self.record_type, value.record_ids,
        )  # fmt: skip


_NO_INPUTS = _Inputs({}, {}, {})


def _projects_with_records(inputs: _Inputs) -> dict[str, set[int]]:
    """For each indicator, the projects that have findings or evidence for it (one pass over both)."""
    found: dict[str, set[int]] = defaultdict(set)
    for project_id, indicator_id in (*inputs.findings, *inputs.evidence):
        found[indicator_id].add(project_id)
    return found


def _group_keys(catalogue: Catalogue) -> dict[str, list[tuple[str, str]]]:
    """For each indicator, the (group, code) totals it counts towards: its section, each dimension, its category."""
    return {
        i.id: [("sections", i.section), *(("dimensions", d) for d in i.dimensions), ("categories", i.category)]
        for i in catalogue.indicators
    }


def _totals(
    catalogue: Catalogue, rows: list[_Row], group_keys: dict[str, list[tuple[str, str]]]
) -> dict[str, dict[str, dict[str, float | None]]]:
    sums: dict[str, dict[str, list[float]]] = {
        "sections": {g.code: [0.0, 0.0] for g in catalogue.sections},
        "dimensions": {g.code: [0.0, 0.0] for g in catalogue.dimensions},
        "categories": {g.code: [0.0, 0.0] for g in catalogue.categories},
    }
    for row in rows:
        if not row.possible and not row.earned:
            continue
        for group, key in group_keys[row.indicator.id]:
            pair = sums[group].setdefault(key, [0.0, 0.0])
            pair[0] += row.earned
            pair[1] += row.possible
    return {
        group: {
            code: {
                "earned": round(earned, 4),
                "possible": round(possible, 4),
                "score": scoring.percent(earned, possible),
            }
            for code, (earned, possible) in codes.items()
        }
        for group, codes in sums.items()
    }


def _inputs_hash(catalogue: Catalogue, period: Period, facts: estates.ProjectFacts, rows: list[_Row]) -> str:
    """A digest of everything the score was computed from: recomputing it later tells whether a past score would
    come out the same."""
    payload = [
        catalogue.code,
        catalogue.version,
        catalogue.content_hash,
        period.code,
        [facts.id, facts.company_id, facts.district, facts.project_type, facts.has_elevators, facts.households],
        [
            [row.indicator.id, row.value, row.numerator, row.denominator, row.outcome.status, row.record_ids, row.notes]
            for row in rows
        ],
    ]
    return hashlib.sha256(json.dumps(payload, default=str).encode()).hexdigest()


@dataclass
class Evaluation:
    """What one project's evaluation computed, before or after it is stored."""

    project_id: int
    rows: list[_Row]
    score: float | None
    stars: int
    vetoed: bool
    earned: float
    possible: float
    totals: dict[str, Any]
    applicable: int
    with_data: int
    inputs_hash: str


def compute(
    *,
    project_ids: Sequence[int],
    period: Period,
    catalogue: Catalogue,
    now: dt.datetime | None = None,
) -> tuple[dict[int, estates.ProjectFacts], list[Evaluation]]:
    """Score every project without writing anything (``explain`` and the hash check use it too)."""
    now = now or timezone.now()
    facts = estates.project_facts(list(project_ids))
    applicable = _applicable(catalogue, facts)
    applicable_sets = {key: set(ids) for key, ids in applicable.items()}
    inputs = _read_inputs(catalogue, period, applicable, list(facts), now)
    evaluations = []
    grades = list(catalogue.grades)
    group_keys = _group_keys(catalogue)
    with_records = _projects_with_records(inputs)
    plans = [
        _Plan.make(indicator, applicable_sets[indicator.id], period, inputs, with_records[indicator.id])
        for indicator in catalogue.indicators
    ]
    for project_id, fact in facts.items():
        rows = [plan.score(project_id, period, inputs) for plan in plans]
        earned = sum(row.earned for row in rows)
        possible = sum(row.possible for row in rows)
        score = scoring.percent(earned, possible)
        vetoed = any(row.vetoed for row in rows)
        applicable_rows = [row for row in rows if row.outcome.status != Status.NOT_APPLICABLE]
        with_data = [row for row in applicable_rows if row.outcome.status != Status.NO_DATA]
        evaluations.append(
            Evaluation(
                project_id=project_id,
                rows=rows,
                score=score,
                stars=scoring.stars_for(score, grades, vetoed=vetoed, veto_cap=catalogue.veto_caps_stars_at),
                vetoed=vetoed,
                earned=round(earned, 4),
                possible=round(possible, 4),
                totals=_totals(catalogue, rows, group_keys),
                applicable=len(applicable_rows),
                with_data=len(with_data),
                inputs_hash=_inputs_hash(catalogue, period, fact, rows),
            )
        )
    return facts, evaluations


RESULT_COLUMNS = (
    "scorecard_id", "indicator_id", "section", "kind", "value", "numerator", "denominator", "share", "points",
    "points_earned", "points_possible", "status", "explanation", "record_type", "record_ids", "notes",
)  # fmt: skip


def _result_rows(scorecards: list[Scorecard], evaluations: list[Evaluation]) -> list[tuple]:
    """Indicator rows as plain tuples in :data:`RESULT_COLUMNS` order (no model instances: there are
    projects × indicators of them)."""
    empty = "[]"
    rows = []
    for scorecard, evaluation in zip(scorecards, evaluations, strict=True):
        scorecard_id = scorecard.pk
        for row in evaluation.rows:
            indicator = row.indicator
            outcome = row.outcome
            rows.append(
                (
                    scorecard_id,
                    indicator.id,
                    indicator.section,
                    indicator.kind,
                    row.value,
                    row.numerator,
                    row.denominator,
                    outcome.share,
                    indicator.points,
                    round(row.earned, 4),
                    round(row.possible, 4),
                    outcome.status.value,
                    outcome.explanation,
                    row.record_type,
                    # What json.dumps writes for a list of ints, without its generic encoder.
                    "[" + ", ".join(map(str, row.record_ids)) + "]" if row.record_ids else empty,
                    "\n".join(row.notes),
                )
            )
    return rows


@transaction.atomic
def scorecards_evaluate(
    *,
    project_ids: Sequence[int] | None,
    period: Period,
    catalogue: Catalogue | None = None,
    actor: Any = None,
    now: dt.datetime | None = None,
    open_rectifications: bool = True,
) -> list[Scorecard]:
    """Evaluate the projects (all when ``project_ids`` is None) for ``period`` and store a new current scorecard
    for each, superseding the previous one. Failing indicators of a finished period open rectification tasks."""
    now = now or timezone.now()
    catalogue = catalogue or catalogue_for(None, period.first_day)
    ids = list(estates.project_facts(None)) if project_ids is None else list(project_ids)
    facts, evaluations = compute(project_ids=ids, period=period, catalogue=catalogue, now=now)
    Scorecard.objects.filter(
        metrics.projects_in("project_id", list(facts)),
        period=period.code,
        catalogue_code=catalogue.code,
        superseded_at__isnull=True,
    ).update(superseded_at=now)
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    scorecards = [
        Scorecard(
            project_id=evaluation.project_id,
            company_id=facts[evaluation.project_id].company_id,
            district=facts[evaluation.project_id].district,
            households=facts[evaluation.project_id].households,
            period=period.code,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            catalogue_code=catalogue.code,
            catalogue_version=catalogue.version,
            catalogue_hash=catalogue.content_hash,
            score=evaluation.score,
            stars=evaluation.stars,
            vetoed=evaluation.vetoed,
            points_earned=evaluation.earned,
            points_possible=evaluation.possible,
            totals=evaluation.totals,
            indicators_applicable=evaluation.applicable,
            indicators_with_data=evaluation.with_data,
            inputs_hash=evaluation.inputs_hash,
            computed_at=now,
            computed_by_id=actor_id,
        )
        for evaluation in evaluations
    ]
    if connection.vendor == "postgresql" and len(scorecards) > COPY_SCORECARDS_ABOVE:
        # COPY, then the ids read back below: bulk_create's parameters for thousands of rows cost more.
        _insert_rows(Scorecard._meta.db_table, SCORECARD_COLUMNS, [_scorecard_row(card) for card in scorecards])
    else:
        Scorecard.objects.bulk_create(scorecards, batch_size=BATCH_SIZE)
    if any(scorecard.pk is None for scorecard in scorecards):
        # Backends that do not return ids from a bulk insert: read them back in one query.
        by_project = dict(
            Scorecard.objects.filter(
                metrics.projects_in("project_id", list(facts)),
                period=period.code,
                catalogue_code=catalogue.code,
                superseded_at__isnull=True,
            ).values_list("project_id", "pk")
        )
        for scorecard in scorecards:
            scorecard.pk = by_project[scorecard.project_id]
    _insert_rows(IndicatorResult._meta.db_table, RESULT_COLUMNS, _result_rows(scorecards, evaluations))
    if open_rectifications and period.end <= now:
        _open_rectifications(scorecards, evaluations, period, catalogue, now)
    if actor_id is not None:
        audit.record(
            actor,
            "standard.evaluate",
            None,
            {"period": period.code, "catalogue": catalogue.key, "projects": len(scorecards)},
        )
    return scorecards


COPY_SCORECARDS_ABOVE = 100
SCORECARD_COLUMNS = (
    "project_id", "company_id", "district", "households", "period", "period_kind", "period_start", "period_end",
    "catalogue_code", "catalogue_version", "catalogue_hash", "score", "stars", "vetoed", "points_earned",
    "points_possible", "totals", "indicators_applicable", "indicators_with_data", "inputs_hash", "computed_at",
    "computed_by_id",
)  # fmt: skip


def _scorecard_row(card: Scorecard) -> tuple:
    """A new scorecard as a plain row in :data:`SCORECARD_COLUMNS` order (superseded_at stays NULL)."""
    return tuple(
        json.dumps(card.totals) if name == "totals" else str(value) if isinstance(value, str) else value
        for name in SCORECARD_COLUMNS
        for value in (getattr(card, name),)
    )


RECTIFICATION_COLUMNS = (
    "project_id", "scorecard_id", "catalogue_code", "indicator_id", "title", "period", "status", "owner_id",
    "opened_at", "deadline", "response_note", "review_reason",
)  # fmt: skip


def _insert_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """Write many rows of our own table: PostgreSQL's COPY (several times faster than INSERT for hundreds of
    thousands of rows), else one prepared INSERT run for every row. Plain SQL both ways; names are ours."""
    if not rows:
        return
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            adapt = connection.ops.adapt_datetimefield_value
            if any(isinstance(value, dt.datetime) for value in rows[0]):
                # SQLite stores datetimes as text in UTC; let Django's backend write them as the ORM does.
                rows = [tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row) for row in rows]
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)


def _open_rectifications(
    scorecards: list[Scorecard], evaluations: list[Evaluation], period: Period, catalogue: Catalogue, now: dt.datetime
) -> None:
    """One open task per project, indicator and period: a task still open is left as it is, so evaluating again
    never duplicates one (the partial unique constraint guards against two evaluations racing)."""
    failing = [
        (scorecard, row)
        for scorecard, evaluation in zip(scorecards, evaluations, strict=True)
        for row in evaluation.rows
        if row.outcome.status == Status.FAIL
    ]
    if not failing:
        return
    project_ids = sorted({scorecard.project_id for scorecard, _row in failing})
    existing = set(
        Rectification.objects.filter(
            metrics.projects_in("project_id", project_ids),
            catalogue_code=catalogue.code,
            period=period.code,
            status__in=[RectificationStatus.OPEN, RectificationStatus.RESPONDED],
        ).values_list("project_id", "indicator_id")
    )
    owners = estates.project_manager_user_ids(project_ids)
    days = getattr(settings, "STANDARD_RECTIFICATION_DAYS", DEFAULT_RECTIFICATION_DAYS)
    deadline = now + dt.timedelta(days=days)
    rows = [
        (
            scorecard.project_id,
            scorecard.pk,
            catalogue.code,
            row.indicator.id,
            row.indicator.title.zh[:200],
            period.code,
            RectificationStatus.OPEN.value,
            owners.get(scorecard.project_id),
            now,
            deadline,
            "",
            "",
        )
        for scorecard, row in failing
        if (scorecard.project_id, row.indicator.id) not in existing
    ]
    try:
        with transaction.atomic():
            _insert_rows(Rectification._meta.db_table, RECTIFICATION_COLUMNS, rows)
    except IntegrityError:
        # Another evaluation of the same projects opened some of them meanwhile: insert what is still missing.
        Rectification.objects.bulk_create(
            [Rectification(**dict(zip(RECTIFICATION_COLUMNS, row, strict=True))) for row in rows],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )


def scorecard_evaluate_for_user(*, actor: Any, project_id: int, period: str, catalogue_code: str = "") -> Scorecard:
    """Evaluate one project now, on behalf of its company, its managers or a regulator of its district."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    if not (
        permissions.can_act_for_project(scope, project.pk, project.company_id)
        or permissions.is_regulator_of(scope, project.district)
    ):
        raise PermissionDenied(NOT_ALLOWED_TO_EVALUATE)
    try:
        parsed = parse_period(period)
    except PeriodError:
        raise ValidationFailed({"period": [str(BAD_PERIOD)]}) from None
    try:
        catalogue = catalogue_for(catalogue_code or None, parsed.first_day)
    except CatalogueNotFound:
        raise ValidationFailed({"catalogue": [str(NO_CATALOGUE)]}) from None
    (scorecard,) = scorecards_evaluate(project_ids=[project.pk], period=parsed, catalogue=catalogue, actor=actor)
    return scorecard


def current_scorecard(*, project_id: int, period: str, catalogue_code: str) -> Scorecard | None:
    """The current stored scorecard of a project, period and catalogue (no scoping: for the command line)."""
    return Scorecard.objects.filter(
        project_id=project_id, period=period, catalogue_code=catalogue_code, superseded_at__isnull=True
    ).first()
