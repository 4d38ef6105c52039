"""Demo reception days: a year of monthly days with bookings, walk-ins and the issues raised, and the next day
open for booking (the demo residents have not booked it, so they can try)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from haofuwu.demo.feedback.context import BATCH_SIZE, Context, Site
from haofuwu.feedback import selectors
from haofuwu.feedback.choices import BookingStatus, IssueOutcome, ReceptionDayStatus
from haofuwu.feedback.models import ReceptionBooking, ReceptionDay, ReceptionIssue, ReceptionSlot
from haofuwu.workorders.choices import Channel
from haofuwu.workorders.models import WorkOrder

SLOT_STARTS = [dt.time(9, 0), dt.time(9, 30), dt.time(10, 0), dt.time(10, 30), dt.time(11, 0)]
CAPACITY = 5
PLACE = "物业服务中心一楼接待室"
TOPICS = [
    "地下车库车位紧张，外来车辆乱停",
    "小区健身器材老化，希望更换",
    "楼道堆放杂物，存在消防隐患",
    "物业费收支明细想了解一下",
    "夜间广场舞噪音扰民",
    "电梯维保记录能否公示",
    "小区绿化带被踩踏，希望补种",
    "快递柜数量不够用",
    "想了解二次供水水箱清洗情况",
    "宠物粪便无人清理",
    "门禁卡补办流程",
    "雨天单元门口积水",
]
ANSWERS = [
    "已现场说明，下周一起增加巡查频次。",
    "已解释收费依据，收支明细将于月底在公告栏公示。",
    "已答复，物业将联系社区协调处理。",
    "已说明维保计划，记录已在服务中心公示。",
    "已登记，由客服跟进并电话回复。",
]


def _monthly_dates(site: Site, first: dt.date, today: dt.date) -> tuple[list[dt.date], dt.date]:
    """The reception dates of each month from ``first`` up to today, and the next one after today."""
    dates: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        date = dt.date(year, month, site.reception_day_of_month)
        if date > today:
            return dates, date
        if date >= first.replace(day=1):
            dates.append(date)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def load_reception_days(context: Context, rng: random.Random) -> None:
    tz = timezone.get_current_timezone()
    orders_by_day: dict[tuple[int, dt.date], list[Any]] = defaultdict(list)
    for order in (
        WorkOrder.objects.filter(project_id__in=[s.project_id for s in context.sites], channel=Channel.RECEPTION_DAY)
        .order_by("submitted_at")
        .values("pk", "project_id", "submitted_at", "unit_id", "title", "reporter_name")
    ):
        orders_by_day[(order["project_id"], timezone.localtime(order["submitted_at"]).date())].append(order)
    year_ago = context.today - dt.timedelta(days=365)
    days: list[ReceptionDay] = []
    plans: list[tuple[Site, ReceptionDay]] = []
    for site in context.sites:
        past, upcoming = _monthly_dates(site, year_ago, context.today)
        for date in [*past, upcoming]:
            held = date < context.today
            # One project skipped a month (the manager was on leave): the evidence shows the gap.
            skipped = held and site.index == 2 and date.month == (context.today.month - 5) % 12 + 1
            day_status = ReceptionDayStatus.PUBLISHED if not held else ReceptionDayStatus.HELD
            day = ReceptionDay(
                project_id=site.project_id,
                date=date,
                place=PLACE,
                host_id=site.manager_user_id,
                host_name=site.manager_name,
                status=ReceptionDayStatus.CANCELLED if skipped else day_status,
                held_at=dt.datetime.combine(date, dt.time(11, 45), tz) if held and not skipped else None,
                summary="接待业主来访，问题已逐一登记。" if held and not skipped else "",
                note="" if not skipped else "项目经理休假，本月接待日取消。",
            )
            days.append(day)
            plans.append((site, day))
    ReceptionDay.objects.bulk_create(days, batch_size=BATCH_SIZE)
    slots = ReceptionSlot.objects.bulk_create(
        [
            ReceptionSlot(day=day, starts_at=start, ends_at=_plus(start, 30), capacity=CAPACITY)
            for day in days
            for start in SLOT_STARTS
        ],
        batch_size=BATCH_SIZE,
    )
    slots_by_day: dict[int, list[ReceptionSlot]] = defaultdict(list)
    for slot in slots:
        slots_by_day[slot.day_id].append(slot)

    bookings: list[ReceptionBooking] = []
    pending_issues: list[tuple[ReceptionBooking, ReceptionIssue]] = []
    issues: list[ReceptionIssue] = []
    for site, day in plans:
        if day.status == ReceptionDayStatus.CANCELLED:
            continue
        is_past = day.status == ReceptionDayStatus.HELD
        candidates = [unit for unit in site.unit_ids if unit not in site.account_unit_ids]
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(3, 9) if is_past else rng.randint(2, 5)))
        for unit_id in chosen:
            slot = rng.choice([slot for slot in slots_by_day[day.pk] if slot.booked < slot.capacity])
            roll = rng.random()
            if not is_past:
                status = BookingStatus.BOOKED
            elif roll < 0.82:
                status = BookingStatus.ATTENDED
            elif roll < 0.93:
                status = BookingStatus.NO_SHOW
            else:
                status = BookingStatus.CANCELLED
            if status != BookingStatus.CANCELLED:
                slot.booked += 1
            booking = ReceptionBooking(
                day=day,
                slot=slot,
                unit_id=unit_id,
                visitor_name=site.resident_names.get(unit_id, ""),
                topic=rng.choice(TOPICS),
                status=status,
            )
            bookings.append(booking)
            if status == BookingStatus.ATTENDED and rng.random() < 0.8:
                pending_issues.append(
                    (booking, _issue(day, booking.topic, unit_id, booking.visitor_name, rng, context.now))
                )
        if is_past:
            for _ in range(rng.randint(0, 3)):
                unit_id = rng.choice(candidates)
                if any(b.day is day and b.unit_id == unit_id for b in bookings):
                    continue
                walk_in = ReceptionBooking(
                    day=day,
                    unit_id=unit_id,
                    visitor_name=site.resident_names.get(unit_id, "业主"),
                    topic=rng.choice(TOPICS),
                    status=BookingStatus.ATTENDED,
                    is_walk_in=True,
                )
                bookings.append(walk_in)
                pending_issues.append(
                    (walk_in, _issue(day, walk_in.topic, unit_id, walk_in.visitor_name, rng, context.now))
                )
            # The work-order demo's "reception day" orders were raised at this day.
            for order in orders_by_day.get((site.project_id, day.date), []):
                issues.append(
                    ReceptionIssue(
                        day=day,
                        unit_id=order["unit_id"],
                        raised_by=order["reporter_name"][:50],
                        description=order["title"],
                        outcome=IssueOutcome.WORK_ORDER,
                        work_order_id=order["pk"],
                        follow_up_due=day.date + dt.timedelta(days=selectors.follow_up_days()),
                        recorded_by_id=site.manager_user_id,
                    )
                )
    ReceptionBooking.objects.bulk_create(bookings, batch_size=BATCH_SIZE)
    for booking, issue in pending_issues:
        issue.booking = booking
        issues.append(issue)
    ReceptionIssue.objects.bulk_create(issues, batch_size=BATCH_SIZE)
    ReceptionSlot.objects.bulk_update([slot for slot in slots if slot.booked], ["booked"], batch_size=BATCH_SIZE)


def _issue(
    day: ReceptionDay, topic: str, unit_id: int, name: str, rng: random.Random, now: dt.datetime
) -> ReceptionIssue:
    """An issue answered on the spot, or left to follow up and closed some days later (now and then too late)."""
    tz = timezone.get_current_timezone()
    due = day.date + dt.timedelta(days=selectors.follow_up_days())
    if rng.random() < 0.7:
        outcome, closed = IssueOutcome.ANSWERED, dt.datetime.combine(day.date, dt.time(10, 30), tz)
    else:
        outcome = IssueOutcome.FOLLOW_UP
        closed = dt.datetime.combine(day.date + dt.timedelta(days=rng.randint(2, 20)), dt.time(16), tz)
    return ReceptionIssue(
        day=day,
        unit_id=unit_id,
        raised_by=name[:50],
        description=topic,
        outcome=outcome,
        answer=rng.choice(ANSWERS),
        follow_up_due=due,
        closed_at=closed if closed < now else None,
        recorded_by_id=day.host_id,
    )


def _plus(start: dt.time, minutes: int) -> dt.time:
    return (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).time()
