"""The care register (关爱台账, P-23): vulnerable residents with a tier and visit cadence, their assigned visitors,
visit records with proof, and the opt-in silent-household alert that opens a welfare check.

Health data and data of children under 14 are sensitive personal information (个人信息保护法 art. 28): they are
stored encrypted, only after a separately recorded consent (art. 29; a guardian's for a child under 14, art. 31),
shown only to those with a need to know (the entry's coordinator and its assigned visitors), masked until revealed,
and every read of an entry is written to the audit log (selectors/care.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haofuwu.community.choices import (
    CareCategory,
    CareTier,
    ConsentGiver,
    VisitKind,
    VisitMethod,
    VisitorRole,
    VisitOutcome,
    VisitProof,
    VisitStatus,
)
from haofuwu.core.crypto import EncryptedTextField
from haofuwu.core.models import TimeStampedModel

USER = settings.AUTH_USER_MODEL


class CareSubject(TimeStampedModel):
    """A vulnerable resident on the care register of a project."""

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey("estates.Resident", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("estates.Unit", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=24, choices=CareCategory.choices)
    tier = models.CharField(_("tier"), max_length=8, choices=CareTier.choices)
    is_child = models.BooleanField(_("child under 14"), default=False)
    # Consent to be on the register (art. 13/14) and, separately, to the sensitive data and the alert (art. 29).
    consent_giver = models.CharField(_("consent given by"), max_length=10, choices=ConsentGiver.choices)
    consent_giver_name = models.CharField(_("name of who consented"), max_length=50)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"))
    sensitive_consent_at = models.DateTimeField(_("separate consent to sensitive data at"), null=True, blank=True)
    health_notes = EncryptedTextField(_("health notes"), blank=True)
    emergency_contact = EncryptedTextField(_("emergency contact"), blank=True)
    coordinator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("coordinator"))
    silent_alert_enabled = models.BooleanField(_("silent-household alert"), default=False)
    silent_hours = models.PositiveSmallIntegerField(
        _("alert after hours without use"), default=24, validators=[MinValueValidator(12), MaxValueValidator(96)]
    )
    # The household meters the alert reads (ids of the energy app's meters, chosen by the coordinator: the energy
    # app's meters belong to a project and a building, not to a household).
    electricity_meter_id = models.PositiveBigIntegerField(null=True, blank=True)
    water_meter_id = models.PositiveBigIntegerField(null=True, blank=True)
    registered_on = models.DateField(_("registered on"))
    closed_on = models.DateField(_("left the register on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason"), max_length=200, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    next_visit_due = models.DateField(_("next visit due"), db_index=True)
    # Printed on a card inside the resident's door: a visitor who is really there can read it (VisitProof.DOOR_CODE).
    door_code = models.CharField(max_length=8)

    class Meta:
        verbose_name = _("care register entry")
        verbose_name_plural = _("care register")
        ordering = ["next_visit_due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(closed_on__isnull=True), name="community_care_one_open_per_resident"
            ),
            # Health notes only after the separate consent (PIPL art. 29).
            models.CheckConstraint(
                condition=Q(health_notes="") | Q(sensitive_consent_at__isnull=False),
                name="community_care_health_needs_consent",
            ),
            # A child's entry rests on a guardian's consent (PIPL art. 31).
            models.CheckConstraint(
                condition=Q(is_child=False) | Q(consent_giver=ConsentGiver.GUARDIAN),
                name="community_care_child_needs_guardian",
            ),
        ]

    def __str__(self) -> str:
        # No name here: this text lands in audit rows and logs.
        return f"#{self.pk}"


class CareVisitor(TimeStampedModel):
    """Someone assigned to visit a registered resident; the assignment is what gives them the need to know."""

    subject = models.ForeignKey(CareSubject, on_delete=models.CASCADE, related_name="visitors")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("as"), max_length=12, choices=VisitorRole.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("assigned visitor")
        verbose_name_plural = _("assigned visitors")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "user"], condition=Q(ended_on__isnull=True), name="community_visitor_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_id}:{self.user_id}"


class CareVisit(TimeStampedModel):
    """A visit or call to a registered resident: routine, or a welfare check opened with a deadline. A home visit
    carries its proof (the door code or the position) and the server time."""

    subject = models.ForeignKey(CareSubject, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices, default=VisitKind.ROUTINE)
    status = models.CharField(_("status"), max_length=8, choices=VisitStatus.choices, default=VisitStatus.DONE)
    due_at = models.DateTimeField(_("due by"), null=True, blank=True)
    visitor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(_("method"), max_length=8, choices=VisitMethod.choices, blank=True)
    proof = models.CharField(_("proof"), max_length=10, choices=VisitProof.choices, blank=True)
    distance_m = models.PositiveIntegerField(_("distance from the project (m)"), null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=VisitOutcome.choices, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["subject", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def counts_as_contact(self) -> bool:
        """A call counts as contact; a home visit only with its proof (a claimed visit nobody can check does not)."""
        if self.status != VisitStatus.DONE or self.outcome == VisitOutcome.NOT_HOME:
            return False
        return self.method != VisitMethod.HOME or self.proof in (VisitProof.DOOR_CODE, VisitProof.POSITION)


# The same rule as a filter, for metrics and the "last contact" date.
CONTACT_Q = (
    Q(status=VisitStatus.DONE)
    & ~Q(outcome=VisitOutcome.NOT_HOME)
    & (~Q(method=VisitMethod.HOME) | Q(proof__in=[VisitProof.DOOR_CODE, VisitProof.POSITION]))
)


class SilentAlert(models.Model):
    """A silent household detected from its meters: at most one open per entry, each with the welfare visit it
    opened."""

    subject = models.ForeignKey(CareSubject, on_delete=models.CASCADE, related_name="alerts")
    detected_at = models.DateTimeField(_("detected at"))
    window_hours = models.PositiveSmallIntegerField(_("hours without use"))
    electricity_kwh = models.FloatField(null=True, blank=True)
    water_m3 = models.FloatField(null=True, blank=True)
    visit = models.ForeignKey(CareVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("silent-household alert")
        verbose_name_plural = _("silent-household alerts")
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"], condition=Q(resolved_at__isnull=True), name="community_alert_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
