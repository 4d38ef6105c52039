"""Read side of the standard app. Every function takes the acting user's scope and stays inside it: a district
regulator sees their district, a company its projects, a manager their projects, a resident only the published
score of their own project."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.core.scoping import Scope
from haofuwu.standard import permissions
from haofuwu.standard.catalogue import Catalogue, catalogue_by_key
from haofuwu.standard.choices import ResultStatus
from haofuwu.standard.models import (
    Evidence,
    Finding,
    IndicatorResult,
    ManagerEvaluation,
    ManagerEvaluationRun,
    Rectification,
    Scorecard,
)

STATUS_ORDER: dict[str, int] = {
    ResultStatus.FAIL: 0,
    ResultStatus.PARTIAL: 1,
    ResultStatus.NO_DATA: 2,
    ResultStatus.PASS: 3,
    ResultStatus.NOT_APPLICABLE: 4,
}


def _staff_side(queryset: QuerySet, scope: Scope, path: str = "project") -> QuerySet:
    """Rows of the projects the scope works on or oversees; never a resident's household link."""
    if not permissions.sees_staff_side(scope):
        return queryset.none()
    return queryset.filter(scope.project_q(path, include_households=False))


def scorecard_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    company_id: int | None = None,
    district: str = "",
    period: str = "",
    catalogue_code: str = "",
    current_only: bool = True,
) -> QuerySet[Scorecard]:
    """Scorecards the scope may read, newest first; a resident sees only published ones of their project."""
    if scope.is_resident_only:
        queryset = Scorecard.objects.filter(
            project_id__in=scope.household_project_ids, superseded_at__isnull=True, period_end__lte=F("computed_at")
        )
    else:
        queryset = Scorecard.objects.visible_to(scope)
    queryset = queryset.select_related("project", "company")
    if current_only:
        queryset = queryset.filter(superseded_at__isnull=True)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if company_id:
        queryset = queryset.filter(company_id=company_id)
    if district:
        queryset = queryset.filter(district=district)
    if period:
        queryset = queryset.filter(period=period)
    if catalogue_code:
        queryset = queryset.filter(catalogue_code=catalogue_code)
    return queryset.order_by("-period_start", "-computed_at", "-id")


def scorecard_get_for_user(scope: Scope, scorecard_id: int) -> Scorecard:
    """One scorecard in the scope (current or superseded), or ``NotFound``."""
    found = scorecard_list_for_user(scope, current_only=False).filter(pk=scorecard_id).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def catalogue_of(code: str, version: str | None = None) -> Catalogue | None:
    """The catalogue version a scorecard was computed under, or the newest of its code when that one is gone."""
    return catalogue_by_key(code, version) or catalogue_by_key(code)


def _describe(scorecard: Scorecard, results: list[IndicatorResult]) -> list[Any]:
    """Attach the catalogue's description of each indicator (title, category, dimensions, certainty, metric,
    provider, rule and the indicator itself) from the version the scorecard was computed under."""
    catalogue = catalogue_of(scorecard.catalogue_code, scorecard.catalogue_version)
    for result in results:
        indicator = catalogue.indicator(result.indicator_id) if catalogue else None
        described: Any = result
        described.indicator = indicator
        described.title = indicator.title.zh if indicator else result.indicator_id
        described.title_en = indicator.title.en if indicator else result.indicator_id
        described.category = indicator.category if indicator else ""
        described.dimensions = list(indicator.dimensions) if indicator else []
        described.certainty = indicator.certainty if indicator else ""
        described.metric = (indicator.metric or "") if indicator else ""
        described.provided_by = indicator.provided_by if indicator else ""
        described.rule = indicator.rule.as_dict() if indicator else {}
    return results


def scorecard_results(scorecard: Scorecard) -> list[Any]:
    """The indicator rows of a scorecard, failing items first, then by section and id, described from the
    catalogue version the scorecard names."""
    results = list(scorecard.results.all())
    results.sort(key=lambda r: (STATUS_ORDER.get(r.status, 9), r.section, r.indicator_id))
    return _describe(scorecard, results)


def scorecard_result_get(scorecard: Scorecard, indicator_id: str) -> Any:
    found = scorecard.results.filter(indicator_id=indicator_id).first()
    if found is None:
        raise NotFound(NOT_FOUND, field="indicator_id")
    return _describe(scorecard, [found])[0]


def evidence_by_ids(ids: list[int]) -> dict[int, Evidence]:
    """Evidence rows named by indicator results (already inside a scorecard the caller may read)."""
    return {evidence.pk: evidence for evidence in Evidence.objects.filter(pk__in=ids)}


def findings_by_ids(ids: list[int]) -> dict[int, Finding]:
    return {finding.pk: finding for finding in Finding.objects.filter(pk__in=ids)}


def current_scorecard(scope: Scope, project_id: int, *, period: str = "", catalogue_code: str = "") -> Scorecard | None:
    """The project's newest current scorecard (of a period when given)."""
    return scorecard_list_for_user(scope, project_id=project_id, period=period, catalogue_code=catalogue_code).first()


