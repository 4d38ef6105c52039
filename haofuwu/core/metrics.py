"""The metric registry: named measurements of operational data that the standard's indicators read.

DESIGN.md: "the standard is data" — indicators live in a catalogue file; code provides metrics. Each domain app
registers its own in its ``metrics.py`` (found by :func:`autodiscover`, like ``sweeps.py``), and the ``standard``
app reads them through this registry only, never a domain model.

A metric is a function called with keyword arguments ``project_ids`` (a sequence of project ids), ``start`` and
``end`` (a half-open period ``[start, end)`` of aware datetimes) and ``now`` (which running records are already
late), answering ``{project_id: MetricValue}`` for every project asked for — in a constant number of grouped queries
however many projects are asked for (never a query per project).

    from haofuwu.core import metrics

    @metrics.register(
        "workorders.reopen_rate", title=_("Reopen rate"), unit=metrics.Unit.RATE, record_type="workorders.workorder"
    )
    def reopen_rate(*, project_ids, start, end, now): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from haofuwu.core.sql import pg_array

# Enough records to drill into from a score; a project with more shows the first ones (misses first).
MAX_RECORD_IDS = 1000


# Above this many projects a metric's project filter is sent to PostgreSQL as ONE array parameter
# (``project_id = ANY(%s)``) instead of ``IN (%s, %s, …)``: building, converting and parsing thousands of
# placeholders per query cost seconds when a whole city is evaluated.
ARRAY_FILTER_ABOVE = 100


class InArray(Func):
    """``<field> = ANY(<ids as one array parameter>)``, a filter expression for PostgreSQL."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: Sequence[int]) -> None:
        super().__init__(F(field))
        self.ids = list(ids)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        lhs, params = compiler.compile(self.source_expressions[0])
        return f"{lhs} = ANY(%s::bigint[])", [*params, pg_array(int(pk) for pk in self.ids)]


def projects_in(field: str, project_ids: Sequence[int]) -> Q:
    """A filter on ``field`` (a project id, possibly across relations) being one of ``project_ids``: ``__in`` for
    a few ids or on SQLite, one array parameter on PostgreSQL for many (the same rows either way)."""
    ids = list(project_ids)
    if len(ids) > ARRAY_FILTER_ABOVE and connection.vendor == "postgresql":
        return Q(InArray(field, ids))
    return Q(**{f"{field}__in": ids})


class Unit(StrEnum):
    """What a metric's value measures, so that scoring rules and pages can show it."""

    RATE = "rate"  # a share in [0, 1]: numerator / denominator
    COUNT = "count"  # a number of records (numerator; denominator unused or 1)
    PER_100 = "per_100"  # numerator per 100 of denominator (complaints per 100 households)
    AVERAGE = "average"  # numerator / denominator where the numerator is a sum (mean rating)
    QUANTITY = "quantity"  # a physical quantity (kWh, kWh/m², tCO2e); see the metric's description for the unit


@dataclass(frozen=True)
class MetricValue:
    """One project's value of a metric: ``value`` is None when there is no data (an empty denominator).

    ``record_ids`` are the ids of the records (of the metric's ``record_type``) the value was computed from —
    the denominator's set, misses first — at most :data:`MAX_RECORD_IDS`.
    """

    value: float | None
    numerator: float
    denominator: float
    record_ids: list[int] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.value is not None


NO_DATA = MetricValue(value=None, numerator=0, denominator=0, record_ids=[])

MetricFunction = Callable[..., dict[int, MetricValue]]
# Several metrics of one app at once: ``{name: {project_id: MetricValue}}`` (see MetricRegistry.register_batch).
BatchFunction = Callable[..., dict[str, dict[int, MetricValue]]]


@dataclass(frozen=True)
class Metric:
    """A registered metric: its name (``<app>.<name>``), how to show it and the function that computes it."""

    name: str
    function: MetricFunction
    title: str | Promise
    unit: Unit
    record_type: str  # "<app_label>.<model_name>" of the records in MetricValue.record_ids
    description: str = ""

    @property
    def app(self) -> str:
        return self.name.split(".", 1)[0]

    def compute(
        self, *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
    ) -> dict[int, MetricValue]:
        """The metric for every project asked for; projects the function left out get :data:`NO_DATA`."""
        ids = list(project_ids)
        if not ids:
            return {}
        found = self.function(project_ids=ids, start=start, end=end, now=now)
        return {project_id: found.get(project_id, NO_DATA) for project_id in ids}


