"""The escalation sweep is registered and runs through the worker's registry."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from haofuwu.core import sweeps
from haofuwu.core.models import Notification
from haofuwu.workorders.tests.test_api_permissions import _order


def test_escalation_sweep_is_registered_and_escalates_once(world) -> None:
    sweeps.autodiscover()
    assert "workorders.escalate" in sweeps.registry.names()
    order = _order(world, resolution_due_at=timezone.now() - dt.timedelta(minutes=1))
    now = timezone.now()
    assert "workorders.escalate" in sweeps.run_due(now, holder="a")
    # A second worker in the same period finds the lease taken; run again later and nothing new is sent.
    assert "workorders.escalate" not in sweeps.run_due(now, holder="b")
    sweeps.run_due(now + dt.timedelta(minutes=5), holder="b")
    order.refresh_from_db()
    assert order.escalation_level == 2
    assert Notification.objects.filter(recipient=world.users["manager_a"]).count() == 1
