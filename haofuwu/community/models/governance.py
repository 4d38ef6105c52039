"""Joint governance (三方联动 and the joint property meetings): meetings with attendees per party, and the agenda
items that became tracked actions with an owner, a deadline, closing evidence and escalation when overdue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haofuwu.community.choices import ActionStatus, JointMeetingLevel, MeetingStatus, Party
from haofuwu.core.models import TimeStampedModel
from haofuwu.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL


class JointMeeting(TimeStampedModel):
    """A meeting of the community, the owners' side and the property company about one project (A-06)."""

    scope_project_path = "project"

    project = models.ForeignKey("estates.Project", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(
        _("level"), max_length=12, choices=JointMeetingLevel.choices, default=JointMeetingLevel.COMMUNITY
    )
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True, max_length=5000)
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    convened_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class JointMeetingAttendee(models.Model):
    """Someone who attended a joint meeting for one party."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="attendees")
    party = models.CharField(_("party"), max_length=24, choices=Party.choices)
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting_id", "party", "id"]

    def __str__(self) -> str:
        return self.name


class JointAction(TimeStampedModel):
    """An agenda item of a joint meeting turned into an action: the responsible party, an owner, a deadline, the
    evidence that closed it, and how far it has been escalated while overdue."""

    scope_project_path = "meeting__project"

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="actions")
    item = models.CharField(_("agenda item"), max_length=300)
    decision = models.TextField(_("decision"), blank=True, max_length=2000)
    party = models.CharField(_("responsible party"), max_length=24, choices=Party.choices)
    owner_name = models.CharField(_("owner"), max_length=50)
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evidence = models.TextField(_("closing evidence"), blank=True, max_length=2000)
    # 0 not escalated; 1 the owner and the project's manager were told it is overdue; 2 the company and the
    # community were told it is still open a week later (see services/governance.py ESCALATION_STEPS).
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint action")
        verbose_name_plural = _("joint actions")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.item[:50]
