"""Read side of the estates registry. Every function takes the acting user's scope and stays inside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from haofuwu.accounts.roles import IMPORT_ESTATES, VIEW_ID_NUMBER, VIEW_PHONE, VIEW_RESIDENTS, VIEW_STAFF
from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.core.masking import mask_id_number, mask_phone
from haofuwu.core.scoping import Scope
from haofuwu.estates.choices import VULNERABLE_TAGS, UnitStatus
from haofuwu.estates.models import (
    Building,
    Company,
    ImportRun,
    Project,
    Resident,
    ResidentTagging,
    Staff,
    StaffAssignment,
    Unit,
)
from haofuwu.estates.models import household_label as household_label  # for other apps, which may not import models


def _get(queryset: QuerySet, pk: int) -> Any:
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise NotFound(NOT_FOUND)
    return obj


def company_list_for_user(scope: Scope, *, search: str = "", district: str = "") -> QuerySet[Company]:
    """Companies the scope can see: its own, or those running a project it can see."""
    queryset = Company.objects.all()
    if not scope.is_authenticated:
        return queryset.none()
    if not scope.sees_everything:
        visible_projects = Project.objects.visible_to(scope).filter(company=OuterRef("pk"))
        queryset = queryset.filter(Q(pk__in=scope.company_ids) | Exists(visible_projects))
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(credit_code__icontains=search))
    if district:
        queryset = queryset.filter(Exists(Project.objects.filter(company=OuterRef("pk"), district=district)))
    return queryset.annotate(project_count=Count("projects", distinct=True)).order_by("name")


def company_get_for_user(scope: Scope, company_id: int) -> Company:
    """One company in the scope, or ``NotFound``."""
    return _get(company_list_for_user(scope), company_id)


def project_list_for_user(
    scope: Scope,
    *,
    company_id: int | None = None,
    district: str = "",
    search: str = "",
    project_type: str = "",
    has_elevators: bool | None = None,
) -> QuerySet[Project]:
    """Projects the scope can see, with their company, filtered."""
    queryset = Project.objects.visible_to(scope).select_related("company")
    if company_id:
        queryset = queryset.filter(company_id=company_id)
    if district:
        queryset = queryset.filter(district=district)
    if project_type:
        queryset = queryset.filter(project_type=project_type)
    if has_elevators is not None:
        queryset = queryset.filter(has_elevators=has_elevators)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(address__icontains=search) | Q(community__icontains=search)
        )
    return queryset.order_by("name", "id")


def project_get_for_user(scope: Scope, project_id: int) -> Project:
    """One project in the scope, or ``NotFound``."""
    return _get(project_list_for_user(scope), project_id)


@dataclass(frozen=True)
class ProjectOverview:
    """Counts shown on a project's overview page."""

    buildings: int
    units: int
    units_by_status: dict[str, int]
    residents: int
    vulnerable_residents: int
    staff_by_trade: dict[str, int]
    expiring_certificates: int


def project_overview(scope: Scope, project: Project) -> ProjectOverview:
    """Registry counts for one project the scope can see (a handful of grouped queries)."""
    units = Unit.objects.filter(building__project=project)
    by_status = dict(units.values_list("status").annotate(n=Count("id")).order_by())
    residents = Resident.objects.filter(unit__building__project=project)
    vulnerable = (
        ResidentTagging.objects.filter(resident__unit__building__project=project, tag__in=VULNERABLE_TAGS)
        .values("resident_id")
        .distinct()
        .count()
    )
    staff_by_trade = dict(
        StaffAssignment.objects.filter(project=project, ended_on__isnull=True, staff__is_active=True)
        .values_list("staff__trade")
        .annotate(n=Count("staff", distinct=True))
        .order_by()
    )
    soon = timezone.localdate() + dt.timedelta(days=60)
    expiring = (
        Staff.objects.filter(assignments__project=project, assignments__ended_on__isnull=True)
        .filter(certificates__expires_on__lte=soon)
        .distinct()
        .count()
    )
    return ProjectOverview(
        buildings=project.buildings.count(),
        units=sum(by_status.values()),
        units_by_status=by_status,
        residents=residents.count(),
        vulnerable_residents=vulnerable,
        staff_by_trade=staff_by_trade,
        expiring_certificates=expiring,
    )


def building_list_for_user(scope: Scope, *, project_id: int | None = None, search: str = "") -> QuerySet[Building]:
    """Buildings of the projects the scope can see."""
    queryset = Building.objects.visible_to(scope).select_related("project")
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if search:
        queryset = queryset.filter(name__icontains=search)
    return queryset.annotate(unit_count=Count("units")).order_by("project__name", "name", "id")


def building_get_for_user(scope: Scope, building_id: int) -> Building:
    """One building in the scope, or ``NotFound``."""
    return _get(building_list_for_user(scope), building_id)


