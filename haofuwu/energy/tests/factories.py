"""Meters for tests."""

from __future__ import annotations

import itertools
from typing import Any

from haofuwu.energy.choices import DEFAULT_UNITS
from haofuwu.energy.models import Meter

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
