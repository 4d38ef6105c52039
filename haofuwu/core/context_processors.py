"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from haofuwu.core.navigation import menu_for
from haofuwu.core.scoping import Scope


def navigation(request: HttpRequest) -> dict[str, object]:
    scope: Scope = getattr(request, "scope", None) or Scope()
    if not scope.is_authenticated:
        return {"nav_items": [], "scope": scope}
    unread = request.user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": menu_for(scope, request.path), "scope": scope, "unread_count": unread}
