"""Form pieces shared by the apps' pages."""

from __future__ import annotations


class ServiceErrorsMixin:
    """Puts a service's ``ValidationFailed.errors`` beside the matching fields (others above the form)."""

    aliases: dict[str, str] = {}

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            field = self.aliases.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)  # type: ignore[attr-defined]
