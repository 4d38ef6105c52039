"""The full-size demo seed against the database.

Loading 9,000 rows takes a few seconds, so one test loads it and checks everything it must: counts, accounts and
their scopes, identifiers, idempotency, and that a second load into an empty database writes the same rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from haofuwu.accounts.roles import Role, Trade
from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core.regions import District
from haofuwu.core.tests.files import has_gps
from haofuwu.demo.identifiers import id_number_is_valid, uscc_is_valid
from haofuwu.demo.loader import seed_demo
from haofuwu.estates.choices import ResidentTag, UnitStatus
from haofuwu.estates.models import (
    USCC_VALIDATOR,
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
from haofuwu.workorders.models import WorkOrder, WorkOrderPhoto

# Through the app registry: apps reach accounts' models only through its services and selectors (import-linter).
User = get_user_model()
RoleAssignment = apps.get_model("accounts", "RoleAssignment")
PASSWORD = "demo-password-for-tests"
USERNAMES = {
    "admin",
    "regulator",
    "regulator-lixia",
    "company-admin",
    "manager",
    "engineer",
    "service",
    "security",
    "party-worker",
    "resident",
    "resident-2",
}
SEEDED_MODELS = (
    Company,
    Project,
    Building,
    Unit,
    Resident,
    ResidentTagging,
    Staff,
    StaffAssignment,
    StaffCertificate,
    User,
    RoleAssignment,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def registry_digest() -> str:
    rows = Resident.objects.order_by("unit__building__project__name", "unit__building__name", "unit_id", "id")
    text = "\n".join(
        f"{project}|{building}|{entrance}|{room}|{name}"
        for project, building, entrance, room, name in rows.values_list(
            "unit__building__project__name", "unit__building__name", "unit__entrance", "unit__room", "name"
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


def wipe() -> None:
    """Empty the tables the seed writes, as a fresh database would be."""
    WorkOrder.objects.all().delete()
    Project.objects.all().delete()
    Staff.objects.all().delete()
    Company.objects.all().delete()
    User.objects.all().delete()


def check_accounts() -> None:
    users = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
    assert set(users) == USERNAMES
    for user in users.values():
        assert user.display_name
        assert authenticate(username=user.username, password=PASSWORD) == user
    # One password, but a hash (and salt) of its own for every account.
    assert len({user.password for user in users.values()}) == len(users)
    # The demo resident's latest repairs carry a phone photo, stored without the GPS position it was taken with.
    photos = list(WorkOrderPhoto.objects.filter(work_order__reporter=users["resident"]))
    assert len(photos) == 3
    assert all(
        photo.image.name.startswith("workorders/photos/") and not has_gps(photo.image.read()) for photo in photos
    )
    lixia = Project.objects.get(district=District.LIXIA)
    scopes = {name: scope_for_user(user) for name, user in users.items()}

    assert scopes["admin"].is_platform_admin
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert scopes["regulator"].is_city_regulator and scopes["regulator"].roles == {Role.REGULATOR}
    assert scopes["regulator-lixia"].districts == {District.LIXIA}
    assert not scopes["regulator-lixia"].is_city_regulator
    assert scopes["company-admin"].company_ids == {lixia.company_id}
    assert scopes["manager"].managed_project_ids == {lixia.pk}
    manager_staff = Staff.objects.get(user=users["manager"])
    assert manager_staff.is_manager and manager_staff.projects.get() == lixia
    for username, trade in (
        ("engineer", Trade.ENGINEERING),
        ("service", Trade.CUSTOMER_SERVICE),
        ("security", Trade.SECURITY),
    ):
        assert scopes[username].roles == {Role.STAFF}
        assert scopes[username].trades == {trade}
        assert scopes[username].project_ids == {lixia.pk}
        assert Staff.objects.get(user=users[username]).trade == trade
    assert scopes["party-worker"].roles == {Role.COMMUNITY_WORKER}
    assert scopes["party-worker"].project_ids == {lixia.pk}
    assert scopes["resident"].household_project_ids == {lixia.pk}
    assert len(scopes["resident"].household_unit_ids) == 1
    assert Resident.objects.get(user=users["resident"]).unit_id in scopes["resident"].household_unit_ids
    other = scopes["resident-2"].household_project_ids
    assert len(other) == 1 and lixia.pk not in other
    assert Resident.objects.filter(user=users["resident-2"]).exists()


def check_registry(today: dt.date) -> None:
    assert Company.objects.count() == 3
    for code in Company.objects.values_list("credit_code", flat=True):
        USCC_VALIDATOR(code)
        assert uscc_is_valid(code)
    assert sorted(Project.objects.values_list("district", flat=True)) == sorted(
        [District.LIXIA, District.SHIZHONG, District.HUAIYIN, District.TIANQIAO, District.LICHENG, District.ZHANGQIU]
    )
    assert 35 <= Building.objects.count() <= 45
    assert 2800 <= Unit.objects.count() <= 3200
    assert set(Unit.objects.values_list("status", flat=True).distinct()) == set(UnitStatus.values)
    for project in Project.objects.all():
        assert project.household_count == Unit.objects.filter(building__project=project).count()
        trades = set(Staff.objects.filter(projects=project).values_list("trade", flat=True))
        assert trades == set(Trade.values), project
    # Encrypted on the way in, readable on the way out, and findable by the blind index.
    residents = list(Resident.objects.all())
    assert all(id_number_is_valid(resident.id_number) for resident in residents)
    sample = residents[123]
    probe = Resident(phone=sample.phone, id_number=sample.id_number)
    resident_fill_indexes(probe)
    assert Resident.objects.filter(id_number_index=probe.id_number_index).first() == sample
    vulnerable = ResidentTagging.objects.filter(
        tag__in=[ResidentTag.ELDERLY_ALONE, ResidentTag.DISABILITY, ResidentTag.HARDSHIP]
    ).count()
    assert 0.025 <= vulnerable / len(residents) <= 0.035
    assert StaffCertificate.objects.filter(expires_on__lt=today).exists()
    assert StaffCertificate.objects.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(60)).exists()


@pytest.mark.django_db
def test_seed_demo_loads_everything_once_and_the_same_way_every_time(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_PASSWORD = PASSWORD
    today = dt.date(2025, 6, 1)
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert PASSWORD in printed and "http://127.0.0.1:8000/" in printed
    assert all(username in printed for username in USERNAMES)
    # The command used the real date; load again with a fixed one for the date-dependent checks below.
    wipe()
    first = seed_demo(today=today)
    assert first.is_new
    check_registry(today)
    check_accounts()
    counts, digest = row_counts(), registry_digest()

    again = seed_demo(password="another demo password", today=today)
    assert not again.is_new
    assert row_counts() == counts
    assert authenticate(username="manager", password="another demo password") is not None
    assert authenticate(username="manager", password=PASSWORD) is None

    wipe()
    assert row_counts()["Resident"] == 0
    fresh = seed_demo(today=today)
    assert fresh.is_new
    assert row_counts() == counts
    assert registry_digest() == digest
    check_accounts()