def unit_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    building_id: int | None = None,
    status: str = "",
    entrance: str = "",
    search: str = "",
) -> QuerySet[Unit]:
    """Households the scope can see; a resident sees only their own."""
    queryset = Unit.objects.visible_to(scope).select_related("building__project")
    if project_id:
        queryset = queryset.filter(building__project_id=project_id)
    if building_id:
        queryset = queryset.filter(building_id=building_id)
    if status:
        queryset = queryset.filter(status=status)
    if entrance:
        queryset = queryset.filter(entrance=entrance)
    if search:
        queryset = queryset.filter(room__icontains=search)
    return queryset.order_by("building__project__name", "building__name", "entrance", "floor", "room", "id")


def unit_get_for_user(scope: Scope, unit_id: int) -> Unit:
    """One household in the scope, or ``NotFound``."""
    return _get(unit_list_for_user(scope), unit_id)


def resident_list_for_user(
    scope: Scope,
    *,
    project_id: int | None = None,
    building_id: int | None = None,
    unit_id: int | None = None,
    relation: str = "",
    tag: str = "",
    is_vulnerable: bool | None = None,
    search: str = "",
) -> QuerySet[Resident]:
    """Residents the scope can see: staff roles with the permission see their projects' residents, a resident
    sees the members of their own household only."""
    if not (scope.has(VIEW_RESIDENTS) or scope.household_unit_ids):
        return Resident.objects.none()
    if scope.has(VIEW_RESIDENTS):
        queryset = Resident.objects.visible_to(scope)
    else:
        queryset = Resident.objects.filter(unit_id__in=scope.household_unit_ids)
    queryset = queryset.select_related("unit__building__project").prefetch_related("tags")
    if project_id:
        queryset = queryset.filter(unit__building__project_id=project_id)
    if building_id:
        queryset = queryset.filter(unit__building_id=building_id)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if relation:
        queryset = queryset.filter(relation=relation)
    if tag:
        queryset = queryset.filter(Exists(ResidentTagging.objects.filter(resident=OuterRef("pk"), tag=tag)))
    if is_vulnerable is not None:
        vulnerable = Exists(ResidentTagging.objects.filter(resident=OuterRef("pk"), tag__in=VULNERABLE_TAGS))
        queryset = queryset.filter(vulnerable if is_vulnerable else ~vulnerable)
    if search:
        # Names are searchable; phone and ID number are encrypted and found only by exact match on import.
        queryset = queryset.filter(name__icontains=search)
    return queryset.order_by("unit__building__project__name", "unit__building__name", "unit__room", "id")


def resident_get_for_user(scope: Scope, resident_id: int) -> Resident:
    """One resident the scope may see, or ``NotFound``."""
    return _get(resident_list_for_user(scope), resident_id)


@dataclass(frozen=True)
class PersonalData:
    """A resident's contact data as this scope may see it."""

    phone: str
    id_number: str
    is_phone_masked: bool
    is_id_number_masked: bool


def resident_personal_data(scope: Scope, resident: Resident) -> PersonalData:
    """Phone and ID number, in full only for roles that need them or for the resident's own household."""
    own_household = resident.unit_id in scope.household_unit_ids
    full_phone = own_household or scope.has(VIEW_PHONE)
    full_id = own_household or scope.has(VIEW_ID_NUMBER)
    return PersonalData(
        phone=resident.phone if full_phone else mask_phone(resident.phone),
        id_number=resident.id_number if full_id else mask_id_number(resident.id_number),
        is_phone_masked=not full_phone and bool(resident.phone),
        is_id_number_masked=not full_id and bool(resident.id_number),
    )


def staff_list_for_user(
    scope: Scope,
    *,
    company_id: int | None = None,
    project_id: int | None = None,
    trade: str = "",
    is_active: bool | None = None,
    search: str = "",
) -> QuerySet[Staff]:
    """Staff of the companies the scope administers, or assigned to projects it can see."""
    if not scope.has(VIEW_STAFF):
        return Staff.objects.none()
    queryset = Staff.objects.all()
    if not scope.sees_everything:
        visible_assignment = StaffAssignment.objects.filter(
            staff=OuterRef("pk"), project__in=Project.objects.visible_to(scope).values("pk")
        )
        queryset = queryset.filter(Q(company_id__in=scope.company_ids) | Exists(visible_assignment))
    if company_id:
        queryset = queryset.filter(company_id=company_id)
    if project_id:
        queryset = queryset.filter(Exists(StaffAssignment.objects.filter(staff=OuterRef("pk"), project_id=project_id)))
    if trade:
        queryset = queryset.filter(trade=trade)
    if is_active is not None:
        queryset = queryset.filter(is_active=is_active)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(employee_no__icontains=search))
    return (
        queryset.select_related("company")
        .prefetch_related("certificates", "assignments")
        .order_by("company__name", "employee_no", "id")
    )


