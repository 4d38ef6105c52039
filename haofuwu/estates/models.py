"""The estates registry: companies, projects (小区), buildings, households, residents and staff."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haofuwu.accounts.roles import Trade
from haofuwu.core.crypto import EncryptedTextField, register_lookup_digest
from haofuwu.core.identifiers import canonical_or_compact, normalise_id_number, normalise_phone
from haofuwu.core.models import TimeStampedModel
from haofuwu.core.regions import District
from haofuwu.core.scoping import ScopedQuerySet
from haofuwu.estates.choices import (
    CertificateKind,
    ImportKind,
    ProjectType,
    Qualification,
    Relation,
    ResidentTag,
    UnitStatus,
)

# GB 32100-2015: 18 characters from the code set 0-9 and A-Z without I, O, S, V, Z.
USCC_VALIDATOR = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    _("A unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z."),
)


class Company(TimeStampedModel):
    """A property-service enterprise (物业服务企业)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[USCC_VALIDATOR]
    )
    qualification = models.CharField(
        _("qualification"), max_length=16, choices=Qualification.choices, default=Qualification.NONE
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("service hotline"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(TimeStampedModel):
    """A managed property (小区 or building complex) under one company's service contract."""

    scope_project_path = ""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="projects", verbose_name=_("company"))
    name = models.CharField(_("name"), max_length=100)
    district = models.CharField(_("district"), max_length=6, choices=District.choices, db_index=True)
    street = models.CharField(_("sub-district"), max_length=50, blank=True)
    community = models.CharField(_("community"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200)
    project_type = models.CharField(
        _("type"), max_length=16, choices=ProjectType.choices, default=ProjectType.RESIDENTIAL
    )
    handover_date = models.DateField(_("handover inspection date"), null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    household_count = models.PositiveIntegerField(_("households (declared)"), default=0)
    has_elevators = models.BooleanField(_("has elevators"), default=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    service_phone = models.CharField(_("service desk phone"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="estates_project_unique_name")]

    def __str__(self) -> str:
        return self.name


class Building(TimeStampedModel):
    """A building (楼栋) of a project."""

    scope_project_path = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("project"))
    name = models.CharField(_("building"), max_length=50, help_text=_("As residents say it, e.g. 3号楼."))
    floors_above = models.PositiveSmallIntegerField(
        _("floors above ground"), default=1, validators=[MinValueValidator(1)]
    )
    floors_below = models.PositiveSmallIntegerField(_("floors below ground"), default=0)
    entrances = models.PositiveSmallIntegerField(_("entrances"), default=1, validators=[MinValueValidator(1)])
    elevator_count = models.PositiveSmallIntegerField(_("elevators"), default=0)
    completed_year = models.PositiveSmallIntegerField(_("year completed"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=11, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["project_id", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="estates_building_unique_name")]

    def __str__(self) -> str:
        return self.name


class Unit(TimeStampedModel):
    """A household's home (户): entrance (单元), floor and room of a building."""

    scope_project_path = "building__project"
    scope_household_path = "id"

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units", verbose_name=_("building"))
    entrance = models.CharField(_("entrance"), max_length=10, default="1")
    floor = models.SmallIntegerField(_("floor"))
    room = models.CharField(_("room"), max_length=20)
    area = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.OCCUPIED)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building_id", "entrance", "floor", "room"]
        constraints = [
            models.UniqueConstraint(fields=["building", "entrance", "room"], name="estates_unit_unique_room")
        ]

    def __str__(self) -> str:
        return f"{self.building.name}-{self.entrance}-{self.room}"

    @property
    def label(self) -> str:
        """The address within the project as residents write it: 3号楼2单元301室 (in the active language)."""
        return household_label(self.building.name, self.entrance, self.room)


def household_label(building: str, entrance: str, room: str) -> str:
    """A household's address within its project, in the active language: 3号楼2单元301室."""
    return gettext("%(building)s, entrance %(entrance)s, room %(room)s") % {
        "building": building,
        "entrance": entrance,
        "room": room,
    }


class Resident(TimeStampedModel):
    """A person living in or owning a household. Phone and ID number are encrypted at rest."""

    scope_project_path = "unit__building__project"
    scope_household_path = "unit_id"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="residents", verbose_name=_("household"))
    name = models.CharField(_("name"), max_length=50)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    # Keyed digests so that an import can find the same person again without decrypting every row.
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices, default=Relation.OWNER)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_records",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["unit_id", "id"]

    def __str__(self) -> str:
        return self.name


# The lookup digests of a resident's phone and ID number, recomputed by `haofuwu rotate-keys` (core/crypto.py).
RESIDENT_PHONE_DIGEST = register_lookup_digest(
    "estates.Resident",
    field="phone_index",
    source="phone",
    purpose="phone",
    canonical=partial(canonical_or_compact, normalise_phone),
)
RESIDENT_ID_NUMBER_DIGEST = register_lookup_digest(
    "estates.Resident",
    field="id_number_index",
    source="id_number",
    purpose="id_number",
    canonical=partial(canonical_or_compact, normalise_id_number),
)


class ResidentTagging(models.Model):
    """One care or community tag on a resident (elderly living alone, disability, …)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(_("tag"), max_length=24, choices=ResidentTag.choices, db_index=True)

    class Meta:
        verbose_name = _("resident tag")
        verbose_name_plural = _("resident tags")
        constraints = [models.UniqueConstraint(fields=["resident", "tag"], name="estates_residenttag_unique")]

    def __str__(self) -> str:
        return self.get_tag_display()


class Staff(TimeStampedModel):
    """An employee of a property company, by trade, assigned to projects."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="staff", verbose_name=_("company"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_record",
    )
    name = models.CharField(_("name"), max_length=50)
    employee_no = models.CharField(_("employee number"), max_length=30)
    trade = models.CharField(_("trade"), max_length=32, choices=Trade.choices)
    is_manager = models.BooleanField(_("project manager"), default=False)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    projects = models.ManyToManyField(
        Project, through="StaffAssignment", related_name="staff", verbose_name=_("projects")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["company_id", "employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["company", "employee_no"], name="estates_staff_unique_employee_no")
        ]

    def __str__(self) -> str:
        return self.name


class StaffAssignment(TimeStampedModel):
    """A staff member working at a project from a date (to a date when they moved on)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="assignments")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="staff_assignments")
    started_on = models.DateField(_("from"), default=dt.date.today)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("project assignment")
        verbose_name_plural = _("project assignments")
        constraints = [
            models.UniqueConstraint(fields=["staff", "project", "started_on"], name="estates_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.staff} @ {self.project}"


class StaffCertificate(TimeStampedModel):
    """A professional certificate held by a staff member; special-operations certificates expire."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("kind"), max_length=24, choices=CertificateKind.choices)
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires_on"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class ImportRun(TimeStampedModel):
    """One spreadsheet import: what was sent, by whom, and what came of each row."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="imports", verbose_name=_("project"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    is_dry_run = models.BooleanField(_("dry run"), default=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    scope_project_path = "project"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"
