"""Write the generated work orders with their timelines, holds and return visits, in batches.

``bulk_create`` rather than the work-order services: the services notify people, audit every step and take a
row lock per order, which is right for real requests and far too slow (and noisy) for a year of invented ones.
The deadlines written are those the services compute (see ``generator.deadlines``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce

from haofuwu.demo.records import Dataset
from haofuwu.demo.workorders.records import Actor, OrderData
from haofuwu.estates.models import Building, Project, Resident, Staff, Unit
from haofuwu.workorders.models import ReturnVisit, WorkOrder, WorkOrderEvent, WorkOrderHold

BATCH_SIZE = 500


class _Keys:
    """Primary keys of the rows the estates loader wrote, found by the names the data set uses."""

    def __init__(self, dataset: Dataset) -> None:
        wanted = {
            (dataset.companies[data.plan.company].credit_code, data.plan.name): index
            for index, data in enumerate(dataset.projects)
        }
        self.projects: dict[int, tuple[int, int]] = {}
        rows = Project.objects.filter(name__in=[name for _, name in wanted]).values_list(
            "pk", "company_id", "company__credit_code", "name"
        )
        for pk, company_id, credit_code, name in rows:
            if (credit_code, name) in wanted:
                self.projects[wanted[(credit_code, name)]] = (pk, company_id)
        project_ids = [pk for pk, _ in self.projects.values()]
        self.buildings = {
            (project_id, name): pk
            for pk, project_id, name in Building.objects.filter(project_id__in=project_ids).values_list(
                "pk", "project_id", "name"
            )
        }
        self.units = {
            (project_id, building, entrance, room): pk
            for pk, project_id, building, entrance, room in Unit.objects.filter(
                building__project_id__in=project_ids
            ).values_list("pk", "building__project_id", "building__name", "entrance", "room")
        }
        self.staff = {
            (company_id, employee_no): (pk, user_id)
            for pk, company_id, employee_no, user_id in Staff.objects.filter(
                company_id__in={company_id for _, company_id in self.projects.values()}
            ).values_list("pk", "company_id", "employee_no", "user_id")
        }
        self.household_users = dict(
            Resident.objects.filter(unit_id__in=self.units.values(), user__isnull=False)
            .order_by("pk")
            .values_list("unit_id", "user_id")
        )

    def unit(self, project_id: int, home: tuple[str, str, str] | None) -> int | None:
        return None if home is None else self.units[(project_id, *home)]


def work_orders_load(dataset: Dataset, orders: Sequence[OrderData]) -> int:
    """Write ``orders`` for the loaded ``dataset`` (after its registry and demo accounts); how many were written."""
    keys = _Keys(dataset)
    rows: list[WorkOrder] = []
    for order in orders:
        project_id, company_id = keys.projects[order.project]
        reporter_unit = keys.unit(project_id, order.reporter_home)
        reporter_id = None
        if order.reporter_is_account and reporter_unit is not None:
            reporter_id = keys.household_users.get(reporter_unit)
        assignee = keys.staff[(company_id, order.assignee)][0] if order.assignee else None
        rows.append(
            WorkOrder(
                project_id=project_id,
                building_id=keys.buildings[(project_id, order.building)] if order.building else None,
                unit_id=keys.unit(project_id, order.unit),
                reporter_id=reporter_id,
                assignee_id=assignee,
                **_fields(order),
            )
        )
    rows = WorkOrder.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    def user_of(actor: Actor, company_id: int, row: WorkOrder) -> int | None:
        if actor.employee_no:
            return keys.staff[(company_id, actor.employee_no)][1]
        return row.reporter_id if actor.is_reporter else None

    events, holds, visits = [], [], []
    for row, order in zip(rows, orders, strict=True):
        company_id = keys.projects[order.project][1]
        for event in order.events:
            data = dict(event.data)
            if event.action == "dispatch":
                data["assignee"] = keys.staff[(company_id, data["assignee"])][0]
            events.append(
                WorkOrderEvent(
                    work_order=row,
                    actor_id=user_of(event.actor, company_id, row),
                    actor_name=event.actor.name,
                    action=event.action,
                    from_status=event.from_status,
                    to_status=event.to_status,
                    note=event.note,
                    data=data,
                    created_at=event.at,
                )
            )
        holds += [
            WorkOrderHold(work_order=row, reason=hold.reason, started_at=hold.started_at, ended_at=hold.ended_at)
            for hold in order.holds
        ]
        visits += [
            ReturnVisit(
                work_order=row,
                visitor_id=user_of(visit.visitor, company_id, row),
                method=visit.method,
                outcome=visit.outcome,
                note=visit.note,
                visited_at=visit.visited_at,
            )
            for visit in order.visits
        ]
    WorkOrderEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    WorkOrderHold.objects.bulk_create(holds, batch_size=BATCH_SIZE)
    ReturnVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
    # The rows were written today, but the orders are a year old: date them by their own timeline.
    last_change = Coalesce("closed_at", "cancelled_at", "resolved_at", "arrived_at", "dispatched_at", "accepted_at")
    WorkOrder.objects.filter(project_id__in=[pk for pk, _ in keys.projects.values()]).update(
        created_at=F("submitted_at"), updated_at=Coalesce(last_change, "submitted_at")
    )
    return len(rows)


def _fields(order: OrderData) -> dict[str, Any]:
    """The work order's own columns, as they are in the plain record (the rest are references or related rows)."""
    return {name: getattr(order, name) for name in _OWN_FIELDS}


_REFERENCES = frozenset(
    {"project", "building", "unit", "reporter_home", "reporter_is_account", "assignee", "events", "holds", "visits"}
)
_OWN_FIELDS = tuple(item.name for item in dataclasses.fields(OrderData) if item.name not in _REFERENCES)