def staff_get_for_user(scope: Scope, staff_id: int) -> Staff:
    """One staff member the scope may see, or ``NotFound``."""
    return _get(staff_list_for_user(scope), staff_id)


def import_run_list_for_user(scope: Scope, *, project_id: int | None = None) -> QuerySet[ImportRun]:
    """Spreadsheet imports of the projects in the scope, newest first — for those who may import (the reports name
    who imported and carry rows of the registry); nobody else sees that there were any."""
    if not scope.has(IMPORT_ESTATES):
        return ImportRun.objects.none()
    queryset = ImportRun.objects.visible_to(scope).select_related("project", "actor")
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    return queryset


def staff_record_for_user(user: Any) -> Staff | None:
    """The staff record linked to a log-in account, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Staff.objects.filter(user=user).first()


def project_by_id(project_id: int) -> Project | None:
    """A project without scoping, for background work that acts as the system (sweeps, imports)."""
    return Project.objects.select_related("company").filter(pk=project_id).first()


def project_manager_users(project_id: int) -> list[Any]:
    """Log-in accounts of the project's managers (from role assignments), for notifications."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(
            role_assignments__role="project_manager", role_assignments__project_id=project_id, is_active=True
        )
    )


def company_admin_users(company_id: int) -> list[Any]:
    """Log-in accounts of the company's administrators, for escalations."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(
            role_assignments__role="company_admin", role_assignments__company_id=company_id, is_active=True
        )
    )


def household_counts(project_ids: list[int]) -> dict[int, int]:
    """Households per project for rates: registered households (Unit rows), else the declared count.
    One grouped query, for the standard engine's per-household metrics."""
    rows = (
        Project.objects.filter(pk__in=project_ids)
        .annotate(units=Count("buildings__units"))
        .values_list("pk", "units", "household_count")
    )
    return {pk: units or declared for pk, units, declared in rows}


def delivered_units(project_ids: list[int]) -> QuerySet[Unit]:
    """Delivered households (every status but not delivered) of the projects, unscoped, for survey coverage
    (R-03: "delivered households"). Annotate or aggregate it by ``building__project_id``."""
    return Unit.objects.filter(building__project_id__in=project_ids).exclude(status=UnitStatus.UNDELIVERED)


@dataclass(frozen=True)
class ProjectFacts:
    """What the standard engine needs to know about a project to decide which indicators apply and to roll up."""

    id: int
    name: str
    company_id: int
    company_name: str
    district: str
    project_type: str
    has_elevators: bool
    households: int


def project_facts(project_ids: list[int] | None = None) -> dict[int, ProjectFacts]:
    """Facts of many projects (all when ``project_ids`` is None) in two queries, without scoping: for the
    standard engine and other background work acting as the system."""
    queryset = Project.objects.all() if project_ids is None else Project.objects.filter(pk__in=project_ids)
    rows = list(
        queryset.order_by("pk").values_list(
            "pk", "name", "company_id", "company__name", "district", "project_type", "has_elevators"
        )
    )
    households = household_counts([row[0] for row in rows]) if rows else {}
    return {
        row[0]: ProjectFacts(row[0], row[1], row[2], row[3], row[4], row[5], row[6], households.get(row[0], 0))
        for row in rows
    }


@dataclass(frozen=True)
class ManagerTenure:
    """A project manager's time on one project, clipped to nothing: the raw assignment dates."""

    staff_id: int
    staff_name: str
    user_id: int | None
    company_id: int
    project_id: int
    district: str
    started_on: dt.date
    ended_on: dt.date | None


def manager_tenures(start: dt.date, end: dt.date) -> list[ManagerTenure]:
    """Assignments of project managers (``Staff.is_manager``) that overlap ``[start, end)``, in one query."""
    rows = (
        StaffAssignment.objects.filter(staff__is_manager=True, started_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .order_by("staff_id", "started_on", "pk")
        .values_list(
            "staff_id",
            "staff__name",
            "staff__user_id",
            "staff__company_id",
            "project_id",
            "project__district",
            "started_on",
            "ended_on",
        )
    )
    return [ManagerTenure(*row) for row in rows]


def project_manager_user_ids(project_ids: list[int]) -> dict[int, int]:
    """One project-manager log-in account per project (the earliest assigned), for many projects in one query."""
    from django.contrib.auth import get_user_model

    rows = (
        get_user_model()
        .objects.filter(
            role_assignments__role="project_manager",
            role_assignments__project_id__in=project_ids,
            is_active=True,
        )
        .order_by("role_assignments__project_id", "role_assignments__pk")
        .values_list("role_assignments__project_id", "pk")
    )
    found: dict[int, int] = {}
    for project_id, user_id in rows:
        found.setdefault(project_id, user_id)
    return found
