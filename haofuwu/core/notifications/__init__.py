"""Notifications: the in-app inbox always, other channels through pluggable backends."""

from haofuwu.core.notifications.services import notification_mark_read, notify

__all__ = ["notification_mark_read", "notify"]
