"""The measurement of B8, run in a subprocess whose environment names one database (``DATABASE_URL``).

Inside one transaction that is rolled back at the end (the seeded data set stays as it was):

1. the naive loop: ``scorecards_evaluate`` called once per project for a sample of projects;
2. the batch: ``scorecards_evaluate`` for every project at once, scorecards and indicator rows stored;
3. one project re-evaluated after one of its work orders changed, several times (median).

Queries are counted with a connection execute wrapper (no SQL is kept), time with ``perf_counter``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

from benchmarks.servers import write_result


class _Rollback(Exception):
    pass


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()


def measure(sample: int, repeats: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from haofuwu.estates import selectors as estates
    from haofuwu.standard.catalogue import catalogue_by_key, catalogue_for
    from haofuwu.standard.models import IndicatorResult, Rectification
    from haofuwu.standard.periods import last_complete_quarters
    from haofuwu.standard.services import scorecards_evaluate
    from haofuwu.workorders.models import WorkOrder

    queries = {"n": 0}

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries["n"] += 1
        return execute(sql, params, many, context)

    now = timezone.now()
    (period,) = last_complete_quarters(now, 1)
    catalogue = (
        catalogue_for("jinan-2025", period.first_day)
        if catalogue_by_key("jinan-2025")
        else catalogue_for(None, period.first_day)
    )
    project_ids = sorted(estates.project_facts(None))
    result: dict[str, Any] = {
        "database": connection.vendor,
        "catalogue": catalogue.key,
        "indicators": len(catalogue.indicators),
        "period": period.code,
        "projects": len(project_ids),
        "work_orders": WorkOrder.objects.count(),
    }
    try:
        with transaction.atomic(), connection.execute_wrapper(count):
            # Warm the caches (catalogue parse, metric registry, query plans) on a few projects.
            scorecards_evaluate(project_ids=project_ids[:20], period=period, catalogue=catalogue, now=now)

            step = max(1, len(project_ids) // sample)
            chosen = project_ids[::step][:sample]
            queries["n"] = 0
            started = time.perf_counter()
            for project_id in chosen:
                scorecards_evaluate(project_ids=[project_id], period=period, catalogue=catalogue, now=now)
            naive_s = time.perf_counter() - started
            result["naive"] = {
                "projects": len(chosen),
                "seconds": round(naive_s, 3),
                "seconds_per_1000": round(naive_s / len(chosen) * 1000, 2),
                "queries_per_project": round(queries["n"] / len(chosen), 1),
            }

            queries["n"] = 0
            started = time.perf_counter()
            cards = scorecards_evaluate(
                project_ids=project_ids, period=period, catalogue=catalogue, now=now, open_rectifications=False
            )
            batch_s = time.perf_counter() - started
            result["batch"] = {
                "projects": len(cards),
                "seconds": round(batch_s, 3),
                "seconds_per_1000": round(batch_s / len(cards) * 1000, 3),
                "queries": queries["n"],
                "indicator_rows": IndicatorResult.objects.filter(scorecard__in=[c.pk for c in cards[:1]]).count()
                * len(cards),
            }
            # The same again, superseding those scorecards and opening a rectification task per failing indicator
            # (in this data set nobody uploaded evidence, so every evidence indicator fails: ~40 tasks a project).
            started = time.perf_counter()
            scorecards_evaluate(project_ids=project_ids, period=period, catalogue=catalogue, now=now)
            result["batch_with_rectifications"] = {
                "seconds": round(time.perf_counter() - started, 3),
                "rectifications_opened": Rectification.objects.filter(period=period.code, status="open").count(),
            }
            result["scorecard_speedup"] = round(
                result["naive"]["seconds_per_1000"] / result["batch"]["seconds_per_1000"], 1
            )

            busiest = (
                WorkOrder.objects.filter(submitted_at__gte=period.start, submitted_at__lt=period.end)
                .values("project_id")
                .order_by()
                .annotate(n=Count("pk"))
                .order_by("-n")
                .first()
            )
            project_id = busiest["project_id"] if busiest else project_ids[0]
            order = WorkOrder.objects.filter(
                project_id=project_id, submitted_at__gte=period.start, submitted_at__lt=period.end
            ).first()
            timings, counts = [], []
            for index in range(repeats):
                if order is not None:
                    WorkOrder.objects.filter(pk=order.pk).update(rating=1 + index % 5, rated_at=period.start)
                queries["n"] = 0
                started = time.perf_counter()
                scorecards_evaluate(project_ids=[project_id], period=period, catalogue=catalogue, now=now)
                timings.append(time.perf_counter() - started)
                counts.append(queries["n"])
            result["one_project"] = {
                "project_id": project_id,
                "work_orders_in_period": busiest["n"] if busiest else 0,
                "median_ms": round(statistics.median(timings) * 1000, 1),
                "best_ms": round(min(timings) * 1000, 1),
                "queries": counts[-1],
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="B8: evaluate every project for one quarter")
    parser.add_argument("--sample", type=int, default=200, help="projects in the naive per-project loop")
    parser.add_argument("--repeats", type=int, default=7, help="re-evaluations of one project")
    parser.add_argument("--out", help="write the JSON result here instead of stdout")
    args = parser.parse_args(argv)
    _setup()
    result = measure(args.sample, args.repeats)
    write_result(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
