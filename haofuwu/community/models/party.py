"""Party building (党建引领): party organisations and the projects they cover, members, the 三会一课 meetings with
sign-in, party members' pioneer posts, red-property applications and the cross appointments and grid members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haofuwu.community.choices import (
    ApplicationStatus,
    AppointmentKind,
    MeetingStatus,
    MemberPost,
    MemberStatus,
    PartyMeetingKind,
    PartyOrganisationKind,
    PartyOrganisationLevel,
    RedPropertyLevel,
    SignInMethod,
    Verdict,
)
from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


class PartyOrganisation(TimeStampedModel):
    """A party organisation of one property company (independent) or of several with others (joint)."""

    company = models.ForeignKey(
        "estates.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("host company")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=PartyOrganisationKind.choices)
    level = models.CharField(
        _("level"), max_length=16, choices=PartyOrganisationLevel.choices, default=PartyOrganisationLevel.BRANCH
    )
    partners = models.CharField(
        _("joint with"), max_length=300, blank=True, help_text=_("Other companies or bodies of a joint organisation.")
    )
    superior = models.CharField(_("reports to"), max_length=100, blank=True)
    established_on = models.DateField(_("established on"))
    approval_reference = models.CharField(_("approval document"), max_length=100, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    meeting_code = models.CharField(max_length=12, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="community_partyorg_unique_name")]

    def __str__(self) -> str:
        return self.name


class PartyCoverage(TimeStampedModel):
    """A project attached to a party organisation, with its party liaison (党建联络员): A-02's coverage."""

    scope_project_path = "project"

    organisation = models.ForeignKey(PartyOrganisation, on_delete=models.CASCADE, related_name="coverages")
    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    liaison_name = models.CharField(_("party liaison"), max_length=50, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project coverage")
        verbose_name_plural = _("project coverage")
        ordering = ["organisation_id", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "project"],
                condition=Q(ended_on__isnull=True),
                name="community_coverage_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}→{self.project_id}"


class PartyMember(TimeStampedModel):
    """A member of an organisation: full (正式) or probationary (预备), with a post; staff or resident."""

    organisation = models.ForeignKey(PartyOrganisation, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=50)
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL)
    post = models.CharField(_("post"), max_length=20, choices=MemberPost.choices, default=MemberPost.MEMBER)
    joined_on = models.DateField(_("joined the organisation on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    staff = models.ForeignKey("estates.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["organisation_id", "post", "name"]

    def __str__(self) -> str:
        return self.name


class PartyMeeting(TimeStampedModel):
    """One of 三会一课 with its agenda, sign-in and minutes."""

    organisation = models.ForeignKey(PartyOrganisation, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=20, choices=PartyMeetingKind.choices)
    title = models.CharField(_("topic"), max_length=120)
    agenda = models.TextField(_("agenda"), blank=True, max_length=2000)
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("party meeting")
        verbose_name_plural = _("party meetings")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PartyMeetingSignIn(models.Model):
    """A member signed in at a meeting, once, by roster or with the meeting code, at server time."""

    meeting = models.ForeignKey(PartyMeeting, on_delete=models.CASCADE, related_name="sign_ins")
    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=SignInMethod.choices)
    signed_in_at = models.DateTimeField(_("signed in at"))

    class Meta:
        verbose_name = _("meeting sign-in")
        verbose_name_plural = _("meeting sign-ins")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="community_signin_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}"


class PioneerPost(TimeStampedModel):
    """A party member's pioneer post (党员先锋岗) at a project, shown to residents (A-07)."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(_("post"), max_length=60)
    pledge = models.CharField(_("pledge"), max_length=200, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pioneer post")
        verbose_name_plural = _("pioneer posts")
        ordering = ["project_id", "title"]

    def __str__(self) -> str:
        return self.title


class RedPropertyApplication(TimeStampedModel):
    """A project's application to be named a red-property demonstration point (红色物业示范点), reviewed by the
    district (A-03 the plan carried out, R-17 the recognition)."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=RedPropertyLevel.choices)
    plan = models.TextField(_("plan"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_note = models.TextField(_("review"), blank=True, max_length=2000)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("red-property application")
        verbose_name_plural = _("red-property applications")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "level"],
                condition=~Q(status=ApplicationStatus.WITHDRAWN),
                name="community_redproperty_one_live",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("recognised_on")),
                name="community_redproperty_valid_after_recognised",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_level_display()}"


class RedPropertyCriterionCheck(models.Model):
    """One criterion of the checklist: what the project claims with its evidence, and the district's verdict."""

    application = models.ForeignKey(RedPropertyApplication, on_delete=models.CASCADE, related_name="checks")
    code = models.CharField(max_length=40)
    is_claimed = models.BooleanField(_("claimed as met"), default=False)
    evidence = models.TextField(_("evidence"), blank=True, max_length=1000)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="community_criterion_once")]

    def __str__(self) -> str:
        return self.code


class Appointment(TimeStampedModel):
    """A cross appointment (A-04) or a staff member serving as a part-time grid member (A-05), from a date."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=AppointmentKind.choices)
    person_name = models.CharField(_("name"), max_length=50)
    staff = models.ForeignKey("estates.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    grid = models.CharField(_("grid"), max_length=60, blank=True)
    appointed_by = models.CharField(_("appointed by"), max_length=100)
    document = models.CharField(_("appointment document"), max_length=100, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["project_id", "kind", "person_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="community_appointment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_name}"
