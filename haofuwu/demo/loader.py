"""Write the demo data set to the database, once, and (re)set the demo accounts' password on every run.

The registry is written with ``bulk_create`` in batches rather than through the estates services: the services
audit every row and check the actor's scope, which is right for people and far too slow for 9,000 rows of invented
data. Companies and projects are still validated with ``full_clean``; encrypted fields encrypt themselves in
``get_prep_value`` and the blind indexes are filled before insert, exactly as the services do.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haofuwu.accounts.roles import Role, Trade
from haofuwu.accounts.selectors import role_assignment_list
from haofuwu.accounts.services import role_assign, user_create
from haofuwu.core import audit
from haofuwu.demo import community as demo_community
from haofuwu.demo import energy as demo_energy
from haofuwu.demo import feedback as demo_feedback
from haofuwu.demo import standard as demo_standard
from haofuwu.demo.dataset import DEFAULT_SEED, generate
from haofuwu.demo.places import DISTRICT_NAMES
from haofuwu.demo.records import AccountData, Dataset
from haofuwu.demo.workorders import photos as demo_photos
from haofuwu.demo.workorders.generator import generate_work_orders
from haofuwu.demo.workorders.load import work_orders_load
from haofuwu.energy.models import Anomaly, Meter, Reading
from haofuwu.estates.choices import Relation
from haofuwu.estates.models import (
    Building,
    Company,
    Project,
    Resident,
    ResidentTagging,
    Staff,
    StaffAssignment,
    StaffCertificate,
    Unit,
)
from haofuwu.estates.services import resident_fill_indexes
from haofuwu.feedback.models import PeriodicVisit, ReceptionBooking, ReceptionDay, Survey, SurveyResponse
from haofuwu.standard.models import Rectification, Scorecard
from haofuwu.workorders.choices import OPEN_STATUSES, Status
from haofuwu.workorders.models import ReturnVisit, WorkOrder, WorkOrderEvent, WorkOrderHold

BATCH_SIZE = 500
COUNTED_MODELS = (
    Company,
    Project,
    Building,
    Unit,
    Resident,
    ResidentTagging,
    Staff,
    StaffCertificate,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderHold,
    ReturnVisit,
    ReceptionDay,
    ReceptionBooking,
    Survey,
    SurveyResponse,
    PeriodicVisit,
    Meter,
    Reading,
    Anomaly,
    Scorecard,
    Rectification,
)
# With a given day (tests), "now" is its noon, so the work orders are the same on every run.
FIXED_DAY_TIME = dt.time(12)


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    role: str
    scope: str


@dataclass(frozen=True)
class SeedResult:
    is_new: bool
    password: str
    counts: dict[str, int]
    accounts: list[AccountRow]
    open_work_orders: dict[str, int] = field(default_factory=dict)  # by status label, then the overdue ones


def demo_password() -> str:
    """The configured demo password, or a fresh random one (printed once; never stored in clear)."""
    return settings.DEMO_PASSWORD or f"hfw-{secrets.token_urlsafe(9)}"


def seed_demo(*, seed: int = DEFAULT_SEED, password: str | None = None, today: dt.date | None = None) -> SeedResult:
    """Load the demo data set unless it is already there, then make sure every demo account exists with
    ``password``. Running it again adds no rows to the registry."""
    password = password or demo_password()
    dataset = generate(seed=seed, today=today or timezone.localdate())
    now = (
        timezone.now() if today is None else dt.datetime.combine(today, FIXED_DAY_TIME, timezone.get_default_timezone())
    )
    with transaction.atomic():
        is_new = not Company.objects.filter(credit_code=dataset.marker).exists()
        if is_new:
            _load(dataset)
        accounts = [_ensure_account(dataset, account, password) for account in dataset.accounts]
        if is_new:
            # After the accounts, so that orders of the demo household and the staff accounts link their users.
            work_orders_load(dataset, generate_work_orders(dataset, now=now))
            demo_photos.load(seed=seed, now=now)
            demo_feedback.load(dataset, now=now)
            demo_energy.load(dataset, now=now)
            demo_community.load(dataset, now=now)
            # Last: the scorecards are computed from everything loaded before.
            demo_standard.load(dataset, now=now)
        with translation.override(settings.LANGUAGE_CODE):
            counts = {str(model._meta.verbose_name_plural): model.objects.count() for model in COUNTED_MODELS}
            open_work_orders = _open_work_orders(now)
        audit.record(None, "demo.seed" if is_new else "demo.reset_passwords", None, {"seed": seed, "new": is_new})
    return SeedResult(
        is_new=is_new, password=password, counts=counts, accounts=accounts, open_work_orders=open_work_orders
    )


def _open_work_orders(now: dt.datetime) -> dict[str, int]:
    """Open work orders by status label, and how many of them are past their resolution deadline."""
    running = WorkOrder.objects.filter(status__in=OPEN_STATUSES).order_by()
    by_status = dict(running.values_list("status").annotate(count=Count("pk")))
    found = {str(status.label): by_status.get(status, 0) for status in Status if status in OPEN_STATUSES}
    found[_("overdue")] = running.filter(resolution_due_at__lt=now).count()
    return found


def _load(dataset: Dataset) -> None:
    companies = []
    for data in dataset.companies:
        company = Company(
            name=data.name,
            credit_code=data.credit_code,
            qualification=data.qualification,
            legal_representative=data.legal_representative,
            address=data.address,
            phone=data.phone,
        )
        company.full_clean()
        company.save()
        companies.append(company)
    for project_data in dataset.projects:
        plan = project_data.plan
        units = project_data.units
        project = Project(
            company=companies[plan.company],
            name=plan.name,
            district=plan.district,
            street=plan.street,
            community=plan.community,
            address=plan.address,
            project_type=plan.project_type,
            handover_date=plan.handover_date,
            delivery_date=plan.delivery_date,
            floor_area=Decimal(str(round(sum(unit.area for unit in units), 2))),
            household_count=len(units),
            has_elevators=any(building.elevator_count for building in project_data.buildings),
            latitude=Decimal(f"{plan.latitude:.6f}"),
            longitude=Decimal(f"{plan.longitude:.6f}"),
            service_phone=project_data.service_phone,
        )
        project.full_clean()
        project.save()
        _load_homes(project, project_data)
        _load_staff(companies[plan.company], project, project_data)


def _load_homes(project: Project, data: Any) -> None:
    buildings = Building.objects.bulk_create(
        [
            Building(
                project=project,
                name=building.name,
                floors_above=building.floors_above,
                floors_below=building.floors_below,
                entrances=building.entrances,
                elevator_count=building.elevator_count,
                completed_year=building.completed_year,
                floor_area=Decimal(str(building.floor_area)),
            )
            for building in data.buildings
        ]
    )
    unit_rows: list[Unit] = []
    unit_data = []
    for building, building_data in zip(buildings, data.buildings, strict=True):
        for unit in building_data.units:
            unit_rows.append(
                Unit(
                    building=building,
                    entrance=unit.entrance,
                    floor=unit.floor,
                    room=unit.room,
                    area=Decimal(str(unit.area)),
                    status=unit.status,
                )
            )
            unit_data.append(unit)
    # SQLite (3.35+) and PostgreSQL return the new primary keys, which the residents below need.
    units = Unit.objects.bulk_create(unit_rows, batch_size=BATCH_SIZE)
    resident_rows: list[Resident] = []
    resident_tags: list[list[str]] = []
    for unit, unit_info in zip(units, unit_data, strict=True):
        for member in unit_info.residents:
            resident = Resident(
                unit=unit,
                name=member.person.name,
                phone=member.person.phone,
                id_number=member.person.id_number,
                relation=member.relation,
                birth_year=member.person.birth.year,
                moved_in_on=member.moved_in_on,
            )
            resident_fill_indexes(resident)
            resident_rows.append(resident)
            resident_tags.append(member.tags)
    residents = Resident.objects.bulk_create(resident_rows, batch_size=BATCH_SIZE)
    ResidentTagging.objects.bulk_create(
        [
            ResidentTagging(resident=resident, tag=tag)
            for resident, tags in zip(residents, resident_tags, strict=True)
            for tag in tags
        ],
        batch_size=BATCH_SIZE,
    )


def _load_staff(company: Company, project: Project, data: Any) -> None:
    staff = Staff.objects.bulk_create(
        [
            Staff(
                company=company,
                name=member.person.name,
                employee_no=member.employee_no,
                trade=member.trade,
                is_manager=member.is_manager,
                phone=member.person.phone,
                hired_on=member.hired_on,
            )
            for member in data.staff
        ]
    )
    StaffAssignment.objects.bulk_create(
        [
            StaffAssignment(staff=row, project=project, started_on=member.started_on)
            for row, member in zip(staff, data.staff, strict=True)
        ]
    )
    StaffCertificate.objects.bulk_create(
        [
            StaffCertificate(
                staff=row,
                kind=certificate.kind,
                number=certificate.number,
                issued_on=certificate.issued_on,
                expires_on=certificate.expires_on,
            )
            for row, member in zip(staff, data.staff, strict=True)
            for certificate in member.certificates
        ]
    )


def _project(dataset: Dataset, index: int) -> Project:
    plan = dataset.projects[index].plan
    return Project.objects.get(company__credit_code=dataset.companies[plan.company].credit_code, name=plan.name)


def _ensure_account(dataset: Dataset, account: AccountData, password: str) -> AccountRow:
    """Create the account with its role the first time; on every run set its password, hashed for this user with
    a salt of its own (one shared hash would tell anyone who reads the table that the accounts share a password)."""
    user = get_user_model().objects.filter(username=account.username).first()
    if user is None:
        user = user_create(
            actor=None,
            username=account.username,
            password=None,
            display_name=account.display_name,
            is_superuser=account.is_superuser,
        )
    user.password = make_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    scope, label, record = _scope(dataset, account)
    # role_assign audits every call, so it is only called when the role is missing: a second run writes nothing.
    if not role_assignment_list(user=user).filter(role=account.role).exists():
        role_assign(actor=None, user=user, role=account.role, **scope)
    if isinstance(record, Staff) and record.user_id is None:
        record.user = user
        record.save(update_fields=["user", "updated_at"])
    if isinstance(record, Resident) and record.user_id is None:
        record.user = user
        record.save(update_fields=["user", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        role = str(Role(account.role).label)
        if account.trade:
            role = f"{role}·{Trade(account.trade).label}"
    return AccountRow(account.username, user.display_name, role, label)


def _scope(dataset: Dataset, account: AccountData) -> tuple[dict[str, Any], str, Staff | Resident | None]:
    """The scope arguments of the account's role, the scope as a short text for the summary, and the staff or
    resident record the account belongs to."""
    if account.role == Role.PLATFORM_ADMIN:
        return {}, "全平台", None
    if account.role == Role.REGULATOR:
        return {"district": account.district}, DISTRICT_NAMES.get(account.district, "济南市全市"), None
    if account.company is not None:
        company = Company.objects.get(credit_code=dataset.companies[account.company].credit_code)
        return {"company": company}, company.name, None
    if account.project is None:
        raise ValueError(f"demo account {account.username} has no scope")
    project = _project(dataset, account.project)
    where = f"{project.name}（{DISTRICT_NAMES[project.district]}）"
    if account.household is not None:
        building, entrance, room = account.household
        unit = Unit.objects.get(building__project=project, building__name=building, entrance=entrance, room=room)
        owner = unit.residents.filter(relation=Relation.OWNER).order_by("pk").first()
        return {"unit": unit}, f"{where} {unit.label}", owner
    staff = None
    if account.employee_no:
        staff = Staff.objects.filter(company_id=project.company_id, employee_no=account.employee_no).first()
    return {"trade": account.trade, "project": project}, where, staff
