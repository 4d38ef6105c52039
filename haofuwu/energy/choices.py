"""Enumerations of the energy app: meters, readings, anomalies and resolutions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeterKind(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    WATER = "water", _("Water")
    GAS = "gas", _("Gas")
    HEAT = "heat", _("Heat")


class MeterScope(models.TextChoices):
    """What a meter measures: a public-area system, a whole building or a household."""

    PUBLIC_LIGHTING = "public_lighting", _("Public lighting")
    ELEVATORS = "elevators", _("Elevators")
    PUMPS = "pumps", _("Pumps and secondary water supply")
    COMMON_AREAS = "common_areas", _("Common areas")
    GARAGE = "garage", _("Garage")
    WHOLE_BUILDING = "whole_building", _("Whole building")
    HOUSEHOLD = "household", _("Household")


# Public-area systems the guideline asks to meter separately (energy monitoring, A-30/P-61); elevators only where
# the project has them.
REQUIRED_PUBLIC_SCOPES = (MeterScope.PUBLIC_LIGHTING, MeterScope.ELEVATORS, MeterScope.PUMPS, MeterScope.COMMON_AREAS)
# Scopes whose consumption the property company manages: the energy intensity is computed from these, so that a
# whole-building meter and its sub-meters are not counted twice and households' own use is left out.
MANAGED_SCOPES = (
    MeterScope.PUBLIC_LIGHTING,
    MeterScope.ELEVATORS,
    MeterScope.PUMPS,
    MeterScope.COMMON_AREAS,
    MeterScope.GARAGE,
)


class MeterUnit(models.TextChoices):
    KWH = "kWh", "kWh"
    CUBIC_METRE = "m3", "m³"
    GIGAJOULE = "GJ", "GJ"


DEFAULT_UNITS = {
    MeterKind.ELECTRICITY: MeterUnit.KWH,
    MeterKind.WATER: MeterUnit.CUBIC_METRE,
    MeterKind.GAS: MeterUnit.CUBIC_METRE,
    MeterKind.HEAT: MeterUnit.GIGAJOULE,
}


class ReadingType(models.TextChoices):
    CUMULATIVE = "cumulative", _("Cumulative register")
    INTERVAL = "interval", _("Interval value")


class Resolution(models.TextChoices):
    HOUR = "hour", _("Hour")
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class AnomalyKind(models.TextChoices):
    NIGHT_FLOW = "night_flow", _("Night-time water flow (possible leak)")
    MONTHLY_RISE = "monthly_rise", _("Rise of more than 20% month on month")
    FLATLINE = "flatline", _("Flat-lined data")
    MISSING_DATA = "missing_data", _("Missing data")


class AnomalyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Under investigation")
    RESOLVED = "resolved", _("Resolved")
