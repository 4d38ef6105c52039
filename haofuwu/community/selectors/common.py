"""Pieces the community selectors share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from haofuwu.core.errors import NOT_FOUND, NotFound


def get_or_404(queryset: QuerySet, pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found
