"""Metrics of work orders that the standard's indicators read (P-12, P-14–P-16, P-25, R-04, R-05, R-07, R-08,
R-15, R-16 in ../shared/research/standard.md).

Every metric takes many projects and a half-open period ``[start, end)`` and answers for each project with a
:class:`MetricValue`, in a constant number of grouped queries (two: one aggregate, one for the record ids) however
many projects are asked for. ``now`` (default: the current time) decides which running work orders are already late.

Registered with :mod:`haofuwu.core.metrics` under ``workorders.<name>`` for the standard engine, which calls every
metric with ``project_ids``, ``start``, ``end`` and ``now``. Complaints per 100 households reads the households per
project from the estates registry (the number of Unit rows, else the declared household count) unless a test passes
``household_counts``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When, Window
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


def _rates(
    base: QuerySet[WorkOrder],
    project_ids: Sequence[int],
    *,
    hit: Q | Exists,
    worst_first: Sequence[Any] = (),
) -> dict[int, MetricValue]:
    """For each project: numerator = orders of ``base`` meeting ``hit``, denominator = orders of ``base``."""
    base = base.filter(project_id__in=project_ids)
    counts = {
        row["project_id"]: (row["numerator"], row["denominator"])
        for row in base.order_by()
        .values("project_id")
        .annotate(numerator=Count("pk", filter=hit), denominator=Count("pk"))
    }
    order = list(worst_first) or [Case(When(hit, then=Value(1)), default=Value(0)).asc()]
    ids = _record_ids(base, order)
    result = {}
    for project_id in project_ids:
        numerator, denominator = counts.get(project_id, (0, 0))
        value = numerator / denominator if denominator else None
        result[project_id] = MetricValue(value, numerator, denominator, ids.get(project_id, []))
    return result


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
    now = now or timezone.now()
    base = WorkOrder.objects.filter(
        _submitted(start, end), _clock_settled("arrived_at", "arrival_due_at", now), kind=Kind.REPAIR
    ).filter(urgency=Urgency.URGENT)
    return _rates(base, project_ids, hit=Q(arrived_at__isnull=False, arrived_at__lte=F("arrival_due_at")))


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
    base = WorkOrder.objects.filter(_resolved(start, end), resolution_due_at__isnull=False)
    return _rates(base, project_ids, hit=Q(resolved_at__lte=F("resolution_due_at")))


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
    now = now or timezone.now()
    base = WorkOrder.objects.filter(
        _submitted(start, end), _clock_settled("accepted_at", "response_due_at", now), kind=Kind.COMPLAINT
    )
    return _rates(base, project_ids, hit=Q(accepted_at__isnull=False, accepted_at__lte=F("response_due_at")))


@metrics.register(
    "workorders.return_visit_rate", title=_("Return-visit rate"), unit=metrics.Unit.RATE, record_type=RECORD_TYPE
)
def return_visit_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Repairs and complaints resolved in the period (and still resolved or closed) with at least one return
    visit, whenever it was made (P-14, P-16, R-08, R-16: ≥90%)."""
    base = WorkOrder.objects.filter(_resolved(start, end), kind__in=[Kind.REPAIR, Kind.COMPLAINT])
    return _rates(base, project_ids, hit=Exists(ReturnVisit.objects.filter(work_order=OuterRef("pk"))))


@metrics.register("workorders.reopen_rate", title=_("Reopen rate"), unit=metrics.Unit.RATE, record_type=RECORD_TYPE)
def reopen_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Work orders resolved in the period that had been reopened at least once (R-05 返修率; lower is better, so
    the reopened ones come first in ``record_ids``)."""
    base = WorkOrder.objects.filter(_resolved(start, end))
    reopened = Q(reopen_count__gt=0)
    return _rates(
        base,
        project_ids,
        hit=reopened,
        worst_first=[Case(When(reopened, then=Value(0)), default=Value(1)).asc()],
    )


@metrics.register(
    "workorders.average_rating", title=_("Average rating"), unit=metrics.Unit.AVERAGE, record_type=RECORD_TYPE
)
def average_rating(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """The mean rating (1–5) of work orders rated in the period: numerator the sum, denominator the count."""
    base = WorkOrder.objects.filter(
        project_id__in=project_ids, rated_at__gte=start, rated_at__lt=end, rating__isnull=False
    )
    sums = {
        row["project_id"]: (row["total"], row["count"])
        for row in base.order_by().values("project_id").annotate(total=Sum("rating"), count=Count("pk"))
    }
    ids = _record_ids(base, [F("rating").asc()])
    result = {}
    for project_id in project_ids:
        total, count = sums.get(project_id, (0, 0))
        result[project_id] = MetricValue(total / count if count else None, total, count, ids.get(project_id, []))
    return result


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
    base = WorkOrder.objects.filter(_submitted(start, end), project_id__in=project_ids, kind=Kind.COMPLAINT).exclude(
        status=Status.CANCELLED
    )
    counts = dict(base.order_by().values("project_id").annotate(n=Count("pk")).values_list("project_id", "n"))
    ids = _record_ids(base, [])
    result = {}
    for project_id in project_ids:
        complaints, households = counts.get(project_id, 0), household_counts.get(project_id, 0)
        value = complaints * 100 / households if households > 0 else None
        result[project_id] = MetricValue(value, complaints, max(households, 0), ids.get(project_id, []))
    return result


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
    now = now or timezone.now()
    due = Coalesce("hotline_deadline", "resolution_due_at")
    base = (
        WorkOrder.objects.filter(channel=Channel.HOTLINE_12345)
        .exclude(status=Status.CANCELLED)
        .annotate(due=due)
        .filter(due__gte=start, due__lt=end)
    )
    done = Q(
        status__in=[Status.RESOLVED, Status.CLOSED],
        resolved_at__lte=F("due"),
        hotline_replied_at__isnull=False,
        hotline_replied_at__lte=F("due"),
    )
    # A case due in the period but not yet due now is still running: it has not been missed yet.
    base = base.filter(Q(due__lt=now) | done)
    return _rates(base, project_ids, hit=done)


# The functions by name, for tests and callers that want them without the registry's wrapping.
METRICS: dict[str, metrics.MetricFunction] = {
    metric.name: metric.function for metric in metrics.registry.all() if metric.app == "workorders"
}
NEEDS_HOUSEHOLD_COUNTS = frozenset({"workorders.complaints_per_100_households"})
