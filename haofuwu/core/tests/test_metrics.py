"""The metric registry: names, duplicates, and projects a metric left out."""

from __future__ import annotations

import datetime as dt

import pytest

from haofuwu.core import metrics
from haofuwu.core.metrics import NO_DATA, MetricRegistry, MetricValue, Unit

START = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def test_a_metric_answers_for_every_project_asked_with_no_data_for_those_it_left_out():
    registry = MetricRegistry()

    @registry.register("demo.count", title="Count", unit=Unit.COUNT, record_type="demo.thing")
    def count(*, project_ids, start, end, now):
        return {project_ids[0]: MetricValue(3, 3, 1, [7, 8, 9])}

    metric = registry.get("demo.count")
    got = metric.compute(project_ids=[1, 2], start=START, end=END, now=END)
    assert got == {1: MetricValue(3, 3, 1, [7, 8, 9]), 2: NO_DATA}
    assert metric.app == "demo"
    assert not got[2].has_data


def test_a_name_taken_by_another_function_is_refused():
    registry = MetricRegistry()
    registry.register("a.b", title="B", unit=Unit.RATE, record_type="a.x")(lambda **kwargs: {})
    with pytest.raises(ValueError, match="already registered"):
        registry.register("a.b", title="B", unit=Unit.RATE, record_type="a.x")(lambda **kwargs: {})


def test_a_name_without_its_app_is_refused():
    with pytest.raises(ValueError, match=r"<app>\.<name>"):
        MetricRegistry().register("rate", title="R", unit=Unit.RATE, record_type="a.x")


def test_the_installed_apps_register_their_metrics_at_start():
    assert "workorders.urgent_onsite_in_time_rate" in metrics.names()
    assert metrics.get("nothing.here") is None


def test_metrics_sharing_a_batch_are_computed_in_one_call_and_the_others_alone():
    registry = MetricRegistry()
    batch_calls, alone_calls = [], []

    def alone(name):
        def function(*, project_ids, start, end, now):
            alone_calls.append(name)
            return {project_ids[0]: MetricValue(1, 1, 1, [])}

        return function

    for name in ("demo.a", "demo.b", "demo.c"):
        registry.register(name, title=name, unit=Unit.COUNT, record_type="demo.thing")(alone(name))

    def together(*, names, project_ids, start, end, now):
        batch_calls.append(tuple(names))
        return {name: {project_ids[-1]: MetricValue(2, 2, 1, [5])} for name in names}

    registry.register_batch(["demo.a", "demo.b"], together)
    got = registry.compute_many(
        ["demo.a", "demo.b", "demo.c", "demo.missing"], project_ids=[1, 2], start=START, end=END, now=END
    )
    assert batch_calls == [("demo.a", "demo.b")]
    assert alone_calls == ["demo.c"]
    assert got == {
        "demo.a": {1: NO_DATA, 2: MetricValue(2, 2, 1, [5])},
        "demo.b": {1: NO_DATA, 2: MetricValue(2, 2, 1, [5])},
        "demo.c": {1: MetricValue(1, 1, 1, []), 2: NO_DATA},
    }
    # One name of a batch asked alone is computed by its own function.
    assert registry.compute_many(["demo.b"], project_ids=[1], start=START, end=END, now=END) == {
        "demo.b": {1: MetricValue(1, 1, 1, [])}
    }


def test_a_batch_name_taken_by_another_batch_is_refused():
    registry = MetricRegistry()
    registry.register_batch(["a.b"], lambda **kwargs: {})
    with pytest.raises(ValueError, match="already has a batch"):
        registry.register_batch(["a.b"], lambda **kwargs: {})


def test_the_work_order_metrics_register_a_batch():
    found = metrics.compute_many([], project_ids=[1], start=START, end=END, now=END)
    assert found == {}
    assert "workorders.reopen_rate" in metrics.registry._batches


@pytest.mark.django_db
@pytest.mark.parametrize("above", [0, 100], ids=["one array parameter", "in list"])
def test_an_id_filter_selects_the_same_rows_as_an_in_list(monkeypatch, above):
    from django.contrib.contenttypes.models import ContentType

    monkeypatch.setattr(metrics, "ARRAY_FILTER_ABOVE", above)
    wanted = list(ContentType.objects.order_by("-pk").values_list("pk", flat=True)[:3])
    assert len(wanted) == 3
    found = ContentType.objects.filter(metrics.projects_in("pk", wanted)).values_list("pk", flat=True)
    assert sorted(found) == sorted(wanted)
    assert not ContentType.objects.filter(metrics.projects_in("pk", [-1])).exists()
