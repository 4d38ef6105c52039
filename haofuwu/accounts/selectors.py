"""Read side of accounts: a user's scope, their assignments and tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from haofuwu.accounts.models import ApiToken, RoleAssignment, User
from haofuwu.accounts.roles import ROLE_PERMISSIONS, TRADE_PERMISSIONS, Role
from haofuwu.core.errors import NotFound
from haofuwu.core.scoping import Scope


def scope_for_user(user: Any) -> Scope:
    """Fold every role assignment of a user into one :class:`Scope` (one query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope()
    roles: set[str] = set()
    trades: set[str] = set()
    permissions: set[str] = set()
    districts: set[str] = set()
    company_ids: set[int] = set()
    project_ids: set[int] = set()
    managed: set[int] = set()
    unit_ids: set[int] = set()
    household_projects: set[int] = set()
    is_city_regulator = False
    is_platform_admin = bool(user.is_superuser)
    for assignment in RoleAssignment.objects.filter(user=user).values(
        "role", "trade", "district", "company_id", "project_id", "unit_id"
    ):
        role = assignment["role"]
        roles.add(role)
        permissions |= ROLE_PERMISSIONS.get(role, frozenset())
        if role == Role.PLATFORM_ADMIN:
            is_platform_admin = True
        elif role == Role.REGULATOR:
            if assignment["district"]:
                districts.add(assignment["district"])
            else:
                is_city_regulator = True
        elif role == Role.COMPANY_ADMIN and assignment["company_id"]:
            company_ids.add(assignment["company_id"])
        elif role in (Role.PROJECT_MANAGER, Role.STAFF, Role.COMMUNITY_WORKER) and assignment["project_id"]:
            project_ids.add(assignment["project_id"])
            if role == Role.PROJECT_MANAGER:
                managed.add(assignment["project_id"])
            if role == Role.STAFF and assignment["trade"]:
                trades.add(assignment["trade"])
                permissions |= TRADE_PERMISSIONS.get(assignment["trade"], frozenset())
        elif role == Role.RESIDENT and assignment["unit_id"]:
            unit_ids.add(assignment["unit_id"])
            if assignment["project_id"]:
                household_projects.add(assignment["project_id"])
    if is_platform_admin:
        roles.add(Role.PLATFORM_ADMIN)
    return Scope(
        user_id=user.pk,
        roles=frozenset(roles),
        trades=frozenset(trades),
        is_platform_admin=is_platform_admin,
        is_city_regulator=is_city_regulator and not is_platform_admin,
        districts=frozenset(districts),
        company_ids=frozenset(company_ids),
        project_ids=frozenset(project_ids),
        managed_project_ids=frozenset(managed),
        household_unit_ids=frozenset(unit_ids),
        household_project_ids=frozenset(household_projects),
        permissions=frozenset(permissions),
    )


def role_assignment_list(*, user: Any) -> QuerySet[RoleAssignment]:
    """A user's own role assignments with their organisations."""
    return RoleAssignment.objects.filter(user=user).select_related("company", "project", "unit__building")


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """A user's API tokens, newest first (digests only; tokens are never stored)."""
    return ApiToken.objects.filter(user=user)


def command_actor(username: str | None) -> Any:
    """The user a management command acts as: ``--as USERNAME``, else the first active platform administrator.
    Raises ``NotFound`` with a message a command can print."""
    users = User.objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise NotFound(f"No active user {username!r}.")
        return user
    admin = users.filter(Q(is_superuser=True) | Q(role_assignments__role=Role.PLATFORM_ADMIN)).order_by("pk").first()
    if admin is None:
        raise NotFound("There is no platform administrator; name a user with --as.")
    return admin
