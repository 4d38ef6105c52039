"""Periodic sweeps of the energy app, run by ``haofuwu worker`` under a lease: anomalies every hour, and the raw
retention once a day."""

from __future__ import annotations

import datetime as dt

from haofuwu.core import sweeps
from haofuwu.energy import services


def find_anomalies(now: dt.datetime) -> None:
    services.anomaly_sweep(now)


def sweep_raw_readings(now: dt.datetime) -> None:
    services.raw_retention_sweep(now)


sweeps.register("energy.anomalies", find_anomalies, every_seconds=3600)
sweeps.register("energy.raw_retention", sweep_raw_readings, every_seconds=86400, max_run_seconds=3600)
