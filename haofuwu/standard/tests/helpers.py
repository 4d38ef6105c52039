"""Shared helpers of the standard tests: the test catalogue, times and work orders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from haofuwu.standard.catalogue import Catalogue, load_catalogue
from haofuwu.standard.periods import ZONE, parse_period

SMALL = Path(__file__).parent / "catalogues" / "small.yaml"
PERIOD = parse_period("2026Q3")
NOW = dt.datetime(2026, 10, 15, 12, tzinfo=ZONE)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE)


def small_catalogue() -> Catalogue:
    return load_catalogue(SMALL)


def evaluate_small(projects: Any, period: str = "2026Q3", now: dt.datetime = NOW) -> Any:
    """Evaluate the projects under the small test catalogue and store their scorecards."""
    from haofuwu.standard import services

    return services.scorecards_evaluate(
        project_ids=[p.pk for p in projects], period=parse_period(period), catalogue=small_catalogue(), now=now
    )


def order(project: Any, **fields: Any) -> Any:
    from haofuwu.workorders.models import WorkOrder

    defaults: dict[str, Any] = {"kind": "repair", "urgency": "normal", "title": "t", "description": "d"}
    defaults.update(fields)
    return WorkOrder.objects.create(project=project, **defaults)


def urgent(project: Any, day: str, *, arrived: str | None) -> Any:
    return order(
        project,
        urgency="urgent",
        status="in_progress" if arrived else "dispatched",
        submitted_at=at(f"{day}T09:00"),
        arrival_due_at=at(f"{day}T09:30"),
        arrived_at=at(arrived) if arrived else None,
    )


def resolved(project: Any, day: str, *, in_time: bool) -> Any:
    return order(
        project,
        status="resolved",
        submitted_at=at(f"{day}T09:00"),
        resolution_due_at=at(f"{day}T18:00"),
        resolved_at=at(f"{day}T12:00" if in_time else f"{day}T20:00"),
    )


def complaint(project: Any, day: str) -> Any:
    return order(project, kind="complaint", status="submitted", submitted_at=at(f"{day}T10:00"))
