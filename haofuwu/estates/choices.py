"""Enumerations of the estates registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Qualification(models.TextChoices):
    """Property-service enterprise qualification. National grades were abolished in 2018; many firms still cite
    their former grade, so it is kept as information, not as a rule."""

    NONE = "none", _("None declared")
    GRADE_1 = "grade_1", _("Former grade 1")
    GRADE_2 = "grade_2", _("Former grade 2")
    GRADE_3 = "grade_3", _("Former grade 3")


class ProjectType(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    COMMERCIAL = "commercial", _("Commercial")
    OFFICE = "office", _("Office")
    MIXED = "mixed", _("Mixed use")
    PUBLIC = "public", _("Public building")
    RESETTLEMENT = "resettlement", _("Resettlement housing")


class UnitStatus(models.TextChoices):
    UNDELIVERED = "undelivered", _("Not delivered")
    VACANT = "vacant", _("Vacant")
    OCCUPIED = "occupied", _("Owner-occupied")
    RENTED = "rented", _("Rented out")
    DECORATING = "decorating", _("Under decoration")


class Relation(models.TextChoices):
    OWNER = "owner", _("Owner")
    TENANT = "tenant", _("Tenant")
    FAMILY = "family", _("Family member")


class ResidentTag(models.TextChoices):
    """Tags for care and community work; the vulnerable ones drive care visits (Good Service: help for vulnerable
    residents)."""

    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    ELDERLY = "elderly", _("Elderly (70+)")
    DISABILITY = "disability", _("Person with disability")
    HARDSHIP = "hardship", _("Low-income or hardship household")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Child left behind")
    SPECIAL_CARE = "special_care", _("Veteran or entitled group")
    PARTY_MEMBER = "party_member", _("Party member")
    VOLUNTEER = "volunteer", _("Volunteer")


VULNERABLE_TAGS = frozenset(
    {
        ResidentTag.ELDERLY_ALONE,
        ResidentTag.ELDERLY,
        ResidentTag.DISABILITY,
        ResidentTag.HARDSHIP,
        ResidentTag.LEFT_BEHIND_CHILD,
    }
)


class CertificateKind(models.TextChoices):
    PROJECT_MANAGER = "project_manager", _("Property project manager")
    ELECTRICIAN = "electrician", _("Electrician (special operations)")
    ELEVATOR = "elevator", _("Elevator safety management")
    FIRE_CONTROL = "fire_control", _("Fire-facility operator")
    BOILER = "boiler", _("Boiler operator")
    SECURITY_GUARD = "security_guard", _("Security guard")
    WORK_AT_HEIGHT = "work_at_height", _("Work at height")
    OTHER = "other", _("Other")


class ImportKind(models.TextChoices):
    BUILDINGS = "buildings", _("Buildings")
    UNITS = "units", _("Households")
    RESIDENTS = "residents", _("Residents")
