"""The annual project-manager evaluation: per manager per year, the scorecards of the projects they ran
(weighted by the days they ran each), residents' satisfaction, complaints and an assessment score entered by the
company or a regulator, combined by a formula whose weights are data stored on the run; then ranks within the
company and within the district."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import audit, metrics
from haofuwu.core.errors import PermissionDenied, ValidationFailed
from haofuwu.estates import selectors as estates
from haofuwu.standard import permissions
from haofuwu.standard.models import ManagerAssessment, ManagerEvaluation, ManagerEvaluationRun, Scorecard
from haofuwu.standard.periods import ZONE

# The formula as data: each component is scored 0–100 and weighted; a component without data is left out and the
# other weights are scaled up (shown as "no data", never as zero). `complaints_zero_at` is the number of complaints
# per 100 households that scores 0 (linear from 100 at none).
DEFAULT_WEIGHTS: dict[str, float] = {
    "scorecard": 0.5,
    "satisfaction": 0.2,
    "complaints": 0.1,
    "assessment": 0.2,
    "complaints_zero_at": 10.0,
}
COMPONENTS = ("scorecard", "satisfaction", "complaints", "assessment")
SATISFACTION_METRIC = "feedback.satisfaction_rate"
COMPLAINTS_METRIC = "workorders.complaints_per_100_households"

NOT_ALLOWED = _("Only the manager's company or a regulator of their district may enter an assessment.")
BAD_WEIGHT = _("Weights must be numbers from 0 to 100 and at least one component must weigh more than 0.")
BAD_SCORE = _("An assessment score is a number from 0 to 100.")


def validate_weights(weights: dict[str, Any] | None) -> dict[str, float]:
    """The defaults overridden by ``weights``; unknown keys or bad numbers are a 422 on ``weights``."""
    merged = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        if key not in DEFAULT_WEIGHTS or isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationFailed({"weights": [str(BAD_WEIGHT)]})
        if not 0 <= value <= 100:
            raise ValidationFailed({"weights": [str(BAD_WEIGHT)]})
        merged[key] = float(value)
    if not any(merged[key] > 0 for key in COMPONENTS) or merged["complaints_zero_at"] <= 0:
        raise ValidationFailed({"weights": [str(BAD_WEIGHT)]})
    return merged


def combine(components: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """The weighted mean of the components that have data (pure)."""
    present = {key: value for key, value in components.items() if value is not None and weights.get(key, 0) > 0}
    total_weight = sum(weights[key] for key in present)
    if not total_weight:
        return None
    return round(sum(weights[key] * value for key, value in present.items()) / total_weight, 2)


def complaints_score(per_100: float | None, zero_at: float) -> float | None:
    if per_100 is None:
        return None
    return round(max(0.0, 100.0 * (1 - per_100 / zero_at)), 2)


def _days(start: dt.date, end: dt.date, tenure: estates.ManagerTenure) -> int:
    first = max(start, tenure.started_on)
    last = min(end, tenure.ended_on or end)
    return max(0, (last - first).days)


def _weighted(values: dict[int, float | None], days: dict[int, int]) -> float | None:
    pairs: list[tuple[float, int]] = []
    for pk, weight in days.items():
        value = values.get(pk)
        if value is not None and weight > 0:
            pairs.append((float(value), weight))
    total = sum(weight for _value, weight in pairs)
    if not total:
        return None
    return sum(value * weight for value, weight in pairs) / total


def _project_scores(project_ids: list[int], year: int) -> dict[int, float | None]:
    """The year's scorecard of each project, else the mean of its quarters' scorecards (one query)."""
    periods = [str(year)] + [f"{year}Q{quarter}" for quarter in range(1, 5)]
    rows: Any = Scorecard.objects.filter(
        project_id__in=project_ids, period__in=periods, superseded_at__isnull=True, score__isnull=False
    ).values_list("project_id", "period", "score")
    yearly: dict[int, float] = {}
    quarterly: dict[int, list[float]] = defaultdict(list)
    for project_id, period, score in rows:
        if period == str(year):
            yearly[project_id] = score
        else:
            quarterly[project_id].append(score)
    found: dict[int, float | None] = {}
    for project_id in project_ids:
        if project_id in yearly:
            found[project_id] = yearly[project_id]
        elif quarterly.get(project_id):
            found[project_id] = sum(quarterly[project_id]) / len(quarterly[project_id])
    return found


def _metric(
    name: str, project_ids: list[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[int, float | None]:
    metric = metrics.get(name)
    if metric is None or not project_ids:
        return {}
    return {
        pk: value.value for pk, value in metric.compute(project_ids=project_ids, start=start, end=end, now=now).items()
    }


def _rank(evaluations: list[ManagerEvaluation], key: str, attribute: str) -> None:
    groups: dict[Any, list[ManagerEvaluation]] = defaultdict(list)
    for evaluation in evaluations:
        if evaluation.total is not None:
            groups[getattr(evaluation, key)].append(evaluation)
    for members in groups.values():
        members.sort(key=lambda e: -(e.total or 0))
        rank, previous = 0, None
        for index, evaluation in enumerate(members, start=1):
            if evaluation.total != previous:
                rank, previous = index, evaluation.total
            setattr(evaluation, attribute, rank)


@transaction.atomic
def manager_evaluation_run(
    *, year: int, weights: dict[str, Any] | None = None, actor: Any = None, now: dt.datetime | None = None
) -> ManagerEvaluationRun:
    """Evaluate every project manager who ran a project in ``year``; a new run each time (runs are kept)."""
    now = now or timezone.now()
    formula = validate_weights(weights)
    start_day, end_day = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    start = dt.datetime(year, 1, 1, tzinfo=ZONE)
    end = min(dt.datetime(year + 1, 1, 1, tzinfo=ZONE), max(now, start))
    tenures = estates.manager_tenures(start_day, end_day)
    run = ManagerEvaluationRun.objects.create(
        year=year,
        weights=formula,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )
    project_ids = sorted({tenure.project_id for tenure in tenures})
    scores = _project_scores(project_ids, year)
    satisfaction = _metric(SATISFACTION_METRIC, project_ids, start, end, now)
    complaints = _metric(COMPLAINTS_METRIC, project_ids, start, end, now)
    assessments = dict(
        ManagerAssessment.objects.filter(year=year, staff_id__in={t.staff_id for t in tenures}).values_list(
            "staff_id", "score"
        )
    )
    by_staff: dict[int, list[estates.ManagerTenure]] = defaultdict(list)
    for tenure in tenures:
        by_staff[tenure.staff_id].append(tenure)
    evaluations = []
    for staff_id, staff_tenures in by_staff.items():
        days: dict[int, int] = defaultdict(int)
        districts: dict[str, int] = defaultdict(int)
        for tenure in staff_tenures:
            span = _days(start_day, end_day, tenure)
            days[tenure.project_id] += span
            districts[tenure.district] += span
        satisfaction_rate = _weighted(satisfaction, days)
        components = {
            "scorecard": _weighted(scores, days),
            "satisfaction": None if satisfaction_rate is None else round(100 * satisfaction_rate, 2),
            "complaints": complaints_score(_weighted(complaints, days), formula["complaints_zero_at"]),
            "assessment": assessments.get(staff_id),
        }
        first = staff_tenures[0]
        evaluations.append(
            ManagerEvaluation(
                run=run,
                staff_id=staff_id,
                staff_name=first.staff_name,
                company_id=first.company_id,
                district=max(districts, key=lambda code: districts[code]) if districts else "",
                project_score=None if components["scorecard"] is None else round(components["scorecard"], 2),
                satisfaction=components["satisfaction"],
                complaints_per_100=_weighted(complaints, days),
                assessment=components["assessment"],
                total=combine(components, formula),
                details={
                    "projects": [
                        {
                            "project_id": pk,
                            "days": span,
                            "score": scores.get(pk),
                            "satisfaction": satisfaction.get(pk),
                            "complaints_per_100": complaints.get(pk),
                        }
                        for pk, span in sorted(days.items())
                    ],
                    "components": components,
                    "user_id": first.user_id,
                },
            )
        )
    _rank(evaluations, "company_id", "rank_in_company")
    _rank(evaluations, "district", "rank_in_district")
    ManagerEvaluation.objects.bulk_create(evaluations)
    if run.created_by_id:
        audit.record(actor, "standard.managers.evaluate", run, {"year": year, "managers": len(evaluations)})
    return run


@transaction.atomic
def manager_assessment_set(
    *, actor: Any, staff_id: int, year: int, score: float, note: str = "", now: dt.datetime | None = None
) -> ManagerAssessment:
    """The company or a regulator of the manager's district sets the assessment score of a manager for a year."""
    scope = scope_for_user(actor)
    staff = estates.staff_get_for_user(scope, staff_id)
    tenures = [
        t for t in estates.manager_tenures(dt.date(year, 1, 1), dt.date(year + 1, 1, 1)) if t.staff_id == staff.pk
    ]
    if not permissions.can_assess_manager(scope, staff.company_id, {t.district for t in tenures}):
        raise PermissionDenied(NOT_ALLOWED)
    if isinstance(score, bool) or not 0 <= float(score) <= 100:
        raise ValidationFailed({"score": [str(BAD_SCORE)]})
    assessment, _created = ManagerAssessment.objects.update_or_create(
        staff_id=staff.pk,
        year=year,
        defaults={"score": float(score), "note": note, "entered_by": actor, "entered_at": now or timezone.now()},
    )
    audit.record(actor, "standard.managers.assess", assessment, {"year": year, "score": float(score)})
    return assessment
