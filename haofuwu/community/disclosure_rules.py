"""What a project's disclosure board (公示栏) must hold and how fresh each item must be, as plain data, and the board's
status at a moment — the completeness and freshness A-25 scores. No database here.

Sources: Civil Code art. 943 (the company discloses its service items, standards, fees, the use of common-part
income and of the maintenance fund "regularly"), art. 281 (maintenance fund use published periodically), art. 282
(common-part income belongs to the owners); 淄博 物业管理条例 art. 45 and 潍坊 art. 49 (the notice-board lists);
the 前期物业服务 grade-1 standard "每半年公布一次" for the accounts (research/standard.md A-26, S).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from haofuwu.community.choices import DisclosureKind

# Days an item stays current after publication. Standing information (licence, fees, rules) must be re-confirmed
# once a year (I: a board nobody has looked at for a year is stale); the accounts every six months (S); the staff on
# duty every month (I).
STANDING_DAYS = 366
HALF_YEAR_DAYS = 184
MONTH_DAYS = 31

MAX_AGE_DAYS: dict[str, int] = {
    DisclosureKind.LICENCE_AND_MANAGER: STANDING_DAYS,
    DisclosureKind.SERVICE_STANDARD: STANDING_DAYS,
    DisclosureKind.FEES: STANDING_DAYS,
    DisclosureKind.COMPLAINT_CHANNELS: STANDING_DAYS,
    DisclosureKind.INCOME_AND_COSTS: HALF_YEAR_DAYS,
    DisclosureKind.COMMON_INCOME: HALF_YEAR_DAYS,
    DisclosureKind.MAINTENANCE_FUND: HALF_YEAR_DAYS,
    DisclosureKind.CONTRACTORS_AND_PLANS: STANDING_DAYS,
    DisclosureKind.DECORATION_RULES: STANDING_DAYS,
    DisclosureKind.PARKING_RULES: STANDING_DAYS,
    DisclosureKind.STAFF_ON_DUTY: MONTH_DAYS,
}
# The board's required items, in the order the board shows them. Planned cuts and other notices come and go.
REQUIRED_KINDS: tuple[str, ...] = tuple(MAX_AGE_DAYS)
# The accounts published every six months.
FINANCIAL_KINDS: tuple[str, ...] = (
    DisclosureKind.INCOME_AND_COSTS,
    DisclosureKind.COMMON_INCOME,
    DisclosureKind.MAINTENANCE_FUND,
)
# P-18: a planned cut is announced at least this long before it starts (I: the usual 24 hours).
OUTAGE_NOTICE_HOURS = 24


@dataclass(frozen=True)
class Published:
    """One published (not withdrawn) board item: its kind, id and publication time."""

    kind: str
    pk: int
    published_at: dt.datetime


@dataclass(frozen=True)
class ItemStatus:
    kind: str
    latest: Published | None
    expires_at: dt.datetime | None

    @property
    def is_present(self) -> bool:
        return self.latest is not None

    @property
    def is_fresh(self) -> bool:
        return self.expires_at is not None


def board_status(items: Iterable[Published], at: dt.datetime) -> list[ItemStatus]:
    """Each required kind at moment ``at``: its latest item published by then, and until when it stays current
    (``None`` when missing or stale)."""
    latest: dict[str, Published] = {}
    for item in items:
        if item.kind in MAX_AGE_DAYS and item.published_at <= at:
            known = latest.get(item.kind)
            if known is None or item.published_at > known.published_at:
                latest[item.kind] = item
    statuses = []
    for kind in REQUIRED_KINDS:
        current = latest.get(kind)
        expires = current.published_at + dt.timedelta(days=MAX_AGE_DAYS[kind]) if current else None
        statuses.append(ItemStatus(kind, current, expires if expires is not None and expires > at else None))
    return statuses


def missing_or_stale(items: Iterable[Published], at: dt.datetime) -> list[str]:
    """The required kinds not current at ``at`` (one finding each for A-25)."""
    return [status.kind for status in board_status(items, at) if not status.is_fresh]


def notice_is_in_time(published_at: dt.datetime, starts_at: dt.datetime) -> bool:
    return starts_at - published_at >= dt.timedelta(hours=OUTAGE_NOTICE_HOURS)


def half_year(moment_date: dt.date) -> tuple[int, int]:
    return moment_date.year, 1 if moment_date.month <= 6 else 2


def complete_financial_half_years(items: Iterable[tuple[str, dt.date]]) -> set[tuple[int, int]]:
    """The half-years in which every financial kind was published (A-26: one set of accounts each six months)."""
    kinds_by_half: dict[tuple[int, int], set[str]] = {}
    for kind, day in items:
        if kind in FINANCIAL_KINDS:
            kinds_by_half.setdefault(half_year(day), set()).add(kind)
    return {half for half, kinds in kinds_by_half.items() if kinds >= set(FINANCIAL_KINDS)}
