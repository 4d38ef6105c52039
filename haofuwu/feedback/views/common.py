"""Shared helpers of the feedback pages: the scope, project and household choices, posted ids, htmx detection."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from haofuwu.core.errors import PermissionDenied
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates
from haofuwu.feedback.permissions import is_staff_account, manages

NO_ACCESS = gettext_lazy("Your role does not give access to this page.")


def scope_of(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def require_staff(scope: Scope) -> None:
    if not is_staff_account(scope):
        raise PermissionDenied(str(NO_ACCESS))


def is_partial(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def posted_id(request: HttpRequest, name: str) -> int:
    """An id posted by a button; anything else is 0, which no row has (the selector answers NotFound)."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


def managed_projects(scope: Scope) -> list[tuple[int, str]]:
    """Projects the user may publish reception days and surveys for."""
    return [
        (project.pk, project.name)
        for project in estates.project_list_for_user(scope)
        if manages(scope, project.pk, project.company_id)
    ]


def visible_projects(scope: Scope) -> list[tuple[int, str]]:
    return [(project.pk, project.name) for project in estates.project_list_for_user(scope)[:500]]


def household_choices(scope: Scope, project_id: int) -> list[tuple[int, str]]:
    units: Any = estates.unit_list_for_user(scope, project_id=project_id)[:2000]
    return [(unit.pk, unit.label) for unit in units]
