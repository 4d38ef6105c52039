"""Demo data of the feedback app."""

from __future__ import annotations

import datetime as dt

from haofuwu.demo.records import Dataset


def load(dataset: Dataset, *, now: dt.datetime) -> None:
    """Write this app's demo records for the freshly loaded registry and work orders."""
