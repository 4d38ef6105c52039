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
