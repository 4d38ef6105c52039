"""Background delivery of notifications on their external channels."""

from __future__ import annotations

from django_tasks import task

from haofuwu.core.models import Notification
from haofuwu.core.notifications.backends import Message, backend_for


def _address(user, channel: str) -> str:
    if channel == "email":
        return user.email or ""
    if channel == "sms":
        return getattr(user, "phone", "") or ""
    if channel == "wechat":
        return getattr(user, "wechat_openid", "") or ""
    return ""


@task()
def deliver_notification(notification_id: int) -> int:
    """Send a stored notification on each of its channels where the recipient has an address."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return 0
    sent = 0
    for channel in notification.channels:
        address = _address(notification.recipient, channel)
        if not address:
            continue
        backend_for(channel).send(
            Message(
                channel=channel,
                address=address,
                title=notification.title,
                body=notification.body,
                link=notification.link,
            )
        )
        sent += 1
    return sent
