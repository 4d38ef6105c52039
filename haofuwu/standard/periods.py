"""Evaluation periods: ``2026`` (a year), ``2026Q3`` (a quarter), ``2026-09`` (a month), as half-open
``[start, end)`` ranges of aware datetimes in Asia/Shanghai, the time zone the Jinan standard is kept in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
KINDS = ("month", "quarter", "year")  # shortest first
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MIN_YEAR, MAX_YEAR = 2000, 2100
PERIOD_FORMAT = "a period like 2026, 2026Q3 or 2026-09"


class PeriodError(ValueError):
    """Text that is not a period."""


@dataclass(frozen=True, order=True)
class Period:
    """One evaluation period: its code, kind and half-open range in local time."""

    start: dt.datetime
    end: dt.datetime
    code: str
    kind: str

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    def enclosing(self, kind: str) -> Period:
        """The period of ``kind`` that contains this one's first day (itself when it is already that long)."""
        if KINDS.index(kind) <= KINDS.index(self.kind):
            return self
        return period_of(kind, self.first_day)

    def window(self, kind: str) -> tuple[dt.datetime, dt.datetime]:
        """Where an indicator measured over ``kind`` looks when this period is evaluated: from the start of the
        enclosing ``kind`` to the end of this period (a yearly indicator in 2026Q3 reads 2026-01-01 to 2026-10-01)."""
        return self.enclosing(kind).start, self.end

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return period_of(self.kind, (self.start - dt.timedelta(days=1)).date())


def _local(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=ZONE)


def _make(kind: str, year: int, index: int) -> Period:
    if kind == "year":
        return Period(_local(year, 1), _local(year + 1, 1), f"{year}", kind)
    if kind == "quarter":
        month = 3 * (index - 1) + 1
        end = _local(year + 1, 1) if index == 4 else _local(year, month + 3)
        return Period(_local(year, month), end, f"{year}Q{index}", kind)
    end = _local(year + 1, 1) if index == 12 else _local(year, index + 1)
    return Period(_local(year, index), end, f"{year}-{index:02d}", kind)


def parse_period(text: str) -> Period:
    """The period named by ``text``; :class:`PeriodError` when it names none."""
    text = (text or "").strip().upper()
    for kind, pattern in (("year", _YEAR), ("quarter", _QUARTER), ("month", _MONTH)):
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise PeriodError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
            index = int(match.group(2)) if kind != "year" else 1
            return _make(kind, year, index)
    raise PeriodError(f"{text!r} is not {PERIOD_FORMAT}")


def period_of(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` (month, quarter, year) that contains ``day``."""
    if kind == "year":
        return _make(kind, day.year, 1)
    if kind == "quarter":
        return _make(kind, day.year, (day.month - 1) // 3 + 1)
    if kind == "month":
        return _make(kind, day.year, day.month)
    raise PeriodError(f"unknown period kind {kind!r}")


def last_complete_quarters(now: dt.datetime, count: int) -> list[Period]:
    """The ``count`` quarters that ended before ``now``, oldest first."""
    current = period_of("quarter", now.astimezone(ZONE).date())
    found = []
    for _ in range(count):
        current = current.previous()
        found.append(current)
    return list(reversed(found))


def year_to_date(now: dt.datetime) -> Period:
    """The current year as a period (its end is the year's end; metrics only find records up to now)."""
    return period_of("year", now.astimezone(ZONE).date())
