"""The SLA clock, table by table, and its invariants as properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haofuwu.workorders.sla import SHANGHAI, Calendar, Interval, clock_state, deadline, elapsed, working_days


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


# An illustrative National Day calendar: 1–9 October off, Saturday 10 October a make-up working day.
NATIONAL_DAY = Calendar(
    holidays=frozenset(dt.date(2026, 10, day) for day in range(1, 10)),
    makeup_workdays=frozenset({dt.date(2026, 10, 10)}),
)
OFFICE = Calendar()
MINUTES = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("start", "duration", "calendar", "pauses", "expected"),
    [
        # Urgent repair: 30 minutes on site, around the clock.
        ("2026-09-01 23:50", dt.timedelta(minutes=30), None, [], "2026-09-02 00:20"),
        # On hold 10 minutes in the middle: the deadline moves 10 minutes.
        (
            "2026-09-01 10:00",
            dt.timedelta(minutes=30),
            None,
            [("2026-09-01 10:05", "2026-09-01 10:15")],
            "2026-09-01 10:40",
        ),
        # Overlapping pauses are not counted twice.
        (
            "2026-09-01 10:00",
            dt.timedelta(minutes=30),
            None,
            [("2026-09-01 10:05", "2026-09-01 10:15"), ("2026-09-01 10:10", "2026-09-01 10:20")],
            "2026-09-01 10:45",
        ),
        # A pause that ended before the start does nothing.
        (
            "2026-09-01 10:00",
            dt.timedelta(hours=1),
            None,
            [("2026-09-01 08:00", "2026-09-01 09:00")],
            "2026-09-01 11:00",
        ),
        # Working hours: a complaint at 17:00 Friday with 2 hours to answer is due Monday 10:00.
        ("2026-09-04 17:00", dt.timedelta(hours=2), OFFICE, [], "2026-09-07 10:00"),
        # Received before opening: the clock starts at 08:30.
        ("2026-09-01 06:00", dt.timedelta(hours=1), OFFICE, [], "2026-09-01 09:30"),
        # Exactly a whole working day ends at the close of the day, not the next morning.
        ("2026-09-01 08:30", dt.timedelta(hours=9), OFFICE, [], "2026-09-01 17:30"),
        # National Day: received 30 September 17:00, one working hour left on the 30th, the next working day is
        # the make-up Saturday 10 October.
        ("2026-09-30 17:00", dt.timedelta(hours=2), NATIONAL_DAY, [], "2026-10-10 10:00"),
        # 12345 case: 5 working days from Monday 09:00 is the next Monday 09:00.
        ("2026-09-07 09:00", working_days(5, OFFICE), OFFICE, [], "2026-09-14 09:00"),
    ],
)
def test_deadline_table(start, duration, calendar, pauses, expected) -> None:
    intervals = [Interval(at(a), at(b)) for a, b in pauses]
    assert deadline(at(start), duration, calendar=calendar, pauses=intervals) == at(expected)


def test_open_pause_holds_the_deadline_until_resumed() -> None:
    pauses = [Interval(at("2026-09-01 10:10"))]
    assert deadline(at("2026-09-01 10:00"), 30 * MINUTES, pauses=pauses) is None
    state = clock_state(start=at("2026-09-01 10:00"), duration=30 * MINUTES, now=at("2026-09-01 12:00"), pauses=pauses)
    assert (state.is_paused, state.is_overdue, state.due_at) == (True, False, None)


def test_deadline_reached_before_an_open_pause_stands() -> None:
    pauses = [Interval(at("2026-09-01 11:00"))]
    assert deadline(at("2026-09-01 10:00"), 30 * MINUTES, pauses=pauses) == at("2026-09-01 10:30")


def test_clock_state_reports_overdue_and_late_completion() -> None:
    start = at("2026-09-01 10:00")
    running = clock_state(start=start, duration=30 * MINUTES, now=at("2026-09-01 10:45"))
    assert running.is_overdue and running.remaining == -15 * MINUTES
    done = clock_state(
        start=start, duration=30 * MINUTES, now=at("2026-09-01 11:00"), completed_at=at("2026-09-01 10:31")
    )
    assert done.completed_after_deadline is True and not done.is_overdue
    on_time = clock_state(
        start=start, duration=30 * MINUTES, now=at("2026-09-01 11:00"), completed_at=at("2026-09-01 10:30")
    )
    assert on_time.completed_after_deadline is False


def test_elapsed_counts_only_working_time() -> None:
    assert elapsed(at("2026-09-04 17:00"), at("2026-09-07 09:00"), calendar=OFFICE) == dt.timedelta(minutes=60)


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline(dt.datetime(2026, 9, 1, 10), MINUTES)


def test_calendar_without_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="no working time"):
        deadline(at("2026-09-01 10:00"), MINUTES, calendar=Calendar(weekend=frozenset(range(7))))


starts = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31)).map(
    lambda value: value.replace(tzinfo=SHANGHAI, microsecond=0)
)
durations = st.integers(min_value=0, max_value=60 * 24 * 10).map(lambda minutes: dt.timedelta(minutes=minutes))
holiday_sets = st.frozensets(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 3, 1)), max_size=40)
calendars = st.one_of(st.none(), holiday_sets.map(lambda days: Calendar(holidays=days)))


@st.composite
def pause_lists(draw, start: dt.datetime):  # type: ignore[no-untyped-def]
    pauses = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        offset = dt.timedelta(minutes=draw(st.integers(min_value=-600, max_value=60 * 24 * 20)))
        length = dt.timedelta(minutes=draw(st.integers(min_value=0, max_value=60 * 24 * 3)))
        pauses.append(Interval(start + offset, start + offset + length))
    return pauses


@settings(max_examples=300, deadline=None)
@given(data=st.data(), start=starts, duration=durations, calendar=calendars)
def test_pausing_never_shortens_a_deadline(data, start, duration, calendar) -> None:
    pauses = data.draw(pause_lists(start))
    without = deadline(start, duration, calendar=calendar)
    with_pauses = deadline(start, duration, calendar=calendar, pauses=pauses)
    assert without is not None and with_pauses is not None
    assert with_pauses >= without


@settings(max_examples=300, deadline=None)
@given(start=starts, duration=durations, holidays=holiday_sets)
def test_deadline_never_falls_on_a_holiday_when_working_hours_are_on(start, duration, holidays) -> None:
    calendar = Calendar(holidays=holidays)
    due = deadline(start, duration + MINUTES, calendar=calendar)
    assert due is not None
    local = due.astimezone(SHANGHAI)
    assert calendar.is_working_day(local.date())
    assert calendar.day_start < local.time() <= calendar.day_end


@settings(max_examples=200, deadline=None)
@given(start=starts, duration=durations, calendar=calendars)
def test_elapsed_at_the_deadline_equals_the_duration(start, duration, calendar) -> None:
    due = deadline(start, duration, calendar=calendar)
    assert due is not None
    assert elapsed(start, due, calendar=calendar) == duration
