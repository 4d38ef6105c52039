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

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
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
# A set of projects this small (one project re-evaluated after a change) is computed in one query a metric, or one
# for several metrics sharing a base (compute_together), ranked in Python; larger sets are grouped in the database.
SMALL_SET = 20


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


class _Tally:
    """Hits and totals per project, counted in Python on the small-set paths, with each record's miss (a record
    with any miss among its rows is missed) to rank the record ids misses first."""

    def __init__(self) -> None:
        self.counts: dict[int, tuple[int, int]] = {}
        self.missed: dict[int, dict[int, bool]] = {}

    def add(self, project_id: int, pk: int, hit: bool) -> None:
        hits, total = self.counts.get(project_id, (0, 0))
        self.counts[project_id] = (hits + (1 if hit else 0), total + 1)
        records = self.missed.setdefault(project_id, {})
        records[pk] = records.get(pk, False) or not hit

    def values(self, project_ids: Sequence[int]) -> dict[int, MetricValue]:
        return _values(project_ids, self.counts, _ranked(self.missed))


def _small_rates(project_ids: Sequence[int], rows: Any) -> dict[int, MetricValue]:
    """A rate from ONE query of (project, pk, hit) rows: counted, and ranked misses first, in Python."""
    tally = _Tally()
    for project_id, pk, hit in rows.order_by():
        tally.add(project_id, pk, hit)
    return tally.values(project_ids)


# Satisfaction (R-01, R-02) -----------------------------------------------------------------------------------------

# Satisfied: level 4 or 5, or level 3 where the survey counts "basically satisfied" (feedback.satisfaction).
SATISFIED = Q(level__gte=SATISFIED_LEVEL) | Q(
    level=BASICALLY_SATISFIED_LEVEL, response__survey__counts_basically_satisfied=True
)


