"""Who may do what in the feedback app, from the acting user's scope (plain functions, no database)."""

from __future__ import annotations

from haofuwu.accounts.roles import VIEW_RESIDENTS
from haofuwu.core.scoping import Scope

# Roles that work at a project: they record walk-ins and issues, enter paper forms and log contact attempts.
PROJECT_STAFF_ROLES = frozenset({"project_manager", "staff"})


def manages(scope: Scope, project_id: int, company_id: int) -> bool:
    """Publishes reception days and surveys, records the day: the manager, the company admin, the platform admin."""
    return scope.can_write_project(project_id, company_id)


def works_at(scope: Scope, project_id: int, company_id: int) -> bool:
    """Staff of the project (or someone who manages it)."""
    return manages(scope, project_id, company_id) or (
        project_id in scope.project_ids and bool(scope.roles & PROJECT_STAFF_ROLES)
    )


def is_staff_account(scope: Scope) -> bool:
    """Any role besides resident: such an account may not answer a survey online as a household."""
    return bool(scope.roles - {"resident"})


def is_household_of(scope: Scope, project_id: int) -> bool:
    return project_id in scope.household_project_ids and bool(scope.household_unit_ids)


def shows_names(scope: Scope, unit_id: int | None) -> bool:
    """Whether residents' names (of a booking, a walk-in) are shown: to roles that read residents and to the
    household itself; regulators read organisations and aggregates only."""
    return scope.has(VIEW_RESIDENTS) or (unit_id is not None and unit_id in scope.household_unit_ids)
