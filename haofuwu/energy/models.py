"""Meters, ingestion keys, raw readings and their hourly, daily and monthly rollups, anomalies, energy-saving
measures and carbon estimates.

Readings are stored narrow: ``(meter_id, ts, value)`` with ``ts`` in whole seconds since the Unix epoch (UTC). An
integer keeps the row small on both databases (SQLite stores it in 4–6 bytes instead of a 19-character text) and
lets PostgreSQL partition the table by month on plain integer bounds. The raw table is created by the migration,
not by Django (``managed = False``): a ``WITHOUT ROWID`` table on SQLite, a table partitioned by month on
PostgreSQL. Rollups keep the consumption (after the meter's multiplier, resets handled) and the number of raw
readings they hold; they are maintained by the writer (``ingest/writer.py``) and outlive the raw retention.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet
from haofuwu.energy.choices import AnomalyKind, AnomalyStatus, MeterKind, MeterScope, MeterUnit, ReadingType


class Meter(TimeStampedModel):
    """An electricity, water, gas or heat meter of a project, identified by its device's external id."""

    scope_project_path = "project"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.CASCADE, related_name="meters", verbose_name=_("project")
    )
    building = models.ForeignKey(
        "estates.Building",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meters",
        verbose_name=_("building"),
    )
    external_id = models.CharField(
        _("device id"), max_length=64, help_text=_("The id the device reports readings under.")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=MeterKind.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=MeterScope.choices)
    unit = models.CharField(_("unit"), max_length=8, choices=MeterUnit.choices)
    multiplier = models.FloatField(_("multiplier"), default=1.0, validators=[MinValueValidator(0.000001)])
    reading_type = models.CharField(
        _("reading type"), max_length=16, choices=ReadingType.choices, default=ReadingType.CUMULATIVE
    )
    # The register's largest value before it wraps to zero (for example 99999.9); empty when unknown, in which case
    # a falling register is taken as a reset to zero (a replaced or cleared meter).
    register_max = models.FloatField(_("register maximum"), null=True, blank=True)
    interval_minutes = models.PositiveSmallIntegerField(
        _("reading interval (minutes)"), default=15, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The newest stored reading: the writer computes a cumulative meter's consumption against it without a query.
    last_ts = models.BigIntegerField(null=True, blank=True, editable=False)
    last_value = models.FloatField(null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["project_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="energy_meter_unique_external_id")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"


class IngestKey(TimeStampedModel):
    """A project's key for devices and gateways to send readings. Only a SHA-256 digest is stored; the key is shown
    once at creation, like an API token."""

    scope_project_path = "project"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.CASCADE, related_name="ingest_keys", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ingestion key")
        verbose_name_plural = _("ingestion keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Reading(models.Model):
    """One raw reading as the device sent it: a register value or an interval's consumption, before the
    multiplier. The table is created by migration 0002 (see the module docstring)."""

    pk = models.CompositePrimaryKey("meter_id", "ts")
    meter = models.ForeignKey(Meter, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    ts = models.BigIntegerField()
    value = models.FloatField()

    class Meta:
        managed = False
        db_table = "energy_reading"

    def __str__(self) -> str:
        return f"{self.meter_id}@{self.ts}: {self.value}"


# A rollup's meter: the key starts with it (no separate index), and no foreign-key constraint in the database
# (``db_constraint=False``). The writer locks every meter of a batch before it writes, so a rollup names a meter
# that exists; a constraint would add a check of the meter table per written row (PostgreSQL queues one per
# inserted row until the commit, SQLite looks the meter up on every insert). Deleting a meter deletes its rollups
# through the ORM (CASCADE); the app deactivates meters and never deletes them, and a delete racing a batch of the
# same meter could leave that batch's rollup rows behind (harmless: nothing reads rollups without their meter). The physical layout — ``WITHOUT ROWID`` on SQLite, the hourly key covering the chart
# on PostgreSQL — is set by migration 0005.


class HourlyUsage(models.Model):
    """Consumption of a meter in one hour (``hour`` = epoch seconds of its start) and the readings it holds."""

    pk = models.CompositePrimaryKey("meter_id", "hour")
    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    hour = models.BigIntegerField()
    consumption = models.FloatField(default=0)
    samples = models.IntegerField(default=0)

    class Meta:
        db_table = "energy_hourly"

    def __str__(self) -> str:
        return f"{self.meter_id}@{self.hour}: {self.consumption}"


class DailyUsage(models.Model):
    """Consumption of a meter on one local calendar day."""

    pk = models.CompositePrimaryKey("meter_id", "day")
    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    day = models.DateField()
    consumption = models.FloatField(default=0)
    samples = models.IntegerField(default=0)

    class Meta:
        db_table = "energy_daily"

    def __str__(self) -> str:
        return f"{self.meter_id}@{self.day}: {self.consumption}"


class MonthlyUsage(models.Model):
    """Consumption of a meter in one local calendar month (``month`` is its first day)."""

    pk = models.CompositePrimaryKey("meter_id", "month")
    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    month = models.DateField()
    consumption = models.FloatField(default=0)
    samples = models.IntegerField(default=0)

    class Meta:
        db_table = "energy_monthly"

    def __str__(self) -> str:
        return f"{self.meter_id}@{self.month}: {self.consumption}"


class Anomaly(TimeStampedModel):
    """Something odd in a meter's data that someone should look at: a leak, a rise, a flat line, a gap."""

    scope_project_path = "project"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.CASCADE, related_name="energy_anomalies", verbose_name=_("project")
    )
    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="anomalies", verbose_name=_("meter"))
    kind = models.CharField(_("kind"), max_length=16, choices=AnomalyKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=AnomalyStatus.choices, default=AnomalyStatus.OPEN)
    detected_at = models.DateTimeField(_("detected at"), db_index=True)
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    magnitude = models.FloatField(_("magnitude"), default=0)
    summary = models.CharField(_("summary"), max_length=200)
    # One anomaly per meter, kind and period however often the sweep runs.
    dedup_key = models.CharField(max_length=100)
    work_order = models.ForeignKey(
        "workorders.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    investigation_note = models.TextField(_("investigation"), max_length=2000, blank=True)
    investigated_at = models.DateTimeField(_("investigated at"), null=True, blank=True)
    investigated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("energy anomaly")
        verbose_name_plural = _("energy anomalies")
        ordering = ["-detected_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["meter", "dedup_key"], name="energy_anomaly_unique_dedup")]
        indexes = [models.Index(fields=["project", "status", "-detected_at"])]

    def __str__(self) -> str:
        return self.summary


class SavingMeasure(TimeStampedModel):
    """An energy-saving measure (LED lamps, a pump's frequency converter…): what, from when, on which meters."""

    scope_project_path = "project"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.CASCADE, related_name="saving_measures", verbose_name=_("project")
    )
    title = models.CharField(_("measure"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    started_on = models.DateField(_("in effect from"))
    meters = models.ManyToManyField(Meter, related_name="saving_measures", verbose_name=_("meters"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("energy-saving measure")
        verbose_name_plural = _("energy-saving measures")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CarbonEstimate(TimeStampedModel):
    """A project's estimated emissions for one calendar year, with the emission factors it used."""

    scope_project_path = "project"

    project = models.ForeignKey(
        "estates.Project", on_delete=models.CASCADE, related_name="carbon_estimates", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kg_co2e = models.FloatField(_("kg CO₂e"))
    by_kind = models.JSONField(_("by kind"), default=dict)
    factors = models.JSONField(_("emission factors"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("carbon estimate")
        verbose_name_plural = _("carbon estimates")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="energy_carbon_unique_year"),
            models.CheckConstraint(condition=Q(kg_co2e__gte=0), name="energy_carbon_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.kg_co2e:.0f} kg"
