"""The feedback demo: monthly reception days, two survey rounds and periodic visits, and what the demo residents
find when they log in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.demo.loader import seed_demo
from haofuwu.feedback import selectors
from haofuwu.feedback.metrics import METRICS
from haofuwu.feedback.models import PeriodicVisit, ReceptionBooking, ReceptionDay, ReceptionIssue, Survey
from haofuwu.workorders.sla import SHANGHAI

TODAY = dt.date(2025, 6, 1)


@pytest.mark.django_db
def test_feedback_demo_loads_what_each_page_and_metric_needs(client) -> None:
    # One seed for every check: loading the whole demo is the slow part (the work-order year comes with it).
    seed_demo(password="demo password 123", today=TODAY)
    check_residents_see_an_upcoming_reception_day_and_an_open_survey()
    check_a_year_of_monthly_reception_days_with_issues()
    check_satisfaction_differs_by_project_and_line()
    check_pages_render_for_the_manager_and_the_resident(client)


def check_residents_see_an_upcoming_reception_day_and_an_open_survey() -> None:
    for username in ("resident", "resident-2"):
        scope = scope_for_user(get_user_model().objects.get(username=username))
        days = selectors.reception_day_list_for_user(scope, date_from=TODAY, status="published")
        assert days.exists(), username
        assert not selectors.household_bookings(scope.household_unit_ids, [day.pk for day in days])
        surveys = list(selectors.survey_list_for_user(scope, is_open_on=TODAY))
        assert len(surveys) == 1
        assert selectors.household_response(surveys[0], scope.household_unit_ids) is None


def check_a_year_of_monthly_reception_days_with_issues() -> None:
    held = ReceptionDay.objects.filter(status="held")
    assert held.values("project").distinct().count() == 6
    assert 60 <= held.count() <= 6 * 13
    assert ReceptionBooking.objects.filter(is_walk_in=True).exists()
    assert ReceptionIssue.objects.filter(work_order__channel="reception_day").exists()
    assert ReceptionIssue.objects.filter(outcome="answered").exists()


def check_satisfaction_differs_by_project_and_line() -> None:
    project_ids = list(Survey.objects.values_list("project_id", flat=True).distinct())
    start = dt.datetime(2024, 6, 1, tzinfo=SHANGHAI)
    end = dt.datetime(2025, 6, 2, tzinfo=SHANGHAI)
    now = dt.datetime(2025, 6, 1, 12, tzinfo=SHANGHAI)
    overall = METRICS["feedback.satisfaction_rate"](project_ids=project_ids, start=start, end=end, now=now)
    rates = [value.value for value in overall.values()]
    assert all(rate is not None and 0.3 < rate < 0.98 for rate in rates)
    assert max(rates) - min(rates) > 0.1  # type: ignore[operator]
    fees = METRICS["feedback.satisfaction_fee_transparency"](project_ids=project_ids, start=start, end=end, now=now)
    greening = METRICS["feedback.satisfaction_greening"](project_ids=project_ids, start=start, end=end, now=now)
    assert sum(v.value for v in fees.values()) < sum(v.value for v in greening.values())  # type: ignore[misc]
    coverage = METRICS["feedback.survey_coverage"](project_ids=project_ids, start=start, end=end, now=now)
    assert all(0.5 < value.value < 1 for value in coverage.values())  # type: ignore[operator]
    closed = Survey.objects.filter(closes_on__lt=TODAY).first()
    results = selectors.survey_results(closed)
    assert results.comments
    assert PeriodicVisit.objects.filter(visited_at__isnull=False).exists()


def check_pages_render_for_the_manager_and_the_resident(client) -> None:  # type: ignore[no-untyped-def]
    users = get_user_model().objects
    manager = users.get(username="manager")
    client.force_login(manager)
    project_ids = scope_for_user(manager).managed_project_ids
    day = ReceptionDay.objects.filter(
        status="held", issues__work_order__isnull=False, project_id__in=project_ids
    ).first()
    closed = Survey.objects.filter(closes_on__lt=TODAY, project=day.project).first()
    for url in [
        "/feedback/reception-days/",
        f"/feedback/reception-days/{day.pk}/",
        "/feedback/surveys/",
        f"/feedback/surveys/{closed.pk}/",
        f"/feedback/surveys/{closed.pk}/results/",
        "/feedback/return-visits/",
        "/feedback/return-visits/?source=periodic&state=due",
    ]:
        assert client.get(url).status_code == 200, url
    results = client.get(f"/feedback/surveys/{closed.pk}/results/").content.decode()
    assert 'data-testid="flags"' in results
    client.force_login(users.get(username="resident"))
    for url in ["/feedback/my/reception-days/", "/feedback/my/surveys/", f"/feedback/my/surveys/{closed.pk}/results/"]:
        assert client.get(url).status_code == 200, url
    # Seeded for an earlier day, both rounds have closed by now: the resident sees their results.
    page = client.get("/feedback/my/surveys/").content.decode()
    assert f"/feedback/my/surveys/{closed.pk}/results/" in page