class MetricRegistry:
    """Metrics by name. Registering a name twice with another function is a programming error."""

    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}
        self._batches: dict[str, BatchFunction] = {}

    def register(
        self, name: str, *, title: str | Promise, unit: Unit, record_type: str, description: str = ""
    ) -> Callable[[MetricFunction], MetricFunction]:
        if "." not in name:
            raise ValueError(f"metric name {name!r} must be '<app>.<name>'")

        def decorator(function: MetricFunction) -> MetricFunction:
            existing = self._metrics.get(name)
            if existing is not None and existing.function is not function:
                raise ValueError(f"metric {name!r} is already registered by {existing.function.__module__}")
            self._metrics[name] = Metric(name, function, title, unit, record_type, description)
            return function

        return decorator

    def register_batch(self, names: Sequence[str], function: BatchFunction) -> BatchFunction:
        """Let ``function`` compute several metrics of one app together (they share a base query):
        ``function(names=..., project_ids=..., start=..., end=..., now=...)`` answers ``{name: {project_id:
        MetricValue}}`` for the names asked (any subset of ``names``) exactly as each metric's own function would.
        The single-metric API keeps working; :meth:`compute_many` uses the batch when it can."""
        for name in names:
            if "." not in name:
                raise ValueError(f"metric name {name!r} must be '<app>.<name>'")
            existing = self._batches.get(name)
            if existing is not None and existing is not function:
                raise ValueError(f"metric {name!r} already has a batch function in {existing.__module__}")
            self._batches[name] = function
        return function

    def compute_many(
        self,
        names: Sequence[str],
        *,
        project_ids: Sequence[int],
        start: dt.datetime,
        end: dt.datetime,
        now: dt.datetime,
    ) -> dict[str, dict[int, MetricValue]]:
        """Several registered metrics for the same projects and period: names sharing a batch function are computed
        in one call of it, the rest one by one. Unregistered names are left out; every project asked for is in each
        answer (:data:`NO_DATA` for those a function left out)."""
        ids = list(project_ids)
        wanted = [name for name in dict.fromkeys(names) if name in self._metrics]
        if not ids:
            return {name: {} for name in wanted}
        result: dict[str, dict[int, MetricValue]] = {}
        grouped: dict[BatchFunction | None, list[str]] = {}
        for name in wanted:
            grouped.setdefault(self._batches.get(name), []).append(name)
        for batch, batch_names in grouped.items():
            if batch is None or len(batch_names) == 1:
                for name in batch_names:
                    result[name] = self._metrics[name].compute(project_ids=ids, start=start, end=end, now=now)
                continue
            found = batch(names=batch_names, project_ids=ids, start=start, end=end, now=now)
            for name in batch_names:
                values = found.get(name, {})
                result[name] = {project_id: values.get(project_id, NO_DATA) for project_id in ids}
        return result

    def unregister(self, name: str) -> None:
        self._metrics.pop(name, None)
        self._batches.pop(name, None)

    def get(self, name: str) -> Metric | None:
        return self._metrics.get(name)

    def names(self) -> list[str]:
        return sorted(self._metrics)

    def all(self) -> list[Metric]:
        return [self._metrics[name] for name in self.names()]


registry = MetricRegistry()


def register(
    name: str, *, title: str | Promise, unit: Unit, record_type: str, description: str = ""
) -> Callable[[MetricFunction], MetricFunction]:
    """Decorator: add ``function`` to the registry under ``name``."""
    return registry.register(name, title=title, unit=unit, record_type=record_type, description=description)


def get(name: str) -> Metric | None:
    """The metric registered under ``name``, or None (its module is not installed or not written yet)."""
    return registry.get(name)


def register_batch(*names: str) -> Callable[[BatchFunction], BatchFunction]:
    """Decorator: ``function`` computes the metrics ``names`` (of one app) together, in fewer queries than one by
    one; each name must also be registered on its own with :func:`register`."""

    def decorator(function: BatchFunction) -> BatchFunction:
        return registry.register_batch(names, function)

    return decorator


def compute_many(
    names: Sequence[str], *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> dict[str, dict[int, MetricValue]]:
    """Several metrics for the same projects and period, sharing queries where their app registered a batch."""
    return registry.compute_many(names, project_ids=project_ids, start=start, end=end, now=now)


def names() -> list[str]:
    return registry.names()


def autodiscover() -> None:
    """Import every installed app's ``metrics`` module, which registers its metrics."""
    autodiscover_modules("metrics")
