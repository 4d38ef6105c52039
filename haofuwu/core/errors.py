"""Domain errors: raised by services and selectors, turned into API and HTML responses at the edges."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Messages may be lazy translations; they are turned into text in the language active when raised.
Message = str | Promise


class DomainError(Exception):
    """Base of every error a user can cause; never a server error."""

    status = 400
    type = "invalid"

    def __init__(self, message: Message, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field

    def as_detail(self) -> list[dict[str, object]]:
        """The API error shape ``[{"loc": [...], "msg": ..., "type": ...}]``."""
        loc: list[str] = ["body", self.field] if self.field else ["body"]
        return [{"loc": loc, "msg": self.message, "type": self.type}]


class ValidationFailed(DomainError):
    """Input that breaks a business rule; carries one message per field."""

    status = 422
    type = "value_error"

    def __init__(self, errors: dict[str, list[str]] | Message, *, field: str | None = None) -> None:
        if not isinstance(errors, dict):
            errors = {field or "__all__": [str(errors)]}
        self.errors = {name: [str(message) for message in messages] for name, messages in errors.items()}
        errors = self.errors
        first_field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=None if first_field == "__all__" else first_field)

    def as_detail(self) -> list[dict[str, object]]:
        detail: list[dict[str, object]] = []
        for name, messages in self.errors.items():
            loc = ["body"] if name == "__all__" else ["body", name]
            detail.extend({"loc": loc, "msg": message, "type": self.type} for message in messages)
        return detail


class NotFound(DomainError):
    """The object does not exist or lies outside the caller's scope (the two are not told apart)."""

    status = 404
    type = "not_found"

    def as_detail(self) -> list[dict[str, object]]:
        return [{"loc": ["path", self.field] if self.field else ["path"], "msg": self.message, "type": self.type}]


class PermissionDenied(DomainError):
    """The caller can see the object but their role may not do this to it."""

    status = 403
    type = "permission_denied"


class Conflict(DomainError):
    """The action clashes with the current state (for example a duplicate or a finished record)."""

    status = 409
    type = "conflict"


NOT_FOUND = _("Not found.")
READ_ONLY = _("Your role may read this but not change it.")
