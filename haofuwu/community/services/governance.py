"""Joint governance (三方联动): meetings with the attendees of each party, agenda items turned into actions with an
owner from the responsible party, a deadline and closing evidence, and the escalation of overdue actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.community import selectors
from haofuwu.community.choices import ActionStatus, JointMeetingLevel, MeetingStatus, Party
from haofuwu.community.models import JointAction, JointMeeting, JointMeetingAttendee
from haofuwu.community.permissions import manages_community
from haofuwu.community.services.common import clean_text, full_clean, project_for, require, serves_project
from haofuwu.core import audit
from haofuwu.core.errors import Conflict, ValidationFailed
from haofuwu.core.notifications import notify
from haofuwu.estates import selectors as estates

MAX_ATTENDEES = 60
MAX_DEADLINE_DAYS = 366


@dataclass(frozen=True)
class AttendeeIn:
    party: str
    name: str
    position: str = ""


@dataclass(frozen=True)
class EscalationStep:
    """Escalate an open action ``days_overdue`` days after its deadline to ``level``; from level 2 the company's
    administrators are told as well (I: our default ladder — the meeting's convener, the owner and the project's
    manager first, the company a week later)."""

    level: int
    days_overdue: int
    tells_company: bool


ESCALATION_STEPS = (EscalationStep(1, 1, False), EscalationStep(2, 8, True))


def _attendees(items: list[AttendeeIn]) -> list[AttendeeIn]:
    if len(items) > MAX_ATTENDEES:
        raise ValidationFailed({"attendees": [_("At most %(count)d attendees.") % {"count": MAX_ATTENDEES}]})
    for item in items:
        if item.party not in Party.values or not item.name.strip():
            raise ValidationFailed({"attendees": [_("Give each attendee's name and party.")]})
    return items


@transaction.atomic
def joint_meeting_create(
    *,
    actor: Any,
    project_id: int,
    title: str,
    starts_at: dt.datetime,
    level: str = JointMeetingLevel.COMMUNITY,
    place: str = "",
    attendees: list[AttendeeIn] | None = None,
) -> JointMeeting:
    """Call a joint meeting about a project, with the attendees expected from each party."""
    _scope, project = project_for(actor, project_id, manages_community)
    if level not in JointMeetingLevel.values:
        raise ValidationFailed({"level": [_("Choose one of the options.")]})
    meeting = JointMeeting(
        project=project,
        level=level,
        title=clean_text(title, field="title", max_length=120),
        starts_at=starts_at,
        place=place.strip()[:100],
        convened_by=actor,
    )
    full_clean(meeting, exclude=["project", "convened_by"])
    meeting.save()
    JointMeetingAttendee.objects.bulk_create(
        JointMeetingAttendee(meeting=meeting, party=a.party, name=a.name.strip()[:50], position=a.position[:60])
        for a in _attendees(attendees or [])
    )
    audit.record(actor, "joint_meeting.create", meeting, {"level": level})
    return meeting


def _meeting(actor: Any, meeting_id: int) -> JointMeeting:
    scope = scope_for_user(actor)
    meeting = selectors.joint_meeting_get_for_user(scope, meeting_id)
    require(manages_community(scope, meeting.project_id, meeting.project.company_id))
    return meeting


@transaction.atomic
def joint_meeting_record(
    *, actor: Any, meeting_id: int, minutes: str, attendees: list[AttendeeIn] | None = None
) -> JointMeeting:
    """Record the meeting as held with its minutes and, when given, who actually came (replacing the expected)."""
    meeting = _meeting(actor, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        raise Conflict(_("This meeting is already recorded or cancelled."))
    if meeting.starts_at > timezone.now():
        raise Conflict(_("A meeting is recorded once it has started."))
    if attendees is not None:
        JointMeetingAttendee.objects.filter(meeting=meeting).delete()
        JointMeetingAttendee.objects.bulk_create(
            JointMeetingAttendee(meeting=meeting, party=a.party, name=a.name.strip()[:50], position=a.position[:60])
            for a in _attendees(attendees)
        )
    if not meeting.attendees.exists():
        raise ValidationFailed({"attendees": [_("Record who attended for each party.")]})
    meeting.minutes = clean_text(minutes, field="minutes", max_length=5000, message=_("Write the minutes."))
    meeting.status = MeetingStatus.HELD
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["minutes", "status", "held_at", "updated_at"])
    audit.record(actor, "joint_meeting.record", meeting, {})
    return meeting


@transaction.atomic
def joint_action_create(
    *,
    actor: Any,
    meeting_id: int,
    item: str,
    party: str,
    owner_name: str,
    due_on: dt.date,
    decision: str = "",
    owner_id: int | None = None,
) -> JointAction:
    """Turn an agenda item into an action owned by someone of the responsible party, with a deadline."""
    meeting = _meeting(actor, meeting_id)
    if party not in Party.values:
        raise ValidationFailed({"party": [_("Choose the responsible party.")]})
    today = timezone.localdate()
    if due_on < timezone.localdate(meeting.starts_at) or due_on > today + dt.timedelta(days=MAX_DEADLINE_DAYS):
        raise ValidationFailed({"due_on": [_("Set a deadline after the meeting and within a year.")]})
    action = JointAction(
        meeting=meeting,
        item=clean_text(item, field="item", max_length=300),
        decision=decision.strip()[:2000],
        party=party,
        owner_name=clean_text(owner_name, field="owner_name", max_length=50),
        owner_id=owner_id,
        due_on=due_on,
    )
    # An owner with an account works at the project (staff, volunteer, grid member, manager); anyone else, such as
    # an owners' committee member without an account, is named only.
    if (
        owner_id is not None
        and owner_id != actor.pk
        and serves_project(owner_id, meeting.project_id, meeting.project.company_id) is None
    ):
        raise ValidationFailed({"owner_id": [_("Choose someone who works at this project, or name the owner.")]})
    full_clean(action, exclude=["meeting", "owner", "closed_by"])
    action.save()
    audit.record(actor, "joint_action.create", action, {"party": party, "due_on": due_on.isoformat()})
    return action


@transaction.atomic
def joint_action_close(*, actor: Any, action_id: int, evidence: str) -> JointAction:
    """Close an action with the evidence that it was done (its owner, or someone who runs community work)."""
    scope = scope_for_user(actor)
    action = selectors.joint_action_get_for_user(scope, action_id, today=timezone.localdate())
    project = action.meeting.project
    require(action.owner_id == actor.pk or manages_community(scope, project.pk, project.company_id))
    text = clean_text(evidence, field="evidence", max_length=2000, message=_("Say what was done and how it shows."))
    now = timezone.now()
    closed = JointAction.objects.filter(pk=action.pk, status=ActionStatus.OPEN).update(
        status=ActionStatus.DONE, closed_at=now, closed_by=actor, evidence=text, updated_at=now
    )
    if not closed:
        raise Conflict(_("This action is already closed."))
    action.refresh_from_db()
    audit.record(actor, "joint_action.close", action, {"late": action.due_on < timezone.localdate(now)})
    return action


def joint_actions_escalate(now: dt.datetime) -> int:
    """Escalate open actions past their deadline, one step at a time; each step is claimed with a conditional
    UPDATE on the action's escalation level, so two workers never send the same step twice. Returns the steps
    taken."""
    today = timezone.localdate(now)
    taken = 0
    for step in ESCALATION_STEPS:
        due_before = today - dt.timedelta(days=step.days_overdue - 1)
        for action in selectors.overdue_actions_to_escalate(today, level_below=step.level, due_before=due_before):
            with transaction.atomic():
                claimed = JointAction.objects.filter(
                    pk=action.pk, status=ActionStatus.OPEN, escalation_level__lt=step.level
                ).update(escalation_level=step.level, escalated_at=now)
                if not claimed:
                    continue
                _tell_escalation(action, step, today)
                audit.record(None, "joint_action.escalate", action, {"level": step.level})
                taken += 1
    return taken


def _tell_escalation(action: JointAction, step: EscalationStep, today: dt.date) -> None:
    project = action.meeting.project
    recipients = {user.pk: user for user in estates.project_manager_users(project.pk)}
    for user in (action.owner, action.meeting.convened_by):
        if user is not None:
            recipients[user.pk] = user
    if step.tells_company:
        recipients.update({user.pk: user for user in estates.company_admin_users(project.company_id)})
    title = _("Joint-meeting action overdue by %(days)d days: %(item)s") % {
        "days": (today - action.due_on).days,
        "item": action.item[:60],
    }
    body = _("%(project)s · owner %(owner)s · due %(due)s") % {
        "project": project.name,
        "owner": action.owner_name,
        "due": action.due_on.isoformat(),
    }
    for user in recipients.values():
        notify(
            recipient=user,
            title=title,
            body=body,
            link=reverse("community:action_list"),
            channels=["sms"] if step.tells_company else [],
            dedup_key=f"community.action_escalation:{action.pk}:{step.level}",
        )
