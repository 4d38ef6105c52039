"""Evaluation from the records to stored scorecards: each rule moves the score as it says when a record changes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haofuwu.core import metrics
from haofuwu.core.tests.files import pdf_bytes
from haofuwu.estates.tests.factories import ProjectFactory
from haofuwu.standard import selectors, services
from haofuwu.standard.models import Evidence, Finding, IndicatorResult, Rectification, Scorecard
from haofuwu.standard.tests.helpers import NOW, PERIOD, at, complaint, order, resolved, small_catalogue, urgent

PDF = pdf_bytes()


@pytest.fixture
def catalogue():
    return small_catalogue()


def evaluate(world, catalogue, projects=None):
    ids = [p.pk for p in (projects or [world.project_a])]
    return services.scorecards_evaluate(project_ids=ids, period=PERIOD, catalogue=catalogue, now=NOW)


def result(scorecard, indicator_id) -> IndicatorResult:
    return IndicatorResult.objects.get(scorecard=scorecard, indicator_id=indicator_id)


def test_work_orders_become_a_stored_scorecard_with_the_records_behind_it(world, catalogue):
    hit = urgent(world.project_a, "2026-08-03", arrived="2026-08-03T09:20")
    miss = urgent(world.project_a, "2026-08-04", arrived=None)
    (scorecard,) = evaluate(world, catalogue)
    row = result(scorecard, "P-12")
    # linear from 0.5 to 1.0: one of two in time is the floor, no points.
    assert (row.value, row.numerator, row.denominator) == (0.5, 1, 2)
    assert (row.share, row.points_earned, row.points_possible, row.status) == (0.0, 0.0, 10.0, "fail")
    assert row.record_type == "workorders.workorder"
    assert sorted(row.record_ids) == sorted([hit.pk, miss.pk])
    assert selectors.scorecard_result_get(scorecard, "P-12").rule["type"] == "linear"
    assert scorecard.catalogue_code == "test-small" and scorecard.catalogue_version == "1"
    assert scorecard.period == "2026Q3" and len(scorecard.inputs_hash) == 64
    assert scorecard.company_id == world.company_a.pk and scorecard.district == world.project_a.district

    miss.arrived_at = at("2026-08-04T09:10")
    miss.save()
    (again,) = evaluate(world, catalogue)
    assert result(again, "P-12").points_earned == 10.0
    assert again.score > scorecard.score
    assert again.inputs_hash != scorecard.inputs_hash
    scorecard.refresh_from_db()
    assert scorecard.superseded_at == NOW and again.superseded_at is None
    assert result(scorecard, "P-12").points_earned == 0.0  # the old snapshot is unchanged


def test_threshold_rule_gives_all_or_nothing(world, catalogue):
    for day in (
        "2026-07-01",
        "2026-07-02",
        "2026-07-03",
        "2026-07-04",
        "2026-07-05",
        "2026-07-06",
        "2026-07-07",
        "2026-07-08",
        "2026-07-09",
    ):
        resolved(world.project_a, day, in_time=True)
    late = resolved(world.project_a, "2026-07-10", in_time=False)
    (scorecard,) = evaluate(world, catalogue)
    assert (result(scorecard, "P-14").value, result(scorecard, "P-14").points_earned) == (0.9, 10.0)
    late.resolved_at = at("2026-07-10T11:00")
    late.save()
    resolved(world.project_a, "2026-07-11", in_time=False)
    resolved(world.project_a, "2026-07-12", in_time=False)
    (scorecard,) = evaluate(world, catalogue)
    row = result(scorecard, "P-14")
    assert row.value == pytest.approx(10 / 12)
    assert (row.points_earned, row.status) == (0.0, "fail")


def test_steps_rule_lower_is_better_for_complaints(world, catalogue):
    # Two households in project A: one complaint is 50 per 100 households, beyond every step.
    (scorecard,) = evaluate(world, catalogue)
    row = result(scorecard, "R-07")
    assert (row.value, row.points_earned, row.status) == (0.0, 10.0, "pass")
    complaint(world.project_a, "2026-08-01")
    (scorecard,) = evaluate(world, catalogue)
    row = result(scorecard, "R-07")
    assert (row.value, row.points_earned, row.status) == (50.0, 0.0, "fail")


def test_verified_rule_counts_only_verified_evidence(world, catalogue):
    (scorecard,) = evaluate(world, catalogue)
    assert (result(scorecard, "A-01").status, result(scorecard, "A-01").explanation) == (
        "fail",
        "no evidence uploaded → 0%",
    )
    evidence = services.evidence_upload(
        actor=world.users["manager_a"],
        project_id=world.project_a.pk,
        catalogue_code="test-small",
        indicator_id="A-01",
        upload=SimpleUploadedFile("plan.pdf", PDF),
        now=at("2026-03-01T10:00"),
    )
    (scorecard,) = evaluate(world, catalogue)
    assert result(scorecard, "A-01").explanation == "evidence awaiting verification → 0%"
    services.evidence_review(actor=world.users["regulator_lixia"], evidence_id=evidence.pk, decision="verify")
    (scorecard,) = evaluate(world, catalogue)
    row = result(scorecard, "A-01")
    # A yearly indicator: evidence from March counts in the third quarter.
    assert (row.points_earned, row.status, row.record_ids, row.record_type) == (
        10.0,
        "pass",
        [evidence.pk],
        "standard.evidence",
    )


def test_deduction_rule_takes_points_per_sampling_finding(world, catalogue):
    (scorecard,) = evaluate(world, catalogue)
    assert result(scorecard, "A-02").points_earned == 10.0
    for day in ("2026-08-01", "2026-08-02", "2026-08-03"):
        services.finding_record(
            actor=world.users["regulator_lixia"],
            project_id=world.project_a.pk,
            catalogue_code="test-small",
            indicator_id="A-02",
            reason="消防通道堵塞",
            found_at=at(f"{day}T10:00"),
        )
    (scorecard,) = evaluate(world, catalogue)
    row = result(scorecard, "A-02")
    assert (row.value, row.points_earned, row.status) == (3.0, 2.0, "partial")  # 4 each, at most 8
    assert len(row.record_ids) == 3 and row.record_type == "standard.finding"


def test_a_finding_with_a_deduction_lowers_any_indicator_with_its_reason(world, catalogue):
    urgent(world.project_a, "2026-08-03", arrived="2026-08-03T09:20")
    Finding.objects.create(
        project=world.project_a, catalogue_code="test-small", indicator_id="P-12", found_at=at("2026-08-05T10:00"),
        reason="抽查记录不实", deduction=3,
    )  # fmt: skip
    (scorecard,) = evaluate(world, catalogue)
    row = result(scorecard, "P-12")
    assert (row.points_earned, row.status) == (7.0, "partial")
    assert "抽查记录不实" in row.notes


def test_failed_veto_caps_the_grade(world, catalogue):
    (scorecard,) = evaluate(world, catalogue)
    assert not scorecard.vetoed and result(scorecard, "V-01").status == "no_data"
    Finding.objects.create(
        project=world.project_a, catalogue_code="test-small", indicator_id="V-01", found_at=at("2026-08-05T10:00"),
        reason="发生重大安全事故",
    )  # fmt: skip
    (scorecard,) = evaluate(world, catalogue)
    assert scorecard.vetoed and scorecard.stars == 1
    assert result(scorecard, "V-01").points_possible == 0


def test_no_data_is_excluded_and_named_and_never_passed(world, catalogue):
    (scorecard,) = evaluate(world, catalogue)
    row = result(scorecard, "C-01")
    assert (row.status, row.points_possible, row.points_earned) == ("no_data", 0.0, 0.0)
    assert row.explanation == "no data, provided by oversight (module not installed yet)"
    p12 = result(scorecard, "P-12")
    assert p12.status == "no_data" and p12.explanation == "no data, provided by workorders"
    assert scorecard.indicators_with_data < scorecard.indicators_applicable


def test_applicability_leaves_out_indicators_that_do_not_apply(world, catalogue):
    world.project_b.has_elevators = True
    world.project_b.save()
    a, b = evaluate(world, catalogue, [world.project_a, world.project_b])
    assert result(a, "A-03").status == "not_applicable"
    assert result(b, "A-03").status == "fail"


def test_totals_per_section_dimension_and_category(world, catalogue):
    (scorecard,) = evaluate(world, catalogue)
    totals = scorecard.totals
    assert set(totals) == {"sections", "dimensions", "categories"}
    # R-07 passes (10 points) in results; A-02 passes (10) and A-01 fails (0 of 10) in assurance.
    assert totals["sections"]["results"] == {"earned": 10.0, "possible": 10.0, "score": 100.0}
    assert totals["sections"]["assurance"] == {"earned": 10.0, "possible": 20.0, "score": 50.0}
    assert scorecard.score == pytest.approx(100 * 20 / 30, abs=0.01)


def test_failing_indicators_open_one_rectification_each_once(world, catalogue):
    evaluate(world, catalogue)
    evaluate(world, catalogue)
    tasks = Rectification.objects.filter(project=world.project_a)
    assert sorted(tasks.values_list("indicator_id", flat=True)) == ["A-01"]
    task = tasks.get()
    assert task.owner == world.users["manager_a"]
    assert task.deadline == NOW + __import__("datetime").timedelta(days=30)


def test_evaluation_reads_each_metric_once_whatever_the_number_of_projects(world, catalogue):
    def queries(n):
        projects = [ProjectFactory(company=world.company_a) for _ in range(n)]
        for project in projects:
            urgent(project, "2026-08-03", arrived="2026-08-03T09:20")
            complaint(project, "2026-08-04")
        with CaptureQueriesContext(connection) as captured:
            evaluate(world, catalogue, projects)
        # Inserts come in batches (SQLite takes at most 999 parameters a statement); everything else is fixed.
        sql = [query["sql"] for query in captured.captured_queries]
        return len([q for q in sql if not q.startswith("INSERT")]), len([q for q in sql if q.startswith("INSERT")])

    few, many = queries(2), queries(12)
    assert few[0] == many[0]
    assert many[1] <= 6


def test_metrics_are_called_once_for_all_applicable_projects(world, catalogue, monkeypatch):
    calls = []
    original = metrics.Metric.compute

    def spy(self, **kwargs):
        calls.append((self.name, tuple(kwargs["project_ids"])))
        return original(self, **kwargs)

    many = []
    original_many = metrics.MetricRegistry.compute_many

    def spy_many(self, names, **kwargs):
        many.append((tuple(names), tuple(kwargs["project_ids"])))
        return original_many(self, names, **kwargs)

    monkeypatch.setattr(metrics.Metric, "compute", spy)
    monkeypatch.setattr(metrics.MetricRegistry, "compute_many", spy_many)
    evaluate(world, catalogue, [world.project_a, world.project_b])
    names = [name for name, _ids in calls]
    assert sorted(names) == sorted(set(names))
    assert all(len(ids) == 2 for _name, ids in calls)
    asked = [name for names_asked, _ids in many for name in names_asked]
    assert asked and sorted(asked) == sorted(set(asked))
    assert all(len(ids) == 2 for _names, ids in many)


def test_same_inputs_give_the_same_hash(world, catalogue):
    order(world.project_a, submitted_at=at("2026-08-01T10:00"))
    (first,) = evaluate(world, catalogue)
    (second,) = evaluate(world, catalogue)
    assert first.inputs_hash == second.inputs_hash
    assert Scorecard.objects.filter(project=world.project_a, superseded_at__isnull=True).count() == 1
    assert Evidence.objects.count() == 0


def test_many_scorecards_written_with_copy_equal_those_written_one_batch_at_a_time(world, catalogue, monkeypatch):
    from haofuwu.standard.services import evaluation

    urgent(world.project_a, "2026-08-03", arrived="2026-08-03T09:20")
    complaint(world.project_b, "2026-08-04")
    fields = list(evaluation.SCORECARD_COLUMNS)

    def stored(cards):
        by_pk = {card["id"]: card for card in Scorecard.objects.filter(pk__in=[c.pk for c in cards]).values()}
        return [tuple(by_pk[card.pk][name] for name in fields) for card in cards]

    batched = evaluate(world, catalogue, [world.project_a, world.project_b])
    monkeypatch.setattr(evaluation, "COPY_SCORECARDS_ABOVE", 0)
    copied = evaluate(world, catalogue, [world.project_a, world.project_b])
    assert [card.pk for card in copied] != [card.pk for card in batched]
    assert stored(copied) == stored(batched)
    assert Scorecard.objects.filter(superseded_at__isnull=True).count() == 2
    assert IndicatorResult.objects.filter(scorecard__in=[card.pk for card in copied]).count() == sum(
        IndicatorResult.objects.filter(scorecard=card.pk).count() for card in batched
    )
