"""Joint governance: an agenda item becomes an action that escalates, once per step, when overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haofuwu.community import services
from haofuwu.community.models import JointAction
from haofuwu.core.errors import Conflict
from haofuwu.core.models import AuditEntry, Notification


def test_a_joint_meeting_item_becomes_an_action_that_escalates_when_overdue(world) -> None:
    worker = world.users["community_a"]
    meeting = services.joint_meeting_create(
        actor=worker,
        project_id=world.project_a.pk,
        title="三方联动会议",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        attendees=[
            services.AttendeeIn("community_party", "王书记"),
            services.AttendeeIn("owners_committee", "刘主任"),
            services.AttendeeIn("property_company", "赵经理"),
        ],
    )
    today = timezone.localdate()
    action = services.joint_action_create(
        actor=worker,
        meeting_id=meeting.pk,
        item="地下车库照明改造",
        party="property_company",
        owner_name="赵经理",
        due_on=today,
    )
    now = timezone.now()
    assert services.joint_actions_escalate(now) == 0  # due today: not overdue yet
    later = now + dt.timedelta(days=1)
    assert services.joint_actions_escalate(later) == 1
    assert services.joint_actions_escalate(later) == 0  # the same step is never taken twice
    action.refresh_from_db()
    assert action.escalation_level == 1
    assert Notification.objects.filter(recipient=world.users["manager_a"], dedup_key__endswith=":1").exists()
    assert not Notification.objects.filter(recipient=world.users["company_admin_a"]).exists()
    assert services.joint_actions_escalate(now + dt.timedelta(days=8)) == 1
    assert Notification.objects.filter(recipient=world.users["company_admin_a"], dedup_key__endswith=":2").exists()
    assert AuditEntry.objects.filter(action="joint_action.escalate").count() == 2
    services.joint_action_close(actor=worker, action_id=action.pk, evidence="已更换LED灯具 32 套")
    with pytest.raises(Conflict):
        services.joint_action_close(actor=worker, action_id=action.pk, evidence="again")
    assert services.joint_actions_escalate(now + dt.timedelta(days=30)) == 0
    assert JointAction.objects.get().status == "done"
