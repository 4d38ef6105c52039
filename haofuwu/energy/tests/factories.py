"""Meters and anomalies for tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from haofuwu.energy.choices import DEFAULT_UNITS
from haofuwu.energy.models import Anomaly, Meter

_numbers = itertools.count(1)


def make_meter(project: Any, **fields: Any) -> Meter:
    number = next(_numbers)
    values: dict[str, Any] = {
        "project": project,
        "external_id": f"M{number:05d}",
        "name": f"表{number}",
        "kind": "electricity",
        "scope": "public_lighting",
        "reading_type": "interval",
    }
    values.update(fields)
    values.setdefault("unit", DEFAULT_UNITS[values["kind"]])
    return Meter.objects.create(**values)


def make_anomaly(meter: Meter, *, at: dt.datetime, **fields: Any) -> Anomaly:
    """An anomaly of the meter detected at ``at``, over that moment unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "project_id": meter.project_id,
        "meter": meter,
        "kind": "flatline",
        "detected_at": at,
        "period_start": at,
        "period_end": at,
        "summary": "x",
        "dedup_key": f"test:{next(_numbers)}",
    }
    values.update(fields)
    return Anomaly.objects.create(**values)
