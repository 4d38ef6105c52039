"""What the feedback demo needs to know about the loaded registry: projects in data-set order, their households,
managers and the accounts of the demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from haofuwu.demo.records import Dataset
from haofuwu.estates.choices import UnitStatus
from haofuwu.estates.models import Project, Resident, StaffAssignment, Unit

BATCH_SIZE = 1000


@dataclass
class Site:
    """One demo project: its households (delivered ones), the manager's name and the accounts working there."""

    index: int
    project_id: int
    name: str
    unit_ids: list[int]
    resident_names: dict[int, str]
    manager_name: str
    manager_user_id: int | None = None
    staff_user_id: int | None = None
    account_unit_ids: set[int] = field(default_factory=set)

    @property
    def reception_day_of_month(self) -> int:
        # The work-order demo moves "reception day" orders to this day of each month (demo/workorders/generator.py).
        return min(10 + self.index % 15, 28)


@dataclass
class Context:
    today: dt.date
    now: dt.datetime
    sites: list[Site]

    @classmethod
    def build(cls, dataset: Dataset, *, today: dt.date, now: dt.datetime) -> Context:
        names = [data.plan.name for data in dataset.projects]
        codes = [dataset.companies[data.plan.company].credit_code for data in dataset.projects]
        projects = {
            (project.company.credit_code, project.name): project
            for project in Project.objects.filter(name__in=names).select_related("company")
        }
        users = dict(
            get_user_model()
            .objects.filter(username__in=[account.username for account in dataset.accounts])
            .values_list("username", "pk")
        )
        sites = []
        for index, (code, name) in enumerate(zip(codes, names, strict=True)):
            project = projects[(code, name)]
            units = list(
                Unit.objects.filter(building__project=project)
                .exclude(status=UnitStatus.UNDELIVERED)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            residents: dict[int, str] = {}
            for unit_id, resident in (
                Resident.objects.filter(unit__building__project=project).order_by("pk").values_list("unit_id", "name")
            ):
                residents.setdefault(unit_id, resident)
            manager = (
                StaffAssignment.objects.filter(project=project, staff__is_manager=True)
                .order_by("started_on")
                .values_list("staff__name", flat=True)
                .last()
            )
            site = Site(index, project.pk, name, units, residents, manager or "")
            for account in dataset.accounts:
                if account.project != index or account.username not in users:
                    continue
                if account.role == "project_manager":
                    site.manager_user_id = users[account.username]
                elif account.role == "staff" and account.trade == "customer_service":
                    site.staff_user_id = users[account.username]
                elif account.household is not None:
                    building, entrance, room = account.household
                    site.account_unit_ids |= set(
                        Unit.objects.filter(
                            building__project=project, building__name=building, entrance=entrance, room=room
                        ).values_list("pk", flat=True)
                    )
            sites.append(site)
        return cls(today=today, now=now, sites=sites)
