"""Channel backends, chosen per channel in ``settings.NOTIFICATION_BACKENDS`` the way ``EMAIL_BACKEND`` is.

A real SMS or WeChat gateway is a class with the same ``send`` method; the defaults only log, so a fresh install
sends nothing anywhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("haofuwu.notifications")


@dataclass(frozen=True)
class Message:
    """What a backend sends: the recipient's address on that channel, a title and a body."""

    channel: str
    address: str
    title: str
    body: str
    link: str = ""


class BaseBackend:
    """Sends one message on one channel; raises on failure so the task can retry."""

    def send(self, message: Message) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogBackend(BaseBackend):
    """Writes the title to the log; the address is not logged because it is personal data."""

    def send(self, message: Message) -> None:
        logger.info("notification via %s: %s", message.channel, message.title)


class MemoryBackend(BaseBackend):
    """Keeps messages in a list, for tests (like Django's locmem e-mail backend)."""

    outbox: list[Message] = []

    def send(self, message: Message) -> None:
        MemoryBackend.outbox.append(message)


class EmailBackend(BaseBackend):
    """Sends through Django's configured ``EMAIL_BACKEND``."""

    def send(self, message: Message) -> None:
        body = f"{message.body}\n\n{message.link}".strip()
        send_mail(message.title, body, settings.DEFAULT_FROM_EMAIL, [message.address])


@cache
def _backend_class(path: str) -> type[BaseBackend]:
    return import_string(path)


def backend_for(channel: str) -> BaseBackend:
    """The configured backend of a channel; an unknown channel is a programming error."""
    try:
        path = settings.NOTIFICATION_BACKENDS[channel]
    except KeyError:
        raise ValueError(f"unknown notification channel {channel!r}") from None
    return _backend_class(path)()
