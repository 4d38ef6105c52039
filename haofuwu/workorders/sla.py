"""The SLA clock: deadlines from a start time, a duration, an optional working-hours calendar and pauses.

Pure functions on plain data (no ORM), so the rules can be tested table by table and with property tests.

- Without a calendar, time counts around the clock (urgent repairs: on site within 30 minutes, any hour).
- With a calendar, only working time counts: working hours on working days, where a working day is a weekday that
  is not a public holiday, or a make-up working day (调休上班) even if it falls on a weekend. "5 working days" for
  a 12345 case is five days' worth of working hours.
- Pauses (a work order on hold, with a reason) stop the clock; pausing never makes a deadline earlier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A clock that never reaches its deadline within this many calendar days has a broken calendar (no working days).
_MAX_SEARCH_DAYS = 3660


@dataclass(frozen=True)
class Interval:
    """A half-open span of time ``[start, end)``; ``end`` is ``None`` while it is still running."""

    start: dt.datetime
    end: dt.datetime | None = None


@dataclass(frozen=True)
class Calendar:
    """Working time: daily hours on working days, with public holidays and make-up working days."""

    day_start: dt.time = dt.time(8, 30)
    day_end: dt.time = dt.time(17, 30)
    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday (Monday is 0)
    holidays: frozenset[dt.date] = frozenset()
    makeup_workdays: frozenset[dt.date] = frozenset()
    timezone: dt.tzinfo = SHANGHAI

    def __post_init__(self) -> None:
        if self.day_end <= self.day_start:
            raise ValueError("working day must end after it starts")

    @property
    def hours_per_day(self) -> dt.timedelta:
        return _combine(dt.date(2000, 1, 3), self.day_end, dt.UTC) - _combine(
            dt.date(2000, 1, 3), self.day_start, dt.UTC
        )

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays

    def working_segments(self, since: dt.datetime) -> Iterator[Interval]:
        """Working spans from the day of ``since`` on, in order, each clipped to start no earlier than ``since``."""
        local = since.astimezone(self.timezone)
        day = local.date()
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_working_day(day):
                start = _combine(day, self.day_start, self.timezone)
                end = _combine(day, self.day_end, self.timezone)
                if end > since:
                    yield Interval(max(start, since), end)
            day += dt.timedelta(days=1)
        raise ValueError("calendar has no working time in ten years")


def _combine(day: dt.date, time: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=tz)


def _around_the_clock(since: dt.datetime) -> Iterator[Interval]:
    yield Interval(since, None)


def _subtract(segment: Interval, pauses: Sequence[Interval]) -> Iterator[Interval]:
    """The parts of a segment not covered by any pause (pauses sorted by start, possibly overlapping)."""
    cursor = segment.start
    for pause in pauses:
        pause_end = pause.end
        if pause_end is not None and pause_end <= cursor:
            continue
        if segment.end is not None and pause.start >= segment.end:
            break
        if pause.start > cursor:
            yield Interval(cursor, pause.start if segment.end is None else min(pause.start, segment.end))
        if pause_end is None:
            return
        cursor = max(cursor, pause_end)
        if segment.end is not None and cursor >= segment.end:
            return
    yield Interval(cursor, segment.end)


def _counting_spans(start: dt.datetime, calendar: Calendar | None, pauses: Iterable[Interval]) -> Iterator[Interval]:
    """The spans of time that count, in order: working time (or all time) minus pauses."""
    ordered = sorted(pauses, key=lambda pause: pause.start)
    open_starts = [pause.start for pause in ordered if pause.end is None]
    # An open pause stops the clock from its start until it is resumed: nothing after it counts yet.
    stop_at = min(open_starts) if open_starts else None
    segments = calendar.working_segments(start) if calendar else _around_the_clock(start)
    for segment in segments:
        if stop_at is not None and segment.start >= stop_at:
            return
        for span in _subtract(segment, ordered):
            if span.end is None or span.end > span.start:
                yield span
        if stop_at is not None and (segment.end is None or segment.end > stop_at):
            return


def deadline(
    start: dt.datetime,
    duration: dt.timedelta,
    *,
    calendar: Calendar | None = None,
    pauses: Iterable[Interval] = (),
) -> dt.datetime | None:
    """When ``duration`` of counting time has passed since ``start``; ``None`` while an open pause holds it."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if duration < dt.timedelta(0):
        raise ValueError("duration must not be negative")
    remaining = duration
    last_end: dt.datetime | None = start
    for span in _counting_spans(start, calendar, pauses):
        if span.end is None:
            return span.start + remaining
        length = span.end - span.start
        if remaining <= length:
            return span.start + remaining
        remaining -= length
        last_end = span.end
    return None if remaining > dt.timedelta(0) else last_end


def elapsed(
    start: dt.datetime,
    now: dt.datetime,
    *,
    calendar: Calendar | None = None,
    pauses: Iterable[Interval] = (),
) -> dt.timedelta:
    """Counting time between ``start`` and ``now``."""
    total = dt.timedelta(0)
    if now <= start:
        return total
    for span in _counting_spans(start, calendar, pauses):
        if span.start >= now:
            break
        end = now if span.end is None else min(span.end, now)
        total += end - span.start
        if span.end is None or span.end >= now:
            break
    return total


def working_days(count: int, calendar: Calendar) -> dt.timedelta:
    """``count`` working days as counting time on this calendar (12345 cases: 5 working days)."""
    return calendar.hours_per_day * count


@dataclass(frozen=True)
class ClockState:
    """Where a deadline stands at a moment."""

    due_at: dt.datetime | None
    is_overdue: bool
    is_paused: bool
    remaining: dt.timedelta | None
    completed_after_deadline: bool | None = None
    breach_reasons: tuple[str, ...] = field(default_factory=tuple)


def clock_state(
    *,
    start: dt.datetime,
    duration: dt.timedelta,
    now: dt.datetime,
    completed_at: dt.datetime | None = None,
    calendar: Calendar | None = None,
    pauses: Sequence[Interval] = (),
) -> ClockState:
    """The state of one clock: due time, whether it is overdue (or was finished late), and time left."""
    is_paused = any(pause.end is None and pause.start <= now for pause in pauses)
    due = deadline(start, duration, calendar=calendar, pauses=pauses)
    if completed_at is not None:
        late = due is not None and completed_at > due
        return ClockState(due_at=due, is_overdue=False, is_paused=False, remaining=None, completed_after_deadline=late)
    if due is None:
        return ClockState(due_at=None, is_overdue=False, is_paused=is_paused, remaining=None)
    remaining = duration - elapsed(start, now, calendar=calendar, pauses=pauses)
    return ClockState(due_at=due, is_overdue=now > due, is_paused=is_paused, remaining=remaining)
