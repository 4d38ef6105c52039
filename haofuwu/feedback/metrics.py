"""Metrics of the feedback app that the standard's indicators read (P-19–P-21, R-01–R-03 in
../shared/research/standard.md), registered with :mod:`haofuwu.core.metrics`.

Every metric takes many projects and a half-open period ``[start, end)`` and answers for each project in a constant
number of grouped queries. Periods are compared with dates in the local time zone: a survey belongs to the period in
which it opens, a reception day to the period of its date, a periodic visit to the period of its due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from haofuwu.core import metrics
from haofuwu.core.metrics import MAX_RECORD_IDS, MetricValue
from haofuwu.estates import selectors as estates
from haofuwu.feedback.choices import QuestionKind, ReceptionDayStatus, ServiceLine, SurveyStatus
from haofuwu.feedback.models import (
    Answer,
    ContactAttempt,
    PeriodicVisit,
    ReceptionDay,
    ReceptionIssue,
    SurveyResponse,
)
from haofuwu.feedback.satisfaction import BASICALLY_SATISFIED_LEVEL, SATISFIED_LEVEL
from haofuwu.workorders import selectors as workorders

RESPONSE = "feedback.surveyresponse"


def _local_day(moment: dt.datetime) -> dt.date:
    """The first local date at or after ``moment`` (a period ending at midnight excludes that day)."""
    local = timezone.localtime(moment)
    return local.date() if local.time() == dt.time.min else local.date() + dt.timedelta(days=1)


def _dates(field: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{field}__gte": _local_day(start), f"{field}__lt": _local_day(end)})


def _record_ids(base: QuerySet[Any], partition: str, order: Sequence[Any]) -> dict[int, list[int]]:
    """Up to MAX_RECORD_IDS ids per project in one query (a window function numbers each project's rows)."""
    ranked = (
        base.order_by()
        .annotate(
            metric_project=F(partition),
            rank=Window(RowNumber(), partition_by=[F(partition)], order_by=[*order, F("pk").asc()]),
        )
        .filter(rank__lte=MAX_RECORD_IDS)
        .order_by("metric_project", "rank")
        .values_list("metric_project", "pk")
    )
    found: dict[int, list[int]] = {}
    for project_id, pk in ranked:
        found.setdefault(project_id, []).append(pk)
    return found


def _values(
    project_ids: Sequence[int], counts: dict[int, tuple[int, int]], ids: dict[int, list[int]]
) -> dict[int, MetricValue]:
    result = {}
    for project_id in project_ids:
        numerator, denominator = counts.get(project_id, (0, 0))
        value = numerator / denominator if denominator else None
        result[project_id] = MetricValue(value, numerator, denominator, ids.get(project_id, []))
    return result


# Satisfaction (R-01, R-02) -----------------------------------------------------------------------------------------

# Satisfied: level 4 or 5, or level 3 where the survey counts "basically satisfied" (feedback.satisfaction).
SATISFIED = Q(level__gte=SATISFIED_LEVEL) | Q(
    level=BASICALLY_SATISFIED_LEVEL, response__survey__counts_basically_satisfied=True
)


def _satisfaction(project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, line: str = "") -> dict:
    answers = Answer.objects.filter(
        _dates("response__survey__opens_on", start, end),
        response__survey__project_id__in=project_ids,
        response__survey__status=SurveyStatus.PUBLISHED,
        question__kind=QuestionKind.SATISFACTION,
        level__isnull=False,
    )
    if line:
        answers = answers.filter(question__service_line=line)
    counts = {
        row["response__survey__project_id"]: (row["satisfied"], row["valid"])
        for row in answers.order_by()
        .values("response__survey__project_id")
        .annotate(satisfied=Count("pk", filter=SATISFIED), valid=Count("pk"))
    }
    # The responses behind the rate, those with an answer below the cut-off first.
    mine = answers.filter(response=OuterRef("pk"))
    responses = SurveyResponse.objects.filter(Exists(mine)).annotate(
        has_miss=Exists(mine.exclude(SATISFIED)),
    )
    ids = _record_ids(
        responses, "survey__project_id", [Case(When(has_miss=True, then=Value(0)), default=Value(1)).asc()]
    )
    return _values(project_ids, counts, ids)


@metrics.register(
    "feedback.satisfaction_rate",
    title=_("Owner satisfaction rate"),
    unit=metrics.Unit.RATE,
    record_type=RESPONSE,
    description=("Satisfied answers of all service lines ÷ valid answers, in surveys opened in the period (R-01)."),
)
def satisfaction_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Satisfied answers ÷ valid answers to every satisfaction question of the surveys opened in the period; each
    survey's own cut-off decides whether "basically satisfied" counts (R-01 业主满意率)."""
    return _satisfaction(project_ids, start, end)


def _line_metric(line: str, label: Any) -> metrics.MetricFunction:
    def metric(
        *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
    ) -> dict[int, MetricValue]:
        return _satisfaction(project_ids, start, end, line)

    metric.__name__ = f"satisfaction_{line}"
    metric.__doc__ = f"Satisfaction rate of the {line} service line (R-02 分项满意率)."
    return metrics.register(
        f"feedback.satisfaction_{line}",
        title=label,
        unit=metrics.Unit.RATE,
        record_type=RESPONSE,
        description=("Satisfied answers ÷ valid answers to this service line's questions (R-02)."),
    )(metric)


LINE_METRICS = {
    line: _line_metric(line, format_lazy(_("Satisfaction: {line}"), line=label)) for line, label in ServiceLine.choices
}


# Coverage and response rate (P-20, R-03) ---------------------------------------------------------------------------


def _reach(project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, *, attempts: bool) -> dict:
    period = _dates("survey__opens_on", start, end) & Q(survey__status=SurveyStatus.PUBLISHED)
    reached: Any = Exists(SurveyResponse.objects.filter(period, unit=OuterRef("pk")))
    if attempts:
        reached = reached | Exists(ContactAttempt.objects.filter(period, unit=OuterRef("pk")))
    units = estates.delivered_units(list(project_ids)).annotate(is_reached=reached)
    counts = {
        row["building__project_id"]: (row["reached"], row["households"])
        for row in units.order_by()
        .values("building__project_id")
        .annotate(reached=Count("pk", filter=Q(is_reached=True)), households=Count("pk"))
    }
    # Households not reached come first: they are the ones to call.
    ids = _record_ids(units, "building__project_id", [Case(When(is_reached=True, then=Value(1)), default=Value(0))])
    return _values(project_ids, counts, ids)


@metrics.register(
    "feedback.survey_coverage",
    title=_("Survey coverage"),
    unit=metrics.Unit.RATE,
    record_type="estates.unit",
    description=("Delivered households that answered or were contacted for a survey opened in the period (≥70%)."),
)
def survey_coverage(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Delivered households contacted — a response or a logged contact attempt — for the surveys opened in the
    period, ÷ delivered households (P-20, R-03: ≥70%)."""
    return _reach(project_ids, start, end, attempts=True)


@metrics.register(
    "feedback.survey_response_rate",
    title=_("Survey response rate"),
    unit=metrics.Unit.RATE,
    record_type="estates.unit",
    description=("Delivered households that answered a survey opened in the period ÷ delivered households."),
)
def survey_response_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Delivered households that answered a survey opened in the period ÷ delivered households (R-03)."""
    return _reach(project_ids, start, end, attempts=False)


# Reception days (P-19) ---------------------------------------------------------------------------------------------


@metrics.register(
    "feedback.reception_days_held",
    title=_("Reception days held"),
    unit=metrics.Unit.COUNT,
    record_type="feedback.receptionday",
    description=("Reception days recorded as held with a date in the period (P-19: at least one a month)."),
)
def reception_days_held(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Reception days recorded as held, dated in the period (P-19 项目经理接待日: at least monthly)."""
    days = ReceptionDay.objects.filter(
        _dates("date", start, end), project_id__in=project_ids, status=ReceptionDayStatus.HELD
    )
    counts = dict(days.order_by().values("project_id").annotate(n=Count("pk")).values_list("project_id", "n"))
    ids = _record_ids(days, "project_id", [F("date").asc()])
    return {
        project_id: MetricValue(float(counts.get(project_id, 0)), counts.get(project_id, 0), 1, ids.get(project_id, []))
        for project_id in project_ids
    }


@metrics.register(
    "feedback.reception_issues_closed_in_time_rate",
    title=_("Reception-day issues closed within 15 days"),
    unit=metrics.Unit.RATE,
    record_type="feedback.receptionissue",
    description=("Issues raised at reception days in the period closed by their follow-up date (P-19)."),
)
def reception_issues_closed_in_time_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Issues raised at reception days dated in the period that were closed by their follow-up date (15 days by
    default): answered, or their work order resolved. An open issue still within its time is left out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tz = timezone.get_current_timezone()
    issues = (
        ReceptionIssue.objects.filter(_dates("day__date", start, end), day__project_id__in=project_ids)
        .exclude(day__status=ReceptionDayStatus.CANCELLED)
        .annotate(closed_on=TruncDate(Coalesce("closed_at", "work_order__resolved_at"), tzinfo=tz))
        .filter(Q(closed_on__isnull=False) | Q(follow_up_due__lt=today))
    )
    hit = Q(closed_on__isnull=False, closed_on__lte=F("follow_up_due"))
    counts = {
        row["day__project_id"]: (row["hit"], row["n"])
        for row in issues.order_by().values("day__project_id").annotate(hit=Count("pk", filter=hit), n=Count("pk"))
    }
    ids = _record_ids(issues, "day__project_id", [Case(When(hit, then=Value(1)), default=Value(0)).asc()])
    return _values(project_ids, counts, ids)


# Return visits (P-21, R-08) ----------------------------------------------------------------------------------------


@metrics.register(
    "feedback.return_visit_rate",
    title=_("Return visits and household visits done"),
    unit=metrics.Unit.RATE,
    record_type="feedback.periodicvisit",
    description=(
        "Return visits due in the period — after repairs and complaints resolved in it, and periodic household "
        "visits due in it — that were done. The record ids are the periodic visits; the work orders are those of "
        "workorders.return_visit_rate."
    ),
)
def return_visit_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Visits due in the period that were done: repairs and complaints resolved in the period with a return visit,
    plus periodic household visits due in the period and made (a periodic visit not yet due is left out)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    orders = workorders.work_orders_owing_return_visit(
        None, project_ids=list(project_ids), resolved_from=start, resolved_until=end
    )
    counts: dict[int, list[int]] = {}
    for row in (
        orders.order_by().values("project_id").annotate(hit=Count("pk", filter=Q(is_visited=True)), n=Count("pk"))
    ):
        counts[row["project_id"]] = [row["hit"], row["n"]]
    visits = PeriodicVisit.objects.filter(_dates("due_on", start, end), project_id__in=project_ids).filter(
        Q(visited_at__isnull=False) | Q(due_on__lt=today)
    )
    done = Q(visited_at__isnull=False)
    for row in visits.order_by().values("project_id").annotate(hit=Count("pk", filter=done), n=Count("pk")):
        tally = counts.setdefault(row["project_id"], [0, 0])
        tally[0] += row["hit"]
        tally[1] += row["n"]
    ids = _record_ids(visits, "project_id", [Case(When(done, then=Value(1)), default=Value(0)).asc()])
    return _values(project_ids, {key: (hit, n) for key, (hit, n) in counts.items()}, ids)


# The functions by name, for tests and callers that want them without the registry's wrapping.
METRICS: dict[str, metrics.MetricFunction] = {
    metric.name: metric.function for metric in metrics.registry.all() if metric.app == "feedback"
}
