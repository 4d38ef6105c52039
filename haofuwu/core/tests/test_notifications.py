"""The in-app inbox and the pluggable channels."""

from __future__ import annotations

from django.db import transaction

from haofuwu.core.models import Notification
from haofuwu.core.notifications import notification_mark_read, notify
from haofuwu.core.notifications.backends import MemoryBackend


def test_notification_lands_in_the_inbox_and_goes_out_on_commit(world, django_capture_on_commit_callbacks) -> None:
    MemoryBackend.outbox.clear()
    user = world.users["manager_a"]
    user.email = "manager@example.com"
    user.phone = "13800000009"
    user.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipient=user, title="工单超时", body="3号楼", channels=["sms", "email", "fax"])
        assert MemoryBackend.outbox == []
    assert Notification.objects.get(recipient=user).title == "工单超时"
    assert sorted((m.channel, m.address) for m in MemoryBackend.outbox) == [
        ("email", "manager@example.com"),
        ("sms", "13800000009"),
    ]


def test_channel_without_an_address_is_skipped(world, django_capture_on_commit_callbacks) -> None:
    MemoryBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=world.users["engineer_a"], title="t", channels=["wechat"])
    assert MemoryBackend.outbox == []
    assert Notification.objects.filter(recipient=world.users["engineer_a"]).count() == 1


def test_same_dedup_key_is_stored_once(world) -> None:
    user = world.users["manager_a"]
    first = notify(recipient=user, title="升级", dedup_key="wo:1:breach")
    second = notify(recipient=user, title="升级", dedup_key="wo:1:breach")
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=user).count() == 1


def test_only_the_recipient_can_mark_read(world) -> None:
    notification = notify(recipient=world.users["manager_a"], title="x")
    assert notification_mark_read(actor=world.users["manager_b"], notification_id=notification.pk) == 0
    assert notification_mark_read(actor=world.users["manager_a"], notification_id=notification.pk) == 1
    notification.refresh_from_db()
    assert notification.is_read
