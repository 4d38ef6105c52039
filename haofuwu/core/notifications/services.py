"""Write side of notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from haofuwu.core.models import Notification

CHANNELS = ("sms", "wechat", "email")


def notify(
    *,
    recipient: Any,
    title: str,
    body: str = "",
    link: str = "",
    channels: Iterable[str] = (),
    dedup_key: str = "",
) -> Notification | None:
    """Put a message in the recipient's inbox and send it on the given channels once the transaction commits.

    With a ``dedup_key`` the same message to the same recipient is stored once, however many workers try; the
    second call returns ``None``.
    """
    wanted = [channel for channel in channels if channel in CHANNELS]
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                title=str(title)[:200],
                body=str(body),
                link=link,
                channels=wanted,
                dedup_key=dedup_key,
            )
    except IntegrityError:
        if dedup_key:
            return None
        raise
    if wanted:
        from haofuwu.core.notifications.tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


def notification_mark_read(*, actor: Any, notification_id: int) -> int:
    """Mark one of the actor's notifications as read; returns how many rows changed (0 or 1)."""
    return Notification.objects.filter(pk=notification_id, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