def _answers(project_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> QuerySet[Answer]:
    return Answer.objects.filter(
        _dates("response__survey__opens_on", start, end),
        metrics.projects_in("response__survey__project_id", project_ids),
        response__survey__status=SurveyStatus.PUBLISHED,
        question__kind=QuestionKind.SATISFACTION,
        level__isnull=False,
    )


def _flag(condition: Any) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _ranked(found: dict[int, dict[int, bool]]) -> dict[int, list[int]]:
    """Record ids per project from {project: {pk: is_worse}}: the worse ones first, then by id."""
    return {
        project_id: sorted(records, key=lambda pk: (not records[pk], pk))[:MAX_RECORD_IDS]
        for project_id, records in found.items()
    }


def _satisfaction_small(
    project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, lines: Sequence[str]
) -> dict[str, dict[int, MetricValue]]:
    """The satisfaction rates of ``lines`` ("" for all lines together) for a small set of projects in ONE query of
    the answers (project, response, service line, satisfied), counted and ranked in Python."""
    answers = _answers(project_ids, start, end)
    if "" not in lines:
        answers = answers.filter(question__service_line__in=lines)
    rows = (
        answers.annotate(ok=_flag(SATISFIED))
        .order_by()
        .values_list("response__survey__project_id", "response_id", "question__service_line", "ok")
    )
    tallies = {line: _Tally() for line in lines}
    for project_id, response_id, service_line, ok in rows:
        for key in ("", service_line) if service_line else ("",):
            if key in tallies:
                tallies[key].add(project_id, response_id, ok)
    return {line: tally.values(project_ids) for line, tally in tallies.items()}


def _satisfaction(project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, line: str = "") -> dict:
    if len(project_ids) <= SMALL_SET:
        return _satisfaction_small(project_ids, start, end, [line])[line]
    answers = _answers(project_ids, start, end)
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


def _reach_small(project_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> dict[str, dict[int, MetricValue]]:
    """Survey coverage ("coverage") and response rate ("response") of a small set of projects in ONE query of the
    delivered households (project, unit, answered, contacted); those not reached first."""
    period = _dates("survey__opens_on", start, end) & Q(survey__status=SurveyStatus.PUBLISHED)
    rows = (
        estates.delivered_units(list(project_ids))
        .annotate(
            answered=Exists(SurveyResponse.objects.filter(period, unit=OuterRef("pk"))),
            contacted=Exists(ContactAttempt.objects.filter(period, unit=OuterRef("pk"))),
        )
        .order_by()
        .values_list("building__project_id", "pk", "answered", "contacted")
    )
    coverage, response = _Tally(), _Tally()
    for project_id, pk, answered, contacted in rows:
        coverage.add(project_id, pk, answered or contacted)
        response.add(project_id, pk, answered)
    return {"coverage": coverage.values(project_ids), "response": response.values(project_ids)}


def _reach(project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, *, attempts: bool) -> dict:
    if len(project_ids) <= SMALL_SET:
        return _reach_small(project_ids, start, end)["coverage" if attempts else "response"]
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
        _dates("date", start, end), metrics.projects_in("project_id", project_ids), status=ReceptionDayStatus.HELD
    )
    if len(project_ids) <= SMALL_SET:
        by_project: dict[int, list[tuple[dt.date, int]]] = {}
        for project_id, pk, date in days.order_by().values_list("project_id", "pk", "date"):
            by_project.setdefault(project_id, []).append((date, pk))
        counts = {project_id: len(found) for project_id, found in by_project.items()}
        ids = {
            project_id: [pk for _date, pk in sorted(found)][:MAX_RECORD_IDS] for project_id, found in by_project.items()
        }
    else:
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
        ReceptionIssue.objects.filter(
            _dates("day__date", start, end), metrics.projects_in("day__project_id", project_ids)
        )
        .exclude(day__status=ReceptionDayStatus.CANCELLED)
        .annotate(closed_on=TruncDate(Coalesce("closed_at", "work_order__resolved_at"), tzinfo=tz))
        .filter(Q(closed_on__isnull=False) | Q(follow_up_due__lt=today))
    )
    hit = Q(closed_on__isnull=False, closed_on__lte=F("follow_up_due"))
    if len(project_ids) <= SMALL_SET:
        return _small_rates(project_ids, issues.annotate(hit=_flag(hit)).values_list("day__project_id", "pk", "hit"))
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
    visits = PeriodicVisit.objects.filter(
        _dates("due_on", start, end), metrics.projects_in("project_id", project_ids)
    ).filter(Q(visited_at__isnull=False) | Q(due_on__lt=today))
    done = Q(visited_at__isnull=False)
    if len(project_ids) <= SMALL_SET:
        periodic = _small_rates(project_ids, visits.annotate(hit=_flag(done)).values_list("project_id", "pk", "hit"))
        pooled: dict[int, tuple[int, int]] = {}
        for project_id, value in periodic.items():
            hit, n = counts.get(project_id, [0, 0])
            pooled[project_id] = (hit + int(value.numerator), n + int(value.denominator))
        return _values(project_ids, pooled, {project_id: value.record_ids for project_id, value in periodic.items()})
    for row in visits.order_by().values("project_id").annotate(hit=Count("pk", filter=done), n=Count("pk")):
        tally = counts.setdefault(row["project_id"], [0, 0])
        tally[0] += row["hit"]
        tally[1] += row["n"]
    ids = _record_ids(visits, "project_id", [Case(When(done, then=Value(1)), default=Value(0)).asc()])
    return _values(project_ids, {key: (hit, n) for key, (hit, n) in counts.items()}, ids)


SATISFACTION = "feedback.satisfaction_rate"
REACH = {"feedback.survey_coverage": "coverage", "feedback.survey_response_rate": "response"}


@metrics.register_batch(SATISFACTION, *(f"feedback.satisfaction_{line}" for line in LINE_METRICS), *REACH)
def compute_together(
    *, names: Sequence[str], project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[str, dict[int, MetricValue]]:
    """Several feedback metrics at once: for a small set of projects every satisfaction rate from one query of the
    answers and both reach rates from one query of the households; else each metric's own grouped queries."""
    functions = {metric.name: metric.function for metric in metrics.registry.all() if metric.app == "feedback"}
    if len(project_ids) > SMALL_SET:
        return {name: functions[name](project_ids=project_ids, start=start, end=end, now=now) for name in names}
    result: dict[str, dict[int, MetricValue]] = {}
    lines = {name: "" if name == SATISFACTION else name.removeprefix("feedback.satisfaction_") for name in names}
    lines = {name: line for name, line in lines.items() if name == SATISFACTION or line in LINE_METRICS}
    if lines:
        rates = _satisfaction_small(project_ids, start, end, sorted(set(lines.values())))
        result.update({name: rates[line] for name, line in lines.items()})
    reach = [name for name in names if name in REACH]
    if reach:
        rates = _reach_small(project_ids, start, end)
        result.update({name: rates[REACH[name]] for name in reach})
    for name in names:
        if name not in result:
            result[name] = functions[name](project_ids=project_ids, start=start, end=end, now=now)
    return result


# The functions by name, for tests and callers that want them without the registry's wrapping.
METRICS: dict[str, metrics.MetricFunction] = {
    metric.name: metric.function for metric in metrics.registry.all() if metric.app == "feedback"
}
