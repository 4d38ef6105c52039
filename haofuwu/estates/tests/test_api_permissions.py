"""The permission matrix: every estates endpoint, every role, the status — and nothing changed when refused.

Targets are objects of project A (甲小区, 历下区, company A). Expected statuses:
401 without credentials; 404 when the object is outside the caller's scope; 403 when the caller can see it but
their role may not change it; 200/201 otherwise.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Max

from haofuwu.accounts.services import api_token_create
from haofuwu.core.models import AuditEntry
from haofuwu.estates.models import Building, Company, Project, Resident, ResidentTagging, Staff, StaffCertificate, Unit

ROLES = [
    "anonymous",
    "admin",
    "regulator_city",
    "regulator_lixia",
    "regulator_shizhong",
    "company_admin_a",
    "company_admin_b",
    "manager_a",
    "manager_b",
    "engineer_a",
    "security_a",
    "community_a",
    "resident_a",
    "resident_b",
    "nobody",
]

# Who can see each kind of object of project A.
SEES_PROJECT_A = {
    "admin",
    "regulator_city",
    "regulator_lixia",
    "company_admin_a",
    "manager_a",
    "engineer_a",
    "security_a",
    "community_a",
    "resident_a",
}
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
WRITES_PROJECT_A = {"admin", "company_admin_a", "manager_a"}
WRITES_COMPANY_A = {"admin", "company_admin_a"}

_counter = itertools.count(1)


def read(seen_by: set[str]) -> dict[str, int]:
    return {role: 401 if role == "anonymous" else 200 if role in seen_by else 404 for role in ROLES}


def write(seen_by: set[str], written_by: set[str], ok: int = 200) -> dict[str, int]:
    expected = {}
    for role in ROLES:
        if role == "anonymous":
            expected[role] = 401
        elif role in written_by:
            expected[role] = ok
        elif role in seen_by:
            expected[role] = 403
        else:
            expected[role] = 404
    return expected


@dataclass
class Case:
    name: str
    method: str
    url: Callable[[Any], str]
    expected: dict[str, int]
    body: Callable[[Any], dict[str, Any]] | None = None


def _n() -> int:
    return next(_counter)


CASES = [
    Case("me", "get", lambda w: "/api/v1/me", {r: 401 if r == "anonymous" else 200 for r in ROLES}),
    Case("token list", "get", lambda w: "/api/v1/auth/tokens", {r: 401 if r == "anonymous" else 200 for r in ROLES}),
    Case("company list", "get", lambda w: "/api/v1/companies", {r: 401 if r == "anonymous" else 200 for r in ROLES}),
    Case("company detail", "get", lambda w: f"/api/v1/companies/{w.company_a.pk}", read(SEES_PROJECT_A)),
    Case(
        "company create",
        "post",
        lambda w: "/api/v1/companies",
        {r: 401 if r == "anonymous" else 201 if r == "admin" else 403 for r in ROLES},
        lambda w: {"name": f"新物业{_n()}", "credit_code": f"91370100MA{_n():08d}"},
    ),
    Case(
        "company update",
        "patch",
        lambda w: f"/api/v1/companies/{w.company_a.pk}",
        write(SEES_PROJECT_A, WRITES_COMPANY_A),
        lambda w: {"address": f"经十路{_n()}号"},
    ),
    Case("project list", "get", lambda w: "/api/v1/projects", {r: 401 if r == "anonymous" else 200 for r in ROLES}),
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
    Case("building list", "get", lambda w: "/api/v1/buildings", {r: 401 if r == "anonymous" else 200 for r in ROLES}),
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
    Case("unit list", "get", lambda w: "/api/v1/units", {r: 401 if r == "anonymous" else 200 for r in ROLES}),
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
    Case("resident list", "get", lambda w: "/api/v1/residents", {r: 401 if r == "anonymous" else 200 for r in ROLES}),
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
    Case("staff list", "get", lambda w: "/api/v1/staff", {r: 401 if r == "anonymous" else 200 for r in ROLES}),
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
    failures = []
    for role in ROLES:
        headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}
        before = _state()
        call = getattr(client, case.method)
        if case.body is None:
            response = call(case.url(world), **headers)
        else:
            response = call(case.url(world), case.body(world), content_type="application/json", **headers)
        after = _state()
        expected = case.expected[role]
        if response.status_code != expected:
            failures.append(f"{role}: expected {expected}, got {response.status_code} {response.content[:200]!r}")
        if response.status_code >= 400 and before != after:
            failures.append(f"{role}: refused with {response.status_code} but the data changed")
        if case.method in ("post", "patch") and response.status_code in (200, 201) and before == after:
            failures.append(f"{role}: accepted but nothing was written or audited")
        if response.status_code >= 400:
            body = response.json()
            assert isinstance(body["detail"], list) and body["detail"][0]["msg"], body
    assert not failures, "\n".join(failures)


def test_matrix_covers_every_estates_and_accounts_route() -> None:
    from haofuwu.api import api

    schema = api.get_openapi_schema()
    routes = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        # Token issue/revoke have their own tests (accounts/tests/test_api.py); import/export too.
        if path not in ("/api/v1/auth/token", "/api/v1/auth/tokens/{token_id}")
        and "/imports" not in path
        and "/exports" not in path
    }
    tested = {
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/auth/tokens"),
    }
    for resource, key in [
        ("companies", "company_id"),
        ("projects", "project_id"),
        ("buildings", "building_id"),
        ("units", "unit_id"),
        ("residents", "resident_id"),
        ("staff", "staff_id"),
    ]:
        tested |= {
            ("GET", f"/api/v1/{resource}"),
            ("POST", f"/api/v1/{resource}"),
            ("GET", f"/api/v1/{resource}/{{{key}}}"),
            ("PATCH", f"/api/v1/{resource}/{{{key}}}"),
        }
    tested.add(("POST", "/api/v1/staff/{staff_id}/certificates"))
    assert routes <= tested, f"routes without a matrix case: {sorted(routes - tested)}"
