"""The silent-household rule as plain data: whether a home's meters show no water or electricity use over a window.

A fridge and a router keep drawing some power in an empty flat, so "no electricity use" is a ceiling per hour, not
zero; water is zero. A meter that sent nothing in the window proves nothing (the device may be offline — the energy
app raises that itself), so silence needs readings covering most of the window.
"""

from __future__ import annotations

from dataclasses import dataclass

# kWh per hour below which a flat counts as idle: a fridge (~1 kWh a day) plus standby (I: our default).
ELECTRICITY_IDLE_KWH_PER_HOUR = 0.06
# m³ over the window: any water drawn at all counts as use (a toilet flush is ~0.006 m³).
WATER_IDLE_M3 = 0.001
# Share of the window's hours that must have readings before silence is believed.
MIN_COVERAGE = 0.8


@dataclass(frozen=True)
class MeterWindow:
    """One meter's consumption over the window: its kind, the total and how many hours had readings."""

    kind: str  # "electricity" or "water"
    consumption: float
    hours_with_readings: int


def is_silent(windows: list[MeterWindow], hours: int) -> bool:
    """True when at least one meter covered the window and every meter that did shows no use."""
    covering = [window for window in windows if window.hours_with_readings >= MIN_COVERAGE * hours]
    if not covering:
        return False
    for window in covering:
        if window.kind == "electricity" and window.consumption > ELECTRICITY_IDLE_KWH_PER_HOUR * hours:
            return False
        if window.kind == "water" and window.consumption > WATER_IDLE_M3:
            return False
    return True
