"""Community activities (社区文化活动, P-22): audience, capacity, a sign-up window, registrations with a waiting list
promoted automatically, and check-in at the door once per person with the method and the server time."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haofuwu.community.choices import ActivityKind, ActivityStatus, CheckInMethod, RegistrationStatus
from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL
MAX_CAPACITY = 2000


class Activity(TimeStampedModel):
    """A cultural or community activity of a project; ``confirmed`` counts the places taken (updated with F())."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    place = models.CharField(_("place"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    signup_opens_at = models.DateTimeField(_("sign-up opens"))
    signup_closes_at = models.DateTimeField(_("sign-up closes"))
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    confirmed = models.PositiveIntegerField(_("places taken"), default=0)
    is_whole_project = models.BooleanField(_("open to the whole project"), default=True)
    buildings = models.ManyToManyField("estates.Building", blank=True, related_name="+", verbose_name=_("buildings"))
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT)
    organiser = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The door poster's QR code carries this; residents scan it to check themselves in.
    door_token = models.CharField(max_length=32, unique=True)
    report = models.TextField(_("report"), blank=True, max_length=3000)
    completed_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        constraints = [
            # The last line of defence of the capacity: a sign-up that would overfill the activity fails here.
            models.CheckConstraint(
                condition=Q(confirmed__lte=F("capacity")), name="community_activity_within_capacity"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="community_activity_ends_after_start"),
            models.CheckConstraint(
                condition=Q(signup_closes_at__gt=F("signup_opens_at")) & Q(signup_closes_at__lte=F("ends_at")),
                name="community_activity_signup_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.confirmed, 0)


class Registration(TimeStampedModel):
    """One person's sign-up: a place, or a place on the waiting list (promoted in order when a place frees up)."""

    scope_project_path = "activity__project"
    scope_household_path = "unit_id"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("estates.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    # Waiting-list order: the time the person joined the list (ties broken by id).
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The personal ticket's QR code carries this; staff scan it at the door.
    ticket = models.CharField(max_length=32, unique=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_method = models.CharField(_("check-in method"), max_length=12, choices=CheckInMethod.choices, blank=True)
    checked_in_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["activity_id", "created_at", "id"]
        constraints = [
            # One live registration per person and activity: a double tap or two phones cannot take two places.
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="community_registration_one_live",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status=RegistrationStatus.ATTENDED),
                name="community_registration_checkin_means_attended",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.name}"
