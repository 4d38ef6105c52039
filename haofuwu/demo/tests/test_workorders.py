"""The demo's year of work orders: deterministic, plausible in its timestamps and shares, and stored with the
deadlines and escalation levels the work-order services would have given it."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import random
import re

import pytest
from django.contrib.auth import get_user_model

from haofuwu.demo.dataset import DEFAULT_SEED, generate
from haofuwu.demo.loader import seed_demo
from haofuwu.demo.records import Dataset
from haofuwu.demo.workorders.generator import generate_work_orders
from haofuwu.demo.workorders.records import OrderData
from haofuwu.estates.models import Resident, Staff
from haofuwu.workorders.choices import OPEN_STATUSES, Channel, Kind, Status, Urgency
from haofuwu.workorders.models import ReturnVisit, WorkOrder
from haofuwu.workorders.policies import WORKING_DAY
from haofuwu.workorders.services import CATEGORY_TRADES, escalation_sweep, recompute_deadlines
from haofuwu.workorders.sla import SHANGHAI, Calendar, deadline

TODAY = dt.date(2025, 6, 1)
NOW = dt.datetime(2025, 6, 1, 12, tzinfo=SHANGHAI)  # what seed_demo(today=TODAY) takes as "now"
TIMELINE = ("submitted_at", "accepted_at", "dispatched_at", "arrived_at", "resolved_at", "closed_at")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(seed=DEFAULT_SEED, today=TODAY)


@pytest.fixture(scope="module")
def orders(dataset: Dataset) -> list[OrderData]:
    return generate_work_orders(dataset, now=NOW)


def digest(orders: list[OrderData]) -> str:
    text = "\n".join(f"{order.title}|{order.submitted_at.isoformat()}|{order.status}" for order in orders)
    return hashlib.sha256(text.encode()).hexdigest()


def share(part: int, whole: int) -> float:
    assert whole > 0
    return part / whole


def test_the_same_seed_gives_the_same_orders(dataset: Dataset) -> None:
    small = dataclasses.replace(dataset, projects=dataset.projects[:2])
    first = generate_work_orders(small, now=NOW)
    assert digest(generate_work_orders(small, now=NOW)) == digest(first)
    assert digest(generate_work_orders(small, now=NOW, seed=DEFAULT_SEED + 1)) != digest(first)
    assert {order.project for order in first} == {0, 1}


def test_a_year_holds_five_to_eight_thousand_orders_of_every_kind(orders: list[OrderData]) -> None:
    assert 5000 <= len(orders) <= 8000
    assert min(order.submitted_at for order in orders) >= NOW - dt.timedelta(days=365)
    assert max(order.submitted_at for order in orders) <= NOW
    kinds = [order.kind for order in orders]
    assert set(kinds) == set(Kind.values)
    assert kinds.count(Kind.REPAIR) > kinds.count(Kind.COMPLAINT) > kinds.count(Kind.PRAISE)
    assert 0.07 <= share(sum(order.urgency == Urgency.URGENT for order in orders), len(orders)) <= 0.13
    assert {order.channel for order in orders} == set(Channel.values) - {Channel.ALARM}


def test_every_timeline_runs_forward(orders: list[OrderData]) -> None:
    for order in orders:
        moments = [getattr(order, name) for name in TIMELINE if getattr(order, name) is not None]
        assert moments == sorted(moments), order.title
        assert all(moment <= NOW for moment in moments)
        events = [event.at for event in order.events]
        assert events == sorted(events) and events[0] == order.submitted_at
        for hold in order.holds:
            assert hold.ended_at is None or hold.started_at < hold.ended_at
        if order.status in (Status.RESOLVED, Status.CLOSED):
            assert None not in (order.accepted_at, order.dispatched_at, order.arrived_at, order.resolved_at)


def test_shares_of_late_reopened_and_hotline_orders_are_realistic(orders: list[OrderData]) -> None:
    done = [order for order in orders if order.status in (Status.RESOLVED, Status.CLOSED)]
    late = sum(order.resolved_at > order.resolution_due_at for order in done)  # type: ignore[operator]
    assert 0.04 <= share(late, len(done)) <= 0.12
    assert 0.01 <= share(sum(order.reopen_count == 1 for order in done), len(done)) <= 0.06
    hotline = [order for order in orders if order.channel == Channel.HOTLINE_12345]
    assert 0.01 <= share(len(hotline), len(orders)) <= 0.06
    assert 0.5 <= share(sum(order.rating is not None for order in done), len(done)) <= 0.7
    repairs = [order for order in done if order.kind in (Kind.REPAIR, Kind.COMPLAINT)]
    assert 0.75 <= share(sum(bool(order.visits) for order in repairs), len(repairs)) <= 0.95
    urgent = [order for order in orders if order.urgency == Urgency.URGENT and order.kind == Kind.REPAIR]
    urgent_late = sum(o.arrived_at > o.arrival_due_at for o in urgent if o.arrived_at)  # type: ignore[operator]
    assert 0.01 <= share(urgent_late, len(urgent)) <= 0.1
    assert 0.01 <= share(sum(order.status == Status.CANCELLED for order in orders), len(orders)) <= 0.04
    assert 0.01 <= share(sum(bool(order.holds) for order in orders), len(orders)) <= 0.04


def test_winter_brings_radiators_and_summer_brings_weeds(orders: list[OrderData]) -> None:
    def count(months: tuple[int, ...], title: str) -> int:
        return sum(order.title == title and order.submitted_at.month in months for order in orders)

    assert count((12, 1, 2), "暖气不热") > 30
    assert count((6, 7, 8), "暖气不热") == 0
    assert count((6, 7, 8), "绿化带杂草丛生") > count((12, 1, 2), "绿化带杂草丛生") == 0


def test_hotline_cases_carry_a_case_number_and_a_five_working_day_deadline(orders: list[OrderData]) -> None:
    hotline = [order for order in orders if order.channel == Channel.HOTLINE_12345]
    for order in hotline:
        assert re.fullmatch(rf"SD{order.submitted_at.year}\d{{8}}", order.hotline_case_number)
        assert order.hotline_deadline == deadline(
            order.submitted_at, dt.timedelta(minutes=5 * WORKING_DAY), calendar=Calendar()
        )
    assert len({order.hotline_case_number for order in hotline}) == len(hotline)
    replied = [order for order in hotline if order.hotline_replied_at is not None]
    in_time = sum(order.hotline_replied_at <= order.hotline_deadline for order in replied)  # type: ignore[operator]
    assert share(in_time, len(replied)) >= 0.8


def test_work_goes_to_staff_of_the_right_trade(dataset: Dataset, orders: list[OrderData]) -> None:
    trades = {member.employee_no: member for project in dataset.projects for member in project.staff}
    for order in orders:
        if order.kind == Kind.REPAIR and order.assignee and order.category in CATEGORY_TRADES:
            member = trades[order.assignee]
            assert member.trade in CATEGORY_TRADES[order.category] or member.is_manager, order.title
            assert member in dataset.projects[order.project].staff


@pytest.mark.django_db
def test_seeded_orders_have_the_services_deadlines_and_give_the_demo_accounts_work() -> None:
    seed_demo(password="demo-password-for-tests", today=TODAY)
    assert 5000 <= WorkOrder.objects.count() <= 8000

    # Deadlines: what recompute_deadlines gives on a copy, for a sample including held and reopened orders.
    ids = list(WorkOrder.objects.order_by("pk").values_list("pk", flat=True))
    special = list(WorkOrder.objects.filter(reopen_count=1).values_list("pk", flat=True)[:10]) + list(
        WorkOrder.objects.filter(holds__isnull=False).values_list("pk", flat=True)[:10]
    )
    sample = random.Random(1).sample(ids, 30) + special
    assert len(sample) == 50
    for order in WorkOrder.objects.filter(pk__in=sample).select_related("project"):
        again = copy.copy(order)
        recompute_deadlines(again)
        stored = (order.response_due_at, order.arrival_due_at, order.resolution_due_at)
        assert (again.response_due_at, again.arrival_due_at, again.resolution_due_at) == stored, order.pk

    # The first escalation sweep finds nothing old to announce.
    result = escalation_sweep(NOW + dt.timedelta(seconds=30))
    assert (result.escalated_to_manager, result.escalated_to_company) == (0, 0)
    open_orders = WorkOrder.objects.filter(status__in=OPEN_STATUSES - {Status.ON_HOLD})
    assert not open_orders.filter(resolution_due_at__lt=NOW, escalation_level__lt=2).exists()
    assert open_orders.filter(resolution_due_at__lt=NOW).exists()

    # Every open status on the board of the demo project, and tasks in the demo staff accounts.
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["manager", "engineer", "service", "resident"])
    }
    home_project = Staff.objects.get(user=users["manager"]).projects.get()
    board = WorkOrder.objects.filter(project=home_project, status__in=OPEN_STATUSES)
    assert set(board.values_list("status", flat=True)) == set(OPEN_STATUSES)
    for username in ("manager", "engineer", "service"):
        staff = Staff.objects.get(user=users[username])
        assert WorkOrder.objects.filter(assignee=staff, status__in=OPEN_STATUSES).exists(), username
    engineer = Staff.objects.get(user=users["engineer"])
    assert WorkOrder.objects.filter(assignee=engineer, status__in=OPEN_STATUSES, resolution_due_at__lt=NOW).exists()

    # The resident's household: a few orders, linked to the account, one resolved and waiting for a rating.
    unit = Resident.objects.get(user=users["resident"]).unit
    household = WorkOrder.objects.filter(unit=unit)
    assert household.count() >= 4
    assert not household.exclude(reporter=users["resident"]).exists()
    assert household.filter(status=Status.RESOLVED, rated_at__isnull=True).exists()
    assert household.filter(rating__isnull=False).exists()
    assert ReturnVisit.objects.filter(work_order__project=home_project, visitor__isnull=False).exists()
