"""Who may see and change what: the acting user's scope, and querysets filtered by it.

A scope is computed once per request from the user's role assignments (``accounts.selectors.scope_for_user``) and
is plain data, so it can be tested without a database. Models declare how they reach a project, a company and a
household; :meth:`ScopedQuerySet.visible_to` turns a scope into one ``WHERE`` clause, so every list is one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self, TypeVar

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    """The reach of one user: organisations and households they may read, and those they may change."""

    user_id: int | None = None
    roles: frozenset[str] = frozenset()
    trades: frozenset[str] = frozenset()
    is_platform_admin: bool = False
    is_city_regulator: bool = False
    districts: frozenset[str] = frozenset()
    company_ids: frozenset[int] = frozenset()
    project_ids: frozenset[int] = frozenset()
    managed_project_ids: frozenset[int] = frozenset()
    household_unit_ids: frozenset[int] = frozenset()
    household_project_ids: frozenset[int] = frozenset()
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def sees_everything(self) -> bool:
        return self.is_platform_admin or self.is_city_regulator

    @property
    def is_resident_only(self) -> bool:
        return self.roles == frozenset({"resident"})

    def has(self, permission: str) -> bool:
        """Whether any of the user's roles grants a named permission (see ``accounts.roles``)."""
        return self.is_platform_admin or permission in self.permissions

    def can_write_company(self, company_id: int) -> bool:
        return self.is_platform_admin or company_id in self.company_ids

    def can_write_project(self, project_id: int, company_id: int) -> bool:
        return self.can_write_company(company_id) or project_id in self.managed_project_ids

    def project_q(self, path: str, *, include_households: bool = True) -> Q:
        """A filter on a relation that ends in a project (``path`` is ``""`` for the project itself)."""
        prefix = f"{path}__" if path else ""
        if self.sees_everything:
            return Q()
        q = Q(pk__in=[])
        if self.districts:
            q |= Q(**{f"{prefix}district__in": self.districts})
        if self.company_ids:
            q |= Q(**{f"{prefix}company_id__in": self.company_ids})
        project_ids = set(self.project_ids)
        if include_households:
            project_ids |= self.household_project_ids
        if project_ids:
            q |= Q(**{f"{prefix}id__in": project_ids})
        return q


_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M, _M]):
    """A queryset that can restrict itself to what a scope may read.

    The model names its paths as class attributes: ``scope_project_path`` (to a Project, ``""`` on Project itself),
    and optionally ``scope_household_path`` (to a Unit's id, ``"id"`` on Unit itself) when a resident must see only their own household's rows.
    """

    def visible_to(self, scope: Scope) -> Self:
        if not scope.is_authenticated:
            return self.none()
        q = visibility_q(self.model, scope)
        return self.all() if q is None else self.filter(q)


def visibility_q(model: type[models.Model], scope: Scope) -> Q | None:
    """The filter that keeps a scoped model's rows to what ``scope`` may read; ``None`` means every row."""
    if scope.sees_everything:
        return None
    project_path: str = getattr(model, "scope_project_path")  # noqa: B009 - declared by each scoped model
    household_path: str | None = getattr(model, "scope_household_path", None)
    q = scope.project_q(project_path, include_households=household_path is None)
    if household_path is not None and scope.household_unit_ids:
        q |= Q(**{f"{household_path}__in": scope.household_unit_ids})
    return q
