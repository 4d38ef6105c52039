"""Work-order metrics on a fixed set of orders with explicit timestamps, against values computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haofuwu.core import metrics as core_metrics
from haofuwu.estates.selectors import household_counts
from haofuwu.estates.tests.factories import ProjectFactory
from haofuwu.workorders import metrics
from haofuwu.workorders.choices import Channel, Kind, Status, Urgency, VisitOutcome
from haofuwu.workorders.metrics import METRICS, NEEDS_HOUSEHOLD_COUNTS, MetricValue
from haofuwu.workorders.models import ReturnVisit, WorkOrder
from haofuwu.workorders.sla import SHANGHAI


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


START, END, NOW = at("2026-09-01T00:00"), at("2026-10-01T00:00"), at("2026-10-15T12:00")


def order(project, **fields) -> WorkOrder:
    defaults = {"kind": Kind.REPAIR, "urgency": Urgency.NORMAL, "title": "t", "description": "d"}
    defaults.update(fields)
    return WorkOrder.objects.create(project=project, **defaults)


@pytest.fixture(autouse=True, params=["one query", "grouped"])
def path(request, monkeypatch) -> str:
    """Every test runs on both paths: a small set of projects in one query, a large one grouped in two."""
    if request.param == "grouped":
        monkeypatch.setattr(metrics, "SMALL_SET", 0)
    return request.param


@pytest.fixture
def orders(world):
    """Orders of 甲小区 (A), 乙小区 (B) and a third project C with the 12345 cases; names as in the tables."""
    a, b = world.project_a, world.project_b
    c = ProjectFactory(company=world.company_a, name="丙小区")
    o: dict[str, WorkOrder] = {"project_c": c}  # type: ignore[dict-item]

    def urgent(project, day: str, **fields):
        return order(
            project,
            urgency=Urgency.URGENT,
            submitted_at=at(f"{day}T09:00"),
            arrival_due_at=at(f"{day}T09:30"),
            **fields,
        )

    # Urgent repairs (P-12): on site by 09:30.
    o["u1"] = urgent(a, "2026-09-10", status=Status.IN_PROGRESS, arrived_at=at("2026-09-10T09:20"))  # hit
    o["u2"] = urgent(a, "2026-09-11", status=Status.IN_PROGRESS, arrived_at=at("2026-09-11T09:45"))  # late
    o["u3"] = urgent(a, "2026-09-12", status=Status.DISPATCHED)  # not there, past due: a miss
    o["u4"] = order(  # not there, still in time: left out
        a,
        urgency=Urgency.URGENT,
        status=Status.SUBMITTED,
        submitted_at=at("2026-09-30T09:00"),
        arrival_due_at=at("2026-10-20T09:00"),
    )
    o["u5"] = urgent(a, "2026-09-13", status=Status.CANCELLED, cancelled_at=at("2026-09-13T09:10"))  # left out
    o["u6"] = urgent(a, "2026-09-14", status=Status.CANCELLED, cancelled_at=at("2026-09-14T10:00"))  # a miss
    o["u7"] = urgent(a, "2026-08-31", status=Status.IN_PROGRESS, arrived_at=at("2026-08-31T09:10"))  # before
    o["u8"] = order(  # not urgent
        a,
        status=Status.IN_PROGRESS,
        submitted_at=at("2026-09-10T09:00"),
        arrival_due_at=at("2026-09-10T09:30"),
        arrived_at=at("2026-09-10T12:00"),
    )
    o["u9"] = order(a, urgency=Urgency.URGENT, status=Status.ON_HOLD, submitted_at=at("2026-09-15T09:00"))
    o["ub"] = urgent(b, "2026-09-10", status=Status.IN_PROGRESS, arrived_at=at("2026-09-10T09:05"))

    # Resolved work and ratings.
    def resolved(kind, submitted, resolved_at, due, status=Status.RESOLVED, **fields):
        return order(
            a,
            kind=kind,
            status=status,
            submitted_at=at(submitted),
            resolved_at=at(resolved_at) if resolved_at else None,
            resolution_due_at=at(due) if due else None,
            **fields,
        )

    o["r1"] = resolved(
        Kind.REPAIR,
        "2026-09-11T08:00",
        "2026-09-12T10:00",
        "2026-09-13T08:00",
        rating=5,
        rated_at=at("2026-09-12T12:00"),
    )
    o["r2"] = resolved(
        Kind.REPAIR,
        "2026-09-12T08:00",
        "2026-09-20T10:00",
        "2026-09-15T08:00",
        status=Status.CLOSED,
        reopen_count=1,
        rating=2,
        rated_at=at("2026-09-21T12:00"),
    )
    o["r3"] = resolved(
        Kind.REPAIR,
        "2026-09-28T08:00",
        "2026-10-02T10:00",
        "2026-10-01T08:00",
        rating=1,
        rated_at=at("2026-10-03T09:00"),
    )
    o["r5"] = resolved(
        Kind.REPAIR, "2026-08-30T08:00", "2026-09-05T10:00", None, rating=4, rated_at=at("2026-08-31T23:00")
    )
    o["r6"] = resolved(
        Kind.HELP, "2026-09-07T08:00", "2026-09-08T10:00", "2026-09-09T08:00", status=Status.CLOSED, reopen_count=2
    )
    o["r7"] = resolved(
        Kind.REPAIR, "2026-09-07T08:00", None, "2026-09-09T08:00", status=Status.IN_PROGRESS, reopen_count=1
    )

    # Complaints (P-15, P-16, R-07): answered by 11:00.
    def complaint(day: str, **fields):
        return order(
            a,
            kind=Kind.COMPLAINT,
            submitted_at=at(f"{day}T09:00"),
            response_due_at=at(f"{day}T11:00"),
            **fields,
        )

    o["c1"] = complaint("2026-09-03", status=Status.ACCEPTED, accepted_at=at("2026-09-03T10:00"))
    o["c2"] = complaint("2026-09-04", status=Status.DISPATCHED, accepted_at=at("2026-09-04T12:00"))
    o["c3"] = complaint("2026-09-05", status=Status.SUBMITTED)
    o["c4"] = complaint("2026-09-06", status=Status.CANCELLED, cancelled_at=at("2026-09-06T09:30"))
    o["c5"] = complaint(
        "2026-09-07",
        status=Status.RESOLVED,
        accepted_at=at("2026-09-07T09:30"),
        resolved_at=at("2026-09-08T10:00"),
        resolution_due_at=at("2026-09-09T09:00"),
    )
    o["c6"] = complaint(
        "2026-08-20",
        status=Status.CLOSED,
        accepted_at=at("2026-08-20T09:30"),
        resolved_at=at("2026-09-02T10:00"),
        resolution_due_at=at("2026-08-22T09:00"),
    )
    for name in ("r1", "c5"):
        ReturnVisit.objects.create(
            work_order=o[name], outcome=VisitOutcome.SATISFIED, visited_at=at("2026-10-05T10:00")
        )

    # 12345 cases of C (P-25, R-15): resolved and replied by the deadline.
    def case(number: str, deadline: str | None, **fields):
        return order(
            c,
            kind=Kind.HELP,
            channel=Channel.HOTLINE_12345,
            hotline_case_number=number,
            submitted_at=at("2026-09-01T09:00"),
            hotline_deadline=at(deadline) if deadline else None,
            **fields,
        )

    o["h1"] = case(
        "H1",
        "2026-09-10T17:30",
        status=Status.CLOSED,
        resolved_at=at("2026-09-09T10:00"),
        hotline_replied_at=at("2026-09-09T11:00"),
    )
    o["h2"] = case(
        "H2",
        "2026-09-11T17:30",
        status=Status.RESOLVED,
        resolved_at=at("2026-09-10T10:00"),
        hotline_replied_at=at("2026-09-12T09:00"),
    )
    o["h3"] = case(
        "H3",
        "2026-09-12T17:30",
        status=Status.RESOLVED,
        resolved_at=at("2026-09-13T10:00"),
        hotline_replied_at=at("2026-09-11T09:00"),
    )
    o["h4"] = case("H4", None, status=Status.IN_PROGRESS, resolution_due_at=at("2026-09-15T09:00"))
    o["h5"] = case("H5", "2026-10-20T17:30", status=Status.IN_PROGRESS)
    o["h6"] = case("H6", "2026-09-14T17:30", status=Status.CANCELLED, cancelled_at=at("2026-09-02T09:00"))
    o["h7"] = case("H7", None, status=Status.ON_HOLD)
    o["h8"] = case("H8", "2026-09-19T12:00", status=Status.RESOLVED, resolved_at=at("2026-09-18T10:00"))
    o["h9"] = case("H9", "2026-09-25T17:30", status=Status.IN_PROGRESS)
    return o


def ids(orders, names: str) -> list[int]:
    return [orders[name].pk for name in names.split()]


# (metric, project, numerator, denominator, value, record ids in order: misses first)
CASES = [
    ("urgent_onsite_in_time_rate", "A", 1, 4, 0.25, "u2 u3 u6 u1"),
    ("urgent_onsite_in_time_rate", "B", 1, 1, 1.0, "ub"),
    ("urgent_onsite_in_time_rate", "C", 0, 0, None, ""),
    ("resolution_in_time_rate", "A", 3, 5, 0.6, "r2 c6 r1 r6 c5"),
    ("resolution_in_time_rate", "B", 0, 0, None, ""),
    ("complaint_reply_in_time_rate", "A", 2, 4, 0.5, "c2 c3 c1 c5"),
    ("return_visit_rate", "A", 2, 5, 0.4, "r2 r5 c6 r1 c5"),
    ("reopen_rate", "A", 2, 6, 2 / 6, "r2 r6 r1 r5 c5 c6"),
    ("average_rating", "A", 7, 2, 3.5, "r2 r1"),
    ("average_rating", "B", 0, 0, None, ""),
    ("complaints_per_100_households", "A", 4, 200, 2.0, "c1 c2 c3 c5"),
    ("complaints_per_100_households", "B", 0, 50, 0.0, ""),
    ("complaints_per_100_households", "C", 0, 0, None, ""),
    ("hotline_in_time_rate", "C", 1, 6, 1 / 6, "h2 h3 h4 h8 h9 h1"),
    ("hotline_in_time_rate", "A", 0, 0, None, ""),
]


@pytest.mark.parametrize(("name", "project", "numerator", "denominator", "value", "records"), CASES)
def test_metric_values_match_the_hand_computed_ones(
    world, orders, name, project, numerator, denominator, value, records
):
    projects = {"A": world.project_a.pk, "B": world.project_b.pk, "C": orders["project_c"].pk}
    key = f"workorders.{name}"
    extra = {"household_counts": {projects["A"]: 200, projects["B"]: 50}} if key in NEEDS_HOUSEHOLD_COUNTS else {}
    result = METRICS[key](project_ids=list(projects.values()), start=START, end=END, now=NOW, **extra)
    assert set(result) == set(projects.values())
    got = result[projects[project]]
    assert isinstance(got, MetricValue)
    assert (got.numerator, got.denominator) == (numerator, denominator)
    assert got.value == pytest.approx(value) if value is not None else got.value is None
    assert got.record_ids == (ids(orders, records) if records else [])


def test_running_orders_not_yet_due_are_left_out(world, orders):
    # On 20 September, 12345 case H9 (due 25 September) is still running, so it is not yet a miss.
    result = metrics.hotline_in_time_rate(
        project_ids=[orders["project_c"].pk], start=START, end=END, now=at("2026-09-20T12:00")
    )
    got = result[orders["project_c"].pk]
    assert (got.numerator, got.denominator) == (1, 5)
    assert orders["h9"].pk not in got.record_ids


def test_complaints_per_100_households_reads_the_households_of_the_registry(world, orders):
    households = household_counts([world.project_a.pk])[world.project_a.pk]
    assert households > 0
    got = metrics.complaints_per_100_households(project_ids=[world.project_a.pk], start=START, end=END)
    assert (got[world.project_a.pk].numerator, got[world.project_a.pk].denominator) == (4, households)
    assert got[world.project_a.pk].value == pytest.approx(400 / households)


def test_complaints_per_100_households_without_households_has_no_value(world, orders):
    got = metrics.complaints_per_100_households(
        project_ids=[world.project_a.pk], start=START, end=END, household_counts={}
    )
    assert (got[world.project_a.pk].value, got[world.project_a.pk].numerator) == (None, 4)


def test_every_work_order_metric_is_in_the_registry():
    assert {name for name in core_metrics.names() if name.startswith("workorders.")} == set(METRICS)
    assert core_metrics.get("workorders.reopen_rate").record_type == "workorders.workorder"


def test_record_ids_are_capped_misses_first(world, orders, monkeypatch):
    monkeypatch.setattr(metrics, "MAX_RECORD_IDS", 2)
    got = metrics.resolution_in_time_rate(project_ids=[world.project_a.pk], start=START, end=END, now=NOW)
    assert got[world.project_a.pk].record_ids == ids(orders, "r2 c6")
    assert got[world.project_a.pk].denominator == 5


def test_metric_values_are_frozen():
    with pytest.raises(AttributeError):
        MetricValue(1.0, 1, 1).value = 0.5  # type: ignore[misc]


@pytest.mark.parametrize("key", sorted(METRICS))
def test_many_projects_take_the_same_queries_as_one(world, orders, key, path):
    many = [world.project_a.pk, world.project_b.pk, orders["project_c"].pk]
    many += [ProjectFactory(company=world.company_b).pk for _ in range(2)]
    extra = {"household_counts": dict.fromkeys(many, 100)} if key in NEEDS_HOUSEHOLD_COUNTS else {}
    with CaptureQueriesContext(connection) as one:
        METRICS[key](project_ids=many[:1], start=START, end=END, now=NOW, **extra)
    with CaptureQueriesContext(connection) as five:
        result = METRICS[key](project_ids=many, start=START, end=END, now=NOW, **extra)
    assert len(one) == len(five) == (1 if path == "one query" else 2)
    assert set(result) == set(many)


def test_metrics_computed_together_equal_each_computed_alone_in_one_query(world, orders, path):
    projects = [world.project_a.pk, world.project_b.pk, orders["project_c"].pk]
    names = sorted(METRICS)
    with CaptureQueriesContext(connection) as together:
        found = core_metrics.compute_many(names, project_ids=projects, start=START, end=END, now=NOW)
    for name in names:
        alone = core_metrics.get(name).compute(project_ids=projects, start=START, end=END, now=NOW)
        assert found[name] == alone, name
    # One query for all the work-order metrics and one for the household counts; grouped, two a metric.
    assert len(together) == (2 if path == "one query" else 2 * len(names) + 1)
