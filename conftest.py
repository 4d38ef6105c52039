"""Shared test fixtures: the two-company world every permission test walks.

Company A runs project A (历下区) and company B runs project B (市中区). Each project has a building, two
households and a resident in each; each has a manager and an engineer; there is a city regulator, a 历下区
regulator, a community worker of project A, company admins of A and B and a platform admin.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from haofuwu.accounts.models import User
from haofuwu.accounts.services import role_assign
from haofuwu.core.regions import District
from haofuwu.estates.models import Building, Company, Project, Resident, Staff, StaffAssignment, Unit
from haofuwu.estates.tests.factories import (
    BuildingFactory,
    CompanyFactory,
    ProjectFactory,
    ResidentFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
)

PASSWORD = "correct horse battery"


@dataclass
class World:
    company_a: Company
    company_b: Company
    project_a: Project
    project_b: Project
    building_a: Building
    building_b: Building
    unit_a: Unit
    unit_a2: Unit
    unit_b: Unit
    resident_a: Resident
    resident_a2: Resident
    resident_b: Resident
    staff_a: Staff
    staff_b: Staff
    users: dict[str, User]


@pytest.fixture(autouse=True)
def _fast_hashing_and_tasks(settings):  # type: ignore[no-untyped-def]
    # Tests assert on the English source messages; tests of the Chinese default set LANGUAGE_CODE back themselves
    # (the `chinese` fixture).
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.NOTIFICATION_BACKENDS = {
        channel: "haofuwu.core.notifications.backends.MemoryBackend" for channel in ("sms", "wechat", "email")
    }


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):  # type: ignore[no-untyped-def]
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, _media_root):  # type: ignore[no-untyped-def]
    # Uploaded files never land in the worktree's var/ (a test that needs a clean folder uses its own tmp_path).
    settings.MEDIA_ROOT = _media_root


@pytest.fixture
def chinese(settings):  # type: ignore[no-untyped-def]
    """Run a test with the product's default language, simplified Chinese."""
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    company_a = CompanyFactory(name="甲物业服务有限公司")
    company_b = CompanyFactory(name="乙物业服务有限公司")
    project_a = ProjectFactory(company=company_a, name="甲小区", district=District.LIXIA)
    project_b = ProjectFactory(company=company_b, name="乙小区", district=District.SHIZHONG)
    building_a = BuildingFactory(project=project_a, name="1号楼")
    building_b = BuildingFactory(project=project_b, name="1号楼")
    unit_a = UnitFactory(building=building_a, room="101")
    unit_a2 = UnitFactory(building=building_a, room="102")
    unit_b = UnitFactory(building=building_b, room="101")
    resident_a = ResidentFactory(unit=unit_a, name="张甲", phone="13800000001", id_number="370102198001010015")
    resident_a2 = ResidentFactory(unit=unit_a2, name="李甲", phone="13800000002", id_number="370102198001010023")
    resident_b = ResidentFactory(unit=unit_b, name="王乙", phone="13800000003", id_number="370103198001010038")
    staff_a = StaffFactory(company=company_a, name="赵工", trade="engineering")
    staff_b = StaffFactory(company=company_b, name="钱工", trade="engineering")
    StaffAssignment.objects.create(staff=staff_a, project=project_a)
    StaffAssignment.objects.create(staff=staff_b, project=project_b)

    users: dict[str, User] = {}
    admin = UserFactory(username="admin")
    role_assign(actor=None, user=admin, role="platform_admin")
    users["admin"] = admin
    for name, kwargs in {
        "regulator_city": {"role": "regulator"},
        "regulator_lixia": {"role": "regulator", "district": District.LIXIA},
        "regulator_shizhong": {"role": "regulator", "district": District.SHIZHONG},
        "company_admin_a": {"role": "company_admin", "company": company_a},
        "company_admin_b": {"role": "company_admin", "company": company_b},
        "manager_a": {"role": "project_manager", "project": project_a},
        "manager_b": {"role": "project_manager", "project": project_b},
        "engineer_a": {"role": "staff", "trade": "engineering", "project": project_a},
        "security_a": {"role": "staff", "trade": "security", "project": project_a},
        "community_a": {"role": "community_worker", "project": project_a},
        "resident_a": {"role": "resident", "unit": unit_a},
        "resident_b": {"role": "resident", "unit": unit_b},
    }.items():
        user = UserFactory(username=name)
        role_assign(actor=None, user=user, **kwargs)
        users[name] = user
    users["nobody"] = UserFactory(username="nobody")
    resident_a.user = users["resident_a"]
    resident_a.save(update_fields=["user"])
    resident_b.user = users["resident_b"]
    resident_b.save(update_fields=["user"])
    return World(
        company_a=company_a,
        company_b=company_b,
        project_a=project_a,
        project_b=project_b,
        building_a=building_a,
        building_b=building_b,
        unit_a=unit_a,
        unit_a2=unit_a2,
        unit_b=unit_b,
        resident_a=resident_a,
        resident_a2=resident_a2,
        resident_b=resident_b,
        staff_a=staff_a,
        staff_b=staff_b,
        users=users,
    )


@pytest.fixture
def client_for(client):  # type: ignore[no-untyped-def]
    """``client_for(user)``: the test client logged in as that user (or anonymous for ``None``)."""

    def make(user: User | None):  # type: ignore[no-untyped-def]
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make
