"""Demo periodic household visits: one per household at the end of each quarter (P-21), most of the past ones
done, a third of the current quarter's so far."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from haofuwu.demo.feedback.context import BATCH_SIZE, Context
from haofuwu.feedback.choices import ContactMethod, PeriodicVisitOutcome
from haofuwu.feedback.models import PeriodicVisit

OUTCOMES = [
    (PeriodicVisitOutcome.SATISFIED, 70),
    (PeriodicVisitOutcome.BASICALLY_SATISFIED, 19),
    (PeriodicVisitOutcome.DISSATISFIED, 5),
    (PeriodicVisitOutcome.UNREACHABLE, 6),
]


def _quarter_ends(today: dt.date, count: int) -> list[dt.date]:
    """The end of the current quarter and of the ``count - 1`` quarters before it."""
    ends = []
    year, quarter = today.year, (today.month - 1) // 3
    for _ in range(count):
        month = quarter * 3 + 3
        end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        ends.append(end)
        year, quarter = (year - 1, 3) if quarter == 0 else (year, quarter - 1)
    return sorted(ends)


def load_periodic_visits(context: Context, rng: random.Random) -> None:
    tz = timezone.get_current_timezone()
    visits = []
    outcomes, weights = [o for o, _ in OUTCOMES], [w for _, w in OUTCOMES]
    for site in context.sites:
        visitor = site.staff_user_id or site.manager_user_id
        for due_on in _quarter_ends(context.today, 4):
            is_current = due_on >= context.today
            share = 0.35 if is_current else 0.8 + 0.03 * (site.index % 5)
            for unit_id in site.unit_ids:
                visit = PeriodicVisit(project_id=site.project_id, unit_id=unit_id, due_on=due_on)
                if rng.random() < share:
                    day = due_on - dt.timedelta(days=rng.randint(0, 80))
                    moment = dt.datetime.combine(day, dt.time(rng.randint(9, 17), rng.randint(0, 59)), tz)
                    visit.visited_at = min(moment, context.now - dt.timedelta(hours=1))
                    visit.visitor_id = visitor
                    visit.method = rng.choice([ContactMethod.HOME_VISIT, ContactMethod.PHONE])
                    visit.outcome = rng.choices(outcomes, weights=weights)[0]
                visits.append(visit)
    PeriodicVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
