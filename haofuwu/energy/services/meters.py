"""Registering and changing meters."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haofuwu.core import audit
from haofuwu.core.errors import NOT_FOUND, NotFound, ValidationFailed
from haofuwu.energy.choices import DEFAULT_UNITS
from haofuwu.energy.models import Meter
from haofuwu.energy.services.common import managed_project

EDITABLE = ("name", "scope", "multiplier", "register_max", "interval_minutes", "is_active", "building_id")


def _clean(meter: Meter) -> None:
    try:
        meter.full_clean(exclude=["project", "building"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None


def _check_building(meter: Meter, project: Any) -> None:
    if meter.building_id is not None and not project.buildings.filter(pk=meter.building_id).exists():
        raise ValidationFailed({"building_id": [_("This building is not in the project.")]})


def meter_create(
    *,
    actor: Any,
    project_id: int,
    external_id: str,
    name: str,
    kind: str,
    scope: str,
    unit: str = "",
    multiplier: float = 1.0,
    reading_type: str = "cumulative",
    register_max: float | None = None,
    interval_minutes: int = 15,
    building_id: int | None = None,
) -> Meter:
    """Register a meter of a project under its device id (unique in the project)."""
    project = managed_project(actor, project_id)
    meter = Meter(
        project=project,
        building_id=building_id,
        external_id=external_id.strip(),
        name=name.strip(),
        kind=kind,
        scope=scope,
        unit=unit or DEFAULT_UNITS.get(kind, ""),  # type: ignore[call-overload]
        multiplier=multiplier,
        reading_type=reading_type,
        register_max=register_max,
        interval_minutes=interval_minutes,
    )
    _clean(meter)
    _check_building(meter, project)
    if Meter.objects.filter(project=project, external_id=meter.external_id).exists():
        raise ValidationFailed({"external_id": [_("The project already has a meter with this device id.")]})
    try:
        with transaction.atomic():
            meter.save()
            audit.record(actor, "meter.create", meter, {"external_id": meter.external_id, "kind": kind})
    except IntegrityError:
        raise ValidationFailed({"external_id": [_("The project already has a meter with this device id.")]}) from None
    return meter


@transaction.atomic
def meter_update(*, actor: Any, meter_id: int, changes: dict[str, Any]) -> Meter:
    """Change a meter's name, scope, multiplier, register maximum, interval, building or whether it is active.
    The kind, unit, reading type and device id stay: readings already stored were taken with them."""
    meter = Meter.objects.select_for_update().filter(pk=meter_id).first()
    if meter is None:
        raise NotFound(NOT_FOUND)
    project = managed_project(actor, meter.project_id)
    changed = {}
    for field, value in changes.items():
        if field in EDITABLE and getattr(meter, field) != value:
            setattr(meter, field, value)
            changed[field] = value
    _clean(meter)
    _check_building(meter, project)
    if changed:
        meter.save()
        audit.record(actor, "meter.update", meter, {key: str(value) for key, value in changed.items()})
    return meter
