"""The care register's clock as plain data: when a vulnerable resident's next visit is due, how soon a welfare
check must happen, and which calendar months a resident was contacted in (P-23). No database here; table-driven
tests in ``tests/test_care_schedule.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from haofuwu.community.choices import CareTier

# Days between visits by tier: weekly, monthly, quarterly (research/modules.md §2, the tiered cadence of one local
# implementation, S*). The national target is a monthly visit for every elderly person in special difficulty
# (民政部等10部门, 2022: 100% monthly visit rate by the end of 2025), which the "key" tier meets.
CADENCE_DAYS: dict[str, int] = {CareTier.HIGH: 7, CareTier.KEY: 30, CareTier.GENERAL: 91}

# How soon a welfare check must follow a silent-household alert, by tier (I: our default; the local plan asks for a
# visit "within 24 h of a major event" for high-risk residents, and a silent home of someone living alone may be a
# fall, so we ask for much less).
WELFARE_DEADLINE_HOURS: dict[str, int] = {CareTier.HIGH: 2, CareTier.KEY: 4, CareTier.GENERAL: 8}


def next_visit_due(tier: str, registered_on: dt.date, last_contact_on: dt.date | None) -> dt.date:
    """The date by which the next visit is due: one cadence after the last contact, or after registration."""
    return (last_contact_on or registered_on) + dt.timedelta(days=CADENCE_DAYS[tier])


def welfare_deadline(tier: str, opened_at: dt.datetime) -> dt.datetime:
    return opened_at + dt.timedelta(hours=WELFARE_DEADLINE_HOURS[tier])


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def months_due(
    registered_on: dt.date, closed_on: dt.date | None, first: dt.date, last: dt.date, today: dt.date
) -> list[dt.date]:
    """The calendar months (by their first day) in ``[first, last)`` in which a registered household must be
    contacted: those it was on the register for at least part of, and that have ended by ``today`` (a running
    month is not yet missed). The month of registration counts only when registration was on its first day, so a
    household added on the 28th is not missed for that month."""
    months = []
    month = month_start(first)
    while month < last:
        following = next_month(month)
        on_register = registered_on <= month and (closed_on is None or closed_on >= following - dt.timedelta(days=1))
        if on_register and month >= first.replace(day=1) and following <= today:
            months.append(month)
        month = following
    return months


def months_contacted(contact_days: Iterable[dt.date]) -> set[dt.date]:
    return {month_start(day) for day in contact_days}
