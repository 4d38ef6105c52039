"""Shared pieces of the permission-matrix tests: the roles of the two-company world and the expected statuses.

Targets live in project A (甲小区, 历下区, company A). 401 without credentials; 404 when the object is outside the
caller's scope; 403 when the caller can see it but may not do this; 2xx otherwise — and a refused request changes
nothing (the caller of ``run`` passes a fingerprint of everything the endpoint could change).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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

# Who can see project A and what lies in it.
SEES_PROJECT_A = frozenset(
    {
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
)
WRITES_PROJECT_A = frozenset({"admin", "company_admin_a", "manager_a"})
WRITES_COMPANY_A = frozenset({"admin", "company_admin_a"})
EVERYONE = frozenset(ROLES) - {"anonymous"}


def read(seen_by: frozenset[str] | set[str]) -> dict[str, int]:
    return {role: 401 if role == "anonymous" else 200 if role in seen_by else 404 for role in ROLES}


def write(seen_by: frozenset[str] | set[str], written_by: frozenset[str] | set[str], ok: int = 200) -> dict[str, int]:
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
    multipart: bool = False


def run(client: Any, world: Any, case: Case, tokens: dict[str, str], fingerprint: Callable[[], Any]) -> list[str]:
    """Call the endpoint as every role; return the mismatches (empty when the matrix holds)."""
    failures = []
    for role in ROLES:
        headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}
        url = case.url(world)
        before = fingerprint()
        call = getattr(client, case.method)
        if case.body is None:
            response = call(url, **headers)
        elif case.multipart:
            response = call(url, case.body(world), **headers)
        else:
            response = call(url, case.body(world), content_type="application/json", **headers)
        after = fingerprint()
        expected = case.expected[role]
        if response.status_code != expected:
            failures.append(f"{role}: expected {expected}, got {response.status_code} {response.content[:200]!r}")
        if response.status_code >= 400 and before != after:
            failures.append(f"{role}: refused with {response.status_code} but the data changed")
        if case.method in ("post", "patch") and response.status_code in (200, 201) and before == after:
            failures.append(f"{role}: accepted but nothing was written")
        if response.status_code >= 400:
            detail = response.json()["detail"]
            if not (isinstance(detail, list) and detail and detail[0].get("msg")):
                failures.append(f"{role}: error without a message: {detail!r}")
    return failures
