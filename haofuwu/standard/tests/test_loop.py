"""Rectification loop, escalation sweep and the annual project-manager evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from haofuwu.core import metrics
from haofuwu.core.errors import Conflict, PermissionDenied, ValidationFailed
from haofuwu.core.metrics import MetricValue
from haofuwu.core.models import Notification
from haofuwu.estates.models import StaffAssignment
from haofuwu.estates.tests.factories import ProjectFactory, StaffFactory
from haofuwu.standard import services
from haofuwu.standard.models import ManagerEvaluation, Rectification, Scorecard
from haofuwu.standard.periods import parse_period
from haofuwu.standard.services.managers import combine
from haofuwu.standard.tests.helpers import NOW, evaluate_small


@pytest.fixture
def task(world):
    evaluate_small([world.project_a])
    return Rectification.objects.get(project=world.project_a, indicator_id="A-01")


def test_respond_then_accept_closes_the_task(world, task):
    with pytest.raises(PermissionDenied):
        services.rectification_respond(actor=world.users["engineer_a"], rectification_id=task.pk, note="x")
    services.rectification_respond(actor=world.users["manager_a"], rectification_id=task.pk, note="已补充服务方案")
    with pytest.raises(Conflict):
        services.rectification_respond(actor=world.users["manager_a"], rectification_id=task.pk, note="again")
    with pytest.raises(PermissionDenied):
        services.rectification_review(actor=world.users["company_admin_a"], rectification_id=task.pk, decision="accept")
    task = services.rectification_review(
        actor=world.users["regulator_lixia"], rectification_id=task.pk, decision="accept"
    )
    assert task.status == "closed" and task.closed_at is not None


def test_a_closed_task_lets_the_next_failure_open_a_new_one(world, task):
    Rectification.objects.filter(pk=task.pk).update(status="closed")
    evaluate_small([world.project_a])
    assert Rectification.objects.filter(project=world.project_a, indicator_id="A-01").count() == 2


def test_overdue_tasks_escalate_once_however_often_the_sweep_runs(world, task):
    later = task.deadline + dt.timedelta(hours=1)
    assert services.rectification_escalation_sweep(task.deadline - dt.timedelta(hours=1)) == 0
    assert services.rectification_escalation_sweep(later) == 1
    assert services.rectification_escalation_sweep(later) == 0
    recipients = set(
        Notification.objects.filter(dedup_key=f"standard.rectification.{task.pk}.overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"company_admin_a", "manager_a"}


def test_reject_needs_a_reason(world, task):
    services.rectification_respond(actor=world.users["manager_a"], rectification_id=task.pk, note="done")
    with pytest.raises(ValidationFailed) as caught:
        services.rectification_review(actor=world.users["regulator_lixia"], rectification_id=task.pk, decision="reject")
    assert caught.value.field == "reason"


def test_manager_formula_leaves_out_missing_components():
    weights = {"scorecard": 0.5, "satisfaction": 0.2, "complaints": 0.1, "assessment": 0.2}
    assert combine(
        {"scorecard": 80, "satisfaction": None, "complaints": 100, "assessment": 60}, weights
    ) == pytest.approx((0.5 * 80 + 0.1 * 100 + 0.2 * 60) / 0.8, abs=0.01)
    assert combine({"scorecard": None, "satisfaction": None, "complaints": None, "assessment": None}, weights) is None


def _card(project, period, score):
    start = parse_period(period)
    return Scorecard.objects.create(
        project=project, company=project.company, district=project.district, households=10, period=period,
        period_kind=start.kind, period_start=start.start, period_end=start.end, catalogue_code="test-small",
        catalogue_version="1", catalogue_hash="x", score=score, inputs_hash="x", computed_at=NOW,
    )  # fmt: skip


def test_manager_who_moved_is_weighted_by_days_and_ranked(world, monkeypatch):
    fake = dict(metrics.registry._metrics)
    fake["feedback.satisfaction_rate"] = metrics.Metric(
        "feedback.satisfaction_rate",
        lambda *, project_ids, start, end, now: {world.project_a.pk: MetricValue(0.9, 9, 10)},
        "s",
        metrics.Unit.RATE,
        "feedback.surveyresponse",
    )
    monkeypatch.setattr(metrics.registry, "_metrics", fake)
    other = ProjectFactory(company=world.company_a, district=world.project_a.district)
    mover = StaffFactory(company=world.company_a, name="孙经理", trade="customer_service", is_manager=True)
    StaffAssignment.objects.create(
        staff=mover, project=world.project_a, started_on=dt.date(2025, 1, 1), ended_on=dt.date(2025, 7, 2)
    )
    StaffAssignment.objects.create(staff=mover, project=other, started_on=dt.date(2025, 7, 2))
    stayer = StaffFactory(company=world.company_a, name="周经理", trade="customer_service", is_manager=True)
    StaffAssignment.objects.create(staff=stayer, project=other, started_on=dt.date(2024, 1, 1))
    _card(world.project_a, "2025", 90.0)
    _card(other, "2025Q1", 60.0)
    _card(other, "2025Q3", 80.0)  # the year's quarters average 70
    services.manager_assessment_set(actor=world.users["company_admin_a"], staff_id=stayer.pk, year=2025, score=100)
    run = services.manager_evaluation_run(
        year=2025, weights={"scorecard": 1, "satisfaction": 0, "complaints": 0, "assessment": 0}, now=NOW
    )
    results = {e.staff_name: e for e in ManagerEvaluation.objects.filter(run=run)}
    # 182 days on A (90) and 183 days on the other project (70).
    expected = (182 * 90 + 183 * 70) / 365
    assert results["孙经理"].project_score == pytest.approx(expected, abs=0.01)
    assert results["周经理"].project_score == 70.0
    assert results["孙经理"].satisfaction == 90.0 and results["周经理"].satisfaction is None
    assert results["周经理"].assessment == 100
    assert (results["孙经理"].rank_in_company, results["周经理"].rank_in_company) == (1, 2)
    assert run.weights["scorecard"] == 1


def test_assessment_by_another_company_is_refused(world):
    world.staff_a.is_manager = True
    world.staff_a.save()
    from haofuwu.core.errors import NotFound

    with pytest.raises((PermissionDenied, NotFound)):
        services.manager_assessment_set(
            actor=world.users["company_admin_b"], staff_id=world.staff_a.pk, year=2026, score=50
        )
