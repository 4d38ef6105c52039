"""Steps the feedback services share: validation into ValidationFailed, the household a resident acts for."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from haofuwu.core.errors import NotFound, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors as estates


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None


def own_unit(scope: Scope, project_id: int, unit_id: int | None) -> Any:
    """The household a resident acts for in a project: the one named, or their only one there."""
    units = [
        unit
        for unit in estates.unit_list_for_user(scope).filter(pk__in=scope.household_unit_ids).select_related("building")
        if unit.building.project_id == project_id
    ]
    if unit_id is not None:
        for unit in units:
            if unit.pk == unit_id:
                return unit
        raise NotFound(_("Not found."), field="unit_id")
    if not units:
        raise ValidationFailed({"unit_id": [_("Your account is not linked to a household of this project.")]})
    return units[0]


def project_unit(scope: Scope, project_id: int, unit_id: int) -> Any:
    """A household of the project, seen by staff."""
    unit = estates.unit_get_for_user(scope, unit_id)
    if unit.building.project_id != project_id:
        raise ValidationFailed({"unit_id": [_("This household is not in the project.")]})
    return unit
