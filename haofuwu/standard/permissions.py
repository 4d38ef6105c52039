"""Who may do what in the standard app, on plain scope data (no queries)."""

from __future__ import annotations

from haofuwu.core.scoping import Scope


def is_regulator_of(scope: Scope, district: str) -> bool:
    """A platform admin, a city regulator, or a regulator of this district: they verify evidence, record
    sampling-inspection findings and accept or reject rectifications."""
    if scope.is_platform_admin:
        return True
    return "regulator" in scope.roles and (scope.is_city_regulator or district in scope.districts)


def can_act_for_project(scope: Scope, project_id: int, company_id: int) -> bool:
    """The company's administrators and the project's managers upload evidence and answer rectifications."""
    return scope.can_write_project(project_id, company_id)


def can_assess_manager(scope: Scope, company_id: int, districts: set[str]) -> bool:
    """The manager's company, or a regulator of a district where the manager ran a project."""
    return scope.can_write_company(company_id) or any(is_regulator_of(scope, district) for district in districts)


def sees_staff_side(scope: Scope) -> bool:
    """Rectifications, evidence and manager evaluations are for staff and regulators, not residents."""
    return scope.is_authenticated and not scope.is_resident_only
