"""Steps the energy services share: finding a project the actor may manage."""

from __future__ import annotations

from typing import Any

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core.errors import READ_ONLY, PermissionDenied
from haofuwu.estates import selectors as estates


def managed_project(actor: Any, project_id: int) -> Any:
    """The project if the actor manages it (platform admin, its company's admin, its manager); a project the actor
    only sees is a 403 and one outside the scope a 404."""
    scope = scope_for_user(actor)
    project = estates.project_get_for_user(scope, project_id)
    if not scope.can_write_project(project.pk, project.company_id):
        raise PermissionDenied(READ_ONLY)
    return project
