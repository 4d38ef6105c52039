"""Metrics of work orders that the standard's indicators read (P-12, P-14–P-16, P-25, R-04, R-05, R-07, R-08,
R-15, R-16 in ../shared/research/standard.md).

Every metric takes many projects and a half-open period ``[start, end)`` and answers for each project with a
:class:`MetricValue`, in a constant number of queries however many projects are asked for: one for a small set of
projects (rows counted and ranked in Python; several metrics together in one with :func:`compute_together`), two
for a larger one (a grouped aggregate, then a window query for the record ids). ``now`` (default: the current time)
decides which running work orders are already late.

Registered with :mod:`haofuwu.core.metrics` under ``workorders.<name>`` for the standard engine, which calls every
metric with ``project_ids``, ``start``, ``end`` and ``now``. Complaints per 100 households reads the households per
project from the estates registry (the number of Unit rows, else the declared household count) unless a test passes
``household_counts``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haofuwu.core import metrics
from haofuwu.core.metrics import MAX_RECORD_IDS, MetricValue
from haofuwu.estates.selectors import household_counts as registry_household_counts
from haofuwu.workorders.choices import Channel, Kind, Status, Urgency
from haofuwu.workorders.models import ReturnVisit, WorkOrder

NO_DATA = metrics.NO_DATA
RECORD_TYPE = "workorders.workorder"


def _record_ids(base: QuerySet[WorkOrder], order: Sequence[Any]) -> dict[int, list[int]]:
    """Up to MAX_RECORD_IDS ids per project in one query (a window function numbers each project's rows)."""
    ranked = (
        base.order_by()
        .annotate(rank=Window(RowNumber(), partition_by=[F("project_id")], order_by=[*order, F("pk").asc()]))
        .filter(rank__lte=MAX_RECORD_IDS)
        .order_by("project_id", "rank")
        .values_list("project_id", "pk")
    )
    found: dict[int, list[int]] = {}
    for project_id, pk in ranked:
        found.setdefault(project_id, []).append(pk)
    return found


def _submitted(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(submitted_at__gte=start, submitted_at__lt=end)


def _resolved(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(resolved_at__gte=start, resolved_at__lt=end, status__in=[Status.RESOLVED, Status.CLOSED])


def _clock_settled(done: str, due: str, now: dt.datetime) -> Q:
    """Orders whose clock has an outcome: done (in time or not), or not done and past due. Orders still within
    their time are left out; so are orders cancelled before their due time without being done, which nobody
    missed — but cancelling after the due time does not hide a miss."""
    not_done = Q(**{f"{done}__isnull": True})
    cancelled_in_time = Q(status=Status.CANCELLED, cancelled_at__lte=F(due))
    return Q(**{f"{due}__isnull": False}) & (
        Q(**{f"{done}__isnull": False}) | (not_done & Q(**{f"{due}__lt": now}) & ~cancelled_in_time)
    )


# Small sets of projects (one project re-evaluated after a change): each metric in ONE query returning the
# (project, order, hit) rows of its base, counted and ranked worst first in Python — no grouped aggregate and no
# window query. The engine computes all the metrics it needs together (:func:`compute_together`): one query for
# all of them. Larger sets take the grouped two-query path (:func:`_found`), whose cost does not grow with rows sent.
SMALL_SET = 20

# How a metric ranks its record ids: misses first (the default), hits first (reopened first), lowest rating first,
# or by id only.
MISSES_FIRST, HITS_FIRST, RATING, BY_ID = "misses", "hits", "rating", "id"


@dataclass(frozen=True)
class _Spec:
    """What a metric counts: ``base`` the denominator's orders, ``hit`` the numerator's (None: all of them)."""

    base: Q
    hit: Q | Exists | None
    order: str = MISSES_FIRST
    needs_due: bool = False  # ``base``/``hit`` read the hotline deadline annotation ``due``


def _urgent_onsite(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> _Spec:
    base = _submitted(start, end) & _clock_settled("arrived_at", "arrival_due_at", now)
    base &= Q(kind=Kind.REPAIR) & Q(urgency=Urgency.URGENT)
    return _Spec(base, Q(arrived_at__isnull=False, arrived_at__lte=F("arrival_due_at")))


def _resolution_in_time(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> _Spec:
    return _Spec(_resolved(start, end) & Q(resolution_due_at__isnull=False), Q(resolved_at__lte=F("resolution_due_at")))


def _complaint_reply(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> _Spec:
    base = _submitted(start, end) & _clock_settled("accepted_at", "response_due_at", now) & Q(kind=Kind.COMPLAINT)
    return _Spec(base, Q(accepted_at__isnull=False, accepted_at__lte=F("response_due_at")))


def _return_visit(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> _Spec:
    return _Spec(
        _resolved(start, end) & Q(kind__in=[Kind.REPAIR, Kind.COMPLAINT]),
        Exists(ReturnVisit.objects.filter(work_order=OuterRef("pk"))),
    )


def _reopen(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> _Spec:
    return _Spec(_resolved(start, end), Q(reopen_count__gt=0), HITS_FIRST)


def _rated(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> _Spec:
    return _Spec(Q(rated_at__gte=start, rated_at__lt=end, rating__isnull=False), None, RATING)


def _complaints(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> _Spec:
    return _Spec(_submitted(start, end) & Q(kind=Kind.COMPLAINT) & ~Q(status=Status.CANCELLED), None, BY_ID)


HOTLINE_DUE = Coalesce("hotline_deadline", "resolution_due_at")


def _hotline(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> _Spec:
    done = Q(
        status__in=[Status.RESOLVED, Status.CLOSED],
        resolved_at__lte=F("due"),
        hotline_replied_at__isnull=False,
        hotline_replied_at__lte=F("due"),
    )
    base = Q(channel=Channel.HOTLINE_12345) & ~Q(status=Status.CANCELLED) & Q(due__gte=start, due__lt=end)
    # A case due in the period but not yet due now is still running: it has not been missed yet.
    return _Spec(base & (Q(due__lt=now) | done), done, needs_due=True)


def _flag(condition: Q | Exists) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _small(
    specs: Mapping[str, _Spec], project_ids: Sequence[int]
) -> dict[str, dict[int, tuple[float, int, list[int]]]]:
    """For each spec and project: (numerator, denominator, record ids worst first) from ONE query of the orders in
    any spec's base. The numerator is the hits, or the sum of ratings for :data:`RATING`."""
    queryset: QuerySet[Any] = WorkOrder.objects.filter(metrics.projects_in("project_id", project_ids))
    if any(spec.needs_due for spec in specs.values()):
        queryset = queryset.annotate(due=HOTLINE_DUE)
    either = Q()
    flags: dict[str, Any] = {}
    for index, spec in enumerate(specs.values()):
        either |= spec.base
        flags[f"in_{index}"] = _flag(spec.base)
        if spec.hit is not None:
            flags[f"hit_{index}"] = _flag(spec.hit)
    fields = ["project_id", "pk", "rating", *flags]
    # Per spec: its name, itself, and where its "in the base" and "hit" flags are in a row (None: no hit flag).
    columns = [
        (name, spec, fields.index(f"in_{index}"), fields.index(f"hit_{index}") if spec.hit is not None else None)
        for index, (name, spec) in enumerate(specs.items())
    ]
    rows = queryset.filter(either).annotate(**flags).order_by().values_list(*fields)
    # Per spec and project: (sort key, id, what the row adds to the numerator); the denominator is their number.
    found: dict[str, dict[int, list[tuple[Any, int, float]]]] = {name: {} for name in specs}
    for row in rows:
        project_id, pk, rating = row[0], row[1], row[2]
        for name, spec, in_column, hit_column in columns:
            if not row[in_column]:
                continue
            hit = hit_column is not None and bool(row[hit_column])
            if spec.order == RATING:
                key, counted = rating, rating
            elif spec.order == BY_ID:
                key, counted = 0, 1
            else:
                key, counted = (not hit) if spec.order == HITS_FIRST else hit, hit
            found[name].setdefault(project_id, []).append((key, pk, counted))
    result: dict[str, dict[int, tuple[float, int, list[int]]]] = {}
    for name, by_project in found.items():
        result[name] = {}
        for project_id, ranked in by_project.items():
            ranked.sort()
            numerator = sum(counted for _key, _pk, counted in ranked)
            result[name][project_id] = (numerator, len(ranked), [pk for _key, pk, _counted in ranked[:MAX_RECORD_IDS]])
    return result


def _rate_values(
    project_ids: Sequence[int], found: Mapping[int, tuple[float, int, list[int]]]
) -> dict[int, MetricValue]:
    result = {}
    for project_id in project_ids:
        numerator, denominator, ids = found.get(project_id, (0, 0, []))
        result[project_id] = MetricValue(numerator / denominator if denominator else None, numerator, denominator, ids)
    return result


def _per_100_values(
    project_ids: Sequence[int], found: Mapping[int, tuple[float, int, list[int]]], households: Mapping[int, int]
) -> dict[int, MetricValue]:
    result = {}
    for project_id in project_ids:
        complaints, _n, ids = found.get(project_id, (0, 0, []))
        count = households.get(project_id, 0)
        value = complaints * 100 / count if count > 0 else None
        result[project_id] = MetricValue(value, complaints, max(count, 0), ids)
    return result


def _worst_first(spec: _Spec) -> list[Any]:
    if spec.order == HITS_FIRST:
        return [Case(When(spec.hit, then=Value(0)), default=Value(1)).asc()]
    if spec.order == RATING:
        return [F("rating").asc()]
    if spec.order == BY_ID or spec.hit is None:
        return []
    return [Case(When(spec.hit, then=Value(1)), default=Value(0)).asc()]


def _found(spec: _Spec, project_ids: Sequence[int]) -> Mapping[int, tuple[float, int, list[int]]]:
    """(numerator, denominator, record ids worst first) per project: one query for a small set of projects, else
    a grouped aggregate and a window query."""
    if len(project_ids) <= SMALL_SET:
        return _small({"": spec}, project_ids)[""]
    base: QuerySet[Any] = WorkOrder.objects.all()
    if spec.needs_due:
        base = base.annotate(due=HOTLINE_DUE)
    base = base.filter(spec.base, metrics.projects_in("project_id", project_ids))
    if spec.order == RATING:
        numerator: Any = Sum("rating")
    else:
        numerator = Count("pk") if spec.hit is None else Count("pk", filter=spec.hit)
    counts = base.order_by().values("project_id").annotate(numerator=numerator, denominator=Count("pk"))
    ids = _record_ids(base, _worst_first(spec))
    return {row["project_id"]: (row["numerator"], row["denominator"], ids.get(row["project_id"], [])) for row in counts}


@metrics.register(
    "workorders.urgent_onsite_in_time_rate",
    title=_("Urgent repairs on site in time"),
    unit=metrics.Unit.RATE,
    record_type=RECORD_TYPE,
)
def urgent_onsite_in_time_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Urgent repairs submitted in the period with someone on site by the arrival deadline (P-12 急修到场, R-04).

    Not yet on site and past the deadline is a miss; not yet on site and still in time is left out."""
    return _rate_values(project_ids, _found(_urgent_onsite(start, end, now or timezone.now()), project_ids))


@metrics.register(
    "workorders.resolution_in_time_rate",
    title=_("Work orders resolved in time"),
    unit=metrics.Unit.RATE,
    record_type=RECORD_TYPE,
)
def resolution_in_time_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Work orders resolved in the period by their resolution deadline (R-04 及时率)."""
    return _rate_values(project_ids, _found(_resolution_in_time(start, end, now or timezone.now()), project_ids))


@metrics.register(
    "workorders.complaint_reply_in_time_rate",
    title=_("Complaints answered in time"),
    unit=metrics.Unit.RATE,
    record_type=RECORD_TYPE,
)
def complaint_reply_in_time_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Complaints submitted in the period accepted (answered) by their response deadline (P-15, P-16).

    Not yet accepted and past the deadline is a miss; not yet accepted and still in time is left out."""
    return _rate_values(project_ids, _found(_complaint_reply(start, end, now or timezone.now()), project_ids))


@metrics.register(
    "workorders.return_visit_rate", title=_("Return-visit rate"), unit=metrics.Unit.RATE, record_type=RECORD_TYPE
)
def return_visit_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Repairs and complaints resolved in the period (and still resolved or closed) with at least one return
    visit, whenever it was made (P-14, P-16, R-08, R-16: ≥90%)."""
    return _rate_values(project_ids, _found(_return_visit(start, end, now or timezone.now()), project_ids))


@metrics.register("workorders.reopen_rate", title=_("Reopen rate"), unit=metrics.Unit.RATE, record_type=RECORD_TYPE)
def reopen_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Work orders resolved in the period that had been reopened at least once (R-05 返修率; lower is better, so
    the reopened ones come first in ``record_ids``)."""
    return _rate_values(project_ids, _found(_reopen(start, end, now or timezone.now()), project_ids))


@metrics.register(
    "workorders.average_rating", title=_("Average rating"), unit=metrics.Unit.AVERAGE, record_type=RECORD_TYPE
)
def average_rating(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """The mean rating (1–5) of work orders rated in the period: numerator the sum, denominator the count."""
    return _rate_values(project_ids, _found(_rated(start, end, now or timezone.now()), project_ids))


@metrics.register(
    "workorders.complaints_per_100_households",
    title=_("Complaints per 100 households"),
    unit=metrics.Unit.PER_100,
    record_type=RECORD_TYPE,
)
def complaints_per_100_households(
    *,
    project_ids: Sequence[int],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
    household_counts: Mapping[int, int] | None = None,
) -> dict[int, MetricValue]:
    """Complaints submitted in the period (not cancelled) per 100 households of the project (R-07 投诉率).

    ``household_counts`` (project id → households) comes from the estates registry unless given;
    a project without a count (or with none) has no value, but its complaints are still counted and listed."""
    if household_counts is None:
        household_counts = registry_household_counts(list(project_ids))
    found = _found(_complaints(start, end, now or timezone.now()), project_ids)
    return _per_100_values(project_ids, found, household_counts)


@metrics.register(
    "workorders.hotline_in_time_rate",
    title=_("12345 cases closed in time"),
    unit=metrics.Unit.RATE,
    record_type=RECORD_TYPE,
)
def hotline_in_time_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """12345 cases due in the period that were resolved (or closed) and replied to the hotline by the deadline
    (P-25, R-15: 5 working days). The deadline is the sheet's, else our resolution deadline; cancelled cases
    (returned to the hotline as not ours) are left out, and so are cases not yet due."""
    return _rate_values(project_ids, _found(_hotline(start, end, now or timezone.now()), project_ids))


SPECS = {
    "workorders.urgent_onsite_in_time_rate": _urgent_onsite,
    "workorders.resolution_in_time_rate": _resolution_in_time,
    "workorders.complaint_reply_in_time_rate": _complaint_reply,
    "workorders.return_visit_rate": _return_visit,
    "workorders.reopen_rate": _reopen,
    "workorders.average_rating": _rated,
    "workorders.complaints_per_100_households": _complaints,
    "workorders.hotline_in_time_rate": _hotline,
}


@metrics.register_batch(*SPECS)
def compute_together(
    *, names: Sequence[str], project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[str, dict[int, MetricValue]]:
    """Several work-order metrics at once: for a small set of projects one query for all of them (plus the
    household counts when complaints per 100 households is asked), else each metric's own grouped queries."""
    if len(project_ids) > SMALL_SET:
        return {name: METRICS[name](project_ids=project_ids, start=start, end=end, now=now) for name in names}
    found = _small({name: SPECS[name](start, end, now) for name in names}, project_ids)
    result: dict[str, dict[int, MetricValue]] = {}
    for name in names:
        if name == "workorders.complaints_per_100_households":
            households = registry_household_counts(list(project_ids))
            result[name] = _per_100_values(project_ids, found[name], households)
        else:
            result[name] = _rate_values(project_ids, found[name])
    return result


# The functions by name, for tests and callers that want them without the registry's wrapping.
METRICS: dict[str, metrics.MetricFunction] = {
    metric.name: metric.function for metric in metrics.registry.all() if metric.app == "workorders"
}
NEEDS_HOUSEHOLD_COUNTS = frozenset({"workorders.complaints_per_100_households"})
