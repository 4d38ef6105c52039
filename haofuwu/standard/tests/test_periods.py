"""Periods parse to half-open ranges in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt

import pytest

from haofuwu.standard.periods import ZONE, PeriodError, last_complete_quarters, parse_period, period_of


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=ZONE)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026", "year", local(2026, 1, 1), local(2027, 1, 1)),
        ("2026Q1", "quarter", local(2026, 1, 1), local(2026, 4, 1)),
        ("2026q3", "quarter", local(2026, 7, 1), local(2026, 10, 1)),
        ("2026Q4", "quarter", local(2026, 10, 1), local(2027, 1, 1)),
        ("2026-09", "month", local(2026, 9, 1), local(2026, 10, 1)),
        ("2026-12", "month", local(2026, 12, 1), local(2027, 1, 1)),
    ],
)
def test_period_parses_to_half_open_range_in_shanghai(text, kind, start, end):
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.start.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize("text", ["", "26", "2026Q5", "2026Q0", "2026-13", "2026-9", "1999", "2026 Q3", "abc"])
def test_bad_period_is_rejected_with_the_expected_format(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_yearly_indicator_in_a_quarter_reads_the_year_to_the_quarters_end():
    quarter = parse_period("2026Q3")
    assert quarter.window("year") == (local(2026, 1, 1), local(2026, 10, 1))
    assert quarter.window("month") == (quarter.start, quarter.end)


def test_previous_and_last_complete_quarters():
    assert parse_period("2026Q1").previous().code == "2025Q4"
    assert parse_period("2026-01").previous().code == "2025-12"
    now = local(2026, 11, 26, 12)
    assert [p.code for p in last_complete_quarters(now, 4)] == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert period_of("quarter", dt.date(2026, 11, 26)).code == "2026Q4"
