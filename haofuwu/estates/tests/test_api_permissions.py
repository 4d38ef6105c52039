"""The permission matrix: every estates endpoint, every role, the status — and nothing changed when refused.

Targets are objects of project A (甲小区, 历下区, company A). Expected statuses:
401 without credentials; 404 when the object is outside the caller's scope; 403 when the caller can see it but
their role may not change it; 200/201 otherwise.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.db.models import Max

from haofuwu.accounts.services import api_token_create
from haofuwu.core.models import AuditEntry
from haofuwu.core.tests.matrix import (
    EVERYONE,
    ROLES,
    SEES_PROJECT_A,
    WRITES_COMPANY_A,
    WRITES_PROJECT_A,
    Case,
    read,
    run,
    write,
)
from haofuwu.estates.models import Building, Company, Project, Resident, ResidentTagging, Staff, StaffCertificate, Unit
from haofuwu.estates.tests.factories import credit_code

SEES_RESIDENTS_A = {"admin", "company_admin_a", "manager_a", "engineer_a", "security_a", "community_a"}
SEES_STAFF_A = {
    "admin",
    "regulator_city",
    "regulator_lixia",
    "company_admin_a",
    "manager_a",
    "engineer_a",
    "security_a",
}

_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


CASES = [
    Case("me", "get", lambda w: "/api/v1/me", read(EVERYONE)),
    Case("token list", "get", lambda w: "/api/v1/auth/tokens", read(EVERYONE)),
    Case("company list", "get", lambda w: "/api/v1/companies", read(EVERYONE)),
    Case("company detail", "get", lambda w: f"/api/v1/companies/{w.company_a.pk}", read(SEES_PROJECT_A)),
    Case(
        "company create",
        "post",
        lambda w: "/api/v1/companies",
        {r: 401 if r == "anonymous" else 201 if r == "admin" else 403 for r in ROLES},
        lambda w: {"name": f"新物业{_n()}", "credit_code": credit_code(1000 + _n())},
    ),
    Case(
        "company update",
        "patch",
        lambda w: f"/api/v1/companies/{w.company_a.pk}",
        write(SEES_PROJECT_A, WRITES_COMPANY_A),
        lambda w: {"address": f"经十路{_n()}号"},
    ),
    Case("project list", "get", lambda w: "/api/v1/projects", read(EVERYONE)),
    Case("project detail", "get", lambda w: f"/api/v1/projects/{w.project_a.pk}", read(SEES_PROJECT_A)),
    Case(
        "project create",
        "post",
        lambda w: "/api/v1/projects",
        write(SEES_PROJECT_A, WRITES_COMPANY_A, 201),
        lambda w: {"company_id": w.company_a.pk, "name": f"新小区{_n()}", "district": "370102", "address": "某路1号"},
    ),
    Case(
        "project update",
        "patch",
        lambda w: f"/api/v1/projects/{w.project_a.pk}",
        write(SEES_PROJECT_A, WRITES_PROJECT_A),
        lambda w: {"street": f"姚家街道{_n()}"},
    ),
    Case("building list", "get", lambda w: "/api/v1/buildings", read(EVERYONE)),
    Case("building detail", "get", lambda w: f"/api/v1/buildings/{w.building_a.pk}", read(SEES_PROJECT_A)),
    Case(
        "building create",
        "post",
        lambda w: "/api/v1/buildings",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {"project_id": w.project_a.pk, "name": f"{_n()}号楼", "floors_above": 18},
    ),
    Case(
        "building update",
        "patch",
        lambda w: f"/api/v1/buildings/{w.building_a.pk}",
        write(SEES_PROJECT_A, WRITES_PROJECT_A),
        lambda w: {"floors_above": 6 + _n() % 20},
    ),
    Case("unit list", "get", lambda w: "/api/v1/units", read(EVERYONE)),
    Case("unit detail (own household)", "get", lambda w: f"/api/v1/units/{w.unit_a.pk}", read(SEES_PROJECT_A)),
    Case(
        "unit detail (neighbour)",
        "get",
        lambda w: f"/api/v1/units/{w.unit_a2.pk}",
        read(SEES_PROJECT_A - {"resident_a"}),
    ),
    Case(
        "unit create",
        "post",
        lambda w: "/api/v1/units",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {"building_id": w.building_a.pk, "floor": 2, "room": f"2{_n():02d}"},
    ),
    Case(
        "unit update",
        "patch",
        lambda w: f"/api/v1/units/{w.unit_a.pk}",
        write(SEES_PROJECT_A, WRITES_PROJECT_A),
        lambda w: {"area": f"{80 + _n() % 50}.50"},
    ),
    Case("resident list", "get", lambda w: "/api/v1/residents", read(EVERYONE)),
    Case(
        "resident detail (own household)",
        "get",
        lambda w: f"/api/v1/residents/{w.resident_a.pk}",
        read(SEES_RESIDENTS_A | {"resident_a"}),
    ),
    Case(
        "resident detail (neighbour)",
        "get",
        lambda w: f"/api/v1/residents/{w.resident_a2.pk}",
        read(SEES_RESIDENTS_A),
    ),
    Case(
        "resident create",
        "post",
        lambda w: "/api/v1/residents",
        # Creating a resident needs the household visible: a resident of another household does not see unit_a2.
        write(SEES_PROJECT_A - {"resident_a"}, WRITES_PROJECT_A, 201),
        lambda w: {"unit_id": w.unit_a2.pk, "name": f"新住户{_n()}", "relation": "family", "tags": ["elderly"]},
    ),
    Case(
        "resident update",
        "patch",
        lambda w: f"/api/v1/residents/{w.resident_a2.pk}",
        write(SEES_RESIDENTS_A, WRITES_PROJECT_A),
        lambda w: {"note": f"备注{_n()}"},
    ),
    Case("staff list", "get", lambda w: "/api/v1/staff", read(EVERYONE)),
    Case("staff detail", "get", lambda w: f"/api/v1/staff/{w.staff_a.pk}", read(SEES_STAFF_A)),
    Case(
        "staff create",
        "post",
        lambda w: "/api/v1/staff",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {
            "company_id": w.company_a.pk,
            "name": "新员工",
            "employee_no": f"N{_n():05d}",
            "trade": "cleaning",
            "project_ids": [w.project_a.pk],
        },
    ),
    Case(
        "staff update",
        "patch",
        lambda w: f"/api/v1/staff/{w.staff_a.pk}",
        write(SEES_STAFF_A, WRITES_PROJECT_A),
        lambda w: {"name": f"赵工{_n()}"},
    ),
    Case(
        "staff certificate add",
        "post",
        lambda w: f"/api/v1/staff/{w.staff_a.pk}/certificates",
        write(SEES_STAFF_A, WRITES_PROJECT_A, 201),
        lambda w: {"kind": "electrician", "number": f"T{_n()}", "expires_on": "2028-01-01"},
    ),
]


def _state() -> tuple[Any, ...]:
    """A fingerprint of everything an endpoint could change."""
    models = (Company, Project, Building, Unit, Resident, ResidentTagging, Staff, StaffCertificate)
    fingerprint: list[Any] = [AuditEntry.objects.exclude(action="token.create").count()]
    for model in models:
        aggregate = model.objects.aggregate(last=Max("pk"))
        fingerprint.append((model.__name__, model.objects.count(), aggregate["last"]))
        if hasattr(model, "updated_at"):
            fingerprint.append(model.objects.aggregate(Max("updated_at")))
    return tuple(fingerprint)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_answers_each_role_with_the_expected_status(world, client, case: Case) -> None:
    tokens = {name: api_token_create(user=user)[1] for name, user in world.users.items()}
    failures = run(client, world, case, tokens, _state)
    assert not failures, "\n".join(failures)


# The routes this matrix walks; tests/api/test_matrix_coverage.py checks that every route is in some matrix.
ROUTES = {("GET", "/api/v1/me"), ("GET", "/api/v1/auth/tokens"), ("POST", "/api/v1/staff/{staff_id}/certificates")}
for _resource, _key in [
    ("companies", "company_id"),
    ("projects", "project_id"),
    ("buildings", "building_id"),
    ("units", "unit_id"),
    ("residents", "resident_id"),
    ("staff", "staff_id"),
]:
    ROUTES |= {
        ("GET", f"/api/v1/{_resource}"),
        ("POST", f"/api/v1/{_resource}"),
        ("GET", f"/api/v1/{_resource}/{{{_key}}}"),
        ("PATCH", f"/api/v1/{_resource}/{{{_key}}}"),
    }
