"""Work-order services: the state machine with roles, SLA deadlines (policies, calendars, holds), ratings, return
visits and the escalation sweep — run twice and by two interleaved workers."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

import pytest

from haofuwu.accounts.services import role_assign
from haofuwu.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.models import Notification
from haofuwu.estates.tests.factories import UserFactory
from haofuwu.workorders import services
from haofuwu.workorders.choices import Action, EscalationLevel, Kind, Status, Urgency, VisitMethod, VisitOutcome
from haofuwu.workorders.models import CalendarDay, ReturnVisit, WorkOrder, WorkOrderEvent
from haofuwu.workorders.services import SweepResult
from haofuwu.workorders.sla import SHANGHAI


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


T0 = at("2026-09-01T09:00")  # a Tuesday


def clock(moment: dt.datetime):
    """Services read the time from ``django.utils.timezone.now``; this sets it."""
    return patch("django.utils.timezone.now", return_value=moment)


def submit(world, user: str = "resident_a", *, when: dt.datetime = T0, project=None, unit=None, **fields) -> WorkOrder:
    values = {
        "kind": Kind.REPAIR,
        "category": "other",
        "urgency": Urgency.NORMAL,
        "title": "厨房水龙头漏水",
        "description": "厨房水龙头一直滴水",
    }
    values.update(fields)
    project = project or world.project_a
    unit_id = (unit or world.unit_a).pk if (unit is not False) else None
    with clock(when):
        return services.work_order_submit(
            actor=world.users[user],
            project_id=project.pk,
            unit_id=unit_id,
            public_area="" if unit_id else "北门",
            **values,
        )


def act(world, user: str, order: WorkOrder, action: str, *, when: dt.datetime | None = None, **options):
    with clock(when or T0 + dt.timedelta(minutes=5)):
        return services.work_order_transition(actor=world.users[user], work_order_id=order.pk, action=action, **options)


NEEDS = {
    Action.DISPATCH: {"assignee_id": "staff"},
    Action.HOLD: {"note": "等待配件"},
    Action.RESOLVE: {"note": "更换了阀芯"},
    Action.CANCEL: {"note": "重复报修"},
}

S = Status
# Every status × every action: the status it leads to, or None for a 409 that changes nothing. Written out by hand
# (not read from transitions.py) so that a change of the machine shows up here.
EXPECTED: dict[str, dict[str, str | None]] = {
    S.SUBMITTED: {"accept": S.ACCEPTED, "dispatch": S.DISPATCHED, "cancel": S.CANCELLED},
    S.ACCEPTED: {"dispatch": S.DISPATCHED, "hold": S.ON_HOLD, "cancel": S.CANCELLED},
    S.DISPATCHED: {"dispatch": S.DISPATCHED, "start": S.IN_PROGRESS, "hold": S.ON_HOLD, "cancel": S.CANCELLED},
    S.IN_PROGRESS: {"dispatch": S.DISPATCHED, "hold": S.ON_HOLD, "resolve": S.RESOLVED},
    # On hold since "in progress": resume goes back there.
    S.ON_HOLD: {"resume": S.IN_PROGRESS, "cancel": S.CANCELLED},
    S.RESOLVED: {"close": S.CLOSED, "reopen": S.DISPATCHED},
    S.CLOSED: {"reopen": S.DISPATCHED},
    S.CANCELLED: {},
}
PAIRS = [(status, action, EXPECTED[status].get(action)) for status in Status.values for action in Action.values]


@pytest.mark.parametrize(("status", "action", "expected"), PAIRS)
def test_every_status_and_action(world, status, action, expected):
    order = submit(world)
    WorkOrder.objects.filter(pk=order.pk).update(
        status=status,
        # Dispatching to whom it is already dispatched changes nothing (see the idempotency test below).
        assignee=None if (status, action) == (S.DISPATCHED, Action.DISPATCH) else world.staff_a,
        status_before_hold=S.IN_PROGRESS if status == S.ON_HOLD else "",
    )
    before = WorkOrder.objects.values().get(pk=order.pk)
    events = list(WorkOrderEvent.objects.filter(work_order=order).values_list("pk", flat=True))
    options = {key: (world.staff_a.pk if value == "staff" else value) for key, value in NEEDS.get(action, {}).items()}
    if expected is None:
        with pytest.raises(Conflict):
            act(world, "admin", order, action, **options)
        assert WorkOrder.objects.values().get(pk=order.pk) == before
        assert list(WorkOrderEvent.objects.filter(work_order=order).values_list("pk", flat=True)) == events
    else:
        act(world, "admin", order, action, **options)
        order.refresh_from_db()
        assert order.status == expected
        last = WorkOrderEvent.objects.filter(work_order=order).last()
        assert (last.action, last.from_status, last.to_status) == (action, status, expected)


def test_reopen_without_an_assignee_goes_back_to_accepted(world):
    order = submit(world)
    WorkOrder.objects.filter(pk=order.pk).update(status=S.RESOLVED, resolved_at=T0)
    order = act(world, "manager_a", order, Action.REOPEN)
    assert (order.status, order.reopen_count, order.resolved_at) == (S.ACCEPTED, 1, None)


@pytest.mark.parametrize(
    ("status", "allowed"), [(S.SUBMITTED, True), (S.ACCEPTED, True), (S.DISPATCHED, False), (S.ON_HOLD, False)]
)
def test_resident_cancels_only_before_work_starts(world, status, allowed):
    order = submit(world)
    WorkOrder.objects.filter(pk=order.pk).update(status=status, status_before_hold=S.DISPATCHED)
    if allowed:
        assert act(world, "resident_a", order, Action.CANCEL, note="不需要了").status == S.CANCELLED
    else:
        with pytest.raises(Conflict):
            act(world, "resident_a", order, Action.CANCEL, note="不需要了")
        assert WorkOrder.objects.get(pk=order.pk).status == status


@pytest.mark.parametrize(
    ("user", "action", "error"),
    [
        ("resident_b", Action.CANCEL, NotFound),  # another household's order does not exist for them
        ("manager_b", Action.ACCEPT, NotFound),
        ("company_admin_b", Action.ACCEPT, NotFound),
        ("regulator_shizhong", Action.ACCEPT, NotFound),
        ("regulator_lixia", Action.ACCEPT, PermissionDenied),  # reads project A, changes nothing
        ("regulator_city", Action.CANCEL, PermissionDenied),
        ("community_a", Action.ACCEPT, PermissionDenied),
        ("engineer_a", Action.ACCEPT, PermissionDenied),  # staff, but not customer service nor the assignee
        ("resident_a", Action.ACCEPT, PermissionDenied),
        ("nobody", Action.ACCEPT, NotFound),
    ],
)
def test_who_may_not_move_an_order(world, user, action, error):
    order = submit(world)
    with pytest.raises(error):
        act(world, user, order, action, note="x")
    assert WorkOrder.objects.get(pk=order.pk).status == S.SUBMITTED
    assert WorkOrderEvent.objects.filter(work_order=order).count() == 1


def test_the_assignee_starts_and_resolves_but_may_not_accept(world):
    world.staff_a.user = world.users["engineer_a"]
    world.staff_a.save(update_fields=["user"])
    order = submit(world)
    act(world, "manager_a", order, Action.DISPATCH, assignee_id=world.staff_a.pk)
    assert act(world, "engineer_a", order, Action.START).status == S.IN_PROGRESS
    assert act(world, "engineer_a", order, Action.RESOLVE, note="修好了").status == S.RESOLVED
    with pytest.raises(PermissionDenied):
        act(world, "engineer_a", order, Action.CLOSE)


# SLA deadlines


def test_hold_stops_the_clock_and_resume_moves_the_deadline_by_the_held_time(world):
    order = submit(world)  # a normal repair: resolved within 3 days, around the clock
    assert order.resolution_due_at == T0 + dt.timedelta(days=3)
    act(world, "manager_a", order, Action.ACCEPT, when=T0 + dt.timedelta(hours=1))
    held = act(world, "manager_a", order, Action.HOLD, note="等待业主在家", when=T0 + dt.timedelta(hours=2))
    assert (held.status, held.resolution_due_at) == (S.ON_HOLD, None)
    resumed = act(world, "manager_a", order, Action.RESUME, when=T0 + dt.timedelta(hours=5))
    assert resumed.status == S.ACCEPTED
    assert resumed.resolution_due_at == T0 + dt.timedelta(days=3, hours=3)
    hold = resumed.holds.get()
    assert (hold.started_at, hold.ended_at, hold.reason) == (
        T0 + dt.timedelta(hours=2),
        T0 + dt.timedelta(hours=5),
        "等待业主在家",
    )


def test_hold_needs_a_reason(world):
    order = submit(world)
    act(world, "manager_a", order, Action.ACCEPT)
    with pytest.raises(ValidationFailed):
        act(world, "manager_a", order, Action.HOLD, note=" ")
    assert WorkOrder.objects.get(pk=order.pk).status == S.ACCEPTED


def save_policy(world, user: str, *, project=None, company=None, minutes: int, working_hours: bool = False):
    return services.sla_policy_save(
        actor=world.users[user],
        company_id=(company or world.company_a).pk,
        project_id=project.pk if project else None,
        kind=Kind.REPAIR,
        category="",
        urgency="",
        terms={"response_minutes": 10, "resolution_minutes": minutes, "uses_working_hours": working_hours},
    )


def test_company_policy_overrides_the_default_and_project_policy_the_company(world):
    assert submit(world).resolution_due_at == T0 + dt.timedelta(days=3)
    company = save_policy(world, "company_admin_a", minutes=600)
    order = submit(world)
    assert (order.sla_policy_id, order.resolution_due_at) == (company.pk, T0 + dt.timedelta(hours=10))
    project = save_policy(world, "manager_a", project=world.project_a, minutes=120)
    order = submit(world)
    assert (order.sla_policy_id, order.resolution_due_at) == (project.pk, T0 + dt.timedelta(hours=2))
    # Company B keeps the default.
    other = submit(world, "resident_b", project=world.project_b, unit=world.unit_b)
    assert (other.sla_policy_id, other.resolution_due_at) == (None, T0 + dt.timedelta(days=3))


def test_a_manager_may_not_set_the_company_policy(world):
    with pytest.raises(PermissionDenied):
        save_policy(world, "manager_a", minutes=60)


def test_working_hours_policy_skips_the_company_holidays(world):
    for company in (world.company_a, world.company_b):
        save_policy(world, "admin", company=company, minutes=9 * 60, working_hours=True)
    # Company A's calendar: National Day 1–7 October off, Saturday 10 October a make-up working day.
    for day in range(1, 8):
        CalendarDay.objects.create(company=world.company_a, date=dt.date(2026, 10, day), name="国庆节")
    CalendarDay.objects.create(company=world.company_a, date=dt.date(2026, 10, 10), is_working_day=True)
    start = at("2026-09-30T16:30")  # Wednesday: one working hour left that day
    order = submit(world, when=start)
    # 1 h on 30 September, then 8 h on Thursday 8 October (the first working day after the holiday).
    assert order.resolution_due_at == at("2026-10-08T16:30")
    other = submit(world, "resident_b", project=world.project_b, unit=world.unit_b, when=start)
    assert other.resolution_due_at == at("2026-10-01T16:30")


# Ratings and return visits


def resolved(world, status: str = S.RESOLVED) -> WorkOrder:
    order = submit(world)
    WorkOrder.objects.filter(pk=order.pk).update(status=status, resolved_at=T0)
    return order


def test_the_reporting_household_rates_once(world):
    order = resolved(world)
    with clock(T0 + dt.timedelta(hours=1)):
        rated = services.work_order_rate(actor=world.users["resident_a"], work_order_id=order.pk, rating=5)
    assert (rated.rating, rated.rated_at) == (5, T0 + dt.timedelta(hours=1))
    with pytest.raises(Conflict):
        services.work_order_rate(actor=world.users["resident_a"], work_order_id=order.pk, rating=1)
    assert WorkOrder.objects.get(pk=order.pk).rating == 5


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_ratings_are_1_to_5(world, rating):
    order = resolved(world)
    with pytest.raises(ValidationFailed):
        services.work_order_rate(actor=world.users["resident_a"], work_order_id=order.pk, rating=rating)
    assert WorkOrder.objects.get(pk=order.pk).rating is None


@pytest.mark.parametrize(("user", "error"), [("resident_b", NotFound), ("manager_a", PermissionDenied)])
def test_only_the_reporting_household_rates(world, user, error):
    order = resolved(world)
    with pytest.raises(error):
        services.work_order_rate(actor=world.users[user], work_order_id=order.pk, rating=4)
    assert WorkOrder.objects.get(pk=order.pk).rating is None


def test_an_open_order_cannot_be_rated(world):
    order = submit(world)
    with pytest.raises(Conflict):
        services.work_order_rate(actor=world.users["resident_a"], work_order_id=order.pk, rating=4)


def test_a_low_rating_reaches_the_manager(world):
    order = resolved(world)
    services.work_order_rate(actor=world.users["resident_a"], work_order_id=order.pk, rating=2)
    assert Notification.objects.filter(recipient=world.users["manager_a"], title__contains="(2)").count() == 1


def customer_service(world):
    user = UserFactory(username="service_a")
    role_assign(actor=None, user=user, role="staff", trade="customer_service", project=world.project_a)
    return user


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
@pytest.mark.parametrize("user", ["manager_a", "service"])
def test_manager_or_customer_service_records_return_visits_on_finished_orders(world, status, user):
    actor = customer_service(world) if user == "service" else world.users[user]
    order = resolved(world, status=status)
    with clock(T0 + dt.timedelta(days=1)):
        visit = services.return_visit_record(
            actor=actor, work_order_id=order.pk, outcome=VisitOutcome.SATISFIED, method=VisitMethod.PHONE
        )
    assert (visit.work_order_id, visit.visitor_id, visit.visited_at) == (order.pk, actor.pk, T0 + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("user", "status", "error"),
    [
        ("manager_a", S.IN_PROGRESS, Conflict),
        ("manager_a", S.CANCELLED, Conflict),
        ("engineer_a", S.RESOLVED, PermissionDenied),
        ("resident_a", S.RESOLVED, PermissionDenied),
        ("regulator_lixia", S.RESOLVED, PermissionDenied),
        ("manager_b", S.RESOLVED, NotFound),
    ],
)
def test_return_visits_refused(world, user, status, error):
    order = resolved(world, status=status)
    with pytest.raises(error):
        services.return_visit_record(
            actor=world.users[user], work_order_id=order.pk, outcome=VisitOutcome.SATISFIED, method=VisitMethod.PHONE
        )
    assert ReturnVisit.objects.count() == 0


def test_return_visit_with_an_unknown_outcome_is_refused(world):
    order = resolved(world)
    with pytest.raises(ValidationFailed):
        services.return_visit_record(
            actor=world.users["manager_a"], work_order_id=order.pk, outcome="happy", method=VisitMethod.PHONE
        )
    assert ReturnVisit.objects.count() == 0


# The escalation sweep


@pytest.fixture
def due(world):
    """A dispatched repair of project A due at T0 + 3 days, assigned to engineer A (who has a log-in)."""
    world.staff_a.user = world.users["engineer_a"]
    world.staff_a.save(update_fields=["user"])
    order = submit(world)
    act(world, "manager_a", order, Action.DISPATCH, assignee_id=world.staff_a.pk)
    Notification.objects.all().delete()
    order.refresh_from_db()
    return order


def inbox(world, user: str, text: str) -> int:
    return Notification.objects.filter(recipient=world.users[user], title__contains=text).count()


def test_sweep_warns_then_escalates_to_the_manager_then_the_company_each_once(world, due):
    deadline = due.resolution_due_at
    steps = [
        (deadline - dt.timedelta(hours=1), SweepResult(0, 0, 0), EscalationLevel.NONE),
        (deadline - dt.timedelta(minutes=10), SweepResult(1, 0, 0), EscalationLevel.WARNED),
        (deadline + dt.timedelta(minutes=1), SweepResult(0, 1, 0), EscalationLevel.MANAGER),
        (deadline + dt.timedelta(hours=23), SweepResult(0, 0, 0), EscalationLevel.MANAGER),
        (deadline + dt.timedelta(hours=24, minutes=1), SweepResult(0, 0, 1), EscalationLevel.COMPANY),
    ]
    for moment, expected, level in steps:
        assert services.escalation_sweep(moment) == expected
        # The same sweep again (a second worker, or the next tick) sends nothing more.
        assert services.escalation_sweep(moment) == SweepResult(0, 0, 0)
        assert WorkOrder.objects.get(pk=due.pk).escalation_level == level
    assert inbox(world, "engineer_a", "Due soon") == 1
    assert inbox(world, "manager_a", "Overdue") == 1
    assert inbox(world, "company_admin_a", "Long overdue") == 1
    assert inbox(world, "company_admin_b", "overdue") == inbox(world, "manager_b", "Overdue") == 0
    assert list(WorkOrderEvent.objects.filter(work_order=due, action="escalate").values_list("data", flat=True)) == [
        {"level": "manager"},
        {"level": "company"},
    ]


def test_sweep_leaves_orders_on_hold_and_finished_alone(world, due):
    act(world, "manager_a", due, Action.HOLD, note="等待配件")
    late = due.resolution_due_at + dt.timedelta(days=10)
    assert services.escalation_sweep(late) == SweepResult(0, 0, 0)
    assert Notification.objects.count() == 0


def test_interleaved_workers_send_each_escalation_once(world, due):
    """Worker A loads the breached orders; before it claims, worker B runs the whole sweep; A's conditional
    update then changes no row and A sends nothing."""
    moment = due.resolution_due_at + dt.timedelta(minutes=1)
    real_claim = services._claim
    other: list[SweepResult] = []

    def claim_after_the_other_worker(order, current, target, now):
        if not other:
            other.append(SweepResult(0, 0, 0))  # mark B as started, so B's own claims go straight through
            other[0] = services.escalation_sweep(now)
        return real_claim(order, current, target, now)

    # Patched where the sweep looks it up.
    with patch.object(services.escalation, "_claim", claim_after_the_other_worker):
        mine = services.escalation_sweep(moment)
    assert other == [SweepResult(0, 1, 0)]
    assert mine == SweepResult(0, 0, 0)
    assert inbox(world, "manager_a", "Overdue") == 1
    assert WorkOrderEvent.objects.filter(work_order=due, action="escalate").count() == 1


def test_a_stale_claim_changes_no_row(world, due):
    stale = WorkOrder.objects.get(pk=due.pk)
    services.escalation_sweep(due.resolution_due_at + dt.timedelta(minutes=1))
    assert services._claim(stale, EscalationLevel.NONE, EscalationLevel.MANAGER, T0) is False
    assert WorkOrder.objects.get(pk=due.pk).escalation_level == EscalationLevel.MANAGER


def test_a_moved_deadline_warns_the_assignee_again(world, due):
    deadline = due.resolution_due_at
    assert services.escalation_sweep(deadline - dt.timedelta(minutes=10)) == SweepResult(1, 0, 0)
    # Parts are missing: on hold for two days just before the deadline, then resumed; the deadline moves two days
    # later and the escalation starts over, as work_order_transition intends.
    act(world, "engineer_a", due, Action.HOLD, note="等待配件", when=deadline - dt.timedelta(minutes=5))
    resumed = act(world, "engineer_a", due, Action.RESUME, when=deadline + dt.timedelta(days=2, minutes=-5))
    assert resumed.resolution_due_at == deadline + dt.timedelta(days=2)
    assert resumed.escalation_level == EscalationLevel.NONE
    assert services.escalation_sweep(resumed.resolution_due_at - dt.timedelta(minutes=10)) == SweepResult(1, 0, 0)
    assert inbox(world, "engineer_a", "Due soon") == 2


def test_the_same_dispatch_twenty_times_notifies_the_assignee_once(world):
    world.staff_a.user = world.users["engineer_a"]
    world.staff_a.save(update_fields=["user"])
    order = submit(world)
    for _ in range(20):
        moved = act(world, "manager_a", order, Action.DISPATCH, assignee_id=world.staff_a.pk)
        assert moved.status == S.DISPATCHED
    assert WorkOrderEvent.objects.filter(work_order=order, action=Action.DISPATCH).count() == 1
    assert Notification.objects.filter(recipient=world.users["engineer_a"]).count() == 1


def test_twenty_parallel_identical_dispatches_notify_once(world, transactional_db):
    """Real threads on PostgreSQL: the row lock queues them and all but the first find nothing to do."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs a database server; runs in the PostgreSQL pass")
    world.staff_a.user = world.users["engineer_a"]
    world.staff_a.save(update_fields=["user"])
    order = submit(world)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def dispatch() -> None:
        try:
            barrier.wait()
            services.work_order_transition(
                actor=world.users["manager_a"],
                work_order_id=order.pk,
                action=Action.DISPATCH,
                assignee_id=world.staff_a.pk,
            )
            outcomes.append("ok")
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * 20
    assert WorkOrderEvent.objects.filter(work_order=order, action=Action.DISPATCH).count() == 1
    assert Notification.objects.filter(recipient=world.users["engineer_a"]).count() == 1
