"""The B7 data set, built with ``bulk_create``, and the per-run fixtures (tokens, request mixes) read from it.

Runs inside a subprocess whose environment names one database (``DATABASE_URL``) and
``DJANGO_SETTINGS_MODULE=benchmarks.settings``::

    python -m benchmarks.seed build   --params '{"orders": 100000, ...}'   # migrate, seed, mark, (VACUUM) ANALYZE
    python -m benchmarks.seed prepare --params '{...}' --out fixtures.json  # migrate, ANALYZE, tokens, request mixes

Distributions (fixed random seed): orders per project are log-normal (a few busy estates, a long tail of quiet
ones); submission times are spread over the last 365 days with a daytime peak; orders older than 30 days are
nearly all closed, recent ones spread over the open states; kinds, categories, urgencies and channels follow the
shares in the tables below. Deadlines come from the companies' SLA policies (the built-in defaults of
``workorders.policies``) and, for 12345 cases, from the 5-working-day hotline rule.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections import defaultdict
from typing import Any

from benchmarks.servers import write_result

BATCH = 2_000
MARKER_ACTION = "bench.seed"

KINDS = [("repair", 60), ("complaint", 12), ("help", 10), ("enquiry", 10), ("suggestion", 5), ("praise", 3)]
REPAIR_CATEGORIES = [
    ("water", 25),
    ("electricity", 18),
    ("elevator", 10),
    ("doors_windows", 15),
    ("public_area", 17),
    ("other", 15),
]
OTHER_CATEGORIES = [
    ("noise", 20),
    ("parking", 18),
    ("cleaning", 18),
    ("security", 12),
    ("greening", 8),
    ("decoration", 9),
    ("public_area", 5),
    ("other", 10),
]
URGENCIES = [("normal", 82), ("urgent", 8), ("appointment", 10)]
CHANNELS = [("app", 55), ("phone", 25), ("walk_in", 5), ("hotline_12345", 5), ("patrol", 7), ("alarm", 3)]
# Orders older than a month are settled; recent ones are spread over the whole life cycle.
OLD_STATUSES = [("closed", 85), ("resolved", 5), ("cancelled", 8), ("on_hold", 1), ("in_progress", 1)]
RECENT_STATUSES = [
    ("submitted", 10),
    ("accepted", 8),
    ("dispatched", 12),
    ("in_progress", 15),
    ("on_hold", 5),
    ("resolved", 20),
    ("closed", 25),
    ("cancelled", 5),
]
# Urban districts hold most projects.
DISTRICT_WEIGHTS = {
    "370102": 14,
    "370103": 14,
    "370104": 10,
    "370105": 10,
    "370112": 14,
    "370113": 6,
    "370114": 6,
    "370115": 3,
    "370116": 4,
    "370117": 2,
    "370124": 2,
    "370126": 2,
    "370171": 13,
}
TRADES = ["engineering", "engineering", "customer_service", "security", "cleaning", "greening"]
TITLES = {
    "water": ["厨房水管漏水", "卫生间下水堵塞", "楼道水管爆裂", "水压太低"],
    "electricity": ["楼道灯不亮", "户内跳闸", "单元门禁断电", "地下车库照明故障"],
    "elevator": ["电梯困人", "电梯异响", "电梯按钮失灵"],
    "doors_windows": ["单元门关不上", "防盗门锁坏了", "楼道窗户玻璃破损"],
    "public_area": ["小区路面破损", "健身器材损坏", "垃圾桶破损"],
    "cleaning": ["楼道垃圾未清理", "电梯间有异味"],
    "greening": ["树枝遮挡窗户", "草坪无人修剪"],
    "security": ["陌生人进入小区", "监控不工作"],
    "noise": ["夜间装修噪音", "广场舞噪音扰民"],
    "parking": ["消防通道被占", "车位被占用"],
    "decoration": ["违规装修", "装修垃圾乱堆"],
    "other": ["咨询物业费缴纳", "表扬维修师傅", "建议增加充电桩"],
}


def _weighted(rng: random.Random, table: list[tuple[str, int]], k: int) -> list[str]:
    return rng.choices([value for value, _weight in table], weights=[weight for _value, weight in table], k=k)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _analyze(*, vacuum: bool) -> float:
    """Fresh planner statistics: a PostgreSQL list ran 2.9× slower without them (performance.md §3.5)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        else:
            cursor.execute("ANALYZE")
            # Put everything in the main file so a copy of it is the whole database.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def build(params: dict[str, Any]) -> dict[str, Any]:
    """Migrate an empty database and fill it; returns counts and timings."""
    from django.db import transaction

    timings: dict[str, float] = {}
    started = time.perf_counter()
    _migrate()
    timings["migrate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        counts = _fill(params)
    timings["seed_s"] = time.perf_counter() - started
    timings["analyze_s"] = _analyze(vacuum=True)
    return {"counts": counts, "timings": timings}


def _fill(params: dict[str, Any]) -> dict[str, int]:
    from django.utils import timezone

    from haofuwu.accounts.services import role_assign, user_create
    from haofuwu.core.models import AuditEntry
    from haofuwu.estates.models import Building, Company, Project, Staff, StaffAssignment, Unit
    from haofuwu.workorders.models import SlaPolicy
    from haofuwu.workorders.policies import DEFAULTS

    rng = random.Random(params["seed"])
    now = timezone.now()

    companies = Company.objects.bulk_create(
        Company(
            name=f"济南基准物业服务有限公司{index:03d}",
            credit_code=f"9137010{index:03d}MA00000X"[:18],
            qualification="grade_1" if index % 5 == 0 else "none",
            address=f"济南市历下区经十路{100 + index}号",
            phone=f"0531-8{index:07d}",
        )
        for index in range(params["companies"])
    )

    districts = list(DISTRICT_WEIGHTS)
    district_of = rng.choices(districts, weights=list(DISTRICT_WEIGHTS.values()), k=params["projects"])
    projects = Project.objects.bulk_create(
        [
            Project(
                company=companies[index % len(companies)],
                name=f"基准小区{index:05d}",
                district=district_of[index],
                street=f"街道{index % 40:02d}",
                community=f"社区{index % 300:03d}",
                address=f"济南市{district_of[index]}某路{index}号",
                household_count=rng.randint(80, 3000),
                has_elevators=rng.random() < 0.7,
            )
            for index in range(params["projects"])
        ],
        batch_size=BATCH,
    )

    # Orders per project: log-normal, so a few hundred busy estates and a long tail of quiet ones.
    weights = [rng.lognormvariate(0.0, 1.0) for _ in projects]
    busiest = sorted(range(len(projects)), key=lambda index: -weights[index])

    # About 200 buildings in the 40 busiest projects; units in a handful of them.
    building_projects = [projects[index] for index in busiest[:40]]
    buildings = Building.objects.bulk_create(
        Building(project=project, name=f"{number}号楼", floors_above=rng.randint(6, 33), entrances=2)
        for project in building_projects
        for number in range(1, 1 + max(1, params["buildings"] // len(building_projects)))
    )
    buildings_of: dict[int, list[Building]] = defaultdict(list)
    for building in buildings:
        buildings_of[building.project_id].append(building)
    unit_buildings = buildings[:: max(1, len(buildings) // 10)][:10]
    units = Unit.objects.bulk_create(
        Unit(building=building, entrance=str(1 + room % 2), floor=1 + room // 4, room=f"{1 + room // 4}0{1 + room % 4}")
        for building in unit_buildings
        for room in range(20)
    )
    units_of: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        units_of[unit.building_id].append(unit)

    staff = Staff.objects.bulk_create(
        Staff(
            company=companies[index % len(companies)],
            name=f"员工{index:04d}",
            employee_no=f"E{index:05d}",
            trade=TRADES[index % len(TRADES)],
            is_manager=index % len(TRADES) == 2,
            phone=f"139{index:08d}",
        )
        for index in range(params["staff"])
    )
    staff_of: dict[int, list[Staff]] = defaultdict(list)
    for member in staff:
        staff_of[member.company_id].append(member)
    projects_of: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        projects_of[project.company_id].append(project)
    StaffAssignment.objects.bulk_create(
        StaffAssignment(staff=member, project=project, started_on=dt.date(2024, 1, 1))
        for member in staff
        for project in rng.sample(projects_of[member.company_id], k=min(3, len(projects_of[member.company_id])))
    )

    policies = SlaPolicy.objects.bulk_create(
        SlaPolicy(
            company=company,
            kind=kind,
            urgency=urgency,
            response_minutes=terms.response_minutes,
            arrival_minutes=terms.arrival_minutes,
            resolution_minutes=terms.resolution_minutes,
            warn_before_minutes=terms.warn_before_minutes,
        )
        for company in companies
        for (kind, urgency), terms in DEFAULTS.items()
    )
    policy_of = {(policy.company_id, policy.kind, policy.urgency): policy for policy in policies}

    # People: the platform administrator whose token drives the runs, a project manager of three busy projects,
    # and a handful of residents with households.
    admin = user_create(actor=None, username="bench-admin", password=None, display_name="基准平台管理员")
    role_assign(actor=None, user=admin, role="platform_admin")
    manager = user_create(actor=None, username="bench-manager", password=None, display_name="基准项目经理")
    for index in busiest[4:7]:
        role_assign(actor=None, user=manager, role="project_manager", project=projects[index])
    residents = []
    for number, unit in enumerate(units[:5]):
        resident = user_create(actor=None, username=f"bench-resident-{number}", password=None)
        role_assign(actor=None, user=resident, role="resident", unit=unit)
        residents.append((resident, unit))

    orders = _orders(rng, params["orders"], projects, weights, buildings_of, units_of, staff_of, policy_of, now)
    for start in range(0, len(orders), BATCH):
        type(orders[0]).objects.bulk_create(orders[start : start + BATCH])
    # Residents reported some of their own household's orders.
    for resident, unit in residents:
        type(orders[0]).objects.filter(unit=unit).update(reporter=resident)

    AuditEntry.objects.create(
        actor_name="benchmarks", action=MARKER_ACTION, data={"marker": params["marker"], "params": params}
    )
    return {
        "companies": len(companies),
        "projects": len(projects),
        "buildings": len(buildings),
        "units": len(units),
        "staff": len(staff),
        "sla_policies": len(policies),
        "work_orders": len(orders),
        "residents": len(residents),
    }


def _orders(
    rng: random.Random,
    count: int,
    projects: list[Any],
    weights: list[float],
    buildings_of: dict[int, list[Any]],
    units_of: dict[int, list[Any]],
    staff_of: dict[int, list[Any]],
    policy_of: dict[tuple[int, str, str], Any],
    now: dt.datetime,
) -> list[Any]:
    from haofuwu.workorders.models import WorkOrder
    from haofuwu.workorders.policies import HOTLINE_TERMS
    from haofuwu.workorders.sla import Calendar, deadline

    minute = dt.timedelta(minutes=1)
    calendar = Calendar()
    project_of = rng.choices(projects, weights=weights, k=count)
    kinds = _weighted(rng, KINDS, count)
    urgencies = _weighted(rng, URGENCIES, count)
    channels = _weighted(rng, CHANNELS, count)
    # Daytime peak: hours 8–21 carry most of the load.
    hour_weights = [1 if hour < 7 or hour > 21 else 6 for hour in range(24)]
    orders = []
    for index in range(count):
        project = project_of[index]
        kind = kinds[index]
        urgency = urgencies[index] if kind == "repair" else "normal"
        channel = channels[index]
        category = _weighted(rng, REPAIR_CATEGORIES if kind == "repair" else OTHER_CATEGORIES, 1)[0]
        day = now - dt.timedelta(days=rng.random() * 365)
        hour = rng.choices(range(24), weights=hour_weights)[0]
        submitted = min(day.replace(hour=hour, minute=rng.randrange(60)), now - 5 * minute)
        age_days = (now - submitted).days
        status = _weighted(rng, OLD_STATUSES if age_days > 30 else RECENT_STATUSES, 1)[0]

        order = WorkOrder(
            project_id=project.pk,
            kind=kind,
            category=category,
            urgency=urgency,
            channel=channel,
            title=rng.choice(TITLES[category]),
            description=f"{rng.choice(TITLES[category])}，请尽快处理。联系时间：工作日晚上。",
            status=status,
            reporter_name=f"业主{index % 9973:04d}" if rng.random() < 0.7 else "",
            reporter_phone=f"13{rng.randrange(10**9):09d}" if rng.random() < 0.6 else "",
            submitted_at=submitted,
        )
        project_buildings = buildings_of.get(project.pk)
        if project_buildings and rng.random() < 0.6:
            building = rng.choice(project_buildings)
            order.building_id = building.pk
            building_units = units_of.get(building.pk)
            if building_units and rng.random() < 0.5:
                order.unit_id = rng.choice(building_units).pk
        if order.building_id is None:
            order.public_area = rng.choice(["小区东门", "地下车库", "中心花园", "1号楼前", "物业楼"])
        if urgency == "appointment":
            order.appointment_start = submitted + dt.timedelta(days=1)
            order.appointment_end = order.appointment_start + dt.timedelta(hours=2)
        if channel == "hotline_12345":
            order.hotline_case_number = f"12345-{submitted:%Y}-{index:07d}"
            order.hotline_deadline = submitted + dt.timedelta(days=7)

        _life_cycle(rng, order, status, now, staff_of.get(project.company_id, []))
        _deadlines(order, policy_of, project.company_id, HOTLINE_TERMS, calendar, deadline)
        if status == "closed" and rng.random() < 0.6:
            order.rating = rng.choices([5, 4, 3, 2, 1], weights=[55, 25, 10, 6, 4])[0]
            order.rated_at = order.closed_at
        if rng.random() < 0.03:
            order.reopen_count = 1
        orders.append(order)
    return orders


def _life_cycle(rng: random.Random, order: Any, status: str, now: dt.datetime, staff: list[Any]) -> None:
    """Timestamps of every step the order has passed, never later than now."""

    def after(moment: dt.datetime, low: float, high: float) -> dt.datetime:
        return min(moment + dt.timedelta(minutes=rng.uniform(low, high)), now - dt.timedelta(minutes=1))

    reached = ["submitted", "accepted", "dispatched", "in_progress", "resolved", "closed"]
    if status == "cancelled":
        order.cancelled_at = after(order.submitted_at, 10, 2 * 24 * 60)
        order.cancel_reason = "业主已自行处理"
        return
    level = reached.index("in_progress" if status == "on_hold" else status)
    if level >= 1:
        order.accepted_at = after(order.submitted_at, 2, 60)
    if level >= 2:
        order.dispatched_at = after(order.accepted_at, 5, 120)
        order.assignee_id = rng.choice(staff).pk if staff else None
    if level >= 3:
        order.arrived_at = after(order.dispatched_at, 10, 240)
    if level >= 4:
        order.resolved_at = after(order.arrived_at, 30, 3 * 24 * 60)
        order.resolution_note = "已处理完毕。"
    if level >= 5:
        order.closed_at = after(order.resolved_at, 60, 3 * 24 * 60)
    if status == "on_hold":
        order.status_before_hold = "in_progress"


def _deadlines(order: Any, policy_of: dict, company_id: int, hotline_terms: Any, calendar: Any, deadline: Any) -> None:
    """The deadlines ``recompute_deadlines`` would store (around-the-clock company policies; working days for
    12345 cases); none while the clock is stopped on hold."""
    if order.status == "on_hold":
        return
    start = order.submitted_at
    if order.channel == "hotline_12345":
        terms = hotline_terms
        order.response_due_at = start + dt.timedelta(minutes=terms.response_minutes)
        order.resolution_due_at = min(
            deadline(start, dt.timedelta(minutes=terms.resolution_minutes), calendar=calendar), order.hotline_deadline
        )
        return
    policy = policy_of.get((company_id, order.kind, order.urgency)) or policy_of.get((company_id, order.kind, ""))
    if policy is None:
        return
    order.sla_policy_id = policy.pk
    order.response_due_at = start + dt.timedelta(minutes=policy.response_minutes)
    if order.urgency == "appointment" and order.appointment_end is not None:
        order.arrival_due_at = order.appointment_end
    elif policy.arrival_minutes:
        order.arrival_due_at = start + dt.timedelta(minutes=policy.arrival_minutes)
    order.resolution_due_at = start + dt.timedelta(minutes=policy.resolution_minutes)


def _schema_drift() -> list[str]:
    """Tables and columns the models expect but the database lacks; the server would answer 500 on them."""
    from django.apps import apps
    from django.db import connection

    missing = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_models():
            meta = model._meta
            if not meta.managed or meta.proxy:
                continue
            if meta.db_table not in tables:
                missing.append(meta.db_table)
                continue
            columns = {column.name for column in connection.introspection.get_table_description(cursor, meta.db_table)}
            missing += [
                f"{meta.db_table}.{field.column}" for field in meta.local_concrete_fields if field.column not in columns
            ]
    return missing


def prepare(params: dict[str, Any]) -> dict[str, Any]:
    """Fresh tokens and the request mixes for one run, from what the database holds."""
    from django.db.models import Count

    from haofuwu.accounts.models import RoleAssignment, User
    from haofuwu.accounts.services import api_token_create
    from haofuwu.estates.models import Building, Project
    from haofuwu.workorders.models import WorkOrder

    _migrate()
    drift = _schema_drift()
    if drift:
        raise RuntimeError(
            "The models and the database differ (a migration is missing, or one was edited after it was applied): "
            + ", ".join(drift[:20])
        )
    analyze_s = _analyze(vacuum=False)
    rng = random.Random(params["seed"] + 1)
    admin = User.objects.get(username="bench-admin")
    manager = User.objects.get(username="bench-manager")
    _admin_token, admin_raw = api_token_create(user=admin, name="benchmarks")
    _manager_token, manager_raw = api_token_create(user=manager, name="benchmarks")
    managed = sorted(
        RoleAssignment.objects.filter(user=manager, role="project_manager").values_list("project_id", flat=True)
    )

    sizes = dict(WorkOrder.objects.values_list("project_id").annotate(n=Count("id")).values_list("project_id", "n"))
    project_ids = list(sizes)
    admin_queries = [
        _query(rng, project=rng.choices(project_ids, weights=[sizes[pid] for pid in project_ids])[0])
        for _ in range(400)
    ]
    manager_queries = [_query(rng, project=rng.choice(managed) if rng.random() < 0.5 else None) for _ in range(200)]
    manager_scope = {"scope_projects": ",".join(map(str, managed)), "scope_user": str(manager.pk)}

    def rows(query: dict[str, str], *, scoped: bool) -> int:
        from haofuwu.accounts.selectors import scope_for_user
        from haofuwu.workorders import selectors

        scope = scope_for_user(manager if scoped else admin)
        filters = {key: value for key, value in query.items() if key not in ("page_size", "project", "is_open")}
        queryset = selectors.work_order_list_for_user(
            scope,
            project_id=int(query["project"]) if "project" in query else None,
            is_open=True if query.get("is_open") == "true" else None,
            **filters,
        )
        return queryset.count()

    admin_counts = [rows(query, scoped=False) for query in admin_queries]
    manager_counts = [rows(query, scoped=True) for query in manager_queries]

    with_buildings = list(Building.objects.values_list("project_id", "id"))
    plain_projects = list(Project.objects.exclude(buildings__isnull=False).values_list("id", flat=True)[:500])
    bodies = [_body(rng, index, with_buildings, plain_projects) for index in range(64)]
    return {
        "admin_token": admin_raw,
        "manager_token": manager_raw,
        "manager_projects": managed,
        "manager_scope": manager_scope,
        "list_admin": admin_queries,
        "list_manager": manager_queries,
        "rows_admin": _rows_summary(admin_counts),
        "rows_manager": _rows_summary(manager_counts),
        "create_bodies": bodies,
        "counts": _counts(),
        "work_orders": WorkOrder.objects.count(),
        "max_work_order_id": WorkOrder.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        "analyze_s": analyze_s,
    }


def _counts() -> dict[str, int]:
    """What the database holds, so a reused data set is described as fully as a fresh one."""
    from haofuwu.accounts.models import User
    from haofuwu.estates.models import Building, Company, Project, Staff, Unit
    from haofuwu.workorders.models import SlaPolicy, WorkOrder

    models = {"companies": Company, "projects": Project, "buildings": Building, "units": Unit, "staff": Staff}
    counts = {name: model.objects.count() for name, model in models.items()}
    counts.update(
        sla_policies=SlaPolicy.objects.count(), users=User.objects.count(), work_orders=WorkOrder.objects.count()
    )
    return counts


def _rows_summary(counts: list[int]) -> dict[str, float]:
    page = [min(count, 50) for count in counts]
    return {
        "requests": len(counts),
        "mean_items_per_page": round(sum(page) / len(page), 1),
        "full_pages_share": round(sum(1 for items in page if items == 50) / len(page), 2),
        "mean_count": round(sum(counts) / len(counts), 1),
        "max_count": max(counts),
    }


def _query(rng: random.Random, *, project: int | None) -> dict[str, str]:
    """One list request: a project, often a filter, always 50 a page."""
    query = {"project": str(project)} if project else {}
    choice = rng.random()
    if choice < 0.30:
        query["is_open"] = "true"
    elif choice < 0.50:
        query["status"] = _weighted(
            rng, [("closed", 4), ("in_progress", 2), ("dispatched", 2), ("submitted", 1), ("resolved", 1)], 1
        )[0]
    elif choice < 0.60:
        query["kind"] = rng.choice(["repair", "complaint"])
    elif choice < 0.65:
        query["category"] = rng.choice(["water", "electricity", "elevator"])
    query["page_size"] = "50"
    return query


def _body(
    rng: random.Random, index: int, with_buildings: list[tuple[int, int]], plain_projects: list[int]
) -> dict[str, Any]:
    """One submission as a service desk records it: mostly repairs, some complaints and urgent ones."""
    kind, urgency, category = rng.choice(
        [("repair", "normal", "water")] * 5
        + [("repair", "normal", "electricity")] * 4
        + [("repair", "urgent", "elevator"), ("complaint", "normal", "noise"), ("help", "normal", "other")]
        + [("enquiry", "normal", "other")]
    )
    body: dict[str, Any] = {
        "kind": kind,
        "category": category,
        "urgency": urgency,
        "channel": rng.choice(["phone", "phone", "walk_in", "app"]),
        "title": rng.choice(TITLES[category]),
        "description": f"基准测试提交{index}：{rng.choice(TITLES[category])}，业主在家等候。",
        "reporter_name": f"业主{index:03d}",
        "reporter_phone": f"138{rng.randrange(10**8):08d}",
    }
    if with_buildings and (rng.random() < 0.6 or not plain_projects):
        project_id, building_id = rng.choice(with_buildings)
        body.update(project_id=project_id, building_id=building_id)
    else:
        body.update(project_id=rng.choice(plain_projects), public_area="小区东门")
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["build", "prepare"])
    parser.add_argument("--params", required=True, help="JSON: sizes, random seed and marker")
    parser.add_argument("--out", help="write the JSON result here instead of stdout")
    args = parser.parse_args(argv)
    _setup()
    params = json.loads(args.params)
    result = build(params) if args.action == "build" else prepare(params)
    write_result(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
