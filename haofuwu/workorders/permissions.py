"""Who may do what to a work order, from the acting user's scope and their relation to the order."""

from __future__ import annotations

from typing import Any

from haofuwu.core.scoping import Scope
from haofuwu.workorders.choices import Action, Status
from haofuwu.workorders.transitions import allowed_actions

# Who may ask for each action: manage (manager, company admin, platform admin), service (customer service of the
# project), assignee (the staff member it is dispatched to), household (the reporting resident's household).
ACTION_ROLES: dict[str, frozenset[str]] = {
    Action.ACCEPT: frozenset({"manage", "service"}),
    Action.DISPATCH: frozenset({"manage", "service"}),
    Action.START: frozenset({"manage", "assignee"}),
    Action.HOLD: frozenset({"manage", "service", "assignee"}),
    Action.RESUME: frozenset({"manage", "service", "assignee"}),
    Action.RESOLVE: frozenset({"manage", "assignee"}),
    Action.CLOSE: frozenset({"manage", "service", "household"}),
    Action.REOPEN: frozenset({"manage", "service", "household"}),
    Action.CANCEL: frozenset({"manage", "service", "household"}),
}
RESIDENT_CANCELLABLE = frozenset({Status.SUBMITTED, Status.ACCEPTED})


def manages(scope: Scope, project_id: int, company_id: int) -> bool:
    """Whether the user manages a project: a platform administrator, its company's administrator or its manager."""
    return scope.is_platform_admin or company_id in scope.company_ids or project_id in scope.managed_project_ids


def relations(scope: Scope, order: Any) -> set[str]:
    """How the acting user stands to a work order they can see."""
    found: set[str] = set()
    if manages(scope, order.project_id, order.project.company_id):
        found.add("manage")
    if order.project_id in scope.project_ids and "customer_service" in scope.trades:
        found.add("service")
    if order.assignee is not None and order.assignee.user_id is not None and order.assignee.user_id == scope.user_id:
        found.add("assignee")
    if (order.unit_id is not None and order.unit_id in scope.household_unit_ids) or (
        order.reporter_id is not None and order.reporter_id == scope.user_id
    ):
        found.add("household")
    return found


def actions_for(scope: Scope, order: Any) -> list[str]:
    """The transitions this user may ask for now (what the page shows as buttons)."""
    mine = relations(scope, order)
    found = []
    for action in allowed_actions(order.status):
        if not (mine & ACTION_ROLES[action]):
            continue
        if action == Action.CANCEL and mine == {"household"} and order.status not in RESIDENT_CANCELLABLE:
            continue
        found.append(action)
    return found


# Roles of the people who deliver the property service; regulators and community workers see a work order's facts
# but not what identifies the resident behind it.
PROPERTY_STAFF_ROLES = frozenset({"project_manager", "staff"})


def sees_reporter_details(scope: Scope, order: Any) -> bool:
    """Whether the user sees who reported a work order and the photos: the project's property staff (managers,
    company and platform administrators, staff of the project) and the reporting household, nobody else."""
    if relations(scope, order):
        return True
    return order.project_id in scope.project_ids and bool(scope.roles & PROPERTY_STAFF_ROLES)