def periods_for_user(scope: Scope) -> list[str]:
    """Periods that have scorecards the scope may read, newest first."""
    rows = scorecard_list_for_user(scope).order_by().values_list("period", "period_start").distinct()
    return [period for period, _start in sorted(set(rows), key=lambda row: row[1], reverse=True)]


@dataclass(frozen=True)
class CompanyRollup:
    """A company's score for a period: the household-weighted mean of its projects' current scorecards."""

    company_id: int
    company_name: str
    projects: int
    households: int
    score: float | None
    vetoed_projects: int


def company_rollups(scope: Scope, *, period: str, catalogue_code: str = "", district: str = "") -> list[CompanyRollup]:
    """Company roll-ups from the scorecards the scope may read, best first (one query)."""
    rows = (
        scorecard_list_for_user(scope, period=period, catalogue_code=catalogue_code, district=district)
        .order_by()
        .values_list("company_id", "company__name", "households", "score", "vetoed")
    )
    groups: dict[tuple[int, str], list[tuple[int, float | None, bool]]] = defaultdict(list)
    for company_id, name, households, score, vetoed in rows:
        groups[(company_id, name)].append((households, score, vetoed))
    rollups = []
    for (company_id, name), members in groups.items():
        scored = [(max(households, 1), score) for households, score, _v in members if score is not None]
        weight = sum(h for h, _s in scored)
        rollups.append(
            CompanyRollup(
                company_id=company_id,
                company_name=name,
                projects=len(members),
                households=sum(h for h, _s, _v in members),
                score=round(sum(h * s for h, s in scored) / weight, 2) if weight else None,
                vetoed_projects=sum(1 for _h, _s, vetoed in members if vetoed),
            )
        )
    return sorted(rollups, key=lambda r: (r.score is None, -(r.score or 0), r.company_name))


def grade_distribution(queryset: QuerySet[Scorecard]) -> dict[int, int]:
    """How many scorecards have each number of stars (0–5)."""
    counts = {stars: 0 for stars in range(6)}
    for stars in queryset.order_by().values_list("stars", flat=True):
        counts[stars] = counts.get(stars, 0) + 1
    return counts


def rectification_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    status: str = "",
    period: str = "",
    is_overdue: bool | None = None,
    now: Any = None,
) -> QuerySet[Rectification]:
    """Rectification tasks of the projects the scope works on or oversees, soonest deadline first."""
    queryset = _staff_side(Rectification.objects.all(), scope).select_related("project", "owner")
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if status:
        queryset = queryset.filter(status=status)
    if period:
        queryset = queryset.filter(period=period)
    if is_overdue is not None and now is not None:
        overdue = Q(status="open", deadline__lt=now)
        queryset = queryset.filter(overdue if is_overdue else ~overdue)
    return queryset.order_by("deadline", "id")


def rectification_get_for_user(scope: Scope, rectification_id: int) -> Rectification:
    found = rectification_list_for_user(scope).filter(pk=rectification_id).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def evidence_list_for_user(
    scope: Scope, *, project_id: int | None = None, indicator_id: str = "", status: str = ""
) -> QuerySet[Evidence]:
    """Evidence of the projects the scope works on or oversees, newest first."""
    queryset = _staff_side(Evidence.objects.all(), scope).select_related("project")
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if indicator_id:
        queryset = queryset.filter(indicator_id=indicator_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-uploaded_at", "-id")


def evidence_get_for_user(scope: Scope, evidence_id: int) -> Evidence:
    found = evidence_list_for_user(scope).filter(pk=evidence_id).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def finding_list_for_user(scope: Scope, *, project_id: int | None = None, indicator_id: str = "") -> QuerySet[Finding]:
    queryset = _staff_side(Finding.objects.all(), scope).select_related("project")
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if indicator_id:
        queryset = queryset.filter(indicator_id=indicator_id)
    return queryset.order_by("-found_at", "-id")


def manager_evaluation_list_for_user(
    scope: Scope, *, year: int | None = None, company_id: int | None = None, district: str = ""
) -> QuerySet[ManagerEvaluation]:
    """Results of the newest run of each year the scope may read: the city sees all, a district regulator the
    managers of their district, a company its own managers, a manager their own result."""
    if not permissions.sees_staff_side(scope):
        return ManagerEvaluation.objects.none()
    latest_runs = {}
    for run_year, run_id in ManagerEvaluationRun.objects.order_by("year", "created_at", "id").values_list("year", "id"):
        latest_runs[run_year] = run_id
    queryset = ManagerEvaluation.objects.filter(run_id__in=list(latest_runs.values())).select_related("company", "run")
    if not scope.sees_everything:
        q = Q(company_id__in=scope.company_ids) | Q(district__in=scope.districts)
        if scope.user_id is not None:
            q |= Q(staff__user_id=scope.user_id)
        queryset = queryset.filter(q)
    if year:
        queryset = queryset.filter(run__year=year)
    if company_id:
        queryset = queryset.filter(company_id=company_id)
    if district:
        queryset = queryset.filter(district=district)
    return queryset.order_by("-run__year", F("total").desc(nulls_last=True), "staff_name", "id")
