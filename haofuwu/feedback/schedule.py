"""The default reception-day schedule: the n-th weekday of each month (by default the first Saturday)."""

from __future__ import annotations

import calendar
import datetime as dt

SATURDAY = 5
LAST = -1


def nth_weekday(year: int, month: int, *, weekday: int = SATURDAY, ordinal: int = 1) -> dt.date:
    """The ``ordinal``-th ``weekday`` (Monday 0 … Sunday 6) of a month; ordinal -1 is the last one.

    An ordinal past the month's last such weekday (the 5th Saturday of a month with four) gives the last one."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    if ordinal == 0 or not -5 <= ordinal <= 5:
        raise ValueError("ordinal must be 1 to 5, or -1 for the last")
    days = [day for day in calendar.Calendar().itermonthdates(year, month) if day.month == month]
    matching = [day for day in days if day.weekday() == weekday]
    if ordinal > 0:
        return matching[min(ordinal, len(matching)) - 1]
    return matching[max(ordinal, -len(matching))]


def propose_dates(start: dt.date, months: int, *, weekday: int = SATURDAY, ordinal: int = 1) -> list[dt.date]:
    """Reception dates for ``months`` months from the month of ``start``, skipping a date already past ``start``."""
    found: list[dt.date] = []
    year, month = start.year, start.month
    for _ in range(months):
        date = nth_weekday(year, month, weekday=weekday, ordinal=ordinal)
        if date >= start:
            found.append(date)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return found
