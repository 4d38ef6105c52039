"""The default reception schedule and the suspicious-pattern flags (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest

from haofuwu.feedback.patterns import ResponseRow, suspicious
from haofuwu.feedback.schedule import nth_weekday, propose_dates


@pytest.mark.parametrize(
    ("year", "month", "weekday", "ordinal", "expected"),
    [
        (2026, 11, 5, 1, dt.date(2026, 11, 7)),  # first Saturday
        (2026, 8, 5, 1, dt.date(2026, 8, 1)),  # the month starts on a Saturday
        (2026, 11, 2, 3, dt.date(2026, 11, 18)),  # third Wednesday
        (2026, 11, 5, -1, dt.date(2026, 11, 28)),  # last Saturday
        (2026, 2, 5, 5, dt.date(2026, 2, 28)),  # no fifth Saturday: the last one
    ],
)
def test_nth_weekday_of_a_month(year: int, month: int, weekday: int, ordinal: int, expected: dt.date) -> None:
    assert nth_weekday(year, month, weekday=weekday, ordinal=ordinal) == expected


def test_propose_dates_skips_this_month_when_its_date_has_passed() -> None:
    assert propose_dates(dt.date(2026, 11, 10), 3) == [dt.date(2026, 12, 5), dt.date(2027, 1, 2)]


def test_bad_weekday_is_refused() -> None:
    with pytest.raises(ValueError):
        nth_weekday(2026, 1, weekday=7)


T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def test_five_responses_from_one_device_within_ten_minutes_are_flagged() -> None:
    rows = [ResponseRow(i, T0 + dt.timedelta(minutes=2 * i), device_id="d1") for i in range(5)]
    rows.append(ResponseRow(9, T0 + dt.timedelta(hours=2), device_id="d1"))
    flags = suspicious(rows)
    assert [(flag.kind, flag.source, flag.count, flag.response_ids) for flag in flags] == [
        ("device", "d1", 5, (0, 1, 2, 3, 4))
    ]


def test_spread_out_responses_and_small_bursts_are_not_flagged() -> None:
    rows = [ResponseRow(i, T0 + dt.timedelta(minutes=11 * i), ip_digest="ip") for i in range(6)]
    rows += [ResponseRow(10 + i, T0, entered_by="staff1") for i in range(4)]
    assert suspicious(rows) == []


def test_many_paper_entries_by_one_staff_member_are_flagged() -> None:
    rows = [ResponseRow(i, T0 + dt.timedelta(seconds=30 * i), entered_by="clerk") for i in range(8)]
    (flag,) = suspicious(rows)
    assert (flag.kind, flag.source, flag.count) == ("staff", "clerk", 8)
