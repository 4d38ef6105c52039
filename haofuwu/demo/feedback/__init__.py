"""Demo data of the feedback app: a year of monthly reception days with bookings, walk-ins and issues (those
that became work orders are the work-order demo's "reception day" orders), two survey rounds with responses that
vary by project and service line, and quarterly household visits.

Written with ``bulk_create`` (like the work-order demo): the services audit and notify each step, which is right
for real use and far too slow for a year of invented records. The random generator is seeded from the data set,
so the same seed and day give the same records.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from haofuwu.demo.feedback.context import Context
from haofuwu.demo.feedback.reception import load_reception_days
from haofuwu.demo.feedback.surveys import load_surveys
from haofuwu.demo.feedback.visits import load_periodic_visits
from haofuwu.demo.records import Dataset


def load(dataset: Dataset, *, now: dt.datetime) -> None:
    """Write this app's demo records for the freshly loaded registry and work orders."""
    context = Context.build(dataset, today=timezone.localdate(now), now=now)
    rng = random.Random(dataset.seed * 7 + 5)
    load_reception_days(context, rng)
    load_surveys(context, rng)
    load_periodic_visits(context, rng)
