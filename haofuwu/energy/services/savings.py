"""Energy-saving measures and the annual carbon estimate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from haofuwu.core import audit
from haofuwu.core.errors import ValidationFailed
from haofuwu.energy.choices import MANAGED_SCOPES, MeterKind
from haofuwu.energy.models import CarbonEstimate, Meter, MonthlyUsage, SavingMeasure
from haofuwu.energy.services.common import managed_project

# kg CO₂e per unit. Electricity: the national grid average for 2022 published by the Ministry of Ecology and
# Environment and the National Bureau of Statistics in 2024 (0.5703 kg/kWh); natural gas: 2.162 kg/m³ (IPCC
# default carbon content at Chinese calorific values); purchased heat: 0.11 t/GJ (the default of China's
# enterprise GHG accounting guidelines); tap water: 0.168 kg/m³ (supply and treatment, an estimate). Override with
# ENERGY_EMISSION_FACTORS in settings.
DEFAULT_EMISSION_FACTORS = {
    MeterKind.ELECTRICITY.value: 0.5703,
    MeterKind.GAS.value: 2.162,
    MeterKind.HEAT.value: 110.0,
    MeterKind.WATER.value: 0.168,
}


def emission_factors() -> dict[str, float]:
    """The emission factors in use: the defaults, overridden by ``ENERGY_EMISSION_FACTORS``."""
    return {**DEFAULT_EMISSION_FACTORS, **getattr(settings, "ENERGY_EMISSION_FACTORS", {})}


@transaction.atomic
def saving_measure_create(
    *,
    actor: Any,
    project_id: int,
    title: str,
    started_on: dt.date,
    meter_ids: Sequence[int],
    description: str = "",
) -> SavingMeasure:
    """Record an energy-saving measure and the meters that should show its effect."""
    project = managed_project(actor, project_id)
    if not title.strip():
        raise ValidationFailed({"title": [_("Say what the measure is.")]})
    meters = list(Meter.objects.filter(project=project, pk__in=set(meter_ids)))
    if not meters or len(meters) != len(set(meter_ids)):
        raise ValidationFailed({"meter_ids": [_("Choose one or more meters of the project.")]})
    measure = SavingMeasure.objects.create(
        project=project,
        title=title.strip()[:100],
        description=description.strip(),
        started_on=started_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    measure.meters.set(meters)
    audit.record(actor, "saving_measure.create", measure, {"meters": [m.pk for m in meters]})
    return measure


@transaction.atomic
def carbon_estimate_create(*, actor: Any, project_id: int, year: int) -> CarbonEstimate:
    """Estimate a year's emissions of the energy the property company manages (public-area meters), from the
    monthly rollups and the emission factors in use; computing it again replaces the year's estimate."""
    project = managed_project(actor, project_id)
    if not 2000 <= year <= 2100:
        raise ValidationFailed({"year": [_("Give a year between 2000 and 2100.")]})
    factors = emission_factors()
    rows = (
        MonthlyUsage.objects.filter(
            meter__project=project,
            meter__scope__in=MANAGED_SCOPES,
            month__gte=dt.date(year, 1, 1),
            month__lt=dt.date(year + 1, 1, 1),
        )
        .values("meter__kind")
        .annotate(used=Sum("consumption"))
        .values_list("meter__kind", "used")
    )
    by_kind = {kind: round((used or 0) * factors.get(kind, 0), 3) for kind, used in rows}
    estimate, _created = CarbonEstimate.objects.update_or_create(
        project=project,
        year=year,
        defaults={
            "kg_co2e": round(sum(by_kind.values()), 3),
            "by_kind": by_kind,
            "factors": factors,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit.record(actor, "carbon_estimate.create", estimate, {"year": year, "kg": estimate.kg_co2e})
    return estimate
